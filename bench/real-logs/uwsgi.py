#!/usr/bin/env python3
"""Runs a real uWSGI (Debian uwsgi 2.0.21 with uwsgi-plugin-python3) serving a bicycle-parts wholesaler's catalogue
API to its dealers (a plain WSGI application the script writes, SQLite behind it, and a warehouse "stock service"
the script runs as its backend) on 127.0.0.1, drives the traffic of the dealers' systems, injects labelled
incidents and keeps uWSGI's log exactly as uWSGI wrote it (logto): the master's and workers' own lines with
log-date ("Thu Dec  3 13:04:48 2026 - *** HARAKIRI ON WORKER 2 (pid: 10885, try: 1) ***", "... - Respawned uWSGI
worker 2 (new pid: 11114)", "... - [uwsgi-cron] running ..."), the default request-log lines ("[pid: 10886|app:
0|req: 2/4] 127.0.0.10 () {34 vars in 512 bytes} [Thu Dec  3 13:04:42 2026] GET /api/v2/parts/BRK-01234 =>
generated 412 bytes in 23 msecs (HTTP/1.1 200) 2 headers in 80 bytes (1 switches on core 0)"), and whatever the
application and its cron job write to stdout/stderr (the app's Python `logging` lines "2026-12-03 13:04:42,123
WARNING parts_api.stock: ...", uWSGI's tracebacks of exceptions the app raises, "OSError: write error").

usage: bench/real-logs/uwsgi.py OUTDIR [PORT]      (default port 20151; the stock service listens on PORT+1)
  writes OUTDIR/uwsgi-l.log (gzipped over 1 MB) and OUTDIR/uwsgi-l.labels.tsv
  SCALE=0.1 multiplies every duration (a short run for testing; the incidents keep the few seconds they need)
Needs (Debian): uwsgi, uwsgi-plugin-python3 (the app runs in its embedded Python 3.11, standard library only); the
driver itself is standard library only; run as root (uWSGI drops to www-data as Debian's default.ini does).

uWSGI runs as `uwsgi --ini WORK/app.ini` (TZ=UTC) in a temporary work dir, from an ini as an operator writes it on
top of Debian's /usr/share/uwsgi/conf/default.ini (master, no-orphans, log-date, uid/gid www-data): plugins =
python3, http-socket = 127.0.0.1:PORT, 4 processes, lazy-apps with touch-chain-reload (zero-downtime deploys:
releases in WORK/app/releases/<release>, the symlink WORK/app/current switched, WORK/app/reload.touch touched),
enable-threads, single-interpreter, thunder-lock, need-app, harakiri 20 with harakiri-verbose, max-requests 500,
listen 100, die-on-term, vacuum, pidfile, logto WORK/log/uwsgi.log, env PARTS_API_SETTINGS (WORK/app/shared/
settings.ini), and uWSGI's cron running the ERP price import (jobs/import_prices.py) every 2 minutes.
The application (parts_api.py, plain WSGI) keeps the catalogue (60000 parts) and dealers' quotes in SQLite
(WORK/data/parts.db, WAL) and asks the warehouse's stock service (HTTP on 127.0.0.1:PORT+1, run by the script;
10-60 ms, a 503 for about 1 request in 90, which the app retries once with a warning) for stock levels, with the
client timeout from settings.ini: 30 s (longer than harakiri: the mistake the first incident shows). Exceptions the
app does not catch go to uWSGI, which prints the traceback and logs the request with status 500.

Normal traffic (about 3.5 requests/s): the dealer portal's two web front ends 127.0.0.10-11 (category pages, part
pages, searches, availability checks of carts, quotes, an unknown SKU now and then: 404), the sales reps' mobile app
backend 127.0.0.12 (the same, bad input now and then: 400/422; and now and then a rep opening the price list and
leaving before it has downloaded: "uwsgi_response_write_body_do(): Connection reset by peer ... during GET
/api/v2/export/pricelist.csv (127.0.0.12)" and "OSError: write error"), the dealer Velo Nord's ERP 127.0.0.21
polling availability every 15 s, the dealer Rad & Tour's web shop 127.0.0.22 downloading the whole price list
every 100-140 s, an old integration 127.0.0.23 still using a revoked API key (401 and a warning, about once a
minute), the back office 127.0.0.30 (quote lists and quotes), the monitoring's /healthz every 10 s from 127.0.0.2,
vulnerability scanners 127.0.0.70-72 (404s). Routine noise: stock service 503s (retried, warnings), workers replaced by
the chain reloads of deploys ("chain next victim is worker 1", "Gracefully killing worker 1 (pid: N)...", "worker 1
killed successfully", "Respawned uWSGI worker 1"; max-requests 500 is rarely reached: the deploys and harakiri
replace the workers first), the price import job every 2 minutes ("[uwsgi-cron] running ...", its own output, "... exited after 1
second(s)"), a routine deploy (release 2026.12.2, chain reload) 40 s in.
Incidents (about 9 minutes in all: 90 s of normal traffic, each incident followed by 90-100 s of it):
  stock-hang     the warehouse stock service (127.0.0.1:PORT+1) stops answering (accepts and hangs) for 45 s: every
                 request that asks it for stock (part pages, availability, quotes) holds its worker; the app's 30 s
                 client timeout is longer than harakiri (20 s), so uWSGI kills them: "*** HARAKIRI ON WORKER N (pid:
                 P, try: 1) ***", "HARAKIRI [core 0] 127.0.0.10 - GET /api/v2/parts/... since ...", "DAMN ! worker N
                 (pid: P) died, killed by signal 9 :( trying respawn ...", "Respawned uWSGI worker N"; the other
                 requests wait in the listen queue meanwhile (their clients give up: write errors when they are
                 finally served); 30 s after it the admin lowers the stock timeout to 4 s (chain reload)
  crawler-flood  a competitor's price scraper on 127.0.0.66 crawls the public search and category pages with 140
                 parallel connections for 45 s: the 4 workers are busy with it, the listen queue overflows: "***
                 uWSGI listen queue of socket "127.0.0.1:PORT" (fd: 3) full !!! (101/100) ***" every second or two,
                 hundreds of request lines of 127.0.0.66 (GET /api/v2/search?q=...); the dealers' requests wait
                 seconds in the queue behind it (their request lines do not show the wait), a few time out
  bad-deploy     release 2026.12.3 (volume price breaks, with a migration adding parts.price_breaks, filled only for
                 the few parts the pricing team has entered) is deployed (chain reload): its dealer price code does
                 json.loads(row["price_breaks"]), which is NULL for most parts: GET /api/v2/parts/<sku> and POST
                 /api/v2/quotes raise "TypeError: the JSON object must be str, bytes or bytearray, not NoneType",
                 uWSGI prints the tracebacks and logs the requests with (HTTP/1.1 500) and 0 bytes; rolled back to
                 2026.12.2 (chain reload) after 60 s
"""
import calendar
import http.client
import json
import os
import pwd
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

from drivers import begin, stop_process, descendants, kill_leftovers, wait_listening, keep_log, now, sleep_until, SessionPool, StandIn, send_json
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 20151
STOCK_PORT = PORT + 1
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "uwsgi-l"
UWSGI = "/usr/bin/uwsgi"
HARAKIRI = 20

WEB = ["127.0.0.10", "127.0.0.11"]
MOBILE = "127.0.0.12"
VELO_NORD = "127.0.0.21"
RAD_TOUR = "127.0.0.22"
LEGACY = "127.0.0.23"
BACKOFFICE = "127.0.0.30"
MONITOR = "127.0.0.2"
SCANNERS = ["127.0.0.70", "127.0.0.71", "127.0.0.72"]
CRAWLER = "127.0.0.66"

