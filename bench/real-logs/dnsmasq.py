#!/usr/bin/env python3
"""Runs a real dnsmasq (Debian dnsmasq 2.90) on 127.0.0.1 as a branch office's caching DNS forwarder, drives the
office's lookups through it, injects labelled incidents and keeps dnsmasq's own log file exactly as it wrote it
(log-facility= a file, log-queries on, as an admin who wants to see what the LAN asks sets them:
'Dec  3 20:05:16 dnsmasq[26530]: query[A] intranet.corp.example from 127.0.0.23',
'... forwarded intranet.corp.example to 127.0.1.3#20232', '... reply intranet.corp.example is 10.20.1.10',
'... cached www.provider.example is 198.51.100.20', '... /tmp/.../hosts.office nas.office.lan is 192.168.10.5',
'... config wpad.office.lan is NXDOMAIN'; the TCP children log with their own pid).

dnsmasq runs as `dnsmasq --keep-in-foreground -C WORK/dnsmasq.conf` (started as root with TZ=UTC, it drops to
Debian's dnsmasq user; stopped with SIGTERM). Its config: port PORT, listen-address 127.0.0.1, bind-interfaces,
no-resolv and no-hosts (nothing from /etc), addn-hosts WORK/hosts.office (the office's devices, kept by the admin),
domain office.lan with local=/office.lan/ and expand-hosts, domain-needed, local=/10.168.192.in-addr.arpa/,
cache-size 1000, the default dns-forward-max (150), log-queries, log-facility WORK/dnsmasq.log; upstreams: the
ISP's two resolvers (server=127.0.1.1#PORT+1, server=127.0.1.2#PORT+1) and, across the site-to-site VPN, the head
office's DNS server for corp.example and 20.10.in-addr.arpa (server=/corp.example/127.0.1.3#PORT+1). No DHCP (no
dhcp-range).
Needs (Debian): dnsmasq (dnsmasq-base). Standard library only: the upstreams and the clients speak DNS's wire
format themselves (UDP, and TCP for truncated answers).

usage: bench/real-logs/dnsmasq.py OUTDIR [PORT]      (default port 20231; the upstreams listen on PORT+1)
  writes OUTDIR/dnsmasq-p.log (gzipped over 1 MB) and OUTDIR/dnsmasq-p.labels.tsv
  SCALE=0.1 multiplies every duration (a short run for testing)

Normal traffic (about 3 queries/s): 30 desktops and laptops (127.0.0.10-39) resolving like glibc (A, and AAAA too on
the dual-stack ones; timeout 5 s, 2 attempts, search list office.lan: a dotless name is tried as NAME.office.lan
first, a dotted one that fails is tried again with .office.lan appended): SaaS and web names at the ISP's resolvers,
CDN names, head-office names under corp.example (and its SRV records, PTRs in 10.20/16), the office's own devices
(nas, printers, ...) from the hosts file, PTRs of LAN addresses (answered from the hosts file, NXDOMAIN from dnsmasq
itself for the rest), typos, wpad, Chrome's three random dotless probes; the print server (127.0.0.4) looking up the
printers every ~20 s; the mail gateway (127.0.0.5, no EDNS) looking up MX/TXT of senders' domains every ~10 s, a big
TXT set coming back truncated and asked again over TCP; the router's NTP client (127.0.0.6); a backup job
(127.0.0.7) copying to backup.corp.example and nas-backup; a cron job (127.0.0.8) whose legacy-crm.vendor.example
gets SERVFAIL from the ISP (a lame delegation: 'reply error is SERVFAIL'); the monitoring's dnsmasq exporter
(127.0.0.2) asking the CHAOS TXT counters (cachesize.bind, hits.bind, ..., servers.bind) every 30 s. Admin: a stats
check (kill -USR1: counters, per-server statistics and the cache dump) early and late, a new device added to
hosts.office then SIGHUP ('read WORK/hosts.office - N names') twice.
Incidents (about 8 minutes in all: ~100 s of normal traffic, ~75 s of it between incidents and after the last):
  hq-dns-unreachable  the site-to-site VPN drops for 50 s: the head office's DNS server 127.0.1.3 answers nothing;
                      corp.example / 20.10.in-addr.arpa lookups whose cache entries expired are forwarded and never
                      answered ('forwarded NAME to 127.0.1.3#PORT+1' with no reply), the clients ask again after
                      5 s and then give up; names still in the cache are answered ('cached NAME is 10.20.X.Y')
  query-flood         an infected IP camera (127.0.0.66) sends ~28 queries/s of random names under
                      www.bigcasino.example for 30 s (a random-subdomain / water-torture attack): the ISP's resolver
                      answers them slowly with SERVFAIL or not at all, so dnsmasq's 150 forwarding slots fill:
                      'Maximum number of concurrent DNS queries reached (max: 150)', then 'config error is REFUSED'
                      for the queries it turns away (the office's too), 'reply error is SERVFAIL' for the rest
  broken-hosts-reload the admin regenerates hosts.office from the asset inventory with a script whose columns come
                      out swapped (NAME ADDRESS) and sends SIGHUP: 'bad address at WORK/hosts.office line N' for
                      every entry, 'read WORK/hosts.office - 0 names'; for 70 s every office.lan name is
                      'config NAME.office.lan is NXDOMAIN' and LAN PTRs 'config X.10.168.192.in-addr.arpa is
                      NXDOMAIN', until the admin restores the file and sends SIGHUP again
"""
import collections
import datetime
import os
import random
import selectors
import shutil
import signal
import socket
import string
import struct
import subprocess
import sys
import threading
import time

