#!/usr/bin/env bash
# Whole-pipeline benchmark (issue 15): a large log dropped into the inbox of the packaged service, with the DEFAULT
# configuration (no user format: the service recognises or infers the layout itself) and the heap capped (512 MB),
# timed from the rename into the inbox until both reports exist, twice (a fresh service's first file = cold, then
# warm); the peak heap is read from the GC log. In the same run, one after the other on the same file:
# `java -Xmx512m $SERVICE_JVM -jar target/logwarden.jar analyze FILE` and Drain3 (the reference Python miner, defaults, run as
# ../shared/tools/vs-drain3.sh runs it) mining the same messages, both timed with /usr/bin/time. Ends with one
# summary block for bench/RESULTS.md.
#
# Usage: bench/run-pipeline.sh [INPUT] [LINES]     INPUT: hdfs (default) | mixed | nginx | postgres | spring | freetext | future; LINES default 1000000
#        bench/run-pipeline.sh hdfs 10000000        the memory check (10 M lines, 1.4 GB)
#        bench/run-pipeline.sh LINES                 = hdfs LINES (the old usage)
#   hdfs   bench-data's HDFS_20k_head.log repeated, stamps shifted per copy (RepeatedLog.java)
#   mixed  the ten Loghub 2k raw logs with their headers, LINES/10 lines each, one section after the other,
#          message digits re-drawn (MixedLoghubLog.java)
#   nginx  the real nginx-10min access log of bench/real-logs repeated, stamps shifted, clients and ids re-drawn
#          per copy (NginxAccessLog.java)
#   postgres  the real PostgreSQL log of bench/real-logs repeated, stamps shifted per copy
#   spring    the real Spring Boot application log of bench/real-logs (app-new-error, with stack traces), moved to 2020,
#          repeated, stamps shifted per copy
#   freetext  Spring Boot lines whose messages are 3-12 random words out of 50,000 (FreeTextLog.java): messages that
#          share no template, a miner's worst case. Drain3 then grows one cluster per message and slows as it goes:
#          it mines the first D3_LINES (50,000) messages only, and its figure is scaled per line
#   future    the spring input moved to 2030: every event is in the future, so every one is quarantined (stored with
#          its reason in PostgreSQL): the pace of rejecting a file
# Drain3 mines, per line: hdfs and mixed the Content column (the text after the header); nginx
# "METHOD path protocol status", the message the service's nginx-access format mines.
# Needs: ./mvnw -DskipTests package first (target/logwarden.jar); python3 with the Debian packages python3-cachetools
# and python3-jsonpickle (installed if missing, as vs-drain3.sh does); /usr/bin/time.
# The service runs as README's jar command runs it: SERVICE_JVM (default -XX:+UseParallelGC -XX:NewRatio=1, the
# collector and young generation README, the Docker image and ./mvnw spring-boot:run give it; SERVICE_JVM= runs it on
# the JVM's defaults). `analyze` runs with the same JVM options, which README recommends for it too.
# Environment: JAVA_OPTS adds JVM options to the service (e.g. JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/p.jfr,
# settings=profile"); HEAP (512m); OUT (/tmp/logwarden-pipeline-bench, wiped); INPUTS (where generated inputs are
# kept between runs, /tmp/logwarden-pipeline-inputs); PORT (18080); POLL (inbox poll interval; the service's default, 2 s, when unset: files are picked up when they
# arrive anyway, from the operating system's notification);
# BENCH_DATA (../shared/bench-data); REFERENCE (../shared/reference, holds drain3/); TIMEOUT (s per drop, 1800);
# SKIP_ANALYZE=1, SKIP_DRAIN3=1; GENERATE_ONLY=1 (make the input in $INPUTS and stop); WAIT_WARM_UP (1: the cold file waits for the start-up warm-up; 0: not); WARM_RUNS (5: warm files dropped after the cold one, the median is reported; a service keeps getting faster over its
# first few files as the JIT compiler recompiles with what it has seen: with 10 or more, the median from file 7 on is
# reported too). Give another OUT, INPUTS and PORT to run beside another copy of this script.
set -euo pipefail
export LC_NUMERIC=C   # $EPOCHREALTIME and awk read decimals with a point
cd "$(dirname "$0")/.."
if [[ ${1:-} =~ ^[0-9]+$ ]]; then set -- hdfs "$1"; fi
KIND=${1:-hdfs}
LINES=${2:-1000000}
[[ $KIND =~ ^(hdfs|mixed|nginx|postgres|spring|freetext|future)$ ]] || { echo "usage: bench/run-pipeline.sh [hdfs|mixed|nginx|postgres|spring|freetext|future] [LINES]" >&2; exit 2; }
[[ $LINES =~ ^[1-9][0-9]*$ ]] || { echo "LINES must be a positive number, not '$LINES'" >&2; exit 2; }
HEAP=${HEAP:-512m}
export BENCH_DATA=${BENCH_DATA:-../shared/bench-data}
REFERENCE=${REFERENCE:-../shared/reference}
OUT=${OUT:-/tmp/logwarden-pipeline-bench}
INPUTS=${INPUTS:-/tmp/logwarden-pipeline-inputs}
PORT=${PORT:-18080}
POLL=${POLL:-}
TIMEOUT=${TIMEOUT:-1800}   # seconds a drop may take before the run is given up
PY=/usr/bin/python3
[ -f target/logwarden.jar ] || { echo "build first: ./mvnw -DskipTests package" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (Debian package time)" >&2; exit 2; }
if [[ ${SKIP_DRAIN3:-0} != 1 ]]; then
  [ -d "$REFERENCE/drain3" ] || { echo "no drain3 in $REFERENCE" >&2; exit 2; }
  REFERENCE=$(cd "$REFERENCE" && pwd)
  $PY -c 'import cachetools, jsonpickle' 2>/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-cachetools python3-jsonpickle >/dev/null; }
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

