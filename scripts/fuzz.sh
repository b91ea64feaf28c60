#!/usr/bin/env bash
# Runs every fuzz harness (tests/fuzz/) with clang's libFuzzer, ASan and UBSan for N seconds each:
#   bash scripts/fuzz.sh 60            # 60 s per harness
#   bash scripts/fuzz.sh 60 rule_set   # one harness
#   FUZZ_BUDGET=cpu bash scripts/fuzz.sh 1830 rule_set
#                                      # 1830 s of the harness's CPU time, not of wall time (on a
#                                      # shared machine wall time gives less: the 30 CPU-minute runs)
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
  wall="$seconds"
  [ "${FUZZ_BUDGET:-wall}" = cpu ] && wall=$((seconds * 20))  # the CPU watch below stops it
  (cd tests/fuzz/corpus && exec "$harness" -max_total_time="$wall" -timeout=120 \
      -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$out/crashes/$name-" \
      "$out/corpus/$name" "$name" 2> "$out/$name.log") &
  pid=$!
  if [ "${FUZZ_BUDGET:-wall}" = cpu ]; then
    # utime + stime of the harness (fields 14 and 15 of /proc/PID/stat, in clock ticks); SIGINT
    # at the budget, on which libFuzzer prints its final statistics and exits 72.
    ticks=$(getconf CLK_TCK)
    while kill -0 "$pid" 2> /dev/null; do
      read -r -a stat < "/proc/$pid/stat" 2> /dev/null || break
      if [ $(((stat[13] + stat[14]) / ticks)) -ge "$seconds" ]; then kill -INT "$pid"; fi
      sleep 5
    done
  fi
  status=0
  wait "$pid" || status=$?
  if [ "$status" -ne 0 ] && ! { [ "$status" -eq 72 ] && [ "${FUZZ_BUDGET:-wall}" = cpu ]; }; then
    failed=1
    echo "   FAILED: see $out/$name.log and $out/crashes/"
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov: " "$out/$name.log" | tail -3 | sed 's/^/   /'
done
exit "$failed"
