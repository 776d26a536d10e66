#!/usr/bin/env python3
"""Runs a real 3-node Apache ZooKeeper ensemble (Debian zookeeper 3.8.0) on 127.0.0.1 as a small platform's
coordination service (service registry, configuration with watches, a scheduler's leader election, a job queue with
locks), drives its clients' traffic through ZooKeeper's own wire protocol, injects labelled incidents and keeps each
node's log exactly as ZooKeeper wrote it.

Each node runs the way Debian's init script starts it (/etc/init.d/zookeeper with /etc/zookeeper/conf/environment):
`java -cp CONF:/usr/share/java/zookeeper.jar -Dcom.sun.management.jmxremote
-Dcom.sun.management.jmxremote.local.only=true -Dzookeeper.log.dir=LOGDIR -Dzookeeper.root.logger=INFO,ROLLINGFILE
org.apache.zookeeper.server.quorum.QuorumPeerMain CONF/zoo.cfg` as Debian's zookeeper user (when run as root), TZ=UTC,
with two jars added to the class path: /usr/share/java/slf4j-log4j12.jar and /usr/share/java/log4j-1.2.jar. Without
them (Debian's class path as shipped) SLF4J finds no binding and the server logs nothing at all ("SLF4J: Defaulting
to no-operation (NOP) logger implementation"); the package depends on liblog4j1.2-java precisely so that log4j 1.2
is the binding. CONF holds Debian's log4j.properties byte for byte (/etc/zookeeper/conf_example, the ROLLINGFILE
appender writing ${zookeeper.log.dir}/zookeeper.log with the layout "%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n", e.g.
"2026-12-03 20:05:59,798 - INFO  [CommitProcessor:1:LearnerSessionTracker@116] - Committing global session
0x10002e300d00000", stack traces on the lines after) and a zoo.cfg made from Debian's example zoo.cfg (tickTime 2000,
initLimit 10, syncLimit 5, maxClientCnxns=60 uncommented) plus what an admin of an ensemble sets: its own dataDir,
clientPort on clientPortAddress 127.0.0.1, server.1..3 lines, autopurge (snapRetainCount 3, purgeInterval 1),
snapCount 10000, 4lw.commands.whitelist for the monitoring (ruok, srvr, stat, mntr, cons) and admin.enableServer=false.

usage: bench/real-logs/zookeeper.py OUTDIR
  ports 20251-20259: client ports 20251/20252/20253 (server.1/2/3), quorum ports 20254-20256, election ports
  20257-20259
  writes OUTDIR/zookeeper-p1.log, zookeeper-p2.log, zookeeper-p3.log (each node's log; gzipped over 1 MB) and
  OUTDIR/zookeeper-p1.labels.tsv, -p2, -p3; SCALE=0.1 multiplies every duration of the scenario (a short run for
  testing; ZooKeeper's own timeouts stay as they are)

Normal traffic (each client a thread with its own 127.0.0.X source address, speaking ZooKeeper's protocol itself: a
connect string of the three nodes shuffled once, reconnecting with its session to the next node when a connection
is lost, pinging at a third of the negotiated timeout, watches):
  api x4 (127.0.0.21-24) and billing x2 (127.0.0.25-26) service instances: a session each (15 s), an ephemeral
  /services/<svc>/<name>, their config read with a watch (re-read when it fires), the other service's instances
  listed every few seconds; scheduler x2 (127.0.0.31-32, 10 s): leader election with ephemeral sequential nodes
  under /election/scheduler, the leader enqueues a job (/jobs/queue/job-, persistent sequential) every 2-4 s, the
  other watches its predecessor; workers x4 (127.0.0.41-44, 12 s): poll /jobs/queue, lock a job with an ephemeral
  /jobs/locks/<job> (NodeExists when another worker was first), work, move it to /jobs/done; catalog-sync x2
  (127.0.0.61-62, 20 s): write their shard of the product catalog (/config/catalog/shard-N, 40-250 KB) every
  20-40 s; reports (127.0.0.77, 30 s): one session reading /config/reports; batch jobs (127.0.0.51-58): about one
  short session a second (read config, list and touch /batch, close the session), 6 % of them crash without
  closing theirs (the server logs the closed socket and expires the session); an admin (127.0.0.5) with a zkCli-like
  session every 50-90 s (ls, get, now and then a new /config/api or /config/billing version, which fires the
  instances' watches); a cleanup cron (127.0.0.6) every 60 s deleting old /jobs/done entries; monitoring (127.0.0.2)
  sending ruok and mntr to each node every 15 s and srvr every 60 s; a load balancer health check (127.0.0.3) that
  someone pointed at a client port with an HTTP GET now and then (ZooKeeper logs "Len error" for it); now and then a
  long-lived client loses its connection and takes its session to another node.
Incidents (about 8.5 minutes in all: 90 s of normal traffic, each incident followed by about 60 s of it):
  leader-crash    the leader node's JVM is killed (SIGKILL, as the OOM killer or a host crash would) and started
                  again 40 s later: the two others lose it ("Exception when following the leader"), elect a new
                  leader among themselves (LOOKING, notifications, LEADING/FOLLOWING, "Cannot open channel to N at
                  election address" with java.net.ConnectException while it is down), the clients take their
                  sessions elsewhere ("Revalidating client"), and the restarted node rejoins as a follower and syncs
                  (DIFF); its own log stops and starts again with the start-up banner
  conn-leak       a new release of the reports service on 127.0.0.77 opens a new ZooKeeper client for every request
                  (about 4 a second) and never closes them: 60 sessions on each node, then "Too many connections
                  from /127.0.0.77 - max is 60" (maxClientCnxns, rate-limited WARN lines) while its stuck clients
                  keep retrying; after 75 s it is rolled back (its process restarted): each node logs the closed
                  sockets ("Unable to read additional data from client ... /127.0.0.77") and the leader expires the
                  ~180 leaked sessions 30 s later ("Expiring session 0x..., timeout of 30000ms exceeded")
  oversize-write  a new release of catalog-sync (127.0.0.61-62) writes the whole catalog into one znode,
                  /config/catalog/full (1.1-1.5 MB, over jute.maxbuffer): each write makes the node close the
                  connection ("Close of session 0x...", "java.io.IOException: Len error. A message from
                  /127.0.0.61:PORT with advertised length of 1234567 is either a malformed message or too large to
                  process (length is greater than jute.maxbuffer=1048575)"); the clients reconnect with their
                  session ("Revalidating client") and retry with back-off for 60 s until the release is rolled back
Needs (Debian): zookeeper (and its default-jre). Standard library only.
"""
import os
import pwd
import queue
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import calendar

