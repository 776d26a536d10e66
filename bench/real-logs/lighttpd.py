#!/usr/bin/env python3
"""Runs a real lighttpd (Debian lighttpd 1.4.69) on 127.0.0.1 as the front of a small outdoor-gear web shop
(shop.fjellsport.example): a static site (home, product category pages, CSS, JS, images) and the shop application
(catalogue, item pages, search, cart, checkout, a JSON stock API for a partner, and the back office under /admin/,
protected by mod_auth) behind mod_proxy. It drives visitors, crawlers, a partner's stock sync, the monitoring and
the shop's staff through it, injects labelled incidents and keeps lighttpd's two logs exactly as it wrote them:
server.errorlog (lighttpd's own "2026-12-03 17:26:52: (server.c.1704) server started (lighttpd/1.4.69)" lines) and
mod_accesslog's accesslog.filename with its default format ('%h %V %u %t "%r" %>s %b "%{Referer}i"
"%{User-Agent}i"': '127.0.0.123 shop.fjellsport.example - [03/Dec/2026:17:26:53 +0000] "GET /css/site.css
HTTP/1.1" 200 2043 "http://shop.fjellsport.example/" "Mozilla/5.0 ..."').

lighttpd runs as `lighttpd -D -f WORK/etc/lighttpd.conf` (started as root, it drops to www-data, which owns
WORK/log; stopped with SIGTERM by this script) with a config in the spirit of Debian's lighttpd.conf: server.bind
127.0.0.1, server.port PORT, server.username/groupname www-data, Debian's http-parseopts, feature flag
server.graceful-shutdown-timeout 5, index-file.names, url.access-deny ("~", ".inc"), Debian's
create-mime.conf.pl; modules mod_access, mod_alias, mod_auth + mod_authn_file (basic auth, htpasswd file with
SHA-512 crypt hashes, realm "Fjellsport back office", users admin and marta, on /admin/), mod_status
(status.status-url /server-status for the monitoring host and the admin's desktop only), mod_proxy (proxy.server
for /app/, /api/ and /admin/ to the shop application on 127.0.0.1:PORT+1, connect-timeout 5, read-timeout 15) and
mod_accesslog. The shop application is this script itself (`lighttpd.py --app PORT+1`, a Python http.server, run
as a process of its own); TZ=UTC for both.
Needs (Debian): lighttpd. Standard library only (http.client, each client binding its own 127.0.0.X).

usage: bench/real-logs/lighttpd.py OUTDIR [PORT]      (default port 20211, the application on PORT+1)
  writes OUTDIR/lighttpd-o.log (server.errorlog), OUTDIR/lighttpd-o.access.log (the access log), gzipped over
  1 MB, and their labels OUTDIR/lighttpd-o.labels.tsv and OUTDIR/lighttpd-o.access.labels.tsv
  SCALE=0.1 multiplies every duration (a short run for testing; the proxy read-timeout too, at least 3 s)

Normal traffic (about 7 requests/s): visitors from 127.0.0.100-199 (Poisson, about 0.35 sessions/s) with desktop
and mobile browsers, keep-alive, each browsing 1-6 pages 2-12 s apart: static pages with their CSS, JS, logo and
images (returning visitors revalidate with If-None-Match: 304), the application's catalogue, item pages, search,
cart (POST, 303 to the cart), now and then a checkout (one in a few hundred fails with the application's 500);
usual 404s (iPhones asking /apple-touch-icon.png, an old link to a discontinued product page, item pages of
products gone from the catalogue); Googlebot (127.0.0.30, a page every 5-12 s, robots.txt and sitemap.xml now and
then) and bingbot (127.0.0.31, every 15-30 s); the partner's stock sync (127.0.0.40, GET /api/stock for a few SKUs
every ~5 s, /api/orders every ~30 s); the monitoring (127.0.0.2, /server-status?auto and /app/health every 15 s);
the admin (user admin on 127.0.0.10, every 70-140 s: /admin/, orders, stock, sometimes /server-status; a new
browser window first gets the 401 and then sends the password; a mistyped password now and then: mod_auth's
"password doesn't match for /admin/ username: admin IP: 127.0.0.10") and the shop manager (user marta on
127.0.0.11, every 40-90 s, orders and stock updates, a typo now and then too); Internet background noise: a single
probe for /wp-login.php, /.env, /xmlrpc.php ... from 127.0.0.200-230 every 45-120 s (404). The admin's routine
change 50 s into the run: mod_expire and expire.url for /css/, /js/, /images/ added, graceful reload with SIGUSR1
("[note] graceful shutdown started", "server stopped by UID = 0 PID = ...", "server started (lighttpd/1.4.69)").
Incidents (about 8 minutes in all: 100 s of normal traffic first, 75 s between incidents, 90 s after the last):
  backend-hang    the shop application's database locks up: every request that needs it (the whole application:
                  /app/, /api/, /admin/, /app/health) hangs; lighttpd gives up after read-timeout 15 s ("read
                  timeout on socket: tcp:127.0.0.1:PORT+1", 504 in the access log); after 40 s the on-call kills the
                  application (kill -9: the requests still waiting on it end in 500, without an error-log line) and
                  starts it again, which takes ~3 s ("establishing connection failed: socket:
                  tcp:127.0.0.1:PORT+1: Connection refused", "all handlers for ... on /app/ are down.", 503, then
                  "gw-server re-enabled")
  admin-bruteforce  127.0.0.87 runs a password guesser (hydra, 6 tasks, keep-alive) against the back office's basic
                  auth for 45 s: mod_auth's "password doesn't match for /admin/ username: USER IP: 127.0.0.87" for
                  each guess (users admin, administrator, root, webmaster, marta, shop, test, ...; lighttpd
                  delays each failure by 1-2 s), 401s from 127.0.0.87 in the access log; no guess succeeds
  reload-no-proxy the admin enables compression: edits server.modules to add mod_deflate and in doing so drops
                  mod_proxy, then reloads (SIGUSR1): lighttpd starts with "WARNING: unknown config-key:
                  proxy.server (ignored)" and serves /app/, /api/ and /admin/ from the document root: 404 for every
                  application request of every client (the monitoring's /app/health too) until the admin notices,
                  after 55 s, puts mod_proxy back and reloads again
"""
import base64
import calendar
import datetime
import hashlib
import http.client
import json
import os
import pwd
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import warnings

