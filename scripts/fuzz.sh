#!/usr/bin/env bash
# Runs every fuzz harness (tests/fuzz/) with clang's libFuzzer, ASan and UBSan for N seconds each:
#   bash scripts/fuzz.sh 60            # 60 s per harness
#   bash scripts/fuzz.sh 60 rule_set   # one harness
# Each starts from its seed corpus (tests/fuzz/corpus/<name>/, which scripts/test.sh replays on
# every run) and keeps what it finds in build-fuzz/corpus/<name>/; an input that crashes or breaks
# an invariant is written to build-fuzz/crashes/ and the script fails. Copy such an input into
# the seed corpus once the bug is fixed, so the suite replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
only="${2:-}"
bash scripts/install-deps.sh --fuzz
out="$PWD/build-fuzz"
launcher=()
if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
CC=clang-14 CXX=clang++-14 cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "${launcher[@]}" -DFENGQIAO_FUZZ=ON -DFENGQIAO_BUILD_TESTS=OFF -DFENGQIAO_BUILD_BENCHMARKS=OFF \
  -DFENGQIAO_BUILD_TOOLS=OFF -DFENGQIAO_BUILD_PYTHON=OFF -DFENGQIAO_INSTALL=OFF > "$out.log" 2>&1 ||
  { cat "$out.log"; exit 1; }
cmake --build "$out" -j2
mkdir -p "$out/crashes"
failed=0
for harness in "$out"/fuzz/fuzz_*; do
  name="${harness##*/fuzz_}"
  [ -z "$only" ] || [ "$only" = "$name" ] || continue
  mkdir -p "$out/corpus/$name"
  echo "== $name: ${seconds}s"
  # Run from the seed corpus folder: the rule-set harness's `inherits` reads files there.
  if ! (cd tests/fuzz/corpus && "$harness" -max_total_time="$seconds" -timeout=120 \
          -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$out/crashes/$name-" \
          "$out/corpus/$name" "$name" 2> "$out/$name.log"); then
    failed=1
    echo "   FAILED: see $out/$name.log and $out/crashes/"
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov: " "$out/$name.log" | tail -3 | sed 's/^/   /'
done
exit "$failed"