from drivers import begin, keep_log, now, sleep_until, stop_process, SessionPool
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "zookeeper-p"
IDS = (1, 2, 3)
CLIENT = {1: 20251, 2: 20252, 3: 20253}
QUORUM = {1: 20254, 2: 20255, 3: 20256}
ELECTION = {1: 20257, 2: 20258, 3: 20259}
SERVERS = [("127.0.0.1", CLIENT[i]) for i in IDS]
JARS = ["/usr/share/java/zookeeper.jar", "/usr/share/java/slf4j-log4j12.jar", "/usr/share/java/log4j-1.2.jar"]
LOG4J = [p for p in ("/etc/zookeeper/conf/log4j.properties", "/etc/zookeeper/conf_example/log4j.properties")
         if os.path.exists(p)]
EXAMPLE_CFG = "/etc/zookeeper/conf_example/zoo.cfg"
MONITOR, PROBE, ADMIN, CLEANUP = "127.0.0.2", "127.0.0.3", "127.0.0.5", "127.0.0.6"
REPORTS = "127.0.0.77"
CATALOG = ["127.0.0.61", "127.0.0.62"]

# ---- ZooKeeper's wire protocol (jute) ---------------------------------------------------------------------------

OPS = {"create": 1, "delete": 2, "exists": 3, "getData": 4, "setData": 5, "getChildren": 8, "ping": 11,
       "close": -11}
OPEN_ACL = [(31, "world", "anyone")]
EPHEMERAL, SEQUENTIAL = 1, 2
NONODE, NODEEXISTS, NOTEMPTY = -101, -110, -111


class ZKError(Exception):
    def __init__(self, code):
        super().__init__("zk error %d" % code)
        self.code = code


class ConnectionLost(OSError):
    pass


class SessionExpired(OSError):
    pass


def pint(v):
    return struct.pack(">i", v)


def plong(v):
    return struct.pack(">q", v)


def pbuf(b):
    return pint(-1) if b is None else pint(len(b)) + b


def pstr(s):
    return pbuf(s.encode())


def pbool(v):
    return b"\x01" if v else b"\x00"


def pacl(acl):
    return pint(len(acl)) + b"".join(pint(p) + pstr(s) + pstr(i) for p, s, i in acl)


class Reader:
    def __init__(self, b):
        self.b, self.o = b, 0

    def int(self):
        self.o += 4
        return struct.unpack_from(">i", self.b, self.o - 4)[0]

    def long(self):
        self.o += 8
        return struct.unpack_from(">q", self.b, self.o - 8)[0]

    def buf(self):
        n = self.int()
        if n < 0:
            return None
        self.o += n
        return self.b[self.o - n:self.o]

    def str(self):
        v = self.buf()
        return None if v is None else v.decode()

    def stat(self):
        self.o += 68
        return struct.unpack_from(">qqqqiiiqiiq", self.b, self.o - 68)


def recv_exact(s, n):
    out = bytearray()
    while len(out) < n:
        d = s.recv(min(65536, n - len(out)))
        if not d:
            raise ConnectionLost("closed by the server")
        out += d
    return bytes(out)


