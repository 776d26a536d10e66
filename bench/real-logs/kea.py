#!/usr/bin/env python3
"""Runs a real ISC Kea DHCPv4 server (Debian bookworm kea-dhcp4-server, Kea 2.2) on 127.0.0.1 as a company site's
DHCP server behind its routers' relay agents, drives a few hundred clients' DHCP traffic through relays the script
plays itself, injects labelled incidents and keeps kea-dhcp4's own log exactly as Kea wrote it: a `loggers` entry
for kea-dhcp4 writing to a file, severity INFO, Kea's default pattern ("2026-12-03 12:00:00.123 INFO
[kea-dhcp4.leases/1234.140...] DHCP4_LEASE_ALLOC [hwtype=1 54:e1:ad:12:34:56], cid=[01:54:e1:ad:12:34:56],
tid=0x5f3a9c21: lease 10.20.1.57 has been allocated for 300 seconds"), TZ=UTC.

usage: bench/real-logs/kea.py OUTDIR
  writes OUTDIR/kea-l.log (gzipped over 1 MB) and OUTDIR/kea-l.labels.tsv; SCALE=0.1 multiplies every duration and
  the lease times (a short run for testing)

Kea runs as `kea-dhcp4 -c WORK/kea-dhcp4.conf -p 20171 -P 20172` (server port 20171, and -P makes it send every
response to port 20172, where the relays listen) with KEA_PIDFILE_DIR and KEA_LOCKFILE_DIR in the work dir; stopped
with SIGTERM. Its config: interfaces-config lo with dhcp-socket-type udp (Kea answers relayed traffic only: nothing
can broadcast on loopback), a memfile lease database WORK/kea-leases4.csv (persist, lfc-interval 3600), a unix
control socket WORK/kea4-ctrl.sock (config-reload, statistic-get-all, lease4-* commands), the lease_cmds and
stat_cmds hooks, expired-leases-processing as in Debian's sample config, global DNS/NTP/domain options, and four
subnets each selected by its relay's address (`"relay": {"ip-addresses": [...]}`): office floor 1 10.20.1.0/24
(relay 127.0.0.11), office floor 2 10.20.2.0/24 (127.0.0.12), guest Wi-Fi 10.30.0.0/24 with a 100-address pool
(127.0.0.13, the Wi-Fi controller's DHCP proxy), warehouse 10.40.0.0/24 (127.0.0.14), with host reservations for
printers. Lease times are short so that renewals happen: 300 s (T1 150, T2 262) in the offices, 240 s in the
warehouse, 120 s on guest Wi-Fi. Before Kea starts, the lease file holds the leases the office and warehouse
devices and the guests present got before (a server restart), so they renew them at their T1.

The relays: each a UDP socket bound to its own 127.0.0.X:20172, forwarding its clients' messages to
127.0.0.1:20171 with giaddr set to its address and hops 1, and handing Kea's replies back by xid. The relays run in
proxy mode (as a Wi-Fi controller's DHCP proxy or a router relaying unicast renewals does), so renewals come through
them too. The DHCP wire format (BOOTP header, options, magic cookie) is written with struct.

Normal traffic (a few hundred clients over the run): 70 desktops and laptops on floor 1, 60 on floor 2 (Windows
sending client-id and "MSFT 5.0", Linux without client-id, Macs), renewing at T1 (REQUEST with ciaddr), rebinding
after T2 when unanswered; some leave (a third of them sending DHCPRELEASE) and come back later (INIT-REBOOT with
their old address; a laptop that moved to the other floor is refused and starts over with DISCOVER); new laptops
arrive on both floors (DISCOVER/OFFER/REQUEST/ACK); 30 barcode scanners, 4 label printers (reserved addresses) and 2
forklift terminals in the warehouse, the terminals dropping out of Wi-Fi coverage now and then; phones and laptops
of guests arriving on the guest Wi-Fi every ~6 s (private random MACs), staying 1-5 minutes and leaving mostly
without releasing; an old thin client sending DHCPINFORM. Routine noise: the monitoring's `statistic-get-all` on the
control socket every 60 s (and `stat-lease4-get` every 5 minutes), a lab switch (127.0.0.19) that still relays a
test device's DISCOVERs to this server every 2-3 minutes (no subnet for it: "DHCP4_PACKET_NAK_0001 ... failed to
select a subnet"), a laptop whose ARP probe finds its new address taken by a device someone configured statically
(one DHCPDECLINE), the admin adding a reservation for a new printer and reloading the config (config-reload, the
printer then gets its address), looking a client's lease up (lease4-get-by-hw-address), a nightly-style config-write
backup.

Incidents (about 8.5 minutes in all: 90 s of normal traffic, each incident followed by about 60 s of it):
  relay-giaddr-mismatch  the warehouse's core switch is replaced; its DHCP relay now uses its new interface address
                         127.0.0.24 as giaddr (and source), which no subnet's relay list holds; every warehouse device
                         reconnects (INIT-REBOOT) and renews through it in vain: ERROR "DHCP4_PACKET_NAK_0001 ...
                         failed to select a subnet for incoming packet, src 127.0.0.24, type DHCPREQUEST" (then
                         DHCPDISCOVER as leases run out), until after ~65 s the DHCP admin adds 127.0.0.24 to the
                         warehouse subnet's relay ip-addresses and reloads the config
  guest-pool-starvation  a rogue device on the guest Wi-Fi runs a DHCP starvation tool for 45 s: ~4 DISCOVER/REQUEST
                         exchanges a second, each from a new random MAC, until the 100-address pool is used up: WARN
                         "ALLOC_ENGINE_V4_ALLOC_FAIL_SUBNET ... failed to allocate an IPv4 lease in the subnet
                         10.30.0.0/24, subnet-id 3", "ALLOC_ENGINE_V4_ALLOC_FAIL ... after N attempt(s)",
                         "ALLOC_ENGINE_V4_ALLOC_FAIL_CLASSES", for the tool's MACs and real guests alike; the
                         controller blocks the device, 20 s later the admin lists the subnet's leases and deletes
                         the tool's (lease4-get-all, then a lease4-del for each)
  config-reload-outage   the admin adds the new third floor's subnet 10.20.3.0/24 with a typo in its pool
                         ("10.20.30.20 - 10.20.30.240") and reloads: Kea 2.2 rejects the file (ERROR
                         DHCP4_PARSER_FAIL "... does not match the prefix of a subnet", FATAL
                         DHCP4_CONFIG_UNRECOVERABLE_ERROR, ERROR DHCP4_CONFIG_LOAD_FAIL, FATAL
                         DHCP4_DYNAMIC_RECONFIGURATION_FAIL) and, having closed its sockets for the reconfiguration,
                         answers nobody until a good config is loaded: no lease line at all; 20 s later the admin's
                         hurried fix has a JSON syntax error (a missing comma) and fails too; 50 s after that a
                         config-test passes and the third config-reload succeeds; clients catch up
Needs (Debian): kea-dhcp4-server. Standard library only.
"""
import calendar
import collections
import json
import os
import queue
import random
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time

