# Sourced by run-sessions.sh and run-session-memory.sh: compiles the miner, SessionDetector (+ Session* helpers,
# WindowIsolationDetector) and Level with javac against smile-core/smile-base 3.1.1 and slf4j-api from ~/.m2 (no
# Maven run) into $OUT/classes, then the named benchmark classes into $OUT/bench, and sets LIB (the class path).
# Usage: compile_sessions BenchmarkClass...      (needs OUT and M2 set, the working folder the project root)
compile_sessions() {
  LIB="$M2/com/github/haifengl/smile-core/3.1.1/smile-core-3.1.1.jar:$M2/com/github/haifengl/smile-base/3.1.1/smile-base-3.1.1.jar"
  local slf4j
  slf4j=$(ls "$M2"/org/slf4j/slf4j-api/2.0.*/slf4j-api-2.0.*.jar 2>/dev/null | sort -V | tail -1)
  [[ -n $slf4j ]] || { echo "slf4j-api 2.0.x not found under $M2 (smile 3.1.1 logs through it)" >&2; exit 1; }
  LIB="$LIB:$slf4j"
  rm -rf "$OUT" && mkdir -p "$OUT/classes" "$OUT/bench"
  local d=src/main/java/io/logwarden/detect
  javac -cp "$LIB" -d "$OUT/classes" $d/{TemplateMiner,Template,TemplateSnapshot,Masker,SignatureCache,PreparedMessage,RobustBaseline,WindowIsolationDetector}.java \
    $d/Session*.java src/main/java/io/logwarden/event/Level.java
  local sources=()
  for c in BenchData "$@"; do sources+=("bench/src/io/logwarden/bench/$c.java"); done
  javac -cp "$OUT/classes:$LIB" -d "$OUT/bench" "${sources[@]}"
}
