#!/usr/bin/env python3
"""Runs a real Samba smbd (Debian samba 4.17) as the standalone file server of a small architects' office on
127.0.0.1, drives a working day's SMB traffic through it with smbclient, injects labelled incidents and keeps smbd's
log exactly as Samba wrote it: one `log file` (max log size = 0, never rotated) in Samba's own two-line format,
'[2026/12/03 12:00:00.123456,  1] ../../source3/modules/vfs_full_audit.c:643(do_log)' and the message indented by two
spaces on the next line. The log level is what an admin who wants an audit trail sets: `log level = 1 auth_audit:3`
(every authentication, successes included: 'Auth: [SMB2,(null)] user [OFFICE]\\[kfischer] at [...] with [NTLMv2]
status [NT_STATUS_WRONG_PASSWORD] workstation [PC-ACCOUNTS] remote host [ipv4:127.0.0.102:40312] ...') and the
full_audit VFS module writing into the same log (full_audit:syslog = false; prefix %u|%I|%m|%S; successes of
connect, disconnect, mkdirat, renameat, unlinkat; failures of connect, openat, mkdirat, renameat, unlinkat, pwrite,
pwrite_recv: 'jwagner|127.0.0.104|cad-ws01|projects|unlinkat|ok|/tmp/.../plans/floorplan_GF_v3.pdf').

smbd runs as `smbd --foreground --no-process-group --configfile=WORK/smb.conf` (as root, TZ=UTC, in a session of
its own, as it signals its process group when it ends; stopped with SIGTERM; the samba-dcerpcd it starts on demand for share listings, which detaches from it, is stopped by its pid at
the end). smb.conf: a standalone server (security = user, tdbsam in WORK/private, map to guest = never, usershares
off, no printing), smb ports = PORT, interfaces = 127.0.0.1, bind interfaces only = yes, disable netbios = yes, and
its private, lock, state, cache, pid and ncalrpc dirs in the work dir. Shares: finance (valid users mbauer kfischer
sbecker, the backup job read-only), projects (all staff, the backup job read-only), scans (the copier's scan-to-folder
target, on its own small 64 MB volume: a tmpfs mounted in the work dir), templates (read-only, write list mbauer
sbecker). Accounts: Unix users made with useradd (group users, no home, nologin; removed with userdel at the end) and
their Samba passwords with `smbpasswd -c WORK/smb.conf -a -s`; the account policy (pdbedit -P) locks an account out
after 10 bad passwords (Windows' usual lockout threshold), for 30 minutes unless an admin unlocks it.

Client addresses: smbclient cannot bind a source address (no such option, in --option either), so every client
connects to a small TCP relay in this script, which listens on 127.0.0.X:PROXY_PORT for each client address X
(smbclient -I 127.0.0.X -p PROXY_PORT) and opens its connection to smbd from that same 127.0.0.X: smbd sees, and
logs, each client's own address. Each client also sends its own workstation name (smbclient -n), the workgroup
OFFICE, and smbclient runs with a client config in the work dir (-s), not /etc/samba/smb.conf.

usage: bench/real-logs/samba.py OUTDIR [PORT]      (default port 20161; the relay listens on PORT+1)
  writes OUTDIR/samba-l.log (gzipped over 1 MB) and OUTDIR/samba-l.labels.tsv
  SCALE=0.1 multiplies every duration (a short run for testing)

Normal traffic (about 0.5 SMB sessions/s, Poisson or jittered, each an smbclient run: session setup, IPC$ and the
share's tree connect, a few commands, logoff):
  7 staff on their PCs 127.0.0.101-107 (mbauer the principal, kfischer bookkeeping, sbecker office manager, jwagner,
  lhoffmann and ayilmaz architects at CAD workstations, pneumann the site manager's laptop), about 0.25 sessions/s:
  listing folders, opening drawings, invoices and templates, saving new versions, now and then a new folder, a rename
  or a deleted old version, a shortcut to a file that is gone (openat fail (No such file or directory)), a browse of
  the server's share list (samba-dcerpcd starts, 'rpc_worker_exited: No worker with PID ...' as its workers end);
  the copier (svc-scan, 127.0.0.30) scanning to the scans share about every 15 s (it keeps a scan it could not
  store and sends it again with the next); sbecker filing the scans into the projects' scans folders about every
  70 s (get from scans, put to projects, delete from scans); the backup NAS (svc-backup, 127.0.0.31) walking each
  share and fetching what changed about every 90 s; the monitoring (svc-monitor, 127.0.0.2) checking the scans
  volume's free space with `du` (check_disk_smb) every 60 s. Normal errors: a mistyped password (then the right one)
  about once a minute; an architect opening the finance share about every 2.5 min (create_connection_session_info:
  user 'X' (from session setup) not permitted to access this share (finance)); tkoch's laptop (127.0.0.141), whose
  account is disabled during his leave, trying its mapped drive about every 2 min (NT_STATUS_ACCOUNT_DISABLED).
Incidents (about 8.5 minutes in all: 90 s of normal traffic, each incident followed by at least 55 s of it):
  brute-force     a script on 127.0.0.66 (workstation WIN-QJ8R2B7L5KF) probes a few user names (administrator, admin,
                  scanner, ...: NT_STATUS_NO_SUCH_USER), then guesses kfischer's password from a word list with 3
                  parallel connections, about 6 a second, for 45 s (NT_STATUS_WRONG_PASSWORD); after 10 the account is
                  locked (NT_STATUS_ACCOUNT_LOCKED_OUT for the script and for kfischer's own PC, 127.0.0.102), until
                  the admin unlocks it 25 s after the script stops (pdbedit -z; pdbedit -c '[]')
  share-moved     a storage migration: the admin moves the projects share's directory to the new volume (WORK/data2)
                  and updates smb.conf's path (smbcontrol smbd reload-config) only 70 s later: every tree connect to
                  projects fails meanwhile ('make_connection_snum: canonicalize_connect_path failed for service
                  projects, path ...', NT_STATUS_BAD_NETWORK_NAME for the client), the architects, the filing of
                  scans and the backup job alike
  scans-full      lhoffmann copies a site survey's photos (about 90 MB) into the scans share, whose 64 MB volume runs
                  full: the rest of her copy and every scan the copier sends fail ('svc-scan|127.0.0.30|mfp-2og|scans|
                  pwrite_recv|fail (Success)|.../scan_....pdf'; the copier resends what it holds at each scan, so the
                  failures grow) until the admin moves the photos into the project 65 s later and the copier's
                  backlog goes through
Needs (Debian): samba, smbclient (smbpasswd, pdbedit, smbcontrol); root (smbd, useradd, mount -t tmpfs).
Standard library only.
"""
import calendar
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