KEYS = {"portal": ("k_portal_8d1f4a2c9e", "portal", "B"), "mobile": ("k_mobile_3b7e0c5d12", "sales-app", "B"),
        "velo-nord": ("k_dlr_velonord_51c2e9", "dealer-1042", "A"),
        "rad-tour": ("k_dlr_radtour_c07d83", "dealer-2291", "C"),
        "backoffice": ("k_bo_e96a1f0b44", "backoffice", "A")}
REVOKED_KEY = "k_dlr_zweirad_9a04b1"
DEALERS = random.Random(11).sample(range(1000, 3000), 60)
UA = {"web": "dealer-portal/4.2.0 (node-fetch)", "mobile": "SalesRep/3.8.1 okhttp/4.12.0",
      "velo-nord": "VeloNord-ERP/7.1 (Dynamics NAV connector)", "rad-tour": "Shopware/6.5.8 parts-sync/1.3",
      "legacy": "Java/1.8.0_202", "backoffice": "backoffice-ui/2.4.0 axios/1.6.2",
      "monitor": "Blackbox Exporter/0.24.0",
      "crawler": "Mozilla/5.0 (compatible; PartsPriceBot/2.1; +https://pricewatch.example/bot)"}

CATEGORIES = [("BRK", "brakes"), ("DRV", "drivetrain"), ("WHL", "wheels"), ("TYR", "tyres"), ("LGT", "lighting"),
              ("TLS", "tools"), ("BRG", "bearings"), ("CBL", "cables"), ("SDL", "saddles"), ("HND", "cockpit")]
BRANDS = ["Shimano", "SRAM", "Magura", "Tektro", "Schwalbe", "Continental", "Busch+Müller", "Sigma", "Park Tool",
          "Enduro", "Jagwire", "Selle Italia", "Ergon", "DT Swiss", "KMC", "Campagnolo", "Brooks", "Sunrace",
          "Mavic", "Lezyne"]
WORDS = {"brakes": ["brake pad set", "disc rotor 160 mm", "disc rotor 180 mm", "hydraulic brake lever",
                    "brake caliper", "rim brake shoe", "bleed kit", "mineral oil 100 ml", "brake hose 1700 mm"],
         "drivetrain": ["chain 11-speed", "chain 12-speed", "cassette 11-34", "cassette 10-51", "rear derailleur",
                        "front derailleur", "chainring 34T", "crankset", "bottom bracket BSA", "shifter right"],
         "wheels": ["rear wheel 28\"", "front wheel 27.5\"", "hub 32h", "spoke 2.0 mm", "rim tape", "quick release",
                    "thru axle 12x142", "freehub body"],
         "tyres": ["tyre 700x28c", "tyre 29x2.25", "inner tube presta", "inner tube schrader", "tubeless sealant",
                   "tubeless valve", "tyre lever set"],
         "lighting": ["LED front light 70 lux", "rear light dynamo", "hub dynamo", "battery light USB-C",
                      "light bracket"],
         "tools": ["torque wrench 2-24 Nm", "chain checker", "cassette lockring tool", "hex key set",
                   "bottom bracket tool", "spoke wrench", "work stand"],
         "bearings": ["cartridge bearing 6902", "cartridge bearing 6803", "headset bearing", "bearing press"],
         "cables": ["shift cable inner", "brake cable outer 5 mm", "cable end caps", "housing ferrules"],
         "saddles": ["saddle comfort", "saddle sport", "seatpost clamp", "seatpost 27.2"],
         "cockpit": ["handlebar 780 mm", "stem 70 mm", "grips lock-on", "bar tape", "headset spacer set"]}
SEARCH_TERMS = ["brake pad", "disc rotor", "chain 11", "cassette", "derailleur", "bottom bracket", "tubeless",
                "inner tube", "hub dynamo", "bearing 6902", "shimano", "deore", "magura", "schwalbe", "spoke",
                "thru axle", "bleed kit", "crankset", "light", "saddle", "stem", "grips", "rim tape", "freehub",
                "presta", "12-speed", "torque wrench", "cable", "sram", "continental"]
SCAN_PATHS = ["/wp-login.php", "/.env", "/.git/config", "/phpmyadmin/", "/actuator/health", "/admin/",
              "/server-status", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/config.json",
              "/.aws/credentials", "/api/swagger.json", "/console", "/login.action", "/cgi-bin/luci"]

UWSGI_INI = """\
[uwsgi]
; parts-api: the dealer catalogue API (managed by ops; based on Debian's /usr/share/uwsgi/conf/default.ini)
plugins = python3
http-socket = 127.0.0.1:@PORT@
uid = www-data
gid = www-data
chdir = @WORK@/app
wsgi-file = @WORK@/app/current/parts_api.py
env = PARTS_API_SETTINGS=@WORK@/app/shared/settings.ini
env = TZ=UTC

master = true
processes = 4
enable-threads = true
single-interpreter = true
need-app = true
thunder-lock = true
no-orphans = true
vacuum = true
die-on-term = true
pidfile = @WORK@/run/uwsgi.pid
listen = 100
buffer-size = 8192

; deploys: switch app/current, touch app/reload.touch (workers replaced one by one)
lazy-apps = true
touch-chain-reload = @WORK@/app/reload.touch

; a request may take 20 s at most; recycle workers now and then (the app grows a little)
harakiri = @HARAKIRI@
harakiri-verbose = true
max-requests = 500

logto = @WORK@/log/uwsgi.log
log-date = true

; ERP price feed import every 2 minutes
cron2 = minute=-2,unique=1 /usr/bin/python3 @WORK@/app/current/jobs/import_prices.py
"""

SETTINGS_INI = """\
[database]
path = @WORK@/data/parts.db

[stock]
url = http://127.0.0.1:@STOCK_PORT@
; seconds
timeout = @TIMEOUT@

[api_keys]
@KEYS@
"""

