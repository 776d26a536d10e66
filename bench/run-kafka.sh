#!/usr/bin/env bash
# The Kafka source at volume: a topic holding a whole log (one record per line) is read by the packaged service with a
# Kafka source of default settings (max-poll-records 2000: one job per polled batch) and the heap capped (512 MB).
# Timed from the first job's start until the reports of every record's job exist; the same input through the inbox
# (bench/run-pipeline.sh) is the comparison. The broker is spring-kafka-test's in-process KRaft broker on the loopback
# address (KafkaTopicLog.java), the one the tests use, fed before the service starts: a backlog, as after an outage.
#
# Usage: bench/run-kafka.sh [INPUT] [LINES]    INPUT: nginx (default; format nginx-access) or any input of
#        bench/run-pipeline.sh with FORMAT set (a log format name: app, syslog, raw...); LINES default 1000000
# Environment: MAX_POLL (the source's max-poll-records; unset: the default, 2000); PARTITIONS (1); HEAP (512m);
# OUT (/tmp/logwarden-kafka-bench, wiped); INPUTS (as bench/run-pipeline.sh); PORT (18082); SERVICE_JVM
# (-XX:+UseParallelGC -XX:NewRatio=1, as README's jar command); JAVA_OPTS; TIMEOUT (s, 1800).
# Needs: ./mvnw -DskipTests package first (target/logwarden.jar); the test dependencies in the local Maven repository
# (./mvnw verify fetched them; this resolves the class path with ./mvnw dependency:build-classpath).
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:-nginx}
LINES=${2:-1000000}
case $KIND in
  nginx) FORMAT=${FORMAT:-nginx-access} ;;
  *) [[ -n ${FORMAT:-} ]] || { echo "FORMAT must name the log format of a '$KIND' record (app, syslog, raw...)" >&2; exit 2; } ;;
esac
[[ $LINES =~ ^[1-9][0-9]*$ ]] || { echo "LINES must be a positive number, not '$LINES'" >&2; exit 2; }
HEAP=${HEAP:-512m}
OUT=${OUT:-/tmp/logwarden-kafka-bench}
INPUTS=${INPUTS:-/tmp/logwarden-pipeline-inputs}
PORT=${PORT:-18082}
PARTITIONS=${PARTITIONS:-1}
TIMEOUT=${TIMEOUT:-1800}
SERVICE_JVM=${SERVICE_JVM--XX:+UseParallelGC -XX:NewRatio=1}
[ -f target/logwarden.jar ] || { echo "build first: ./mvnw -DskipTests package" >&2; exit 2; }

rm -rf "$OUT" && mkdir -p "$OUT/classes" "$OUT/data"
# The input, made as bench/run-pipeline.sh makes it (and kept in $INPUTS).
INPUTS=$INPUTS GENERATE_ONLY=1 SKIP_DRAIN3=1 OUT="$OUT/generate" bench/run-pipeline.sh "$KIND" "$LINES" \
  || { echo "bench/run-pipeline.sh could not make the $KIND input" >&2; exit 1; }
INPUT="$INPUTS/$KIND-$LINES.log"

./mvnw -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null
CP=$(cat "$OUT/classpath.txt")
javac -d "$OUT/classes" -cp "$CP" bench/src/io/logwarden/bench/KafkaTopicLog.java

# The broker, fed with the whole file; it stays up while its standard input (a FIFO held open here) is open.
mkfifo "$OUT/broker.in"
java -Xmx1g -cp "$CP:$OUT/classes" io.logwarden.bench.KafkaTopicLog "$INPUT" logs "$PARTITIONS" \
  < "$OUT/broker.in" > "$OUT/broker.out" 2> "$OUT/broker.err" &   # its log lines go to broker.out too
