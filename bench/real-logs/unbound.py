#!/usr/bin/env python3
"""Runs a real Unbound (Debian unbound 1.17) on 127.0.0.1 as an office's validating DNS resolver, drives its
clients' lookups through it, injects labelled incidents and keeps Unbound's log exactly as it wrote it: `logfile:`
with `use-syslog: no` and otherwise Unbound's default logging: verbosity 1 and its default timestamp, epoch seconds
("[1764700000] unbound[4242:0] info: start of service (unbound 1.17.1)."; log-time-ascii stays off as in Debian's
config). On top of that what an admin who watches a resolver turns on: log-servfail yes (a line for each SERVFAIL
with its reason), val-log-level 2 (a line for each DNSSEC validation failure), and rate limiting (ratelimit 100 a
zone, ip-ratelimit 150 a client, each logged by a notice line when a second first exceeds it). Standard library
only: the clients and every server Unbound asks speak DNS's wire format themselves; corp.example is DNSSEC-signed
here with RSA/SHA-256 keys the script makes (NSEC, RRSIGs over every RRset).

usage: bench/real-logs/unbound.py OUTDIR [PORT]      (default port 19953)
  Unbound listens on 127.0.0.1:PORT, unbound-control on 127.0.0.1:PORT+1 (control-use-cert no); the servers it asks
  all listen on port PORT+2: ns1.corp.example on 127.0.1.1 (corp.example, signed, and 20.10.in-addr.arpa), the web
  shop's primary on 127.0.1.2 (shop.example and 100.51.198.in-addr.arpa), the ISP's resolver on 127.0.1.3 (forward
  zone "."), the partner's resolver across a site-to-site VPN on 127.0.1.4 (forward zone partner.example); and
  127.0.1.9:53 swallows queries (the lab's server dev.shop.example is delegated to, long switched off)
  writes OUTDIR/unbound-i.log (gzipped over 1 MB) and OUTDIR/unbound-i.labels.tsv; SCALE=0.2 multiplies every
  duration (a short run for testing)

Unbound runs as `unbound -d -c WORK/unbound.conf` (started as root, it drops to Debian's unbound user, which owns the
work dir; stopped with SIGTERM). The config: interface 127.0.0.1, do-ip6 no, access-control 127.0.0.0/8 refuse and
127.0.0.0/25 allow, prefetch, hide-identity/version, do-not-query-localhost no (the servers are on loopback), stub
zones and forward zones as above, `local-zone: ... nodefault` for the two reverse zones, a trust-anchor-file with
corp.example's DS (there is no Internet, so no root trust anchor: the other zones are unsigned and not validated),
and an included office-lan.conf with a static local-zone office.lan (local-data and local-data-ptr for printers,
the NAS, access points). Debian's module-config holds subnetcache, so each start logs its warning that prefetch
does not work for the subnet cache.

Normal traffic (about 40 queries/s): 40 hosts on 127.0.0.10-49, each a stub resolver (a fresh UDP socket a query,
5 s timeout, one retry, as glibc's) looking names up at Poisson rates, dual-stack hosts asking A and AAAA together:
corp.example's services (TTL 60 s; validated, AD), shop.example, partner.example and the vendor and provider names
behind the ISP's resolver (TTL 30 s), unique names under cdn.partner.example (cache misses), MX, TXT, SRV, PTR for
both reverse zones, office.lan names answered locally, and an occasional typo (NXDOMAIN, some proven by NSEC).
Routine noise in the log: a build job on 127.0.0.48 that still looks up names under dev.shop.example every 35-80 s
(SERVFAIL "all servers for this domain failed, at zone dev.shop.example. upstream server timeout" or "no server to
query"), a cron job on 127.0.0.23 resolving legacy-crm.vendor.example, which the ISP's resolver refuses (SERVFAIL
"... at zone . from 127.0.1.3 got REFUSED"), every 50-80 s, `unbound-control stats_noreset` from the monitoring
every 60 s (no log line), the ISP's and the partner's resolvers answering 2-3 in a hundred queries 50-400 ms late,
and the admin's routine changes: a new device added to office.lan, unbound-checkconf, `unbound-control reload`,
twice (Unbound logs "service stopped", its server stats with the recursion-time histogram, one line a bucket,
"Restart of unbound 1.17.1.", the module inits, "start of service" and the trust anchor's keytag query).
Incidents (about 7 minutes in all: 90 s of normal traffic, each incident followed by at least 50 s of it):
  partner-dns-down   the VPN to the partner goes down for 40 s: its resolver (127.0.1.4, the forwarder for
                     partner.example) stops answering; once cached names expire Unbound logs "error: SERVFAIL
                     <NAME. A IN>: all the configured stub or forward servers failed, at zone partner.example.
                     upstream server timeout", then "... no server to query nameserver addresses not usable" while it
                     holds the forwarder down
  subdomain-flood    a compromised host 127.0.0.77 sends about 220 queries a second for random names under
                     shop.example for 30 s (a random-subdomain, "water torture", flood): "notice: ip_ratelimit
                     exceeded 127.0.0.77 150 NAME IN A" and "notice: ratelimit exceeded shop.example. 100 query NAME
                     IN A" each second, and "error: SERVFAIL <NAME. A IN>: exceeded ratelimit for zone
                     shop.example." for each query the zone's rate limit turns away, the other hosts' shop.example
                     lookups among them
  dnssec-bogus       a botched key rollover: corp.example is re-signed with a new key and the old one withdrawn at
                     once, while the resolver's trust anchor still holds the old key's DS; for 75 s, until the zone is
                     rolled back, each corp.example answer Unbound fetches anew (as the 60 s TTLs run out) is bogus:
                     "info: validation failure <NAME. A IN>: signatures from unknown keys from 127.0.1.1" (for
                     NXDOMAIN answers "... for <corp.example. SOA IN>"); the clients get SERVFAIL, cached 60 s
"""
import collections
import hashlib
import os
import pwd
import random
import shutil
import signal
import socket
import string
import struct
import subprocess
import sys
import tempfile
import threading
import time

