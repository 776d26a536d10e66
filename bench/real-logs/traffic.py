#!/usr/bin/env python3
"""Drives an nginx in front of backend.py with shop traffic and injects labelled incidents (standard library only).

usage: traffic.py SCENARIO --nginx-port P --backend-port B --workdir DIR --labels FILE [--log-name NAME]

Scenarios:
  nginx-4min      ~4 min, ~25 req/s from 127.0.0.2-60; a password brute force, a vulnerability scan, an upstream
                  outage (backend stopped ~20 s) and a rate-limit flood
  nginx-500burst  300 normal requests, then 80 POST /api/checkout answered 500 within one second
  nginx-10min     ~10 min at ~8 req/s with the same one-second 500 burst in the middle
Held-out scenarios (incidents of kinds the detectors were not built on; bench/real-logs/heldout/):
  heldout-a       ~5.5 min at ~20 req/s: a slow upstream (504 for 30 s), a scraper answered 200 (127.0.0.77),
                  the site unreachable for 60 s, 2 MB uploads refused with 413 (127.0.0.88)
  heldout-b       ~6.5 min at ~12 req/s: a retry storm answered 200 (127.0.0.123), a script a deploy did not ship
                  (404 from many clients), traffic at a third for 90 s
  heldout-c       ~6 min at ~15 req/s, made after the detection changes that a and b led to: a redirect loop on the
                  product pages (301), a password spray from 30 clients (401, 4 tries each), list responses of
                  300 kB instead of 2 (a paging bug, all 200), a CORS preflight storm the application cannot answer
                  (OPTIONS, 501)
  heldout-d       ~6.5 min at ~15 req/s, request times logged (main_ext): the API slowed to 0.3-0.6 s (all 200), an
                  SQL-injection probe from 127.0.0.99 (sqlmap), /api/cart failing three times in ten (503) for 80 s,
                  searches stalled so that clients give up (nginx logs 499)
  haproxy-d       ~5 min at ~15 req/s against HAProxy (haproxy.sh) in front of two backends, this script's being
                  server s1: s1 stopped for 40 s, /api/items too slow for `timeout server` (504) for 30 s, both
                  servers failing their health check for 20 s (no server available, 503)
Held-out set e (bench/real-logs/heldout-e/, a web server none of a-d has):
  apache-e        ~5.5 min at ~15 req/s against Apache httpd (apache.sh) proxying to the backend: the backend
                  stopped for 30 s (503), a password spray from 30 clients (401), /api/items too slow for
                  ProxyTimeout 1 (502) for 30 s

Clients are told apart by source address: the whole 127.0.0.0/8 range is loopback, so each simulated client binds
its own 127.0.0.X. This script owns the backend process (it stops and restarts it for the outage).
"""
import argparse
import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from labels import Labels

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = "shop.example"

AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.80",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
]
MONITOR = ("127.0.0.60", "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)")
SCANNER_AGENT = "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000412)"
BRUTE_AGENT = "Mozilla/5.0 (Hydra)"
FLOOD_AGENT = "Go-http-client/1.1"
PRODUCTS = ["espresso-machine", "milk-frother", "coffee-grinder", "pour-over-kettle", "french-press",
            "travel-mug", "descaler", "paper-filters", "cold-brew-jar", "scale", "tamper", "knock-box"]
WORDS = ["coffee", "grinder", "filter", "mug", "kettle", "beans", "decaf", "scale", "gift", "sale"]
SCAN_PATHS = [
    "/.env", "/.env.bak", "/.env.local", "/.env.production", "/.git/config", "/.git/HEAD", "/.git/index",
    "/.svn/entries", "/.hg/store", "/.DS_Store", "/wp-login.php", "/wp-admin/", "/wp-admin/setup-config.php",
    "/wp-content/plugins/", "/wp-includes/wlwmanifest.xml", "/xmlrpc.php", "/wordpress/wp-login.php",
    "/blog/wp-login.php", "/phpmyadmin/", "/phpMyAdmin/index.php", "/pma/", "/myadmin/", "/mysql/admin/",
    "/admin.php", "/administrator/", "/admin/config.php", "/config.php", "/config.php.bak", "/configuration.php",
    "/config.json", "/config.yml", "/settings.py", "/web.config", "/server-status", "/server-info",
    "/phpinfo.php", "/info.php", "/test.php", "/shell.php", "/cmd.php", "/backup.zip", "/backup.tar.gz",
    "/backup.sql", "/db.sql", "/dump.sql", "/database.sql", "/site.tar.gz", "/www.zip", "/.aws/credentials",
    "/.ssh/id_rsa", "/.htaccess", "/.htpasswd", "/id_rsa", "/cgi-bin/test-cgi", "/cgi-bin/php",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/solr/admin/info/system", "/actuator/env",
    "/actuator/heapdump", "/api/v1/pods", "/console/", "/manager/html", "/jmx-console/", "/debug/pprof/",
    "/.vscode/sftp.json", "/sftp-config.json", "/composer.json", "/package.json", "/docker-compose.yml",
    "/Dockerfile", "/.dockerenv", "/owa/auth/logon.aspx", "/remote/login", "/boaform/admin/formLogin",
    "/HNAP1/", "/login.action", "/struts2-showcase/", "/telescope/requests", "/_ignition/health-check",
    "/laravel/.env",
]
assert len(SCAN_PATHS) == 80, len(SCAN_PATHS)


