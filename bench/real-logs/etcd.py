#!/usr/bin/env python3
"""Runs a real 3-member etcd cluster (Debian etcd-server, etcd 3.4.23) on 127.0.0.1 as a platform's service registry
and configuration store, drives its services' traffic through etcd's v3 HTTP/JSON gateway, injects labelled incidents
and keeps one member's log exactly as etcd wrote it.

Each member runs as Debian's etcd user, configured the Debian way through ETCD_* environment variables (what
/etc/default/etcd holds; etcd logs "recognized and used environment variable ..." for each): ETCD_NAME etcd-1..3,
its own data dir in a /tmp work dir, client URLs http://127.0.0.1:PORT, PORT+2, PORT+4, peer URLs
http://127.0.0.1:PORT+1, PORT+3, PORT+5, a static ETCD_INITIAL_CLUSTER and ETCD_QUOTA_BACKEND_BYTES=33554432 (a
32 MiB backend quota: the cluster is sized for small configuration values). Logging is etcd 3.4's default: the
capnslog logger with log-outputs "default", which writes to journald under systemd and to stderr otherwise (it cannot
write to a file); each member's stderr goes to its own file, byte for byte. Lines look like
"2026-12-02 18:51:42.873117 W | rafthttp: lost the TCP streaming connection with peer 52cc99bb4a5d9a37 (...)"
(local time, microseconds, a level letter D/I/N/W/E/C, a package); the raft library's lines look like
"raft2026/12/02 18:52:43 INFO: 7c304b2dae5651e9 became follower at term 3" (whole seconds) and there are a few
"[WARNING] Deprecated '--logger=capnslog' flag is set; ..." lines at start-up without a timestamp. etcd names the
members in its log by their hex member IDs. Auth is enabled (simple tokens): a root user, one user and role per
service (read/write on its own /services/<svc>/ and /config/<svc>/, read on the others), a deployer, a compactor,
a scheduler, a reports job, a CI user and four engineers.
The member kept is a follower at the start (the one that is neither killed nor stalled).

usage: bench/real-logs/etcd.py OUTDIR [PORT]      (default client port 19941: ports 19941-19946)
  writes OUTDIR/etcd-i.log and OUTDIR/etcd-i.labels.tsv
  SCALE=0.2 multiplies every duration (a short run for testing)

Normal traffic (about 10 requests/s, each client a thread with Poisson or jittered timing, each from its own
127.0.0.N, with a persistent HTTP connection to the member it is pinned to and fail-over to the next one):
  17 service instances (api-gateway x3, orders x3, inventory x3, billing x2, payments x2, search x2, notify x2 on
  127.0.0.10-26) authenticate, register /services/<svc>/instances/<id> with a lease (TTL 10-20 s) and keep it alive,
  read their /config/<svc>/ and /config/global/ prefixes and their dependencies' instances, refresh their instance key
  now and then; the api-gateway instances also watch /services/ (a streaming watch, re-listing when their revision
  has been compacted). About 1.7 instance restarts a minute: most revoke their lease, one in four crashes and its
  lease expires; a restarted instance authenticates again. A scheduler pair (127.0.0.40-41) contends for
  /locks/scheduler with a lease and a compare-and-swap txn; the deployer (127.0.0.60) changes /config/ keys every
  15 s or so (a quarter as CAS txns, some failing their compare); a compactor (127.0.0.2, like kube-apiserver's)
  compacts every 60 s to the revision it saw a minute earlier ("mvcc: store.index: compact N", "finished scheduled
  compaction"); a monitor (127.0.0.3) checks /health of each member every 15 s and the status every 60 s; a reports
  job (127.0.0.70) runs about every 90 s and, misconfigured, tries to write /config/global/reports-last-run half the
  time, which etcd refuses ("failed to apply request ... err is auth: permission denied", on every member);
  engineers (alice, bob, carol, dave on 127.0.0.90-93, etcdctl-like sessions every 40 s or so, the kept member
  first in their endpoint list) now and then mistype their password ("auth: authentication failed, invalid password
  for user ...", "invalid authentication request to user ... was issued") or their user name.
Incidents (about 6.5 minutes in all: 90 s of normal traffic, each incident followed by at least 50 s of it):
  member-crash    a follower member (etcd-N, not the kept one) is killed with SIGKILL and started again 40 s later:
                  the kept member logs the lost streams to its member ID, "peer ... became inactive", a failed
                  health check of its peer URL every 5 s, then "peer ... became active" and the re-established
                  streams
  nospace         a CI pipeline (user ci, 127.0.0.65) starts caching ~900 KB build artifacts under /ci/cache/ with
                  3 parallel uploads: the 32 MiB backend quota is exceeded, etcd raises the NOSPACE alarm and
                  refuses every write and lease grant cluster-wide ("applying raft message exceeded backend quota",
                  "alarm NOSPACE raised by peer ...", "failed to apply request ... err is etcdserver: no space");
                  the CI job gives up; 30 s later the on-call (oncall, 127.0.0.95) deletes /ci/cache/, compacts,
                  defragments each member in turn ("starting to defragment the storage backend...") and disarms
                  the alarm ("alarm disarmed ... alarm:NOSPACE")
  leader-stall    the leader member's process is frozen for 12 s (SIGSTOP/SIGCONT, as a VM pause or a stalled disk
                  would): the followers lose it, elect a new leader ("lost leader", "became candidate", "elected
                  leader"), time out its streams ("i/o timeout", "became inactive") and take it back as a follower
                  when it resumes
"""
import base64
import datetime
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from arrivals import poisson
from drivers import keep_log, now, sleep_until, stop_process, wait_listening
from labels import Labels

