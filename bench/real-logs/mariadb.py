#!/usr/bin/env python3
"""Runs a real MariaDB (Debian mariadb-server 10.11) on 127.0.0.1, drives a shop's application traffic against it,
injects labelled incidents and keeps its error log exactly as MariaDB wrote it (log_warnings 2, the default;
skip_name_resolve and innodb_print_all_deadlocks on, as DBAs who chase deadlocks set them). Standard library only:
clients speak the MySQL protocol themselves (mysql_native_password), so that each can bind its own 127.0.0.X.

usage: bench/real-logs/mariadb.py OUTDIR [PORT]
  writes OUTDIR/mariadb-e.log and OUTDIR/mariadb-e.labels.tsv

Normal traffic: the application (user app from 127.0.0.5-9) runs short transactions, about 20 a second; a
monitoring agent on 127.0.0.61 still holds an old password and is refused every 30 s; a reporting client on
127.0.0.20 leaves a connection idle past wait_timeout (20 s) now and then, which MariaDB closes and logs.
Incidents (about 5.5 min in all):
  brute-force   90 logins as root with wrong passwords from 127.0.0.66 in 30 s
  deadlocks     two order-processing jobs that lock the same rows in opposite order, for 30 s: a deadlock every
                second or so, each dumped to the error log
  pool-killed   an application host 127.0.0.70 whose workers are killed (OOM killer), 40 of them in 20 s:
                MariaDB logs each aborted connection
  crash         the server killed (SIGKILL) and started again 10 s later: InnoDB's crash recovery
"""
import hashlib
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

from arrivals import poisson
from labels import Labels

OUT = os.path.abspath(sys.argv[1])
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19306
APP_PASSWORD = "shop-app-2026"


def now():
    return time.time()


