#!/usr/bin/env python3
"""Runs a real Supervisor (Debian supervisor 4.2: /usr/bin/supervisord, supervisorctl) as the process manager of a small
web shop's application host on 127.0.0.1, drives the shop's traffic and its operators' routine, injects labelled
incidents and keeps supervisord's main log (`logfile=`) exactly as it wrote it ('2026-07-01 12:00:00,123 INFO exited:
worker_02 (exit status 0; expected)'), and worker_00's stdout/stderr log (`stdout_logfile=.../worker_%(process_num)02d.log`,
redirect_stderr=true), which carries the tracebacks of the bad release.

supervisord runs as `supervisord -n -c WORK/supervisord.conf` (foreground, as the user running this script, its own
pidfile, loglevel=info, TZ=UTC; stopped with SIGTERM by this script) with [inet_http_server] on 127.0.0.1:PORT
(username/password), [supervisorctl] pointing at it, [rpcinterface:supervisor] and [include] files=WORK/conf.d/*.conf,
one file a program. Nothing under /etc/supervisor is read or touched. The programs are small Python scripts this
script writes into WORK/app/releases/<release>/ (WORK/app/current a symlink to the live release):
  webapp       the shop's HTTP front end on 127.0.0.1:WEB (startsecs=3, startretries=3, stopwaitsecs=10, own log)
  worker       queue workers, numprocs=4, process_name=%(program_name)s_%(process_num)02d, taking jobs from a spool
               directory; each recycles itself after 25-60 jobs (exit 0, exitcodes=0, autorestart=true, startsecs=5)
  scheduler    cron-like: cache warm-up every 30 s, search reindex every 60 s, hourly report every 120 s
  exporter     a Prometheus metrics exporter on 127.0.0.1:METRICS (queue depth, jobs done)
  thumbnailer  resizes sellers' uploaded photos (startsecs=2, autorestart=true), runs under a 200 MB memory limit
               that this script enforces as the kernel's memory cgroup would (SIGKILL above it)
  alertd       an [eventlistener] on PROCESS_STATE_EXITED/BACKOFF/FATAL, writing alerts to its stderr log
  mailer       added during the run with reread/update

usage: bench/real-logs/supervisor.py OUTDIR [PORT]   (default 20191; the web app on PORT+1, the exporter on PORT+2)
  writes OUTDIR/supervisor-n.log (supervisord's main log) and OUTDIR/supervisor-n.labels.tsv, and
  OUTDIR/supervisor-n.worker_00.log (worker_00's stdout log) and OUTDIR/supervisor-n.worker_00.labels.tsv
  SCALE=0.1 multiplies every duration (a short run for testing)

Normal traffic: shoppers (127.0.0.101-140, about 2.5 HTTP requests/s, Poisson) browse, search, fill carts, place
orders (each order queues orders.confirm, payment.capture, stock.reserve and email.receipt jobs for the workers) and
sellers upload photos for the thumbnailer; the monitoring check (127.0.0.2) GETs /healthz every 10 s, Prometheus
(127.0.0.5) scrapes the exporter every 15 s, an ops script runs `supervisorctl status` every 60 s. Routine noise in
the main log: workers recycling themselves (exited ... (exit status 0; expected), spawned, success), a web deploy
(`supervisorctl restart webapp`), the new mailer program added with `supervisorctl reread` + `update`, the nightly
logrotate of webapp.log (SIGUSR2: 'received SIGUSR2 indicating log reopen request'), a fixed worker release deployed
with `supervisorctl restart worker:*`, a scheduler restart after a config push; in the worker log, failed jobs now
and then (payment gateway timeouts, retried).
Incidents (about 8 minutes in all: 90 s of normal traffic, 55-70 s of it after each incident):
  bad-release   release 2026.06.3 of the workers needs a setting the host does not have (KeyError 'PAYMENT_API_URL'
                at import): after `supervisorctl restart worker:*` each worker exits at once (exit status 1; not
                expected), BACKOFF, and after startretries=3 'gave up: worker_0N entered FATAL state, too many start
                retries too quickly'; the queue backs up until ops rolls back (symlink to 2026.06.2) and runs
                `supervisorctl start worker:*` about 60 s later; the worker log shows the tracebacks
  oom-kill      a seller uploads a 40000x28000 TIFF scan: the thumbnailer's memory grows past its 200 MB limit and
                it is SIGKILLed ('exited: thumbnailer (terminated by SIGKILL; not expected)'), restarts, resumes the
                same interrupted job and is killed again, about every 8 s for about 60 s, until ops stops it, moves the
                file to quarantine and starts it again
  bad-config    an admin points webapp's command at a Python virtualenv not yet built (venv-py311) and runs
                reread + update: the web app is stopped and cannot start again ('spawnerr: can't find command
                ...venv-py311/bin/python', 'gave up: webapp entered FATAL state, too many start retries too
                quickly'), the shop is down until the admin reverts the file and runs reread + update about 60 s
                later
Needs (Debian): supervisor. Standard library only.
"""
import calendar
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