from arrivals import poisson
from drivers import (begin, stop_process, descendants, kill_leftovers, SessionPool, Children, wait_listening,
                     keep_log, now, sleep_until, run_workers)
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 20161
PROXY_PORT = PORT + 1
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "samba-l"

# name: (address, workstation, role)
STAFF = {
    "mbauer": ("127.0.0.101", "PC-MBAUER", "principal"),
    "kfischer": ("127.0.0.102", "PC-ACCOUNTS", "bookkeeping"),
    "sbecker": ("127.0.0.103", "PC-RECEPTION", "office"),
    "jwagner": ("127.0.0.104", "CAD-WS01", "architect"),
    "lhoffmann": ("127.0.0.105", "CAD-WS02", "architect"),
    "ayilmaz": ("127.0.0.106", "CAD-WS03", "architect"),
    "pneumann": ("127.0.0.107", "NB-PNEUMANN", "architect"),
}
SERVICES = {
    "svc-scan": ("127.0.0.30", "MFP-2OG", "copier"),
    "svc-backup": ("127.0.0.31", "NAS-BACKUP", "backup"),
    "svc-monitor": ("127.0.0.2", "MONITOR", "monitoring"),
}
DISABLED = {"tkoch": ("127.0.0.141", "NB-TKOCH", "architect on leave")}
ACCOUNTS = dict(STAFF, **SERVICES, **DISABLED)
ATTACKER, ATTACKER_WS = "127.0.0.66", "WIN-QJ8R2B7L5KF"
TARGET = "kfischer"
ARCHITECTS = ["jwagner", "lhoffmann", "ayilmaz", "pneumann"]
FINANCE_USERS = ["mbauer", "kfischer", "sbecker"]
PHOTO_USER = "lhoffmann"
SCANS_MB = 64
LOCKOUT = 10
ERRORS = (OSError, subprocess.SubprocessError, ValueError)

PROJECTS = ["P2025-031_Kindergarten_Nord", "P2025-044_Townhouses_Lindenweg", "P2026-002_Office_Refit_Hafen",
            "P2026-009_School_Extension", "P2026-014_Medical_Practice", "P2026-017_Loft_Conversion"]
DRAWINGS = ["floorplan_GF", "floorplan_1F", "section_AA", "section_BB", "elevation_north", "elevation_south",
            "site_plan", "roof_plan", "detail_window", "detail_stairs"]
DOCS = [("building_description", "docx"), ("cost_estimate", "xlsx"), ("minutes_site_meeting", "docx"),
        ("schedule", "xlsx"), ("tender_lot", "pdf"), ("fire_safety_concept", "pdf"), ("client_letter", "docx")]
TEMPLATES = ["letterhead.dotx", "fax_cover.dotx", "invoice_template.xlsx", "minutes_template.docx",
             "plan_title_block.dwt", "transmittal_form.docx", "timesheet_2026.xlsx"]


def password(user):
    r = random.Random("pw:" + user)
    return "%s-%d%s%s" % (user.capitalize(), r.randint(1000, 9999), r.choice("!#%&*+?"), r.choice("KQXZW"))


def typo(pw, rng):
    i = rng.randrange(len(pw) - 1)
    return pw.lower() if rng.random() < 0.3 else pw[:i] + pw[i + 1] + pw[i] + pw[i + 2:]


def fill(path, size):
    with open(path, "wb") as f:
        f.write(os.urandom(size))


def ts():
    return time.strftime("%Y%m%d_%H%M%S", time.gmtime())


# --- the relay that gives each client its own source address ---

class Relay:
    """Listens on 127.0.0.X:PROXY_PORT for each client address X and relays each connection to smbd at
    127.0.0.1:PORT from a socket bound to that same 127.0.0.X (smbclient has no option to bind a source address)."""

    def __init__(self, addresses):
        self.listeners = []
        self.stop = threading.Event()
        for a in sorted(set(addresses)):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((a, PROXY_PORT))
            s.listen(64)
            self.listeners.append(s)
            threading.Thread(target=self.accept, args=(s, a), daemon=True).start()

    def accept(self, s, addr):
        while not self.stop.is_set():
            try:
                c, _ = s.accept()
            except OSError:
                return
            threading.Thread(target=self.relay, args=(c, addr), daemon=True).start()

    @staticmethod
    def pump(a, b):
        try:
            while True:
                d = a.recv(65536)
                if not d:
                    break
                b.sendall(d)
        except OSError:
            pass
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def relay(self, c, addr):
        try:
            u = socket.create_connection(("127.0.0.1", PORT), timeout=10, source_address=(addr, 0))
        except OSError:
            c.close()
            return
        u.settimeout(None)
        t = threading.Thread(target=self.pump, args=(u, c), daemon=True)
        t.start()
        self.pump(c, u)
        t.join(120)
        c.close()
        u.close()

    def close(self):
        self.stop.set()
        for s in self.listeners:
            try:
                s.close()
            except OSError:
                pass


# --- the server ---