APP_SOURCE = r'''"""parts-api: the spare-parts catalogue, availability and quotes API of the dealer portal (WSGI, run by uWSGI)."""
import configparser
import csv
import http.client
import io
import json
import logging
import os
import re
import sqlite3
import sys
import time
import urllib.parse

RELEASE = "@RELEASE@"

cfg = configparser.ConfigParser()
cfg.read(os.environ["PARTS_API_SETTINGS"])
DB = cfg["database"]["path"]
STOCK = urllib.parse.urlsplit(cfg["stock"]["url"])
STOCK_TIMEOUT = cfg.getfloat("stock", "timeout")
KEYS = {k: tuple(v.split(":")) for k, v in cfg["api_keys"].items()}
TIER_DISCOUNT = {"A": 32, "B": 28, "C": 25, "-": 0}

logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                    format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("parts_api")
slog = logging.getLogger("parts_api.stock")
alog = logging.getLogger("parts_api.auth")
qlog = logging.getLogger("parts_api.quotes")

STATUS = {200: "200 OK", 201: "201 Created", 400: "400 Bad Request", 401: "401 Unauthorized", 404: "404 Not Found",
          405: "405 Method Not Allowed", 422: "422 Unprocessable Entity", 503: "503 Service Unavailable"}
PART_COLUMNS = "sku, name, category, brand, description, list_price_cents, weight_g, popularity@EXTRA_COLUMNS@"

_conn = None


def db():
    global _conn
    if _conn is None:
        _conn = sqlite3.connect(DB, timeout=5, isolation_level=None)
        _conn.row_factory = sqlite3.Row
    return _conn


class StockUnavailable(Exception):
    pass


def stock(path):
    """GET path on the warehouse's stock service; one retry on a 5xx or a connection error."""
    for attempt in (1, 2):
        conn = http.client.HTTPConnection(STOCK.hostname, STOCK.port, timeout=STOCK_TIMEOUT)
        try:
            conn.request("GET", path, headers={"Accept": "application/json", "User-Agent": "parts-api/" + RELEASE})
            r = conn.getresponse()
            body = r.read()
        except (OSError, http.client.HTTPException) as e:
            slog.warning("stock service GET %s failed (attempt %d/2): %s", path[:80], attempt, e or type(e).__name__)
            continue
        finally:
            conn.close()
        if r.status == 200:
            return json.loads(body)
        slog.warning("stock service answered %d to GET %s (attempt %d/2)", r.status, path[:80], attempt)
    raise StockUnavailable(path)


def dealer_price(row, tier, qty=1):
    price = row["list_price_cents"] * (100 - TIER_DISCOUNT[tier]) // 100
@PRICE_BREAKS@    return price


def send(start_response, status, body, headers=()):
    data = json.dumps(body, separators=(",", ":")).encode()
    start_response(STATUS[status], [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
                   + list(headers))
    return [data]


def intarg(qs, name, default, low, high):
    try:
        v = int(qs.get(name, [default])[0])
    except ValueError:
        raise BadRequest("%s must be a number" % name)
    if not low <= v <= high:
        raise BadRequest("%s must be between %d and %d" % (name, low, high))
    return v


class BadRequest(Exception):
    pass


# ---- handlers: (environ, start_response, client, qs, *groups) ------------------------------------------------

def healthz(env, sr, client, qs):
    db().execute("SELECT 1").fetchone()
    return send(sr, 200, {"status": "ok", "release": RELEASE})


def categories(env, sr, client, qs):
    rows = db().execute("SELECT category, count(*) AS n FROM parts GROUP BY category ORDER BY category").fetchall()
    return send(sr, 200, {"categories": [dict(r) for r in rows]})


def part_list(env, sr, client, qs):
    cat = qs.get("category", [""])[0]
    page = intarg(qs, "page", 1, 1, 10000)
    per = intarg(qs, "per_page", 50, 1, 100)
    rows = db().execute("SELECT sku, name, brand, list_price_cents FROM parts WHERE category = ? ORDER BY sku "
                        "LIMIT ? OFFSET ?", (cat, per, (page - 1) * per)).fetchall()
    return send(sr, 200, {"category": cat, "page": page, "parts": [dict(r) for r in rows]})


def search(env, sr, client, qs):
    q = qs.get("q", [""])[0].strip()
    if len(q) < 3:
        raise BadRequest("q must have at least 3 characters")
    page = intarg(qs, "page", 1, 1, 400)
    like = "%" + q.replace("%", "") + "%"
    total = db().execute("SELECT count(*) FROM parts WHERE name LIKE ? OR description LIKE ? OR brand LIKE ?",
                         (like, like, like)).fetchone()[0]
    rows = db().execute("SELECT sku, name, brand, category, list_price_cents FROM parts WHERE name LIKE ? OR "
                        "description LIKE ? OR brand LIKE ? ORDER BY popularity DESC LIMIT 25 OFFSET ?",
                        (like, like, like, (page - 1) * 25)).fetchall()
    return send(sr, 200, {"q": q, "total": total, "page": page, "parts": [dict(r) for r in rows]})


def part(env, sr, client, qs, sku):
    row = db().execute("SELECT %s FROM parts WHERE sku = ?" % PART_COLUMNS, (sku,)).fetchone()
    if row is None:
        return send(sr, 404, {"error": "unknown part", "sku": sku})
    out = {k: row[k] for k in ("sku", "name", "category", "brand", "description", "weight_g")}
    if client:
        out["list_price_cents"] = row["list_price_cents"]
        out["dealer_price_cents"] = dealer_price(row, client[1])
    try:
        s = stock("/v1/stock/" + urllib.parse.quote(sku))
        out["stock"] = {"on_hand": s["on_hand"], "warehouse": s["warehouse"], "restock": s.get("restock")}
    except StockUnavailable:
        out["stock"] = None
    return send(sr, 200, out)


def availability(env, sr, client, qs):
    skus = [s for s in qs.get("skus", [""])[0].split(",") if s]
    if not skus or len(skus) > 50:
        raise BadRequest("skus: 1 to 50 part numbers")
    try:
        s = stock("/v1/stock?skus=" + ",".join(urllib.parse.quote(x) for x in skus))
    except StockUnavailable:
        return send(sr, 503, {"error": "stock service unavailable, try again later"})
    return send(sr, 200, {"items": s["items"]})


def read_json(env):
    try:
        n = int(env.get("CONTENT_LENGTH") or 0)
        return json.loads(env["wsgi.input"].read(n))
    except ValueError:
        raise BadRequest("malformed JSON body")


def create_quote(env, sr, client, qs):
    body = read_json(env)
    lines = body.get("lines") if isinstance(body, dict) else None
    if not lines or not isinstance(lines, list):
        raise BadRequest("lines missing")
    rows = []
    for ln in lines:
        qty = ln.get("qty")
        if not isinstance(qty, int) or qty <= 0 or qty > 500:
            return send(sr, 422, {"error": "qty must be 1..500", "sku": ln.get("sku")})
        row = db().execute("SELECT %s FROM parts WHERE sku = ?" % PART_COLUMNS, (ln.get("sku"),)).fetchone()
        if row is None:
            return send(sr, 422, {"error": "unknown part", "sku": ln.get("sku")})
        rows.append((row, qty))
    try:
        s = stock("/v1/stock?skus=" + ",".join(urllib.parse.quote(r["sku"]) for r, _ in rows))
    except StockUnavailable:
        return send(sr, 503, {"error": "stock service unavailable, quote not created"})
    on_hand = {i["sku"]: i["on_hand"] for i in s["items"]}
    out = [{"sku": r["sku"], "qty": q, "unit_cents": dealer_price(r, client[1], q),
            "available": on_hand.get(r["sku"], 0) >= q} for r, q in rows]
    total = sum(o["unit_cents"] * o["qty"] for o in out)
    dealer = body.get("dealer") or client[0]
    cur = db().execute("INSERT INTO quotes (dealer, created, status, total_cents, lines, source) "
                       "VALUES (?, ?, 'open', ?, ?, ?)", (dealer, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                                          total, json.dumps(out), client[0]))
    qlog.info("quote Q-%d created for %s via %s: %d lines, %.2f EUR", cur.lastrowid, dealer, client[0], len(out),
              total / 100.0)
    return send(sr, 201, {"id": "Q-%d" % cur.lastrowid, "total_cents": total, "lines": out})


def get_quote(env, sr, client, qs, qid):
    row = db().execute("SELECT * FROM quotes WHERE id = ?", (int(qid),)).fetchone()
    if row is None:
        return send(sr, 404, {"error": "unknown quote", "id": "Q-" + qid})
    out = dict(row)
    out["lines"] = json.loads(out["lines"])
    out["id"] = "Q-%d" % out["id"]
    return send(sr, 200, out)


def list_quotes(env, sr, client, qs):
    status = qs.get("status", ["open"])[0]
    limit = intarg(qs, "limit", 50, 1, 200)
    rows = db().execute("SELECT id, dealer, created, status, total_cents FROM quotes WHERE status = ? "
                        "ORDER BY id DESC LIMIT ?", (status, limit)).fetchall()
    return send(sr, 200, {"quotes": [dict(r, id="Q-%d" % r["id"]) for r in rows]})


def pricelist(env, sr, client, qs):
    cur = db().execute("SELECT %s FROM parts ORDER BY sku" % PART_COLUMNS)
    sr("200 OK", [("Content-Type", "text/csv; charset=utf-8"),
                  ("Content-Disposition", "attachment; filename=pricelist-%s.csv" % time.strftime("%Y%m%d"))])

    def rows():
        yield "sku;name;category;brand;list_price;dealer_price;weight_g\r\n".encode()
        while True:
            chunk = cur.fetchmany(500)
            if not chunk:
                break
            buf = io.StringIO()
            w = csv.writer(buf, delimiter=";")
            for r in chunk:
                w.writerow([r["sku"], r["name"], r["category"], r["brand"], "%.2f" % (r["list_price_cents"] / 100),
                            "%.2f" % (dealer_price(r, client[1]) / 100), r["weight_g"]])
            yield buf.getvalue().encode()
    return rows()


ROUTES = [("GET", r"/healthz", healthz, False),
          ("GET", r"/api/v2/categories", categories, False),
          ("GET", r"/api/v2/parts", part_list, False),
          ("GET", r"/api/v2/parts/([A-Za-z0-9-]+)", part, False),
          ("GET", r"/api/v2/search", search, False),
          ("GET", r"/api/v2/availability", availability, True),
          ("POST", r"/api/v2/quotes", create_quote, True),
          ("GET", r"/api/v2/quotes", list_quotes, True),
          ("GET", r"/api/v2/quotes/Q-(\d+)", get_quote, True),
          ("GET", r"/api/v2/export/pricelist.csv", pricelist, True)]
ROUTES = [(m, re.compile("^%s$" % p), fn, auth) for m, p, fn, auth in ROUTES]


def application(environ, start_response):
    method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
    qs = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    matched = [(m, rx.match(path), fn, auth) for m, rx, fn, auth in ROUTES if rx.match(path)]
    if not matched:
        return send(start_response, 404, {"error": "not found"})
    for m, mt, fn, auth in matched:
        if m != method:
            continue
        key = environ.get("HTTP_X_API_KEY")
        client = KEYS.get(key) if key else None
        if key and client is None:
            alog.warning("rejected API key %s... from %s (%s) for %s %s", key[:10], environ.get("REMOTE_ADDR"),
                         environ.get("HTTP_USER_AGENT", "-"), method, path)
            return send(start_response, 401, {"error": "invalid API key"})
        if auth and client is None:
            return send(start_response, 401, {"error": "API key required"})
        try:
            return fn(environ, start_response, client, qs, *mt.groups())
        except BadRequest as e:
            return send(start_response, 400, {"error": str(e)})
    return send(start_response, 405, {"error": "method not allowed"})


log.info("parts-api %s loaded in worker %d (db %s, stock service %s timeout %gs)", RELEASE, os.getpid(), DB,
         cfg["stock"]["url"], STOCK_TIMEOUT)
'''