rm -rf "$OUT" && mkdir -p "$OUT/classes" "$OUT/data/inbox" "$OUT/data/reports" "$INPUTS"
SRC=bench/src/io/logwarden/bench
javac -d "$OUT/classes" $SRC/{BenchData,RepeatedLog,MixedLoghubLog,NginxAccessLog,FreeTextLog}.java

# The input and its messages (one per line, for Drain3), kept in $INPUTS and made again when the generator changed.
INPUT="$INPUTS/$KIND-$LINES.log"
MESSAGES="$INPUTS/$KIND-$LINES.messages"
case $KIND in
  hdfs)  GEN=$SRC/RepeatedLog.java
         GEN_ARGS=(RepeatedLog "$BENCH_DATA/hdfs_labelled/HDFS_20k_head.log" "$LINES" "$INPUT" "$MESSAGES")
         WHAT="bench-data HDFS_20k_head.log repeated, stamps shifted per copy; Drain3 mines the Content column" ;;
  mixed) GEN=$SRC/MixedLoghubLog.java
         GEN_ARGS=(MixedLoghubLog "$LINES" "$INPUT" "$MESSAGES")
         WHAT="ten Loghub 2k raw logs with headers, $((LINES / 10)) lines each in sections, message digits re-drawn; Drain3 mines the Content column" ;;
  postgres) GEN=$SRC/RepeatedLog.java
         GEN_ARGS=(RepeatedLog bench/real-logs/logs/postgres.log "$LINES" "$INPUT" "$MESSAGES" "yyyy-MM-dd HH:mm:ss.SSS")
         WHAT="the real PostgreSQL 15 log of bench/real-logs repeated, stamps shifted per copy (an input this round did not tune on); Drain3 mines the text after the first ': '" ;;
  spring) GEN=$SRC/RepeatedLog.java
         # moved six years back first: its 325 copies span a week, which from 2026-11-29 on would run into the future
         # (quarantined as such: more than the allowed skew ahead of the clock)
         [[ -s $INPUTS/app-new-error.2020.log ]] || gzip -dc bench/real-logs/logs/app-new-error.log.gz \
           | sed 's/^2026-/2020-/' > "$INPUTS/app-new-error.2020.log"
         GEN_ARGS=(RepeatedLog "$INPUTS/app-new-error.2020.log" "$LINES" "$INPUT" "$MESSAGES" "yyyy-MM-dd HH:mm:ss.SSS")
         WHAT="the real Spring Boot application log of bench/real-logs (app-new-error.log.gz) repeated, stamps shifted per copy (an input this round did not look at); Drain3 mines the text after the first ': '" ;;
  future) GEN=$SRC/RepeatedLog.java
         [[ -s $INPUTS/app-new-error.2030.log ]] || gzip -dc bench/real-logs/logs/app-new-error.log.gz \
           | sed 's/^2026-/2030-/' > "$INPUTS/app-new-error.2030.log"
         GEN_ARGS=(RepeatedLog "$INPUTS/app-new-error.2030.log" "$LINES" "$INPUT" "$MESSAGES" "yyyy-MM-dd HH:mm:ss.SSS")
         WHAT="the spring input moved to 2030: every event more than the allowed skew ahead of the clock, so quarantined with its reason (stored in PostgreSQL)" ;;
  freetext) GEN=$SRC/FreeTextLog.java
         GEN_ARGS=(FreeTextLog "$LINES" "$INPUT" "$MESSAGES")
         D3_LINES=${D3_LINES:-50000}
         WHAT="Spring Boot lines whose messages are 3-12 random words out of 50,000 (FreeTextLog.java, fixed seed): no two share a template; Drain3 mines the first $D3_LINES messages (it slows as its clusters grow), its wall scaled per line" ;;
  nginx) GEN=$SRC/NginxAccessLog.java
         GEN_ARGS=(NginxAccessLog bench/real-logs/logs/nginx-10min.access.log.gz "$LINES" "$INPUT" "$MESSAGES")
         WHAT="real nginx-10min access log repeated, stamps shifted, clients and path ids re-drawn per copy; Drain3 mines 'METHOD path protocol status'" ;;
