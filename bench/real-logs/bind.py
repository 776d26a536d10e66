#!/usr/bin/env python3
"""Runs a real BIND (Debian bind9 9.18) on 127.0.0.1 as a company's DNS server: authoritative for shop.example (and
its reverse zone 100.51.198.in-addr.arpa) and a caching resolver that forwards everything else, partner.test above
all, to an upstream DNS server this script plays. It drives a resolver's traffic against it, injects labelled
incidents and keeps both logs exactly as named wrote them. Standard library only: the clients, the secondary and the
upstream speak DNS's wire format themselves.

usage: bench/real-logs/bind.py OUTDIR [PORT]
  named listens on 127.0.0.1:PORT (19653), the upstream on PORT+1, rndc's control channel on PORT+2, the secondary
  takes NOTIFY on 127.0.0.2:PORT+3
  writes OUTDIR/bind-f.log (the general log), OUTDIR/bind-f.queries.log (the query log) and their .labels.tsv
  (bind-f.labels.tsv, bind-f.queries.labels.tsv); env SCALE=0.2 shortens every phase of the timeline (testing)

named runs as `named -f -4 -u bind -c WORK/named.conf` with the common production logging: a `logging {}` block with
two file channels (print-time yes; print-severity yes; print-category yes; severity info), the query log for
category queries, the general log for default, general, config, network, resolver, lame-servers, edns-disabled,
query-errors, security, xfer-in, xfer-out, notify, client, database, dnssec, update, update-security, rate-limit,
serve-stale, unmatched. The rest is a Debian-like named.conf: its default zones (localhost, 127/0/255.in-addr.arpa),
dnssec-validation no (a forwarder that does not validate), allow-recursion for the internal net (127.0.0.0/26),
allow-transfer to the secondary (127.0.0.2) only, notify to it, and response rate limiting
(responses-per-second 10) with the internal net exempt, as ISC recommends for a server that answers for a public zone.

Normal traffic: 30 hosts on 127.0.0.10-39, each a stub resolver (a fresh UDP socket a query, 5 s timeout, one retry,
as glibc's) looking names up at Poisson rates, about 45 queries/s in all: the shop's own names (often A and AAAA
together), names under partner.test (TTL 30 s) and unique names under cdn.partner.test, MX, TXT, SRV and PTR now
and then, an occasional typo (NXDOMAIN, some under a misspelt domain that is forwarded). Routine noise a real
server has: the hostmaster edits the zone every 1.5-2.5 min (rndc reload, notify, the secondary on 127.0.0.2 checks
the SOA and transfers the zone), the secondary's SOA check every 30 s, a guest host on 127.0.0.200 outside the
internal net whose recursive queries are denied, legacy.partner.test that the upstream refuses (lame-servers), and
an upstream that answers a few queries in a hundred 50-400 ms late.
Incidents (about 6 min in all: 90 s of normal traffic, each incident followed by at least 50 s of it):
  forwarder-down        the upstream stops answering for 40 s: partner.test names fail with SERVFAIL once their
                        cache entries expire. BIND 9.18 logs no line naming the forwarder at info: what shows is
                        query-errors' "query failed (timed out) for NAME/IN/A" for each client query, from about
                        10 s in, and "resolver: notice: clients-per-query increased"; the query log shows only
                        the stubs' retries (so this incident is labelled in the general log only)
  zone-transfer-probe   127.0.0.99 tries AXFR of shop.example three times a second for 30 s; allow-transfer denies it
  nxdomain-flood        127.0.0.77 queries random names under shop.example, 50 a second for 30 s (a "water
                        torture" random-subdomain attack): NXDOMAIN, rate limited; the general log has a rate-limit
                        line for each limited answer ("rate limit drop|slip NXDOMAIN response to 127.0.0.0/24",
                        naming the client 127.0.0.77)
"""
import base64
import os
import pwd
import random
import shutil
import socket
import string
import struct
import subprocess
import sys
import tempfile
import threading
import time

from arrivals import poisson
from dnswire import TYPES, name_bytes, read_name, make_query, parse, Stubs
from drivers import now, sleep_until
from labels import Labels

