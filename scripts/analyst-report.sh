#!/usr/bin/env bash
# The analyst's monthly report from a clean checkout: installs and builds (scripts/build.sh),
# runs the main job into build/sample_month.db, then writes tables and PNG charts to build/report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/run-sample.sh > build/sample_month.txt
PYTHONPATH="$PWD/build/python" /usr/bin/python3 examples/analyst/monthly_report.py \
  build/sample_month.db build/report
