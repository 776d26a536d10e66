#!/usr/bin/env python3
"""Runs a real Monit (Debian monit 5.33) as the process supervisor of a small shop's application box on 127.0.0.1,
lets it watch the services this script runs, drives what operators do with it, injects labelled incidents and keeps
Monit's own log exactly as it writes it (`set log WORK/monit.log`: "[2026-12-03T15:50:54+0000] error    : 'webapp'
failed protocol test [HTTP] at [localhost]:20195/health [TCP/IP] -- HTTP: Error receiving data -- Resource
temporarily unavailable"; Monit logs state changes and actions, and a failing test again at every cycle).

usage: bench/real-logs/monit.py OUTDIR
  writes OUTDIR/monit-n.log and OUTDIR/monit-n.labels.tsv; SCALE=0.1 multiplies every duration (a short test run;
  the daemon cycle is then 1 s instead of 5 s and the thresholds shrink with it)

Monit runs in the foreground as `monit -I -c WORK/monitrc` (TZ=UTC, stopped with SIGTERM) with its own monitrc
(mode 0600): `set daemon 5`, `set log`, `set idfile`, `set statefile`, `set pidfile` in the work dir, `set httpd port
20194 and use address 127.0.0.1 allow admin:s3cret` (the operators' `monit -c WORK/monitrc status/restart/
monitor/unmonitor/reload` go through it; "secret" is a keyword in Monit's grammar, so the password is s3cret), no
mail server (alerts are only logged). What it checks:
  system          `check system $HOST`: load and memory (thresholds this box does not reach; no cpu test, as
                  the machine's other tenants keep its cpu busy)
  webapp          the shop's web app (python3 WORK/bin/webapp.py, pidfile): `if failed port 20195 protocol http
                  request "/health" with timeout 5 seconds then restart`, `if 3 restarts within 10 cycles then
                  unmonitor` (after a restart Monit leaves the new instance a few cycles, so the loop restarts it
                  about every 20 s); the script sends it a little customer traffic (127.0.0.10-19) so its access log grows
  broker          a small job broker (TCP on 127.0.0.1:20196, line protocol): `if failed port 20196 send "PING\\r\\n"
                  expect "PONG" then restart`
  worker          the order worker (pidfile; started by WORK/bin/worker-ctl, which checks WORK/etc/worker.conf first)
  worker-beat     (added by an admin during the run) `check file` on the worker's heartbeat, timestamp > 30 s
  db-backup       `check file` on the database dump a cron job copies every 20 s to the NAS share: timestamp > 60 s,
                  size < 100 KB
  app-log         `check file` on the web app's access log: `if size > 25 KB then exec rotate-applog` (routine
                  rotations)
  nas01           `check host` 127.0.0.30, `if failed port 20196 type tcp` (the NAS's file service, a listener this
                  script runs on 127.0.0.30:20196)
  rootfs          `check filesystem` on /: space and inode usage
  queue-depth     `check program` reading the broker's queue depth: exit 1 (WARNING) over 250 jobs
  cert-expiry     `check program ... every 6 cycles`: a TLS certificate that expires in 12 days (WARNING each time)
Normal noise: queue-depth warnings now and then (a burst of orders, 10-25 s), the cert-expiry warning every 30 s,
app-log rotations, an operator's routine `monit restart broker`, an admin adding the worker heartbeat check and
later raising a limit (each `monit reload`: "Reinitializing Monit -- control file", "'HOST' Monit reloaded"), a
maintenance on the broker between `monit unmonitor broker` and `monit monitor broker`, `monit status` calls.

Incidents (about 10 minutes in all: 90 s of normal traffic, each incident followed by 65-75 s of it):
  webapp-hang     a malformed job lands in the web app's queue; the app's job thread deadlocks on it holding the
                  lock every request needs, so /health hangs: "failed protocol test [HTTP] ... Error receiving data",
                  "trying to restart", "stop:", "start:" at every cycle (each new instance picks the job up again)
                  until "'webapp' service restarted 3 times within N cycles(s) - unmonitor"; 30 s later an operator
                  moves the job to quarantine and runs `monit restart webapp` (on the unmonitored service that
                  only re-enables monitoring: the next test fails once more, Monit restarts the hung instance, and
                  the new one answers: "connection succeeded")
  worker-bad-deploy  a deploy ships a worker.conf the new release cannot read (the setting it needs was renamed)
                  and runs `monit restart worker`: "stop:", "start:", "failed to start (exit status 1) -- ...:
                  worker: ... missing required setting 'broker_url'", then at every cycle "process is not running",
                  "trying to restart", start failing again, and the new heartbeat check failing, until the deploy is
                  rolled back 60 s later and the next start succeeds
  nas-outage      the NAS 127.0.0.30 goes away for 100 s: "'nas01' failed protocol test [DEFAULT] at
                  [127.0.0.30]:20196 [TCP/IP] -- Connection refused" at every cycle; the backup job cannot copy the
                  dump, so after 60 s "'db-backup' modify/change time for ... failed" at every cycle, until the NAS
                  is back and the next backup run succeeds
Needs (Debian): monit. Standard library only.
"""
import calendar
import ctypes
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from drivers import begin, now, sleep_until, stop_process, keep_log
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "monit-n"
MONIT = "/usr/bin/monit"
HTTPD_PORT, WEB_PORT, BROKER_PORT = 20194, 20195, 20196
NAS = "127.0.0.30"
CYCLE = max(1, round(5 * SCALE))
ENV = dict(os.environ, TZ="UTC")
SPAWN = threading.Lock()   # held while the driver starts a program of its own and while the reaper looks
KEEP = set()               # the driver's own children (the reaper leaves them to their Popen)


