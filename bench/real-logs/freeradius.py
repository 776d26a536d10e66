#!/usr/bin/env python3
"""Runs a real FreeRADIUS (Debian freeradius 3.2) as a company's RADIUS server on 127.0.0.1 for its Wi-Fi
controllers and standalone access points, VPN gateways and access switches (MAC authentication), drives their
RADIUS traffic through it, injects labelled incidents and keeps FreeRADIUS's log exactly as it wrote it: its own
radius.log (log { destination = files }) in FreeRADIUS's default line format ("Wed Dec  2 13:00:00 2026 : Auth: (12)
Login OK: [anna.berg] (from client wlc-hq-01 port 7 cli 3C-22-FB-12-34-56)").

FreeRADIUS runs as `freeradius -f -d WORK/raddb` (as root; it drops to Debian's freerad user, which owns the work dir;
stopped with SIGTERM) with a copy of Debian's /etc/freeradius/3.0 under a /tmp work dir, changed only where a small
site changes it: raddbdir, logdir (radius.log, the radacct detail files) and run_dir in the work dir; the default
virtual server listening on 127.0.0.1 only, auth on PORT and acct on PORT+1 (the IPv6 listeners commented out), the
inner-tunnel server on 127.0.0.1:PORT+2; the log section with auth = yes and auth_badpass = yes (Login OK and Login
incorrect lines, the rejected password shown), auth_goodpass = no (Debian's default; good passwords not shown);
clients.conf with Debian's localhost client plus one client per NAS, each on its own 127.0.0.N with its own secret;
the users (staff with Cleartext-Password, the switches' known MAC addresses) prepended to mods-config/files/authorize.
Everything else is Debian's default (status_server yes, reject_delay 1, the detail and unix accounting modules...).
Needs (Debian): freeradius. Standard library only: the driver speaks RADIUS itself over UDP (RFC 2865/2866:
Access-Request with User-Password hidden with the MD5 scheme and a Message-Authenticator (HMAC-MD5), Status-Server,
Accounting-Request Start/Interim-Update/Stop with the MD5 Request Authenticator), each NAS from its own source address
with its own RADIUS ids, a 3 s timeout and 2 retransmissions of the identical packet.

usage: bench/real-logs/freeradius.py OUTDIR [PORT]      (acct on PORT+1, inner-tunnel on PORT+2; default 19912)
  writes OUTDIR/freeradius-h.log (.log.gz when over 1 MB) and OUTDIR/freeradius-h.labels.tsv
  SCALE=0.2 multiplies every duration (a short run for testing)

Normal traffic (about 12-13 RADIUS requests/s, about 3.5 authentications/s, each NAS a thread with Poisson arrivals):
  Wi-Fi: controllers wlc-hq-01 and wlc-hq-02 (127.0.0.11-12) and standalone warehouse access points
  ap-warehouse-01..04 (127.0.0.51-54): 250 staff users with 1-3 devices each (Calling-Station-Id MACs), PAP logins
  (NAS-Port-Type Wireless-802.11), Accounting Start, Interim-Update every 60 s, Stop after 20 s to 4 minutes (roaming,
  leaving); now and then a device with a stale or mistyped password is rejected once, then logs in.
  VPN: vpn-gw-01 and vpn-gw-02 (127.0.0.21-22): staff from public addresses (Calling-Station-Id 198.51.100.x and
  similar), longer sessions with interims; now and then a mistyped password or user name, then the right one.
  Switches doing MAC authentication: sw-floor1-01, sw-floor1-02, sw-floor2-01, sw-floor2-02 (127.0.0.41-44): printers,
  IP phones, cameras and docking stations (User-Name = the MAC), port up/down with accounting; now and then a
  visitor's laptop whose MAC is unknown is rejected. Monitoring from the RADIUS host itself (client localhost,
  127.0.0.1): a Status-Server every 20 s and a radtest-style Access-Request for the user `monitor` every 60 s.
  Now and then a NAS retransmits a request whose reply it missed (FreeRADIUS resends its cached reply).
Incidents (about 6.5-7 minutes in all: 90 s of normal traffic, each incident followed by at least 50 s of it):
  wrong-secret    the Wi-Fi controller wlc-hq-02 (127.0.0.12) is restored from an old backup with an old shared
                  secret for 60 s: FreeRADIUS drops every packet it sends, "Info: Dropping packet without response
                  because of error: Received packet from 127.0.0.12 with invalid Message-Authenticator!  (Shared
                  secret is incorrect.) (from client wlc-hq-02)" for its logins (each retransmitted twice) and
                  "... Received Accounting-Request packet from client 127.0.0.12 with invalid Request Authenticator!
                  (Shared secret is incorrect.) (from client wlc-hq-02)" for its accounting, at most one such line a
                  second (FreeRADIUS rate-limits them), until the secret is fixed; no Login OK from wlc-hq-02 meanwhile
  unknown-client  a new standalone access point ap-warehouse-07 on 127.0.0.57, not yet in clients.conf, is switched
                  on for 45 s and the scanners and phones near it try to connect: "Error: Ignoring request to auth
                  address 127.0.0.1 port PORT bound to server default from unknown client 127.0.0.57 port N proto
                  udp", also at most one a second
  password-spray  someone on 203.0.113.66 guesses passwords against the VPN gateway vpn-gw-01 for 40 s, about 3
                  attempts a second over 40 user names (staff names, made-up names and admin, test, vpn...): "Auth:
                  (N) Login incorrect (...): [name/guess] (from client vpn-gw-01 port N cli 203.0.113.66)"
"""
import hashlib
import heapq
import hmac
import itertools
import os
import pwd
import random
import re
import select
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time

