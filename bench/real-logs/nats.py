#!/usr/bin/env python3
"""Runs a real NATS server (Debian nats-server 2.9) on 127.0.0.1 as a web shop's message bus (order and payment
events, request/reply between its services, the document service's reports, the fleet's telemetry), drives its
clients' traffic through it, injects labelled incidents and keeps the server's log exactly as it wrote it: log_file
with logtime true, debug and trace off, as an operator runs it in production ("[4242] 2026/12/03 15:00:01.297539
[ERR] 127.0.0.6:51455 - cid:6 - "v1.4.2:python3:billing-3" - authentication error - User "billing""). With debug off
NATS logs no client connects or disconnects: only its start and stop, reloads, and client errors (authentication
errors, permission violations, payload violations, slow consumers), so the log is small.

usage: bench/real-logs/nats.py OUTDIR
  the server listens on 127.0.0.1:20181 (clients) and 127.0.0.1:20182 (HTTP monitoring; polled for /varz, /connz and
  /healthz as a monitoring job does); writes OUTDIR/nats-m.log (gzipped over 1 MB) and OUTDIR/nats-m.labels.tsv;
  SCALE=0.1 multiplies every duration (a short run for testing; the first incident lasts at least 40 s whatever the
  scale, as the server needs about 20 s of a consumer not reading before it calls it slow)

The server runs as Debian's unit runs it (`nats-server -c WORK/nats-server.conf` as the nats user, TZ=UTC, stopped
with SIGINT), with its own config in a /tmp work dir: server_name, pid_file, listen 127.0.0.1:20181, http
127.0.0.1:20182, log_file, logtime, debug/trace false, the limits an operator sets (max_connections 512,
max_payload 2MB, max_pending 32MB, max_control_line 4KB, write_deadline 3s, ping_interval 20s, ping_max 3) and
accounts with users and plain-text passwords (so each start warns "Plaintext passwords detected"):
APP (the shop's services, some with publish/subscribe permissions), TELEMETRY (the agents and the metrics
services), SYS (system_account, the monitoring user). Admin changes are made by rewriting the config and running
`nats-server --signal reload=PIDFILE`, as `systemctl reload` would (SIGHUP).
Needs (Debian): nats-server. Standard library only: the clients speak NATS's text protocol themselves (INFO,
CONNECT {json}, PING/PONG, SUB, PUB, MSG, -ERR), each role from its own source address.

Normal traffic (about 100 messages/s; each role a thread with Poisson or jittered timing):
  orders-api (127.0.0.11-12) sending about 4 requests/s: orders.create (answered by orders-svc 127.0.0.21-22 in
  queue group orders-svc, which also publishes events.order.created), inventory.check (inventory 127.0.0.23),
  pricing.quote (pricing 127.0.0.24); web (127.0.0.13, restricted permissions) searching the catalog (catalog.search,
  answered by catalog 127.0.0.25) about 1.5/s; billing (127.0.0.31-32, queue group billing) taking order events and
  publishing events.payment.*; notifier (127.0.0.33) on events.>; reports (127.0.0.35-36) publishing generated
  documents of 20 KB-1.5 MB to reports.generated.* every 3-8 s (each confirmed by a PING/PONG flush; a document
  whose publish fails is tried up to 3 times, then parked), archived by archiver (127.0.0.37, queue group archive);
  24 telemetry agents (127.0.0.50-73, user agent in TELEMETRY) publishing about 3 KB of metrics 4 times a second
  each (about 290 KB/s), written to the TSDB by metrics-writer (127.0.0.41) and metrics-rollup (127.0.0.42), each
  subscribed to telemetry.> with a 256 KB receive buffer and a liveness probe restarting it when its loop is stuck
  for 30 s; alerting (127.0.0.43) on telemetry.*.alerts; the monitoring job (127.0.0.2) polling /healthz and /varz
  every 15 s and /connz every 60 s. Churn: a service instance or agent restarted (deploys) every 20-45 s, each
  reconnecting 1-4 s later (not logged with debug off).
  Routine noise in the log: developers (127.0.0.91-94, users dev-alice, dev-bob, dev-chen, dev-dana) connecting to
  look at events every 45-100 s, mistyping a password about one time in three ("authentication error - User
  "dev-..."", then they log in); a bug in web publishing to admin.cache.flush, which its permissions deny, every
  60-140 s ("Publish Violation - User "web", Subject "admin.cache.flush""); an old exporter on 127.0.0.88 whose user
  was removed long ago retrying every 20-30 s ("authentication error - User "exporter""); at about 65 s the
  monthly catalogue export of reports-2, larger than max_payload ("maximum payload exceeded: N vs 2097152" from
  127.0.0.36, tried 3 times, then parked); the admin's reloads: a new user for the analytics service at about 50 s
  (it then connects from 127.0.0.34), and after the first incident max_connections raised to 1024, first with a
  typo ("Failed to reload server configuration: ... unknown field "max_conections"") fixed and reloaded 20 s later.
Incidents (about 8.5 minutes in all: 90 s of normal traffic, each incident followed by about 60 s of it):
  slow-consumer      the TSDB hangs for 90 s: the metrics writers' synchronous write blocks their only thread, so
                     they stop reading their sockets (127.0.0.41, 127.0.0.42); once the server's socket buffers
                     are full (about 20 s of telemetry) NATS logs "Slow Consumer Detected: WriteDeadline of 3s
                     exceeded with N chunks of N total bytes." and drops them; their liveness probes restart them
                     every ~33 s, and each new connection is dropped again, until the TSDB is back
  auth-hammer        an old billing VM (billing-3, 127.0.0.39) is powered on again with the password from before
                     the last rotation: its service restarts every 0.5-1.2 s for 60 s, each time "authentication
                     error - User "billing"" from 127.0.0.39, until it is shut down
  payload-reload     the admin lowers max_payload from 2MB to 256KB on a security review's advice and reloads
                     ("Reloaded: max_payload = 262144"): each report above 256 KB from reports (127.0.0.35-36) is
                     refused ("maximum payload exceeded: N vs 262144", the client disconnected), tried again after
                     a reconnect and parked after 3 tries; after 70 s the admin reverts ("Reloaded: max_payload =
                     2097152")
"""
import calendar
import http.client
import json
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
import collections

