#!/usr/bin/env python3
"""Runs a real PgBouncer (Debian pgbouncer 1.18) in front of a real PostgreSQL 15 (Debian postgresql-15) on
127.0.0.1, drives a web shop's database traffic through it, injects labelled incidents and keeps PgBouncer's log
exactly as it wrote it: Debian's pgbouncer.ini settings (logfile, pidfile, auth_type, auth_file) pointed at a /tmp
work dir, PgBouncer's default logging (log_connections, log_disconnections, log_pooler_errors and log_stats on,
stats_period 60 s) and its default timestamp ("2026-12-02 02:01:26.123 UTC [4711] LOG C-0x55d0c8a0e2c0:
shop/shop_web@127.0.0.11:40112 login attempt: db=shop user=shop_web tls=no"). As a shop would set it up:
pool_mode transaction, auth_type scram-sha-256 with an auth_file holding the roles' SCRAM secrets copied from
pg_authid (so PgBouncer logs in to PostgreSQL with SCRAM pass-through), databases shop, billing and reporting (the
reporting pool small: pool_size 4), max_client_conn 200, default_pool_size 10, query_wait_timeout 30 s,
ignore_startup_parameters extra_float_digits, stats_users monitor. PgBouncer listens on 127.0.0.1:PORT, PostgreSQL
on 127.0.0.1:PORT+1 (scram-sha-256 in pg_hba, initdb'd and run as the postgres user; PgBouncer too runs as postgres,
as Debian's unit does, and is stopped with SIGINT, its unit's KillSignal). Standard library only: the application
clients speak the PostgreSQL protocol themselves (startup message, SCRAM-SHA-256, simple Query, Terminate), each
from its own source address; the monitoring check uses psql against PgBouncer's admin console.

usage: bench/real-logs/pgbouncer.py OUTDIR [PORT]      (default port 19932; PostgreSQL on PORT+1)
  writes OUTDIR/pgbouncer-h.log (or .log.gz if over 1 MB) and OUTDIR/pgbouncer-h.labels.tsv
  SCALE=0.2 multiplies every duration (a short run for testing)

Normal traffic (about 15 transactions/s through PgBouncer, each client a thread with Poisson or jittered timing):
  web app instances web-1..4 (127.0.0.11-14, user shop_web, database shop): each keeps 3 connections (an app-side
  pool with a max lifetime of 1.5-5 min, after which a connection is closed and opened again) running short
  transactions (product and cart reads, cart updates, orders); now and then an instance's worker is recycled and
  its connection dropped without Terminate ("client unexpected eof"). Mobile API instances (127.0.0.16-17, user
  shop_api) open a connection per request (about 0.8 a second), run one or two queries and close it. A billing
  worker (127.0.0.30, user billing_worker, database billing) keeps two connections polling the invoice queue every
  2 s and charging due invoices. The BI dashboard (127.0.0.21, user reporter, database reporting) refreshes about
  every 20 s with two 1-4 s queries; an analyst tool (127.0.0.22, reporter) runs a 5-12 s query now and then. A
  cron-like job (127.0.0.25, user shop_cron) cleans expired carts in shop and reconciles payments in billing every
  minute. Monitoring (psql from 127.0.0.1, user monitor) reads SHOW POOLS and SHOW STATS from the admin console
  every 30 s. Now and then an analyst on a laptop (127.0.0.51-54, user analyst, database reporting) mistypes the
  password once and logs in on the next try.
Incidents (about 7 minutes in all: 90 s of normal traffic, each incident followed by at least 50 s of it):
  reporting-pool   a month-end revenue export (127.0.0.23, user reporter) starts 8 parallel 70-s queries against
                   the reporting pool of 4 server connections: the pool is exhausted, the export's other queries
                   (retried 5 s after each refusal) and the dashboard's and analyst tool's queries queue behind it
                   and PgBouncer closes them after 30 s ("closing because: query_wait_timeout")
  postgres-down    PostgreSQL crashes (pg_ctl stop -m immediate) and comes back 40 s later: PgBouncer's server
                   connections break ("got packet 'N' from server when not linked", "server conn crashed?"),
                   new ones fail ("connect failed", "login failed: FATAL: the database system is starting up"),
                   clients are refused ("server login has been failing, try again later (server_login_retry)")
                   or time out queued ("query_wait_timeout") until the server is back and server_login_retry
                   (15 s) has passed
                   (a pool whose last server login failed during the outage and that nobody used since refuses
                   its next client even minutes later: such late lines are noted in the label's description)
  stale-password   a new web instance web-5 deployed on 127.0.0.18 with the old password of shop_web retries
                   about every second for 40 s: each login attempt logs "ERROR C-0x...: shop/shop_web@127.0.0.18:N
                   password authentication failed", "closing because: SASL authentication failed" and "WARNING
                   ... pooler error: SASL authentication failed"
"""
import base64
import datetime
import hashlib
import hmac
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

