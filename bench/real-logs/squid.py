#!/usr/bin/env python3
"""Runs a real Squid (Debian squid 5.7) as the office's forward proxy on 127.0.0.1, in front of a small shop origin
this driver serves itself (http.server), drives browser-like traffic through it, injects labelled incidents and
keeps both of Squid's logs exactly as it wrote them: access.log in Squid's default native format (`logformat squid`,
through the default daemon: logging module) and cache.log at the default debug_options (ALL,1). The squid.conf is
Debian's default one (Safe_ports, manager only from localhost, localnet allowed, deny all), with its own paths under
a /tmp work dir, a 64 MB memory cache and a 200 MB ufs cache_dir, read_timeout 2 seconds, shutdown_lifetime
3 seconds, pinger_enable off, a hosts_file naming the shop's hosts and dns_nameservers 127.0.0.1 (no DNS leaves the
machine). Squid runs in the foreground (`squid -N -f CONF`, started as root, running as Debian's proxy user) and is
stopped with `squid -k shutdown`. Standard library only.

usage: bench/real-logs/squid.py OUTDIR [PORT]      (the origin listens on PORT+1)
  writes OUTDIR/squid-f.access.log, OUTDIR/squid-f.cache.log and their .labels.tsv
  SCALE=0.2 multiplies every duration (a short run for testing)

Normal traffic: 40 office clients on 127.0.0.10-49, each a thread with urllib set to use the proxy, together a
Poisson ~50 requests/s to http://shop.example:PORT+1 (pages, a JSON API: product lists and details cached for
10-60 s, uncacheable cart, search, stock and checkout, a login redirect) and http://static.shop.example:PORT+1 (css,
js, fonts, images, a 1.6 MB catalogue PDF cached for a day): memory and disk hits (TCP_MEM_HIT, TCP_HIT),
revalidations (TCP_REFRESH_UNMODIFIED), a few conditional requests answered 304 (TCP_INM_HIT/304), occasional 404s
(an old banner, an undefined product id, a scanner's favourite), and a monitoring agent on 127.0.0.1 reading the
cache manager's info page every 30 s.
Incidents (about 6 minutes in all: 90 s of normal traffic, each incident followed by at least 50 s of it):
  origin-down     the origin stopped for 35 s (its open connections closed too): every miss is answered 503 by Squid
                  (TCP_MISS/503, ERR_CONNECT_FAIL), stale objects TCP_REFRESH_FAIL_OLD/200 or TCP_REFRESH_FAIL_ERR/504;
                  fresh cached objects are still served
  denied-client   a misconfigured sync job on 127.0.0.88, outside the proxy's ACL, polling through it at ~10
                  requests/s for 35 s: TCP_DENIED/403
  slow-origin     /api/search takes 5 s for 30 s, past read_timeout 2 s: Squid answers 504 (ERR_READ_TIMEOUT)
Squid's cache.log at ALL,1 shows none of the three (only start-up, swap directories and shutdown), so its labels file
holds the notes and the header only.
"""
import email.utils
import functools
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from arrivals import poisson
from labels import Labels

OUT = os.path.abspath(sys.argv[1])
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19528
ORIGIN = PORT + 1
SCALE = float(os.environ.get("SCALE", "1"))
SHOP = "http://shop.example:%d" % ORIGIN
STATIC_HOST = "http://static.shop.example:%d" % ORIGIN
PROXY = "http://127.0.0.1:%d" % PORT


def now():
    return time.time()


def sleep_until(t):
    time.sleep(max(0.0, t - now()))


PRODUCTS = ["espresso-machine", "milk-frother", "coffee-grinder", "pour-over-kettle", "french-press", "travel-mug",
            "descaler", "paper-filters", "cold-brew-jar", "scale", "tamper", "knock-box", "moka-pot", "burr-set"]
CATEGORIES = ["machines", "grinders", "brewing", "accessories", "cleaning", "gifts"]
WORDS = ["espresso", "grinder", "kettle", "filter", "mug", "decaf", "beans", "scale", "milk", "cold brew", "gift",
         "descaler", "moka", "tamper", "travel"]


