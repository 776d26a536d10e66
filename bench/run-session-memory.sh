#!/usr/bin/env bash
# Memory of session detection per 100 k sessions (issue 15): HDFS logs with N distinct sessions (bench-data's HDFS
# log copied, block ids re-drawn per copy; SessionMemoryBenchmark.java), measured two ways:
#  1. in process: the retained heap of a default SessionDetector holding N sessions (heap in use after a full GC,
#     before and after observing), and after judge() with the verdicts held;
#  2. as a user runs it: `java -Xmx512m -jar target/logwarden.jar analyze --sessions --session-key 'blk_-?\d+' FILE`,
#     timed with /usr/bin/time (wall, CPU, peak RSS), the peak heap in use read from its GC log.
# Usage: bench/run-session-memory.sh [N...]     (default 100000 200000)
# Environment: SEED=20k (HDFS_20k_head, default) | 5k (HDFS_5k_sessions, whole sessions); HEAP (512m, for analyze);
# OUT (/tmp/logwarden-bench-session-memory, wiped); BENCH_DATA (../shared/bench-data); SKIP_CLI=1 skips part 2
# (it needs target/logwarden.jar).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/logwarden-bench-session-memory}
M2=${M2:-$HOME/.m2/repository}
SEED=${SEED:-20k}
HEAP=${HEAP:-512m}
export BENCH_DATA=${BENCH_DATA:-../shared/bench-data}
[ $# -gt 0 ] || set -- 100000 200000
. bench/compile-sessions.sh
compile_sessions SessionMemoryBenchmark
CP="$OUT/classes:$OUT/bench:$LIB"

echo "== In process: default SessionDetector, heap in use after a full GC ($(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD))"
echo "| seed | sessions | lines | events per session | retained | retained per 100 k sessions | retained with verdicts | observe | judge | anomalous |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for n in "$@"; do
  java -Xmx2g -cp "$CP" io.logwarden.bench.SessionMemoryBenchmark measure "$n" "$SEED" 2> "$OUT/measure-$n.err" \
    || { cat "$OUT/measure-$n.err"; exit 1; }
done

[[ ${SKIP_CLI:-0} == 1 ]] && exit 0
[ -f target/logwarden.jar ] || { echo "no target/logwarden.jar: build first (./mvnw -DskipTests package), or SKIP_CLI=1" >&2; exit 2; }
echo
echo "== analyze --sessions --session-key 'blk_-?\\d+' with -Xmx$HEAP (from its GC log: the peak heap in use before a collection,"
echo "   and the largest heap left in use after one, a lower bound of the live data)"
echo "| sessions | lines | exit | wall | CPU | peak RSS | peak heap in use | largest after a GC | analyze says |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in "$@"; do
  file="$OUT/sessions-$n.log"
  java -cp "$CP" io.logwarden.bench.SessionMemoryBenchmark write "$n" "$file" "$SEED" > "$OUT/write-$n.txt"
  read -r lines sessions < <(awk '{gsub(",", "", $1); gsub(",", "", $3); print $1, $3}' "$OUT/write-$n.txt")
  rc=0
  /usr/bin/time -f '%e %U %S %M' -o "$OUT/time-$n" java -Xmx"$HEAP" -Xlog:gc:file="$OUT/gc-$n.log" -jar target/logwarden.jar \
    analyze --sessions --session-key 'blk_-?\d+' "$file" > "$OUT/verdicts-$n.jsonl" 2> "$OUT/analyze-$n.err" || rc=$?
  read -r w u s rss < <(tail -1 "$OUT/time-$n")
  peak=$(grep -oE '[0-9]+M->[0-9]+M' "$OUT/gc-$n.log" | cut -dM -f1 | sort -n | tail -1)
  after=$(grep -oE '[0-9]+M->[0-9]+M' "$OUT/gc-$n.log" | cut -d'>' -f2 | tr -d M | sort -n | tail -1)
  says=$(grep -h 'sessions anomalous\|OutOfMemory' "$OUT/analyze-$n.err" | tail -1 | sed 's/^logwarden: //' | cut -c1-120)
  printf '| %s | %s | %s | %s s | %s s | %s MB | %s MB | %s MB | %s |\n' "$sessions" "$lines" "$rc" "$w" \
    "$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.1f", u + s}')" "$((rss / 1024))" "${peak:-?}" "${after:-?}" "$says"
  rm -f "$file"
done
