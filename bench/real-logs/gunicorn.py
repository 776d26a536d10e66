#!/usr/bin/env python3
"""Runs a real Gunicorn (Debian gunicorn 20.1, sync workers) serving a shop's orders API (a small Flask application
the script writes: Debian's python3-flask 2.2) on 127.0.0.1, drives the traffic of the services that use the API,
injects labelled incidents and keeps Gunicorn's two logs exactly as they were written:
  the error log (--error-logfile, Gunicorn's "[2026-12-03 09:18:28 +0000] [1234] [INFO] Booting worker with pid:
  1234" lines, and, as capture_output is on, whatever the application writes to stderr: its Python `logging` lines
  "2026-12-03 09:18:28,123 WARNING [orders.payment] ..." and Flask's tracebacks, as in a real deployment), and
  the access log (--access-logfile with the access_log_format an operator sets: Gunicorn's default plus the request
  time %(L)s and the X-Forwarded-For header the web front ends send:
  '127.0.0.10 - - [03/Dec/2026:09:18:28 +0000] "GET /api/v1/products HTTP/1.1" 200 2817 "-" "node-fetch/1.0 ..."
  0.012345 "203.0.113.57"').

usage: bench/real-logs/gunicorn.py OUTDIR [PORT]      (default port 20141; the payment gateway listens on PORT+1)
  writes OUTDIR/gunicorn-k.log (the error log), OUTDIR/gunicorn-k.access.log (the access log; each gzipped over
  1 MB) and their labels OUTDIR/gunicorn-k.labels.tsv, OUTDIR/gunicorn-k.access.labels.tsv
  SCALE=0.1 multiplies every duration (a short run for testing; the incidents keep the few seconds they need)
Needs (Debian): gunicorn, python3-flask (run by /usr/bin/python3); the driver itself is standard library only.

Gunicorn runs as `/usr/bin/python3 -m gunicorn -c WORK/gunicorn.conf.py orders_app:app` (TZ=UTC) in a temporary
work dir, from a config file as an operator writes it: bind 127.0.0.1:PORT, 3 sync workers, timeout 10,
graceful_timeout 20, max_requests 100 with max_requests_jitter 20 (the application leaks a little), capture_output,
loglevel info, proc_name orders-api, and a worker_abort hook adapted from Gunicorn's example config that logs the
aborted worker's stack (what an operator adds to see where timed-out requests hang). No preload: each worker
imports the application, which logs its release and settings when it loads; a HUP (deploy or settings change) boots
new workers with the code and settings on disk.
The application (WORK/app/orders_app.py, settings.json) keeps orders in SQLite (WORK/data/orders.db, WAL, 5 s busy
timeout, a warning for each query slower than 0.5 s) and charges cards through a payment gateway (an HTTP service
the script runs on 127.0.0.1:PORT+1; client timeout 30 s, one retry on 503 or a connection error).

Normal traffic (about 4.5 requests/s): the shop's two web front ends 127.0.0.10-11 (node-fetch, X-Forwarded-For
with the shoppers' addresses: products, product pages, orders placed, order status pages, now and then an order
number that does not exist, 404), the mobile app's backend 127.0.0.12 (the same, with bad input now and then: 422
for a zero quantity or a missing postcode, 400 for a truncated JSON body), a marketplace connector 127.0.0.21
(polls paid orders every 10 s, places its orders), the warehouse 127.0.0.22 (polls paid orders every 8 s, posts
their shipments; 409 when it ships one cancelled meanwhile), an old ERP integration 127.0.0.23 still polling with
a revoked API key (401, about once a minute), the back office 127.0.0.30 (order lists, order pages, cancellations,
a weekly orders report every few minutes), the BI dashboards 127.0.0.31 (last month's orders report every 90-150 s),
the monitoring's /healthz every 5 s from 127.0.0.2 and vulnerability scanners 127.0.0.70-72 (404s). Routine noise:
declined cards (402, a warning), the gateway answering 503 to about one charge in 70 (retried, a warning), a SKU
out of stock (409), an archival cron job pruning old order events every 80-120 s in one write transaction of 1-2.5
s (orders placed meanwhile wait for the lock: "slow query" warnings), workers recycled by max_requests
("Autorestarting worker after current request."), a routine deploy (release 2026.12.2, HUP) 25 s in.
Incidents (about 9 minutes in all: 90 s of normal traffic, each incident followed by 90-100 s of it):
  payment-hang   the payment gateway 127.0.0.1:PORT+1 stops answering (accepts and hangs) for 45 s: each order
                 placed holds a sync worker for the application's 30 s timeout, Gunicorn kills it after 10 s:
                 "[CRITICAL] WORKER TIMEOUT (pid:N)", the hook's "worker received SIGABRT signal" and the stack (in
                 http/client.py ... orders_app.py charge), "Worker exiting (pid: N)", "Booting worker with pid: M";
                 the other requests queue behind the stuck workers (request times of seconds in the access log, no
                 access line for the killed requests); 30 s after it the admin lowers payment_timeout to 8 s (HUP)
  report-oom     a new BI dashboard panel on 127.0.0.31 asks for the orders report over the whole history
                 (/api/v1/reports/orders.csv?from=2019-01-01...) from two panels, retrying every few seconds, for
                 50 s: the report loads every monthly archive partition into memory and the worker is killed by the
                 OOM killer past 400 MB (the script plays the kernel's memory cgroup limit with SIGKILL): the app's
                 "orders report 2019-01-01..DATE requested by 127.0.0.31 (96 monthly partitions)", Gunicorn's
                 "[WARNING] Worker with pid N was terminated due to signal 9", "Booting worker with pid: M"; the
                 killed requests leave no access line
  bad-deploy     release 2026.12.3 is deployed (files replaced, HUP): its order page adds a delivery estimate that
                 reads the shipment's carrier, which orders not yet shipped do not have: GET /api/v1/orders/<id>
                 answers 500 for them, and so does every POST /api/v1/orders (the new order, placed and charged, is
                 returned the same way), with Flask's "ERROR [orders_app] Exception on /api/v1/orders/N [GET]" (or
                 "/api/v1/orders [POST]") and a traceback ending "TypeError: 'NoneType' object is not subscriptable";
                 rolled back to 2026.12.2 (HUP) after 60 s
"""
import datetime
import http.client
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

from drivers import begin, stop_process, descendants, kill_leftovers, wait_listening, keep_log, now, sleep_until, SessionPool, StandIn, send_json
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 20141
PAY_PORT = PORT + 1
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "gunicorn-k"
PYTHON = "/usr/bin/python3"        # Debian's, with Debian's gunicorn and flask
OOM_LIMIT_KB = 400 * 1024          # the memory limit the script enforces on each worker, as a cgroup would

WEB = ["127.0.0.10", "127.0.0.11"]
MOBILE = "127.0.0.12"
MARKETPLACE = "127.0.0.21"
WAREHOUSE = "127.0.0.22"
LEGACY_ERP = "127.0.0.23"
BACKOFFICE = "127.0.0.30"
BI = "127.0.0.31"
MONITOR = "127.0.0.2"
SCANNERS = ["127.0.0.70", "127.0.0.71", "127.0.0.72"]