CONF = """# {{work}}/smb.conf: the office's file server (standalone, no domain)
[global]
   workgroup = OFFICE
   netbios name = FILES01
   server string = %h file server
   server role = standalone server
   security = user
   passdb backend = tdbsam
   map to guest = never
   usershare path =
   usershare allow guests = no
   load printers = no
   printing = bsd
   printcap name = /dev/null
   disable spoolss = yes

   smb ports = {port}
   interfaces = 127.0.0.1
   bind interfaces only = yes
   disable netbios = yes

   private dir = {work}/private
   lock directory = {work}/lock
   state directory = {work}/state
   cache directory = {work}/cache
   pid directory = {work}/pid
   ncalrpc dir = {work}/ncalrpc

   log file = {work}/log/smbd.log
   max log size = 0
   log level = 1 auth_audit:3

   # audit trail of who connected, created, renamed, deleted (and what failed)
   vfs objects = full_audit
   full_audit:syslog = false
   full_audit:prefix = %u|%I|%m|%S
   full_audit:success = connect disconnect mkdirat renameat unlinkat
   full_audit:failure = connect openat mkdirat renameat unlinkat pwrite pwrite_recv

   force group = users
   create mask = 0664
   directory mask = 0775

[finance]
   comment = Bookkeeping, invoices, payroll
   path = {work}/shares/finance
   valid users = mbauer kfischer sbecker svc-backup
   read list = svc-backup
   read only = no

[projects]
   comment = Project files
   path = {projects}
   valid users = mbauer kfischer sbecker jwagner lhoffmann ayilmaz pneumann tkoch svc-backup
   read list = svc-backup
   read only = no

[scans]
   comment = Scan to folder (MFP 2nd floor)
   path = {work}/shares/scans
   valid users = mbauer kfischer sbecker jwagner lhoffmann ayilmaz pneumann svc-scan svc-backup svc-monitor
   read list = svc-backup svc-monitor
   read only = no

[templates]
   comment = Office templates
   path = {work}/shares/templates
   valid users = mbauer kfischer sbecker jwagner lhoffmann ayilmaz pneumann svc-backup
   read only = yes
   write list = mbauer sbecker
"""

CLIENT_CONF = """[global]
   workgroup = OFFICE
   private dir = {work}/client/private
   lock directory = {work}/client/lock
   state directory = {work}/client/state
   cache directory = {work}/client/cache
   ncalrpc dir = {work}/client/ncalrpc
   log file = {work}/client/log.%m
   client min protocol = SMB2
"""


class Samba:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "smb.conf")
        self.client_conf = os.path.join(work, "client", "smb.conf")
        self.log = os.path.join(work, "log", "smbd.log")
        self.shares = os.path.join(work, "shares")
        self.projects = os.path.join(self.shares, "projects")  # where smb.conf says the projects are
        self.data2 = os.path.join(work, "data2")  # the new volume of the migration
        self.scans = os.path.join(self.shares, "scans")
        self.proc = None
        self.created = []
        self.mounted = False
        self.lock = threading.Lock()
        self.projects_path = self.projects  # where they really are

    @staticmethod
    def version():
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "samba"], capture_output=True, text=True)
        return r.stdout.strip() or "4.17"

    def write_conf(self, projects):
        with open(self.conf + ".new", "w") as f:
            f.write(CONF.format(work=self.work, port=PORT, projects=projects))
        os.replace(self.conf + ".new", self.conf)

    def share_path(self, share):
        return self.projects_path if share == "projects" else os.path.join(self.shares, share)

    def seed(self, path, size, owner, age):
        fill(path, size)
        uid = pwd_uid(owner)
        os.chown(path, uid, users_gid())
        t = now() - age
        os.utime(path, (t, t))

    def setup(self, rng):
        for u in ACCOUNTS:
            if pwd_uid(u) is not None:
                raise SystemExit("user %s exists already (left over from an earlier run? userdel it first)" % u)
        for d in ("private", "lock", "state", "cache", "pid", "ncalrpc", "log", "client/private", "client/lock",
                  "client/state", "client/cache", "client/ncalrpc", "client/tmp", "shares/finance",
                  "shares/projects", "shares/scans", "shares/templates", "data2"):
            os.makedirs(os.path.join(self.work, d), exist_ok=True)
        os.chmod(os.path.join(self.work, "private"), 0o700)
        self.write_conf(self.projects)
        with open(self.client_conf, "w") as f:
            f.write(CLIENT_CONF.format(work=self.work))
        for u, (_, ws, role) in ACCOUNTS.items():
            subprocess.run(["useradd", "-M", "-N", "-g", "users", "-d", "/nonexistent", "-s", "/usr/sbin/nologin",
                            "-c", "Samba lab %s (%s)" % (role, ws), u], check=True)
            self.created.append(u)
            subprocess.run(["smbpasswd", "-c", self.conf, "-a", "-s", u], input="%s\n%s\n" % (password(u),
                                                                                              password(u)),
                           text=True, check=True, capture_output=True)
        for u in DISABLED:
            subprocess.run(["smbpasswd", "-c", self.conf, "-d", u], check=True, capture_output=True)
        subprocess.run(["pdbedit", "-s", self.conf, "-P", "bad lockout attempt", "-C", str(LOCKOUT)], check=True,
                       capture_output=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%dm,mode=0777" % SCANS_MB, "scans-volume", self.scans],
                       check=True)
        self.mounted = True
        for d in ("finance", "projects", "scans", "templates"):
            os.chmod(os.path.join(self.shares, d), 0o2777)
        # finance: years, invoices, payroll, bank statements
        fin = os.path.join(self.shares, "finance")
        for year in ("2025", "2026"):
            for sub in ("invoices_out", "invoices_in", "bank", "payroll"):
                d = os.path.join(fin, year, sub)
                os.makedirs(d)
                os.chmod(d, 0o2775)
                os.chown(d, pwd_uid("kfischer"), users_gid())
                for i in range(rng.randint(6, 14)):
                    m = rng.randint(1, 11 if year == "2026" else 12)
                    name = {"invoices_out": "INV-%s-%04d.pdf" % (year, 100 + i * 7 + m),
                            "invoices_in": "supplier_%s_%02d_%d.pdf" % (rng.choice(["statika", "druckhaus",
                                                                                    "telekom", "cadsoft", "office24"]),
                                                                        m, i),
                            "bank": "statement_%s-%02d_%d.pdf" % (year, m, i),
                            "payroll": "payroll_%s-%02d_%d.xlsx" % (year, m, i)}[sub]
                    self.seed(os.path.join(d, name), rng.randint(30, 400) * 1024, "kfischer",
                              rng.uniform(5, 300) * 86400)
        self.seed(os.path.join(fin, "open_items.xlsx"), 180 * 1024, "kfischer", 86400)
        # projects: plans, docs, photos, scans of each project
        for p in PROJECTS:
            for sub in ("plans", "docs", "photos", "scans"):
                d = os.path.join(self.projects, p, sub)
                os.makedirs(d)
                os.chmod(d, 0o2775)
                os.chown(d, pwd_uid(rng.choice(ARCHITECTS)), users_gid())
            owner = rng.choice(ARCHITECTS)
            for dr in rng.sample(DRAWINGS, rng.randint(4, 8)):
                for v in range(1, rng.randint(2, 5)):
                    self.seed(os.path.join(self.projects, p, "plans", "%s_v%d.pdf" % (dr, v)),
                              rng.randint(200, 2500) * 1024, owner, rng.uniform(2, 90) * 86400)
                self.seed(os.path.join(self.projects, p, "plans", "%s.dwg" % dr), rng.randint(300, 3000) * 1024,
                          owner, rng.uniform(1, 30) * 86400)
            for doc, ext in rng.sample(DOCS, rng.randint(3, 6)):
                self.seed(os.path.join(self.projects, p, "docs", "%s.%s" % (doc, ext)),
                          rng.randint(30, 600) * 1024, owner, rng.uniform(1, 120) * 86400)
            for i in range(rng.randint(3, 8)):
                self.seed(os.path.join(self.projects, p, "photos", "IMG_%04d.jpg" % rng.randint(1000, 9999)),
                          rng.randint(200, 900) * 1024, owner, rng.uniform(10, 200) * 86400)
        tpl = os.path.join(self.shares, "templates")
        for t in TEMPLATES:
            self.seed(os.path.join(tpl, t), rng.randint(20, 300) * 1024, "sbecker", rng.uniform(30, 400) * 86400)

    def start(self):
        self.proc = subprocess.Popen(["/usr/sbin/smbd", "--foreground", "--no-process-group",
                                      "--configfile=" + self.conf], env=dict(os.environ, TZ="UTC"),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)  # smbd signals its process group when it ends
        wait_listening(self.proc, "smbd", (PORT,))

    def reload(self):
        subprocess.run(["smbcontrol", "-s", self.conf, "smbd", "reload-config"], capture_output=True, timeout=30)

    def ours(self):
        """The pids of the Samba processes running with this run's config (smbd's children and the samba-dcerpcd
        it started, which detaches, with its rpcd_* workers)."""
        marker = ("--configfile=" + self.conf).encode()
        found = []
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open("/proc/%s/cmdline" % d, "rb") as f:
                        if marker in f.read():
                            found.append(int(d))
                except OSError:
                    pass
        return found

    def stop(self):
        kids = descendants(self.proc.pid) if self.proc else []
        stop_process(self.proc)
        kill_leftovers(kids, b"smbd")
        rest = self.ours()
        for pid in rest:  # samba-dcerpcd first: it ends its workers
            try:
                with open("/proc/%d/cmdline" % pid, "rb") as f:
                    if b"samba-dcerpcd" in f.read():
                        os.kill(pid, 15)
            except OSError:
                pass
        deadline = now() + 5
        while self.ours() and now() < deadline:
            time.sleep(0.2)
        for pid in self.ours():
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        time.sleep(0.3)

    def cleanup(self):
        if self.mounted:
            for args in (["umount", self.scans], ["umount", "-l", self.scans]):
                if subprocess.run(args, capture_output=True).returncode == 0:
                    self.mounted = False
                    break
        for u in list(self.created):
            r = subprocess.run(["userdel", u], capture_output=True, text=True)
            if r.returncode == 0:
                self.created.remove(u)
            else:
                print("userdel %s: %s" % (u, r.stderr.strip()), file=sys.stderr)