from arrivals import poisson
from drivers import begin, stop_process, keep_log, now, sleep_until
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19912
ACCT_PORT = PORT + 1
INNER_PORT = PORT + 2
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "freeradius-h"
RAD_USER = "freerad"


# --- RADIUS (RFC 2865, 2866, 2869, 5997) ---

ACCESS_REQUEST, ACCESS_ACCEPT, ACCESS_REJECT = 1, 2, 3
ACCOUNTING_REQUEST, ACCOUNTING_RESPONSE = 4, 5
STATUS_SERVER = 12

A = {"User-Name": 1, "User-Password": 2, "NAS-IP-Address": 4, "NAS-Port": 5, "Service-Type": 6,
     "Framed-Protocol": 7, "Framed-IP-Address": 8, "Framed-MTU": 12, "Reply-Message": 18, "Class": 25,
     "Session-Timeout": 27, "Called-Station-Id": 30, "Calling-Station-Id": 31, "NAS-Identifier": 32,
     "Acct-Status-Type": 40, "Acct-Delay-Time": 41, "Acct-Input-Octets": 42, "Acct-Output-Octets": 43,
     "Acct-Session-Id": 44, "Acct-Authentic": 45, "Acct-Session-Time": 46, "Acct-Input-Packets": 47,
     "Acct-Output-Packets": 48, "Acct-Terminate-Cause": 49, "Event-Timestamp": 55, "NAS-Port-Type": 61,
     "Connect-Info": 77, "Message-Authenticator": 80, "NAS-Port-Id": 87}
INT_ATTRS = {4, 5, 6, 7, 8, 12, 27, 40, 41, 42, 43, 45, 46, 47, 48, 49, 55, 61}
SERVICE_FRAMED, SERVICE_CALL_CHECK = 2, 10
PORT_VIRTUAL, PORT_ETHERNET, PORT_WIRELESS = 5, 15, 19
START, STOP, INTERIM = 1, 2, 3


def ip4(addr):
    return struct.unpack("!I", socket.inet_aton(addr))[0]


def encode_attrs(attrs):
    out = bytearray()
    for name, value in attrs:
        t = A[name]
        if t in INT_ATTRS:
            v = struct.pack("!I", value & 0xFFFFFFFF)
        else:
            v = value if isinstance(value, bytes) else value.encode()
        out += bytes([t, len(v) + 2]) + v
    return bytes(out)


def hide_password(password, secret, authenticator):
    """User-Password hidden as RFC 2865 5.2 says: MD5(secret + previous block) xor each 16-byte block."""
    p = password.encode()
    p += b"\0" * (-len(p) % 16 or (16 if not p else 0))
    out, prev = bytearray(), authenticator
    for i in range(0, len(p), 16):
        b = hashlib.md5(secret + prev).digest()
        c = bytes(x ^ y for x, y in zip(p[i:i + 16], b))
        out += c
        prev = c
    return bytes(out)


def access_request(ident, secret, attrs, password=None, code=ACCESS_REQUEST):
    """An Access-Request (or Status-Server) with a Message-Authenticator, as NASes send them."""
    auth = os.urandom(16)
    body = encode_attrs(attrs)
    if password is not None:
        hidden = hide_password(password, secret, auth)
        body += bytes([2, len(hidden) + 2]) + hidden
    body += bytes([80, 18]) + b"\0" * 16
    pkt = bytearray(struct.pack("!BBH", code, ident, 20 + len(body)) + auth + body)
    mac = hmac.new(secret, bytes(pkt), hashlib.md5).digest()
    pkt[-16:] = mac
    return bytes(pkt)


def accounting_request(ident, secret, attrs):
    """An Accounting-Request with the RFC 2866 Request Authenticator MD5(header + 16 zero octets + attrs + secret)."""
    body = encode_attrs(attrs)
    head = struct.pack("!BBH", ACCOUNTING_REQUEST, ident, 20 + len(body))
    auth = hashlib.md5(head + b"\0" * 16 + body + secret).digest()
    return head + auth + body


def mac_addr(rng, oui):
    return "%s-%02X-%02X-%02X" % (oui, rng.randrange(256), rng.randrange(256), rng.randrange(256))


# --- the site: users, devices, NASes ---

FIRST = ["anna", "erik", "lena", "jonas", "maria", "peter", "sofia", "lukas", "emma", "david", "julia", "tom",
         "sara", "felix", "nina", "paul", "laura", "max", "clara", "simon", "eva", "jan", "mia", "leon", "hanna",
         "ben", "lisa", "tim", "ida", "noah", "olga", "kai", "vera", "finn", "rosa", "amir", "yuki", "ines",
         "omar", "greta", "hugo", "nora", "ralf", "tina", "ole", "zoe", "karl", "alma", "jens", "lea", "igor",
         "ella", "sven", "maja", "theo", "rita", "uwe", "pia", "milan", "dana"]
LAST = ["berg", "lund", "novak", "meyer", "jensen", "schmidt", "weber", "fischer", "koch", "wolf", "braun",
        "keller", "vogel", "hahn", "frank", "roth", "becker", "lang", "brandt", "krause", "arnold", "busch",
        "engel", "haas", "kuhn", "lorenz", "marx", "otto", "pohl", "sauer", "sommer", "winter", "ziegler", "adler",
        "bauer", "dietz", "ernst", "graf", "horn", "jung", "kraft", "link", "moser", "nagel", "peters", "ritter",
        "seidel", "thiel", "voigt", "walter", "zimmer", "bach", "dorn", "fuchs", "gross", "heinz", "kern",
        "lenz", "mohr", "nolte"]