from drivers import begin, now, sleep_until, wait_listening, stop_process, SessionPool, run_workers, keep_log
from labels import Labels

APP_MODE = len(sys.argv) > 1 and sys.argv[1] == "--app"
OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 and not APP_MODE else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 and not APP_MODE else 20211
APP_PORT = PORT + 1
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "lighttpd-o"
HOST = "shop.fjellsport.example"
SITE = "http://" + HOST
READ_TIMEOUT = max(3, round(15 * SCALE))

MONITOR = "127.0.0.2"
ADMIN_IP, MANAGER_IP = "127.0.0.10", "127.0.0.11"
GOOGLEBOT, BINGBOT = "127.0.0.30", "127.0.0.31"
PARTNER = "127.0.0.40"
ATTACKER = "127.0.0.87"
USERS = {"admin": "Tr0ndheim-Ops!24", "marta": "Fjord&Lakes2026"}

CATEGORIES = ["tents", "backpacks", "sleeping-bags", "jackets", "boots", "stoves"]
ITEMS = {1001 + i: CATEGORIES[i % len(CATEGORIES)] for i in range(120)}
GONE_ITEMS = [987, 991, 994, 998, 1000]  # sold out and removed: old links still point at them
STATIC_PAGES = ["/", "/about.html", "/contact.html", "/shipping.html", "/returns.html"] + \
               ["/products/%s.html" % c for c in CATEGORIES]
COMMON_ASSETS = ["/css/site.css", "/js/site.js", "/images/logo.png"]
SEARCHES = ["tent 2 person", "down jacket", "gore-tex boots", "gas stove", "sleeping bag -10", "rucksack 45l",
            "ultralight", "trekking poles", "kids jacket", "headlamp", "bivvy", "merino"]

DESKTOP_UA = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 "
    "Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
    "Safari/537.36 Edg/120.0.0.0"]
MOBILE_UA = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.2 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 "
    "Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 "
    "Mobile Safari/537.36"]
GOOGLEBOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
BINGBOT_UA = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
PARTNER_UA = "fjell-stocksync/2.1 python-requests/2.31.0"
MONITOR_UA = "check_http/v2.3.3 (monitoring-plugins 2.3.3)"
ADMIN_UA = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
MANAGER_UA = DESKTOP_UA[0]
HYDRA_UA = "Mozilla/4.0 (Hydra)"
REFERERS = ["https://www.google.com/", "https://www.google.com/", "https://duckduckgo.com/", "https://www.bing.com/",
            "https://www.facebook.com/", "https://www.ut.no/forum/", None, None, None]
