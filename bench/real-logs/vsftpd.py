#!/usr/bin/env python3
"""Runs a real vsftpd (Debian vsftpd 3.0.3) as a wholesaler's file-exchange FTP server on 127.0.0.1: staff, EDI
trading partners, a document scanner, a backup job and anonymous downloads of the public manuals, price lists and
firmware. It drives that traffic with ftplib, injects labelled incidents and keeps vsftpd's logs exactly as it
wrote them: vsftpd's own log (Debian's vsftpd.conf has xferlog_enable=YES without xferlog_std_format, so vsftpd
writes its own format to vsftpd_log_file, by default /var/log/vsftpd.log: 'Wed Dec  2 18:50:36 2026 [pid 1958]
[ftp-alice] OK UPLOAD: Client "127.0.0.101", "/docs/report.xlsx", 100000 bytes, 17958.12Kbyte/sec'), and, as an
admin who wants transfer statistics too sets dual_log_enable=YES, the wu-ftpd style xferlog beside it
('Wed Dec  2 18:50:36 2026 1 127.0.0.101 100000 /docs/report.xlsx b _ i r ftp-alice ftp 0 * c').

vsftpd runs standalone as `vsftpd WORK/vsftpd.conf` (as root, in the foreground; stopped with SIGTERM by this script)
with Debian's /etc/vsftpd.conf as the base, changed only where the scenario needs it: listen=YES (listen_ipv6=NO)
on listen_address 127.0.0.1 listen_port PORT, pasv_min_port/pasv_max_port PORT+1..PORT+18, write_enable=YES,
anonymous_enable=YES (read-only) with anon_root WORK/srv/ftp, chroot_local_user=YES (the homes are root-owned with
user-writable subdirectories, as the vsftpd FAQ says), max_clients=100 and max_per_ip=10, dual_log_enable=YES with
vsftpd_log_file and xferlog_file in the work dir. Local users are real system users (useradd, chpasswd, PAM service
vsftpd as Debian ships it), created at the start and removed (userdel) at the end; TZ=UTC (use_localtime=YES).
Needs (Debian): vsftpd. Standard library only (ftplib, each client binding its own 127.0.0.X).

usage: bench/real-logs/vsftpd.py OUTDIR [PORT]      (default port 19921, passive ports PORT+1..PORT+18)
  writes OUTDIR/vsftpd-i.log (vsftpd's own log), OUTDIR/vsftpd-i.xferlog.log (the xferlog) and their labels,
  OUTDIR/vsftpd-i.labels.tsv and OUTDIR/vsftpd-i.xferlog.labels.tsv
  SCALE=0.2 multiplies every duration (a short run for testing)

Normal traffic (about 1.5 sessions/s, Poisson or jittered):
  8 staff (ftp-alice .. ftp-heidi, desktops 127.0.0.101-108, laptops 127.0.0.121-128) about 0.35 sessions/s: LIST,
  downloads and uploads in their /docs (10 KB - 12 MB), now and then a delete, a rename or a new folder; 5 EDI
  partners (ftp-acme 127.0.0.21 every ~6 s, ftp-globex .22 ~10 s, ftp-initech .23 ~8 s, ftp-umbrella .24 ~15 s,
  ftp-hooli .25 ~12 s) polling: download and delete what the ERP put in /outgoing, upload orders to /incoming (the
  ERP picks them up); the scanner ftp-scanner (127.0.0.30) uploading scans about every 15 s; the backup job
  ftp-backup (127.0.0.31) uploading a database dump (4-15 MB) about every 70 s and deleting the oldest; anonymous
  downloads of /pub (about 0.5 sessions/s from 127.0.0.150-199, e-mail addresses as passwords). Normal errors: a
  staff member mistyping a password (or the user name) about once a minute, a download aborted by the client about
  every 40 s (FAIL DOWNLOAD with the bytes sent), an anonymous download of a file that is no longer there now and
  then, a monitoring check (127.0.0.2, connect and QUIT) every 30 s and now and then a client that connects and
  goes away before logging in (CONNECT lines only).
Incidents (about 6.5 minutes in all: 90 s of normal traffic, each incident followed by at least 55 s of it):
  brute-force     127.0.0.66 sprays passwords at 24 user names (admin, root, test, backup, some real ftp-* users)
                  with 8 parallel connections for 40 s: [name] FAIL LOGIN: Client "127.0.0.66" (PAM and vsftpd
                  delay each failure; max_login_fails=3 ends each connection after three)
  upload-denied   a maintenance script restores ftp-acme's /incoming from a backup as root:root: for 50 s every
                  upload of that partner fails ([ftp-acme] FAIL UPLOAD: Client "127.0.0.21", "/incoming/...",
                  553 Could not create file; its script tries each held-back file again at every poll, so the
                  failures grow with the backlog) until the ownership is fixed and the backlog goes up
  conn-flood      ftp-globex replaces its poller on 127.0.0.22 with a mirror tool set to 25 parallel connections
                  that re-downloads its whole /archive for 40 s: vsftpd lets 10 in (max_per_ip=10) and refuses the
                  rest (CONNECT: Client "127.0.0.22", "Connection refused: too many sessions for this address."),
                  the refused ones retry every 2 s; the 10 in download hundreds of files
"""
import calendar
import ftplib
import os
import pwd
import random
import re
import shutil
import subprocess
import sys
import threading
import time