OUT = os.path.abspath(sys.argv[1])
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19941
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "etcd-i"
QUOTA = 32 * 1024 * 1024
CLIENT_PORTS = [PORT, PORT + 2, PORT + 4]


def b64(s):
    return base64.b64encode(s if isinstance(s, bytes) else s.encode()).decode()


def prefix_end(p):
    b = p.encode()
    return b[:-1] + bytes([b[-1] + 1])


def hexid(n):
    return "%x" % int(n)


# --- the v3 JSON gateway ---

class Api:
    """An etcd client from one source address: a persistent HTTP/1.1 connection to the member it is pinned to,
    fail-over to the next endpoint on connection errors, timeouts and 'no leader' answers, simple-token auth
    (authenticates again when its token is refused)."""

    def __init__(self, src, user=None, password=None, endpoints=CLIENT_PORTS, pin=0, timeout=3.0):
        self.src, self.user, self.password = src, user, password
        self.endpoints, self.pin, self.timeout = list(endpoints), pin % len(endpoints), timeout
        self.conns = {}
        self.token = None

    def close(self):
        for c in self.conns.values():
            c.close()
        self.conns = {}

    def raw(self, port, path, body, timeout, token=True):
        c = self.conns.get(port)
        if c is None:
            c = self.conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                                               source_address=(self.src, 0))
        c.timeout = timeout
        if c.sock is not None:
            c.sock.settimeout(timeout)
        headers = {"Content-Type": "application/json"}
        if token and self.token:
            headers["Authorization"] = self.token
        try:
            c.request("POST", path, json.dumps(body), headers)
            r = c.getresponse()
            data = r.read()
        except (OSError, http.client.HTTPException) as e:
            c.close()
            self.conns.pop(port, None)
            raise ConnectionError(str(e))
        text = data.decode("utf-8", "replace").strip().split("\n")[0]
        try:
            d = json.loads(text) if text else {}
        except ValueError:
            d = {"error": text}
        if "result" in d and isinstance(d["result"], dict):  # streaming endpoints (lease keepalive)
            d = d["result"]
        return r.status, d

    def authenticate(self, password=None):
        """Authenticates at the pinned member (like etcdctl: at the first endpoint that answers)."""
        for _ in range(len(self.endpoints)):
            port = self.endpoints[self.pin]
            try:
                st, d = self.raw(port, "/v3/auth/authenticate",
                                 {"name": self.user, "password": password or self.password}, 8.0, token=False)
            except ConnectionError:
                self.pin = (self.pin + 1) % len(self.endpoints)
                continue
            if st == 200 and d.get("token"):
                self.token = d["token"]
                return True
            if "authentication failed" in d.get("error", ""):
                return False
            self.pin = (self.pin + 1) % len(self.endpoints)
            time.sleep(0.3)
        return False

    def call(self, path, body, timeout=None, tries=3):
        """(status, reply); status None when no member answered."""
        timeout = timeout or self.timeout
        for _ in range(tries):
            if self.user and not self.token and not self.authenticate():
                return None, {"error": "authentication failed"}
            port = self.endpoints[self.pin]
            try:
                st, d = self.raw(port, path, body, timeout)
            except ConnectionError:
                self.pin = (self.pin + 1) % len(self.endpoints)
                continue
            if st == 200:
                return st, d
            err = d.get("error", "")
            if "invalid auth token" in err or "user name is empty" in err or "revision of auth store is old" in err:
                self.token = None
                continue
            if st >= 500 or "no leader" in err or "leader changed" in err or "timed out" in err \
                    or "not capable" in err or "too many requests" in err:
                self.pin = (self.pin + 1) % len(self.endpoints)
                time.sleep(0.3)
                continue
            return st, d
        return None, {"error": "unavailable"}

    # a few helpers
    def put(self, key, value, lease=None):
        body = {"key": b64(key), "value": b64(value)}
        if lease:
            body["lease"] = lease
        return self.call("/v3/kv/put", body)

    def get(self, key, prefix=False, **kw):
        body = {"key": b64(key)}
        if prefix:
            body["range_end"] = b64(prefix_end(key))
        body.update(kw)
        return self.call("/v3/kv/range", body)

    def delete(self, key, prefix=False):
        body = {"key": b64(key)}
        if prefix:
            body["range_end"] = b64(prefix_end(key))
        return self.call("/v3/kv/deleterange", body)

    def grant(self, ttl):
        st, d = self.call("/v3/lease/grant", {"TTL": ttl})
        return d.get("ID") if st == 200 and not d.get("error") else None

    def keepalive(self, lease):
        """True when the lease is still alive."""
        st, d = self.call("/v3/lease/keepalive", {"ID": lease})
        return None if st is None else (st == 200 and int(d.get("TTL", 0) or 0) > 0)

    def revoke(self, lease):
        return self.call("/v3/lease/revoke", {"ID": lease})


# --- the cluster ---

class Member:
    def __init__(self, work, n, cluster):
        self.n, self.name = n, "etcd-%d" % n
        self.client, self.peer = PORT + 2 * (n - 1), PORT + 2 * (n - 1) + 1
        self.data = os.path.join(work, self.name)
        self.log = os.path.join(work, "log", self.name + ".log")
        self.proc = None
        self.id = None
        self.env = dict(os.environ, ETCD_NAME=self.name, ETCD_DATA_DIR=self.data,
                        ETCD_LISTEN_PEER_URLS="http://127.0.0.1:%d" % self.peer,
                        ETCD_LISTEN_CLIENT_URLS="http://127.0.0.1:%d" % self.client,
                        ETCD_INITIAL_ADVERTISE_PEER_URLS="http://127.0.0.1:%d" % self.peer,
                        ETCD_ADVERTISE_CLIENT_URLS="http://127.0.0.1:%d" % self.client,
                        ETCD_INITIAL_CLUSTER=cluster, ETCD_INITIAL_CLUSTER_STATE="new",
                        ETCD_INITIAL_CLUSTER_TOKEN="platform-etcd", ETCD_QUOTA_BACKEND_BYTES=str(QUOTA))

    def start(self):
        os.makedirs(self.data, mode=0o700, exist_ok=True)
        shutil.chown(self.data, "etcd", "etcd")
        with open(self.log, "ab") as err:  # etcd 3.4's default logger writes to stderr (or journald)
            self.proc = subprocess.Popen(["/usr/bin/etcd"], env=self.env, cwd="/", stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=err, user="etcd", group="etcd")

    def wait(self):
        wait_listening(self.proc, self.name, (self.client, self.peer), 30)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGCONT)
            except OSError:
                pass
        stop_process(self.proc, seconds=20)


