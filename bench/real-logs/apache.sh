#!/usr/bin/env bash
# Runs a real Apache httpd (Debian apache2 2.4, mpm_event) on 127.0.0.1:PORT with its own config and logs under a
# temp dir, serving the shop's static files itself and proxying the rest to backend.py on 127.0.0.1:BACKEND_PORT
# (ProxyTimeout 1: 502 when it expires), logging in the combined format and Apache's default error-log format at LogLevel warn; drives one
# traffic.py scenario and copies the logs exactly as Apache wrote them, with the labels of the incidents injected.
#
# usage: bench/real-logs/apache.sh SCENARIO OUTDIR [PORT BACKEND_PORT]     SCENARIO: apache-e (see traffic.py)
#   writes OUTDIR/SCENARIO.access.log, OUTDIR/SCENARIO.access.labels.tsv, OUTDIR/SCENARIO.error.log
#   and OUTDIR/SCENARIO.error.labels.tsv
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scenario="$1"; out="$(mkdir -p "$2" && cd "$2" && pwd)"
port="${3:-19080}"; bport="${4:-19081}"
command -v apache2 >/dev/null || { echo "apache2 not installed: apt-get install apache2" >&2; exit 1; }
work="$(mktemp -d /tmp/logwarden-apache.XXXXXX)"
mkdir -p "$work"/{logs,run}
. "$here/shop-static.sh"; shop_static "$work"
mods=/usr/lib/apache2/modules
cat > "$work/httpd.conf" <<CONF
ServerRoot $work
PidFile $work/run/httpd.pid
DefaultRuntimeDir $work/run
Listen 127.0.0.1:$port
ServerName shop.example
User nobody
Group nogroup
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule mime_module $mods/mod_mime.so
LoadModule proxy_module $mods/mod_proxy.so
LoadModule proxy_http_module $mods/mod_proxy_http.so
TypesConfig /etc/mime.types
ErrorLog $work/logs/error.log
LogLevel warn
LogFormat "%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"" combined
CustomLog $work/logs/access.log combined
KeepAliveTimeout 15
DocumentRoot $work/html
<Directory $work/html>
    Require all granted
</Directory>
ProxyTimeout 1
ProxyPass /static/ !
ProxyPass /favicon.ico !
ProxyPass / http://127.0.0.1:$bport/ retry=0
ProxyPassReverse / http://127.0.0.1:$bport/
CONF
apache2 -t -f "$work/httpd.conf" 2>&1 | grep -v "Syntax OK" || true
TZ=UTC apache2 -f "$work/httpd.conf" -DFOREGROUND &
httpd_pid=$!
cleanup() { kill "$httpd_pid" 2>/dev/null || true; wait "$httpd_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done

python3 "$here/traffic.py" "$scenario" --nginx-port "$port" --backend-port "$bport" --workdir "$work" \
    --labels "$out/$scenario.access.labels.tsv"
kill -WINCH "$httpd_pid"; wait "$httpd_pid" || true   # graceful stop: Apache finishes its requests and logs them
cp "$work/logs/access.log" "$out/$scenario.access.log"
cp "$work/logs/error.log" "$out/$scenario.error.log"
# The error log's labels: what Apache itself reports, the backend refusing connections and the proxy timeouts; the
# spray is the application's 401s and leaves nothing there.
python3 - "$out/$scenario.access.labels.tsv" "$out/$scenario.error.labels.tsv" <<'PY'
import sys
kept = ("backend-down\t", "slow-items\t", "#", "id\t")
rows = [l for l in open(sys.argv[1]) if l.startswith(kept)]
rows.insert(1, "# error log of the same run: only the incidents Apache itself logs (proxy failures)\n")
open(sys.argv[2], "w").writelines(rows)
PY
echo "$scenario: $(wc -l < "$out/$scenario.access.log") access lines, $(wc -l < "$out/$scenario.error.log") error lines" >&2