class Origin:
    """The shop's web server and its static host, one ThreadingHTTPServer on 127.0.0.1:ORIGIN."""

    def __init__(self, port, seed):
        self.port = port
        self.slow_search = threading.Event()
        self.server = None
        self.thread = None
        self.conns = set()  # the open connections, closed when the server stops as a dying process's would be
        self.conns_lock = threading.Lock()
        rng = random.Random(seed)
        self.modified = email.utils.formatdate(now() - 9 * 86400, usegmt=True)
        self.static = {"/css/app.3f9c1e.css": 64_811, "/js/app.8d41b2.js": 245_330, "/js/vendor.1a2b3c.js": 412_907,
                       "/fonts/inter-var.woff2": 98_116, "/favicon.ico": 5_430,
                       "/catalogue/coffee-2026.pdf": 1_644_302}
        self.static.update({"/img/p%d.jpg" % i: 18_000 + i * 7_919 for i in range(1, 25)})
        self.static.update({"/img/hero-%s.jpg" % s: n for s, n in (("autumn", 612_480), ("barista", 734_913),
                                                                    ("beans", 891_207))})
        self.static = {p: rng.randbytes(n) for p, n in self.static.items()}
        self.etags = {p: '"%08x"' % zlib.crc32(b) for p, b in self.static.items()}

    def start(self):
        origin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "shop/2.4"

            def log_message(self, fmt, *args):  # Squid's logs are what the run keeps
                pass

            def setup(self):
                super().setup()
                with origin.conns_lock:
                    origin.conns.add(self.connection)

            def finish(self):
                with origin.conns_lock:
                    origin.conns.discard(self.connection)
                try:
                    super().finish()
                except OSError:
                    pass

            def reply(self, status, body=b"", ctype="text/html; charset=utf-8", headers=None):
                data = body.encode() if isinstance(body, str) else body
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                except OSError:  # Squid gave up on a slow answer and closed the connection
                    self.close_connection = True

            def cached(self, body, ctype, max_age, etag=None):
                """A cacheable answer with validators; 304 to a matching conditional request."""
                data = body.encode() if isinstance(body, str) else body
                etag = etag or '"%08x"' % zlib.crc32(data)
                headers = {"Cache-Control": "public, max-age=%d" % max_age, "ETag": etag,
                           "Last-Modified": origin.modified}
                inm = self.headers.get("If-None-Match")
                ims = self.headers.get("If-Modified-Since")
                if (inm and etag in inm) or (not inm and ims == origin.modified):
                    return self.reply(304, b"", ctype, headers)
                return self.reply(200, data, ctype, headers)

            def do_GET(self):
                self.route()

            def do_HEAD(self):
                self.route()

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                form = self.rfile.read(n).decode(errors="replace") if n else ""
                time.sleep(random.uniform(0.01, 0.05))
                path = self.path.partition("?")[0]
                nostore = {"Cache-Control": "no-store"}
                if path == "/api/cart":
                    return self.reply(200, json.dumps({"ok": True, "items": form.count("=")}), "application/json",
                                      nostore)
                if path == "/api/checkout":
                    return self.reply(201, json.dumps({"order": random.randint(100000, 999999)}), "application/json",
                                      nostore)
                if path == "/login":
                    return self.reply(302, b"", headers={"Location": "/account", "Cache-Control": "no-store"})
                return self.reply(404, json.dumps({"error": "not found"}), "application/json")

            def route(self):
                host = (self.headers.get("Host") or "").split(":")[0]
                path, _, query = self.path.partition("?")
                time.sleep(random.uniform(0.002, 0.03))
                if host == "static.shop.example":
                    if path in origin.static:
                        ctype = {"css": "text/css", "js": "application/javascript", "jpg": "image/jpeg",
                                 "ico": "image/x-icon", "woff2": "font/woff2", "pdf": "application/pdf"}[
                            path.rsplit(".", 1)[1]]
                        return self.cached(origin.static[path], ctype, 86400, origin.etags[path])
                    return self.reply(404, "<html><body><h1>404 Not Found</h1></body></html>")
                nostore = {"Cache-Control": "private, no-store"}
                if path in ("/", "/index.html"):
                    return self.reply(200, page("Coffee gear", 40 + random.randint(0, 8)), headers=nostore)
                if path.startswith("/products/") and path[10:] in PRODUCTS:
                    return self.cached(page(path[10:], 30 + 7 * PRODUCTS.index(path[10:])), "text/html", 60)
                if path.startswith("/category/") and path[10:] in CATEGORIES:
                    return self.cached(page(path[10:] + " " + query, 60), "text/html", 30)
                if path == "/api/products":
                    items = [{"id": 1000 + (zlib.crc32(query.encode()) + i) % 300, "name": PRODUCTS[i % len(PRODUCTS)]}
                             for i in range(24)]
                    return self.cached(json.dumps(items), "application/json", 10)
                if path.startswith("/api/products/"):
                    pid = path[14:]
                    if pid.isdigit() and 1000 <= int(pid) < 1300:
                        i = int(pid)
                        return self.cached(json.dumps({"id": i, "name": PRODUCTS[i % len(PRODUCTS)],
                                                       "price": 9 + i % 290, "text": "x" * (200 + i % 50 * 40)}),
                                           "application/json", 30)
                    return self.reply(404, json.dumps({"error": "no such product"}), "application/json")
                if path == "/api/search":
                    if origin.slow_search.is_set():
                        time.sleep(5)  # the search index rebuilding under it
                    hits = [{"id": random.randint(1000, 1299)} for _ in range(random.randint(0, 30))]
                    return self.reply(200, json.dumps(hits), "application/json", nostore)
                if path == "/api/cart":
                    return self.reply(200, json.dumps({"items": random.randint(0, 6)}), "application/json", nostore)
                if path.startswith("/api/stock/"):
                    return self.reply(200, json.dumps({"stock": random.randint(0, 40)}), "application/json",
                                      {"Cache-Control": "no-cache"})
                if path == "/account":
                    return self.reply(302, b"", headers={"Location": SHOP + "/login", "Cache-Control": "no-store"})
                if path == "/login":
                    return self.reply(200, page("Sign in", 3), headers=nostore)
                if path == "/robots.txt":
                    return self.cached("User-agent: *\nDisallow: /api/\n", "text/plain", 3600)
                return self.reply(404, "<html><body><h1>404 Not Found</h1></body></html>")

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
            with self.conns_lock:
                for c in self.conns:
                    try:
                        c.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass


def page(title, n):
    return "<html><head><title>%s</title></head><body>%s</body></html>" % (
        title, "".join("<p>%s item %d</p>" % (title, i) for i in range(n)))


class Bound(urllib.request.HTTPHandler):
    """urllib's HTTP handler with the client's own source address (127.0.0.X)."""

    def __init__(self, source):
        super().__init__()
        self.source = source

    def http_open(self, req):
        return self.do_open(functools.partial(http.client.HTTPConnection, source_address=(self.source, 0)), req)


def opener(source, proxy=True):
    proxies = {"http": PROXY} if proxy else {}
    return urllib.request.build_opener(urllib.request.ProxyHandler(proxies), Bound(source))


AGENTS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
          "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
          "Safari/605.1.15"]


class Traffic:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.status = {}

    def count(self, status):
        with self.lock:
            self.status[status] = self.status.get(status, 0) + 1

    def fetch(self, op, url, data=None, headers=None, timeout=15):
        req = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with op.open(req, timeout=timeout) as r:
                r.read()
                status = r.status
                etag = r.headers.get("ETag")
        except urllib.error.HTTPError as e:
            e.read()
            status, etag = e.code, None
        except OSError:
            status, etag = "error", None
        self.count(status)
        return status, etag

    def pick(self, rng):
        kinds = [
            (5, lambda: SHOP + "/"),
            (10, lambda: SHOP + "/products/" + rng.choice(PRODUCTS)),
            (4, lambda: SHOP + "/category/%s?page=%d" % (rng.choice(CATEGORIES), rng.randint(1, 3))),
            (7, lambda: SHOP + "/api/products?page=%d" % rng.randint(1, 12)),
            (7, lambda: SHOP + "/api/products/%d" % int(rng.triangular(1000, 1299, 1000))),
            (4, lambda: SHOP + "/api/cart"),
            (6, lambda: SHOP + "/api/search?q=" + urllib.request.quote(rng.choice(WORDS))),
            (3, lambda: SHOP + "/api/stock/%d" % rng.randint(1000, 1299)),
            (1, lambda: SHOP + "/account"),
            (0.2, lambda: SHOP + "/robots.txt"),
            (4, lambda: STATIC_HOST + "/css/app.3f9c1e.css"),
            (4, lambda: STATIC_HOST + "/js/app.8d41b2.js"),
            (3, lambda: STATIC_HOST + "/js/vendor.1a2b3c.js"),
            (3, lambda: STATIC_HOST + "/fonts/inter-var.woff2"),
            (2, lambda: STATIC_HOST + "/favicon.ico"),
            (10, lambda: STATIC_HOST + "/img/p%d.jpg" % rng.randint(1, 24)),
            (1.5, lambda: STATIC_HOST + "/img/hero-%s.jpg" % rng.choice(["autumn", "barista", "beans"])),
            (0.4, lambda: STATIC_HOST + "/catalogue/coffee-2026.pdf"),
            # the routine 404s: an old banner a cached page still names, a product id a client bug sends, a probe
            (0.5, lambda: STATIC_HOST + "/img/old-banner.png"),
            (0.3, lambda: SHOP + "/api/products/undefined"),
            (0.1, lambda: SHOP + "/wp-login.php"),
        ]
        return rng.choices([k[1] for k in kinds], weights=[k[0] for k in kinds])[0]()

    def client(self, k, rate):
        rng = random.Random(self.rng.random())
        op = opener("127.0.0.%d" % (10 + k))
        agent = rng.choice(AGENTS)
        seen = {}  # a browser's cache: the ETags it holds, sent back now and then
        for _ in poisson(rate, self.stop, rng):
            r = rng.random()
            headers = {"User-Agent": agent, "Accept-Language": "en-GB,en;q=0.8"}
            if r < 0.03:
                self.fetch(op, SHOP + "/api/cart", ("item=%d&qty=%d" % (rng.randint(1000, 1299), rng.randint(1, 3)))
                           .encode(), headers)
                continue
            if r < 0.04:
                self.fetch(op, SHOP + "/api/checkout", b"cart=%d&pay=card" % rng.randint(1, 9999), headers)
                continue
            url = self.pick(rng)
            if url.startswith(STATIC_HOST) and url in seen and rng.random() < 0.12:
                headers["If-None-Match"] = seen[url]
            status, etag = self.fetch(op, url, headers=headers)
            if etag:
                seen[url] = etag

    def monitor(self):
        """A monitoring agent on the proxy host reading the cache manager's info page every 30 s."""
        op = opener("127.0.0.1", proxy=False)
        while not self.stop.wait(30):
            self.fetch(op, "http://127.0.0.1:%d/squid-internal-mgr/info" % PORT,
                       headers={"User-Agent": "check_squid/1.4"})

    def run(self, clients=40, rate=1.25):
        ts = [threading.Thread(target=self.client, args=(k, rate), daemon=True) for k in range(clients)]
        ts.append(threading.Thread(target=self.monitor, daemon=True))
        for t in ts:
            t.start()
        return ts