PROBES = [("/wp-login.php", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0"),
          ("/.env", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129"),
          ("/xmlrpc.php", "python-requests/2.28.1"), ("/phpmyadmin/index.php", "Mozilla/5.0 zgrab/0.x"),
          ("/.git/config", "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)"),
          ("/wp-content/plugins/wp-file-manager/readme.txt", "Go-http-client/1.1"),
          ("/owa/auth/logon.aspx", "Mozilla/5.0 zgrab/0.x"), ("/cgi-bin/luci/;stok=/locale", "Mozilla/5.0")]
ERRORS = (OSError, http.client.HTTPException)


# --- the shop application (run as `lighttpd.py --app PORT`, a process of its own) ---

def run_app(port):
    """The shop application behind mod_proxy: HTML pages, a JSON API and the back office. SIGUSR1: its database
    locks up (every request that needs it hangs); it is stopped with SIGTERM or killed."""
    from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
    locked = threading.Event()
    signal.signal(signal.SIGUSR1, lambda *_: locked.set())
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    time.sleep(float(os.environ.get("APP_WARMUP", "0")))  # loading the catalogue, connecting to the database
    rnd = random.Random()
    orders = [50210]

    def page(title, body):
        return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s - Fjellsport</title>"
                "<link rel=\"stylesheet\" href=\"/css/site.css\"><script src=\"/js/site.js\" defer></script></head>"
                "<body><header><a href=\"/\"><img src=\"/images/logo.png\" alt=\"Fjellsport\"></a>"
                "<nav><a href=\"/app/catalog\">Shop</a> <a href=\"/app/cart\">Cart</a></nav></header>"
                "<main><h1>%s</h1>%s</main></body></html>" % (title, title, body))

    def item_list(ids):
        return "<ul>" + "".join("<li><a href=\"/app/item/%d\"><img src=\"/images/products/%d.jpg\">Item %d</a> "
                                "NOK %d</li>" % (i, i % 40, i, 199 + i % 37 * 100) for i in ids) + "</ul>"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "fjellshop/3.4"
        sys_version = ""

        def log_message(self, *_):
            pass

        def db(self, lo=0.004, hi=0.05):
            """A database query: waits (for good) while the database is locked."""
            while locked.is_set():
                time.sleep(1)
            time.sleep(rnd.uniform(lo, hi))

        def reply(self, status, body, ctype="text/html; charset=utf-8", headers=()):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.route("GET", b"")

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            self.route("POST", self.rfile.read(n) if n else b"")

        def route(self, method, body):
            u = urllib.parse.urlsplit(self.path)
            q = urllib.parse.parse_qs(u.query)
            p = u.path
            if p == "/app/health":
                self.db(0.001, 0.005)
                return self.reply(200, json.dumps({"status": "ok", "db": "ok"}), "application/json")
            if p in ("/app/", "/app/catalog"):
                self.db()
                cat = q.get("cat", [None])[0]
                ids = [i for i, c in ITEMS.items() if cat in (None, c)]
                start = (int(q.get("page", ["1"])[0]) - 1) * 20
                return self.reply(200, page("Shop" if not cat else cat.title(), item_list(ids[start:start + 20])))
            m = re.match(r"^/app/item/(\d+)$", p)
            if m:
                self.db()
                i = int(m.group(1))
                if i not in ITEMS:
                    return self.reply(404, page("Not found", "<p>This product is no longer available.</p>"))
                return self.reply(200, page("Item %d" % i, "<img src=\"/images/products/%d.jpg\"><form method=post "
                                            "action=/app/cart><input name=item value=%d></form>" % (i % 40, i)))
            if p == "/app/search":
                self.db(0.02, 0.15)
                return self.reply(200, page("Search", item_list(rnd.sample(list(ITEMS), rnd.randint(0, 12)))))
            if p == "/app/cart":
                self.db()
                if method == "POST":
                    return self.reply(303, "", headers=[("Location", "/app/cart")])
                return self.reply(200, page("Your cart", item_list(rnd.sample(list(ITEMS), rnd.randint(1, 3)))))
            if p == "/app/checkout" and method == "POST":
                self.db(0.1, 0.4)
                if rnd.random() < 0.004:
                    return self.reply(500, page("Error", "<p>Payment provider did not answer. Please try again.</p>"))
                orders[0] += 1
                return self.reply(200, page("Thank you", "<p>Order %d confirmed.</p>" % orders[0]))
            if p == "/api/stock":
                self.db(0.002, 0.02)
                sku = q.get("sku", [""])[0]
                return self.reply(200, json.dumps({"sku": sku, "stock": rnd.randint(0, 40), "warehouse": "OSL"}),
                                  "application/json")
            if p == "/api/orders":
                self.db(0.01, 0.06)
                return self.reply(200, json.dumps({"orders": [{"id": orders[0] - k, "lines": rnd.randint(1, 4)}
                                                              for k in range(rnd.randint(0, 3))]}),
                                  "application/json")
            if p.startswith("/admin/"):
                self.db()
                if method == "POST":
                    return self.reply(303, "", headers=[("Location", p)])
                return self.reply(200, page("Back office", "<table>%s</table>" % ("<tr><td>%d</td></tr>"
                                                                                   % orders[0] * 30)))
            return self.reply(404, page("Not found", "<p>No such page.</p>"))

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True
        request_queue_size = 128
    Server(("127.0.0.1", port), Handler).serve_forever()


# --- the server ---

def config(work, expire=False, deflate=False, proxy=True):
    """lighttpd.conf: expire (the admin's routine change), deflate and proxy (the incident drops mod_proxy)."""
    modules = ["mod_access", "mod_alias", "mod_auth", "mod_authn_file", "mod_status"]
    if proxy:
        modules.append("mod_proxy")
    if expire:
        modules.append("mod_expire")
    if deflate:
        modules.append("mod_deflate")
    modules.append("mod_accesslog")
    text = """# Fjellsport web shop front end (lighttpd)
server.modules = (
%(modules)s
)

server.document-root        = "%(work)s/www"
server.errorlog             = "%(work)s/log/error.log"
server.bind                 = "127.0.0.1"
server.port                 = %(port)d
server.username             = "www-data"
server.groupname            = "www-data"
server.tag                  = "lighttpd"

server.feature-flags       += ("server.graceful-shutdown-timeout" => 5)

server.http-parseopts = (
  "header-strict"           => "enable",
  "host-strict"             => "enable",
  "host-normalize"          => "enable",
  "url-normalize-unreserved"=> "enable",
  "url-normalize-required"  => "enable",
  "url-ctrls-reject"        => "enable",
  "url-path-2f-decode"      => "enable",
  "url-path-dotseg-remove"  => "enable",
)

index-file.names            = ( "index.html" )
url.access-deny             = ( "~", ".inc" )
static-file.exclude-extensions = ( ".php", ".pl", ".fcgi" )
include_shell "/usr/share/lighttpd/create-mime.conf.pl"

accesslog.filename          = "%(work)s/log/access.log"

# back office: basic auth against an htpasswd file
auth.backend                = "htpasswd"
auth.backend.htpasswd.userfile = "%(work)s/etc/htpasswd"
auth.require                = ( "/admin/" => (
                                  "method"  => "basic",
                                  "realm"   => "Fjellsport back office",
                                  "require" => "valid-user" ) )

$HTTP["remoteip"] =~ "^127\\.0\\.0\\.(2|10)$" {
  status.status-url         = "/server-status"
}

# the shop application
proxy.server = (
  "/app/"   => ( "shop" => ( "host" => "127.0.0.1", "port" => %(app)d, "connect-timeout" => 5,
                             "read-timeout" => %(rt)d ) ),
  "/api/"   => ( "shop" => ( "host" => "127.0.0.1", "port" => %(app)d, "connect-timeout" => 5,
                             "read-timeout" => %(rt)d ) ),
  "/admin/" => ( "shop" => ( "host" => "127.0.0.1", "port" => %(app)d, "connect-timeout" => 5,
                             "read-timeout" => %(rt)d ) ),
)
""" % {"modules": ",\n".join('\t"%s"' % m for m in modules), "work": work, "port": PORT, "app": APP_PORT,
       "rt": READ_TIMEOUT}
    if expire:
        text += """
# static assets may be cached by browsers for a week
expire.url = ( "/css/" => "access plus 7 days", "/js/" => "access plus 7 days", "/images/" => "access plus 7 days" )
"""
    if deflate:
        text += """
# compress text responses
deflate.mimetypes = ( "text/html", "text/plain", "text/css", "text/javascript", "application/javascript",
                      "application/json", "image/svg+xml" )
deflate.allowed-encodings = ( "br", "gzip", "deflate" )
"""
    return text


def htpasswd_line(user, pw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import crypt
    return "%s:%s\n" % (user, crypt.crypt(pw, crypt.mksalt(crypt.METHOD_SHA512)))


class Lighttpd:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "etc", "lighttpd.conf")
        self.errorlog = os.path.join(work, "log", "error.log")
        self.accesslog = os.path.join(work, "log", "access.log")
        self.proc = None
        self.stderr = None

    @staticmethod
    def version():
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "lighttpd"], capture_output=True, text=True)
        return r.stdout.strip() or "1.4.69"

    def setup(self, rng):
        www = pwd.getpwnam("www-data")
        for d in ("etc", "log", "www/css", "www/js", "www/images/products", "www/products"):
            os.makedirs(os.path.join(self.work, d), exist_ok=True)
        os.chown(os.path.join(self.work, "log"), www.pw_uid, www.pw_gid)
        hp = os.path.join(self.work, "etc", "htpasswd")
        with open(hp, "w") as f:
            for u, pw in USERS.items():
                f.write(htpasswd_line(u, pw))
        os.chown(hp, 0, www.pw_gid)
        os.chmod(hp, 0o640)
        self.write_config()
        www_dir = os.path.join(self.work, "www")

        def put(path, data):
            with open(os.path.join(www_dir, path.lstrip("/")), "wb") as f:
                f.write(data)
            t = now() - rng.uniform(3, 60) * 86400
            os.utime(os.path.join(www_dir, path.lstrip("/")), (t, t))

        def html(title, body):
            return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s - Fjellsport</title>"
                    "<link rel=\"stylesheet\" href=\"/css/site.css\"><script src=\"/js/site.js\" defer></script>"
                    "</head><body><header><a href=\"/\"><img src=\"/images/logo.png\" alt=\"Fjellsport\"></a>"
                    "</header><main><h1>%s</h1>%s</main><footer>Fjellsport AS, Trondheim</footer></body></html>\n"
                    % (title, title, body)).encode()

        text = "<p>" + "Gear for the mountains, tested in the mountains. " * 40 + "</p>"
        put("/index.html", html("Fjellsport", text + "<img src=\"/images/hero.jpg\">" + "".join(
            "<a href=\"/products/%s.html\">%s</a>" % (c, c) for c in CATEGORIES)))
        for p in ("about", "contact", "shipping", "returns"):
            put("/%s.html" % p, html(p.title(), text[:rng.randint(600, 2000)]))
        for c in CATEGORIES:
            put("/products/%s.html" % c, html(c.title(), text + "".join(
                "<a href=\"/app/item/%d\"><img src=\"/images/products/%d.jpg\"></a>" % (i, i % 40)
                for i, cc in ITEMS.items() if cc == c)))
        put("/css/site.css", ("body{font-family:sans-serif;margin:0}header{background:#1d3b2a}" * 30).encode())
        put("/js/site.js", ("document.addEventListener('DOMContentLoaded',function(){});" * 60).encode())
        put("/images/logo.png", os.urandom(6 * 1024))
        put("/images/hero.jpg", os.urandom(148 * 1024))
        for i in range(40):
            put("/images/products/%d.jpg" % i, os.urandom(rng.randint(18, 90) * 1024))
        put("/favicon.ico", os.urandom(1150))
        put("/robots.txt", b"User-agent: *\nDisallow: /admin/\nDisallow: /app/cart\nDisallow: /app/checkout\n"
                           b"Sitemap: http://shop.fjellsport.example/sitemap.xml\n")
        put("/sitemap.xml", ("<?xml version=\"1.0\"?><urlset>%s</urlset>\n" % "".join(
            "<url><loc>%s%s</loc></url>" % (SITE, p) for p in STATIC_PAGES)).encode())

    def write_config(self, **kw):
        with open(self.conf, "w") as f:
            f.write(config(self.work, **kw))
        os.chmod(self.conf, 0o644)

    def test_config(self):
        r = subprocess.run(["lighttpd", "-tt", "-f", self.conf], capture_output=True, text=True,
                           env=dict(os.environ, TZ="UTC"))
        if r.returncode != 0:
            raise SystemExit("lighttpd -tt: %s %s" % (r.stdout, r.stderr))

    def start(self):
        self.test_config()
        self.stderr = open(os.path.join(self.work, "lighttpd.stderr"), "ab")
        self.proc = subprocess.Popen(["lighttpd", "-D", "-f", self.conf], env=dict(os.environ, TZ="UTC"),
                                     stdin=subprocess.DEVNULL, stdout=self.stderr, stderr=self.stderr,
                                     cwd=self.work)
        wait_listening(self.proc, "lighttpd", (PORT,))

    def reload(self):
        """A graceful restart (SIGUSR1): lighttpd finishes its requests, re-reads its config and starts again."""
        t = now()
        self.proc.send_signal(signal.SIGUSR1)
        time.sleep(0.5)
        wait_listening(self.proc, "lighttpd", (PORT,), seconds=20)
        return t

    def stop(self):
        stop_process(self.proc)
        if self.stderr:
            self.stderr.close()