from drivers import begin, now, sleep_until, wait_listening, stop_process, keep_log
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT, HTTP_PORT = 20181, 20182
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "nats-m"
NATS = shutil.which("nats-server") or "/usr/sbin/nats-server"
WRITERS = ("127.0.0.41", "127.0.0.42")
STALE_BILLING = "127.0.0.39"
REPORTS = ("127.0.0.35", "127.0.0.36")
LIVENESS = 30.0          # seconds a metrics writer's loop may be stuck before its probe restarts it (not scaled)
ERRORS = (OSError, EOFError, ValueError)

# ---- the server -----------------------------------------------------------------------------------------------------

def passwords(rng):
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    names = ["orders-api", "orders-svc", "inventory", "pricing", "catalog", "web", "billing", "notifier", "reports",
             "archiver", "analytics", "agent", "metrics", "alerting", "monitor", "dev-alice", "dev-bob", "dev-chen",
             "dev-dana", "partner-acme"]
    return {n: "".join(rng.choice(alphabet) for _ in range(20)) for n in names}


class Nats:
    """The nats-server process, its config (rewritten for each reload) and its log."""

    def __init__(self, work, pw):
        self.work, self.pw = work, pw
        self.conf = os.path.join(work, "nats-server.conf")
        self.log = os.path.join(work, "nats-server.log")
        self.pidfile = os.path.join(work, "nats-server.pid")
        self.proc = None
        self.max_payload = "2MB"
        self.max_connections = 512
        self.max_conn_key = "max_connections"
        self.analytics = False

    def render(self):
        p = self.pw
        user = lambda u, extra="": '      {user: "%s", password: "%s"%s}' % (u, p[u], extra)
        app = [user("orders-api"), user("orders-svc"), user("inventory"), user("pricing"), user("catalog"),
               user("web", ', permissions: {publish: ["catalog.>", "orders.create"], subscribe: ["_INBOX.>"]}'),
               user("billing"), user("notifier", ', permissions: {publish: ["_INBOX.>"], subscribe: ["events.>"]}'),
               user("reports", ', permissions: {publish: ["reports.>", "_INBOX.>"], subscribe: ["_INBOX.>"]}'),
               user("archiver", ', permissions: {publish: ["_INBOX.>"], subscribe: ["reports.>"]}')]
        if self.analytics:
            app.append(user("analytics", ', permissions: {publish: ["_INBOX.>"], subscribe: ["events.>", '
                                         '"_INBOX.>"]}'))
        for d in ("dev-alice", "dev-bob", "dev-chen", "dev-dana"):
            app.append(user(d, ', permissions: {publish: ["catalog.search", "inventory.check", "_INBOX.>"], '
                               'subscribe: [">"]}'))
        tele = [user("agent", ', permissions: {publish: ["telemetry.>"], subscribe: ["_INBOX.>"]}'),
                user("metrics"), user("alerting")]
        return """# NATS server for the shop's message bus (managed by ops; reload with systemctl reload nats-server)
server_name: "nats-shop-1"
pid_file: "%(pid)s"
listen: 127.0.0.1:%(port)d
http: 127.0.0.1:%(http)d

# logging: production settings
log_file: "%(log)s"
logtime: true
debug: false
trace: false

# limits
%(mckey)s: %(maxconn)d
max_payload: %(maxpay)s
max_pending: 32MB
max_control_line: 4KB
write_deadline: "3s"
ping_interval: "20s"
ping_max: 3

accounts {
  APP {
    users: [
%(app)s
    ]
  }
  TELEMETRY {
    users: [
%(tele)s
    ]
  }
  SYS {
    users: [
%(sys)s
    ]
  }
}
system_account: SYS
""" % {"pid": self.pidfile, "port": PORT, "http": HTTP_PORT, "log": self.log, "mckey": self.max_conn_key,
       "maxconn": self.max_connections, "maxpay": self.max_payload, "app": "\n".join(app), "tele": "\n".join(tele),
       "sys": user("monitor")}

    def write(self):
        tmp = self.conf + ".new"
        with open(tmp, "w") as f:
            f.write(self.render())
        os.chmod(tmp, 0o640)
        shutil.chown(tmp, "root", "nats")
        os.replace(tmp, self.conf)

    def start(self):
        self.write()
        env = dict(os.environ, TZ="UTC")
        self.err = open(os.path.join(self.work, "stderr"), "wb")
        self.proc = subprocess.Popen([NATS, "-c", self.conf], cwd=self.work, env=env, user="nats", group="nats",
                                     stdin=subprocess.DEVNULL, stdout=self.err, stderr=self.err)
        wait_listening(self.proc, "nats-server", [PORT, HTTP_PORT])
        deadline = now() + 10
        while not os.path.exists(self.pidfile) and now() < deadline:
            time.sleep(0.1)

    def reload(self):
        """What the admin does after editing the config: `nats-server --signal reload=PIDFILE` (a SIGHUP)."""
        self.write()
        subprocess.run([NATS, "--signal", "reload=%s" % self.pidfile], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=10)

    def stop(self):
        stop_process(self.proc, signals=(signal.SIGINT, signal.SIGTERM))
        if self.proc is not None:
            self.err.close()

    def version(self):
        out = subprocess.run([NATS, "--version"], capture_output=True, text=True).stdout.strip()
        return out.split("v")[-1] if out else "?"


