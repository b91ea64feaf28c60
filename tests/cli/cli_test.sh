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
            "locate GRID_MAP LAT LNG" "route RULES GRID_MAP" "brief daily|weekly|monthly" "alert [--rules=DIR]" "version" "exit codes: 0 ok" "64 usage error"; do
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

# An encrypted store: the key from a chmod-600 file (--db_key_file) or FENGQIAO_STORE_KEY, never
# the command line; the file holds no phone number of the sample; without the key, or with
# another, the error says so and names no value.
key="$tmp/store.key"
printf '%s\n' 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff > "$key"
chmod 600 "$key"
expect 0 "[0-9]+ cases, [0-9]+ events saved to $tmp/enc.db" "" district "$data" --db "$tmp/enc.db" --db_key_file "$key"
phone=$(grep -oE '1[3-9][0-9]{9}' "$data/incidents_2026-10.json" | head -1)
if cat "$tmp/enc.db" "$tmp/enc.db-wal" 2> /dev/null | grep -aq "$phone"; then
  echo "FAIL encrypted store: a phone number in clear in the file"; failures=$((failures + 1))
fi
expect 0 "street x category" "" metrics "$tmp/enc.db" "$data/grid_map.textproto" street,category --db_key_file "$key"
FENGQIAO_STORE_KEY=$(cat "$key") expect 0 "street x category" "" metrics "$tmp/enc.db" "$data/grid_map.textproto" street,category
expect 1 "" "is encrypted; open it with its key" metrics "$tmp/enc.db" "$data/grid_map.textproto" street,category
FENGQIAO_STORE_KEY=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100 \
  expect 1 "" "does not open this store \(a wrong key\)" metrics "$tmp/enc.db" "$data/grid_map.textproto" street,category
chmod 644 "$key"
expect 1 "" "chmod 600" metrics "$tmp/enc.db" "$data/grid_map.textproto" street,category --db_key_file "$key"
chmod 600 "$key"
expect 0 '"service_request_id"' "" open311 from-cases "$tmp/enc.db" --db_key_file "$key"

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
# CSV: one table, a row per group of each sheet, the same figures as the JSON sheets.
"$bin" metrics "$tmp/a.db" "$data/grid_map.textproto" street,category --format=json > "$tmp/json"
expect 0 '^sheet,street,category,arrival_within_8min,' "" metrics "$tmp/a.db" "$data/grid_map.textproto" street,category --format=csv
/usr/bin/python3 - "$tmp/out" "$tmp/json" <<'PY' || failures=$((failures + 1))
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
sheets = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
groups = [(s, g) for s in sheets for g in s["groups"]]
if len(rows) != len(groups):
    sys.exit(f"FAIL metrics --format=csv: {len(rows)} rows, want {len(groups)}")
for row, (sheet, group) in zip(rows, groups):
    want_sheet = "x".join(sheet.get("group_by", [])) or "overall"
    if row["sheet"] != want_sheet or any(row[k] != v for k, v in group.get("key", {}).items()):
        sys.exit(f"FAIL metrics --format=csv: row {row['sheet']} does not match its sheet")
    for r in group["rates"]:
        if int(row[r["name"] + "_den"]) != int(r.get("denominator", 0)):
            sys.exit(f"FAIL metrics --format=csv: {r['name']} denominator differs")
        if "value" in r and abs(float(row[r["name"]]) - r["value"]) > 1e-5:
            sys.exit(f"FAIL metrics --format=csv: {r['name']} value differs")
        if "value" not in r and row[r["name"]] != "":
            sys.exit(f"FAIL metrics --format=csv: {r['name']} has no value but the cell is not empty")
PY
expect 64 "" "--format: .*is not a format \(text, json, csv\)" metrics "$tmp/a.db" "$data/grid_map.textproto" --format=xml
expect 64 "" "district: unknown flag --format" district "$data" --format=json

# Routing through the command: protobuf JSON Lines in, one Decision per line out, in order; the
# same incidents give the same decisions as the library's main job (rule ids checked against the
# rule set); a bad line is reported with its number, never its values, and skipped.
rules="$data/rules/district.textproto"
/usr/bin/python3 - "$data/incidents_2026-10.json" > "$tmp/in.jsonl" <<'PY'
import json, sys
for incident in json.load(open(sys.argv[1], encoding="utf-8"))["incidents"][:300]:
    print(json.dumps(incident, ensure_ascii=False))
