#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the GoogleTest suites, the layering check,
# the CLI on the sample district, the installed-package consumer (all through ctest), then the
# Python suites with /usr/bin/python3 when they exist.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
(cd build && ctest -j2 --output-on-failure)
if [ -d python/tests ] && ls python/tests/test_*.py > /dev/null 2>&1; then
  PYTHONPATH="$PWD/build/python" /usr/bin/python3 -m pytest -q python/tests
fi