class ZK:
    """One ZooKeeper client: a session over one TCP connection at a time, from its own source address. Its connect
    string is the three nodes, shuffled once (as the Java client does); connect() takes the session to the next node
    that accepts it. A reader thread hands replies to the waiting calls and watch events to `events`; a pinger
    thread pings at a third of the negotiated timeout."""

    def __init__(self, source, timeout_ms, rng):
        self.source, self.timeout_ms, self.rng = source, timeout_ms, rng
        self.order = rng.sample(SERVERS, len(SERVERS))
        self.at = rng.randrange(len(SERVERS))
        self.sid, self.passwd, self.zxid, self.neg = 0, b"\x00" * 16, 0, timeout_ms
        self.sock, self.alive, self.xid = None, False, 0
        self.lock = threading.Lock()
        self.pending = {}
        self.events = queue.Queue()

    def connect(self, rounds=1):
        """Connects to the next nodes of the connect string in turn (`rounds` times round it); SessionExpired when a
        node says the session is gone, ConnectionLost when none took it."""
        err = None
        for _ in range(rounds * len(self.order)):
            host, port = self.order[self.at % len(self.order)]
            self.at += 1
            s = socket.socket()
            s.settimeout(5)
            try:
                s.bind((self.source, 0))
                s.connect((host, port))
                req = (pint(0) + plong(self.zxid) + pint(self.timeout_ms) + plong(self.sid) + pbuf(self.passwd)
                       + pbool(False))
                s.sendall(pint(len(req)) + req)
                r = Reader(recv_exact(s, struct.unpack(">i", recv_exact(s, 4))[0]))
                r.int()
                neg, sid, pw = r.int(), r.long(), r.buf()
                if neg <= 0:
                    s.close()
                    raise SessionExpired("session 0x%x expired" % self.sid)
                self.sid, self.passwd, self.neg = sid, pw, neg
                s.settimeout(None)
                self.sock, self.alive, self.port = s, True, port
                threading.Thread(target=self.reader, args=(s,), daemon=True).start()
                threading.Thread(target=self.pinger, args=(s,), daemon=True).start()
                return
            except SessionExpired:
                raise
            except (OSError, struct.error) as e:
                err = e
                s.close()
        raise ConnectionLost("no node took the session: %s" % err)

    def reset(self):
        """Forgets an expired session (the next connect() makes a new one)."""
        self.sid, self.passwd = 0, b"\x00" * 16

    def reader(self, s):
        try:
            while True:
                r = Reader(recv_exact(s, struct.unpack(">i", recv_exact(s, 4))[0]))
                xid, zxid, err = r.int(), r.long(), r.int()
                if zxid > 0:
                    self.zxid = max(self.zxid, zxid)
                if xid == -1:
                    self.events.put((r.int(), r.int(), r.str()))
                    continue
                if xid == -2:
                    continue
                with self.lock:
                    p = self.pending.pop(xid, None)
                if p:
                    p[1].extend([err, r])
                    p[0].set()
        except (OSError, struct.error):
            pass
        finally:
            with self.lock:
                if self.sock is s:
                    self.alive = False
                for p in self.pending.values():
                    p[0].set()
                self.pending.clear()

    def pinger(self, s):
        while True:
            time.sleep(self.neg / 3000.0)
            if self.sock is not s or not self.alive:
                return
            try:
                s.sendall(pint(8) + pint(-2) + pint(OPS["ping"]))
            except OSError:
                return

    def call(self, op, body, timeout=10):
        if not self.alive:
            raise ConnectionLost("not connected")
        ev, res = threading.Event(), []
        with self.lock:
            self.xid += 1
            xid = self.xid
            self.pending[xid] = (ev, res)
        req = pint(xid) + pint(OPS[op]) + body
        try:
            self.sock.sendall(pint(len(req)) + req)
        except (OSError, AttributeError):
            self.drop()
            raise ConnectionLost("send failed")
        if not ev.wait(timeout) or not res:
            self.drop()
            raise ConnectionLost("no reply")
        err, r = res
        if err:
            if err == -112:
                raise SessionExpired("session expired")
            raise ZKError(err)
        return r

    def create(self, path, data=b"", flags=0):
        return self.call("create", pstr(path) + pbuf(data) + pacl(OPEN_ACL) + pint(flags)).str()

    def ensure(self, path, data=b""):
        try:
            self.create(path, data)
        except ZKError as e:
            if e.code != NODEEXISTS:
                raise

    def delete(self, path, version=-1):
        self.call("delete", pstr(path) + pint(version))

    def exists(self, path, watch=False):
        try:
            return self.call("exists", pstr(path) + pbool(watch)).stat()
        except ZKError as e:
            if e.code == NONODE:
                return None
            raise

    def get(self, path, watch=False):
        r = self.call("getData", pstr(path) + pbool(watch))
        return r.buf(), r.stat()

    def set(self, path, data, version=-1):
        return self.call("setData", pstr(path) + pbuf(data) + pint(version), timeout=20).stat()

    def children(self, path, watch=False):
        r = self.call("getChildren", pstr(path) + pbool(watch))
        return [r.str() for _ in range(r.int())]

    def close(self):
        """Closes the session (closeSession) and the connection."""
        try:
            if self.alive:
                self.call("close", b"", timeout=5)
        except OSError:
            pass
        self.drop()

    def drop(self):
        """Drops the connection without closing the session (a crashed client, a lost connection)."""
        with self.lock:
            self.alive = False
            s, self.sock = self.sock, None
        if s:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def four_letter(word, source, port, timeout=5):
    """Sends a four letter word (or any bytes) to a node from source; returns the answer."""
    with socket.socket() as s:
        s.settimeout(timeout)
        s.bind((source, 0))
        s.connect(("127.0.0.1", port))
        s.sendall(word)
        out = b""
        while True:
            d = s.recv(65536)
            if not d:
                return out
            out += d


# ---- the ensemble -----------------------------------------------------------------------------------------------

LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) - (\w+)\s+\[(.*?)\] - (.*)$")