PY
expect 0 '^\{"incident_id":"2026-10-000001","rule_id":' "" route "$rules" "$data/grid_map.textproto" < "$tmp/in.jsonl"
/usr/bin/python3 - "$tmp/in.jsonl" "$tmp/out" "$rules" <<'PY' || failures=$((failures + 1))
import json, re, sys
incidents = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
decisions = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
rule_ids = set(re.findall(r'^\s*id: "([^"]+)"', open(sys.argv[3], encoding="utf-8").read(), re.M))
if [d["incident_id"] for d in decisions] != [i["id"] for i in incidents]:
    sys.exit("FAIL route: decisions are not one per incident in input order")
unknown = {d.get("rule_id") for d in decisions} - rule_ids
if unknown:
    sys.exit(f"FAIL route: rule ids not in the rule set: {unknown}")
if len({d["rule_set_hash"] for d in decisions}) != 1:
    sys.exit("FAIL route: one run, one rule set hash")
PY
# Progress: on a terminal's stderr only (script(1) gives the command a terminal), never in a
# pipe or file (every other check here wants stderr empty), and not with FENGQIAO_NO_PROGRESS.
script -qec "'$bin' route '$rules' '$data/grid_map.textproto' < '$tmp/in.jsonl' > /dev/null" /dev/null > "$tmp/tty" 2>&1
grep -q "incidents routed: [0-9]" "$tmp/tty" || { echo "FAIL route: no progress on a terminal"; failures=$((failures + 1)); }
FENGQIAO_NO_PROGRESS=1 script -qec "'$bin' route '$rules' '$data/grid_map.textproto' < '$tmp/in.jsonl' > /dev/null" /dev/null > "$tmp/tty" 2>&1
! grep -q "incidents routed" "$tmp/tty" || { echo "FAIL route: progress despite FENGQIAO_NO_PROGRESS"; failures=$((failures + 1)); }
expect 0 '^\{"decision":\{"incident_id":"2026-10-000001".*"rules":\[' "" route "$rules" "$data/grid_map.textproto" --explain < <(head -1 "$tmp/in.jsonl")
# Without a roster every capacity test fails (simple disputes pass the full-time mediators by);
# with --roster the team's shifts and free slots at each report time decide, as in the main job.
"$bin" route "$rules" "$data/grid_map.textproto" < "$tmp/in.jsonl" | grep -c capacity_diversions > "$tmp/without"
"$bin" route "$rules" "$data/grid_map.textproto" --roster="$data/roster.textproto" < "$tmp/in.jsonl" |
  grep -c capacity_diversions > "$tmp/with" || true
if [ "$(cat "$tmp/with")" -ge "$(cat "$tmp/without")" ]; then
  echo "FAIL route --roster: $(cat "$tmp/with") capacity diversions with the roster, $(cat "$tmp/without") without"
  failures=$((failures + 1))