from arrivals import poisson
from dnswire import TYPES, TYPE_NAMES, name_bytes, read_name, make_query
from drivers import begin, now, sleep_until, stop_process, descendants, kill_leftovers, keep_log
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 20231
UP_PORT = PORT + 1
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "dnsmasq-p"

ISP1, ISP2, HQ = "127.0.1.1", "127.0.1.2", "127.0.1.3"
MONITOR, PRINTSRV, MAILGW, NTP, BACKUP, CRON = ("127.0.0.2", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7",
                                                "127.0.0.8")
ATTACKER = "127.0.0.66"
VICTIM = "www.bigcasino.example"
RCODE_NAMES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}

# ---- the data the upstreams serve -------------------------------------------------------------------------------

def token(seed):
    """A domain-verification token (the big TXT set of provider.example that comes back truncated over UDP)."""
    rng = random.Random(seed)
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(44))


EXTERNAL = {
    "www.provider.example": {"A": ["198.51.100.20"], "AAAA": ["2001:db8:100::20"]},
    "login.provider.example": {"CNAME": "login.ha.provider.example"},
    "login.ha.provider.example": {"A": ["198.51.100.31", "198.51.100.32"], "AAAA": ["2001:db8:100::31"]},
    "outlook.provider.example": {"CNAME": "outlook.ha.provider.example"},
    "outlook.ha.provider.example": {"A": ["198.51.100.40", "198.51.100.41"], "AAAA": ["2001:db8:100::40"]},
    "teams.provider.example": {"CNAME": "teams.edge.cdn.example"},
    "teams.edge.cdn.example": {"A": ["203.0.113.70"], "AAAA": ["2001:db8:cd::70"]},
    "files.provider.example": {"A": ["198.51.100.50"], "AAAA": ["2001:db8:100::50"]},
    "mail.provider.example": {"A": ["198.51.100.25"]},
    "provider.example": {"A": ["198.51.100.10"], "MX": [(10, "mx1.provider.example"), (20, "mx2.provider.example")],
                         "TXT": ["v=spf1 include:spf.provider.example -all"]
                         + ["%s-verification=%s" % (k, token(k)) for k in (
                             "google-site", "ms-domain", "atlassian-domain", "docusign", "apple-domain",
                             "facebook-domain", "adobe-idp-site", "zoom-domain", "stripe", "hubspot",
                             "dropbox-domain", "citrix")]},
    "_dmarc.provider.example": {"TXT": ["v=DMARC1; p=reject; rua=mailto:dmarc@provider.example"]},
    "mx1.provider.example": {"A": ["198.51.100.26"]},
    "mx2.provider.example": {"A": ["198.51.100.27"]},
    "app.crm-saas.example": {"CNAME": "app.crm-saas.cdn.example"},
    "app.crm-saas.cdn.example": {"A": ["203.0.113.90", "203.0.113.91"]},
    "api.crm-saas.example": {"A": ["192.0.2.44"]},
    "crm-saas.example": {"MX": [(10, "mail.crm-saas.example")], "TXT": ["v=spf1 ip4:192.0.2.0/26 ~all"]},
    "mail.crm-saas.example": {"A": ["192.0.2.45"]},
    "www.news.example": {"CNAME": "news.edge.cdn.example"},
    "news.edge.cdn.example": {"A": ["203.0.113.120"], "AAAA": ["2001:db8:cd::120"]},
    "www.search.example": {"A": ["192.0.2.80"], "AAAA": ["2001:db8:80::1"]},
    "maps.search.example": {"A": ["192.0.2.81"], "AAAA": ["2001:db8:80::2"]},
    "fonts.search.example": {"A": ["192.0.2.82"], "AAAA": ["2001:db8:80::3"]},
    "update.os-vendor.example": {"CNAME": "update.os-vendor.cdn.example"},
    "update.os-vendor.cdn.example": {"A": ["203.0.113.150", "203.0.113.151"]},
    "telemetry.os-vendor.example": {"A": ["192.0.2.160"]},
    "ocsp.ca.example": {"A": ["192.0.2.200"]},
    "crl.ca.example": {"A": ["192.0.2.201"]},
    "connectivity-check.phone.example": {"A": ["192.0.2.210"], "AAAA": ["2001:db8:210::1"]},
    "0.pool.ntp.example": {"A": ["192.0.2.123", "192.0.2.124"]},
    "1.pool.ntp.example": {"A": ["192.0.2.125"]},
    "www.bank.example": {"A": ["192.0.2.230"]},
    "online.bank.example": {"A": ["192.0.2.231"]},
    "bank.example": {"MX": [(5, "mx.bank.example")], "TXT": ["v=spf1 mx -all"]},
    "mx.bank.example": {"A": ["192.0.2.232"]},
    "supplier.example": {"MX": [(10, "mail.supplier.example")], "TXT": ["v=spf1 a mx ~all"]},
    "mail.supplier.example": {"A": ["198.51.100.150"]},
    "portal.supplier.example": {"A": ["198.51.100.151"]},
    "vpn.corp-gw.example": {"A": ["198.51.100.200"]},
}
PUBLIC_PTR = {"20.100.51.198": "www.provider.example", "26.100.51.198": "mx1.provider.example",
              "45.2.0.192": "mail.crm-saas.example", "232.2.0.192": "mx.bank.example",
              "150.100.51.198": "mail.supplier.example"}
LAME = {"legacy-crm.vendor.example", "ftp.vendor.example"}

CORP = {"intranet": "10.20.1.10", "sso": "10.20.1.11", "wiki": "10.20.1.12", "erp": "10.20.1.13",
        "files": "10.20.1.14", "mail": "10.20.1.20", "git": "10.20.1.30", "jira": "10.20.1.31",
        "backup": "10.20.2.40", "dc1": "10.20.0.10", "dc2": "10.20.0.11", "print": "10.20.1.50",
        "vpn-gw": "10.20.0.1", "timesheet": "10.20.1.60", "crm": "10.20.1.61"}
