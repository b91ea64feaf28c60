#!/usr/bin/env bash
# `fengqiao rules check` prints compiler-style diagnostics on stderr, errors first, and exits 1 on
# errors (or on warnings with --Werror), 0 when clean; --quiet keeps errors only; --format=json
# prints one finding per line on stdout.
#   rules_check_test.sh FENGQIAO_BINARY SOURCE_DIR
set -uo pipefail
bin="$1"
src="$2"
map="$src/examples/data/grid_map.textproto"
broken="$src/tests/data/bad_rules/broken.textproto"
gap="$src/tests/data/bad_rules/gap.textproto"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Text: diagnostics on stderr, nothing on stdout, exit 1 on errors.
"$bin" rules check "$broken" "$map" > "$tmp/out" 2> "$tmp/err"
code=$?
cat "$tmp/err"
[ "$code" -eq 1 ] || fail "expected exit 1 on errors, got $code"
[ ! -s "$tmp/out" ] || fail "diagnostics went to stdout"
for want in \
  'broken.textproto:11:44: error: rule "noise-small": when.amount_fen is inverted' \
  'broken.textproto:14:1: error: rule "noise-in-street": can never fire: rule "all-disputes"' \
  'broken.textproto:21:10: error: rule "somewhere": area "xc-nowhere" is not in grid map' \
  'warning: no rule is sure to catch' \
  '3 errors'; do
  grep -qF "$want" "$tmp/err" || fail "missing: $want"
done
# Errors first: no error line after the first warning line.
first_warning=$(grep -n ': warning: ' "$tmp/err" | head -1 | cut -d: -f1)
last_error=$(grep -n ': error: ' "$tmp/err" | tail -1 | cut -d: -f1)
[ -n "$first_warning" ] && [ "$last_error" -lt "$first_warning" ] ||
  fail "an error is printed after a warning (last error line $last_error, first warning $first_warning)"

# --quiet: the errors only, no warnings, no summary; the exit code is unchanged.
"$bin" rules check "$broken" "$map" --quiet > "$tmp/out" 2> "$tmp/err"
code=$?
[ "$code" -eq 1 ] || fail "--quiet changed the exit code to $code"
[ "$(grep -c ': error: ' "$tmp/err")" -eq 3 ] || fail "--quiet: want the 3 errors"
[ "$(wc -l < "$tmp/err")" -eq 3 ] || fail "--quiet printed more than the errors: $(cat "$tmp/err")"

# A rule set with warnings only: exit 0, unless --Werror makes them errors.
"$bin" rules check "$gap" "$map" > /dev/null 2> "$tmp/err" || fail "warnings alone must exit 0"
grep -qF '0 errors' "$tmp/err" || fail "gap: want a summary with 0 errors"
"$bin" rules check "$gap" "$map" --Werror > /dev/null 2> "$tmp/err"
code=$?
[ "$code" -eq 1 ] || fail "--Werror with warnings: exit $code, want 1"
grep -qF -- '--Werror' "$tmp/err" || fail "--Werror: the summary should say why it failed"
"$bin" rules check "$gap" "$map" --Werror --quiet > "$tmp/out" 2> "$tmp/err"
code=$?
[ "$code" -eq 1 ] && [ ! -s "$tmp/err" ] && [ ! -s "$tmp/out" ] ||
  fail "--Werror --quiet: want exit 1 and silence, got $code"

# JSON: one object per finding on stdout, errors first, keys as documented, stderr empty.
"$bin" rules check "$broken" "$map" --format=json > "$tmp/out" 2> "$tmp/err"
code=$?
[ "$code" -eq 1 ] || fail "--format=json: exit $code, want 1"
[ ! -s "$tmp/err" ] || fail "--format=json wrote to stderr: $(cat "$tmp/err")"
/usr/bin/python3 - "$tmp/out" <<'PY' || exit 1
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
sev = [l["severity"] for l in lines]
assert sev.count("error") == 3, sev
assert sev == sorted(sev), f"errors must come first: {sev}"
assert all(list(l)[:2] == ["severity", "where"] and list(l)[-2:] == ["code", "message"]
           for l in lines), lines[0]
shadowed = [l for l in lines if l["code"] == "shadowed"]
assert len(shadowed) == 1 and shadowed[0]["rule_id"] == "noise-in-street", shadowed
assert shadowed[0]["where"].endswith("broken.textproto:14:1"), shadowed[0]["where"]
PY
# CSV: a header, then the same findings as JSON, in the same order, on stdout.
"$bin" rules check "$broken" "$map" --format=json > "$tmp/json" 2> /dev/null
"$bin" rules check "$broken" "$map" --format=csv > "$tmp/out" 2> "$tmp/err"
[ $? -eq 1 ] || fail "--format=csv: want exit 1"
[ ! -s "$tmp/err" ] || fail "--format=csv wrote to stderr: $(cat "$tmp/err")"
/usr/bin/python3 - "$tmp/out" "$tmp/json" <<'PY' || exit 1
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
want = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert [dict(r) for r in rows] == [{k: l.get(k, "") for k in
                                    ("severity", "where", "rule_id", "code", "message")}
                                   for l in want], (rows[:2], want[:2])
PY
# A file that does not parse: one located "load" finding, in both formats.
printf 'name: "x"\nrules { id: 3 }\n' > "$tmp/unparsable.textproto"
"$bin" rules check "$tmp/unparsable.textproto" "$map" --format=json > "$tmp/out" 2> /dev/null
[ $? -eq 1 ] || fail "an unparsable file must exit 1"
grep -qE '^\{"severity":"error","where":"[^"]*unparsable.textproto:2:[0-9]+","code":"load"' "$tmp/out" ||
  fail "unparsable: want a located load finding, got $(cat "$tmp/out")"
"$bin" rules check "$tmp/unparsable.textproto" "$map" 2> "$tmp/err" > /dev/null
grep -qE 'unparsable.textproto:2:[0-9]+: error: .*\[load\]' "$tmp/err" ||
  fail "unparsable: want a compiler-style load error, got $(cat "$tmp/err")"

"$bin" rules check "$src/examples/data/rules/district.textproto" 2> /dev/null ||
  fail "the sample district's rules should check clean"
echo "rules check: ok"