from arrivals import poisson
from drivers import begin, now, sleep_until, stop_process, descendants, kill_leftovers, keep_log
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "kea-l"
SERVER_ADDR = "127.0.0.1"
SERVER_PORT = 20171                  # kea-dhcp4 -p
RELAY_PORT = 20172                   # kea-dhcp4 -P: where Kea sends every response (the relays bind it)
HOOKS = "/usr/lib/x86_64-linux-gnu/kea/hooks"
LAB_RELAY = "127.0.0.19"             # a lab switch still relaying to this server; no subnet for it
WAREHOUSE_NEW_GIADDR = "127.0.0.24"  # the replaced warehouse switch's new relay address

DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM = 1, 2, 3, 4, 5, 6, 7, 8
TYPE_NAMES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK", 6: "NAK", 7: "RELEASE", 8: "INFORM"}
MAGIC = b"\x63\x82\x53\x63"
STOP = threading.Event()


def lt(seconds):
    """A lease time of the config, scaled (at least 6 s)."""
    return max(6, int(round(seconds * SCALE)))



class Site:
    """A subnet and the relay its clients' messages go through (the relay can be swapped, as in incident 1)."""

    def __init__(self, ident, name, comment, subnet, pool, relay_addr, router, times, options=(), reservations=()):
        self.id, self.name, self.comment, self.subnet, self.pool = ident, name, comment, subnet, pool
        self.relay_addrs = [relay_addr]
        self.router, self.times, self.options = router, times, list(options)
        self.reservations = list(reservations)   # (mac, ip, hostname)
        self.relay = None
        self.prefix = subnet.rsplit(".", 1)[0]

    def config(self):
        valid, t1, t2 = (lt(x) for x in self.times)
        entry = {"id": self.id, "subnet": self.subnet, "comment": self.comment,
                 "pools": [{"pool": "%s - %s" % self.pool}],
                 "relay": {"ip-addresses": list(self.relay_addrs)},
                 "valid-lifetime": valid, "renew-timer": t1, "rebind-timer": t2,
                 "option-data": [{"name": "routers", "data": self.router}] + self.options}
        if self.reservations:
            entry["reservations"] = [{"hw-address": m, "ip-address": ip, "hostname": h}
                                     for m, ip, h in self.reservations]
        return entry


OFFICE1 = Site(1, "office-1f", "HQ office floor 1 (VLAN 110)", "10.20.1.0/24", ("10.20.1.20", "10.20.1.240"),
               "127.0.0.11", "10.20.1.1", (300, 150, 262),
               reservations=[("3c:52:82:6a:10:01", "10.20.1.10", "printer-1f")])
OFFICE2 = Site(2, "office-2f", "HQ office floor 2 (VLAN 120)", "10.20.2.0/24", ("10.20.2.20", "10.20.2.240"),
               "127.0.0.12", "10.20.2.1", (300, 150, 262),
               reservations=[("3c:52:82:6a:20:01", "10.20.2.10", "printer-2f")])
GUEST = Site(3, "guest-wifi", "guest Wi-Fi (VLAN 300), controller DHCP proxy", "10.30.0.0/24",
             ("10.30.0.100", "10.30.0.199"), "127.0.0.13", "10.30.0.1", (120, 60, 105),
             options=[{"name": "domain-name-servers", "data": "10.30.0.1"}])
WAREHOUSE = Site(4, "warehouse", "warehouse (VLAN 400)", "10.40.0.0/24", ("10.40.0.50", "10.40.0.200"),
                 "127.0.0.14", "10.40.0.1", (240, 120, 210),
                 reservations=[("00:07:4d:9e:40:%02x" % (i + 1), "10.40.0.%d" % (10 + i), "label-prn-%02d" % (i + 1))
                               for i in range(4)])
FLOOR3 = Site(5, "office-3f", "HQ office floor 3 (VLAN 130), new", "10.20.3.0/24", ("10.20.3.20", "10.20.3.240"),
              "127.0.0.15", "10.20.3.1", (300, 150, 262))
SITES = [OFFICE1, OFFICE2, GUEST, WAREHOUSE]
NEW_PRINTER = ("3c:52:82:6a:20:02", "10.20.2.11", "printer-2f-b")


# ---- DHCP wire format -----------------------------------------------------------------------------------------------

def message(mtype, mac, xid, ciaddr="0.0.0.0", secs=0, options=()):
    """A client's BOOTREQUEST: fixed header, magic cookie, option 53 first, then (code, bytes) options, end, padded
    to 300 bytes as clients do."""
    chaddr = bytes.fromhex(mac.replace(":", "")) + b"\0" * 10
    head = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, min(secs, 65535), 0,
                       socket.inet_aton(ciaddr), b"\0" * 4, b"\0" * 4, b"\0" * 4, chaddr, b"", b"")
    opts = bytes([53, 1, mtype])
    for code, value in options:
        opts += bytes([code, len(value)]) + value
    data = head + MAGIC + opts + b"\xff"
    return data + b"\0" * max(0, 300 - len(data))


def parse(data):
    """A reply: (type, yiaddr, {option: bytes}) or None."""
    if len(data) < 240 or data[236:240] != MAGIC:
        return None
    opts, i, o = {}, 240, data
    while i < len(o) and o[i] != 255:
        if o[i] == 0:
            i += 1
            continue
        if i + 1 >= len(o):
            break
        opts[o[i]] = o[i + 2:i + 2 + o[i + 1]]
        i += 2 + o[i + 1]
    mtype = opts.get(53, b"\0")[0]
    return mtype, socket.inet_ntoa(o[16:20]), opts


class Relay:
    """A DHCP relay agent on its own 127.0.0.X: forwards its clients' messages to Kea with giaddr set and hops
    incremented, and hands the replies (sent by Kea to giaddr:RELAY_PORT) back to the waiting client by xid."""

    def __init__(self, addr, counts):
        self.addr = addr
        self.counts = counts
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((addr, RELAY_PORT))
        self.sock.settimeout(0.5)
        self.pending = {}
        self.lock = threading.Lock()
        self.closed = False
        self.thread = threading.Thread(target=self.receive, daemon=True)
        self.thread.start()

    def receive(self):
        while not self.closed:
            try:
                data, _ = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                if self.closed:
                    return
                continue
            if len(data) < 8:
                continue
            xid = struct.unpack_from("!I", data, 4)[0]
            with self.lock:
                q = self.pending.get(xid)
            if q is not None:
                q.put(data)

    def send(self, msg):
        m = bytearray(msg)
        m[3] = min(255, m[3] + 1)
        m[24:28] = socket.inet_aton(self.addr)
        try:
            self.sock.sendto(bytes(m), (SERVER_ADDR, SERVER_PORT))
            self.counts["sent " + TYPE_NAMES[msg[242]]] += 1
        except OSError:
            self.counts["send error"] += 1

    def exchange(self, msg, timeout, want):
        """Forwards msg and waits up to timeout for a reply of a type in want; the parsed reply or None."""
        xid = struct.unpack_from("!I", msg, 4)[0]
        q = queue.Queue()
        with self.lock:
            self.pending[xid] = q
        try:
            self.send(msg)
            deadline = now() + timeout
            while not STOP.is_set():
                left = deadline - now()
                if left <= 0:
                    break
                try:
                    r = parse(q.get(timeout=min(left, 0.5)))
                except queue.Empty:
                    continue
                if r and r[0] in want:
                    self.counts["got " + TYPE_NAMES.get(r[0], "?")] += 1
                    return r
            self.counts["timeout"] += 1
            return None
        finally:
            with self.lock:
                self.pending.pop(xid, None)

    def close(self):
        self.closed = True
        self.sock.close()
        self.thread.join(2)