PRICE_BREAKS = '''\
    # volume price breaks (2026.12.3): [{"min_qty": 10, "pct": 5}, ...]
    breaks = json.loads(row["price_breaks"])
    for b in sorted(breaks, key=lambda b: b["min_qty"]):
        if qty >= b["min_qty"]:
            price = price * (100 - b["pct"]) // 100
'''

IMPORT_JOB = r'''#!/usr/bin/python3
"""import_prices: applies the ERP's list price changes to the catalogue (run by uWSGI's cron every 2 minutes)."""
import configparser
import os
import random
import sqlite3
import time

cfg = configparser.ConfigParser()
cfg.read(os.environ["PARTS_API_SETTINGS"])
t0 = time.time()
rng = random.Random()
feed = "erp-prices-%s.csv" % time.strftime("%Y%m%dT%H%M", time.gmtime())
conn = sqlite3.connect(cfg["database"]["path"], timeout=30, isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
rows = conn.execute("SELECT sku, list_price_cents FROM parts ORDER BY random() LIMIT ?",
                    (rng.randint(40, 160),)).fetchall()
for sku, price in rows:
    conn.execute("UPDATE parts SET list_price_cents = ? WHERE sku = ?", (int(price * rng.uniform(0.97, 1.06)), sku))
time.sleep(rng.uniform(0.3, 1.2))
conn.execute("COMMIT")
if rng.random() < 0.3:
    print("import_prices: WARNING %s: %d rows skipped, unknown SKU (first: %s)"
          % (feed, rng.randint(1, 4), rng.choice(["BRK-9%04d", "DRV-8%04d", "XX-%05d"]) % rng.randint(0, 9999)),
          flush=True)
print("import_prices: %s: %d list prices updated in %.1fs" % (feed, len(rows), time.time() - t0), flush=True)
'''


# ---- the stock service ---------------------------------------------------------------------------------------------