TS = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}) ([DINWEC]) \| (.*)$")
RAFT_TS = re.compile(r"^raft(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) (\w+): (.*)$")


def read_log(path):
    """The log's lines with a time: (epoch, line number, text)."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for i, line in enumerate(f, 1):
            line = line.rstrip("\n")
            m = TS.match(line)
            if m:
                t = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f")
            else:
                m = RAFT_TS.match(line)
                if not m:
                    continue
                t = datetime.datetime.strptime(m.group(1), "%Y/%m/%d %H:%M:%S")
            out.append((t.replace(tzinfo=datetime.timezone.utc).timestamp(), i, line))  # etcd logs local time: UTC here
    return out


def status(port, src="127.0.0.3"):
    try:
        st, d = Api(src, timeout=2).raw(port, "/v3/maintenance/status", {}, 2)
        return d if st == 200 else None
    except ConnectionError:
        return None


# --- traffic ---

SERVICES = [("api-gateway", 3, ["orders", "inventory", "search", "payments"]),
            ("orders", 3, ["inventory", "payments", "notify"]),
            ("inventory", 3, []),
            ("billing", 2, ["payments", "notify"]),
            ("payments", 2, ["notify"]),
            ("search", 2, ["inventory"]),
            ("notify", 2, [])]
CONFIG = {"db_pool_size": lambda r: str(r.choice([10, 16, 20, 32, 40])),
          "timeout_ms": lambda r: str(r.choice([250, 500, 800, 1000, 1500, 3000])),
          "log_level": lambda r: r.choice(["info", "info", "warn", "debug"]),
          "feature_flags": lambda r: json.dumps({"new_checkout": r.random() < 0.5, "async_writes": r.random() < 0.3,
                                                 "cache_v2": r.random() < 0.7}),
          "replicas_min": lambda r: str(r.randint(2, 6)),
          "circuit_breaker": lambda r: json.dumps({"threshold": r.choice([5, 10, 20]), "window_s": r.choice([10, 30])})}
GLOBAL = {"region": lambda r: "eu-west-1", "maintenance_mode": lambda r: r.choice(["false"] * 9 + ["true"]),
          "rate_limit_rps": lambda r: str(r.choice([500, 800, 1000, 1200])),
          "tracing_sample_rate": lambda r: r.choice(["0.01", "0.05", "0.1"])}
ENGINEERS = [("alice", "127.0.0.90"), ("bob", "127.0.0.91"), ("carol", "127.0.0.92"), ("dave", "127.0.0.93")]


class Instance:
    """One service instance: authenticates, registers itself with a lease and keeps it alive, reads its config and
    its dependencies' instances; obeys the churn ("restart" or "crash") set on it."""

    def __init__(self, svc, idx, src, password, deps, pin, rng):
        self.svc, self.idx, self.src, self.password, self.deps = svc, idx, src, password, deps
        self.id = "%s-%s" % (svc, "".join(rng.choice("0123456789abcdef") for _ in range(6)))
        self.pin = pin
        self.ttl = rng.choice([10, 15, 15, 20])
        self.action = None
        self.busy = False
        self.registered = False
        self.counts = {"register": 0, "keepalive": 0, "read": 0, "write": 0, "fail": 0, "expired": 0}

    def key(self):
        return "/services/%s/instances/%s" % (self.svc, self.id)

    def value(self, rng, state="up"):
        return json.dumps({"addr": "%s:%d" % (self.src, 8080 + self.idx), "state": state, "version": "2.14.%d" % (
            3 if self.idx else 2), "load": round(rng.uniform(0.05, 0.9), 2), "ts": int(now())})

    def register(self, api, rng):
        lease = api.grant(self.ttl)
        if not lease:
            return None
        st, d = api.put(self.key(), self.value(rng), lease)
        if st != 200 or d.get("error"):
            api.revoke(lease)
            return None
        self.counts["register"] += 1
        return lease

    def run(self, stop, seed, delay):
        rng = random.Random(seed)
        time.sleep(delay)
        while not stop.is_set():
            api = Api(self.src, self.svc, self.password, pin=self.pin)
            lease = None
            while not stop.is_set() and not lease:
                lease = self.register(api, rng)
                if not lease:
                    self.counts["fail"] += 1
                    time.sleep(rng.uniform(2, 6))
            self.registered = True
            pause = self.session(api, lease, rng, stop)
            self.registered = False
            api.close()
            if stop.is_set():
                return
            self.id = "%s-%s" % (self.svc, "".join(rng.choice("0123456789abcdef") for _ in range(6)))  # a new pod
            time.sleep(pause)

    def session(self, api, lease, rng, stop):
        t = now()
        nxt = {"keepalive": t + self.ttl / 3.0, "config": t + rng.uniform(0, 20), "deps": t + rng.uniform(0, 12),
               "refresh": t + rng.uniform(20, 60)}
        while not stop.is_set():
            action, self.action = self.action, None
            if action == "restart":  # a rolling restart: deregisters, comes back as a new pod
                api.revoke(lease)
                return rng.uniform(3, 15)
            if action == "crash":  # killed: its lease expires on its own
                return rng.uniform(5, 25)
            what = min(nxt, key=nxt.get)
            sleep_until(min(nxt[what], now() + 1.0))
            if now() < nxt[what]:
                continue
            if what == "keepalive":
                alive = api.keepalive(lease)
                if alive is False:  # expired (a long fail-over): registers again
                    self.counts["expired"] += 1
                    lease = self.register(api, rng) or lease
                elif alive is None:
                    self.counts["fail"] += 1
                self.counts["keepalive"] += 1
                nxt[what] = now() + self.ttl / 3.0 * rng.uniform(0.9, 1.0)
            elif what == "config":
                api.get("/config/%s/" % self.svc, prefix=True)
                if rng.random() < 0.5:
                    api.get("/config/global/", prefix=True)
                self.counts["read"] += 1
                nxt[what] = now() + rng.expovariate(1 / 20.0)
            elif what == "deps":
                if self.deps:
                    api.get("/services/%s/instances/" % rng.choice(self.deps), prefix=True)
                    self.counts["read"] += 1
                nxt[what] = now() + rng.expovariate(1 / 12.0)
            elif what == "refresh":
                st, d = api.put(self.key(), self.value(rng), lease)
                self.counts["write" if st == 200 else "fail"] += 1
                nxt[what] = now() + rng.uniform(30, 60)
        return 0