class App:
    """The shop application's process (this script with --app)."""

    def __init__(self, work):
        self.work = work
        self.proc = None

    def start(self, warmup=0.0):
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--app", str(APP_PORT)],
                                     env=dict(os.environ, TZ="UTC", APP_WARMUP=str(warmup)),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.work, "app.stderr"), "ab"))
        wait_listening(self.proc, "shop application", (APP_PORT,), seconds=warmup + 15)

    def lock_db(self):
        self.proc.send_signal(signal.SIGUSR1)

    def kill(self):
        self.proc.kill()
        self.proc.wait(5)

    def stop(self):
        stop_process(self.proc, seconds=5)


# --- the clients ---

class Browser:
    """An HTTP/1.1 client on one source address with a keep-alive connection; like a browser it sends the request
    again on a new connection when the server has closed the idle one, and after a refused connection (a reload
    under way) tries again twice, a second apart."""

    def __init__(self, source, ua, host=HOST, timeout=40, accept="text/html,application/xhtml+xml,application/xml;"
                 "q=0.9,*/*;q=0.8", lang="en-GB,en;q=0.8,nb;q=0.6", auth=None):
        self.source, self.ua, self.host, self.timeout = source, ua, host, timeout
        self.accept, self.lang, self.auth = accept, lang, auth
        self.conn = None

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def request(self, path, method="GET", referer=None, body=None, headers=None, auth=None, ctype=None):
        h = {"Host": self.host, "User-Agent": self.ua, "Accept": self.accept, "Accept-Encoding": "gzip, deflate, br"}
        if self.lang:
            h["Accept-Language"] = self.lang
        if referer:
            h["Referer"] = referer
        creds = auth or self.auth
        if creds:
            h["Authorization"] = "Basic " + base64.b64encode(("%s:%s" % creds).encode()).decode()
        if body is not None:
            h["Content-Type"] = ctype or "application/x-www-form-urlencoded"
        h.update(headers or {})
        refused = 0
        while True:
            fresh = self.conn is None
            if fresh:
                self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=self.timeout,
                                                       source_address=(self.source, 0))
            try:
                self.conn.request(method, path, body, h)
                r = self.conn.getresponse()
                data = r.read()
                if r.will_close:
                    self.close()
                return r.status, r, data
            except ConnectionRefusedError:
                self.close()
                refused += 1
                if refused > 2:
                    raise
                time.sleep(1)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                    http.client.BadStatusLine):
                self.close()
                if fresh:
                    raise
            except BaseException:
                self.close()
                raise


