#!/usr/bin/env bash
# Runs a real HAProxy (Debian haproxy 2.6) on 127.0.0.1:PORT in front of two backend.py servers (s1 on BACKEND_PORT,
# owned by traffic.py, and s2 on BACKEND_PORT+1), health-checked on /healthz, logging its HTTP log through syslog
# to syslogd.py (rsyslog's traditional file format, as /var/log/haproxy.log is on Debian), drives one traffic.py
# scenario and keeps the log exactly as written, with the labels traffic.py wrote from the incidents it injected.
#
# usage: bench/real-logs/haproxy.sh SCENARIO OUTDIR [PORT BACKEND_PORT]     SCENARIO: haproxy-d (see traffic.py)
#   writes OUTDIR/SCENARIO.log and OUTDIR/SCENARIO.labels.tsv
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scenario="$1"; out="$(mkdir -p "$2" && cd "$2" && pwd)"
port="${3:-18880}"; bport="${4:-18881}"; b2=$((bport + 1))
command -v haproxy >/dev/null || { echo "haproxy not installed: apt-get install haproxy" >&2; exit 1; }
work="$(mktemp -d /tmp/logwarden-haproxy.XXXXXX)"; chmod 755 "$work"
cat > "$work/haproxy.cfg" <<CONF
global
    log $work/log.sock local0
    pidfile $work/haproxy.pid
    maxconn 512
defaults
    mode http
    log global
    option httplog
    option dontlognull
    timeout connect 1s
    timeout client 15s
    timeout server 1s
    retries 2
    option redispatch
frontend shop
    bind 127.0.0.1:$port
    default_backend app
backend app
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
    server s1 127.0.0.1:$bport check
    server s2 127.0.0.1:$b2 check
CONF
python3 "$here/syslogd.py" "$work/log.sock" "$work/haproxy.log" & syslogd_pid=$!
for _ in $(seq 50); do [ -S "$work/log.sock" ] && break; sleep 0.1; done
python3 "$here/backend.py" "$b2" "$work/FAIL500" & b2_pid=$!
haproxy_pid=""
cleanup() {
    kill $haproxy_pid "$b2_pid" "${traffic_pid:-}" 2>/dev/null || true; wait $haproxy_pid "$b2_pid" 2>/dev/null || true
    sleep 0.3; kill "$syslogd_pid" 2>/dev/null || true; wait "$syslogd_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
# traffic.py starts s1 itself; HAProxy starts once s1 and s2 listen, so that its log does not begin with s1 down
python3 "$here/traffic.py" "$scenario" --nginx-port "$port" --backend-port "$bport" --workdir "$work" \
    --labels "$out/$scenario.labels.tsv" & traffic_pid=$!
for p in "$bport" "$b2"; do
    for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && break; sleep 0.05; done
done
TZ=UTC haproxy -f "$work/haproxy.cfg" -db & haproxy_pid=$!
wait "$traffic_pid"
kill -USR1 "$haproxy_pid"; wait "$haproxy_pid" || true   # soft stop: HAProxy finishes its sessions and logs them
sleep 0.5
cp "$work/haproxy.log" "$out/$scenario.log"
echo "$scenario: $(wc -l < "$out/$scenario.log") lines" >&2
