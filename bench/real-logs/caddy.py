#!/usr/bin/env python3
"""Runs a real Caddy (Debian caddy 2.6) as the reverse proxy in front of a small company's coffee-equipment web shop
and its API on 127.0.0.1, with three application servers of its own behind it (Python http.server, started by this
script), drives browsers, API clients, bots, a monitoring probe and scanners through it, injects labelled incidents
and keeps Caddy's two logs exactly as it wrote them: the structured JSON access log (the Caddyfile's `log` directive
in each site, `output file` with `format json`: one "handled request" line a request, logger http.log.access.logN,
level info, or error for statuses >= 400) and Caddy's own runtime log (the default logger, sent to a file with the
global `log` option, JSON as well: startup, admin API and config reloads, the active health checker of the app
pool, and http.log.error lines for requests Caddy itself failed with a 5xx: dial errors, upstream timeouts).

Caddy runs as `caddy run --config WORK/Caddyfile` (as root, in the foreground, TZ=UTC, HOME=WORK/var/lib/caddy as
Debian's caddy user has /var/lib/caddy; stopped with SIGTERM). Its Caddyfile (written by this script; an admin
edits it and runs `caddy reload`): global options admin 127.0.0.1:20009, auto_https off (no ACME, plain HTTP),
http_port 20001, default_bind 127.0.0.1 and the runtime log to WORK/log/caddy/caddy.log; an `access_log` snippet
(log to WORK/log/caddy/access.log, format json) imported by every site:
  http://shop.example       encode gzip, security headers (CSP), file_server for /static/*, /favicon.ico,
                            /robots.txt, /sitemap.xml from WORK/srv/shop/current/public; /api/* reverse_proxy to the
                            API app 127.0.0.1:20005 (transport http response_header_timeout 10s); everything else
                            reverse_proxy to the two shop apps 127.0.0.1:20003 and 127.0.0.1:20004 (lb_policy
                            round_robin, active health checks health_uri /healthz, health_interval 10s, health_timeout
                            3s; no passive health checks, no lb_try_duration: a failed dial is a 502)
  http://www.shop.example   redir to http://shop.example{uri} 301
  http://api.shop.example   rewrite * /api{uri}, reverse_proxy to 127.0.0.1:20005 (response_header_timeout 10s)
  http://                   catch-all (requests by address, unknown hosts): respond 404
The application servers (this script with --backend, "gunicorn" in their Server header): shop-app-1 (:20003) and
shop-app-2 (:20004) render the pages (home, categories, products, search, cart, checkout, account, back office;
product URLs are canonical without a trailing slash: /products/x/ answers 301 to /products/x); the API app
(:20005) answers the JSON API (products, search, cart, checkout, auth with a rate limit of 15 failed logins a minute
for each client address from X-Forwarded-For, answering 429 after that, partner orders and stock, sales reports).

usage: bench/real-logs/caddy.py OUTDIR       (ports 20001 Caddy, 20003-20005 the apps, 20009 Caddy's admin API)
  writes OUTDIR/caddy-j.access.log (the access log, gzipped to .log.gz over 1 MB) and OUTDIR/caddy-j.log (the
  runtime log) with OUTDIR/caddy-j.access.labels.tsv and OUTDIR/caddy-j.labels.tsv
  SCALE=0.1 multiplies every duration (a short run for testing)

Normal traffic (about 6-8 requests/s):
  browsers on 127.0.0.100-199 (each address one person with its own browser, User-Agent and cache), about one visit
  in 6 s: pages from the apps, the assets (css, js, font, logo, product images) from Caddy's file_server the first
  time (304 revalidations now and then), SPA calls to /api/v1/cart and /api/v1/events, search, add to cart,
  checkout (a card declined now and then: 402), logins (a mistyped password now and then: 401), a newsletter link
  to the current campaign redirect, old www. links (301), users who give up on a slow search (Caddy logs status 0);
  the mobile app (api.shop.example/v1/..., 127.0.0.200-229); the ERP connector of the warehouse (127.0.0.21:
  orders every 15 s, stock updates, its bearer token expiring every few minutes: 401, then /v1/auth/token); a
  marketplace feed (127.0.0.22); the back office (127.0.0.30: /admin/orders, a sales report export that takes
  3-14 s, so now and then longer than the 10 s header timeout: 504 and a runtime-log error "net/http: timeout
  awaiting response headers"); the monitoring probe (127.0.0.2, /healthz and api /v1/health every 20 s); Googlebot
  127.0.0.40, bingbot .41, AhrefsBot .42 (robots.txt, sitemap, pages, images, discontinued products: 404);
  scanners from 127.0.0.70-79 now and then (/.env, /wp-login.php, /.git/config, ... by address or by name: 404);
  an occasional slow page or search in the apps; and the admin's routine changes, each a `caddy reload` (a
  campaign redirect added, the CSP header changed, a reload with nothing changed, compression changed).
Incidents (about 8.5 minutes in all: 90 s of normal traffic, 55-120 s of it between incidents and after the last):
  app-crash         shop-app-2 (127.0.0.1:20004) is killed (SIGKILL, as by the OOM killer) and stays down for 60 s
                    until the admin restarts it: requests in flight and those round_robin sends it until the next
                    active health check get 502 (runtime log: http.log.error "dial tcp 127.0.0.1:20004: connect:
                    connection refused" or "EOF"/"connection reset by peer"; access log: status 502), then the
                    health checker logs "HTTP request failed" for 127.0.0.1:20004 every 10 s and "host is up" once
                    it answers again
  credential-stuffing  127.0.0.66 posts leaked e-mail/password pairs to POST /api/v1/auth/login with 4 parallel
                    workers and rotating browser User-Agents for 50 s: 401s, a few 200s, then the app's limiter
                    answers 429 (the tool backs off a little and goes on); only in the access log
  redirect-loop     a bad deploy by the admin: a Caddyfile change for SEO (ticket MKT-412) makes product URLs end
                    with a slash (`redir @product_noslash {path}/ 308`) while the app redirects /products/x/ to
                    /products/x (301): every product page loops 308/301 until the browser gives up after 20
                    redirects (the users retry once, bots give up after 5-10); reverted by the admin with another
                    `caddy reload` after 60 s; in the access log only (in the runtime log it is just two reloads
                    like the routine ones)
Needs (Debian): caddy. Standard library only (http.client, each client binding its own 127.0.0.X).
"""
import collections
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCALE = float(os.environ.get("SCALE", "1"))
NAME = "caddy-j"
PORT, APP1, APP2, API, ADMIN = 20001, 20003, 20004, 20005, 20009
HOST, WWW, API_HOST = "shop.example", "www.shop.example", "api.shop.example"

MONITOR = "127.0.0.2"
ERP, MARKETPLACE, BACKOFFICE = "127.0.0.21", "127.0.0.22", "127.0.0.30"
GOOGLEBOT, BINGBOT, AHREFS = "127.0.0.40", "127.0.0.41", "127.0.0.42"
ATTACKER = "127.0.0.66"
SCANNERS = ["127.0.0.%d" % i for i in range(70, 80)]
BROWSERS = ["127.0.0.%d" % i for i in range(100, 200)]
MOBILES = ["127.0.0.%d" % i for i in range(200, 230)]

# --- the shop's catalogue (shared by the apps and the clients) ---

