#!/usr/bin/env python3
"""Runs a real Prosody (Debian prosody 0.12) as a small company's XMPP chat server on 127.0.0.1, drives its users'
clients through it, injects labelled incidents and keeps Prosody's own log exactly as it wrote it: `log = { info =
"WORK/run/prosody.log"; }`, Prosody's default file format ("Dec 03 15:50:25 c2s555df4b3a250\tinfo\tAuthenticated as
alice@chat.example.test"; at level info Prosody logs each connection, its TLS, its authentication and its end with
the reason, plus module warnings and storage errors, but no client address and no failed authentication).

Prosody runs as `prosody -F --config WORK/prosody.cfg.lua` as Debian's prosody user (it refuses to run as root),
stopped with SIGTERM. Its config: c2s on 127.0.0.1:PORT only (s2s disabled, no HTTP), one VirtualHost
chat.example.test with internal_hashed authentication and internal (file) storage under WORK/data, a self-signed
certificate made with openssl (STARTTLS offered, c2s_require_encryption = false and allow_unencrypted_plain_auth =
true for the two legacy clients of a loopback lab), the usual modules (roster, saslauth, tls, disco, carbons, pep,
private, blocklist, vcard4, vcard_legacy, version, uptime, time, ping, posix, smacks, offline, lastactivity, mam,
csi_simple), TZ=UTC. The 42 accounts are made with `prosodyctl --config ... register` before the start.

usage: bench/real-logs/prosody.py OUTDIR [PORT]      (default port 20197)
  writes OUTDIR/prosody-n.log (gzipped over 1 MB) and OUTDIR/prosody-n.labels.tsv
  SCALE=0.1 multiplies every duration (a short run for testing)

Normal traffic (a hand-written XMPP client over TCP: stream, STARTTLS, SASL PLAIN, resource bind, roster get,
presence, carbons, chat messages, iq ping, vCard and bookmarks now and then, roster adds and removals):
  14 office staff on desktops 127.0.0.101-114 (long sessions, 60-240 s, mostly closed cleanly with </stream:stream>,
  now and then a crash or sleep that drops the TCP connection: "Client disconnected: unexpected eof while reading");
  26 remote and field staff on phones 127.0.0.151-176 and home laptops 127.0.0.201-226 (short sessions, 15-90 s; the
  phones drop the connection without closing the stream half the time, as mobile clients do); two of them use an
  old client without STARTTLS; about one login in 25 mistypes the password first (a SASL failure, then the right
  one on the same stream, which Prosody does not log at info); the monitoring check (127.0.0.2, account monitor)
  logs in, pings and leaves every 15 s; the alert bot (127.0.0.30, account alerts) posts cron alerts to the ops
  people every 20-40 s; messages to users who are offline go to offline storage; MAM archives every chat message;
  one routine admin action: a SIGHUP (log rotation by logrotate's postrotate), which makes Prosody reload its config.
Incidents (about 9 minutes in all: 90 s of normal traffic, 55-70 s of it after each incident):
  password-guessing  a bot on 127.0.0.66 guesses passwords for 10 accounts (the real admin, alice, bob, ... and
                     names that do not exist) for 45 s: 6 parallel connections, each STARTTLS then three SASL PLAIN
                     guesses, then it drops the connection; at info Prosody logs only "Client connected", "Stream
                     encrypted (...)" and "Client disconnected: unexpected eof while reading" for each, never
                     "Authenticated as": a burst of unauthenticated sessions
  storage-readonly   an admin restores the host's data directory from a backup as root (root:prosody, 0750/0640):
                     Prosody can still read but no longer write, for 60 s: each archived message, offline message,
                     roster change, vCard or bookmark save fails: "Unable to write to archive storage ('...:
                     Permission denied') for user: NAME@chat.example.test", "Could not archive stanza: ..." and the
                     like, until the ownership is fixed (chown -R prosody:prosody)
  office-uplink-flap the office's uplink flaps for about 40 s (three outages of 6-8 s): each time all the office
                     desktops' (127.0.0.101-114) TCP connections are reset at once, and they all reconnect at once
                     when the link is back: bursts of "Client disconnected: connection closed" then of "Client
                     connected"/"Stream encrypted"/"Authenticated as" for the office accounts
Needs (Debian): prosody, openssl. Standard library only.
"""
import base64
import datetime
import os
import random
import re
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from drivers import begin, now, sleep_until, wait_listening, stop_process, run_workers, keep_log  # noqa: E402
from labels import Labels  # noqa: E402

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 20197
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "prosody-n"
HOST = "chat.example.test"
NS = "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'"
ERRORS = (OSError, TimeoutError, ConnectionError, ssl.SSLError, ValueError)

