#!/usr/bin/env python3
"""Runs a real Eclipse Mosquitto (Debian mosquitto 2.0.11) MQTT broker as a factory's and logistics yard's IoT
message broker on 127.0.0.1, drives the devices' and back-end services' MQTT traffic through it, injects labelled
incidents and keeps Mosquitto's log exactly as it wrote it: log_dest file, Mosquitto's default log_type set (error,
warning, notice, information) and its default timestamp (epoch seconds: "1764676800: New connection from
127.0.0.5:40112 on port 19883."). The mosquitto.conf is Debian's default one (pid_file, persistence true with a
persistence_location, log_dest file, include_dir) with its paths in a /tmp work dir, plus `listener PORT 127.0.0.1`,
allow_anonymous false, a password_file made with mosquitto_passwd (one user per device and per service) and an
acl_file giving each device its own topic subtree (pattern readwrite factory/+/%c/#, pattern read cmd/%c/#) and
each service what it reads and writes. Started as root (`mosquitto -c CONF`), Mosquitto drops to Debian's
mosquitto user, which owns the work dir; stopped with SIGTERM. Standard library only: the driver speaks MQTT 3.1.1
itself over sockets (CONNECT, CONNACK, PUBLISH QoS 0/1, PUBACK, SUBSCRIBE, SUBACK, PINGREQ, DISCONNECT), each device
from its own source address; the monitoring checks use mosquitto_pub and mosquitto_sub.

usage: bench/real-logs/mosquitto.py OUTDIR [PORT]      (default port 19883)
  writes OUTDIR/mosquitto-g.log and OUTDIR/mosquitto-g.labels.tsv
  SCALE=0.2 multiplies every duration (a short run for testing)

Normal traffic (about 15 messages/s, each client a thread with Poisson or jittered timing):
  60 devices with persistent connections and a retained status and last will (factory/AREA/ID/status):
  temperature/humidity sensors sensor-hall1-NNN (127.0.0.10-19, keepalive 60), sensor-hall2-NNN (127.0.0.20-29,
  keepalive 60), sensor-hall3-NNN (127.0.0.30-44, keepalive 20) and sensor-dock-NN (127.0.0.50-54, keepalive 30),
  telemetry every 2-10 s at QoS 0 and a rare alarm at QoS 1; forklifts forklift-01..12 (127.0.0.60-71, keepalive 30,
  persistent sessions) with positions every 1-4 s, QoS 1 events and QoS 1 route commands from the fleet manager;
  conveyor PLCs plc-line1..8 (127.0.0.80-87, keepalive 15) with QoS 1 counters every 1-4 s and a retained line
  state now and then. Back-end services: telemetry-ingester (127.0.0.5, persistent session, factory/# at QoS 1),
  alert-service (127.0.0.6: alarms and statuses, publishes alerts/...), fleet-manager (127.0.0.8: factory/fleet/#,
  commands to cmd/forklift-NN/route); they ping at their keepalive. The control-room dashboard (127.0.0.7) connects
  every 30 s, reads the retained statuses and leaves; a monitoring check on the broker host (127.0.0.1) runs
  mosquitto_pub / mosquitto_sub (auto- client ids) every 60 s. Churn: about 4 devices a minute disconnect cleanly
  and come back 3-20 s later, and now and then one drops its connection without DISCONNECT ("closed its
  connection"); rarely a technician's laptop (127.0.0.90-94) mistypes its password once and then logs in.
Incidents (about 6.5 minutes in all: 90 s of normal traffic, each incident followed by at least 50 s of it):
  hall3-network   the network of hall 3 fails for 60 s: its 15 sensors (sensor-hall3-NNN on 127.0.0.30-44) go
                  silent without DISCONNECT; after 1.5 x their keepalive of 20 s Mosquitto logs "Client
                  sensor-hall3-NNN has exceeded timeout, disconnecting." for each, and they all reconnect when the
                  network is back (New connection from 127.0.0.3x/4x)
  duplicate-id    a second forklift flashed with the same client id forklift-08 (and its credentials) on 127.0.0.77
                  is switched on for 40 s: the two keep taking the id from each other ("Client forklift-08 already
                  connected, closing old connection.", a new connection from 127.0.0.77 or 127.0.0.67 each time)
  auth-failure    a second telemetry-ingester instance deployed on 127.0.0.9 with a stale password retries every
                  second for 40 s: "New connection from 127.0.0.9:..." and "Client <unknown> disconnected, not
                  authorised." each time (Mosquitto does not name refused clients)
"""
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
from drivers import Children, stop_process, wait_listening, now, sleep_until
from labels import Labels

