#!/usr/bin/env python3
"""Runs a real RabbitMQ node (Debian rabbitmq-server 3.10.8, Erlang/OTP 25) as a web shop's message broker on
127.0.0.1, drives the shop's and its analytics' AMQP traffic through it, injects labelled incidents and keeps the
node's log exactly as RabbitMQ wrote it: the default file log RABBITMQ_LOG_BASE/rabbit@localhost.log, default level
(info) and format ("2026-12-02 13:00:00.123456+00:00 [info] <0.123.0> accepting AMQP connection ..."; a multi-line
message repeats that prefix on every line). The package's own service is not used: the driver starts
/usr/lib/rabbitmq/bin/rabbitmq-server as Debian's rabbitmq user with RABBITMQ_NODENAME=rabbit@localhost,
RABBITMQ_NODE_IP_ADDRESS=127.0.0.1, RABBITMQ_NODE_PORT=PORT, RABBITMQ_MNESIA_BASE/LOG_BASE/CONFIG_FILE/... in a /tmp
work dir, its own epmd on 127.0.0.1:PORT+1 (ERL_EPMD_ADDRESS/ERL_EPMD_PORT), the Erlang distribution on
127.0.0.1:PORT+10000 (inet_dist_use_interface) and rabbitmqctl's on PORT+10001..10010, no plugins. rabbitmq.conf
sets vm_memory_high_watermark.absolute = 400MB (the node's small VM) and load_definitions (users with sha256 password
hashes, vhosts /, shop and analytics, permissions, the durable exchanges, queues and bindings). rabbitmqctl is used
for the incidents only; the node is stopped with `rabbitmqctl stop`. Standard library only: the driver speaks AMQP
0-9-1 itself (protocol header, Start-Ok with PLAIN, Tune-Ok, Open, Channel.Open, Exchange/Queue.Declare, Queue.Bind,
Basic.Qos/Consume/Deliver/Ack/Publish/Get with content frames, heartbeats, Connection.Blocked, Connection.Close),
each client from its own 127.0.0.N source address with the client properties of a real client library (pika,
the Java client, php-amqplib, amqplib) and, for most, a connection_name.

usage: bench/real-logs/rabbitmq.py OUTDIR [PORT]      (default port 19972)
  writes OUTDIR/rabbitmq-h.log (.log.gz if over 1 MB) and OUTDIR/rabbitmq-h.labels.tsv
  SCALE=0.2 multiplies every duration (a short run for testing)

Normal traffic (about 20 messages/s; every client a thread with Poisson or jittered timing):
  vhost shop: order-service-1/2 (Java, 127.0.0.11-12) publish order events to the topic exchange orders (~6/s);
  order-worker-1..6 (pika, 127.0.0.21-26, prefetch 10) consume orders.created/payment/shipping, ack, and publish
  customer notifications to the direct exchange notifications; notifier-1..3 (pika, 127.0.0.31-33, heartbeat 20 s,
  prefetch 5) consume notify.email/sms/push; the order-reminder cron job (127.0.0.61) connects every minute, checks
  notify.email passively and publishes reminders. vhost analytics: the event-collector (amqplib, 127.0.0.51) publishes
  app events (~8/s) to the topic exchange events, consumed by analytics-etl-1/2 (127.0.0.52-53, prefetch 100, acks
  25 at a time); the PHP shop front end (php-amqplib, 127.0.0.41-43, no connection name, no heartbeat) opens a
  connection per page request (~0.4/s) to publish web events, 4 % of them killed without Connection.Close; the BI
  export job (127.0.0.48) connects every two minutes and publishes 10-30 table chunks to exports.warehouse, consumed
  by the slow warehouse-loader (Java, 127.0.0.49, prefetch 1). vhost /: the monitoring host's aliveness check
  (127.0.0.1, user monitoring) every 30 s declares aliveness-test, publishes and gets a message back. An engineer
  (user admin, 127.0.0.90-94) looks at a queue about every 75 s: a mistyped password first a third of the time
  ("PLAIN login refused: user 'admin' - invalid credentials"), a queue name that does not exist 30 % of the time
  (a channel error "NOT_FOUND - no queue"). About one long-running service restarts every 45 s, every third of them
  killed without Connection.Close ("client unexpectedly closed TCP connection").
Incidents (about 7 minutes in all: 90 s of normal traffic, each incident followed by at least 50 s of it):
  hung-notifiers        the notifiers' SMTP relay stalls and the notifier pool (notifier-1..3, 127.0.0.31-33) hangs
                        on it for 70 s, sending nothing, not even heartbeats: 40-60 s in RabbitMQ closes their
                        connections, "missed heartbeats from client, timeout: 20s"; they reconnect when they recover
  vhost-access-refused  a new invoice-service is deployed on 127.0.0.70 with a user 'invoicing' that was created
                        (rabbitmqctl add_user) without permissions on vhost shop; it retries every second for 40 s,
                        "access to vhost 'shop' refused for user 'invoicing'", until an admin runs set_permissions
  memory-alarm          a full BI backfill (bi-export-backfill, 127.0.0.48) pushes 1 MB non-persistent chunks into
                        exports.warehouse faster than the loader takes them: the memory alarm goes off and clears
                        repeatedly ("memory resource limit alarm set on node rabbit@localhost", publishers blocked);
                        25 s after the first alarm the on-call kills the backfill and purges the queue
                        (rabbitmqctl purge_queue) and the alarm clears
"""
import base64
import calendar
import hashlib
import json
import os
import random
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

from arrivals import poisson
from drivers import stop_process, keep_log, now, sleep_until
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19972
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "rabbitmq-h"
NODE = "rabbit@localhost"
EPMD_PORT = PORT + 1           # Erlang's port mapper, on loopback
DIST_PORT = PORT + 10000       # the node's Erlang distribution port, on loopback
CTL_PORTS = (PORT + 10001, PORT + 10010)  # rabbitmqctl's own distribution ports
RMQ_BIN = "/usr/lib/rabbitmq/bin"


# --- AMQP 0-9-1 ---