class Traffic:
    def __init__(self, members, creds, keeper, seed):
        self.members, self.creds, self.keeper = members, creds, keeper
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.counts = {"restart": 0, "crash": 0, "deploy": 0, "cas-failed": 0, "compact": 0, "reports": 0,
                       "denied": 0, "sessions": 0, "typo": 0, "watch-events": 0, "relist": 0, "locks": 0}
        self.instances = []
        n = 0
        for svc, count, deps in SERVICES:
            for i in range(count):
                self.instances.append(Instance(svc, i, "127.0.0.%d" % (10 + n), creds[svc], deps, n,
                                               random.Random(self.rng.random())))
                n += 1

    def count(self, k, n=1):
        with self.lock:
            self.counts[k] += n

    def run(self):
        threads = []
        for i, inst in enumerate(self.instances):
            threads.append(threading.Thread(target=inst.run, args=(self.stop, self.rng.random(), i * 0.8),
                                            daemon=True))
            if inst.svc == "api-gateway":
                threads.append(threading.Thread(target=self.watcher, args=(inst,), daemon=True))
        for f in (self.churn, self.deployer, self.compactor, self.monitor, self.reports, self.engineers):
            threads.append(threading.Thread(target=f, daemon=True))
        for i in range(2):
            threads.append(threading.Thread(target=self.scheduler, args=(i,), daemon=True))
        for t in threads:
            t.start()
        return threads

    def churn(self):
        """About 1.7 instance restarts a minute; one in four is a crash (its lease expires)."""
        rng = random.Random(self.rng.random())
        for _ in poisson(1.7 / 60.0, self.stop, rng):
            cands = [i for i in self.instances if i.registered and not i.busy and not i.action]
            if cands:
                inst = rng.choice(cands)
                inst.action = "crash" if rng.random() < 0.25 else "restart"
                self.count(inst.action)

    def watcher(self, inst):
        """An api-gateway instance watches /services/ to route to the instances; on a broken stream it resumes
        at its next revision elsewhere and re-lists when that revision has been compacted."""
        rng = random.Random(self.rng.random())
        api = Api(inst.src, inst.svc, inst.password, pin=inst.pin)
        rev = None
        time.sleep(inst.idx * 0.8 + 2)
        while not self.stop.is_set():
            if rev is None:
                st, d = api.get("/services/", prefix=True, keys_only=True)
                if st != 200:
                    time.sleep(rng.uniform(1, 3))
                    continue
                rev = int(d["header"]["revision"]) + 1
            if not api.token and not api.authenticate():
                time.sleep(rng.uniform(2, 5))
                continue
            port = api.endpoints[api.pin]
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=45, source_address=(inst.src, 0))
            try:
                c.request("POST", "/v3/watch", json.dumps({"create_request": {
                    "key": b64("/services/"), "range_end": b64(prefix_end("/services/")), "start_revision": rev}}),
                    {"Content-Type": "application/json", "Authorization": api.token})
                r = c.getresponse()
                while not self.stop.is_set():
                    line = r.readline()
                    if not line:
                        raise ConnectionError("watch stream ended")
                    res = json.loads(line).get("result", {})
                    if res.get("compact_revision") and int(res["compact_revision"]) > 0:
                        self.count("relist")
                        rev = None
                        break
                    if res.get("canceled"):
                        raise ConnectionError("watch canceled")
                    evs = res.get("events") or []
                    if evs:
                        rev = max(int(e["kv"]["mod_revision"]) for e in evs) + 1
                        self.count("watch-events", len(evs))
            except (OSError, ValueError, http.client.HTTPException):
                api.pin = (api.pin + 1) % len(api.endpoints)
                time.sleep(rng.uniform(0.5, 2))
            finally:
                c.close()

    def deployer(self):
        """The deploy pipeline's config changes, about one every 15 s; a quarter as compare-and-swap txns."""
        rng = random.Random(self.rng.random())
        api = Api("127.0.0.60", "deployer", self.creds["deployer"], pin=1)
        for _ in poisson(1 / 15.0, self.stop, rng):
            if rng.random() < 0.15:
                k, f = rng.choice(list(GLOBAL.items()))
                key = "/config/global/" + k
            else:
                k, f = rng.choice(list(CONFIG.items()))
                key = "/config/%s/%s" % (rng.choice(SERVICES)[0], k)
            if rng.random() < 0.25:
                st, d = api.get(key)
                mod = int(d["kvs"][0]["mod_revision"]) if st == 200 and d.get("kvs") else 0
                if rng.random() < 0.2:
                    mod = max(0, mod - rng.randint(1, 50))  # a stale read: the compare fails
                cmp = {"key": b64(key), "target": "MOD", "result": "EQUAL", "mod_revision": mod} if mod else \
                    {"key": b64(key), "target": "CREATE", "result": "EQUAL", "create_revision": 0}
                st, d = api.call("/v3/kv/txn", {"compare": [cmp], "success": [
                    {"request_put": {"key": b64(key), "value": b64(f(rng))}}],
                    "failure": [{"request_range": {"key": b64(key)}}]})
                if st == 200 and not d.get("succeeded"):
                    self.count("cas-failed")
            else:
                api.put(key, f(rng))
            self.count("deploy")

    def compactor(self):
        """Every 60 s compacts to the revision it saw a minute earlier (as kube-apiserver does every 5 min)."""
        rng = random.Random(self.rng.random())
        api = Api("127.0.0.2", "compactor", self.creds["compactor"], pin=2)
        last = None
        nxt = now() + rng.uniform(20, 40)
        while not self.stop.is_set():
            sleep_until(min(nxt, now() + 1))
            if now() < nxt:
                continue
            nxt = now() + 60 + rng.uniform(-2, 2)
            st, d = api.get("/compact_rev_key")
            if st != 200:
                continue
            rev = int(d["header"]["revision"])
            if last and last < rev:
                st, d = api.get("/compact_rev_key", revision=last)  # already compacted past it (by hand)?
                if st == 200:
                    st, d = api.call("/v3/kv/compaction", {"revision": last}, timeout=10)
                    if st == 200:
                        self.count("compact")
            last = rev

    def monitor(self):
        """/health of each member every 15 s, their status every 60 s."""
        rng = random.Random(self.rng.random())
        n = 0
        while not self.stop.is_set():
            for port in CLIENT_PORTS:
                try:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=3, source_address=("127.0.0.3", 0))
                    c.request("GET", "/health")
                    c.getresponse().read()
                    c.close()
                except (OSError, http.client.HTTPException):
                    pass
                if n % 4 == 0:
                    status(port)
            n += 1
            self.stop.wait(15 + rng.uniform(-0.5, 0.5))

    def scheduler(self, i):
        """Two scheduler replicas contend for /locks/scheduler: the holder keeps its lease alive and records its
        runs, and hands the lock over now and then; the other tries every 5 s."""
        rng = random.Random(self.rng.random())
        src = "127.0.0.%d" % (40 + i)
        api = Api(src, "scheduler", self.creds["scheduler"], pin=i)
        time.sleep(rng.uniform(1, 6))
        while not self.stop.is_set():
            lease = api.grant(10)
            if not lease:
                self.stop.wait(rng.uniform(3, 6))
                continue
            st, d = api.call("/v3/kv/txn", {
                "compare": [{"key": b64("/locks/scheduler"), "target": "CREATE", "result": "EQUAL",
                             "create_revision": 0}],
                "success": [{"request_put": {"key": b64("/locks/scheduler"), "value": b64("scheduler-%d" % i),
                                             "lease": lease}}],
                "failure": [{"request_range": {"key": b64("/locks/scheduler")}}]})
            if not (st == 200 and d.get("succeeded")):
                api.revoke(lease)
                self.stop.wait(5 + rng.uniform(-0.5, 0.5))
                continue
            self.count("locks")
            hold_until = now() + rng.uniform(60, 180)
            nrun = now() + rng.uniform(5, 20)
            while not self.stop.is_set() and now() < hold_until:
                self.stop.wait(3)
                if api.keepalive(lease) is False:
                    break
                if now() >= nrun:
                    api.put("/services/scheduler/last-run", json.dumps({"by": "scheduler-%d" % i,
                                                                         "ts": int(now()),
                                                                         "jobs": rng.randint(3, 40)}), lease)
                    nrun = now() + rng.uniform(15, 30)
            api.revoke(lease)
            self.stop.wait(rng.uniform(2, 8))

    def reports(self):
        """A nightly-style reports job that runs about every 90 s: it snapshots the config, and half the time tries
        to record its run in /config/global/, which its role does not allow."""
        rng = random.Random(self.rng.random())
        for _ in poisson(1 / 90.0, self.stop, rng):
            api = Api("127.0.0.70", "reports", self.creds["reports"], pin=rng.randrange(3))
            st, d = api.get("/config/", prefix=True)
            if st == 200:
                api.put("/reports/config-snapshots/%d" % int(now()), json.dumps({"keys": int(d.get("count", 0))}))
                if rng.random() < 0.5:
                    st, d = api.put("/config/global/reports-last-run", str(int(now())))
                    if st == 403:
                        self.count("denied")
            self.count("reports")
            api.close()

    def engineers(self):
        """etcdctl-style sessions of the engineers, about one every 40 s, their kept member first in the endpoint
        list; a mistyped password (or user name) now and then."""
        rng = random.Random(self.rng.random())
        eps = [self.keeper.client] + [p for p in CLIENT_PORTS if p != self.keeper.client]
        for _ in poisson(1 / 40.0, self.stop, rng):
            user, src = rng.choice(ENGINEERS)
            api = Api(src, user, self.creds[user], endpoints=eps)
            if rng.random() < 0.16:
                self.count("typo")
                if rng.random() < 0.2:
                    Api(src, user[:2] + user[3] + user[2] + user[4:], "x", endpoints=eps).authenticate(
                        self.creds[user])
                else:
                    api.authenticate(self.creds[user][:-1] + rng.choice("qwxz"))
                self.stop.wait(rng.uniform(3, 8))
            if not api.authenticate():
                continue
            self.count("sessions")
            for _ in range(rng.randint(1, 4)):
                r = rng.random()
                if r < 0.35:
                    api.get("/config/%s/" % rng.choice(SERVICES)[0], prefix=True)
                elif r < 0.6:
                    api.get("/services/", prefix=True, count_only=True)
                elif r < 0.75:
                    api.call("/v3/cluster/member/list", {})
                elif r < 0.85:
                    api.call("/v3/maintenance/alarm", {"action": "GET"})
                elif r < 0.95:
                    api.get("/locks/scheduler")
                else:
                    api.put("/config/%s/log_level" % rng.choice(SERVICES)[0], rng.choice(["debug", "info"]))
                self.stop.wait(rng.uniform(1, 6))
            api.close()