class Traffic(SessionPool):
    def __init__(self, seed):
        super().__init__(seed, 90, ERRORS)
        self.etags = {}
        self.statuses = {}

    def seen(self, status):
        self.count("status %d" % status)

    def get(self, b, path, **kw):
        status, r, data = b.request(path, **kw)
        self.seen(status)
        if status == 200 and r.getheader("ETag"):
            with self.lock:
                self.etags[path] = r.getheader("ETag")
        return status, r, data

    def assets(self, b, paths, referer, returning, cache, rng):
        """What the page needs and the browser does not hold yet: a returning visitor's browser revalidates what it
        holds from an earlier visit (If-None-Match: 304), once a session (then it is in its memory cache)."""
        for p in paths:
            if p in cache:
                continue
            cache.add(p)
            hdr = {"Accept": "image/avif,image/webp,*/*" if "/images/" in p else "*/*"}
            if returning and p in self.etags and rng.random() < 0.85:
                hdr["If-None-Match"] = self.etags[p]
            self.get(b, p, referer=referer, headers=hdr)

    def view(self, b, path, referer, returning, first, mobile, cache, rng):
        """A page and what the browser fetches with it."""
        status, _r, _d = self.get(b, path, referer=referer)
        url = SITE + path
        if status != 200:
            return status
        extra = []
        if path == "/":
            extra = ["/images/hero.jpg"]
        elif path.startswith("/products/"):
            c = path[10:-5]
            extra = ["/images/products/%d.jpg" % (i % 40) for i, cc in ITEMS.items() if cc == c][:rng.randint(4, 12)]
        elif path.startswith("/app/item/"):
            extra = ["/images/products/%d.jpg" % (int(path[10:]) % 40)]
        elif path.startswith("/app/catalog") or path.startswith("/app/search"):
            extra = ["/images/products/%d.jpg" % rng.randrange(40) for _ in range(rng.randint(3, 10))]
        self.assets(b, COMMON_ASSETS + sorted(set(extra)), url, returning, cache, rng)
        if first:
            self.get(b, "/favicon.ico", referer=url, headers={"Accept": "image/avif,image/webp,*/*"})
            if mobile and "iPhone" in b.ua:
                self.get(b, "/apple-touch-icon-precomposed.png", headers={"Accept": "*/*"})
                self.get(b, "/apple-touch-icon.png", headers={"Accept": "*/*"})
        return status

    def visitor(self, rng):
        mobile = rng.random() < 0.4
        b = Browser("127.0.0.%d" % rng.randint(100, 199), rng.choice(MOBILE_UA if mobile else DESKTOP_UA),
                    lang=rng.choice(["nb-NO,nb;q=0.9,no;q=0.8,en;q=0.6", "en-GB,en;q=0.8", "de-DE,de;q=0.9,en;q=0.7",
                                     "sv-SE,sv;q=0.9,en;q=0.7"]))
        returning = rng.random() < 0.35
        referer = rng.choice(REFERERS)
        r = rng.random()
        if r < 0.45:
            path = "/"
        elif r < 0.65:
            path = "/products/%s.html" % rng.choice(CATEGORIES)
        elif r < 0.85:
            path = "/app/item/%d" % rng.choice(list(ITEMS))
        elif r < 0.90:
            path = "/app/item/%d" % rng.choice(GONE_ITEMS)  # an old search result
        elif r < 0.93:
            path = "/products/trail-runner-x1.html"  # a discontinued product's old page, still linked
        else:
            path = "/app/search?q=" + urllib.parse.quote_plus(rng.choice(SEARCHES))
        cart = False
        cache = set()
        try:
            for n in range(rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6])):
                self.view(b, path, referer, returning, n == 0, mobile, cache, rng)
                referer = SITE + path
                time.sleep(rng.uniform(2, 12))
                r = rng.random()
                if r < 0.2:
                    path = rng.choice(STATIC_PAGES)
                elif r < 0.4:
                    path = "/app/catalog?cat=%s" % rng.choice(CATEGORIES) + ("&page=2" if rng.random() < 0.2 else "")
                elif r < 0.7:
                    path = "/app/item/%d" % rng.choice(list(ITEMS))
                elif r < 0.8:
                    path = "/app/search?q=" + urllib.parse.quote_plus(rng.choice(SEARCHES))
                elif r < 0.9:
                    item = rng.choice(list(ITEMS))
                    st, _r, _d = self.get(b, "/app/cart", method="POST", referer=SITE + "/app/item/%d" % item,
                                          body=("item=%d&qty=%d" % (item, rng.choice([1, 1, 2]))).encode())
                    if st == 303:
                        cart = True
                        self.get(b, "/app/cart", referer=SITE + "/app/item/%d" % item)
                    path = "/app/item/%d" % rng.choice(list(ITEMS))
                else:
                    path = "/products/%s.html" % rng.choice(CATEGORIES)
            if cart and rng.random() < 0.45:
                time.sleep(rng.uniform(5, 20))
                st, _r, _d = self.get(b, "/app/checkout", method="POST", referer=SITE + "/app/cart",
                                      body=b"shipping=posten&payment=vipps")
                self.count("checkout %d" % st)
        finally:
            b.close()

    def googlebot(self, rng):
        b = Browser(GOOGLEBOT, GOOGLEBOT_UA, accept="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;"
                    "q=0.8", lang=None)
        try:
            r = rng.random()
            if r < 0.05:
                self.get(b, "/robots.txt", headers={"Accept": "text/plain,text/html,*/*"})
            elif r < 0.08:
                self.get(b, "/sitemap.xml")
            elif r < 0.5:
                self.get(b, rng.choice(STATIC_PAGES))
            elif r < 0.95:
                self.get(b, "/app/item/%d" % rng.choice(list(ITEMS) + GONE_ITEMS))
            else:
                self.get(b, "/app/catalog?cat=%s" % rng.choice(CATEGORIES))
        finally:
            b.close()

    def bingbot(self, rng):
        b = Browser(BINGBOT, BINGBOT_UA, accept="*/*", lang=None)
        try:
            if rng.random() < 0.06:
                self.get(b, "/robots.txt")
            for _ in range(rng.choice([1, 1, 2])):
                self.get(b, rng.choice(STATIC_PAGES + ["/app/item/%d" % rng.choice(list(ITEMS))]))
        finally:
            b.close()

    def partner(self, rng, orders=False):
        b = Browser(PARTNER, PARTNER_UA, host=HOST, accept="application/json", lang=None, timeout=30)
        key = {"X-Api-Key": "ps-7f3a9c2e41d0"}
        try:
            if orders:
                self.get(b, "/api/orders?since=%s" % time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(now() - 60)),
                         headers=key)
            else:
                for _ in range(rng.randint(2, 4)):
                    self.get(b, "/api/stock?sku=FS-%05d" % rng.choice(list(ITEMS)), headers=key)
        finally:
            b.close()

    def monitor(self, rng):
        for path, host in (("/server-status?auto", "127.0.0.1:%d" % PORT), ("/app/health", HOST)):
            b = Browser(MONITOR, MONITOR_UA, host=host, accept="*/*", lang=None, timeout=30)
            try:
                status, _r, _d = self.get(b, path, headers={"Connection": "close"})
                self.count("monitor %s %d" % (path, status))
            finally:
                b.close()

    def staff(self, user, source, ua, rng):
        """A back-office session: a new browser window gets the 401 first, then sends the password (mistyped now
        and then)."""
        b = Browser(source, ua)
        try:
            if rng.random() < 0.4:
                self.get(b, "/admin/")
                time.sleep(rng.uniform(2, 5))  # typing the password
                if rng.random() < 0.2:
                    pw = USERS[user]
                    i = rng.randrange(len(pw) - 1)
                    st, _r, _d = self.get(b, "/admin/", auth=(user, pw[:i] + pw[i + 1] + pw[i] + pw[i + 2:]))
                    self.count("typo %s" % user)
                    time.sleep(rng.uniform(3, 7))
            b.auth = (user, USERS[user])
            self.get(b, "/admin/")
            pages = ["/admin/orders", "/admin/stock", "/admin/orders?status=open", "/admin/customers",
                     "/admin/orders/%d" % rng.randint(50100, 50300)]
            for _ in range(rng.randint(1, 4)):
                time.sleep(rng.uniform(1, 8))
                p = rng.choice(pages)
                self.get(b, p, referer=SITE + "/admin/")
                if p == "/admin/stock" and user == "marta" and rng.random() < 0.6:
                    time.sleep(rng.uniform(3, 10))
                    self.get(b, "/admin/stock", method="POST", referer=SITE + "/admin/stock",
                             body=("sku=FS-%05d&stock=%d" % (rng.choice(list(ITEMS)), rng.randint(0, 50))).encode())
                    self.get(b, "/admin/stock", referer=SITE + "/admin/stock")
            if user == "admin" and rng.random() < 0.3:
                b.auth = None
                self.get(b, "/server-status", referer=SITE + "/admin/")
        finally:
            b.close()

    def probe(self, rng):
        path, ua = rng.choice(PROBES)
        b = Browser("127.0.0.%d" % rng.randint(200, 230), ua, host=rng.choice([HOST, "127.0.0.1"]), accept="*/*",
                    lang=None, timeout=15)
        try:
            self.get(b, path, headers={"Connection": "close"})
        finally:
            b.close()

    def run(self):
        ts = [threading.Thread(target=self.arrivals, args=(0.35, self.visitor)),
              threading.Thread(target=self.every, args=(5, 12, self.googlebot)),
              threading.Thread(target=self.every, args=(15, 30, self.bingbot)),
              threading.Thread(target=self.every, args=(4.5, 5.5, self.partner)),
              threading.Thread(target=self.every, args=(28, 32, self.partner_orders)),
              threading.Thread(target=self.every, args=(14.5, 15.5, self.monitor), kwargs={"first": 1}),
              threading.Thread(target=self.every, args=(70, 140, self.staff, "admin", ADMIN_IP, ADMIN_UA),
                               kwargs={"first": 20}),
              threading.Thread(target=self.every, args=(40, 90, self.staff, "marta", MANAGER_IP, MANAGER_UA)),
              threading.Thread(target=self.every, args=(45, 120, self.probe))]
        self.start(ts)

    def partner_orders(self, rng):
        self.partner(rng, orders=True)


