#!/usr/bin/env bash
# Configures (once) and builds twostep into build/ with Ninja and ccache.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# One ccache for every checkout of the project (worktrees, CI's fresh clone):
# paths are hashed relative to the checkout, so a second clone hits the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
ninja -C build "$@"