KEYS = {"web": "ak_live_4f2b9c1e7d", "mobile": "ak_live_a81d03f6c2", "marketplace": "ak_live_7c55e0b4a9",
        "warehouse": "ak_live_e3f1968d20", "backoffice": "ak_live_0b7a2c44f1", "bi": "ak_live_91cd5e8b37"}
REVOKED_KEY = "ak_live_2d6e0fa913"
UA = {"web": "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "mobile": "Go-http-client/1.1",
      "marketplace": "MarketHub-Connector/2.3.1", "warehouse": "python-requests/2.31.0",
      "legacy": "Java/1.8.0_202", "backoffice": "backoffice-ui/1.9.4 axios/1.6.2",
      "bi": "Grafana/10.2.2 (infinity-datasource 2.3.1)", "monitor": "Blackbox Exporter/0.24.0"}

PRODUCTS = [("ESP-100", "Espresso machine Classic", 34900, 40), ("ESP-200", "Espresso machine Dual Boiler", 89900, 12),
            ("GRD-50", "Burr grinder", 12900, 60), ("GRD-PRO", "Burr grinder Pro", 29900, 25),
            ("KTL-GN", "Pour-over kettle gooseneck", 5990, 90), ("FRP-1L", "French press 1 l", 3490, 120),
            ("MLK-FR", "Milk frother", 7990, 70), ("MUG-TR", "Travel mug", 1990, 300), ("DSC-500", "Descaler 500 ml",
                                                                                       990, 400),
            ("FLT-100", "Paper filters (100)", 490, 1000), ("CBJ-1L", "Cold brew jar 1 l", 2490, 0),
            ("SCL-01", "Coffee scale", 3990, 80), ("TMP-58", "Tamper 58 mm", 2990, 75),
            ("KNB-01", "Knock box", 1990, 110)]
SKUS = [p[0] for p in PRODUCTS]
CARRIERS = ["DHL", "DPD", "UPS", "GLS"]
CITIES = [("Berlin", "10115"), ("Hamburg", "20095"), ("Munich", "80331"), ("Cologne", "50667"), ("Leipzig", "04109"),
          ("Vienna", "1010"), ("Zurich", "8001"), ("Graz", "8010"), ("Dresden", "01067"), ("Bremen", "28195")]
SCAN_PATHS = ["/wp-login.php", "/.env", "/.git/config", "/phpmyadmin/", "/actuator/health", "/api/v1/../../etc/passwd",
              "/admin/", "/server-status", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/config.json",
              "/.aws/credentials", "/api/swagger.json", "/console", "/login.action"]
SCAN_UA = ["Mozilla/5.0 zgrab/0.x", "curl/7.88.1", "python-requests/2.25.1", "Nuclei - Open-source project "
           "(github.com/projectdiscovery/nuclei)", "Mozilla/5.0 (compatible; Nmap Scripting Engine)"]

GUNICORN_CONF = r'''# orders-api: gunicorn settings (managed by the ops team)
bind = "127.0.0.1:@PORT@"
workers = 3
worker_class = "sync"
timeout = 10
graceful_timeout = 20
keepalive = 2
max_requests = 100           # the app leaks a little (report buffers): recycle workers
max_requests_jitter = 20
proc_name = "orders-api"
chdir = "@APP@"
errorlog = "@LOG@/error.log"
accesslog = "@LOG@/access.log"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)s "%({x-forwarded-for}i)s"'
capture_output = True
loglevel = "info"


def worker_abort(worker):
    # adapted from gunicorn's example_config.py (worker_int): where was the worker stuck when it timed out?
    worker.log.info("worker received SIGABRT signal")
    import threading, sys, traceback
    id2name = {th.ident: th.name for th in threading.enumerate()}
    code = []
    for threadId, stack in sys._current_frames().items():
        code.append("\n# Thread: %s(%d)" % (id2name.get(threadId, ""), threadId))
        for filename, lineno, name, line in traceback.extract_stack(stack):
            code.append('File: "%s", line %d, in %s' % (filename, lineno, name))
            if line:
                code.append("  %s" % (line.strip()))
    worker.log.warning("\n".join(code))
'''