OUT = os.path.abspath(sys.argv[1])
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19883
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "mosquitto-g"


# --- MQTT 3.1.1 ---

def mstr(s):
    b = s if isinstance(s, bytes) else s.encode()
    return struct.pack("!H", len(b)) + b


def packet(first, body=b""):
    n, rl = len(body), bytearray()
    while True:
        b = n % 128
        n //= 128
        rl.append(b | (128 if n else 0))
        if not n:
            return bytes([first]) + bytes(rl) + body


def parse(buf):
    """Takes the complete packets off the front of buf (a bytearray): a list of (type, flags, body)."""
    out = []
    while len(buf) >= 2:
        n, mult, i = 0, 1, 1
        while True:
            if i >= len(buf):
                return out
            b = buf[i]
            n += (b & 127) * mult
            mult *= 128
            i += 1
            if not b & 128:
                break
        if len(buf) < i + n:
            return out
        out.append((buf[0] >> 4, buf[0] & 15, bytes(buf[i:i + n])))
        del buf[:i + n]
    return out


class Refused(Exception):
    def __init__(self, rc):
        super().__init__("connection refused, CONNACK return code %d" % rc)
        self.rc = rc


class Client:
    """One MQTT 3.1.1 connection from a chosen source address."""

    def __init__(self, src, cid, user, password, keepalive, clean=True, will=None, timeout=10):
        s = socket.create_connection(("127.0.0.1", PORT), timeout, source_address=(src, 0))
        self.sock, self.buf, self.pending = s, bytearray(), []
        self.keepalive, self.next_id, self.received = keepalive, 0, 0
        self.last_out = now()
        flags, payload = (0x02 if clean else 0), mstr(cid)
        if will:
            topic, msg = will
            flags |= 0x04 | (1 << 3) | 0x20  # will, QoS 1, retained
            payload += mstr(topic) + mstr(msg)
        if user:
            flags |= 0x80
            payload += mstr(user)
        if password:
            flags |= 0x40
            payload += mstr(password)
        try:
            self.send(packet(0x10, mstr(b"MQTT") + bytes([4, flags]) + struct.pack("!H", keepalive) + payload))
            ack = self.wait(2, timeout)
        except OSError:
            self.close()
            raise
        if ack is None:
            self.close()
            raise ConnectionError("no CONNACK")
        if ack[2][1]:
            self.close()
            raise Refused(ack[2][1])

    def send(self, data):
        self.sock.sendall(data)
        self.last_out = now()

    def pid(self):
        self.next_id = self.next_id % 65535 + 1
        return self.next_id

    def publish(self, topic, payload, qos=0, retain=False):
        body = mstr(topic) + (struct.pack("!H", self.pid()) if qos else b"")
        body += payload if isinstance(payload, bytes) else payload.encode()
        self.send(packet(0x30 | (qos << 1) | (1 if retain else 0), body))

    def subscribe(self, topics, timeout=10):
        body = struct.pack("!H", self.pid()) + b"".join(mstr(t) + bytes([q]) for t, q in topics)
        self.send(packet(0x82, body))
        if self.wait(9, timeout) is None:
            raise ConnectionError("no SUBACK")

    def ping(self):
        self.send(packet(0xC0))

    def disconnect(self):
        try:
            self.send(packet(0xE0))
        except OSError:
            pass
        self.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def handle(self, pkts):
        """Acknowledges incoming QoS 1 messages; returns the packets."""
        for kind, flags, body in pkts:
            if kind == 3:
                self.received += 1
                if (flags >> 1) & 3:
                    tl = struct.unpack("!H", body[:2])[0]
                    self.send(packet(0x40, body[2 + tl:4 + tl]))
        return pkts

    def poll(self, timeout):
        """Waits up to timeout for data; returns the packets read. ConnectionError when the broker closed it."""
        if self.pending:
            p, self.pending = self.pending, []
            return self.handle(p)
        r, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not r:
            return []
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("closed by the broker")
        self.buf += data
        return self.handle(parse(self.buf))

    def wait(self, kind, timeout):
        """Reads until a packet of `kind` arrives (others are kept for poll); None on timeout."""
        deadline = now() + timeout
        while True:
            for i, p in enumerate(self.pending):
                if p[0] == kind:
                    del self.pending[i]
                    return p
            left = deadline - now()
            if left <= 0:
                return None
            r, _, _ = select.select([self.sock], [], [], left)
            if r:
                data = self.sock.recv(65536)
                if not data:
                    raise ConnectionError("closed by the broker")
                self.buf += data
                self.pending += parse(self.buf)

    def keepalive_due(self):
        return self.keepalive and now() - self.last_out >= self.keepalive * 0.9


