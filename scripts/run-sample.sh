#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs fengqiao on the bundled sample district.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/tools/fengqiao district examples/data --db build/sample_month.db