def run(args, timeout=60, check=False, capture=False, quiet=False):
    """Runs a program (a ctl script, the monit CLI); returns (exit status, output when capture)."""
    out = subprocess.PIPE if capture else (subprocess.DEVNULL if quiet else None)
    err = subprocess.STDOUT if capture else (subprocess.DEVNULL if quiet else None)
    with SPAWN:
        p = subprocess.Popen(args, env=ENV, stdout=out, stderr=err, text=True)
        KEEP.add(p.pid)
    try:
        text, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        text, _ = p.communicate()
    KEEP.discard(p.pid)
    if check and p.returncode != 0:
        raise SystemExit("%s exited with %s" % (" ".join(args), p.returncode))
    return p.returncode, text or ""


class Reaper:
    """The driver is the services' init: their daemons double-fork, and the orphans come to this process (a child
    subreaper, as systemd is on a real box); it reaps them at once, so Monit never sees a dead service as a zombie."""

    def __init__(self):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)   # PR_SET_CHILD_SUBREAPER
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        me = os.getpid()
        while not self.stop.wait(0.2):
            with SPAWN:
                for d in os.listdir("/proc"):
                    if not d.isdigit() or int(d) in KEEP:
                        continue
                    try:
                        with open("/proc/%s/stat" % d) as f:
                            fields = f.read().rsplit(")", 1)[1].split()
                        if fields[0] == "Z" and int(fields[1]) == me:
                            os.waitpid(int(d), os.WNOHANG)
                    except (OSError, IndexError, ValueError):
                        pass


def S(seconds):
    return seconds * SCALE


# ---- the programs Monit watches (written to WORK/bin) -----------------------------------------------------------

DAEMON = r'''
import os, sys, time
def daemonize(pidfile, logfile):
    if os.fork():
        os._exit(0)
    os.setsid()
    if os.fork():
        os._exit(0)
    fd = os.open(os.devnull, os.O_RDWR)
    os.dup2(fd, 0)
    out = os.open(logfile, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(out, 1)
    os.dup2(out, 2)
    with open(pidfile + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(pidfile + ".tmp", pidfile)
'''