# --- the clients ---

class Device:
    """A device (or service) with a persistent connection: connects, publishes its telemetry, pings when idle,
    reconnects after a dropped connection; obeys the churn and incident controls set on it."""

    def __init__(self, cid, src, kind, area, keepalive, clean=True, user=None, interval=(2, 10)):
        self.cid, self.src, self.kind, self.area = cid, src, kind, area
        self.user = user or cid
        self.password = None
        self.keepalive, self.clean, self.interval = keepalive, clean, interval
        self.action = None          # "churn" or "drop", set by the churn thread
        self.silent_until = 0.0     # the network gone: send nothing, read nothing
        self.busy = False           # in an incident: left alone by the churn
        self.connected = False
        self.connects = 0
        self.kicked = 0
        self.sent = 0
        self.received = 0
        self.state = {"count": 0, "x": 0.0, "y": 0.0, "batt": 100.0, "temp": 20.0}

    def base(self):
        return "factory/%s/%s" % (self.area, self.cid)

    def will(self):
        return (self.base() + "/status", json.dumps({"state": "offline", "reason": "lost"})) \
            if self.kind not in ("service",) else None

    def on_connect(self, c, rng):
        if self.kind == "service":
            return
        c.publish(self.base() + "/status", json.dumps({"state": "online", "fw": self.fw(rng)}), 1, True)
        if self.kind == "forklift":
            c.subscribe([("cmd/%s/#" % self.cid, 1)])
        elif self.kind == "plc":
            c.subscribe([("cmd/%s/#" % self.cid, 1)])
            c.publish(self.base() + "/state", rng.choice(["RUNNING", "RUNNING", "RUNNING", "IDLE"]), 1, True)

    def fw(self, rng):
        return {"sensor": "2.4.1", "forklift": "5.1.0", "plc": "3.2.7"}.get(self.kind, "1.0")

    def tick(self, c, rng):
        """One telemetry publication."""
        s, ts = self.state, round(now(), 1)
        if self.kind == "sensor":
            s["temp"] += rng.gauss(0, 0.15)
            c.publish(self.base() + "/telemetry", json.dumps({"ts": ts, "t": round(s["temp"], 2),
                                                              "rh": rng.randint(35, 60)}))
            if rng.random() < 0.004:
                c.publish(self.base() + "/alarm", json.dumps({"ts": ts, "alarm": rng.choice(
                    ["temp-high", "humidity-high", "battery-low"])}), 1)
        elif self.kind == "forklift":
            s["x"] = min(200.0, max(0.0, s["x"] + rng.uniform(-4, 4)))
            s["y"] = min(80.0, max(0.0, s["y"] + rng.uniform(-3, 3)))
            s["batt"] = max(5.0, s["batt"] - rng.uniform(0, 0.05))
            c.publish(self.base() + "/telemetry", json.dumps({"ts": ts, "x": round(s["x"], 1),
                                                              "y": round(s["y"], 1), "batt": round(s["batt"], 1)}))
            if rng.random() < 0.08:
                c.publish(self.base() + "/event", json.dumps({"ts": ts, "event": rng.choice(
                    ["pallet-picked", "pallet-dropped", "dock-arrived", "idle"]),
                    "pallet": "PAL-%06d" % rng.randint(1, 999999)}), 1)
        elif self.kind == "plc":
            s["count"] += rng.randint(1, 6)
            c.publish(self.base() + "/telemetry", json.dumps({"ts": ts, "count": s["count"],
                                                              "speed": round(rng.uniform(0.8, 1.4), 2)}), 1)
            if rng.random() < 0.01:
                c.publish(self.base() + "/state", rng.choice(["RUNNING", "IDLE", "STOPPED", "RUNNING"]), 1, True)
        self.sent += 1

    def session(self, c, rng, stop):
        """The connected loop; returns the pause before the next connection."""
        next_pub = now() + rng.uniform(0.2, self.interval[1])
        while not stop.is_set():
            if now() < self.silent_until:  # the network is down: nothing goes out, nothing comes in
                self.connected = False
                sleep_until(self.silent_until)
                c.close()
                return rng.uniform(0.2, 4.0)
            action, self.action = self.action, None
            if action == "churn":  # a clean restart: offline status, DISCONNECT, back a little later
                if self.kind != "service":
                    c.publish(self.base() + "/status", json.dumps({"state": "offline", "reason": "restart"}), 1, True)
                c.disconnect()
                return rng.uniform(3, 20)
            if action == "drop":  # out of radio coverage or a power cut: the connection just closes
                c.close()
                return rng.uniform(4, 25)
            due = [now() + 1.0]
            if self.kind != "service":
                due.append(next_pub)
            if c.keepalive:
                due.append(c.last_out + c.keepalive * 0.9)
            self.received += sum(1 for p in c.poll(min(due) - now()) if p[0] == 3)
            if self.kind != "service" and now() >= next_pub:
                self.tick(c, rng)
                next_pub = max(now(), next_pub + rng.uniform(*self.interval))
            if c.keepalive_due():
                c.ping()
            self.extra(c, rng)
        c.disconnect()  # switched off properly
        return 0

    def extra(self, c, rng):
        pass

    def subscriptions(self):
        return []

    def run(self, stop, seed, start_delay=0.0):
        rng = random.Random(seed)
        time.sleep(start_delay)
        while not stop.is_set():
            if now() < self.silent_until:
                sleep_until(self.silent_until + rng.uniform(0.2, 4.0))
                continue
            try:
                c = Client(self.src, self.cid, self.user, self.password, self.keepalive, self.clean, self.will())
            except (OSError, Refused):
                time.sleep(rng.uniform(2, 6))
                continue
            self.connects += 1
            try:
                subs = self.subscriptions()
                if subs:
                    c.subscribe(subs)
                self.on_connect(c, rng)
                self.connected = True
                pause = self.session(c, rng, stop)
            except OSError:  # closed by the broker (another client took the id) or reset
                self.kicked += 1
                c.close()
                pause = rng.uniform(1.0, 3.0)
            self.connected = False
            if stop.is_set():
                c.close()
                return
            time.sleep(pause)