# ---- clients --------------------------------------------------------------------------------------------------------

PRL = {"win": bytes([1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252]),
       "linux": bytes([1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42]),
       "mac": bytes([1, 121, 3, 6, 15, 108, 114, 119, 252, 95, 44, 46]),
       "android": bytes([1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114, 108]),
       "ios": bytes([1, 121, 3, 6, 15, 108, 114, 119, 252]),
       "embedded": bytes([1, 3, 6, 12, 15, 28, 42, 43])}
VENDOR = {"win": b"MSFT 5.0", "android": b"android-dhcp-13", "embedded": None, "linux": None, "mac": None,
          "ios": None}
CLIENT_ID = {"win", "mac", "ios"}   # those sending option 61 (01 + MAC)


class Lease:
    def __init__(self, addr, start, valid, t1, t2, server_id):
        self.addr, self.start, self.valid, self.t1, self.t2, self.server_id = addr, start, valid, t1, t2, server_id


class Client:
    """A DHCP client behind a site's relay: DISCOVER/REQUEST, renewing at T1, rebinding after T2, INIT-REBOOT after
    a reconnection, RELEASE, DECLINE. Protocol timeouts are real ones (4 s, 8 s, 16 s), not scaled."""

    def __init__(self, site, mac, hostname, kind, rng, counts):
        self.site, self.mac, self.hostname, self.kind = site, mac, hostname, kind
        self.rng, self.counts = rng, counts
        self.cid = b"\x01" + bytes.fromhex(mac.replace(":", "")) if kind in CLIENT_ID else None
        self.lease = None
        self.last_addr = None
        self.wake = threading.Event()
        self.kicked = False
        self.conflict = False    # its next new address is found in use by its ARP probe (DHCPDECLINE)

    def opts(self, *extra):
        o = list(extra)
        if self.cid:
            o.append((61, self.cid))
        if self.hostname:
            o.append((12, self.hostname.encode()))
        if VENDOR.get(self.kind):
            o.append((60, VENDOR[self.kind]))
        o.append((55, PRL[self.kind]))
        if self.kind in ("win", "linux"):
            o.append((57, struct.pack("!H", 1500)))
        return o

    def xid(self):
        return self.rng.getrandbits(32)

    def sleep(self, seconds):
        """Sleeps (True), or returns False early when stopped or kicked (a reconnection)."""
        end = now() + max(0.0, seconds)
        while not STOP.is_set():
            left = end - now()
            if left <= 0:
                return True
            if self.wake.wait(min(left, 1.0)):
                self.wake.clear()
                self.kicked = True
                return False
        return False

    def take(self, reply, t0):
        _, yiaddr, o = reply
        valid = struct.unpack("!I", o[51])[0] if len(o.get(51, b"")) == 4 else 300
        t1 = struct.unpack("!I", o[58])[0] if len(o.get(58, b"")) == 4 else valid // 2
        t2 = struct.unpack("!I", o[59])[0] if len(o.get(59, b"")) == 4 else valid * 7 // 8
        self.lease = Lease(yiaddr, t0, valid, t1, t2, o.get(54, socket.inet_aton(SERVER_ADDR)))
        self.last_addr = yiaddr

    def discover(self):
        """INIT: DISCOVER (asking for its last address), REQUEST the offer; True when bound."""
        xid, start = self.xid(), now()
        want_addr = [(50, socket.inet_aton(self.last_addr))] if self.last_addr else []
        offer = None
        for timeout in (4, 8, 16):
            if STOP.is_set():
                return False
            msg = message(DISCOVER, self.mac, xid, secs=int(now() - start), options=self.opts(*want_addr))
            offer = self.site.relay.exchange(msg, timeout + self.rng.uniform(-1, 1), (OFFER,))
            if offer:
                break
        if not offer:
            return False
        sid = offer[2].get(54, socket.inet_aton(SERVER_ADDR))
        for timeout in (4, 8):
            t0 = now()
            msg = message(REQUEST, self.mac, xid, secs=int(now() - start),
                          options=self.opts((50, socket.inet_aton(offer[1])), (54, sid)))
            r = self.site.relay.exchange(msg, timeout, (ACK, NAK))
            if r and r[0] == ACK:
                self.take(r, t0)
                if self.conflict:
                    self.decline()
                    return False
                return True
            if r and r[0] == NAK:
                return False
        return False

    def decline(self):
        """The ARP probe found the address in use: DHCPDECLINE, then (RFC 2131) wait 10 s before starting over."""
        self.conflict = False
        lease, self.lease, self.last_addr = self.lease, None, None
        self.site.relay.send(message(DECLINE, self.mac, self.xid(), options=[
            (50, socket.inet_aton(lease.addr)), (54, lease.server_id)] + ([(61, self.cid)] if self.cid else [])))
        self.sleep(10)

    def reboot(self, addr):
        """INIT-REBOOT: REQUEST for its old address without server id; True (ACK), False (NAK) or None (no answer)."""
        xid, start = self.xid(), now()
        for timeout in (4, 4):
            t0 = now()
            msg = message(REQUEST, self.mac, xid, secs=int(now() - start),
                          options=self.opts((50, socket.inet_aton(addr))))
            r = self.site.relay.exchange(msg, timeout + self.rng.uniform(0, 1), (ACK, NAK))
            if r and r[0] == ACK:
                self.take(r, t0)
                return True
            if r and r[0] == NAK:
                self.last_addr = None
                return False
        return None

    def renew(self):
        """RENEWING or REBINDING: REQUEST with ciaddr; True when extended."""
        t0 = now()
        msg = message(REQUEST, self.mac, self.xid(), ciaddr=self.lease.addr, options=self.opts())
        r = self.site.relay.exchange(msg, 4, (ACK, NAK))
        if r and r[0] == ACK:
            self.take(r, t0)
            return True
        if r and r[0] == NAK:
            self.lease = None
            self.last_addr = None
        return False

    def release(self):
        if self.lease:
            self.site.relay.send(message(RELEASE, self.mac, self.xid(), ciaddr=self.lease.addr,
                                         options=[(54, self.lease.server_id)] + ([(61, self.cid)] if self.cid else [])))
        self.lease = None

    def bind(self):
        """Gets a lease: INIT-REBOOT with the last address after a reconnection, else DISCOVER; backs off when it
        fails, as clients do. True when bound."""
        while not STOP.is_set():
            if self.last_addr and self.kicked:
                self.kicked = False
                r = self.reboot(self.last_addr)
                if r:
                    return True
            self.kicked = False
            if self.discover():
                return True
            if STOP.is_set() or self.lease is not None:
                return self.lease is not None
            self.sleep(self.rng.uniform(10, 30) * max(SCALE, 0.3))
        return False

    def keep(self, until):
        """Bound: renews at T1, rebinds after T2, starts over when the lease runs out, reconnects (INIT-REBOOT) when
        kicked; returns at `until` (epoch) or when stopped."""
        while not STOP.is_set() and now() < until:
            if self.lease is None:
                if not self.bind():
                    return
                continue
            if self.kicked:
                self.last_addr = self.lease.addr
                self.lease = None
                continue
            l = self.lease
            t = now()
            if t < l.start + l.t1:
                self.sleep(min(l.start + l.t1, until) - t)
            elif t < l.start + l.t2:
                if not self.renew() and self.lease is not None:
                    self.sleep(max(4.0, (l.start + l.t2 - now()) / 2))
            elif t < l.start + l.valid:
                if not self.renew() and self.lease is not None:
                    self.sleep(max(3.0, (l.start + l.valid - now()) / 2))
            else:
                self.last_addr, self.lease = l.addr, None

    def kick(self):
        self.wake.set()