PRODUCTS = ["espresso-machine-pro", "espresso-machine-mini", "dual-boiler-x2", "lever-classic", "milk-frother",
            "burr-grinder-64", "hand-grinder", "flat-burr-grinder", "pour-over-kettle", "gooseneck-kettle-wifi",
            "french-press-1l", "aeropress-go", "cold-brew-jar", "drip-scale", "tamper-58mm", "knock-box",
            "distribution-tool", "milk-jug-600", "travel-mug", "double-wall-cups", "descaler-3pack",
            "paper-filters-v60", "cleaning-tablets", "water-filter-jug", "beans-house-blend", "beans-ethiopia-guji",
            "beans-colombia-huila", "beans-decaf-swiss", "gift-card", "barista-course"]
DISCONTINUED = ["grinder-classic-2019", "espresso-starter-kit", "moka-pot-6", "beans-brazil-santos",
                "kettle-basic"]
CATEGORIES = ["espresso-machines", "grinders", "brewing", "accessories", "beans", "deals", "winter-sale"]
SEARCHES = ["grinder", "espresso machine", "decaf", "kettle", "milk jug", "filter papers", "descaler", "beans",
            "aeropress", "scale", "gift", "tamper 58", "cold brew", "dual boiler", "course"]
PAGES = ["about", "shipping", "returns", "contact", "privacy", "imprint", "faq"]
ASSETS = {"css": "/static/css/app.4f1c2e9b.css", "js": "/static/js/app.8d41b27a.js",
          "vendor": "/static/js/vendor.c0a9e311.js", "checkout": "/static/js/checkout.51ae07d2.js",
          "font": "/static/fonts/inter-var.3b2f.woff2", "logo": "/static/img/logo.svg",
          "hero": "/static/img/hero-winter-2026.jpg", "favicon": "/favicon.ico"}
CUSTOMERS = ["%s.%s@%s" % (f, l, d) for f, l, d in (
    ("anna", "schmidt", "mail.example"), ("ben", "wagner", "post.example"), ("clara", "becker", "mail.example"),
    ("david", "hoffmann", "web.example"), ("emma", "fischer", "mail.example"), ("felix", "weber", "post.example"),
    ("greta", "meyer", "mail.example"), ("hannah", "koch", "web.example"), ("jonas", "richter", "mail.example"),
    ("lena", "klein", "post.example"), ("max", "wolf", "mail.example"), ("nora", "schulz", "web.example"),
    ("paul", "neumann", "mail.example"), ("sophie", "braun", "post.example"), ("tim", "zimmermann", "mail.example"),
    ("lara", "krueger", "web.example"), ("noah", "hartmann", "mail.example"), ("mia", "lange", "post.example"),
    ("luis", "werner", "mail.example"), ("ida", "schmitz", "web.example"))]


def customer_password(email):
    r = random.Random("pw:" + email)
    return "%s%d%s" % (email.split(".")[0].capitalize(), r.randint(1000, 9999), r.choice("!?#$"))


def sku(slug):
    return "CX-%05d" % (int(hashlib.md5(slug.encode()).hexdigest()[:6], 16) % 100000)


# --- the application servers (run as `caddy.py --backend ROLE PORT`) ---