from arrivals import poisson
from dnswire import TYPES, TYPE_NAMES, RCODES, name_bytes, read_name, make_query, Stubs
from drivers import stop_process, keep_log, now, sleep_until
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19953
CONTROL = PORT + 1
AUTH = PORT + 2                     # the port every authoritative server and the forwarder listen on
CORP_NS = "127.0.1.1"               # ns1.corp.example: corp.example (DNSSEC-signed) and 20.10.in-addr.arpa
SHOP_NS = "127.0.1.2"               # the public web shop's primary: shop.example and 100.51.198.in-addr.arpa
FORWARDER = "127.0.1.3"             # the ISP's resolver, where everything else is forwarded
PARTNER_NS = "127.0.1.4"            # the partner's resolver across the site-to-site VPN, for partner.example
LAB_NS = "127.0.1.9"                # the lab's server dev.shop.example is delegated to, long switched off
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "unbound-i"

# ---- DNS wire format (the rest is in dnswire.py) --------------------------------------------------------------------

def rdata(rtype, value):
    if rtype == "A":
        return socket.inet_aton(value)
    if rtype == "AAAA":
        return socket.inet_pton(socket.AF_INET6, value)
    if rtype in ("CNAME", "NS", "PTR"):
        return name_bytes(value.lower())
    if rtype == "MX":
        return struct.pack(">H", value[0]) + name_bytes(value[1].lower())
    if rtype == "SRV":
        return struct.pack(">HHH", *value[:3]) + name_bytes(value[3].lower())
    if rtype == "TXT":
        return bytes([len(value)]) + value.encode()
    if rtype == "SOA":
        return name_bytes(value[0]) + name_bytes(value[1]) + struct.pack(">IIIII", *value[2:])
    raise ValueError(rtype)


def rr(owner, rtype, ttl, rd):
    return name_bytes(owner) + struct.pack(">HHIH", TYPES[rtype], 1, ttl, len(rd)) + rd


def canonical(name):
    """The sort key of RFC 4034's canonical name order."""
    return tuple(l.encode() for l in reversed(name.lower().rstrip(".").split(".")))


# ---- DNSSEC: RSA/SHA-256 (algorithm 8) keys and signatures, standard library only -----------------------------------

SHA256_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
SMALL_PRIMES = [p for p in range(3, 2000, 2) if all(p % d for d in range(3, int(p ** 0.5) + 1, 2))]


def probable_prime(n, rng):
    if any(n % p == 0 for p in SMALL_PRIMES):
        return False
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(24):
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def prime(bits, rng):
    while True:
        n = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if probable_prime(n, rng):
            return n


def keytag(rd):
    ac = 0
    for i, b in enumerate(rd):
        ac += b if i & 1 else b << 8
    ac += (ac >> 16) & 0xFFFF
    return ac & 0xFFFF


