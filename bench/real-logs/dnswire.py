"""What the DNS scenario drivers (bind.py, unbound.py) share (python3 standard library only): DNS's wire format and
stub resolvers.

    from dnswire import TYPES, TYPE_NAMES, RCODES, name_bytes, read_name, make_query, parse, Stubs
"""
import collections
import queue
import random
import selectors
import socket
import struct
import threading

from drivers import now

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "NULL": 10, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33,
         "OPT": 41, "DS": 43, "RRSIG": 46, "NSEC": 47, "DNSKEY": 48, "AXFR": 252}
TYPE_NAMES = {v: k for k, v in TYPES.items()}
RCODES = {0: "NOERROR", 2: "SERVFAIL", 3: "NXDOMAIN", 5: "REFUSED"}


def name_bytes(name):
    return b"".join(bytes([len(l)]) + l.encode() for l in name.rstrip(".").split(".") if l) + b"\0"


def read_name(msg, p):
    """The name at offset p (following compression pointers) and the offset after it."""
    labels, end = [], None
    while True:
        n = msg[p]
        if n == 0:
            return ".".join(labels), (end if end is not None else p + 1)
        if n & 0xC0 == 0xC0:
            if end is None:
                end = p + 2
            p = ((n & 0x3F) << 8) | msg[p + 1]
            continue
        labels.append(msg[p + 1:p + 1 + n].decode("ascii", "replace"))
        p += 1 + n


def make_query(name, qtype, qid, rd=True, edns=False, opcode=0):
    flags = (opcode << 11) | (0x0100 if rd else 0)
    msg = struct.pack(">HHHHHH", qid, flags, 1, 0, 0, 1 if edns else 0)
    msg += name_bytes(name) + struct.pack(">HH", TYPES[qtype], 1)
    if edns:
        msg += b"\0" + struct.pack(">HHIH", TYPES["OPT"], 1232, 0, 0)
    return msg


def parse(msg):
    """(id, flags, rcode, question name, qtype, answer records as [(name, type, rdata offset, rdata)])."""
    qid, flags, qd, an, _ns, _ar = struct.unpack(">HHHHHH", msg[:12])
    p, qname, qtype = 12, "", 0
    for _ in range(qd):
        qname, p = read_name(msg, p)
        qtype = struct.unpack(">H", msg[p:p + 2])[0]
        p += 4
    records = []
    for _ in range(an):
        owner, p = read_name(msg, p)
        rtype, _cls, _ttl, rdlen = struct.unpack(">HHIH", msg[p:p + 10])
        p += 10
        records.append((owner, rtype, p, msg[p:p + rdlen]))
        p += rdlen
    return qid, flags, flags & 0xF, qname, qtype, records


class Stubs:
    """Stub resolvers: every query from a fresh UDP socket on its host's address, to the server on 127.0.0.1:port; one
    receiver thread (run) takes the answers and counts them by (tag, rcode) in counts; 5 s without one, the query is
    sent again once (glibc's timeout:5 attempts:2). send(..., retry=False): 2 s and no resend (an attack tool)."""

    def __init__(self, port):
        self.port = port
        self.new = queue.Queue()
        self.stop = threading.Event()
        self.counts = collections.Counter()
        self.ids = random.Random(7)

    def send(self, source, name, qtype, tag, edns=False, retry=True):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind((source, 0))
            msg = make_query(name, qtype, self.ids.randrange(65536), edns=edns)
            s.sendto(msg, ("127.0.0.1", self.port))
        except OSError:
            s.close()
            self.counts[tag, "send-error"] += 1
            return
        s.setblocking(False)
        self.new.put((s, msg, tag, retry))

    def run(self):
        sel = selectors.DefaultSelector()
        pending = {}  # socket: [msg, tag, deadline, tries]
        while not (self.stop.is_set() and not pending and self.new.empty()):
            while True:
                try:
                    s, msg, tag, retry = self.new.get_nowait()
                except queue.Empty:
                    break
                pending[s] = [msg, tag, now() + (5 if retry else 2), 1 if retry else 2]
                sel.register(s, selectors.EVENT_READ)
            for key, _ in sel.select(0.05):
                s = key.fileobj
                msg, tag = pending[s][:2]
                try:
                    data = s.recv(65535)
                    if data[:2] != msg[:2]:
                        continue
                    self.counts[tag, RCODES.get(data[3] & 0xF, "rcode%d" % (data[3] & 0xF))] += 1
                except OSError:
                    self.counts[tag, "error"] += 1
                sel.unregister(s)
                s.close()
                del pending[s]
            t = now()
            for s, p in list(pending.items()):
                if t < p[2]:
                    continue
                if p[3] < 2 and not self.stop.is_set():
                    p[2], p[3] = t + 5, 2
                    try:
                        s.sendto(p[0], ("127.0.0.1", self.port))
                        continue
                    except OSError:
                        pass
                self.counts[p[1], "timeout"] += 1
                sel.unregister(s)
                s.close()
                del pending[s]