from arrivals import poisson
from drivers import (begin, stop_process, descendants, kill_leftovers, SessionPool, wait_listening, keep_log, now,
                     sleep_until, run_workers)
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19921
PASV_MIN, PASV_MAX = PORT + 1, PORT + 18
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "vsftpd-i"

STAFF = ["ftp-alice", "ftp-bob", "ftp-carol", "ftp-dave", "ftp-erin", "ftp-frank", "ftp-grace", "ftp-heidi"]
DESKTOP = {u: "127.0.0.%d" % (101 + i) for i, u in enumerate(STAFF)}
LAPTOP = {u: "127.0.0.%d" % (121 + i) for i, u in enumerate(STAFF)}
PARTNERS = {"ftp-acme": ("127.0.0.21", 6.0), "ftp-globex": ("127.0.0.22", 10.0), "ftp-initech": ("127.0.0.23", 8.0),
            "ftp-umbrella": ("127.0.0.24", 15.0), "ftp-hooli": ("127.0.0.25", 12.0)}
SCANNER, SCANNER_IP = "ftp-scanner", "127.0.0.30"
BACKUP, BACKUP_IP = "ftp-backup", "127.0.0.31"
USERS = STAFF + list(PARTNERS) + [SCANNER, BACKUP]
MONITOR = "127.0.0.2"
ATTACKER = "127.0.0.66"
DENIED_USER = "ftp-acme"
FLOOD_USER = "ftp-globex"
FLOOD_IP = PARTNERS[FLOOD_USER][0]

DOC_KINDS = [("report_%s.xlsx", 20, 900), ("minutes_%s.docx", 10, 300), ("offer_%s.pdf", 50, 2500),
             ("photo_%s.jpg", 300, 4000), ("pricelist_%s.csv", 5, 400), ("drawing_%s.dwg", 200, 6000),
             ("contract_%s.pdf", 80, 1500), ("notes_%s.txt", 1, 40)]
EMAILS = ["mozilla@example.com", "anonymous@", "IEUser@", "chrome@example.com", "guest@example.org", "lftp@",
          "-wget@", "anonymous@example.net", "buyer@shop.example", "service@tech.example", "ftp@example.com"]
ERRORS = ftplib.all_errors + (ValueError, IndexError)
BLOCK = os.urandom(1 << 20)


class Blob:
    """A file-like object of `size` bytes (cut from a random block): the content of uploads and seeded files."""

    def __init__(self, size, seed=0):
        self.left, self.pos = size, seed % len(BLOCK)

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        out = bytearray()
        while len(out) < n:
            take = min(n - len(out), len(BLOCK) - self.pos)
            out += BLOCK[self.pos:self.pos + take]
            self.pos = (self.pos + take) % len(BLOCK)
        self.left -= n
        return bytes(out)


def password(user):
    r = random.Random("pw:" + user)
    return "%s%d%s%s" % (user[4:].capitalize(), r.randint(100, 999), r.choice("!#%&*+?"), r.choice("KQXZW"))


def typo(pw, rng):
    i = rng.randrange(len(pw) - 1)
    return pw.lower() if rng.random() < 0.3 else pw[:i] + pw[i + 1] + pw[i] + pw[i + 2:]


def stamp():
    return time.strftime("%Y%m%d_%H%M%S", time.gmtime())


def connect(source, timeout=20):
    f = ftplib.FTP(timeout=timeout, source_address=(source, 0))
    try:
        f.connect("127.0.0.1", PORT)
    except ERRORS:
        f.close()
        raise
    return f


def sink(_data):
    pass


def abort_download(f, name, rng):
    """Starts a download and goes away after part of it (the control connection closed without QUIT)."""
    f.voidcmd("TYPE I")
    conn = f.transfercmd("RETR " + name)
    want, got = rng.randint(256, 3000) * 1024, 0
    while got < want:
        d = conn.recv(65536)
        if not d:
            break
        got += len(d)
    conn.close()
    f.close()


# --- the server ---

CONF_EXTRA = """
# --- Logwarden lab: standalone on loopback (changed from Debian's defaults above) ---
listen_address=127.0.0.1
listen_port={port}
pasv_enable=YES
pasv_min_port={pmin}
pasv_max_port={pmax}
anon_root={work}/srv/ftp
chroot_local_user=YES
max_clients=100
max_per_ip=10
dual_log_enable=YES
vsftpd_log_file={work}/log/vsftpd.log
xferlog_file={work}/log/xferlog
"""


