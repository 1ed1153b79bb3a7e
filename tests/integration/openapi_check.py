"""Checks answers of twostepd against docs/openapi.yaml (Draft 2020-12,
Debian's python3-jsonschema). harness.Server.request calls check_response
for every answer and WsClient.recv calls check_ws_message for every
WebSocket message, so a field, status or problem `code` the document does
not describe fails the test that met it.

The rule for paths the document does not describe: under /v1/ (and the
operational paths) the only acceptable answer is the 404 `not_found`
problem; outside (the web app's files) only problem bodies are checked,
since static files are not part of the API. A documented path answered
with a method it does not list must be the 405 `method_not_allowed`
problem. Raw socket tests that send malformed HTTP on purpose bypass
Server.request and are not checked."""

import json
import os
import re

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC_PATH = os.environ.get("TWOSTEP_OPENAPI",
                           os.path.join(HERE, "..", "..", "docs", "openapi.yaml"))
API_PREFIXES = ("/v1/", "/healthz", "/metrics")
_doc = None
_routes = None


def document():
    global _doc, _routes
    if _doc is None:
        with open(SPEC_PATH) as f:
            _doc = yaml.safe_load(f)
        _routes = []
        for template, item in _doc["paths"].items():
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            _routes.append((re.compile("^" + pattern + "$"), template, item))
    return _doc


def _validate(instance, schema, where):
    """Validates `instance` against `schema`, whose $refs point into the document."""
    doc = document()
    resolver = jsonschema.RefResolver(base_uri="", referrer=doc)
    validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        at = "/".join(str(p) for p in e.absolute_path) or "(body)"
        raise AssertionError(f"OpenAPI mismatch: {where}: at {at}: {e.message}\n"
                             f"body: {json.dumps(instance)[:400]}")


def _problem(resp, where, codes):
    if resp.json is None and not resp.raw and where.startswith("HEAD "):
        return None  # no body to check
    if not resp.headers.get("Content-Type", "").startswith("application/problem+json"):
        raise AssertionError(f"OpenAPI mismatch: {where}: expected a problem, got "
                             f"{resp.headers.get('Content-Type')!r} {resp.raw[:200]!r}")
    _validate(resp.json, {"$ref": "#/components/schemas/Problem"}, where)
    if codes and resp.json.get("code") not in codes:
        raise AssertionError(f"OpenAPI mismatch: {where}: problem code {resp.json.get('code')!r}"
                             f" where only {codes} fit")


MANAGEMENT_PATHS = ("/healthz", "/metrics")


def check_response(method, target, resp, management=False):
    """Raises AssertionError when `resp` (harness.Response) is not what the
    document says `method target` may answer. `management`: the answer came
    from the management listener, which serves only /healthz and /metrics.
    HEAD is checked as GET without a body (the server answers it so)."""
    document()
    path = target.split("?", 1)[0]
    where = f"{method} {path} -> {resp.status}"
    if management and path not in MANAGEMENT_PATHS:
        return _problem(resp, where + " (management listener)", {"not_found"})
    head = method == "HEAD"
    if head:
        method = "GET"
    for pattern, template, item in _routes:
        if pattern.match(path):
            break
    else:
        if path.startswith(API_PREFIXES):
            return _problem(resp, where + " (undocumented path)", {"not_found"})
        if "problem+json" in resp.headers.get("Content-Type", ""):
            _problem(resp, where, None)
        return None
    op = item.get(method.lower())
    if op is None:
        return _problem(resp, where + f" (method not in {template})", {"method_not_allowed"})
    answers = op["responses"]
    answer = answers.get(str(resp.status), answers.get("default"))
    if answer is None:
        raise AssertionError(f"OpenAPI mismatch: {where}: status not documented for "
                             f"{method} {template} (documented: {sorted(answers)})")
    if "$ref" in answer:
        answer = document()["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    content = answer.get("content")
    if head:
        return None
    if not content:
        if resp.raw:
            raise AssertionError(f"OpenAPI mismatch: {where}: documented without a body, got "
                                 f"{resp.raw[:200]!r}")
        return None
    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip()
    if ctype not in content:
        raise AssertionError(f"OpenAPI mismatch: {where}: content type {ctype!r} not in "
                             f"{sorted(content)}")
    if ctype.endswith("json"):
        _validate(resp.json, content[ctype]["schema"], where)
    return None


def check_ws_message(message):
    """A server message of /v1/notifications against ServerMessage."""
    _validate(message, {"$ref": "#/components/schemas/ServerMessage"},
              "WebSocket message on /v1/notifications")
