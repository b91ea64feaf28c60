#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs fengqiao on the bundled sample district.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
# The store is this run's output: a store left by an earlier sample (other incidents under the
# same ids) would refuse the new cases as stale copies, so each run starts a fresh one.
rm -f build/sample_month.db build/sample_month.db-wal build/sample_month.db-shm
./build/tools/fengqiao district examples/data --db build/sample_month.db