CORP_SRV = {"_ldap._tcp.corp.example": [(0, 100, 389, "dc1.corp.example"), (0, 100, 389, "dc2.corp.example")],
            "_kerberos._udp.corp.example": [(0, 100, 88, "dc1.corp.example"), (0, 100, 88, "dc2.corp.example")],
            "_kerberos._tcp.corp.example": [(0, 100, 88, "dc1.corp.example"), (0, 100, 88, "dc2.corp.example")]}

OFFICE = [("192.168.10.1", "gw"), ("192.168.10.2", "wifi-ap1"), ("192.168.10.3", "wifi-ap2"),
          ("192.168.10.4", "wifi-ap3"), ("192.168.10.5", "nas fileserver"), ("192.168.10.6", "nas-backup"),
          ("192.168.10.21", "printer-1f"), ("192.168.10.22", "printer-2f"), ("192.168.10.23", "printer-3f"),
          ("192.168.10.30", "voip-pbx"), ("192.168.10.31", "door-phone"), ("192.168.10.40", "badge-reader"),
          ("192.168.10.50", "meeting-tv"), ("192.168.10.51", "meeting-cam"), ("192.168.10.60", "cam-entrance"),
          ("192.168.10.61", "cam-parking"), ("192.168.10.70", "ups-rack"), ("192.168.10.71", "switch-core"),
          ("192.168.10.80", "kiosk")]
NEW_DEVICES = [("192.168.10.24", "scanner-2f"), ("192.168.10.52", "meeting-tv2")]
OFFICE_NAMES = ["nas", "nas", "nas", "fileserver", "fileserver", "printer-1f", "printer-2f", "printer-3f",
                "voip-pbx", "meeting-tv", "wifi-ap1", "gw", "nas-backup", "kiosk", "switch-core", "ups-rack"]
EXT_NAMES = ["www.provider.example", "login.provider.example", "login.provider.example", "outlook.provider.example",
             "outlook.provider.example", "outlook.provider.example", "teams.provider.example",
             "teams.provider.example", "files.provider.example", "app.crm-saas.example", "app.crm-saas.example",
             "api.crm-saas.example", "www.news.example", "www.search.example", "www.search.example",
             "maps.search.example", "fonts.search.example", "update.os-vendor.example", "telemetry.os-vendor.example",
             "ocsp.ca.example", "crl.ca.example", "connectivity-check.phone.example", "www.bank.example",
             "online.bank.example", "portal.supplier.example", "vpn.corp-gw.example"]
CORP_NAMES = ["intranet", "intranet", "intranet", "sso", "sso", "wiki", "wiki", "erp", "erp", "files", "mail",
              "git", "jira", "timesheet", "crm", "print"]
TYPOS = ["intarnet.corp.example", "wikki.corp.example", "outlok.provider.example", "www.serach.example",
         "portal.suplier.example", "jria.corp.example", "ww.news.example", "printer-4f"]
SENDER_DOMAINS = ["provider.example", "crm-saas.example", "bank.example", "supplier.example", "provider.example"]


def rdata(rtype, v):
    if rtype == "A":
        return socket.inet_aton(v)
    if rtype == "AAAA":
        return socket.inet_pton(socket.AF_INET6, v)
    if rtype in ("CNAME", "PTR", "NS"):
        return name_bytes(v)
    if rtype == "MX":
        return struct.pack(">H", v[0]) + name_bytes(v[1])
    if rtype == "SRV":
        return struct.pack(">HHH", v[0], v[1], v[2]) + name_bytes(v[3])
    if rtype == "TXT":
        b = v.encode()
        return b"".join(bytes([len(b[i:i + 255])]) + b[i:i + 255] for i in range(0, len(b), 255))
    if rtype == "SOA":
        return name_bytes(v[0]) + name_bytes(v[1]) + struct.pack(">IIIII", *v[2:])
    raise KeyError(rtype)


def rr(owner, rtype, ttl, rd):
    return name_bytes(owner) + struct.pack(">HHIH", TYPES[rtype], 1, ttl, len(rd)) + rd


def soa(zone):
    return (zone, "SOA", 300, rdata("SOA", ("ns1." + zone, "hostmaster." + zone, 2026120301, 3600, 900, 604800, 300)))