DEVICE_OUIS = ["3C-22-FB", "F0-18-98", "A4-83-E7", "DC-A6-32", "8C-85-90", "B8-27-EB", "D0-81-7A", "F4-5C-89",
               "48-D7-05", "E4-B2-FB", "70-3A-CB", "AC-BC-32", "5C-F9-38", "98-01-A7"]
MAB_KINDS = [("printer", "00-1B-A9"), ("printer", "00-26-73"), ("phone", "00-04-F2"), ("phone", "80-5E-C0"),
             ("camera", "00-40-8C"), ("camera", "AC-CC-8E"), ("dock", "C8-F7-50"), ("badge-reader", "00-0E-8F")]
SPRAY_NAMES = ["admin", "administrator", "test", "vpn", "user", "guest", "support", "it", "backup", "scanner",
               "info", "helpdesk", "root", "service", "training", "temp"]
SPRAY_PASSWORDS = ["Winter2026!", "Password1", "Welcome1", "Summer2026", "123456", "Company2026!", "changeme",
                   "Passw0rd!", "qwerty123", "letmein", "Dezember2026", "admin123"]
ATTACKER = "203.0.113.66"


class User:
    def __init__(self, name, password, devices, vpn):
        self.name, self.password, self.devices, self.vpn = name, password, devices, vpn
        self.busy = set()  # devices in a session


