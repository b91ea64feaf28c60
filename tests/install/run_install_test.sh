#!/usr/bin/env bash
# Installs the built fengqiao into a scratch prefix, builds examples/integrator against it with
# find_package(fengqiao), checks the pkg-config file, and runs the integrator on the sample district.
#   run_install_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src="$1"
build="$2"
work="$build/install-test"
rm -rf "$work/prefix"  # the integrator build stays, so a re-run with nothing changed is quick
mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
test -f "$work/prefix/include/fengqiao/grid/grid_map.h"
test -f "$work/prefix/include/fengqiao/v1/grid.pb.h"
test -f "$work/prefix/lib/cmake/fengqiao/fengqiaoConfig.cmake" || \
  test -f "$work/prefix/lib/x86_64-linux-gnu/cmake/fengqiao/fengqiaoConfig.cmake"
# Internal headers are never installed.
if find "$work/prefix/include" -path '*internal*' | grep -q .; then
  echo "internal headers were installed" >&2
  exit 1
fi
libdir=$(dirname "$(find "$work/prefix" -name 'libfengqiao.so' | head -1)")
PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --modversion fengqiao
cmake -S "$src/examples/integrator" -B "$work/integrator" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release > "$work/configure.log"
cmake --build "$work/integrator" > "$work/build.log"
LD_LIBRARY_PATH="$libdir" "$work/integrator/dispatch_intake" "$src/examples/data"