class Vsftpd:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "vsftpd.conf")
        self.log = os.path.join(work, "log", "vsftpd.log")
        self.xferlog = os.path.join(work, "log", "xferlog")
        self.home = os.path.join(work, "home")
        self.anon = os.path.join(work, "srv", "ftp")
        self.proc = None
        self.created = []
        self.pub = {}  # anonymous files: path -> size
        self.docs = {}  # staff: names of their documents at the start
        self.big = {}  # staff: one big file each (for aborted downloads)
        self.archive = []

    @staticmethod
    def version():
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "vsftpd"], capture_output=True, text=True)
        return r.stdout.strip() or "3.0.3"

    def config(self):
        """Debian's /etc/vsftpd.conf, with what the scenario needs changed in place and the lab's settings added."""
        with open("/etc/vsftpd.conf") as f:
            text = f.read()
        for old, new in (("listen=NO", "listen=YES"), ("listen_ipv6=YES", "listen_ipv6=NO"),
                         ("anonymous_enable=NO", "anonymous_enable=YES"), ("#write_enable=YES", "write_enable=YES")):
            text, n = re.subn("^%s$" % re.escape(old), new, text, flags=re.M)
            if n != 1:
                raise SystemExit("/etc/vsftpd.conf: no line %r (not Debian's default?)" % old)
        with open(self.conf, "w") as f:
            f.write(text.rstrip("\n") + "\n" + CONF_EXTRA.format(port=PORT, pmin=PASV_MIN, pmax=PASV_MAX,
                                                                 work=self.work))

    def user_dir(self, user, *parts, owner=True):
        path = os.path.join(self.home, user, *parts)
        os.makedirs(path, exist_ok=True)
        if owner:
            pw = pwd.getpwnam(user)
            os.chown(path, pw.pw_uid, pw.pw_gid)
        return path

    def put(self, path, size, owner=None, age=0.0, seed=0):
        with open(path, "wb") as f:
            b = Blob(size, seed)
            while True:
                d = b.read(1 << 20)
                if not d:
                    break
                f.write(d)
        if owner:
            pw = pwd.getpwnam(owner)
            os.chown(path, pw.pw_uid, pw.pw_gid)
        if age:
            t = now() - age
            os.utime(path, (t, t))

    def setup(self, rng):
        for u in USERS:
            try:
                pwd.getpwnam(u)
                raise SystemExit("user %s exists already (left over from an earlier run? userdel it first)" % u)
            except KeyError:
                pass
        os.chmod(self.work, 0o755)
        for d in ("log", "home", "srv/ftp/pub"):
            os.makedirs(os.path.join(self.work, d), exist_ok=True)
        self.config()
        for u in USERS:
            kind = "staff" if u in STAFF else "partner" if u in PARTNERS else "service"
            subprocess.run(["useradd", "-M", "-d", os.path.join(self.home, u), "-s", "/bin/sh", "-c",
                            "FTP %s %s" % (kind, u[4:]), u], check=True)
            self.created.append(u)
        subprocess.run(["chpasswd"], input="".join("%s:%s\n" % (u, password(u)) for u in USERS), text=True,
                       check=True)
        for u in USERS:
            os.makedirs(os.path.join(self.home, u))  # root-owned 755: the chroot must not be writable
        # staff documents
        for u in STAFF:
            d = self.user_dir(u, "docs")
            names = []
            for i in range(rng.randint(10, 18)):
                pat, lo, hi = rng.choice(DOC_KINDS)
                name = pat % ("2026%02d%02d_%d" % (rng.randint(1, 11), rng.randint(1, 28), i))
                self.put(os.path.join(d, name), rng.randint(lo, hi) * 1024, u, rng.uniform(1, 200) * 86400, i)
                names.append(name)
            big = rng.choice(["catalogue_2026.pdf", "trade_fair_video.mp4", "product_photos_2026.zip"])
            self.put(os.path.join(d, big), rng.randint(5000, 12000) * 1024, u, rng.uniform(5, 60) * 86400)
            self.docs[u], self.big[u] = names + [big], big
        # partners: /incoming for their orders, /outgoing for what the ERP sends them; globex's /archive
        for u in PARTNERS:
            self.user_dir(u, "incoming")
            self.user_dir(u, "outgoing")
        arch = self.user_dir(FLOOD_USER, "archive")
        for i in range(320):
            name = "%s_%06d.xml" % (rng.choice(["INVOIC", "ORDRSP", "DESADV", "PRICAT"]), 410000 + i)
            self.put(os.path.join(arch, name), rng.randint(15, 180) * 1024, FLOOD_USER, (320 - i) * 3600, i)
            self.archive.append(name)
        self.user_dir(SCANNER, "scans")
        bk = self.user_dir(BACKUP, "backups")
        for days in (3, 2, 1):
            self.put(os.path.join(bk, "erpdb_%s.sql.gz" % time.strftime("%Y%m%d_0200", time.gmtime(now() - days *
                                                                                                 86400))),
                     rng.randint(4000, 15000) * 1024, BACKUP, days * 86400)
        # anonymous: /pub (root-owned, read-only)
        for sub, files in (("manuals", [("manual_%s_%s.pdf" % (m, lang), rng.randint(150, 3500))
                                        for m in ("WX200", "WX300", "PX10", "PX20", "HM-5", "HM-7", "TL-90")
                                        for lang in ("en", "de", "fr")]),
                           ("pricelists", [("pricelist_2026_%s.csv" % r, rng.randint(20, 300))
                                           for r in ("eu", "uk", "us", "ch", "nordic", "dealers")]),
                           ("firmware", [("%s_fw_%s.bin" % (m, v), rng.randint(4000, 12000))
                                         for m, v in (("wx200", "2.4.1"), ("wx300", "3.1.0"), ("px20", "1.9.7"),
                                                      ("hm7", "5.0.2"), ("tl90", "0.9.12"))])):
            d = os.path.join(self.anon, "pub", sub)
            os.makedirs(d)
            for name, kb in files:
                self.put(os.path.join(d, name), kb * 1024, None, rng.uniform(10, 300) * 86400)
                self.pub["/pub/%s/%s" % (sub, name)] = kb * 1024
        with open(os.path.join(self.anon, "pub", "README.txt"), "w") as f:
            f.write("Manuals, price lists and firmware. Questions: support@wholesale.example\n")
        self.pub["/pub/README.txt"] = 70

    def start(self):
        self.proc = subprocess.Popen(["/usr/sbin/vsftpd", self.conf], env=dict(os.environ, TZ="UTC"),
                                     stdin=subprocess.DEVNULL)
        wait_listening(self.proc, "vsftpd", (PORT,))

    def stop(self):
        kids = descendants(self.proc.pid) if self.proc else []
        stop_process(self.proc)
        kill_leftovers(kids, b"vsftpd")  # the sessions still open
        time.sleep(0.3)

    def remove_users(self):
        for u in list(self.created):
            r = subprocess.run(["userdel", u], capture_output=True, text=True)
            if r.returncode == 0:
                self.created.remove(u)
            else:
                print("userdel %s: %s" % (u, r.stderr.strip()), file=sys.stderr)


