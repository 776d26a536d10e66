#!/usr/bin/env python3
"""Runs a real Redis (Debian redis-server 7.0) primary and replica on 127.0.0.1, drives a shop's cache and session
traffic against them, injects labelled incidents and keeps both logs exactly as Redis wrote them (loglevel notice,
the default). Standard library only: it speaks RESP itself.

usage: bench/real-logs/redis.py OUTDIR [PORT]      (the replica listens on PORT+1)
  writes OUTDIR/redis-e.log (the primary), OUTDIR/redis-replica-e.log and their .labels.tsv

Normal traffic: about 60 commands a second (SET with expiry, GET, INCR, HSET, LPUSH/LTRIM) from a few clients;
`save 10 100` makes the primary and the replica save an RDB snapshot every 10 s or so, which they log.
Incidents (about 5.5 min in all):
  rdb-failing   the primary's working directory removed for 40 s (a disk unmounted under it): every background save
                fails and Redis retries every 5 s; writes are refused (MISCONF) meanwhile
  crash         the primary killed (SIGKILL) and started again 25 s later: a restart in the primary's log, and in the
                replica's a lost master and a refused connection every second until it is back
  slow-consumer a pub/sub client named report-worker that stops reading while 64 kB events are published: Redis
                closes it for overcoming its output buffer limit, and it reconnects and stalls again, for 30 s
"""
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

from arrivals import poisson
from labels import Labels

OUT = os.path.abspath(sys.argv[1])
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19379
REPLICA = PORT + 1


def now():
    return time.time()


class Resp:
    """A minimal RESP2 client: enough for commands and their replies."""

    def __init__(self, port, name=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.file = self.sock.makefile("rb")
        if name:
            self.call("CLIENT", "SETNAME", name)

    def send(self, *args):
        parts = [b"*%d\r\n" % len(args)]
        for a in args:
            b = a if isinstance(a, bytes) else str(a).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(b), b))
        self.sock.sendall(b"".join(parts))

    def read(self):
        line = self.file.readline()
        if not line:
            raise ConnectionError("closed")
        kind, rest = line[:1], line[1:-2]
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self.file.read(n + 2)[:-2]
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        if kind == b"-":
            return RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        return rest

    def call(self, *args):
        self.send(*args)
        return self.read()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class Server:
    def __init__(self, name, port, work, extra=""):
        self.name, self.port, self.dir = name, port, os.path.join(work, name)
        os.makedirs(self.dir, exist_ok=True)
        self.log = os.path.join(work, name + ".log")
        self.conf = os.path.join(work, name + ".conf")
        with open(self.conf, "w") as f:
            f.write("bind 127.0.0.1\nport %d\ndir %s\nlogfile %s\nloglevel notice\nsave 10 100\n"
                    "appendonly no\nclient-output-buffer-limit pubsub 2mb 512kb 10\nenable-protected-configs local\n%s" % (port, self.dir, self.log, extra))
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(["redis-server", self.conf], env=dict(os.environ, TZ="UTC"))
        deadline = now() + 10
        while now() < deadline:
            try:
                Resp(self.port).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("redis %s did not start on 127.0.0.1:%d" % (self.name, self.port))

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(20)


class Traffic:
    def __init__(self, port, seed):
        self.port = port
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.refused = 0
        self.sent = 0

    def client(self, rate, k):
        rng = random.Random(self.rng.random())
        conn = None
        for _ in poisson(rate, self.stop, rng):
            try:
                if conn is None:
                    conn = Resp(self.port, "shop-web-%d" % k)
                r = rng.random()
                if r < 0.35:
                    reply = conn.call("SET", "session:%d" % rng.randint(1, 500), "u%d" % rng.randint(1, 9999), "EX", 1800)
                elif r < 0.7:
                    reply = conn.call("GET", "session:%d" % rng.randint(1, 500))
                elif r < 0.8:
                    reply = conn.call("INCR", "views:product:%d" % rng.randint(1, 12))
                elif r < 0.9:
                    reply = conn.call("HSET", "cart:%d" % rng.randint(1, 300), "item:%d" % rng.randint(1000, 9999),
                                      rng.randint(1, 3))
                else:
                    conn.send("LPUSH", "recent", "item:%d" % rng.randint(1000, 9999))
                    conn.send("LTRIM", "recent", 0, 99)
                    conn.read()
                    reply = conn.read()
                self.sent += 1
                if isinstance(reply, RuntimeError):
                    self.refused += 1
            except OSError:
                if conn:
                    conn.close()
                conn = None
                time.sleep(0.5)

    def run(self, clients=4, rate=15):
        ts = [threading.Thread(target=self.client, args=(rate, k), daemon=True) for k in range(clients)]
        for t in ts:
            t.start()
        return ts


