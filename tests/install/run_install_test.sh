#!/usr/bin/env bash
# Installs the built fengqiao into a scratch prefix, builds examples/integrator against it with
# find_package(fengqiao) and runs it on the sample district; then moves the prefix elsewhere (an
# install is relocatable) and, from there, compiles and runs the same program with pkg-config only,
# runs the installed `fengqiao` command and imports the installed Python package, none of them with
# LD_LIBRARY_PATH.
#   run_install_test.sh SOURCE_DIR BUILD_DIR [SANITIZERS] [PYTHON]
# PYTHON is ON when the build has the Python package (then it must be installed and import).
# In a sanitizer build the library needs the sanitizer's runtime first in a consumer that is not
# instrumented itself (the integrator example, Python): those runs preload it (ASan without leak
# checks: the interpreter's own allocations at exit; TSan, whose uninitialised runtime crashes).
set -euo pipefail
src="$1"
build="$2"
consumer=()
if [[ "${3:-}" == *address* ]]; then
  consumer=(env "LD_PRELOAD=$(c++ -print-file-name=libasan.so)" ASAN_OPTIONS=detect_leaks=0)
elif [[ "${3:-}" == *thread* ]]; then
  consumer=(env "LD_PRELOAD=$(c++ -print-file-name=libtsan.so)")
fi
work="$build/install-test"
rm -rf "$work/prefix" "$work/moved"  # the integrator build stays, so a re-run with nothing changed is quick
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
LD_LIBRARY_PATH="$libdir" "${consumer[@]}" "$work/integrator/dispatch_intake" "$src/examples/data" |
  tee "$work/intake.out"
# Members' names are masked in what the example prints (one '*' at least per candidate line), and
# no member's name of the sample roster appears in clear.
grep -E '^  #[0-9]+ ' "$work/intake.out" > "$work/candidates.txt"
test -s "$work/candidates.txt"
if grep -qv '\*' "$work/candidates.txt"; then
  echo "a candidate's name in clear"
  exit 1
fi
grep -oP 'id: "m-[0-9]+" name: "\K[^"]+' "$src/examples/data/roster.textproto" > "$work/names.txt"
test -s "$work/names.txt"
if grep -qFf "$work/names.txt" "$work/intake.out"; then
  echo "a member's name of the sample in clear"
  exit 1
fi

# Relocated: everything below runs from a prefix the build never named.
mv "$work/prefix" "$work/moved"
moved_libdir=$(dirname "$(find "$work/moved" -name 'libfengqiao.so' | head -1)")
export PKG_CONFIG_PATH="$moved_libdir/pkgconfig"
test "$(pkg-config --variable=includedir fengqiao)" -ef "$work/moved/include"
# shellcheck disable=SC2046
c++ -std=c++20 -Wall -Wextra -o "$work/dispatch_intake_pc" "$src/examples/integrator/dispatch_intake.cc" \
  $(pkg-config --cflags --libs fengqiao) -Wl,-rpath,"$(pkg-config --variable=libdir fengqiao)"
"${consumer[@]}" "$work/dispatch_intake_pc" "$src/examples/data" |
  grep -q "incident 12345-2026-11-25-0001 in grid"
echo "pkg-config consumer: compiled and ran from the relocated prefix"
"$work/moved/bin/fengqiao" version
readelf -d "$work/moved/bin/fengqiao" | grep -q 'R.*PATH.*\$ORIGIN/\.\./lib'
if [ "${4:-ON}" != "ON" ]; then
  echo "no python package in this build"
  exit 0
fi
py_init=$(find "$work/moved" -path '*dist-packages/fengqiao/__init__.py' | head -1)
test -n "$py_init"
py_dir=$(dirname "$py_init")
(cd "$work" && "${consumer[@]}" env -u PYTHONPATH /usr/bin/python3 -c "
import sys; sys.path.insert(0, '$(dirname "$py_dir")')
import fengqiao
assert fengqiao.__file__.startswith('$work/moved'), fengqiao.__file__
m = fengqiao.load_grid_map('$src/examples/data/grid_map.textproto')
from fengqiao.v1 import taxonomy_pb2
print('python package from the relocated prefix:', fengqiao.__version__,
      fengqiao.vocabulary.display_name(taxonomy_pb2.DisputeType, 8))
")