class Key:
    """An RSA/SHA-256 key signing a whole zone (a combined signing key, flags 257, as small zones use)."""

    def __init__(self, rng, bits=2048):
        e = 65537
        while True:
            p, q = prime(bits // 2, rng), prime(bits // 2, rng)
            if p != q and (p - 1) % e and (q - 1) % e:
                break
        self.n, self.size = p * q, bits // 8
        self.d = pow(e, -1, (p - 1) * (q - 1))
        self.dnskey = struct.pack(">HBB", 257, 3, 8) + bytes([3]) + e.to_bytes(3, "big") + self.n.to_bytes(
            self.size, "big")
        self.tag = keytag(self.dnskey)

    def sign(self, data):
        t = SHA256_INFO + hashlib.sha256(data).digest()
        em = b"\0\1" + b"\xff" * (self.size - 3 - len(t)) + b"\0" + t
        return pow(int.from_bytes(em, "big"), self.d, self.n).to_bytes(self.size, "big")

    def ds(self, owner):
        digest = hashlib.sha256(name_bytes(owner.lower()) + self.dnskey).hexdigest().upper()
        return "%s. 3600 IN DS %d 8 2 %s" % (owner, self.tag, digest)


# ---- zones ----------------------------------------------------------------------------------------------------------

class Zone:
    """A zone's data: records given as (owner relative to the origin or "@", type, ttl, value). signed zones get
    NSEC records and RRSIGs for each key set sign() is given; `keyset` picks the one served."""

    def __init__(self, origin, records):
        self.origin = origin
        self.nodes = collections.OrderedDict()   # name: {type: [ttl, [rdata]]}
        self.cnames = {}
        self.delegations = {}                    # child zone: [(ns name, glue address)]
        for owner, rtype, ttl, value in records:
            name = origin if owner == "@" else owner + "." + origin
            if rtype == "DELEGATE":
                self.delegations[name] = value
                continue
            node = self.nodes.setdefault(name, {})
            node.setdefault(rtype, [ttl, []])[1].append(rdata(rtype, value))
            if rtype == "CNAME":
                self.cnames[name] = value
        self.soa_min = struct.unpack(">I", self.nodes[origin]["SOA"][1][0][-4:])[0]
        self.keysets = {}
        self.keyset = None

    def holds(self, name):
        return name == self.origin or name.endswith("." + self.origin)

    def exists(self, name):
        return name in self.nodes or any(n.endswith("." + name) for n in self.nodes)

    def add_nsec(self):
        names = sorted(self.nodes, key=canonical)
        for i, name in enumerate(names):
            types = sorted([TYPES[t] for t in self.nodes[name]] + [TYPES["RRSIG"], TYPES["NSEC"]])
            bitmap = bytearray(types[-1] // 8 + 1)
            for t in types:
                bitmap[t // 8] |= 0x80 >> (t % 8)
            self.nodes[name]["NSEC"] = [self.soa_min, [name_bytes(names[(i + 1) % len(names)]) + bytes([0, len(
                bitmap)]) + bytes(bitmap)]]
        self.order = [canonical(n) for n in names]
        self.names = names

    def sign(self, label, key, inception, expiration):
        """Signs every RRset with key (the DNSKEY RRset holding key alone) as key set `label`."""
        sigs = {}
        dnskey = [3600, [key.dnskey]]
        for name, node in list(self.nodes.items()) + [(self.origin, {"DNSKEY": dnskey})]:
            nlabels = len(name.split("."))
            for rtype, (ttl, rds) in node.items():
                head = struct.pack(">HBBIIIH", TYPES[rtype], 8, nlabels, ttl, expiration, inception, key.tag) + \
                    name_bytes(self.origin)
                data = head + b"".join(rr(name.lower(), rtype, ttl, rd) for rd in sorted(rds))
                sigs[name, rtype] = head + key.sign(data)
        self.keysets[label] = (dnskey, sigs)
        if self.keyset is None:
            self.keyset = label

    def covering(self, name):
        """The zone name whose NSEC covers the non-existent name."""
        key = canonical(name)
        best = self.names[0]
        for n, k in zip(self.names, self.order):
            if k < key:
                best = n
        return best

    def rrset(self, name, rtype):
        if rtype == "DNSKEY" and self.keyset and name == self.origin:
            ttl, rds = self.keysets[self.keyset][0]
        else:
            ttl, rds = self.nodes[name][rtype]
        return (name, rtype, ttl, rds)

    def lookup(self, qname, qtype):
        """(rcode, authoritative, answer, authority, additional); each a list of RRsets (name, type, ttl, [rdata])."""
        for child, servers in self.delegations.items():
            if qname == child or qname.endswith("." + child):
                ns = [(child, "NS", 3600, [rdata("NS", s) for s, _ in servers])]
                glue = [(s, "A", 3600, [rdata("A", a)]) for s, a in servers]
                return 0, False, [], ns, glue
        answer, name = [], qname
        signed = bool(self.keyset)
        for _ in range(8):
            node = self.nodes.get(name)
            if node is None:
                break
            if qtype in node or (qtype == "DNSKEY" and signed and name == self.origin):
                answer.append(self.rrset(name, qtype))
                return 0, True, answer, [], []
            if "CNAME" in node and qtype != "CNAME":
                answer.append(self.rrset(name, "CNAME"))
                name = self.cnames[name]
                if not self.holds(name):
                    return 0, True, answer, [], []
                continue
            break
        soa = self.rrset(self.origin, "SOA")
        soa = (soa[0], soa[1], self.soa_min, soa[3])
        if self.exists(name):
            if not signed:
                return 0, True, answer, [soa], []
            proof = [self.rrset(name, "NSEC") if name in self.nodes else self.rrset(self.covering(name), "NSEC")]
            return 0, True, answer, [soa] + proof, []
        authority = [soa]
        if signed:
            first = self.covering(name)
            encloser = name
            while not self.exists(encloser):
                encloser = encloser.split(".", 1)[1]
            wild = self.covering("*." + encloser)
            authority += [self.rrset(n, "NSEC") for n in dict.fromkeys([first, wild])]
        return 3, True, answer, authority, []

    def rrsig(self, name, rtype):
        sigs = self.keysets[self.keyset][1]
        return sigs.get((name, rtype))


def zone_records(hosts, extra, ttl):
    records = []
    for host, (a, aaaa) in hosts.items():
        records.append((host, "A", ttl, a))
        if aaaa:
            records.append((host, "AAAA", ttl, aaaa))
    return records + extra


CORP_HOSTS = {  # name: (A, AAAA or None); the internal zone, short TTLs for the services that fail over
    "ns1": ("10.20.0.2", None), "ns2": ("10.20.0.3", None), "proxy": ("10.20.0.8", "fd00:20::8"),
    "ntp": ("10.20.0.9", None), "mx1": ("10.20.1.10", None), "mx2": ("10.20.1.11", None),
    "www": ("10.20.2.10", "fd00:20::2:10"), "intranet": ("10.20.2.20", "fd00:20::2:20"), "git": ("10.20.2.30", None),
    "jira": ("10.20.2.31", None), "ci": ("10.20.2.32", None), "sso": ("10.20.2.40", "fd00:20::2:40"),
    "ldap": ("10.20.2.41", None), "files": ("10.20.2.50", None), "erp": ("10.20.2.60", None),
    "crm": ("10.20.2.61", None), "vpn": ("10.20.3.1", "fd00:20::3:1"), "grafana": ("10.20.4.10", None),
    "prometheus": ("10.20.4.11", None), "logs": ("10.20.4.12", None), "backup": ("10.20.4.20", None),
    "printer-2f": ("10.20.5.21", None), "printer-3f": ("10.20.5.31", None), "chat": ("10.20.2.70", None),
}
CORP_EXTRA = [
    ("@", "SOA", 3600, ("ns1.corp.example", "hostmaster.corp.example", 2026120301, 3600, 900, 1209600, 60)),
    ("@", "NS", 3600, "ns1.corp.example"), ("@", "NS", 3600, "ns2.corp.example"),
    ("@", "MX", 300, (10, "mx1.corp.example")), ("@", "MX", 300, (20, "mx2.corp.example")),
    ("@", "TXT", 300, "v=spf1 mx ip4:10.20.1.0/24 -all"), ("@", "A", 60, "10.20.2.10"),
    ("wiki", "CNAME", 300, "intranet.corp.example"), ("hr", "CNAME", 300, "erp.corp.example"),
    ("mail", "CNAME", 300, "mx1.corp.example"), ("_dmarc", "TXT", 300, "v=DMARC1; p=reject"),
]
CORP_REVERSE = [("@", "SOA", 3600, ("ns1.corp.example", "hostmaster.corp.example", 2026120301, 3600, 900, 1209600,
                                    300)),
                ("@", "NS", 3600, "ns1.corp.example")] + [
    ("%s.%s" % tuple(reversed(a.split(".")[2:])), "PTR", 300, h + ".corp.example") for h, (a, _) in CORP_HOSTS.items()]

SHOP_HOSTS = {
    "www": ("198.51.100.10", "2001:db8:5::10"), "api": ("198.51.100.20", "2001:db8:5::20"),
    "checkout": ("198.51.100.21", "2001:db8:5::21"), "auth": ("198.51.100.22", None),
    "static": ("198.51.100.30", "2001:db8:5::30"), "img": ("198.51.100.31", "2001:db8:5::31"),
    "mail": ("198.51.100.40", "2001:db8:5::40"), "ns1": ("198.51.100.2", None), "ns2": ("198.51.100.3", None),
    "search": ("198.51.100.84", None), "status": ("198.51.100.90", None), "@": ("198.51.100.10", "2001:db8:5::10"),
}
SHOP_EXTRA = [
    ("@", "SOA", 3600, ("ns1.shop.example", "hostmaster.shop.example", 2026120207, 3600, 900, 1209600, 300)),
    ("@", "NS", 3600, "ns1.shop.example"), ("@", "NS", 3600, "ns2.shop.example"),
    ("@", "MX", 3600, (10, "mail.shop.example")), ("@", "TXT", 3600, "v=spf1 mx ip4:198.51.100.0/24 -all"),
    ("cdn", "CNAME", 300, "static.shop.example"), ("shop", "CNAME", 300, "www.shop.example"),
    ("_imaps._tcp", "SRV", 3600, (0, 1, 993, "mail.shop.example")),
    ("_submission._tcp", "SRV", 3600, (0, 1, 587, "mail.shop.example")),
    ("dev", "DELEGATE", 3600, [("ns.dev.shop.example", LAB_NS)]),
]
SHOP_REVERSE = [("@", "SOA", 3600, ("ns1.shop.example", "hostmaster.shop.example", 2026120207, 3600, 900, 1209600,
                                    300)),
                ("@", "NS", 3600, "ns1.shop.example")] + [
    (a.rsplit(".", 1)[1], "PTR", 3600, h + ".shop.example") for h, (a, _) in SHOP_HOSTS.items() if h != "@"]


# ---- the servers Unbound asks ---------------------------------------------------------------------------------------

EXTERNAL = {  # what the ISP's resolver knows: partner.example, a vendor's update service, a time pool
    "partner.example": {"A": ["192.0.2.10"], "MX": [(10, "mx1.partner.example")], "TXT": ["v=spf1 mx -all"]},
    "api.partner.example": {"A": ["192.0.2.21", "192.0.2.22"], "AAAA": ["2001:db8:70::21"]},
    "sso.partner.example": {"A": ["192.0.2.30"], "AAAA": ["2001:db8:70::30"]},
    "edi.partner.example": {"A": ["192.0.2.41"]},
    "files.partner.example": {"A": ["192.0.2.50"], "AAAA": ["2001:db8:70::50"]},
    "portal.partner.example": {"A": ["192.0.2.60"], "AAAA": ["2001:db8:70::60"]},
    "www.partner.example": {"CNAME": "partner.example"},
    "mx1.partner.example": {"A": ["192.0.2.25"]},
    "updates.vendor.example": {"CNAME": "updates.edge.vendor.example"},
    "updates.edge.vendor.example": {"A": ["203.0.113.50", "203.0.113.51"], "AAAA": ["2001:db8:99::50"]},
    "license.vendor.example": {"A": ["203.0.113.60"]},
    "0.pool.ntp.example": {"A": ["203.0.113.123", "203.0.113.124"]},
    "1.pool.ntp.example": {"A": ["203.0.113.125"]},
    "mail.provider.example": {"A": ["203.0.113.25"], "AAAA": ["2001:db8:98::25"]},
    "outlook.provider.example": {"A": ["203.0.113.26"], "AAAA": ["2001:db8:98::26"]},
    "teams.provider.example": {"A": ["203.0.113.27"]},
}
REFUSED_NAMES = {"legacy-crm.vendor.example"}  # the ISP's resolver refuses it (a blocklist entry)


class DnsServer:
    """A small DNS server on ADDR:AUTH (UDP and TCP). zones: authoritative answers from Zone objects; forwarder=True:
    answers as a recursive resolver (EXTERNAL, NXDOMAIN for the rest). mode "up" answers, "down" answers nothing;
    `jitter` of the answers come 50-400 ms late."""

    def __init__(self, addr, zones=(), forwarder=False, jitter=0.0, seed=1):
        self.addr, self.zones, self.forwarder, self.jitter = addr, list(zones), forwarder, jitter
        self.rng = random.Random(seed)
        self.mode = "up"
        self.stop = threading.Event()
        self.counts = collections.Counter()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.udp.bind((addr, AUTH))
        self.udp.settimeout(0.2)
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind((addr, AUTH))
        self.tcp.listen(16)
        self.tcp.settimeout(0.2)

    def external(self, name, qtype):
        if name in REFUSED_NAMES:
            return 5, False, [], [], []
        answer, target = [], name
        for _ in range(4):
            data = EXTERNAL.get(target)
            if data is None and target.endswith(".cdn.partner.example"):
                h = sum(target.encode()) % 200
                data = {"A": ["198.18.%d.%d" % (h // 50, h + 20)], "AAAA": ["2001:db8:cd::%x" % (h + 1)]}
            if data is None:
                break
            if "CNAME" in data and qtype != "CNAME":
                answer.append((target, "CNAME", 300, [rdata("CNAME", data["CNAME"])]))
                target = data["CNAME"]
                continue
            ttl = 60 if ".cdn." in target else 300 if qtype == "MX" else 30
            rds = [rdata(qtype, v) for v in data.get(qtype, [])]
            if rds:
                answer.append((target, qtype, ttl, rds))
            break
        if any(r[1] == qtype for r in answer):
            return 0, False, answer, [], []
        zone = ".".join(target.split(".")[-2:]) if data is not None or answer else ""
        soa = (zone or ".", "SOA", 60, [rdata("SOA", (("ns1." + zone) if zone else "a.root-servers.net",
                                                       ("hostmaster." + zone) if zone else "nstld.verisign-grs.com",
                                                       2026120301, 1800, 900, 604800, 60))])
        return (0 if data is not None or answer else 3), False, answer, [soa], []

    def answer(self, msg, limit_udp):
        qid, flags, qd, _an, _ns, ar = struct.unpack(">HHHHHH", msg[:12])
        if qd != 1 or flags & 0x8000:
            return None
        qname, p = read_name(msg, 12)
        qtype = TYPE_NAMES.get(struct.unpack(">H", msg[p:p + 2])[0], "NULL")
        question = msg[12:p + 4]
        edns, do, size = False, False, 512
        if ar and msg[p + 4:p + 7] == b"\0" + struct.pack(">H", TYPES["OPT"]):
            size, ttl = struct.unpack(">HI", msg[p + 7:p + 13])
            edns, do, size = True, bool(ttl & 0x8000), max(512, size)
        name = qname.lower().rstrip(".")
        zone = None
        if self.forwarder:
            rcode, aa, answer, authority, additional = self.external(name, qtype)
        else:
            held = [z for z in self.zones if z.holds(name)]
            if not held:
                rcode, aa, answer, authority, additional = 5, False, [], [], []
            else:
                zone = max(held, key=lambda z: len(z.origin))
                rcode, aa, answer, authority, additional = zone.lookup(name, qtype)
        sections = []
        for rrsets in (answer, authority, additional):
            out = []
            for owner, rtype, ttl, rds in rrsets:
                out += [rr(owner, rtype, ttl, rd) for rd in rds]
                sig = zone.rrsig(owner, rtype) if (do and zone is not None and zone.keyset) else None
                if sig:
                    out.append(rr(owner, "RRSIG", ttl, sig))
            sections.append(out)
        opt = [b"\0" + struct.pack(">HHIH", TYPES["OPT"], 1232, 0x8000 if do else 0, 0)] if edns else []
        rflags = 0x8000 | (flags & 0x0100) | (0x0400 if aa else 0) | (0x0080 if self.forwarder else 0) | rcode
        body = b"".join(sections[0] + sections[1] + sections[2] + opt)
        out = struct.pack(">HHHHHH", qid, rflags, 1, len(sections[0]), len(sections[1]),
                          len(sections[2]) + len(opt)) + question + body
        if limit_udp and len(out) > size:  # truncated: the client asks again over TCP
            out = struct.pack(">HHHHHH", qid, rflags | 0x0200, 1, 0, 0, len(opt)) + question + b"".join(opt)
        return out

    def run_udp(self):
        while not self.stop.is_set():
            try:
                msg, peer = self.udp.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                break
            if self.mode == "down":
                self.counts["dropped"] += 1
                continue
            try:
                reply = self.answer(msg, True)
            except (IndexError, struct.error, ValueError, KeyError):
                self.counts["malformed"] += 1
                continue
            if reply is None:
                continue
            self.counts["answered"] += 1
            delay = self.rng.uniform(0.05, 0.4) if self.rng.random() < self.jitter else 0
            if delay:
                threading.Timer(delay, self.udp.sendto, args=(reply, peer)).start()
            else:
                try:
                    self.udp.sendto(reply, peer)
                except OSError:
                    pass

    def serve_tcp(self, conn):
        conn.settimeout(5)
        try:
            f = conn.makefile("rb")
            while not self.stop.is_set():
                head = f.read(2)
                if len(head) < 2:
                    break
                msg = f.read(struct.unpack(">H", head)[0])
                if self.mode == "down":
                    self.counts["dropped"] += 1
                    continue
                reply = self.answer(msg, False)
                if reply:
                    self.counts["answered-tcp"] += 1
                    conn.sendall(struct.pack(">H", len(reply)) + reply)
        except (OSError, IndexError, struct.error, ValueError, KeyError):
            pass
        finally:
            conn.close()

    def run_tcp(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.tcp.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            threading.Thread(target=self.serve_tcp, args=(conn,), daemon=True).start()

    def start(self):
        self.threads = [threading.Thread(target=f, daemon=True) for f in (self.run_udp, self.run_tcp)]
        for t in self.threads:
            t.start()

    def close(self):
        self.stop.set()
        for t in self.threads:
            t.join(5)
        self.udp.close()
        self.tcp.close()


class Blackhole:
    """The lab's name server address LAB_NS:53: something still holds the port (a firewall drops the queries)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((LAB_NS, 53))
        self.sock.settimeout(0.2)
        self.stop = threading.Event()
        self.dropped = 0

    def run(self):
        while not self.stop.is_set():
            try:
                self.sock.recvfrom(4096)
                self.dropped += 1
            except socket.timeout:
                continue
            except OSError:
                break


# ---- Unbound --------------------------------------------------------------------------------------------------------

UNBOUND_CONF = """\
# Unbound configuration file for Debian (the office's resolver; see unbound.conf(5)).
server:
    verbosity: 1
    interface: 127.0.0.1
    port: %(port)d
    do-ip6: no
    do-daemonize: no
    username: "unbound"
    directory: "%(work)s"
    chroot: ""
    pidfile: "%(work)s/unbound.pid"
    logfile: "%(work)s/unbound.log"
    use-syslog: no
    log-servfail: yes
    val-log-level: 2

    access-control: 127.0.0.0/8 refuse
    access-control: 127.0.0.0/25 allow

    prefetch: yes
    hide-identity: yes
    hide-version: yes
    do-not-query-localhost: no
    ratelimit: %(ratelimit)d
    ip-ratelimit: %(ip_ratelimit)d

    # the internal zone is signed: its key's DS, from the signer
    trust-anchor-file: "%(work)s/corp.example.ds"

    # the private and documentation address ranges served by our own servers
    local-zone: "10.in-addr.arpa." nodefault
    local-zone: "100.51.198.in-addr.arpa." nodefault

    include: "%(work)s/office-lan.conf"

remote-control:
    control-enable: yes
    control-interface: 127.0.0.1
    control-port: %(control)d
    control-use-cert: no

stub-zone:
    name: "corp.example."
    stub-addr: %(corp)s@%(auth)d

stub-zone:
    name: "20.10.in-addr.arpa."
    stub-addr: %(corp)s@%(auth)d

stub-zone:
    name: "shop.example."
    stub-addr: %(shop)s@%(auth)d

stub-zone:
    name: "100.51.198.in-addr.arpa."
    stub-addr: %(shop)s@%(auth)d

forward-zone:
    name: "partner.example."
    forward-addr: %(partner)s@%(auth)d

forward-zone:
    name: "."
    forward-addr: %(forwarder)s@%(auth)d
"""

OFFICE_LAN = [("printer-1f", "192.168.10.21"), ("nas", "192.168.10.5"), ("wifi-ap1", "192.168.10.2"),
              ("wifi-ap2", "192.168.10.3"), ("badge-reader", "192.168.10.40"), ("meeting-tv", "192.168.10.50")]


class Unbound:
    def __init__(self, work, anchor):
        self.work = work
        self.log = os.path.join(work, "unbound.log")
        self.conf = os.path.join(work, "unbound.conf")
        self.lan = list(OFFICE_LAN)
        with open(os.path.join(work, "corp.example.ds"), "w") as f:
            f.write(anchor + "\n")
        with open(self.conf, "w") as f:
            f.write(UNBOUND_CONF % dict(port=PORT, control=CONTROL, work=work, corp=CORP_NS, shop=SHOP_NS,
                                        forwarder=FORWARDER, partner=PARTNER_NS, auth=AUTH, ratelimit=RATELIMIT,
                                        ip_ratelimit=IP_RATELIMIT))
        self.write_lan()
        u = pwd.getpwnam("unbound")
        os.chmod(work, 0o755)
        for n in os.listdir(work):
            os.chown(os.path.join(work, n), u.pw_uid, u.pw_gid)
        os.chown(work, u.pw_uid, u.pw_gid)
        self.proc = None

    def write_lan(self):
        lines = ['server:', '    local-zone: "office.lan." static']
        for host, a in self.lan:
            lines.append('    local-data: "%s.office.lan. 3600 IN A %s"' % (host, a))
            lines.append('    local-data-ptr: "%s %s.office.lan."' % (a, host))
        with open(os.path.join(self.work, "office-lan.conf"), "w") as f:
            f.write("\n".join(lines) + "\n")

    def start(self):
        check = subprocess.run(["unbound-checkconf", self.conf], capture_output=True, text=True)
        if check.returncode:
            raise SystemExit("unbound-checkconf: " + check.stdout + check.stderr)
        self.proc = subprocess.Popen(["unbound", "-d", "-c", self.conf], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = now() + 20
        while now() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("unbound exited with %s" % self.proc.returncode)
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(0.5)
            try:
                s.sendto(make_query("nas.office.lan", "A", 1), ("127.0.0.1", PORT))
                if s.recv(4096)[3] & 0xF == 0:
                    return
            except OSError:
                time.sleep(0.2)
            finally:
                s.close()
        raise SystemExit("unbound did not answer on 127.0.0.1:%d" % PORT)

    def control(self, *args):
        return subprocess.run(["unbound-control", "-c", self.conf] + list(args), capture_output=True, text=True,
                              timeout=20)

    def add_lan_host(self, host, addr):
        """The admin's routine change: a new device in office.lan, checked, then `unbound-control reload`."""
        self.lan.append((host, addr))
        self.write_lan()
        if subprocess.run(["unbound-checkconf", self.conf], capture_output=True).returncode == 0:
            self.control("reload")

    def stop(self):
        stop_process(self.proc)

    def lines(self, since, pred):
        """Epoch times of the log's lines at or after since whose message satisfies pred."""
        out = []
        with open(self.log, errors="replace") as f:
            for line in f:
                if not line.startswith("["):
                    continue
                try:
                    t = int(line[1:line.index("]")])
                except ValueError:
                    continue
                msg = line.split(": ", 1)[1].rstrip("\n") if ": " in line else ""
                if t >= int(since) and pred(msg):
                    out.append(t)
        return out


RATELIMIT = 100      # queries a second to one zone's servers
IP_RATELIMIT = 150   # queries a second from one client


# ---- clients --------------------------------------------------------------------------------------------------------

CORP_NAMES = ["www", "www", "intranet", "intranet", "intranet", "wiki", "wiki", "git", "git", "jira", "jira", "ci",
              "sso", "sso", "sso", "ldap", "files", "erp", "crm", "hr", "vpn", "grafana", "prometheus", "logs",
              "proxy", "proxy", "ntp", "chat", "chat", "mail", "printer-2f", "printer-3f", "backup", ""]
SHOP_NAMES = ["www", "www", "api", "api", "checkout", "auth", "static", "img", "cdn", "shop", "mail", "search",
              "status", ""]
EXTERNAL_NAMES = ["api.partner.example", "api.partner.example", "sso.partner.example", "edi.partner.example",
                  "files.partner.example", "portal.partner.example", "www.partner.example", "partner.example",
                  "updates.vendor.example", "license.vendor.example", "0.pool.ntp.example", "1.pool.ntp.example",
                  "mail.provider.example", "outlook.provider.example", "outlook.provider.example",
                  "teams.provider.example", "teams.provider.example"]
TYPOS = ["intarnet.corp.example", "jria.corp.example", "wwww.corp.example", "gti.corp.example", "sso.corp.exmaple",
         "chekout.shop.example", "ww.shop.example", "api.partner.exmaple", "portla.partner.example",
         "wpad.corp.example", "isatap.corp.example", "wpad.office.lan", "nas.corp.example", "printer.office.lan"]
DUAL = ("www", "intranet", "sso", "vpn", "proxy", "api", "checkout", "static", "img", "")


class Traffic:
    def __init__(self, stubs, unbound, seed):
        self.stubs, self.unbound = stubs, unbound
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.counts = collections.Counter()

    def lookup(self, rng, source, edns, dual):
        """One name lookup of a host: A, or A and AAAA together for a dual-stack host's application."""
        r = rng.random()
        if r < 0.36:
            host = rng.choice(CORP_NAMES)
            name = host + ".corp.example" if host else "corp.example"
            types = ["A", "AAAA"] if dual and host in DUAL else ["A"]
        elif r < 0.52:
            host = rng.choice(SHOP_NAMES)
            name = host + ".shop.example" if host else "shop.example"
            types = ["A", "AAAA"] if dual and host in DUAL else ["A"]
        elif r < 0.68:
            name, types = rng.choice(EXTERNAL_NAMES), (["A", "AAAA"] if dual else ["A"])
        elif r < 0.78:
            name = "%s-%d.cdn.partner.example" % (rng.choice(["img", "js", "assets", "media"]), rng.randint(1, 400))
            types = ["A", "AAAA"] if dual else ["A"]
        elif r < 0.82:
            name, types = rng.choice(["corp.example", "corp.example", "shop.example", "partner.example"]), ["MX"]
        elif r < 0.85:
            name = rng.choice(["corp.example", "_dmarc.corp.example", "shop.example", "partner.example"])
            types = ["TXT"]
        elif r < 0.87:
            name, types = rng.choice(["_imaps._tcp.shop.example", "_submission._tcp.shop.example"]), ["SRV"]
        elif r < 0.93:
            a = rng.choice(list(CORP_HOSTS.values()))[0].split(".")
            name, types = "%s.%s.20.10.in-addr.arpa" % (a[3], a[2]), ["PTR"]
        elif r < 0.95:
            name = "%d.100.51.198.in-addr.arpa" % rng.choice([10, 20, 21, 30, 31, 40, 84])
            types = ["PTR"]
        elif r < 0.975:
            name, types = rng.choice(self.unbound.lan)[0] + ".office.lan", ["A"]
        else:
            name, types = rng.choice(TYPOS), ["A"]
        for t in types:
            self.stubs.send(source, name, t, "normal", edns)

    def host(self, k, rate):
        rng = random.Random(self.rng.random())
        source = "127.0.0.%d" % (10 + k)
        edns, dual = k % 3 == 0, k % 4 != 3  # some hosts' resolver library sends EDNS; most are dual-stack
        for _ in poisson(rate, self.stop, rng):
            self.lookup(rng, source, edns, dual)

    def noise(self):
        """A build job that still resolves names under dev.shop.example (the lab's delegated server is gone), a cron
        job that resolves legacy-crm.vendor.example (the ISP's resolver refuses it), the monitoring's
        `unbound-control stats_noreset` every 60 s."""
        rng = random.Random(self.rng.random())
        t = now()
        nxt = {"lab": t + rng.uniform(10, 40), "legacy": t + rng.uniform(20, 50), "stats": t + rng.uniform(5, 30)}
        while not self.stop.wait(0.2):
            t = now()
            if t >= nxt["lab"]:
                nxt["lab"] = t + rng.uniform(35, 80)
                self.stubs.send("127.0.0.48", rng.choice(["nexus.dev.shop.example", "build.dev.shop.example",
                                                          "registry.dev.shop.example"]), "A", "lab")
                self.counts["lab"] += 1
            if t >= nxt["legacy"]:
                nxt["legacy"] = t + rng.uniform(50, 80)
                self.stubs.send("127.0.0.23", "legacy-crm.vendor.example", "A", "legacy")
                self.counts["legacy"] += 1
            if t >= nxt["stats"]:
                nxt["stats"] = t + 60
                self.unbound.control("stats_noreset")

    def run(self, hosts=40):
        rates = [self.rng.uniform(0.3, 1.0) for _ in range(hosts)]  # lookups/s; about 1.5 queries a lookup
        ts = [threading.Thread(target=self.host, args=(k, rates[k]), daemon=True) for k in range(hosts)]
        ts.append(threading.Thread(target=self.noise, daemon=True))
        for t in ts:
            t.start()
        return ts


# ---- incidents ------------------------------------------------------------------------------------------------------

def subdomain_flood(seconds, client="127.0.0.77", rate=220.0):
    """Random names under shop.example from one host, as fast as a bot sends them, from one socket; returns
    (queries sent, answers by rcode)."""
    rng = random.Random(77)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((client, 0))
    s.setblocking(False)
    alphabet = string.ascii_lowercase + string.digits
    stop = threading.Event()
    threading.Timer(seconds, stop.set).start()
    sent, answers = 0, collections.Counter()
    for _ in poisson(rate, stop, rng):
        label = "".join(rng.choice(alphabet) for _ in range(rng.randint(10, 16)))
        try:
            s.sendto(make_query(label + ".shop.example", "A", rng.randrange(65536)), ("127.0.0.1", PORT))
            sent += 1
        except OSError:
            pass
        while True:
            try:
                data = s.recv(4096)
                answers[RCODES.get(data[3] & 0xF, "other")] += 1
            except OSError:
                break
    time.sleep(2)
    while True:
        try:
            data = s.recv(4096)
            answers[RCODES.get(data[3] & 0xF, "other")] += 1
        except OSError:
            break
    s.close()
    return sent, answers


def counted(unbound, since, until, patterns):
    """{pattern: epoch times of the lines in [since, until) containing it}."""
    return {p: [t for t in unbound.lines(since, lambda m, p=p: p in m) if t < until] for p in patterns}


def settle(unbound, since, pattern, quiet=8, most=60):
    """Waits until the log's last line since `since` containing pattern is `quiet` seconds old (at most `most`
    seconds); returns that line's time (or now, when there is none), the incident's last trace in the log."""
    deadline = now() + most
    while True:
        times = unbound.lines(since, lambda m: pattern in m)
        last = max(times) + 1 if times else now()
        if now() >= min(deadline, last + quiet):
            return max(last, now() - quiet)
        time.sleep(1)


def main():
    if OUT is None:
        raise SystemExit(__doc__)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even when started in the background
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))       # so that the finally clause cleans up
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="logwarden-unbound-", dir="/tmp")
    rng = random.Random(2026)
    old_key, new_key = Key(rng), Key(rng)
    corp = Zone("corp.example", zone_records(CORP_HOSTS, CORP_EXTRA, 60))
    corp.add_nsec()
    inception = int(now()) - 86400
    corp.sign("current", old_key, inception, inception + 30 * 86400)
    corp.sign("rolled", new_key, inception + 86000, inception + 31 * 86400)
    partner = DnsServer(PARTNER_NS, forwarder=True, jitter=0.02, seed=4)
    servers = [DnsServer(CORP_NS, [corp, Zone("20.10.in-addr.arpa", CORP_REVERSE)], seed=1),
               DnsServer(SHOP_NS, [Zone("shop.example", zone_records(SHOP_HOSTS, SHOP_EXTRA, 300)),
                                   Zone("100.51.198.in-addr.arpa", SHOP_REVERSE)], seed=2),
               DnsServer(FORWARDER, forwarder=True, jitter=0.03, seed=3), partner]
    blackhole = Blackhole()
    unbound = Unbound(work, old_key.ds("corp.example"))
    stubs = Stubs(PORT)
    traffic = Traffic(stubs, unbound, 2026)
    version = subprocess.run(["unbound", "-V"], capture_output=True, text=True).stdout.split("\n")[0].split()[-1]
    labels = Labels()
    labels.note("made by bench/real-logs/unbound.py: real Unbound %s (Debian) on 127.0.0.1:%d as an office's "
                "validating resolver, logfile with use-syslog no and the default verbosity 1 and timestamps (epoch "
                "seconds), log-servfail yes, val-log-level 2, ratelimit %d, ip-ratelimit %d; stub zones corp.example "
                "(DNSSEC-signed, trust anchor DS) on %s, shop.example on %s, forward zones partner.example to %s and "
                ". to %s (all on port %d); 40 hosts on 127.0.0.10-49, ~40 queries/s; wall-clock times"
                % (version, PORT, RATELIMIT, IP_RATELIMIT, CORP_NS, SHOP_NS, PARTNER_NS, FORWARDER, AUTH))
    threads, marks = [], {}
    ok = False
    try:
        for srv in servers:
            srv.start()
        threads.append(threading.Thread(target=blackhole.run, daemon=True))
        threads.append(threading.Thread(target=stubs.run, daemon=True))
        for t in threads:
            t.start()
        unbound.start()
        hosts = traffic.run()
        t0 = now()
        sleep_until(t0 + rng.uniform(40, 60) * SCALE)
        unbound.add_lan_host("printer-2f", "192.168.10.22")
        sleep_until(t0 + 90 * SCALE)

        # 1. the site-to-site VPN to the partner goes down: its resolver stops answering
        start = now()
        partner.mode = "down"
        time.sleep(40 * SCALE)
        partner.mode = "up"
        marks["partner"] = (start, now())
        last = settle(unbound, start, "at zone partner.example.")
        sleep_until(last + 25 * SCALE)
        unbound.add_lan_host("scanner-3f", "192.168.10.23")
        sleep_until(last + 55 * SCALE)

        # 2. a compromised host floods random names under shop.example
        start = now()
        sent, answers = subdomain_flood(30 * SCALE)
        marks["flood"] = (start, now() - 2)  # the flood function waits 2 s for the last answers
        sleep_until(settle(unbound, start, "ratelimit") + 55 * SCALE)

        # 3. the zone's signer rolls corp.example to a new key at once; the trust anchor still has the old DS
        start = now()
        corp.keyset = "rolled"
        time.sleep(75 * SCALE)
        corp.keyset = "current"
        marks["dnssec"] = (start, now())
        sleep_until(settle(unbound, start, "validation failure <") + 55 * SCALE)

        traffic.stop.set()
        deadline = now() + 10
        for t in hosts:
            t.join(max(0.0, deadline - now()))
        print("%s: clients %s; noise %s; flood %d sent, answers %s; servers %s" % (
            NAME, sorted(stubs.counts.items()), dict(traffic.counts), sent, dict(answers),
            [dict(srv.counts) for srv in servers]), file=sys.stderr)
        ok = True
    finally:
        traffic.stop.set()
        stubs.stop.set()
        unbound.stop()
        for srv in servers:
            srv.close()
        blackhole.stop.set()
        for t in threads:
            t.join(10)
        blackhole.sock.close()
        if ok:
            label(unbound, labels, marks, sent)
            keep_log(unbound.log, OUT, NAME, labels)
        shutil.rmtree(work, ignore_errors=True)


def label(unbound, labels, marks, sent):
    """The labels, counted from the log: each incident from the first line it caused to the last."""
    s, e = marks["partner"]
    c = counted(unbound, s, marks["flood"][0], ["at zone partner.example. upstream server timeout",
                                               "at zone partner.example. no server to query"])
    times = sorted(sum(c.values(), []))
    labels.add("partner-dns-down", times[0] if times else s, times[-1] if times else e, "upstream-outage",
               "partner.example|%s" % PARTNER_NS,
               "the site-to-site VPN to the partner goes down for %d s: its resolver %s, the forwarder for "
               "partner.example, stops answering; from %d s in (as cached names expire) until %d s after it is back, "
               "Unbound logs %d lines 'error: SERVFAIL <NAME. TYPE IN>: all the "
               "configured stub or forward servers failed, at zone partner.example.' (%d 'upstream server timeout', "
               "%d 'no server to query nameserver addresses not usable' once it holds the server down) for names "
               "under partner.example and cdn.partner.example" % (
                   round(e - s), PARTNER_NS, round(times[0] - s) if times else 0,
                   max(0, round(times[-1] - e)) if times else 0, len(times),
                   len(c["at zone partner.example. upstream server timeout"]),
                   len(c["at zone partner.example. no server to query"])))
    s, e = marks["flood"]
    c = counted(unbound, s, marks["dnssec"][0], ["ip_ratelimit exceeded 127.0.0.77", "ratelimit exceeded shop.example.",
                                                 "exceeded ratelimit for zone shop.example."])
    times = sorted(sum(c.values(), []))
    labels.add("subdomain-flood", times[0] if times else s, times[-1] if times else e, "random-subdomain-flood",
               "127.0.0.77|shop.example",
               "a compromised host 127.0.0.77 sends %d queries for random names under shop.example in %d s (a "
               "random-subdomain or water-torture flood): %d 'notice: ip_ratelimit exceeded 127.0.0.77 %d NAME IN A', "
               "%d 'notice: ratelimit exceeded shop.example. %d query NAME IN A' and %d 'error: SERVFAIL <NAME. A IN>: "
               "exceeded ratelimit for zone shop.example.' (the flood's names and other hosts' shop.example lookups "
               "that the zone's rate limit turns away)" % (
                   sent, round(e - s), len(c["ip_ratelimit exceeded 127.0.0.77"]), IP_RATELIMIT,
                   len(c["ratelimit exceeded shop.example."]), RATELIMIT,
                   len(c["exceeded ratelimit for zone shop.example."])))
    s, e = marks["dnssec"]
    c = counted(unbound, s, e + 60, ["validation failure <", "for <corp.example. SOA IN>", "for CNAME from"])
    times = c["validation failure <"]
    corp_lines = counted(unbound, s, e + 60, ["corp.example"])["corp.example"]
    labels.add("dnssec-bogus", times[0] if times else s, times[-1] if times else e, "dnssec-validation-failure",
               "corp.example|%s" % CORP_NS,
               "the signer re-signs corp.example with a new key and withdraws the old one in one step (a botched key "
               "rollover) while the resolver's trust anchor still holds the old key's DS; for %d s, until the zone "
               "is rolled back, each corp.example answer fetched anew is bogus (SERVFAIL to the clients, cached "
               "60 s): %d lines 'info: validation failure <NAME. TYPE IN>: signatures from unknown keys from %s' (%d "
               "of them for NXDOMAIN answers, '... for <corp.example. SOA IN>', %d for CNAME chains, 'signatures "
               "from unknown keys for CNAME from %s and %s'); %d lines of the window mention corp.example" % (
                   round(e - s), len(times), CORP_NS, len(c["for <corp.example. SOA IN>"]),
                   len(c["for CNAME from"]), CORP_NS, CORP_NS, len(corp_lines)))


if __name__ == "__main__":
    main()