OFFICE = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj",
          "olivia", "peggy"]
REMOTE = ["quentin", "rupert", "sybil", "trent", "ursula", "victor", "walter", "xena", "yvonne", "zack", "amir",
          "bianca", "chen", "dmitri", "elena", "farid", "gita", "hugo", "ingrid", "jonas", "kofi", "lena", "marco",
          "nadia", "oscar", "priya"]
LEGACY = {"walter", "kofi"}          # an old client without STARTTLS
OPS = ["admin", "dave", "frank", "chen"]
USERS = OFFICE + REMOTE
ACCOUNTS = USERS + ["admin", "monitor", "alerts"]
MONITOR, ALERTS, ATTACKER = "127.0.0.2", "127.0.0.30", "127.0.0.66"
GUESSED = ["admin", "alice", "bob", "root", "test", "carol", "support", "dave", "info", "grace"]
WORDS = ["123456", "password", "qwerty", "admin", "letmein", "Welcome1", "changeme", "Passw0rd", "Summer2026",
         "xmpp", "chat123", "iloveyou", "dragon", "monkey", "111111"]
PHRASES = ["ok", "on my way", "can you check the ticket?", "lunch?", "meeting moved to 3pm", "thanks!",
           "the build is green again", "see the doc I shared", "calling you in 5", "done", "sounds good",
           "did the customer reply?", "I'll be late tomorrow", "pushed the fix", "who has the release notes?"]


def password(user):
    return "pw-%s-%d" % (user, sum(map(ord, user)) * 7919 % 100000)


def source(user, device):
    if user in OFFICE:
        return "127.0.0.%d" % (101 + OFFICE.index(user))
    i = REMOTE.index(user)
    return "127.0.0.%d" % ((151 if device == "phone" else 201) + i)


