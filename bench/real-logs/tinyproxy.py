#!/usr/bin/env python3
"""Runs a real Tinyproxy (Debian tinyproxy 1.11) on 127.0.0.1 as a small office's forward HTTP/HTTPS proxy, drives
the office's web traffic through it, injects labelled incidents and keeps Tinyproxy's log exactly as it wrote it
(LogFile, LogLevel Info, Debian's level: "CONNECT   Dec 03 17:26:18.581 [905]: Connect (file descriptor 5):
127.0.0.101", "NOTICE    Dec 03 17:26:18.620 [905]: Proxying refused on filtered domain "ads.tracker.example"").

Tinyproxy runs as `tinyproxy -d -c WORK/tinyproxy.conf` (in the foreground, started as root, it drops to Debian's
tinyproxy user; stopped with SIGTERM; an admin's reload is SIGUSR1, which is what 1.11 reloads on: "Reloading config
file", "Re-reading filter file."). It runs inside a mount namespace of its own (`unshare -m`) where WORK/hosts is
bind-mounted on /etc/hosts and WORK/nsswitch.conf ("hosts: files") on /etc/nsswitch.conf: the office's host names
resolve to the loopback origins below, and a name that is not there fails at once (no DNS query ever leaves);
nothing outside that namespace changes. The config follows Debian's /etc/tinyproxy/tinyproxy.conf (User/Group
tinyproxy, Timeout, DefaultErrorFile, StatFile, LogLevel Info, MaxClients, ViaProxyName) with: Port PORT, Listen
127.0.0.1, Timeout 90, MaxClients 60, Allow 127.0.0.1, 127.0.0.2 (monitoring), 127.0.0.32/28 (build runners),
127.0.0.64/26 (office LAN), ConnectPort 443, 563 and PORT+4 (the lab's "TLS" port), and a Filter file (domain
blacklist, POSIX basic regular expressions, Tinyproxy's default) with the office's ad and tracking networks.

usage: bench/real-logs/tinyproxy.py OUTDIR [PORT]      (default port 20221; origins on PORT+1..PORT+6)
  writes OUTDIR/tinyproxy-o.log (gzipped over 1 MB) and OUTDIR/tinyproxy-o.labels.tsv;
  SCALE=0.1 multiplies every duration (a short run for testing)

The origins (Python http.server threads of this script, each on an address of its own; the clients name them by
host name in absolute URIs, http://NAME:PORT/...):
  intranet.corp.example  127.0.0.12:PORT+1   the office wiki, news and phone book (a few stale bookmarks: 404)
  repo.corp.example      127.0.0.13:PORT+2   the office's Debian mirror (InRelease, Packages.xz, .debs, an ISO)
  api.partner.example    127.0.0.14:PORT+3   a supplier's order API (JSON; now and then an answer takes 8 s)
  webmail.corp.example, sso.corp.example, chat.example   127.0.0.17:PORT+4   a plain TCP service standing in for
                         TLS servers: the clients CONNECT to it and exchange a few opaque records
  cdn.static.example     127.0.0.15:PORT+5   the static assets (js, css, images, fonts) of the intranet and the news
  news.example, telemetry.vendor.example     127.0.0.16:PORT+6   a news site; a vendor's telemetry endpoint (404)

Normal traffic (about 1.4 requests/s through the proxy, raw HTTP/1.1 with Connection: close, as Tinyproxy answers):
  office workstations 127.0.0.101-124 and laptops 127.0.0.80-95 browse (Poisson, about 0.15 page views/s): a page of
  the intranet or the news site, then 2-4 assets from cdn.static.example, on some pages an ad or tracker request
  (ads.tracker.example, pixel.doubleclick.example: filtered, "Proxying refused on filtered domain") or a telemetry
  ping, now and then a mistyped host name ("Could not retrieve address info for intarnet.corp.example:80: Name or
  service not known"); HTTPS-like CONNECT tunnels to webmail, sso and chat (about 0.15/s, held 1-8 s); three laptops
  keep a chat long-poll tunnel open, which Tinyproxy cuts after Timeout ("Idle Timeout (after poll)") and which they
  open again; build runners 127.0.0.33-36 run apt update and fetch .debs from repo.corp.example every 50-70 s (some
  versions are gone: 404), retrying every 6-10 s while that fails; the ERP integration server 127.0.0.40 polls the
  supplier's API every 5 s and posts orders (its client gives up after 5 s: an 8 s answer leaves "process_server_
  headers failed: Broken pipe"); monitoring 127.0.0.2 fetches the stats page (http://tinyproxy.stats/, "Request for
  the stathost.") every 30 s. Routine noise: a client that connects and goes away without a request about every 70 s
  ("read_request_line: Client (file descriptor: N) closed socket before read."), an ISO download aborted by the user
  about every 100 s, a developer trying to tunnel ssh (CONNECT git.corp.example:22: "Refused CONNECT method on port
  22") about every 2 minutes, a phone on the guest network (127.0.0.200, not in the Allow list: "Unauthorized
  connection from "127.0.0.200".") about every 2.5 minutes. Admin actions: at 45 s the admin adds the vendor's
  telemetry host to the filter and reloads (SIGUSR1); after the second incident he adds "Allow 127.0.0.48/29" for two
  new build runners (127.0.0.49-50) and reloads, and they start fetching from the mirror.
Incidents (about 8.5 minutes in all: 90 s of normal traffic, each incident followed by at least 55 s of it):
  mirror-down    the office mirror repo.corp.example (127.0.0.13:PORT+2) goes down for 60 s (its web server is
                 stopped): every build runner fetch fails ("ERROR ... opensock: Could not establish a connection to
                 repo.corp.example:PORT+2") and the runners' pipelines retry every 6-10 s until it is back
  tunnel-storm   a chat client with a reconnect bug on the laptop 127.0.0.87 opens a new long-poll tunnel to
                 chat.example every 50 ms without closing the old ones, for 50 s until the user quits it: it takes
                 all 60 of MaxClients ("WARNING ... Maximum number of connections reached. Refusing new
                 connections.", a flood of "Connect (file descriptor N): 127.0.0.87" and CONNECT chat.example lines),
                 the other clients wait in the listen queue and many give up ("closed socket before read" once they
                 are accepted)
  filter-typo    the admin adds a rule for a malvertising CDN (adcdn.example) to the filter as the unanchored
                 "cdn\\." and reloads: for 70 s every request for cdn.static.example, the assets of every intranet
                 and news page, is refused ("Proxying refused on filtered domain "cdn.static.example"") until he
                 anchors it ("adcdn\\.example$") and reloads again
Needs (Debian): tinyproxy, util-linux (unshare); root (the mount namespace, Tinyproxy's drop to its user).
Standard library only.
"""
import calendar
import http.client
import os
import pwd
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from drivers import begin, now, sleep_until, wait_listening, stop_process, keep_log, run_workers, SessionPool
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 20221
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "tinyproxy-o"
TIMEOUT = max(6, int(round(90 * SCALE)))  # Tinyproxy's Timeout (idle connections)
MAXCLIENTS = 60