class Node:
    def __init__(self, work, sid, user):
        self.sid, self.user = sid, user
        self.dir = os.path.join(work, "zk%d" % sid)
        self.conf, self.data, self.logdir = (os.path.join(self.dir, d) for d in ("conf", "data", "log"))
        self.log = os.path.join(self.logdir, "zookeeper.log")
        self.proc = None
        self.out = None

    def setup(self):
        for d in (self.dir, self.conf, self.data, self.logdir):
            os.makedirs(d, exist_ok=True)
        shutil.copyfile(LOG4J[0], os.path.join(self.conf, "log4j.properties"))
        with open(os.path.join(self.data, "myid"), "w") as f:
            f.write("%d\n" % self.sid)
        with open(EXAMPLE_CFG) as f:
            example = f.read()
        cfg = example.replace("dataDir=/tmp/zookeeper", "dataDir=%s" % self.data)
        cfg = cfg.replace("clientPort=2181", "clientPort=%d\nclientPortAddress=127.0.0.1" % CLIENT[self.sid])
        cfg = cfg.replace("#maxClientCnxns=60", "maxClientCnxns=60")
        cfg = cfg.replace("#autopurge.snapRetainCount=3", "autopurge.snapRetainCount=3")
        cfg = cfg.replace("#autopurge.purgeInterval=1", "autopurge.purgeInterval=1")
        cfg += ("\nsnapCount=10000\n4lw.commands.whitelist=ruok, srvr, stat, mntr, cons\nadmin.enableServer=false\n"
                + "".join("server.%d=127.0.0.1:%d:%d\n" % (i, QUORUM[i], ELECTION[i]) for i in IDS))
        with open(os.path.join(self.conf, "zoo.cfg"), "w") as f:
            f.write(cfg)
        if self.user:
            for root, dirs, files in os.walk(self.dir):
                for n in [root] + [os.path.join(root, x) for x in dirs + files]:
                    os.chown(n, self.user.pw_uid, self.user.pw_gid)

    def start(self):
        cmd = ["/usr/bin/java", "-cp", ":".join([self.conf] + JARS), "-Dcom.sun.management.jmxremote",
               "-Dcom.sun.management.jmxremote.local.only=true", "-Dzookeeper.log.dir=%s" % self.logdir,
               "-Dzookeeper.root.logger=INFO,ROLLINGFILE", "org.apache.zookeeper.server.quorum.QuorumPeerMain",
               os.path.join(self.conf, "zoo.cfg")]
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "TZ": "UTC", "LANG": "C.UTF-8"}
        kw = {}
        if self.user:
            kw = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
            env["HOME"] = self.user.pw_dir
        if self.out is None:
            self.out = open(os.path.join(self.dir, "stdout.txt"), "ab")
        self.proc = subprocess.Popen(cmd, cwd=self.dir, env=env, stdin=subprocess.DEVNULL, stdout=self.out,
                                     stderr=subprocess.STDOUT, start_new_session=True, **kw)

    def wait_listening(self, ports, seconds):
        """Waits until the JVM listens on 127.0.0.1 at every one of ports (Java's sockets are IPv6 ones, so they are
        in /proc/net/tcp6 as ::ffff:127.0.0.1); SystemExit when it exits first or takes longer than seconds."""
        want = {"0000000000000000FFFF00000100007F:%04X" % p for p in ports}
        want4 = {"0100007F:%04X" % p for p in ports}
        deadline = now() + seconds
        while now() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("zookeeper server.%d exited with %s" % (self.sid, self.proc.returncode))
            got = set()
            for table in ("/proc/net/tcp", "/proc/net/tcp6"):
                try:
                    with open(table) as f:
                        got |= {l.split()[1] for l in list(f)[1:] if l.split()[3] == "0A"}
                except OSError:
                    pass
            if all(a in got or b in got for a, b in zip(sorted(want), sorted(want4))):
                return
            time.sleep(0.2)
        raise SystemExit("zookeeper server.%d did not listen on 127.0.0.1:%s" % (
            self.sid, "/".join(str(p) for p in ports)))

    def kill(self):
        self.proc.kill()
        self.proc.wait(10)

    def stop(self):
        stop_process(self.proc, (signal.SIGTERM,), 20)
        if self.out:
            self.out.close()
            self.out = None

    def entries(self, since=0.0):
        """The log's entries from epoch `since`: (epoch, level, thread, message, full text with its stack trace)."""
        out = []
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                for line in f:
                    m = LINE.match(line)
                    if m:
                        t = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")) + int(m.group(2)) / 1000
                        out.append([t, m.group(3), m.group(4), m.group(5), line])
                    elif out:
                        out[-1][4] += line
        except OSError:
            return []
        return [e for e in out if e[0] >= since]

    def role(self):
        """LEADING, FOLLOWING or LOOKING, the node's last state change in its log (None before any)."""
        last = None
        for e in self.entries():
            if re.fullmatch(r"(LEADING|FOLLOWING|LOOKING)", e[3]):
                last = e[3]
        return last

    def serving_since(self, since):
        """Epoch of the line saying the node serves again (broadcast phase) after since, else None."""
        for e in self.entries(since):
            if "Peer state changed: following - broadcast" in e[3] or "Peer state changed: leading - broadcast" in e[3]:
                return e[0]
        return None


# ---- normal traffic ----------------------------------------------------------------------------------------------

ERRORS = (OSError, ZKError, struct.error, UnicodeDecodeError)


def blob(rng, n):
    return rng.randbytes(n) if hasattr(rng, "randbytes") else os.urandom(n)


def service_doc(name, src, port):
    return ('{"name":"%s","host":"%s","port":%d,"status":"UP","registered":%d}'
            % (name, src, port, int(now()))).encode()