# --- reading the logs back (for the labels) ---

def parse_time(s):
    return calendar.timegm(time.strptime(s, "%a %b %d %H:%M:%S %Y"))


VSFTPD_LINE = re.compile(r'^(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}) \[pid (\d+)\] (?:\[([^\]]*)\] )?(.*)$')
CLIENT = re.compile(r'Client "([^"]*)"')
CLIENT_PATH = re.compile(r'Client "[^"]*", "([^"]*)"')


def read_vsftpd(path):
    """vsftpd's log as (time, user or None, client address, message) tuples."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = VSFTPD_LINE.match(line.rstrip("\n"))
            if m:
                c = CLIENT.search(m.group(4))
                out.append((parse_time(m.group(1)), m.group(3), c.group(1) if c else None, m.group(4)))
    return out


def read_xferlog(path):
    """The xferlog as (time, address, bytes, path, direction, user, status) tuples."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            p = line[24:].split()
            if len(p) >= 13:
                out.append((parse_time(line[:24]), p[1], int(p[2]), p[3], p[6], p[8], p[-1]))
    return out


# --- normal traffic ---

class Traffic(SessionPool):
    """The sessions: at most 40 at once (a stuck client is skipped, not queued)."""

    def __init__(self, server, seed):
        super().__init__(seed, 40, ERRORS)
        self.server = server
        self.pending = {u: [] for u in PARTNERS}  # each partner's uploads still to do
        self.backups = sorted(os.listdir(os.path.join(server.home, BACKUP, "backups")))
        self.seq = 500000

    def next_seq(self):
        with self.lock:
            self.seq += 1
            return self.seq

    # sessions

    def staff(self, user, rng, mistake=None):
        source = LAPTOP[user] if rng.random() < 0.2 else DESKTOP[user]
        f = connect(source)
        try:
            if mistake:
                name, pw = (user[4:], password(user)) if mistake == "name" else (user, typo(password(user), rng))
                try:
                    f.login(name, pw)
                except ftplib.error_perm:
                    self.count("typo")
                if rng.random() < 0.5:  # the client reconnects, or the user retypes in the same session
                    f.close()
                    time.sleep(rng.uniform(2, 6))
                    f = connect(source)
                else:
                    time.sleep(rng.uniform(1, 4))
            f.login(user, password(user))
            f.retrlines("LIST", sink)
            f.cwd("docs")
            names = [n for n in f.nlst() if "." in n]  # the files (their own folders have no dot)
            if rng.random() < 0.04 and self.server.big[user] in names:
                abort_download(f, self.server.big[user], rng)
                self.count("aborted download")
                return
            for name in rng.sample(names, min(len(names), rng.choice([0, 1, 1, 1, 2, 3]))):
                f.retrbinary("RETR " + name, sink)
                time.sleep(rng.uniform(0.2, 2))
            for _ in range(rng.choice([0, 0, 1, 1, 1, 2])):
                pat, lo, hi = rng.choice(DOC_KINDS)
                f.storbinary("STOR " + pat % stamp() + ("" if rng.random() < 0.8 else "_v2"),
                             Blob(rng.randint(lo, hi) * 1024, rng.getrandbits(20)))
                time.sleep(rng.uniform(0.2, 2))
            if len(names) > 22 and rng.random() < 0.6:
                old = [n for n in names if n != self.server.big[user] and "_" in n]
                for n in rng.sample(old, min(len(old), rng.randint(1, 3))):
                    f.delete(n)
            r = rng.random()
            if r < 0.04:
                f.mkd("project_%s" % time.strftime("%Y%m%d_%H%M", time.gmtime()))
            elif r < 0.10 and names:
                n = rng.choice([n for n in names if n != self.server.big[user]] or names)
                if "." in n and "final" not in n:
                    base, ext = n.rsplit(".", 1)
                    f.rename(n, "%s_final.%s" % (base, ext))
            f.quit()
        except ERRORS:
            f.close()
            raise

    def partner(self, user, source, rng):
        pending = self.pending[user]
        for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
            kind = rng.choice(["ORDERS", "ORDERS", "ORDCHG", "INVRPT", "RECADV"])
            pending.append(("%s_%s_%d.xml" % (kind, stamp(), self.next_seq()), rng.randint(2, 80) * 1024))
        f = connect(source)
        try:
            f.login(user, password(user))
            f.cwd("/outgoing")
            for name in sorted(f.nlst())[:6]:
                f.retrbinary("RETR " + name, sink)
                f.delete(name)
            f.cwd("/incoming")
            for item in list(pending)[:10]:  # what fails stays for the next poll
                try:
                    f.storbinary("STOR " + item[0], Blob(item[1], rng.getrandbits(20)))
                    pending.remove(item)
                except ftplib.error_perm:
                    self.count("partner upload refused")
                    time.sleep(1)
            f.quit()
        except ERRORS:
            f.close()
            raise

    def scanner(self, rng):
        f = connect(SCANNER_IP)
        try:
            f.login(SCANNER, password(SCANNER))
            f.cwd("/scans")
            for i in range(rng.choice([1, 1, 1, 2, 3])):
                f.storbinary("STOR scan_%s_%03d.pdf" % (stamp(), i), Blob(rng.randint(150, 2500) * 1024, i))
            f.quit()
        except ERRORS:
            f.close()
            raise

    def backup(self, rng):
        f = connect(BACKUP_IP, timeout=60)
        try:
            f.login(BACKUP, password(BACKUP))
            f.cwd("/backups")
            name = "erpdb_%s.sql.gz" % stamp()
            f.storbinary("STOR " + name, Blob(rng.randint(4000, 15000) * 1024, rng.getrandbits(20)))
            self.backups.append(name)
            f.retrlines("LIST", sink)
            while len(self.backups) > 4:
                f.delete(self.backups.pop(0))
            f.quit()
        except ERRORS:
            f.close()
            raise

    def anonymous(self, rng):
        f = connect("127.0.0.%d" % rng.randint(150, 199))
        try:
            f.login(rng.choice(["anonymous", "anonymous", "anonymous", "ftp"]), rng.choice(EMAILS))
            pub = self.server.pub
            if rng.random() < 0.4:
                f.retrlines("LIST /pub/%s" % rng.choice(["manuals", "pricelists", "firmware", ""]), sink)
            r = rng.random()
            if r < 0.04:  # an old link: the file is not there any more
                f.retrbinary("RETR /pub/manuals/manual_%s_en.pdf" % rng.choice(["WX100", "PX5", "HM-3"]), sink)
            elif r < 0.07:
                abort_download(f, rng.choice([p for p in pub if "/firmware/" in p]), rng)
                self.count("aborted download")
                return
            else:
                for _ in range(rng.choice([1, 1, 1, 2, 3])):
                    area = rng.choices(["manuals", "pricelists", "firmware", "README"], [45, 35, 12, 8])[0]
                    f.retrbinary("RETR " + rng.choice([p for p in pub if area in p]), sink)
            f.quit()
        except ftplib.error_perm:
            self.count("anonymous missing file")
            f.close()
        except ERRORS:
            f.close()
            raise

    # the dispatchers

    def staff_sessions(self, rate):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            self.spawn(self.staff, rng.choice(STAFF), random.Random(rng.random()))

    def anonymous_sessions(self, rate):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            self.spawn(self.anonymous, random.Random(rng.random()))

    def partner_loop(self, user, source, interval):
        """The partner's polling script: one session at a time, every `interval` seconds (jittered)."""
        rng = random.Random(self.rng.random())
        self.stop.wait(rng.uniform(0, interval))
        while not self.stop.is_set():
            try:
                self.partner(user, source, rng)
            except ERRORS as e:
                self.count("failed partner %s: %s" % (user, str(e)[:50]))
            self.stop.wait(interval * rng.uniform(0.8, 1.2))

    def scanner_sessions(self, rate):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            self.spawn(self.scanner, random.Random(rng.random()))

    def backup_loop(self, interval):
        rng = random.Random(self.rng.random())
        self.stop.wait(rng.uniform(5, 30))
        while not self.stop.is_set():
            try:
                self.backup(rng)
            except ERRORS as e:
                self.failed(self.backup, e)
            self.stop.wait(interval * rng.uniform(0.85, 1.15))

    def erp(self):
        """The ERP, on the server itself (no FTP): sends partners documents, takes in their orders and the scans."""
        rng = random.Random(self.rng.random())
        home = self.server.home
        while not self.stop.wait(rng.uniform(3, 6)):
            t = now()
            for u in PARTNERS:
                if rng.random() < 0.35:
                    kind = rng.choice(["ORDRSP", "DESADV", "INVOIC", "PRICAT"])
                    self.server.put(os.path.join(home, u, "outgoing", "%s_%s_%d.xml" % (kind, stamp(),
                                                                                       self.next_seq())),
                                    rng.randint(3, 120) * 1024, u, seed=rng.getrandbits(20))
                d = os.path.join(home, u, "incoming")
                for n in os.listdir(d):
                    p = os.path.join(d, n)
                    try:
                        if t - os.path.getmtime(p) > 20:
                            os.remove(p)
                    except OSError:
                        pass
            d = os.path.join(home, SCANNER, "scans")
            for n in os.listdir(d):
                p = os.path.join(d, n)
                try:
                    if t - os.path.getmtime(p) > 30:
                        os.remove(p)
                except OSError:
                    pass

    def noise(self):
        """The monitoring check every 30 s, clients that go away before logging in, mistyped passwords."""
        rng = random.Random(self.rng.random())
        next_check = now() + rng.uniform(3, 30)
        next_drop = now() + rng.expovariate(1 / 80.0)
        next_typo = now() + rng.uniform(15, 60)
        while not self.stop.is_set():
            try:
                if now() >= next_check:
                    next_check += rng.uniform(29, 31)
                    connect(MONITOR, timeout=10).quit()
                    self.count("monitor")
                if now() >= next_drop:
                    next_drop = now() + rng.expovariate(1 / 80.0)
                    source = rng.choice(list(DESKTOP.values()) + ["127.0.0.%d" % rng.randint(150, 199)])
                    f = connect(source, timeout=10)
                    f.close()
                    self.count("dropped before login")
                if now() >= next_typo:
                    next_typo = now() + rng.expovariate(1 / 60.0)
                    self.spawn(self.staff, rng.choice(STAFF), random.Random(rng.random()),
                               "name" if rng.random() < 0.25 else "password")
            except ERRORS:
                pass
            time.sleep(0.2)

    def run(self):
        ts = [threading.Thread(target=self.staff_sessions, args=(0.35,)),
              threading.Thread(target=self.anonymous_sessions, args=(0.5,)),
              threading.Thread(target=self.scanner_sessions, args=(1 / 15.0,)),
              threading.Thread(target=self.backup_loop, args=(70.0,)),
              threading.Thread(target=self.erp), threading.Thread(target=self.noise)]
        ts += [threading.Thread(target=self.partner_loop, args=(u, src, iv)) for u, (src, iv) in PARTNERS.items()]
        self.start(ts)