class StockService(StandIn):
    """The warehouse's stock service on 127.0.0.1:STOCK_PORT: GET /v1/stock/<sku> and /v1/stock?skus=a,b,..
    answer after 10-60 ms, 503 for about 1 in 90; mode "hang" accepts and never answers until the mode changes."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler
        super().__init__()
        svc = self
        self.rng = random.Random(42)
        self.hung = []          # times of the requests held while it hangs

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                if svc.mode == "hang":
                    with svc.lock:
                        svc.hung.append(time.time())
                    svc.count("hung")
                    deadline = time.time() + 300
                    while svc.mode == "hang" and time.time() < deadline:
                        time.sleep(0.2)
                with svc.lock:
                    r, delay = svc.rng.random(), svc.rng.uniform(0.01, 0.06)
                time.sleep(delay)
                path = self.path.split("?")[0]
                if r < 0.011:
                    status, body = 503, {"error": "backend busy"}
                elif path.startswith("/v1/stock/"):
                    status, body = 200, svc.level(path[len("/v1/stock/"):])
                elif path == "/v1/stock":
                    skus = self.path.partition("skus=")[2].split(",")
                    status, body = 200, {"items": [svc.level(s) for s in skus if s]}
                else:
                    status, body = 404, {"error": "not found"}
                svc.count(str(status))
                if not send_json(self, status, body):
                    svc.count("write failed")

        self.serve(STOCK_PORT, Handler, queue=128)

    def level(self, sku):
        h = sum(ord(c) * (i + 7) for i, c in enumerate(sku))
        on_hand = max(0, h % 140 - 20 + int(time.time() / 60) % 7)
        return {"sku": sku, "on_hand": on_hand, "warehouse": "DUS" if h % 3 else "LEJ",
                "restock": None if on_hand else "2026-12-%02d" % (10 + h % 15)}



# ---- the server ----------------------------------------------------------------------------------------------------

class Uwsgi:
    def __init__(self, work):
        self.work = work
        self.app = os.path.join(work, "app")
        self.releases = os.path.join(self.app, "releases")
        self.shared = os.path.join(self.app, "shared")
        self.logdir = os.path.join(work, "log")
        self.data = os.path.join(work, "data")
        self.run = os.path.join(work, "run")
        for d in (self.releases, self.shared, self.logdir, self.data, self.run):
            os.makedirs(d)
        self.log = os.path.join(self.logdir, "uwsgi.log")
        self.dbfile = os.path.join(self.data, "parts.db")
        self.ini = os.path.join(work, "app.ini")
        self.touch = os.path.join(self.app, "reload.touch")
        self.timeout = 30
        self.proc = None
        self.out = None
        www = pwd.getpwnam("www-data")
        self.uid, self.gid = www.pw_uid, www.pw_gid

    def setup(self, rng):
        with open(self.ini, "w") as f:
            f.write(UWSGI_INI.replace("@PORT@", str(PORT)).replace("@WORK@", self.work)
                    .replace("@HARAKIRI@", str(HARAKIRI)))
        self.write_settings()
        with open(self.touch, "w"):
            pass
        self.skus = seed_db(self.dbfile, rng)
        for d in (self.data, self.run):
            os.chown(d, self.uid, self.gid)
        for f in os.listdir(self.data):
            os.chown(os.path.join(self.data, f), self.uid, self.gid)
        self.deploy("2026.12.1", reload=False)

    def write_settings(self):
        keys = "\n".join("%s = %s:%s" % (k, who, tier) for k, who, tier in KEYS.values())
        tmp = os.path.join(self.shared, "settings.ini.new")
        with open(tmp, "w") as f:
            f.write(SETTINGS_INI.replace("@WORK@", self.work).replace("@STOCK_PORT@", str(STOCK_PORT))
                    .replace("@TIMEOUT@", str(self.timeout)).replace("@KEYS@", keys))
        os.replace(tmp, os.path.join(self.shared, "settings.ini"))

    def deploy(self, release, bad=False, reload=True):
        """Writes the release (when new), switches app/current to it and touches the chain-reload file."""
        d = os.path.join(self.releases, release)
        if not os.path.isdir(d):
            os.makedirs(os.path.join(d, "jobs"))
            src = APP_SOURCE.replace("@RELEASE@", release)
            if bad:
                src = src.replace("@EXTRA_COLUMNS@", ", price_breaks").replace("@PRICE_BREAKS@", PRICE_BREAKS)
            else:
                src = src.replace("@EXTRA_COLUMNS@", "").replace("@PRICE_BREAKS@", "")
            with open(os.path.join(d, "parts_api.py"), "w") as f:
                f.write(src)
            with open(os.path.join(d, "jobs", "import_prices.py"), "w") as f:
                f.write(IMPORT_JOB)
        link = os.path.join(self.app, "current")
        tmp = link + ".new"
        os.symlink(os.path.join("releases", release), tmp)
        os.replace(tmp, link)
        if reload:
            self.reload()

    def reload(self):
        os.utime(self.touch)

    def migrate_price_breaks(self, rng):
        """The migration shipped with 2026.12.3: a new column, filled for the parts the pricing team entered."""
        conn = sqlite3.connect(self.dbfile, timeout=30, isolation_level=None)
        cols = [r[1] for r in conn.execute("PRAGMA table_info(parts)")]
        if "price_breaks" not in cols:
            conn.execute("ALTER TABLE parts ADD COLUMN price_breaks TEXT")
            some = rng.sample(self.skus, len(self.skus) // 25)
            conn.execute("BEGIN")
            conn.executemany("UPDATE parts SET price_breaks = ? WHERE sku = ?",
                             [(json.dumps([{"min_qty": 10, "pct": 4}, {"min_qty": 50, "pct": 9}]), s) for s in some])
            conn.execute("COMMIT")
        conn.close()

    def start(self):
        env = dict(os.environ, TZ="UTC", LANG="C.UTF-8")
        env.pop("PYTHONPATH", None)
        env.pop("PYTHONHOME", None)
        self.out = open(os.path.join(self.work, "uwsgi.out"), "wb")
        self.proc = subprocess.Popen([UWSGI, "--ini", self.ini], cwd=self.work, env=env, stdout=self.out,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_listening(self.proc, "uwsgi", [PORT], 30)

    def stop(self):
        if self.proc is None:
            return
        pids = descendants(self.proc.pid)
        stop_process(self.proc, (signal.SIGTERM,), 40)
        kill_leftovers(pids, self.work.encode())
        self.out.close()


def seed_db(path, rng):
    """60000 parts in 10 categories, a few hundred older quotes; returns the part numbers."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript("""
        CREATE TABLE parts (sku TEXT PRIMARY KEY, name TEXT, category TEXT, brand TEXT, description TEXT,
                            list_price_cents INTEGER, weight_g INTEGER, popularity INTEGER);
        CREATE INDEX parts_category ON parts (category, sku);
        CREATE TABLE quotes (id INTEGER PRIMARY KEY, dealer TEXT, created TEXT, status TEXT, total_cents INTEGER,
                             lines TEXT, source TEXT);
    """)
    rows, skus = [], []
    for pfx, cat in CATEGORIES:
        for i in range(6000):
            sku = "%s-%05d" % (pfx, i * 7 + rng.randint(0, 6))
            brand = rng.choice(BRANDS)
            item = rng.choice(WORDS[cat])
            series = rng.choice(["", "Deore ", "XT ", "GX ", "Pro ", "Comfort ", "Race ", "Trail ", "Urban ", "E-Bike "])
            name = "%s %s%s" % (brand, series, item)
            desc = ("%s for %s bikes, %s. Compatible with %s. Packed %s." % (
                item, rng.choice(["road", "MTB", "trekking", "city", "e-bike", "gravel", "cargo"]),
                rng.choice(["black", "silver", "anodised", "grey", "polished"]),
                rng.choice(["most 11-speed drivetrains", "post mount", "flat mount", "boost hubs", "IS2000",
                            "Shimano HG freehubs", "SRAM XD drivers", "28.6 mm clamps", "standard valves"]),
                rng.choice(["single", "in workshop box of 10", "in pairs", "in retail blister"])))
            rows.append((sku, name, cat, brand, desc, rng.randint(190, 45000), rng.randint(8, 4200),
                         int(rng.paretovariate(1.2) * 10)))
            skus.append(sku)
    conn.execute("BEGIN")
    conn.executemany("INSERT OR IGNORE INTO parts VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    t0 = now() - 30 * 86400
    for i in range(600):
        conn.execute("INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?)", (
            48001 + i, "dealer-%04d" % rng.randint(1000, 2999),
            time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 + i * 4300)),
            rng.choice(["ordered", "ordered", "expired", "open"]), rng.randint(2000, 300000), "[]", "portal"))
    conn.execute("COMMIT")
    skus = [r[0] for r in conn.execute("SELECT sku FROM parts ORDER BY popularity DESC")]
    conn.close()
    return skus


# ---- the clients ---------------------------------------------------------------------------------------------------

ERRORS = (OSError, http.client.HTTPException, ValueError)


class Traffic(SessionPool):
    def __init__(self, server, seed):
        super().__init__(seed, 120, ERRORS)
        self.server = server
        self.skus = server.skus
        self.popular = server.skus[:3000]
        self.quotes = list(range(48400, 48601))
        self.failures = []      # (time, client, error) of the requests that got no answer

    def call(self, src, method, path, role, key=None, body=None, timeout=10.0, raw=None):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout, source_address=(src, 0))
        headers = {"User-Agent": UA.get(role, role), "Accept": "application/json"}
        if key:
            headers["X-Api-Key"] = key
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, data, headers)
            r = conn.getresponse()
            payload = r.read()
        except ERRORS as e:
            self.count("%s %s: %s" % (role, method, type(e).__name__))
            with self.lock:
                self.failures.append((now(), src, type(e).__name__))
            raise
        finally:
            conn.close()
        self.count("%s %d" % (role, r.status))
        return r.status, payload

    def sku(self, rng):
        return rng.choice(self.popular) if rng.random() < 0.8 else rng.choice(self.skus)

    def quote_body(self, rng, bad=0.0, dealer=None):
        dealer = dealer or "dealer-%04d" % rng.choice(DEALERS)
        lines = [{"sku": self.sku(rng), "qty": rng.choice([1, 1, 2, 2, 5, 10, 10, 20, 50])}
                 for _ in range(rng.randint(1, 6))]
        r = rng.random()
        if r < bad * 0.4:
            lines[0]["qty"] = 0
        elif r < bad * 0.7:
            lines[-1]["sku"] = rng.choice(["BRK-1234", "SHM-M6100", "DRV-00000X"])
        elif r < bad:
            return None, json.dumps({"lines": lines}).encode()[:rng.randint(10, 60)]
        return {"dealer": dealer, "lines": lines, "reference": "PO-%06d" % rng.randint(0, 999999)}, None

    def browse(self, src, role, key, bad, rng):
        """One page view of the dealer portal or the sales app."""
        r = rng.random()
        if r < 0.2:
            cat = rng.choice(CATEGORIES)[1]
            page = rng.choice([1, 1, 1, 2, 2, 3, 4, 7]) if rng.random() > bad else "x%d" % rng.randint(1, 9)
            self.call(src, "GET", "/api/v2/parts?category=%s&page=%s" % (cat, page), role, key)
        elif r < 0.55:
            sku = self.sku(rng)
            if rng.random() < 0.03:
                sku = rng.choice(["BRK-99999", "SHIM-BR-M6100", "DRV-1234", "TYR-7"])
            self.call(src, "GET", "/api/v2/parts/%s" % sku, role, key)
        elif r < 0.72:
            q = rng.choice(SEARCH_TERMS)
            if rng.random() < bad:
                q = q[:2]
            self.call(src, "GET", "/api/v2/search?q=%s&page=%d" % (q.replace(" ", "+"), rng.choice([1, 1, 1, 2])),
                      role, key)
        elif r < 0.84:
            skus = ",".join(self.sku(rng) for _ in range(rng.randint(1, 12)))
            self.call(src, "GET", "/api/v2/availability?skus=%s" % skus, role, key)
        elif r < 0.93:
            body, raw = self.quote_body(rng, bad)
            st, payload = self.call(src, "POST", "/api/v2/quotes", role, key, body=body, raw=raw, timeout=15)
            if st == 201:
                with self.lock:
                    self.quotes.append(int(json.loads(payload)["id"][2:]))
                    del self.quotes[:-300]
        elif r < 0.97:
            with self.lock:
                qid = rng.choice(self.quotes[-100:])
            self.call(src, "GET", "/api/v2/quotes/Q-%d" % qid, role, key)
        else:
            self.call(src, "GET", "/api/v2/categories", role, key)

    def abandoned_pricelist(self, rng):
        """A sales rep opens the price list on the phone and leaves before it has downloaded."""
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(10)
        try:
            s.bind((MOBILE, 0))
            s.connect(("127.0.0.1", PORT))
            s.sendall(("GET /api/v2/export/pricelist.csv HTTP/1.1\r\nHost: parts-api.internal\r\nUser-Agent: %s\r\n"
                       "X-Api-Key: %s\r\nAccept: text/csv\r\n\r\n" % (UA["mobile"], KEYS["mobile"][0])).encode())
            got = 0
            deadline = now() + rng.uniform(0.6, 2.0)
            while now() < deadline and got < 400000:
                b = s.recv(2048)
                if not b:
                    break
                got += len(b)
                time.sleep(0.01)
            self.count("pricelist abandoned")
        finally:
            s.close()

    def velo_nord(self, rng):
        skus = ",".join(rng.sample(self.popular[:800], 30))
        self.call(VELO_NORD, "GET", "/api/v2/availability?skus=%s" % skus, "velo-nord", KEYS["velo-nord"][0],
                  timeout=20)
        if rng.random() < 0.15:
            body, _ = self.quote_body(rng, dealer=KEYS["velo-nord"][1])
            self.call(VELO_NORD, "POST", "/api/v2/quotes", "velo-nord", KEYS["velo-nord"][0], body=body, timeout=20)

    def rad_tour(self, rng):
        self.call(RAD_TOUR, "GET", "/api/v2/export/pricelist.csv", "rad-tour", KEYS["rad-tour"][0], timeout=60)

    def backoffice(self, rng):
        key = KEYS["backoffice"][0]
        if rng.random() < 0.4:
            self.call(BACKOFFICE, "GET", "/api/v2/quotes?status=%s&limit=%d" % (
                rng.choice(["open", "open", "ordered", "expired"]), rng.choice([25, 50, 100])), "backoffice", key)
        else:
            with self.lock:
                qid = rng.choice(self.quotes)
            if rng.random() < 0.04:
                qid = rng.randint(10000, 40000)  # a quote number from an old system
            self.call(BACKOFFICE, "GET", "/api/v2/quotes/Q-%d" % qid, "backoffice", key)

    def scan(self, rng):
        src = rng.choice(SCANNERS)
        for p in rng.sample(SCAN_PATHS, rng.randint(3, 7)):
            try:
                self.call(src, "GET", p, "scanner")
            except ERRORS:
                pass
            time.sleep(rng.uniform(0.05, 0.4))

    # dispatchers (SessionPool's every and arrivals run the sessions)

    def health(self):
        while not self.stop.wait(10):
            self.spawn(lambda: self.call(MONITOR, "GET", "/healthz", "monitor", timeout=5))

    def legacy(self):
        rng = random.Random(self.rng.random())
        while not self.stop.wait(rng.uniform(45, 75)):
            self.spawn(lambda: self.call(LEGACY, "GET", "/api/v2/availability?skus=%s" % ",".join(
                rng.sample(self.popular[:200], 10)), "legacy", REVOKED_KEY))

    def run(self):
        threads = [threading.Thread(target=self.arrivals, args=(1.25, self.browse, WEB[0], "web",
                                                                KEYS["portal"][0], 0)),
                   threading.Thread(target=self.arrivals, args=(1.15, self.browse, WEB[1], "web",
                                                                KEYS["portal"][0], 0)),
                   threading.Thread(target=self.arrivals, args=(0.6, self.browse, MOBILE, "mobile",
                                                                KEYS["mobile"][0], 0.07)),
                   threading.Thread(target=self.every, args=(50, 130, self.abandoned_pricelist)),
                   threading.Thread(target=self.every, args=(14, 16, self.velo_nord)),
                   threading.Thread(target=self.every, args=(100, 140, self.rad_tour)),
                   threading.Thread(target=self.arrivals, args=(0.12, self.backoffice)),
                   threading.Thread(target=self.every, args=(40, 90, self.scan)),
                   threading.Thread(target=self.health),
                   threading.Thread(target=self.legacy)]
        self.start(threads)


# ---- incidents -----------------------------------------------------------------------------------------------------

def crawler_flood(seconds, skus, parallel=140):
    """A competitor's price scraper: 140 parallel connections over the public search and category pages."""
    lock = threading.Lock()
    state = {"requests": 0, "ok": 0, "failed": 0}
    stop_at = now() + seconds
    terms = [t for t in SEARCH_TERMS] + sorted({s.split()[0] for w in WORDS.values() for s in w})

    def worker(k):
        rng = random.Random(1000 + k)
        time.sleep(k * 0.02)
        while now() < stop_at:
            if rng.random() < 0.85:
                path = "/api/v2/search?q=%s&page=%d" % (rng.choice(terms).replace(" ", "+"), rng.randint(1, 40))
            else:
                path = "/api/v2/parts?category=%s&page=%d&per_page=100" % (rng.choice(CATEGORIES)[1],
                                                                           rng.randint(1, 60))
            with lock:
                state["requests"] += 1
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10, source_address=(CRAWLER, 0))
            try:
                conn.request("GET", path, headers={"User-Agent": UA["crawler"], "Accept": "application/json"})
                conn.getresponse().read()
                with lock:
                    state["ok"] += 1
            except ERRORS:
                with lock:
                    state["failed"] += 1
                time.sleep(0.5)
            finally:
                conn.close()

    start = now()
    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(parallel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 30)
    return start, now(), state