class Traffic(SessionPool):
    def __init__(self, seed):
        super().__init__(seed, 60, ERRORS)
        self.reports_stop = threading.Event()
        self.catalog_mode = "normal"
        self.catalog_sids = {}

    # -- long-lived clients: a loop that keeps a session, (re)doing the client's setup when it gets a new one --

    def long_lived(self, kind, src, timeout_ms, setup, tick, stop=None, seed=None):
        stop = stop or self.stop
        rng = random.Random(seed if seed is not None else self.rng.random())
        zk = ZK(src, timeout_ms, rng)
        state = {"name": kind, "ready": False}
        backoff = 0.5
        while not stop.is_set():
            try:
                if not zk.alive:
                    fresh = zk.sid == 0
                    zk.connect()
                    if fresh:
                        self.count("sessions " + kind)
                        state["ready"] = False
                    else:
                        self.count("reconnects " + kind)
                    backoff = 0.5
                if not state["ready"]:
                    setup(zk, state, rng)
                    state["ready"] = True
                tick(zk, state, rng, stop)
            except SessionExpired:
                self.count("expired " + kind)
                zk.drop()
                zk.reset()
            except (OSError, struct.error):
                zk.drop()
                stop.wait(backoff * rng.uniform(0.8, 1.2))
                backoff = min(backoff * 2, 4.0)
            except ZKError as e:
                self.count("zkerror %s %d" % (kind, e.code))
                stop.wait(1)
        zk.close()

    def blip(self, zk, state, rng):
        """Now and then the client's connection is lost (a network blip, a read timeout) and it moves on."""
        if rng.random() < state.get("blip", 0.0):
            self.count("blips")
            zk.drop()

    def service(self, svc, other, idx, src, port):
        name = "%s-%d" % (svc, idx)

        def setup(zk, st, rng):
            path = "/services/%s/%s" % (svc, name)
            try:
                st["path"] = zk.create(path, service_doc(name, src, port), EPHEMERAL)
            except ZKError as e:
                if e.code != NODEEXISTS:
                    raise
                zk.delete(path)  # its previous session's node, not yet expired
                st["path"] = zk.create(path, service_doc(name, src, port), EPHEMERAL)
            st["config"] = zk.get("/config/%s" % svc, watch=True)[0]
            st["next"] = now()

        def tick(zk, st, rng, stop):
            try:
                ev = zk.events.get(timeout=0.5)
                if ev[2] == "/config/%s" % svc:
                    st["config"] = zk.get(ev[2], watch=True)[0]
                    self.count("config reloads")
            except queue.Empty:
                pass
            if now() >= st["next"]:
                st["next"] = now() + rng.uniform(3, 9)
                zk.children("/services/%s" % other)
                if rng.random() < 0.3:
                    zk.exists("/config/feature-flags")
                if rng.random() < 0.05:
                    zk.set(st["path"], service_doc(name, src, port))
                self.blip(zk, {"blip": 0.004}, rng)

        self.long_lived(name, src, 15000, setup, tick)

    def scheduler(self, idx, src):
        def setup(zk, st, rng):
            st["me"] = zk.create("/election/scheduler/n_", src.encode(), EPHEMERAL | SEQUENTIAL).rsplit("/", 1)[1]
            st["next"] = now()

        def tick(zk, st, rng, stop):
            kids = sorted(zk.children("/election/scheduler"))
            if st["me"] not in kids:
                raise SessionExpired("lost its election node")
            if kids[0] == st["me"]:
                if now() >= st["next"]:
                    st["next"] = now() + rng.uniform(2, 4)
                    zk.create("/jobs/queue/job-", ('{"task":"%s","by":"%s"}' % (
                        rng.choice(["invoice", "thumbnail", "export", "reindex", "mail-digest"]), src)).encode(),
                        SEQUENTIAL)
                    self.count("jobs enqueued")
                stop.wait(0.5)
            else:
                before = kids[kids.index(st["me"]) - 1]
                if zk.exists("/election/scheduler/" + before, watch=True):
                    try:
                        zk.events.get(timeout=rng.uniform(4, 6))
                    except queue.Empty:
                        pass
            self.blip(zk, {"blip": 0.002}, rng)

        self.long_lived("scheduler-%d" % idx, src, 10000, setup, tick)

    def worker(self, idx, src):
        def setup(zk, st, rng):
            pass

        def tick(zk, st, rng, stop):
            stop.wait(rng.uniform(1, 3))
            jobs = zk.children("/jobs/queue")
            if not jobs:
                return
            job = rng.choice(sorted(jobs)[:4])
            try:
                zk.create("/jobs/locks/" + job, src.encode(), EPHEMERAL)
            except ZKError as e:
                if e.code == NODEEXISTS:
                    self.count("lock races")
                    return
                raise
            try:
                data, _ = zk.get("/jobs/queue/" + job)
                stop.wait(rng.uniform(0.2, 1.2))
                zk.create("/jobs/done/" + job, data or b"")
                zk.delete("/jobs/queue/" + job)
                self.count("jobs done")
            except ZKError as e:
                if e.code not in (NONODE, NODEEXISTS):
                    raise
            finally:
                try:
                    zk.delete("/jobs/locks/" + job)
                except ZKError:
                    pass
            self.blip(zk, {"blip": 0.002}, rng)

        self.long_lived("worker-%d" % idx, src, 12000, setup, tick)

    def catalog(self, idx, src):
        def setup(zk, st, rng):
            st["next"] = now() + rng.uniform(3, 15)
            st["fails"] = 0
            self.catalog_sids[src] = zk.sid

        def tick(zk, st, rng, stop):
            stop.wait(0.5)
            if st.get("mode", "normal") != self.catalog_mode:  # a release deployed: it syncs at once
                st["mode"] = self.catalog_mode
                st["next"] = now() + rng.uniform(0.5, 4)
            if now() < st["next"]:
                return
            if self.catalog_mode == "full":
                # the new release writes the whole catalog into one znode; the node closes the connection
                st["fails"] += 1
                st["next"] = now() + min(8.0, 0.5 * 2 ** min(st["fails"], 4)) * rng.uniform(0.8, 1.2)
                size = rng.randint(1_150_000, 1_500_000)
                self.count("oversize writes")
                zk.set("/config/catalog/full", blob(rng, size))
                return
            st["fails"] = 0
            st["next"] = now() + rng.uniform(20, 40)
            zk.set("/config/catalog/shard-%d" % idx, blob(rng, rng.randint(40_000, 250_000)))
            self.count("catalog shard writes")

        self.long_lived("catalog-%d" % idx, src, 20000, setup, tick)

    def reports(self):
        def setup(zk, st, rng):
            st["next"] = now()

        def tick(zk, st, rng, stop):
            stop.wait(1)
            if now() >= st["next"]:
                st["next"] = now() + rng.uniform(8, 12)
                zk.get("/config/reports")

        self.long_lived("reports", REPORTS, 30000, setup, tick, stop=self.reports_stop, seed=77)

    # -- short sessions --

    def session(self, src, timeout_ms, rng):
        zk = ZK(src, timeout_ms, rng)
        zk.connect(rounds=2)
        return zk

    def batch(self, rng):
        src = "127.0.0.%d" % rng.randint(51, 58)
        zk = self.session(src, 10000, rng)
        try:
            zk.get("/config/batch")
            zk.children("/jobs/done")
            if rng.random() < 0.5:
                p = zk.create("/batch/run-", ('{"host":"%s"}' % src).encode(), EPHEMERAL | SEQUENTIAL)
                time.sleep(rng.uniform(0.2, 2.0))
                zk.exists("/batch")
                if rng.random() < 0.06:
                    self.count("batch crashes")
                    zk.drop()  # the job dies: no closeSession, the node expires the session later
                    return
                zk.delete(p)
            else:
                time.sleep(rng.uniform(0.1, 1.0))
                if rng.random() < 0.06:
                    self.count("batch crashes")
                    zk.drop()
                    return
            self.count("batch sessions")
        finally:
            zk.close()

    def admin(self, rng):
        zk = self.session(ADMIN, 30000, rng)
        try:
            zk.children("/")
            for svc in ("api", "billing"):
                zk.children("/services/" + svc)
            time.sleep(rng.uniform(1, 4))
            svc = rng.choice(["api", "billing"])
            data, stat = zk.get("/config/" + svc)
            if rng.random() < 0.4:
                zk.set("/config/" + svc, ('{"version":%d,"pool":%d,"timeout_ms":%d}' % (
                    stat[4] + 2, rng.randint(8, 32), rng.choice([500, 800, 1000, 1500]))).encode(), stat[4])
                self.count("config changes")
            zk.exists("/config/" + rng.choice(["api-old", "feature-flags", "reports"]))
            time.sleep(rng.uniform(0.5, 2))
        finally:
            zk.close()

    def cleanup(self, rng):
        zk = self.session(CLEANUP, 20000, rng)
        try:
            done = sorted(zk.children("/jobs/done"))
            for job in done[:-20]:
                try:
                    zk.delete("/jobs/done/" + job)
                    self.count("cleaned")
                except ZKError as e:
                    if e.code != NONODE:
                        raise
        finally:
            zk.close()

    def monitor(self):
        rng = random.Random(self.rng.random())
        nxt = {i: now() + rng.uniform(0, 15) for i in IDS}
        srvr = {i: now() + rng.uniform(0, 60) for i in IDS}
        while not self.stop.wait(0.2):
            for i in IDS:
                try:
                    if now() >= nxt[i]:
                        nxt[i] = now() + 15
                        four_letter(b"ruok", MONITOR, CLIENT[i])
                        four_letter(b"mntr", MONITOR, CLIENT[i])
                        self.count("monitor checks")
                    if now() >= srvr[i]:
                        srvr[i] = now() + 60
                        four_letter(b"srvr", MONITOR, CLIENT[i])
                except OSError:
                    self.count("monitor failures")

    def probe(self):
        """A load balancer's HTTP health check someone pointed at a client port."""
        rng = random.Random(self.rng.random())
        nxt = now() + rng.uniform(20, 60)
        while not self.stop.wait(0.5):
            if now() >= nxt:
                nxt = now() + rng.uniform(100, 160)
                try:
                    four_letter(b"GET /commands/ruok HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: lb-healthcheck/2.1"
                                b"\r\n\r\n", PROBE, CLIENT[rng.choice(IDS)])
                    self.count("http probes")
                except OSError:
                    pass

    def run(self):
        ts = [threading.Thread(target=self.service, args=("api", "billing", i + 1, "127.0.0.%d" % (21 + i),
                                                            8080 + i)) for i in range(4)]
        ts += [threading.Thread(target=self.service, args=("billing", "api", i + 1, "127.0.0.%d" % (25 + i),
                                                             9090 + i)) for i in range(2)]
        ts += [threading.Thread(target=self.scheduler, args=(i + 1, "127.0.0.%d" % (31 + i))) for i in range(2)]
        ts += [threading.Thread(target=self.worker, args=(i + 1, "127.0.0.%d" % (41 + i))) for i in range(4)]
        ts += [threading.Thread(target=self.catalog, args=(i + 1, src)) for i, src in enumerate(CATALOG)]
        ts += [threading.Thread(target=self.reports),
               threading.Thread(target=self.monitor), threading.Thread(target=self.probe),
               threading.Thread(target=self.arrivals, args=(1.0, self.batch)),
               threading.Thread(target=self.every, args=(50, 90, self.admin), kwargs={"first": 20}),
               threading.Thread(target=self.every, args=(58, 62, self.cleanup), kwargs={"first": 30})]
        self.start(ts)