def sstr(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack("!B", len(b)) + b


def lstr(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack("!I", len(b)) + b


def table(d):
    out = b""
    for k, v in (d or {}).items():
        out += sstr(k)
        if isinstance(v, bool):
            out += b"t" + bytes([v])
        elif isinstance(v, int):
            out += b"l" + struct.pack("!q", v)
        elif isinstance(v, dict):
            out += b"F" + table(v)
        else:
            out += b"S" + lstr(str(v))
    return lstr(out)


def bits(*flags):
    return bytes([sum(1 << i for i, f in enumerate(flags) if f)])


def frame(kind, ch, payload):
    return struct.pack("!BHI", kind, ch, len(payload)) + payload + b"\xce"


def method(ch, cls, mth, args=b""):
    return frame(1, ch, struct.pack("!HH", cls, mth) + args)


def rsstr(b, i):
    n = b[i]
    return b[i + 1:i + 1 + n].decode("utf-8", "replace"), i + 1 + n


CAPS = {"publisher_confirms": True, "exchange_exchange_bindings": True, "basic.nack": True,
        "consumer_cancel_notify": True, "connection.blocked": True, "authentication_failure_close": True}
LIBS = {  # the client properties of the client libraries the applications use
    "pika": {"product": "Pika Python Client Library", "platform": "Python 3.11.2", "capabilities": CAPS,
             "information": "See http://pika.rtfd.org", "version": "1.3.2"},
    "java": {"product": "RabbitMQ", "version": "5.16.0", "platform": "Java", "capabilities": CAPS,
             "copyright": "Copyright (c) 2007-2022 VMware, Inc. or its affiliates.",
             "information": "Licensed under the MPL. See https://www.rabbitmq.com/"},
    "php": {"product": "AMQPLib", "platform": "PHP", "version": "3.5.4", "information": "", "copyright": "",
            "capabilities": CAPS},
    "node": {"product": "amqplib", "version": "0.10.3", "platform": "Node.JS v18.19.0",
             "information": "https://amqp-node.github.io/amqplib/", "capabilities": CAPS},
}


class AMQPError(Exception):
    def __init__(self, code, text, where="connection"):
        super().__init__("%s closed by the broker: %d %s" % (where, code, text))
        self.code, self.text, self.where = code, text, where


class Conn:
    """One AMQP 0-9-1 connection from a chosen source address, used by one thread."""

    def __init__(self, src, user, password, vhost, name=None, lib="pika", heartbeat=None, timeout=10):
        s = socket.create_connection(("127.0.0.1", PORT), timeout, source_address=(src, 0))
        self.sock, self.buf, self.pending, self.deliveries, self.partial = s, bytearray(), [], [], {}
        self.blocked, self.hb, self.frame_max, self.last_out = False, 0, 131072, now()
        self.timeout = timeout
        props = dict(LIBS[lib])
        if name:
            props["connection_name"] = name
        try:
            self.send(b"AMQP\x00\x00\x09\x01")
            self.wait(0, [(10, 10)], timeout)
            self.send(method(0, 10, 11, table(props) + sstr("PLAIN") + lstr(b"\0%s\0%s" % (
                user.encode(), password.encode())) + sstr("en_US")))
            args = self.wait(0, [(10, 30)], timeout)[2]
            cmax, fmax, shb = struct.unpack("!HIH", args[:8])
            self.hb = shb if heartbeat is None else heartbeat
            self.frame_max = min(fmax or 131072, 131072)
            self.send(method(0, 10, 31, struct.pack("!HIH", cmax or 2047, self.frame_max, self.hb)))
            self.send(method(0, 10, 40, sstr(vhost) + sstr("") + b"\0"))
            self.wait(0, [(10, 41)], timeout)
        except BaseException:
            self.drop()
            raise

    def send(self, data):
        self.sock.sendall(data)
        self.last_out = now()

    def read(self, timeout):
        r, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not r:
            return
        data = self.sock.recv(1 << 20)
        if not data:
            raise ConnectionError("connection closed by the broker")
        self.buf += data
        while len(self.buf) >= 7:
            kind, ch, size = struct.unpack("!BHI", self.buf[:7])
            if len(self.buf) < size + 8:
                return
            payload = bytes(self.buf[7:7 + size])
            del self.buf[:size + 8]
            if kind == 1:
                cls, mth = struct.unpack("!HH", payload[:4])
                if (cls, mth) in ((60, 60), (60, 71), (60, 50)):  # content follows
                    self.partial[ch] = [cls, mth, payload[4:], None, []]
                elif (cls, mth) == (10, 60):
                    self.blocked = True
                elif (cls, mth) == (10, 61):
                    self.blocked = False
                else:
                    self.pending.append((ch, cls, mth, payload[4:]))
            elif kind in (2, 3) and ch in self.partial:
                p = self.partial[ch]
                if kind == 2:
                    p[3] = struct.unpack("!Q", payload[4:12])[0]
                else:
                    p[4].append(payload)
                if p[3] is not None and sum(map(len, p[4])) >= p[3]:
                    del self.partial[ch]
                    body = b"".join(p[4])
                    if p[1] == 60:
                        tag, i = rsstr(p[2], 0)
                        dtag = struct.unpack("!Q", p[2][i:i + 8])[0]
                        _, i = rsstr(p[2], i + 9)
                        rk, i = rsstr(p[2], i)
                        self.deliveries.append((ch, dtag, rk, body))
                    elif p[1] == 71:
                        self.pending.append((ch, 60, 71, (struct.unpack("!Q", p[2][:8])[0], body)))

    def check(self, ch=None):
        """Raises AMQPError when the broker closed the connection (or channel ch) with a Close method."""
        for i, (c, cls, mth, args) in enumerate(self.pending):
            if (cls, mth) == (10, 50) or ((cls, mth) == (20, 40) and c == ch):
                del self.pending[i]
                code = struct.unpack("!H", args[:2])[0]
                text = rsstr(args, 2)[0]
                if cls == 10:
                    try:
                        self.send(method(0, 10, 51))
                    except OSError:
                        pass
                    self.drop()
                    raise AMQPError(code, text)
                self.send(method(c, 20, 41))
                raise AMQPError(code, text, "channel")

    def wait(self, ch, methods, timeout=None):
        deadline = now() + (self.timeout if timeout is None else timeout)
        while True:
            for i, (c, cls, mth, args) in enumerate(self.pending):
                if c == ch and (cls, mth) in methods:
                    del self.pending[i]
                    return cls, mth, args
            self.check(ch)
            left = deadline - now()
            if left <= 0:
                raise TimeoutError("no reply from the broker")
            self.read(left)

    def beat(self):
        if self.hb and now() - self.last_out >= self.hb / 2.0:
            self.send(frame(8, 0, b""))

    def poll(self, timeout):
        """Heartbeats when due, reads for up to timeout; returns the deliveries (ch, tag, routing key, body)."""
        self.beat()
        if not self.deliveries:
            self.read(timeout)
        self.check()
        d, self.deliveries = self.deliveries, []
        return d

    def wait_unblocked(self, timeout):
        deadline = now() + timeout
        while self.blocked and now() < deadline:
            self.poll(min(1.0, deadline - now()))
        return not self.blocked

    def channel(self, ch=1):
        self.send(method(ch, 20, 10, sstr("")))
        self.wait(ch, [(20, 11)])

    def exchange(self, ch, name, kind, durable=True):
        self.send(method(ch, 40, 10, struct.pack("!H", 0) + sstr(name) + sstr(kind) +
                         bits(False, durable, False, False, False) + table({})))
        self.wait(ch, [(40, 11)])

    def queue(self, ch, name, durable=True, passive=False, exclusive=False, auto_delete=False, args=None):
        self.send(method(ch, 50, 10, struct.pack("!H", 0) + sstr(name) +
                         bits(passive, durable, exclusive, auto_delete, False) + table(args)))
        a = self.wait(ch, [(50, 11)])[2]
        q, i = rsstr(a, 0)
        return (q,) + struct.unpack("!II", a[i:i + 8])

    def bind(self, ch, q, exchange, key):
        self.send(method(ch, 50, 20, struct.pack("!H", 0) + sstr(q) + sstr(exchange) + sstr(key) + b"\0" +
                         table({})))
        self.wait(ch, [(50, 21)])

    def qos(self, ch, prefetch):
        self.send(method(ch, 60, 10, struct.pack("!IH", 0, prefetch) + b"\0"))
        self.wait(ch, [(60, 11)])

    def consume(self, ch, q, tag):
        self.send(method(ch, 60, 20, struct.pack("!H", 0) + sstr(q) + sstr(tag) + bits(False, False, False, False) +
                         table({})))
        self.wait(ch, [(60, 21)])

    def publish(self, ch, exchange, key, body, ctype="application/json", persistent=True):
        body = body.encode() if isinstance(body, str) else body
        parts = [method(ch, 60, 40, struct.pack("!H", 0) + sstr(exchange) + sstr(key) + b"\0"),
                 frame(2, ch, struct.pack("!HHQH", 60, 0, len(body), 0x9000) + sstr(ctype) +
                       bytes([2 if persistent else 1]))]
        step = self.frame_max - 8
        for i in range(0, len(body), step):
            parts.append(frame(3, ch, body[i:i + step]))
        self.send(b"".join(parts))

    def get(self, ch, q):
        self.send(method(ch, 60, 70, struct.pack("!H", 0) + sstr(q) + b"\x01"))
        cls, mth, args = self.wait(ch, [(60, 71), (60, 72)])
        return args[1] if mth == 71 else None

    def ack(self, ch, tag, multiple=False):
        self.send(method(ch, 60, 80, struct.pack("!Q", tag) + bits(multiple)))

    def close(self, timeout=3):
        """Connection.Close and its Close-Ok; the TCP connection just dropped when the broker does not answer."""
        try:
            self.send(method(0, 10, 50, struct.pack("!H", 200) + sstr("Normal shutdown") + struct.pack("!HH", 0, 0)))
            self.wait(0, [(10, 51)], timeout)
        except (OSError, AMQPError, TimeoutError):
            pass
        self.drop()

    def drop(self):
        try:
            self.sock.close()
        except OSError:
            pass


ERRORS = (OSError, AMQPError, TimeoutError, ConnectionError)


# --- the applications ---

class Service:
    """A long-running client: connects, sets up its channel, runs its loop; reconnects after a lost connection.
    The churn thread may ask it to restart (`action`); an incident may hang it (`hang_until`)."""
    retry = (2.0, 5.0)

    def __init__(self, name, src, user, vhost, lib, heartbeat=None):
        self.name, self.src, self.user, self.vhost, self.lib, self.heartbeat = name, src, user, vhost, lib, heartbeat
        self.password = None
        self.action = None
        self.hang_until = 0.0
        self.busy = False
        self.connected = False
        self.connects, self.lost, self.refused, self.sent, self.handled = 0, 0, 0, 0, 0
        self.connect_times = []

    def run(self, stop, seed, delay=0.0):
        rng = random.Random(seed)
        stop.wait(delay)
        while not stop.is_set():
            try:
                c = Conn(self.src, self.user, self.password, self.vhost, self.name, self.lib, self.heartbeat)
            except ERRORS:
                self.refused += 1
                stop.wait(rng.uniform(*self.retry))
                continue
            self.connects += 1
            self.connect_times.append(now())
            self.connected = True
            try:
                self.setup(c, rng)
                pause = self.session(c, rng, stop)
            except ERRORS:
                self.lost += 1
                c.drop()
                pause = rng.uniform(1.0, 4.0)
            self.connected = False
            if not stop.is_set():
                stop.wait(pause)

    def session(self, c, rng, stop):
        while not stop.is_set():
            if now() < self.hang_until:  # the process hangs: it neither reads nor writes, not even heartbeats
                time.sleep(min(0.5, self.hang_until - now()))
                continue
            act, self.action = self.action, None
            if act == "drop":      # killed (OOM killer, kill -9, a pod evicted): no Connection.Close
                c.drop()
                return rng.uniform(4, 20)
            if act == "restart":   # a restart or a deploy: a clean Connection.Close
                c.close()
                return rng.uniform(3, 12)
            self.step(c, rng)
        c.close()
        return 0.0

    def setup(self, c, rng):
        c.channel(1)

    def step(self, c, rng):
        c.poll(0.5)


class Publisher(Service):
    def __init__(self, name, src, user, vhost, lib, exchange, kind, rate, message, heartbeat=None):
        super().__init__(name, src, user, vhost, lib, heartbeat)
        self.exchange, self.kind, self.rate, self.message = exchange, kind, rate, message

    def setup(self, c, rng):
        c.channel(1)
        c.exchange(1, self.exchange, self.kind)
        self.nxt = now() + rng.expovariate(self.rate)

    def step(self, c, rng):
        c.poll(max(0.0, min(0.5, self.nxt - now())))
        if c.blocked:  # connection.blocked (a resource alarm): the application holds its messages back
            self.nxt = now() + 0.5
            return
        while now() >= self.nxt:
            self.nxt += rng.expovariate(self.rate)
            key, body = self.message(rng)
            c.publish(1, self.exchange, key, body)
            self.sent += 1


class Consumer(Service):
    def __init__(self, name, src, user, vhost, lib, queues, prefetch, work=(0.005, 0.04), heartbeat=None):
        super().__init__(name, src, user, vhost, lib, heartbeat)
        self.queues, self.prefetch, self.work = queues, prefetch, work  # queues: (queue, exchange, kind, keys)

    def setup(self, c, rng):
        c.channel(1)
        for q, ex, kind, keys in self.queues:
            c.exchange(1, ex, kind)
            c.queue(1, q)
            for k in keys:
                c.bind(1, q, ex, k)
        c.qos(1, self.prefetch)
        for i, (q, _, _, _) in enumerate(self.queues):
            c.consume(1, q, "%s.%s.%d" % (self.name, q, i))

    def step(self, c, rng):
        for ch, tag, key, body in c.poll(0.5):
            time.sleep(rng.uniform(*self.work))
            c.ack(ch, tag)
            self.handled += 1
            self.after(c, rng, key, body)

    def after(self, c, rng, key, body):
        pass


class OrderWorker(Consumer):
    """Takes the orders' events; sends the customer notifications they call for."""

    def after(self, c, rng, key, body):
        notes = {"order.created": ["email"] + (["sms"] if rng.random() < 0.15 else []),
                 "order.shipped": ["push", "email"], "order.cancelled": ["email"],
                 "order.paid": ["email"] if rng.random() < 0.3 else []}.get(key, [])
        try:
            order = json.loads(body)["order"]
        except (ValueError, KeyError):
            order = 0
        for n in notes:
            c.publish(1, "notifications", n, json.dumps({"order": order, "template": key.replace(".", "_"),
                                                         "channel": n}))
            self.sent += 1


class EtlConsumer(Consumer):
    """Batches the analytics events: acks 25 at a time (multiple) or after a second."""

    def setup(self, c, rng):
        super().setup(c, rng)
        self.unacked, self.last_ack = 0, now()

    def step(self, c, rng):
        for ch, tag, key, body in c.poll(0.5):
            self.unacked += 1
            self.handled += 1
            self.tag = tag
            if self.unacked >= 25:
                c.ack(1, tag, multiple=True)
                self.unacked, self.last_ack = 0, now()
        if self.unacked and now() - self.last_ack > 1.0:
            c.ack(1, self.tag, multiple=True)
            self.unacked, self.last_ack = 0, now()


def order_message(rng, seq=[100000]):
    seq[0] += 1
    key = rng.choices(["order.created", "order.paid", "order.shipped", "order.cancelled"], [55, 28, 12, 5])[0]
    return key, json.dumps({"order": seq[0] - rng.randint(0, 40), "event": key, "ts": round(now(), 3),
                            "customer": rng.randint(1, 50000), "total": round(rng.uniform(5, 400), 2),
                            "items": rng.randint(1, 6)})


def tracker_message(rng):
    key = rng.choices(["app.screen_view", "app.tap", "app.search", "app.add_to_cart", "app.session_start"],
                      [45, 30, 10, 10, 5])[0]
    return key, json.dumps({"event": key, "ts": round(now(), 3), "device": "%016x" % rng.getrandbits(64),
                            "props": {"screen": rng.choice(["home", "category", "product", "cart", "account"]),
                                      "ms": rng.randint(20, 3000)}})


# --- RabbitMQ ---

USERS = {  # user: (tags, vhosts with full permissions)
    "admin": ("administrator", ["/", "shop", "analytics"]),
    "monitoring": ("monitoring", ["/"]),
    "order-service": ("", ["shop"]),
    "order-worker": ("", ["shop"]),
    "notifier": ("", ["shop"]),
    "cron": ("", ["shop"]),
    "shop-web": ("", ["analytics"]),
    "tracker": ("", ["analytics"]),
    "analytics-etl": ("", ["analytics"]),
    "bi-export": ("", ["analytics"]),
    "warehouse-loader": ("", ["analytics"]),
}
EXCHANGES = [("shop", "orders", "topic"), ("shop", "notifications", "direct"), ("analytics", "events", "topic"),
             ("analytics", "exports", "direct")]
QUEUES = [("shop", "orders.created", "orders", ["order.created"]),
          ("shop", "orders.payment", "orders", ["order.paid"]),
          ("shop", "orders.shipping", "orders", ["order.shipped", "order.cancelled"]),
          ("shop", "notify.email", "notifications", ["email"]),
          ("shop", "notify.sms", "notifications", ["sms"]),
          ("shop", "notify.push", "notifications", ["push"]),
          ("analytics", "events.raw", "events", ["#"]),
          ("analytics", "exports.warehouse", "exports", ["warehouse"])]

CONF = """\
# RabbitMQ node of the shop's back end (the rest of the settings are RabbitMQ's defaults);
# node name, listener address and port, directories: {work}/rabbitmq-env.conf and the environment
# the node runs on a small VM: memory high watermark as an absolute value
vm_memory_high_watermark.absolute = {watermark}
# users, vhosts, permissions and the durable topology, provisioned at boot
load_definitions = {work}/definitions.json
"""


def pw_hash(password, rng):
    salt = bytes(rng.getrandbits(8) for _ in range(4))
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def port_free(port):
    with open("/proc/net/tcp") as f:
        return not any(l.split()[1].endswith(":%04X" % port) and l.split()[3] == "0A" for l in list(f)[1:])


class RabbitMQ:
    def __init__(self, work, watermark):
        self.work, self.watermark = work, watermark
        self.log = os.path.join(work, "log", NODE + ".log")
        self.proc = self.epmd = None
        self.env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": work, "LANG": "C.UTF-8",
            "RABBITMQ_CONF_ENV_FILE": os.path.join(work, "rabbitmq-env.conf"),
            "RABBITMQ_CONFIG_FILE": os.path.join(work, "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": os.path.join(work, "enabled_plugins"),
            "RABBITMQ_NODENAME": NODE, "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1", "RABBITMQ_NODE_PORT": str(PORT),
            "RABBITMQ_DIST_PORT": str(DIST_PORT),
            "RABBITMQ_MNESIA_BASE": os.path.join(work, "mnesia"), "RABBITMQ_LOG_BASE": os.path.join(work, "log"),
            "RABBITMQ_PID_FILE": os.path.join(work, "rabbitmq.pid"),
            "ERL_EPMD_ADDRESS": "127.0.0.1", "ERL_EPMD_PORT": str(EPMD_PORT),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "RABBITMQ_CTL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "RABBITMQ_CTL_DIST_PORT_MIN": str(CTL_PORTS[0]), "RABBITMQ_CTL_DIST_PORT_MAX": str(CTL_PORTS[1]),
        }

    def configure(self, passwords):
        rng = random.Random(7)
        for d in ("mnesia", "log"):
            os.makedirs(os.path.join(self.work, d))
        with open(os.path.join(self.work, "rabbitmq.conf"), "w") as f:
            f.write(CONF.format(work=self.work, watermark=self.watermark))
        with open(os.path.join(self.work, "rabbitmq-env.conf"), "w") as f:
            f.write("# see the environment: RABBITMQ_NODENAME, RABBITMQ_NODE_IP_ADDRESS, RABBITMQ_NODE_PORT, ...\n")
        with open(os.path.join(self.work, "enabled_plugins"), "w") as f:
            f.write("[].\n")
        defs = {"rabbit_version": "3.10.8", "rabbitmq_version": "3.10.8",
                "users": [{"name": u, "password_hash": pw_hash(passwords[u], rng),
                           "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": [t] if t else [],
                           "limits": {}} for u, (t, _) in USERS.items()],
                "vhosts": [{"name": v} for v in ("/", "shop", "analytics")],
                "permissions": [{"user": u, "vhost": v, "configure": ".*", "write": ".*", "read": ".*"}
                                for u, (_, vs) in USERS.items() for v in vs],
                "topic_permissions": [], "parameters": [], "global_parameters": [], "policies": [],
                "exchanges": [{"name": n, "vhost": v, "type": t, "durable": True, "auto_delete": False,
                               "internal": False, "arguments": {}} for v, n, t in EXCHANGES],
                "queues": [{"name": q, "vhost": v, "durable": True, "auto_delete": False, "arguments": {}}
                           for v, q, _, _ in QUEUES],
                "bindings": [{"source": ex, "vhost": v, "destination": q, "destination_type": "queue",
                              "routing_key": k, "arguments": {}} for v, q, ex, keys in QUEUES for k in keys]}
        with open(os.path.join(self.work, "definitions.json"), "w") as f:
            json.dump(defs, f, indent=2)
        for root, dirs, files in os.walk(self.work):  # the node runs as Debian's rabbitmq user
            for n in dirs + files:
                shutil.chown(os.path.join(root, n), "rabbitmq", "rabbitmq")
        shutil.chown(self.work, "rabbitmq", "rabbitmq")
        os.chmod(self.work, 0o750)
        os.chmod(os.path.join(self.work, "definitions.json"), 0o600)

    def start(self):
        for p in (PORT, EPMD_PORT, DIST_PORT):
            if not port_free(p):
                raise SystemExit("port %d is in use" % p)
        out = open(os.path.join(self.work, "stdout.log"), "wb")
        # our own port mapper on loopback (the node would start one as a daemon otherwise)
        self.epmd = subprocess.Popen(["epmd", "-port", str(EPMD_PORT), "-address", "127.0.0.1"], env=self.env,
                                     user="rabbitmq", group="rabbitmq", stdin=subprocess.DEVNULL, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        time.sleep(0.5)
        self.proc = subprocess.Popen([os.path.join(RMQ_BIN, "rabbitmq-server")], env=self.env, cwd=self.work,
                                     user="rabbitmq", group="rabbitmq", stdin=subprocess.DEVNULL, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        deadline = now() + 120
        while now() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("rabbitmq-server exited with %s" % self.proc.returncode)
            if os.path.exists(self.log):
                with open(self.log, encoding="utf-8", errors="replace") as f:
                    if "Server startup complete" in f.read():
                        return
            time.sleep(0.5)
        raise SystemExit("RabbitMQ did not start")

    def ctl(self, *args, check=True):
        r = subprocess.run([os.path.join(RMQ_BIN, "rabbitmqctl"), "-n", NODE, "-q"] + list(args), env=self.env,
                           cwd=self.work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=120)
        if check and r.returncode:
            raise RuntimeError("rabbitmqctl %s: %s" % (" ".join(args), r.stdout.decode(errors="replace")))
        return r.stdout.decode(errors="replace")

    def records(self, since=0.0):
        """The log's records since `since` (epoch seconds) as (epoch, level, text); a multi-line record has
        every line prefixed with the same timestamp, level and process, joined here with newlines."""
        out = []
        with open(self.log, encoding="utf-8", errors="replace") as f:
            for line in f:
                head, sep, msg = line.rstrip("\n").partition("] ")
                parts = head.split(" ")
                if not sep or len(parts) != 3:
                    continue
                pid, _, msg = msg.partition(" ")
                key = (parts[0], parts[1], parts[2], pid)
                if out and out[-1][0] == key:
                    out[-1][1].append(msg)
                else:
                    out.append((key, [msg]))
        recs = []
        for (d, t, lvl, pid), msgs in out:
            ts = self.epoch(d, t)
            if ts >= since:
                recs.append((ts, lvl.strip("["), "\n".join(msgs)))
        return recs

    @staticmethod
    def epoch(d, t):
        base = calendar.timegm(time.strptime(d + " " + t[:8], "%Y-%m-%d %H:%M:%S"))
        frac = t[8:].split("+")[0].split("-")[0]
        off = t[len(t) - 6:]  # +00:00
        sign = 1 if off[0] == "+" else -1
        return base + float("0" + frac) - sign * (int(off[1:3]) * 3600 + int(off[4:6]) * 60)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                self.ctl("stop", check=False)
            except (subprocess.TimeoutExpired, OSError):
                pass
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(20)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(5)
        stop_process(self.epmd, seconds=5)


# --- traffic ---

class Traffic:
    def __init__(self, services, passwords, seed):
        self.services, self.pw = services, passwords
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = []
        self.web_slots = threading.Semaphore(25)
        self.counts = {k: 0 for k in ("web", "web-drop", "web-fail", "cron", "export", "health", "health-fail",
                                      "admin", "typo", "not-found", "restart", "drop")}

    def count(self, k):
        with self.lock:
            self.counts[k] += 1

    def spawn(self, target, *args):
        t = threading.Thread(target=target, args=args, daemon=True)
        t.start()
        with self.lock:
            self.threads.append(t)
        return t

    def run(self):
        for s in self.services:
            self.spawn(s.run, self.stop, self.rng.random(), self.rng.uniform(0.0, 3.0))
        for f in (self.shop_web, self.cron, self.bi_export, self.health, self.admin, self.churn):
            self.spawn(f)

    def join(self, timeout):
        deadline = now() + timeout
        for t in list(self.threads):
            t.join(max(0.0, deadline - now()))

    def shop_web(self):
        """The PHP shop front end (php-amqplib): a connection per page request that reports a tracking event."""
        rng = random.Random(self.rng.random())
        for _ in poisson(0.4, self.stop, rng):
            if self.web_slots.acquire(blocking=False):
                self.spawn(self.web_request, rng.random())

    def web_request(self, seed):
        rng = random.Random(seed)
        try:
            c = Conn("127.0.0.%d" % rng.randint(41, 43), "shop-web", self.pw["shop-web"], "analytics", None, "php",
                     heartbeat=0)
            c.channel(1)
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                key = rng.choices(["web.pageview", "web.search", "web.add_to_cart", "web.checkout"],
                                  [70, 15, 10, 5])[0]
                c.publish(1, "events", key, json.dumps({"event": key, "ts": round(now(), 3),
                                                        "session": "%012x" % rng.getrandbits(48),
                                                        "path": rng.choice(["/", "/c/shoes", "/p/%d" % rng.randint(
                                                            1000, 9999), "/cart", "/search"])}))
            time.sleep(rng.uniform(0.02, 0.3))
            if rng.random() < 0.04:  # the PHP worker is killed (max_execution_time, pm.max_requests)
                c.drop()
                self.count("web-drop")
            else:
                c.close(timeout=3)
            self.count("web")
        except ERRORS:
            self.count("web-fail")
        finally:
            self.web_slots.release()

    def every(self, period, jitter, first):
        rng = random.Random(self.rng.random())
        nxt = now() + rng.uniform(*first)
        while not self.stop.is_set():
            self.stop.wait(max(0.0, min(1.0, nxt - now())))
            if now() >= nxt and not self.stop.is_set():
                nxt += period + rng.uniform(-jitter, jitter)
                yield rng

    def cron(self):
        """order-reminder cron job every minute: checks the e-mail queue's depth, sends cart reminders."""
        for rng in self.every(60, 1.5, (5, 40)):
            c = None
            try:
                c = Conn("127.0.0.61", "cron", self.pw["cron"], "shop", "order-reminder-cron", "pika")
                c.channel(1)
                c.queue(1, "notify.email", passive=True)
                for _ in range(rng.randint(3, 25)):
                    c.publish(1, "notifications", "email", json.dumps({"template": "cart_reminder", "channel": "email",
                                                                       "customer": rng.randint(1, 50000)}))
                c.close()
                self.count("cron")
            except ERRORS:
                if c:
                    c.drop()

    def bi_export(self, chunks=(10, 30)):
        """The BI export job every two minutes: table chunks for the warehouse loader."""
        for rng in self.every(120, 10, (20, 70)):
            c = None
            try:
                c = Conn("127.0.0.48", "bi-export", self.pw["bi-export"], "analytics", "bi-export", "java")
                c.channel(1)
                c.exchange(1, "exports", "direct")
                for i in range(rng.randint(*chunks)):
                    c.publish(1, "exports", "warehouse", os.urandom(rng.randint(8, 32) * 512), "application/x-ndjson")
                c.close()
                self.count("export")
            except ERRORS:
                if c:
                    c.drop()

    def health(self):
        """The monitoring host's aliveness check every 30 s: publish to a test queue and get it back."""
        for rng in self.every(30, 1, (2, 30)):
            c = None
            try:
                c = Conn("127.0.0.1", "monitoring", self.pw["monitoring"], "/", "nagios-check_rabbitmq", "pika",
                         timeout=8)
                c.channel(1)
                c.queue(1, "aliveness-test", durable=False)
                c.publish(1, "", "aliveness-test", "test", "text/plain", persistent=False)
                got = None
                for _ in range(3):
                    got = c.get(1, "aliveness-test")
                    if got:
                        break
                    time.sleep(0.1)
                c.close()
                self.count("health")
            except ERRORS:
                if c:
                    c.drop()
                self.count("health-fail")

    def admin(self):
        """An engineer now and then, from a workstation: looks at a queue (a mistyped password first, sometimes;
        sometimes a queue name that does not exist)."""
        rng = random.Random(self.rng.random())
        for _ in poisson(1 / 75.0, self.stop, rng):
            src = "127.0.0.%d" % rng.randint(90, 94)
            try:
                if rng.random() < 0.35:
                    try:
                        Conn(src, "admin", self.pw["admin"][:-2] + "x1", "/", None, "pika").close()
                    except AMQPError:
                        self.count("typo")
                    time.sleep(rng.uniform(3, 10))
                vhost, q, _, _ = rng.choice(QUEUES)
                if rng.random() < 0.3:
                    q = rng.choice(["orders.created.dlq", "notify.mail", "events.raw.retry", "orders.paid",
                                    "exports.warehouse.v2"])
                c = Conn(src, "admin", self.pw["admin"], vhost, None, "pika")
                c.channel(1)
                try:
                    c.queue(1, q, passive=True)
                except AMQPError:
                    self.count("not-found")
                time.sleep(rng.uniform(0.5, 5))
                c.close()
                self.count("admin")
            except ERRORS:
                pass

    def churn(self):
        """About one service restart every 45 s; every third one is killed without a Connection.Close."""
        rng = random.Random(self.rng.random())
        k = 0
        for _ in poisson(1 / 45.0, self.stop, rng):
            cands = [s for s in self.services if s.connected and not s.busy and not s.action]
            if cands:
                s = rng.choice(cands)
                s.action = "drop" if k % 3 == 1 else "restart"
                self.count(s.action)
                k += 1


# --- incidents ---

def hung_notifiers(notifiers, seconds):
    """The notifiers' SMTP relay stops answering and the pool hangs on it: no reads, no heartbeats."""
    start = now()
    for n in notifiers:
        n.busy = True
        n.hang_until = start + seconds
    sleep_until(start + seconds)
    deadline = now() + 30
    while now() < deadline and not all(n.connected and n.connect_times[-1] > start for n in notifiers):
        time.sleep(0.2)
    end = now()
    for n in notifiers:
        n.busy = False
    return start, end


def no_permission(traffic, server, svc, seconds):
    """A new service deployed with a user that has no permissions on its vhost yet; fixed after `seconds`."""
    server.ctl("add_user", "invoicing", svc.password)
    start = now()
    traffic.spawn(svc.run, traffic.stop, 70)
    sleep_until(start + seconds)
    server.ctl("set_permissions", "-p", "shop", "invoicing", ".*", ".*", ".*")
    fixed = now()
    deadline = now() + 20
    while now() < deadline and not svc.connected:
        time.sleep(0.2)
    end = now()
    traffic.services.append(svc)
    return start, fixed, end


def backfill(traffic, server, respond, rate=40.0):
    """A full re-export (backfill) of the BI data: 1 MB chunks, not persistent, as fast as the exporter goes,
    into exports.warehouse, whose loader takes two a second. When the memory alarm has gone off the on-call
    engineer stops the backfill after `respond` seconds and purges the queue."""
    state = {"sent": 0, "conn": None, "stop": threading.Event()}

    def pump():
        rng = random.Random(48)
        blobs = [os.urandom(1 << 20) for _ in range(8)]
        try:
            c = state["conn"] = Conn("127.0.0.48", "bi-export", traffic.pw["bi-export"], "analytics",
                                     "bi-export-backfill", "java")
            c.channel(1)
            nxt = now()
            while not state["stop"].is_set():
                c.poll(max(0.0, min(0.2, nxt - now())))
                if c.blocked:
                    continue
                if now() >= nxt:
                    c.publish(1, "exports", "warehouse", rng.choice(blobs), "application/x-ndjson", False)
                    state["sent"] += 1
                    nxt = max(nxt + 1.0 / rate, now() - 1)
        except ERRORS:
            pass

    start = now()
    t = traffic.spawn(pump)
    alarm = None
    while now() < start + 90 and alarm is None:
        time.sleep(1.0)
        recs = [r for r in server.records(start) if "memory resource limit alarm set" in r[2]]
        alarm = recs[0][0] if recs else None
    sleep_until((alarm or now()) + respond)
    stopped = now()
    state["stop"].set()
    if state["conn"]:
        state["conn"].drop()  # Ctrl-C on the exporter: no Connection.Close
    t.join(5)
    server.ctl("purge_queue", "-p", "analytics", "exports.warehouse")
    purged = now()
    deadline = now() + 120
    while now() < deadline:  # until the alarm has been clear for 10 s
        time.sleep(1.0)
        recs = [r for r in server.records(start) if "memory resource limit alarm set on node" in r[2]
                or "memory resource limit alarm cleared on node" in r[2]]
        if not recs or ("cleared on node" in recs[-1][2] and now() - recs[-1][0] > 10):
            break
    return start, alarm, stopped, purged, state["sent"]


def build(pw):
    def q(name):
        v, qn, ex, keys = next(x for x in QUEUES if x[1] == name)
        kind = next(k for vv, e, k in EXCHANGES if vv == v and e == ex)
        return (qn, ex, kind, keys)

    services = [Publisher("order-service-%d" % i, "127.0.0.%d" % (10 + i), "order-service", "shop", "java",
                          "orders", "topic", 3.0, order_message) for i in (1, 2)]
    for i in range(1, 7):
        queue = "orders.created" if i <= 3 else "orders.payment" if i <= 5 else "orders.shipping"
        services.append(OrderWorker("order-worker-%d" % i, "127.0.0.%d" % (20 + i), "order-worker", "shop", "pika",
                                    [q(queue)], 10))
    for i in (1, 2, 3):
        services.append(Consumer("notifier-%d" % i, "127.0.0.%d" % (30 + i), "notifier", "shop", "pika",
                                 [q("notify.email"), q("notify.sms"), q("notify.push")], 5, (0.02, 0.1),
                                 heartbeat=20))
    services.append(Publisher("event-collector", "127.0.0.51", "tracker", "analytics", "node", "events", "topic",
                              8.0, tracker_message))
    for i in (1, 2):
        services.append(EtlConsumer("analytics-etl-%d" % i, "127.0.0.%d" % (51 + i), "analytics-etl", "analytics",
                                    "pika", [q("events.raw")], 100))
    services.append(Consumer("warehouse-loader", "127.0.0.49", "warehouse-loader", "analytics", "java",
                             [q("exports.warehouse")], 1, (0.3, 0.6)))
    for s in services:
        s.password = pw[s.user]
    return services


def main():
    if not OUT:
        raise SystemExit(__doc__)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even when started in the background
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))       # so that the finally clause cleans up
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="logwarden-rabbitmq-", dir="/tmp")
    rng = random.Random(2026)
    pw = {u: "%016x" % rng.getrandbits(64) for u in USERS}
    server = RabbitMQ(work, os.environ.get("WATERMARK", "400MB"))
    services = build(pw)
    notifiers = [s for s in services if s.name.startswith("notifier-")]
    invoicing = Consumer("invoice-service", "127.0.0.70", "invoicing", "shop", "java",
                         [("invoices.pending", "orders", "topic", ["order.paid"])], 20)
    invoicing.password = "%016x" % rng.getrandbits(64)
    invoicing.retry = (1.0, 1.0)
    labels = Labels()
    labels.note("made by bench/real-logs/rabbitmq.py: real RabbitMQ 3.10.8 (Debian rabbitmq-server, Erlang 25) node "
                "%s, AMQP on 127.0.0.1:%d, RabbitMQ's default file log (level info), vm_memory_high_watermark "
                "400MB, users/vhosts/topology from load_definitions; the driver speaks AMQP 0-9-1 from 127.0.0.N: "
                "order services, workers, notifiers, an event collector, ETL consumers, a warehouse loader (~20 "
                "msg/s), a PHP front end connecting per request, cron and BI export jobs, a 30 s aliveness check, "
                "an engineer's look now and then (a rare mistyped password or unknown queue), ~1 service restart "
                "per 45 s (a third without Connection.Close); wall-clock times" % (NODE, PORT))
    traffic = None
    ok = False
    try:
        server.configure(pw)
        server.start()
        traffic = Traffic(services, pw, 2026)
        traffic.run()
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. the notifier pool hangs: missed heartbeats
        hang = max(70 * SCALE, 65.0)  # past 3 x the heartbeat of 20 s, whatever the scale
        h_start, h_end = hung_notifiers(notifiers, hang)
        sleep_until(h_end + 52 * SCALE)

        # 2. a new service without permissions on its vhost
        p_start, p_fixed, p_end = no_permission(traffic, server, invoicing, 40 * SCALE)
        sleep_until(p_end + 52 * SCALE)

        # 3. a backfill trips the memory alarm
        m_start, m_alarm, m_stopped, m_purged, m_sent = backfill(traffic, server, max(25 * SCALE, 15.0))
        sleep_until(now() + 55 * SCALE)

        traffic.stop.set()
        traffic.join(20)
        print("%s: counts %s; sent %s; handled %s; backfill %d MB, alarm %s" % (
            NAME, traffic.counts, sum(s.sent for s in services), sum(s.handled for s in services), m_sent,
            "%.0f s in" % (m_alarm - m_start) if m_alarm else "never"), file=sys.stderr)
        server.stop()

        recs = server.records()
        # 1
        hb = [r for r in recs if r[0] >= h_start and "missed heartbeats from client" in r[2]]
        back = [r for r in recs if (hb[0][0] if hb else h_start) <= r[0] <= h_end + 2
                and "user 'notifier' authenticated" in r[2]]
        labels.add("hung-notifiers", hb[0][0] if hb else h_start, max([r[0] for r in back + hb] + [h_end]),
                   "missed-heartbeats", "notifier|127.0.0.31|127.0.0.32|127.0.0.33|notifier-1|notifier-2|notifier-3",
                   "the notifier pool (notifier-1..3, user 'notifier' on 127.0.0.31-33, heartbeat 20 s, consuming "
                   "notify.email/sms/push) hangs for %d s on its stalled SMTP relay, sending nothing, not even "
                   "heartbeats: RabbitMQ closes %d of their connections with 'closing AMQP connection <...> "
                   "(127.0.0.3N:... - notifier-N): / missed heartbeats from client, timeout: 20s' (2-line error "
                   "records, %s s after the hang began); the pool reconnects when it recovers (%d 'accepting' + "
                   "'authenticated' sets from 127.0.0.31-33)"
                   % (round(hang), len(hb), "/".join(str(round(r[0] - h_start)) for r in hb), len(back)))
        # 2
        mine = [r for r in recs if p_start - 1 <= r[0] <= p_end + 2 and ("127.0.0.70:" in r[2] or "'invoicing'"
                                                                          in r[2])]
        refused = [r for r in mine if "access to vhost 'shop' refused for user 'invoicing'" in r[2]]
        ok_recs = [r for r in mine if "user 'invoicing' authenticated" in r[2]]
        first = next((r[0] for r in mine if "accepting AMQP connection" in r[2]), p_start)
        labels.add("vhost-access-refused", first, ok_recs[0][0] if ok_recs else p_end, "access-refused",
                   "invoicing|127.0.0.70|invoice-service",
                   "a new invoice-service (user 'invoicing', created just before with rabbitmqctl add_user, but "
                   "without permissions on vhost 'shop') is deployed on 127.0.0.70 and retries every second: %d "
                   "connections refused, each 'accepting AMQP connection', 'has a client-provided name: "
                   "invoice-service', a 2-line error 'Error on AMQP connection ... state: opening): access to vhost "
                   "'shop' refused for user 'invoicing'' and 'closing AMQP connection ... vhost: 'none''; after %d s "
                   "an admin runs set_permissions ('Successfully set permissions for 'invoicing'...') and it "
                   "connects" % (len(refused), round(p_fixed - p_start)))
        # 3
        mem = [r for r in recs if r[0] >= m_start and ("vm_memory_high_watermark" in r[2] or
                                                         "memory resource limit alarm" in r[2])]
        sets = [r for r in mem if "memory resource limit alarm set on node" in r[2]]
        clears = [r for r in mem if "memory resource limit alarm cleared on node" in r[2]]
        if mem:
            m_first, m_last = mem[0][0], mem[-1][0]
            killed = [r for r in recs if r[0] >= m_start and "closing AMQP connection" in r[2]
                      and "bi-export-backfill" in r[2]]
            m_last = max([m_last] + [r[0] for r in killed[:1]])
            drops = [r for r in recs if m_first <= r[0] <= m_last + 5 and ("client unexpectedly closed TCP" in r[2]
                                                                          or "{inet_error," in r[2])]
            m_end = max([m_last] + [r[0] for r in drops if r[0] >= m_last])
            labels.add("memory-alarm", m_first, m_end, "resource-alarm",
                       "memory|vm_memory_high_watermark|rabbit@localhost|exports.warehouse|bi-export|127.0.0.48",
                       "a full BI backfill (bi-export-backfill on 127.0.0.48, user 'bi-export') pushes 1 MB "
                       "non-persistent chunks into exports.warehouse (%d MB in all) faster than the warehouse "
                       "loader takes them: the node's memory passes its 400MB watermark and the memory alarm goes "
                       "off %d times and clears %d times ('vm_memory_high_watermark set. Memory used:... allowed:"
                       "400000000', the 7-line warning 'memory resource limit alarm set on node rabbit@localhost. "
                       "*** Publishers will be blocked until this alarm clears ***', '... alarm cleared on node', "
                       "'... cleared across the cluster'), publishing connections are blocked meanwhile; the "
                       "on-call kills the backfill (its connection logged 'client unexpectedly closed TCP connection' "
                       "once unblocked) and purges the queue %d s after the first alarm; %d closes of connections "
                       "that gave up while blocked or were killed ('client unexpectedly closed TCP connection', "
                       "'{inet_error,closed}') in the interval; the backfill connected %d s before the first alarm"
                       % (m_sent, len(sets), len(clears), round(m_purged - (m_alarm or m_start)), len(drops),
                          round((m_alarm or m_start) - m_start)))
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
        server.stop()
        if ok:
            keep_log(server.log, OUT, NAME, labels)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
