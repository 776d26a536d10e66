#!/usr/bin/env bash
# Does a change alter what `analyze` reports? Runs two jars on the same inputs and compares their output byte for
# byte: the ten Loghub 2k logs of ../shared/bench-data (read in place), bench/real-logs/logs, the held-out sets
# (bench/real-logs/heldout*) and samples/. Prints "same" or "DIFF old-count -> new-count" per file, and keeps both outputs for reading.
#
#   git worktree add /tmp/base HEAD && (cd /tmp/base && ./mvnw -q -o package -DskipTests)   # the reference jar
#   ./mvnw -q -o package -DskipTests                                                          # this change
#   bench/compare-analyze.sh /tmp/base/target/logwarden.jar target/logwarden.jar [OUTDIR] [FILE...]
#   diff <(python3 -m json.tool --json-lines OUTDIR/old/F.json) <(python3 -m json.tool --json-lines OUTDIR/new/F.json)
# Exit status 1 when any output differs. OUTDIR defaults to /tmp/logwarden-compare.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
old=$1 new=$2 out=${3:-/tmp/logwarden-compare}
shift $(( $# >= 3 ? 3 : 2 ))
for jar in "$old" "$new"; do [ -f "$jar" ] || { echo "no such jar: $jar" >&2; exit 2; }; done
if [ $# -gt 0 ]; then
    files=("$@")
else
    shopt -s nullglob
    files=(../shared/bench-data/loghub2k/*/*_2k.log bench/real-logs/logs/*.log bench/real-logs/logs/*.log.gz
           bench/real-logs/heldout*/*.log bench/real-logs/heldout*/*.log.gz samples/*.log samples/*.log.gz)
fi
mkdir -p "$out/old" "$out/new"
differ=0
for f in "${files[@]}"; do
    b=$(basename "$f")
    java -jar "$old" analyze "$f" > "$out/old/$b.json" 2> "$out/old/$b.err" || echo "old jar failed on $f (see $out/old/$b.err)"
    java -jar "$new" analyze "$f" > "$out/new/$b.json" 2> "$out/new/$b.err" || echo "new jar failed on $f (see $out/new/$b.err)"
    if cmp -s "$out/old/$b.json" "$out/new/$b.json"; then
        echo "same $f"
    else
        echo "DIFF $f $(wc -l < "$out/old/$b.json") -> $(wc -l < "$out/new/$b.json") anomalies"
        differ=1
    fi
done
echo "outputs in $out/old and $out/new"
exit $differ
