#!/usr/bin/env bash
# `fengqiao catalogue check` prints compiler-style diagnostics of a responsibility catalogue on
# stderr, errors first, exits 1 on errors (or warnings with --Werror) and 0 when clean;
# --format=json prints one finding per line on stdout.
#   catalogue_check_test.sh FENGQIAO_BINARY SOURCE_DIR
set -uo pipefail
bin="$1"
src="$2"
bad="$src/tests/data/bad_catalogue"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The sample district's catalogue is clean.
"$bin" catalogue check "$src/examples/data/catalogue.textproto" --Werror 2> "$tmp/err" ||
  fail "the sample catalogue: $(cat "$tmp/err")"
grep -qE 'catalogue.textproto: [0-9]+ items, 0 errors, 0 warnings' "$tmp/err" ||
  fail "sample summary: $(cat "$tmp/err")"

# Errors and warnings: errors first, located, exit 1, nothing on stdout.
"$bin" catalogue check "$bad/broken.textproto" > "$tmp/out" 2> "$tmp/err"
code=$?
cat "$tmp/err"
[ "$code" -eq 1 ] || fail "expected exit 1 on errors, got $code"
[ ! -s "$tmp/out" ] || fail "diagnostics went to stdout"
for want in \
  'broken.textproto:10:13: error: rule "01.01.001": item code "01.01.001" is already used at ' \
  'broken.textproto:9:13 [duplicate-code]' \
  'broken.textproto:11:5: error: rule "01.01.003": item "01.01.003" names no owning department [no-owner]' \
  'broken.textproto:9:' \
  '[duty-pushed-down]' \
  '0 items, 2 errors, 1 warning'; do
  grep -qF "$want" "$tmp/err" || fail "missing: $want"
done
first_warning=$(grep -n ': warning: ' "$tmp/err" | head -1 | cut -d: -f1)
last_error=$(grep -n ': error: ' "$tmp/err" | tail -1 | cut -d: -f1)
[ "$last_error" -lt "$first_warning" ] || fail "an error is printed after a warning"

# Warnings only: exit 0, unless --Werror.
"$bin" catalogue check "$bad/pushed_down.textproto" 2> "$tmp/err" || fail "warnings alone must exit 0"
[ "$(grep -c 'duty-pushed-down' "$tmp/err")" -eq 2 ] || fail "want 2 duty-pushed-down: $(cat "$tmp/err")"
grep -qF '2 items, 0 errors, 2 warnings' "$tmp/err" || fail "pushed_down summary: $(cat "$tmp/err")"
"$bin" catalogue check "$bad/pushed_down.textproto" --Werror 2> /dev/null
[ $? -eq 1 ] || fail "--Werror with warnings must exit 1"

# An unknown department number: a load error where it stands.
"$bin" catalogue check "$bad/unknown_department.textproto" 2> "$tmp/err"
[ $? -eq 1 ] || fail "unknown department must exit 1"
grep -qF 'unknown_department.textproto:5:' "$tmp/err" && grep -qF '42' "$tmp/err" &&
  grep -qF '[load]' "$tmp/err" || fail "unknown department: $(cat "$tmp/err")"

# JSON: one finding per line on stdout, errors first; rule_id holds the item's code.
"$bin" catalogue check "$bad/broken.textproto" --format=json > "$tmp/out" 2> "$tmp/err"
[ $? -eq 1 ] || fail "--format=json: want exit 1"
[ ! -s "$tmp/err" ] || fail "--format=json wrote to stderr"
/usr/bin/python3 - "$tmp/out" <<'PY' || exit 1
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
assert [r["severity"] for r in rows] == ["error", "error", "warning"], rows
assert rows[0]["rule_id"] == "01.01.001" and rows[0]["code"] == "duplicate-code", rows[0]
assert rows[2]["code"] == "duty-pushed-down", rows[2]
PY

# Input errors: a missing file, a directory.
"$bin" catalogue check /nope.textproto 2> "$tmp/err"
[ $? -eq 1 ] && grep -qF '/nope.textproto: no such file' "$tmp/err" || fail "missing file"
"$bin" catalogue check "$bad" 2> "$tmp/err"
[ $? -eq 1 ] && grep -qF 'is a directory, not a file' "$tmp/err" || fail "directory"
# `fengqiao route --catalogue`: the department of a non-police matter comes from its item, and
# the decision names it; a code no item has falls back, and the decision says so.
rules="$src/examples/data/rules/district.textproto"
map="$src/examples/data/grid_map.textproto"
printf '%s\n' \
  '{"id":"c1","reported_at":"2026-10-14T02:00:00Z","channel":"CHANNEL_HOTLINE_12345","kind":"INCIDENT_KIND_NON_POLICE","grid_code":"xc-lc-c1-g1","responsible_department":"DEPARTMENT_TOBACCO","matter_code":"05.01.001"}' \
  '{"id":"c2","reported_at":"2026-10-14T02:00:00Z","channel":"CHANNEL_HOTLINE_12345","kind":"INCIDENT_KIND_NON_POLICE","grid_code":"xc-lc-c1-g1","matter_code":"99.99.999"}' \
  > "$tmp/in.jsonl"
"$bin" route "$rules" "$map" --catalogue="$src/examples/data/catalogue.textproto" \
  < "$tmp/in.jsonl" > "$tmp/out" 2> "$tmp/err" || fail "route --catalogue: $(cat "$tmp/err")"
/usr/bin/python3 - "$tmp/out" <<'PY' || exit 1
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
assert rows[0]["action"]["department"] == "DEPARTMENT_ENVIRONMENT", rows[0]
assert rows[0]["catalogue"]["item_code"] == "05.01.001", rows[0]
assert rows[0]["catalogue"]["catalogue_version"] == "2026.1", rows[0]
assert rows[1]["catalogue"]["fallback"] is True, rows[1]
assert rows[1]["action"]["department"] == "DEPARTMENT_COMMUNITY", rows[1]
PY
"$bin" route "$rules" "$map" --catalogue="$bad/broken.textproto" < "$tmp/in.jsonl" 2> "$tmp/err"
[ $? -eq 1 ] && grep -qF '[duplicate-code]' "$tmp/err" || fail "route with a broken catalogue"
echo "catalogue check: ok"