# --- incidents ---

def brute_force(seconds, tasks=6):
    """127.0.0.87's password guesser: 6 tasks, each on a keep-alive connection, one guess after the other."""
    users = ["admin", "administrator", "root", "webmaster", "marta", "shop", "test", "manager", "info", "sales"]
    words = ["admin", "123456", "password", "admin123", "fjellsport", "Fjellsport1", "qwerty", "letmein",
             "welcome", "Passw0rd", "changeme", "12345678", "shop2024", "summer2024", "Winter2025!", "trondheim",
             "P@ssw0rd", "admin2024", "root", "toor", "secret", "test123", "master", "dragon", "iloveyou",
             "monkey", "Password1", "abc123", "football", "shadow"]
    guesses = [(u, w) for u in users for w in words]
    lock = threading.Lock()
    state = {"next": 0, "tries": 0, "401": 0, "other": 0, "errors": 0}
    stop_at = now() + seconds

    def worker(k):
        time.sleep(k * 0.3)
        b = Browser(ATTACKER, HYDRA_UA, accept="*/*", lang=None, timeout=20)
        while now() < stop_at:
            with lock:
                if state["next"] >= len(guesses):
                    break
                g = guesses[state["next"]]
                state["next"] += 1
            try:
                st, _r, _d = b.request("/admin/", auth=g)
                with lock:
                    state["tries"] += 1
                    state["401" if st == 401 else "other"] += 1
            except ERRORS:
                with lock:
                    state["errors"] += 1
                time.sleep(1)
        b.close()

    start = now()
    b = Browser(ATTACKER, HYDRA_UA, accept="*/*", lang=None)
    try:
        b.request("/admin/")  # hydra checks that the page asks for basic auth
    except ERRORS:
        pass
    b.close()
    run_workers(worker, [(k,) for k in range(tasks)], seconds + 30)
    return start, now(), state


