#!/usr/bin/env bash
# Session-level anomaly detection on the labelled HDFS files: per-block precision, recall, F1.
# Compiles the miner, SessionDetector (+ Session* helpers, WindowIsolationDetector) and Level with javac
# against smile-core/smile-base 3.1.1 and slf4j-api from ~/.m2 (no Maven run), then runs the benchmark.
# Reads the shared data in place: $BENCH_DATA, default ../shared/bench-data relative to the repo.
# Usage: bench/run-sessions.sh [extra java -D options, e.g. -Dsessions.show=true]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/logwarden-bench-sessions}
M2=${M2:-$HOME/.m2/repository}
export BENCH_DATA=${BENCH_DATA:-../shared/bench-data}
LIB="$M2/com/github/haifengl/smile-core/3.1.1/smile-core-3.1.1.jar:$M2/com/github/haifengl/smile-base/3.1.1/smile-base-3.1.1.jar"
SLF4J=$(ls "$M2"/org/slf4j/slf4j-api/2.0.*/slf4j-api-2.0.*.jar 2>/dev/null | sort -V | tail -1)
[[ -n $SLF4J ]] || { echo "slf4j-api 2.0.x not found under $M2 (smile 3.1.1 logs through it)" >&2; exit 1; }
LIB="$LIB:$SLF4J"
rm -rf "$OUT" && mkdir -p "$OUT/classes" "$OUT/bench"
D=src/main/java/io/logwarden/detect
javac -cp "$LIB" -d "$OUT/classes" $D/{TemplateMiner,Template,TemplateSnapshot,Masker,SignatureCache,PreparedMessage,RobustBaseline,WindowIsolationDetector}.java \
  $D/Session*.java src/main/java/io/logwarden/event/Level.java
javac -cp "$OUT/classes:$LIB" -d "$OUT/bench" bench/src/io/logwarden/bench/{BenchData,SessionBenchmark}.java
echo "== Session anomaly detection (SessionDetector defaults), HDFS labelled blocks"
java "$@" -cp "$OUT/classes:$OUT/bench:$LIB" io.logwarden.bench.SessionBenchmark
