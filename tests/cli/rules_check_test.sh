#!/usr/bin/env bash
# `fengqiao rules check` prints compiler-style diagnostics and exits 1 on errors, 0 when clean.
#   rules_check_test.sh FENGQIAO_BINARY SOURCE_DIR
set -uo pipefail
bin="$1"
src="$2"
out=$("$bin" rules check "$src/tests/data/bad_rules/broken.textproto" \
        "$src/examples/data/grid_map.textproto")
code=$?
echo "$out"
[ "$code" -eq 1 ] || { echo "expected exit 1 on errors, got $code"; exit 1; }
for want in \
  'broken.textproto:11:44: error: rule "noise-small": when.amount_fen is inverted' \
  'broken.textproto:14:1: error: rule "noise-in-street": can never fire: rule "all-disputes"' \
  'broken.textproto:21:10: error: rule "somewhere": area "xc-nowhere" is not in grid map' \
  'warning: no rule is sure to catch' \
  '3 errors'; do
  grep -qF "$want" <<< "$out" || { echo "missing: $want"; exit 1; }
done
"$bin" rules check "$src/examples/data/rules/district.textproto" > /dev/null || {
  echo "the sample district's rules should check clean"; exit 1; }
echo "rules check: ok"