APP = r'''"""orders-api: the shop's orders service (Flask, served by gunicorn)."""
import calendar
import datetime
import http.client
import json
import logging
import os
import random
import sqlite3
import sys
import time
import uuid

from flask import Flask, Response, abort, g, jsonify, request

RELEASE = "@RELEASE@"
HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "settings.json")) as f:
    SETTINGS = json.load(f)

logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                    format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
log = logging.getLogger("orders")
dblog = logging.getLogger("orders.db")
paylog = logging.getLogger("orders.payment")
replog = logging.getLogger("orders.reports")

app = Flask(__name__)
KEYS = {v: k for k, v in SETTINGS["api_keys"].items()}
PAY_HOST, PAY_PORT = SETTINGS["payment_gateway"].split("//")[1].split(":")
PAY_TIMEOUT = float(SETTINGS["payment_timeout"])
SLOW = 0.5
log.info("orders-api %s loaded in worker %d (db %s, payment gateway %s, timeout %gs)", RELEASE, os.getpid(),
         SETTINGS["database"], SETTINGS["payment_gateway"], PAY_TIMEOUT)


class PaymentUnavailable(Exception):
    pass


def db():
    if "db" not in g:
        g.db = sqlite3.connect(SETTINGS["database"], timeout=5, isolation_level=None)
        g.db.row_factory = sqlite3.Row
    return g.db


@app.teardown_appcontext
def close_db(exc):
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


def q(sql, args=()):
    t = time.monotonic()
    rows = db().execute(sql, args).fetchall()
    took = time.monotonic() - t
    if took > SLOW:
        dblog.warning("slow query (%.2f s): %s", took, " ".join(sql.split())[:60])
    return rows


def caller():
    client = KEYS.get(request.headers.get("X-Api-Key", ""))
    if client is None:
        key = request.headers.get("X-Api-Key", "")
        log.warning("rejected %s %s from %s: %s", request.method, request.path, request.remote_addr,
                    "invalid API key %s..." % key[:10] if key else "no API key")
        abort(401)
    return client


def money(cents):
    return "%d.%02d" % (cents // 100, cents % 100)


def charge(order_id, cents, token):
    body = json.dumps({"amount": cents, "currency": "EUR", "source": token, "description": "order %d" % order_id})
    for attempt in (1, 2):
        conn = http.client.HTTPConnection(PAY_HOST, int(PAY_PORT), timeout=PAY_TIMEOUT)
        try:
            conn.request("POST", "/v1/charges", body, {"Content-Type": "application/json",
                                                        "Idempotency-Key": "order-%d" % order_id})
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException) as e:
            if attempt == 1:
                paylog.warning("payment gateway %s: %s, retrying order %d (attempt 1/2)",
                               SETTINGS["payment_gateway"], e or type(e).__name__, order_id)
                time.sleep(0.2)
                continue
            raise PaymentUnavailable("%s: %s" % (type(e).__name__, e))
        finally:
            conn.close()
        if resp.status >= 500:
            if attempt == 1:
                paylog.warning("payment gateway answered %d for order %d, retrying (attempt 1/2)", resp.status,
                               order_id)
                time.sleep(0.2)
                continue
            raise PaymentUnavailable("HTTP %d" % resp.status)
        return resp.status, json.loads(data)


def order_json(row):
    shipping = json.loads(row["shipping"]) if row["shipping"] else None
    out = {"id": row["id"], "customer_id": row["customer"], "created": row["created"], "status": row["status"],
           "total": money(row["total_cents"]), "currency": "EUR", "items": json.loads(row["items"]),
           "shipping": shipping}
@DELIVERY@    return out


@app.get("/healthz")
def healthz():
    q("SELECT 1")
    return jsonify(status="ok", release=RELEASE)


@app.get("/api/v1/products")
def products():
    caller()
    rows = q("SELECT sku, name, price_cents, stock FROM products ORDER BY sku")
    return jsonify([{"sku": r["sku"], "name": r["name"], "price": money(r["price_cents"]),
                     "in_stock": r["stock"] > 0} for r in rows])


@app.get("/api/v1/products/<sku>")
def product(sku):
    caller()
    rows = q("SELECT sku, name, price_cents, stock FROM products WHERE sku = ?", (sku,))
    if not rows:
        abort(404)
    r = rows[0]
    return jsonify(sku=r["sku"], name=r["name"], price=money(r["price_cents"]), stock=r["stock"])


def reject(status, why):
    log.warning("order rejected (%d) from %s: %s", status, request.remote_addr, why)
    return jsonify(error=why), status


@app.post("/api/v1/orders")
def place_order():
    client = caller()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return reject(400, "request body is not valid JSON")
    items, addr = data.get("items"), data.get("shipping_address")
    if not data.get("customer_id"):
        return reject(422, "customer_id is required")
    if not isinstance(items, list) or not items:
        return reject(422, "items must be a non-empty list")
    for i, it in enumerate(items):
        if not isinstance(it.get("qty"), int) or it["qty"] <= 0:
            return reject(422, "items[%d].qty must be a positive integer" % i)
    if not isinstance(addr, dict) or not addr.get("postcode"):
        return reject(422, "shipping_address.postcode is required")
    total = 0
    for it in items:
        rows = q("SELECT price_cents, stock FROM products WHERE sku = ?", (it.get("sku"),))
        if not rows:
            return reject(422, "unknown sku %r" % it.get("sku"))
        if rows[0]["stock"] < it["qty"]:
            log.info("order from %s for %s not placed: %s out of stock", client, data["customer_id"], it["sku"])
            return jsonify(error="out of stock", sku=it["sku"]), 409
        total += rows[0]["price_cents"] * it["qty"]
    created = datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
    t = time.monotonic()
    cur = db().execute("INSERT INTO orders (customer, created, status, total_cents, items, address, source) "
                       "VALUES (?, ?, 'pending_payment', ?, ?, ?, ?)",
                       (data["customer_id"], created, total, json.dumps(items), json.dumps(addr), client))
    if time.monotonic() - t > SLOW:
        dblog.warning("slow query (%.2f s): INSERT INTO orders", time.monotonic() - t)
    oid = cur.lastrowid
    try:
        status, res = charge(oid, total, data.get("payment_token", ""))
    except PaymentUnavailable as e:
        paylog.error("payment gateway unavailable, order %d not charged: %s", oid, e)
        q("UPDATE orders SET status = 'payment_error' WHERE id = ?", (oid,))
        return jsonify(error="payment service unavailable", order_id=oid), 502
    if status != 200:
        code = res.get("error", {}).get("code", "unknown")
        log.warning("payment declined for order %d (%s, %s EUR): %s", oid, data["customer_id"], money(total), code)
        q("UPDATE orders SET status = 'payment_failed' WHERE id = ?", (oid,))
        return jsonify(error="payment declined", reason=code, order_id=oid), 402
    for it in items:
        q("UPDATE products SET stock = stock - ? WHERE sku = ?", (it["qty"], it["sku"]))
    q("UPDATE orders SET status = 'paid', charge_id = ? WHERE id = ?", (res["id"], oid))
    q("INSERT INTO order_events (order_id, at, event) VALUES (?, ?, 'paid')", (oid, created))
    log.info("order %d placed by %s via %s: %d items, %s EUR, charge %s", oid, data["customer_id"], client,
             sum(it["qty"] for it in items), money(total), res["id"])
    rows = q("SELECT * FROM orders WHERE id = ?", (oid,))
    return jsonify(order_json(rows[0])), 201


@app.get("/api/v1/orders")
def list_orders():
    caller()
    sql, args = "SELECT * FROM orders WHERE 1=1", []
    if request.args.get("status"):
        sql += " AND status = ?"
        args.append(request.args["status"])
    if request.args.get("customer"):
        sql += " AND customer = ?"
        args.append(request.args["customer"])
    if request.args.get("since"):
        sql += " AND created >= ?"
        args.append(request.args["since"])
    try:
        limit = min(int(request.args.get("limit", "50")), 200)
    except ValueError:
        return jsonify(error="limit must be an integer"), 400
    rows = q(sql + " ORDER BY id DESC LIMIT ?", args + [limit])
    return jsonify(orders=[{"id": r["id"], "status": r["status"], "customer_id": r["customer"],
                            "total": money(r["total_cents"]), "created": r["created"]} for r in rows])


@app.get("/api/v1/orders/<int:oid>")
def get_order(oid):
    caller()
    rows = q("SELECT * FROM orders WHERE id = ?", (oid,))
    if not rows:
        abort(404)
    return jsonify(order_json(rows[0]))


@app.post("/api/v1/orders/<int:oid>/shipment")
def ship(oid):
    client = caller()
    data = request.get_json(silent=True) or {}
    rows = q("SELECT status FROM orders WHERE id = ?", (oid,))
    if not rows:
        abort(404)
    if rows[0]["status"] != "paid":
        log.warning("shipment for order %d from %s refused: order is %s", oid, client, rows[0]["status"])
        return jsonify(error="order is %s" % rows[0]["status"]), 409
    shipping = {"carrier": data.get("carrier"), "tracking": data.get("tracking")}
    q("UPDATE orders SET status = 'shipped', shipping = ? WHERE id = ?", (json.dumps(shipping), oid))
    q("INSERT INTO order_events (order_id, at, event) VALUES (?, datetime('now'), 'shipped')", (oid,))
    log.info("order %d shipped: %s %s", oid, shipping["carrier"], shipping["tracking"])
    return jsonify(id=oid, status="shipped")


@app.post("/api/v1/orders/<int:oid>/cancel")
def cancel(oid):
    client = caller()
    rows = q("SELECT status FROM orders WHERE id = ?", (oid,))
    if not rows:
        abort(404)
    if rows[0]["status"] not in ("paid", "pending_payment", "payment_failed"):
        return jsonify(error="order is %s" % rows[0]["status"]), 409
    q("UPDATE orders SET status = 'cancelled' WHERE id = ?", (oid,))
    log.info("order %d cancelled by %s (%s)", oid, client,
             (request.get_json(silent=True) or {}).get("reason", "no reason given"))
    return jsonify(id=oid, status="cancelled")


def archive_month(year, month):
    """The archived orders of one month, as the old system's monthly partition file holds them."""
    block = TEMPLATE.replace("@YM@", "%04d-%02d" % (year, month))
    return (block * (ROWS_A_MONTH // len(TEMPLATE_ROWS))).splitlines()


SKUS = ["ESP-100", "ESP-200", "GRD-50", "GRD-PRO", "KTL-GN", "FRP-1L", "MLK-FR", "MUG-TR", "DSC-500", "FLT-100"]
STATES = ["delivered", "delivered", "delivered", "returned", "cancelled"]
ROWS_A_MONTH = 40000
_rng = random.Random(7)
TEMPLATE_ROWS = ["%d,@YM@-%02dT%02d:%02d:00Z,c-%05d,%s,%d,%d.%02d,EUR,%s,%s" % (
    i, _rng.randint(1, 28), _rng.randint(0, 23), _rng.randint(0, 59), _rng.randint(10000, 99999), _rng.choice(SKUS),
    _rng.randint(1, 3), _rng.randint(5, 900), _rng.randint(0, 99), _rng.choice(STATES),
    _rng.choice(["Berlin", "Hamburg", "Munich", "Cologne", "Vienna", "Zurich"])) for i in range(1000)]
TEMPLATE = "\n".join(TEMPLATE_ROWS) + "\n"


@app.get("/api/v1/reports/orders.csv")
def report():
    client = caller()
    try:
        start = datetime.date.fromisoformat(request.args["from"])
        end = datetime.date.fromisoformat(request.args.get("to", datetime.date.today().isoformat()))
    except (KeyError, ValueError):
        return jsonify(error="from and to must be dates (YYYY-MM-DD)"), 400
    months = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    replog.info("orders report %s..%s requested by %s (%s, %d monthly partitions)", start, end, request.remote_addr,
                client, len(months))
    t = time.monotonic()
    rows = ["id,created,customer,sku,qty,total,currency,status,city"]
    for y, m in months:
        rows.extend(archive_month(y, m))
        time.sleep(0.03)
    body = "\n".join(rows) + "\n"
    replog.info("orders report %s..%s done: %d rows, %.1f MB in %.2f s", start, end, len(rows) - 1,
                len(body) / 1e6, time.monotonic() - t)
    return Response(body, mimetype="text/csv")
'''