def pwd_uid(user):
    import pwd
    try:
        return pwd.getpwnam(user).pw_uid
    except KeyError:
        return None


def users_gid():
    import grp
    return grp.getgrnam("users").gr_gid


# --- the clients ---

class Traffic(SessionPool):
    def __init__(self, server, seed):
        super().__init__(seed, 24, ERRORS)
        self.server = server
        self.children = Children()
        self.pending = []  # scans the copier holds (could not store)
        self.pending_lock = threading.Lock()
        self.scan_no = 0
        self.tmp_no = 0
        self.last_backup = now() - 3600

    def tmpfile(self, size, ext="bin"):
        with self.lock:
            self.tmp_no += 1
            n = self.tmp_no
        p = os.path.join(self.server.work, "client", "tmp", "up%06d.%s" % (n, ext))
        fill(p, size)
        return p

    def smb(self, user, share, cmds, pw=None, src=None, ws=None, timeout=120, extra=()):
        """One smbclient run as user to //FILES01/share (or -L when share is None); (returncode, output)."""
        a_src, a_ws, _ = ACCOUNTS.get(user, (None, None, None))
        src, ws = src or a_src, ws or a_ws
        pw = password(user) if pw is None else pw
        args = ["smbclient", "-s", self.server.client_conf, "-I", src, "-p", str(PROXY_PORT), "-n", ws,
                "-U", "%s%%%s" % (user, pw), "-t", "30"] + list(extra)
        if share is None:
            args += ["-L", "FILES01"]
        else:
            args += ["//FILES01/" + share, "-c", cmds]
        p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             env=dict(os.environ, TZ="UTC"))
        self.children.add(p)
        try:
            out, _ = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
        finally:
            self.children.discard(p)
        out = out.decode("utf-8", "replace")
        self.count("smbclient runs")
        m = re.findall(r"NT_STATUS_\w+", out)
        for s in set(m):
            self.count("client saw " + s)
        return p.returncode, out

    # what a client can see of the shares (read from the server's disk, as a client browsing would see it)
    def listdir(self, share, *parts):
        """The files (not folders) in a folder of a share."""
        d = os.path.join(self.server.share_path(share), *parts)
        try:
            return sorted(n for n in os.listdir(d) if os.path.isfile(os.path.join(d, n)))
        except OSError:
            return []

    def staff(self, user, rng, mistype=False):
        role = STAFF[user][2]
        if mistype:  # a mistyped password, then the right one
            self.smb(user, "templates", "ls", pw=typo(password(user), rng))
            self.count("typo")
            time.sleep(rng.uniform(2, 6))
        r = rng.random()
        if r < 0.04:
            self.smb(user, None, "")  # browsing \\FILES01
            self.count("browse")
            return
        if role == "architect":
            share = "projects" if r < 0.85 else "templates" if r < 0.95 else "scans"
        elif role == "bookkeeping":
            share = "finance" if r < 0.85 else "templates"
        elif role == "principal":
            share = "finance" if r < 0.35 else "projects" if r < 0.9 else "templates"
        else:
            share = "finance" if r < 0.35 else "projects" if r < 0.6 else "templates" if r < 0.85 else "scans"
        out = getattr(self, "work_" + share)(user, rng)
        if out and "NT_STATUS_ACCOUNT_LOCKED_OUT" in out:  # she tries again, then calls the admin
            self.count("locked out, tries again")
            time.sleep(rng.uniform(4, 10))
            getattr(self, "work_" + share)(user, rng)

    def work_templates(self, user, rng):
        names = self.listdir("templates")
        cmds = ["ls"] + ['get "%s" /dev/null' % n for n in rng.sample(names, min(len(names), rng.randint(1, 2)))]
        up = None
        if user in ("mbauer", "sbecker") and rng.random() < 0.15 and names:
            up = self.tmpfile(rng.randint(20, 300) * 1024)
            cmds.append('put "%s" "%s"' % (up, rng.choice(names)))
        _, out = self.smb(user, "templates", "; ".join(cmds))
        if up:
            os.remove(up)
        self.count("templates")
        return out

    def work_scans(self, user, rng):
        names = [n for n in self.listdir("scans") if n.startswith("scan_")]
        cmds = ["ls"] + ['get "%s" /dev/null' % n for n in names[-2:]]
        _, out = self.smb(user, "scans", "; ".join(cmds))
        self.count("scans")
        return out

    def work_projects(self, user, rng):
        try:
            projects = sorted(n for n in os.listdir(self.server.projects_path) if n.startswith("P"))
        except OSError:
            projects = []  # (as the share's path is gone, the client gets an error anyway)
        if not projects:
            return self.smb(user, "projects", "ls")[1]
        p = rng.choice(projects)
        sub = rng.choice(["plans", "plans", "plans", "docs", "docs", "photos"])
        names = self.listdir("projects", p, sub)
        cmds = ['cd "%s/%s"' % (p, sub), "ls"]
        for n in rng.sample(names, min(len(names), rng.randint(1, 3))):
            cmds.append('get "%s" /dev/null' % n)
        ups = []
        a = rng.random()
        if user != "mbauer" and a < 0.45 and sub in ("plans", "docs"):
            if sub == "plans":
                base = rng.choice(DRAWINGS)
                vs = [int(m.group(1)) for n in names for m in [re.match(re.escape(base) + r"_v(\d+)\.pdf$", n)] if m]
                name = "%s_v%d.pdf" % (base, max(vs + [0]) + 1)
                size = rng.randint(200, 2500) * 1024
                if rng.random() < 0.5:
                    dwg = self.tmpfile(rng.randint(300, 3000) * 1024)
                    ups.append(dwg)
                    cmds.append('put "%s" "%s.dwg"' % (dwg, base))
            else:
                doc, ext = rng.choice(DOCS)
                name = "%s.%s" % (doc, ext)
                size = rng.randint(30, 600) * 1024
            f = self.tmpfile(size)
            ups.append(f)
            cmds.append('put "%s" "%s"' % (f, name))
        elif a < 0.52 and sub == "plans":
            old = [n for n in names if re.search(r"_v1\.pdf$", n)]
            if old:
                cmds.append('del "%s"' % rng.choice(old))  # clean up a superseded version
        elif a < 0.58:
            cmds.append('mkdir "%s_%s"' % (rng.choice(["variant", "review", "export", "client"]),
                                           time.strftime("%m%d_%H%M%S", time.gmtime())))
        elif a < 0.63 and names:
            n = rng.choice(names)
            stem, dot, ext = n.rpartition(".")
            if stem and not stem.endswith("_checked"):
                cmds.append('rename "%s" "%s_checked.%s"' % (n, stem, ext))
        elif a < 0.68:
            # a shortcut in the Recent list to a file someone has renamed or deleted
            cmds.append('get "%s_v%d.pdf" /dev/null' % (rng.choice(DRAWINGS), rng.randint(1, 3)))
        _, out = self.smb(user, "projects", "; ".join(cmds))
        for f in ups:
            os.remove(f)
        self.count("projects")
        return out

    def work_finance(self, user, rng):
        year = "2026" if rng.random() < 0.85 else "2025"
        sub = rng.choice(["invoices_out", "invoices_out", "invoices_in", "invoices_in", "bank", "payroll"])
        names = self.listdir("finance", year, sub)
        cmds = ['cd "%s/%s"' % (year, sub), "ls"] + ['get "%s" /dev/null' % n
                                                    for n in rng.sample(names, min(len(names), rng.randint(1, 2)))]
        ups = []
        a = rng.random()
        if user in ("kfischer", "sbecker") and a < 0.4 and year == "2026":
            if sub == "invoices_out":
                name = "INV-2026-%04d.pdf" % rng.randint(300, 999)
            elif sub == "invoices_in":
                name = "supplier_%s_12_%d.pdf" % (rng.choice(["statika", "druckhaus", "telekom", "cadsoft",
                                                              "office24", "baustoff"]), rng.randint(10, 99))
            else:
                name = "%s_2026-12_%d.%s" % ("statement" if sub == "bank" else "payroll", rng.randint(10, 99),
                                             "pdf" if sub == "bank" else "xlsx")
            f = self.tmpfile(rng.randint(30, 400) * 1024)
            ups.append(f)
            cmds.append('put "%s" "%s"' % (f, name))
            if rng.random() < 0.3:
                up = self.tmpfile(180 * 1024)
                ups.append(up)
                cmds.append('put "%s" "../../open_items.xlsx"' % up)
        elif user == "kfischer" and a < 0.47 and names:
            n = rng.choice(names)
            if not n.startswith("booked_"):
                cmds.append('rename "%s" "booked_%s"' % (n, n))
        elif user == "kfischer" and a < 0.5 and names:
            cmds.append('del "%s"' % rng.choice(names))  # a duplicate
        _, out = self.smb(user, "finance", "; ".join(cmds))
        for f in ups:
            os.remove(f)
        self.count("finance")
        return out

    def staff_sessions(self, rate):
        weights = {"mbauer": 1.0, "kfischer": 1.6, "sbecker": 1.2, "jwagner": 1.3, "lhoffmann": 1.3,
                   "ayilmaz": 1.3, "pneumann": 0.7}
        users = list(weights)
        for _ in poisson(rate, self.stop, random.Random(self.rng.random())):
            u = self.rng.choices(users, [weights[x] for x in users])[0]
            self.spawn(self.staff, u, random.Random(self.rng.random()))

    # the copier
    def scan(self, rng):
        with self.lock:
            self.scan_no += 1
            no = self.scan_no
        name = "scan_%s_%04d.pdf" % (ts(), no)
        local = self.tmpfile(rng.randint(150, 1600) * 1024, "pdf")
        with self.pending_lock:
            batch = self.pending + [(name, local)]
            self.pending = []
        cmds = ['put "%s" "%s"' % (loc, n) for n, loc in batch]
        self.smb("svc-scan", "scans", "; ".join(cmds))
        # what the copier learns from the server's answers: whether each file was stored whole
        keep = []
        for n, loc in batch:
            try:
                whole = os.path.getsize(os.path.join(self.server.scans, n)) == os.path.getsize(loc)
            except OSError:
                whole = False
            if not whole:
                keep.append((n, loc))
        with self.pending_lock:
            self.pending = keep + self.pending
        for n, loc in batch:
            if (n, loc) not in keep:
                os.remove(loc)
        self.count("scans sent", len(batch) - len(keep))
        if keep:
            self.count("scans kept", len(keep))

    def scanner_loop(self, mean):
        rng = random.Random(self.rng.random())
        nxt = now() + rng.uniform(2, mean)
        while not self.stop.is_set():
            if now() >= nxt:
                nxt = now() + rng.uniform(0.4, 1.6) * mean
                self.spawn(self.scan, random.Random(rng.random()))
            time.sleep(0.2)

    # sbecker files the scans into the projects
    def file_scans(self, rng):
        names = [n for n in self.listdir("scans") if n.startswith("scan_")]
        names = names[:rng.randint(2, 6)]
        if not names:
            return
        d = os.path.join(self.server.work, "client", "tmp", "filing%d" % rng.randint(0, 10 ** 9))
        os.makedirs(d)
        try:
            self.smb("sbecker", "scans", "; ".join('get "%s" "%s/%s"' % (n, d, n) for n in names))
            got = [n for n in names if os.path.exists(os.path.join(d, n))]
            if not got:
                return
            p = rng.choice(PROJECTS)
            rc, out = self.smb("sbecker", "projects", 'cd "%s/scans"; ' % p +
                               "; ".join('put "%s/%s" "%s"' % (d, n, n) for n in got))
            if rc == 0 and "NT_STATUS_" not in out:
                self.smb("sbecker", "scans", "; ".join('del "%s"' % n for n in got))
                self.count("scans filed", len(got))
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def filing_loop(self, mean):
        rng = random.Random(self.rng.random())
        nxt = now() + rng.uniform(10, mean)
        while not self.stop.is_set():
            if now() >= nxt:
                nxt = now() + rng.uniform(0.6, 1.4) * mean
                self.spawn(self.file_scans, random.Random(rng.random()))
            time.sleep(0.2)

    # the backup NAS: walks each share and fetches what changed since its last run
    def backup(self):
        since = self.last_backup
        self.last_backup = now()
        for share in ("finance", "projects", "templates", "scans"):
            root = self.server.share_path(share)
            changed = []
            for dirpath, _, files in os.walk(root):
                for n in files:
                    p = os.path.join(dirpath, n)
                    try:
                        if os.path.getmtime(p) >= since:
                            changed.append(os.path.relpath(p, root))
                    except OSError:
                        pass
            cmds = ["recurse", "ls"] + ['get "%s" /dev/null' % c.replace("/", "\\") for c in changed[:40]]
            self.smb("svc-backup", share, "; ".join(cmds))
            if self.stop.is_set():
                break
        self.count("backup runs")

    def backup_loop(self, mean):
        rng = random.Random(self.rng.random())
        nxt = now() + rng.uniform(20, mean)
        while not self.stop.is_set():
            if now() >= nxt:
                nxt = now() + rng.uniform(0.85, 1.15) * mean
                self.spawn(self.backup)
            time.sleep(0.2)

    def noise(self):
        """Monitoring of the scans volume, mistyped passwords, architects clicking the finance share, tkoch's
        laptop with the disabled account."""
        rng = random.Random(self.rng.random())
        next_check = now() + rng.uniform(5, 60)
        next_typo = now() + rng.uniform(15, 60)
        next_denied = now() + rng.uniform(30, 150)
        next_disabled = now() + rng.uniform(10, 120)
        while not self.stop.is_set():
            t = now()
            if t >= next_check:
                next_check += rng.uniform(59, 61)
                self.spawn(self.smb, "svc-monitor", "scans", "du")
                self.count("monitor")
            if t >= next_typo:
                next_typo = t + rng.expovariate(1 / 60.0)
                self.spawn(self.staff, rng.choice(list(STAFF)), random.Random(rng.random()), True)
            if t >= next_denied:
                next_denied = t + rng.expovariate(1 / 150.0)
                self.spawn(self.smb, rng.choice(ARCHITECTS), "finance", "ls")
                self.count("finance denied")
            if t >= next_disabled:
                next_disabled = t + rng.uniform(100, 140)
                self.spawn(self.smb, "tkoch", "projects", "ls")
                self.count("disabled")
            time.sleep(0.2)

    def run(self):
        ts_ = [threading.Thread(target=self.staff_sessions, args=(0.25,)),
               threading.Thread(target=self.scanner_loop, args=(15.0,)),
               threading.Thread(target=self.filing_loop, args=(70.0,)),
               threading.Thread(target=self.backup_loop, args=(90.0,)),
               threading.Thread(target=self.noise)]
        self.start(ts_)


