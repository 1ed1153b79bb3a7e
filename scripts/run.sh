#!/usr/bin/env bash
# Builds if needed (server and web app) and runs twostepd on the embedded
# default: SQLite under var/, mail written to var/mail/, the web app and the
# API at http://127.0.0.1:8080. Extra arguments go
# to twostepd (e.g. --config twostep.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh twostepd
bash scripts/build-web.sh
bash scripts/fetch-geoip.sh var/geoip
exec ./build/twostepd "$@"