esac
if [[ ! -s $INPUT || ! -s $MESSAGES || $GEN -nt $INPUT || $SRC/BenchData.java -nt $INPUT ]]; then
  rm -f "$INPUT" "$MESSAGES"
  java -cp "$OUT/classes" "io.logwarden.bench.${GEN_ARGS[0]}" "${GEN_ARGS[@]:1}" > "$OUT/generator.log" \
    || { cat "$OUT/generator.log"; rm -f "$INPUT" "$MESSAGES"; exit 1; }
  cat "$OUT/generator.log"
fi
BYTES=$(stat -c %s "$INPUT")
echo "input: $INPUT ($LINES lines, $((BYTES / 1000000)) MB)"
# bench/run-kafka.sh reads the same inputs: it only needs them made
[[ ${GENERATE_ONLY:-0} == 1 ]] && exit 0

# The service with its default settings; only the folders, the port and the poll interval are given.
SERVICE_JVM=${SERVICE_JVM--XX:+UseParallelGC -XX:NewRatio=1}
java -Xmx"$HEAP" -Xlog:gc:file="$OUT/gc.log" $SERVICE_JVM ${JAVA_OPTS:-} -jar target/logwarden.jar \
  --server.port="$PORT" \
  --logwarden.ingest.inbox="$OUT/data/inbox" --logwarden.ingest.processed="$OUT/data/processed" \
  --logwarden.ingest.failed="$OUT/data/failed" --logwarden.report.dir="$OUT/data/reports" \
  --logwarden.ingest.copy-samples=false ${POLL:+--logwarden.ingest.poll-interval=$POLL} \
  --logwarden.storage.embedded-dir="$OUT/data/postgres" --logwarden.security.password-file="$OUT/data/admin-password" \
  > "$OUT/service.log" 2>&1 &
PID=$!
# Stops the service (SIGTERM lets it stop its embedded PostgreSQL), waiting up to 60 s, then SIGKILL; then stops a
# PostgreSQL left behind in our own data folder by the pid in its postmaster.pid.
stop_service() {
  [[ -n ${PID:-} ]] || return 0
  kill "$PID" 2>/dev/null || true
  for _ in $(seq 600); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=
  local pm
  for pm in $(find "$OUT/data/postgres" -name postmaster.pid 2>/dev/null); do
    local pg; pg=$(head -1 "$pm" 2>/dev/null || true)
    [[ $pg =~ ^[0-9]+$ ]] && kill -0 "$pg" 2>/dev/null && { kill "$pg" 2>/dev/null || true; sleep 2; }
  done
  return 0
}
trap stop_service EXIT
trap 'exit 130' INT TERM
until grep -q "Started LogwardenApplication" "$OUT/service.log"; do
  kill -0 "$PID" 2>/dev/null || { echo "service died:"; tail -30 "$OUT/service.log"; exit 1; }
  sleep 0.5