LINE = re.compile(r"^\[(\d+)\] (\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)(\.\d+) \[(\w+)\] (.*)$")
CLIENT = re.compile(r"^(127\.\d+\.\d+\.\d+):\d+ - cid:\d+ - ")


def read_log(path):
    """[(epoch, level, message, client address or None)] of the server's log."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if not m:
                continue
            t = calendar.timegm(time.strptime(m.group(2), "%Y/%m/%d %H:%M:%S")) + float(m.group(3))
            c = CLIENT.match(m.group(5))
            out.append((t, m.group(4), m.group(5), c.group(1) if c else None))
    return out


# ---- a NATS client (the text protocol) ------------------------------------------------------------------------------

class NatsError(Exception):
    pass


class Conn:
    """One client connection: INFO, CONNECT {json} and a PING/PONG handshake (NatsError with the server's -ERR when
    refused), then a reader thread answering the server's PINGs and handing each MSG to its subscription's callback
    (in the reader thread, as a single-threaded client library does)."""

    def __init__(self, src, user, password, name, rcvbuf=None, timeout=5.0, version="1.4.2"):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((src, 0))
            if rcvbuf:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            s.settimeout(timeout)
            s.connect(("127.0.0.1", PORT))
            self.sock, self.buf = s, bytearray()
            line = self._line()
            if not line.startswith(b"INFO "):
                raise NatsError("no INFO")
            self.info = json.loads(line[5:])
            connect = {"verbose": False, "pedantic": False, "tls_required": False, "user": user, "pass": password,
                       "name": name, "lang": "python3", "version": version, "protocol": 1, "echo": True}
            s.sendall(b"CONNECT " + json.dumps(connect, separators=(",", ":")).encode() + b"\r\nPING\r\n")
            while True:
                line = self._line()
                if line == b"PONG":
                    break
                if line.startswith(b"-ERR"):
                    raise NatsError(line[4:].decode().strip(" '"))
                if line == b"PING":
                    s.sendall(b"PONG\r\n")
        except BaseException:
            s.close()
            raise
        s.settimeout(None)
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.killed = False
        self.subs, self.sid = {}, 0
        self.pongs = collections.deque()
        self.last_err = None
        self.inbox, self.replies, self.nreq = None, {}, 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _line(self):
        start = 0
        while True:
            i = self.buf.find(b"\r\n", start)
            if i >= 0:
                line = bytes(self.buf[:i])
                del self.buf[:i + 2]
                return line
            start = max(0, len(self.buf) - 1)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("closed by server")
            self.buf += chunk

    def _take(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buf)))
            if not chunk:
                raise EOFError("closed by server")
            self.buf += chunk
        data = bytes(self.buf[:n - 2])
        del self.buf[:n]
        return data

    def _read(self):
        try:
            while True:
                line = self._line()
                if line.startswith(b"MSG "):
                    parts = line.split(b" ")
                    data = self._take(int(parts[-1]) + 2)
                    cb = self.subs.get(parts[2])
                    if cb:
                        cb(self, parts[1].decode(), parts[3].decode() if len(parts) == 5 else None, data)
                elif line == b"PING":
                    self.send(b"PONG\r\n")
                elif line == b"PONG":
                    if self.pongs:
                        self.pongs.popleft().set()
                elif line.startswith(b"-ERR"):
                    self.last_err = line[4:].decode(errors="replace").strip(" '")
        except (OSError, EOFError, ValueError, IndexError):
            pass
        finally:
            self.closed.set()
            while self.pongs:
                self.pongs.popleft().set()

    def send(self, data):
        with self.lock:
            self.sock.sendall(data)

    def publish(self, subject, data, reply=None):
        head = ("PUB %s %s%d\r\n" % (subject, reply + " " if reply else "", len(data))).encode()
        self.send(head + data + b"\r\n")

    def subscribe(self, subject, cb, queue=None):
        self.sid += 1
        sid = str(self.sid).encode()
        self.subs[sid] = cb
        self.send(("SUB %s %s%s\r\n" % (subject, queue + " " if queue else "", sid.decode())).encode())

    def flush(self, timeout=5.0):
        """PING and wait for its PONG: True when the server has taken everything sent before."""
        ev = threading.Event()
        self.pongs.append(ev)
        self.send(b"PING\r\n")
        return ev.wait(timeout) and not self.closed.is_set()

    def _reply(self, conn, subject, reply, data):
        slot = self.replies.pop(subject.rsplit(".", 1)[-1], None)
        if slot:
            slot[1] = data
            slot[0].set()

    def request(self, subject, data, timeout=2.0):
        """A request with a reply subject under the connection's inbox; the reply's data, or None on a timeout."""
        if self.inbox is None:
            self.inbox = "_INBOX." + "".join(random.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(22))
            self.subscribe(self.inbox + ".*", self._reply)
        self.nreq += 1
        token = str(self.nreq)
        slot = [threading.Event(), None]
        self.replies[token] = slot
        self.publish(subject, data, reply="%s.%s" % (self.inbox, token))
        slot[0].wait(timeout)
        self.replies.pop(token, None)
        return slot[1]

    def close(self, kill=False):
        """Closes the connection: a client's normal close (FIN), or kill=True as when its process is killed (RST)."""
        self.killed = kill
        try:
            if kill:
                self.sock.shutdown(socket.SHUT_RD)
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            else:
                self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


