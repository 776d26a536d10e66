#!/usr/bin/env bash
# Incidents benchmark: Logwarden's `analyze` with default settings on the labelled real logs of bench/real-logs/logs
# (nginx, OpenSSH, PostgreSQL, and our own application's log), scored per file: incidents found, influencer named,
# missed, false alarms. See bench/README.md.
#
# On a fresh clone (JDK 17 and python3; no pip packages):
#   bench/run-incidents.sh                 # builds target/logwarden.jar if missing, then scores every labelled log
#   bench/run-incidents.sh --slack 0       # options go to bench/score-incidents.py (--quiet, --keep DIR, FILE...)
#   REBUILD=1 bench/run-incidents.sh       # rebuild the jar first (after a code change)
# To make the logs again (about 10 minutes, as root, Debian packages nginx-light openssh-server sshpass
# postgresql): bench/real-logs/generate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/logwarden.jar ] || [ -n "${REBUILD:-}" ]; then
    offline=-o; [ -d "$HOME/.m2/repository/org/springframework/boot" ] || offline=
    ./mvnw -B -ntp $offline -q package -DskipTests
fi
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), nproc $(nproc)" >&2
exec python3 bench/score-incidents.py "$@"