class XC:
    """A minimal XMPP client: the XML stream read as text (markers searched in a buffer), STARTTLS, SASL PLAIN,
    resource binding, then stanzas as text."""

    def __init__(self, src, timeout=10):
        s = socket.socket()
        s.settimeout(timeout)
        s.bind((src, 0))
        s.connect(("127.0.0.1", PORT))
        self.raw = s
        self.s = s
        self.buf = ""
        self.n = 0
        self.jid = None

    def send(self, x):
        self.s.sendall(x.encode())

    def wait(self, *marks, timeout=10):
        end = now() + timeout
        while True:
            for m in marks:
                i = self.buf.find(m)
                if i >= 0:
                    j = self.buf.find(">", i)
                    out, self.buf = self.buf[:j + 1], self.buf[j + 1:]
                    return m, out
            if now() > end:
                raise TimeoutError("waiting for %s" % (marks,))
            self.s.settimeout(max(0.1, end - now()))
            d = self.s.recv(65536)
            if not d:
                raise ConnectionError("closed by server")
            self.buf += d.decode("utf-8", "replace")

    def open(self):
        self.send("<?xml version='1.0'?><stream:stream to='%s' xml:lang='en' %s>" % (HOST, NS))
        return self.wait("</stream:features>")[1]

    def starttls(self):
        self.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        self.wait("<proceed")
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        self.s = ctx.wrap_socket(self.raw, server_hostname=HOST)
        self.buf = ""
        return self.open()

    def auth(self, user, pw):
        blob = base64.b64encode(("\0%s\0%s" % (user, pw)).encode()).decode()
        self.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>%s</auth>" % blob)
        return self.wait("<success", "<failure")[0] == "<success"

    def id(self):
        self.n += 1
        return "%x%d" % (id(self) & 0xffff, self.n)

    def iq(self, kind, body, wait=True):
        i = self.id()
        self.send("<iq type='%s' id='%s'>%s</iq>" % (kind, i, body))
        if wait:
            self.wait("id='%s'" % i, 'id="%s"' % i)

    def bind(self, user, res):
        self.open()
        self.iq("set", "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>%s</resource></bind>" % res)
        self.jid = "%s@%s/%s" % (user, HOST, res)

    def drain(self, t=0.05):
        try:
            self.s.settimeout(t)
            d = self.s.recv(65536)
            if not d:
                raise ConnectionError("closed by server")
            self.buf = (self.buf + d.decode("utf-8", "replace"))[-20000:]
        except (socket.timeout, ssl.SSLWantReadError):
            pass

    def close(self):
        try:
            self.send("</stream:stream>")
            self.wait("</stream:stream>", timeout=3)
        except ERRORS:
            pass
        self.s.close()

    def drop(self):
        """The TCP connection just ends (no </stream:stream>, no TLS close_notify): a phone losing its network."""
        self.s.close()

    def reset(self):
        """A reset (RST): what a middlebox losing its state table does to a connection."""
        try:
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        finally:
            self.s.close()


class UplinkDown(Exception):
    """The office uplink went down under a session."""


def login(src, user, pw, res, tls=True, typo=False):
    c = XC(src)
    try:
        c.open()
        if tls:
            c.starttls()
        if typo:
            c.auth(user, pw[:-1] + "x")
        if not c.auth(user, pw):
            c.close()
            raise ValueError("auth failed for %s" % user)
        c.bind(user, res)
    except BaseException:
        c.s.close()
        raise
    return c