done
# A fresh service warms its reading and detection code up on generated logs for a few seconds after it started
# (PipelineWarmUp; a job arriving earlier stops it). The cold file is dropped once that is over, as on a service
# started before its first file arrives; WAIT_WARM_UP=0 drops it at once (the warm-up then stops at once too).
WARM_UP_NOTE="dropped as soon as the service had started"
if [[ ${WAIT_WARM_UP:-1} == 1 && ${JAVA_OPTS:-} != *warm-up=false* ]]; then
  for _ in $(seq 600); do grep -qE "Warm-up (done|stopped|given up)" "$OUT/service.log" && break; sleep 0.1; done
  WARM_UP_NOTE="dropped once the start-up warm-up was over: $(grep -oE 'Warm-up (done|stopped|given up)[^;]*' "$OUT/service.log" | head -1 | cut -c1-160)"
fi

# Drop the file 1 + WARM_RUNS (5) times: the first run is a cold JVM (classes loading, JIT compiling), the next ones
# a warm service, which is what a long-running service sees from its second file on. Each is timed from the rename
# into the inbox until both reports exist.
declare -A WALL CPU RSS REPORT JOB
TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }   # the service JVM's user + system CPU so far
# Waiting for the reports must not take the CPU the service is measured on: a loop of ls, grep, date and sleep every
# 50 ms (four processes started each time) took about 12 % of a core, 6 % of this 2-core machine. The loop below starts
# none: compgen -G and kill -0 are bash builtins, and read -t on a pipe nobody writes to sleeps without a process.
exec {NAP}<> <(:)
nap() { read -r -t "$1" -u "$NAP" _ || true; }
drop() {
  local name=$KIND-$1.log
  cp "$INPUT" "$OUT/data/.$name"        # same file system: the rename below is atomic
  local start end t0 polls=0
  t0=$(cpu_ticks)
  start=$EPOCHREALTIME
  mv "$OUT/data/.$name" "$OUT/data/inbox/$name"
  until compgen -G "$OUT/data/reports/$name-*.json" >/dev/null && compgen -G "$OUT/data/reports/$name-*.html" >/dev/null; do
    kill -0 "$PID" 2>/dev/null || { echo "service died:"; tail -30 "$OUT/service.log"; exit 1; }
    if (( ++polls % 100 == 0 )); then   # every 2 s: a failed job, or the time limit
      if grep -q "($name) failed:" "$OUT/service.log"; then grep "failed:" "$OUT/service.log"; exit 1; fi
      (( ${EPOCHREALTIME%.*} - ${start%.*} < TIMEOUT )) || { echo "no reports for $name after $TIMEOUT s"; tail -30 "$OUT/service.log"; exit 1; }
    fi
    nap 0.02
  done
  end=$EPOCHREALTIME
  WALL[$1]=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')
  CPU[$1]=$(awk -v a="$t0" -v b="$(cpu_ticks)" -v t="$TICK" 'BEGIN {printf "%.2f", (b - a) / t}')
  # The job's log line may follow its reports by a few milliseconds.
  for _ in $(seq 100); do grep -q "($name) succeeded" "$OUT/service.log" && break; sleep 0.05; done
  grep "($name) succeeded" "$OUT/service.log" | tail -1 | sed 's/.*JobLifecycle *: //' | cut -c1-300 || true
  REPORT[$1]=$(ls "$OUT"/data/reports/"$name"-*.json | head -1)
  # The job alone, without the inbox's pick-up (poll and read lock): from its "started" log line to the later report.
  local started reported
  started=$(grep -m1 "started: $name " "$OUT/service.log" | cut -c1-23)
  reported=$(for f in "$OUT"/data/reports/"$name"-*.{json,html}; do date -u -r "$f" +%s.%N; done | sort -n | tail -1)
  JOB[$1]=$(python3 -c "import sys,datetime; s=datetime.datetime.fromisoformat(sys.argv[1]).replace(tzinfo=datetime.timezone.utc).timestamp(); print(f'{float(sys.argv[2]) - s:.3f}')" "$started" "$reported")
  find "$OUT/data/processed" -name "$name" -delete   # the processed copy is not needed (1.4 GB at 10 M lines)
}
drop cold
WARM_RUNS=${WARM_RUNS:-5}
for i in $(seq "$WARM_RUNS"); do drop "warm$i"; done
# "warm" is the median of the warm drops (a shared machine moves single runs)
median() {  # ARRAY FIRST: the median of ARRAY[warmFIRST] .. ARRAY[warm$WARM_RUNS]
  local -n values=$1
  local i
  for i in $(seq "$2" "$WARM_RUNS"); do echo "${values[warm$i]}"; done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
for a in WALL JOB CPU; do
  declare -n arr=$a
  arr[warm]=$(median "$a" 1)
  # With ten warm files or more, also the median from the seventh file on: by then the compiler has compiled most of
  # the code that runs once a file (judging, reports, storage), which a service's first few files still pay for.
  (( WARM_RUNS >= 10 )) && arr[settled]=$(median "$a" 6)
  unset -n arr
done
REPORT[warm]=${REPORT[warm1]}
stop_service
PEAK=$(grep -oE '[0-9]+M->[0-9]+M' "$OUT/gc.log" | cut -dM -f1 | sort -n | tail -1)
# What the service read: format, lines, events, quarantined, anomalies from its JSON reports; the header changes and
# other reading notes from the cold job's log line.
READING=$(python3 - "${REPORT[cold]}" "${REPORT[warm]}" "$(grep "($KIND-cold.log) succeeded" "$OUT/service.log" | tail -1)" <<'PY'
import json, re, sys
c, w = (json.load(open(f)) for f in sys.argv[1:3])
j = c["job"]
out = (f"{j['linesRead']:,} lines read, {j['eventsParsed']:,} events, {j['eventsQuarantined']:,} quarantined;"
       f" anomalies cold {c['summary']['anomalies']}, warm {w['summary']['anomalies']}; format {j['format']}")
notes = sys.argv[3].split(" \u2014 ", 1)[1] if " \u2014 " in sys.argv[3] else ""
changes = re.findall(r"The header changed at line (\d+): read from there as (.*?) \(before: .*?\)\. ?", notes)
if changes:
    out += "".join(f", from line {int(n):,}: {f}" for n, f in changes)
    notes = re.sub(r"The header changed at line (\d+): read from there as (.*?) \(before: .*?\)\. ?", "", notes)
print(out + (f"; notes: {notes.strip()}" if notes.strip() else ""))
PY
)

# One measured command: wall, CPU (user+sys) and peak RSS.
timed() {  # NAME CMD...
  local name=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$OUT/$name.time" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err" \
    || { echo "failed: $*"; tail -5 "$OUT/$name.err"; exit 1; }
  read -r w u s rss < "$OUT/$name.time"
  WALL[$name]=$w; CPU[$name]=$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}'); RSS[$name]=$((rss / 1024))
}
if [[ ${SKIP_ANALYZE:-0} != 1 ]]; then
  timed analyze java -Xmx"$HEAP" -Xlog:gc:file="$OUT/analyze-gc.log" $SERVICE_JVM -jar target/logwarden.jar analyze "$INPUT"
  APEAK=$(grep -oE '[0-9]+M->[0-9]+M' "$OUT/analyze-gc.log" | cut -dM -f1 | sort -n | tail -1)