class Conn:
    """A minimal MySQL-protocol client: handshake with mysql_native_password, text queries."""

    def __init__(self, source, user, password, db=None, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", PORT), timeout=timeout, source_address=(source, 0))
        self.seq = 0
        hs = self.packet()
        version_end = hs.index(b"\0", 1)
        p = version_end + 1 + 4
        salt = hs[p:p + 8]
        p += 8 + 1 + 2 + 1 + 2 + 2
        salt_len = hs[p]
        p += 1 + 10
        salt += hs[p:p + max(13, salt_len - 8) - 1]
        caps = 0x0200 | 0x8000 | 0x00080000 | 0x0001 | 0x0004 | (0x0008 if db else 0)
        scramble = b""
        if password:
            h1 = hashlib.sha1(password.encode()).digest()
            h2 = hashlib.sha1(salt + hashlib.sha1(h1).digest()).digest()
            scramble = bytes(a ^ b for a, b in zip(h1, h2))
        body = struct.pack("<IIB23x", caps, 1 << 24, 33) + user.encode() + b"\0" + bytes([len(scramble)]) + scramble
        if db:
            body += db.encode() + b"\0"
        body += b"mysql_native_password\0"
        self.send(body)
        reply = self.packet()
        if reply[0] == 0xFF:
            self.sock.close()
            raise PermissionError(reply[9:].decode(errors="replace"))

    def send(self, body):
        self.sock.sendall(struct.pack("<I", len(body))[:3] + bytes([self.seq]) + body)
        self.seq = (self.seq + 1) & 0xFF

    def packet(self):
        head = self.exact(4)
        self.seq = (head[3] + 1) & 0xFF
        return self.exact(int.from_bytes(head[:3], "little"))

    def exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def query(self, sql):
        """Runs sql; returns None for OK, the rows' count for a result set; raises RuntimeError on an error."""
        self.seq = 0
        self.send(b"\x03" + sql.encode())
        first = self.packet()
        if first[0] == 0x00:
            return None
        if first[0] == 0xFF:
            raise RuntimeError(first[9:].decode(errors="replace"))
        rows, eofs = 0, 0
        while eofs < 2:  # column definitions, EOF, rows, EOF
            p = self.packet()
            if p[0] == 0xFE and len(p) < 9:
                eofs += 1
            elif p[0] == 0xFF:
                raise RuntimeError(p[9:].decode(errors="replace"))
            elif eofs == 1:
                rows += 1
        return rows

    def close(self, abort=False):
        try:
            if abort:  # as a killed process's socket: reset, no COM_QUIT
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                self.seq = 0
                self.send(b"\x01")
            self.sock.close()
        except OSError:
            pass


class Server:
    def __init__(self, work):
        self.work, self.data = work, os.path.join(work, "data")
        self.log = os.path.join(work, "error.log")
        self.sock = os.path.join(work, "mysqld.sock")
        self.proc = None
        subprocess.run(["mariadb-install-db", "--no-defaults", "--user=root", "--datadir=" + self.data,
                        "--auth-root-authentication-method=normal", "--skip-test-db"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        self.proc = subprocess.Popen(
            ["mariadbd", "--no-defaults", "--user=root", "--datadir=" + self.data, "--socket=" + self.sock,
             "--port=%d" % PORT, "--bind-address=127.0.0.1", "--log-error=" + self.log,
             "--pid-file=" + os.path.join(self.work, "mysqld.pid"), "--innodb-buffer-pool-size=64M",
             "--innodb-print-all-deadlocks=ON", "--skip-name-resolve", "--wait-timeout=20", "--innodb-lock-wait-timeout=5"],
            env=dict(os.environ, TZ="UTC"))
        deadline = now() + 30
        while now() < deadline:
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("mariadbd did not start on 127.0.0.1:%d" % PORT)

    def sql(self, text):
        subprocess.run(["mariadb", "-S", self.sock, "-u", "root"], input=text.encode(), check=True)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(20)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(60)


SCHEMA = """
CREATE DATABASE shop;
CREATE USER 'app'@'127.0.0.%%' IDENTIFIED BY '%s';
GRANT ALL ON shop.* TO 'app'@'127.0.0.%%';
CREATE USER 'monitor'@'127.0.0.61' IDENTIFIED BY 'rotated-2026-11';
GRANT PROCESS, REPLICATION CLIENT ON *.* TO 'monitor'@'127.0.0.61';
CREATE TABLE shop.stock (id INT PRIMARY KEY, qty INT NOT NULL) ENGINE=InnoDB;
CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, item INT NOT NULL, qty INT NOT NULL,
    placed TIMESTAMP DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB;
INSERT INTO shop.stock SELECT seq, 1000 FROM shop.seq_1000_to_9999;
""" % APP_PASSWORD


class App:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.done = 0
        self.failed = 0

    def worker(self, k, rate):
        rng = random.Random(self.rng.random())
        conn = None
        for _ in poisson(rate, self.stop, rng):
            try:
                if conn is None:
                    conn = Conn("127.0.0.%d" % (5 + k), "app", APP_PASSWORD, "shop")
                item = rng.randint(1000, 9999)
                if rng.random() < 0.6:
                    conn.query("SELECT qty FROM stock WHERE id = %d" % item)
                else:
                    conn.query("BEGIN")
                    conn.query("UPDATE stock SET qty = qty - 1 WHERE id = %d" % item)
                    conn.query("INSERT INTO orders (item, qty) VALUES (%d, 1)" % item)
                    conn.query("COMMIT")
                self.done += 1
            except (OSError, RuntimeError, PermissionError):
                self.failed += 1
                if conn:
                    conn.close(abort=True)
                conn = None
                time.sleep(1)

    def background(self):
        """The monitor's refused login every 30 s, the reporting client's idle connection now and then."""
        rng = random.Random(self.rng.random())
        last_monitor, next_idle = 0, now() + rng.uniform(20, 60)
        while not self.stop.is_set():
            if now() - last_monitor >= 30:
                last_monitor = now()
                try:
                    Conn("127.0.0.61", "monitor", "rotated-2026-08").close()
                except (OSError, PermissionError):
                    pass
            if now() >= next_idle:
                next_idle = now() + rng.uniform(40, 90)
                try:
                    c = Conn("127.0.0.20", "app", APP_PASSWORD, "shop")
                    c.query("SELECT COUNT(*) FROM orders")
                    threading.Timer(40, c.close, kwargs={"abort": True}).start()  # left idle past wait_timeout
                except (OSError, RuntimeError, PermissionError):
                    pass
            time.sleep(0.2)

    def run(self, workers=5, rate=4):
        ts = [threading.Thread(target=self.worker, args=(k, rate), daemon=True) for k in range(workers)]
        ts.append(threading.Thread(target=self.background, daemon=True))
        for t in ts:
            t.start()
        return ts


def brute_force(client="127.0.0.66", attempts=90, seconds=30):
    words = ["123456", "password", "root", "toor", "mysql", "admin", "qwerty", "letmein", "changeme", "shop"]
    start = now()
    for i in range(attempts):
        try:
            Conn(client, "root", words[i % len(words)] + str(i // len(words) or "")).close()
        except (OSError, PermissionError):
            pass
        time.sleep(max(0.0, start + (i + 1) * seconds / attempts - now()))
    return start


def deadlocks(seconds=30):
    """Two jobs that move stock between the same two rows in opposite order; returns (start, deadlocks seen)."""
    start, seen = now(), [0]

    def job(first, second, gate):
        c = Conn("127.0.0.30", "app", APP_PASSWORD, "shop")
        try:
            c.query("BEGIN")
            c.query("UPDATE stock SET qty = qty - 1 WHERE id = %d" % first)
            gate.wait()
            c.query("UPDATE stock SET qty = qty + 1 WHERE id = %d" % second)
            c.query("COMMIT")
        except RuntimeError as e:
            if "Deadlock" in str(e):
                seen[0] += 1
        finally:
            c.close()

    rng = random.Random(5)
    while now() < start + seconds:
        a, b = rng.sample(range(1000, 1010), 2)
        gate = threading.Barrier(2)
        ts = [threading.Thread(target=job, args=(a, b, gate)), threading.Thread(target=job, args=(b, a, gate))]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        time.sleep(rng.uniform(0.6, 1.4))
    return start, seen[0]


def pool_killed(client="127.0.0.70", total=40, seconds=20):
    start = now()
    for i in range(total):
        try:
            c = Conn(client, "app", APP_PASSWORD, "shop")
            c.query("SELECT qty FROM stock WHERE id = %d" % (1000 + i))
            c.close(abort=True)  # the worker dies between queries, its socket reset
        except (OSError, PermissionError):
            pass
        time.sleep(max(0.0, start + (i + 1) * seconds / total - now()))
    return start


def main():
    os.makedirs(OUT, exist_ok=True)
    work = os.path.join("/tmp", "logwarden-mariadb-%d" % os.getpid())
    os.makedirs(work)
    server = Server(work)
    labels = Labels()
    labels.note("made by bench/real-logs/mariadb.py: real MariaDB 10.11 on 127.0.0.1:%d, application clients on "
                "127.0.0.5-9, wall-clock times" % PORT)
    try:
        server.start()
        server.sql(SCHEMA)
        app = App(2026)
        threads = app.run()
        t0 = now()
        time.sleep(max(0.0, t0 + 40 - now()))
        start = brute_force()
        labels.add("brute-force", start, now(), "auth-brute-force", "127.0.0.66|root",
                   "90 logins as root with wrong passwords from 127.0.0.66 in 30 s (Access denied)")
        time.sleep(max(0.0, t0 + 110 - now()))
        start, seen = deadlocks()
        labels.add("deadlocks", start, now(), "deadlocks", "deadlock|stock",
                   "two jobs updating the same stock rows in opposite order for 30 s: %d deadlocks, each dumped" % seen)
        time.sleep(max(0.0, t0 + 190 - now()))
        start = pool_killed()
        labels.add("pool-killed", start, now() + 2, "aborted-connections", "127.0.0.70",
                   "40 application workers on 127.0.0.70 killed in 20 s (Aborted connection ... Got an "
                   "error reading communication packets)")
        time.sleep(max(0.0, t0 + 250 - now()))
        start = now()
        server.kill()
        time.sleep(10)
        server.start()
        labels.add("crash", start, now() + 2, "restart", "-",
                   "mariadbd killed (SIGKILL) and started again 10 s later: InnoDB crash recovery, start-up lines")
        time.sleep(max(0.0, t0 + 330 - now()))
        app.stop.set()
        for t in threads:
            t.join(10)
        print("mariadb-e: %d transactions, %d failed, %d deadlocks" % (app.done, app.failed, seen), file=sys.stderr)
    finally:
        server.stop()
    shutil.copy(server.log, os.path.join(OUT, "mariadb-e.log"))
    labels.write(os.path.join(OUT, "mariadb-e.labels.tsv"))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