from drivers import begin, stop_process, wait_listening, keep_log, now, sleep_until, SessionPool
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 20191
WEB, METRICS = PORT + 1, PORT + 2
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "supervisor-n"
USER, PASSWORD = "ops", "Sup3rv1s0r-ops!"
GOOD, BAD, FIXED = "2026.06.2", "2026.06.3", "2026.06.4"
MEMORY_LIMIT_MB = 200
SHOPPERS = ["127.0.0.%d" % i for i in range(101, 141)]
MONITOR, PROMETHEUS = "127.0.0.2", "127.0.0.5"
ERRORS = (OSError, http.client.HTTPException, ValueError)

# --- the programs (written into each release) ---

COMMON = r'''
import json, os, random, signal, sys, time
NAME = os.environ.get("SUPERVISOR_PROCESS_NAME", os.path.basename(sys.argv[0]))
SPOOL = os.environ["SHOP_SPOOL"]
RELEASE = os.path.basename(os.path.dirname(os.path.realpath(__file__)))
def log(level, msg):
    t = time.time()
    sys.stdout.write("%s,%03d [%s] %s %s\n" % (time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t)),
                                              int(t * 1000) % 1000, NAME, level, msg))
    sys.stdout.flush()
def enqueue(kind, payload, d="queue"):
    jid = "%d-%06d" % (int(time.time() * 1000), random.randrange(10**6))
    tmp = os.path.join(SPOOL, "tmp", jid)
    with open(tmp, "w") as f:
        json.dump({"id": jid, "kind": kind, "payload": payload, "tries": payload.get("tries", 0)}, f)
    os.rename(tmp, os.path.join(SPOOL, d, jid + ".json"))
    return jid
STOP = []
def _term(*_):
    STOP.append(1)
signal.signal(signal.SIGTERM, _term)
'''

WEB_APP = COMMON + r'''
import threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
PORT = int(os.environ["SHOP_PORT"])
PRODUCTS = 240
class H(BaseHTTPRequestHandler):
    server_version = "shop/" + RELEASE
    def log_message(self, fmt, *args):
        sys.stdout.write("%s - - [%s] %s\n" % (self.client_address[0], self.log_date_time_string(), fmt % args))
        sys.stdout.flush()
    def reply(self, code, body, ctype="text/html"):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        p = self.path.split("?")[0]
        if p == "/healthz":
            depth = len(os.listdir(os.path.join(SPOOL, "queue")))
            return self.reply(200, json.dumps({"status": "ok", "queue": depth}), "application/json")
        if p in ("/", "/cart", "/search") or p.startswith("/category/"):
            return self.reply(200, "<html>" + "x" * random.randint(2000, 9000) + "</html>")
        if p.startswith("/products/"):
            try:
                n = int(p.split("/")[2])
            except ValueError:
                n = -1
            if 0 < n <= PRODUCTS:
                return self.reply(200, "<html>" + "p" * random.randint(3000, 12000) + "</html>")
        return self.reply(404, "<html>not found</html>")
    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(n) or b"{}")
        if self.path == "/api/cart":
            return self.reply(200, '{"ok": true}', "application/json")
        if self.path == "/api/orders":
            order = random.randint(100000, 999999)
            for kind in ("orders.confirm", "payment.capture", "stock.reserve", "email.receipt"):
                enqueue(kind, {"order": order, "items": body.get("items", 1)})
            depth = len(os.listdir(os.path.join(SPOOL, "queue")))
            if depth > 60:
                log("WARNING", "job queue backlog: %d jobs waiting" % depth)
            return self.reply(201, json.dumps({"order": order}), "application/json")
        if self.path == "/api/uploads":
            jid = enqueue("thumbnail", body, "uploads")
            return self.reply(202, json.dumps({"upload": jid}), "application/json")
        return self.reply(404, "{}", "application/json")
class S(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
srv = S(("127.0.0.1", PORT), H)
log("INFO", "shop web %s listening on 127.0.0.1:%d" % (RELEASE, PORT))
threading.Thread(target=srv.serve_forever, daemon=True).start()
while not STOP:
    time.sleep(0.2)
log("INFO", "SIGTERM received, draining connections")
srv.shutdown()
srv.server_close()
log("INFO", "shop web stopped")
'''