# --- setup ---

def provision(members, creds):
    """The cluster's users, roles and initial config, then auth on (as root over the gateway)."""
    api = Api("127.0.0.1", endpoints=[members[0].client, members[1].client, members[2].client], timeout=10)

    def must(path, body):
        st, d = api.call(path, body, timeout=15)
        if st != 200:
            raise SystemExit("%s %s: %s %s" % (path, body, st, d))

    def role(name, perms):
        must("/v3/auth/role/add", {"name": name})
        for ptype, key, prefix in perms:
            p = {"permType": ptype, "key": b64(key)}
            if prefix:
                p["range_end"] = b64(prefix_end(key))
            must("/v3/auth/role/grant", {"name": name, "perm": p})

    def user(name, roles):
        must("/v3/auth/user/add", {"name": name, "password": creds[name]})
        for r in roles:
            must("/v3/auth/user/grant", {"user": name, "role": r})

    rng = random.Random(7)
    for svc, _, _ in SERVICES:
        for k, f in CONFIG.items():
            must("/v3/kv/put", {"key": b64("/config/%s/%s" % (svc, k)), "value": b64(f(rng))})
    for k, f in GLOBAL.items():
        must("/v3/kv/put", {"key": b64("/config/global/" + k), "value": b64(f(rng))})
    must("/v3/auth/role/add", {"name": "root"})
    user("root", ["root"])
    for svc, _, _ in SERVICES:
        role(svc, [("READWRITE", "/services/%s/" % svc, True), ("READWRITE", "/config/%s/" % svc, True),
                   ("READ", "/services/", True), ("READ", "/config/global/", True)])
        user(svc, [svc])
    role("deployer", [("READWRITE", "/config/", True)])
    user("deployer", ["deployer"])
    user("compactor", ["root"])
    user("oncall", ["root"])
    role("scheduler", [("READWRITE", "/locks/", True), ("READWRITE", "/services/scheduler/", True)])
    user("scheduler", ["scheduler"])
    role("reports", [("READ", "/config/", True), ("READWRITE", "/reports/", True)])
    user("reports", ["reports"])
    role("ci", [("READWRITE", "/ci/", True)])
    user("ci", ["ci"])
    role("ops", [("READ", "/", True), ("READWRITE", "/config/", True)])
    for e, _ in ENGINEERS:
        user(e, ["ops"])
    must("/v3/auth/enable", {})


