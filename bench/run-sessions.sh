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
. bench/compile-sessions.sh
compile_sessions SessionBenchmark
echo "== Session anomaly detection (SessionDetector defaults), HDFS labelled blocks"
java "$@" -cp "$OUT/classes:$OUT/bench:$LIB" io.logwarden.bench.SessionBenchmark