class App(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    role = "shop"
    rng = random.Random()
    lock = threading.Lock()
    failures = collections.defaultdict(collections.deque)  # API: client address -> times of failed logins
    orders = collections.deque(maxlen=200)

    def version_string(self):
        return "gunicorn"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):  # Caddy logs the requests
        pass

    def work(self, lo, hi):
        time.sleep(self.rng.uniform(lo, hi))

    def client(self):
        xff = self.headers.get("X-Forwarded-For", "")
        return xff.split(",")[0].strip() or self.client_address[0]

    def reply(self, status, body=b"", ctype="text/html; charset=utf-8", extra=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def html(self, status, kb, extra=()):
        n = int(kb * 1024 * self.rng.uniform(0.9, 1.1))
        page = ("<!doctype html><html><head><title>Kaffeewerk</title></head><body>" + "<div class=p></div>" * (n // 19)
                + "</body></html>")
        self.reply(status, page, extra=list(extra) + [("Cache-Control", "private, no-cache")])

    def json(self, status, obj, extra=()):
        self.reply(status, json.dumps(obj), "application/json", extra)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        (self.shop_get if self.role == "shop" else self.api_get)(u.path, urllib.parse.parse_qs(u.query))

    def do_POST(self):
        u = urllib.parse.urlsplit(self.path)
        data = self.body()
        (self.shop_post if self.role == "shop" else self.api_post)(u.path, data)

    def do_PUT(self):
        u = urllib.parse.urlsplit(self.path)
        self.body()
        if self.role == "api" and u.path.startswith("/api/v1/stock/"):
            if not self.headers.get("Authorization", "").startswith("Bearer "):
                return self.json(401, {"error": "unauthorized"})
            self.work(0.01, 0.04)
            return self.reply(204, ctype="application/json")
        self.json(405, {"error": "method not allowed"})

    def do_DELETE(self):
        u = urllib.parse.urlsplit(self.path)
        if self.role == "api" and u.path.startswith("/api/v1/cart/items/"):
            self.work(0.01, 0.03)
            return self.reply(204, ctype="application/json")
        self.json(405, {"error": "method not allowed"})

    # the shop's pages
    def shop_get(self, path, q):
        r = self.rng
        if path == "/healthz":
            return self.reply(200, "ok\n", "text/plain; charset=utf-8")
        slow = r.random() < 0.02
        if path == "/":
            self.work(0.03, 0.09)
            return self.html(200, 42)
        if path.startswith("/products/"):
            slug = path[len("/products/"):]
            if slug.endswith("/") and slug.strip("/") and "/" not in slug.strip("/"):
                self.work(0.002, 0.006)
                return self.reply(301, "", extra=[("Location", "/products/" + slug.strip("/"))])
            self.work(0.02, 0.07)
            if slow:
                self.work(0.8, 2.5)
            if slug in PRODUCTS:
                return self.html(200, 36)
            return self.html(404, 9)
        if path.startswith("/category/"):
            self.work(0.03, 0.1)
            if slow:
                self.work(0.8, 2.5)
            known = path[len("/category/"):] in CATEGORIES
            return self.html(200 if known else 404, 48 if known else 9)
        if path == "/search":
            self.work(0.05, 0.3)
            if r.random() < 0.04:
                self.work(1.5, 5.0)
            return self.html(200, 30)
        if path in ("/cart", "/checkout", "/account", "/account/login", "/account/orders"):
            self.work(0.02, 0.06)
            return self.html(200, 22)
        if path.startswith("/checkout/confirmation"):
            self.work(0.04, 0.12)
            return self.html(200, 18)
        if path.startswith("/pages/") and path[len("/pages/"):] in PAGES:
            self.work(0.01, 0.04)
            return self.html(200, 14)
        if path.startswith("/admin/"):
            if "staff_session" not in self.headers.get("Cookie", ""):
                return self.reply(302, "", extra=[("Location", "/account/login?next=" + path)])
            self.work(0.08, 0.3)
            return self.html(200, 65)
        self.work(0.005, 0.02)
        return self.html(404, 9)

    def shop_post(self, path, data):
        if path == "/newsletter/subscribe":
            self.work(0.03, 0.08)
            return self.reply(303, "", extra=[("Location", "/pages/newsletter-thanks")])
        return self.html(404, 9)

    # the JSON API
    def api_get(self, path, q):
        r = self.rng
        if path == "/api/v1/health":
            return self.json(200, {"status": "ok", "db": "ok", "version": "3.14.2"})
        if path == "/api/v1/products":
            self.work(0.02, 0.08)
            return self.json(200, {"items": [{"sku": sku(p), "slug": p, "price": r.randint(900, 129900)}
                                             for p in r.sample(PRODUCTS, 24)], "page": q.get("page", ["1"])[0]})
        if path.startswith("/api/v1/products/"):
            self.work(0.01, 0.04)
            slug = path.split("/")[4]
            if slug in PRODUCTS or slug in [sku(p) for p in PRODUCTS]:
                return self.json(200, {"slug": slug, "stock": r.randint(0, 40), "price": r.randint(900, 129900),
                                       "description": "x" * r.randint(800, 3000)})
            return self.json(404, {"error": "not_found"})
        if path == "/api/v1/search":
            self.work(0.04, 0.25)
            if r.random() < 0.04:
                self.work(1.5, 5.0)
            return self.json(200, {"q": q.get("q", [""])[0], "hits": [{"slug": p} for p in r.sample(PRODUCTS, 8)]})
        if path == "/api/v1/cart":
            self.work(0.005, 0.02)
            if r.random() < 0.004:  # a known bug in the cart service
                return self.json(500, {"error": "internal_error"})
            return self.json(200, {"items": r.randint(0, 3), "total": r.randint(0, 90000)})
        if path == "/api/v1/orders" or path.startswith("/api/v1/orders/"):
            if not self.headers.get("Authorization", "").startswith("Bearer "):
                return self.json(401, {"error": "unauthorized"})
            if "expired" in self.headers.get("Authorization", ""):
                return self.json(401, {"error": "token_expired"})
            self.work(0.02, 0.1)
            with self.lock:
                orders = list(self.orders)
            return self.json(200, {"orders": orders[-r.randint(0, 4):] if orders else []})
        if path == "/api/v1/reports/sales.csv":
            span = q.get("range", ["week"])[0]
            self.work(*((8.0, 14.0) if span == "ytd" else (2.5, 6.0)))
            try:
                return self.reply(200, "date,orders,revenue\n" + "2026-11-01,12,1830.50\n" * 900, "text/csv")
            except OSError:  # Caddy gave up on it
                return
        return self.json(404, {"error": "not_found"})

    def api_post(self, path, data):
        r = self.rng
        if path == "/api/v1/events":
            return self.reply(204, ctype="application/json")
        if path == "/api/v1/cart/items":
            self.work(0.01, 0.04)
            return self.json(201, {"ok": True, "items": r.randint(1, 4)})
        if path == "/api/v1/checkout":
            self.work(0.3, 0.9)  # the payment provider
            if r.random() < 0.06:
                return self.json(402, {"error": "card_declined"})
            oid = "KW-%d" % r.randint(100000, 999999)
            with self.lock:
                self.orders.append(oid)
            return self.json(200, {"order": oid})
        if path == "/api/v1/auth/login":
            client, t = self.client(), time.time()
            with self.lock:
                fails = self.failures[client]
                while fails and fails[0] < t - 60:
                    fails.popleft()
                limited = len(fails) >= 15
            if limited:
                self.work(0.002, 0.006)
                return self.json(429, {"error": "too_many_attempts"}, [("Retry-After", "60")])
            self.work(0.08, 0.15)  # bcrypt
            try:
                cred = json.loads(data or b"{}")
            except ValueError:
                cred = {}
            email = cred.get("email", "")
            if email in CUSTOMERS and cred.get("password") == customer_password(email):
                return self.json(200, {"token": "%032x" % r.getrandbits(128)},
                                 [("Set-Cookie", "session=%x; HttpOnly; Path=/" % r.getrandbits(64))])
            with self.lock:
                self.failures[client].append(t)
            return self.json(401, {"error": "invalid_credentials"})
        if path == "/api/v1/auth/token":
            self.work(0.02, 0.05)
            return self.json(200, {"access_token": "%032x" % r.getrandbits(128), "expires_in": 300})
        return self.json(404, {"error": "not_found"})


def backend_main(role, port):
    App.role = role
    App.rng = random.Random(port)
    srv = ThreadingHTTPServer(("127.0.0.1", port), App)
    srv.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    srv.serve_forever()


if len(sys.argv) > 1 and sys.argv[1] == "--backend":
    backend_main(sys.argv[2], int(sys.argv[3]))
    sys.exit(0)

# --- the driver ---

from arrivals import poisson  # noqa: E402
from drivers import begin, stop_process, wait_listening, keep_log, now, sleep_until, SessionPool, run_workers  # noqa: E402
from labels import Labels  # noqa: E402

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
ERRORS = (OSError, http.client.HTTPException, ValueError)

CSP = ["default-src 'self'; img-src 'self' data:; script-src 'self'; frame-src https://pay.psp.example",
       "default-src 'self'; img-src 'self' data: https://cdn.psp.example; script-src 'self' https://js.psp.example;"
       " frame-src https://pay.psp.example"]

CADDYFILE = """# Caddyfile of shop.example (the lab's copy: loopback addresses, files under {work})
{{
	admin 127.0.0.1:{admin}
	auto_https off
	http_port {port}
	default_bind 127.0.0.1
	log {{
		output file {work}/log/caddy/caddy.log
		format json
	}}
}}

(access_log) {{
	log {{
		output file {work}/log/caddy/access.log
		format json
	}}
}}

http://{host} {{
	import access_log
	encode {encode}
	root * {work}/srv/shop/current/public
	header {{
		X-Content-Type-Options nosniff
		Referrer-Policy strict-origin-when-cross-origin
		Content-Security-Policy "{csp}"
	}}
{extra}
	@assets path /static/* /favicon.ico /robots.txt /sitemap.xml
	handle @assets {{
		header /static/* Cache-Control "public, max-age=31536000, immutable"
		file_server
	}}
	handle /api/* {{
		reverse_proxy 127.0.0.1:{api} {{
			transport http {{
				response_header_timeout 10s
			}}
		}}
	}}
	handle {{
		reverse_proxy 127.0.0.1:{app1} 127.0.0.1:{app2} {{
			lb_policy round_robin
			health_uri /healthz
			health_interval {hi}s
			health_timeout 3s
		}}
	}}
}}

http://{www} {{
	import access_log
	redir http://{host}{{uri}} 301
}}

http://{api_host} {{
	import access_log
	rewrite * /api{{uri}}
	reverse_proxy 127.0.0.1:{api} {{
		transport http {{
			response_header_timeout 10s
		}}
	}}
}}

http:// {{
	import access_log
	respond 404
}}
"""
CAMPAIGN = """	# newsletter 2026-12: winter campaign
	redir /winter /category/winter-sale 302
"""
SLASH = """	# MKT-412: canonical product URLs end with a slash (SEO)
	@product_noslash path_regexp ^/products/[^/]+$
	redir @product_noslash {path}/ 308
"""

UAS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
       "Safari/537.36",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
       "Safari/537.36",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
       "Safari/605.1.15",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
       "Version/18.1 Mobile/15E148 Safari/604.1",
       "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile "
       "Safari/537.36",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
       "Safari/537.36 Edg/131.0.0.0",
       "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"]
MOBILE_UAS = ["Kaffeewerk/4.12.1 (iPhone; iOS 18.1; Scale/3.00)", "Kaffeewerk/4.12.1 (Android 14; Pixel 8) "
              "okhttp/4.12.0", "Kaffeewerk/4.11.0 (Android 13; SM-A536B) okhttp/4.11.0",
              "Kaffeewerk/4.12.0 (iPad; iPadOS 17.6; Scale/2.00)"]
LANGS = ["de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", "en-US,en;q=0.9", "de-AT,de;q=0.9", "en-GB,en;q=0.9",
         "fr-FR,fr;q=0.9,en;q=0.6", "nl-NL,nl;q=0.9,en;q=0.8"]
SCAN_PATHS = ["/.env", "/wp-login.php", "/.git/config", "/phpmyadmin/index.php", "/admin.php", "/xmlrpc.php",
              "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/actuator/health", "/server-status",
              "/config.json", "/backup.zip", "/.aws/credentials", "/wp-content/plugins/wp-file-manager/readme.txt",
              "/cgi-bin/luci/;stok=/locale", "/boaform/admin/formLogin", "/.DS_Store", "/owa/auth/logon.aspx",
              "/solr/admin/info/system", "/_profiler/phpinfo", "/api/.env", "/HNAP1/", "/sftp-config.json"]
SCAN_UAS = ["Mozilla/5.0 zgrab/0.x", "python-requests/2.31.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
            "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36", "curl/7.88.1",
            "Go-http-client/1.1", "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)"]


class Client:
    """One HTTP/1.1 keep-alive connection from a given source address to Caddy, with the Host it asks for."""

    def __init__(self, ip, host, ua, timeout=30):
        self.ip, self.host, self.ua, self.timeout = ip, host, ua, timeout
        self.conn = None
        self.headers = {}

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None, timeout=None, host=None):
        """(status, response headers, body); a stale keep-alive connection is retried once on a new one."""
        for attempt in (0, 1):
            fresh = self.conn is None
            if fresh:
                self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=self.timeout,
                                                       source_address=(self.ip, 0))
            h = {"Host": host or self.host, "User-Agent": self.ua}
            h.update(self.headers)
            h.update(headers or {})
            try:
                if self.conn.sock is None:
                    self.conn.connect()
                self.conn.sock.settimeout(timeout or self.timeout)
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                if (r.getheader("Connection") or "").lower() == "close":
                    self.close()
                return r.status, r, data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if fresh or attempt:
                    raise
            except BaseException:
                self.close()
                raise