def site(rng):
    users, used = [], set()
    for i in range(250):
        while True:
            name = "%s.%s" % (rng.choice(FIRST), rng.choice(LAST))
            if name not in used:
                used.add(name)
                break
        password = "".join(rng.choice("abcdefghkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(12))
        devices = [mac_addr(rng, rng.choice(DEVICE_OUIS)) for _ in range(rng.choice([1, 2, 2, 2, 3]))]
        users.append(User(name, password, devices, vpn=rng.random() < 0.6))
    mab = [(kind, mac_addr(rng, oui)) for kind, oui in MAB_KINDS for _ in range(15)]
    return users, mab


def users_file(users, mab, monitor_password):
    out = ["#", "#  Local users (added for this site).", "#",
           'monitor\tCleartext-Password := "%s"' % monitor_password,
           '\tReply-Message := "monitoring ok"', ""]
    for u in users:
        out += ['%s\tCleartext-Password := "%s"' % (u.name, u.password), ""]
    out += ["#", "#  MAC authentication (the switches send the MAC as user name and password).", "#"]
    vlans = {"printer": 30, "phone": 40, "camera": 50, "dock": 20, "badge-reader": 60}
    for kind, mac in mab:
        m = mac.replace("-", "").lower()
        out += ['%s\tCleartext-Password := "%s"' % (m, m),
                "\tTunnel-Type = VLAN,", "\tTunnel-Medium-Type = IEEE-802,",
                '\tTunnel-Private-Group-Id = "%d"' % vlans[kind], ""]
    return "\n".join(out) + "\n"


class NASDef:
    def __init__(self, name, src, kind, rate, shortname=None):
        self.name, self.src, self.kind, self.rate = name, src, kind, rate
        self.shortname = shortname or name
        self.secret = None


NASES = [NASDef("wlc-hq-01", "127.0.0.11", "wifi", 0.95), NASDef("wlc-hq-02", "127.0.0.12", "wifi", 0.85),
         NASDef("ap-warehouse-01", "127.0.0.51", "wifi", 0.18), NASDef("ap-warehouse-02", "127.0.0.52", "wifi", 0.15),
         NASDef("ap-warehouse-03", "127.0.0.53", "wifi", 0.15), NASDef("ap-warehouse-04", "127.0.0.54", "wifi", 0.12),
         NASDef("vpn-gw-01", "127.0.0.21", "vpn", 0.35), NASDef("vpn-gw-02", "127.0.0.22", "vpn", 0.30),
         NASDef("sw-floor1-01", "127.0.0.41", "switch", 0.10), NASDef("sw-floor1-02", "127.0.0.42", "switch", 0.08),
         NASDef("sw-floor2-01", "127.0.0.43", "switch", 0.10), NASDef("sw-floor2-02", "127.0.0.44", "switch", 0.08)]


def clients_conf(nases):
    out = ["", "#", "#  Site NASes.", "#"]
    types = {"wifi": "other", "vpn": "other", "switch": "cisco"}
    comments = {"wifi": "Wi-Fi", "vpn": "VPN gateway", "switch": "access switch, MAC authentication"}
    for n in nases:
        out += ["client %s {" % n.name, "\tipaddr = %s" % n.src, "\tsecret = %s" % n.secret,
                "\tshortname = %s" % n.shortname, "\tnas_type = %s\t# %s" % (types[n.kind], comments[n.kind]),
                "\trequire_message_authenticator = %s" % ("yes" if n.kind == "wifi" else "no"), "}", ""]
    return "\n".join(out) + "\n"


# --- FreeRADIUS ---

class Radiusd:
    def __init__(self, work):
        self.work = work
        self.raddb = os.path.join(work, "raddb")
        self.logdir = os.path.join(work, "log")
        self.log = os.path.join(self.logdir, "radius.log")
        self.proc = None

    def setup(self, users, mab, nases, monitor_password):
        shutil.copytree("/etc/freeradius/3.0", self.raddb, symlinks=True)
        os.makedirs(self.logdir)
        os.makedirs(os.path.join(self.work, "run"))
        conf = os.path.join(self.raddb, "radiusd.conf")
        s = open(conf).read()
        for old, new in [("logdir = /var/log/freeradius", "logdir = %s" % self.logdir),
                         ("raddbdir = /etc/freeradius/3.0", "raddbdir = %s" % self.raddb),
                         ("run_dir = ${localstatedir}/run/${name}", "run_dir = %s/run" % self.work),
                         ("\nproxy_requests  = yes", "\nproxy_requests  = no"),
                         ("\tauth = no\n", "\tauth = yes\n"), ("\tauth_badpass = no\n", "\tauth_badpass = yes\n")]:
            if old not in s:
                raise SystemExit("radiusd.conf: %r not found" % old)
            s = s.replace(old, new, 1)
        open(conf, "w").write(s)
        site_default = os.path.join(self.raddb, "sites-available", "default")
        s = self.listeners(open(site_default).read())
        open(site_default, "w").write(s)
        inner = os.path.join(self.raddb, "sites-available", "inner-tunnel")
        s = open(inner).read()
        s = s.replace("port = 18120", "port = %d" % INNER_PORT, 1)
        open(inner, "w").write(s)
        with open(os.path.join(self.raddb, "clients.conf"), "a") as f:
            f.write(clients_conf(nases))
        authorize = os.path.join(self.raddb, "mods-config", "files", "authorize")
        s = open(authorize).read()
        open(authorize, "w").write(users_file(users, mab, monitor_password) + "\n" + s)

    @staticmethod
    def listeners(text):
        """The default server's listen sections: 127.0.0.1, auth on PORT, acct on PORT+1; IPv6 commented out."""
        lines, out, block = text.split("\n"), [], None
        for line in lines:
            if block is None and line == "listen {":
                block = [line]
                continue
            if block is not None:
                block.append(line)
                if line == "}":
                    body = "\n".join(block)
                    if re.search(r"^\s*ipv6addr\s*=", body, re.M):
                        out += ["#" + l for l in block]
                    else:
                        acct = re.search(r"^\s*type\s*=\s*acct", body, re.M) is not None
                        for l in block:
                            l = re.sub(r"^(\s*)ipaddr = \*", r"\g<1>ipaddr = 127.0.0.1", l)
                            l = re.sub(r"^(\s*)port = 0$", r"\g<1>port = %d" % (ACCT_PORT if acct else PORT), l)
                            out.append(l)
                    block = None
                continue
            out.append(line)
        return "\n".join(out)

    def version(self):
        p = subprocess.run(["freeradius", "-v"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        m = re.search(r"Version (\S+?),", p.stdout)
        return m.group(1) if m else "3.2"

    def start(self):
        uid, gid = pwd.getpwnam(RAD_USER).pw_uid, pwd.getpwnam(RAD_USER).pw_gid
        for root, dirs, files in os.walk(self.work):
            os.lchown(root, uid, gid)
            for n in dirs + files:
                os.lchown(os.path.join(root, n), uid, gid)
        os.chmod(self.work, 0o755)
        check = subprocess.run(["freeradius", "-C", "-d", self.raddb, "-l", "stdout"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
        if check.returncode:
            raise SystemExit("freeradius -C failed:\n" + check.stdout[-3000:])
        self.proc = subprocess.Popen(["freeradius", "-f", "-d", self.raddb], cwd=self.work,
                                     stdin=subprocess.DEVNULL)
        deadline = now() + 30
        while now() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("freeradius exited with %s" % self.proc.returncode)
            if os.path.exists(self.log) and "Ready to process requests" in open(self.log, errors="replace").read():
                return
            time.sleep(0.2)
        raise SystemExit("freeradius did not get ready")

    def lines(self, since, match):
        """The times (epoch seconds) of the log's lines since `since` whose text after the timestamp matches."""
        out = []
        with open(self.log, encoding="utf-8", errors="replace") as f:
            for line in f:
                ts, sep, msg = line.rstrip("\n").partition(" : ")
                if not sep:
                    continue
                try:
                    t = time.mktime(time.strptime(ts, "%a %b %d %H:%M:%S %Y"))
                except ValueError:
                    continue
                if t >= int(since) and match(msg):
                    out.append(t)
        return out

    def stop(self):
        stop_process(self.proc)


# --- a NAS: its own source address, RADIUS ids, timeouts and retransmissions; timers for the sessions ---

class NAS:
    TIMEOUT, RETRIES = 3.0, 2

    def __init__(self, d, seed):
        self.d = d
        self.name, self.src, self.kind = d.name, d.src, d.kind
        self.secret = d.secret.encode()  # what the NAS is configured with (an incident may change it)
        self.good = self.secret          # what FreeRADIUS has for it
        self.rng = random.Random(seed)
        self.socks = {}
        for which, port in (("auth", PORT), ("acct", ACCT_PORT)):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((self.src, 0))
            s.setblocking(False)
            self.socks[which] = (s, port)
        self.next_id = {"auth": self.rng.randrange(256), "acct": self.rng.randrange(256)}
        self.pending = {}   # (which, id) -> [packet, deadline, tries, callback]
        self.timers = []    # (time, seq, fn)
        self.seq = itertools.count()
        self.lock = threading.Lock()
        self.stats = {"sent": 0, "retrans": 0, "timeouts": 0, "accept": 0, "reject": 0, "acct": 0, "dup": 0,
                      "bad": 0}
        self.nas_port = self.rng.randrange(1, 200)
        self.session_seq = self.rng.randrange(0x10000000, 0x7FFFFFFF)

    def at(self, t, fn):
        with self.lock:
            heapq.heappush(self.timers, (t, next(self.seq), fn))

    def alloc_id(self, which):
        for _ in range(256):
            i = self.next_id[which]
            self.next_id[which] = (i + 1) % 256
            if (which, i) not in self.pending:
                return i
        return None

    def send(self, which, build, callback=None, dup=0.0):
        """Sends the packet build(id) returns; callback(code or None on no answer). dup: the chance that the NAS
        misses the reply and retransmits the identical packet a moment later (an answer comes back: the cached
        one)."""
        i = self.alloc_id(which)
        if i is None:
            if callback:
                callback(None)
            return
        pkt = build(i)
        s, port = self.socks[which]
        try:
            s.sendto(pkt, ("127.0.0.1", port))
        except OSError:
            pass
        self.stats["sent"] += 1
        bad = self.secret != self.good
        self.stats["bad"] += bad
        self.pending[(which, i)] = [pkt, now() + self.TIMEOUT, 0, callback, bad]
        if dup and self.rng.random() < dup:
            self.stats["dup"] += 1
            self.at(now() + self.rng.uniform(0.3, 1.5), lambda: self.resend(pkt, which, bad))

    def resend(self, pkt, which, bad=False):
        self.stats["bad"] += bad
        s, port = self.socks[which]
        try:
            s.sendto(pkt, ("127.0.0.1", port))
        except OSError:
            pass

    def run(self, stop):
        while not stop.is_set():
            t = now()
            with self.lock:
                due = []
                while self.timers and self.timers[0][0] <= t:
                    due.append(heapq.heappop(self.timers)[2])
                nxt = self.timers[0][0] if self.timers else t + 0.5
            for fn in due:
                fn()
            for key, p in list(self.pending.items()):
                if p[1] <= t:
                    if p[2] < self.RETRIES:
                        p[2] += 1
                        p[1] = t + self.TIMEOUT
                        self.stats["retrans"] += 1
                        self.resend(p[0], key[0], p[4])
                    else:
                        del self.pending[key]
                        self.stats["timeouts"] += 1
                        if p[3]:
                            p[3](None)
            if self.pending:
                nxt = min([nxt] + [p[1] for p in self.pending.values()])
            r, _, _ = select.select([s for s, _ in self.socks.values()], [], [], max(0.0, min(nxt - now(), 0.1)))
            for s in r:
                which = "auth" if s is self.socks["auth"][0] else "acct"
                while True:
                    try:
                        data = s.recv(4096)
                    except (BlockingIOError, InterruptedError):
                        break
                    except OSError:
                        break
                    if len(data) < 20:
                        continue
                    p = self.pending.pop((which, data[1]), None)
                    if p and p[3]:
                        p[3](data[0])
        for s, _ in self.socks.values():
            s.close()

    # --- request builders ---

    def base_attrs(self, port, calling, called=None, port_type=None, service=None):
        a = [("NAS-IP-Address", ip4(self.src)), ("NAS-Identifier", self.name), ("NAS-Port", port)]
        if port_type is not None:
            a.append(("NAS-Port-Type", port_type))
        if service is not None:
            a.append(("Service-Type", service))
        if called:
            a.append(("Called-Station-Id", called))
        a.append(("Calling-Station-Id", calling))
        return a

    def authenticate(self, user, password, attrs, callback, dup=0.012):
        def build(i):
            return access_request(i, self.secret, [("User-Name", user)] + attrs, password)

        def cb(code):
            if code == ACCESS_ACCEPT:
                self.stats["accept"] += 1
            elif code == ACCESS_REJECT:
                self.stats["reject"] += 1
            callback(code)
        self.send("auth", build, cb, dup)

    def account(self, user, attrs, status, sess, callback=None):
        t = now()
        a = [("User-Name", user), ("Acct-Status-Type", status)] + attrs + [
            ("Acct-Session-Id", sess["id"]), ("Acct-Authentic", 1), ("Event-Timestamp", int(t))]
        if status != START:
            el = t - sess["start"]
            sess["in"] += int(el * self.rng.uniform(2e3, 4e5))
            sess["out"] += int(el * self.rng.uniform(1e4, 2e6))
            a += [("Acct-Session-Time", int(el)), ("Acct-Input-Octets", sess["in"] & 0xFFFFFFFF),
                  ("Acct-Output-Octets", sess["out"] & 0xFFFFFFFF),
                  ("Acct-Input-Packets", sess["in"] // 700), ("Acct-Output-Packets", sess["out"] // 1100)]
        if status == STOP:
            a.append(("Acct-Terminate-Cause", sess["cause"]))
        self.stats["acct"] += 1
        self.send("acct", lambda i: accounting_request(i, self.secret, a), callback, dup=0.004)

    def new_session_id(self):
        self.session_seq += 1
        return "%08X" % self.session_seq

    def next_port(self):
        self.nas_port = self.nas_port % 4096 + 1
        return self.nas_port


# --- traffic ---

class Traffic:
    def __init__(self, nases, users, mab, monitor_password, localhost_secret, seed):
        self.rng = random.Random(seed)
        self.users, self.mab = users, mab
        self.monitor_password, self.localhost_secret = monitor_password, localhost_secret
        self.nas = {d.name: NAS(d, self.rng.random()) for d in nases}
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.counts = {"logins": 0, "typo": 0, "stale": 0, "unknown-mac": 0, "user-typo": 0, "status": 0,
                       "monitor": 0}
        self.mab_free = list(mab)
        self.mab_up = set()
        self.wifi_bssid = {}

    def count(self, k, n=1):
        with self.lock:
            self.counts[k] += n

    def pick_user(self, rng, vpn=False):
        with self.lock:
            for _ in range(20):
                u = rng.choice(self.users)
                if vpn and not u.vpn:
                    continue
                free = [d for d in u.devices if d not in u.busy]
                if free:
                    dev = rng.choice(free)
                    u.busy.add(dev)
                    return u, dev
        return None, None

    def release(self, u, dev):
        with self.lock:
            u.busy.discard(dev)

    # --- Wi-Fi and VPN sessions ---

    def login(self, nas, rng):
        """One user device logging in at `nas`: maybe a wrong password first, then a session with accounting."""
        vpn = nas.kind == "vpn"
        u, dev = self.pick_user(rng, vpn)
        if u is None:
            return
        port = nas.next_port()
        if vpn:
            calling = "%s.%d" % (rng.choice(["198.51.100", "192.0.2", "100.64.12", "100.72.3", "203.0.113"]),
                                 rng.choice(range(2, 250))) if rng.random() < 0.7 else self.home_ip(u)
            if calling == ATTACKER:
                calling = "203.0.113.67"
            attrs = nas.base_attrs(port, calling, port_type=PORT_VIRTUAL, service=SERVICE_FRAMED)
            attrs.append(("Framed-Protocol", 1))
        else:
            ap = rng.randrange(1, 24) if nas.name.startswith("wlc") else 1
            bssid = self.wifi_bssid.setdefault((nas.name, ap), "%s-%02X-%02X-%02X:CORP" % (
                "F0-9F-C2", rng.randrange(256), rng.randrange(256), rng.randrange(256)))
            attrs = nas.base_attrs(port, dev, called=bssid, port_type=PORT_WIRELESS, service=SERVICE_FRAMED)
            attrs += [("Framed-MTU", 1400), ("Connect-Info", rng.choice(
                ["CONNECT 802.11ac", "CONNECT 802.11ax", "CONNECT 802.11n", "CONNECT 54Mbps 802.11a"]))]
        name, password = u.name, u.password
        retry = False
        r = rng.random()
        if r < (0.035 if vpn else 0.012):   # a mistyped password
            password = self.typo(password, rng)
            retry = True
            self.count("typo")
        elif vpn and r < 0.045:              # a mistyped user name
            name = self.typo(u.name, rng).lower()
            retry = True
            self.count("user-typo")
        elif not vpn and r < 0.018:          # a device with the old password, then updated
            password = password[:-3] + rng.choice(["2025", "!23", "abc", "old"])
            retry = True
            self.count("stale")

        def done(code):
            if code == ACCESS_ACCEPT:
                self.session(nas, rng, u, dev, u.name, attrs)
            elif retry and code == ACCESS_REJECT:
                nas.at(now() + rng.uniform(3, 15), lambda: nas.authenticate(u.name, u.password, attrs, done2))
            else:
                self.release(u, dev)

        def done2(code):
            if code == ACCESS_ACCEPT:
                self.session(nas, rng, u, dev, u.name, attrs)
            else:
                self.release(u, dev)
        self.count("logins")
        nas.authenticate(name, password, attrs, done)

    @staticmethod
    def home_ip(u):
        h = int(hashlib.md5(u.name.encode()).hexdigest()[:6], 16)
        return "%d.%d.%d.%d" % (84 + h % 8, (h >> 3) % 250, (h >> 11) % 250, 2 + (h >> 5) % 250)

    @staticmethod
    def typo(s, rng):
        i = rng.randrange(len(s))
        k = rng.random()
        if k < 0.4 and len(s) > 1:
            return s[:i] + s[i + 1:]
        if k < 0.7 and i + 1 < len(s):
            return s[:i] + s[i + 1] + s[i] + s[i + 2:]
        return s[:i] + rng.choice("qwertzuiopasdfghjkl") + s[i:]

    def session(self, nas, rng, u, dev, name, attrs, mab=False):
        vpn = nas.kind == "vpn"
        sess = {"id": nas.new_session_id(), "start": now(), "in": 0, "out": 0,
                "cause": rng.choice([1, 1, 1, 2, 4, 4, 5]) if vpn else rng.choice([1, 1, 2, 2, 4, 5])}
        if mab:
            sess["cause"] = rng.choice([2, 2, 2, 6, 10])
        acct_attrs = [a for a in attrs if a[0] not in ("Framed-MTU", "Connect-Info")]
        if vpn:
            acct_attrs.append(("Framed-IP-Address", ip4("10.8.%d.%d" % (rng.randrange(0, 4), rng.randrange(2, 254)))))
        if mab:
            length = rng.expovariate(1 / 200.0) + 20
        elif vpn:
            length = rng.expovariate(1 / 180.0) + 15
        else:
            length = rng.expovariate(1 / 90.0) + 10
        end = now() + length
        nas.at(now() + rng.uniform(0.05, 0.4), lambda: nas.account(name, acct_attrs, START, sess))
        t = now() + 60
        while t < end:
            nas.at(t + rng.uniform(-1, 1), lambda: nas.account(name, acct_attrs, INTERIM, sess))
            t += 60

        def finish():
            nas.account(name, acct_attrs, STOP, sess)
            if mab:
                with self.lock:
                    self.mab_up.discard(dev)
            else:
                self.release(u, dev)
        nas.at(end, finish)

    # --- switches: MAC authentication ---

    def mab_login(self, nas, rng):
        if rng.random() < 0.05:  # a visitor's laptop plugged into a wall port: its MAC is unknown
            mac, kind = mac_addr(rng, rng.choice(DEVICE_OUIS)), "visitor"
            self.count("unknown-mac")
        else:
            with self.lock:
                free = [m for m in self.mab if m[1] not in self.mab_up]
                if not free:
                    return
                kind, mac = rng.choice(free)
                self.mab_up.add(mac)
        port = rng.randrange(1, 48)
        attrs = nas.base_attrs(50100 + port, mac, called="00-1E-F7-%02X-%02X-%02X" % (
            ip4(nas.src) & 255, 0x1A, 0x80), port_type=PORT_ETHERNET, service=SERVICE_CALL_CHECK)
        attrs.append(("NAS-Port-Id", "GigabitEthernet1/0/%d" % port))
        m = mac.replace("-", "").lower()

        def done(code):
            if code == ACCESS_ACCEPT and kind != "visitor":
                self.session(nas, rng, None, mac, m, attrs, mab=True)
            elif kind != "visitor":
                with self.lock:
                    self.mab_up.discard(mac)
        self.count("logins")
        nas.authenticate(m, m, attrs, done)

    # --- threads ---

    def arrivals(self, nas, rng):
        for _ in poisson(nas.d.rate, self.stop, rng):
            nas.at(now(), (lambda: self.mab_login(nas, rng)) if nas.kind == "switch"
                   else (lambda: self.login(nas, rng)))

    def monitor(self):
        """The RADIUS host's monitoring: Status-Server every 20 s, a radtest-style login every 60 s."""
        rng = random.Random(self.rng.random())
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        s.settimeout(3)
        secret = self.localhost_secret.encode()
        nxt, k = now() + rng.uniform(2, 20), 0
        while not self.stop.is_set():
            sleep_until(min(nxt, now() + 1))
            if now() < nxt:
                continue
            nxt += 20
            k += 1
            ident = rng.randrange(256)
            if k % 3 == 0:
                pkt = access_request(ident, secret, [("User-Name", "monitor"), ("NAS-IP-Address", ip4("127.0.1.1")),
                                                     ("NAS-Port", 0)], self.monitor_password)
                self.count("monitor")
            else:
                pkt = access_request(ident, secret, [], None, code=STATUS_SERVER)
                self.count("status")
            try:
                s.sendto(pkt, ("127.0.0.1", PORT))
                s.recv(4096)
            except OSError:
                pass
        s.close()

    def run(self):
        ts = []
        for nas in self.nas.values():
            ts.append(threading.Thread(target=nas.run, args=(self.stop,), daemon=True))
            ts.append(threading.Thread(target=self.arrivals, args=(nas, random.Random(self.rng.random())),
                                       daemon=True))
        ts.append(threading.Thread(target=self.monitor, daemon=True))
        for t in ts:
            t.start()
        return ts


# --- incidents ---

def wrong_secret(nas, seconds, old_secret):
    """The controller is restored from an old backup: it uses the old shared secret until someone fixes it."""
    start = now()
    good = nas.secret
    nas.secret = old_secret.encode()
    sleep_until(start + seconds)
    nas.secret = good
    end = now()
    return start, end, end + NAS.TIMEOUT * (NAS.RETRIES + 1)  # the retransmissions of its last packets


def unknown_client(src, seconds, traffic, rng):
    """A new standalone access point, not yet in clients.conf, with devices near it trying to connect."""
    d = NASDef("ap-warehouse-07", src, "wifi", 0.0)
    d.secret = "wh07-%08x" % rng.getrandbits(32)
    nas = NAS(d, rng.random())
    off = threading.Event()
    t = threading.Thread(target=nas.run, args=(off,), daemon=True)
    t.start()
    start = now()
    tries = [0]
    devices = [(rng.choice(traffic.users), None) for _ in range(12)]
    devices = [(u, rng.choice(u.devices)) for u, _ in devices]

    def attempt(u, dev):
        if now() >= start + seconds:
            return
        tries[0] += 1
        attrs = nas.base_attrs(nas.next_port(), dev, called="F0-9F-C2-7A-07-11:CORP", port_type=PORT_WIRELESS,
                               service=SERVICE_FRAMED) + [("Framed-MTU", 1400), ("Connect-Info", "CONNECT 802.11ax")]
        # no answer: the device gives up after the AP's retransmissions and tries again a few seconds later
        nas.authenticate(u.name, u.password, attrs,
                         lambda code: nas.at(now() + rng.uniform(2, 12), lambda: attempt(u, dev)), dup=0)
    for u, dev in devices:
        nas.at(start + rng.uniform(0, 10), lambda u=u, dev=dev: attempt(u, dev))
    sleep_until(start + seconds + NAS.TIMEOUT * (NAS.RETRIES + 1))
    off.set()
    t.join(5)
    return start, now(), tries[0], nas.stats


def password_spray(nas, seconds, traffic, rng):
    """Someone guessing passwords from one address against the VPN gateway: about 3 attempts a second."""
    names = SPRAY_NAMES + [u.name for u in rng.sample(traffic.users, 14)] + \
        ["%s.%s" % (rng.choice(FIRST), rng.choice(LAST)) for _ in range(10)]
    rng.shuffle(names)
    start, tries, results = now(), 0, {"accept": 0, "reject": 0, "none": 0}

    def result(code):
        results["accept" if code == ACCESS_ACCEPT else "reject" if code == ACCESS_REJECT else "none"] += 1
    for _ in poisson(3.0, threading.Event(), rng):
        if now() >= start + seconds:
            break
        name = names[tries % len(names)]
        guess = SPRAY_PASSWORDS[(tries // len(names)) % len(SPRAY_PASSWORDS)]
        tries += 1
        attrs = nas.base_attrs(nas.next_port(), ATTACKER, port_type=PORT_VIRTUAL, service=SERVICE_FRAMED) + [
            ("Framed-Protocol", 1)]
        nas.at(now(), lambda n=name, g=guess, a=attrs: nas.authenticate(n, g, a, result, dup=0))
    time.sleep(2.5)  # reject_delay 1 s: the last replies
    return start, now(), tries, results


def main():
    work = begin(OUT, "freeradius", __doc__)
    radiusd = Radiusd(work)
    version = radiusd.version()
    rng = random.Random(2026)
    users, mab = site(rng)
    for d in NASES:
        d.secret = "%s-%012x" % (d.kind, rng.getrandbits(48))
    monitor_password = "mon-%08x" % rng.getrandbits(32)
    labels = Labels()
    labels.note("made by bench/real-logs/freeradius.py: real FreeRADIUS %s (Debian) on 127.0.0.1, auth %d, acct %d, "
                "a copy of Debian's /etc/freeradius/3.0 with log auth = yes, auth_badpass = yes (auth_goodpass no), "
                "default log format; 12 NASes (Wi-Fi controllers 127.0.0.11-12, warehouse APs 127.0.0.51-54, VPN "
                "gateways 127.0.0.21-22, switches doing MAC auth 127.0.0.41-44) each with its own secret, 250 staff "
                "users and 120 MAC-authenticated devices in the files module; about 12-13 requests/s (about "
                "3.5 authentications/s plus accounting), monitoring from localhost (Status-Server, a test login), "
                "a mistyped password or unknown MAC now and then; wall-clock times" % (version, PORT, ACCT_PORT))
    traffic = None
    ok = False
    try:
        radiusd.setup(users, mab, NASES, monitor_password)
        radiusd.start()
        traffic = Traffic(NASES, users, mab, monitor_password, "testing123", 2026)
        threads = traffic.run()
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. a Wi-Fi controller with the wrong shared secret
        wlc = traffic.nas["wlc-hq-02"]
        before = dict(wlc.stats)
        start, fixed, end = wrong_secret(wlc, 60 * SCALE, "wifi-secret-2023")
        sleep_until(end + 0.5)
        bad_auth = radiusd.lines(start - 1, lambda m: "from 127.0.0.12 with invalid Message-Authenticator" in m)
        bad_acct = radiusd.lines(start - 1, lambda m: "from client 127.0.0.12 with invalid Request Authenticator" in m)
        both = bad_auth + bad_acct
        lost = wlc.stats["timeouts"] - before["timeouts"]
        ok_lines = radiusd.lines(start, lambda m: "Login OK:" in m and "(from client wlc-hq-02 " in m)
        ok_during = [t for t in ok_lines if int(start) < t < int(fixed)]
        labels.add("wrong-secret", min(both) if both else start, max(both) if both else end, "wrong-shared-secret",
                   "wlc-hq-02|127.0.0.12",
                   "the Wi-Fi controller wlc-hq-02 (127.0.0.12) restored from an old backup uses an old shared secret "
                   "for %d s: FreeRADIUS drops every packet it sends (%d packets with its retransmissions) and logs "
                   "'Info: Dropping packet without response because of error: Received packet from 127.0.0.12 with "
                   "invalid Message-Authenticator!  (Shared secret is incorrect.) (from client wlc-hq-02)' %d times "
                   "and 'Received Accounting-Request packet from client 127.0.0.12 with invalid Request "
                   "Authenticator!' %d times (FreeRADIUS logs at most one such line a second); %d of its requests got "
                   "no answer and wlc-hq-02 has %d Login OK lines until the secret is fixed (about one a second "
                   "otherwise), then they resume"
                   % (round(60 * SCALE), wlc.stats["bad"] - before["bad"], len(bad_auth), len(bad_acct), lost,
                      len(ok_during)))
        sleep_until(end + 52 * SCALE)

        # 2. a new access point not in clients.conf
        start, end, tries, st = unknown_client("127.0.0.57", 45 * SCALE, traffic, random.Random(57))
        ignored = radiusd.lines(start - 1, lambda m: "from unknown client 127.0.0.57 " in m)
        labels.add("unknown-client", min(ignored) if ignored else start, max(ignored) if ignored else end,
                   "unknown-client", "127.0.0.57|ap-warehouse-07",
                   "a new standalone access point ap-warehouse-07 on 127.0.0.57, not yet in clients.conf, switched "
                   "on for %d s: 12 devices near it try to log in %d times (%d packets with the AP's retransmissions),"
                   " FreeRADIUS ignores them all: %d lines 'Error: Ignoring request to auth address 127.0.0.1 port %d "
                   "bound to server default from unknown client 127.0.0.57 port N proto udp' (at most one a second)"
                   % (round(45 * SCALE), tries, st["sent"] + st["retrans"], len(ignored), PORT))
        sleep_until(end + 52 * SCALE)

        # 3. password guessing against the VPN gateway from one address
        vpn = traffic.nas["vpn-gw-01"]
        start, end, tries, res = password_spray(vpn, 40 * SCALE, traffic, random.Random(66))
        spray = radiusd.lines(start - 1, lambda m: "Login incorrect" in m and "cli %s)" % ATTACKER in m)
        labels.add("password-spray", min(spray) if spray else start, max(spray) if spray else end,
                   "password-guessing", "%s|vpn-gw-01|127.0.0.21" % ATTACKER,
                   "someone on %s guesses passwords against the VPN gateway vpn-gw-01 (127.0.0.21) for %d s: %d "
                   "attempts against %d user names (admin, test, vpn..., staff names, made-up names), %d lines "
                   "'Auth: (N) Login incorrect (...): [name/guess] (from client vpn-gw-01 port N cli %s)'"
                   % (ATTACKER, round(40 * SCALE), tries, 40, len(spray), ATTACKER))
        sleep_until(end + 55 * SCALE)

        traffic.stop.set()
        for t in threads:
            t.join(5)
        time.sleep(1)
        stats = {k: sum(n.stats[k] for n in traffic.nas.values()) for k in wlc.stats}
        print("%s: %s; nas %s; spray %s" % (NAME, sorted(traffic.counts.items()), stats, res), file=sys.stderr)
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
        radiusd.stop()
        if ok and os.path.exists(radiusd.log):
            keep_log(radiusd.log, OUT, NAME, labels)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
