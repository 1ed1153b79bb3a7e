#!/usr/bin/env bash
# Builds if needed and runs the whole test suite: unit and service tests
# (GoogleTest) and black-box tests of the real twostepd over HTTP with a real
# SMTP server (Python, stdlib + Debian's python3-aiosmtpd), and the web app
# end to end in Debian's Chromium (playwright-core), all through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
bash scripts/build-web.sh
# The OpenAPI linter and type generator (tools/openapi), for the openapi.* tests.
bash scripts/openapi.sh install
# The real DB-IP file, for the one test that checks it (skipped without it).
bash scripts/fetch-geoip.sh var/geoip
# A throw-away PostgreSQL cluster on loopback: the store contract, the whole
# integration suite a second time, and the multi-instance tests run on it.
TEST_PG_URL=$(bash scripts/pg-test-cluster.sh start)
export TEST_PG_URL TEST_PG_REQUIRED=1
trap "bash '$PWD/scripts/pg-test-cluster.sh' stop" EXIT
cd build
ctest --output-on-failure --timeout 900 -j2 "$@"
