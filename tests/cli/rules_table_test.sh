#!/usr/bin/env bash
# `fengqiao rules export` writes the sample rules as a GoRules JDM or DMN 1.3 decision table;
# `fengqiao rules import` reads it back as text format that `rules check` accepts with the same
# rules; a table that does not map, a malformed or non-UTF-8 file, a missing file and a bad
# --format / --from are refused with a located message and the documented exit code.
#   rules_table_test.sh FENGQIAO_BINARY SOURCE_DIR
set -uo pipefail
bin="$1"
src="$2"
map="$src/examples/data/grid_map.textproto"
rules="$src/examples/data/rules/street_qd.textproto"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$bin" rules export "$rules" "$map" --format=jdm > "$tmp/t.json" || fail "export jdm"
"$bin" rules export "$rules" "$map" --format=dmn > "$tmp/t.dmn" || fail "export dmn"
grep -q '"type": "decisionTableNode"' "$tmp/t.json" || fail "no decision table node"
grep -q 'hitPolicy="FIRST"' "$tmp/t.dmn" || fail "no FIRST hit policy"
grep -qF '<text>list contains(?, &quot;xc-qd&quot;)</text>' "$tmp/t.dmn" || fail "no area unary test"
mkdir -p "$tmp/rules"
for f in json dmn; do
  "$bin" rules import "$tmp/t.$f" > "$tmp/rules/back_$f.textproto" || fail "import $f"
  grep -q 'id: "maritime-labour"' "$tmp/rules/back_$f.textproto" || fail "$f: rule missing"
  "$bin" rules check "$tmp/rules/back_$f.textproto" "$map" --quiet || fail "$f: does not check"
done
cmp -s "$tmp/rules/back_json.textproto" "$tmp/rules/back_dmn.textproto" ||
  fail "the JDM and DMN round trips differ"
"$bin" rules import "$tmp/t.dmn" --from=dmn > /dev/null || fail "--from=dmn"

# Refusals: exit 1 with file:line:col, row, column and expression.
sed "0,/'dispute'/s//\$ != 'dispute'/" "$tmp/t.json" > "$tmp/bad.json"
"$bin" rules import "$tmp/bad.json" > "$tmp/out" 2> "$tmp/err"
code=$?
cat "$tmp/err"
[ "$code" -eq 1 ] || fail "expected exit 1 for an expression outside the subset, got $code"
[ ! -s "$tmp/out" ] || fail "wrote a rule set for a refused table"
grep -qE 'bad\.json:[0-9]+:[0-9]+: row [0-9]+ \(rule "[^"]+"\), column "kind": cannot express "\$ != .dispute."' \
  "$tmp/err" || fail "refusal not located"
printf '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"><decision>' > "$tmp/cut.dmn"
"$bin" rules import "$tmp/cut.dmn" 2> "$tmp/err" > /dev/null
[ $? -eq 1 ] && grep -qE 'cut\.dmn:1:[0-9]+: XML error' "$tmp/err" || fail "malformed XML"
printf '{"nodes": [\xff]}' > "$tmp/utf8.json"
"$bin" rules import "$tmp/utf8.json" 2> "$tmp/err" > /dev/null
[ $? -eq 1 ] && grep -q 'utf8.json:1:' "$tmp/err" || fail "invalid UTF-8"
"$bin" rules import "$tmp/missing.dmn" 2> "$tmp/err" > /dev/null
[ $? -eq 1 ] || fail "missing file"
"$bin" rules import "$tmp/t.json" --from=bpmn 2> "$tmp/err" > /dev/null
[ $? -eq 64 ] && grep -q 'expected jdm' "$tmp/err" || fail "--from=bpmn is a usage error"
"$bin" rules export "$rules" "$map" --format=csv 2> "$tmp/err" > /dev/null
[ $? -eq 64 ] || fail "--format=csv is a usage error for export"
cp "$tmp/t.json" "$tmp/t.table"
"$bin" rules import "$tmp/t.table" 2> "$tmp/err" > /dev/null
[ $? -eq 64 ] || fail "an unknown extension without --from is a usage error"
"$bin" rules export "$tmp/missing.textproto" "$map" 2> /dev/null > /dev/null
[ $? -eq 1 ] || fail "missing rules file"
echo "rules export/import: ok"
