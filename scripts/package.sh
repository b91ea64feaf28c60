#!/usr/bin/env bash
# Builds fengqiao's Debian packages with CPack (libfengqiao0, libfengqiao-dev, python3-fengqiao,
# fengqiao-tools) and tests them as a user meets them: installed with apt into a clean Debian 12
# root made by debootstrap (nothing of this machine's build in it), where the integrator example
# is compiled with find_package(fengqiao) and with pkg-config only and run on the sample district,
# `fengqiao` runs the main job, and Debian's python3 imports the package with no PYTHONPATH.
#   bash scripts/package.sh            # packages land in build-deb/*.deb
# Needs root (debootstrap, chroot) and Debian's archive. The debootstrapped base is cached in
# build-deb/base (delete it to start from scratch); every run installs into a fresh copy of it.
set -euo pipefail
cd "$(dirname "$0")/.."
src="$PWD"
out="$src/build-deb"
bash scripts/install-deps.sh --packaging

# 1. The packages, from a build configured for Debian's layout (prefix /usr, no tests).
launcher=()
if command -v ccache > /dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
mkdir -p "$out"
cmake -S . -B "$out/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  "${launcher[@]}" -DFENGQIAO_BUILD_TESTS=OFF -DFENGQIAO_BUILD_BENCHMARKS=OFF > "$out/configure.log" 2>&1 || {
  cat "$out/configure.log"; exit 1; }
cmake --build "$out/build" -j2
rm -f "$out"/*.deb
(cd "$out/build" && cpack -G DEB -B "$out/cpack" > "$out/cpack.log" 2>&1) || {
  cat "$out/cpack.log"; exit 1; }
mv "$out"/cpack/*.deb "$out/"
ls -1 "$out"/*.deb
for deb in "$out"/*.deb; do
  echo "== $(basename "$deb")"
  dpkg-deb -f "$deb" Package Depends
done

# 2. A clean Debian 12 root: debootstrap once (cached), a fresh copy for every run.
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
mirror="${mirror:-http://deb.debian.org/debian}"
if [ ! -f "$out/base/.complete" ]; then
  rm -rf "$out/base"
  debootstrap --variant=minbase bookworm "$out/base" "$mirror" > "$out/debootstrap.log" 2>&1 || {
    tail -20 "$out/debootstrap.log"; exit 1; }
  touch "$out/base/.complete"
fi
root="$out/root"
cleanup() {
  for m in proc dev/pts dev; do umount "$root/$m" 2> /dev/null || true; done
}
trap cleanup EXIT
cleanup
rm -rf "$root"
cp -a "$out/base" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2> /dev/null || true
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mkdir -p "$root/pkgs" "$root/src/examples"
cp "$out"/*.deb "$root/pkgs/"
cp -a examples/integrator examples/data "$root/src/examples/"

# 3. Install with apt (it pulls each package's dependencies from the archive) and use it.
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
  DEBIAN_FRONTEND=noninteractive /bin/bash -euo pipefail -c '
apt-get update -qq
apt-get install -y -qq --no-install-recommends /pkgs/*.deb g++ cmake ninja-build > /tmp/apt.log ||
  { tail -30 /tmp/apt.log; exit 1; }
echo "installed: $(dpkg-query -W -f="\${Package} \${Version}\n" libfengqiao0 libfengqiao-dev python3-fengqiao fengqiao-tools | tr "\n" " ")"
cd /src/examples
# An integrator with CMake: find_package(fengqiao) from /usr, no hints.
cmake -S integrator -B /tmp/integrator -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build /tmp/integrator > /dev/null
# (Output to a file, then grep: `grep -q` in a pipe under pipefail would fail on SIGPIPE.)
/tmp/integrator/dispatch_intake /src/examples/data > /tmp/out.txt
grep -q "incident 12345-2026-11-25-0001 in grid" /tmp/out.txt
echo "find_package consumer: compiled and ran"
# The same program with pkg-config only.
c++ -std=c++20 -o /tmp/dispatch_intake_pc integrator/dispatch_intake.cc $(pkg-config --cflags --libs fengqiao)
/tmp/dispatch_intake_pc /src/examples/data > /tmp/out.txt
grep -q "incident 12345-2026-11-25-0001 in grid" /tmp/out.txt
echo "pkg-config consumer: compiled and ran"
# The command, on the sample district.
fengqiao version
fengqiao district /src/examples/data --db /tmp/cases.db > /tmp/out.txt
grep -q "cases, .* events saved" /tmp/out.txt
fengqiao rules check /src/examples/data/rules/district.textproto /src/examples/data/grid_map.textproto
echo "fengqiao-tools: ran the main job"
# Python: Debian python3, no PYTHONPATH.
cd /tmp && python3 -c "
import fengqiao
assert fengqiao.__file__.startswith(\"/usr/lib/python3/dist-packages/\"), fengqiao.__file__
m = fengqiao.load_grid_map(\"/src/examples/data/grid_map.textproto\")
from fengqiao.v1 import taxonomy_pb2
print(\"python3-fengqiao: imported\", fengqiao.__file__)
"
'
echo "package test: ok"