class Prosody:
    def __init__(self, work):
        self.work = work
        self.data = os.path.join(work, "data")
        self.run = os.path.join(work, "run")
        self.log = os.path.join(self.run, "prosody.log")
        self.conf = os.path.join(work, "prosody.cfg.lua")
        self.hostdir = os.path.join(self.data, HOST.replace(".", "%2e"))
        self.proc = None

    def setup(self):
        certs = os.path.join(self.work, "certs")
        for d in (self.data, self.run, certs):
            os.makedirs(d)
            shutil.chown(d, "prosody", "prosody")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365", "-subj",
                        "/CN=" + HOST, "-addext", "subjectAltName=DNS:" + HOST,
                        "-keyout", os.path.join(certs, HOST + ".key"), "-out", os.path.join(certs, HOST + ".crt")],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for f in os.listdir(certs):
            shutil.chown(os.path.join(certs, f), "prosody", "prosody")
        os.chmod(os.path.join(certs, HOST + ".key"), 0o640)
        with open(self.conf, "w") as f:
            f.write("""-- chat.example.test (lab copy)
admins = { "admin@%(host)s" }
pidfile = "%(run)s/prosody.pid"
data_path = "%(data)s"
certificates = "%(work)s/certs"
log = { info = "%(log)s"; }
interfaces = { "127.0.0.1" }
c2s_ports = { %(port)d }
c2s_direct_tls_ports = { }
legacy_ssl_ports = { }
modules_enabled = {
  "roster"; "saslauth"; "tls"; "disco"; "carbons"; "pep"; "private"; "blocklist"; "vcard4"; "vcard_legacy";
  "version"; "uptime"; "time"; "ping"; "posix"; "smacks"; "offline"; "lastactivity"; "mam"; "csi_simple";
}
modules_disabled = { "s2s" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
storage = "internal"
archive_expires_after = "1w"

VirtualHost "%(host)s"
""" % dict(host=HOST, run=self.run, data=self.data, work=self.work, log=self.log, port=PORT))
        os.chmod(self.conf, 0o644)
        for u in ACCOUNTS:
            subprocess.run(["prosodyctl", "--config", self.conf, "register", u, HOST, password(u)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env())

    def env(self):
        return {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "TZ": "UTC", "HOME": self.run, "LANG": "C.UTF-8"}

    def version(self):
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "prosody"], capture_output=True, text=True)
        return out.stdout.strip()

    def start(self):
        self.proc = subprocess.Popen(["prosody", "-F", "--config", self.conf], user="prosody", group="prosody",
                                     extra_groups=[], env=self.env(), cwd=self.run, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_listening(self.proc, "prosody", [PORT])
        time.sleep(0.5)

    def hup(self):
        self.proc.send_signal(1)

    def stop(self):
        stop_process(self.proc)

    def set_owner(self, user, dmode, fmode):
        for root, dirs, files in os.walk(self.hostdir):
            shutil.chown(root, user, "prosody")
            os.chmod(root, dmode)
            for f in files:
                p = os.path.join(root, f)
                shutil.chown(p, user, "prosody")
                os.chmod(p, fmode)


class Traffic:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.counts = {}
        self.link_down = threading.Event()     # the office uplink
        self.online = set()
        self.office_log = []                    # (time, user, "reset"|"auth") during the flap
        self.watch_office = False
        self.threads = []

    def count(self, k, n=1):
        with self.lock:
            self.counts[k] = self.counts.get(k, 0) + n

    def pause(self, seconds):
        return self.stop.wait(seconds)

    def chat(self, c, user, rng, until, office):
        """A session's life: roster, presence, carbons, then messages, pings and now and then a storage change."""
        c.iq("get", "<query xmlns='jabber:iq:roster'/>")
        c.send("<presence><priority>%d</priority></presence>" % (5 if office else 1))
        c.iq("set", "<enable xmlns='urn:xmpp:carbons:2'/>")
        if rng.random() < 0.3:
            c.iq("get", "<vCard xmlns='vcard-temp'/>", wait=False)
        if rng.random() < 0.08:
            c.iq("set", "<vCard xmlns='vcard-temp'><FN>%s</FN><TITLE>%s</TITLE></vCard>"
                 % (user.title(), rng.choice(["Engineer", "Sales", "Support", "Ops"])), wait=False)
        if rng.random() < 0.06:
            c.iq("set", "<query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'><conference "
                 "jid='team@conference.%s' autojoin='true' name='Team'/></storage></query>" % HOST, wait=False)
        if rng.random() < 0.07:
            other = rng.choice(USERS)
            if rng.random() < 0.7:
                c.iq("set", "<query xmlns='jabber:iq:roster'><item jid='%s@%s' name='%s'><group>Colleagues</group>"
                     "</item></query>" % (other, HOST, other.title()), wait=False)
                c.send("<presence to='%s@%s' type='subscribe'/>" % (other, HOST))
            else:
                c.iq("set", "<query xmlns='jabber:iq:roster'><item jid='%s@%s' subscription='remove'/></query>"
                     % (other, HOST), wait=False)
        with self.lock:
            self.online.add(user)
        try:
            next_msg = now() + rng.uniform(2, 12)
            next_ping = now() + rng.uniform(20, 40)
            while now() < until and not self.stop.is_set():
                if office and self.link_down.is_set():
                    raise UplinkDown()
                c.drain(0.25)
                if now() >= next_msg:
                    next_msg = now() + rng.uniform(6, 25)
                    to = rng.choice(USERS + ["admin"])
                    c.send("<message to='%s@%s' type='chat' id='%s'><body>%s</body><active "
                           "xmlns='http://jabber.org/protocol/chatstates'/></message>"
                           % (to, HOST, c.id(), rng.choice(PHRASES)))
                    self.count("messages")
                if now() >= next_ping:
                    next_ping = now() + rng.uniform(25, 40)
                    c.iq("get", "<ping xmlns='urn:xmpp:ping'/>", wait=False)
        finally:
            with self.lock:
                self.online.discard(user)

    def user_loop(self, user, rng):
        office = user in OFFICE
        self.pause(rng.uniform(0, 20 * SCALE if office else 40 * SCALE))
        while not self.stop.is_set():
            device = "desktop" if office else ("phone" if rng.random() < 0.6 else "laptop")
            if office and self.link_down.is_set():
                while self.link_down.is_set() and not self.stop.is_set():
                    time.sleep(0.2)
                time.sleep(rng.uniform(0.2, 3.0))    # the client's reconnect timer
                continue
            if office:
                length = rng.uniform(60, 240) * max(SCALE, 0.25)
            else:
                length = rng.uniform(15, 90) * max(SCALE, 0.25)
            res = {"desktop": "Gajim.%s" % user[:3], "phone": "Conversations.%04x" % rng.randrange(65536),
                   "laptop": "Dino.%s" % user[:3]}[device]
            c = None
            try:
                c = login(source(user, device), user, password(user), res, tls=user not in LEGACY,
                          typo=rng.random() < 0.04)
                self.count("logins")
                if office and self.watch_office:
                    with self.lock:
                        self.office_log.append((now(), user, "auth"))
                self.chat(c, user, rng, now() + length, office)
                if self.stop.is_set():
                    c.close()
                    break
                if device == "phone" and rng.random() < 0.5 or rng.random() < 0.08:
                    c.drop()
                    self.count("dropped")
                else:
                    c.close()
            except UplinkDown:
                if c:
                    c.reset()
                    with self.lock:
                        self.office_log.append((now(), user, "reset"))
                self.count("reset by uplink")
                continue
            except ERRORS as e:
                self.count("error %s" % str(e)[:40])
                if c:
                    c.s.close()
            self.pause(rng.uniform(5, 60) * max(SCALE, 0.25))

    def monitor(self):
        while not self.pause(15):
            try:
                c = login(MONITOR, "monitor", password("monitor"), "check")
                c.iq("get", "<ping xmlns='urn:xmpp:ping'/>")
                c.close()
                self.count("monitor")
            except ERRORS as e:
                self.count("monitor failed %s" % str(e)[:30])

    def alerts(self):
        rng = random.Random(self.rng.random())
        while not self.pause(rng.uniform(20, 40)):
            try:
                c = login(ALERTS, "alerts", password("alerts"), "cron")
                c.send("<presence/>")
                for to in rng.sample(OPS, 2):
                    c.send("<message to='%s@%s' type='chat'><body>[cron] %s</body></message>"
                           % (to, HOST, rng.choice(["backup finished", "disk /var 81% full", "cert renews in 20 days",
                                                    "nightly build OK", "queue depth back to normal"])))
                c.drain(0.2)
                c.close()
                self.count("alerts")
            except ERRORS as e:
                self.count("alerts failed %s" % str(e)[:30])

    def run(self):
        ts = [threading.Thread(target=self.user_loop, args=(u, random.Random(self.rng.random()))) for u in USERS]
        ts += [threading.Thread(target=self.monitor), threading.Thread(target=self.alerts)]
        for t in ts:
            t.daemon = True
            t.start()
            time.sleep(0.05)
        self.threads = ts

    def finish(self, seconds):
        self.stop.set()
        for t in self.threads:
            t.join(seconds)


# --- incidents ---

def password_guessing(seconds, workers=6):
    """127.0.0.66 guesses passwords for 10 account names, 6 connections at a time, three guesses a connection."""
    guesses = [(u, w) for w in WORDS for u in GUESSED]
    lock = threading.Lock()
    state = {"next": 0, "guesses": 0, "conns": 0, "first": None, "last": None}
    stop_at = now() + seconds

    def worker(k):
        time.sleep(k * 0.3)
        while now() < stop_at:
            try:
                c = XC(ATTACKER)
                with lock:
                    state["conns"] += 1
                    state["first"] = state["first"] or now()
                c.open()
                c.starttls()
                for _ in range(3):
                    with lock:
                        g = guesses[state["next"] % len(guesses)]
                        state["next"] += 1
                    c.auth(g[0], g[1])       # none is right
                    with lock:
                        state["guesses"] += 1
                c.drop()
            except ERRORS:
                time.sleep(0.5)
            with lock:
                state["last"] = now()
            time.sleep(0.4)

    start = now()
    run_workers(worker, [(k,) for k in range(workers)], seconds + 30)
    return state["first"] or start, state["last"] or now(), state


def flap(traffic, seconds):
    """The office uplink goes down three times: each time the office desktops' connections are reset."""
    traffic.watch_office = True
    t_end = now() + seconds
    outages = []
    k = 0
    while now() < t_end and k < 3:
        down = random.Random(k).uniform(6, 8) * max(SCALE, 0.3)
        t0 = now()
        traffic.link_down.set()
        time.sleep(down)
        traffic.link_down.clear()
        outages.append((t0, now()))
        k += 1
        if k < 3:
            time.sleep(max(0.5, seconds / 3.0 - down))
    time.sleep(10 * max(SCALE, 0.3))   # the reconnect storm settles
    traffic.watch_office = False
    return outages


MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
LINE = re.compile(r"^(\w{3}) (\d\d) (\d\d):(\d\d):(\d\d) (\S+)\t(\w+)\t(.*)$")


def read_log(path):
    year = datetime.datetime.now(datetime.timezone.utc).year
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if m:
                t = datetime.datetime(year, MONTHS[m.group(1)], int(m.group(2)), int(m.group(3)), int(m.group(4)),
                                      int(m.group(5)), tzinfo=datetime.timezone.utc).timestamp()
                out.append((t, m.group(6), m.group(7), m.group(8)))
    return out


def main():
    work = begin(OUT, "prosody", __doc__, readable=True)
    server = Prosody(work)
    labels = Labels()
    traffic = None
    ok = False
    try:
        server.setup()
        labels.note("made by bench/real-logs/prosody.py: Prosody's own log at level info (log = { info = FILE }), "
                    "real Prosody %s (Debian) on 127.0.0.1:%d, one VirtualHost %s, internal_hashed auth, internal "
                    "storage, STARTTLS with a self-signed cert, mam/offline/smacks/carbons; 40 users (14 office "
                    "desktops 127.0.0.101-114, 26 remote on phones 127.0.0.151-176 and laptops 127.0.0.201-226), "
                    "monitoring 127.0.0.2, alert bot 127.0.0.30, driven by a Python XMPP client; TZ=UTC; "
                    "wall-clock times; Prosody logs no client addresses and no failed authentications at info"
                    % (server.version(), PORT, HOST))
        server.start()
        traffic = Traffic(2026)
        traffic.run()
        t0 = now()
        sleep_until(t0 + 40 * SCALE)
        server.hup()       # logrotate's postrotate
        hup_at = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. a password-guessing bot
        g_start, g_end, gst = password_guessing(45 * SCALE)
        sleep_until(g_end + 60 * SCALE)

        # 2. data directory restored from a backup as root: read-only for Prosody
        s_start = now()
        server.set_owner("root", 0o750, 0o640)
        time.sleep(60 * SCALE)
        server.set_owner("prosody", 0o750, 0o640)
        s_end = now()
        sleep_until(s_end + 60 * SCALE)

        # 3. the office uplink flaps
        f_start = now()
        outages = flap(traffic, 40 * SCALE)
        f_end = now()
        sleep_until(f_end + 70 * SCALE)

        traffic.finish(20)
        time.sleep(1)
        server.stop()
        log = read_log(server.log)

        # 1.
        labels.add("password-guessing", g_start, g_end, "brute-force", "%s|%s" % (ATTACKER, "|".join(GUESSED[:4])),
                   "a bot on 127.0.0.66 guesses passwords (SASL PLAIN after STARTTLS, three guesses a connection, "
                   "6 connections at a time) for %d s against admin, alice, bob, carol, dave, grace and names that "
                   "do not exist (root, test, support, info): %d connections, %d failed guesses, none right; Prosody "
                   "logs no failed authentication and no address at info, so the log shows a burst of sessions "
                   "'Client connected', 'Stream encrypted (TLSv1.3 ...)', 'Client disconnected: unexpected eof "
                   "while reading' with no 'Authenticated as' between (about %.0f a second, against about one "
                   "session every two seconds normally)" % (round(g_end - g_start), gst["conns"], gst["guesses"],
                                                            gst["conns"] / max(1.0, g_end - g_start)))

        # 2.
        errs = [e for e in log if e[2] == "error" and s_start - 1 <= e[0] <= s_end + 3]
        other = [e for e in log if e[2] == "error" and not s_start - 1 <= e[0] <= s_end + 3]
        kinds = {}
        for e in errs:
            k = re.sub(r"user: \S+", "user: NAME", re.sub(r"/\S+?/(archive|offline|roster|vcard|private)/\S+?(?=[':])",
                       r"DATA/\1/NAME", e[3]))
            kinds[k] = kinds.get(k, 0) + 1
        users = sorted({m.group(1) for e in errs for m in [re.search(r"user: (\S+)", e[3])] if m})
        top = "; ".join("%d x '%s'" % (n, k) for k, n in sorted(kinds.items(), key=lambda x: -x[1])[:4])
        if errs:
            labels.add("storage-readonly", min(e[0] for e in errs), max(e[0] for e in errs), "storage-permission",
                       "chat%2eexample%2etest|archive|offline",
                       "an admin restores the host's data directory (data_path/chat%%2eexample%%2etest) from a "
                       "backup as root (root:prosody, dirs 0750, files 0640) and only fixes the ownership %d s "
                       "later: Prosody can read its data but every write fails with Permission denied: %d error "
                       "lines for %d users (%s); messages are still delivered but not archived, offline messages "
                       "and roster/vCard changes are lost"
                       % (round(s_end - s_start), len(errs), len(users), top))
        else:
            print("WARNING: no storage errors logged", file=sys.stderr)
        if other:
            print("note: %d error lines outside the storage incident" % len(other), file=sys.stderr)

        # 3.
        resets = [t for t, u, k in traffic.office_log if k == "reset"]
        auths = [t for t, u, k in traffic.office_log if k == "auth"]
        hit = sorted({u for t, u, k in traffic.office_log if k == "reset"})
        reasons = {}
        for e in log:
            if any(a - 1 <= e[0] <= a + 2 for a, b in outages) and e[3].startswith("Client disconnected"):
                reasons[e[3]] = reasons.get(e[3], 0) + 1
        end3 = max([outages[-1][1]] + [t for t in auths if t <= f_end + 2])
        labels.add("office-uplink-flap", outages[0][0], end3, "network-partition",
                   "127.0.0.101-114|office",
                   "the office uplink flaps three times in %d s (outages of %s s): each time all the office "
                   "desktops' connections (127.0.0.101-114; %d resets in all, of %d accounts: %s) are reset at once "
                   "- a burst of 'Client disconnected' lines within a second or two of each outage's start (%s) - and when the link is back they all "
                   "reconnect within seconds - a burst of 'Client connected' / 'Stream encrypted' / 'Authenticated "
                   "as NAME@chat.example.test' for the office accounts (%d logins during the flap)"
                   % (round(f_end - f_start), "/".join("%.0f" % (b - a) for a, b in outages), len(resets),
                      len(hit), ", ".join(hit), ", ".join("%d x '%s'" % (n, r) for r, n in sorted(reasons.items())),
                      len(auths)))
        print("%s: %s; guessing %s; sighup at %s; log %d lines" % (NAME, sorted(traffic.counts.items()), gst,
              time.strftime("%H:%M:%S", time.gmtime(hup_at)), len(log)), file=sys.stderr)
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
