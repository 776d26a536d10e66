#!/usr/bin/env bash
# Template miner benchmarks: grouping accuracy on Loghub-2k and single-core throughput.
# Compiles the miner sources (JDK only, no Maven) and the benchmarks into $OUT, then runs them.
# Reads the shared data in place: $BENCH_DATA, default ../shared/bench-data relative to the repo.
# Usage: bench/run-miner.sh [ga|throughput|all]   (default all)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/logwarden-bench}
export BENCH_DATA=${BENCH_DATA:-../shared/bench-data}
rm -rf "$OUT" && mkdir -p "$OUT/classes" "$OUT/bench"
javac -d "$OUT/classes" src/main/java/io/logwarden/detect/{TemplateMiner,Template,TemplateSnapshot,Masker,SignatureCache,PreparedMessage}.java \
    src/main/java/io/logwarden/event/{AsciiClasses,HttpMethods}.java
javac -cp "$OUT/classes" -d "$OUT/bench" bench/src/io/logwarden/bench/{BenchData,GroupingAccuracyBenchmark,MinerThroughputBenchmark}.java
CP="$OUT/classes:$OUT/bench"
what=${1:-all}
if [[ $what == ga || $what == all ]]; then
  echo "== Grouping accuracy, default TemplateMiner config, Loghub-2k Content column"
  java -cp "$CP" io.logwarden.bench.GroupingAccuracyBenchmark
fi
if [[ $what == throughput || $what == all ]]; then
  echo "== Throughput, one thread pinned to one core"
  pin=()
  command -v taskset >/dev/null && pin=(taskset -c 0)
  "${pin[@]}" java -Xms1g -Xmx1g -XX:+UseSerialGC -cp "$CP" io.logwarden.bench.MinerThroughputBenchmark
fi