class Service(Device):
    def __init__(self, cid, src, user, keepalive, subs, clean=True):
        super().__init__(cid, src, "service", "-", keepalive, clean, user)
        self.subs = subs
        self.next_extra = 0.0

    def subscriptions(self):
        return self.subs


class AlertService(Service):
    def extra(self, c, rng):  # forwards the alarms it received to alerts/
        if c.received and now() >= self.next_extra:
            self.next_extra = now() + rng.uniform(20, 60)
            c.publish("alerts/open", json.dumps({"ts": round(now(), 1), "open": rng.randint(0, 4)}), 1)


class FleetManager(Service):
    def __init__(self, *a, forklifts=(), **kw):
        super().__init__(*a, **kw)
        self.forklifts = list(forklifts)

    def extra(self, c, rng):  # route commands to the forklifts, about one every 6 s
        if now() >= self.next_extra:
            if self.next_extra:
                f = rng.choice(self.forklifts)
                c.publish("cmd/%s/route" % f, json.dumps({"route": "R-%04d" % rng.randint(1, 9999),
                                                          "from": "dock-%02d" % rng.randint(1, 5),
                                                          "to": "rack-%s%02d" % (rng.choice("ABCDEFG"),
                                                                                 rng.randint(1, 40))}), 1)
            self.next_extra = now() + rng.expovariate(1 / 6.0)