BROKER=$!
exec 3> "$OUT/broker.in"
PID=
stop_all() {
  if [[ -n ${PID:-} ]]; then
    kill "$PID" 2>/dev/null || true
    for _ in $(seq 600); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$PID" 2>/dev/null || true
  fi
  exec 3>&- 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$BROKER" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$BROKER" 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM
until grep -q '^READY' "$OUT/broker.out"; do
  kill -0 "$BROKER" 2>/dev/null || { echo "broker died:"; tail -20 "$OUT/broker.err"; exit 1; }
  sleep 0.5
done
read -r _ BROKERS RECORDS PRODUCE_MS < <(grep '^READY' "$OUT/broker.out")
echo "topic logs: $RECORDS records in $PARTITIONS partition(s), written in $PRODUCE_MS ms; brokers $BROKERS"

java -Xmx"$HEAP" -Xlog:gc:file="$OUT/gc.log" $SERVICE_JVM ${JAVA_OPTS:-} -jar target/logwarden.jar \
  --server.port="$PORT" \
  --logwarden.ingest.inbox="$OUT/data/inbox" --logwarden.ingest.processed="$OUT/data/processed" \
  --logwarden.ingest.failed="$OUT/data/failed" --logwarden.report.dir="$OUT/data/reports" \
  --logwarden.ingest.copy-samples=false \
  --logwarden.storage.embedded-dir="$OUT/data/postgres" --logwarden.security.password-file="$OUT/data/admin-password" \
  "--logwarden.sources.kafka[0].name=bench" "--logwarden.sources.kafka[0].brokers=$BROKERS" \
  "--logwarden.sources.kafka[0].topics=logs" "--logwarden.sources.kafka[0].group-id=bench" \
  "--logwarden.sources.kafka[0].format=$FORMAT" ${MAX_POLL:+"--logwarden.sources.kafka[0].max-poll-records=$MAX_POLL"} \
  > "$OUT/service.log" 2>&1 &
PID=$!
TICK=$(getconf CLK_TCK)
START=$(date +%s)
# Done when the jobs' reports account for every record (their linesRead), or a job failed.
read_so_far() {
  python3 - "$OUT/data/reports" <<'PY'
import glob, json, sys
n = 0
for f in glob.glob(sys.argv[1] + "/bench-*.json"):
    try:
        n += json.load(open(f))["job"]["linesRead"]
    except (ValueError, KeyError):
        pass  # being written
print(n)
PY
}
while :; do
  kill -0 "$PID" 2>/dev/null || { echo "service died:"; tail -30 "$OUT/service.log"; exit 1; }
  if grep -q '(bench) failed:' "$OUT/service.log"; then grep '(bench) failed:' "$OUT/service.log" | head -3; exit 1; fi
  (( $(date +%s) - START < TIMEOUT )) || { echo "not done after $TIMEOUT s"; exit 1; }
  if ls "$OUT"/data/reports/bench-*.json >/dev/null 2>&1 && (( $(read_so_far) >= RECORDS )); then break; fi
  sleep 1
done
CPU=$(awk -v t="$TICK" '{printf "%.1f", ($14 + $15) / t}' "/proc/$PID/stat")
sleep 1   # the last job's log line
PEAK=$(grep -oE '[0-9]+M->[0-9]+M' "$OUT/gc.log" | cut -dM -f1 | sort -n | tail -1)
SUMMARY=$(python3 - "$OUT/service.log" "$OUT/data/reports" "$RECORDS" <<'PY'
import datetime, glob, json, os, re, statistics, sys
log, reports, records = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = lambda line: datetime.datetime.fromisoformat(line[:23]).replace(tzinfo=datetime.timezone.utc).timestamp()
started, done, first = {}, {}, None
for line in open(log, encoding="utf-8", errors="replace"):
    m = re.search(r"Job (\d+) (started: source bench|\(bench\) succeeded)", line)
    if m:
        (started if m.group(2).startswith("started") else done)[int(m.group(1))] = t(line)
    if first is None and "Started LogwardenApplication" in line:
        first = t(line)
jobs = sorted(done)
files = glob.glob(reports + "/bench-*")
end = max(os.path.getmtime(f) for f in files)
wall = end - min(started.values())
durations = [done[j] - started[j] for j in jobs if j in started]
anomalies = sum(json.load(open(f))["summary"]["anomalies"] for f in glob.glob(reports + "/bench-*.json"))
print(f"{len(jobs)} jobs, {len(files)} report files, {anomalies} anomalies; from the first job's start to the last"
      f" report {wall:.2f} s = {records / wall:,.0f} records/s; a job {statistics.median(durations) * 1000:.0f} ms"
      f" (median), between jobs {(wall - sum(durations)) / max(len(jobs) - 1, 1) * 1000:.0f} ms on average;"
      f" service start to the last report {end - first:.1f} s")
PY
)
echo
echo "### Kafka source, $KIND, $RECORDS records: \`bench/run-kafka.sh $KIND $LINES\`${MAX_POLL:+ (MAX_POLL=$MAX_POLL)}"
echo
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/^Mem:/ {print $2}') GB RAM; $(java -version 2>&1 | head -1)"
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src routes pom.xml 2>/dev/null || echo ' + uncommitted changes'); jar $(date -u -r target/logwarden.jar '+%H:%M UTC')"
echo "- source: format $FORMAT, max-poll-records ${MAX_POLL:-2000 (default)}, $PARTITIONS partition(s); service -Xmx$HEAP $SERVICE_JVM ${JAVA_OPTS:-}; peak heap in use (GC log) ${PEAK:-?} MB; service CPU to the end ${CPU} s"
echo "- result: $SUMMARY"