# ---- the shop's services --------------------------------------------------------------------------------------------

class Service:
    """A long-running client: connects (retrying), subscribes, runs its work until the connection closes, a restart is
    asked for (a deploy) or the run stops, then reconnects."""

    def __init__(self, tr, name, src, user, subs=(), rcvbuf=None):
        self.tr, self.name, self.src, self.user, self.subs, self.rcvbuf = tr, name, src, user, subs, rcvbuf
        self.restart = threading.Event()
        self.rng = random.Random("%s-%s" % (tr.seed, name))
        self.conn = None
        self.connects = 0

    def alive(self, c):
        return not (self.tr.stop.is_set() or c.closed.is_set() or self.restart.is_set())

    def run(self):
        while not self.tr.stop.is_set():
            try:
                c = Conn(self.src, self.user, self.tr.pw[self.user], self.name, rcvbuf=self.rcvbuf)
            except (NatsError,) + ERRORS as e:
                self.tr.count("%s connect failed: %s" % (self.name, str(e)[:40]))
                self.tr.stop.wait(self.rng.uniform(1, 3))
                continue
            self.conn = c
            self.connects += 1
            self.tr.register(c)
            restarted = False
            try:
                for subject, queue, cb in self.subs:
                    c.subscribe(subject, cb, queue)
                self.work(c, self.rng)
            except (NatsError,) + ERRORS as e:
                self.tr.count("%s: %s" % (self.name, str(e)[:40]))
            finally:
                restarted = self.restart.is_set()
                self.restart.clear()
                if not c.killed:
                    c.close()
                self.tr.unregister(c)
            self.tr.stop.wait(self.rng.uniform(1, 4) if restarted else self.rng.uniform(0.5, 2))

    def work(self, c, rng):
        while self.alive(c):
            self.tr.stop.wait(0.5)

    def every(self, c, low, high, fn):
        """Calls fn() every low..high seconds while the connection is alive."""
        while self.alive(c):
            self.tr.stop.wait(self.rng.uniform(low, high))
            if self.alive(c):
                fn()