OUT = os.path.abspath(sys.argv[1])
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19653
UPSTREAM = PORT + 1
CONTROL = PORT + 2
NOTIFY = PORT + 3
SCALE = float(os.environ.get("SCALE", "1"))
SECONDARY = "127.0.0.2"

# ---- DNS wire format (the rest is in dnswire.py) --------------------------------------------------------------------

def rr(owner, rtype, ttl, rdata):
    return owner + struct.pack(">HHIH", TYPES[rtype], 1, ttl, len(rdata)) + rdata


def ipv6(text):
    return socket.inet_pton(socket.AF_INET6, text)


# ---- the upstream: a recursive resolver's answers for partner.test and a few more names ----------------------------

PARTNER = {
    "partner.test": {"A": ["192.0.2.10"], "MX": [(10, "mx1.partner.test"), (20, "mx2.partner.test")],
                     "TXT": ["v=spf1 mx -all"]},
    "www.partner.test": {"CNAME": "partner.test"},
    "api.partner.test": {"A": ["192.0.2.21", "192.0.2.22"], "AAAA": ["2001:db8:70::21"]},
    "sso.partner.test": {"A": ["192.0.2.30"], "AAAA": ["2001:db8:70::30"]},
    "edi.partner.test": {"A": ["192.0.2.41"]},
    "files.partner.test": {"A": ["192.0.2.50"], "AAAA": ["2001:db8:70::50"]},
    "portal.partner.test": {"A": ["192.0.2.60"], "AAAA": ["2001:db8:70::60"]},
    "status.partner.test": {"CNAME": "statuspage.partner.test"},
    "statuspage.partner.test": {"A": ["192.0.2.61"]},
    "track.partner.test": {"A": ["192.0.2.70"]},
    "mx1.partner.test": {"A": ["192.0.2.25"]},
    "mx2.partner.test": {"A": ["192.0.2.26"]},
    "payments.partner.test": {"A": ["192.0.2.80"], "AAAA": ["2001:db8:70::80"]},
}
REFUSED_NAMES = {"legacy.partner.test"}  # a name whose server refuses: named logs it under lame-servers