fi
# Bad lines, one per class: unknown key, wrong type (a phone number as a name), not JSON,
# invalid UTF-8, a JSON array, a phone number as a key, an unknown grid, a line over the limit;
# the good line after them is still routed; nothing personal is echoed.
{
  echo '{"id":"a","phone":"13912345678"}'
  echo '{"id":"b","parties":[{"name":13912345678}]}'
  echo 'not json 13912345678'
  printf '{"id":"\xff\xfe"}\n'
  echo '[13912345678]'
  echo '{"13912345678":1}'
  echo '{"id":"g","kind":"INCIDENT_KIND_DISPUTE","dispute_type":"DISPUTE_TYPE_NOISE","channel":"CHANNEL_CALL_110","reported_at":"2026-10-01T00:00:00Z","grid_code":"xc-nowhere"}'
  printf '{"id":"long","description":"%s"}\n' "$(head -c 3000 /dev/zero | tr '\0' x)"
  echo '{"id":"k","kind":99,"channel":"CHANNEL_CALL_110","reported_at":"2026-10-01T00:00:00Z","grid_code":"xc-lc-c1-g1"}'
  echo '{"id":"old","kind":"INCIDENT_KIND_TRAFFIC","channel":"CHANNEL_CALL_110","reported_at":"1900-10-01T00:00:00Z","grid_code":"xc-lc-c1-g1"}'
  head -1 "$tmp/in.jsonl"
} > "$tmp/bad.jsonl"
expect 1 '"incident_id":"2026-10-000001"' 'stdin:1: "phone" is not a field' route "$rules" "$data/grid_map.textproto" --max_line_bytes=2048 < "$tmp/bad.jsonl"
for want in 'stdin:2: parties\[0\]\.name: invalid value' 'stdin:3: not valid JSON' 'stdin:4: invalid UTF-8' \
            'stdin:5: expected a JSON object' 'stdin:6: a key that is not a field' 'stdin:7: incident "g": .*grid' \
            'stdin:8: line longer than 2048 bytes' 'stdin:9: incident "k": kind: 99 is not a fengqiao.v1.IncidentKind' \
            'stdin:10: incident "old": reported_at: is outside 2000-01-01' '1 incident routed, 10 lines skipped'; do
  grep -qE -- "$want" "$tmp/err" || { echo "FAIL route bad lines: stderr lacks /$want/"; failures=$((failures + 1)); }
done
if grep -q 13912345678 "$tmp/err"; then echo "FAIL route: a phone number echoed on stderr"; failures=$((failures + 1)); fi
[ "$(wc -l < "$tmp/out")" -eq 1 ] || { echo "FAIL route: want exactly the good line routed"; failures=$((failures + 1)); }
# Endless input without a newline is bounded by --max_line_bytes, not by memory.
expect 1 "" "stdin:1: line longer than 1048576 bytes" route "$rules" "$data/grid_map.textproto" < <(head -c 50000000 /dev/zero)
expect 0 "" "" route "$rules" "$data/grid_map.textproto" < /dev/null
expect 1 "" "/nope.textproto" route /nope.textproto "$data/grid_map.textproto" < /dev/null
expect 64 "" "--max_line_bytes" route "$rules" "$data/grid_map.textproto" --max_line_bytes=lots < /dev/null
# --threads (default: every core) changes nothing the command writes: decisions, explanations,
# bad lines and the metrics sheets are the same on one thread and on three.
{ for i in 1 2 3 4 5 6 7 8 9 10; do cat "$tmp/in.jsonl"; done; cat "$tmp/bad.jsonl"; } > "$tmp/many.jsonl"
for extra in "" --explain; do
  "$bin" route "$rules" "$data/grid_map.textproto" --max_line_bytes=2048 $extra --threads=1 < "$tmp/many.jsonl" > "$tmp/t1.out" 2> "$tmp/t1.err"
  "$bin" route "$rules" "$data/grid_map.textproto" --max_line_bytes=2048 $extra --threads=3 < "$tmp/many.jsonl" > "$tmp/t3.out" 2> "$tmp/t3.err"
  "$bin" route "$rules" "$data/grid_map.textproto" --max_line_bytes=2048 $extra < "$tmp/many.jsonl" > "$tmp/t0.out" 2> "$tmp/t0.err"
  if ! cmp -s "$tmp/t1.out" "$tmp/t3.out" || ! cmp -s "$tmp/t1.err" "$tmp/t3.err" ||
     ! cmp -s "$tmp/t1.out" "$tmp/t0.out" || [ "$(wc -l < "$tmp/t1.out")" -ne 3001 ]; then
    echo "FAIL route $extra --threads: the output depends on the number of threads"; failures=$((failures + 1))
  fi
done
"$bin" metrics "$tmp/a.db" "$data/grid_map.textproto" street,category --format=json --threads=1 > "$tmp/m1"
"$bin" metrics "$tmp/a.db" "$data/grid_map.textproto" street,category --format=json --threads=3 > "$tmp/m3"
# (compared as JSON: a group's key is a protobuf map, printed in no fixed order)
/usr/bin/python3 - "$tmp/m1" "$tmp/m3" <<'PY' || failures=$((failures + 1))
import json, sys
one, three = ([json.loads(l) for l in open(p, encoding="utf-8")] for p in sys.argv[1:])
if len(one) != 2 or one != three:
    sys.exit("FAIL metrics --threads: the sheets depend on the number of threads")