def prepare():
    """The tree the platform uses (as its deployment made it)."""
    zk = ZK(ADMIN, 30000, random.Random(1))
    zk.connect(rounds=3)
    for p in ["/services", "/services/api", "/services/billing", "/config", "/config/catalog", "/election",
              "/election/scheduler", "/jobs", "/jobs/queue", "/jobs/locks", "/jobs/done", "/batch"]:
        zk.ensure(p)
    zk.ensure("/config/api", b'{"version":1,"pool":16,"timeout_ms":800}')
    zk.ensure("/config/billing", b'{"version":1,"pool":8,"timeout_ms":1500}')
    zk.ensure("/config/reports", b'{"version":3,"cache_s":300}')
    zk.ensure("/config/batch", b'{"parallel":4}')
    zk.ensure("/config/feature-flags", b'{"new_checkout":false}')
    zk.ensure("/config/catalog/full", b'{"format":"v2","note":"reserved"}')
    for i in (1, 2):
        zk.ensure("/config/catalog/shard-%d" % i, b"{}")
    zk.close()


# ---- incidents ---------------------------------------------------------------------------------------------------

def leader_crash(nodes, down):
    """Kills the leader's JVM, starts it again `down` seconds later and waits until it serves; returns its id and
    the kill, restart and serving times."""
    leader = next((n for n in nodes.values() if n.role() == "LEADING"), None)
    if leader is None:
        raise SystemExit("no leader found in the logs")
    t_kill = now()
    pid = leader.proc.pid
    leader.kill()
    if leader.user:  # the JVM's perf data file, which a killed JVM leaves behind
        try:
            os.unlink("/tmp/hsperfdata_%s/%d" % (leader.user.pw_name, pid))
        except OSError:
            pass
    time.sleep(down)
    t_start = now()
    leader.start()
    deadline = now() + 90
    served = None
    while now() < deadline and served is None:
        time.sleep(1)
        served = leader.serving_since(t_start)
    return leader.sid, t_kill, t_start, served or now()


class Leak:
    """The reports service's leaky release: a new ZooKeeper client for every request, never closed; the ones no
    node lets in keep retrying round the connect string, as the Java client does."""

    def __init__(self, rate=4.0):
        self.rate, self.stop = rate, threading.Event()
        self.lock = threading.Lock()
        self.clients, self.sids = [], []
        self.counts = {"clients": 0, "connected": 0, "refused tries": 0}

    def client(self, k):
        rng = random.Random(k)
        zk = ZK(REPORTS, 30000, rng)
        with self.lock:
            self.clients.append(zk)
            self.counts["clients"] += 1
        while not self.stop.is_set():
            try:
                zk.connect()
                with self.lock:
                    self.sids.append(zk.sid)
                    self.counts["connected"] += 1
                zk.get("/config/reports")
                break
            except (OSError, ZKError, struct.error):
                with self.lock:
                    self.counts["refused tries"] += 1
                zk.drop()
                self.stop.wait(rng.uniform(0.8, 1.5))

    def run(self, seconds):
        rng = random.Random(770)
        end = now() + seconds
        k = 0
        while now() < end:
            threading.Thread(target=self.client, args=(k,), daemon=True).start()
            k += 1
            time.sleep(rng.expovariate(self.rate))

    def restart(self):
        """The process is restarted: every connection it holds is closed, no session closed."""
        self.stop.set()
        with self.lock:
            for zk in self.clients:
                zk.drop()