WORKER = COMMON + r'''
MAX_JOBS = random.randint(25, 60)
COST = {"orders.confirm": (0.05, 0.3), "payment.capture": (0.2, 0.9), "stock.reserve": (0.05, 0.25),
        "email.receipt": (0.1, 0.4), "cache.warm": (0.3, 1.2), "search.reindex": (1.0, 2.5),
        "report.hourly": (1.5, 3.0)}
SETTINGS = dict(PAYMENT_API_URL="http://127.0.0.1:18443/v2", SMTP_RELAY="127.0.0.1:2525")
log("INFO", "worker %s starting (pid %d, max jobs %d)" % (RELEASE, os.getpid(), MAX_JOBS))
done = 0
queue, work = os.path.join(SPOOL, "queue"), os.path.join(SPOOL, "work")
while not STOP:
    names = sorted(os.listdir(queue))
    if not names:
        time.sleep(0.5)
        continue
    name = random.choice(names[:8])
    mine = os.path.join(work, name + "." + NAME)
    try:
        os.rename(os.path.join(queue, name), mine)
    except OSError:
        continue
    with open(mine) as f:
        job = json.load(f)
    t0 = time.time()
    lo, hi = COST.get(job["kind"], (0.1, 0.5))
    time.sleep(random.uniform(lo, hi))
    os.remove(mine)
    done += 1
    if job["kind"] == "payment.capture" and random.random() < 0.04:
        tries = job["tries"] + 1
        if tries <= 3:
            log("WARNING", "job %s payment.capture order %s failed: gateway timeout after 5.0s, retry %d/3"
                % (job["id"], job["payload"].get("order"), tries))
            job["payload"]["tries"] = tries
            enqueue(job["kind"], job["payload"])
        else:
            log("ERROR", "job %s payment.capture order %s failed permanently after 3 retries"
                % (job["id"], job["payload"].get("order")))
        continue
    log("INFO", "job %s %s done in %.2fs" % (job["id"], job["kind"], time.time() - t0))
    if done >= MAX_JOBS:
        log("INFO", "max jobs per child reached (%d), exiting for recycle" % done)
        sys.exit(0)
log("INFO", "SIGTERM received after %d jobs, worker stopped" % done)
'''

BAD_WORKER = COMMON + r'''
log("INFO", "worker %s starting (pid %d)" % (RELEASE, os.getpid()))
def load_settings():
    env = dict(os.environ)
    return {"payment_api": env["PAYMENT_API_URL"], "smtp": env.get("SMTP_RELAY", "127.0.0.1:25")}
def build_gateway(settings):
    return settings["payment_api"].rstrip("/") + "/captures"
SETTINGS = load_settings()
GATEWAY = build_gateway(SETTINGS)
'''

SCHEDULER = COMMON + r'''
log("INFO", "scheduler %s started: cache.warm every 30s, search.reindex every 60s, report.hourly every 120s" % RELEASE)
jobs = [("cache.warm", 30.0), ("search.reindex", 60.0), ("report.hourly", 120.0)]
due = {k: time.time() + random.uniform(5, iv) for k, iv in jobs}
while not STOP:
    t = time.time()
    for k, iv in jobs:
        if t >= due[k]:
            due[k] = t + iv
            log("INFO", "queued %s (job %s)" % (k, enqueue(k, {"at": int(t)})))
    time.sleep(0.5)
log("INFO", "scheduler stopped")
'''

EXPORTER = COMMON + r'''
import threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        q = len(os.listdir(os.path.join(SPOOL, "queue")))
        w = len(os.listdir(os.path.join(SPOOL, "work")))
        u = len(os.listdir(os.path.join(SPOOL, "uploads")))
        body = ("# TYPE shop_queue_depth gauge\nshop_queue_depth %d\nshop_jobs_in_progress %d\n"
                "shop_uploads_waiting %d\n" % (q, w, u)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
class S(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
srv = S(("127.0.0.1", int(os.environ["SHOP_METRICS"])), H)
log("INFO", "exporter listening on 127.0.0.1:%s" % os.environ["SHOP_METRICS"])
threading.Thread(target=srv.serve_forever, daemon=True).start()
while not STOP:
    time.sleep(0.5)
srv.shutdown()
'''

THUMBNAILER = COMMON + r'''
inbox, busy = os.path.join(SPOOL, "uploads"), os.path.join(SPOOL, "thumbs-busy")
log("INFO", "thumbnailer %s started (pid %d)" % (RELEASE, os.getpid()))
while not STOP:
    held = sorted(os.listdir(busy))
    if held:
        path = os.path.join(busy, held[0])
        log("WARNING", "resuming interrupted job %s" % held[0])
    else:
        names = sorted(os.listdir(inbox))
        if not names:
            time.sleep(0.5)
            continue
        path = os.path.join(busy, names[0])
        try:
            os.rename(os.path.join(inbox, names[0]), path)
        except OSError:
            continue
    with open(path) as f:
        job = json.load(f)
    p = job["payload"]
    w, h = p.get("w", 4032), p.get("h", 3024)
    t0 = time.time()
    log("INFO", "decoding %s %dx%d from seller %s" % (p.get("file"), w, h, p.get("seller")))
    need = w * h * 4
    chunks = []
    got = 0
    while got < need and not STOP:
        step = min(need - got, 12 << 20)
        chunks.append(b"\x01" * step)   # decoded pixels
        got += step
        time.sleep(0.5 if need > 400 << 20 else 0.05)
    chunks = None
    if STOP:
        log("INFO", "SIGTERM received while decoding %s, job left for the next start" % p.get("file"))
        break
    os.remove(path)
    log("INFO", "thumbnails for %s: 3 sizes written in %.2fs" % (p.get("file"), time.time() - t0))
log("INFO", "thumbnailer stopped")
'''