# ---- reading the log back (for the labels) -----------------------------------------------------------------------

CORE = re.compile(r"^(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}) - (.*)")
REQ = re.compile(r"^\[pid: (\d+)\|app: -?\d+\|req: -?\d+/\d+\] (\S+) \([^)]*\) \{\d+ vars in \d+ bytes\} "
                 r"\[(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4})\] (\S+) (\S+) => generated (\d+) bytes in (\d+) msecs "
                 r"\(\S+ (\d+)\)")
APPL = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d{3} (\w+) ([\w.]+): (.*)")
EXC = re.compile(r"^[A-Za-z_][\w.]*(: |$)")      # the last line of a traceback


def ctime(s):
    return calendar.timegm(time.strptime(s, "%a %b %d %H:%M:%S %Y"))


def read_log(path):
    """(core, requests, app, tracebacks): core [(epoch, text)], requests [(start epoch, end epoch, client, method,
    path, status, bytes)], app [(epoch, level, logger, text)], tracebacks [(epoch of the preceding dated line, last
    line, [functions])]."""
    core, reqs, app, tbs = [], [], [], []
    last = 0.0
    in_tb = False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = CORE.match(line)
            if m:
                last = ctime(m.group(1))
                core.append((last, m.group(2)))
                in_tb = False
                continue
            m = REQ.match(line)
            if m:
                t = ctime(m.group(3))
                reqs.append((t, t + int(m.group(7)) / 1000.0, m.group(2), m.group(4), m.group(5), int(m.group(8)),
                             int(m.group(6))))
                last = max(last, t)
                in_tb = False
                continue
            m = APPL.match(line)
            if m:
                last = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S"))
                app.append((last, m.group(2), m.group(3), m.group(4)))
                in_tb = False
                continue
            if line.startswith("Traceback (most recent call last):"):
                in_tb = True
                tbs.append([last, "", []])
            elif in_tb and line.startswith("  File ") and ", in " in line:
                tbs[-1][2].append(line.rsplit(", in ", 1)[1])
            elif in_tb and EXC.match(line):
                tbs[-1][1] = line
                in_tb = False
    return core, reqs, app, tbs


