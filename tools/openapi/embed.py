#!/usr/bin/env python3
"""Converts docs/openapi.yaml to the JSON that twostepd serves as
GET /v1/openapi.json, as a C++ source file (the document is embedded in the
binary, so the description served is always the one the binary was built
with, wherever it is installed). info.version is taken from VERSION, the
one place the version is written.

Usage: embed.py OPENAPI_YAML VERSION_FILE OUT_CC"""

import json
import sys

import yaml


def main(src, version_file, out):
    with open(src) as f:
        doc = yaml.safe_load(f)
    with open(version_file) as f:
        doc["info"]["version"] = f.read().strip()
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=True)
    delim = "openapi_json"
    assert f"){delim}\"" not in text
    with open(out, "w") as f:
        f.write("// Generated from docs/openapi.yaml by tools/openapi/embed.py. Do not edit.\n")
        f.write('#include "http/openapi_document.h"\n\n')
        f.write("namespace twostep::http {\n\nstd::string_view OpenApiJson() {\n")
        f.write(f'  static constexpr char kText[] = R"{delim}({text}){delim}";\n')
        f.write("  return {kText, sizeof(kText) - 1};\n}\n\n}  // namespace twostep::http\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