# --- incidents ---

WORDS = ["123456", "password", "Passwort1", "qwertz", "Fischer1", "fischer2026", "Katrin", "katrin123", "Sommer2026",
         "Winter2026!", "Dezember2026", "Buchhaltung1", "admin", "welcome", "Welcome1", "letmein", "Password1!",
         "12345678", "P@ssw0rd", "Kfischer1", "k.fischer", "Office2026", "Hallo123", "Hamburg1", "iloveyou",
         "changeme", "Architekt1", "Start123", "Geheim123", "Monday1", "trustno1", "Qwertz123", "Fischer!",
         "Katrin2026", "Katrin!", "dragon", "sunshine", "football", "abc123", "Passw0rd", "111111", "master"]


def brute_force(traffic, server, seconds, unlock_after, workers=3):
    """127.0.0.66 probes user names, then guesses kfischer's password until stopped; the admin unlocks her later."""
    state = {"probes": 0, "guesses": 0, "unlocked": None}
    lock = threading.Lock()
    words = list(WORDS)
    random.Random(5).shuffle(words)
    stop_at = now() + seconds
    start = now()
    for name in ("administrator", "admin", "scanner", "buchhaltung", "backup", "k.fischer"):
        traffic.smb(name, "finance", "ls", pw=random.choice(WORDS), src=ATTACKER, ws=ATTACKER_WS, timeout=30)
        state["probes"] += 1
        time.sleep(0.3)

    def worker(k):
        rng = random.Random(k)
        i = k
        while now() < stop_at:
            w = words[i % len(words)] + ("" if i < len(words) else str(i // len(words)))
            i += workers
            try:
                traffic.smb(TARGET, "finance", "ls", pw=w, src=ATTACKER, ws=ATTACKER_WS, timeout=30)
            except ERRORS:
                pass
            with lock:
                state["guesses"] += 1
            time.sleep(rng.uniform(0.25, 0.45))

    run_workers(worker, [(k,) for k in range(workers)], seconds + 30)
    end = now()
    sleep_until(end + unlock_after)
    subprocess.run(["pdbedit", "-s", server.conf, "-z", TARGET], capture_output=True, timeout=30)
    subprocess.run(["pdbedit", "-s", server.conf, "-c", "[]", TARGET], capture_output=True, timeout=30)
    state["unlocked"] = now()
    return start, end, state


def move_share(server, seconds):
    """Storage migration: projects moved to the new volume, smb.conf's path updated only `seconds` later."""
    new = os.path.join(server.data2, "projects")
    start = now()
    with server.lock:
        os.rename(server.projects, new)
        server.projects_path = new
    time.sleep(seconds)
    server.write_conf(new)
    server.reload()
    return start, now()


def fill_scans(traffic, server, free_after):
    """lhoffmann copies a site survey's photos into scans until its volume is full; the admin moves them away."""
    rng = random.Random(11)
    folder = "site_survey_P2026-017_%s" % time.strftime("%Y%m%d", time.gmtime())
    d = os.path.join(server.work, "client", "tmp", folder)
    os.makedirs(d)
    photos = []
    for i in range(46):
        n = "DSC%05d.JPG" % (4711 + i)
        fill(os.path.join(d, n), rng.randint(1700, 2300) * 1024)
        photos.append(n)
    start = now()
    _, out = traffic.smb(PHOTO_USER, "scans", 'mkdir "%s"; cd "%s"; ' % (folder, folder) +
                         "; ".join('put "%s/%s" "%s"' % (d, n, n) for n in photos), timeout=300)
    copied = now()
    shutil.rmtree(d, ignore_errors=True)
    st = os.statvfs(server.scans)
    full = st.f_bavail * st.f_frsize
    sleep_until(copied + free_after)
    # the admin moves the photos to the project they belong to (server side) and tells her
    dest = os.path.join(server.projects_path, "P2026-017_Loft_Conversion", "photos", folder)
    shutil.move(os.path.join(server.scans, folder), dest)
    subprocess.run(["chown", "-R", "%s:users" % PHOTO_USER, dest], capture_output=True)
    freed = now()
    return start, copied, freed, out.count("NT_STATUS_DISK_FULL"), full


# --- reading the log back (for the labels) ---

HEAD = re.compile(r"^\[(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)(\.\d+),\s+(\d+)\] (\S+)\((\w+)\)$")


def read_log(path):
    """smbd's log as (epoch, level, function, message) tuples (the message's lines joined)."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = HEAD.match(line.rstrip("\n"))
            if m:
                t = calendar.timegm(time.strptime(m.group(1), "%Y/%m/%d %H:%M:%S")) + float(m.group(2))
                out.append([t, int(m.group(3)), m.group(5), ""])
            elif out:
                out[-1][3] += line.strip() + " "
    return [(t, lv, fn, msg.strip()) for t, lv, fn, msg in out]


def main():
    work = begin(OUT, "samba", __doc__, readable=True)
    server = Samba(work)
    version = server.version()
    labels = Labels()
    labels.note("made by bench/real-logs/samba.py: smbd's log file (log level = 1 auth_audit:3, full_audit into the "
                "same log), as smbd wrote it; real Samba smbd %s (Debian) standalone on 127.0.0.1:%d, an "
                "architects' office file server with shares finance, projects, scans (a 64 MB volume) and "
                "templates; 7 staff PCs 127.0.0.101-107, the copier 127.0.0.30, the backup NAS 127.0.0.31, the "
                "monitoring 127.0.0.2, a disabled account's laptop 127.0.0.141; about 0.5 SMB sessions/s driven "
                "with smbclient; TZ=UTC; wall-clock times" % (version, PORT))
    labels.note("smbclient cannot bind a source address: each client connects to a TCP relay in the script on "
                "127.0.0.X:%d, which connects to smbd from that same 127.0.0.X, so the addresses smbd logs are the "
                "clients' own; user names, workstation names (-n) and shares are influencers too" % PROXY_PORT)
    traffic = None
    relay = None
    ok = False
    try:
        server.setup(random.Random(7))
        server.start()
        relay = Relay([a for a, _, _ in ACCOUNTS.values()] + [ATTACKER])
        traffic = Traffic(server, 2026)
        traffic.run()
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. password guessing against kfischer, who is locked out until the admin unlocks her
        b_start, b_end, bst = brute_force(traffic, server, 45 * SCALE, 25 * SCALE)
        sleep_until(bst["unlocked"] + 60 * SCALE)

        # 2. the projects share's directory moved, smb.conf updated late
        m_start, m_end = move_share(server, 70 * SCALE)
        sleep_until(m_end + 60 * SCALE)

        # 3. the scans volume filled by a photo upload
        f_start, f_copied, f_freed, f_fails, f_left = fill_scans(traffic, server, 65 * SCALE)
        sleep_until(f_freed + 75 * SCALE)

        traffic.finish(90)
        time.sleep(1)
        log = read_log(server.log)

        # 1.
        att = [e for e in log if "remote host [ipv4:%s:" % ATTACKER in e[3]]
        wrong = [e for e in att if "[%s]" % TARGET in e[3] and "NT_STATUS_WRONG_PASSWORD" in e[3]]
        att_locked = [e for e in att if "NT_STATUS_ACCOUNT_LOCKED_OUT" in e[3]]
        nouser = [e for e in att if "NT_STATUS_NO_SUCH_USER" in e[3]]
        own = STAFF[TARGET][0]
        her_locked = [e for e in log if "[%s]" % TARGET in e[3] and "NT_STATUS_ACCOUNT_LOCKED_OUT" in e[3]
                      and "remote host [ipv4:%s:" % own in e[3]]
        if att:
            end = max([e[0] for e in att + her_locked] + [bst["unlocked"]])
            labels.add("brute-force", min(e[0] for e in att), end, "brute-force", "%s|%s|%s" % (ATTACKER, TARGET,
                                                                                               ATTACKER_WS),
                       "a password-guessing script on %s (workstation %s) probes %d user names (administrator, "
                       "admin, scanner, ...: %d lines 'status [NT_STATUS_NO_SUCH_USER]'), then guesses the "
                       "bookkeeper %s's password with 3 parallel connections for %d s: %d Auth lines 'user "
                       "[OFFICE]\\[%s] ... status [NT_STATUS_WRONG_PASSWORD] ... remote host [ipv4:%s:...]'; "
                       "after %d the account is locked out (account policy), so the rest of the script's %d guesses "
                       "log 'status [NT_STATUS_ACCOUNT_LOCKED_OUT]' (%d lines) and so do %s's own logons from her PC "
                       "%s (%d lines) until the admin unlocks the account (pdbedit -z, -c '[]') %d s after the "
                       "script stopped; no guess succeeded"
                       % (ATTACKER, ATTACKER_WS, bst["probes"], len(nouser), TARGET, round(b_end - b_start),
                          len(wrong), TARGET, ATTACKER, LOCKOUT, bst["guesses"], len(att_locked), TARGET, own,
                          len(her_locked), round(bst["unlocked"] - b_end)))
        other_locked = [e for e in log if "NT_STATUS_ACCOUNT_LOCKED_OUT" in e[3] and not
                        b_start - 1 <= e[0] <= bst["unlocked"] + 2]
        if other_locked:
            print("note: %d lockout lines outside the brute-force incident" % len(other_locked), file=sys.stderr)

        # 2.
        canon = [e for e in log if "canonicalize_connect_path failed for service projects" in e[3]]
        inside = [e for e in canon if m_start - 1 <= e[0] <= m_end + 2]
        if inside:
            who = sorted({m.group(1) for e in log if m_start <= e[0] <= m_end + 2
                          for m in [re.match(r"([\w-]+)\|[\d.]+\|[^|]*\|projects\|connect\|ok", e[3])] if m})
            labels.add("share-moved", min([m_start] + [e[0] for e in inside]), max([m_end] + [e[0] for e in inside]),
                       "misconfiguration", "projects|%s" % server.projects,
                       "a storage migration: the admin moves the projects share's directory %s to the new volume "
                       "(%s) and updates smb.conf's path (smbcontrol smbd reload-config) only %d s later; meanwhile "
                       "every tree connect to projects fails: %d lines 'make_connection_snum: "
                       "canonicalize_connect_path failed for service projects, path %s' at level 0, each after the "
                       "full_audit line '...|projects|connect|ok|projects' and before '...|projects|disconnect|ok' "
                       "(users %s: the architects, the filing of scans, the backup job); the clients get "
                       "NT_STATUS_BAD_NETWORK_NAME; afterwards the audit lines show the new path"
                       % (server.projects, os.path.join(server.data2, "projects"), round(m_end - m_start),
                          len(inside), server.projects, ", ".join(who)))
        if len(canon) != len(inside):
            print("note: %d canonicalize lines outside the share-moved incident" % (len(canon) - len(inside)),
                  file=sys.stderr)

        # 3.
        wfail = [e for e in log if re.search(r"\|scans\|pwrite(_recv)?\|fail", e[3])]
        winc = [e for e in wfail if f_start - 1 <= e[0] <= f_freed + 30 * SCALE + 20]
        hers = [e for e in winc if e[3].startswith(PHOTO_USER + "|")]
        copier = [e for e in winc if e[3].startswith("svc-scan|")]
        after = [e for e in log if e[0] > f_freed and e[3].startswith("svc-scan|") and "|scans|connect|ok" in e[3]]
        if winc:
            labels.add("scans-full", min(e[0] for e in winc), max([e[0] for e in winc] + [f_freed]),
                       "disk-full", "scans|%s|%s" % (server.scans, PHOTO_USER),
                       "lhoffmann (CAD-WS02, 127.0.0.105) copies a site survey's 46 photos (about 90 MB) into a "
                       "new folder on the scans share, whose 64 MB volume runs full: the rest of her copy fails "
                       "(%d lines '%s|127.0.0.105|cad-ws02|scans|pwrite_recv|fail (Success)|%s/site_survey_.../"
                       "DSC....JPG'; the clients get NT_STATUS_DISK_FULL) and so does every scan the copier sends "
                       "(%d lines 'svc-scan|127.0.0.30|mfp-2og|scans|pwrite_recv|fail (Success)|%s/scan_....pdf'; it "
                       "resends what it holds with each new scan, so the failures grow) until the admin moves the "
                       "photos into the project %d s after her copy ended; the copier's next session stores its "
                       "backlog%s"
                       % (len(hers), PHOTO_USER, server.scans, len(copier), server.scans, round(f_freed - f_copied),
                          " (at %s)" % time.strftime("%H:%M:%S", time.gmtime(after[0][0])) if after else ""))
        if len(wfail) != len(winc):
            print("note: %d write failures on scans outside the scans-full incident" % (len(wfail) - len(winc)),
                  file=sys.stderr)
        lines = sum(1 for _ in open(server.log, "rb"))
        print("%s: %s; brute force %s; scans-full: copy saw %d DISK_FULL, %d bytes left; smbd log %d entries, "
              "%d lines" % (NAME, sorted(traffic.counts.items()), bst, f_fails, f_left, len(log), lines),
              file=sys.stderr)
        ok = True
    finally:
        # no signal may cut the cleanup short (the tmpfs, the users, the detached samba-dcerpcd)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            if traffic:
                traffic.stop.set()
                traffic.children.kill()
            server.stop()
            if relay:
                relay.close()
            if ok:
                keep_log(server.log, OUT, NAME, labels)
        finally:
            server.cleanup()
            shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
