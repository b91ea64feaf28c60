#!/usr/bin/env bash
# The command line as an operator meets it: help on stdout with exit 0, the version, usage errors
# with exit 64 and a message on stderr, bad paths with a clear error and exit 1, never an abort.
#   cli_test.sh FENGQIAO_BINARY SOURCE_DIR
set -uo pipefail
bin="$1"
src="$2"
data="$src/examples/data"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect CODE STDOUT_PATTERN STDERR_PATTERN ARGS...: runs the binary, checks the exit code and
# that stdout / stderr match the extended regular expressions ("" means: must be empty).
expect() {
  local want_code="$1" want_out="$2" want_err="$3"
  shift 3
  "$bin" "$@" > "$tmp/out" 2> "$tmp/err"
  local code=$?
  local ok=1
  [ "$code" -eq "$want_code" ] || { echo "FAIL fengqiao $*: exit $code, want $want_code"; ok=0; }
  for stream in out err; do
    local want
    if [ "$stream" = out ]; then want="$want_out"; else want="$want_err"; fi
    if [ -z "$want" ]; then
      [ ! -s "$tmp/$stream" ] || { echo "FAIL fengqiao $*: std$stream not empty"; ok=0; }
    else
      grep -qE -- "$want" "$tmp/$stream" || { echo "FAIL fengqiao $*: std$stream lacks /$want/"; ok=0; }
    fi
  done
  if [ "$ok" -eq 0 ]; then
    sed 's/^/  stdout: /' "$tmp/out" | head -5
    sed 's/^/  stderr: /' "$tmp/err" | head -5
    failures=$((failures + 1))
  fi
}

# Help: the tool's, on stdout, exit 0, three ways; it lists every command and the exit codes.
for h in --help -h help; do
  expect 0 "usage: fengqiao COMMAND" "" "$h"
done
"$bin" --help > "$tmp/help"
for want in "district DIR" "rules check RULES" "metrics CASES.db GRID_MAP" \
            "locate GRID_MAP LAT LNG" "version" "exit codes: 0 ok" "64 usage error"; do
  grep -qF -- "$want" "$tmp/help" || { echo "FAIL --help lacks '$want'"; failures=$((failures + 1)); }
done
# Each command's help, as `COMMAND --help`, `COMMAND -h` and `help COMMAND`.
expect 0 "usage: fengqiao district DIR \[--db=CASES.db\]" "" district --help
expect 0 "--db=CASES.db" "" district -h
expect 0 "usage: fengqiao district DIR" "" help district
expect 0 "usage: fengqiao rules check RULES \[GRID_MAP\]" "" rules check --help
expect 0 "usage: fengqiao rules check" "" help rules check
expect 0 "usage: fengqiao metrics CASES.db GRID_MAP \[DIMS\]" "" metrics --help
expect 0 "usage: fengqiao locate GRID_MAP LAT LNG" "" locate --help
expect 0 "usage: fengqiao version" "" version --help
# Help wins over missing arguments and runs nothing.
expect 0 "usage: fengqiao district" "" district /nope --help

# The version, two ways.
part() { sed -n "s/^#define FENGQIAO_VERSION_$1 \\([0-9]*\\).*/\\1/p" "$src/include/fengqiao/version.h"; }
version="$(part MAJOR).$(part MINOR).$(part PATCH)"
expect 0 "^[0-9]+\.[0-9]+\.[0-9]+$" "" --version
expect 0 "^[0-9]+\.[0-9]+\.[0-9]+$" "" version
[ "$("$bin" --version)" = "$version" ] || { echo "FAIL --version is not $version"; failures=$((failures + 1)); }

# Usage errors: exit 64, a message naming what is wrong, the usage, nothing on stdout.
expect 64 "" "no command given"
expect 64 "" "unknown command \"frobnicate\"" frobnicate
expect 64 "" "unknown command \"rules frob\"" rules frob
expect 64 "" "no command \"frobnicate\"" help frobnicate
expect 64 "" "district: unknown flag --frob .*--db" district "$data" --frob
expect 64 "" "version: unknown flag --db" version --db=x.db
expect 64 "" "district: --db needs a value" district "$data" --db
expect 64 "" "district: missing argument DIR" district
expect 64 "" "rules check: missing argument RULES" rules check
expect 64 "" "metrics: missing argument GRID_MAP" metrics cases.db
expect 64 "" "locate: missing argument LNG" locate "$data/grid_map.textproto" 29.93
expect 64 "" "locate: unexpected argument \"3\"" locate "$data/grid_map.textproto" 1 2 3 4
expect 64 "" "usage: fengqiao district DIR" district a b