class Caddy:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "Caddyfile")
        self.log = os.path.join(work, "log", "caddy", "caddy.log")
        self.access = os.path.join(work, "log", "caddy", "access.log")
        self.home = os.path.join(work, "var", "lib", "caddy")
        self.public = os.path.join(work, "srv", "shop", "current", "public")
        self.proc = None
        self.apps = {}
        self.settings = {"encode": "gzip", "csp": CSP[0], "campaign": False, "slash": False}
        self.lock = threading.Lock()
        self.reloads = []  # (time, what)

    @staticmethod
    def version():
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "caddy"], capture_output=True, text=True)
        return r.stdout.strip() or "2.6"

    def env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
        env.update(TZ="UTC", HOME=self.home)
        return env

    def write_config(self):
        s = self.settings
        extra = (CAMPAIGN if s["campaign"] else "") + (SLASH if s["slash"] else "")
        text = CADDYFILE.format(work=self.work, admin=ADMIN, port=PORT, host=HOST, www=WWW, api_host=API_HOST,
                                encode=s["encode"], csp=s["csp"], extra=extra.rstrip("\n"), api=API, app1=APP1,
                                app2=APP2, hi=max(1, round(10 * SCALE)))
        with open(self.conf, "w") as f:
            f.write(text)

    def setup(self, rng):
        os.makedirs(os.path.join(self.work, "log", "caddy"))
        os.makedirs(self.home)
        deployed = now() - 3 * 86400 - 5 * 3600

        def put(rel, size, text=None):
            p = os.path.join(self.public, rel.lstrip("/"))
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(text.encode() if text is not None else (rel.encode() * (size // len(rel) + 1))[:size])
            os.utime(p, (deployed, deployed))

        sizes = {"css": 68000, "js": 182000, "vendor": 241000, "checkout": 38000, "font": 98000, "logo": 4200,
                 "hero": 184000, "favicon": 5430}
        for k, rel in ASSETS.items():
            put(rel, sizes[k])
        for p in PRODUCTS + DISCONTINUED:
            for i in (1, 2, 3):
                put("/static/img/products/%s-%d.jpg" % (p, i), rng.randint(45000, 160000))
            put("/static/img/products/%s-thumb.jpg" % p, rng.randint(7000, 24000))
        put("/robots.txt", 0, "User-agent: *\nDisallow: /cart\nDisallow: /checkout\nDisallow: /account\n"
                              "Disallow: /api/\nDisallow: /search\nDisallow: /admin/\n"
                              "Sitemap: http://shop.example/sitemap.xml\n")
        put("/sitemap.xml", 0, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset>\n" + "".join(
            "<url><loc>http://shop.example/products/%s</loc></url>\n" % p for p in PRODUCTS) + "".join(
            "<url><loc>http://shop.example/category/%s</loc></url>\n" % c for c in CATEGORIES) + "</urlset>\n")
        self.write_config()

    def start_app(self, name, role, port):
        err = open(os.path.join(self.work, "log", name + ".stderr"), "ab")
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--backend", role, str(port)],
                                stdin=subprocess.DEVNULL, stdout=err, stderr=err, env=dict(os.environ, TZ="UTC"))
        err.close()
        self.apps[name] = proc
        wait_listening(proc, name, (port,))

    def start(self):
        self.start_app("shop-app-1", "shop", APP1)
        self.start_app("shop-app-2", "shop", APP2)
        self.start_app("api", "api", API)
        out = open(os.path.join(self.work, "caddy.stderr"), "ab")
        self.proc = subprocess.Popen(["caddy", "run", "--config", self.conf], cwd=self.work, env=self.env(),
                                     stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        out.close()
        wait_listening(self.proc, "caddy", (PORT, ADMIN))

    def reload(self, what, force=False, **change):
        """The admin edits the Caddyfile and runs `caddy reload` (with --force, as Debian's unit's ExecReload)."""
        with self.lock:
            self.settings.update(change)
            self.write_config()
            t = now()
            cmd = ["caddy", "reload", "--config", self.conf, "--address", "127.0.0.1:%d" % ADMIN]
            r = subprocess.run(cmd + (["--force"] if force else []), cwd=self.work, env=self.env(),
                               capture_output=True, text=True, timeout=30)
            if r.returncode != 0:
                raise SystemExit("caddy reload failed: %s" % r.stderr.strip()[-300:])
            self.reloads.append((t, now(), what))
            return t, now()

    def stop(self):
        stop_process(self.proc)
        for p in self.apps.values():
            stop_process(p)


# --- normal traffic ---

class Browser:
    """A person's browser: a few keep-alive connections, its User-Agent and language, and its cache."""

    def __init__(self, ip, rng, caches):
        self.ip, self.rng = ip, rng
        r = random.Random("ua:" + ip)
        self.ua, self.lang = r.choice(UAS), r.choice(LANGS)
        self.cache = caches.setdefault(ip, {})  # path -> ETag, kept between visits
        self.conns = [Client(ip, HOST, self.ua) for _ in range(3)]
        self.n = 0
        self.referer = None

    def close(self):
        for c in self.conns:
            c.close()

    def get(self, path, accept, referer=None, extra=None, timeout=None, host=None):
        c = self.conns[self.n % len(self.conns)]
        self.n += 1
        h = {"Accept": accept, "Accept-Language": self.lang, "Accept-Encoding": "gzip, deflate, br"}
        if referer:
            h["Referer"] = referer
        if "session" in self.cache:
            h["Cookie"] = "session=%s; _consent=1" % self.cache["session"]
        h.update(extra or {})
        return c.request("GET", path, headers=h, timeout=timeout, host=host)

    def page(self, path, host=None, max_redirects=20):
        """Navigates to path following redirects as a browser does; (final status, final path, redirects)."""
        hops = 0
        while True:
            st, r, _ = self.get(path, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                                self.referer, host=host)
            if st in (301, 302, 303, 307, 308) and r.getheader("Location"):
                loc = r.getheader("Location")
                if loc.startswith("http://"):
                    u = urllib.parse.urlsplit(loc)
                    host, loc = u.netloc, (u.path or "/") + ("?" + u.query if u.query else "")
                path = loc
                hops += 1
                if hops > max_redirects:
                    return "too-many-redirects", path, hops
                continue
            self.referer = "http://%s%s" % (HOST, path)
            return st, path, hops

    def asset(self, path, referer):
        if path in self.cache and self.rng.random() > 0.05:
            return  # from the cache, no request
        extra = {}
        if path in self.cache and self.cache[path]:
            extra["If-None-Match"] = self.cache[path]
        kind = "text/css,*/*;q=0.1" if path.endswith(".css") else "image/avif,image/webp,*/*;q=0.8" \
            if path.endswith((".jpg", ".svg", ".ico")) else "*/*"
        st, r, _ = self.get(path, kind, referer, extra)
        if st in (200, 304):
            self.cache[path] = r.getheader("ETag") or self.cache.get(path) or ""

    def api(self, method, path, body=None):
        c = self.conns[self.n % len(self.conns)]
        self.n += 1
        h = {"Accept": "application/json", "Accept-Language": self.lang, "Referer": self.referer or "",
             "Accept-Encoding": "gzip, deflate, br"}
        if body is not None:
            h["Content-Type"] = "application/json"
            h["Origin"] = "http://" + HOST
            body = json.dumps(body)
        if "session" in self.cache:
            h["Cookie"] = "session=%s; _consent=1" % self.cache["session"]
        return c.request(method, path, body=body, headers=h)


def thumbs(rng, n):
    return ["/static/img/products/%s-thumb.jpg" % p for p in rng.sample(PRODUCTS, n)]


class Traffic(SessionPool):
    def __init__(self, caddy, seed):
        super().__init__(seed, 60, ERRORS)
        self.caddy = caddy
        self.caches = {}
        self.loops = collections.Counter()

    # one browser visit
    def visit(self, rng):
        b = Browser(rng.choice(BROWSERS), rng, self.caches)
        try:
            self.browse(b, rng)
        finally:
            b.close()

    def show(self, b, rng, path, host=None):
        """A page with what it needs: assets (unless cached), images, the SPA's cart call and beacon."""
        st, final, hops = b.page(path, host=host)
        if st == "too-many-redirects":
            with self.lock:
                self.loops[path.split("?")[0]] += 1
            return st
        ref = b.referer
        if st == 502 or st == 504:
            return st
        if isinstance(st, int) and st < 400:
            for k in ("css", "vendor", "js", "font", "logo", "favicon"):
                b.asset(ASSETS[k], ref)
        imgs = []
        if final == "/":
            imgs = [ASSETS["hero"]] + thumbs(rng, 6)
        elif final.startswith("/products/") and st == 200:
            slug = final.split("/")[2]
            gallery = (1, 2, 3) if rng.random() < 0.3 else (1,)  # the others when the user opens the gallery
            imgs = ["/static/img/products/%s-%d.jpg" % (slug, i) for i in gallery] + thumbs(rng, 3)
        elif final.startswith(("/category/", "/search")) and st == 200:
            imgs = thumbs(rng, 8)
        elif final.startswith("/checkout"):
            imgs = [ASSETS["checkout"]]
        for i in imgs:
            b.asset(i, ref)
        if isinstance(st, int) and st < 400:
            b.api("GET", "/api/v1/cart")
            if rng.random() < 0.3:
                b.api("POST", "/api/v1/events", {"type": "page_view", "path": final})
        return st

    def browse(self, b, rng):
        r = rng.random()
        if r < 0.05:
            first, host = "/", WWW  # an old bookmark
        elif r < 0.15 and self.caddy.settings["campaign"]:
            first, host = "/winter?utm_source=newsletter&utm_medium=email", None
        elif r < 0.45:
            first, host = "/products/" + rng.choice(PRODUCTS), None  # from a search engine
        elif r < 0.6:
            first, host = "/category/" + rng.choice(CATEGORIES), None
        else:
            first, host = "/", None
        st = self.show(b, rng, first, host)
        if st == "too-many-redirects":  # ERR_TOO_MANY_REDIRECTS: the user tries once more, then goes home
            time.sleep(rng.uniform(2, 5))
            self.show(b, rng, first)
            time.sleep(rng.uniform(1, 4))
            self.show(b, rng, "/")
        elif st in (502, 504):  # the user reloads
            time.sleep(rng.uniform(1.5, 4))
            self.show(b, rng, first)
        cart = 0
        for _ in range(min(8, int(rng.expovariate(1 / 3.0)))):
            time.sleep(rng.uniform(2, 10))
            r = rng.random()
            if r < 0.45:
                p = "/products/" + (rng.choice(PRODUCTS) if rng.random() > 0.02 else rng.choice(DISCONTINUED))
                st = self.show(b, rng, p)
                if st in (502, 504):
                    time.sleep(rng.uniform(1.5, 4))
                    st = self.show(b, rng, p)
                if st == 200:
                    b.api("GET", "/api/v1/products/%s" % p.split("/")[2])
                    if rng.random() < 0.3:
                        b.api("POST", "/api/v1/cart/items", {"sku": sku(p.split("/")[2]), "qty": 1})
                        cart += 1
            elif r < 0.65:
                self.show(b, rng, "/category/%s%s" % (rng.choice(CATEGORIES),
                                                       "" if rng.random() < 0.7 else "?page=%d" % rng.randint(2, 4)))
            elif r < 0.82:
                q = rng.choice(SEARCHES)
                b.api("GET", "/api/v1/search?q=" + urllib.parse.quote(q))  # autocomplete
                try:
                    self.show_search(b, rng, q)
                except socket.timeout:
                    self.count("search given up")
                    for c in b.conns:
                        c.close()
            elif r < 0.9:
                self.show(b, rng, "/pages/" + rng.choice(PAGES))
            else:
                self.show(b, rng, "/cart")
        if rng.random() < 0.12:
            self.login(b, rng)
        if cart and rng.random() < 0.5:
            time.sleep(rng.uniform(3, 10))
            self.show(b, rng, "/cart")
            time.sleep(rng.uniform(2, 6))
            if self.show(b, rng, "/checkout") == 200:
                time.sleep(rng.uniform(8, 20))  # filling in the address and card
                st, _, data = b.api("POST", "/api/v1/checkout", {"payment": "card", "items": cart})
                if st == 402:
                    self.count("card declined")
                    time.sleep(rng.uniform(5, 12))
                    st, _, data = b.api("POST", "/api/v1/checkout", {"payment": "paypal", "items": cart})
                if st == 200:
                    self.show(b, rng, "/checkout/confirmation?order=" + json.loads(data)["order"])
                    self.count("orders")
        elif rng.random() < 0.03:
            st, _, _ = b.conns[0].request("POST", "/newsletter/subscribe", body="email=x%40mail.example",
                                          headers={"Content-Type": "application/x-www-form-urlencoded",
                                                   "Referer": b.referer or ""})

    def show_search(self, b, rng, q):
        """A search page; a user who waits more than 3 s closes the tab (Caddy logs status 0)."""
        c = b.conns[b.n % len(b.conns)]
        b.n += 1
        st, r, _ = c.request("GET", "/search?q=" + urllib.parse.quote_plus(q),
                             headers={"Accept": "text/html", "Accept-Language": b.lang, "Referer": b.referer or "",
                                      "Accept-Encoding": "gzip, deflate, br"}, timeout=rng.choice([3, 30, 30]))
        if st == 200:
            b.referer = "http://%s/search?q=%s" % (HOST, urllib.parse.quote_plus(q))
            for i in thumbs(rng, 6):
                b.asset(i, b.referer)

    def login(self, b, rng):
        email = rng.choice(CUSTOMERS)
        self.show(b, rng, "/account/login")
        time.sleep(rng.uniform(3, 8))
        pw = customer_password(email)
        if rng.random() < 0.15:
            self.count("login typo")
            b.api("POST", "/api/v1/auth/login", {"email": email, "password": pw.lower()})
            time.sleep(rng.uniform(3, 8))
        st, r, _ = b.api("POST", "/api/v1/auth/login", {"email": email, "password": pw})
        if st == 200:
            b.cache["session"] = "%x" % rng.getrandbits(64)
            self.show(b, rng, "/account")
            if rng.random() < 0.5:
                self.show(b, rng, "/account/orders")

    # the mobile app
    def mobile(self, rng):
        ip = rng.choice(MOBILES)
        c = Client(ip, API_HOST, random.Random("ua:" + ip).choice(MOBILE_UAS), timeout=15)
        c.headers = {"Accept": "application/json", "Accept-Encoding": "gzip", "X-App-Version": "4.12.1"}
        try:
            c.request("GET", "/v1/products?category=%s&page=1" % rng.choice(CATEGORIES))
            for _ in range(rng.randint(1, 5)):
                time.sleep(rng.uniform(1, 6))
                r = rng.random()
                if r < 0.5:
                    c.request("GET", "/v1/products/%s" % rng.choice(PRODUCTS))
                elif r < 0.7:
                    try:
                        c.request("GET", "/v1/search?q=%s" % urllib.parse.quote(rng.choice(SEARCHES)), timeout=4)
                    except socket.timeout:
                        c.close()
                        self.count("mobile search timeout")
                elif r < 0.85:
                    c.request("GET", "/v1/cart")
                else:
                    c.request("POST", "/v1/cart/items", body=json.dumps({"sku": sku(rng.choice(PRODUCTS)),
                                                                          "qty": 1}),
                              headers={"Content-Type": "application/json"})
            if rng.random() < 0.1:
                c.request("POST", "/v1/checkout", body='{"payment":"applepay"}',
                          headers={"Content-Type": "application/json"})
        finally:
            c.close()

    # machines
    def erp_loop(self):
        rng = random.Random(self.rng.random())
        c = Client(ERP, API_HOST, "kaffeewerk-erp-connector/3.4.2 (+warehouse)", timeout=20)
        token, issued, last_stock = None, 0.0, 0.0
        while not self.stop.wait(rng.uniform(13, 17)):
            try:
                if token is None or now() - issued > rng.uniform(200, 300):
                    # the connector only notices an expired token when the API says so
                    if token is not None:
                        st, _, _ = c.request("GET", "/v1/orders?status=paid&since=%d" % (now() - 60),
                                             headers={"Authorization": "Bearer expired-" + token[:8],
                                                      "Accept": "application/json"})
                    st, _, data = c.request("POST", "/v1/auth/token", body="grant_type=client_credentials",
                                            headers={"Content-Type": "application/x-www-form-urlencoded",
                                                     "Authorization": "Basic ZXJwOnNlY3JldA=="})
                    token, issued = json.loads(data)["access_token"], now()
                auth = {"Authorization": "Bearer " + token, "Accept": "application/json"}
                st, _, data = c.request("GET", "/v1/orders?status=paid&since=%d" % (now() - 60), headers=auth)
                for oid in (json.loads(data).get("orders", []) if st == 200 else [])[:3]:
                    c.request("GET", "/v1/orders/%s" % oid, headers=auth)
                if now() - last_stock > 55:
                    last_stock = now()
                    for p in rng.sample(PRODUCTS, rng.randint(2, 6)):
                        c.request("PUT", "/v1/stock/%s" % sku(p), body=json.dumps({"qty": rng.randint(0, 80)}),
                                  headers=dict(auth, **{"Content-Type": "application/json"}))
                self.count("erp polls")
            except ERRORS as e:
                c.close()
                self.failed(self.erp_loop, e)

    def marketplace_loop(self):
        rng = random.Random(self.rng.random())
        c = Client(MARKETPLACE, API_HOST, "marketplace-feed/1.8 (+https://marketplace.example/bot)", timeout=20)
        while not self.stop.wait(rng.uniform(25, 35)):
            try:
                for page in range(1, rng.randint(2, 4)):
                    c.request("GET", "/v1/products?page=%d&per_page=24" % page,
                              headers={"Accept": "application/json", "X-Api-Key": "mkp-7f3a9c"})
            except ERRORS as e:
                c.close()
                self.failed(self.marketplace_loop, e)

    def backoffice_loop(self):
        rng = random.Random(self.rng.random())
        ua = UAS[0]
        next_report = now() + rng.uniform(20, 60)
        while not self.stop.wait(rng.uniform(25, 50)):
            b = Browser(BACKOFFICE, rng, self.caches)
            b.cache["session"] = "staff"
            try:
                for p in ("/admin/orders", "/admin/orders?status=open&page=%d" % rng.randint(1, 3)):
                    b.get(p, "text/html", extra={"Cookie": "staff_session=7c1e; session=staff"})
                if now() >= next_report:
                    next_report = now() + rng.uniform(70, 130)
                    span = "ytd" if rng.random() < 0.3 else "week"
                    c = Client(BACKOFFICE, HOST, ua, timeout=60)
                    st, _, _ = c.request("GET", "/api/v1/reports/sales.csv?range=%s" % span,
                                         headers={"Accept": "text/csv", "Cookie": "staff_session=7c1e"})
                    c.close()
                    self.count("report %s %s" % (span, st))
            except ERRORS as e:
                self.failed(self.backoffice_loop, e)
            finally:
                b.close()

    def monitor_loop(self):
        rng = random.Random(self.rng.random())
        shop = Client(MONITOR, HOST, "Uptime-Kuma/1.23.13", timeout=10)
        api = Client(MONITOR, API_HOST, "Uptime-Kuma/1.23.13", timeout=10)
        n = 0
        while not self.stop.wait(rng.uniform(19.5, 20.5)):
            try:
                shop.request("GET", "/healthz", headers={"Accept": "*/*"})
                api.request("GET", "/v1/health", headers={"Accept": "*/*"})
                n += 1
                if n % 3 == 0:
                    shop.request("HEAD", "/", headers={"Accept": "*/*"})
                self.count("monitor")
            except ERRORS:
                shop.close()
                api.close()
                self.count("monitor failed")

    def bot_loop(self, ip, ua, interval):
        rng = random.Random(self.rng.random())
        c = Client(ip, HOST, ua, timeout=20)
        c.headers = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                     "Accept-Encoding": "gzip, deflate, br"}
        self.stop.wait(rng.uniform(0, interval))
        try:
            c.request("GET", "/robots.txt")
        except ERRORS:
            c.close()
        while not self.stop.wait(rng.expovariate(1 / interval)):
            try:
                r = rng.random()
                if r < 0.05:
                    c.request("GET", "/sitemap.xml")
                elif r < 0.55:
                    p = rng.choice(PRODUCTS) if rng.random() > 0.12 else rng.choice(DISCONTINUED)
                    for hop in range(5):  # bots follow a few redirects only
                        st, resp, _ = c.request("GET", "/products/%s%s" % (p, "/" * (hop % 2)))
                        if st not in (301, 308):
                            break
                    else:
                        self.count("bot redirect loop")
                elif r < 0.75:
                    c.request("GET", "/category/%s%s" % (rng.choice(CATEGORIES),
                                                          "?page=%d" % rng.randint(1, 5) if "Ahrefs" in ua else ""))
                elif r < 0.93:
                    c.request("GET", rng.choice(thumbs(rng, 3)).replace("-thumb", "-1"),
                              headers={"Accept": "image/webp,*/*"})
                else:
                    c.request("GET", rng.choice(["/pages/" + rng.choice(PAGES), "/product.php?id=%d" %
                                                 rng.randint(100, 999), "/"]))
            except ERRORS as e:
                c.close()
                self.failed(self.bot_loop, e)

    def scanner_loop(self, mean):
        rng = random.Random(self.rng.random())
        while not self.stop.wait(rng.expovariate(1 / mean)):
            ip = rng.choice(SCANNERS)
            c = Client(ip, rng.choice(["127.0.0.1", "127.0.0.1:%d" % PORT, HOST]), rng.choice(SCAN_UAS),
                       timeout=10)
            try:
                for p in rng.sample(SCAN_PATHS, rng.randint(3, 12)):
                    c.request("GET", p, headers={"Accept": "*/*"})
                    time.sleep(rng.uniform(0.05, 0.6))
                self.count("scans")
            except ERRORS as e:
                self.failed(self.scanner_loop, e)
            finally:
                c.close()

    def visits(self, rate):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            self.spawn(self.visit, random.Random(rng.random()))

    def mobiles(self, rate):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            self.spawn(self.mobile, random.Random(rng.random()))

    def run(self):
        self.start([threading.Thread(target=self.visits, args=(1 / 6.0,)),
                    threading.Thread(target=self.mobiles, args=(1 / 12.0,)),
                    threading.Thread(target=self.erp_loop), threading.Thread(target=self.marketplace_loop),
                    threading.Thread(target=self.backoffice_loop), threading.Thread(target=self.monitor_loop),
                    threading.Thread(target=self.bot_loop, args=(GOOGLEBOT, "Mozilla/5.0 (compatible; "
                                     "Googlebot/2.1; +http://www.google.com/bot.html)", 5.0)),
                    threading.Thread(target=self.bot_loop, args=(BINGBOT, "Mozilla/5.0 (compatible; bingbot/2.0; "
                                     "+http://www.bing.com/bingbot.htm)", 11.0)),
                    threading.Thread(target=self.bot_loop, args=(AHREFS, "Mozilla/5.0 (compatible; AhrefsBot/7.0; "
                                     "+http://ahrefs.com/robot/)", 14.0)),
                    threading.Thread(target=self.scanner_loop, args=(50.0,))])


# --- incidents ---

def app_crash(caddy, seconds):
    """shop-app-2 dies (SIGKILL, as by the OOM killer); the admin restarts it after `seconds`."""
    proc = caddy.apps["shop-app-2"]
    start = now()
    proc.kill()
    proc.wait(5)
    time.sleep(seconds)
    restart = now()
    caddy.start_app("shop-app-2", "shop", APP2)
    return start, restart


def credential_stuffing(seconds, workers=4):
    """127.0.0.66 tries leaked e-mail/password pairs against the SPA's login endpoint."""
    rng = random.Random(66)
    first = ["j", "m", "s", "a", "k", "t", "r", "l", "d", "c", "p", "b"]
    last = ["smith", "miller", "jones", "garcia", "brown", "taylor", "lee", "martin", "white", "clark", "muller",
            "schneider", "rossi", "dubois", "novak"]
    doms = ["gmail.example", "yahoo.example", "mail.example", "web.example", "outlook.example", "post.example"]
    combos = [("%s%s%d@%s" % (rng.choice(first), rng.choice(last), rng.randint(1, 99), rng.choice(doms)),
               rng.choice(["123456", "Password1", "qwerty123", "Summer2024!", "iloveyou", "Welcome1", "abc123",
                           "Passw0rd", "monkey12", "dragon", "letmein1"])) for _ in range(3000)]
    for i, e in enumerate(CUSTOMERS[:8]):  # some customers reused a leaked password
        combos[rng.randrange(30, 600)] = (e, customer_password(e) if i in (1, 5) else "Kaffee2023!")
    lock = threading.Lock()
    state = {"next": 0, "sent": 0, "status": collections.Counter()}
    stop_at = now() + seconds

    def worker(k):
        wrng = random.Random(k)
        c = Client(ATTACKER, HOST, UAS[0])
        time.sleep(k * 0.2)
        while now() < stop_at:
            with lock:
                email, pw = combos[state["next"] % len(combos)]
                state["next"] += 1
            c.ua = wrng.choice(UAS)
            try:
                st, _, _ = c.request("POST", "/api/v1/auth/login", body=json.dumps({"email": email, "password": pw}),
                                     headers={"Content-Type": "application/json", "Accept": "application/json",
                                              "Origin": "http://" + HOST, "Referer": "http://%s/account/login" % HOST})
            except ERRORS:
                c.close()
                time.sleep(1)
                continue
            with lock:
                state["sent"] += 1
                state["status"][st] += 1
            time.sleep(wrng.uniform(1.0, 2.5) if st == 429 else wrng.uniform(0.1, 0.5))
        c.close()

    start = now()
    run_workers(worker, [(k,) for k in range(workers)], seconds + 40)
    return start, now(), state


# --- reading the logs back (for the labels) ---

def read_json_log(path):
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def main():
    work = begin(OUT, "caddy", __doc__, readable=True)
    caddy = Caddy(work)
    version = caddy.version()
    labels, alabels = Labels(), Labels()
    how = ("real Caddy %s (Debian) as `caddy run --config Caddyfile` on 127.0.0.1:%d (admin API 127.0.0.1:%d), "
           "auto_https off, sites http://shop.example (encode gzip, file_server for /static/*, /api/* "
           "reverse_proxy to the API app 127.0.0.1:%d with response_header_timeout 10s, pages reverse_proxy to "
           "shop-app-1 127.0.0.1:%d and shop-app-2 127.0.0.1:%d, round_robin, active health checks /healthz every "
           "10 s), http://www.shop.example (301), http://api.shop.example (rewrite to /api, the API app) and a "
           "catch-all (404); the apps are Python http.server backends run by the script; browsers on "
           "127.0.0.100-199, the mobile app 127.0.0.200-229, ERP 127.0.0.21, marketplace 127.0.0.22, back office "
           "127.0.0.30, monitoring 127.0.0.2, bots 127.0.0.40-42, scanners 127.0.0.70-79; routine `caddy reload`s "
           "by the admin; TZ=UTC; wall-clock times" % (version, PORT, ADMIN, API, APP1, APP2))
    labels.note("made by bench/real-logs/caddy.py: Caddy's runtime log (the default logger, global `log` option, "
                "output file, format json); " + how)
    alabels.note("made by bench/real-logs/caddy.py: Caddy's access log (the `log` directive of each site, output "
                 "file, format json); " + how)
    traffic = None
    ok = False
    try:
        caddy.setup(random.Random(7))
        caddy.start()
        traffic = Traffic(caddy, 2026)
        traffic.run()
        t0 = now()
        sleep_until(t0 + 45 * SCALE)
        caddy.reload("winter campaign redirect added", campaign=True)
        sleep_until(t0 + 90 * SCALE)

        # 1. shop-app-2 crashes and stays down until the admin restarts it
        c_start, c_restart = app_crash(caddy, 60 * SCALE)
        sleep_until(c_restart + 30 * SCALE)
        caddy.reload("CSP header: payment provider's CDN added", force=True, csp=CSP[1])
        sleep_until(c_restart + 75 * SCALE)

        # 2. credential stuffing against the login endpoint
        s_start, s_end, sst = credential_stuffing(50 * SCALE)
        sleep_until(s_end + 35 * SCALE)
        caddy.reload("reload with nothing changed")
        sleep_until(s_end + 70 * SCALE)

        # 3. the admin's bad deploy: a trailing-slash redirect that loops with the app's canonical redirect
        r_start, _ = caddy.reload("MKT-412: product URLs with a trailing slash (bad)", slash=True)
        sleep_until(r_start + 60 * SCALE)
        _, r_end = caddy.reload("MKT-412 reverted", slash=False)
        sleep_until(r_end + 40 * SCALE)
        caddy.reload("compression: zstd added", force=True, encode="zstd gzip")
        sleep_until(r_end + 90 * SCALE)

        traffic.finish(30)
        time.sleep(1)
        caddy.stop()
        log, access = read_json_log(caddy.log), read_json_log(caddy.access)

        def req(e):
            return e.get("request", {})

        # 1.
        up = "127.0.0.1:%d" % APP2
        ev = [e for e in log if e.get("ts", 0) >= c_start - 1 and (up in e.get("msg", "") or e.get("host") == up)]
        errs = [e for e in ev if e.get("logger", "").startswith("http.log.error")]
        hc_fail = [e for e in ev if e.get("msg") == "HTTP request failed"]
        back = [e for e in ev if e.get("msg") == "host is up" and e["ts"] >= c_restart]
        a502 = [e for e in access if e.get("status") == 502 and c_start - 1 <= e["ts"] <= c_restart + 30]
        if ev:
            end = back[0]["ts"] if back else max(e["ts"] for e in ev)
            desc = ("shop-app-2 (127.0.0.1:20004), one of the two page servers behind reverse_proxy (round_robin, "
                    "active health checks on /healthz every 10 s), is killed with SIGKILL (as by the OOM killer) "
                    "and stays down for %d s until the admin restarts it: %d requests get a 502 from Caddy (%d "
                    "http.log.error lines \"dial tcp 127.0.0.1:20004: connect: connection refused\" or, for the "
                    "requests in flight, a read error, status 502), until the health checker takes it out of the "
                    "pool; then the health checker logs %d lines \"HTTP request failed\" for host 127.0.0.1:20004 "
                    "every 10 s%s"
                    % (round(c_restart - c_start), len(a502), len(errs), len(hc_fail),
                       " and \"host is up\" once it answers again" if back else ""))
            labels.add("app-crash", min([c_start] + [e["ts"] for e in ev]), end, "upstream-down",
                       "127.0.0.1:20004|shop-app-2", desc)
            if a502:
                alabels.add("app-crash", min([c_start] + [e["ts"] for e in a502]), max(e["ts"] for e in a502),
                            "upstream-down", "127.0.0.1:20004|shop-app-2",
                            "shop-app-2 (127.0.0.1:20004), one of the two page servers behind reverse_proxy "
                            "(round_robin, active health checks on /healthz every 10 s), is killed with SIGKILL (as "
                            "by the OOM killer) and stays down for %d s until the admin restarts it: the pages that "
                            "round_robin sends it until the next health check takes it out of the pool get a 502 "
                            "from Caddy: %d lines status 502 (size 0, resp_headers only Server: Caddy) for pages of "
                            "shop.example from browsers, bots or the monitoring probe, the users reloading them; "
                            "after that shop-app-1 serves every page and this log shows nothing wrong (the runtime "
                            "log has the dial errors and the health checker's failures until it is back)"
                            % (round(c_restart - c_start), len(a502)))

        # 2.
        mine = [e for e in access if req(e).get("remote_ip") == ATTACKER]
        if mine:
            st = collections.Counter(e.get("status") for e in mine)
            alabels.add("credential-stuffing", min(e["ts"] for e in mine), max(e["ts"] for e in mine),
                        "credential-stuffing", "%s|/api/v1/auth/login" % ATTACKER,
                        "127.0.0.66 posts leaked e-mail/password pairs to POST /api/v1/auth/login on shop.example "
                        "with 4 parallel workers and rotating browser User-Agents for %d s: %d requests (%s), the "
                        "app's limiter (15 failed logins a minute per address) answering 429 after the first "
                        "failures and the tool backing off 1-2.5 s on each 429 and going on; normal logins are a few "
                        "a minute from many addresses" % (round(s_end - s_start), len(mine), ", ".join(
                            "%d status %s" % (n, s) for s, n in sorted(st.items(), key=lambda x: str(x[0])))))

        # 3.
        loop = [e for e in access if r_start - 1 <= e["ts"] <= r_end + 30 and
                req(e).get("uri", "").startswith("/products/") and e.get("status") in (301, 308)]
        s308 = [e for e in loop if e.get("status") == 308]
        if s308:
            start = min(e["ts"] for e in s308)
            lp = [e for e in loop if e["ts"] >= start - 1]
            clients = {req(e).get("remote_ip") for e in lp}
            alabels.add("redirect-loop", start, max(e["ts"] for e in lp), "misconfiguration",
                        "/products/|MKT-412|redir",
                        "a bad deploy: the admin adds a Caddyfile rule for SEO (`@product_noslash path_regexp "
                        "^/products/[^/]+$`, `redir @product_noslash {path}/ 308`) and runs caddy reload, while the "
                        "app redirects /products/x/ back to /products/x (301): every product page loops until the "
                        "browser gives up after 20 redirects (users retry once), bots after a few; reverted with "
                        "another caddy reload after %d s: %d lines for /products/... with status 308 (Caddy, "
                        "size 0) and %d with 301 (the app) from %d client addresses, where product URLs otherwise "
                        "answer 200; %d redirect loops given up by browsers"
                        % (round(r_end - r_start), len(s308), len(lp) - len(s308), len(clients),
                           sum(traffic.loops.values())))
        labels.note("not in this log: the credential stuffing (127.0.0.66, 401/429 answers of the app are not "
                    "Caddy errors) and the redirect loop (its only trace here are the two config reloads at %s and "
                    "%s, like the routine ones)" % (time.strftime("%H:%M:%S", time.gmtime(r_start)),
                                                    time.strftime("%H:%M:%S", time.gmtime(r_end))))
        print("%s: %s; stuffing %s; reloads %s; runtime log %d lines, access log %d lines" % (
            NAME, sorted(traffic.counts.items()), dict(sent=sst["sent"], status=dict(sst["status"])),
            [(time.strftime("%H:%M:%S", time.gmtime(t)), w) for t, _, w in caddy.reloads], len(log),
            len(access)), file=sys.stderr)
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
        caddy.stop()
        if ok:
            keep_log(caddy.log, OUT, NAME, labels)
            keep_log(caddy.access, OUT, NAME + ".access", alabels)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