def isp_lookup(name, qtype):
    """The ISP's recursive resolver: (rcode, answer [(owner, type, ttl, rdata)], authority)."""
    if name in LAME:
        return 2, [], []
    if name.endswith(".in-addr.arpa"):
        parts = name.split(".")
        key = ".".join(parts[:4])
        if qtype == "PTR" and key in PUBLIC_PTR:
            return 0, [(name, "PTR", 3600, rdata("PTR", PUBLIC_PTR[key]))], []
        return 3, [], [soa(".".join(parts[-4:]) if len(parts) >= 4 else "in-addr.arpa")]
    answer, target = [], name
    data = None
    for _ in range(4):
        data = EXTERNAL.get(target)
        if data is None and target.endswith(".cdn.example") and target.split(".")[0].startswith(("img-", "js-")):
            h = sum(target.encode()) % 200
            data = {"A": ["203.0.113.%d" % (h // 4 + 1)], "AAAA": ["2001:db8:cd::%x" % (h + 1)]}
        if data is None:
            break
        if "CNAME" in data and qtype != "CNAME":
            answer.append((target, "CNAME", 300, rdata("CNAME", data["CNAME"])))
            target = data["CNAME"]
            continue
        ttl = 60 if ".cdn." in target else 3600 if qtype in ("MX", "TXT") else 300
        answer += [(target, qtype, ttl, rdata(qtype, v)) for v in data.get(qtype, [])]
        break
    zone = ".".join(target.split(".")[-2:])
    if any(r[1] == qtype for r in answer):
        return 0, answer, []
    return (0 if data is not None else 3), answer, [soa(zone)]


def hq_lookup(name, qtype):
    """The head office's DNS server (corp.example and 20.10.in-addr.arpa)."""
    if name.endswith("20.10.in-addr.arpa"):
        parts = name.split(".")
        addr = "10.20.%s.%s" % (parts[1], parts[0]) if len(parts) == 6 else None
        host = [h for h, a in CORP.items() if a == addr]
        if host and qtype == "PTR":
            return 0, [(name, "PTR", 600, rdata("PTR", host[0] + ".corp.example"))], []
        return (0 if host else 3), [], [soa("20.10.in-addr.arpa")]
    if name in CORP_SRV:
        if qtype == "SRV":
            return 0, [(name, "SRV", 600, rdata("SRV", v)) for v in CORP_SRV[name]], []
        return 0, [], [soa("corp.example")]
    host = name[:-len(".corp.example")] if name.endswith(".corp.example") else None
    if name == "corp.example":
        if qtype == "MX":
            return 0, [(name, "MX", 600, rdata("MX", (10, "mail.corp.example")))], []
        if qtype == "A":
            return 0, [(name, "A", 600, rdata("A", CORP["dc1"])), (name, "A", 600, rdata("A", CORP["dc2"]))], []
        return 0, [], [soa("corp.example")]
    if host in CORP:
        if qtype == "A":
            return 0, [(name, "A", 60, rdata("A", CORP[host]))], []
        return 0, [], [soa("corp.example")]
    return 3, [], [soa("corp.example")]


class Upstream:
    """A DNS server on addr:UP_PORT (UDP and TCP) answering from lookup(name, qtype). mode "up" answers, "down"
    drops everything (the VPN tunnel is down; the times of the dropped queries go to `drops`); names under VICTIM
    get a slow SERVFAIL or nothing (the attacked zone's own servers are overwhelmed); a few answers come late."""

    def __init__(self, addr, lookup, seed):
        self.addr, self.lookup = addr, lookup
        self.rng = random.Random(seed)
        self.mode = "up"
        self.drops = []
        self.stop = threading.Event()
        self.counts = collections.Counter()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.udp.bind((addr, UP_PORT))
        self.udp.settimeout(0.2)
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind((addr, UP_PORT))
        self.tcp.listen(16)
        self.tcp.settimeout(0.2)
        self.threads = []

    def answer(self, msg, udp):
        """The reply to msg (None: no reply), and how long to wait before sending it."""
        qid, flags, qd, _an, _ns, ar = struct.unpack(">HHHHHH", msg[:12])
        if qd != 1 or flags & 0x8000:
            return None, 0
        qname, p = read_name(msg, 12)
        qtype = TYPE_NAMES.get(struct.unpack(">H", msg[p:p + 2])[0], "NULL")
        question = msg[12:p + 4]
        size = 512
        edns = ar and msg[p + 4:p + 7] == b"\0" + struct.pack(">H", TYPES["OPT"])
        if edns:
            size = max(512, struct.unpack(">H", msg[p + 7:p + 9])[0])
        name = qname.lower().rstrip(".")
        delay = 0.0
        if name.endswith("." + VICTIM):
            self.counts["victim"] += 1
            if self.rng.random() < 0.5:
                return None, 0
            rcode, answer, authority = 2, [], []
            delay = self.rng.uniform(2.0, 6.0)
        else:
            rcode, answer, authority = self.lookup(name, qtype)
            if self.rng.random() < 0.03:
                delay = self.rng.uniform(0.05, 0.4)
        opt = [b"\0" + struct.pack(">HHIH", TYPES["OPT"], 1232, 0, 0)] if edns else []
        rflags = 0x8000 | (flags & 0x0100) | 0x0080 | rcode
        body = b"".join([rr(*a) for a in answer] + [rr(*a) for a in authority] + opt)
        out = struct.pack(">HHHHHH", qid, rflags, 1, len(answer), len(authority), len(opt)) + question + body
        if udp and len(out) > size:
            out = struct.pack(">HHHHHH", qid, rflags | 0x0200, 1, 0, 0, len(opt)) + question + b"".join(opt)
            self.counts["truncated"] += 1
        return out, delay

    def send_late(self, reply, peer):
        try:
            self.udp.sendto(reply, peer)
        except OSError:
            pass

    def run_udp(self):
        while not self.stop.is_set():
            try:
                msg, peer = self.udp.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                break
            if self.mode == "down":
                self.drops.append(now())
                self.counts["dropped"] += 1
                continue
            try:
                reply, delay = self.answer(msg, True)
            except (IndexError, struct.error, ValueError, KeyError, UnicodeError):
                self.counts["malformed"] += 1
                continue
            if reply is None:
                continue
            self.counts["answered"] += 1
            if delay:
                t = threading.Timer(delay, self.send_late, args=(reply, peer))
                t.daemon = True
                t.start()
            else:
                self.send_late(reply, peer)

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
                    self.drops.append(now())
                    continue
                reply, _ = self.answer(msg, False)
                if reply:
                    self.counts["answered-tcp"] += 1
                    conn.sendall(struct.pack(">H", len(reply)) + reply)
        except (OSError, IndexError, struct.error, ValueError, KeyError, UnicodeError):
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


# ---- dnsmasq ------------------------------------------------------------------------------------------------------

DNSMASQ_CONF = """\
# Configuration file for dnsmasq: the branch office's DNS forwarder (see dnsmasq(8)).
# DNS only: no dhcp-range, so no DHCP.
port=%(port)d
listen-address=127.0.0.1
bind-interfaces
user=dnsmasq
pid-file=%(work)s/dnsmasq.pid

# never forward plain names; the LAN's reverse zone is ours alone
domain-needed
local=/10.168.192.in-addr.arpa/

# upstreams: the ISP's resolvers; corp.example across the VPN to the head office's DNS server
no-resolv
server=%(isp1)s#%(up)d
server=%(isp2)s#%(up)d
server=/corp.example/%(hq)s#%(up)d
server=/20.10.in-addr.arpa/%(hq)s#%(up)d

# the office's own devices, kept in one file by the admin (SIGHUP re-reads it)
no-hosts
addn-hosts=%(work)s/hosts.office
domain=office.lan
local=/office.lan/
expand-hosts

cache-size=1000

log-queries
log-facility=%(work)s/dnsmasq.log
"""


def hosts_text(entries, swapped=False):
    lines = ["# office.lan devices -- generated by inventory-export from assets.csv",
             "# %s" % time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), ""]
    for addr, names in entries:
        lines.append("%s %s" % (names, addr) if swapped else "%-15s %s" % (addr, names))
    return "\n".join(lines) + "\n"


class Dnsmasq:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "dnsmasq.conf")
        self.log = os.path.join(work, "dnsmasq.log")
        self.hosts = os.path.join(work, "hosts.office")
        self.entries = list(OFFICE)
        self.proc = None
        with open(self.conf, "w") as f:
            f.write(DNSMASQ_CONF % dict(port=PORT, work=work, isp1=ISP1, isp2=ISP2, hq=HQ, up=UP_PORT))
        self.write_hosts()

    def write_hosts(self, swapped=False):
        tmp = self.hosts + ".new"
        with open(tmp, "w") as f:
            f.write(hosts_text(self.entries, swapped))
        os.chmod(tmp, 0o644)
        os.replace(tmp, self.hosts)

    def start(self):
        check = subprocess.run(["dnsmasq", "--test", "-C", self.conf], capture_output=True, text=True)
        if check.returncode:
            raise SystemExit("dnsmasq --test: " + check.stdout + check.stderr)
        env = dict(os.environ, TZ="UTC")
        self.proc = subprocess.Popen(["dnsmasq", "--keep-in-foreground", "-C", self.conf], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = now() + 20
        while now() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("dnsmasq exited with %s" % self.proc.returncode)
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(0.5)
            try:
                s.bind(("127.0.0.1", 0))
                s.sendto(make_query("gw.office.lan", "A", 1), ("127.0.0.1", PORT))
                if s.recv(4096)[3] & 0xF == 0:
                    return
            except OSError:
                time.sleep(0.2)
            finally:
                s.close()
        raise SystemExit("dnsmasq did not answer on 127.0.0.1:%d" % PORT)

    def signal(self, sig):
        self.proc.send_signal(sig)

    def add_device(self, addr, names):
        """The admin's routine change: a new device in hosts.office, then SIGHUP."""
        self.entries.append((addr, names))
        self.write_hosts()
        self.signal(signal.SIGHUP)

    def stop(self):
        if self.proc is None:
            return
        kids = descendants(self.proc.pid)
        stop_process(self.proc)
        kill_leftovers(kids, b"dnsmasq", at_start=True)

    def lines(self):
        """[(epoch, message)] of the log's lines so far."""
        out = []
        year = datetime.datetime.now(datetime.timezone.utc).year
        with open(self.log, errors="replace") as f:
            for line in f:
                try:
                    t = datetime.datetime.strptime("%d %s" % (year, line[:15]), "%Y %b %d %H:%M:%S")
                except ValueError:
                    continue
                msg = line.split("]: ", 1)[1].rstrip("\n") if "]: " in line else ""
                out.append((t.replace(tzinfo=datetime.timezone.utc).timestamp(), msg))
        return out


# ---- clients ------------------------------------------------------------------------------------------------------

def chaos_query(name, qid):
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + name_bytes(name) + struct.pack(">HH", TYPES["TXT"], 3)


class Resolver:
    """A host's stub resolver, as glibc's: queries from one socket on the host's address, timeout 5 s, 2 attempts,
    search list office.lan; results counted by tag and outcome."""

    def __init__(self):
        self.counts = collections.Counter()
        self.lock = threading.Lock()
        self.ids = random.Random(11)

    def count(self, key):
        with self.lock:
            self.counts[key] += 1

    def ask(self, source, name, qtypes, edns=False, timeout=5.0, attempts=2, tcp_retry=False, cls=1):
        """Sends one query per type (all at once, from one socket); returns {qtype: (rcode, ancount, tc)} with
        'timeout' for those not answered."""
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        got = {}
        try:
            s.bind((source, 0))
            with self.lock:
                msgs = {}
                for t in qtypes:
                    qid = self.ids.randrange(65536)
                    msgs[t] = chaos_query(name, qid) if cls == 3 else make_query(name, t, qid, edns=edns)
            for attempt in range(attempts):
                for t, m in msgs.items():
                    if t not in got:
                        s.sendto(m, ("127.0.0.1", PORT))
                deadline = now() + timeout
                while len(got) < len(msgs) and now() < deadline:
                    s.settimeout(max(0.01, deadline - now()))
                    try:
                        data = s.recv(65535)
                    except socket.timeout:
                        break
                    for t, m in msgs.items():
                        if data[:2] == m[:2] and t not in got:
                            got[t] = (data[3] & 0xF, struct.unpack(">H", data[6:8])[0], bool(data[2] & 0x02))
                if len(got) == len(msgs):
                    break
        except OSError:
            pass
        finally:
            s.close()
        if tcp_retry:
            for t, r in list(got.items()):
                if r[2]:
                    got[t] = self.ask_tcp(source, msgs[t])
        return {t: got.get(t, ("timeout", 0, False)) for t in qtypes}

    def ask_tcp(self, source, msg):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(10)
        try:
            s.bind((source, 0))
            s.connect(("127.0.0.1", PORT))
            s.sendall(struct.pack(">H", len(msg)) + msg)
            f = s.makefile("rb")
            n = struct.unpack(">H", f.read(2))[0]
            data = f.read(n)
            self.count(("tcp", "answered"))
            return data[3] & 0xF, struct.unpack(">H", data[6:8])[0], False
        except (OSError, struct.error):
            return "timeout", 0, False
        finally:
            s.close()

    def getaddrinfo(self, source, name, dual, edns, tag):
        """A+AAAA (or A) with the search list: dotless names as NAME.office.lan first; a dotted name that does not
        resolve tried again as NAME.office.lan; stops on an answer, a timeout or REFUSED."""
        cands = [name + ".office.lan", name] if "." not in name else [name, name + ".office.lan"]
        outcome = "timeout"
        for cand in cands:
            res = self.ask(source, cand, ["A", "AAAA"] if dual else ["A"], edns=edns)
            if any(r[0] == 0 and r[1] > 0 for r in res.values()):
                outcome = "ok"
                break
            codes = [r[0] for r in res.values()]
            outcome = RCODE_NAMES.get(codes[0], str(codes[0])) if codes[0] != 0 else "NODATA"
            if "timeout" in codes or 5 in codes:
                outcome = "timeout" if "timeout" in codes else "REFUSED"
                break
        self.count((tag, outcome))
        return outcome

    def query(self, source, name, qtype, tag, edns=False, tcp_retry=False, cls=1):
        r = self.ask(source, name, [qtype], edns=edns, tcp_retry=tcp_retry, cls=cls)[qtype]
        self.count((tag, RCODE_NAMES.get(r[0], str(r[0])) if r[0] != "timeout" else "timeout"))
        return r


class Traffic:
    def __init__(self, dm, seed):
        self.dm = dm
        self.res = Resolver()
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.threads = []

    def lookup(self, rng, source, dual, edns):
        r = rng.random()
        if r < 0.30:
            self.res.getaddrinfo(source, rng.choice(EXT_NAMES), dual, edns, "ext")
        elif r < 0.40:
            name = "%s-%d.cdn.example" % (rng.choice(["img", "js"]), rng.randint(1, 120))
            self.res.getaddrinfo(source, name, dual, edns, "cdn")
        elif r < 0.58:
            self.res.getaddrinfo(source, rng.choice(CORP_NAMES) + ".corp.example", dual, edns, "corp")
        elif r < 0.61:
            self.res.query(source, rng.choice(list(CORP_SRV)), "SRV", "corp-srv", edns)
        elif r < 0.73:
            name = rng.choice(OFFICE_NAMES + [n for _, n in NEW_DEVICES[:self.dm.added]])
            self.res.getaddrinfo(source, name if rng.random() < 0.4 else name + ".office.lan", dual, edns, "lan")
        elif r < 0.79:
            last = rng.choice([a for a, _ in self.dm.entries] + ["192.168.10.%d" % rng.randint(100, 199)])
            self.res.query(source, ".".join(reversed(last.split("."))) + ".in-addr.arpa", "PTR", "lan-ptr", edns)
        elif r < 0.83:
            a = rng.choice(list(CORP.values())).split(".")
            self.res.query(source, "%s.%s.20.10.in-addr.arpa" % (a[3], a[2]), "PTR", "corp-ptr", edns)
        elif r < 0.86:
            self.res.getaddrinfo(source, rng.choice(TYPOS), dual, edns, "typo")
        elif r < 0.89:
            self.res.getaddrinfo(source, "wpad", False, edns, "wpad")
        elif r < 0.905:
            for _ in range(3):  # Chrome's intranet-redirect probes
                label = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(7, 15)))
                self.res.getaddrinfo(source, label, False, edns, "chrome-probe")
        elif r < 0.93:
            key = rng.choice(list(PUBLIC_PTR))
            self.res.query(source, key + ".in-addr.arpa", "PTR", "ext-ptr", edns)
        else:
            self.res.getaddrinfo(source, "connectivity-check.phone.example", dual, edns, "ext")

    def host(self, k, rate):
        rng = random.Random(self.rng.random())
        source = "127.0.0.%d" % (10 + k)
        dual, edns = k % 5 != 4, k % 3 == 0  # most are dual-stack; some resolvers send EDNS
        for _ in poisson(rate, self.stop, rng):
            for i in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):  # a page or an app start: a few names at once
                if self.stop.is_set():
                    break
                if i:
                    time.sleep(rng.uniform(0.05, 0.6))
                self.lookup(rng, source, dual, edns)

    def periodic(self, name, low, high, fn):
        rng = random.Random(self.rng.random())
        nxt = now() + rng.uniform(0, high)
        while not self.stop.wait(0.2):
            if now() >= nxt:
                nxt = now() + rng.uniform(low, high)
                fn(rng)

    def printsrv(self, rng):
        for p in ("printer-1f", "printer-2f", "printer-3f"):
            self.res.getaddrinfo(PRINTSRV, p + ".office.lan", False, False, "printsrv")

    def mailgw(self, rng):
        d = rng.choice(SENDER_DOMAINS)
        self.res.query(MAILGW, d, rng.choice(["TXT", "TXT", "MX"]), "mail", tcp_retry=True)
        if rng.random() < 0.4:
            self.res.query(MAILGW, "_dmarc." + d, "TXT", "mail", tcp_retry=True)
        if rng.random() < 0.3:
            key = rng.choice(list(PUBLIC_PTR))
            self.res.query(MAILGW, key + ".in-addr.arpa", "PTR", "mail")

    def ntp(self, rng):
        self.res.getaddrinfo(NTP, rng.choice(["0.pool.ntp.example", "1.pool.ntp.example"]), False, False, "ntp")

    def backup(self, rng):
        self.res.getaddrinfo(BACKUP, "backup.corp.example", False, False, "backup")
        self.res.getaddrinfo(BACKUP, "nas-backup.office.lan", False, False, "backup")

    def cron(self, rng):
        self.res.getaddrinfo(CRON, rng.choice(sorted(LAME)), False, False, "cron")

    def monitor(self, rng):
        for n in ("cachesize.bind", "insertions.bind", "evictions.bind", "misses.bind", "hits.bind", "auth.bind",
                  "servers.bind"):
            self.res.query(MONITOR, n, "TXT", "monitor", cls=3)

    def run(self, hosts=30):
        rates = [self.rng.uniform(0.01, 0.026) for _ in range(hosts)]
        ts = [threading.Thread(target=self.host, args=(k, rates[k]), daemon=True) for k in range(hosts)]
        for args in (("printsrv", 15, 25, self.printsrv), ("mailgw", 6, 15, self.mailgw), ("ntp", 50, 80, self.ntp),
                     ("backup", 50, 70, self.backup), ("cron", 60, 90, self.cron), ("monitor", 30, 30, self.monitor)):
            ts.append(threading.Thread(target=self.periodic, args=args, daemon=True))
        for t in ts:
            t.start()
        self.threads = ts

    def finish(self, seconds=12):
        self.stop.set()
        deadline = now() + seconds
        for t in self.threads:
            t.join(max(0.0, deadline - now()))


