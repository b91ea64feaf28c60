#!/usr/bin/env bash
# Integrators of 110 and 12345 systems write Java and Go: every .proto compiles with protoc for
# Java and Python, and each file names its Java package and Go package.
#   protos_generate_test.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src="$1"
work="$2/protos-generate"
rm -rf "$work" && mkdir -p "$work/java" "$work/python"
cd "$src/proto"
for f in fengqiao/v1/*.proto; do
  grep -q '^option java_package = "cn.fengqiao.v1";' "$f" || { echo "$f: no java_package" >&2; exit 1; }
  grep -q '^option java_multiple_files = true;' "$f" || { echo "$f: no java_multiple_files" >&2; exit 1; }
  grep -q '^option go_package = ' "$f" || { echo "$f: no go_package" >&2; exit 1; }
done
protoc -I . --java_out="$work/java" --python_out="$work/python" fengqiao/v1/*.proto
test -f "$work/java/cn/fengqiao/v1/Incident.java"
test -f "$work/java/cn/fengqiao/v1/Decision.java"
echo "protoc: $(find "$work/java" -name '*.java' | wc -l) Java files in cn.fengqiao.v1"