MAILER = COMMON + r'''
log("INFO", "mailer %s started, relay 127.0.0.1:2525" % RELEASE)
nxt = time.time() + random.uniform(5, 15)
while not STOP:
    if time.time() >= nxt:
        nxt = time.time() + random.uniform(10, 20)
        log("INFO", "newsletter batch: %d messages handed to relay" % random.randint(20, 80))
    time.sleep(0.5)
log("INFO", "mailer stopped")
'''

ALERTD = r'''
import sys, time
def err(msg):
    sys.stderr.write("%s alertd: %s\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), msg))
    sys.stderr.flush()
err("listening for PROCESS_STATE_EXITED, PROCESS_STATE_BACKOFF, PROCESS_STATE_FATAL")
while True:
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        break
    headers = dict(x.split(":", 1) for x in line.split())
    data = sys.stdin.read(int(headers["len"]))
    body = dict(x.split(":", 1) for x in data.split("\n", 1)[0].split())
    ev = headers.get("eventname", "")
    if ev == "PROCESS_STATE_FATAL":
        err("PAGE ops-oncall: %s:%s is FATAL" % (body.get("groupname"), body.get("processname")))
    elif ev == "PROCESS_STATE_BACKOFF":
        err("warn: %s:%s in BACKOFF" % (body.get("groupname"), body.get("processname")))
    elif ev == "PROCESS_STATE_EXITED" and body.get("expected") == "0":
        err("warn: %s:%s exited unexpectedly (pid %s)" % (body.get("groupname"), body.get("processname"),
                                                        body.get("pid")))
    sys.stdout.write("RESULT 2\nOK")
    sys.stdout.flush()
'''

SUPERVISORD_CONF = """\
; supervisord for the shop application host
[unix_http_server]
file={work}/run/supervisor.sock
chmod=0700

[inet_http_server]
port=127.0.0.1:{port}
username={user}
password={password}

[supervisord]
logfile={work}/log/supervisord.log
logfile_maxbytes=50MB
logfile_backups=10
loglevel=info
pidfile={work}/run/supervisord.pid
childlogdir={work}/log
nodaemon=true
minfds=1024
minprocs=200
identifier=shop-app01
environment=SHOP_SPOOL="{work}/spool",TZ="UTC"

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=http://127.0.0.1:{port}
username={user}
password={password}

[include]
files = {work}/conf.d/*.conf
"""

PROGRAMS = {
    "webapp": """\
[program:webapp]
command={python} -u {work}/app/current/web.py
directory={work}/app/current
environment=SHOP_PORT="{web}"
priority=200
autostart=true
autorestart=true
startsecs=3
startretries=3
stopsignal=TERM
stopwaitsecs=10
redirect_stderr=true
stdout_logfile={work}/log/webapp.log
stdout_logfile_maxbytes=0
""",
    "worker": """\
[program:worker]
command=/usr/bin/python3 -u {work}/app/current/worker.py
process_name=%(program_name)s_%(process_num)02d
numprocs=4
directory={work}/app/current
priority=300
autostart=true
autorestart=true
exitcodes=0
startsecs=5
startretries=3
stopsignal=TERM
stopwaitsecs=30
redirect_stderr=true
stdout_logfile={work}/log/worker_%(process_num)02d.log
stdout_logfile_maxbytes=0
""",
    "scheduler": """\
[program:scheduler]
command=/usr/bin/python3 -u {work}/app/current/scheduler.py
directory={work}/app/current
priority=400
autorestart=true
startsecs=2
stopwaitsecs=15
redirect_stderr=true
stdout_logfile={work}/log/scheduler.log
stdout_logfile_maxbytes=0
""",
    "exporter": """\
[program:exporter]
command=/usr/bin/python3 -u {work}/app/current/exporter.py
environment=SHOP_METRICS="{metrics}"
priority=100
autorestart=true
startsecs=2
redirect_stderr=true
stdout_logfile={work}/log/exporter.log
stdout_logfile_maxbytes=0
""",
    "thumbnailer": """\
[program:thumbnailer]
command=/usr/bin/python3 -u {work}/app/current/thumbnailer.py
directory={work}/app/current
priority=300
autorestart=true
startsecs=2
startretries=3
stopwaitsecs=10
redirect_stderr=true
stdout_logfile={work}/log/thumbnailer.log
stdout_logfile_maxbytes=0
""",
    "alertd": """\
[eventlistener:alertd]
command=/usr/bin/python3 -u {work}/app/alertd.py
events=PROCESS_STATE_EXITED,PROCESS_STATE_BACKOFF,PROCESS_STATE_FATAL
buffer_size=50
priority=50
autorestart=true
stderr_logfile={work}/log/alertd.log
stderr_logfile_maxbytes=0
""",
    "mailer": """\
[program:mailer]
command=/usr/bin/python3 -u {work}/app/current/mailer.py
directory={work}/app/current
priority=400
autorestart=true
startsecs=3
stopwaitsecs=10
redirect_stderr=true
stdout_logfile={work}/log/mailer.log
stdout_logfile_maxbytes=0
""",
}

LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) (\w+) (.*)$")


class Supervisor:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "supervisord.conf")
        self.log = os.path.join(work, "log", "supervisord.log")
        self.worker_log = os.path.join(work, "log", "worker_00.log")
        self.proc = None
        self.fmt = dict(work=work, port=PORT, web=WEB, metrics=METRICS, user=USER, password=PASSWORD,
                        python="/usr/bin/python3")

    def setup(self):
        w = self.work
        for d in ("log", "run", "conf.d", "app/releases", "spool/tmp", "spool/queue", "spool/work", "spool/uploads",
                  "spool/thumbs-busy", "spool/quarantine"):
            os.makedirs(os.path.join(w, d), exist_ok=True)
        for rel, worker in ((GOOD, WORKER), (BAD, BAD_WORKER), (FIXED, WORKER)):
            d = os.path.join(w, "app/releases", rel)
            os.makedirs(d)
            for name, text in (("web.py", WEB_APP), ("worker.py", worker), ("scheduler.py", SCHEDULER),
                               ("exporter.py", EXPORTER), ("thumbnailer.py", THUMBNAILER), ("mailer.py", MAILER)):
                with open(os.path.join(d, name), "w") as f:
                    f.write(text)
        with open(os.path.join(w, "app/alertd.py"), "w") as f:
            f.write(ALERTD)
        self.switch(GOOD)
        with open(self.conf, "w") as f:
            f.write(SUPERVISORD_CONF.format(**self.fmt))
        for name in ("webapp", "worker", "scheduler", "exporter", "thumbnailer", "alertd"):
            self.program(name)

    def program(self, name, **over):
        fmt = dict(self.fmt, **over)
        with open(os.path.join(self.work, "conf.d", name + ".conf"), "w") as f:
            f.write(PROGRAMS[name].format(**fmt))

    def switch(self, release):
        link = os.path.join(self.work, "app/current")
        tmp = link + ".new"
        os.symlink(os.path.join(self.work, "app/releases", release), tmp)
        os.replace(tmp, link)

    def start(self):
        env = dict(os.environ, TZ="UTC")
        self.proc = subprocess.Popen(["/usr/bin/supervisord", "-n", "-c", self.conf], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.work,
                                     start_new_session=True)
        wait_listening(self.proc, "supervisord", [PORT, WEB, METRICS], 30)

    def ctl(self, *args, timeout=60):
        r = subprocess.run(["/usr/bin/supervisorctl", "-c", self.conf] + list(args), capture_output=True, text=True,
                           timeout=timeout, env=dict(os.environ, TZ="UTC"))
        return r.stdout.strip()

    def pids(self, marker):
        """Pids of supervisord's children whose command line holds marker."""
        found = []
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % d) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                if self.proc is None or ppid != self.proc.pid:
                    continue
                with open("/proc/%s/cmdline" % d, "rb") as f:
                    if marker in f.read():
                        found.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
        return found

    def stop(self):
        if self.proc is None:
            return
        stop_process(self.proc, seconds=60)
        # no program may outlive it
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open("/proc/%s/cmdline" % d, "rb") as f:
                        if (self.work + "/app/").encode() in f.read():
                            os.kill(int(d), signal.SIGKILL)
                except OSError:
                    pass

    def lines(self):
        out = []
        with open(self.log, encoding="utf-8", errors="replace") as f:
            for l in f:
                m = LINE.match(l.rstrip("\n"))
                if m:
                    t = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")) + int(m.group(2)) / 1000.0
                    out.append((t, m.group(3), m.group(4)))
        return out