# --- incidents ---

def brute_force(seconds, workers=8):
    """127.0.0.66 sprays passwords at many user names, 8 connections at a time, three guesses a connection."""
    names = ["admin", "root", "test", "ftp-backup", "user", "ftpuser", "administrator", "backup", "ftp-alice",
             "upload", "guest", "www-data", "ftpadmin", "info", "ftp-acme", "oracle", "web", "support", "ubuntu",
             "sales", "ftp-scanner", "pi", "postgres", "ftp-bob"]
    words = ["123456", "password", "admin", "ftp", "12345678", "qwerty", "Passw0rd!", "backup", "changeme",
             "Welcome1", "letmein", "Summer2026!"]
    guesses = [(n, w) for w in words for n in names]
    lock = threading.Lock()
    state = {"next": 0, "failed": 0, "conns": 0, "refused": 0}
    stop_at = now() + seconds

    def take():
        with lock:
            if state["next"] >= len(guesses) or now() >= stop_at:
                return None
            state["next"] += 1
            return guesses[state["next"] - 1]

    def worker(k):
        time.sleep(k * 0.15)
        while now() < stop_at:
            try:
                f = connect(ATTACKER, timeout=20)
            except ERRORS:
                with lock:
                    state["refused"] += 1
                time.sleep(1)
                continue
            with lock:
                state["conns"] += 1
            try:
                for _ in range(3):
                    g = take()
                    if g is None:
                        break
                    try:
                        f.login(*g)
                        f.quit()  # (none of them is right)
                        break
                    except ftplib.error_perm:
                        with lock:
                            state["failed"] += 1
            except ERRORS:
                pass
            f.close()

    start = now()
    run_workers(worker, [(k,) for k in range(workers)], seconds + 40)
    return start, now(), state


