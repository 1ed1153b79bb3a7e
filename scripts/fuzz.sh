#!/usr/bin/env bash
# Builds the libFuzzer targets (every fuzz/fuzz_*.cc) with Debian's clang and
# runs each for SECONDS (default 30) from its committed seed corpus in
# fuzz/corpus/<name>/. Fails on any crash, leak or sanitizer report; a crash
# input is left as build-fuzz/crash-* (make it a regression seed and a test).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
# One ccache for every checkout (as scripts/build.sh).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang CXX=clang++ cmake -S fuzz -B build-fuzz -G Ninja >/dev/null
fi
ninja -C build-fuzz --quiet
for source in fuzz/fuzz_*.cc; do
  target=$(basename "$source" .cc)
  name=${target#fuzz_}
  work=$(mktemp -d)
  cp fuzz/corpus/"$name"/* "$work"/
  lsan=""
  # A documented third-party leak, suppressed for this target only.
  [ "$name" = maxmind ] && lsan="suppressions=$PWD/fuzz/lsan-maxmind.supp"
  echo "$target: ${seconds}s"
  (cd build-fuzz && LSAN_OPTIONS="$lsan" ./"$target" -max_total_time="$seconds" -max_len=4096 \
      -timeout=10 -print_final_stats=0 "$work" >/tmp/"$target".log 2>&1) ||
    { tail -60 /tmp/"$target".log; rm -rf "$work"; exit 1; }
  rm -rf "$work"
done
echo "fuzzing: no crash"
