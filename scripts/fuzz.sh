#!/usr/bin/env bash
# Builds the libFuzzer targets with Debian's clang and runs each for
# SECONDS (default 30) from its committed seed corpus. Fails on any crash;
# a crash input is left as build-fuzz/crash-* (make it a regression test).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang CXX=clang++ cmake -S fuzz -B build-fuzz -G Ninja >/dev/null
fi
ninja -C build-fuzz >/dev/null
for target in json_body email password client_ip config maxmind; do
  work=$(mktemp -d)
  cp fuzz/corpus/$target/* "$work"/
  echo "fuzz_$target: ${seconds}s"
  (cd build-fuzz && ./fuzz_$target -max_total_time="$seconds" -max_len=4096 -timeout=10 \
      -print_final_stats=0 "$work" >/tmp/fuzz_$target.log 2>&1) ||
    { tail -40 /tmp/fuzz_$target.log; rm -rf "$work"; exit 1; }
  rm -rf "$work"
done
echo "fuzzing: no crash"
