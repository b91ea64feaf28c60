#!/usr/bin/env bash
# Personal data is masked by default on every way out of the command: every command that prints
# or writes, on the bundled sample (its residents' names and phone numbers, its members' names,
# the ID numbers and phones inside its chat messages), in every format, stdout, stderr and the
# files it writes. Fails naming the command and the kind of value found (never the value).
#   outputs_test.sh FENGQIAO_BINARY SOURCE_DIR
set -uo pipefail
bin="$1"
src="$2"
data="$src/examples/data"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# The sample's personal values, by kind: phones and ID numbers anywhere in the inputs; names of
# parties and members that are not also place names, rule ids or labels (a name that reads like
# "新城" would match the district's own name), of three or four characters (two-character names
# such as 于明 also occur inside ordinary words: 将于明日).
/usr/bin/python3 - "$data" "$tmp" <<'PY'
import json, pathlib, re, sys
data, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
texts = [p.read_text(encoding="utf-8") for p in
         [*sorted(data.glob("incidents_*.json")), data / "roster.textproto",
          *sorted((data / "alert" / "corpus").glob("*.jsonl"))]]
phones, ids = set(), set()
for t in texts:
    phones |= set(re.findall(r"(?<!\d)1[3-9]\d{9}(?!\d)", t))
    ids |= set(re.findall(r"(?<!\d)\d{17}[\dXx](?!\d)", t))
names = set()
for month in sorted(data.glob("incidents_*.json")):  # every month the main job reads
    for inc in json.loads(month.read_text(encoding="utf-8"))["incidents"]:
        names |= {p["name"] for p in inc.get("parties", []) if len(p.get("name", "")) >= 2}
names |= set(re.findall(r'name: "([^"]{2,4})"', (data / "roster.textproto").read_text("utf-8")))
vocabulary = "".join(p.read_text(encoding="utf-8") for p in
                     [data / "grid_map.textproto", *sorted((data / "rules").glob("*")),
                      *sorted(pathlib.Path(sys.argv[1]).parent.parent.glob("proto/fengqiao/v1/*.proto"))])
names = {n for n in names if n not in vocabulary and re.fullmatch(r"[\u4e00-\u9fff]{3,4}", n)}
for kind, values, least in (("phone", phones, 50), ("id_number", ids, 1), ("name", names, 50)):
    (out / f"{kind}.txt").write_text("".join(v + "\n" for v in sorted(values)), encoding="utf-8")
    if len(values) < least:
        sys.exit(f"FAIL: only {len(values)} {kind} values in the sample; the test would prove nothing")
PY
[ $? -eq 0 ] || exit 1

# check NAME FILE...: no personal value of any kind in the files.
check() {
  local what="$1"
  shift
  local kind
  for kind in phone id_number name; do
    if grep -qF -f "$tmp/$kind.txt" "$@" 2>/dev/null; then
      echo "FAIL $what: a $kind of the sample in clear"
      failures=$((failures + 1))
    fi
  done
}
run() {  # run CODE NAME ARGS...: stdout and stderr of one command, checked; it must exit CODE
  local want="$1" what="$2"
  shift 2
  "$bin" "$@" > "$tmp/out" 2> "$tmp/err"
  local code=$?
  if [ "$code" -ne "$want" ]; then
    echo "FAIL $what: exit $code, want $want: $(head -c 300 "$tmp/err")"
    failures=$((failures + 1))
  fi
  check "$what" "$tmp/out" "$tmp/err"
}

run 0 "district" district "$data" --db "$tmp/cases.db"
for f in text json csv; do
  run 0 "metrics --format=$f" metrics "$tmp/cases.db" "$data/grid_map.textproto" street,category --format=$f
done
/usr/bin/python3 - "$data/incidents_2026-10.json" > "$tmp/in.jsonl" <<'PY'
import json, sys
for incident in json.load(open(sys.argv[1], encoding="utf-8"))["incidents"]:
    print(json.dumps(incident, ensure_ascii=False))
PY
run 0 "route" route "$data/rules/district.textproto" "$data/grid_map.textproto" < "$tmp/in.jsonl"
run 0 "route --explain" route "$data/rules/district.textproto" "$data/grid_map.textproto" --explain < "$tmp/in.jsonl"
run 0 "alert" alert < "$data/alert/corpus/test.jsonl"
run 0 "open311 from-cases" open311 from-cases "$tmp/cases.db"
run 0 "open311 from-cases --xml" open311 from-cases "$tmp/cases.db" --xml
run 0 "rules check" rules check "$data/rules/district.textproto"
for kind in daily weekly monthly; do
  mkdir -p "$tmp/brief-$kind"
  run 0 "brief $kind" brief "$kind" "$tmp/cases.db" "$data/grid_map.textproto" --date=2026-10-14 \
    --roster="$data/roster.textproto" --out="$tmp/brief-$kind"
  files=$(find "$tmp/brief-$kind" -type f)
  [ -n "$files" ] || { echo "FAIL brief $kind: no files written"; failures=$((failures + 1)); }
  check "brief $kind (files)" $files
done
# The analysts' example report (examples/analyst/monthly_report.py): its stdout, stderr and every
# table and chart it writes.
py="$(cd "$(dirname "$bin")/.." && pwd)/python"
if PYTHONPATH="$py" /usr/bin/python3 -c "import fengqiao" 2> /dev/null; then
  PYTHONPATH="$py" MPLBACKEND=Agg /usr/bin/python3 "$src/examples/analyst/monthly_report.py" \
    "$tmp/cases.db" "$tmp/report" > "$tmp/out" 2> "$tmp/err" ||
    { echo "FAIL analyst report: exit $?: $(head -c 300 "$tmp/err")"; failures=$((failures + 1)); }
  files=$(find "$tmp/report" -type f)
  [ -n "$files" ] || { echo "FAIL analyst report: no files written"; failures=$((failures + 1)); }
  check "analyst report" "$tmp/out" "$tmp/err" $files
else
  # A build without the Python package (FENGQIAO_BUILD_PYTHON=OFF, sanitizer builds whose
  # extension cannot load into an uninstrumented interpreter); pytest covers the package.
  echo "analyst report: skipped (no importable Python package at $py)"
fi
# A bad input line that holds a phone number: the error names the line, not the value.
printf '{"id": "x", "kind": 99, "description": "%s"}\n' "$(head -1 "$tmp/phone.txt")" > "$tmp/bad.jsonl"
run 1 "route (a bad line)" route "$data/rules/district.textproto" "$data/grid_map.textproto" < "$tmp/bad.jsonl"

# Control: the check does find a value in clear (asked for here with --unmasked).
before=$failures
printf 'service_code=dept-city_management&lat=29.9320&long=122.1820&phone=%s\n' "$(head -1 "$tmp/phone.txt")" |
  "$bin" open311 to-incidents "$data/grid_map.textproto" --unmasked > "$tmp/clear" 2> /dev/null
check "control" "$tmp/clear" > /dev/null
if [ "$failures" -eq $((before + 1)) ]; then
  failures=$before
else
  echo "FAIL control: a phone number in clear went unnoticed"
  failures=$((before + 1))
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures output(s) hold personal data in clear"
  exit 1
fi
echo "privacy outputs: ok"