def leader_of(members):
    for m in members:
        s = status(m.client)
        if s and s.get("leader") and s["leader"] != "0":
            return next((x for x in members if x.id == hexid(s["leader"])), None)
    return None


# --- incidents ---

def member_crash(victim, seconds):
    start = now()
    victim.proc.send_signal(signal.SIGKILL)
    victim.proc.wait(10)
    sleep_until(start + seconds)
    restart = now()
    victim.start()
    victim.wait()
    return start, restart


def ci_storm(traffic, oncall_delay):
    """The CI pipeline's artifact cache: 3 parallel uploads of ~900 KB values under /ci/cache/ until each has had
    4 errors in a row; the on-call reacts oncall_delay seconds after the NOSPACE alarm."""
    rng = random.Random(4242)
    stats = {"ok": 0, "nospace": 0, "other": 0}
    lock = threading.Lock()
    first_alarm = []

    def upload(w):
        api = Api("127.0.0.65", "ci", traffic.creds["ci"], pin=w, timeout=15)
        errors, n = 0, 0
        job = "build-%d" % (48211 + w)
        while errors < 4 and not traffic.stop.is_set():
            n += 1
            blob = os.urandom(rng.randint(800, 950) * 1024)
            st, d = api.put("/ci/cache/%s/layer-%03d.tar" % (job, n), blob)
            with lock:
                if st == 200:
                    stats["ok"] += 1
                    errors = 0
                elif "space" in d.get("error", ""):
                    stats["nospace"] += 1
                    errors += 1
                    if not first_alarm:
                        first_alarm.append(now())
                else:
                    stats["other"] += 1
                    errors += 1
            time.sleep(rng.uniform(0.2, 0.8) if errors == 0 else rng.uniform(2, 4))

    start = now()
    ws = [threading.Thread(target=upload, args=(w,), daemon=True) for w in range(3)]
    for w in ws:
        w.start()
    while not first_alarm and now() < start + 180:
        time.sleep(0.5)
    alarm = first_alarm[0] if first_alarm else now()
    sleep_until(alarm + oncall_delay)
    for w in ws:
        w.join(30)
    # the on-call: what is raised, what takes the space, clean it up, compact, defragment each member, disarm
    op = Api("127.0.0.95", "oncall", traffic.creds["oncall"], timeout=30)
    st, d = op.call("/v3/maintenance/alarm", {"action": "GET"})
    alarms = d.get("alarms", []) if st == 200 else []
    for port in CLIENT_PORTS:
        status(port, "127.0.0.95")
    op.get("/ci/cache/", prefix=True, count_only=True)
    time.sleep(4)
    st, d = op.delete("/ci/cache/", prefix=True)
    deleted = int(d.get("deleted", 0)) if st == 200 else 0
    st, d = op.get("/ci/cache/", prefix=True, count_only=True)
    rev = int(d["header"]["revision"]) if st == 200 else None
    time.sleep(3)
    if rev:
        op.call("/v3/kv/compaction", {"revision": rev, "physical": True}, timeout=60)
    time.sleep(3)
    for port in CLIENT_PORTS:
        try:
            op.raw(port, "/v3/maintenance/defragment", {}, 60)
        except ConnectionError:
            pass
        time.sleep(2)
    for a in alarms:
        op.call("/v3/maintenance/alarm", {"action": "DEACTIVATE", "memberID": a["memberID"], "alarm": a["alarm"]})
    st, d = op.call("/v3/maintenance/alarm", {"action": "GET"})
    end = now()
    op.close()
    return start, alarm, end, stats, [hexid(a["memberID"]) for a in alarms], deleted, rev