def fleet():
    rng = random.Random(883)
    devices = []
    for hall, base, n, ka in (("hall1", 10, 10, 60), ("hall2", 20, 10, 60), ("hall3", 30, 15, 20)):
        for i, num in enumerate(sorted(rng.sample(range(1, 140), n))):
            devices.append(Device("sensor-%s-%03d" % (hall, num), "127.0.0.%d" % (base + i), "sensor", hall, ka,
                                  interval=(2, 10)))
    for i in range(5):
        devices.append(Device("sensor-dock-%02d" % (i + 1), "127.0.0.%d" % (50 + i), "sensor", "docks", 30,
                              interval=(3, 10)))
    for i in range(12):
        devices.append(Device("forklift-%02d" % (i + 1), "127.0.0.%d" % (60 + i), "forklift", "fleet", 30,
                              clean=False, interval=(1, 4)))
    for i in range(8):
        devices.append(Device("plc-line%d" % (i + 1), "127.0.0.%d" % (80 + i), "plc", "line%d" % (i + 1), 15,
                              interval=(1, 4)))
    return devices


# --- Mosquitto ---

CONF = """\
# Debian's /etc/mosquitto/mosquitto.conf, with its paths in the work dir
# Place your local configuration in {work}/conf.d/
#
# A full description of the configuration file is at
# /usr/share/doc/mosquitto/examples/mosquitto.conf.example

pid_file {work}/mosquitto.pid

persistence true
persistence_location {work}/data/

log_dest file {work}/log/mosquitto.log

include_dir {work}/conf.d
"""

LOCAL_CONF = """\
# the plant's broker: devices and services on the plant network, every client with its own credentials
listener {port} 127.0.0.1
allow_anonymous false
password_file {work}/passwd
acl_file {work}/acl
"""

ACL = """\
# back-end services
user ingester
topic read factory/#

user alert-service
topic read factory/+/+/alarm
topic read factory/+/+/status
topic write alerts/#

user fleet-manager
topic read factory/fleet/#
topic write cmd/#

user dashboard
topic read factory/+/+/status
topic read factory/+/+/telemetry

user monitor
topic readwrite ops/healthcheck/#
topic read $SYS/#

user maintenance
topic read factory/#
topic read cmd/#

# every device publishes in its own subtree factory/<area>/<client id>/ and reads its commands
pattern readwrite factory/+/%c/#
pattern read cmd/%c/#
"""


class Mosquitto:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "mosquitto.conf")
        self.log = os.path.join(work, "log", "mosquitto.log")
        self.proc = None
        for d in ("data", "log", "conf.d"):
            os.makedirs(os.path.join(work, d))
        with open(self.conf, "w") as f:
            f.write(CONF.format(work=work))
        with open(os.path.join(work, "conf.d", "plant.conf"), "w") as f:
            f.write(LOCAL_CONF.format(work=work, port=PORT))
        with open(os.path.join(work, "acl"), "w") as f:
            f.write(ACL)

    def users(self, creds):
        path = os.path.join(self.work, "passwd")
        for i, (user, password) in enumerate(creds):
            args = ["mosquitto_passwd", "-b"] + (["-c"] if i == 0 else []) + [path, user, password]
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL)

    def start(self):
        os.chmod(self.work, 0o755)
        for root, dirs, files in os.walk(self.work):  # Mosquitto drops to the mosquitto user, like Debian's
            for n in dirs + files:
                shutil.chown(os.path.join(root, n), "mosquitto", "mosquitto")
        shutil.chown(self.work, "mosquitto", "mosquitto")
        for n in ("passwd", "acl"):
            os.chmod(os.path.join(self.work, n), 0o600)
        self.proc = subprocess.Popen(["mosquitto", "-c", self.conf], cwd=self.work, stdin=subprocess.DEVNULL)
        wait_listening(self.proc, "mosquitto", (PORT,))

    def lines(self, since, match):
        """The times of the log's lines since `since` (epoch seconds) whose message satisfies match."""
        out = []
        with open(self.log, encoding="utf-8", errors="replace") as f:
            for line in f:
                ts, sep, msg = line.rstrip("\n").partition(": ")
                if sep and ts.isdigit() and int(ts) >= int(since) and match(msg):
                    out.append(int(ts))
        return out

    def stop(self):
        stop_process(self.proc)