WEBAPP = r'''#!/usr/bin/python3
# the shop's web app: /health, /, /products, /cart; a job thread works through WORK/spool/webapp
import os, sys, time, threading, json
sys.path.insert(0, os.path.dirname(__file__))
from daemon import daemonize
WORK = sys.argv[1]
PORT = int(sys.argv[2])
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
daemonize(WORK + "/run/webapp.pid", WORK + "/log/webapp.err")
state = threading.Lock()
SPOOL = WORK + "/spool/webapp"

def jobs():
    while True:
        for name in sorted(os.listdir(SPOOL)):
            path = os.path.join(SPOOL, name)
            with state:
                try:
                    with open(path) as f:
                        job = json.load(f)
                except (OSError, ValueError):
                    continue
                if "order" not in job:          # the bug: a job without an order waits for it forever
                    threading.Event().wait()
                os.unlink(path)
        time.sleep(0.5)

class H(BaseHTTPRequestHandler):
    server_version = "shop/2.4"
    sys_version = ""
    def do_GET(self):
        with state:
            body = b"OK\n" if self.path.startswith("/health") else b"<html>shop</html>\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, fmt, *args):
        with open(WORK + "/log/webapp.log", "a") as f:
            f.write("%s - - [%s] %s\n" % (self.client_address[0], self.log_date_time_string(), fmt % args))

class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
threading.Thread(target=jobs, daemon=True).start()
Server(("127.0.0.1", PORT), H).serve_forever()
'''

BROKER = r'''#!/usr/bin/python3
# a small job broker: PING -> PONG, DEPTH -> n
import os, sys, socketserver
sys.path.insert(0, os.path.dirname(__file__))
from daemon import daemonize
WORK = sys.argv[1]
PORT = int(sys.argv[2])
daemonize(WORK + "/run/broker.pid", WORK + "/log/broker.log")

class H(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            cmd = line.strip().upper()
            if cmd == b"PING":
                self.wfile.write(b"PONG\r\n")
            elif cmd == b"QUIT":
                return
            else:
                self.wfile.write(b"OK\r\n")

class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
Server(("127.0.0.1", PORT), H).serve_forever()
'''

WORKER = r'''#!/usr/bin/python3
# the order worker: reads its config, then beats its heartbeat file every 2 s
import os, sys, time
sys.path.insert(0, os.path.dirname(__file__))
from daemon import daemonize
WORK = sys.argv[1]
conf = WORK + "/etc/worker.conf"
settings = {}
for n, line in enumerate(open(conf), 1):
    line = line.strip()
    if line and not line.startswith("#"):
        k, _, v = line.partition("=")
        settings[k.strip()] = v.strip()
if "broker_url" not in settings:
    sys.stderr.write("worker: %s: missing required setting 'broker_url' (release %s)\n"
                     % (conf, open(WORK + "/app/RELEASE").read().strip()))
    sys.exit(1)
daemonize(WORK + "/run/worker.pid", WORK + "/log/worker.log")
while True:
    with open(WORK + "/run/worker.heartbeat", "w") as f:
        f.write("%d\n" % time.time())
    time.sleep(2)
'''

CTL = r'''#!/bin/sh
# WORK/bin/NAME-ctl start|stop
W=@WORK@
case "$1" in
start)
    exec /usr/bin/python3 $W/bin/@NAME@.py $W @ARGS@ ;;
stop)
    [ -f $W/run/@NAME@.pid ] || exit 0
    pid=$(cat $W/run/@NAME@.pid)
    kill $pid 2>/dev/null
    i=0
    while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
    kill -9 $pid 2>/dev/null
    rm -f $W/run/@NAME@.pid
    exit 0 ;;
esac
echo "usage: $0 start|stop" >&2
exit 2
'''

CHECK_QUEUE = r'''#!/bin/sh
# Nagios-style plugin: the broker's queue depth (written by the broker's stats job)
d=$(cat @WORK@/run/queue.depth 2>/dev/null || echo 0)
if [ "$d" -gt @CRIT@ ]; then echo "CRITICAL: queue depth $d > @CRIT@"; exit 2; fi
if [ "$d" -gt @WARN@ ]; then echo "WARNING: queue depth $d > @WARN@"; exit 1; fi
echo "OK: queue depth $d"; exit 0
'''