def leader_stall(leader, seconds):
    start = now()
    leader.proc.send_signal(signal.SIGSTOP)
    sleep_until(start + seconds)
    leader.proc.send_signal(signal.SIGCONT)
    return start, now()


# --- labels from the kept log ---

def window(lines, t0, t1, match):
    return [(t, i, l) for t, i, l in lines if t0 <= t <= t1 and match(l)]


def summary(inc):
    """'N lines (lines a-b): kind xN; ...' with the lines' messages reduced to their kind."""
    kinds = {}
    for _, _, l in inc:
        m = l.split(" | ", 1)[1] if " | " in l else l.split(": ", 1)[-1]
        m = re.sub(r'request "header:<.*?> (\w+):.*?" with response ".*?" took \(.*?\) to execute, err is',
                   r"request \1 ... err is", m)
        m = re.sub(r'request "header:<.*?> (\w+):.*?" with result ".*?" took too long .*', r"request \1 took too long", m)
        m = re.sub(r'request ".*?" with result ".*?" took too long .*', "request ... took too long", m)
        m = re.sub(r"\d+\.\d+\.\d+\.\d+:\d+", "ADDR", m)
        m = re.sub(r"invalid auth token: \S+", "invalid auth token: TOKEN", m)
        m = re.sub(r"\b[0-9a-f]{16}\b|\b\d{15,20}\b", "ID", m)
        m = re.sub(r"\b\d+\b", "N", m)
        m = re.sub(r"\s+", " ", m).strip()
        kinds[m] = kinds.get(m, 0) + 1
    return "%d lines about it (lines %d-%d): %s" % (
        len(inc), inc[0][1] if inc else 0, inc[-1][1] if inc else 0,
        "; ".join("%s x%d" % (k, n) for k, n in sorted(kinds.items(), key=lambda x: -x[1])))