fi
if [[ ${SKIP_DRAIN3:-0} != 1 ]]; then
  cat > "$OUT/drain3_run.py" <<PY
import sys, logging
sys.path.insert(0, "$REFERENCE")
from drain3 import TemplateMiner
from drain3.template_miner_config import TemplateMinerConfig
logging.disable(logging.CRITICAL)
cfg = TemplateMinerConfig(); cfg.profiling_enabled = False
tm = TemplateMiner(config=cfg)
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f: tm.add_log_message(line.rstrip("\n"))
print(len(tm.drain.clusters), "clusters", file=sys.stderr)
PY
  D3_INPUT=$MESSAGES
  if [[ -n ${D3_LINES:-} ]]; then D3_INPUT=$OUT/drain3.messages; head -n "$D3_LINES" "$MESSAGES" > "$D3_INPUT"; fi
  timed drain3 "$PY" "$OUT/drain3_run.py" "$D3_INPUT"
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# The summary block.
row() {  # LABEL KEY [CPU/RSS note]
  python3 - "$1" "${WALL[$2]}" "$LINES" "$BYTES" "${WALL[drain3]:-}" "${3:-}" "${D3_LINES:-$LINES}" "$2" <<'PY'
import sys
label, wall, n, b, d3, note = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
d3n, key = min(int(sys.argv[7]), n), sys.argv[8]
# Drain3 on fewer messages (freetext): its time per message against this run's
ratio = f"{float(d3) / d3n * n / wall:.2f}" if d3 and key != "drain3" else ("-" if not d3 else "1.00")
if key == "drain3":
    b, n = b * d3n // n, d3n
print(f"| {label} | {wall:.2f} s | {n / wall:,.0f} | {b / wall / 1e6:.1f} | {ratio} | {note} |")
PY
}
job_rate() {  # RUN: lines/s of the job alone
  python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):,.0f}')" "$LINES" "${JOB[$1]}"
}
{
  echo
  echo "### Whole pipeline, $KIND, $LINES lines ($((BYTES / 1000000)) MB): \`bench/run-pipeline.sh $KIND $LINES\`"
  echo
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/^Mem:/ {print $2}') GB RAM; $(java -version 2>&1 | head -1)"
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' + uncommitted changes'); jar $(date -u -r target/logwarden.jar '+%H:%M UTC')"
  echo "- load average before: $LOAD_BEFORE; after: $LOAD_AFTER"
  echo "- input: $WHAT"
  echo "- service: default configuration, -Xmx$HEAP, ${SERVICE_JVM:-default collector (G1)}${JAVA_OPTS:+, JAVA_OPTS=$JAVA_OPTS}, inbox watched and polled every ${POLL:-2 s (default)}; peak heap in use (GC log): ${PEAK:-0} MB"
  echo "- cold file: $WARM_UP_NOTE"
  echo "- service read (its JSON reports): $READING"
  [[ -n ${WALL[analyze]:-} ]] && echo "- analyze: $(tail -1 "$OUT/analyze.err" | sed 's/^logwarden: //'), $(grep -o 'header changed at line' "$OUT/analyze.err" | wc -l) header changes (stderr in $OUT/analyze.err); peak heap in use (GC log) ${APEAK:-0} MB"
  [[ -n ${WALL[drain3]:-} ]] && echo "- Drain3: $(tail -1 "$OUT/drain3.err")"
  echo
  echo "| run | wall | lines/s | MB/s | Drain3 wall / this wall | CPU, peak RSS |"
  echo "|---|---|---|---|---|---|"
  row "service, cold (first file of a fresh service), inbox to both reports" cold "${CPU[cold]} s CPU; the job alone ${JOB[cold]} s = $(job_rate cold) lines/s"
  for i in $(seq "$WARM_RUNS"); do
    row "service, warm (file $((i + 1))), inbox to both reports" "warm$i" "${CPU[warm$i]} s CPU; the job alone ${JOB[warm$i]} s"
  done
  row "service, warm: median of the $WARM_RUNS warm files" warm "${CPU[warm]} s CPU; the job alone ${JOB[warm]} s = $(job_rate warm) lines/s"
  [[ -n ${WALL[settled]:-} ]] && row "service, warm and settled: median of files 7 to $((WARM_RUNS + 1))" settled "${CPU[settled]} s CPU; the job alone ${JOB[settled]} s = $(job_rate settled) lines/s"
  [[ -n ${WALL[analyze]:-} ]] && row "\`java -Xmx$HEAP${SERVICE_JVM:+ $SERVICE_JVM} -jar target/logwarden.jar analyze FILE\`" analyze "${CPU[analyze]} s CPU, ${RSS[analyze]} MB"
  [[ -n ${WALL[drain3]:-} ]] && row "Drain3 alone (defaults, no output) on the same messages${D3_LINES:+ (the first $D3_LINES)}" drain3 "${CPU[drain3]} s CPU, ${RSS[drain3]} MB"
  true
} | tee "$OUT/summary.md"