DELIVERY_GOOD = ""
DELIVERY_BAD = '''    # 2026.12.3: delivery estimate on the order page (SHOP-2291)
    days = {"DHL": 2, "DPD": 2, "UPS": 3, "GLS": 3}.get(shipping["carrier"], 4)
    out["delivery_estimate"] = (datetime.date.today() + datetime.timedelta(days=days)).isoformat()
'''


def app_source(release, bad=False):
    return APP.replace("@RELEASE@", release).replace("@DELIVERY@", DELIVERY_BAD if bad else DELIVERY_GOOD)


# ---- the payment gateway ---------------------------------------------------------------------------------------

class Gateway(StandIn):
    """The payment service provider's API on 127.0.0.1:PAY_PORT: POST /v1/charges answers 200 (succeeded) after
    80-300 ms, 402 for about 1 in 22 (declined), 503 for about 1 in 70; mode "hang" accepts and never answers until
    the mode changes."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler
        super().__init__()
        gw = self
        self.rng = random.Random(42)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if gw.mode == "hang":
                    gw.count("hung")
                    deadline = time.time() + 300
                    while gw.mode == "hang" and time.time() < deadline:
                        time.sleep(0.2)
                with gw.lock:
                    r, delay = gw.rng.random(), gw.rng.uniform(0.08, 0.3)
                time.sleep(delay)
                if r < 0.014:
                    status, body = 503, {"error": {"code": "service_unavailable"}}
                elif r < 0.06:
                    status, body = 402, {"error": {"code": gw.rng.choice(["card_declined", "insufficient_funds",
                                                                          "expired_card", "card_declined"])}}
                else:
                    status, body = 200, {"id": "ch_%s" % "".join(gw.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghij"
                                                                               "kmnopqrstuvwxyz23456789")
                                                                 for _ in range(16)), "status": "succeeded"}
                gw.count(str(status))
                if not send_json(self, status, body):
                    gw.count("write failed")

        self.serve(PAY_PORT, Handler)



# ---- the server ----------------------------------------------------------------------------------------------------

class Gunicorn:
    def __init__(self, work):
        self.work = work
        self.app = os.path.join(work, "app")
        self.logdir = os.path.join(work, "log")
        self.data = os.path.join(work, "data")
        for d in (self.app, self.logdir, self.data):
            os.makedirs(d)
        self.error = os.path.join(self.logdir, "error.log")
        self.access = os.path.join(self.logdir, "access.log")
        self.dbfile = os.path.join(self.data, "orders.db")
        self.conf = os.path.join(work, "gunicorn.conf.py")
        self.proc = None
        self.settings = {"database": self.dbfile, "payment_gateway": "http://127.0.0.1:%d" % PAY_PORT,
                         "payment_timeout": 30, "api_keys": KEYS}
        self.oom_kills = []
        self.stop_oom = threading.Event()

    def setup(self, rng):
        with open(self.conf, "w") as f:
            f.write(GUNICORN_CONF.replace("@PORT@", str(PORT)).replace("@APP@", self.app)
                    .replace("@LOG@", self.logdir))
        self.write_settings()
        self.deploy("2026.12.1")
        seed_db(self.dbfile, rng)

    def write_settings(self):
        tmp = os.path.join(self.app, "settings.json.new")
        with open(tmp, "w") as f:
            json.dump(self.settings, f, indent=2)
        os.replace(tmp, os.path.join(self.app, "settings.json"))

    def deploy(self, release, bad=False):
        tmp = os.path.join(self.app, "orders_app.py.new")
        with open(tmp, "w") as f:
            f.write(app_source(release, bad))
        os.replace(tmp, os.path.join(self.app, "orders_app.py"))

    def start(self):
        env = dict(os.environ, TZ="UTC", PYTHONDONTWRITEBYTECODE="1", LANG="C.UTF-8")
        env.pop("PYTHONPATH", None)
        self.out = open(os.path.join(self.work, "gunicorn.out"), "wb")
        self.proc = subprocess.Popen([PYTHON, "-m", "gunicorn", "-c", self.conf, "orders_app:app"], cwd=self.app,
                                     env=env, stdout=self.out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_listening(self.proc, "gunicorn", [PORT])
        self.oom_thread = threading.Thread(target=self.oom_killer, daemon=True)
        self.oom_thread.start()

    def hup(self):
        self.proc.send_signal(signal.SIGHUP)

    def workers(self):
        return [p for p in descendants(self.proc.pid)]

    def oom_killer(self):
        """What the kernel's OOM killer does for a memory cgroup of 400 MB a worker: SIGKILL to a worker past it."""
        while not self.stop_oom.wait(0.05):
            for pid in self.workers():
                try:
                    with open("/proc/%d/cmdline" % pid, "rb") as f:
                        if b"gunicorn" not in f.read():
                            continue
                    with open("/proc/%d/status" % pid) as f:
                        rss = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
                    if rss > OOM_LIMIT_KB:
                        os.kill(pid, signal.SIGKILL)
                        self.oom_kills.append((now(), pid, rss))
                except (OSError, AttributeError, ValueError):
                    pass

    def stop(self):
        self.stop_oom.set()
        if self.proc is None:
            return
        pids = descendants(self.proc.pid)
        stop_process(self.proc, (signal.SIGTERM,), 30)
        kill_leftovers(pids, b"gunicorn")
        self.out.close()


