#!/usr/bin/env bash
# Peer comparison: the routing benchmark's rules and incidents through json-rules-engine and
# GoRules ZEN (npm, installed here), side by side with fengqiao. Not part of the test command.
#   bash bench/peers/run.sh [SECONDS_PER_RUN]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/build.sh
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm
fi
work=build/peers
mkdir -p "$work"
cp bench/peers/package.json bench/peers/run_peers.js "$work/"
(cd "$work" && npm install --no-audit --no-fund --no-package-lock > npm-install.log 2>&1)
./build/bench/export_workload "$work"
taskset -c 0 ./build/bench/routing_bench --benchmark_filter='BM_(Route|RouteBatch|NaiveFirstMatch)/' \
  --benchmark_format=json > "$work/routing_bench.json"
(cd "$work" && taskset -c 0 node run_peers.js . routing_bench.json "${1:-5}")