# --- traffic ---

class Traffic:
    def __init__(self, devices, services, creds, seed):
        self.devices, self.services, self.creds = devices, services, creds
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.children = Children()
        self.counts = {"churn": 0, "drop": 0, "dashboard": 0, "monitor": 0, "typo": 0}

    def count(self, k):
        with self.lock:
            self.counts[k] += 1

    def churn(self):
        """About four devices a minute restart cleanly; now and then one loses its connection."""
        rng = random.Random(self.rng.random())
        deck = []
        for _ in poisson(4 / 60.0, self.stop, rng):
            for _ in range(len(self.devices)):  # the devices in turn, in a shuffled order, skipping the busy ones
                if not deck:
                    deck = list(self.devices)
                    rng.shuffle(deck)
                d = deck.pop()
                if not (d.busy or not d.connected or d.action):
                    break
            else:
                continue
            drop = rng.random() < (0.35 if d.kind == "forklift" else 0.12)
            d.action = "drop" if drop else "churn"
            self.count(d.action)

    def dashboard(self):
        """The control-room dashboard: every 30 s it reads the retained statuses and leaves."""
        rng = random.Random(self.rng.random())
        nxt = now() + rng.uniform(3, 30)
        while not self.stop.is_set():
            sleep_until(min(nxt, now() + 1))
            if now() < nxt:
                continue
            nxt += rng.uniform(29, 31)
            try:
                c = Client("127.0.0.7", "dashboard-%06x" % rng.getrandbits(24), "dashboard",
                           self.creds["dashboard"], 60)
                c.subscribe([("factory/+/+/status", 0)])
                end = now() + rng.uniform(1.0, 2.5)
                while now() < end:
                    c.poll(end - now())
                c.disconnect()
                self.count("dashboard")
            except (OSError, Refused):
                pass

    def monitor(self):
        """The broker host's monitoring: mosquitto_pub and mosquitto_sub (automatic client ids) every 60 s."""
        rng = random.Random(self.rng.random())
        nxt = now() + rng.uniform(10, 40)
        base = ["-h", "127.0.0.1", "-p", str(PORT), "-u", "monitor", "-P", self.creds["monitor"]]
        k = 0
        while not self.stop.is_set():
            sleep_until(min(nxt, now() + 1))
            if now() < nxt:
                continue
            nxt += 60
            k += 1
            if k % 2:
                args = ["mosquitto_pub"] + base + ["-q", "1", "-t", "ops/healthcheck/broker",
                                                   "-m", json.dumps({"ts": int(now()), "check": k})]
            else:
                args = ["mosquitto_sub"] + base + ["-C", "1", "-W", "5", "-t", "$SYS/broker/uptime"]
            try:
                p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                self.children.add(p)
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
                self.children.discard(p)
                self.count("monitor")
            except OSError:
                pass

    def technician(self):
        """A technician's laptop now and then: a mistyped password first, then a short look at the data."""
        rng = random.Random(self.rng.random())
        for _ in poisson(1 / 150.0, self.stop, rng):
            src = "127.0.0.%d" % rng.randint(90, 94)
            cid = rng.choice(["mqtt-explorer-%08x", "mqttx_%08x", "MQTT_FX_Client_%08x"]) % rng.getrandbits(32)
            try:
                try:
                    Client(src, cid, "maintenance", self.creds["maintenance"][:-1] + "x", 60).close()
                except Refused:
                    self.count("typo")
                time.sleep(rng.uniform(4, 12))
                c = Client(src, cid, "maintenance", self.creds["maintenance"], 60)
                c.subscribe([(rng.choice(["factory/hall1/#", "factory/hall2/#", "factory/fleet/#",
                                          "factory/+/+/status", "cmd/#"]), 0)])
                end = now() + rng.uniform(10, 40)
                while now() < end and not self.stop.is_set():
                    c.poll(min(1.0, end - now()))
                c.disconnect()
            except (OSError, Refused):
                pass

    def run(self):
        ts = []
        for i, d in enumerate(self.services + self.devices):
            delay = 0.0 if d.kind == "service" else self.rng.uniform(0.5, 8.0)
            ts.append(threading.Thread(target=d.run, args=(self.stop, self.rng.random(), delay), daemon=True))
        for f in (self.churn, self.dashboard, self.monitor, self.technician):
            ts.append(threading.Thread(target=f, daemon=True))
        for t in ts:
            t.start()
        return ts


