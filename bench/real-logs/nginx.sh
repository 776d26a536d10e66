#!/usr/bin/env bash
# Runs a real nginx (Debian nginx-light) on 127.0.0.1:NGINX_PORT with its own prefix, config and logs under a temp
# dir, in front of backend.py on 127.0.0.1:BACKEND_PORT, drives one traffic.py scenario and copies the logs exactly
# as nginx wrote them, with the labels traffic.py wrote from the incidents it injected.
#
# usage: bench/real-logs/nginx.sh SCENARIO OUTDIR [NGINX_PORT BACKEND_PORT]
#   SCENARIO: nginx-4min | nginx-500burst | nginx-10min | heldout-a | -b | -c | -d (see traffic.py); the held-out
#   ones answer 413 above 1 MB and 504 when the upstream takes over 1 s, and log in nginx's default combined format
#   (a-c) or with request and upstream times (d, as the others)
#   writes OUTDIR/SCENARIO.access.log, OUTDIR/SCENARIO.access.labels.tsv, OUTDIR/SCENARIO.error.log
#   and OUTDIR/SCENARIO.error.labels.tsv
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scenario="$1"; out="$(mkdir -p "$2" && cd "$2" && pwd)"
nport="${3:-18180}"; bport="${4:-18181}"
command -v nginx >/dev/null || { echo "nginx not installed: apt-get install nginx-light" >&2; exit 1; }
work="$(mktemp -d /tmp/logwarden-nginx.XXXXXX)"
mkdir -p "$work"/{logs,tmp}
. "$here/shop-static.sh"; shop_static "$work"

log=main_ext; limits=""
case $scenario in
    heldout-d) limits="client_max_body_size 1m; proxy_read_timeout 1s;" ;;   # with request and upstream times
    heldout-*) log=combined; limits="client_max_body_size 1m; proxy_read_timeout 1s;" ;;
esac
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    # combined plus request time, upstream response time and upstream address: a common production layout
    log_format main_ext '\$remote_addr - \$remote_user [\$time_local] "\$request" \$status \$body_bytes_sent '
                        '"\$http_referer" "\$http_user_agent" \$request_time \$upstream_response_time \$upstream_addr';
    access_log $work/logs/access.log $log;
    $limits
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;
    sendfile on;
    keepalive_timeout 15;
    limit_req_zone \$binary_remote_addr zone=perip:10m rate=10r/s;
    upstream shop { server 127.0.0.1:$bport; keepalive 16; }
    server {
        listen 127.0.0.1:$nport;
        server_name shop.example;
        root $work/html;
        limit_req zone=perip burst=20 nodelay;
        location /static/ { expires 7d; }
        location = /favicon.ico { }
        location / {
            proxy_pass http://shop;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_connect_timeout 2s;
        }
    }
}
CONF
user_line="user nobody nogroup;"
sed -i "1i $user_line" "$work/nginx.conf"
nginx -t -q -p "$work" -c "$work/nginx.conf" -e "$work/logs/error.log"
TZ=UTC nginx -p "$work" -c "$work/nginx.conf" -e "$work/logs/error.log" -g 'daemon off;' &
nginx_pid=$!
cleanup() { kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$nport) 2>/dev/null && break; sleep 0.1; done

python3 "$here/traffic.py" "$scenario" --nginx-port "$nport" --backend-port "$bport" --workdir "$work" \
    --labels "$out/$scenario.access.labels.tsv"
kill -QUIT "$nginx_pid"; wait "$nginx_pid" || true   # graceful stop: nginx flushes and closes its logs
cp "$work/logs/access.log" "$out/$scenario.access.log"
cp "$work/logs/error.log" "$out/$scenario.error.log"
# The error log's labels: the incidents nginx itself reports, the outage (naming the upstream) and the flood (naming
# the client); in the held-out scenarios the upstream timeouts, the refused uploads and the missing script (nginx
# logs a static file it cannot open). The brute force, the scan and the 500 bursts are the application's answers
# (401/404/500) and leave nothing there, so for the 500-burst scenarios the list is empty and only false alarms count.
python3 - "$out/$scenario.access.labels.tsv" "$out/$scenario.error.labels.tsv" <<'PY'
import sys
kept = ("outage\t", "flood\t", "slow-upstream\t", "uploads\t", "missing-asset\t", "#", "id\t")
rows = [l for l in open(sys.argv[1]) if l.startswith(kept)]
rows.insert(1, "# error log of the same run: only the incidents nginx itself logs (upstream failures, limit_req)\n")
open(sys.argv[2], "w").writelines(rows)
PY
echo "$scenario: $(wc -l < "$out/$scenario.access.log") access lines, $(wc -l < "$out/$scenario.error.log") error lines" >&2