from arrivals import poisson
from drivers import Children, stop_process, wait_listening, keep_log, now, sleep_until
from labels import Labels

OUT = os.path.abspath(sys.argv[1])
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19932
PG_PORT = PORT + 1
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "pgbouncer-h"
PGBIN = "/usr/lib/postgresql/15/bin"

PASSWORDS = {"shop_web": "w3b-Sh0p-2026", "shop_api": "api-9f2c71e0", "billing_worker": "b1ll-7d21e4",
             "reporter": "rep-Q3-4410", "shop_cron": "cron-5be1a2", "analyst": "an-summer-2026",
             "monitor": "mon-8c33f0d1"}
STALE = {"shop_web": "w3b-Sh0p-2025"}  # the password before the last rotation


# --- a minimal PostgreSQL protocol client ---

class PgError(Exception):
    def __init__(self, fields):
        self.fields = fields
        super().__init__("%s: %s" % (fields.get("S", "ERROR"), fields.get("M", "?")))


class Pg:
    """Startup, SCRAM-SHA-256 (or md5/cleartext) authentication, simple Query, Terminate."""

    def __init__(self, source, user, password, db, app="", timeout=60):
        self.sock = socket.create_connection(("127.0.0.1", PORT), timeout=timeout, source_address=(source, 0))
        self.buf = b""
        try:
            params = b"user\0" + user.encode() + b"\0database\0" + db.encode() + b"\0"
            if app:
                params += b"application_name\0" + app.encode() + b"\0"
            params += b"client_encoding\0UTF8\0\0"
            self.sock.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
            self.auth(user, password)
            while True:
                t, body = self.msg()
                if t == b"Z":
                    return
                if t == b"E":
                    raise PgError(self.fields(body))
        except BaseException:
            self.sock.close()
            raise

    def auth(self, user, password):
        nonce = base64.b64encode(os.urandom(18)).decode()
        first_bare = "n=,r=" + nonce
        while True:
            t, body = self.msg()
            if t == b"E":
                raise PgError(self.fields(body))
            if t != b"R":
                raise ConnectionError("unexpected message %r during authentication" % t)
            code = struct.unpack("!i", body[:4])[0]
            if code == 0:
                return
            if code == 3:
                self.send(b"p", password.encode() + b"\0")
            elif code == 5:
                inner = hashlib.md5((password + user).encode()).hexdigest().encode()
                self.send(b"p", b"md5" + hashlib.md5(inner + body[4:8]).hexdigest().encode() + b"\0")
            elif code == 10:
                first = ("n,," + first_bare).encode()
                self.send(b"p", b"SCRAM-SHA-256\0" + struct.pack("!i", len(first)) + first)
            elif code == 11:
                server_first = body[4:].decode()
                attrs = dict(kv.split("=", 1) for kv in server_first.split(","))
                salted = salted_password(password, base64.b64decode(attrs["s"]), int(attrs["i"]))
                client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
                stored_key = hashlib.sha256(client_key).digest()
                final_bare = "c=biws,r=" + attrs["r"]
                auth_msg = ",".join([first_bare, server_first, final_bare]).encode()
                signature = hmac.new(stored_key, auth_msg, hashlib.sha256).digest()
                proof = bytes(a ^ b for a, b in zip(client_key, signature))
                self.send(b"p", (final_bare + ",p=" + base64.b64encode(proof).decode()).encode())
            elif code == 12:
                pass  # SASLFinal: the server's signature (not checked: loopback test clients)
            else:
                raise ConnectionError("unsupported authentication request %d" % code)

    @staticmethod
    def fields(body):
        out = {}
        for part in body.split(b"\0"):
            if part:
                out[chr(part[0])] = part[1:].decode(errors="replace")
        return out

    def send(self, t, body):
        self.sock.sendall(t + struct.pack("!i", len(body) + 4) + body)

    def exact(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed by server")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def msg(self):
        head = self.exact(5)
        return head[:1], self.exact(struct.unpack("!i", head[1:])[0] - 4)

    def query(self, sql):
        """Runs sql (simple Query); returns the rows (lists of str/None); raises PgError after ReadyForQuery."""
        self.send(b"Q", sql.encode() + b"\0")
        rows, err = [], None
        while True:
            t, body = self.msg()
            if t == b"D":
                n, p, row = struct.unpack("!h", body[:2])[0], 2, []
                for _ in range(n):
                    ln = struct.unpack("!i", body[p:p + 4])[0]
                    p += 4
                    row.append(None if ln < 0 else body[p:p + ln].decode(errors="replace"))
                    p += max(ln, 0)
                rows.append(row)
            elif t == b"E":
                err = PgError(self.fields(body))
            elif t == b"Z":
                if err:
                    raise err
                return rows

    def close(self, abort=False):
        try:
            if abort:  # as a killed worker's socket: reset, no Terminate
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                self.send(b"X", b"")
            self.sock.close()
        except OSError:
            pass


_salted = {}
_salted_lock = threading.Lock()


def salted_password(password, salt, iterations):
    key = (password, salt, iterations)
    with _salted_lock:
        if key not in _salted:
            _salted[key] = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
        return _salted[key]


FAILURES = (OSError, ConnectionError, PgError)
OUTAGE_SIGNS = ("crashed", "when not linked", "connect failed", "server_login_retry", "login failed",
                "server connection failure", "cannot connect", "onnection refused", "query_wait_timeout")


# --- servers ---

def as_postgres():
    return dict(user="postgres", group="postgres", extra_groups=[])


PG_CONF = """
port = {port}
listen_addresses = '127.0.0.1'
unix_socket_directories = '{work}'
max_connections = 100
shared_buffers = 64MB
log_timezone = 'UTC'
"""

SCHEMA_SHOP = """
CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL, price numeric(10,2) NOT NULL, stock int NOT NULL);
INSERT INTO products SELECT g, 'product ' || g, 5 + (g % 200) + 0.99, 500 FROM generate_series(1, 5000) g;
CREATE TABLE carts (id serial PRIMARY KEY, session text NOT NULL, product_id int REFERENCES products, qty int,
                    updated timestamptz DEFAULT now());
CREATE INDEX ON carts (session);
CREATE TABLE orders (id serial PRIMARY KEY, session text, total numeric(10,2), status text DEFAULT 'new',
                     created timestamptz DEFAULT now());
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO shop_web, shop_api, shop_cron;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO shop_web, shop_api, shop_cron;
"""
SCHEMA_BILLING = """
CREATE TABLE invoices (id serial PRIMARY KEY, order_ref int, amount numeric(10,2), state text DEFAULT 'due',
                       updated timestamptz DEFAULT now());
CREATE INDEX ON invoices (state);
CREATE TABLE payments (id serial PRIMARY KEY, invoice_id int REFERENCES invoices, amount numeric(10,2),
                       created timestamptz DEFAULT now());
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO billing_worker, shop_cron;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO billing_worker, shop_cron;
"""
SCHEMA_REPORTING = """
CREATE TABLE sales_daily (day date, region text, product_id int, units int, revenue numeric(12,2));
INSERT INTO sales_daily SELECT d::date, (ARRAY['north','south','east','west'])[1 + g % 4], g % 500, 1 + g % 7,
    (g % 97) * 3.5 FROM generate_series(now() - interval '180 days', now(), interval '1 day') d,
    generate_series(1, 200) g;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO reporter, analyst;
"""


class Postgres:
    def __init__(self, work):
        self.work, self.data = work, os.path.join(work, "data")
        self.log = os.path.join(work, "postgresql.log")
        pwfile = os.path.join(work, "pw")
        with open(pwfile, "w") as f:
            f.write("su-%x\n" % random.getrandbits(64))
        shutil.chown(pwfile, "postgres", "postgres")
        subprocess.run([PGBIN + "/initdb", "-D", self.data, "-U", "postgres", "--pwfile=" + pwfile,
                        "-A", "scram-sha-256", "--auth-local=trust"], check=True, cwd=work,
                       stdout=subprocess.DEVNULL, **as_postgres())
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(PG_CONF.format(port=PG_PORT, work=work))

    def ctl(self, *args):
        subprocess.run([PGBIN + "/pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60"] + list(args),
                       check=True, cwd=self.work, stdout=subprocess.DEVNULL, **as_postgres())

    def start(self):
        self.ctl("start")

    def crash(self):
        self.ctl("-m", "immediate", "stop")

    def stop(self):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            try:
                self.ctl("-m", "fast", "stop")
            except subprocess.CalledProcessError:
                pass

    def psql(self, db, sql, tuples=False):
        args = ["psql", "-h", self.work, "-p", str(PG_PORT), "-U", "postgres", "-d", db, "-X", "-q",
                "-v", "ON_ERROR_STOP=1"] + (["-A", "-t", "-F", "\t"] if tuples else [])
        return subprocess.run(args, input=sql.encode(), check=True, stdout=subprocess.PIPE).stdout.decode()

    def setup(self):
        self.psql("postgres", "".join("CREATE ROLE %s LOGIN PASSWORD '%s';\n" % kv for kv in PASSWORDS.items())
                  + "CREATE DATABASE shop; CREATE DATABASE billing; CREATE DATABASE reporting;\n")
        self.psql("shop", SCHEMA_SHOP)
        self.psql("billing", SCHEMA_BILLING)
        self.psql("reporting", SCHEMA_REPORTING)
        self.psql("billing", "INSERT INTO invoices (order_ref, amount, state) SELECT g, 20 + g % 80, "
                  "CASE WHEN g % 10 = 0 THEN 'due' ELSE 'paid' END FROM generate_series(1, 3000) g;")
        rows = self.psql("postgres", "SELECT rolname, rolpassword FROM pg_authid WHERE rolname IN (%s) ORDER BY 1;"
                         % ",".join("'%s'" % u for u in PASSWORDS), tuples=True)
        return [line.split("\t") for line in rows.splitlines() if line]


PGB_CONF = """[databases]
shop = host=127.0.0.1 port={pg_port} dbname=shop
billing = host=127.0.0.1 port={pg_port} dbname=billing pool_size=5
reporting = host=127.0.0.1 port={pg_port} dbname=reporting pool_size=4

[users]

[pgbouncer]
logfile = {work}/log/pgbouncer.log
pidfile = {work}/pgbouncer.pid
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir = {work}
auth_type = scram-sha-256
auth_file = {work}/userlist.txt
stats_users = monitor
pool_mode = transaction
ignore_startup_parameters = extra_float_digits
max_client_conn = 200
default_pool_size = 10
query_wait_timeout = 30
"""


class PgBouncer:
    def __init__(self, work, secrets):
        self.work = work
        self.conf = os.path.join(work, "pgbouncer.ini")
        self.log = os.path.join(work, "log", "pgbouncer.log")
        self.proc = None
        os.makedirs(os.path.join(work, "log"))
        with open(self.conf, "w") as f:
            f.write(PGB_CONF.format(work=work, port=PORT, pg_port=PG_PORT))
        with open(os.path.join(work, "userlist.txt"), "w") as f:
            for user, secret in secrets:
                f.write('"%s" "%s"\n' % (user, secret))
        for n in ("log", "pgbouncer.ini", "userlist.txt"):
            shutil.chown(os.path.join(work, n), "postgres", "postgres")
        os.chmod(os.path.join(work, "userlist.txt"), 0o640)

    def start(self):
        self.proc = subprocess.Popen(["/usr/sbin/pgbouncer", self.conf], cwd=self.work, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     env=dict(os.environ, TZ="UTC"), **as_postgres())
        wait_listening(self.proc, "pgbouncer", (PORT,))

    def stop(self):
        # Debian's unit: KillSignal=SIGINT (safe shutdown), then SIGTERM (immediate)
        stop_process(self.proc, (signal.SIGINT, signal.SIGTERM), 15)

    def lines(self, since, match, until=None):
        """(epoch, message) of the log's lines from `since` (to `until`) whose message (after the level) matches."""
        out = []
        with open(self.log, encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split(" ", 5)
                if len(parts) < 6:
                    continue
                try:
                    ts = datetime.datetime.strptime(parts[0] + " " + parts[1], "%Y-%m-%d %H:%M:%S.%f").replace(
                        tzinfo=datetime.timezone.utc).timestamp()
                except ValueError:
                    continue
                if ts >= since and (until is None or ts <= until) and match(parts[5]):
                    out.append((ts, parts[5]))
        return out


def client_ip(message):
    """The client's address in 'C-0x...: db/user@127.0.0.21:40112 ...'."""
    return message.split("@", 1)[1].split(":", 1)[0] if "@" in message else "?"


def message_kind(message):
    """A log message without its connection prefix, port numbers and age."""
    m = message
    if m[:2] in ("C-", "S-") and ": " in m:
        head, _, m = m.partition(": ")
        m = m.split(" ", 1)[1] if " " in m and "@" in m.split(" ", 1)[0] else m
    m = m.split(" (age=", 1)[0]
    return m


def tally(items):
    out = {}
    for i in items:
        out[i] = out.get(i, 0) + 1
    return sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))