# Flags: `--db PATH` and `--db=PATH` both work; negative numbers are arguments, not flags.
expect 0 "[0-9]+ cases, [0-9]+ events saved to $tmp/a.db" "" district "$data" --db "$tmp/a.db"
expect 2 "outside every grid" "" locate "$data/grid_map.textproto" -- -33.9 -70.6
expect 2 "outside every grid" "" locate "$data/grid_map.textproto" -33.9 -70.6

# Machine-readable metrics: --format=json prints one protobuf-JSON MetricsReport per sheet
# (overall, then street x category) whose groups add up to the overall counts.
expect 0 '^\{"title":' "" metrics "$tmp/a.db" "$data/grid_map.textproto" street,category --format=json
/usr/bin/python3 - "$tmp/out" <<'PY' || failures=$((failures + 1))
import json, sys
sheets = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
if len(sheets) != 2:
    sys.exit(f"FAIL metrics --format=json: {len(sheets)} lines, want 2")
overall, grouped = sheets
if len(overall["groups"]) != 1 or len(grouped["groups"]) < 2:
    sys.exit("FAIL metrics --format=json: want 1 overall group and several street x category groups")
if not all(set(g["key"]) == {"street", "category"} for g in grouped["groups"]):
    sys.exit("FAIL metrics --format=json: grouped keys are not street x category")
def denominators(group):
    return {r["name"]: int(r.get("denominator", 0)) for r in group["rates"]}
total = denominators(overall["groups"][0])
for name, want in total.items():
    got = sum(denominators(g).get(name, 0) for g in grouped["groups"])
    if got != want:
        sys.exit(f"FAIL metrics --format=json: {name} denominators add to {got}, overall {want}")
PY
expect 64 "" "--format: .*is not a format \(text, json\)" metrics "$tmp/a.db" "$data/grid_map.textproto" --format=xml
expect 64 "" "district: unknown flag --format" district "$data" --format=json

# Bad paths: a clear error naming the path on stderr, exit 1, no abort (134) and no stdout.
expect 1 "" "/nope: no such directory" district /nope
expect 1 "" "grid_map.textproto: not a directory" district "$data/grid_map.textproto"
expect 1 "" "/nope/map.textproto: cannot open file" locate /nope/map.textproto 1 2
expect 1 "" "$data: is a directory, not a file" locate "$data" 1 2
expect 1 "" "/nope.textproto: no such file" rules check /nope.textproto
expect 1 "" "$data/rules: is a directory, not a file" rules check "$data/rules" "$data/grid_map.textproto"
expect 1 "" "/nope.db: no such case store" metrics /nope.db "$data/grid_map.textproto"
expect 1 "" "a directory, not a case store" metrics "$data" "$data/grid_map.textproto"
expect 1 "" "is a directory, not a file" metrics "$tmp/a.db" "$data"
mkdir -p "$tmp/empty"
expect 1 "" "empty: no incidents_" district "$tmp/empty"

# Tables line up in a terminal: every "name count share%" row of `district` takes the same
# display width (CJK two columns, counted by Python's unicodedata, not by fmt).
"$bin" district "$data" > "$tmp/district.txt"
/usr/bin/python3 - "$tmp/district.txt" <<'PY' || failures=$((failures + 1))
import re, sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
rows = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
mix = [l for l in rows if re.fullmatch(r"    \S.*\S +\d+ +\d+\.\d%", l)]
wide = [l for l in mix if any(unicodedata.east_asian_width(c) == "W" for c in l)]
widths = sorted(set(width(l) for l in mix))
if len(wide) < 20 or widths != [4 + 34 + 1 + 6 + 2 + 6]:
    sys.exit(f"FAIL table rows: {len(wide)} with CJK of {len(mix)}, display widths {widths}")
PY

if [ "$failures" -ne 0 ]; then
  echo "$failures CLI check(s) failed"
  exit 1
fi
echo "cli: ok"