# ---- Kea --------------------------------------------------------------------------------------------------------------

class Kea:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "kea-dhcp4.conf")
        self.log = os.path.join(work, "kea-dhcp4.log")
        self.leases = os.path.join(work, "kea-leases4.csv")
        self.ctrl = os.path.join(work, "kea4-ctrl.sock")
        self.proc = None
        self.floor3 = None            # the third floor's pool, once the admin adds it
        self.lock = threading.Lock()

    def config(self):
        subnets = [s.config() for s in SITES]
        if self.floor3:
            f3 = FLOOR3.config()
            f3["pools"] = [{"pool": self.floor3}]
            subnets.append(f3)
        return {"Dhcp4": {
            "interfaces-config": {"interfaces": ["lo"], "dhcp-socket-type": "udp"},
            "control-socket": {"socket-type": "unix", "socket-name": self.ctrl},
            "lease-database": {"type": "memfile", "persist": True, "name": self.leases, "lfc-interval": 3600},
            "expired-leases-processing": {"reclaim-timer-wait-time": 10, "flush-reclaimed-timer-wait-time": 25,
                                          "hold-reclaimed-time": 3600, "max-reclaim-leases": 100,
                                          "max-reclaim-time": 250, "unwarned-reclaim-cycles": 5},
            "hooks-libraries": [{"library": os.path.join(HOOKS, "libdhcp_lease_cmds.so")},
                                {"library": os.path.join(HOOKS, "libdhcp_stat_cmds.so")}],
            "valid-lifetime": lt(300), "renew-timer": lt(150), "rebind-timer": lt(262),
            "option-data": [{"name": "domain-name-servers", "data": "10.20.0.53, 10.20.0.54"},
                            {"name": "domain-name", "data": "corp.example"},
                            {"name": "ntp-servers", "data": "10.20.0.123"}],
            "subnet4": subnets,
            "loggers": [{"name": "kea-dhcp4",
                         "output_options": [{"output": self.log, "flush": True, "maxsize": 10240000, "maxver": 8}],
                         "severity": "INFO", "debuglevel": 0}]}}

    def write(self, text=None):
        with open(self.conf, "w") as f:
            f.write(text if text is not None else json.dumps(self.config(), indent=4) + "\n")

    def seed_leases(self, rows):
        with open(self.leases, "w") as f:
            f.write("address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,"
                    "user_context\n")
            for r in rows:
                f.write(",".join(str(x) for x in r) + "\n")

    def start(self):
        self.write()
        check = subprocess.run(["kea-dhcp4", "-t", self.conf], capture_output=True, text=True)
        if check.returncode != 0:
            raise SystemExit("kea-dhcp4 -t failed:\n" + check.stdout + check.stderr)
        env = dict(os.environ, TZ="UTC", KEA_PIDFILE_DIR=self.work, KEA_LOCKFILE_DIR=self.work)
        self.out = open(os.path.join(self.work, "kea-dhcp4.stdout"), "wb")
        self.proc = subprocess.Popen(["kea-dhcp4", "-c", self.conf, "-p", str(SERVER_PORT), "-P", str(RELAY_PORT)],
                                     cwd=self.work, env=env, stdout=self.out, stderr=subprocess.STDOUT)
        want = "0100007F:%04X" % SERVER_PORT
        deadline = now() + 20
        while now() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("kea-dhcp4 exited with %s" % self.proc.returncode)
            with open("/proc/net/udp") as f:
                bound = any(l.split()[1] == want for l in list(f)[1:])
            if bound and os.path.exists(self.ctrl) and "DHCP4_STARTED" in self.text():
                return
            time.sleep(0.1)
        raise SystemExit("kea-dhcp4 did not bind 127.0.0.1:%d" % SERVER_PORT)

    def text(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def command(self, command, arguments=None):
        """One command on the control socket; Kea's answer as a dict ({} when it could not be read)."""
        c = {"command": command}
        if arguments is not None:
            c["arguments"] = arguments
        with self.lock:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(15)
            try:
                s.connect(self.ctrl)
                s.sendall(json.dumps(c).encode())
                data = b""
                while True:
                    d = s.recv(65536)
                    if not d:
                        break
                    data += d
                    try:
                        return json.loads(data.decode())
                    except ValueError:
                        continue
            except OSError:
                return {}
            finally:
                s.close()
        try:
            return json.loads(data.decode())
        except ValueError:
            return {}

    def stop(self):
        if self.proc is not None:
            kids = descendants(self.proc.pid)
            stop_process(self.proc)
            kill_leftovers(kids, b"kea-lfc")
            self.out.close()


LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.(\d{3}) (\w+) +\[([^\]]+)\] (\S+) (.*)$")