def slow_consumer(port, seconds):
    """A subscriber that stops reading while a publisher sends 64 kB events; it reconnects when Redis drops it."""
    stop = now() + seconds
    payload = b"e" * 65536
    drops = 0
    while now() < stop:
        sub = Resp(port, "report-worker")
        sub.call("SUBSCRIBE", "events:orders")
        pub = Resp(port, "order-events")
        try:
            while now() < stop:  # the subscriber never reads; its kernel buffers fill, then Redis's output buffer
                pub.call("PUBLISH", "events:orders", payload)
                if not pub.call("PUBSUB", "NUMSUB", "events:orders")[1]:
                    drops += 1
                    break
                time.sleep(0.002)
        finally:
            pub.close()
            sub.close()
        time.sleep(2)
    return drops


def main():
    os.makedirs(OUT, exist_ok=True)
    work = os.path.join("/tmp", "logwarden-redis-%d" % os.getpid())
    os.makedirs(work)
    primary = Server("primary", PORT, work)
    replica = Server("replica", REPLICA, work, "replicaof 127.0.0.1 %d\nreplica-read-only yes\n" % PORT)
    lp, lr = Labels(), Labels()
    for l in (lp, lr):
        l.note("made by bench/real-logs/redis.py: real Redis 7.0 primary 127.0.0.1:%d and replica 127.0.0.1:%d, "
               "~60 commands/s, wall-clock times" % (PORT, REPLICA))
    try:
        primary.start()
        replica.start()
        traffic = Traffic(PORT, 2026)
        threads = traffic.run()
        t0 = now()
        time.sleep(max(0.0, t0 + 45 - now()))

        # 1. the primary's directory goes away: background saves fail until it is pointed at a working one
        broken = os.path.join(work, "primary-data")
        os.makedirs(broken)
        c = Resp(PORT)
        reply = c.call("CONFIG", "SET", "dir", broken)  # `dir` is protected: allowed from 127.0.0.1 by the config
        if isinstance(reply, RuntimeError):
            raise SystemExit("CONFIG SET dir refused: %s" % reply)
        shutil.rmtree(broken)
        start = now()
        time.sleep(40)
        reply = c.call("CONFIG", "SET", "dir", primary.dir)
        if isinstance(reply, RuntimeError):
            raise SystemExit("CONFIG SET dir refused: %s" % reply)
        c.close()
        lp.add("rdb-failing", start, now(), "persistence-failure", "RDB|saving",
               "the primary's working directory removed for 40 s: every background save fails (Failed opening the "
               "temp RDB file ...: No such file or directory), writes refused with MISCONF")
        time.sleep(max(0.0, t0 + 130 - now()))

        # 2. the primary crashes and comes back 25 s later
        start = now()
        primary.kill()
        time.sleep(25)
        primary.start()
        lp.add("crash", start, now(), "restart", "-",
               "the primary killed (SIGKILL) and started again 25 s later: its start-up lines mid-file")
        lr.add("master-down", start, now() + 2, "upstream-outage", "127.0.0.1:%d|master" % PORT,
               "the replica's master 127.0.0.1:%d down for 25 s: connection lost, then refused every second" % PORT)
        time.sleep(max(0.0, t0 + 220 - now()))

        # 3. a slow pub/sub consumer closed again and again for overcoming its output buffer limit
        start = now()
        drops = slow_consumer(PORT, 30)
        lp.add("slow-consumer", start, now(), "client-buffer-overflow", "report-worker|output buffer",
               "a pub/sub client (report-worker) that stops reading while 64 kB events are published: closed %d "
               "times for overcoming its output buffer limit" % drops)
        time.sleep(max(0.0, t0 + 330 - now()))
        traffic.stop.set()
        for t in threads:
            t.join(10)
        print("redis-e: %d commands, %d refused, %d slow-consumer drops" % (traffic.sent, traffic.refused, drops),
              file=sys.stderr)
    finally:
        replica.stop()
        primary.stop()
    shutil.copy(primary.log, os.path.join(OUT, "redis-e.log"))
    shutil.copy(replica.log, os.path.join(OUT, "redis-replica-e.log"))
    lp.write(os.path.join(OUT, "redis-e.labels.tsv"))
    lr.write(os.path.join(OUT, "redis-replica-e.labels.tsv"))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
