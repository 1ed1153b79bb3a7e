#!/usr/bin/env bash
# The OpenAPI tools (versions locked in tools/openapi/package-lock.json):
#   install  npm ci into tools/openapi/node_modules when missing or stale (network)
#   lint     @redocly/cli lint of docs/openapi.yaml (tools/openapi/redocly.yaml)
#   types    regenerate web/src/api-types.ts with openapi-typescript
#   check    fail when web/src/api-types.ts is not what `types` would write
# Only `install` uses the network; the tests run `lint` and `check`.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=tools/openapi
# No telemetry or update checks from the test machine.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
need_tools() {
  [ -x "$tools/node_modules/.bin/redocly" ] ||
    { echo "openapi.sh: run 'bash scripts/openapi.sh install' first" >&2; exit 1; }
}
generate() {  # $1: output file
  "$tools/node_modules/.bin/openapi-typescript" docs/openapi.yaml --output "$1" >/dev/null 2>&1 ||
    { "$tools/node_modules/.bin/openapi-typescript" docs/openapi.yaml --output "$1"; exit 1; }
}
case "${1:-}" in
  install)
    if [ ! -d "$tools/node_modules" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules" ]; then
      (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
    fi ;;
  lint)
    need_tools
    "$tools/node_modules/.bin/redocly" lint docs/openapi.yaml --config "$tools/redocly.yaml" \
      --format=stylish 2>&1 | grep -v -e '^ *║' -e '^ *╔' -e '^ *╚' ;
    exit "${PIPESTATUS[0]}" ;;
  types)
    need_tools
    generate web/src/api-types.ts ;;
  check)
    need_tools
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    generate "$tmp/api-types.ts"
    if ! diff -u web/src/api-types.ts "$tmp/api-types.ts" >"$tmp/diff"; then
      head -40 "$tmp/diff"
      echo "web/src/api-types.ts is stale: run 'bash scripts/openapi.sh types'" >&2
      exit 1
    fi ;;
  *) echo "usage: $0 install|lint|types|check" >&2; exit 2 ;;
esac