CHECK_CERT = r'''#!/bin/sh
# Nagios-style plugin: days until the shop's TLS certificate expires
echo "WARNING: certificate for shop.example expires in 12 days (notAfter=Dec 15 23:59:59 2026 GMT)"
exit 1
'''

ROTATE = r'''#!/bin/sh
# rotates the web app's access log (the app opens it for each line)
cd @WORK@/log && mv -f webapp.log.1 webapp.log.2 2>/dev/null; mv -f webapp.log webapp.log.1 && : > webapp.log
'''


def monitrc(work, beat=False, queue_warn=250):
    sec = lambda x: max(3, round(x * SCALE))
    kb = lambda x: max(2, round(x * SCALE))
    text = """# monitrc of app01 (shop)
set daemon {cycle}
set log {w}/monit.log
set idfile {w}/monit.id
set statefile {w}/monit.state
set pidfile {w}/monit.pid
set httpd port {hp} and use address 127.0.0.1 allow admin:s3cret

check system $HOST
  if loadavg (5min) > 12 then alert
  if memory usage > 95% then alert

check process webapp with pidfile {w}/run/webapp.pid
  start program = "{w}/bin/webapp-ctl start" with timeout 15 seconds
  stop program = "{w}/bin/webapp-ctl stop"
  if failed port {wp} protocol http request "/health" with timeout 5 seconds then restart
  if 3 restarts within 10 cycles then unmonitor

check process broker with pidfile {w}/run/broker.pid
  start program = "{w}/bin/broker-ctl start" with timeout 15 seconds
  stop program = "{w}/bin/broker-ctl stop"
  if failed port {bp} send "PING\\r\\n" expect "PONG" with timeout 3 seconds then restart

check process worker with pidfile {w}/run/worker.pid
  start program = "{w}/bin/worker-ctl start" with timeout 10 seconds
  stop program = "{w}/bin/worker-ctl stop"
  depends on broker
""".format(cycle=CYCLE, w=work, hp=HTTPD_PORT, wp=WEB_PORT, bp=BROKER_PORT)
    if beat:
        text += """
check file worker-beat with path {w}/run/worker.heartbeat
  if timestamp > {t} seconds then alert
""".format(w=work, t=sec(30))
    text += """
check file db-backup with path {w}/mnt/nas/backup/orders.dump
  if timestamp > {t} seconds then alert
  if size < 100 KB then alert

check file app-log with path {w}/log/webapp.log
  if size > {kb} KB then exec "{w}/bin/rotate-applog"

check host nas01 with address {nas}
  if failed port {bp} type tcp with timeout 3 seconds then alert

check filesystem rootfs with path /
  if space usage > 97% then alert
  if inode usage > 97% then alert

check program queue-depth with path "{w}/bin/check_queue"
  if status != 0 then alert

check program cert-expiry with path "{w}/bin/check_cert" every 6 cycles
  if status != 0 then alert
""".format(w=work, t=sec(60), kb=kb(25), nas=NAS, bp=BROKER_PORT)
    return text