# ---- labels ------------------------------------------------------------------------------------------------------

def first_last(entries):
    return (entries[0][0], entries[-1][0]) if entries else (None, None)


def label_all(nodes, labels, marks, leak, traffic):
    sid, t_kill, t_start, t_served = marks["crash"]
    dead = nodes[sid]
    leak_sids = {"0x%x" % s for s in leak.sids}
    ls, le = marks["leak"]
    cs, ce = marks["catalog"]
    cat_sids = {"0x%x" % s for s in traffic.catalog_sids.values()}
    for i, node in nodes.items():
        lab = labels[i]
        es = node.entries()
        # 1. leader crash
        if i == sid:
            back = [e for e in es if t_start <= e[0] <= t_served + 1]
            before = [e for e in es if e[0] < t_kill]
            lab.add("leader-crash", t_kill, t_served, "node-crash", "server.%d|sid:%d|127.0.0.1:%d|127.0.0.1:%d" % (
                sid, sid, ELECTION[sid], CLIENT[sid]),
                "this node, the ensemble's leader (server.%d), has its JVM killed (SIGKILL, as the OOM killer or a "
                "host crash would): its log stops without a word (last line at %s) and, %d s later, starts again with "
                "the start-up banner ('Reading configuration from', 'ZookeeperBanner', ...), %d lines until it has "
                "rejoined as a follower of the new leader ('Getting a diff from the leader', 'Peer state changed: "
                "following - broadcast')" % (sid, time.strftime("%H:%M:%S", time.gmtime(before[-1][0])) if before
                                             else "?", round(t_start - t_kill), len(back)))
        else:
            # every line of the window but the routine ones (sessions, 4lw, clients' closed sockets)
            routine = ("Committing global session", "Submitting global closeSession", "Processing ",
                       "Expiring session", "Unable to read additional data", "Len error")
            win = [e for e in es if t_kill <= e[0] <= t_served + 10 and not any(r in e[4] for r in routine)]
            s, e = first_last(win)
            chan = [x for x in win if "Cannot open channel to %d" % sid in x[3]]
            reval = [x for x in win if "Revalidating client" in x[3]]
            role = [x[3] for x in win if x[3] in ("LEADING", "FOLLOWING")]
            if win:
                lab.add("leader-crash", s, e, "node-crash", "server.%d|sid:%d|127.0.0.1:%d|127.0.0.1:%d" % (
                    sid, sid, ELECTION[sid], CLIENT[sid]),
                    "the ensemble's leader server.%d has its JVM killed (SIGKILL) and is started again %d s later: "
                    "this node (server.%d) loses it ('Exception when following the leader' / the leader's "
                    "'GOODBYE' lines), goes LOOKING and takes part in a new election (FastLeaderElection "
                    "'Notification:' lines) that makes it %s; %d 'Cannot open channel to %d at election address "
                    "/127.0.0.1:%d' warnings with java.net.ConnectException while it is down, %d 'Revalidating "
                    "client' lines as clients take their sessions from the dead node; once it is back it syncs "
                    "from the new leader (DIFF); %d lines in all" % (
                        sid, round(t_start - t_kill), i, " then ".join(role) or "?", len(chan), sid, ELECTION[sid],
                        len(reval), len(win)))
        # 2. connection leak
        win = [e for e in es if ls - 1 <= e[0] <= le + 40 and (
            REPORTS in e[4] or any(x in e[3] for x in leak_sids))]
        refused = [e for e in win if "Too many connections from /%s" % REPORTS in e[3]]
        eof = [e for e in win if "Unable to read additional data from client" in e[4]]
        expired = [e for e in win if e[3].startswith("Expiring session")]
        commits = [e for e in win if "Committing global session" in e[3]]
        if win:
            s, e = first_last(win)
            lab.add("conn-leak", s, e, "connection-limit", "%s|/%s" % (REPORTS, REPORTS),
                    "a new release of the reports service on %s opens a new ZooKeeper client for every request "
                    "(about 4 a second) and never closes one: %d 'Committing global session' lines for its sessions "
                    "here, then once each node holds 60 connections from it, %d rate-limited WARN lines 'Error "
                    "accepting new connection: Too many connections from /%s - max is 60' (maxClientCnxns) while "
                    "its stuck clients keep retrying; after %d s it is rolled back (its process restarted): %d "
                    "'EndOfStreamException: Unable to read additional data from client, it probably closed the "
                    "socket: address = /%s:PORT' warnings with stack traces%s" % (
                        REPORTS, len(commits), len(refused), REPORTS, round(le - ls), len(eof), REPORTS,
                        (" and, 30 s later, %d 'Expiring session 0x..., timeout of 30000ms exceeded' lines for the "
                         "leaked sessions (this node leads)" % len(expired)) if expired else
                        "; the leader expires the leaked sessions 30 s later (not in this log)"))
        # 3. oversize writes
        win = [e for e in es if cs - 1 <= e[0] <= ce + 10 and (
            ("Len error" in e[4] and any("/%s:" % c in e[4] for c in CATALOG))
            or ("Revalidating client" in e[3] and any(x in e[3] for x in cat_sids)))]
        lens = [e for e in win if "Len error" in e[4]]
        if lens:
            s, e = first_last(win)
            sizes = [int(m.group(1)) for m in (re.search(r"advertised length of (\d+)", x[4]) for x in lens) if m]
            lab.add("oversize-write", s, e, "request-too-large", "|".join(CATALOG) + "|/config/catalog/full",
                    "a new release of catalog-sync (%s) writes the whole product catalog into one znode, "
                    "/config/catalog/full, 1.1-1.5 MB, over jute.maxbuffer: for %d s each write makes the node "
                    "close the connection; here %d 'WARN ... Close of session 0x...' lines with 'java.io.IOException: "
                    "Len error. A message from /127.0.0.6x:PORT with advertised length of N is either a malformed "
                    "message or too large to process (length is greater than jute.maxbuffer=1048575)' (lengths "
                    "%d-%d)%s; the clients retry with back-off until the release is rolled back" % (
                        " and ".join(CATALOG), round(ce - cs), len(lens), min(sizes) if sizes else 0,
                        max(sizes) if sizes else 0, (" and %d 'Revalidating client: 0x...' lines as they come back "
                                                     "here with their sessions" % (len(win) - len(lens)))
                        if len(win) > len(lens) else ""))
        else:
            lab.note("the oversize-write incident (%s, %s to %s) left no line in this node's log: none of the "
                     "catalog-sync clients' writes went through this node" % (
                         "/".join(CATALOG), time.strftime("%H:%M:%S", time.gmtime(cs)),
                         time.strftime("%H:%M:%S", time.gmtime(ce))))