def log_lines(path):
    """(epoch, severity, message id, text) of each line of Kea's log."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if m:
                t = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")) + int(m.group(2)) / 1000.0
                out.append((t, m.group(3), m.group(5), m.group(6)))
    return out


# ---- population -----------------------------------------------------------------------------------------------------

FIRST = ["anna", "ben", "carla", "dmitri", "elena", "farid", "greta", "hugo", "ines", "jonas", "katja", "lars",
         "maya", "nils", "olga", "paul", "quinn", "rosa", "sven", "tara", "umar", "vera", "wim", "xenia", "yusuf",
         "zoe", "aron", "bea", "cem", "dana", "emil", "fiona", "goran", "hana", "ivo", "jana", "kurt", "lina", "milo",
         "nora"]
DEPTS = ["fin", "hr", "it", "sales", "mkt", "ops", "legal", "buy", "cs", "dev"]
OUIS = {"win": ["54:e1:ad", "8c:16:45", "f8:bc:12", "d4:81:d7", "3c:52:82", "94:57:a5"],
        "linux": ["54:e1:ad", "f8:bc:12", "d4:81:d7"], "mac": ["a4:83:e7", "f0:18:98", "3c:22:fb"]}


class Population:
    """Every client and its MAC, unique across the run."""

    def __init__(self, rng, counts):
        self.rng, self.counts = rng, counts
        self.macs = set()
        self.seq = collections.Counter()

    def mac(self, oui=None):
        while True:
            if oui:
                m = oui + ":" + ":".join("%02x" % self.rng.randrange(256) for _ in range(3))
            else:   # a phone's private (randomized, locally administered) address
                m = ":".join(["%02x" % ((self.rng.randrange(256) & 0xfc) | 0x02)] +
                             ["%02x" % self.rng.randrange(256) for _ in range(5)])
            if m not in self.macs:
                self.macs.add(m)
                return m

    def office(self, site):
        kind = self.rng.choices(["win", "linux", "mac"], [0.65, 0.15, 0.2])[0]
        self.seq[site.name] += 1
        if kind == "win":
            host = self.rng.choice(["LT-%s-%s", "WS-%s-%s"]) % (self.rng.choice(DEPTS).upper(),
                                                               "%04d" % self.rng.randrange(100, 9999))
        elif kind == "linux":
            host = "%s-%s" % (self.rng.choice(["dev", "build", "lab"]), self.rng.choice(FIRST))
        else:
            host = "%ss-MacBook-Pro" % self.rng.choice(FIRST).capitalize()
        return Client(site, self.mac(self.rng.choice(OUIS[kind])), host, kind, random.Random(self.rng.random()),
                      self.counts)

    def guest(self):
        kind = self.rng.choices(["ios", "android", "win", "mac"], [0.4, 0.35, 0.15, 0.1])[0]
        host = {"ios": lambda: self.rng.choice(["iPhone", "iPad", "%ss-iPhone" % self.rng.choice(FIRST).capitalize()]),
                "android": lambda: self.rng.choice(["Galaxy-S23", "Pixel-7", "Galaxy-A54", "android-%s"
                                                    % "".join(self.rng.choice("0123456789abcdef") for _ in range(16))]),
                "win": lambda: "DESKTOP-%s" % "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
                                                      for _ in range(7)),
                "mac": lambda: "%ss-MacBook-Air" % self.rng.choice(FIRST).capitalize()}[kind]()
        return Client(GUEST, self.mac(), host, kind, random.Random(self.rng.random()), self.counts)

    def warehouse(self, host, oui="00:07:4d"):
        return Client(WAREHOUSE, self.mac(oui), host, "embedded", random.Random(self.rng.random()), self.counts)


def seeded(client, rng, now_):
    """Gives the client the lease it got before the server restart (renewing within its T1) and returns the
    lease-file row."""
    valid, t1, t2 = (lt(x) for x in client.site.times)
    addr = client.seed_addr
    expire = int(now_ + valid - rng.uniform(0.05, 0.95) * t1)
    client.lease = Lease(addr, expire - valid, valid, t1, t2, socket.inet_aton(SERVER_ADDR))
    client.last_addr = addr
    cid = ":".join("%02x" % b for b in client.cid) if client.cid else ""
    return [addr, client.mac, cid, valid, expire, client.site.id, 0, 0, client.hostname, 0, ""]


def addresses(site, exclude=()):
    a, b = (int(x.rsplit(".", 1)[1]) for x in site.pool)
    return [site.prefix + ".%d" % i for i in range(a, b + 1) if site.prefix + ".%d" % i not in exclude]


# ---- traffic --------------------------------------------------------------------------------------------------------

class Traffic:
    def __init__(self, kea, rng):
        self.kea, self.rng = kea, rng
        self.counts = collections.Counter()
        self.pop = Population(random.Random(rng.random()), self.counts)
        self.threads = []
        self.clients = []
        self.lock = threading.Lock()
        self.warehouse = []
        self.relays = {}

    def relay(self, addr):
        r = Relay(addr, self.counts)
        self.relays[addr] = r
        return r

    def run(self, fn, *args):
        t = threading.Thread(target=fn, args=args, daemon=True)
        with self.lock:
            self.threads.append(t)
        t.start()

    def setup(self, t0):
        """The devices present when the server starts, with the leases in the lease file."""
        rows = []
        for site, n in ((OFFICE1, 70), (OFFICE2, 60)):
            pool = addresses(site)
            self.rng.shuffle(pool)
            for i in range(n):
                c = self.pop.office(site)
                c.seed_addr = pool[i]
                rows.append(seeded(c, self.rng, t0))
                self.clients.append(("office", c))
            p = Client(site, site.reservations[0][0], site.reservations[0][2], "embedded",
                       random.Random(self.rng.random()), self.counts)
            self.pop.macs.add(p.mac)
            p.seed_addr = site.reservations[0][1]
            rows.append(seeded(p, self.rng, t0))
            self.clients.append(("fixed", p))
        pool = addresses(WAREHOUSE)
        self.rng.shuffle(pool)
        for i in range(30):
            c = self.pop.warehouse("scan-wh-%02d" % (i + 1), self.rng.choice(["00:07:4d", "00:23:68"]))
            c.seed_addr = pool[i]
            rows.append(seeded(c, self.rng, t0))
            self.clients.append(("fixed", c))
            self.warehouse.append(c)
        for i in range(2):
            c = self.pop.warehouse("fl-term-%02d" % (i + 1), "00:c0:17")
            c.seed_addr = pool[30 + i]
            rows.append(seeded(c, self.rng, t0))
            self.clients.append(("roamer", c))
            self.warehouse.append(c)
        for mac, ip, host in WAREHOUSE.reservations:
            c = Client(WAREHOUSE, mac, host, "embedded", random.Random(self.rng.random()), self.counts)
            self.pop.macs.add(mac)
            c.seed_addr = ip
            rows.append(seeded(c, self.rng, t0))
            self.clients.append(("fixed", c))
            self.warehouse.append(c)
        pool = addresses(GUEST)
        self.rng.shuffle(pool)
        for i in range(22):
            c = self.pop.guest()
            c.seed_addr = pool[i]
            rows.append(seeded(c, self.rng, t0))
            self.clients.append(("guest", c))
        # yesterday's leases, long expired (Kea reclaims them quietly)
        for site in (OFFICE1, OFFICE2, WAREHOUSE):
            for a in self.rng.sample(addresses(site, {r[0] for r in rows}), 6):
                valid = lt(site.times[0])
                rows.append([a, self.pop.mac(self.rng.choice(OUIS["win"])), "", valid,
                             int(t0 - self.rng.uniform(8, 16) * 3600), site.id, 0, 0, "", 0, ""])
        self.rng.shuffle(rows)
        return rows

    def start(self):
        for site in SITES:
            site.relay = self.relay(site.relay_addrs[0])
        for kind, c in self.clients:
            if kind == "office":
                self.run(self.office_life, c, True)
            elif kind == "fixed":
                self.run(self.fixed_life, c)
            elif kind == "roamer":
                self.run(self.roamer_life, c)
            else:
                self.run(self.guest_life, c, self.rng.uniform(20, 240) * SCALE)
        self.run(self.arrivals, OFFICE1, 1 / 50.0)
        self.run(self.arrivals, OFFICE2, 1 / 55.0)
        self.run(self.guests)
        self.run(self.thin_client)

    # -- lives --
    def office_life(self, c, present):
        rng = c.rng
        if not present:
            c.bind()
        while not STOP.is_set():
            # a desk with people coming and going: some leave for a while (a meeting, lunch, home)
            stay = rng.expovariate(1 / 420.0) * SCALE if rng.random() < 0.5 else 1e9
            c.keep(now() + stay)
            if STOP.is_set():
                return
            if rng.random() < 0.33:
                c.release()
                self.counts["office release"] += 1
            else:
                c.lease = None
            if rng.random() < 0.35 or not c.sleep(rng.uniform(60, 200) * SCALE):
                return
            if c.site in (OFFICE1, OFFICE2) and rng.random() < 0.3:
                c.site = OFFICE2 if c.site is OFFICE1 else OFFICE1   # the laptop comes back on the other floor
                self.counts["office roam"] += 1
            c.kicked = True
            self.counts["office return"] += 1
            c.bind()

    def fixed_life(self, c):
        c.keep(1e18)

    def roamer_life(self, c):
        rng = c.rng
        while not STOP.is_set():
            c.keep(now() + rng.uniform(90, 200) * SCALE)
            if STOP.is_set():
                return
            # out of the Wi-Fi's reach at the far end of the yard, no release
            if not c.sleep(rng.uniform(40, 200) * SCALE):
                if STOP.is_set():
                    return
            c.kicked = True
            c.bind()

    def guest_life(self, c, stay):
        if c.lease is None and not c.bind():
            return
        c.keep(now() + stay)
        if not STOP.is_set() and c.rng.random() < 0.15:
            c.release()
            self.counts["guest release"] += 1

    def arrivals(self, site, rate):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate / SCALE, STOP, rng):
            c = self.pop.office(site)
            self.counts["office arrival"] += 1
            self.run(self.office_life, c, False)

    def guests(self):
        rng = random.Random(self.rng.random())
        for _ in poisson(1 / (6.0 * SCALE), STOP, rng):
            c = self.pop.guest()
            self.counts["guest arrival"] += 1
            self.run(self.guest_life, c, rng.uniform(60, 300) * SCALE)

    def thin_client(self):
        """An old thin client on floor 1 with a static address that asks for its options by DHCPINFORM (without
        ciaddr, so Kea answers through the relay) every ~90 s."""
        rng = random.Random(self.rng.random())
        c = Client(OFFICE1, "00:80:64:3a:11:07", "tc-reception", "embedded", rng, self.counts)
        while not STOP.wait(rng.uniform(70, 110) * SCALE):
            OFFICE1.relay.exchange(message(INFORM, c.mac, c.xid(), options=c.opts()), 4, (ACK,))

    def new_floor(self, n, seconds):
        """The third floor's first users, once its subnet exists."""
        rng = random.Random(self.rng.random())
        FLOOR3.relay = self.relay(FLOOR3.relay_addrs[0])
        for i in range(n):
            if STOP.wait(rng.uniform(0.3, 1.7) * seconds / n):
                return
            c = self.pop.office(FLOOR3)
            self.counts["floor3 arrival"] += 1
            self.run(self.office_life, c, False)

    def lab_relay(self):
        """A lab switch (127.0.0.19) that still relays a test device's DISCOVERs here; no subnet matches it."""
        rng = random.Random(self.rng.random())
        relay = self.relay(LAB_RELAY)
        c = Client(None, "02:1a:b0:00:07:31", "testbed-dut", "embedded", rng, self.counts)
        STOP.wait(rng.uniform(30, 80) * SCALE)
        while not STOP.is_set():
            xid, start = c.xid(), now()
            for timeout in (4, 8):
                relay.exchange(message(DISCOVER, c.mac, xid, secs=int(now() - start), options=c.opts()), timeout,
                               (OFFER,))
            STOP.wait(rng.uniform(110, 190) * SCALE)

    def monitoring(self):
        """The monitoring's exporter: statistic-get-all every 60 s, stat-lease4-get every fifth time."""
        rng = random.Random(self.rng.random())
        STOP.wait(rng.uniform(3, 15) * SCALE)
        n = 0
        while not STOP.is_set():
            self.kea.command("statistic-get-all")
            if n % 5 == 2:
                self.kea.command("stat-lease4-get")
            n += 1
            STOP.wait(60 * SCALE + rng.uniform(-0.5, 0.5))