PY
expect 1 "" "--threads must be 0" route "$rules" "$data/grid_map.textproto" --threads=-2 < /dev/null

# The closure loop's state is taken at --as_of (00:00 in the district's zone), by default the first
# day of the month after the newest incident; a bad date is a usage error.
expect 0 "state at 2026-11-01 00:00 \(\+08:00\)" "" district "$data"
expect 0 "state at 2026-10-20 00:00 \(\+08:00\)" "" district "$data" --as_of=2026-10-20
expect 64 "" "--as_of: .*\"2026-13-01\" is not a date" district "$data" --as_of=2026-13-01
expect 64 "" "--as_of: .*is not a date" district "$data" --as_of=yesterday

# Briefings: three files per kind into --out, their paths on stdout; bad kind, date or store fail
# clearly. (tests in python/tests/test_briefing.py render them in Chromium.)
mkdir -p "$tmp/brief"
for kind in daily weekly monthly; do
  expect 0 "brief-$kind-2026-10-14.html" "" brief "$kind" "$tmp/a.db" "$data/grid_map.textproto" \
    --date=2026-10-14 --out="$tmp/brief" --roster="$data/roster.textproto"
  [ -s "$tmp/brief/brief-$kind-2026-10-14.md" ] || { echo "FAIL brief $kind: no markdown"; failures=$((failures + 1)); }
done
grep -q "每日警情研判" "$tmp/brief/brief-daily-2026-10-14.html" || { echo "FAIL brief daily: title"; failures=$((failures + 1)); }
expect 1 "" '"yearly" is not a briefing' brief yearly "$tmp/a.db" "$data/grid_map.textproto" --date=2026-10-14
expect 1 "" "--date is required" brief daily "$tmp/a.db" "$data/grid_map.textproto"
expect 64 "" "--date: .*is not a date" brief daily "$tmp/a.db" "$data/grid_map.textproto" --date=2026-02-30
expect 1 "" "/nope.db: no such case store" brief daily /nope.db "$data/grid_map.textproto" --date=2026-10-14
expect 1 "" "/nope: no such folder" brief daily "$tmp/a.db" "$data/grid_map.textproto" --date=2026-10-14 --out=/nope
# --calendar: the "512" meetings move off public holidays; a bad schedule is an error located in
# its file (missing, a directory or a device, a date out of range, invalid UTF-8), nothing written.
expect 0 "brief-weekly-2026-09-30.html" "" brief weekly "$tmp/a.db" "$data/grid_map.textproto" \
  --date=2026-09-30 --out="$tmp/brief" --calendar="$data/calendar/holidays.textproto"
grep -q "周一街道会商：2026-10-08（星期四，国庆节顺延）" "$tmp/brief/brief-weekly-2026-09-30.md" ||
  { echo "FAIL brief weekly --calendar: the Monday meeting not moved off National Day"; failures=$((failures + 1)); }
printf 'years { year: 2026 holidays { name: "x" first_day: "2026-13-01" last_day: "2026-13-02" } }\n' \
  > "$tmp/month13.textproto"
printf 'years { year: 2026 notice: "\xff" }\n' > "$tmp/utf8.textproto"
for bad in "/nope.textproto:cannot open file" "$tmp:is a directory" "/dev/zero:not a regular file" \
           "$tmp/month13.textproto:1:41: \"2026-13-01\" is not a date" \
           "$tmp/utf8.textproto:1:20: years\\[0\\].notice: invalid UTF-8"; do
  expect 1 "" "${bad#*:}" brief weekly "$tmp/a.db" "$data/grid_map.textproto" --date=2026-10-14 \
    --out="$tmp/brief" --calendar="${bad%%:*}"
done