class MemoryLimit:
    """What the thumbnailer's memory cgroup does: SIGKILL when its resident size passes the limit."""

    def __init__(self, sup):
        self.sup = sup
        self.kills = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(0.2):
            for pid in self.sup.pids(b"thumbnailer.py"):
                try:
                    with open("/proc/%d/status" % pid) as f:
                        rss = int([l for l in f if l.startswith("VmRSS:")][0].split()[1]) // 1024
                    if rss > MEMORY_LIMIT_MB:
                        os.kill(pid, signal.SIGKILL)
                        self.kills.append((now(), pid, rss))
                except (OSError, IndexError, ValueError):
                    pass


def request(src, method, port, path, body=None, timeout=5):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(src, 0))
    try:
        data = json.dumps(body).encode() if body is not None else None
        c.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
        r = c.getresponse()
        r.read()
        return r.status
    finally:
        c.close()


class Traffic(SessionPool):
    def __init__(self, sup, seed):
        SessionPool.__init__(self, seed, 30, ERRORS)
        self.sup = sup

    def failed(self, fn, e):
        self.count("failed %s: %s" % (fn.__name__, type(e).__name__))

    def shopper(self, rng):
        src = rng.choice(SHOPPERS)
        r = rng.random()
        if r < 0.25:
            path = rng.choice(["/", "/category/%s" % rng.choice(["shoes", "bags", "garden", "kitchen", "toys"])])
            st = request(src, "GET", WEB, path)
        elif r < 0.6:
            st = request(src, "GET", WEB, "/products/%d" % rng.randint(1, 260))
        elif r < 0.72:
            st = request(src, "GET", WEB, "/search?q=%s" % rng.choice(["lamp", "red+shoes", "mug", "tent", "usb"]))
        elif r < 0.85:
            st = request(src, "POST", WEB, "/api/cart", {"product": rng.randint(1, 240), "qty": rng.randint(1, 3)})
        elif r < 0.97:
            st = request(src, "POST", WEB, "/api/orders", {"items": rng.randint(1, 5)})
        else:
            st = request(src, "POST", WEB, "/api/uploads", {"seller": "s%04d" % rng.randint(1, 300),
                                                       "file": "IMG_%04d.jpg" % rng.randint(1000, 9999),
                                                       "w": rng.choice([4032, 3024, 1920, 2048]),
                                                       "h": rng.choice([3024, 2268, 1080, 1536])})
        self.count("http %s" % st)

    def monitor(self, rng):
        self.count("healthz %s" % request(MONITOR, "GET", WEB, "/healthz"))

    def scrape(self, rng):
        self.count("scrape %s" % request(PROMETHEUS, "GET", METRICS, "/metrics"))

    def status(self, rng):
        self.sup.ctl("status")
        self.count("ctl status")

    def run(self):
        self.start([threading.Thread(target=self.arrivals, args=(2.5, self.shopper)),
                    threading.Thread(target=self.every, args=(9.5, 10.5, self.monitor)),
                    threading.Thread(target=self.every, args=(14.8, 15.2, self.scrape)),
                    threading.Thread(target=self.every, args=(55, 65, self.status))])


def wait_for(sup, since, pred, seconds):
    """The first main-log line after since matching pred (time, level, text), or None after seconds."""
    deadline = now() + seconds
    while now() < deadline:
        for e in sup.lines():
            if e[0] >= since - 0.5 and pred(e):
                return e
        time.sleep(0.5)
    return None


def after(events, since, pred):
    return [e for e in events if e[0] >= since - 0.5 and pred(e)]