def upload_denied(server, seconds):
    """ftp-acme's /incoming is restored from a backup as root:root: its uploads fail until the ownership is fixed."""
    d = os.path.join(server.home, DENIED_USER, "incoming")
    pw = pwd.getpwnam(DENIED_USER)
    start = now()
    os.chown(d, 0, 0)
    os.chmod(d, 0o755)
    time.sleep(seconds)
    os.chown(d, pw.pw_uid, pw.pw_gid)
    return start, now()


def conn_flood(seconds, archive, parallel=25, per_session=8):
    """ftp-globex's new mirror tool: 25 parallel connections re-downloading the whole /archive."""
    lock = threading.Lock()
    queue = list(archive)
    state = {"tries": 0, "refused": 0, "sessions": 0, "files": 0}
    stop_at = now() + seconds
    user, pw = FLOOD_USER, password(FLOOD_USER)

    def worker(k):
        rng = random.Random(k)
        time.sleep(k * 0.05)
        while now() < stop_at:
            with lock:
                state["tries"] += 1
            try:
                f = connect(FLOOD_IP, timeout=20)
            except ftplib.error_temp:
                with lock:
                    state["refused"] += 1
                time.sleep(2)
                continue
            except ERRORS:
                time.sleep(2)
                continue
            try:
                f.login(user, pw)
                with lock:
                    state["sessions"] += 1
                f.cwd("/archive")
                f.voidcmd("TYPE I")
                for _ in range(per_session):
                    with lock:
                        if not queue or now() >= stop_at:
                            break
                        name = queue.pop(0)
                    f.sendcmd("SIZE " + name)
                    f.sendcmd("MDTM " + name)
                    f.retrbinary("RETR " + name, sink)
                    with lock:
                        state["files"] += 1
                    time.sleep(rng.uniform(0.4, 1.0))
                f.quit()
            except ERRORS:
                f.close()
            with lock:
                if not queue:
                    queue.extend(archive)  # the tool's "verify" pass starts over

    start = now()
    run_workers(worker, [(k,) for k in range(parallel)], seconds + 40)
    return start, now(), state