def denied_client(traffic, seconds, rate=10):
    """A stock-sync job on 127.0.0.88, outside the proxy's ACL, polling the stock API through it."""
    op = opener("127.0.0.88")
    rng = random.Random(88)
    stop = threading.Event()
    threading.Timer(seconds, stop.set).start()
    n, denied = 0, 0
    for _ in poisson(rate, stop, rng):
        status, _ = traffic.fetch(op, SHOP + "/api/stock/%d" % rng.randint(1000, 1299),
                                  headers={"User-Agent": "stock-sync/0.9 (python-requests/2.31)"}, timeout=5)
        n += 1
        denied += status == 403
    return n, denied


class Squid:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "squid.conf")
        self.access = os.path.join(work, "access.log")
        self.cache_log = os.path.join(work, "cache.log")
        self.proc = None
        with open(os.path.join(work, "hosts"), "w") as f:
            f.write("127.0.0.1 localhost\n127.0.0.1 shop.example static.shop.example\n")
        with open(self.conf, "w") as f:
            f.write(CONF % {"work": work, "port": PORT})
        os.makedirs(os.path.join(work, "cache"))
        shutil.chown(work, "proxy", "proxy")
        for name in os.listdir(work):
            shutil.chown(os.path.join(work, name), "proxy", "proxy")

    def cmd(self, *args):
        return ["squid", "-f", self.conf] + list(args)

    def start(self):
        env = dict(os.environ, TZ="UTC")
        # the swap directories first, as Debian's start-up does for a new cache_dir (its lines open cache.log)
        subprocess.run(self.cmd("-N", "-z"), check=True, env=env, stderr=subprocess.DEVNULL)
        self.proc = subprocess.Popen(self.cmd("-N"), env=env)
        deadline = now() + 30
        while now() < deadline:
            try:
                with opener("127.0.0.1", proxy=False).open("http://127.0.0.1:%d/squid-internal-mgr/menu" % PORT,
                                                          timeout=2) as r:
                    r.read()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise SystemExit("squid exited with %s" % self.proc.returncode)
                time.sleep(0.2)
        raise SystemExit("squid did not start on 127.0.0.1:%d" % PORT)

    def stop(self):
        if not self.proc or self.proc.poll() is not None:
            return
        subprocess.run(self.cmd("-k", "shutdown"), env=dict(os.environ, TZ="UTC"))
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)


