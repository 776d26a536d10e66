#!/usr/bin/env bash
# Whole-pipeline benchmark: a large HDFS log dropped into the inbox of the packaged service, timed until both
# reports are written, with the heap capped (default 512 MB) and the GC log kept to read the peak heap used.
# Usage: bench/run-pipeline.sh [LINES]   (default 1000000; e.g. 10000000 for the memory check)
# Needs: ./mvnw -DskipTests package first (target/logwarden.jar). Reads ../shared/bench-data in place.
# JAVA_OPTS adds JVM options, e.g. JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/p.jfr,settings=profile" to profile.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-1000000}
HEAP=${HEAP:-512m}
BENCH_DATA=${BENCH_DATA:-../shared/bench-data}
OUT=${OUT:-/tmp/logwarden-pipeline-bench}
PORT=${PORT:-18080}
[ -f target/logwarden.jar ] || { echo "build first: ./mvnw -DskipTests package" >&2; exit 2; }

rm -rf "$OUT" && mkdir -p "$OUT/classes" "$OUT/data/inbox" "$OUT/data/reports"
javac -d "$OUT/classes" bench/src/io/logwarden/bench/RepeatedLog.java
INPUT="$OUT/hdfs-$LINES.log"
java -cp "$OUT/classes" io.logwarden.bench.RepeatedLog "$BENCH_DATA/hdfs_labelled/HDFS_20k_head.log" "$LINES" "$INPUT"
BYTES=$(stat -c %s "$INPUT")

# HDFS lines are no built-in format: a user format, exactly as a user would configure it.
java -Xmx"$HEAP" -Xlog:gc:file="$OUT/gc.log" ${JAVA_OPTS:-} -jar target/logwarden.jar \
  --server.port="$PORT" \
  --logwarden.ingest.inbox="$OUT/data/inbox" --logwarden.ingest.processed="$OUT/data/processed" \
  --logwarden.ingest.failed="$OUT/data/failed" --logwarden.report.dir="$OUT/data/reports" \
  --logwarden.ingest.copy-samples=false --logwarden.ingest.poll-interval=200ms \
  --logwarden.storage.embedded-dir="$OUT/data/postgres" --logwarden.security.password-file="$OUT/data/admin-password" \
  '--logwarden.ingest.formats[0].name=hdfs' \
  '--logwarden.ingest.formats[0].regex=^(?<timestamp>\d{6} \d{6}) (?<pid>\d+) (?<level>[A-Z]+) (?<service>[^:]+): (?<message>.*)$' \
  '--logwarden.ingest.formats[0].timestamp-pattern=yyMMdd HHmmss' \
  > "$OUT/service.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
until grep -q "Started LogwardenApplication" "$OUT/service.log"; do
  kill -0 $PID 2>/dev/null || { echo "service died:"; tail -30 "$OUT/service.log"; exit 1; }
  sleep 0.5
done

# Drop the file twice: the first run is a cold JVM (classes loading, JIT compiling), the second a warm service,
# which is what a long-running service sees from its second file on. Each is timed from the rename into the
# inbox until both reports exist.
drop() {
  local name=$1
  cp "$INPUT" "$OUT/data/.$name"        # same file system: the rename below is atomic
  local start end
  start=$(date +%s.%N)
  mv "$OUT/data/.$name" "$OUT/data/inbox/$name"
  until ls "$OUT"/data/reports/"$name"-*.json >/dev/null 2>&1 && ls "$OUT"/data/reports/"$name"-*.html >/dev/null 2>&1; do
    if grep -q "($name) failed:" "$OUT/service.log"; then grep "failed:" "$OUT/service.log"; exit 1; fi
    sleep 0.05
  done
  end=$(date +%s.%N)
  grep "($name) succeeded" "$OUT/service.log" | tail -1 | sed 's/.*JobLifecycle *: //'
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); b=int(sys.argv[4]); print(f'{sys.argv[5]:5}: {n:,} lines, {b/1e6:.0f} MB, inbox to reports {s:.2f} s = {n/s:,.0f} lines/s ({b/s/1e6:.1f} MB/s)')" \
    "$start" "$end" "$LINES" "$BYTES" "$2"
}
drop hdfs-cold.log cold
drop hdfs-warm.log warm

PEAK=$(grep -oE '[0-9]+M->[0-9]+M' "$OUT/gc.log" | cut -dM -f1 | sort -n | tail -1)
echo "heap cap $HEAP; peak heap in use (before a collection, from the GC log): ${PEAK:-0} MB"