def seed_db(path, rng):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript("""
        CREATE TABLE products (sku TEXT PRIMARY KEY, name TEXT, price_cents INTEGER, stock INTEGER);
        CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, created TEXT, status TEXT, total_cents INTEGER,
                             items TEXT, address TEXT, source TEXT, charge_id TEXT, shipping TEXT);
        CREATE TABLE order_events (id INTEGER PRIMARY KEY, order_id INTEGER, at TEXT, event TEXT);
        CREATE INDEX orders_status ON orders (status);
        CREATE INDEX orders_customer ON orders (customer);
    """)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO products VALUES (?, ?, ?, ?)", PRODUCTS)
    t0 = now() - 60 * 86400
    for i in range(2400):
        created = t0 + i * 60 * 86400 / 2400
        age = now() - created
        sku = rng.choice(SKUS[:10])
        qty = rng.randint(1, 2)
        price = [p[2] for p in PRODUCTS if p[0] == sku][0]
        if age > 5 * 86400:
            status = rng.choice(["delivered"] * 12 + ["cancelled", "returned"])
        elif age > 86400:
            status = rng.choice(["shipped"] * 5 + ["delivered", "paid"])
        else:
            status = rng.choice(["paid", "paid", "shipped"])
        shipping = json.dumps({"carrier": rng.choice(CARRIERS), "tracking": tracking(rng)}) \
            if status in ("shipped", "delivered", "returned") else None
        city, pc = rng.choice(CITIES)
        conn.execute("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
            10001 + i, "c-%05d" % rng.randint(10000, 99999),
            time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created)), status, price * qty,
            json.dumps([{"sku": sku, "qty": qty}]), json.dumps({"city": city, "postcode": pc, "country": "DE"}),
            "web", "ch_seed%06d" % i, shipping))
    conn.executemany("INSERT INTO order_events (order_id, at, event) VALUES (?, ?, ?)",
                     [(10001 + i // 3, "2026-10-01", rng.choice(["paid", "shipped", "delivered"]))
                      for i in range(7200)])
    conn.execute("COMMIT")
    conn.close()


def tracking(rng):
    return "00340434%012d" % rng.randrange(10 ** 12)


# ---- the clients ---------------------------------------------------------------------------------------------------

ERRORS = (OSError, http.client.HTTPException, ValueError)


class Traffic(SessionPool):
    def __init__(self, server, seed):
        super().__init__(seed, 60, ERRORS)
        self.server = server
        self.orders = list(range(12200, 12401))  # recent order numbers, as in customers' e-mails
        self.cancelled = []
        self.bi_full = threading.Event()          # the new dashboard panel (incident report-oom)
        self.full_tries = []

    def call(self, src, method, path, role, key=None, body=None, xff=None, timeout=12.0, raw=None):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout, source_address=(src, 0))
        headers = {"User-Agent": UA.get(role, role), "Accept": "application/json"}
        if key:
            headers["X-Api-Key"] = key
        if xff:
            headers["X-Forwarded-For"] = xff
        data = None
        if raw is not None:
            data = raw
        elif body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, data, headers)
            r = conn.getresponse()
            payload = r.read()
        except ERRORS as e:
            self.count("%s %s: %s" % (role, method, type(e).__name__))
            raise
        finally:
            conn.close()
        self.count("%s %d" % (role, r.status))
        return r.status, payload

    def new_order(self, rng, bad=0.0):
        items = [{"sku": rng.choice(SKUS), "qty": rng.choice([1, 1, 1, 2, 3])} for _ in range(rng.choice([1, 1, 2,
                                                                                                      3]))]
        city, pc = rng.choice(CITIES)
        addr = {"name": "Customer %d" % rng.randint(1, 9999), "street": "Hauptstr. %d" % rng.randint(1, 200),
                "city": city, "postcode": pc, "country": "DE"}
        body = {"customer_id": "c-%05d" % rng.randint(10000, 99999), "items": items, "shipping_address": addr,
                "payment_token": "tok_%016x" % rng.getrandbits(64)}
        r = rng.random()
        if r < bad * 0.45:
            items[0]["qty"] = 0
        elif r < bad * 0.85:
            del addr["postcode"]
        elif r < bad:
            return None, json.dumps(body).encode()[:rng.randint(20, 120)]
        return body, None

    def placed(self, status, payload):
        if status == 201:
            try:
                oid = json.loads(payload)["id"]
            except (ValueError, KeyError):
                return
            with self.lock:
                self.orders.append(oid)
                del self.orders[:-400]

    def shopper(self, src, role, key, bad, rng):
        """One page view of a shopper (web front end or mobile app backend)."""
        xff = ("203.0.113.%d" if rng.random() < 0.6 else "198.51.100.%d") % rng.randint(2, 254)
        if role == "mobile":
            xff = "%s, 10.20.%d.%d" % (xff, rng.randint(0, 3), rng.randint(2, 250))
        r = rng.random()
        if r < 0.32:
            self.call(src, "GET", "/api/v1/products", role, key, xff=xff)
        elif r < 0.62:
            sku = rng.choice(SKUS) if rng.random() > 0.02 else rng.choice(["ESP-150", "GRD-X", "mug-tr"])
            self.call(src, "GET", "/api/v1/products/%s" % sku, role, key, xff=xff)
        elif r < 0.78:
            body, raw = self.new_order(rng, bad)
            st, payload = self.call(src, "POST", "/api/v1/orders", role, key, body=body, raw=raw, xff=xff,
                                    timeout=15)
            self.placed(st, payload)
        else:
            with self.lock:
                oid = rng.choice(self.orders[-150:])
            if rng.random() < 0.025:
                oid = rng.choice([oid + 100000, int(str(oid)[:-1]), oid * 10 + rng.randint(0, 9)])
            self.call(src, "GET", "/api/v1/orders/%d" % oid, role, key, xff=xff)

    def marketplace(self, rng):
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now() - 3600))
        self.call(MARKETPLACE, "GET", "/api/v1/orders?status=paid&since=%s&limit=50" % since, "marketplace",
                  KEYS["marketplace"])
        if rng.random() < 0.7:
            body, _ = self.new_order(rng)
            st, payload = self.call(MARKETPLACE, "POST", "/api/v1/orders", "marketplace", KEYS["marketplace"],
                                    body=body, timeout=20)
            self.placed(st, payload)

    def warehouse(self, rng):
        st, payload = self.call(WAREHOUSE, "GET", "/api/v1/orders?status=paid&limit=10", "warehouse",
                                KEYS["warehouse"])
        ids = [o["id"] for o in json.loads(payload)["orders"]] if st == 200 else []
        rng.shuffle(ids)
        todo = ids[:rng.randint(1, 3)]
        with self.lock:
            if self.cancelled and rng.random() < 0.25:
                todo.append(self.cancelled.pop(0))  # picked before the cancellation reached the warehouse
        for oid in todo:
            self.call(WAREHOUSE, "POST", "/api/v1/orders/%d/shipment" % oid, "warehouse", KEYS["warehouse"],
                      body={"carrier": rng.choice(CARRIERS), "tracking": tracking(rng)})
            time.sleep(rng.uniform(0.1, 0.5))

    def backoffice(self, rng):
        r = rng.random()
        key = KEYS["backoffice"]
        if r < 0.35:
            self.call(BACKOFFICE, "GET", "/api/v1/orders?status=%s&limit=%d" % (
                rng.choice(["paid", "shipped", "payment_failed", "pending_payment", "payment_error"]),
                rng.choice([25, 50, 100])), "backoffice", key)
        elif r < 0.8:
            with self.lock:
                oid = rng.choice(self.orders)
            self.call(BACKOFFICE, "GET", "/api/v1/orders/%d" % oid, "backoffice", key)
        elif r < 0.9:
            self.call(BACKOFFICE, "GET", "/api/v1/orders?customer=c-%05d" % rng.randint(10000, 99999), "backoffice",
                      key)
        else:
            with self.lock:
                oid = rng.choice(self.orders[-60:])
            st, _ = self.call(BACKOFFICE, "POST", "/api/v1/orders/%d/cancel" % oid, "backoffice", key,
                              body={"reason": rng.choice(["customer request", "duplicate order", "fraud check",
                                                          "address undeliverable"])})
            if st == 200:
                with self.lock:
                    self.cancelled.append(oid)

    def report(self, src, role, key, days, rng):
        end = datetime.date.today()
        start = end - datetime.timedelta(days=days)
        self.call(src, "GET", "/api/v1/reports/orders.csv?from=%s&to=%s" % (start, end), role, key, timeout=30)

    def full_history(self, panel):
        """The new dashboard panel: the whole order history, retried a few seconds after each failure."""
        rng = random.Random(panel)
        end = datetime.date.today()
        while self.bi_full.is_set() and not self.stop.is_set():
            self.full_tries.append(now())
            try:
                self.call(BI, "GET", "/api/v1/reports/orders.csv?from=2019-01-01&to=%s&panel=%d" % (end, panel),
                          "bi", KEYS["bi"], timeout=30)
                time.sleep(rng.uniform(8, 12))
            except ERRORS:
                time.sleep(rng.uniform(2.5, 5))

    def scan(self, rng):
        src = rng.choice(SCANNERS)
        ua = rng.choice(SCAN_UA)
        for p in rng.sample(SCAN_PATHS, rng.randint(3, 7)):
            try:
                self.call(src, "GET", p, ua)
            except ERRORS:
                pass
            time.sleep(rng.uniform(0.05, 0.4))

    # dispatchers (SessionPool's every and arrivals run the sessions)

    def health(self):
        while not self.stop.wait(5):
            self.spawn(lambda: self.call(MONITOR, "GET", "/healthz", "monitor", timeout=5))

    def legacy(self):
        rng = random.Random(self.rng.random())
        while not self.stop.wait(rng.uniform(45, 75)):
            self.spawn(lambda: self.call(LEGACY_ERP, "GET", "/api/v1/orders?status=paid&limit=100", "legacy",
                                         REVOKED_KEY))

    def run(self):
        threads = [threading.Thread(target=self.arrivals, args=(1.3, self.shopper, WEB[0], "web", KEYS["web"], 0)),
                   threading.Thread(target=self.arrivals, args=(1.2, self.shopper, WEB[1], "web", KEYS["web"], 0)),
                   threading.Thread(target=self.arrivals, args=(0.9, self.shopper, MOBILE, "mobile", KEYS["mobile"],
                                                                0.08)),
                   threading.Thread(target=self.every, args=(9, 11, self.marketplace)),
                   threading.Thread(target=self.every, args=(7, 9, self.warehouse)),
                   threading.Thread(target=self.arrivals, args=(0.12, self.backoffice)),
                   threading.Thread(target=self.every, args=(150, 240, self.report, BACKOFFICE, "backoffice",
                                                             KEYS["backoffice"], 7)),
                   threading.Thread(target=self.every, args=(90, 150, self.report, BI, "bi", KEYS["bi"], 30)),
                   threading.Thread(target=self.every, args=(40, 90, self.scan)),
                   threading.Thread(target=self.health),
                   threading.Thread(target=self.legacy)]
        self.start(threads)


