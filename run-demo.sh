#!/usr/bin/env bash
# The README's first command: builds everything, then runs the sample worker service with the agent attached,
# exporting over OTLP/HTTP to a local receiver that prints every record it decodes.
#   ./run-demo.sh [--jobs N] [--file] [--port P]
set -euo pipefail
cd "$(dirname "$0")"

jobs=200
mode=otlp
port="${DEMO_PORT:-4318}"
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs="$2"; shift 2 ;;
    --file) mode=file; shift ;;
    --port) port="$2"; shift 2 ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "run-demo.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

echo "==> building (mvn package, tests skipped: .ci/run runs them)"
mvn -B -q -ntp -DskipTests package

mkdir -p target
agent=agent/target/telemetry-agent.jar
app=sample-app/target/sample-app.jar

if [ "$mode" = file ]; then
  dir="$(pwd)/target/demo-telemetry"
  rm -rf "$dir"; mkdir -p "$dir"
  echo "==> running sample-app with the agent, exporting to local files in $dir"
  java -javaagent:"$agent" -Dotel.service.name=sample-app -Dtelemetry.agent.file.directory="$dir" \
       -jar "$app" --jobs "$jobs"
  echo "==> local files (OTLP JSON lines):"
  ls -l "$dir"
  echo "==> records written: $(cat "$dir"/*.jsonl | grep -o '"severityNumber"' | wc -l)"
  exit 0
fi


log="$(mktemp -t otlp-receiver.XXXXXX)"
java -jar otlp-receiver/target/otlp-receiver.jar --port "$port" --print >"$log" 2>&1 &
receiver=$!
trap 'kill $receiver 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 50); do
  grep -q . "$log" 2>/dev/null && break
  sleep 0.1
done

echo "==> running sample-app (--jobs $jobs) with the agent, exporting to http://127.0.0.1:$port"
java -javaagent:"$agent" -Dotel.service.name=sample-app \
     -Dotel.exporter.otlp.endpoint="http://127.0.0.1:$port" \
     -jar "$app" --jobs "$jobs" > target/demo-app-output.txt
echo "    (the application's own console output is in target/demo-app-output.txt)"
sleep 1
echo "==> what the OTLP receiver decoded:"
cat "$log"