# ---- incidents and admin actions ------------------------------------------------------------------------------------

def reload(kea, text=None):
    kea.write(text)
    return kea.command("config-reload")


def rogue(traffic, seconds, rate=4.0):
    """A DHCP starvation tool on the guest Wi-Fi: DISCOVER and REQUEST from a new random MAC each time, no hostname,
    without waiting for the previous exchange; returns (the MACs it used, leases it got)."""
    rng = random.Random(6666)
    stop = threading.Event()
    macs, got = [], []
    lock = threading.Lock()

    def one(mac):
        xid = rng.getrandbits(32)
        r = GUEST.relay.exchange(message(DISCOVER, mac, xid), 2, (OFFER,))
        if r is None:
            return
        sid = r[2].get(54, socket.inet_aton(SERVER_ADDR))
        a = GUEST.relay.exchange(message(REQUEST, mac, xid, options=[(50, socket.inet_aton(r[1])), (54, sid)]),
                                 2, (ACK, NAK))
        if a and a[0] == ACK:
            with lock:
                got.append(a[1])

    threading.Timer(seconds, stop.set).start()
    threads = []
    for _ in poisson(rate, stop, rng):
        if STOP.is_set():
            break
        mac = ":".join(["%02x" % ((rng.randrange(256) & 0xfc) | 0x02)] + ["%02x" % rng.randrange(256)
                                                                         for _ in range(5)])
        traffic.pop.macs.add(mac)
        macs.append(mac)
        t = threading.Thread(target=one, args=(mac,), daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join(5)
    return macs, got


def main():
    work = begin(OUT, "kea", __doc__)
    rng = random.Random(20171)
    kea = Kea(work)
    traffic = Traffic(kea, rng)
    labels = Labels()
    version = subprocess.run(["kea-dhcp4", "-v"], capture_output=True, text=True).stdout.strip()
    labels.note("made by bench/real-logs/kea.py: real ISC Kea DHCPv4 %s (Debian kea-dhcp4-server) on "
                "127.0.0.1:%d (-P %d), dhcp-socket-type udp on lo, memfile leases, lease_cmds and stat_cmds hooks, a "
                "unix control socket; its own log (loggers: kea-dhcp4, file output, severity INFO, default pattern, "
                "TZ=UTC); subnets selected by relay: office floor 1 10.20.1.0/24 (relay 127.0.0.11), floor 2 "
                "10.20.2.0/24 (127.0.0.12), guest Wi-Fi 10.30.0.0/24 (127.0.0.13), warehouse 10.40.0.0/24 "
                "(127.0.0.14); relay agents and a few hundred clients simulated by the script (DHCP wire format "
                "written with struct); lease times 300/240/120 s; wall-clock times" % (version, SERVER_PORT,
                                                                                        RELAY_PORT))
    marks = {}
    ok = False
    try:
        t0 = now()
        kea.seed_leases(traffic.setup(t0))
        kea.start()
        traffic.start()
        for fn in (traffic.monitoring, traffic.lab_relay):
            traffic.run(fn)
        t0 = now()

        # routine: a visitor's laptop on floor 1 finds its first address taken (ARP probe): one DHCPDECLINE
        sleep_until(t0 + rng.uniform(25, 35) * SCALE)
        c = traffic.pop.office(OFFICE1)
        c.conflict = True
        traffic.run(traffic.office_life, c, False)
        # routine: the admin reserves an address for floor 2's new printer and reloads; the printer boots
        sleep_until(t0 + rng.uniform(45, 55) * SCALE)
        OFFICE2.reservations.append(NEW_PRINTER)
        r = reload(kea)
        print("%s: reservation reload: %s" % (NAME, r.get("text")), file=sys.stderr)
        STOP.wait(rng.uniform(5, 10) * SCALE)
        p = Client(OFFICE2, NEW_PRINTER[0], NEW_PRINTER[2], "embedded", random.Random(rng.random()), traffic.counts)
        traffic.pop.macs.add(p.mac)
        traffic.run(lambda: (p.bind(), p.keep(1e18)))
        sleep_until(t0 + rng.uniform(65, 75) * SCALE)
        kea.command("lease4-get-by-hw-address", {"hw-address": traffic.warehouse[3].mac})
        sleep_until(t0 + 90 * SCALE)

        # 1. the warehouse switch is replaced; its relay now uses 127.0.0.24 as giaddr, which no subnet knows
        start = now()
        old = WAREHOUSE.relay
        WAREHOUSE.relay = traffic.relay(WAREHOUSE_NEW_GIADDR)
        old.close()
        for c in traffic.warehouse:   # every AP behind the new switch comes back: all devices reconnect
            threading.Timer(rng.uniform(2, 25) * SCALE, c.kick).start()
        sleep_until(start + 65 * SCALE)
        WAREHOUSE.relay_addrs.append(WAREHOUSE_NEW_GIADDR)
        r = reload(kea)
        marks["relay"] = (start, now())
        print("%s: relay fix reload: %s" % (NAME, r.get("text")), file=sys.stderr)
        sleep_until(now() + rng.uniform(28, 35) * SCALE)
        kea.command("lease4-get-by-hw-address", {"hw-address": traffic.warehouse[0].mac})
        sleep_until(marks["relay"][1] + 62 * SCALE)

        # 2. DHCP starvation on the guest Wi-Fi, then the admin removes the tool's leases
        start = now()
        macs, got = rogue(traffic, 45 * SCALE)
        blocked = now()
        STOP.wait(20 * SCALE)
        leases = kea.command("lease4-get-all", {"subnets": [GUEST.id]}).get("arguments", {}).get("leases", [])
        rogue_set = set(macs)
        deleted = 0
        for l in leases:
            if l.get("hw-address") in rogue_set:
                kea.command("lease4-del", {"ip-address": l["ip-address"]})
                deleted += 1
                time.sleep(0.05)
        marks["starve"] = (start, blocked, now(), macs, len(got), deleted)
        print("%s: starvation: %d MACs, %d leases, %d deleted" % (NAME, len(macs), len(got), deleted),
              file=sys.stderr)
        sleep_until(now() + 60 * SCALE)

        # 3. the admin adds the third floor with a typo in its pool: the reload fails and Kea stops answering
        start = now()
        kea.floor3 = "10.20.30.20 - 10.20.30.240"
        r1 = reload(kea)
        STOP.wait(20 * SCALE)
        kea.floor3 = "%s - %s" % FLOOR3.pool
        text = json.dumps(kea.config(), indent=4) + "\n"
        i = text.index('"id": %d' % FLOOR3.id)
        j = text.rindex("},", 0, i)
        r2 = reload(kea, text[:j + 1] + text[j + 2:])     # a missing comma before the new subnet
        STOP.wait(50 * SCALE)
        r3 = kea.command("config-test", kea.config())
        STOP.wait(rng.uniform(4, 8) * SCALE)
        r4 = reload(kea)
        marks["outage"] = (start, now())
        print("%s: outage reloads: %s | %s | test %s | %s" % (NAME, r1.get("text"), r2.get("text"), r3.get("text"),
                                                              r4.get("text")), file=sys.stderr)
        traffic.run(traffic.new_floor, 12, 60 * SCALE)
        sleep_until(now() + rng.uniform(30, 40) * SCALE)
        kea.command("config-write", {"filename": os.path.join(work, "kea-dhcp4.conf.bak")})
        sleep_until(marks["outage"][1] + 80 * SCALE)
        ok = True
    finally:
        STOP.set()
        deadline = now() + 20
        for t in list(traffic.threads):
            t.join(max(0.0, deadline - now()))
        kea.stop()
        for r in traffic.relays.values():
            if not r.closed:
                r.close()
        print("%s: %s" % (NAME, sorted(traffic.counts.items())), file=sys.stderr)
        if ok:
            label(kea, labels, marks)
            keep_log(kea.log, OUT, NAME, labels)
        shutil.rmtree(work, ignore_errors=True)


def label(kea, labels, marks):
    lines = log_lines(kea.log)

    def window(s, e):
        return [l for l in lines if s - 1 <= l[0] <= e + 1]

    # 1. relay giaddr mismatch
    s, e = marks["relay"]
    w = window(s, e + 30)
    fails = [l for l in w if l[2] == "DHCP4_PACKET_NAK_0001" and "src %s," % WAREHOUSE_NEW_GIADDR in l[3]]
    fix = [l[0] for l in window(e - 5, e + 5) if l[2] == "DHCP4_DYNAMIC_RECONFIGURATION_SUCCESS"]
    types = collections.Counter(l[3].rsplit("type ", 1)[-1] for l in fails)
    macs = {re.search(r"\[hwtype=1 ([0-9a-f:]+)\]", l[3]).group(1) for l in fails}
    end = max([l[0] for l in fails] + fix[:1] or [e])
    labels.add("relay-giaddr-mismatch", fails[0][0] if fails else s, end, "relay-misconfiguration",
               "%s|%s|warehouse" % (WAREHOUSE_NEW_GIADDR, WAREHOUSE.subnet),
               "the warehouse's core switch is replaced and its DHCP relay now forwards with its new address %s as "
               "giaddr, which is in no subnet's relay list; the %d warehouse devices reconnect and renew through it "
               "for %d s: %d lines 'ERROR [kea-dhcp4.bad-packets/...] DHCP4_PACKET_NAK_0001 [hwtype=1 MAC], ... "
               "failed to select a subnet for incoming packet, src %s, type DHCPREQUEST|DHCPDISCOVER' (%s) from %d "
               "MACs, and no lease line for the warehouse 10.40.0.0/24 meanwhile; ends when the admin adds %s to the "
               "warehouse subnet's relay ip-addresses and reloads (COMMAND_RECEIVED 'config-reload', "
               "DHCP4_DYNAMIC_RECONFIGURATION_SUCCESS)" % (
                   WAREHOUSE_NEW_GIADDR, len(macs), round(e - s), len(fails), WAREHOUSE_NEW_GIADDR,
                   ", ".join("%d %s" % (n, t) for t, n in sorted(types.items())), len(macs), WAREHOUSE_NEW_GIADDR))

    # 2. guest pool starvation
    s, blocked, e, rogue_macs, got, deleted = marks["starve"]
    rogue_set = set(rogue_macs)
    w = window(s, e)
    fail_lines = [l for l in w if l[2].startswith("ALLOC_ENGINE_V4_ALLOC_FAIL")]
    subnet_fails = [l for l in fail_lines if l[2] == "ALLOC_ENGINE_V4_ALLOC_FAIL_SUBNET" and GUEST.subnet in l[3]]
    fail_macs = [re.search(r"\[hwtype=1 ([0-9a-f:]+)\]", l[3]).group(1) for l in subnet_fails]
    legit = [m for m in fail_macs if m not in rogue_set]
    rogue_lines = [l for l in w if any("hwtype=1 %s]" % m in l[3] for m in rogue_set)]
    dels = [l[0] for l in w if l[2] == "COMMAND_RECEIVED" and "'lease4-del'" in l[3]]
    start = rogue_lines[0][0] if rogue_lines else s
    end = max([l[0] for l in fail_lines] + dels or [e])
    labels.add("guest-pool-starvation", start, end, "pool-exhaustion",
               "%s|guest-wifi|subnet-id 3|127.0.0.13" % GUEST.subnet,
               "a rogue device on the guest Wi-Fi (relay 127.0.0.13) runs a DHCP starvation tool for %d s: %d "
               "DISCOVER/REQUEST exchanges, each from a new random MAC without hostname, get %d leases until the "
               "100-address pool of %s is used up (DHCP4_LEASE_ADVERT/DHCP4_LEASE_ALLOC for the tool's MACs), then "
               "every new client fails: %d WARN lines 'ALLOC_ENGINE_V4_ALLOC_FAIL_SUBNET ... failed to allocate an "
               "IPv4 lease in the subnet %s, subnet-id 3' (%d of them for %d real guests), each with "
               "ALLOC_ENGINE_V4_ALLOC_FAIL '... after N attempt(s)' and ALLOC_ENGINE_V4_ALLOC_FAIL_CLASSES (%d "
               "ALLOC_ENGINE lines in all); the controller blocks the device, %d s later the admin lists the "
               "subnet's leases and deletes the tool's (COMMAND_RECEIVED 'lease4-get-all', %d 'lease4-del')" % (
                   round(blocked - s), len(rogue_macs), got, GUEST.subnet, len(subnet_fails), GUEST.subnet,
                   len(legit), len(set(legit)), len(fail_lines), round(20 * SCALE), len(dels)))

    # 3. config-reload outage
    s, e = marks["outage"]
    w = window(s, e)
    fails = [l for l in w if l[2] == "DHCP4_DYNAMIC_RECONFIGURATION_FAIL"]
    errs = [l for l in w if l[1] in ("ERROR", "FATAL")]
    reasons = [l[3].split("reason: ", 1)[-1] for l in w if l[2] == "DHCP4_CONFIG_LOAD_FAIL"]
    syntax = [r for r in reasons if "syntax error" in r]
    ok_ = [l[0] for l in window(e - 5, e + 2) if l[2] == "DHCP4_DYNAMIC_RECONFIGURATION_SUCCESS"]
    start = min([l[0] for l in w if l[2] == "COMMAND_RECEIVED" and "'config-reload'" in l[3]] or [s])
    end = ok_[-1] if ok_ else e
    served = [l for l in lines if start < l[0] < end and l[2] in ("DHCP4_LEASE_ALLOC", "DHCP4_LEASE_ADVERT")]
    before = [l for l in lines if start - 120 <= l[0] < start and l[2] == "DHCP4_LEASE_ALLOC"]
    after = [l for l in lines if end <= l[0] < end + 30 and l[2] in ("DHCP4_LEASE_ALLOC", "DHCP4_INIT_REBOOT")]
    labels.add("config-reload-outage", start, end, "bad-config-reload",
               "config-reload|%s|10.20.30.20-10.20.30.240|%s" % (FLOOR3.subnet, kea.conf),
               "the admin adds the new third floor's subnet %s to %s with a typo in its pool (10.20.30.20 - "
               "10.20.30.240) and runs config-reload: Kea rejects it (ERROR DHCP4_PARSER_FAIL '... a pool of type "
               "V4, with the following address range: 10.20.30.20-10.20.30.240 does not match the prefix of a "
               "subnet: %s ...', FATAL DHCP4_CONFIG_UNRECOVERABLE_ERROR, ERROR DHCP4_CONFIG_LOAD_FAIL, FATAL "
               "DHCP4_DYNAMIC_RECONFIGURATION_FAIL) and, its sockets closed for the reconfiguration, answers no "
               "client: %d lease lines in the %d s until the fix (against %d DHCP4_LEASE_ALLOC in the 120 s "
               "before); 20 s later a second reload fails on a JSON syntax error, a missing comma (DHCP4_CONFIG_LOAD_FAIL "
               "'... reason: %s'); %d reloads failed, %d ERROR/FATAL lines; then a "
               "config-test passes and the third config-reload succeeds (DHCP4_DYNAMIC_RECONFIGURATION_SUCCESS); "
               "%d lease/INIT-REBOOT lines in the 30 s after as clients catch up" % (
                   FLOOR3.subnet, kea.conf, FLOOR3.subnet, len(served), round(end - start), len(before),
                   syntax[0] if syntax else "?", len(fails),
                   len(errs), len(after)))


if __name__ == "__main__":
    main()