def now():
    return time.time()


class Driver:
    def __init__(self, args):
        self.port = args.nginx_port
        self.backend_port = args.backend_port
        self.workdir = args.workdir
        self.fail500 = os.path.join(args.workdir, "FAIL500")
        self.backend = None
        self.rng = random.Random(args.seed)
        self.lock = threading.Lock()
        self.sent = 0
        self.statuses = {}
        self.errors = 0
        # Clients 127.0.0.2-59 with a fixed agent each; activity skewed (a few heavy users, many light ones).
        self.clients = []
        for i in range(2, 60):
            agent = self.rng.choice(AGENTS[:7]) if i % 11 else self.rng.choice(AGENTS[7:])
            self.clients.append(("127.0.0.%d" % i, agent, 1.0 / (1 + (i - 2) % 17)))

    # --- the upstream -----------------------------------------------------------------------------------------
    def start_backend(self):
        self.backend = subprocess.Popen([sys.executable, os.path.join(HERE, "backend.py"), str(self.backend_port),
                                         self.fail500])
        deadline = now() + 10
        while now() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.backend_port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("backend did not start on 127.0.0.1:%d" % self.backend_port)

    def stop_backend(self):
        if self.backend and self.backend.poll() is None:
            self.backend.send_signal(signal.SIGTERM)
            self.backend.wait(10)
        self.backend = None

    # --- requests ---------------------------------------------------------------------------------------------
    def count(self, status):
        with self.lock:
            self.sent += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def request(self, client, agent, method, path, body=None, referer=None, conn=None, timeout=10):
        own = conn is None
        try:
            if own:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout, source_address=(client, 0))
            headers = {"Host": HOST, "User-Agent": agent, "Accept": "*/*", "Accept-Encoding": "gzip"}
            if referer:
                headers["Referer"] = referer
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            self.count(resp.status)
            return resp.status
        except (OSError, http.client.HTTPException):
            with self.lock:
                self.errors += 1
            if not own and conn is not None:
                conn.close()
            return None
        finally:
            if own and conn is not None:
                conn.close()

    def normal_request(self, rng):
        client, agent, _ = rng.choices(self.clients, weights=[c[2] for c in self.clients])[0]
        ref = "https://shop.example/" if rng.random() < 0.6 else None
        kinds = [
            (8, lambda: ("GET", "/")), (6, lambda: ("GET", "/static/css/app.3f9c1e.css")),
            (6, lambda: ("GET", "/static/js/app.8d41b2.js")),
            (12, lambda: ("GET", "/static/img/p%d.jpg" % rng.randint(1, 12))), (3, lambda: ("GET", "/favicon.ico")),
            (12, lambda: ("GET", "/products/" + rng.choice(PRODUCTS))),
            (5, lambda: ("GET", "/search?q=" + rng.choice(WORDS) + ("+" + rng.choice(WORDS) if rng.random() < .3 else ""))),
            (10, lambda: ("GET", "/api/items?page=%d" % rng.randint(1, 20))),
            (10, lambda: ("GET", "/api/items/%d" % rng.randint(1000, 9999))), (6, lambda: ("GET", "/api/cart")),
            (3, lambda: ("POST", "/api/cart")), (2, lambda: ("POST", "/api/checkout")),
            (1, lambda: ("GET", "/admin/login")), (0.3, lambda: ("POST", "/admin/login")),
            (0.5, lambda: ("GET", "/robots.txt")),
            # the usual 404s of a shop: a removed product, an old banner, a mistyped id
            (0.8, lambda: ("GET", "/products/discontinued-grinder")),
            (0.5, lambda: ("GET", "/static/img/old-banner.png")), (0.3, lambda: ("GET", "/api/items/undefined")),
        ]
        method, path = rng.choices([k[1] for k in kinds], weights=[k[0] for k in kinds])[0]()
        body = None
        # a browser's search box gives up after 0.8 s (searches take a few milliseconds when all is well)
        timeout = 0.8 if path.startswith("/search") else 10
        if method == "POST":
            body = "user=staff&password=correct-horse-battery" if path == "/admin/login" else "item=%d&qty=%d" % (
                rng.randint(1000, 9999), rng.randint(1, 3))
        return self.request(client, agent, method, path, body, ref, timeout=timeout)

    def normal_traffic(self, rate, duration=None, limit=None, stop=None):
        """Poisson arrivals at `rate` per second until duration passes, limit requests are done, or stop is set."""
        rng = random.Random(self.rng.random())
        end = now() + duration if duration else None
        pool = ThreadPoolExecutor(max_workers=32)
        futures = []
        nxt = now()
        last_monitor = 0
        n = 0
        while (end is None or now() < end) and (limit is None or n < limit) and not (stop and stop.is_set()):
            nxt += rng.expovariate(rate)
            delay = nxt - now()
            if delay > 0:
                time.sleep(delay)
            if now() - last_monitor >= 10:  # an uptime monitor polls every 10 s
                last_monitor = now()
                futures.append(pool.submit(self.request, MONITOR[0], MONITOR[1], "GET", "/healthz"))
            futures.append(pool.submit(self.normal_request, random.Random(rng.random())))
            n += 1
        for f in futures:
            f.result()
        pool.shutdown()

    # --- incidents --------------------------------------------------------------------------------------------
    def brute_force(self, labels, ident, client="127.0.0.200", attempts=150, seconds=25):
        users = ["admin", "administrator", "root", "staff", "shop", "test", "manager", "support"]
        words = ["123456", "password", "admin", "letmein", "qwerty", "shop2024", "welcome1", "changeme", "P@ssw0rd",
                 "dragon", "monkey", "summer2026", "winter2026", "iloveyou", "trustno1"]
        start = now()
        for i in range(attempts):
            body = "user=%s&password=%s" % (users[i % len(users)], words[(i * 7) % len(words)] + str(i // 15 or ""))
            self.request(client, BRUTE_AGENT, "POST", "/admin/login", body)
            time.sleep(max(0.0, start + (i + 1) * seconds / attempts - now()))
        labels.add(ident, start, now(), "auth-brute-force", client,
                   "%d POST /admin/login with wrong passwords from %s (answered 401 by the application), agent %s"
                   % (attempts, client, BRUTE_AGENT))

    def scan(self, labels, ident, client="127.0.0.150", seconds=10):
        start = now()
        for i, path in enumerate(SCAN_PATHS):
            self.request(client, SCANNER_AGENT, "GET", path)
            time.sleep(max(0.0, start + (i + 1) * seconds / len(SCAN_PATHS) - now()))
        labels.add(ident, start, now(), "vulnerability-scan", client,
                   "%d GET of /.env, /wp-login.php, /.git/config, ... (404) from %s with a Nikto agent"
                   % (len(SCAN_PATHS), client))

    def outage(self, labels, ident, seconds=20, kind="upstream-outage", influencer="%(upstream)s",
               description="backend %(upstream)s stopped for %(seconds)d s: nginx answers 502 (connect() failed, "
                           "connection refused)"):
        """Stops the backend for `seconds`; the label's influencer and description may name %(upstream)s and
        %(seconds)d, as the server in front words what it answers."""
        start = now()
        self.stop_backend()
        time.sleep(seconds)
        self.start_backend()
        words = {"upstream": "127.0.0.1:%d" % self.backend_port, "seconds": seconds}
        labels.add(ident, start, now(), kind, influencer % words, description % words)

    def flood(self, labels, ident, client="127.0.0.201", total=300, threads=30):
        barrier = threading.Barrier(threads)
        stamps = []

        def worker(k):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10, source_address=(client, 0))
            barrier.wait()
            stamps.append(now())
            for j in range(total // threads):
                if conn.sock is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10, source_address=(client, 0))
                self.request(client, FLOOD_AGENT, "GET", "/api/items?page=%d" % (1 + (k + j) % 20), conn=conn)
            conn.close()
            stamps.append(now())

        ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        labels.add(ident, min(stamps), max(stamps), "rate-limit-flood", client,
                   "%d GET /api/items in about one second from %s (%s); nginx limit_req answers 503 beyond 10 r/s"
                   % (total, client, FLOOD_AGENT))

    def burst500(self, labels, ident, total=80, threads=16):
        open(self.fail500, "w").close()
        barrier = threading.Barrier(threads)
        stamps = []
        rng = random.Random(self.rng.random())
        picks = [rng.choice(self.clients) for _ in range(total)]

        def worker(k):
            barrier.wait()
            stamps.append(now())
            for j in range(k, total, threads):
                client, agent, _ = picks[j]
                self.request(client, agent, "POST", "/api/checkout", "item=%d&qty=1" % rng.randint(1000, 9999),
                             "https://shop.example/api/cart")
            stamps.append(now())

        ts = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        os.remove(self.fail500)
        labels.add(ident, min(stamps), max(stamps), "http-5xx-burst", "/api/checkout",
                   "%d POST /api/checkout answered 500 by the backend within %.1f s (payment client failing)"
                   % (total, max(stamps) - min(stamps)))


    # --- held-out incidents -------------------------------------------------------------------------------------
    def slow_upstream(self, labels, ident, seconds=30):
        open(self.fail500 + ".slow", "w").close()
        start = now()
        time.sleep(seconds)
        os.remove(self.fail500 + ".slow")
        labels.add(ident, start, now(), "upstream-timeout", "/api/items|upstream timed out",
                   "backend answers /api/items after 3 s for %d s; nginx proxy_read_timeout 1s answers 504" % seconds)

    def paced(self, seconds, rate, send):
        """Calls send(i) `rate` times a second for `seconds`; returns (start, count)."""
        start = now()
        i = 0
        while now() < start + seconds:
            send(i)
            i += 1
            time.sleep(max(0.0, start + i / rate - now()))
        return start, i

    def scraper(self, labels, ident, client="127.0.0.77", seconds=45, rate=7):
        agent = "python-requests/2.32.3"
        rng = random.Random(7)
        start, n = self.paced(seconds, rate, lambda i: self.request(
            client, agent, "GET", "/api/items/%d" % rng.randint(1000, 9999) if i % 2 else "/api/items?page=%d" % (1 + i % 20)))
        labels.add(ident, start, now(), "scraper", client,
                   "%d GET /api/items... from %s (%s) at %d r/s, all answered 200" % (n, client, agent, rate))

    def big_uploads(self, labels, ident, client="127.0.0.88", seconds=12, rate=4):
        body = "x" * (2 * 1024 * 1024)
        start, n = self.paced(seconds, rate, lambda i: self.request(client, "curl/8.5.0", "POST", "/api/upload", body))
        labels.add(ident, start, now(), "payload-too-large", client + "|/api/upload",
                   "%d POST /api/upload of 2 MB from %s; client_max_body_size 1m answers 413" % (n, client))

    def retry_storm(self, labels, ident, client="127.0.0.123", seconds=40, rate=10):
        start, n = self.paced(seconds, rate, lambda i: self.request(
            client, "okhttp/4.12.0", "POST", "/api/cart", "item=4242&qty=1"))
        labels.add(ident, start, now(), "retry-storm", client,
                   "%d POST /api/cart from %s (okhttp) at %d r/s, answered 200: a mobile client retrying in a loop"
                   % (n, client, rate))

    def from_many(self, seed, seconds, rate, method, path, referer):
        """`rate` requests a second for `seconds`, each from a client of the usual population; returns (start, count)."""
        rng = random.Random(seed)

        def send(i):
            client, agent, _ = rng.choice(self.clients)
            self.request(client, agent, method, path, referer=referer)
        return self.paced(seconds, rate, send)

    def missing_asset(self, labels, ident, seconds=60, rate=6):
        start, n = self.from_many(11, seconds, rate, "GET", "/static/js/app.9e77aa.js", "https://shop.example/")
        labels.add(ident, start, now(), "missing-asset", "/static/js/app.9e77aa.js",
                   "%d GET of a script the new page references but the deploy did not ship (404), from many clients" % n)

    def flag(self, labels, ident, suffix, seconds, kind, influencer, description):
        """Holds the backend's FAIL500.<suffix> switch for `seconds` while normal traffic goes on."""
        open(self.fail500 + suffix, "w").close()
        start = now()
        time.sleep(seconds)
        os.remove(self.fail500 + suffix)
        labels.add(ident, start, now(), kind, influencer, description)

    def password_spray(self, labels, ident, clients=30, tries=4, seconds=40):
        rng = random.Random(13)
        sources = ["127.0.0.%d" % (150 + k) for k in range(clients)]
        users = ["admin", "staff", "shop", "manager", "support", "sales", "info", "office"]

        def send(i):
            body = "user=%s&password=%s" % (rng.choice(users), rng.choice(["Winter2026!", "Shop2026", "Passw0rd!"]))
            self.request(sources[i % clients], rng.choice(AGENTS[:7]), "POST", "/admin/login", body)
        start, n = self.paced(seconds, clients * tries / seconds, send)
        labels.add(ident, start, now(), "password-spray", "/admin/login",
                   "%d POST /admin/login with wrong passwords from %d clients (127.0.0.150-%d), %d each, answered 401"
                   % (n, clients, 149 + clients, tries))

    def preflight_storm(self, labels, ident, seconds=30, rate=8):
        start, n = self.from_many(17, seconds, rate, "OPTIONS", "/api/cart", "https://app.shop.example/")
        labels.add(ident, start, now(), "preflight-storm", "OPTIONS|/api/cart",
                   "%d OPTIONS /api/cart (CORS preflights of a new front end) from many clients; the application "
                   "answers 501" % n)

    def sqli_probe(self, labels, ident, client="127.0.0.99", seconds=40, rate=3):
        agent = "sqlmap/1.8.11#stable (https://sqlmap.org)"
        payloads = ["1' OR '1'='1", "1' AND SLEEP(5)-- -", "1 UNION SELECT NULL,NULL,NULL--", "1' ORDER BY 10-- -",
                    "1'; DROP TABLE users--", "1) AND 1=CONVERT(int,@@version)--", "' OR 1=1#", "1 AND 1=2",
                    "-1' UNION ALL SELECT table_name FROM information_schema.tables--", "1'||pg_sleep(5)--"]
        from urllib.parse import quote

        def send(i):
            p = payloads[i % len(payloads)]
            path = ("/search?q=" + quote(p), "/api/items?page=" + quote(p), "/api/items/" + quote(p))[i % 3]
            self.request(client, agent, "GET", path)
        start, n = self.paced(seconds, rate, send)
        labels.add(ident, start, now(), "sqli-probe", client,
                   "%d GET /search, /api/items with SQL-injection payloads from %s (sqlmap), answered 200 and 404"
                   % (n, client))


def at(t0, offset, fn, *a, **kw):
    def run():
        time.sleep(max(0.0, t0 + offset - now()))
        fn(*a, **kw)
    t = threading.Thread(target=run)
    t.start()
    return t


def main():
    p = argparse.ArgumentParser()
    p.add_argument("scenario", choices=["nginx-4min", "nginx-500burst", "nginx-10min", "heldout-a", "heldout-b",
                                             "heldout-c", "heldout-d", "haproxy-d", "apache-e"])
    p.add_argument("--nginx-port", type=int, required=True)
    p.add_argument("--backend-port", type=int, required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--labels", required=True)
    p.add_argument("--seed", type=int, default=2026)
    args = p.parse_args()
    d = Driver(args)
    labels = Labels()
    labels.note("made by bench/real-logs/%s: real %s %s in front of backend.py, clients on 127.0.0.0/8, "
                "wall-clock times" % (os.path.basename(__file__), {"haproxy": "HAProxy", "apache": "Apache httpd"}.get(
                    args.scenario.split("-")[0], "nginx"), args.scenario))
    d.start_backend()
    try:
        t0 = now()
        if args.scenario == "nginx-4min":
            incidents = [at(t0, 40, d.brute_force, labels, "brute-force"),
                         at(t0, 95, d.scan, labels, "scan"),
                         at(t0, 135, d.outage, labels, "outage"),
                         at(t0, 195, d.flood, labels, "flood")]
            d.normal_traffic(rate=25, duration=240)
            for t in incidents:
                t.join()
        elif args.scenario == "heldout-a":
            incidents = [at(t0, 50, d.slow_upstream, labels, "slow-upstream"),
                         at(t0, 120, d.scraper, labels, "scraper"),
                         at(t0, 230, d.big_uploads, labels, "uploads")]
            d.normal_traffic(rate=20, duration=170)
            s0 = now()
            time.sleep(60)
            labels.add("silence", s0, now(), "traffic-stop", "-",
                       "no client traffic for 60 s (the load balancer in front stopped sending)")
            d.normal_traffic(rate=20, duration=100)
            for t in incidents:
                t.join()
        elif args.scenario == "heldout-b":
            incidents = [at(t0, 60, d.retry_storm, labels, "retry-storm"),
                         at(t0, 150, d.missing_asset, labels, "missing-asset")]
            d.normal_traffic(rate=12, duration=240)
            s0 = now()
            d.normal_traffic(rate=4, duration=90)
            labels.add("traffic-third", s0, now(), "traffic-drop", "-",
                       "client traffic falls from 12 to 4 requests a second for 90 s")
            d.normal_traffic(rate=12, duration=60)
            for t in incidents:
                t.join()
        elif args.scenario == "heldout-c":
            incidents = [at(t0, 50, d.flag, labels, "redirect-loop", ".redirect", 45, "redirect-loop", "/products",
                            "a bad rewrite: every product page answers 301 to itself with or without a slash"),
                         at(t0, 130, d.password_spray, labels, "password-spray"),
                         at(t0, 200, d.flag, labels, "huge-lists", ".huge", 60, "response-size", "/api/items",
                            "a paging bug: GET /api/items answers the whole catalogue, about 300 kB instead of 1-3 kB,"
                            " all 200"),
                         at(t0, 290, d.preflight_storm, labels, "preflight-storm")]
            d.normal_traffic(rate=15, duration=360)
            for t in incidents:
                t.join()
        elif args.scenario == "heldout-d":
            incidents = [at(t0, 50, d.flag, labels, "latency-rise", ".sluggish", 60, "latency-rise", "request_time|/api",
                            "a saturated database: every /api/ request takes 0.3-0.6 s instead of a few ms, all 200"),
                         at(t0, 140, d.sqli_probe, labels, "sqli-probe"),
                         at(t0, 205, d.flag, labels, "flaky-cart", ".flaky", 80, "partial-errors", "/api/cart|503",
                            "/api/cart answers 503 three times in ten for 80 s (its inventory dependency failing)"),
                         at(t0, 310, d.flag, labels, "search-stall", ".stall", 45, "client-aborts", "/search|499",
                            "searches take 4 s: browsers give up after 0.8 s and nginx logs 499")]
            d.normal_traffic(rate=15, duration=385)
            for t in incidents:
                t.join()
        elif args.scenario == "haproxy-d":
            incidents = [at(t0, 50, d.outage, labels, "server-down", 40, "server-down", "s1|%(upstream)s",
                            "server s1 (%(upstream)s) stopped for %(seconds)d s: its health check fails and HAProxy "
                            "takes it out, then back"),
                         at(t0, 140, d.flag, labels, "slow-items", ".slow", 30, "upstream-timeout", "/api/items|504",
                            "/api/items takes 3 s on both servers for 30 s; HAProxy's timeout server 1s answers 504"),
                         at(t0, 220, d.flag, labels, "all-down", ".unhealthy", 20, "backend-down", "no server available",
                            "both servers fail their health check (503) for 20 s: HAProxy has no server and answers 503")]
            d.normal_traffic(rate=15, duration=300)
            for t in incidents:
                t.join()
        elif args.scenario == "apache-e":
            incidents = [at(t0, 50, d.outage, labels, "backend-down", 30, "upstream-outage", "%(upstream)s",
                            "backend %(upstream)s stopped for %(seconds)d s: Apache answers 503 (AH00957, connection "
                            "refused)"),
                         at(t0, 130, d.password_spray, labels, "password-spray"),
                         at(t0, 230, d.flag, labels, "slow-items", ".slow", 30, "upstream-timeout", "/api/items|502",
                            "/api/items takes 3 s for 30 s; Apache's ProxyTimeout 1 answers 502 (AH01102, timeout reading the status line)")]
            d.normal_traffic(rate=15, duration=330)
            for t in incidents:
                t.join()
        elif args.scenario == "nginx-500burst":
            d.normal_traffic(rate=25, limit=300)
            d.burst500(labels, "burst500")
        else:
            stop = threading.Event()
            incident = at(t0, 300, d.burst500, labels, "burst500")
            d.normal_traffic(rate=8, duration=600, stop=stop)
            incident.join()
        labels.rows.sort(key=lambda r: r[1])
        labels.write(args.labels)
        print("%s: %d requests, statuses %s, client errors %d" % (args.scenario, d.sent, dict(sorted(d.statuses.items())),
                                                                  d.errors), file=sys.stderr)
    finally:
        d.stop_backend()


if __name__ == "__main__":
    main()