# Debian's squid.conf (comments, and the localnet ranges the machine has none of, left out) with this run's paths
CONF = """\
acl localnet src 127.0.0.0/26	# the office's clients (127.0.0.10-49)
acl SSL_ports port 443
acl Safe_ports port 80		# http
acl Safe_ports port 21		# ftp
acl Safe_ports port 443		# https
acl Safe_ports port 70		# gopher
acl Safe_ports port 210		# wais
acl Safe_ports port 1025-65535	# unregistered ports
acl Safe_ports port 280		# http-mgmt
acl Safe_ports port 488		# gss-http
acl Safe_ports port 591		# filemaker
acl Safe_ports port 777		# multiling http
http_access deny !Safe_ports
http_access deny CONNECT !SSL_ports
http_access allow localhost manager
http_access deny manager
http_access allow localnet
http_access allow localhost
http_access deny all
http_port 127.0.0.1:%(port)d
visible_hostname proxy1.office.example
cache_effective_user proxy
cache_mem 64 MB
cache_dir ufs %(work)s/cache 200 16 256
coredump_dir %(work)s/cache
access_log daemon:%(work)s/access.log squid
cache_log %(work)s/cache.log
pid_filename %(work)s/squid.pid
netdb_filename stdio:%(work)s/netdb.state
logfile_rotate 0
hosts_file %(work)s/hosts
dns_nameservers 127.0.0.1
pinger_enable off
read_timeout 2 seconds
shutdown_lifetime 3 seconds
refresh_pattern ^ftp:		1440	20%%	10080
refresh_pattern ^gopher:	1440	0%%	1440
refresh_pattern -i (/cgi-bin/|\\?) 0	0%%	0
refresh_pattern .		0	20%%	4320
"""


def main():
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="logwarden-squid-")
    origin = Origin(ORIGIN, 2026)
    squid = Squid(work)
    la, lc = Labels(), Labels()
    for l in (la, lc):
        l.note("made by bench/real-logs/squid.py: real Squid 5.7 forward proxy 127.0.0.1:%d (default logformat squid, "
               "debug_options ALL,1) in front of the shop origin 127.0.0.1:%d (shop.example, static.shop.example), "
               "clients on 127.0.0.10-49, ~50 requests/s, wall-clock times" % (PORT, ORIGIN))
    lc.note("cache.log of the same run: only the incidents Squid's cache.log itself shows. At the default "
            "debug_options (ALL,1) it shows none of the three (connect failures to the origin, ACL denials and read "
            "timeouts are logged in access.log only): its lines are start-up, swap directories and shutdown")
    traffic = Traffic(2026)
    threads = []
    try:
        origin.start()
        squid.start()
        threads = traffic.run()
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. the origin goes away for 35 s: Squid cannot connect and answers 503
        start = now()
        origin.stop()
        time.sleep(35 * SCALE)
        origin.start()
        end = now()
        la.add("origin-down", start, end, "upstream-outage",
               "127.0.0.1|shop.example:%d|static.shop.example:%d" % (ORIGIN, ORIGIN),
               "the origin 127.0.0.1:%d (shop.example, static.shop.example) stopped for %d s: every miss answered "
               "503 by Squid (TCP_MISS/503, ERR_CONNECT_FAIL, HIER_DIRECT/127.0.0.1), stale objects served as "
               "TCP_REFRESH_FAIL_OLD or answered 504 (TCP_REFRESH_FAIL_ERR); fresh ones still hits"
               % (ORIGIN, round(end - start)))
        sleep_until(end + 55 * SCALE)

        # 2. a client outside the ACL hammering the proxy
        start = now()
        n, denied = denied_client(traffic, 35 * SCALE)
        end = now()
        la.add("denied-client", start, end, "access-denied", "127.0.0.88",
               "a misconfigured stock-sync job on 127.0.0.88, not in the proxy's ACL, sending %d GET /api/stock/... "
               "in %d s: TCP_DENIED/403 (%d)" % (n, round(end - start), denied))
        sleep_until(end + 55 * SCALE)

        # 3. one path slower than read_timeout
        start = now()
        origin.slow_search.set()
        time.sleep(30 * SCALE)
        origin.slow_search.clear()
        end = now() + 2  # the last searches time out 2 s later
        la.add("slow-origin", start, end, "upstream-timeout", "/api/search",
               "the origin answers /api/search after 5 s for %d s, past read_timeout 2 s: Squid answers 504 "
               "(ERR_READ_TIMEOUT)" % round(end - 2 - start))
        sleep_until(end + 58 * SCALE)
    finally:
        traffic.stop.set()
        for t in threads:
            t.join(20)
        squid.stop()
        origin.stop()
    print("squid-f: %s" % ", ".join("%s %d" % kv for kv in sorted(traffic.status.items(), key=str)), file=sys.stderr)
    shutil.copy(squid.access, os.path.join(OUT, "squid-f.access.log"))
    shutil.copy(squid.cache_log, os.path.join(OUT, "squid-f.cache.log"))
    la.write(os.path.join(OUT, "squid-f.access.labels.tsv"))
    lc.write(os.path.join(OUT, "squid-f.cache.labels.tsv"))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