def archival_job(dbfile, stop, counts):
    """The cron job pruning old order events: one write transaction of 1-2.5 s every 80-120 s (x SCALE)."""
    rng = random.Random(5)
    while not stop.wait(max(8.0, rng.uniform(80, 120) * SCALE)):
        try:
            conn = sqlite3.connect(dbfile, timeout=30, isolation_level=None)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM order_events WHERE id IN (SELECT id FROM order_events ORDER BY id LIMIT 300)")
            time.sleep(rng.uniform(1.0, 2.5))
            conn.execute("COMMIT")
            conn.close()
            counts["archival"] = counts.get("archival", 0) + 1
        except sqlite3.Error as e:
            counts["archival failed: %s" % e] = counts.get("archival failed", 0) + 1


# ---- reading the logs back (for the labels) ----------------------------------------------------------------------

GUNI = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) [+-]\d{4}\] \[(\d+)\] \[(\w+)\] (.*)")
APPL = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d{3} (\w+) \[([\w.]+)\] (.*)")
ACC = re.compile(r'^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+) [^"]*" (\d{3}) (\S+) "[^"]*" "[^"]*" ([\d.]+) "([^"]*)"')


def epoch(s, fmt):
    return datetime.datetime.strptime(s, fmt).replace(tzinfo=datetime.timezone.utc).timestamp()