INTRANET = ("intranet.corp.example", "127.0.0.12", PORT + 1)
REPO = ("repo.corp.example", "127.0.0.13", PORT + 2)
API = ("api.partner.example", "127.0.0.14", PORT + 3)
TLS_IP, TLS_PORT = "127.0.0.17", PORT + 4
CDN = ("cdn.static.example", "127.0.0.15", PORT + 5)
NEWS = ("news.example", "127.0.0.16", PORT + 6)
TELEMETRY = "telemetry.vendor.example"

WORKSTATIONS = ["127.0.0.%d" % i for i in range(101, 125)]
LAPTOPS = ["127.0.0.%d" % i for i in range(80, 96)]
CHAT_LAPTOPS = ["127.0.0.82", "127.0.0.89", "127.0.0.93"]
RUNNERS = ["127.0.0.33", "127.0.0.34", "127.0.0.35", "127.0.0.36"]
NEW_RUNNERS = ["127.0.0.49", "127.0.0.50"]
ERP = "127.0.0.40"
MONITOR = "127.0.0.2"
GUEST = "127.0.0.200"
STORM = "127.0.0.87"

UAS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
       "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 "
       "Safari/605.1.15",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"]
ERRORS = (OSError, http.client.HTTPException, ValueError)
BLOCK = os.urandom(1 << 20)

WIKI = ["Main_Page", "Holiday_Calendar", "Expense_Policy", "IT_Helpdesk", "VPN_Setup", "Printer_Floor_2",
        "Onboarding", "Release_Process", "Build_Farm", "Coffee_Machine", "Parking", "Security_Awareness",
        "Travel_Booking", "Org_Chart", "Meeting_Rooms", "Wifi_Guest_Access", "Code_Review_Guide", "Sales_Q4"]
WIKI_GONE = ["Old_VPN_Guide", "Lotus_Notes_Migration", "Printer_Floor_3"]
NEWS_SECTIONS = ["world", "business", "tech", "science", "sport", "culture"]
ASSETS = ["/js/app.3f9c21.js", "/js/vendor.8ab410.js", "/css/site.c0ffee.css", "/css/print.css", "/img/logo.svg",
          "/img/hero_%d.jpg", "/img/thumb_%d.jpg", "/fonts/inter-var.woff2", "/js/search.51d2e7.js"]
ASSETS_GONE = ["/js/app.1b7e02.js", "/css/site.a11ce5.css"]
PACKAGES = [("libssl3", "3.0.15-1~deb12u1", 2100), ("curl", "7.88.1-10+deb12u8", 320),
            ("openjdk-17-jdk-headless", "17.0.13+11-2~deb12u1", 3000), ("maven", "3.8.7-1", 18),
            ("python3-requests", "2.28.1+dfsg-1", 70), ("git", "1:2.39.5-0+deb12u1", 2900),
            ("postgresql-client-15", "15.10-0+deb12u1", 1700), ("nodejs", "18.19.0+dfsg-6~deb12u2", 330),
            ("libxml2", "2.9.14+dfsg-1.3~deb12u1", 690), ("zlib1g", "1:1.2.13.dfsg-1", 90),
            ("ca-certificates", "20230311", 150), ("tzdata", "2024b-0+deb12u1", 260)]