# --- normal traffic ---

class Traffic:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.counts = {}
        self.lock = threading.Lock()
        self.children = Children()

    def count(self, key, n=1):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + n

    def wait(self, seconds):
        return self.stop.wait(seconds)

    # web instances: app-side pool of persistent connections with a max lifetime
    def web_conn(self, inst, k):
        rng = random.Random(self.rng.random())
        ip = "127.0.0.%d" % (10 + inst)
        conn, born, lifetime, fails = None, 0, 0, 0
        session = "%x" % rng.getrandbits(40)
        self.wait(rng.uniform(0, 5))
        for _ in poisson(1.2, self.stop, rng):
            try:
                if conn and now() - born > lifetime:
                    conn.close(abort=rng.random() < 0.08)  # a recycled worker now and then drops it uncleanly
                    conn = None
                if conn is None:
                    conn = Pg(ip, "shop_web", PASSWORDS["shop_web"], "shop", "shop-web-%d" % inst)
                    born, lifetime = now(), rng.uniform(90, 300)
                r = rng.random()
                pid = rng.randint(1, 5000)
                if r < 0.55:
                    conn.query("SELECT id, name, price, stock FROM products WHERE id = %d" % pid)
                elif r < 0.8:
                    conn.query("SELECT c.product_id, c.qty, p.price FROM carts c JOIN products p ON p.id = "
                               "c.product_id WHERE c.session = '%s'" % session)
                elif r < 0.95:
                    conn.query("BEGIN; INSERT INTO carts (session, product_id, qty) VALUES ('%s', %d, %d); "
                               "UPDATE carts SET updated = now() WHERE session = '%s'; COMMIT"
                               % (session, pid, rng.randint(1, 3), session))
                else:
                    conn.query("BEGIN")
                    conn.query("UPDATE products SET stock = stock - 1 WHERE id = %d" % pid)
                    conn.query("INSERT INTO orders (session, total) SELECT '%s', coalesce(sum(c.qty * p.price), 0) "
                               "FROM carts c JOIN products p ON p.id = c.product_id WHERE c.session = '%s'"
                               % (session, session))
                    conn.query("DELETE FROM carts WHERE session = '%s'" % session)
                    conn.query("COMMIT")
                    session = "%x" % rng.getrandbits(40)
                self.count("web")
                fails = 0
            except FAILURES:
                self.count("web-failed")
                if conn:
                    conn.close(abort=True)
                conn = None
                fails += 1
                self.wait(min(10.0, 1.5 * 2 ** (fails - 1)) * rng.uniform(0.8, 1.2))  # the pool's retry backoff
        if conn:
            conn.close()

    # mobile API: a connection per request
    def api(self, ips, rate):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            ip = rng.choice(ips)
            try:
                conn = Pg(ip, "shop_api", PASSWORDS["shop_api"], "shop", "shop-api")
                conn.query("SELECT id, name, price FROM products WHERE id IN (%s)"
                           % ",".join(str(rng.randint(1, 5000)) for _ in range(rng.randint(1, 8))))
                if rng.random() < 0.3:
                    conn.query("SELECT status, total FROM orders ORDER BY id DESC LIMIT 5")
                conn.close(abort=rng.random() < 0.03)  # a phone's request cut off: no Terminate
                self.count("api")
            except FAILURES:
                self.count("api-failed")

    # billing worker: two persistent connections polling the invoice queue
    def billing(self, k):
        rng = random.Random(self.rng.random())
        conn = None
        self.wait(k * 1.0)
        while not self.stop.is_set():
            try:
                if conn is None:
                    conn = Pg("127.0.0.30", "billing_worker", PASSWORDS["billing_worker"], "billing",
                              "billing-worker")
                if rng.random() < 0.15:
                    conn.query("INSERT INTO invoices (order_ref, amount) VALUES (%d, %d.%02d)"
                               % (rng.randint(1, 99999), rng.randint(5, 400), rng.randint(0, 99)))
                rows = conn.query("BEGIN; SELECT id, amount FROM invoices WHERE state = 'due' ORDER BY id LIMIT 3 "
                                  "FOR UPDATE SKIP LOCKED")
                for inv, amount in rows[:rng.randint(0, 2)]:
                    conn.query("INSERT INTO payments (invoice_id, amount) VALUES (%s, %s)" % (inv, amount))
                    conn.query("UPDATE invoices SET state = 'paid', updated = now() WHERE id = %s" % inv)
                conn.query("COMMIT")
                self.count("billing")
                self.wait(rng.uniform(1.5, 2.5))
            except FAILURES:
                self.count("billing-failed")
                if conn:
                    conn.close(abort=True)
                conn = None
                self.wait(rng.uniform(4, 6))
        if conn:
            conn.close()

    def report(self, ip, app, sqls, tag):
        try:
            conn = Pg(ip, "reporter", PASSWORDS["reporter"], "reporting", app)
            try:
                for sql in sqls:
                    conn.query(sql)
                self.count(tag)
            finally:
                conn.close()
        except FAILURES:
            self.count(tag + "-failed")

    def dashboard(self):
        rng = random.Random(self.rng.random())
        for _ in poisson(1 / 20.0, self.stop, rng):
            self.report("127.0.0.21", "bi-dashboard", [
                "WITH w AS MATERIALIZED (SELECT pg_sleep(%.1f)) SELECT region, sum(revenue) FROM sales_daily, w "
                "WHERE day > now() - interval '7 days' GROUP BY region" % rng.uniform(0.8, 3),
                "WITH w AS MATERIALIZED (SELECT pg_sleep(%.1f)) SELECT day, sum(units) FROM sales_daily, w "
                "GROUP BY day ORDER BY day DESC LIMIT 30" % rng.uniform(0.5, 1.5)], "dashboard")

    def analyst_tool(self):
        rng = random.Random(self.rng.random())
        for _ in poisson(1 / 45.0, self.stop, rng):
            self.report("127.0.0.22", "analyst-tool", [
                "WITH w AS MATERIALIZED (SELECT pg_sleep(%.1f)) SELECT product_id, sum(revenue) FROM sales_daily, "
                "w GROUP BY product_id ORDER BY 2 DESC LIMIT 50" % rng.uniform(5, 12)], "analyst-tool")

    def cron(self):
        rng = random.Random(self.rng.random())
        self.wait(rng.uniform(10, 40))
        while not self.stop.is_set():
            for db, sql in (("shop", "DELETE FROM carts WHERE updated < now() - interval '2 minutes'"),
                            ("billing", "SELECT count(*), sum(p.amount) FROM payments p JOIN invoices i ON "
                                        "i.id = p.invoice_id WHERE p.created > now() - interval '1 hour'")):
                try:
                    conn = Pg("127.0.0.25", "shop_cron", PASSWORDS["shop_cron"], db, "cron")
                    conn.query(sql)
                    conn.close()
                    self.count("cron")
                except FAILURES:
                    self.count("cron-failed")
            self.wait(rng.uniform(55, 65))

    def monitor(self):
        rng = random.Random(self.rng.random())
        self.wait(rng.uniform(3, 15))
        env = dict(os.environ, PGPASSWORD=PASSWORDS["monitor"], PGCONNECT_TIMEOUT="10")
        while not self.stop.is_set():
            try:
                p = subprocess.Popen(["psql", "-h", "127.0.0.1", "-p", str(PORT), "-U", "monitor", "-d", "pgbouncer",
                                      "-X", "-q", "-c", "SHOW POOLS", "-c", "SHOW STATS"], env=env,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                self.children.add(p)
                p.wait(30)
                self.children.discard(p)
                self.count("monitor" if p.returncode == 0 else "monitor-failed")
            except (OSError, subprocess.TimeoutExpired):
                self.count("monitor-failed")
            self.wait(rng.uniform(28, 32))

    def analyst(self):
        """Now and then an analyst logs in from a laptop, mistyping the password first."""
        rng = random.Random(self.rng.random())
        for _ in poisson(1 / 110.0, self.stop, rng):
            ip = "127.0.0.%d" % rng.randint(51, 54)
            try:
                Pg(ip, "analyst", PASSWORDS["analyst"][:-1] + rng.choice("0123456789"), "reporting", "psql").close()
            except FAILURES:
                self.count("analyst-typo")
            self.wait(rng.uniform(3, 7))
            try:
                conn = Pg(ip, "analyst", PASSWORDS["analyst"], "reporting", "psql")
                conn.query("SELECT region, sum(units) FROM sales_daily WHERE day > now() - interval '30 days' "
                           "GROUP BY region")
                self.wait(rng.uniform(5, 20))
                conn.query("SELECT count(*) FROM sales_daily WHERE revenue > 300")
                conn.close()
                self.count("analyst")
            except FAILURES:
                self.count("analyst-failed")

    def run(self):
        ts = [threading.Thread(target=self.web_conn, args=(inst, k), daemon=True)
              for inst in range(1, 5) for k in range(3)]
        ts += [threading.Thread(target=self.api, args=(["127.0.0.16", "127.0.0.17"], 0.8), daemon=True),
               threading.Thread(target=self.billing, args=(0,), daemon=True),
               threading.Thread(target=self.billing, args=(1,), daemon=True),
               threading.Thread(target=self.dashboard, daemon=True),
               threading.Thread(target=self.analyst_tool, daemon=True),
               threading.Thread(target=self.cron, daemon=True),
               threading.Thread(target=self.monitor, daemon=True),
               threading.Thread(target=self.analyst, daemon=True)]
        for t in ts:
            t.start()
        return ts


# --- incidents ---

def month_end_export(seconds, workers=8):
    """A month-end export on 127.0.0.23 runs `workers` long queries at once against the reporting pool of 4; a part
    refused with query_wait_timeout is retried 5 s later while the export's time lasts."""
    start = now()
    results = []

    def worker(k):
        while True:
            try:
                conn = Pg("127.0.0.23", "reporter", PASSWORDS["reporter"], "reporting", "month-end-export",
                          timeout=seconds + 60)
            except FAILURES as e:
                results.append(("login-failed", str(e)))
                return
            try:
                conn.query("WITH w AS MATERIALIZED (SELECT pg_sleep(%.1f)) SELECT region, product_id, sum(units), "
                           "sum(revenue) FROM sales_daily, w WHERE day >= date_trunc('month', now()) - interval "
                           "'1 month' GROUP BY 1, 2 -- part %d"
                           % (max(5.0, start + seconds + k * 0.7 - now()), k + 1))
                results.append(("done", ""))
                conn.close()
                return
            except FAILURES as e:
                results.append(("failed", str(e)))
                conn.close(abort=True)
            if now() > start + seconds - 15:
                return
            time.sleep(5)

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(workers)]
    for t in ts:
        t.start()
        time.sleep(0.3)
    for t in ts:
        t.join(seconds + 120)
    return start, now(), results