def main():
    work = begin(OUT, "vsftpd", __doc__)
    server = Vsftpd(work)
    version = server.version()
    labels, xlabels = Labels(), Labels()
    how = ("real vsftpd %s (Debian) standalone on 127.0.0.1:%d (passive ports %d-%d), Debian's vsftpd.conf with "
           "listen, write_enable, read-only anonymous FTP, chroot_local_user, max_per_ip=10 and dual_log_enable; "
           "15 local system users (8 staff on 127.0.0.101-128, 5 EDI partners polling from 127.0.0.21-25, a "
           "scanner 127.0.0.30, a backup job 127.0.0.31), anonymous downloads from 127.0.0.150-199, monitoring "
           "127.0.0.2; about 1.5 FTP sessions/s driven with Python's ftplib; TZ=UTC; wall-clock times"
           % (version, PORT, PASV_MIN, PASV_MAX))
    labels.note("made by bench/real-logs/vsftpd.py: vsftpd's own log (vsftpd_log_file, the format Debian's default "
                "xferlog_enable=YES gives); " + how)
    xlabels.note("made by bench/real-logs/vsftpd.py: the wu-ftpd style xferlog (xferlog_file, with "
                 "dual_log_enable=YES), transfers only; " + how)
    xlabels.note("the brute-force incident (127.0.0.66, failed logins only) is not in this log: no transfers")
    traffic = None
    ok = False
    try:
        server.setup(random.Random(7))
        server.start()
        traffic = Traffic(server, 2026)
        traffic.run()
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. password spraying from one address
        b_start, b_end, bst = brute_force(40 * SCALE)
        sleep_until(b_end + 55 * SCALE)

        # 2. one partner's upload directory no longer writable for it
        d_start, d_end = upload_denied(server, 50 * SCALE)
        sleep_until(d_end + 55 * SCALE)

        # 3. one partner's mirror tool hammering the per-address limit
        f_start, f_end, fst = conn_flood(40 * SCALE, server.archive)
        sleep_until(f_end + 55 * SCALE)

        traffic.finish(60)
        time.sleep(1)
        log, xfer = read_vsftpd(server.log), read_xferlog(server.xferlog)

        # 1.
        mine = [e for e in log if e[2] == ATTACKER]
        fails = [e for e in mine if e[3].startswith("FAIL LOGIN")]
        conns = [e for e in mine if e[3].startswith("CONNECT")]
        if mine:
            labels.add("brute-force", min(e[0] for e in mine), max(e[0] for e in mine), "brute-force", ATTACKER,
                       "127.0.0.66 sprays common passwords at 24 user names (admin, root, test, backup, www-data, ... "
                       "and the real ftp-alice, ftp-bob, ftp-acme, ftp-backup, ftp-scanner) with 8 parallel "
                       "connections for %d s: %d lines '[NAME] FAIL LOGIN: Client \"127.0.0.66\"' (%d distinct "
                       "names) and %d lines 'CONNECT: Client \"127.0.0.66\"'; PAM and vsftpd delay each failure "
                       "(2-3 s) and max_login_fails=3 ends each connection after three; no guess succeeded"
                       % (round(b_end - b_start), len(fails), len({e[1] for e in fails}), len(conns)))

        # 2.
        denied = [e for e in log if e[1] == DENIED_USER and e[3].startswith("FAIL UPLOAD")
                  and d_start - 1 <= e[0] <= d_end + 5]
        other_fail = [e for e in log if e[1] == DENIED_USER and e[3].startswith("FAIL UPLOAD")
                      and not d_start - 1 <= e[0] <= d_end + 5]
        held = {CLIENT_PATH.search(e[3]).group(1) for e in denied}
        after = [e for e in log if e[1] == DENIED_USER and e[3].startswith("OK UPLOAD") and e[0] >= d_start
                 and CLIENT_PATH.search(e[3]).group(1) in held]
        xdenied = [x for x in xfer if x[5] == DENIED_USER and x[4] == "i" and x[6] == "i"
                   and d_start - 1 <= x[0] <= d_end + 5]
        if denied:
            desc = ("a maintenance script restores the EDI partner ftp-acme's /incoming from a backup as root:root: "
                    "for %d s every upload of ftp-acme (127.0.0.21) is refused (553 Could not create file); its "
                    "polling script (every ~6 s) tries each held-back order file again at each poll, so the failures "
                    "grow with the backlog: %s, %d distinct files; once the ownership is fixed its next session "
                    "uploads the backlog (%d successful uploads of those files%s)"
                    % (round(d_end - d_start), "%s", len(held), len(after),
                       ", the last at %s" % time.strftime("%H:%M:%S", time.gmtime(after[-1][0])) if after else ""))
            last = max([e[0] for e in denied] + [e[0] for e in after])
            labels.add("upload-denied", min(e[0] for e in denied), last, "permission-denied",
                       "%s|127.0.0.21|/incoming" % DENIED_USER,
                       desc % ("%d lines '[ftp-acme] FAIL UPLOAD: Client \"127.0.0.21\", \"/incoming/<order file>.xml\", "
                               "0.00Kbyte/sec'" % len(denied)))
            xafter = [x for x in xfer if x[5] == DENIED_USER and x[4] == "i" and x[6] == "c" and x[0] >= d_start
                      and x[3] in held]
            if xdenied:
                xlabels.add("upload-denied", min(x[0] for x in xdenied), max([x[0] for x in xdenied + xafter]),
                            "permission-denied", "%s|127.0.0.21|/incoming" % DENIED_USER,
                            desc % ("%d xferlog lines '... 127.0.0.21 0 /incoming/<order file>.xml b _ i r ftp-acme "
                                    "ftp 0 * i' (incomplete)" % len(xdenied)))
        if other_fail:
            print("note: %d FAIL UPLOAD lines of ftp-acme outside the incident" % len(other_fail), file=sys.stderr)

        # 3.
        span = [e for e in log if e[2] == FLOOD_IP and f_start - 1 <= e[0] <= f_end + 3]
        refused = [e for e in span if "Connection refused: too many sessions" in e[3]]
        logins = [e for e in span if e[3].startswith("OK LOGIN")]
        downs = [e for e in span if e[3].startswith("OK DOWNLOAD") and "/archive/" in e[3]]
        xdowns = [x for x in xfer if x[1] == FLOOD_IP and x[3].startswith("/archive/")]
        if refused:
            base = ("the EDI partner ftp-globex replaces its poller on 127.0.0.22 with a mirror tool set to 25 "
                    "parallel connections that re-downloads its whole /archive (320 files) for %d s: vsftpd lets "
                    "10 in (max_per_ip=10) and refuses the rest, which retry every 2 s: %d lines 'CONNECT: Client "
                    "\"127.0.0.22\", \"Connection refused: too many sessions for this address.\"' (%d tries "
                    "refused), and the ones let in log in %d times and download %d archive files (OK DOWNLOAD, "
                    "/archive/...); globex's own poller on the same address is refused too now and then"
                    % (round(f_end - f_start), len(refused), fst["refused"], len(logins), len(downs)))
            labels.add("conn-flood", min(e[0] for e in span), max(e[0] for e in span), "connection-limit",
                       "%s|%s" % (FLOOD_IP, FLOOD_USER), base)
            if xdowns:
                xlabels.add("conn-flood", min(x[0] for x in xdowns), max(x[0] for x in xdowns), "download-flood",
                            "%s|%s" % (FLOOD_IP, FLOOD_USER),
                            "the EDI partner ftp-globex's new mirror tool on 127.0.0.22 (25 parallel connections, 10 "
                            "let in by max_per_ip=10, the refusals are not in the xferlog) re-downloads its /archive "
                            "for %d s: %d xferlog lines '... 127.0.0.22 N /archive/....xml b _ o r ftp-globex ftp 0 * "
                            "c' (%d KB), where globex otherwise downloads a few files every 10 s"
                            % (round(f_end - f_start), len(xdowns), sum(x[2] for x in xdowns) // 1024))
        print("%s: %s; brute force %s; flood %s; vsftpd log %d lines, xferlog %d lines" % (
            NAME, sorted(traffic.counts.items()), bst, fst, len(log), len(xfer)), file=sys.stderr)
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
        server.stop()
        if ok:
            keep_log(server.log, OUT, NAME, labels)
            keep_log(server.xferlog, OUT, NAME + ".xferlog", xlabels)
        server.remove_users()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