# The AI管家 through the command: one decision per message, in order; an ordinary question gets a
# standard reply; personal numbers are masked in everything written; bad lines are skipped with
# their number, never their text.
{
  echo '{"id":"m1","group_type":"GROUP_TYPE_GRID","text":"临城菜场旁边那家早餐店煤气泄漏了,味道很冲"}'
  echo '{"id":"m2","text":"居住证要带什么材料 我电话13912345678"}'
  echo 'not json 13912345678'
  echo '{"id":"m4","text":42}'
  echo '{"id":"m5","text":"好的谢谢"}'
  echo '{"id":"m6","group_type":"GROUP_TYPE_NOPE","text":"好的"}'
  echo '{"id":"m7","group_type":99,"text":"好的"}'
  echo '{"id":"m8","txt":"好的"}'
  echo '{"id":"m9"}'
  echo '{"id":"m10","text":"好的","sent_at":"2026-13-01T00:00:00Z"}'
  echo '{"id":"m11","text":"13912345678","action":"ALERT_ACTION_NONE","hard":true,"why":"labels pass"}'
} > "$tmp/chat.jsonl"
expect 1 '"id":"m1","action":"ALERT_ACTION_ALERT_110"' 'stdin:3: not valid JSON' alert < "$tmp/chat.jsonl"
grep -q '"id":"m2","action":"ALERT_ACTION_STANDARD_REPLY","category":"ALERT_CATEGORY_QUESTION","reply_id":"juzhuzheng-' "$tmp/out" ||
  { echo "FAIL alert: the residence-permit question gets its standard reply"; failures=$((failures + 1)); }
# Each class of bad line is named by its field, never echoed: wrong type, unknown enum name and
# number, unknown key, missing text, out-of-range timestamp.
for want in 'stdin:4: text: invalid value' 'stdin:6: group_type: "GROUP_TYPE_NOPE" is not a value' \
            'stdin:7: group_type: 99 is not a value' 'stdin:8: "txt" is not a field' \
            'stdin:9: "text" is missing or empty' 'stdin:10: sent_at: invalid value' \
            '4 messages decided, 7 lines skipped'; do
  grep -q "$want" "$tmp/err" || { echo "FAIL alert: stderr lacks $want"; failures=$((failures + 1)); }
done
grep -q '"id":"m11"' "$tmp/out" || { echo "FAIL alert: a labelled corpus line is decided"; failures=$((failures + 1)); }
[ "$(wc -l < "$tmp/out")" -eq 4 ] || { echo "FAIL alert: want 4 decisions"; failures=$((failures + 1)); }
if grep -q 13912345678 "$tmp/out" "$tmp/err"; then echo "FAIL alert: a phone number written"; failures=$((failures + 1)); fi
expect 1 "" "/nope: " alert --rules=/nope < /dev/null

# The model (the default, or --model=FILE; --model= for the rules alone) decides what no rule
# decides, and says so; a bad model file stops the command before any message, with its place and
# never an n-gram's text.
echo '{"id":"k1","text":"路口一辆电动车和小轿车撞了,骑车的大爷躺地上不动"}' > "$tmp/model_case.jsonl"
expect 0 '"id":"k1","action":"ALERT_ACTION_ALERT_110".*"rule_id":"model:' "" alert < "$tmp/model_case.jsonl"
expect 0 '"id":"k1","action":"ALERT_ACTION_NONE"' "" alert --model= < "$tmp/model_case.jsonl"
expect 0 '"action":"ALERT_ACTION_ALERT_110"' "" alert --model="$data/alert/model.textproto" < "$tmp/model_case.jsonl"
model_head='format_version: 1
max_order: 2
threshold: 0.5
classes { action: ALERT_ACTION_NONE category: ALERT_CATEGORY_CHITCHAT }'
printf '%s\nthreshold: "x"\n' "$model_head" > "$tmp/type.textproto"
printf '%s\nngrams { ngram: "秘密" weights: [nan] }\n' "$model_head" > "$tmp/nan.textproto"
printf 'format_version: 1\nmax_order: 2\n' > "$tmp/missing.textproto"
printf 'format_version: 1\nmax_order: 2\nthreshold: 2\n' > "$tmp/range.textproto"
printf '%s\nngrams { ngram: "\xe7\xa7" weights: [1] }\n' "$model_head" > "$tmp/utf8.textproto"
truncate -s 67108865 "$tmp/huge.textproto"
for bad in "type|type.textproto:5:" "nan|nan.textproto:5:.*weight 0 is not a finite number" \
           "missing|missing.textproto.*classes: a model needs at least one class" \
           "range|range.textproto:3:.*threshold" "utf8|utf8.textproto:5:" "huge|huge.textproto"; do
  expect 1 "" "${bad#*|}" alert --model="$tmp/${bad%%|*}.textproto" < "$tmp/model_case.jsonl"
  if grep -q 秘密 "$tmp/err"; then echo "FAIL alert --model: an n-gram echoed"; failures=$((failures + 1)); fi