def hms(t):
    return time.strftime("%H:%M:%S", time.gmtime(t))


# ---- main ----------------------------------------------------------------------------------------------------------

def main():
    work = begin(OUT, "uwsgi", __doc__, readable=True)
    server = Uwsgi(work)
    stock = None
    traffic = None
    version = subprocess.run([UWSGI, "--version"], capture_output=True, text=True).stdout.strip()
    labels = Labels()
    labels.note("made by bench/real-logs/uwsgi.py: uWSGI's log (logto, log-date, default request logging, with the "
                "application's stderr logging, its tracebacks and the cron job's output); real uWSGI %s (Debian, "
                "python3 plugin) as `uwsgi --ini app.ini`: http-socket 127.0.0.1:%d, master, 4 processes, lazy-apps "
                "with touch-chain-reload deploys, harakiri %d (harakiri-verbose), max-requests 500, listen 100, "
                "uid/gid www-data, uWSGI cron running a price import every 2 minutes; the app is a plain WSGI parts "
                "catalogue API (SQLite, a warehouse stock service on 127.0.0.1:%d run by the script, client timeout "
                "30 s); clients: dealer portal front ends 127.0.0.10-11, sales app backend 127.0.0.12, dealer ERP "
                "127.0.0.21, dealer web shop 127.0.0.22 (price list downloads), old integration 127.0.0.23 (revoked "
                "key, 401), back office 127.0.0.30, monitoring 127.0.0.2, scanners 127.0.0.70-72; about 3.5 requests/s; "
                "TZ=UTC; wall-clock times" % (version, PORT, HARAKIRI, STOCK_PORT))
    marks = {}
    ok = False
    try:
        server.setup(random.Random(2026))
        stock = StockService()
        stock.start()
        server.start()
        traffic = Traffic(server, 2026)
        traffic.run()
        t0 = now()

        # a routine deploy
        sleep_until(t0 + 40 * SCALE)
        server.deploy("2026.12.2")
        marks["routine"] = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. the stock service hangs
        start = now()
        stock.mode = "hang"
        time.sleep(max(45 * SCALE, 28))
        stock.mode = "up"
        marks["hang"] = (start, now())
        time.sleep(max(30 * SCALE, 12))
        server.timeout = 4                       # the admin's fix afterwards
        server.write_settings()
        server.reload()
        marks["fix"] = now()
        sleep_until(marks["hang"][1] + max(90 * SCALE, 25))

        # 2. the price scraper
        f_start, f_end, fst = crawler_flood(max(45 * SCALE, 12), server.skus)
        marks["flood"] = (f_start, f_end, fst)
        sleep_until(f_end + max(90 * SCALE, 20))

        # 3. the bad deploy and its rollback
        server.migrate_price_breaks(random.Random(3))
        start = now()
        server.deploy("2026.12.3", bad=True)
        time.sleep(max(60 * SCALE, 15))
        server.deploy("2026.12.2")
        marks["deploy"] = (start, now())
        sleep_until(now() + max(100 * SCALE, 20))

        traffic.finish(40)
        time.sleep(1)
        print("%s: %s; stock service %s; flood %s" % (NAME, sorted(traffic.counts.items()), stock.counts, fst),
              file=sys.stderr)
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
        server.stop()
        if traffic:
            marks["failures"] = list(traffic.failures)
        if stock:
            marks["hung"] = list(stock.hung)
            stock.close()
        if ok:
            label(server, marks, labels)
            keep_log(server.log, OUT, NAME, labels)
            for f in (NAME + ".log", NAME + ".log.gz"):
                if os.path.exists(os.path.join(OUT, f)):
                    os.chmod(os.path.join(OUT, f), 0o644)      # uWSGI creates its log 0640
        shutil.rmtree(work, ignore_errors=True)


