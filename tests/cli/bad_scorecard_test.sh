#!/usr/bin/env bash
# The main job refuses a district whose scorecard policy is bad, naming file:line:col, before it
# simulates the month: a NaN weight, invalid UTF-8, an unknown indicator number, a wrong type.
#   bad_scorecard_test.sh FENGQIAO_CLI SOURCE_DIR
set -uo pipefail
cli=$1
data=$2/examples/data
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for f in "$data"/*; do ln -s "$f" "$dir/"; done
rm "$dir/scorecard.textproto"
check() {
  printf '%b' "$1" > "$dir/scorecard.textproto"
  out=$("$cli" district "$dir" 2>&1)
  code=$?
  if [ "$code" -ne 1 ] || ! grep -Eq "$2" <<< "$out"; then
    echo "FAIL: exit $code for policy $1; expected /$2/; got:"; echo "$out" | tail -3; exit 1
  fi
}
check 'indicators { indicator: SCORECARD_INDICATOR_SATISFACTION weight: nan }\n' \
  'scorecard.textproto:1:[0-9]+: indicators\[0\]\.weight is not a finite number'
check 'sources: "\xe6\xa6"\n' 'scorecard.textproto:1:[0-9]+'
check 'indicators { indicator: 99 weight: 1 }\n' 'scorecard.textproto:1:[0-9]+'
check 'min_orders: "five"\n' 'scorecard.textproto:1:[0-9]+'
check 'red_list_size: 1000\n' 'scorecard.textproto:1:1: red_list_size is 1000'
echo "bad scorecard policies: ok"