done

# An incident without a location is placed at its grid's centre, never at (0, 0) (12,861 km away).
mkdir -p "$tmp/noloc"
cp -r "$data/grid_map.textproto" "$data/roster.textproto" "$tmp/noloc/"
/usr/bin/python3 - "$data/incidents_2026-10.json" "$tmp/noloc/incidents_2026-10.json" <<'PY'
import json, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))
first = next(i for i in log["incidents"] if i["kind"] == "INCIDENT_KIND_DISPUTE")
first.pop("location", None)
json.dump(log, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
expect 0 "m from the grid's centre \(no location\)" "" district "$tmp/noloc"
if grep -E "[0-9]{7,} m " "$tmp/out" > /dev/null; then echo "FAIL district: a distance of thousands of km"; failures=$((failures + 1)); fi

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

# Open311 GeoReport v2 through the command: the service list (JSON and XML), requests on stdin
# to incidents (masked unless --unmasked, which is said on stderr; a bad request is the
# specification's error with its line, never a value), piped into route; stored cases out.
expect 0 '^\[\{"service_code":"dept-' "" open311 services "$data/rules/district.textproto"
expect 0 '<services>' "" open311 services "$data/rules/district.textproto" --xml
printf '%s\n' \
  'service_code=dept-city_management&lat=29.9320&long=122.1820&description=%E5%A4%9C%E9%97%B4%2013912345678&first_name=%E5%BC%A0&phone=13912345678' \
  '{"service_code": "dept-city_management", "long": 122.18, "phone": "13912345678"}' \
  '{"service_code": "no-such-service", "lat": 29.932, "long": 122.182}' > "$tmp/requests.txt"
expect 1 '"grid_code":"xc-lc-c1-g1"' '^stdin:2: 400 .*stdin:3: 404|stdin:2: 400' open311 to-incidents "$data/grid_map.textproto" < "$tmp/requests.txt"
if grep -q 13912345678 "$tmp/out" "$tmp/err"; then
  echo "FAIL open311 to-incidents: a phone number in clear"; failures=$((failures + 1))
fi
[ "$(wc -l < "$tmp/out")" -eq 1 ] || { echo "FAIL open311 to-incidents: want 1 incident"; failures=$((failures + 1)); }
grep -q "^stdin:3: 404" "$tmp/err" || { echo "FAIL open311 to-incidents: no 404 for an unknown service"; failures=$((failures + 1)); }
cp "$tmp/out" "$tmp/incidents.jsonl"
expect 0 '"rule_id":"divert-city-management"' "" route "$data/rules/district.textproto" "$data/grid_map.textproto" < "$tmp/incidents.jsonl"
head -1 "$tmp/requests.txt" > "$tmp/one.txt"
expect 0 '"phone":"13912345678"' 'personal data written in clear \(--unmasked\)' open311 to-incidents "$data/grid_map.textproto" --unmasked < "$tmp/one.txt"
expect 0 '^\[\{"service_request_id":' "" open311 from-cases "$tmp/a.db"
/usr/bin/python3 - "$tmp/out" <<'PY' || failures=$((failures + 1))
import json, sys
requests = json.load(open(sys.argv[1], encoding="utf-8"))
if len(requests) < 100 or {r["status"] for r in requests} - {"open", "closed"}:
    sys.exit(f"FAIL open311 from-cases: {len(requests)} requests, statuses {set(r['status'] for r in requests)}")
PY
expect 0 '<service_requests>' "" open311 from-cases "$tmp/a.db" --xml
expect 1 "" "no such case store" open311 from-cases "$tmp/none.db"

if [ "$failures" -ne 0 ]; then
  echo "$failures CLI check(s) failed"
  exit 1
fi
echo "cli: ok"