# --- reading the logs back (for the labels) ---

ERROR_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d): \(([^)]*)\) (.*)$")
ACCESS_LINE = re.compile(r'^(\S+) (\S+) (\S+) \[([^\]]+)\] "([^"]*)" (\d{3}) (\S+) "([^"]*)" "([^"]*)"$')


def read_errorlog(path):
    """The error log as (time, source, message) tuples."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = ERROR_LINE.match(line.rstrip("\n"))
            if m:
                out.append((calendar.timegm(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")), m.group(2),
                            m.group(3)))
    return out


def read_accesslog(path):
    """The access log as (time, client, user, request, status) tuples."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = ACCESS_LINE.match(line.rstrip("\n"))
            if m:
                t = datetime.datetime.strptime(m.group(4), "%d/%b/%Y:%H:%M:%S %z").timestamp()
                out.append((t, m.group(1), m.group(3), m.group(5), int(m.group(6))))
    return out


def req_path(request):
    parts = request.split(" ")
    return parts[1] if len(parts) > 1 else ""


def app_path(request):
    return req_path(request).startswith(("/app/", "/api/", "/admin/"))


def main():
    if APP_MODE:
        run_app(int(sys.argv[2]))
        return
    work = begin(OUT, "lighttpd", __doc__, readable=True)
    server = Lighttpd(work)
    app = App(work)
    version = server.version()
    labels, alabels = Labels(), Labels()
    how = ("real lighttpd %s (Debian) on 127.0.0.1:%d (lighttpd -D, drops to www-data; mod_access, mod_alias, "
           "mod_auth + mod_authn_file basic auth on /admin/, mod_status, mod_proxy for /app/ /api/ /admin/ to the "
           "shop application on 127.0.0.1:%d with read-timeout %d s, mod_accesslog with its default format) in "
           "front of a small web shop: visitors on 127.0.0.100-199, Googlebot 127.0.0.30, bingbot 127.0.0.31, a "
           "partner's stock sync 127.0.0.40, monitoring 127.0.0.2, the admin 127.0.0.10 and the shop manager "
           "127.0.0.11 in the back office, Internet probes from 127.0.0.200-230; about 7 requests/s driven with "
           "Python's http.client; one routine graceful reload (SIGUSR1, mod_expire added) ~50 s in; TZ=UTC; "
           "wall-clock times" % (version, PORT, APP_PORT, READ_TIMEOUT))
    labels.note("made by bench/real-logs/lighttpd.py: lighttpd's server.errorlog; " + how)
    alabels.note("made by bench/real-logs/lighttpd.py: lighttpd's access log (mod_accesslog, default format "
                 "'%h %V %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"'); " + how)
    alabels.note("lighttpd's %t is the time the request was logged (at its end): a request that waited for the "
                 "hung application shows at its 504, read-timeout seconds later")
    for lab in (labels, alabels):
        lab.note("lighttpd stamps its lines with its own once-a-second clock, which can be a second behind; the "
                 "labels' times are measured by the driver and widened to the lines that show the incident")
    traffic = None
    ok = False
    try:
        rng = random.Random(11)
        server.setup(rng)
        app.start()
        server.start()
        t_started = now()
        traffic = Traffic(2026)
        traffic.run()
        t0 = now()

        # the admin's routine change: browser caching for static assets (mod_expire), graceful reload
        sleep_until(t0 + 50 * SCALE)
        server.write_config(expire=True)
        server.test_config()
        t_reload = server.reload()
        sleep_until(t0 + 100 * SCALE)

        # 1. the application's database locks up; the on-call kills and restarts the application
        h_start = now()
        app.lock_db()
        sleep_until(h_start + 40 * SCALE)
        h_kill = now()
        app.kill()
        app.start(warmup=3)
        h_up = now()
        sleep_until(h_up + 75 * SCALE)

        # 2. a password guesser against the back office
        b_start, b_end, bst = brute_force(45 * SCALE)
        sleep_until(b_end + 75 * SCALE)

        # 3. the admin's reload that drops mod_proxy (adding mod_deflate), fixed 55 s later
        server.write_config(expire=True, deflate=True, proxy=False)
        m_start = server.reload()
        sleep_until(m_start + 55 * SCALE)
        server.write_config(expire=True, deflate=True, proxy=True)
        server.test_config()
        m_fix = server.reload()
        m_end = now()
        sleep_until(m_end + 90 * SCALE)

        traffic.finish(45)
        server.stop()
        app.stop()
        t_end = now()
        elog, alog = read_errorlog(server.errorlog), read_accesslog(server.accesslog)

        # 1.
        tag = "tcp:127.0.0.1:%d" % APP_PORT
        e1 = [e for e in elog if h_start - 1 <= e[0] <= h_up + 30 and (tag in e[2] or "are down" in e[2])]
        a1 = [a for a in alog if h_start - 1 <= a[0] <= h_up + 30 and a[4] in (500, 502, 503, 504) and app_path(a[3])]
        end1 = max([h_up] + [e[0] for e in e1] + [a[0] for a in a1])
        base1 = ("the shop application's database locks up: from %s every request that needs it (all of /app/, "
                 "/api/, /admin/ and the monitoring's /app/health) hangs in the application on 127.0.0.1:%d; after "
                 "%d s the on-call kills it (kill -9) and starts it again, which takes ~3 s"
                 % (time.strftime("%H:%M:%S", time.gmtime(h_start)), APP_PORT, round(h_kill - h_start)))
        cnt = lambda s: sum(1 for e in e1 if s in e[2])
        labels.add("backend-hang", h_start, end1, "backend-failure", "127.0.0.1:%d|%s|/app/" % (APP_PORT, tag),
                   base1 + ": lighttpd logs 'read timeout on socket: %s' for each request it gave up on after "
                   "read-timeout %d s (%d lines, the first %d s after the lock-up; the requests still waiting when "
                   "the application is killed end without a line), then 'establishing connection failed: socket: %s: Connection refused' (%d) and 'all handlers "
                   "for ... on /app/ are down.' (%d) while it restarts, and 'gw-server re-enabled: %s' (%d)"
                   % (tag, READ_TIMEOUT, cnt("read timeout"),
                      round(min([e[0] for e in e1 if "read timeout" in e[2]] or [h_start]) - h_start),
                      tag, cnt("establishing connection failed"),
                      cnt("are down"), tag, cnt("re-enabled")))
        st = lambda s: sum(1 for a in a1 if a[4] == s)
        alabels.add("backend-hang", h_start, end1, "backend-failure", "/app/|/api/|/admin/|127.0.0.1:%d" % APP_PORT,
                    base1 + ": the application's requests of every client end in 504 Gateway Timeout after %d s "
                    "(%d lines), 500 for those still waiting when it is killed (%d) and 503 while the application "
                    "restarts (%d), on /app/, /api/ and /admin/; static pages stay 200"
                    % (READ_TIMEOUT, st(504), st(500) + st(502), st(503)))
        stray = [a for a in alog if a[4] in (500, 502, 503, 504) and a not in a1]
        if stray:
            print("note: %d 5xx gateway lines outside the backend incident" % len(stray), file=sys.stderr)

        # 2.
        e2 = [e for e in elog if "IP: %s" % ATTACKER in e[2]]
        a2 = [a for a in alog if a[1] == ATTACKER]
        s2 = min([b_start] + [e[0] for e in e2] + [a[0] for a in a2])
        end2 = max([b_end] + [e[0] for e in e2] + [a[0] for a in a2])
        tried = sorted({re.search(r"username: (\S+)", e[2]).group(1) for e in e2 if "username:" in e[2]})
        base2 = ("127.0.0.87 runs a password guesser (hydra, 6 tasks on keep-alive connections, User-Agent "
                 "'Mozilla/4.0 (Hydra)') against the back office's basic auth on /admin/ for %d s: %d guesses at "
                 "users %s, none right; lighttpd delays each failure by 1-2 s"
                 % (round(b_end - b_start), bst["tries"], ", ".join(tried)))
        labels.add("admin-bruteforce", s2, end2, "brute-force", "%s|admin" % ATTACKER,
                   base2 + ": %d lines 'password doesn't match for /admin/ username: USER IP: 127.0.0.87' (where the "
                   "staff's own typos give one now and then)" % len(e2))
        alabels.add("admin-bruteforce", s2, end2, "brute-force", ATTACKER,
                    base2 + ": %d lines '127.0.0.87 %s - [...] \"GET /admin/ HTTP/1.1\" 401 ... \"Mozilla/4.0 "
                    "(Hydra)\"'" % (len(a2), HOST))

        # 3.
        e3 = [e for e in elog if m_start - 3 <= e[0] <= m_fix + 2 and (
            "unknown config-key" in e[2] or "graceful shutdown" in e[2] or "server stopped" in e[2]
            or "server started" in e[2])]
        a3 = [a for a in alog if m_start - 3 <= a[0] <= m_fix + 5 and a[4] == 404 and app_path(a[3])]
        s3 = min([m_start] + [e[0] for e in e3])
        end3 = max([m_end] + [e[0] for e in e3] + [a[0] for a in a3])
        base3 = ("the admin enables compression: edits server.modules to add mod_deflate, drops mod_proxy doing so, "
                 "and reloads (SIGUSR1) at %s; lighttpd comes back with proxy.server ignored and serves /app/, /api/ "
                 "and /admin/ from the document root, 404 for every application request, until the admin, %d s "
                 "later, puts mod_proxy back and reloads again"
                 % (time.strftime("%H:%M:%S", time.gmtime(m_start)), round(m_fix - m_start)))
        labels.add("reload-no-proxy", s3, end3, "misconfiguration", "mod_proxy|proxy.server",
                   base3 + ": the reload's '[note] graceful shutdown started', 'server stopped by UID = 0 PID = ...', "
                   "'server started (lighttpd/1.4.69)' then 'WARNING: unknown config-key: proxy.server (ignored)' "
                   "(%d), and nothing more from the application until the second reload (its lines without the "
                   "warning)" % sum(1 for e in e3 if "unknown config-key" in e[2]))
        alabels.add("reload-no-proxy", s3, end3, "misconfiguration", "/app/|/api/|/admin/|mod_proxy",
                    base3 + ": %d lines with 404 on /app/..., /api/... and /admin/... from every client (visitors, "
                    "crawlers, the partner's /api/stock, the monitoring's /app/health, the staff after a 200 login); "
                    "responses are gzip/br-compressed from the first reload on (smaller %%b)" % len(a3))
        print("%s: %s; brute force %s; reload at %s; error log %d lines, access log %d lines; %d s"
              % (NAME, sorted(traffic.counts.items()), bst, time.strftime("%H:%M:%S", time.gmtime(t_reload)),
                 len(elog), len(alog), round(t_end - t_started)), file=sys.stderr)
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
        server.stop()
        app.stop()
        if ok:
            keep_log(server.errorlog, OUT, NAME, labels)
            keep_log(server.accesslog, OUT, NAME + ".access", alabels)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