class Upstream:
    """A small UDP DNS server on 127.0.0.1:UPSTREAM answering as a recursive resolver would. mode "up" answers,
    "down" answers nothing, "slow" answers every query `delay` seconds late; in "up" a few answers in a hundred come
    50-400 ms late anyway (jitter)."""

    def __init__(self, port, seed):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.sock.settimeout(0.2)
        self.rng = random.Random(seed)
        self.mode, self.delay = "up", 0.0
        self.stop = threading.Event()
        self.answered = self.dropped = 0

    def answer(self, msg):
        qid, flags, _rc, qname, qtype, _ = parse(msg)
        qend = 12 + len(name_bytes(qname)) + 4
        question = msg[12:qend]
        edns = msg[qend:qend + 3] == b"\0" + struct.pack(">H", TYPES["OPT"])
        name = qname.lower().rstrip(".")
        rcode, answers, authority = 0, [], []
        if name in REFUSED_NAMES:
            rcode = 5
        else:
            target, owner = name, b"\xc0\x0c"
            for _ in range(4):  # follow a CNAME chain
                data = PARTNER.get(target)
                if data is None and target.endswith(".cdn.partner.test"):
                    h = sum(target.encode()) % 200
                    data = {"A": ["198.18.%d.%d" % (h // 50, h + 20)], "AAAA": ["2001:db8:cd::%x" % (h + 1)]}
                if data is None:
                    break
                if "CNAME" in data and qtype != TYPES["CNAME"]:
                    answers.append(rr(owner, "CNAME", 30, name_bytes(data["CNAME"])))
                    target = data["CNAME"]
                    owner = name_bytes(target)
                    continue
                for t, values in data.items():
                    if TYPES[t] != qtype:
                        continue
                    for v in ([values] if t == "CNAME" else values):
                        if t == "CNAME":
                            rd = name_bytes(v)
                        elif t == "A":
                            rd = socket.inet_aton(v)
                        elif t == "AAAA":
                            rd = ipv6(v)
                        elif t == "MX":
                            rd = struct.pack(">H", v[0]) + name_bytes(v[1])
                        elif t == "TXT":
                            rd = bytes([len(v)]) + v.encode()
                        answers.append(rr(owner, t, 300 if t == "MX" else 30, rd))
                break
            else:
                data = None
            if not answers:
                known = data is not None or target != name
                zone = "partner.test" if name.endswith("partner.test") else ""
                soa = name_bytes("ns1." + zone if zone else "a.root-servers.net") + \
                    name_bytes("hostmaster." + zone if zone else "nstld.verisign-grs.com") + \
                    struct.pack(">IIIII", 2026120101, 7200, 900, 1209600, 60)
                authority.append(rr(name_bytes(zone), "SOA", 60, soa))
                rcode = 0 if known else 3
        head = struct.pack(">HHHHHH", qid, 0x8000 | (flags & 0x7900) | 0x0080 | rcode, 1, len(answers),
                           len(authority), 1 if edns else 0)
        out = head + question + b"".join(answers) + b"".join(authority)
        if edns:
            out += b"\0" + struct.pack(">HHIH", TYPES["OPT"], 1232, 0, 0)
        return out

    def run(self):
        while not self.stop.is_set():
            try:
                msg, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            if self.mode == "down":
                self.dropped += 1
                continue
            try:
                reply = self.answer(msg)
            except (IndexError, struct.error, KeyError):
                continue
            self.answered += 1
            delay = self.delay if self.mode == "slow" else (
                self.rng.uniform(0.05, 0.4) if self.rng.random() < 0.03 else 0)
            if delay:
                threading.Timer(delay, self.sock.sendto, args=(reply, peer)).start()
            else:
                self.sock.sendto(reply, peer)


# ---- the zones ------------------------------------------------------------------------------------------------------

SHOP_HOSTS = {  # name: (A, AAAA or None)
    "@": ("198.51.100.10", "2001:db8:5::10"), "www": ("198.51.100.10", "2001:db8:5::10"),
    "api": ("198.51.100.20", "2001:db8:5::20"), "checkout": ("198.51.100.21", "2001:db8:5::21"),
    "auth": ("198.51.100.22", None), "static": ("198.51.100.30", "2001:db8:5::30"),
    "img": ("198.51.100.31", "2001:db8:5::31"), "mail": ("198.51.100.40", "2001:db8:5::40"),
    "mail2": ("198.51.100.41", None), "ns1": ("198.51.100.2", None), "ns2": (SECONDARY, None),
    "vpn": ("198.51.100.50", None), "intranet": ("198.51.100.60", None), "git": ("198.51.100.61", None),
    "ci": ("198.51.100.62", None), "grafana": ("198.51.100.63", None), "prometheus": ("198.51.100.64", None),
    "ldap": ("198.51.100.70", None), "db1": ("198.51.100.80", None), "db2": ("198.51.100.81", None),
    "cache1": ("198.51.100.82", None), "queue1": ("198.51.100.83", None), "search": ("198.51.100.84", None),
    "backup": ("198.51.100.90", None), "printer": ("198.51.100.120", None),
}
SHOP_EXTRA = """\
@        IN MX    10 mail
@        IN MX    20 mail2
@        IN TXT   "v=spf1 mx ip4:198.51.100.0/24 include:partner.test -all"
_dmarc   IN TXT   "v=DMARC1; p=quarantine; rua=mailto:dmarc@shop.example"
cdn      IN CNAME static
shop     IN CNAME www
admin    IN CNAME intranet
wiki     IN CNAME intranet
_ldap._tcp     IN SRV 0 100 389 ldap
_kerberos._udp IN SRV 0 100 88 ldap
_imaps._tcp    IN SRV 0 1 993 mail
"""


def shop_zone(serial, deploy):
    lines = ["$TTL 300",
             "@ IN SOA ns1.shop.example. hostmaster.shop.example. ( %d 3600 900 1209600 300 )" % serial,
             "@        IN NS    ns1", "@        IN NS    ns2"]
    for host, (a, aaaa) in SHOP_HOSTS.items():
        lines.append("%-8s IN A     %s" % (host, a))
        if aaaa:
            lines.append("%-8s IN AAAA  %s" % (host, aaaa))
    lines.append(SHOP_EXTRA + '_deploy  IN TXT   "release %s"' % deploy)
    return "\n".join(lines) + "\n"


def reverse_zone():
    lines = ["$TTL 3600", "@ IN SOA ns1.shop.example. hostmaster.shop.example. ( 2026120101 3600 900 1209600 300 )",
             "@ IN NS ns1.shop.example.", "@ IN NS ns2.shop.example."]
    seen = set()
    for host, (a, _) in SHOP_HOSTS.items():
        last = a.rsplit(".", 1)[1]
        if a.startswith("198.51.100.") and last not in seen:
            seen.add(last)
            lines.append("%s IN PTR %s.shop.example." % (last, "www" if host == "@" else host))
    return "\n".join(lines) + "\n"


NAMED_CONF = """\
include "%(work)s/rndc.key";
controls { inet 127.0.0.1 port %(control)d allow { 127.0.0.1; } keys { "rndc-key"; }; };

acl internal { 127.0.0.0/26; };

options {
    directory "%(work)s/cache";
    pid-file "%(work)s/named.pid";
    session-keyfile "%(work)s/session.key";
    listen-on port %(port)d { 127.0.0.1; };
    listen-on-v6 { none; };
    query-source address 127.0.0.1;
    recursion yes;
    allow-recursion { internal; };
    allow-query { any; };
    allow-transfer { none; };
    forwarders { 127.0.0.1 port %(upstream)d; };
    forward only;
    dnssec-validation no;
    notify explicit;
    rate-limit {
        responses-per-second 10;
        exempt-clients { internal; };
    };
};

logging {
    channel general_log {
        file "%(work)s/log/bind-f.log";
        print-time yes;
        print-severity yes;
        print-category yes;
        severity info;
    };
    channel query_log {
        file "%(work)s/log/bind-f.queries.log";
        print-time yes;
        print-severity yes;
        print-category yes;
        severity info;
    };
    category default { general_log; };
    category general { general_log; };
    category config { general_log; };
    category network { general_log; };
    category resolver { general_log; };
    category lame-servers { general_log; };
    category edns-disabled { general_log; };
    category query-errors { general_log; };
    category security { general_log; };
    category xfer-in { general_log; };
    category xfer-out { general_log; };
    category notify { general_log; };
    category client { general_log; };
    category database { general_log; };
    category dnssec { general_log; };
    category update { general_log; };
    category update-security { general_log; };
    category rate-limit { general_log; };
    category serve-stale { general_log; };
    category unmatched { general_log; };
    category queries { query_log; };
};

zone "localhost" { type master; file "/etc/bind/db.local"; };
zone "127.in-addr.arpa" { type master; file "/etc/bind/db.127"; };
zone "0.in-addr.arpa" { type master; file "/etc/bind/db.0"; };
zone "255.in-addr.arpa" { type master; file "/etc/bind/db.255"; };

zone "shop.example" {
    type master;
    file "%(work)s/zones/db.shop.example";
    allow-transfer { %(secondary)s; };
    also-notify { %(secondary)s port %(notify)d; };
};

zone "100.51.198.in-addr.arpa" {
    type master;
    file "%(work)s/zones/db.198.51.100";
    allow-transfer { %(secondary)s; };
};

zone "partner.test" {
    type forward;
    forward only;
    forwarders { 127.0.0.1 port %(upstream)d; };
};
"""


class Named:
    def __init__(self, work):
        self.work = work
        for d in ("cache", "log", "zones"):
            os.makedirs(os.path.join(work, d))
        self.serial, self.release = 2026120201, 41
        self.write_zone()
        with open(os.path.join(work, "zones", "db.198.51.100"), "w") as f:
            f.write(reverse_zone())
        secret = base64.b64encode(random.Random(PORT).randbytes(32)).decode()
        with open(os.path.join(work, "rndc.key"), "w") as f:
            f.write('key "rndc-key" {\n    algorithm hmac-sha256;\n    secret "%s";\n};\n' % secret)
        with open(os.path.join(work, "rndc.conf"), "w") as f:
            f.write('include "%s/rndc.key";\noptions { default-key "rndc-key"; default-server 127.0.0.1; '
                    'default-port %d; };\n' % (work, CONTROL))
        self.conf = os.path.join(work, "named.conf")
        with open(self.conf, "w") as f:
            f.write(NAMED_CONF % dict(work=work, port=PORT, upstream=UPSTREAM, control=CONTROL,
                                      secondary=SECONDARY, notify=NOTIFY))
        bind = pwd.getpwnam("bind")
        os.chmod(work, 0o755)
        for root, dirs, files in os.walk(work):
            for n in dirs + files:
                os.chown(os.path.join(root, n), bind.pw_uid, bind.pw_gid)
        os.chown(work, bind.pw_uid, bind.pw_gid)
        self.log = os.path.join(work, "log", "bind-f.log")
        self.queries = os.path.join(work, "log", "bind-f.queries.log")
        self.proc = None

    def write_zone(self):
        path = os.path.join(self.work, "zones", "db.shop.example")
        with open(path + ".new", "w") as f:
            f.write(shop_zone(self.serial, "2026.12.%d" % self.release))
        os.chmod(path + ".new", 0o644)
        os.replace(path + ".new", path)

    def start(self):
        check = subprocess.run(["named-checkconf", "-z", self.conf], capture_output=True, text=True)
        if check.returncode:
            raise SystemExit("named-checkconf: " + check.stdout + check.stderr)
        self.proc = subprocess.Popen(["named", "-f", "-4", "-u", "bind", "-c", self.conf],
                                     env=dict(os.environ, TZ="UTC"))
        deadline = now() + 20
        while now() < deadline:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(0.3)
            try:
                s.sendto(make_query("shop.example", "SOA", 1), ("127.0.0.1", PORT))
                if parse(s.recv(4096))[2] == 0:
                    return
            except OSError:
                time.sleep(0.2)
            finally:
                s.close()
        raise SystemExit("named did not answer on 127.0.0.1:%d" % PORT)

    def rndc(self, *args):
        return subprocess.run(["rndc", "-c", os.path.join(self.work, "rndc.conf")] + list(args),
                              capture_output=True, text=True, timeout=20)

    def edit_zone(self):
        """The hostmaster's edit: a new release TXT record and serial, then `rndc reload shop.example`."""
        self.serial += 1
        self.release += 1
        self.write_zone()
        self.rndc("reload", "shop.example")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.rndc("stop")
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                self.proc.wait(10)


# ---- clients --------------------------------------------------------------------------------------------------------

SHOP_NAMES = ["www", "www", "www", "api", "api", "api", "checkout", "auth", "static", "static", "img", "cdn", "shop",
              "mail", "intranet", "wiki", "git", "ci", "grafana", "prometheus", "ldap", "db1", "db2", "cache1",
              "queue1", "search", "backup", "vpn", "admin", "printer", ""]
PARTNER_NAMES = ["api", "api", "api", "sso", "sso", "edi", "files", "portal", "status", "track", "www", "payments", ""]
TYPOS = ["wwww.shop.example", "ap1.shop.example", "chekout.shop.example", "grafna.shop.example", "gti.shop.example",
         "www.shop.exmaple", "api.shop.exampel", "sso.partner.tset", "apii.partner.test", "portla.partner.test",
         "intranet.shop.example.localdomain", "wiki.partner.test"]


class Traffic:
    def __init__(self, stubs, seed):
        self.stubs = stubs
        self.rng = random.Random(seed)
        self.stop = threading.Event()

    def lookup(self, rng, source, edns, dual):
        """One name lookup of a host: A, or A and AAAA together for a dual-stack host's application."""
        r = rng.random()
        if r < 0.46:
            host = rng.choice(SHOP_NAMES)
            name = host + ".shop.example" if host else "shop.example"
            types = ["A", "AAAA"] if dual and host in ("www", "api", "static", "img", "checkout", "") else ["A"]
            tag = "local"
        elif r < 0.68:
            host = rng.choice(PARTNER_NAMES)
            name = host + ".partner.test" if host else "partner.test"
            types, tag = (["A", "AAAA"] if dual else ["A"]), "partner"
        elif r < 0.82:
            name = "%s-%d.cdn.partner.test" % (rng.choice(["img", "js", "assets", "media"]), rng.randint(1, 400))
            types, tag = (["A", "AAAA"] if dual else ["A"]), "partner"
        elif r < 0.86:
            name, types = rng.choice(["shop.example", "shop.example", "partner.test"]), ["MX"]
            tag = "partner" if name == "partner.test" else "local"
        elif r < 0.89:
            name = rng.choice(["_ldap._tcp.shop.example", "_kerberos._udp.shop.example", "_imaps._tcp.shop.example"])
            types, tag = ["SRV"], "local"
        elif r < 0.91:
            name = rng.choice(["_dmarc.shop.example", "shop.example", "_deploy.shop.example"])
            types, tag = ["TXT"], "local"
        elif r < 0.97:
            name = "%d.100.51.198.in-addr.arpa" % rng.choice([10, 20, 21, 30, 40, 60, 61, 62, 80, 81, 82, 83, 84, 120])
            types, tag = ["PTR"], "local"
        else:
            name, types, tag = rng.choice(TYPOS), ["A"], "typo"
        for t in types:
            self.stubs.send(source, name, t, tag, edns)

    def host(self, k, rate):
        rng = random.Random(self.rng.random())
        source = "127.0.0.%d" % (10 + k)
        edns, dual = k % 3 == 0, k % 4 != 3  # some hosts run a resolver library that sends EDNS; most are dual-stack
        for _ in poisson(rate, self.stop, rng):
            self.lookup(rng, source, edns, dual)

    def noise(self, named):
        """The guest host's denied recursion, the cron job that resolves legacy.partner.test, the secondary's SOA
        check every 30 s and the hostmaster's zone edits."""
        rng = random.Random(self.rng.random())
        t = now()
        nxt = {"guest": t + rng.uniform(5, 30), "legacy": t + rng.uniform(10, 40), "edit": t + rng.uniform(60, 120)}
        while not self.stop.wait(0.2):
            t = now()
            if t >= nxt["guest"]:
                nxt["guest"] = t + rng.uniform(15, 45)
                name = rng.choice(["www.partner.test", "api.partner.test", "status.partner.test",
                                   "img-7.cdn.partner.test"])
                self.stubs.send("127.0.0.200", name, "A", "guest")
            if t >= nxt["legacy"]:
                nxt["legacy"] = t + rng.uniform(40, 70)
                self.stubs.send("127.0.0.23", "legacy.partner.test", "A", "legacy")
            if t >= nxt["edit"]:
                nxt["edit"] = t + rng.uniform(90, 150)
                named.edit_zone()

    def run(self, named, hosts=30):
        rates = [self.rng.uniform(0.5, 1.5) for _ in range(hosts)]  # lookups/s; about 1.6 queries a lookup
        ts = [threading.Thread(target=self.host, args=(k, rates[k]), daemon=True) for k in range(hosts)]
        ts.append(threading.Thread(target=self.noise, args=(named,), daemon=True))
        for t in ts:
            t.start()
        return ts


def tcp_query(source, name, qtype, timeout=5):
    """One query over TCP from source; returns the answers' messages (for AXFR, until the closing SOA)."""
    qid = random.randrange(65536)
    with socket.create_connection(("127.0.0.1", PORT), timeout=timeout, source_address=(source, 0)) as s:
        msg = make_query(name, qtype, qid, rd=False)
        s.sendall(struct.pack(">H", len(msg)) + msg)
        f = s.makefile("rb")
        out, soas = [], 0
        while True:
            head = f.read(2)
            if len(head) < 2:
                return out
            data = f.read(struct.unpack(">H", head)[0])
            out.append(data)
            parsed = parse(data)
            soas += sum(1 for r in parsed[5] if r[1] == TYPES["SOA"])
            if parsed[2] != 0 or qtype != "AXFR" or soas >= 2:
                return out


class Secondary:
    """The zone's secondary on 127.0.0.2: answers NOTIFY on 127.0.0.2:NOTIFY, checks the SOA every 30 s and on a
    NOTIFY, and transfers the zone (AXFR over TCP) when the serial went up."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((SECONDARY, NOTIFY))
        self.sock.settimeout(0.5)
        self.stop = threading.Event()
        self.serial = 0
        self.transfers = 0

    def soa_serial(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((SECONDARY, 0))
        s.settimeout(3)
        try:
            s.sendto(make_query("shop.example", "SOA", random.randrange(65536), rd=False, edns=True),
                     ("127.0.0.1", PORT))
            _, _, rcode, _, _, records = parse(s.recv(4096))
            for owner, rtype, _, rdata in records:
                if rtype == TYPES["SOA"]:
                    p = 0
                    for _ in range(2):  # MNAME, RNAME are compressed: skip them by their ends
                        while rdata[p] and rdata[p] & 0xC0 != 0xC0:
                            p += 1 + rdata[p]
                        p += 2 if rdata[p] & 0xC0 == 0xC0 else 1
                    return struct.unpack(">I", rdata[p:p + 4])[0]
        except OSError:
            return None
        finally:
            s.close()
        return None

    def refresh(self):
        serial = self.soa_serial()
        if serial and serial != self.serial:
            try:
                tcp_query(SECONDARY, "shop.example", "AXFR")
                self.serial = serial
                self.transfers += 1
            except OSError:
                pass

    def run(self):
        nxt = 0
        while not self.stop.is_set():
            try:
                msg, peer = self.sock.recvfrom(4096)
                qid, flags = struct.unpack(">HH", msg[:4])
                if (flags >> 11) & 0xF == 4:  # NOTIFY: acknowledge it, then check the primary
                    qend = 12 + len(name_bytes(read_name(msg, 12)[0])) + 4
                    self.sock.sendto(struct.pack(">HHHHHH", qid, 0x8000 | (4 << 11) | 0x0400, 1, 0, 0, 0)
                                     + msg[12:qend], peer)
                    time.sleep(random.uniform(0.2, 1.5))
                    nxt = 0
            except socket.timeout:
                pass
            except (OSError, IndexError, struct.error):
                continue
            if now() >= nxt:
                nxt = now() + 30
                self.refresh()


# ---- incidents ------------------------------------------------------------------------------------------------------

def zone_transfer_probe(seconds, client="127.0.0.99", rate=3.0):
    start, tries, refused = now(), 0, 0
    i = 0
    while now() < start + seconds:
        try:
            replies = tcp_query(client, "shop.example", "AXFR")
            tries += 1
            if replies and replies[0][3] & 0xF == 5:
                refused += 1
        except OSError:
            pass
        i += 1
        sleep_until(start + i / rate)
    return tries, refused


def nxdomain_flood(stubs, seconds, client="127.0.0.77", rate=50.0):
    rng = random.Random(77)
    stop = threading.Event()
    threading.Timer(seconds, stop.set).start()
    sent = 0
    alphabet = string.ascii_lowercase + string.digits
    for _ in poisson(rate, stop, rng):
        label = "".join(rng.choice(alphabet) for _ in range(rng.randint(8, 16)))
        name = label + (".shop.example" if rng.random() < 0.7 else ".www.shop.example")
        stubs.send(client, name, "A", "flood", edns=True, retry=False)  # an attack tool does not retry
        sent += 1
    return sent


def main():
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="logwarden-bind-")
    named = Named(work)
    upstream = Upstream(UPSTREAM, 2026)
    secondary = Secondary()
    stubs = Stubs(PORT)
    version = subprocess.run(["named", "-v"], capture_output=True, text=True).stdout.split(" (")[0].strip()
    lg, lq = Labels(), Labels()
    for l in (lg, lq):
        l.note("made by bench/real-logs/bind.py: real %s on 127.0.0.1:%d (authoritative for shop.example, forwarding "
               "partner.test and the rest to 127.0.0.1#%d), 30 stub resolvers on 127.0.0.10-39, ~45 queries/s, "
               "wall-clock times" % (version, PORT, UPSTREAM))
    lg.note("the general log (category queries goes to bind-f.queries.log); the nxdomain flood shows here only "
            "through response rate limiting (rate-limit category)")
    lg.note("forwarder-down's influencer is 127.0.0.1#%d (BIND's form) or the zone that failed, partner.test; not "
            "a bare 127.0.0.1, which the clients 127.0.0.10-19 contain; BIND 9.18 names the forwarder at info only "
            "in routine lame-servers lines, none during the outage" % UPSTREAM)
    lq.note("the query log (category queries): every query named received, not its answer; the forwarder's outage "
            "is not labelled here: the query log shows it only as about a third more partner.test queries, the "
            "stubs' retries of the queries that went unanswered")
    threads = []
    try:
        named.start()
        for target in (upstream.run, secondary.run, stubs.run):
            threads.append(threading.Thread(target=target, daemon=True))
            threads[-1].start()
        traffic = Traffic(stubs, 2026)
        hosts = traffic.run(named)
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. the upstream stops answering for 40 s
        start = now()
        upstream.mode = "down"
        time.sleep(40 * SCALE)
        upstream.mode = "up"
        end = now()
        lg.add("forwarder-down", start, end + 2, "upstream-outage", "127.0.0.1#%d|partner.test" % UPSTREAM,
               "the forwarder 127.0.0.1#%d stopped answering for %d s: queries for partner.test names fail with "
               "SERVFAIL once their cache entries expire; named logs query failed (timed out) for each (query-errors, "
               "no line names the forwarder) and clients-per-query increased" % (UPSTREAM, round(end - start)))
        sleep_until(t0 + 190 * SCALE)

        # 2. AXFR attempts of shop.example from a host not allowed to transfer it
        start = now()
        tries, refused = zone_transfer_probe(30 * SCALE)
        end = now()
        for l in (lg, lq):
            l.add("zone-transfer-probe", start, end, "zone-transfer-probe", "127.0.0.99",
                  "127.0.0.99 tried AXFR of shop.example %d times in %d s (%d refused): allow-transfer denies it, "
                  "named logs zone transfer 'shop.example/AXFR/IN' denied" % (tries, round(end - start), refused))
        sleep_until(t0 + 280 * SCALE)

        # 3. random names under shop.example, 50 a second
        start = now()
        sent = nxdomain_flood(stubs, 30 * SCALE)
        end = now()
        lg.add("nxdomain-flood", start, end + 1, "random-subdomain-flood", "127.0.0.77|127.0.0.0/24",
               "127.0.0.77 queried %d random names under shop.example in %d s (water torture): NXDOMAIN; response "
               "rate limiting logs limiting NXDOMAIN responses to its /24" % (sent, round(end - start)))
        lq.add("nxdomain-flood", start, end, "random-subdomain-flood", "127.0.0.77",
               "127.0.0.77 queried %d random names under shop.example in %d s (water torture), each answered "
               "NXDOMAIN" % (sent, round(end - start)))
        sleep_until(t0 + 370 * SCALE)
        traffic.stop.set()
        for t in hosts:
            t.join(10)
        print("bind-f: %s; upstream answered %d, dropped %d; secondary transfers %d" % (
            ", ".join("%s %s %d" % (k[0], k[1], v) for k, v in sorted(stubs.counts.items())),
            upstream.answered, upstream.dropped, secondary.transfers), file=sys.stderr)
    finally:
        for x in (upstream, secondary, stubs):
            x.stop.set()
        for t in threads:
            t.join(15)
        named.stop()
        upstream.sock.close()
        secondary.sock.close()
    shutil.copy(named.log, os.path.join(OUT, "bind-f.log"))
    shutil.copy(named.queries, os.path.join(OUT, "bind-f.queries.log"))
    lg.write(os.path.join(OUT, "bind-f.labels.tsv"))
    lq.write(os.path.join(OUT, "bind-f.queries.labels.tsv"))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