class Monit:
    def __init__(self, work):
        self.work = work
        self.log = os.path.join(work, "monit.log")
        self.rc = os.path.join(work, "monitrc")
        self.proc = None

    def setup(self):
        w = self.work
        for d in ("bin", "run", "log", "etc", "app", "spool/webapp", "quarantine", "mnt/nas/backup", "backup"):
            os.makedirs(os.path.join(w, d), exist_ok=True)
        files = {"bin/daemon.py": DAEMON, "bin/webapp.py": WEBAPP, "bin/broker.py": BROKER, "bin/worker.py": WORKER,
                 "bin/check_cert": CHECK_CERT, "bin/rotate-applog": ROTATE.replace("@WORK@", w),
                 "bin/check_queue": CHECK_QUEUE.replace("@WORK@", w).replace("@WARN@", "250")
                 .replace("@CRIT@", "1000")}
        for name, args in (("webapp", str(WEB_PORT)), ("broker", str(BROKER_PORT)), ("worker", "")):
            files["bin/%s-ctl" % name] = CTL.replace("@WORK@", w).replace("@NAME@", name).replace("@ARGS@", args)
        for name, text in files.items():
            path = os.path.join(w, name)
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, 0o755)
        self.write_worker_conf(good=True)
        with open(os.path.join(w, "app/RELEASE"), "w") as f:
            f.write("2026.11.3\n")
        with open(os.path.join(w, "run/queue.depth"), "w") as f:
            f.write("12\n")
        open(os.path.join(w, "log/webapp.log"), "a").close()
        self.write_rc()

    def write_worker_conf(self, good):
        key = "broker_url" if good else "queue_url"
        with open(os.path.join(self.work, "etc/worker.conf"), "w") as f:
            f.write("# order worker\n%s = tcp://127.0.0.1:%d\nconcurrency = 4\nretry_delay = 10\n"
                    % (key, BROKER_PORT))

    def write_rc(self, **kw):
        with open(self.rc + ".new", "w") as f:
            f.write(monitrc(self.work, **kw))
        os.chmod(self.rc + ".new", 0o600)
        os.rename(self.rc + ".new", self.rc)

    def start_services(self):
        """The services were started at boot before Monit (by their init scripts)."""
        for name in ("broker", "webapp", "worker"):
            run([os.path.join(self.work, "bin/%s-ctl" % name), "start"], check=True, quiet=True, timeout=20)
        time.sleep(1)

    def start(self, reaper):
        rc, out = run([MONIT, "-t", "-c", self.rc], capture=True)   # checks the rc
        if rc != 0:
            raise SystemExit("monit -t: %s" % out)
        with SPAWN:
            self.proc = subprocess.Popen([MONIT, "-I", "-c", self.rc], env=ENV, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, cwd=self.work)
            KEEP.add(self.proc.pid)
        deadline = now() + 15
        while now() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("monit exited with %s" % self.proc.returncode)
            if self.since(0, "Monit 5."):
                return
            time.sleep(0.2)
        raise SystemExit("monit did not start")

    def cli(self, *args):
        return run([MONIT, "-c", self.rc] + list(args), capture=True, timeout=30)

    def lines(self):
        """(epoch, text) of each line of the log."""
        out = []
        try:
            with open(self.log, errors="replace") as f:
                for line in f:
                    m = re.match(r"\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\+0000\] (.*)", line)
                    if m:
                        out.append((calendar.timegm(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")), m.group(2)))
        except OSError:
            pass
        return out

    def since(self, t, pattern):
        """Times of the lines at or after t (whole seconds) matching the regex pattern."""
        rx = re.compile(pattern)
        return [e for e, text in self.lines() if e >= int(t) and rx.search(text)]

    def wait_for(self, t, pattern, seconds):
        deadline = now() + seconds
        while now() < deadline:
            got = self.since(t, pattern)
            if got:
                return got[0]
            time.sleep(0.5)
        return None

    def stop(self):
        stop_process(self.proc, seconds=10)

    def stop_services(self):
        for name in ("worker", "webapp", "broker"):
            try:
                run([os.path.join(self.work, "bin/%s-ctl" % name), "stop"], timeout=20, quiet=True)
            except (OSError, subprocess.SubprocessError):
                pass
        # anything still running from the work dir (a daemon whose pidfile was lost)
        marker = self.work.encode() + b"/bin/"
        for d in os.listdir("/proc"):
            if d.isdigit() and int(d) != os.getpid():
                try:
                    with open("/proc/%s/cmdline" % d, "rb") as f:
                        if marker in f.read():
                            os.kill(int(d), signal.SIGKILL)
                except OSError:
                    pass


class Nas:
    """The NAS's file service on 127.0.0.30:20196 (accepts and closes); down() closes the listener."""

    def __init__(self):
        self.sock = None
        self.lock = threading.Lock()
        self.thread = None

    def up(self):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((NAS, BROKER_PORT))
        s.listen(16)
        s.settimeout(0.5)
        self.sock = s
        self.thread = threading.Thread(target=self.serve, args=(s,), daemon=True)
        self.thread.start()

    def serve(self, s):
        while self.sock is s:
            try:
                c, _ = s.accept()
                c.close()
            except socket.timeout:
                continue
            except OSError:
                return

    def down(self):
        s, self.sock = self.sock, None
        if s:
            s.close()
        if self.thread:
            self.thread.join(2)

    def reachable(self):
        try:
            c = socket.create_connection((NAS, BROKER_PORT), timeout=2, source_address=("127.0.0.5", 0))
            c.close()
            return True
        except OSError:
            return False


class Traffic:
    """Customer requests to the web app, the backup cron job, the broker's queue depth."""

    def __init__(self, monit, nas, seed):
        self.monit, self.nas = monit, nas
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.counts = {}
        self.backups = []   # (time, ok)

    def count(self, k):
        self.counts[k] = self.counts.get(k, 0) + 1

    def customers(self):
        rng = random.Random(self.rng.random())
        paths = ["/", "/products", "/products?page=2", "/cart", "/product/%d", "/search?q=lamp", "/static/app.css"]
        while not self.stop.wait(rng.expovariate(1.5)):
            p = rng.choice(paths)
            if "%d" in p:
                p = p % rng.randint(100, 999)
            src = "127.0.0.%d" % rng.randint(10, 19)
            try:
                conn = socket.create_connection(("127.0.0.1", WEB_PORT), timeout=3, source_address=(src, 0))
                conn.sendall(("GET %s HTTP/1.0\r\nHost: shop.example\r\nUser-Agent: Mozilla/5.0\r\n\r\n" % p).encode())
                conn.recv(4096)
                conn.close()
                self.count("ok")
            except OSError:
                self.count("failed")

    def backup_job(self):
        rng = random.Random(self.rng.random())
        path = os.path.join(self.monit.work, "mnt/nas/backup/orders.dump")
        while True:
            if self.nas.reachable():
                with open(path + ".part", "wb") as f:
                    f.write(os.urandom(rng.randint(150000, 180000)))
                os.rename(path + ".part", path)
                self.backups.append((now(), True))
            else:
                self.backups.append((now(), False))
            if self.stop.wait(S(20)):
                return

    def queue(self):
        """The broker's stats job writes the queue depth every 2 s; a burst of orders now and then."""
        rng = random.Random(self.rng.random())
        path = os.path.join(self.monit.work, "run/queue.depth")
        burst_at, burst_end = now() + S(rng.uniform(50, 80)), 0
        while not self.stop.wait(2):
            t = now()
            if t >= burst_at:
                burst_end = t + S(rng.uniform(10, 25))
                burst_at = t + S(rng.uniform(70, 130))
                self.count("bursts")
            d = rng.randint(260, 420) if t < burst_end else rng.randint(3, 60)
            with open(path + ".tmp", "w") as f:
                f.write("%d\n" % d)
            os.rename(path + ".tmp", path)

    def start(self):
        for fn in (self.customers, self.backup_job, self.queue):
            threading.Thread(target=fn, daemon=True).start()


def main():
    work = begin(OUT, "monit", __doc__)
    reaper = Reaper()
    monit = Monit(work)
    nas = Nas()
    traffic = Traffic(monit, nas, 2026)
    labels = Labels()
    marks = {}
    ok = False
    t_start = now()
    try:
        version = run([MONIT, "-V"], capture=True)[1].split("\n")[0].replace("This is ", "")
        labels.note("made by bench/real-logs/monit.py: real %s (Debian monit) run as `monit -I -c monitrc` in a temp "
                    "dir, set daemon %d, set log to a file, httpd on 127.0.0.1:%d for the operators' CLI, no mail "
                    "server; it watches a web app (HTTP :%d /health, restart, 3 restarts within 10 cycles then "
                    "unmonitor), a job broker (TCP :%d PING/PONG), an order worker (pidfile), a backup dump on a NAS "
                    "share (timestamp), the app's access log (size, rotation), a NAS host check (127.0.0.30), the "
                    "root filesystem, a queue-depth program and a cert-expiry program; TZ=UTC; wall-clock times"
                    % (version.strip(), CYCLE, HTTPD_PORT, WEB_PORT, BROKER_PORT))
        monit.setup()
        nas.up()
        monit.start_services()
        traffic.start()
        time.sleep(min(2, S(5)))
        monit.start(reaper)
        t0 = now()

        # --- normal: routine operator work ---
        sleep_until(t0 + S(20))
        monit.cli("status")
        sleep_until(t0 + S(45))
        monit.cli("restart", "broker")                      # after a broker config tweak
        sleep_until(t0 + S(90))

        # --- 1. the web app hangs on a malformed job ---
        a_start = now()
        with open(os.path.join(work, "spool/webapp/000417-refund.json"), "w") as f:
            f.write('{"type": "refund", "ref": "R-20417", "amount": "19.90"}\n')
        unmon = monit.wait_for(a_start, r"'webapp' service restarted \d+ times .* unmonitor", S(120) + 30)
        sleep_until(max(now(), (unmon or now()) + S(30)))
        os.rename(os.path.join(work, "spool/webapp/000417-refund.json"),
                  os.path.join(work, "quarantine/000417-refund.json"))
        monit.cli("restart", "webapp")
        a_fix = now()
        healthy = monit.wait_for(a_fix, r"'webapp' connection succeeded", S(60) + 20)
        unmon_line = [x for t, x in monit.lines() if unmon and t >= unmon and "- unmonitor" in x][:1]
        marks["hang"] = (a_start, max(healthy or a_fix, a_fix), unmon_line[0].split(": ", 1)[1] if unmon_line
                         else None, a_fix - (unmon or a_fix))
        a_end = marks["hang"][1]

        # --- normal: the admin adds a heartbeat check for the worker ---
        sleep_until(a_end + S(30))
        monit.write_rc(beat=True)
        monit.cli("reload")
        sleep_until(a_end + S(65))

        # --- 2. a bad deploy of the worker ---
        b_start = now()
        with open(os.path.join(work, "app/RELEASE"), "w") as f:
            f.write("2026.12.1\n")
        monit.write_worker_conf(good=False)
        monit.cli("restart", "worker")
        sleep_until(b_start + S(60))
        with open(os.path.join(work, "app/RELEASE"), "w") as f:      # the rollback
            f.write("2026.11.3\n")
        monit.write_worker_conf(good=True)
        b_fix = now()
        running = monit.wait_for(b_fix, r"'worker' process is running with pid", S(30) + 20)
        beat_ok = monit.wait_for(b_fix, r"'worker-beat' .*succeeded", S(60) + 20)
        marks["deploy"] = (b_start, max([x for x in (running, beat_ok) if x] + [b_fix]), b_fix)
        b_end = marks["deploy"][1]

        # --- normal: the admin raises a limit; broker maintenance ---
        sleep_until(b_end + S(25))
        monit.write_rc(beat=True)
        monit.cli("reload")
        sleep_until(b_end + S(40))
        monit.cli("unmonitor", "broker")
        sleep_until(b_end + S(50))
        run([os.path.join(work, "bin/broker-ctl"), "stop"], timeout=20, quiet=True)
        run([os.path.join(work, "bin/broker-ctl"), "start"], timeout=20, quiet=True)
        sleep_until(b_end + S(55))
        monit.cli("monitor", "broker")
        sleep_until(b_end + S(75))

        # --- 3. the NAS goes away ---
        c_start = now()
        nas.down()
        sleep_until(c_start + S(100))
        nas.up()
        c_fix = now()
        back = monit.wait_for(c_fix, r"'nas01' .*succeeded", S(30) + 20)
        dump = monit.wait_for(c_fix, r"'db-backup' .*(time|timestamp).* succeeded", S(40) + 20)
        marks["nas"] = (c_start, max([x for x in (back, dump) if x] + [c_fix]), c_fix)
        sleep_until(marks["nas"][1] + S(75))
        monit.cli("status")
        sleep_until(now() + S(10))

        traffic.stop.set()
        print("%s: run %.0f s; traffic %s; backups %d (%d failed)" % (
            NAME, now() - t_start, traffic.counts, len(traffic.backups),
            sum(1 for _, good in traffic.backups if not good)), file=sys.stderr)
        ok = True
    finally:
        traffic.stop.set()
        monit.stop()
        monit.stop_services()
        nas.down()
        reaper.stop.set()
        if ok:
            label(monit, labels, marks)
            keep_log(monit.log, OUT, NAME, labels)
        shutil.rmtree(work, ignore_errors=True)


def label(monit, labels, marks):
    """Each incident from its start (measured) to the last line it caused."""
    def lines(s, e, pattern):
        rx = re.compile(pattern)
        return [(t, x) for t, x in monit.lines() if int(s) <= t <= e + 1 and rx.search(x)]

    s, e, unmon, react = marks["hang"]
    hl = lines(s, e, r"'webapp'")
    fails = [x for _, x in hl if "failed protocol test" in x]
    restarts = [x for _, x in hl if "trying to restart" in x]
    labels.add("webapp-hang", s, max([e] + [t for t, _ in hl]), "app-hang-restart-loop", "webapp|127.0.0.1:%d" % WEB_PORT,
               "a malformed job (no order in it) lands in the web app's queue and its job thread deadlocks holding "
               "the lock every request needs, so GET /health on :%d hangs; each new instance picks the job up again: "
               "%d \"'webapp' failed protocol test [HTTP] at [localhost]:%d/health [TCP/IP] -- HTTP: Error receiving "
               "data\" lines, %d 'trying to restart' with 'stop:'/'start:' %s; %.0f s after the unmonitor an operator "
               "quarantines the job and runs `monit restart webapp` ('restart on user request', 'restart action "
               "done'; on the unmonitored service that only turns monitoring back on, so the next cycle's test fails "
               "once more and Monit itself restarts the hung instance), until \"'webapp' connection succeeded to "
               "[localhost]:%d/health\"; %d lines name 'webapp'" % (
                   WEB_PORT, len(fails), WEB_PORT, len(restarts),
                   "until \"%s\"" % unmon if unmon else "(Monit did not reach its unmonitor rule)", react,
                   WEB_PORT, len(hl)))

    s, e, fix = marks["deploy"]
    dl = lines(s, e, r"'worker")
    failed = [x for _, x in dl if "failed to start" in x]
    beat = [x for _, x in dl if "'worker-beat'" in x and "failed" in x]
    labels.add("worker-bad-deploy", s, max([e] + [t for t, _ in dl]), "bad-deploy-start-failure",
               "worker|worker.conf",
               "a deploy of release 2026.12.1 ships a worker.conf without the setting the new release needs "
               "(broker_url was renamed queue_url) and runs `monit restart worker`: the worker stops and its start "
               "program fails, %d \"'worker' failed to start (exit status 1) -- ...: worker: ...worker.conf: missing "
               "required setting 'broker_url'\" lines, at every cycle \"'worker' process is not running\" and "
               "'trying to restart', and %d \"'worker-beat' modify/change time ... failed\" (the heartbeat goes "
               "stale); after %.0f s the deploy is rolled back and the next start succeeds ('process is running with "
               "pid'); %d lines name the worker" % (len(failed), len(beat), fix - s, len(dl)))

    s, e, fix = marks["nas"]
    nl = lines(s, e, r"'(nas01|db-backup)'")
    refused = [x for _, x in nl if "'nas01' failed" in x]
    stale = [x for _, x in nl if "'db-backup'" in x and "failed" in x]
    labels.add("nas-outage", s, max([e] + [t for t, _ in nl]), "dependency-outage", "nas01|%s|db-backup" % NAS,
               "the NAS %s that holds the backup share goes away for %.0f s: %d \"'nas01' failed protocol test "
               "[DEFAULT] at [%s]:%d [TCP/IP] -- Connection refused\" lines (one a cycle); the backup job cannot copy "
               "the database dump, so once it is %.0f s old %d \"'db-backup' modify/change time for "
               ".../orders.dump failed\" lines follow, until the NAS answers again ('nas01' succeeded) and the next "
               "backup run refreshes the dump" % (NAS, fix - s, len(refused), NAS, BROKER_PORT,
                                                 max(3, round(60 * SCALE)), len(stale)))


if __name__ == "__main__":
    main()
