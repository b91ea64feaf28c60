#!/usr/bin/env bash
# Installs what is missing, then configures (once) and builds fengqiao in ./build with Ninja.
# Extra arguments go to the first configure, e.g. -DFENGQIAO_SANITIZE=thread with BUILD_DIR=build-tsan.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR="${BUILD_DIR:-build}"
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPython_EXECUTABLE=/usr/bin/python3 "$@"
fi
cmake --build "$BUILD_DIR" -j2
