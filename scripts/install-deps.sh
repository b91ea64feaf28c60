#!/usr/bin/env bash
# Installs every Debian package fengqiao needs to build, test and run, and nothing twice.
# Idempotent: when every package is already present it does no network access and returns at once.
set -euo pipefail

# libhyperscan-dev (Intel's Hyperscan 5.4, amd64) and not libvectorscan-dev (the same libhs API;
# the two conflict): Debian's Vectorscan 5.4.9 misses literals past byte 63 of a buffer on
# AVX-512 machines (bench/RESULTS.md, "scanning engines").
PACKAGES=(
  cmake ninja-build g++ pkgconf git
  libabsl-dev libprotobuf-dev protobuf-compiler
  pybind11-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev
  libs2-dev libre2-dev libhyperscan-dev libsqlite3-dev libsodium-dev libopencc-dev libopencc-data libexpat1-dev
  python3 python3-dev python3-pytest python3-protobuf python3-pandas python3-numpy
  python3-hypothesis python3-dask python3-distributed python3-matplotlib python3-scipy
  tzdata fonts-wqy-microhei
  chromium
)

# `install-deps.sh --packaging`: also what scripts/package.sh needs (dpkg-shlibdeps for CPack's
# dependencies, debootstrap for the clean Debian root the packages are installed in).
if [ "${1:-}" = "--packaging" ]; then
  PACKAGES+=(dpkg-dev debootstrap)
fi
# `install-deps.sh --fuzz`: clang and its libFuzzer / sanitizer runtimes for scripts/fuzz.sh.
if [ "${1:-}" = "--fuzz" ]; then
  PACKAGES+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js and npm for the rule-table engine test (tests/interop/engines), from Debian unless a
# node and an npm are already on the PATH; best effort: without them that test is skipped and
# says why (it installs its npm packages itself, or skips when the registry is unreachable).
node_missing=0
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  node_missing=1
fi

install_node() {
  if [ "$node_missing" -eq 1 ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y nodejs npm ||
      echo "fengqiao: Node.js / npm not installed; the rule-table engine test will be skipped"
  fi
}

if [ "${#missing[@]}" -eq 0 ] && [ "$node_missing" -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update || [ "${#missing[@]}" -eq 0 ]
if [ "${#missing[@]}" -gt 0 ]; then
  echo "fengqiao: installing ${#missing[@]} missing package(s): ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
fi
install_node