# ---- incidents ----------------------------------------------------------------------------------------------------

def query_flood(seconds, rate=28.0):
    """Random names under VICTIM from the camera, one socket, no retries; returns (sent, first, last, answers)."""
    rng = random.Random(66)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ATTACKER, 0))
    s.setblocking(False)
    stop = threading.Event()
    timer = threading.Timer(seconds, stop.set)
    timer.start()
    alphabet = string.ascii_lowercase + string.digits
    sent, first, last, answers = 0, None, None, collections.Counter()

    def drain():
        while True:
            try:
                data = s.recv(4096)
                answers[RCODE_NAMES.get(data[3] & 0xF, "other")] += 1
            except OSError:
                break
    for _ in poisson(rate, stop, rng):
        label = "".join(rng.choice(alphabet) for _ in range(rng.randint(8, 14)))
        try:
            s.sendto(make_query(label + "." + VICTIM, "A", rng.randrange(65536)), ("127.0.0.1", PORT))
            sent += 1
            last = now()
            first = first or last
        except OSError:
            pass
        drain()
    time.sleep(8)  # the slow SERVFAILs
    drain()
    s.close()
    return sent, first, last, answers


def main():
    work = begin(OUT, NAME, __doc__, readable=True)
    labels = Labels()
    upstreams = [Upstream(ISP1, isp_lookup, 1), Upstream(ISP2, isp_lookup, 2), Upstream(HQ, hq_lookup, 3)]
    hq = upstreams[2]
    dm = Dnsmasq(work)
    dm.added = 0
    traffic = Traffic(dm, 2026)
    version = subprocess.run(["dnsmasq", "--version"], capture_output=True, text=True).stdout.split()[2]
    labels.note("made by bench/real-logs/dnsmasq.py: real dnsmasq %s (Debian) on 127.0.0.1:%d as a branch office's "
                "caching DNS forwarder, log-queries, log-facility a file (dnsmasq's own format, TZ=UTC), cache-size "
                "1000, dns-forward-max 150 (default); upstreams the ISP's resolvers %s and %s and, for corp.example "
                "and 20.10.in-addr.arpa, the head office's DNS server %s across a VPN (all on port %d, written in "
                "Python); addn-hosts hosts.office for office.lan; 30 LAN hosts on 127.0.0.10-39 (glibc-like stubs, "
                "search office.lan), print server, mail gateway, NTP, backup and cron jobs, a CHAOS-TXT monitoring "
                "exporter every 30 s, ~3 queries/s; admin SIGUSR1 stats checks and SIGHUP reloads after adding "
                "devices are routine; wall-clock times" % (version, PORT, ISP1, ISP2, HQ, UP_PORT))
    marks, ok, flood = {}, False, None
    try:
        for u in upstreams:
            u.start()
        dm.start()
        t0 = now()
        traffic.run()
        sleep_until(t0 + 35 * SCALE)
        dm.signal(signal.SIGUSR1)  # the admin's stats check
        sleep_until(t0 + 65 * SCALE)
        dm.add_device(*NEW_DEVICES[0])
        dm.added = 1
        sleep_until(t0 + 100 * SCALE)

        # 1. the VPN to the head office drops: its DNS server answers nothing
        start = now()
        hq.mode = "down"
        time.sleep(50 * SCALE)
        hq.mode = "up"
        end = now()
        drops = [t for t in hq.drops if start <= t <= end]
        marks["vpn"] = (drops[0] if drops else start, end, len(drops))
        sleep_until(end + 35 * SCALE)
        dm.add_device(*NEW_DEVICES[1])
        dm.added = 2
        sleep_until(end + 75 * SCALE)

        # 2. an infected camera floods random names under www.bigcasino.example
        fstart = now()
        flood = query_flood(30 * SCALE)
        marks["flood"] = (fstart, now())
        sleep_until(flood[2] + 10 + 65 * SCALE)  # 10 s: dnsmasq's forwarding timeout

        # 3. the admin reloads a hosts.office generated with swapped columns; restores it after 70 s
        dm.write_hosts(swapped=True)
        bstart = now()
        dm.signal(signal.SIGHUP)
        time.sleep(70 * SCALE)
        dm.write_hosts()
        dm.signal(signal.SIGHUP)
        bend = now()
        marks["hosts"] = (bstart, bend)
        sleep_until(bend + 35 * SCALE)
        dm.signal(signal.SIGUSR1)
        sleep_until(bend + 80 * SCALE)
        traffic.finish()
        print("%s: clients %s; flood %d sent, answers %s; upstreams %s" % (
            NAME, sorted(traffic.res.counts.items()), flood[0], dict(flood[3]),
            [dict(u.counts) for u in upstreams]), file=sys.stderr)
        ok = True
    finally:
        traffic.stop.set()
        dm.stop()
        for u in upstreams:
            u.close()
        if ok:
            label(dm, labels, marks, flood)
            keep_log(dm.log, OUT, NAME, labels)
        shutil.rmtree(work, ignore_errors=True)