def read_error(path):
    """[(epoch, source 'gunicorn'|'app', level, message)] of the error log's timestamped lines."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = GUNI.match(line)
            if m:
                out.append((epoch(m.group(1), "%Y-%m-%d %H:%M:%S"), "gunicorn", m.group(3), m.group(4)))
                continue
            m = APPL.match(line)
            if m:
                out.append((epoch(m.group(1), "%Y-%m-%d %H:%M:%S"), "app:" + m.group(3), m.group(2), m.group(4)))
    return out


def read_access(path):
    """[(epoch, client, method, path, status, seconds)]."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = ACC.match(line)
            if m:
                out.append((epoch(m.group(2), "%d/%b/%Y:%H:%M:%S +0000"), m.group(1), m.group(3), m.group(4),
                            int(m.group(5)), float(m.group(7))))
    return out


# ---- main ----------------------------------------------------------------------------------------------------------

def main():
    work = begin(OUT, "gunicorn", __doc__, readable=True)
    server = Gunicorn(work)
    gateway = None
    traffic = None
    stop_cron = threading.Event()
    cron_counts = {}
    version = subprocess.run([PYTHON, "-c", "import gunicorn, flask, importlib.metadata as m; "
                              "print(gunicorn.__version__, m.version('flask'))"],
                             capture_output=True, text=True, cwd="/").stdout.split()
    labels, alabels = Labels(), Labels()
    how = ("real Gunicorn %s (Debian) as `python3 -m gunicorn -c gunicorn.conf.py orders_app:app` on 127.0.0.1:%d: "
           "3 sync workers, timeout 10, graceful_timeout 20, max_requests 100 (jitter 20), capture_output, loglevel "
           "info, a worker_abort hook logging the aborted worker's stack; the app is a Flask %s orders API (SQLite, "
           "a payment gateway on 127.0.0.1:%d run by the script); clients: web front ends 127.0.0.10-11, mobile "
           "backend 127.0.0.12, marketplace 127.0.0.21, warehouse 127.0.0.22, legacy ERP 127.0.0.23 (revoked key, "
           "401), back office 127.0.0.30, BI 127.0.0.31, monitoring 127.0.0.2, scanners 127.0.0.70-72; about 4.5 "
           "requests/s; routine deploys by HUP; TZ=UTC; wall-clock times"
           % (version[0] if version else "?", PORT, version[1] if len(version) > 1 else "?", PAY_PORT))
    labels.note("made by bench/real-logs/gunicorn.py: Gunicorn's error log (--error-logfile, with the application's "
                "stderr logging and tracebacks through capture_output); " + how)
    alabels.note("made by bench/real-logs/gunicorn.py: Gunicorn's access log (--access-logfile, access_log_format "
                 "default + %(L)s request time + X-Forwarded-For); " + how)
    marks = {}
    ok = False
    try:
        server.setup(random.Random(2026))
        gateway = Gateway()
        gateway.start()
        server.start()
        cron = threading.Thread(target=archival_job, args=(server.dbfile, stop_cron, cron_counts), daemon=True)
        cron.start()
        traffic = Traffic(server, 2026)
        traffic.run()
        t0 = now()

        # a routine deploy
        sleep_until(t0 + 25 * SCALE)
        server.deploy("2026.12.2")
        server.hup()
        marks["deploy-routine"] = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. the payment gateway hangs
        start = now()
        gateway.mode = "hang"
        time.sleep(max(45 * SCALE, 16))
        gateway.mode = "up"
        marks["hang"] = (start, now())
        sleep_until(now() + max(30 * SCALE, 12))
        server.settings["payment_timeout"] = 8       # the admin's fix after the incident
        server.write_settings()
        server.hup()
        marks["settings"] = now()
        sleep_until(marks["hang"][1] + max(90 * SCALE, 20))

        # 2. the new dashboard panel asks for the whole order history
        start = now()
        traffic.bi_full.set()
        panels = [threading.Thread(target=traffic.full_history, args=(p,), daemon=True) for p in (1, 2)]
        for p in panels:
            p.start()
            time.sleep(1.5)
        time.sleep(max(50 * SCALE, 14) - 1.5)
        traffic.bi_full.clear()
        for p in panels:
            p.join(40)
        marks["oom"] = (start, now())
        sleep_until(now() + max(90 * SCALE, 20))

        # 3. the bad deploy and its rollback
        start = now()
        server.deploy("2026.12.3", bad=True)
        server.hup()
        time.sleep(max(60 * SCALE, 14))
        server.deploy("2026.12.2")
        server.hup()
        marks["deploy"] = (start, now())
        sleep_until(now() + max(100 * SCALE, 20))

        traffic.finish(40)
        stop_cron.set()
        time.sleep(1)
        print("%s: %s; gateway %s; oom kills %d; archival %s; full-history tries %d" % (
            NAME, sorted(traffic.counts.items()), gateway.counts, len(server.oom_kills), cron_counts,
            len(traffic.full_tries)), file=sys.stderr)
        ok = True
    finally:
        stop_cron.set()
        if traffic:
            traffic.stop.set()
        server.stop()
        if gateway:
            gateway.close()
        if ok:
            label(server, marks, labels, alabels)
            keep_log(server.error, OUT, NAME, labels)
            keep_log(server.access, OUT, NAME + ".access", alabels)
        shutil.rmtree(work, ignore_errors=True)