def main():
    work = begin(OUT, "supervisor", __doc__)
    sup = Supervisor(work)
    version = subprocess.run(["/usr/bin/supervisord", "--version"], capture_output=True, text=True).stdout.strip()
    labels, wlabels = Labels(), Labels()
    how = ("real Supervisor %s (Debian supervisord -n -c its own supervisord.conf, loglevel=info, TZ=UTC, "
           "inet_http_server on 127.0.0.1:%d with username/password, supervisorctl over it) managing a web shop's "
           "programs: webapp (127.0.0.1:%d), worker (numprocs=4, worker_00-03, recycling after 25-60 jobs with exit "
           "0), scheduler, exporter (127.0.0.1:%d), thumbnailer (200 MB memory limit enforced by the driver), an "
           "alertd event listener, mailer added with reread/update; shoppers 127.0.0.101-140 ~2.5 HTTP req/s, "
           "monitoring 127.0.0.2, Prometheus 127.0.0.5; routine deploys with supervisorctl restart, a SIGUSR2 log "
           "reopen; wall-clock times" % (version, PORT, WEB, METRICS))
    labels.note("made by bench/real-logs/supervisor.py: supervisord's main log (logfile=); " + how)
    wlabels.note("made by bench/real-logs/supervisor.py: worker_00's stdout log (stdout_logfile=.../worker_%(process_num)02d"
                 ".log, redirect_stderr=true; worker_01-03 have their own files, not kept); " + how)
    wlabels.note("the oom-kill (thumbnailer) and bad-config (webapp) incidents are not in this log")
    traffic, limit = None, None
    ok = False
    marks = {}
    try:
        sup.setup()
        sup.start()
        limit = MemoryLimit(sup)
        threading.Thread(target=limit.run, daemon=True).start()
        traffic = Traffic(sup, 2026)
        traffic.run()
        t0 = now()

        # routine: a web deploy
        sleep_until(t0 + 40 * SCALE)
        marks["web-deploy"] = now()
        print("restart webapp:", sup.ctl("restart", "webapp"), file=sys.stderr)
        sleep_until(t0 + 90 * SCALE)

        # 1. bad release of the workers
        b_start = now()
        sup.switch(BAD)
        print("deploy %s:" % BAD, sup.ctl("restart", "worker:*").replace("\n", "; "), file=sys.stderr)
        fatal = wait_for(sup, b_start, lambda e: "gave up: worker_" in e[2], 60)
        sleep_until(max(now(), b_start + 75 * SCALE))
        rb = now()
        sup.switch(GOOD)
        print("rollback:", sup.ctl("start", "worker:*").replace("\n", "; "), file=sys.stderr)
        marks["bad-release"] = (b_start, rb, fatal)
        sleep_until(rb + 25 * SCALE)

        # routine: the new mailer program
        marks["mailer"] = now()
        sup.program("mailer")
        print("reread:", sup.ctl("reread"), "update:", sup.ctl("update").replace("\n", "; "), file=sys.stderr)
        sleep_until(rb + 65 * SCALE)

        # 2. a decompression bomb for the thumbnailer
        o_start = now()
        request("127.0.0.133", "POST", WEB, "/api/uploads", {"seller": "s0187", "file": "floorplan_A0_1200dpi.tif",
                                                          "w": 40000, "h": 28000})
        sleep_until(o_start + 60 * SCALE)
        while not limit.kills:
            time.sleep(0.5)
            if now() > o_start + 60:
                raise SystemExit("the thumbnailer was never killed")
        o_fix = now()
        print("stop thumbnailer:", sup.ctl("stop", "thumbnailer"), file=sys.stderr)
        busy = os.path.join(work, "spool/thumbs-busy")
        for n in os.listdir(busy):
            shutil.move(os.path.join(busy, n), os.path.join(work, "spool/quarantine", n))
        print("start thumbnailer:", sup.ctl("start", "thumbnailer"), file=sys.stderr)
        o_end = now()
        marks["oom"] = (o_start, o_fix, o_end)

        # routine: logrotate of webapp.log, then the fixed worker release
        sleep_until(o_end + 20 * SCALE)
        marks["logrotate"] = now()
        os.rename(os.path.join(work, "log/webapp.log"), os.path.join(work, "log/webapp.log.1"))
        sup.proc.send_signal(signal.SIGUSR2)
        sleep_until(o_end + 40 * SCALE)
        marks["fixed-release"] = now()
        sup.switch(FIXED)
        print("deploy %s:" % FIXED, sup.ctl("restart", "worker:*").replace("\n", "; "), file=sys.stderr)
        sleep_until(o_end + 70 * SCALE)

        # 3. webapp pointed at a virtualenv that does not exist yet
        c_start = now()
        sup.program("webapp", python=os.path.join(work, "app/venv-py311/bin/python"))
        print("reread:", sup.ctl("reread"), "update:", sup.ctl("update").replace("\n", "; "), file=sys.stderr)
        cfatal = wait_for(sup, c_start, lambda e: "gave up: webapp" in e[2], 60)
        sleep_until(max(now(), c_start + 65 * SCALE))
        c_fix = now()
        sup.program("webapp")
        print("reread:", sup.ctl("reread"), "update:", sup.ctl("update").replace("\n", "; "), file=sys.stderr)
        marks["bad-config"] = (c_start, c_fix, cfatal)

        # routine: a scheduler restart after a config push, then normal traffic to the end
        sleep_until(c_fix + 25 * SCALE)
        marks["scheduler"] = now()
        sup.ctl("restart", "scheduler")
        sleep_until(c_fix + 65 * SCALE)
        traffic.finish(20)
        limit.stop.set()
        time.sleep(1)
        ev = sup.lines()

        # 1.
        b_start, rb, fatal = marks["bad-release"]
        stopped = after(ev, b_start, lambda e: e[2].startswith("stopped: worker_"))
        crashed = [e for e in ev if b_start - 0.5 <= e[0] <= rb and "exited: worker_" in e[2]
                   and "exit status 1; not expected" in e[2]]
        gave = [e for e in ev if b_start - 0.5 <= e[0] <= rb + 1 and "gave up: worker_" in e[2]]
        back = {}
        for e in ev:
            m = re.match(r"success: (worker_\d\d) ", e[2])
            if m and e[0] >= rb - 0.5 and m.group(1) not in back:
                back[m.group(1)] = e[0]
        if not crashed or not gave:
            raise SystemExit("bad release: no crash loop in the log (%d exits, %d gave up)" % (len(crashed),
                                                                                              len(gave)))
        b_end = max(back.values()) if back else rb
        desc = ("release %s of the queue workers reads PAYMENT_API_URL from the environment, which this host does "
                "not set: after the deploy's 'supervisorctl restart worker:*' (%d lines 'stopped: worker_0N') every "
                "worker exits within startsecs=5 (%d lines 'exited: worker_0N (exit status 1; not expected)', "
                "BACKOFF, respawned after 1, 2, 3 s) and after startretries=3 %d lines 'gave up: worker_0N entered "
                "FATAL state, too many start retries too quickly'; no job is processed and the queue backs up until "
                "ops rolls back to %s and runs 'supervisorctl start worker:*' %d s after the deploy (spawned, "
                "'success: worker_0N entered RUNNING state')"
                % (BAD, len(stopped[:4]), len(crashed), len(gave), GOOD, round(rb - b_start)))
        labels.add("bad-release", b_start, b_end, "crash-loop", "worker|worker_00|worker_01|worker_02|worker_03",
                   desc)
        w0 = [e for e in crashed if "worker_00" in e[2]]
        wlabels.add("bad-release", b_start, back.get("worker_00", b_end), "crash-loop", "worker_00|worker",
                    desc + "; in this log (worker_00's own) the SIGTERM of the deploy, then %d starts of %s, each "
                    "'worker %s starting' followed by a Python traceback ending in \"KeyError: 'PAYMENT_API_URL'\", "
                    "then nothing until the rollback, after which the backlog is drained" % (len(w0), BAD, BAD))

        # 2.
        o_start, o_fix, o_end = marks["oom"]
        killed = [e for e in ev if o_start - 0.5 <= e[0] <= o_end + 1 and "exited: thumbnailer (terminated by SIGKILL"
                  in e[2]]
        if not killed:
            raise SystemExit("oom: no SIGKILL of the thumbnailer in the log")
        ok_again = after(ev, o_fix, lambda e: e[2].startswith("success: thumbnailer"))
        o_last = ok_again[0][0] if ok_again else o_end
        labels.add("oom-kill", o_start, o_last, "oom-kill", "thumbnailer",
                   "a seller uploads a 40000x28000 TIFF (floorplan_A0_1200dpi.tif); decoding it the thumbnailer's "
                   "memory passes its %d MB limit and it is killed, restarted by supervisord, resumes the same "
                   "interrupted job and is killed again: %d lines 'exited: thumbnailer (terminated by SIGKILL; not "
                   "expected)' each followed by 'spawned: 'thumbnailer'' and 'success: thumbnailer entered RUNNING "
                   "state', in %d s, until ops stops it ('stopped: thumbnailer'), quarantines the file and starts it "
                   "again" % (MEMORY_LIMIT_MB, len(killed), round(o_fix - o_start)))

        # 3.
        c_start, c_fix, cfatal = marks["bad-config"]
        spawnerr = [e for e in ev if c_start - 0.5 <= e[0] <= c_fix + 1 and "spawnerr: can't find command" in e[2]]
        if not spawnerr:
            raise SystemExit("bad config: no spawnerr in the log")
        up = after(ev, c_fix, lambda e: e[2].startswith("success: webapp"))
        c_end = up[0][0] if up else c_fix
        labels.add("bad-config", c_start, c_end, "misconfiguration", "webapp",
                   "an admin points [program:webapp]'s command at a Python 3.11 virtualenv not built yet "
                   "(app/venv-py311/bin/python) and runs 'supervisorctl reread' + 'update': the web app is stopped "
                   "('stopped: webapp (exit status 0)') and cannot start again: %d lines 'spawnerr: can't find "
                   "command '.../venv-py311/bin/python'', then %s; the shop (127.0.0.1:%d) is down for all shoppers "
                   "until the admin reverts the file and runs reread + update %d s later ('success: webapp entered "
                   "RUNNING state')" % (len(spawnerr), "'gave up: webapp entered FATAL state, too many start retries "
                                        "too quickly'" if cfatal else "no FATAL yet", WEB, round(c_fix - c_start)))
        print("%s: %s; kills %s; main log %d lines" % (NAME, sorted(traffic.counts.items()), limit.kills, len(ev)),
              file=sys.stderr)
        print("marks: %s" % {k: v for k, v in marks.items()}, file=sys.stderr)
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
        if limit:
            limit.stop.set()
        sup.stop()
        if ok:
            keep_log(sup.log, OUT, NAME, labels)
            keep_log(sup.worker_log, OUT, NAME + ".worker_00", wlabels)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