# --- incidents ---

def hall_outage(hall, seconds):
    """The hall's network fails: its devices go silent (no DISCONNECT) until it is back, then reconnect."""
    start = now()
    for d in hall:
        d.busy = True
        d.silent_until = start + seconds
    sleep_until(start + seconds)
    deadline = now() + 30
    while now() < deadline and not all(d.connected for d in hall):
        time.sleep(0.2)
    end = now()
    for d in hall:
        d.busy = False
    return start, end


def duplicate_id(orig, seconds, src="127.0.0.77"):
    """A second forklift flashed with the same client id and credentials, switched on for `seconds`."""
    clone = Device(orig.cid, src, orig.kind, orig.area, orig.keepalive, orig.clean, interval=orig.interval)
    clone.password = orig.password
    orig.busy = True
    off = threading.Event()
    start = now()
    t = threading.Thread(target=clone.run, args=(off, 77), daemon=True)
    t.start()
    sleep_until(start + seconds)
    off.set()
    t.join(10)
    # the clone switched off (its last connection ended with a DISCONNECT); the original takes the id back
    deadline = now() + 15
    while now() < deadline and not orig.connected:
        time.sleep(0.2)
    end = now()
    orig.busy = False
    return start, end, clone.connects


def stale_password(seconds, cid, user, password, src="127.0.0.9"):
    """A service instance deployed with a stale password: refused, retried every second."""
    start, tries, refused = now(), 0, 0
    while now() < start + seconds:
        tries += 1
        try:
            Client(src, cid, user, password, 60, clean=False).disconnect()
        except Refused:
            refused += 1
        except OSError:
            pass
        time.sleep(1.0)
    return start, now(), tries, refused


