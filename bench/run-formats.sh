#!/usr/bin/env bash
# Format detection and layout inference on the Loghub 2k logs: per file the format or inferred layout, events,
# % of events with a timestamp, % with a level, and the in-process parse rate of the chosen format.
# Compiles the event and ingest packages (no Spring; Jackson from ~/.m2) and bench/src with javac into $OUT, so it
# needs no Maven run and does not touch target/. Reads the shared data in place: $BENCH_DATA, default
# ../shared/bench-data relative to the repo; nothing is copied into the project.
# Usage: bench/run-formats.sh [-Dformats.speed=false]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/logwarden-bench-formats}
M2=${M2:-$HOME/.m2/repository}
export BENCH_DATA=${BENCH_DATA:-../shared/bench-data}
jar() { ls "$M2"/com/fasterxml/jackson/core/"$1"/2.*/"$1"-2.*.jar 2>/dev/null | grep -v -- '-sources' | sort -V | tail -1; }
LIB="$(jar jackson-core):$(jar jackson-databind):$(jar jackson-annotations)"
[[ $LIB != *::* && $LIB != :* ]] || { echo "jackson 2.x jars not found under $M2 (run ./mvnw -B -ntp dependency:go-offline once)" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT/classes" "$OUT/bench"
I=src/main/java/io/logwarden/ingest
SRC=$(ls $I/*.java | grep -v -E '/(FileIngestion|IngestConfiguration|SampleInstaller|RecordMapper|PrefetchedBatches|InboxGuard|FileChangedException)\.java$')
javac -nowarn -cp "$LIB" -d "$OUT/classes" src/main/java/io/logwarden/event/*.java $SRC
javac -cp "$OUT/classes:$LIB" -d "$OUT/bench" bench/src/io/logwarden/bench/{BenchData,FormatsBenchmark}.java
echo "== Formats: Loghub 2k logs read with no configuration ($(date -u +%FT%TZ), $(nproc) cores, $(java -version 2>&1 | head -1))"
java -XX:+UseSerialGC "$@" -cp "$OUT/classes:$OUT/bench:$LIB" io.logwarden.bench.FormatsBenchmark