def stale_password(seconds):
    """web-5, deployed on 127.0.0.18 with shop_web's old password, retries about every second."""
    rng = random.Random(18)
    start, tries = now(), 0
    while now() < start + seconds:
        tries += 1
        try:
            Pg("127.0.0.18", "shop_web", STALE["shop_web"], "shop", "shop-web-5").close()
        except FAILURES:
            pass
        time.sleep(rng.uniform(0.7, 1.3))
    return start, now(), tries


def main():
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even when started in the background
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))       # so that the finally clause cleans up
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="logwarden-pgbouncer-", dir="/tmp")
    os.chmod(work, 0o755)
    shutil.chown(work, "postgres", "postgres")
    pg = bouncer = traffic = None
    labels = Labels()
    labels.note("made by bench/real-logs/pgbouncer.py: real PgBouncer 1.18 (Debian) on 127.0.0.1:%d in front of "
                "PostgreSQL 15 on 127.0.0.1:%d, pool_mode transaction, auth_type scram-sha-256 with an auth_file, "
                "databases shop/billing/reporting (reporting pool_size 4), query_wait_timeout 30, default logging "
                "(log_connections/log_disconnections/log_pooler_errors on, stats every 60 s); web app instances "
                "127.0.0.11-14 (shop_web), per-request API clients 127.0.0.16-17 (shop_api), billing worker "
                "127.0.0.30, BI dashboard and analyst tool 127.0.0.21-22 (reporter), cron 127.0.0.25, psql "
                "monitoring of the admin console every 30 s, a rare mistyped analyst password (127.0.0.51-54); "
                "wall-clock times" % (PORT, PG_PORT))
    ok = False
    try:
        pg = Postgres(work)
        pg.start()
        secrets = pg.setup()
        bouncer = PgBouncer(work, secrets)
        bouncer.start()
        traffic = Traffic(2026)
        threads = traffic.run()
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. a month-end export exhausts the reporting pool: queued queries hit query_wait_timeout
        seconds = max(70 * SCALE, 45.0)  # past query_wait_timeout 30 s, whatever the scale
        start, end, results = month_end_export(seconds)
        time.sleep(1)
        waits = bouncer.lines(start - 1, lambda m: "closing because: query_wait_timeout" in m, end + 2)
        export_lines = bouncer.lines(start - 1, lambda m: "@127.0.0.23:" in m, end + 2)
        first = min([start + 60] + [t for t, _ in waits + export_lines])
        last = max([end] + [t for t, _ in waits + export_lines])
        labels.add("reporting-pool", first, last, "pool-exhausted", "reporting|reporter|127.0.0.23",
                   "a month-end export on 127.0.0.23 (user reporter) starts 8 parallel %d-s queries against the "
                   "reporting pool (pool_size 4, shared with the BI dashboard and analyst tool); the pool is "
                   "exhausted, queued queries are closed after 30 s: %d 'closing because: query_wait_timeout' lines "
                   "(%s), each followed by 'pooler error: query_wait_timeout', the first %d s in (the export retries "
                   "its refused parts 5 s later); %d log lines of the export's clients (127.0.0.23) in all; export "
                   "query outcomes %s"
                   % (round(seconds), len(waits),
                      ", ".join("%s x%d" % kv for kv in tally(client_ip(m) for _, m in waits)),
                      round(waits[0][0] - start) if waits else -1, len(export_lines),
                      ", ".join("%s x%d" % kv for kv in tally(r[0] for r in results))))
        sleep_until(end + 50 * SCALE)

        # 2. PostgreSQL crashes and is started again 40 s later
        seconds = max(40 * SCALE, 20.0)
        start = now()
        pg.crash()
        sleep_until(start + seconds)
        pg.start()
        up = now()
        sleep_until(up + 52 * SCALE)
        broken = bouncer.lines(start - 1, lambda m: any(k in m for k in OUTAGE_SIGNS), up + 45)
        last = broken[-1][0] if broken else up
        labels.add("postgres-down", start, max(last, up), "backend-down", "127.0.0.1:%d|server conn crashed|"
                   "connect failed|server_login_retry" % PG_PORT,
                   "PostgreSQL (127.0.0.1:%d) crashes (pg_ctl stop -m immediate) and is started again %d s later; "
                   "PgBouncer logs %d lines of broken or failing server connections and refused clients until %d s "
                   "after the restart: %s"
                   % (PG_PORT, round(up - start), len(broken), round(last - up),
                      "; ".join("%s x%d" % kv for kv in tally(message_kind(m) for _, m in broken))))

        # 3. a new web instance with a stale password
        start, end, tries = stale_password(max(40 * SCALE, 10.0))
        time.sleep(1)
        refused = bouncer.lines(start - 1, lambda m: "@127.0.0.18:" in m, end + 2)
        labels.add("stale-password", refused[0][0] if refused else start, refused[-1][0] if refused else end,
                   "auth-failure", "127.0.0.18|shop_web",
                   "a new web instance web-5 on 127.0.0.18 deployed with the old password of shop_web retries about "
                   "every second for %d s: %d login attempts, %d log lines from 127.0.0.18 (%s)"
                   % (round(end - start), tries, len(refused),
                      "; ".join("%s x%d" % kv for kv in tally(message_kind(m) for _, m in refused))))
        sleep_until(end + 50 * SCALE)

        traffic.stop.set()
        deadline = now() + 5  # the Poisson threads may be asleep till their next arrival: daemons, not waited for
        for t in threads:
            t.join(max(0.0, deadline - now()))
        bouncer.stop()
        late = bouncer.lines(up + 45, lambda m: any(k in m for k in OUTAGE_SIGNS) and "@127.0.0.18:" not in m)
        if late:  # a pool whose last server login failed refuses its next client even minutes later
            row = next(r for r in labels.rows if r[0] == "postgres-down")
            row[5] += ("; later, when a pool untouched since the outage is next used, %d more lines (%s) at %s"
                       % (len(late), "; ".join("%s x%d" % kv for kv in tally(message_kind(m) for _, m in late)),
                          ", ".join(sorted(set(time.strftime("%H:%M:%S", time.gmtime(t)) for t, _ in late)))))
        print("%s: counts %s" % (NAME, dict(sorted(traffic.counts.items()))), file=sys.stderr)
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
            traffic.children.kill()
        if bouncer:
            bouncer.stop()
        if pg:
            pg.stop()
        if ok:
            keep_log(bouncer.log, OUT, NAME, labels)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