def settle(nodes, since, pred, quiet, most):
    """Waits until the last line since `since` matching pred in any node's log is `quiet` seconds old (at most
    `most` seconds); returns that line's time (or now)."""
    deadline = now() + most
    while True:
        times = [e[0] for n in nodes.values() for e in n.entries(since) if pred(e)]
        last = max(times) if times else since
        if now() >= min(deadline, last + quiet):
            return last
        time.sleep(1)


def main():
    work = begin(OUT, "zookeeper", __doc__, readable=True)
    if not LOG4J or not os.path.exists(JARS[0]):
        raise SystemExit("needs Debian's zookeeper package")
    try:
        user = pwd.getpwnam("zookeeper") if os.geteuid() == 0 else None
    except KeyError:
        user = None
    nodes = {i: Node(work, i, user) for i in IDS}
    labels = {i: Labels() for i in IDS}
    version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "zookeeper"], capture_output=True,
                             text=True).stdout.strip()
    for i in IDS:
        labels[i].note("made by bench/real-logs/zookeeper.py: the log of server.%d (client port %d) of a real 3-node "
                       "ZooKeeper ensemble (Debian zookeeper %s, Java 17) on 127.0.0.1, started as Debian's init "
                       "script does (INFO,ROLLINGFILE, Debian's log4j.properties, as the zookeeper user) with "
                       "slf4j-log4j12 and log4j 1.2 on the class path (without them the package logs nothing); "
                       "maxClientCnxns 60; clients speak ZooKeeper's protocol from their own 127.0.0.X: 6 service "
                       "instances, a scheduler pair, 4 workers, 2 catalog-sync, reports, ~1 batch session/s, an "
                       "admin, a cleanup cron, 4lw monitoring from 127.0.0.2, an HTTP health check misdirected at the "
                       "client port from 127.0.0.3; TZ=UTC; wall-clock times" % (i, CLIENT[i], version))
    traffic = Traffic(2026)
    leak = Leak(min(40.0, 4.0 / SCALE))
    marks = {}
    ok = False
    try:
        for n in nodes.values():
            n.setup()
        for n in nodes.values():
            n.start()
        for n in nodes.values():
            n.wait_listening([CLIENT[n.sid], ELECTION[n.sid]], 60)
        deadline = now() + 60
        while now() < deadline and not any(n.role() == "LEADING" for n in nodes.values()):
            time.sleep(0.5)
        prepare()
        traffic.run()
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. the leader's JVM is killed and started again 40 s later
        marks["crash"] = leader_crash(nodes, 40 * SCALE)
        sid, t_kill, t_start, t_served = marks["crash"]
        sleep_until(t_served + 60 * SCALE)

        # 2. the reports service's new release leaks a ZooKeeper connection per request
        traffic.reports_stop.set()  # the deploy stops the old release (it closes its session)
        time.sleep(1)
        l_start = now()
        leak_thread = threading.Thread(target=leak.run, args=(75 * SCALE,), daemon=True)
        leak_thread.start()
        leak_thread.join()
        t_restart = now()
        leak.restart()  # rolled back: the leaky process is restarted
        traffic.reports_stop = threading.Event()
        time.sleep(2)
        reports = threading.Thread(target=traffic.reports, daemon=True)
        reports.start()
        marks["leak"] = (l_start, t_restart)
        leak_sids = {"0x%x" % s for s in leak.sids}
        sleep_until(t_restart + 33)  # the leaked sessions' timeout (30 s) and the session tracker's tick
        last = settle(nodes, l_start, lambda e: any(x in e[3] for x in leak_sids) or REPORTS in e[4], 5, 60)
        sleep_until(last + 60 * SCALE)

        # 3. catalog-sync's new release writes the whole catalog into one znode, over jute.maxbuffer
        c_start = now()
        traffic.catalog_mode = "full"
        time.sleep(60 * SCALE)
        traffic.catalog_mode = "normal"
        marks["catalog"] = (c_start, now())
        last = settle(nodes, c_start, lambda e: "Len error" in e[4] and "/127.0.0.6" in e[4], 8, 30)
        sleep_until(max(last, marks["catalog"][1]) + 75 * SCALE)

        traffic.reports_stop.set()
        traffic.finish(20)
        reports.join(15)
        time.sleep(1)
        print("%s: %s; leak %s; crash of server.%d (killed %s, started %s, serving %s)" % (
            NAME, sorted(traffic.counts.items()), leak.counts, sid, *(time.strftime(
                "%H:%M:%S", time.gmtime(t)) for t in (t_kill, t_start, t_served))), file=sys.stderr)
        ok = True
    finally:
        traffic.stop.set()
        traffic.reports_stop.set()
        leak.restart()
        for n in nodes.values():
            n.stop()
        if ok:
            label_all(nodes, labels, marks, leak, traffic)
            for i, n in nodes.items():
                keep_log(n.log, OUT, "%s%d" % (NAME, i), labels[i])
                print("%s%d: %d lines" % (NAME, i, sum(1 for _ in open(n.log, "rb"))), file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