OLD_VERSIONS = [("libssl3", "3.0.14-1~deb12u2"), ("curl", "7.88.1-10+deb12u7"), ("tzdata", "2024a-0+deb12u1")]
SKUS = ["WX-200", "WX-300", "PX-10", "PX-20", "HM-5", "HM-7", "TL-90", "KB-12", "MS-4"]


# --- the origins ---

class Site:
    """One origin web server (ThreadingHTTPServer on its own 127.0.0.x:port) answering with content made up on the
    fly by route(path) -> (status, content type, size, delay); stop() and start() take it down and up again."""

    def __init__(self, host, ip, port, route):
        self.host, self.ip, self.port, self.route = host, ip, port, route
        self.server = None
        self.lock = threading.Lock()
        self.counts = {}

    def count(self, k):
        with self.lock:
            self.counts[k] = self.counts.get(k, 0) + 1

    def start(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "nginx"
            sys_version = ""

            def log_message(self, *args):
                pass

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                status, ctype, size, delay = site.route(self.command, self.path)
                site.count(str(status))
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(size))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    if self.command != "HEAD":
                        sent, pos = 0, random.randrange(len(BLOCK))
                        while sent < size:
                            n = min(65536, size - sent, len(BLOCK) - pos)
                            self.wfile.write(BLOCK[pos:pos + n])
                            sent += n
                            pos = (pos + n) % len(BLOCK)
                except OSError:
                    site.count("client gone")
                self.close_connection = True

            do_GET = do_POST = do_HEAD = answer

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 128

        self.server = Server((self.ip, self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def route_intranet(method, path):
    p = path.split("?")[0]
    if p in ("/", "/news/", "/phonebook") or p.startswith("/wiki/") and p[6:] in WIKI:
        return 200, "text/html; charset=utf-8", random.randint(6, 60) * 1024, 0
    return 404, "text/html; charset=utf-8", 1800, 0


def route_news(method, path):
    p = path.split("?")[0]
    if p == "/" or p.startswith("/section/") or re.match(r"^/article/(\d+)$", p) and int(p[9:]) >= 80000:
        return 200, "text/html; charset=utf-8", random.randint(30, 180) * 1024, 0
    return 404, "text/html; charset=utf-8", 5200, 0


def route_cdn(method, path):
    if path in ASSETS_GONE:
        return 404, "text/html", 548, 0
    if path.endswith(".js"):
        return 200, "application/javascript", random.randint(20, 400) * 1024, 0
    if path.endswith(".css"):
        return 200, "text/css", random.randint(8, 90) * 1024, 0
    if path.endswith(".woff2"):
        return 200, "font/woff2", 96 * 1024, 0
    return 200, "image/jpeg", random.randint(4, 250) * 1024, 0


def route_repo(method, path):
    if path.endswith("/InRelease"):
        return 200, "application/octet-stream", 151 * 1024, 0
    if path.endswith("/Packages.xz"):
        return 200, "application/x-xz", 8 * 1024 * 1024, 0
    if path.endswith(".iso"):
        return 200, "application/x-iso9660-image", 64 * 1024 * 1024, 0
    for name, ver, kb in PACKAGES:
        if path.endswith("/%s_%s_amd64.deb" % (name, ver.split(":")[-1])):
            return 200, "application/vnd.debian.binary-package", kb * 1024, 0
    return 404, "text/html", 162, 0


def route_api(method, path):
    slow = 8 if random.random() < 0.03 else 0
    if method == "POST":
        return 201, "application/json", 180, slow
    if path.startswith("/v2/stock/"):
        return (200 if path[10:] in SKUS else 404), "application/json", 120, slow
    return 200, "application/json", random.randint(2, 40) * 1024 // 4, slow


# --- the clients ---

def proxy_request(src, url, method="GET", body=None, timeout=15, ua=None, partial=None):
    """One request through the proxy from source address src (absolute URI); the status. partial: read that many
    bytes of the body, then hang up (an aborted download)."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout, source_address=(src, 0))
    try:
        headers = {"User-Agent": ua or UAS[0], "Accept": "*/*", "Connection": "close"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, url, body=body, headers=headers)
        r = conn.getresponse()
        if partial:
            r.read(partial)
        else:
            r.read()
        return r.status
    finally:
        conn.close()


def open_tunnel(src, host, port, timeout=15, s=None):
    """CONNECT host:port through the proxy (on the socket s when given); the socket once Tinyproxy answered 200
    (else ValueError)."""
    s = s or socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.settimeout(timeout)
        s.bind((src, 0))
        s.connect(("127.0.0.1", PORT))
        s.sendall(("CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: %s\r\nProxy-Connection: keep-alive\r\n\r\n"
                   % (host, port, host, port, UAS[0])).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            d = s.recv(4096)
            if not d:
                raise ValueError("proxy closed")
            head += d
        if not head.startswith(b"HTTP/1.") or head.split()[1] != b"200":
            raise ValueError("CONNECT answered %r" % head.split(b"\r\n")[0])
        return s
    except BaseException:
        s.close()
        raise


def exchange(s, rng, n):
    """n opaque "TLS records" through a tunnel (the server echoes them)."""
    for _ in range(n):
        size = rng.randint(60, 4000)
        s.sendall(BLOCK[:size])
        got = 0
        while got < size:
            d = s.recv(65536)
            if not d:
                raise ValueError("tunnel closed")
            got += len(d)


class TlsService:
    """The plain TCP service behind webmail/sso/chat: echoes what it gets (a stand-in for TLS servers)."""

    def __init__(self):
        self.sock = None
        self.stop = threading.Event()

    def start(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((TLS_IP, TLS_PORT))
        self.sock.listen(256)
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while not self.stop.is_set():
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.echo, args=(c,), daemon=True).start()

    @staticmethod
    def echo(c):
        try:
            while True:
                d = c.recv(65536)
                if not d:
                    break
                c.sendall(d)
        except OSError:
            pass
        c.close()

    def close(self):
        self.stop.set()
        try:
            self.sock.close()
        except OSError:
            pass


# --- the proxy ---

CONF = """\
##
## tinyproxy.conf -- the office proxy (based on Debian's /etc/tinyproxy/tinyproxy.conf)
##
User {user}
Group {group}
Port {port}
Listen 127.0.0.1
Timeout {timeout}
DefaultErrorFile "/usr/share/tinyproxy/default.html"
StatFile "/usr/share/tinyproxy/stats.html"
LogFile "{work}/log/tinyproxy.log"
LogLevel Info
PidFile "{work}/run/tinyproxy.pid"
MaxClients {maxclients}
Allow 127.0.0.1
Allow 127.0.0.2
# build runners
Allow 127.0.0.32/28
# office LAN
Allow 127.0.0.64/26
{extra_allow}ViaProxyName "tinyproxy"
Filter "{work}/filter"
ConnectPort 443
ConnectPort 563
ConnectPort {tls_port}
"""

FILTER = """\
# ad and tracking networks (blocked for the whole office, IT-4711)
^ads\\.tracker\\.example$
\\.doubleclick\\.example$
^metrics\\.adnet\\.example$
"""

HOSTS = """\
127.0.0.1\tlocalhost
127.0.0.12\tintranet.corp.example intranet
127.0.0.13\trepo.corp.example repo
127.0.0.14\tapi.partner.example
127.0.0.15\tcdn.static.example
127.0.0.16\tnews.example www.news.example telemetry.vendor.example
127.0.0.17\twebmail.corp.example sso.corp.example chat.example git.corp.example
"""


class Tinyproxy:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "tinyproxy.conf")
        self.filter = os.path.join(work, "filter")
        self.log = os.path.join(work, "log", "tinyproxy.log")
        self.proc = None
        try:
            pwd.getpwnam("tinyproxy")
            self.user = self.group = "tinyproxy"
        except KeyError:
            self.user, self.group = "nobody", "nogroup"

    @staticmethod
    def version():
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "tinyproxy"], capture_output=True, text=True)
        return r.stdout.strip() or "1.11"

    def write_conf(self, extra_allow=""):
        with open(self.conf + ".new", "w") as f:
            f.write(CONF.format(user=self.user, group=self.group, port=PORT, timeout=TIMEOUT, work=self.work,
                                maxclients=MAXCLIENTS, extra_allow=extra_allow, tls_port=TLS_PORT))
        os.replace(self.conf + ".new", self.conf)

    def write_filter(self, text):
        with open(self.filter + ".new", "w") as f:
            f.write(text)
        os.replace(self.filter + ".new", self.filter)

    def setup(self):
        self.write_conf()
        self.write_filter(FILTER)
        with open(os.path.join(self.work, "hosts"), "w") as f:
            f.write(HOSTS)
        with open(os.path.join(self.work, "nsswitch.conf"), "w") as f:
            f.write("hosts: files\n")
        # Tinyproxy creates its LogFile after dropping to its user and removes its PidFile as that user: their
        # directories are that user's, as Debian's /var/log/tinyproxy and /run/tinyproxy
        pw = pwd.getpwnam(self.user)
        for d in ("log", "run"):
            os.mkdir(os.path.join(self.work, d))
            os.chown(os.path.join(self.work, d), pw.pw_uid, pw.pw_gid)

    def start(self):
        w = self.work
        script = ("mount --bind %s/hosts /etc/hosts && mount --bind %s/nsswitch.conf /etc/nsswitch.conf && "
                  "exec /usr/bin/tinyproxy -d -c %s/tinyproxy.conf" % (w, w, w))
        self.proc = subprocess.Popen(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                                     env=dict(os.environ, TZ="UTC"), stdin=subprocess.DEVNULL,
                                     stdout=open(os.path.join(w, "tinyproxy.stdout"), "wb"),
                                     stderr=subprocess.STDOUT)
        wait_listening(self.proc, "tinyproxy", (PORT,))

    def reload(self):
        """What `systemctl reload tinyproxy` does in 1.11: SIGUSR1 (config and filter read again)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGUSR1)

    def stop(self):
        stop_process(self.proc)


LINE = re.compile(r"^(\w+)\s+(\w{3} \d\d \d\d:\d\d:\d\d)\.(\d{3}) \[(\d+)\]: (.*)$")


def read_log(path):
    """Tinyproxy's log as (epoch, level, message) tuples (its stamps have no year: this year's, or last year's)."""
    out = []
    year = time.gmtime().tm_year
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if not m:
                continue
            t = calendar.timegm(time.strptime("%d %s" % (year, m.group(2)), "%Y %b %d %H:%M:%S"))
            if t > now() + 86400:
                t = calendar.timegm(time.strptime("%d %s" % (year - 1, m.group(2)), "%Y %b %d %H:%M:%S"))
            out.append((t + int(m.group(3)) / 1000.0, m.group(1), m.group(5)))
    return out


# --- normal traffic ---

class Traffic(SessionPool):
    """The office's sessions: at most 80 at once (a session that would be one too many is skipped)."""

    def __init__(self, seed, service):
        super().__init__(seed, 80, ERRORS)
        self.service = service
        self.runners = list(RUNNERS)
        self.telemetry_blocked = False

    # sessions

    def browse(self, rng):
        src = rng.choice(WORKSTATIONS + LAPTOPS)
        ua = UAS[int(src.rsplit(".", 1)[1]) % len(UAS)]
        r = rng.random()
        if r < 0.015:
            host = rng.choice(["intarnet.corp.example", "intranet.corp.exmaple", "news.exmaple", "nwes.example",
                               "intranet.corp"])
            try:
                proxy_request(src, "http://%s/" % host, ua=ua)
            finally:
                self.count("typo")
            return
        if r < 0.6:
            h, _, p = INTRANET
            pg = rng.random()
            path = ("/" if pg < 0.15 else "/news/" if pg < 0.25 else "/phonebook?q=%s" % rng.choice(
                ["meier", "it", "sales", "reception", "facilities"]) if pg < 0.35 else
                "/wiki/" + (rng.choice(WIKI_GONE) if rng.random() < 0.04 else rng.choice(WIKI)))
        else:
            h, _, p = NEWS
            pg = rng.random()
            path = ("/" if pg < 0.25 else "/section/" + rng.choice(NEWS_SECTIONS) if pg < 0.45 else
                    "/article/%d" % (rng.randint(60000, 79999) if rng.random() < 0.04 else rng.randint(80000, 99999)))
        st = proxy_request(src, "http://%s:%d%s" % (h, p, path), ua=ua)
        self.count("page %d" % st)
        ch, _, cp = CDN
        for a in rng.sample(ASSETS, rng.randint(2, 4)):
            if "%d" in a:
                a = a % rng.randint(1, 40)
            if rng.random() < 0.02:
                a = rng.choice(ASSETS_GONE)
            st = proxy_request(src, "http://%s:%d%s" % (ch, cp, a), ua=ua)
            self.count("asset %d" % st)
        if h == NEWS[0] and rng.random() < 0.3 or rng.random() < 0.05:
            ad = rng.choice(["http://ads.tracker.example/serve?slot=%d" % rng.randint(1, 9),
                             "http://pixel.doubleclick.example/p.gif?u=%x" % rng.getrandbits(32),
                             "http://metrics.adnet.example/collect"])
            st = proxy_request(src, ad, ua=ua)
            self.count("ad %d" % st)
        if rng.random() < 0.06:
            st = proxy_request(src, "http://%s:%d/v1/collect?client=%x" % (TELEMETRY, NEWS[2], rng.getrandbits(24)),
                               method="POST", body=b'{"events":[]}', ua="VendorUpdater/4.2")
            self.count("telemetry %d" % st)

    def tunnel(self, rng):
        src = rng.choice(WORKSTATIONS + LAPTOPS)
        host = rng.choice(["webmail.corp.example", "webmail.corp.example", "sso.corp.example", "chat.example"])
        s = open_tunnel(src, host, TLS_PORT)
        try:
            exchange(s, rng, rng.randint(2, 6))
            time.sleep(rng.uniform(1, 8))
            exchange(s, rng, 1)
        finally:
            s.close()
        self.count("tunnel")

    def longpoll(self, src):
        """A chat client's long-poll tunnel: idle until Tinyproxy's Timeout cuts it, then opened again."""
        rng = random.Random(src)
        time.sleep(rng.uniform(0, 20))
        while not self.stop.is_set():
            try:
                s = open_tunnel(src, "chat.example", TLS_PORT, timeout=20)
                try:
                    exchange(s, rng, 2)
                    s.settimeout(1)
                    while not self.stop.is_set():
                        try:
                            if not s.recv(65536):
                                self.count("long-poll cut")
                                break
                        except socket.timeout:
                            pass
                finally:
                    s.close()
            except ERRORS:
                self.count("long-poll failed")
            self.stop.wait(rng.uniform(1, 4))

    def runner(self, src, interval):
        """A build runner: apt update and a few .debs every `interval`; while that fails, again every 6-10 s."""
        rng = random.Random(src)
        self.stop.wait(rng.uniform(0, 20))
        base = "http://%s:%d/debian" % (REPO[0], REPO[2])
        while not self.stop.is_set():
            ok = True
            try:
                st = proxy_request(src, base + "/dists/bookworm/InRelease", ua="Debian APT-HTTP/1.3 (2.6.1)")
                if st >= 500:
                    raise ValueError("InRelease %d" % st)
                if rng.random() < 0.3:
                    st = proxy_request(src, base + "/dists/bookworm/main/binary-amd64/Packages.xz",
                                       ua="Debian APT-HTTP/1.3 (2.6.1)")
                    if st >= 500:
                        raise ValueError("Packages %d" % st)
                for name, ver, _ in rng.sample(PACKAGES, rng.randint(1, 3)):
                    if rng.random() < 0.06:
                        name, ver = rng.choice(OLD_VERSIONS)
                    v = ver.split(":")[-1]
                    st = proxy_request(src, "%s/pool/main/%s/%s/%s_%s_amd64.deb" % (base, name[0], name, name, v),
                                       ua="Debian APT-HTTP/1.3 (2.6.1)", timeout=30)
                    self.count("deb %d" % st)
                    if st >= 500:
                        raise ValueError("deb %d" % st)
                self.count("runner ok")
            except ERRORS:
                ok = False
                self.count("runner failed")
            self.stop.wait(rng.uniform(interval * 0.8, interval * 1.2) if ok else rng.uniform(6, 10))

    def erp(self):
        """The ERP integration polling the supplier's API every 5 s; an order posted now and then."""
        rng = random.Random("erp")
        h, _, p = API
        while not self.stop.wait(rng.uniform(4.5, 5.5)):
            try:
                r = rng.random()
                if r < 0.15:
                    st = proxy_request(ERP, "http://%s:%d/v2/orders" % (h, p), method="POST",
                                       body=('{"order":"PO-%d","lines":%d}' % (rng.randint(40000, 49999),
                                                                               rng.randint(1, 9))).encode(),
                                       timeout=5, ua="erp-connector/2.3 (python-requests)")
                elif r < 0.35:
                    sku = rng.choice(SKUS) if rng.random() < 0.9 else "XX-%d" % rng.randint(1, 99)
                    st = proxy_request(ERP, "http://%s:%d/v2/stock/%s" % (h, p, sku), timeout=5,
                                       ua="erp-connector/2.3 (python-requests)")
                else:
                    st = proxy_request(ERP, "http://%s:%d/v2/orders?since=%d" % (h, p, int(now()) - 300),
                                       timeout=5, ua="erp-connector/2.3 (python-requests)")
                self.count("erp %d" % st)
            except ERRORS:
                self.count("erp timeout")

    def monitor(self):
        while not self.stop.wait(30):
            try:
                proxy_request(MONITOR, "http://tinyproxy.stats/", ua="check_http/v2.3.3 (monitoring-plugins 2.3.3)",
                              timeout=10)
                self.count("stats")
            except ERRORS:
                self.count("stats failed")

    def noise(self):
        """Clients that go away without a request, aborted ISO downloads, an ssh tunnel attempt, the guest phone."""
        rng = random.Random(self.rng.random())
        t = now()
        nxt = {"idle": t + rng.uniform(10, 70), "iso": t + rng.uniform(20, 100), "ssh": t + rng.uniform(30, 120),
               "guest": t + rng.uniform(20, 150)}
        while not self.stop.wait(0.2):
            for k in nxt:
                if now() < nxt[k]:
                    continue
                nxt[k] = now() + {"idle": rng.uniform(40, 100), "iso": rng.uniform(60, 140),
                                  "ssh": rng.uniform(80, 160), "guest": rng.uniform(100, 200)}[k]
                self.spawn(getattr(self, "noise_" + k), random.Random(rng.random()))

    def noise_idle(self, rng):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind((rng.choice(WORKSTATIONS + LAPTOPS), 0))
            s.connect(("127.0.0.1", PORT))
            time.sleep(rng.uniform(2, 12))
        finally:
            s.close()
        self.count("idle client")

    def noise_iso(self, rng):
        try:
            proxy_request(rng.choice(WORKSTATIONS + LAPTOPS),
                          "http://%s:%d/debian-cd/12.8.0/amd64/iso-cd/debian-12.8.0-amd64-netinst.iso"
                          % (REPO[0], REPO[2]), ua=UAS[1], partial=rng.randint(1, 12) << 20, timeout=30)
        finally:
            self.count("iso aborted")

    def noise_ssh(self, rng):
        try:
            open_tunnel(rng.choice(LAPTOPS), "git.corp.example", 22).close()
        except ValueError:
            self.count("ssh refused")

    def noise_guest(self, rng):
        try:
            proxy_request(GUEST, "http://%s:%d/" % (NEWS[0], NEWS[2]), ua=UAS[2], timeout=10)
        finally:
            self.count("guest")

    def add_runners(self, srcs):
        ts = [threading.Thread(target=self.runner, args=(s, 60.0), daemon=True) for s in srcs]
        for t in ts:
            t.start()
        self.threads += ts

    def run(self):
        ts = [threading.Thread(target=self.arrivals, args=(0.15, self.browse)),
              threading.Thread(target=self.arrivals, args=(0.15, self.tunnel)),
              threading.Thread(target=self.erp), threading.Thread(target=self.monitor),
              threading.Thread(target=self.noise)]
        ts += [threading.Thread(target=self.longpoll, args=(s,)) for s in CHAT_LAPTOPS]
        ts += [threading.Thread(target=self.runner, args=(s, 60.0)) for s in RUNNERS]
        self.start(ts)


# --- incidents ---

def mirror_down(repo, seconds):
    """The office mirror's web server goes down for `seconds`."""
    start = now()
    repo.stop()
    time.sleep(seconds)
    repo.start()
    return start, now()


def tunnel_storm(seconds, every=0.05, most=90):
    """The laptop's chat client opens a new long-poll tunnel every `every` s and never closes the old ones (at most
    `most` sockets: it gives a pending one up after 10 s and tries again), until the user quits it."""
    lock = threading.Lock()
    state = {"tries": 0, "opened": 0, "gave_up": 0, "refused": 0}
    socks = set()
    stop_at = now() + seconds
    quit_ = threading.Event()

    def one(k):
        rng = random.Random(k)
        while not quit_.is_set() and now() < stop_at:
            with lock:
                state["tries"] += 1
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            with lock:
                socks.add(s)
            try:
                try:
                    open_tunnel(STORM, "chat.example", TLS_PORT, timeout=10, s=s)
                except socket.timeout:
                    with lock:
                        state["gave_up"] += 1
                    continue
                except ERRORS:
                    with lock:
                        k = "cut" if quit_.is_set() else "refused"
                        state[k] = state.get(k, 0) + 1
                    quit_.wait(0.5)
                    continue
                with lock:
                    state["opened"] += 1
                try:
                    exchange(s, rng, 1)
                    while not quit_.wait(rng.uniform(4, 6)):  # heartbeats
                        exchange(s, rng, 1)
                except ERRORS:
                    pass
                return
            finally:
                with lock:
                    socks.discard(s)
                s.close()

    start = now()
    workers = []
    for k in range(most):
        if now() >= stop_at:
            break
        t = threading.Thread(target=one, args=(k,), daemon=True)
        t.start()
        workers.append(t)
        time.sleep(every)
    sleep_until(stop_at)
    quit_.set()
    end = now()
    with lock:
        for s in list(socks):  # the user quits the app: every socket it has goes
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    for t in workers:
        t.join(15)
    return start, end, state


def filter_typo(proxy, seconds):
    """The admin's unanchored rule "cdn\\." blocks cdn.static.example until he anchors it."""
    start = now()
    proxy.write_filter(FILTER + "^telemetry\\.vendor\\.example$\n# malvertising CDN, IT-5120\ncdn\\.\n")
    proxy.reload()
    time.sleep(seconds)
    proxy.write_filter(FILTER + "^telemetry\\.vendor\\.example$\n# malvertising CDN, IT-5120\nadcdn\\.example$\n")
    proxy.reload()
    return start, now()


def storm_label(log, s_start, s_end, sst):
    """The tunnel-storm's label row from Tinyproxy's log: the "Maximum number of connections" warnings, the silence
    while the proxy is full, the burst as it accepts its queue once the chat client is gone."""
    win = [e for e in log if s_start - 1 <= e[0] <= s_end + min(15, 30 * SCALE)]
    full = [e for e in win if "Maximum number of connections reached" in e[2]]
    if not full:
        return None
    times = sorted(e[0] for e in win if e[0] >= full[0][0])
    gap = max([b - a for a, b in zip(times, times[1:])] or [0])
    burst_end = s_end
    for t in times:  # the queue's drain: the lines after the chat client went, up to the first pause of 1 s
        if t >= s_end - 0.5:
            if t - burst_end > 1.0 or t > s_end + 10:
                break
            burst_end = max(burst_end, t)
    burst = [e for e in win if s_end - 0.5 <= e[0] <= burst_end]
    storm_conn = [e for e in win if e[2].startswith("Connect (file descriptor") and e[2].endswith(" " + STORM)]
    others = [e for e in burst if e[2].startswith("Connect (file descriptor") and not e[2].endswith(" " + STORM)]
    gone = [e for e in burst if "process_server_headers failed" in e[2] or "writebuff" in e[2]
            or "closed socket before read" in e[2]]
    evid = full + storm_conn + burst
    return ("tunnel-storm", s_start, max(s_end, max(e[0] for e in evid)), "connection-limit", STORM + "|chat.example",
            "a chat client with a reconnect bug on the laptop 127.0.0.87 opens a new CONNECT tunnel to chat.example:%d "
            "every 50 ms and never closes the old ones, for %d s until the user quits it: it takes all %d of "
            "MaxClients (%d lines 'WARNING ... Maximum number of connections reached. Refusing new connections.'); "
            "Tinyproxy accepts nothing more, the log goes silent for %d s while every client's connection waits in "
            "the listen queue, and when the user quits the chat client Tinyproxy takes the whole queue at once: "
            "%d lines within %.1f s, the chat client's queued and abandoned tunnels (%d lines 'Connect (file "
            "descriptor N): 127.0.0.87' in all, each with 'Request ... CONNECT chat.example:%d') and %d connections "
            "of the other clients, %d of whose requests had been given up ('process_server_headers failed: Broken "
            "pipe', "
            "'writebuff: write() error', 'closed socket before read'); tunnels opened %d, connection attempts the "
            "chat client gave up after 10 s %d"
            % (TLS_PORT, round(s_end - s_start), MAXCLIENTS, len(full), round(gap), len(burst),
               burst_end - s_end + 0.5, len(storm_conn), TLS_PORT, len(others), len(gone), sst["opened"],
               sst["gave_up"]))


def main():
    work = begin(OUT, "tinyproxy", __doc__, readable=True)
    proxy = Tinyproxy(work)
    version = proxy.version()
    labels = Labels()
    labels.note("made by bench/real-logs/tinyproxy.py: Tinyproxy's LogFile (LogLevel Info); real tinyproxy %s "
                "(Debian) on 127.0.0.1:%d as an office's forward proxy, MaxClients %d, Timeout %d, Allow lists for "
                "monitoring, build runners and the office LAN, a domain Filter, ConnectPort 443/563/%d; origins "
                "(Python http.server) on 127.0.0.12-17 named through a private /etc/hosts; clients on 127.0.0.2, "
                "127.0.0.33-50, 127.0.0.80-124 and 127.0.0.200 (not allowed); about 1.4 requests/s; TZ=UTC; "
                "wall-clock times" % (version, PORT, MAXCLIENTS, TIMEOUT, TLS_PORT))
    sites = {s.host: s for s in (Site(*INTRANET, route_intranet), Site(*REPO, route_repo), Site(*API, route_api),
                                 Site(*CDN, route_cdn), Site(*NEWS, route_news))}
    service = TlsService()
    traffic = None
    ok = False
    try:
        proxy.setup()
        for s in sites.values():
            s.start()
        service.start()
        proxy.start()
        traffic = Traffic(2026, service)
        traffic.run()
        t0 = now()

        # routine: the vendor's telemetry host goes on the filter
        sleep_until(t0 + 45 * SCALE)
        proxy.write_filter(FILTER + "^telemetry\\.vendor\\.example$\n")
        proxy.reload()
        reload1 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. the mirror goes down
        m_start, m_end = mirror_down(sites[REPO[0]], 60 * SCALE)
        sleep_until(m_end + 70 * SCALE)

        # 2. a chat client's reconnect storm takes all of MaxClients
        s_start, s_end, sst = tunnel_storm(50 * SCALE)
        sleep_until(s_end + 35 * SCALE)

        # routine: two new build runners, allowed
        proxy.write_conf("# new build runners (ci-05, ci-06)\nAllow 127.0.0.48/29\n")
        proxy.reload()
        reload2 = now()
        time.sleep(1)
        traffic.add_runners(NEW_RUNNERS)
        sleep_until(s_end + 75 * SCALE)

        # 3. the admin's unanchored filter rule
        f_start, f_end = filter_typo(proxy, 70 * SCALE)
        sleep_until(f_end + 80 * SCALE)

        traffic.finish(40)
        time.sleep(1)
        log = read_log(proxy.log)

        # 1.
        refused = [e for e in log if e[1] == "ERROR" and "Could not establish a connection to %s:%d" % (REPO[0],
                                                                                                     REPO[2]) in e[2]]
        inside = [e for e in refused if m_start - 1 <= e[0] <= m_end + 2]
        if len(inside) != len(refused):
            print("note: %d mirror connection errors outside the outage" % (len(refused) - len(inside)),
                  file=sys.stderr)
        if inside:
            labels.add("mirror-down", m_start, max(m_end, inside[-1][0]), "upstream-down",
                       "%s|%s:%d" % (REPO[0], REPO[0], REPO[2]),
                       "the office's Debian mirror repo.corp.example (127.0.0.13:%d) is down for %d s (its web "
                       "server stopped): %d lines 'ERROR ... opensock: Could not establish a connection to "
                       "repo.corp.example:%d', one for each fetch of the build runners 127.0.0.33-36 (or a "
                       "download from the office LAN), whose pipelines retry every 6-10 s instead of every minute; "
                       "it answers again at %s"
                       % (REPO[2], round(m_end - m_start), len(inside), REPO[2],
                          time.strftime("%H:%M:%S", time.gmtime(m_end))))

        # 2.
        row = storm_label(log, s_start, s_end, sst)
        if row:
            labels.add(*row)

        # 3.
        blocked = [e for e in log if 'Proxying refused on filtered domain "%s"' % CDN[0] in e[2]]
        if blocked:
            labels.add("filter-typo", f_start, max(f_end, blocked[-1][0]), "misconfiguration",
                       "%s|cdn\\." % CDN[0],
                       "the admin adds the unanchored rule 'cdn\\.' to the filter (meant for the malvertising CDN "
                       "adcdn.example) and reloads (SIGUSR1: 'Reloading config file', 'Re-reading filter file.'): "
                       "for %d s every request for the intranet's and the news site's assets on cdn.static.example "
                       "is refused, %d lines 'NOTICE ... Proxying refused on filtered domain \"cdn.static.example\"'"
                       " from all over the office LAN, until he anchors it ('adcdn\\.example$') and reloads again"
                       % (round(f_end - f_start), len(blocked)))
        print("%s: %s; storm %s; mirror %s; reloads at %s/%s; log %d lines" % (
            NAME, sorted(traffic.counts.items()), sst, sorted(sites[REPO[0]].counts.items()),
            time.strftime("%H:%M:%S", time.gmtime(reload1)), time.strftime("%H:%M:%S", time.gmtime(reload2)),
            len(log)), file=sys.stderr)
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
        proxy.stop()
        for s in sites.values():
            s.stop()
        service.close()
        if ok:
            keep_log(proxy.log, OUT, NAME, labels)
            for f in (NAME + ".log", NAME + ".log.gz"):
                if os.path.exists(os.path.join(OUT, f)):
                    os.chmod(os.path.join(OUT, f), 0o644)  # Tinyproxy makes it 0600; the copy is for reading
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
