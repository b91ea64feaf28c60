#!/usr/bin/env bash
# ctest `rule_table_engines`: fengqiao's exported rule tables evaluated by engines that are not
# fengqiao's (GoRules ZEN for JDM; dmn-moddle + feelin for DMN 1.3, from npm), every decision on
# generated incidents compared with fengqiao's own. Installs the npm packages into the build tree
# (once per package.json); without Node.js / npm or without the npm registry the test is skipped
# (exit 77) and says why.
#   run_engines.sh SOURCE_DIR BUILD_DIR ENGINE_WORKLOAD_BINARY [INCIDENTS]
set -uo pipefail
src=$1
work=$2/engines
workload=$3
incidents=${4:-100000}
here=$src/tests/interop/engines
skip() {
  echo "SKIPPED: $*"
  exit 77
}
command -v node > /dev/null || skip "Node.js is not installed (scripts/install-deps.sh installs it from Debian)"
command -v npm > /dev/null || skip "npm is not installed (scripts/install-deps.sh installs it from Debian)"
mkdir -p "$work"
if ! cmp -s "$here/package.json" "$work/installed-package.json"; then
  rm -rf "$work/node_modules" "$work/installed-package.json"
  cp "$here/package.json" "$work/package.json"
  if ! (cd "$work" && timeout 300 npm install --no-audit --no-fund --no-package-lock \
          > npm-install.log 2>&1); then
    rm -rf "$work/node_modules"
    skip "npm install failed, the npm registry is probably unreachable: $(tail -n 1 "$work/npm-install.log")"
  fi
  cp "$here/package.json" "$work/installed-package.json"
fi
cp "$here/check_engines.mjs" "$work/"
"$workload" "$src" "$work" "$incidents" || exit 1
node "$work/check_engines.mjs" "$work"
