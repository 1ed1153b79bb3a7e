#!/usr/bin/env bash
# Builds the web app (web/dist) when it is missing or older than its sources
# (the catalog in ../locales included),
# with the versions locked in web/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f dist/index.html ] || [ -n "$(find src index.html vite.config.js package-lock.json ../locales -newer dist/index.html 2>/dev/null | head -1)" ]; then
  npm run build --silent >/dev/null
fi
