#!/usr/bin/env bash
# Builds the Debian package build/deb/twostep_<VERSION>_amd64.deb
# (debhelper, debian/): twostepd and twostep in /usr/bin, the web app in
# /usr/share/twostep/web, /etc/twostep/twostepd.toml, man pages, and the
# hardened twostepd.service. It packages the project's own build (build/,
# Ninja + ccache; web/dist) instead of building a second time: seconds, not
# minutes. Prints the path of the .deb.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/build.sh twostepd twostep >/dev/null
bash scripts/build-web.sh
version=$(head -n1 VERSION)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# dpkg-buildpackage writes next to the source directory: a staging copy of
# debian/ under build/deb keeps the checkout clean.
stage=build/deb
rm -rf "$stage"
mkdir -p "$stage/twostep-$version"
cp -r debian "$stage/twostep-$version/"
# The changelog is made here so that VERSION stays the one place the
# version is written.
cat >"$stage/twostep-$version/debian/changelog" <<END
twostep ($version) unstable; urgency=medium

  * Built from commit $commit.

 -- twostep maintainers <twostep@example.org>  $(date -R)
END
cd "$stage/twostep-$version"
TWOSTEP_ROOT=$root dpkg-buildpackage -b -uc -us --no-sign >../build.log 2>&1 ||
  { tail -40 ../build.log >&2; exit 1; }
echo "$root/$stage/twostep_${version}_amd64.deb"