def main():
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even when started in the background
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))       # so that the finally clause cleans up
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="logwarden-mosquitto-", dir="/tmp")
    broker = Mosquitto(work)
    rng = random.Random(2026)
    devices = fleet()
    creds = {}
    for d in devices:
        d.password = creds[d.cid] = "%012x" % rng.getrandbits(48)
    for u in ("ingester", "alert-service", "fleet-manager", "dashboard", "monitor", "maintenance"):
        creds[u] = "%016x" % rng.getrandbits(64)
    services = [Service("telemetry-ingester", "127.0.0.5", "ingester", 60, [("factory/#", 1)], clean=False),
                AlertService("alert-service", "127.0.0.6", "alert-service", 60,
                             [("factory/+/+/alarm", 1), ("factory/+/+/status", 1)]),
                FleetManager("fleet-manager", "127.0.0.8", "fleet-manager", 45, [("factory/fleet/#", 0)],
                             forklifts=[d.cid for d in devices if d.kind == "forklift"])]
    for s in services:
        s.password = creds[s.user]
    hall3 = [d for d in devices if d.area == "hall3"]
    forklift = next(d for d in devices if d.cid == "forklift-08")
    labels = Labels()
    labels.note("made by bench/real-logs/mosquitto.py: real Eclipse Mosquitto 2.0.11 (Debian) on 127.0.0.1:%d, "
                "Debian's mosquitto.conf with a listener, password_file and acl_file, default log_type and "
                "timestamps; 60 devices (sensors, forklifts, conveyor PLCs) on 127.0.0.10-87 with persistent "
                "connections publishing telemetry (~15 msg/s), ingester/alert/fleet services on 127.0.0.5-8, a "
                "dashboard every 30 s, monitoring with mosquitto_pub/sub every 60 s, ~4 device reconnects a "
                "minute, a rare mistyped password; wall-clock times" % PORT)
    traffic = None
    ok = False
    try:
        broker.users(sorted(creds.items()))
        broker.start()
        traffic = Traffic(devices, services, creds, 2026)
        threads = traffic.run()
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. hall 3's network fails: its sensors time out, then reconnect
        seconds = max(60 * SCALE, 38.0)  # past 1.5 x keepalive 20 s, whatever the scale
        start, end = hall_outage(hall3, seconds)
        timeouts = broker.lines(start - 1, lambda m: m.startswith("Client sensor-hall3-")
                                and m.endswith("has exceeded timeout, disconnecting."))
        first = min(timeouts) if timeouts else start  # the log shows it from the first timeout on
        labels.add("hall3-network", first, end + 1, "keepalive-timeout",
                   "sensor-hall3|hall3|127.0.0.30-44|factory/hall3",
                   "hall 3's network down for %d s: its %d sensors (sensor-hall3-NNN on 127.0.0.30-44, keepalive "
                   "20) go silent without DISCONNECT, Mosquitto logs 'Client sensor-hall3-NNN has exceeded timeout, "
                   "disconnecting.' %d times from %d s in, and all reconnect %d s after the outage began"
                   % (round(seconds), len(hall3), len(timeouts), round(first - start), round(end - start)))
        sleep_until(end + 52 * SCALE)

        # 2. a second forklift with the same client id
        start, end, clone_connects = duplicate_id(forklift, 40 * SCALE)
        labels.add("duplicate-id", start, end + 1, "duplicate-client-id", "forklift-08|127.0.0.77",
                   "a second forklift flashed with client id forklift-08 is switched on at 127.0.0.77 for %d s: the "
                   "two take the id from each other (%d connections from 127.0.0.77, %d of the original on "
                   "127.0.0.67 kicked), each time 'Client forklift-08 already connected, closing old connection.'"
                   % (round(40 * SCALE), clone_connects, forklift.kicked))
        sleep_until(end + 52 * SCALE)

        # 3. a second ingester instance with a stale password
        start, end, tries, refused = stale_password(40 * SCALE, "telemetry-ingester-2", "ingester",
                                                    creds["ingester"][::-1])
        labels.add("auth-failure", start, end + 1, "auth-failure", "127.0.0.9",
                   "a second telemetry-ingester instance on 127.0.0.9 deployed with a stale password retries every "
                   "second for %d s: %d connections from 127.0.0.9, each 'Client <unknown> disconnected, not "
                   "authorised.'" % (round(end - start), refused))
        sleep_until(end + 55 * SCALE)

        broker.stop()  # the broker stops with its clients connected, as a maintenance stop would
        traffic.stop.set()
        deadline = now() + 10  # the Poisson threads may be asleep till their next arrival: daemons, not waited for
        for t in threads:
            t.join(max(0.0, deadline - now()))
        sent = sum(d.sent for d in devices)
        print("%s: %d device messages, %d ingested, counts %s, %d hall-3 devices, forklift-08 kicked %d times, "
              "%d stale-password tries" % (NAME, sent, services[0].received, traffic.counts, len(hall3),
                                           forklift.kicked, tries), file=sys.stderr)
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
            traffic.children.kill()
        broker.stop()
        if ok:
            shutil.copy(broker.log, os.path.join(OUT, NAME + ".log"))
            labels.write(os.path.join(OUT, NAME + ".labels.tsv"))
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