def label(dm, labels, marks, flood):
    """The labels: the measured times of each incident, with the log's lines that show it counted."""
    lines = dm.lines()

    def window(s, e, pred):
        return [t for t, m in lines if int(s) <= t <= e and pred(m)]

    s, e, dropped = marks["vpn"]
    fwd = window(s, e, lambda m: m.startswith("forwarded ") and m.endswith("to %s#%d" % (HQ, UP_PORT)))
    queries = window(s, e, lambda m: m.startswith("query[") and (".corp.example " in m or "20.10.in-addr.arpa " in m))
    cached = window(s, e, lambda m: m.startswith("cached ") and (".corp.example " in m or "20.10.in-addr.arpa " in m))
    labels.add("hq-dns-unreachable", s, e, "upstream-outage", "%s|%s#%d|corp.example" % (HQ, HQ, UP_PORT),
               "the site-to-site VPN to the head office drops for %d s: its DNS server %s, dnsmasq's only server for "
               "corp.example and 20.10.in-addr.arpa, answers nothing (%d queries lost); %d queries from the LAN for "
               "corp.example names and 10.20 PTRs, %d lines 'forwarded NAME to %s#%d' that get no reply (the "
               "clients ask again after 5 s, then give up), %d answered from the cache meanwhile ('cached ...')" % (
                   round(e - s), HQ, dropped, len(queries), len(fwd), HQ, UP_PORT, len(cached)))

    sent, first, last, answers = flood
    s = first or marks["flood"][0]
    victim = window(s, last + 15, lambda m: VICTIM in m)
    e = max(victim) if victim else marks["flood"][1]
    maxed = window(s, e, lambda m: m.startswith("Maximum number of concurrent DNS queries reached"))
    refused = window(s, e, lambda m: m == "config error is REFUSED")
    servfail = window(s, e, lambda m: m == "reply error is SERVFAIL")
    from_cam = window(s, e, lambda m: m.startswith("query[") and m.endswith("from " + ATTACKER))
    labels.add("random-subdomain-flood", s, e, "query-flood", "%s|%s" % (ATTACKER, VICTIM),
               "an infected IP camera %s sends %d queries for random names under %s in %d s (a random-subdomain "
               "or water-torture attack); the ISP's resolver answers them slowly with SERVFAIL or not at all, "
               "so dnsmasq's forwarding table fills: %d lines 'query[A] RANDOM.%s from %s', %d 'Maximum number of "
               "concurrent DNS queries reached (max: 150)', %d 'config error is REFUSED' (queries turned away, the "
               "office's own among them), %d 'reply error is SERVFAIL'; the camera got %s" % (
                   ATTACKER, sent, VICTIM, round(last - first) if first else 0, len(from_cam), VICTIM, ATTACKER,
                   len(maxed), len(refused), len(servfail), dict(answers)))

    s, e = marks["hosts"]
    bad = window(s, e, lambda m: m.startswith("bad address at " + dm.hosts))
    read = [m for t, m in lines if int(s) <= t <= e and m.startswith("read " + dm.hosts)]
    devices = {n + ".office.lan" for _, names in dm.entries for n in names.split()}
    addrs = {".".join(reversed(a.split("."))) + ".in-addr.arpa" for a, _ in dm.entries}
    lan_nx = window(s, e, lambda m: m.startswith("config ") and m.endswith(" is NXDOMAIN")
                    and m.split()[1] in devices)
    ptr_nx = window(s, e, lambda m: m.startswith("config ") and m.endswith(" is NXDOMAIN") and m.split()[1] in addrs)
    askers = sorted({m.rsplit(" ", 1)[1] for t, m in lines if int(s) <= t <= e and m.startswith("query[")
                     and m.split()[1] in devices}, key=lambda a: [int(x) for x in a.split(".")])
    labels.add("broken-hosts-reload", s, e, "misconfiguration", "%s|hosts.office|office.lan" % dm.hosts,
               "the admin regenerates %s from the asset inventory with a script whose columns come out swapped "
               "(NAME ADDRESS) and sends dnsmasq SIGHUP: %d lines 'bad address at %s line N', then %s; for %d s, "
               "until the admin restores the file and sends SIGHUP again, the office's devices are gone: %d lines "
               "'config NAME.office.lan is NXDOMAIN' (nas, printers, ... asked by %s) and %d LAN PTRs 'config "
               "X.10.168.192.in-addr.arpa is NXDOMAIN'" % (
                   dm.hosts, len(bad), dm.hosts, " and ".join("'%s'" % m for m in read), round(e - s), len(lan_nx),
                   ", ".join(askers), len(ptr_nx)))


if __name__ == "__main__":
    main()