def label(server, marks, labels, alabels):
    err, acc = read_error(server.error), read_access(server.access)

    # 1. payment-hang
    s, e = marks["hang"]
    within = [x for x in err if s - 1 <= x[0] <= marks["settings"] - 1]
    timeouts = [x for x in within if "WORKER TIMEOUT" in x[3]]
    pay_err = [x for x in within if x[1] == "app:orders.payment" and "answered 503" not in x[3] and x[0] <= e + 12]
    times = [x[0] for x in timeouts + pay_err]
    placed = [x for x in err if s + 1 <= x[0] <= e - 2 and "placed by" in x[3]]  # held charges finish at e
    boots = [x for x in within if x[3].startswith("Booting worker") and timeouts and x[0] >= timeouts[0][0]]
    slow = [a for a in acc if s <= a[0] <= e + 25 and (a[5] >= 3.0 or a[4] >= 500)]
    if times:
        labels.add("payment-hang", min(times), max(times) + 1, "upstream-timeout",
                   "127.0.0.1:%d|payment gateway|/api/v1/orders" % PAY_PORT,
                   "the payment gateway 127.0.0.1:%d stops answering (accepts connections, never replies) for %d s; "
                   "the app's payment client waits up to 30 s, so each POST /api/v1/orders holds a sync worker until "
                   "Gunicorn's 10 s timeout kills it: %d lines '[CRITICAL] WORKER TIMEOUT (pid:N)', each followed by "
                   "the worker_abort hook's 'worker received SIGABRT signal' and the stack (http/client.py ... "
                   "orders_app.py, in charge), 'Worker exiting (pid: N)' and 'Booting worker with pid: M' (%d boots); "
                   "%d app lines of orders.payment (retries or gateway errors of requests in flight as it recovers), "
                   "%d lines 'order N placed' while it hangs (where about %.1f a minute are normal); the admin lowers "
                   "payment_timeout to 8 s with a HUP afterwards (not part of the label)"
                   % (PAY_PORT, round(e - s), len(timeouts), len(boots), len(pay_err), len(placed),
                      len([x for x in err if s - 120 <= x[0] < s and "placed by" in x[3]]) / 2.0))
    stamps = sorted(a[0] for a in acc)
    gaps = [(a, b) for a, b in zip(stamps, stamps[1:]) if b - a >= 4 and b >= s - 1 and a <= e + 15]
    if gaps:
        g0, g1 = gaps[0][0], gaps[-1][1]
        burst = [a for a in acc if g1 <= a[0] <= g1 + 5]
        rate = len([a for a in acc if s - 60 <= a[0] < s]) / 60.0
        posts = [a for a in acc if s <= a[0] <= e and a[2] == "POST" and a[3] == "/api/v1/orders"]
        alabels.add("payment-hang", g0, g1 + 5, "upstream-timeout",
                    "127.0.0.1:%d|payment gateway|/api/v1/orders" % PAY_PORT,
                    "the payment gateway 127.0.0.1:%d hangs for %d s; each order placed holds a sync worker until "
                    "Gunicorn kills it after 10 s (those requests leave no access line) and the other requests wait "
                    "in the listen queue behind the stuck workers (Gunicorn's request time %%(L)s does not count that "
                    "wait): the access log falls silent, %d gaps of 4 s or more between %s and %s (%d s without a "
                    "line in all, where about %.1f lines a second are normal; the monitoring's /healthz every 5 s "
                    "missing too), then %d lines in the 5 s after the last gap as the queue is served; %d lines POST "
                    "/api/v1/orders while it hangs, %d lines with a 5xx status or a request time of 3 s or more"
                    % (PAY_PORT, round(e - s), len(gaps), time.strftime("%H:%M:%S", time.gmtime(g0)),
                       time.strftime("%H:%M:%S", time.gmtime(g1)), round(sum(b - a for a, b in gaps)), rate,
                       len(burst), len(posts), len(slow)))
    elif slow:
        alabels.add("payment-hang", min(a[0] for a in slow), max(a[0] for a in slow), "upstream-timeout",
                    "127.0.0.1:%d|payment gateway|/api/v1/orders" % PAY_PORT,
                    "the payment gateway 127.0.0.1:%d hangs for %d s; each order placed holds a sync worker until "
                    "Gunicorn kills it after 10 s (those requests leave no access line), and the other requests "
                    "queue behind the stuck workers: %d lines with a request time of 3 s or more or a 5xx status "
                    "(the slowest %.1f s), from %d client addresses; POST /api/v1/orders lines are missing for the "
                    "duration" % (PAY_PORT, round(e - s), len(slow), max(a[5] for a in slow),
                                  len({a[1] for a in slow})))

    # 2. report-oom
    s, e = marks["oom"]
    within = [x for x in err if s - 1 <= x[0] <= e + 5]
    kills = [x for x in within if "was terminated due to signal 9" in x[3]]
    asks = [x for x in within if x[1] == "app:orders.reports" and "2019-01-01" in x[3]]
    times = [x[0] for x in kills + asks]
    if times:
        labels.add("report-oom", min(times), max(times) + 1, "out-of-memory",
                   "127.0.0.31|/api/v1/reports/orders.csv",
                   "a new BI dashboard panel on 127.0.0.31 asks for the orders report over the whole history (GET "
                   "/api/v1/reports/orders.csv?from=2019-01-01..., two panels, each retrying a few seconds after a "
                   "failure) for %d s: the report loads every monthly archive partition into memory and the worker "
                   "is killed by the OOM killer past 400 MB (SIGKILL, %d kills): %d app lines 'INFO "
                   "[orders.reports] orders report 2019-01-01..DATE requested by 127.0.0.31 (bi, 96 monthly "
                   "partitions)' without a 'done' line, %d Gunicorn lines '[WARNING] Worker with pid N was "
                   "terminated due to signal 9', each followed by 'Booting worker with pid: M' and the app's "
                   "'orders-api ... loaded in worker M'"
                   % (round(e - s), len(server.oom_kills), len(asks), len(kills)))
    alabels.note("not in this log: report-oom (the requests of 127.0.0.31 for the whole history never finish: their "
                 "workers are killed, so they leave no access line)")

    # 3. bad-deploy
    s, e = marks["deploy"]
    within = [x for x in err if s - 1 <= x[0] <= e + 8]
    exc = [x for x in within if "Exception on /api/v1/orders" in x[3]]
    exc_post = [x for x in exc if x[3].endswith("[POST]")]
    hups = [x for x in within if "Handling signal: hup" in x[3]]
    loaded = [x for x in within if "orders-api 2026.12.3 loaded" in x[3]]
    fails = [a for a in acc if s - 1 <= a[0] <= e + 8 and a[4] == 500]
    fails_post = [a for a in fails if a[2] == "POST"]
    if exc:
        labels.add("bad-deploy", min([x[0] for x in exc + hups[:1]]), max(x[0] for x in exc) + 1, "bad-deploy",
                   "/api/v1/orders|2026.12.3",
                   "release 2026.12.3 is deployed (code replaced, HUP: 'Handling signal: hup', 'Hang up: Master', new "
                   "workers booted, %d app lines 'orders-api 2026.12.3 loaded in worker N'); its order representation "
                   "adds a delivery estimate that reads the shipment's carrier, which orders not yet shipped do not "
                   "have: for %d s, until the rollback to 2026.12.2 (another HUP), GET /api/v1/orders/<id> of "
                   "unshipped orders and every POST /api/v1/orders (after the order is placed and charged, when the "
                   "new order is returned) fail: %d lines 'ERROR [orders_app] Exception on /api/v1/orders/N [GET]' "
                   "or '... Exception on /api/v1/orders [POST]' (%d POST), each with a traceback ending "
                   "\"TypeError: 'NoneType' object is not subscriptable\" (in order_json, orders_app.py)"
                   % (len(loaded), round(e - s), len(exc), len(exc_post)))
    if fails:
        alabels.add("bad-deploy", min(a[0] for a in fails), max(a[0] for a in fails), "bad-deploy",
                    "/api/v1/orders|2026.12.3",
                    "release 2026.12.3, deployed with a HUP and rolled back after %d s, fails when it returns an "
                    "order not yet shipped: %d lines with status 500, %d 'GET /api/v1/orders/N' (order pages of "
                    "unshipped orders) and %d 'POST /api/v1/orders' (new orders, placed and charged before the error), "
                    "from %d client addresses (%s), where these otherwise answer 200/201 (404, 402, 409, 422 now "
                    "and then)" % (round(e - s), len(fails), len(fails) - len(fails_post), len(fails_post),
                                   len({a[1] for a in fails}), ", ".join(sorted({a[1] for a in fails}))))
    others = [x for x in err if "Exception on" in x[3] and not s - 1 <= x[0] <= e + 8]
    if others:
        print("note: %d exception lines outside bad-deploy" % len(others), file=sys.stderr)


if __name__ == "__main__":
    main()