class Traffic:
    def __init__(self, server, pw, seed):
        self.server, self.pw, self.seed = server, pw, seed
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.conns = set()
        self.services = []
        self.threads = []
        self.tsdb_up = threading.Event()
        self.tsdb_up.set()
        self.stalls = []          # (writer address, blocked since, unblocked or restarted at)
        self.sc_restarts = []     # (writer address, time) of the liveness probe's restarts
        self.writer_progress = {}  # writer address: last time it wrote a batch
        self.parked = []          # (reports address, size, time)
        self.docs = collections.Counter()
        self.filler = os.urandom(1 << 16)
        self.pdf = os.urandom(3 << 20)
        self.export_at = None     # when reports-2 makes the monthly catalogue export (above max_payload)

    def count(self, k, n=1):
        with self.lock:
            self.counts[k] += n

    def register(self, c):
        with self.lock:
            self.conns.add(c)

    def unregister(self, c):
        with self.lock:
            self.conns.discard(c)

    def pad(self, n):
        return self.filler[:n].hex().encode()[:n]

    # -- request/reply and events --

    def responder(self, kind):
        def cb(c, subject, reply, data):
            if not reply:
                return
            rng = random.Random(len(data) + self.counts["replies"])
            if kind == "orders.create":
                oid = "ord_%08d" % rng.randrange(10 ** 8)
                body = json.dumps({"order_id": oid, "status": "accepted"}).encode()
                c.publish(reply, body)
                c.publish("events.order.created", json.dumps(
                    {"order_id": oid, "total": round(rng.uniform(5, 400), 2), "items": rng.randint(1, 9)}).encode())
            elif kind == "inventory.check":
                c.publish(reply, json.dumps({"sku": "SKU-%05d" % rng.randrange(40000),
                                             "available": rng.randint(0, 120)}).encode())
            elif kind == "pricing.quote":
                c.publish(reply, json.dumps({"price": round(rng.uniform(3, 250), 2), "currency": "EUR"}).encode())
            elif kind == "catalog.search":
                c.publish(reply, b'{"hits":[' + self.pad(rng.randint(1500, 7000)) + b']}')
            self.count("replies")
        return cb

    def billing_cb(self, c, subject, reply, data):
        rng = random.Random(len(data) + self.counts["payments"])
        c.publish("events.payment.captured" if rng.random() < 0.95 else "events.payment.failed", data[:200])
        self.count("payments")

    def sink(self, key):
        def cb(c, subject, reply, data):
            self.count(key)
        return cb

    def orders_api(self, svc):
        def work(c, rng):
            def one():
                r = rng.random()
                subj = "orders.create" if r < 0.4 else "inventory.check" if r < 0.75 else "pricing.quote"
                body = json.dumps({"customer": "c%06d" % rng.randrange(10 ** 6), "sku": "SKU-%05d" % rng.randrange(
                    40000), "qty": rng.randint(1, 4), "note": self.pad(rng.randint(100, 1500)).decode()}).encode()
                self.count("requests" if c.request(subj, body) is not None else "request timeouts")
            while svc.alive(c):
                self.stop.wait(rng.expovariate(2.0))
                if svc.alive(c):
                    one()
        return work

    def web(self, svc):
        def work(c, rng):
            bug = now() + rng.uniform(30, 100)
            while svc.alive(c):
                self.stop.wait(rng.expovariate(1.5))
                if not svc.alive(c):
                    break
                q = rng.choice(["shoes", "rain jacket", "usb-c cable", "tent", "espresso", "running socks", "lamp"])
                self.count("searches" if c.request("catalog.search", json.dumps({"q": q}).encode())
                           is not None else "request timeouts")
                if now() >= bug:
                    # the cache-invalidation bug: web publishes straight to admin.cache.flush, which it may not
                    bug = now() + rng.uniform(60, 140)
                    c.publish("admin.cache.flush", json.dumps({"scope": "catalog"}).encode())
                    self.count("web publish violations")
        return work

    # -- the document service --

    def reports(self, svc):
        queue = collections.deque()
        state = {"next": now() + svc.rng.uniform(1, 6)}

        def work(c, rng):
            while svc.alive(c):
                if not queue:
                    self.stop.wait(max(0.0, min(1.0, state["next"] - now())))
                    if now() >= state["next"]:
                        state["next"] = now() + rng.uniform(3, 8)
                        size = max(min(int(rng.lognormvariate(12.1, 0.8)), 1500000), 20000)
                        kind = rng.choice(["invoice-batch", "sales-daily", "stock-valuation", "shipping-manifest",
                                           "customer-statement"])
                        if svc.src == REPORTS[1] and self.export_at and now() >= self.export_at:
                            # the monthly full catalogue export, larger than max_payload
                            self.export_at = None
                            size, kind = rng.randint(2150000, 2900000), "catalogue-export"
                        queue.append([kind, size, 0])
                    continue
                kind, size, tries = queue[0]
                queue[0][2] += 1
                data = self.pdf[:size]
                ok = False
                try:
                    c.publish("reports.generated.%s" % kind, data)
                    ok = c.flush(10)
                except ERRORS:
                    pass
                if ok:
                    queue.popleft()
                    self.docs["published"] += 1
                    continue
                self.docs["failed"] += 1
                if queue[0][2] >= 3:
                    queue.popleft()
                    self.parked.append((svc.src, size, now()))
                    self.docs["parked"] += 1
                # the connection is gone (the server closed it after its -ERR): back off, reconnect
                self.stop.wait(rng.uniform(0.5, 1.5) * queue[0][2] if queue else 0.5)
                return
        return work

    # -- telemetry --

    def agent(self, svc, host):
        rng0 = random.Random(host)
        base = json.dumps({"host": host, "metrics": {"cpu.%d" % i: rng0.random() for i in range(40)},
                           "disk": {"sda%d" % i: rng0.randint(10 ** 6, 10 ** 9) for i in range(8)},
                           "labels": {"dc": "fra1", "role": host.split("-")[0]}}).encode()
        extra = rng0.randint(1400, 2200)

        def work(c, rng):
            nxt = now()
            while svc.alive(c):
                nxt += rng.uniform(0.15, 0.35)
                self.stop.wait(max(0.0, nxt - now()))
                if not svc.alive(c):
                    break
                c.publish("telemetry.%s.metrics" % host, b'{"ts":%.3f,' % now() + base[1:-1] + b',"pad":"' +
                          self.filler[:extra // 2].hex().encode() + b'"}')
                if rng.random() < 0.002:
                    c.publish("telemetry.%s.alerts" % host, json.dumps(
                        {"alert": rng.choice(["disk_usage_high", "load_high", "ntp_drift"]), "ts": now()}).encode())
        return work

    def writer(self, svc):
        """The TSDB writers: each message is written synchronously in the client's only thread (its reader), so when
        the TSDB hangs the connection is not read at all; a liveness probe restarts the writer after LIVENESS s."""
        state = {"blocked": None}

        def cb(c, subject, reply, data):
            if not self.tsdb_up.is_set():
                state["blocked"] = now()
                while not self.tsdb_up.is_set() and not c.killed and not self.stop.is_set():
                    time.sleep(0.2)
                with self.lock:
                    self.stalls.append((svc.src, state["blocked"], now()))
                state["blocked"] = None
            self.writer_progress[svc.src] = now()
            self.count("tsdb writes")

        def work(c, rng):
            while svc.alive(c):
                self.stop.wait(1.0)
                b = state["blocked"]
                if b is not None and now() - b > LIVENESS:
                    with self.lock:
                        self.sc_restarts.append((svc.src, now()))
                    c.close(kill=True)      # the probe kills the stuck process; it is started again
                    while state["blocked"] is not None and not self.stop.is_set():
                        time.sleep(0.1)
                    svc.restart.set()
                    return
        svc.subs = [("telemetry.>", None, cb)]
        return work

    # -- the roles --

    def add(self, name, src, user, subs=(), work=None, rcvbuf=None):
        svc = Service(self, name, src, user, subs, rcvbuf)
        if work is not None:
            svc.work = work(svc)
        self.services.append(svc)
        return svc

    def build(self):
        self.add("orders-api-1", "127.0.0.11", "orders-api", work=self.orders_api)
        self.add("orders-api-2", "127.0.0.12", "orders-api", work=self.orders_api)
        self.add("web-1", "127.0.0.13", "web", work=self.web)
        for i, src in enumerate(("127.0.0.21", "127.0.0.22")):
            self.add("orders-svc-%d" % (i + 1), src, "orders-svc",
                     [("orders.create", "orders-svc", self.responder("orders.create"))])
        self.add("inventory-1", "127.0.0.23", "inventory",
                 [("inventory.check", "inventory", self.responder("inventory.check"))])
        self.add("pricing-1", "127.0.0.24", "pricing", [("pricing.quote", "pricing", self.responder("pricing.quote"))])
        self.add("catalog-1", "127.0.0.25", "catalog",
                 [("catalog.search", "catalog", self.responder("catalog.search"))])
        self.add("billing-1", "127.0.0.31", "billing", [("events.order.created", "billing", self.billing_cb)])
        self.add("billing-2", "127.0.0.32", "billing", [("events.order.created", "billing", self.billing_cb)])
        self.add("notifier-1", "127.0.0.33", "notifier", [("events.>", None, self.sink("notifications"))])
        for i, src in enumerate(REPORTS):
            self.add("reports-%d" % (i + 1), src, "reports", work=self.reports)
        self.add("archiver-1", "127.0.0.37", "archiver", [("reports.>", "archive", self.sink("archived"))])
        for i, src in enumerate(WRITERS):
            self.add(("metrics-writer", "metrics-rollup")[i], src, "metrics", work=self.writer, rcvbuf=256 * 1024)
        self.add("alerting-1", "127.0.0.43", "alerting", [("telemetry.*.alerts", None, self.sink("alerts"))])
        roles = ["web", "api", "db", "cache", "search", "worker"]
        for k in range(24):
            host = "%s-%02d" % (roles[k % 6], k // 6 + 1)
            self.add("agent-%s" % host, "127.0.0.%d" % (50 + k), "agent", work=lambda svc, h=host: self.agent(svc, h))

    def start_service(self, svc):
        t = threading.Thread(target=svc.run, daemon=True)
        t.start()
        self.threads.append(t)

    def run(self):
        self.build()
        for svc in self.services:
            self.start_service(svc)
            time.sleep(0.05)
        for fn in (self.churn, self.monitoring, self.developers, self.exporter):
            t = threading.Thread(target=fn, daemon=True)
            t.start()
            self.threads.append(t)

    def start_analytics(self):
        svc = self.add("analytics-1", "127.0.0.34", "analytics", [("events.>", "analytics", self.sink("analytics"))])
        self.start_service(svc)

    # -- background jobs and noise --

    def churn(self):
        """Deploys and restarts: a service instance or agent restarted every 20-45 s (the writers are left alone)."""
        rng = random.Random(self.rng.random())
        while not self.stop.wait(rng.uniform(20, 45)):
            svc = rng.choice([s for s in self.services if s.src not in WRITERS])
            svc.restart.set()
            self.count("restarts")

    def monitoring(self):
        rng = random.Random(self.rng.random())
        n = 0
        while not self.stop.wait(15):
            paths = ["/healthz", "/varz"] + (["/connz?limit=1024"] if n % 4 == 0 else [])
            n += 1
            for p in paths:
                try:
                    h = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=5, source_address=("127.0.0.2", 0))
                    h.request("GET", p, headers={"User-Agent": "nats-exporter-check/1.0"})
                    body = h.getresponse().read()
                    h.close()
                    if p == "/varz":
                        self.varz = json.loads(body)
                    self.count("monitoring polls")
                except (OSError, ValueError, http.client.HTTPException):
                    self.count("monitoring failed")

    def developers(self):
        rng = random.Random(self.rng.random())
        devs = [("dev-alice", "127.0.0.91"), ("dev-bob", "127.0.0.92"), ("dev-chen", "127.0.0.93"),
                ("dev-dana", "127.0.0.94")]
        while not self.stop.wait(rng.uniform(45, 100)):
            threading.Thread(target=self.dev_session, args=(rng.choice(devs), random.Random(rng.random())),
                             daemon=True).start()

    def dev_session(self, dev, rng):
        user, src = dev
        name = "%s-notebook" % user
        try:
            if rng.random() < 0.33:
                wrong = self.pw[user][:-1] + rng.choice("xyz") if rng.random() < 0.7 else self.pw[user].lower()
                try:
                    Conn(src, user, wrong, name, version="1.19.1").close()
                except NatsError:
                    self.count("dev typos")
                self.stop.wait(rng.uniform(4, 15))
            c = Conn(src, user, self.pw[user], name, version="1.19.1")
            self.register(c)
            c.subscribe("events.>", self.sink("dev events"))
            for _ in range(rng.randint(1, 4)):
                c.request("catalog.search", json.dumps({"q": rng.choice(["tent", "lamp", "kettle"])}).encode())
                self.stop.wait(rng.uniform(1, 4))
            self.stop.wait(rng.uniform(3, 15))
            c.close()
            self.unregister(c)
            self.count("dev sessions")
        except (NatsError,) + ERRORS as e:
            self.count("dev failed: %s" % str(e)[:40])

    def exporter(self):
        """An old exporter on 127.0.0.88 whose user was removed long ago, still retrying every 20-30 s."""
        rng = random.Random(self.rng.random())
        self.stop.wait(rng.uniform(2, 20))
        while not self.stop.is_set():
            try:
                Conn("127.0.0.88", "exporter", "Exp0rt3r-2023", "legacy-exporter", version="1.11.0").close()
            except NatsError:
                self.count("exporter refused")
            except ERRORS:
                pass
            self.stop.wait(rng.uniform(20, 30))

    def finish(self):
        self.stop.set()
        self.tsdb_up.set()
        with self.lock:
            conns = list(self.conns)
        for c in conns:
            c.close()
        for t in self.threads:
            t.join(5)


# ---- incidents ------------------------------------------------------------------------------------------------------

def stale_billing(tr, seconds):
    """billing-3 on 127.0.0.39 with the password from before the rotation, restarted by systemd after each failure."""
    rng = random.Random(39)
    old = "".join(reversed(tr.pw["billing"]))
    start, stop, n = now(), now() + seconds, 0
    while now() < stop and not tr.stop.is_set():
        try:
            Conn(STALE_BILLING, "billing", old, "billing-3", version="1.4.2").close()
        except NatsError:
            n += 1
        except ERRORS:
            pass
        time.sleep(rng.uniform(0.5, 1.2))
    return start, now(), n


def settle(path, since, test, quiet, most):
    """Waits until the log's last line since `since` passing test is `quiet` seconds old (at most `most` seconds);
    returns the time of that line (or None)."""
    deadline = now() + most
    while True:
        times = [t for t, lvl, msg, cl in read_log(path) if t >= since and test(msg, cl)]
        last = max(times) if times else None
        if now() >= deadline or now() - (last or since) >= quiet:
            return last
        time.sleep(1)


def main():
    work = begin(OUT, "nats", __doc__, readable=True)
    shutil.chown(work, "nats", "nats")
    rng = random.Random(2026)
    pw = passwords(rng)
    server = Nats(work, pw)
    version = server.version()
    labels = Labels()
    labels.note("made by bench/real-logs/nats.py: real nats-server %s (Debian) as the nats user on 127.0.0.1:%d "
                "(monitoring 127.0.0.1:%d), its own config: log_file, logtime true, debug and trace off, "
                "max_connections 512, max_payload 2MB, max_pending 32MB, write_deadline 3s, ping_interval 20s, "
                "accounts APP/TELEMETRY/SYS with plain-text passwords; clients are Python (standard library) speaking "
                "NATS's text protocol, each role on its own 127.0.0.X: about 100 messages/s (request/reply, events, "
                "24 telemetry agents, reports up to 1.5 MB); TZ=UTC; wall-clock times" % (version, PORT, HTTP_PORT))
    labels.note("routine, not labelled: developers mistyping passwords (127.0.0.91-94), web's publish to "
                "admin.cache.flush denied now and then, an old exporter on 127.0.0.88 refused every 20-30 s, the "
                "monthly catalogue export of reports-2 (127.0.0.36) above max_payload at ~65 s (3 tries), the admin's "
                "reloads (a new user at ~50 s; max_connections raised after the first incident, first with a typo: "
                "one 'Failed to reload server configuration')")
    traffic = Traffic(server, pw, 2026)
    ok = False
    marks = {}
    try:
        server.start()
        traffic.run()
        t0 = now()
        traffic.export_at = t0 + 62 * SCALE
        sleep_until(t0 + 50 * SCALE)
        server.analytics = True           # the admin adds the analytics service's user
        server.reload()
        time.sleep(rng.uniform(6, 12) * SCALE)
        traffic.start_analytics()
        sleep_until(t0 + 90 * SCALE)

        # 1. the TSDB hangs: the metrics writers stop reading their connections
        s1 = now()
        traffic.tsdb_up.clear()
        time.sleep(max(90 * SCALE, 40))
        traffic.tsdb_up.set()
        r1 = now()
        deadline = now() + 30
        while now() < deadline and not all(traffic.writer_progress.get(w, 0) > r1 + 1 for w in WRITERS):
            time.sleep(0.5)
        marks["slow"] = (s1, r1, now())
        last = settle(server.log, s1, lambda m, cl: "Slow Consumer" in m, 5, 10) or now()
        e1 = max(now(), last)

        # routine: the admin raises max_connections, with a typo first
        sleep_until(e1 + 25 * SCALE)
        server.max_connections, server.max_conn_key = 1024, "max_conections"
        server.reload()
        time.sleep(20 * SCALE)
        server.max_conn_key = "max_connections"
        server.reload()
        sleep_until(e1 + 60 * SCALE)

        # 2. an old billing VM with the pre-rotation password restarts again and again
        s2, e2, n2 = stale_billing(traffic, 60 * SCALE)
        marks["auth"] = (s2, e2, n2)
        sleep_until(e2 + 60 * SCALE)

        # 3. the admin lowers max_payload to 256KB and reloads; reverts 70 s later
        s3 = now()
        server.max_payload = "256KB"
        server.reload()
        time.sleep(70 * SCALE)
        server.max_payload = "2MB"
        server.reload()
        e3 = now()
        marks["payload"] = (s3, e3)
        sleep_until(e3 + 60 * SCALE)

        traffic.finish()
        time.sleep(1)
        ok = True
    finally:
        traffic.finish()
        server.stop()
        if ok:
            label(server, traffic, labels, marks)
            keep_log(server.log, OUT, NAME, labels)
            for f in (NAME + ".log", NAME + ".log.gz"):
                if os.path.exists(os.path.join(OUT, f)):
                    os.chmod(os.path.join(OUT, f), 0o644)    # nats-server makes its log 0640
        shutil.rmtree(work, ignore_errors=True)


def label(server, tr, labels, marks):
    log = read_log(server.log)
    lines = len(log)

    s1, r1, rec1 = marks["slow"]
    sc = [e for e in log if "Slow Consumer Detected" in e[2] and s1 <= e[0] <= rec1 + 10]
    sc_w = [e for e in sc if e[3] in WRITERS]
    stalls = [s for s in tr.stalls if s[1] >= s1 - 1]
    start = min([s[1] for s in stalls] + [r1])
    end = max([e[0] for e in sc] + [rec1])
    labels.add("slow-consumer", start, end, "slow-consumer", "|".join(WRITERS) + "|metrics",
               "the TSDB hangs for %d s: the metrics writers metrics-writer (127.0.0.41) and metrics-rollup "
               "(127.0.0.42), each subscribed to telemetry.> (about 290 KB/s) and writing synchronously in their only "
               "thread, stop reading their connections; about %d s later the server's buffers are full and NATS logs "
               "'[INF] 127.0.0.4x:PORT - cid:N - \"v1.4.2:python3:metrics-...\" - Slow Consumer Detected: "
               "WriteDeadline of 3s exceeded with N chunks of N total bytes.' and drops them (%d lines, %d from the "
               "writers); their liveness probes restart them (%d restarts) and each new connection stalls and is "
               "dropped again until the TSDB is back; the label runs from the stall to the writers' recovery"
               % (round(r1 - s1), round(min(e[0] for e in sc_w) - s1) if sc_w else 0, len(sc), len(sc_w),
                  len(tr.sc_restarts)))
    if len(sc_w) != len(sc):
        print("note: %d slow consumer lines not from the writers" % (len(sc) - len(sc_w)), file=sys.stderr)

    s2, e2, n2 = marks["auth"]
    au = [e for e in log if e[3] == STALE_BILLING and "authentication error" in e[2]]
    if au:
        labels.add("auth-hammer", au[0][0], au[-1][0], "auth-failure", STALE_BILLING + "|billing",
                   "an old billing VM (billing-3, 127.0.0.39) is powered on again with the billing password from "
                   "before the last rotation; its service restarts every 0.5-1.2 s for %d s: %d lines '[ERR] "
                   "127.0.0.39:PORT - cid:N - \"v1.4.2:python3:billing-3\" - authentication error - User "
                   "\"billing\"' (%d refusals counted by the client), until the VM is shut down; the two current "
                   "billing instances (127.0.0.31-32) are unaffected" % (round(e2 - s2), len(au), n2))

    s3, e3 = marks["payload"]
    rl = [e for e in log if e[2].startswith("Reloaded: max_payload") and s3 - 1 <= e[0] <= e3 + 5]
    mp = [e for e in log if "maximum payload exceeded" in e[2] and "vs 262144" in e[2]]
    start = min([e[0] for e in rl] + [e[0] for e in mp] or [s3])
    end = max([e[0] for e in rl] + [e[0] for e in mp] or [e3])
    parked = [p for p in tr.parked if s3 <= p[2] <= e3 + 5]
    labels.add("payload-reload", start, end, "config-change", "max_payload|" + "|".join(REPORTS),
               "the admin lowers max_payload from 2MB to 256KB (a security review's advice) and reloads: "
               "'[INF] Reloaded: max_payload = 262144'; each report above 256 KB from the document service reports "
               "(127.0.0.35-36) is refused and its connection closed: %d lines '[ERR] 127.0.0.3x:PORT - cid:N - "
               "\"v1.4.2:python3:reports-N\" - maximum payload exceeded: N vs 262144' (%d from 127.0.0.35, %d from "
               "127.0.0.36); each document is tried 3 times after reconnecting, then parked (%d parked); %d s later "
               "the admin reverts: 'Reloaded: max_payload = 2097152'"
               % (len(mp), sum(e[3] == REPORTS[0] for e in mp), sum(e[3] == REPORTS[1] for e in mp), len(parked),
                  round(e3 - s3)))
    levels = collections.Counter(e[1] for e in log)
    print("%s: %d log lines %s; traffic %s; docs %s; varz slow_consumers %s" % (
        NAME, lines, dict(levels), sorted(tr.counts.items()), dict(tr.docs),
        getattr(tr, "varz", {}).get("slow_consumers")), file=sys.stderr)


if __name__ == "__main__":
    main()