def label(server, marks, labels):
    core, reqs, app, tbs = read_log(server.log)
    first = min(r[0] for r in reqs)
    fails_at = marks.get("failures", [])

    def rate(s, pred=lambda r: True):
        """Request lines a second in the minute before s (since the first request line)."""
        t = max(first, s - 60)
        return len([r for r in reqs if t <= r[0] < s and pred(r)]) / max(1.0, s - t)

    # 1. stock-hang
    s, e = marks["hang"]
    lim = marks["fix"] - 1
    within = [c for c in core if s - 1 <= c[0] <= lim]
    hk = [c for c in within if "HARAKIRI ON WORKER" in c[1]]
    hk_req = [c for c in within if c[1].startswith("HARAKIRI [core")]
    damn = [c for c in within if c[1].startswith("DAMN ! worker")]
    queue = [c for c in within if "listen queue" in c[1]]
    writes = [c for c in within if c[1].startswith("uwsgi_response") and "pricelist.csv (127.0.0.12)" not in c[1]]
    slog = [a for a in app if s - 1 <= a[0] <= lim and a[2] == "parts_api.stock"]
    slow = [r for r in reqs if s <= r[0] <= e + 5 and r[1] - r[0] >= 5]
    gave_up = [f for f in fails_at if s <= f[0] <= e + 15]
    paths = sorted({re.sub(r"^(/api/v2/[a-z]+).*", r"\1", c[1].split(" - ")[1].split()[1]) for c in hk_req
                    if " - " in c[1]})
    # the backlog served once the stock service answers again: until a second has no more than twice the usual lines
    usual = rate(s)
    drained = int(e)
    while drained < e + 30 and len([r for r in reqs if drained <= r[0] < drained + 1]) > max(2 * usual, 5):
        drained += 1
    ev = [c[0] for c in hk + damn + queue + writes] + [a[0] for a in slog] + [r[1] for r in slow] + [drained]
    hung = marks.get("hung") or [s]
    if hk:
        labels.add("stock-hang", min(hung), max(ev) + 1, "upstream-timeout",
                   "127.0.0.1:%d|stock service|%s" % (STOCK_PORT, "|".join(paths)),
                   "the warehouse stock service 127.0.0.1:%d stops answering (accepts connections, never replies) "
                   "for %d s; the app's stock client waits up to 30 s, longer than harakiri (%d s), so every request "
                   "that asks for stock (part pages, availability, quotes: %s) holds its worker until uWSGI kills it: "
                   "%d lines '*** HARAKIRI ON WORKER N (pid: P, try: 1) ***' (from %s, the first %d s after the "
                   "hang began), each with 'HARAKIRI: -- wchan> ...', 'HARAKIRI !!! worker N status !!!', "
                   "'HARAKIRI [core 0] <client> - GET <path> since <epoch>', then 'DAMN ! worker N (pid: P) died, "
                   "killed by signal 9 :( trying respawn ...' (%d) and 'Respawned uWSGI worker N' with the app's "
                   "'parts-api ... loaded in worker' line; killed requests leave no request line, and the other "
                   "requests wait behind them (the request log thins out from about %.1f lines/s to %d lines in the "
                   "hang's %d s, then %d lines in the %d s after it as the backlog is served; %d client requests got "
                   "no answer; %d request lines taking 5 s or more; %d 'listen queue ... full' lines%s; %d app "
                   "warnings of parts_api.stock as it recovers); the admin lowers the stock timeout to 4 s (chain "
                   "reload) at %s, not part of the label"
                   % (STOCK_PORT, round(e - s), HARAKIRI, ", ".join(paths), len(hk), hms(hk[0][0]),
                      round(hk[0][0] - s), len(damn), usual, len([r for r in reqs if s <= r[0] < e]),
                      round(e - s), len([r for r in reqs if e <= r[0] < drained + 1]), round(drained + 1 - e),
                      len(gave_up), len(slow), len(queue),
                      "; %d write errors 'uwsgi_response_...(): ...' for requests whose clients gave up" % len(writes)
                      if writes else "", len(slog),
                      hms(marks["fix"])))

    # 2. crawler-flood
    s, e, st = marks["flood"]
    mine = [r for r in reqs if r[2] == CRAWLER]
    queue = [c for c in core if s - 1 <= c[0] <= e + 15 and "listen queue" in c[1]]
    others = [r for r in reqs if s <= r[0] <= e and r[2] != CRAWLER]
    before = rate(s, lambda r: r[2] != CRAWLER)
    gave_up = [f for f in fails_at if s <= f[0] <= e + 10]
    writes = [c for c in core if s - 1 <= c[0] <= e + 15 and c[1].startswith("uwsgi_response")
              and "pricelist.csv (127.0.0.12)" not in c[1]]
    if mine:
        searches = [r for r in mine if r[4].startswith("/api/v2/search")]
        ev = [r[0] for r in mine] + [r[1] for r in mine] + [c[0] for c in queue]
        labels.add("crawler-flood", min(ev), max(ev) + 1, "client-flood", "%s|/api/v2/search" % CRAWLER,
                   "a competitor's price scraper on %s (PartsPriceBot) crawls the public catalogue with 140 "
                   "parallel connections for %d s, mostly searches (LIKE scans of 60000 parts): %d request lines of "
                   "%s (%d 'GET /api/v2/search?q=...', the rest 'GET /api/v2/parts?category=...&per_page=100'; "
                   "%d of its %d requests answered, the rest timed out); the 4 workers are busy with it and the listen "
                   "queue overflows: %d lines '*** uWSGI listen queue of socket \"127.0.0.1:%d\" (fd: 3) full !!! "
                   "(N/100) ***'; the other clients' requests wait in the queue behind it (their request lines do "
                   "not show that wait: %d lines in those seconds, about %.1f/s where %.1f/s before; %d of their "
                   "requests got no answer)%s"
                   % (CRAWLER, round(e - s), len(mine), CRAWLER, len(searches), st["ok"], st["requests"], len(queue),
                      PORT, len(others), len(others) / max(1.0, e - s), before, len(gave_up),
                      "; %d write errors 'uwsgi_response_...(): ...' for requests whose clients had given up"
                      % len(writes) if writes else ""))

    # 3. bad-deploy
    s, e = marks["deploy"]
    bad_tb = [t for t in tbs if s - 1 <= t[0] <= e + 10 and "JSON object must be" in t[1]]
    fails = [r for r in reqs if s - 1 <= r[0] <= e + 10 and r[5] == 500]
    loaded = [a for a in app if s - 1 <= a[0] <= e + 10 and "parts-api 2026.12.3 loaded" in a[3]]
    touched = [c for c in core if s - 1 <= c[0] <= e + 10 and "has been touched" in c[1]]
    if fails or bad_tb:
        ev = [r[0] for r in fails] + [t[0] for t in bad_tb]
        posts = [r for r in fails if r[3] == "POST"]
        exports = [t for t in bad_tb if "rows" in t[2]]
        labels.add("bad-deploy", min(ev + [c[0] for c in touched[:1]]), max(ev) + 1, "bad-deploy",
                   "/api/v2/parts|/api/v2/quotes|2026.12.3",
                   "release 2026.12.3 is deployed (app/current switched, touch-chain-reload: '*** .../reload.touch "
                   "has been touched... chain reload !!! ***', 'chain next victim is worker N', 'Gracefully killing "
                   "worker N', %d app lines 'parts-api 2026.12.3 loaded in worker P'); its volume price breaks do "
                   "json.loads(row[\"price_breaks\"]), a column its migration filled only for 1 part in 25: for %d s, "
                   "until the rollback to 2026.12.2 (another chain reload), part pages of dealers (with an API key) "
                   "and quotes fail: %d tracebacks printed by uWSGI ('Traceback (most recent call last):' ... in "
                   "dealer_price ... 'TypeError: the JSON object must be str, bytes or bytearray, not NoneType') and "
                   "%d request lines '=> generated 0 bytes in N msecs (HTTP/1.1 500) 0 headers in 0 bytes' (%d GET "
                   "/api/v2/parts/<sku>, %d POST /api/v2/quotes) from %s, where these otherwise answer 200/201; "
                   "%d of the tracebacks are price list downloads (GET /api/v2/export/pricelist.csv) failing after "
                   "the headers were sent (request line with status 200 and the first part of the file)"
                   % (len(loaded), round(e - s), len(bad_tb), len(fails), len(fails) - len(posts), len(posts),
                      ", ".join(sorted({r[2] for r in fails})), len(exports)))
    others = [t for t in tbs if not s - 1 <= t[0] <= e + 10]
    if others:
        print("note: %d tracebacks outside bad-deploy: %s" % (len(others), others[:5]), file=sys.stderr)


if __name__ == "__main__":
    main()