def main():
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="logwarden-etcd-", dir="/tmp")
    os.chmod(work, 0o755)
    os.makedirs(os.path.join(work, "log"))
    cluster = ",".join("etcd-%d=http://127.0.0.1:%d" % (n, PORT + 2 * (n - 1) + 1) for n in (1, 2, 3))
    members = [Member(work, n, cluster) for n in (1, 2, 3)]
    rng = random.Random(2027)
    creds = {u: "%016x" % rng.getrandbits(64) for u in
             ["root", "deployer", "compactor", "oncall", "scheduler", "reports", "ci"] + [s for s, _, _ in SERVICES]
             + [e for e, _ in ENGINEERS]}
    labels = Labels()
    traffic = None
    ok = False
    keeper = None
    try:
        for m in members:
            m.start()
        for m in members:
            m.wait()
        deadline = now() + 30
        while now() < deadline:
            st = [status(m.client) for m in members]
            if all(s and s.get("leader") not in (None, "0") for s in st):
                for m, s in zip(members, st):
                    m.id = hexid(s["header"]["member_id"])
                break
            time.sleep(0.5)
        else:
            raise SystemExit("the cluster has no leader")
        provision(members, creds)
        leader = leader_of(members)
        followers = [m for m in members if m is not leader]
        keeper, victim = followers[0], followers[1]
        traffic = Traffic(members, creds, keeper, 2027)
        threads = traffic.run()
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. a follower killed and started again 40 s later
        k_start, k_restart = member_crash(victim, max(40 * SCALE, 10))
        sleep_until(k_restart + 10 + 55 * SCALE)

        # 2. the CI pipeline fills the backend quota: NOSPACE, the on-call cleans up
        oncall_delay = max(30 * SCALE, 8)
        s_start, s_alarm, s_end, s_stats, alarmed, deleted, s_rev = ci_storm(traffic, oncall_delay)
        sleep_until(s_end + 55 * SCALE)

        # 3. the leader frozen for 12 s
        stalled = leader_of(members)
        if stalled is None:
            raise SystemExit("no leader before the stall")
        l_start, l_end = leader_stall(stalled, max(12 * SCALE, 4))
        sleep_until(l_end + 65 * SCALE)

        traffic.stop.set()
        deadline = now() + 10
        for t in threads:
            t.join(max(0.0, deadline - now()))
        keeper.stop()  # the kept member stops first: its log ends with its own clean shutdown
        for m in members:
            m.stop()
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
        for m in members:
            m.stop()
        if not ok:
            shutil.rmtree(work, ignore_errors=True)

    try:
        lines = read_log(keeper.log)
        others = {m.name: m.id for m in members}
        dec = {m.id: str(int(m.id, 16)) for m in members}
        # 1
        vid = victim.id
        inc = window(lines, k_start - 1, k_restart + 20, lambda l: vid in l or dec[vid] in l
                     or ":%d" % victim.peer in l or "invalid auth token" in l)
        labels.add("member-crash", inc[0][0] if inc else k_start, (inc[-1][0] if inc else k_restart) + 1,
                   "member-down", "%s|%s|%s|http://127.0.0.1:%d|127.0.0.1:%d" % (
                       vid, dec[vid], victim.name, victim.peer, victim.peer),
                   "member %s (ID %s, peer URL http://127.0.0.1:%d) killed with SIGKILL and started again %d s later "
                   "(as an OOM kill and a restart by systemd would); clients fail over to the other members (those "
                   "that present a simple token the member they land on had expired get 'auth: invalid auth token'); "
                   "the kept member %s (a follower) logs %s" % (
                       victim.name, vid, victim.peer, round(k_restart - k_start), keeper.name, summary(inc)))
        # 2
        ids = "|".join("%s|%s" % (a, dec.get(a, "")) for a in alarmed)
        pat = re.compile(r"no space|NOSPACE|exceeded backend quota|defragment|/ci/cache/")
        inc = window(lines, s_start - 1, s_end + 2, lambda l: bool(pat.search(l)))
        extra = [x for x in window(lines, s_start - 1, s_end + 2, lambda l: "compact %s" % s_rev in l or
                                   "compaction at %s " % s_rev in l) if x not in inc]
        shown = [n for n in ("ci", "/ci/cache/") if any(("/ci/cache/" in l if n != "ci" else 'username:\\"ci\\"' in l)
                                                       for _, _, l in inc)]
        labels.add("nospace", inc[0][0] if inc else s_alarm, (inc[-1][0] if inc else s_end) + 1, "quota-exceeded",
                   "|".join(["NOSPACE", "alarm:NOSPACE", ids] + shown),
                   "the CI pipeline (user ci, 127.0.0.65) caches ~900 KB build artifacts under /ci/cache/ with 3 "
                   "parallel uploads (%d stored, %d refused 'database space exceeded'): the 32 MiB backend quota is "
                   "exceeded %d s after it starts, etcd raises the NOSPACE alarm (set for member(s) %s) and refuses "
                   "writes and lease grants cluster-wide (the CI job gives up); %d s after the alarm the on-call "
                   "looks, deletes /ci/cache/ (%d keys), compacts (revision %s), defragments each member in turn and "
                   "disarms the alarm %d s after it was raised; the kept member logs %s; plus %d lines of the "
                   "on-call's compaction ('store.index: compact %s', 'finished scheduled compaction at %s')" % (
                       s_stats["ok"], s_stats["nospace"], round(s_alarm - s_start), ", ".join(alarmed),
                       round(oncall_delay), deleted, s_rev, round(s_end - s_alarm), summary(inc), len(extra), s_rev,
                       s_rev))
        # 3
        sid = stalled.id
        pat = re.compile(r"%s|%s|election|candidate|elected leader|lost leader|MsgVote|became leader|became follower|"
                         r"/health error|ReadIndex|leader changed|timed out" % (sid, dec[sid]))
        inc = window(lines, l_start - 1, l_end + 10, lambda l: bool(pat.search(l)))
        inc = sorted(set(inc + window(lines, l_start - 1, l_end + 30, lambda l: "invalid auth token" in l)))
        new = [l for _, _, l in inc if "elected leader" in l]
        labels.add("leader-stall", inc[0][0] if inc else l_start, (inc[-1][0] if inc else l_end) + 1,
                   "leader-election", "%s|%s|%s|http://127.0.0.1:%d|leader" % (sid, dec[sid], stalled.name,
                                                                              stalled.peer),
                   "the leader %s (ID %s) frozen for %d s (SIGSTOP/SIGCONT, as a VM pause or a stalled disk would): "
                   "the followers lose it and elect a new leader (%s), its streams time out and it rejoins as a "
                   "follower when it resumes; clients pinned to it fail over, and those presenting a simple token this member "
                   "had expired (tokens live 5 min per member) get 'auth: invalid auth token' (the gateway retries a "
                   "few seconds first); the kept member %s logs %s" % (
                       stalled.name, sid, round(l_end - l_start), new[0].split(": ", 1)[-1] if new else "?",
                       keeper.name, summary(inc)))
        labels.note("made by bench/real-logs/etcd.py: real etcd 3.4.23 (Debian etcd-server), a 3-member cluster on "
                    "127.0.0.1 (%s), configured through ETCD_* environment variables, quota-backend-bytes 32 MiB, "
                    "auth enabled with simple tokens, default capnslog logging to stderr (this is member %s, ID %s, "
                    "client port %d, a follower at the start; members %s); traffic through the v3 JSON gateway: 17 "
                    "service instances registering with leases and keepalives, reading config and discovery, 3 "
                    "watches, ~1.7 instance restarts a minute, a scheduler lock, config deploys, compaction every "
                    "60 s, health checks, a reports job refused a write now and then, engineers' sessions with a rare "
                    "mistyped password; wall-clock times (etcd logs local time, UTC here)" % (
                        cluster, keeper.name, keeper.id, keeper.client,
                        ", ".join("%s=%s" % (n, i) for n, i in others.items())))
        keep_log(keeper.log, OUT, NAME, labels)
        print("%s: kept %s (%s); victim %s (%s), stalled %s (%s); counts %s; storm %s; instances %s" % (
            NAME, keeper.name, keeper.id, victim.name, victim.id, stalled.name, stalled.id, traffic.counts, s_stats,
            {k: sum(i.counts[k] for i in traffic.instances) for k in traffic.instances[0].counts}), file=sys.stderr)
        if os.environ.get("KEEP_ALL"):
            for m in members:
                shutil.copy(m.log, os.path.join(OUT, "all-" + m.name + ".log"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
