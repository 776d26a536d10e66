#!/usr/bin/env python3
"""Runs a real MIT Kerberos 5 KDC (Debian krb5-kdc 1.20) and its kadmind (krb5-admin-server) on 127.0.0.1 as a
small company's realm EXAMPLE.TEST: staff log in on their workstations with kinit and get service tickets for the
intranet, the wiki, mail, the file server and the database; servers and service accounts get theirs from keytabs;
an admin manages principals with kadmin through kadmind and users change their passwords with kpasswd. It drives
that traffic with the MIT client programs (kinit, kvno, kdestroy, kpasswd, kadmin), injects labelled incidents and
keeps the KDC's log exactly as krb5kdc wrote it (`[logging] kdc = FILE:...`, the syslog-like format MIT writes:
'Dec 03 15:00:44 vm krb5kdc[26253](info): AS_REQ (8 etypes {...}) 127.0.0.101: NEEDED_PREAUTH: alice@EXAMPLE.TEST
for krbtgt/EXAMPLE.TEST@EXAMPLE.TEST, Additional pre-authentication required'), and kadmind's log beside it
(`[logging] admin_server = FILE:...`: 'kadmind[..](Notice): Request: kadm5_delete_principal, HTTP/...,
success, client=sysadm/admin@EXAMPLE.TEST, service=kadmin/admin@EXAMPLE.TEST, addr=127.0.0.5').

The realm lives in the run's work dir: its own krb5.conf and kdc.conf (KRB5_CONFIG and KRB5_KDC_PROFILE point at
them; /etc/krb5.conf and the system services are not touched), a db2 database and stash made by `kdb5_util create
-s`, a kadm5.acl granting */admin everything. kdc.conf: kdc_ports/kdc_tcp_ports 127.0.0.1:PORT, kadmind_port PORT+1
and kpasswd_port PORT+2 (with kadmind_listen/kpasswd_listen 127.0.0.1:..., else kadmind binds every address),
default_principal_flags = +preauth (so every AS exchange shows NEEDED_PREAUTH and a wrong password PREAUTH_FAILED),
max_life 10h, max_renewable_life 7d. Password policies: "users" (minlength 8, maxfailure 5 within 300 s, lockout
600 s) for staff and admins, "services" (no lockout) for service accounts. The principals are made with one
kadmin.local run fed its commands on stdin (keytabs with ktadd). Servers: `krb5kdc -n` and `kadmind -nofork` (as
root, in the foreground, stopped with SIGTERM); TZ=UTC.

Client source addresses: the MIT libraries cannot bind a source address (krb5.conf has no such setting), so each
client role gets its own krb5.conf whose kdc / admin_server / kpasswd_server is 127.0.0.X on the same three ports,
where this script relays (standard library sockets: UDP datagrams and TCP connections) to 127.0.0.1 from a socket
bound to 127.0.0.X. The KDC and kadmind therefore see and log each role's own address (the relay only adds a hop on
loopback; it does not touch the log).

usage: bench/real-logs/kdc.py OUTDIR [PORT]      (default port 20184; kadmind PORT+1, kpasswd PORT+2)
  writes OUTDIR/kdc-m.log (the KDC's log) and OUTDIR/kdc-m.labels.tsv, and OUTDIR/kadmind-m.log (kadmind's log)
  and OUTDIR/kadmind-m.labels.tsv; SCALE=0.1 multiplies every duration (a short run for testing)

Normal traffic (about 5 KDC log lines a second):
  14 staff (alice .. nina) on desktops 127.0.0.101-114, four of them sometimes on VPN laptops 127.0.0.121-124:
  sessions arriving about 0.45/s: kinit with the password on stdin, service tickets with kvno for what they open
  (HTTP/web.example.test, the intranet, nearly always; HTTP/wiki, imap/mail, cifs/files, host/files for ssh,
  postgres/db for analysts), now and then kinit -R, kdestroy at the end. Noise: about 5% of logins start with a
  mistyped password (PREAUTH_FAILED, then the right one), a user names a service that does not exist (LOOKING_UP_SERVER
  "Server not found in Kerberos database": an old NAS, a typo'd host), a laptop resuming after its renewable life
  ended tries kinit -R (TKT_EXPIRED "Ticket expired") and then logs in again, a user misspells their own name
  (CLIENT_NOT_FOUND), a script renews a ticket that is not renewable (TICKET NOT RENEWABLE).
  Keytab clients: the monitoring probe (nagios/mon.example.test, 127.0.0.2) every 30 s: kinit -k, a ticket for the
  intranet, kdestroy; the app server (host/app1, 127.0.0.21) a new TGT and postgres/db ticket every 40-60 s; the mail
  server (smtp/mail, 127.0.0.25) a TGT and ldap/ldap ticket every 30-50 s; the backup job (svc-backup, 127.0.0.31)
  every 40-60 s tickets for host/files, host/db and cifs/files; the ETL job (svc-etl, 127.0.0.32) every 30-45 s
  tickets for postgres/db and HTTP/api; and a forgotten cron job (127.0.0.40) with the keytab of svc-report, deleted
  last year, every 60-90 s (CLIENT_NOT_FOUND).
  The admin sysadm/admin on 127.0.0.5 runs kadmin (through kadmind) every 50-100 s: getprinc, listprincs, getpol,
  a new workstation's host principal, a helpdesk password reset (cpw); a user changes their password with kpasswd
  every 70-110 s (kadmind: "chpw request from 127.0.0.X for USER: success").

Incidents (about 8.5 minutes in all: 90 s of normal traffic, 70 s of it between and after the incidents):
  password-spray   127.0.0.66 sprays 8 common passwords ("Winter2026!", "Welcome1", ...) over 16 real user names
                   (the 14 staff and two service accounts) for about 45 s: NEEDED_PREAUTH, "preauth
                   (encrypted_timestamp) verify failure" and PREAUTH_FAILED lines from 127.0.0.66; after 5 failures
                   the staff accounts are locked (policy "users"), so the spray's later guesses and the staff's own
                   logins from their desktops get LOCKED_OUT "Client's credentials have been revoked" until the
                   helpdesk (sysadm/admin, 127.0.0.5) unlocks them with kadmin modprinc -unlock about 35 s later
  web-principal-deleted  the admin, decommissioning the old intranet server, deletes HTTP/web.example.test instead of
                   HTTP/web-old.example.test (kadmind: kadm5_delete_principal); for about 70 s every service ticket
                   for the intranet fails: TGS_REQ LOOKING_UP_SERVER "Server not found in Kerberos database" from
                   every desktop and the monitoring probe, until the admin re-creates it (addprinc -randkey, ktadd
                   for the web server's keytab, kvno 2) and deletes the old one
  user-enumeration a script on 127.0.0.77 (kerbrute-style userenum) sends AS requests without pre-authentication
                   for its whole list of 188 guessed names (first names, first.last, jsmith, admin, sqlsvc, ...)
                   spread over 40 s (about 5 a second; at most 8): CLIENT_NOT_FOUND "Client not found in Kerberos database" for the misses and
                   NEEDED_PREAUTH for the names that exist
Needs (Debian): krb5-kdc, krb5-admin-server, krb5-user. Python standard library only.
"""
import datetime
import os
import random
import re
import selectors
import shutil
import socket
import subprocess
import sys
import threading
import time

from drivers import begin, stop_process, wait_listening, SessionPool, Children, keep_log, now, sleep_until
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 20184
KADMIN_PORT, KPASSWD_PORT = PORT + 1, PORT + 2
SCALE = float(os.environ.get("SCALE", "1"))
NAME, ANAME = "kdc-m", "kadmind-m"
REALM = "EXAMPLE.TEST"

STAFF = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "ken", "laura",
         "mike", "nina"]
DESKTOP = {u: "127.0.0.%d" % (101 + i) for i, u in enumerate(STAFF)}
LAPTOP = {u: "127.0.0.%d" % (121 + i) for i, u in enumerate(["alice", "dave", "grace", "ken"])}
ANALYSTS = {"carol", "frank", "judy", "laura"}
DEVOPS = {"dave", "ivan", "mike"}
ADMIN, ADMIN_IP = "sysadm/admin", "127.0.0.5"
MONITOR, MONITOR_IP = "nagios/mon.example.test", "127.0.0.2"
APP, APP_IP = "host/app1.example.test", "127.0.0.21"
MAIL, MAIL_IP = "smtp/mail.example.test", "127.0.0.25"
BACKUP, BACKUP_IP = "svc-backup", "127.0.0.31"
ETL, ETL_IP = "svc-etl", "127.0.0.32"
STALE, STALE_IP = "svc-report", "127.0.0.40"
SPRAYER, ENUMERATOR = "127.0.0.66", "127.0.0.77"
WEB = "HTTP/web.example.test"
WEB_OLD = "HTTP/web-old.example.test"
SERVICES = [WEB, WEB_OLD, "HTTP/wiki.example.test", "HTTP/api.example.test", "imap/mail.example.test",
            MAIL, "ldap/ldap.example.test", "cifs/files.example.test", "host/files.example.test",
            "host/db.example.test", "postgres/db.example.test", APP, "host/web.example.test", MONITOR]
KEYTABS = [MONITOR, APP, MAIL, BACKUP, ETL, WEB]
UNKNOWN_SERVICES = ["cifs/nas.example.test", "HTTP/intranet.example.test", "HTTP/wiki.example.tset",
                    "host/files", "HTTP/jira.example.test", "postgres/db-old.example.test"]
SPRAY_PASSWORDS = ["Winter2026!", "Welcome1", "Password1", "Company123", "Spring2026", "Qwerty123!",
                   "Example2026", "Changeme1"]
ROLE_ADDRS = sorted(set(list(DESKTOP.values()) + list(LAPTOP.values()) + [ADMIN_IP, MONITOR_IP, APP_IP, MAIL_IP,
                    BACKUP_IP, ETL_IP, STALE_IP, SPRAYER, ENUMERATOR]), key=lambda a: int(a.split(".")[3]))
ERRORS = (OSError, subprocess.SubprocessError, ValueError)


def password(user, generation=0):
    r = random.Random("pw:%s:%d" % (user, generation))
    words = ["Harbor", "Maple", "Copper", "Falcon", "Meadow", "Cobalt", "Juniper", "Lantern", "Pepper", "Quartz"]
    return "%s%s%d%s" % (r.choice(words), r.choice(words).lower(), r.randint(10, 99), r.choice("!#%&*+?"))


def typo(pw, rng):
    i = rng.randrange(len(pw) - 1)
    return pw.lower() if rng.random() < 0.3 else pw[:i] + pw[i + 1] + pw[i] + pw[i + 2:]


# --- the relay that gives each client role its own source address ---

class Relay:
    """For each role address X: listens on X:PORT, X:KPASSWD_PORT (UDP and TCP) and X:KADMIN_PORT (TCP), and passes
    each datagram / connection on to the same port on 127.0.0.1 from a socket bound to X (so the KDC and kadmind see
    X), answers going back the same way."""

    def __init__(self, addrs):
        self.sel = selectors.DefaultSelector()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.listeners = []
        self.ups = {}  # (listener fileno, client address) -> [upstream socket, last use]
        self.conns = set()
        for a in addrs:
            for p in (PORT, KPASSWD_PORT):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind((a, p))
                s.setblocking(False)
                self.sel.register(s, selectors.EVENT_READ, ("udp", a, p))
                self.listeners.append(s)
            for p in (PORT, KADMIN_PORT, KPASSWD_PORT):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((a, p))
                s.listen(16)
                s.setblocking(False)
                self.sel.register(s, selectors.EVENT_READ, ("tcp", a, p))
                self.listeners.append(s)
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def start(self):
        self.thread.start()

    def loop(self):
        last_sweep = now()
        while not self.stop.is_set():
            for key, _ in self.sel.select(0.5):
                try:
                    self.event(key)
                except OSError:
                    pass
            if now() - last_sweep > 5:
                last_sweep = now()
                for k, (up, used) in list(self.ups.items()):
                    if now() - used > 30:
                        self.sel.unregister(up)
                        up.close()
                        del self.ups[k]

    def event(self, key):
        kind = key.data[0]
        if kind == "udp":
            lsock, addr, port = key.fileobj, key.data[1], key.data[2]
            data, client = lsock.recvfrom(65535)
            k = (lsock.fileno(), client)
            if k not in self.ups:
                up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                up.bind((addr, 0))
                up.connect(("127.0.0.1", port))
                up.setblocking(False)
                self.sel.register(up, selectors.EVENT_READ, ("up", lsock, client))
                self.ups[k] = [up, now()]
            self.ups[k][1] = now()
            self.ups[k][0].send(data)
        elif kind == "up":
            up, lsock, client = key.fileobj, key.data[1], key.data[2]
            try:
                data = up.recv(65535)
            except ConnectionRefusedError:
                return
            lsock.sendto(data, client)
        elif kind == "tcp":
            conn, _ = key.fileobj.accept()
            conn.setblocking(True)
            try:
                up = socket.create_connection(("127.0.0.1", key.data[2]), timeout=10,
                                              source_address=(key.data[1], 0))
            except OSError:
                conn.close()
                return
            up.settimeout(None)
            with self.lock:
                self.conns.update((conn, up))
            for a, b in ((conn, up), (up, conn)):
                threading.Thread(target=self.pump, args=(a, b), daemon=True).start()

    def pump(self, src, dst):
        try:
            while True:
                d = src.recv(65536)
                if not d:
                    break
                dst.sendall(d)
        except OSError:
            pass
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self):
        self.stop.set()
        self.thread.join(5)
        for s in self.listeners + [u for u, _ in self.ups.values()]:
            s.close()
        with self.lock:
            for s in self.conns:
                s.close()


# --- the realm and its servers ---

class Realm:
    def __init__(self, work):
        self.work = work
        self.krb5_conf = os.path.join(work, "krb5.conf")
        self.kdc_conf = os.path.join(work, "kdc.conf")
        self.kdc_log = os.path.join(work, "log", "krb5kdc.log")
        self.kadmin_log = os.path.join(work, "log", "kadmind.log")
        self.keytabs = os.path.join(work, "keytabs")
        self.ccaches = os.path.join(work, "cc")
        self.clients = os.path.join(work, "client")
        self.kdc = self.kadmind = None
        self.passwords = {u: password(u) for u in STAFF}
        self.passwords[ADMIN] = password(ADMIN)
        self.generation = {u: 0 for u in self.passwords}
        self.lock = threading.Lock()
        self.children = Children()
        self.seq = 0
        self.env = dict(os.environ, TZ="UTC", KRB5_CONFIG=self.krb5_conf, KRB5_KDC_PROFILE=self.kdc_conf)
        for k in ("KRB5CCNAME", "KRB5_KTNAME", "KRB5_TRACE"):
            self.env.pop(k, None)

    @staticmethod
    def version():
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "krb5-kdc"], capture_output=True, text=True)
        return r.stdout.strip() or "1.20"

    def keytab(self, principal):
        return os.path.join(self.keytabs, principal.replace("/", "_") + ".keytab")

    def client_conf(self, addr):
        return os.path.join(self.clients, addr + ".conf")

    def setup(self):
        for d in ("log", "db", "keytabs", "cc", "client"):
            os.makedirs(os.path.join(self.work, d), exist_ok=True)
        libdefaults = ("[libdefaults]\n    default_realm = %s\n    dns_lookup_kdc = false\n    dns_lookup_realm = "
                       "false\n    rdns = false\n    dns_canonicalize_hostname = false\n    forwardable = true\n"
                       "    ticket_lifetime = 10h\n%%s\n" % REALM)
        realm = ("[realms]\n    %s = {\n        kdc = %%s:%d\n        admin_server = %%s:%d\n        kpasswd_server = "
                 "%%s:%d\n    }\n\n[domain_realm]\n    .example.test = %s\n    example.test = %s\n"
                 % (REALM, PORT, KADMIN_PORT, KPASSWD_PORT, REALM, REALM))
        with open(self.krb5_conf, "w") as f:
            f.write(libdefaults % "" + realm % (("127.0.0.1",) * 3))
        workstations = set(DESKTOP.values()) | set(LAPTOP.values()) | {ADMIN_IP}
        for a in ROLE_ADDRS:  # the workstations ask for renewable tickets, the servers' krb5.conf does not
            with open(self.client_conf(a), "w") as f:
                f.write(libdefaults % ("    renew_lifetime = 7d\n" if a in workstations else "")
                        + realm % ((a,) * 3))
        db = os.path.join(self.work, "db")
        with open(self.kdc_conf, "w") as f:
            f.write("""[kdcdefaults]
    kdc_ports = 127.0.0.1:{port}
    kdc_tcp_ports = 127.0.0.1:{port}

[realms]
    {realm} = {{
        database_name = {db}/principal
        key_stash_file = {db}/.k5.{realm}
        acl_file = {db}/kadm5.acl
        kadmind_port = {kadmin}
        kpasswd_port = {kpasswd}
        kadmind_listen = 127.0.0.1:{kadmin}
        kpasswd_listen = 127.0.0.1:{kpasswd}
        max_life = 10h 0m 0s
        max_renewable_life = 7d 0h 0m 0s
        default_principal_flags = +preauth
    }}

[logging]
    kdc = FILE:{kdclog}
    admin_server = FILE:{adminlog}
    default = FILE:{work}/log/krb5lib.log
""".format(port=PORT, realm=REALM, db=db, kadmin=KADMIN_PORT, kpasswd=KPASSWD_PORT, kdclog=self.kdc_log,
           adminlog=self.kadmin_log, work=self.work))
        with open(os.path.join(db, "kadm5.acl"), "w") as f:
            f.write("*/admin@%s *\n" % REALM)
        master = "".join(random.Random(11).choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(20))
        subprocess.run(["kdb5_util", "create", "-s", "-r", REALM, "-P", master], env=self.env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cmds = ["addpol -minlength 8 -minclasses 2 -maxfailure 5 -failurecountinterval 300s -lockoutduration 600s "
                "users", "addpol -minlength 8 services"]
        for u in STAFF + [ADMIN]:
            cmds.append("addprinc -pw %s -policy users %s" % (self.passwords[u], u))
        for s in SERVICES:
            cmds.append("addprinc -randkey -policy services %s" % s)
        for s in (BACKUP, ETL, STALE):
            cmds.append("addprinc -randkey -policy services %s" % s)
        for s in KEYTABS + [STALE]:
            cmds.append("ktadd -k %s %s" % (self.keytab(s), s))
        cmds.append("delprinc -force %s" % STALE)  # decommissioned last year; its keytab lives on in a cron job
        r = subprocess.run(["kadmin.local"], input="\n".join(cmds) + "\n", env=self.env, capture_output=True,
                           text=True)
        if r.returncode != 0 or not os.path.exists(self.keytab(STALE)):
            raise SystemExit("kadmin.local setup failed: %s" % r.stderr[-2000:])

    def start(self):
        self.kdc = subprocess.Popen(["krb5kdc", "-n", "-P", os.path.join(self.work, "krb5kdc.pid")], env=self.env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_listening(self.kdc, "krb5kdc", [PORT])
        self.kadmind = subprocess.Popen(["kadmind", "-nofork", "-P", os.path.join(self.work, "kadmind.pid")],
                                        env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_listening(self.kadmind, "kadmind", [KADMIN_PORT, KPASSWD_PORT])

    def stop(self):
        self.children.kill()
        stop_process(self.kadmind)
        stop_process(self.kdc)

    # --- clients ---

    def new_cc(self, tag):
        with self.lock:
            self.seq += 1
            return "FILE:%s/%s-%d" % (self.ccaches, tag.replace("/", "_"), self.seq)

    def run(self, addr, args, cc=None, stdin="", timeout=30):
        """Runs a client program as the role on addr (its own krb5.conf); returns (exit code, output)."""
        env = dict(self.env, KRB5_CONFIG=self.client_conf(addr))
        env.pop("KRB5_KDC_PROFILE", None)
        if cc:
            env["KRB5CCNAME"] = cc
        p = subprocess.Popen(args, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
        self.children.add(p)
        try:
            out, _ = p.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
        finally:
            self.children.discard(p)
        return p.returncode, out

    def kinit(self, addr, user, pw, cc, *opts):
        return self.run(addr, ["kinit"] + list(opts) + [user], cc, stdin=pw + "\n")

    def kinit_keytab(self, addr, principal, cc, *opts):
        return self.run(addr, ["kinit"] + list(opts) + ["-k", "-t", self.keytab(principal), principal], cc)

    def kvno(self, addr, cc, service):
        return self.run(addr, ["kvno", service], cc)

    def kdestroy(self, addr, cc):
        self.run(addr, ["kdestroy"], cc)
        path = cc.split(":", 1)[1]
        if os.path.exists(path):
            os.unlink(path)

    def kadmin(self, *queries):
        """sysadm/admin runs kadmin on the admin workstation through kadmind: one query with the password typed at
        the prompt, several through a helpdesk script (-w and the queries on stdin)."""
        with self.lock:
            pw = self.passwords[ADMIN]
        if len(queries) == 1:
            return self.run(ADMIN_IP, ["kadmin", "-p", ADMIN, "-q", queries[0]], self.new_cc("kadmin"),
                            stdin=pw + "\n")
        return self.run(ADMIN_IP, ["kadmin", "-p", ADMIN, "-w", pw], self.new_cc("kadmin"),
                        stdin="\n".join(queries) + "\nquit\n")


# --- normal traffic ---

class Traffic(SessionPool):
    def __init__(self, realm, seed):
        super().__init__(seed, 30, ERRORS)
        self.realm = realm
        self.unlocked = threading.Event()

    def staff_session(self, rng):
        r = self.realm
        user = rng.choice(STAFF)
        addr = LAPTOP[user] if user in LAPTOP and rng.random() < 0.3 else DESKTOP[user]
        cc = r.new_cc(user)
        with r.lock:
            pw = r.passwords[user]
        if rng.random() < 0.012:  # the user misspells their own name
            r.kinit(addr, typo(user, rng) + rng.choice(["", "s", "1"]), pw, cc)
            self.count("staff name typo")
            time.sleep(rng.uniform(2, 6))
        if rng.random() < 0.05:
            r.kinit(addr, user, typo(pw, rng), cc)
            self.count("staff password typo")
            time.sleep(rng.uniform(2, 6))
        laptop_resume = addr in LAPTOP.values() and rng.random() < 0.35
        opts = ("-l", "25s", "-r", "50s") if laptop_resume else ()
        for attempt in range(3):
            rc, out = r.kinit(addr, user, pw, cc, *opts)
            if rc == 0:
                break
            if "revoked" in out:  # locked out: try again a little later, then give up and call the helpdesk
                self.count("staff locked out")
                if attempt < 2:
                    time.sleep(rng.uniform(4, 12))
                    continue
            else:
                self.count("staff kinit failed")
            self.realm.kdestroy(addr, cc)
            return
        self.count("staff login")
        if laptop_resume:  # the lid closed past the ticket's renewable life; the resume hook tries kinit -R first
            time.sleep(rng.uniform(52, 60))
            rc, out = r.run(addr, ["kinit", "-R"], cc)
            self.count("laptop renew %s" % ("ok" if rc == 0 else "expired"))
            if rc != 0:
                r.kinit(addr, user, pw, cc)
        wants = []
        if rng.random() < 0.92:
            wants.append(WEB)
        for svc, p in (("HTTP/wiki.example.test", 0.4), ("imap/mail.example.test", 0.5),
                       ("cifs/files.example.test", 0.35), ("host/files.example.test", 0.15)):
            if rng.random() < p:
                wants.append(svc)
        if user in ANALYSTS and rng.random() < 0.6:
            wants.append("postgres/db.example.test")
        if user in DEVOPS and rng.random() < 0.5:
            wants += ["host/db.example.test", "HTTP/api.example.test"][:rng.randint(1, 2)]
        rng.shuffle(wants)
        if rng.random() < 0.04:
            wants.insert(rng.randrange(len(wants) + 1), rng.choice(UNKNOWN_SERVICES))
        for svc in wants:
            time.sleep(rng.uniform(0.5, 6))
            rc, out = r.kvno(addr, cc, svc)
            if rc != 0 and "not found" in out:
                self.count("kvno not found")
                if svc == WEB:  # the browser's negotiate fails; the user reloads the page
                    time.sleep(rng.uniform(3, 10))
                    r.kvno(addr, cc, svc)
            else:
                self.count("kvno")
        if rng.random() < 0.2:
            time.sleep(rng.uniform(2, 10))
            r.run(addr, ["kinit", "-R"], cc)
            self.count("staff renew")
        time.sleep(rng.uniform(1, 10))
        r.kdestroy(addr, cc)

    def keytab_job(self, addr, principal, services, rng, renew=False):
        r = self.realm
        cc = r.new_cc(principal)
        rc, out = r.kinit_keytab(addr, principal, cc)
        if rc != 0:
            self.count("%s kinit failed" % principal)
            r.kdestroy(addr, cc)
            return
        for svc in services:
            time.sleep(rng.uniform(0.1, 1.5))
            rc, _ = r.kvno(addr, cc, svc)
            self.count("%s kvno %s" % (principal, "ok" if rc == 0 else "failed"))
        if renew:  # the job's wrapper script "keeps the ticket fresh" with kinit -R; its TGT is not renewable
            time.sleep(rng.uniform(0.5, 2))
            r.run(addr, ["kinit", "-R"], cc)
            self.count("not renewable")
        r.kdestroy(addr, cc)

    def etl_job(self, rng):
        self.keytab_job(ETL_IP, ETL, ["postgres/db.example.test", "HTTP/api.example.test"], rng,
                        renew=rng.random() < 0.12)

    def stale_cron(self, rng):
        rc, _ = self.realm.kinit_keytab(STALE_IP, STALE, self.realm.new_cc(STALE))
        self.count("stale cron")

    def kpasswd(self, rng):
        r = self.realm
        user = rng.choice(STAFF)
        addr = DESKTOP[user]
        with r.lock:
            old, gen = r.passwords[user], r.generation[user] + 1
        new = password(user, gen)
        rc, out = r.run(addr, ["kpasswd", user], r.new_cc("kpasswd"), stdin="%s\n%s\n%s\n" % (old, new, new))
        if rc == 0:
            with r.lock:
                r.passwords[user], r.generation[user] = new, gen
        self.count("kpasswd %s" % ("ok" if rc == 0 else "failed"))

    def admin_routine(self, rng):
        r = self.realm
        k = rng.random()
        if k < 0.3:
            q = "getprinc %s" % rng.choice(STAFF)
        elif k < 0.45:
            q = "listprincs"
        elif k < 0.55:
            q = "getpol users"
        elif k < 0.75:
            q = "addprinc -randkey -policy services host/ws%02d.example.test" % rng.randint(10, 99)
        elif k < 0.85:
            q = "getprinc %s" % rng.choice(SERVICES)
        else:  # a helpdesk reset for a user who forgot their password
            user = rng.choice(STAFF)
            with r.lock:
                gen = r.generation[user] + 1
            new = password(user, gen)
            rc, _ = r.kadmin("cpw -pw %s %s" % (new, user))
            if rc == 0:
                with r.lock:
                    r.passwords[user], r.generation[user] = new, gen
            self.count("admin cpw")
            return
        r.kadmin(q)
        self.count("admin %s" % q.split()[0])

    def run(self):
        ts = [threading.Thread(target=self.arrivals, args=(0.45, self.staff_session)),
              threading.Thread(target=self.every, args=(29, 31, self.keytab_job, MONITOR_IP, MONITOR, [WEB])),
              threading.Thread(target=self.every, args=(40, 60, self.keytab_job, APP_IP, APP,
                                                         ["postgres/db.example.test"])),
              threading.Thread(target=self.every, args=(30, 50, self.keytab_job, MAIL_IP, MAIL,
                                                         ["ldap/ldap.example.test"])),
              threading.Thread(target=self.every, args=(40, 60, self.keytab_job, BACKUP_IP, BACKUP,
                                                         ["host/files.example.test", "host/db.example.test",
                                                          "cifs/files.example.test"])),
              threading.Thread(target=self.every, args=(30, 45, self.etl_job)),
              threading.Thread(target=self.every, args=(60, 90, self.stale_cron)),
              threading.Thread(target=self.every, args=(70, 110, self.kpasswd)),
              threading.Thread(target=self.every, args=(50, 100, self.admin_routine))]
        self.start(ts)


# --- incidents ---


def run_workers(worker, workers, seconds):
    """Runs worker(0..workers-1) in threads for about `seconds`; (start, end) epoch seconds."""
    start = now()
    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    return start, now()

def password_spray(realm, seconds, workers=3):
    """127.0.0.66 tries each of 8 common passwords against 16 user names, one password round after the other."""
    targets = STAFF[:]
    random.Random(5).shuffle(targets)
    targets += [BACKUP, ETL]
    guesses = [(u, p) for p in SPRAY_PASSWORDS for u in targets]
    gap = min(seconds / len(guesses), 1.0) * workers
    lock = threading.Lock()
    state = {"next": 0, "failed": 0, "locked": 0, "other": 0}

    def worker(k):
        time.sleep(k * gap / workers)
        while True:
            with lock:
                if state["next"] >= len(guesses):
                    return
                user, pw = guesses[state["next"]]
                state["next"] += 1
            t = now()
            rc, out = realm.kinit(SPRAYER, user, pw, realm.new_cc("spray"))
            with lock:
                key = "locked" if "revoked" in out else "failed" if "incorrect" in out else "other"
                state[key] += 1
            time.sleep(max(0.0, gap - (now() - t)))

    start, end = run_workers(worker, workers, seconds)
    return start, end, state


def helpdesk_unlock(realm):
    """The helpdesk, after a wave of calls, unlocks every staff account with one kadmin script."""
    rc, out = realm.kadmin(*["modprinc -unlock %s" % u for u in STAFF])
    return now(), rc


def delete_web_principal(realm, seconds):
    """The admin decommissions the old intranet server but deletes the live one's principal; the monitoring alert
    brings him back: he re-creates it, writes the web server a new keytab, and deletes the old one this time."""
    start = now()
    rc, out = realm.kadmin("delprinc -force %s" % WEB)
    if rc != 0:
        raise SystemExit("delprinc failed: %s" % out)
    sleep_until(start + seconds)
    realm.kadmin("addprinc -randkey -policy services %s" % WEB)
    fixed = now()
    os.unlink(realm.keytab(WEB))
    realm.kadmin("ktadd -k %s %s" % (realm.keytab(WEB), WEB))
    time.sleep(3)
    realm.kadmin("delprinc -force %s" % WEB_OLD)
    return start, fixed


def enumeration_names():
    firsts = ["james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "william", "elizabeth",
              "david", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "charles", "karen",
              "daniel", "nancy", "matthew", "lisa", "anthony", "betty", "mark", "sandra", "paul", "ashley",
              "steven", "kimberly", "andrew", "emily", "joshua", "donna", "kevin", "michelle", "brian", "carol",
              "george", "amanda", "alice", "bob", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "ken",
              "laura", "mike", "nina", "oscar", "peggy", "trent", "victor", "walter"]
    lasts = ["smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "wilson", "taylor"]
    special = ["administrator", "admin", "root", "guest", "test", "backup", "svc-backup", "svc-sql", "sqlsvc",
               "svc-web", "helpdesk", "it", "webadmin", "support", "scanner", "krbtgt", "service", "sysadm",
               "operator", "oracle", "postgres", "jenkins", "ansible", "nagios", "ldap", "svc-etl", "user", "info"]
    r = random.Random(77)
    names = list(firsts) + special
    for f in firsts[:40]:
        names.append("%s.%s" % (f, r.choice(lasts)))
        names.append("%s%s" % (f[0], r.choice(lasts)))
    for l in lasts:
        names.append("j.%s" % l)
        names.append("a%s" % l)
    r.shuffle(names)
    return names


def user_enumeration(realm, seconds, rate=8.0, workers=2):
    """127.0.0.77 sends an AS request without pre-authentication for each guessed name (kinit with nothing to read
    on stdin: an existing name gets NEEDED_PREAUTH and kinit gives up; a missing one CLIENT_NOT_FOUND)."""
    names = enumeration_names()
    count = min(len(names), int(rate * seconds) + 1)
    names = names[:count]
    gap = seconds / count * workers
    lock = threading.Lock()
    state = {"next": 0, "missing": 0, "exists": 0}

    def worker(k):
        time.sleep(k * gap / workers)
        while True:
            with lock:
                if state["next"] >= len(names):
                    return
                name = names[state["next"]]
                state["next"] += 1
            t = now()
            rc, out = realm.run(ENUMERATOR, ["kinit", name], realm.new_cc("enum"), stdin="")
            with lock:
                state["missing" if "not found" in out else "exists"] += 1
            time.sleep(max(0.0, gap - (now() - t)))

    start, end = run_workers(worker, workers, seconds)
    return start, end, state


# --- reading the logs back ---

LINE = re.compile(r"^(\w{3} +\d+ \d\d:\d\d:\d\d) \S+ (\S+?)\[\d+\]\((\w+)\): (.*)$")
REQ = re.compile(r"^(AS_REQ|TGS_REQ) \(\d+ etypes \{.*?\}\) ([\d.]+): ([A-Z_ ]+): (.*)$")
WHO = re.compile(r"(\S+@\S+) for (\S+@[A-Z.]+)(?:, (.*))?$")


def parse_time(s, year):
    t = datetime.datetime.strptime("%d %s" % (year, re.sub(" +", " ", s)), "%Y %b %d %H:%M:%S")
    return t.replace(tzinfo=datetime.timezone.utc).timestamp()


def read_kdc(path, year):
    """(epoch, request, address, status, client, server, rest) for each AS_REQ / TGS_REQ line."""
    rows = []
    with open(path, errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if not m:
                continue
            q = REQ.match(m.group(4))
            if not q:
                continue
            w = WHO.search(q.group(4))
            rows.append((parse_time(m.group(1), year), q.group(1), q.group(2), q.group(3),
                         w.group(1) if w else "", w.group(2) if w else "", q.group(4)))
    return rows


def read_kadmind(path, year):
    rows = []
    with open(path, errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if m and m.group(2) == "kadmind":
                rows.append((parse_time(m.group(1), year), m.group(4)))
    return rows


def count_lines(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def main():
    work = begin(OUT, "kdc", __doc__)
    realm = Realm(work)
    version = realm.version()
    labels, alabels = Labels(), Labels()
    how = ("real MIT Kerberos KDC %s (Debian krb5-kdc, krb5kdc -n) on 127.0.0.1:%d UDP+TCP and kadmind "
           "(-nofork) on 127.0.0.1:%d/%d, realm %s in a temp dir with its own krb5.conf/kdc.conf (db2 database, "
           "default_principal_flags +preauth, policy 'users' with maxfailure 5 / lockout 600 s); traffic from the MIT "
           "clients (kinit with the password on stdin or a keytab, kvno, kinit -R, kdestroy, kpasswd, kadmin): 14 "
           "staff on desktops 127.0.0.101-114 (laptops 127.0.0.121-124), monitoring 127.0.0.2, admin sysadm/admin "
           "127.0.0.5, app server 127.0.0.21, mail server 127.0.0.25, svc-backup 127.0.0.31, svc-etl 127.0.0.32, a "
           "stale cron job with a deleted principal's keytab 127.0.0.40; each role's own krb5.conf points at "
           "127.0.0.X on the same ports, where the driver relays to 127.0.0.1 from a socket bound to 127.0.0.X, so "
           "the servers log the role's own address; TZ=UTC; wall-clock times; timestamps have no year and whole "
           "seconds" % (version, PORT, KADMIN_PORT, KPASSWD_PORT, REALM))
    labels.note("made by bench/real-logs/kdc.py: the KDC's log ([logging] kdc = FILE:..., as krb5kdc wrote it); "
                + how)
    alabels.note("made by bench/real-logs/kdc.py: kadmind's log ([logging] admin_server = FILE:..., as kadmind "
                 "wrote it; the setup's kadmin.local and kdb5_util runs write their start lines here too); " + how)
    traffic = relay = None
    ok = False
    t_begin = now()
    try:
        realm.setup()
        relay = Relay(ROLE_ADDRS)
        relay.start()
        realm.start()
        year = time.gmtime().tm_year
        traffic = Traffic(realm, 2026)
        traffic.run()
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. password spraying from one address, then the helpdesk unlocks the staff
        s_start, s_end, sst = password_spray(realm, 45 * SCALE)
        sleep_until(s_end + 35 * SCALE)
        u_time, u_rc = helpdesk_unlock(realm)
        sleep_until(u_time + 70 * SCALE)

        # 2. the admin deletes the live intranet's service principal
        w_start, w_fixed = delete_web_principal(realm, 70 * SCALE)
        sleep_until(w_fixed + 70 * SCALE)

        # 3. user enumeration from one address
        e_start, e_end, est = user_enumeration(realm, 40 * SCALE)
        sleep_until(e_end + 80 * SCALE)

        traffic.finish(90)
        time.sleep(1)
        kdc = read_kdc(realm.kdc_log, year)
        adm = read_kadmind(realm.kadmin_log, year)

        # 1.
        spray = [e for e in kdc if e[2] == SPRAYER]
        victims = [e for e in kdc if e[2] != SPRAYER and "LOCKED OUT" in e[3].replace("_", " ")
                   and s_start - 1 <= e[0] <= u_time + 2]
        if spray:
            end = max(e[0] for e in spray + victims)
            pf = [e for e in spray if e[3] == "PREAUTH_FAILED"]
            lo = [e for e in spray if "LOCKED" in e[3]]
            labels.add("password-spray", min(e[0] for e in spray), end, "password-spraying", SPRAYER,
                       "127.0.0.66 sprays %d common passwords over %d user names (the 14 staff and svc-backup, "
                       "svc-etl), one round per password, for %d s: %d AS_REQ lines from 127.0.0.66 (NEEDED_PREAUTH, "
                       "%d PREAUTH_FAILED 'Preauthentication failed' for %d principals, each with a 'preauth "
                       "(encrypted_timestamp) verify failure' line before it); after 5 failures policy 'users' locks "
                       "the staff accounts, so %d of the spray's later guesses get LOCKED_OUT 'Client's credentials "
                       "have been revoked', and so do %d logins of the staff themselves from their own desktops (%s) "
                       "until the helpdesk unlocks every staff account with kadmin at %s"
                       % (len(SPRAY_PASSWORDS), len(STAFF) + 2, round(s_end - s_start), len(spray), len(pf),
                          len({e[4] for e in pf}), len(lo), len(victims),
                          ", ".join(sorted({e[4].split("@")[0] for e in victims})) or "none",
                          time.strftime("%H:%M:%S", time.gmtime(u_time))))
        unlocks = [a for a in adm if "kadm5_modify_principal" in a[1] and "addr=%s" % ADMIN_IP in a[1]
                   and u_time - 30 <= a[0] <= u_time + 2]
        if unlocks:
            alabels.add("password-spray", min(a[0] for a in unlocks), max(a[0] for a in unlocks),
                        "password-spraying", "%s|%s|%s" % (SPRAYER, ADMIN_IP, ADMIN),
                        "the aftermath of a password spray from 127.0.0.66 (in the KDC's log, not here) that locked "
                        "the staff accounts: the helpdesk (sysadm/admin on 127.0.0.5) unlocks all 14 with one kadmin "
                        "script: %d 'Request: kadm5_modify_principal, USER@EXAMPLE.TEST, success, "
                        "client=sysadm/admin@EXAMPLE.TEST, ..., addr=127.0.0.5' lines in a row" % len(unlocks))

        # 2.
        lost = [e for e in kdc if e[5] == "%s@%s" % (WEB, REALM) and e[3] != "ISSUE" and w_start - 1 <= e[0]
                <= w_fixed + 5]
        if lost:
            addrs = sorted({e[2] for e in lost}, key=lambda a: int(a.split(".")[3]))
            labels.add("web-principal-deleted", min(e[0] for e in lost), max(e[0] for e in lost),
                       "misconfiguration", "%s|%s|%s" % (WEB, ADMIN, ADMIN_IP),
                       "the admin (sysadm/admin, kadmin from 127.0.0.5), decommissioning the old intranet server, "
                       "deletes %s instead of %s; for %d s every request for a service ticket to the intranet fails: "
                       "%d lines 'TGS_REQ ... LOOKING_UP_SERVER: authtime 0, ... USER@EXAMPLE.TEST for "
                       "%s@EXAMPLE.TEST, Server not found in Kerberos database' from %d addresses (the staff's "
                       "desktops, the browsers retrying, and the monitoring probe 127.0.0.2), until the admin "
                       "re-creates the principal (new key, kvno 2) and tickets for it are issued again"
                       % (WEB, WEB_OLD, round(w_fixed - w_start), len(lost), WEB, len(addrs)))
        amine = [a for a in adm if ("kadm5_delete_principal" in a[1] or "kadm5_create_principal" in a[1] or
                                    "kadm5_randkey_principal" in a[1]) and "%s@" % WEB in a[1]
                 and w_start - 1 <= a[0] <= w_fixed + 30]
        if amine:
            alabels.add("web-principal-deleted", min(a[0] for a in amine), max(a[0] for a in amine),
                        "misconfiguration", "%s|%s|%s" % (WEB, ADMIN, ADMIN_IP),
                        "the admin (client=sysadm/admin@EXAMPLE.TEST, addr=127.0.0.5) deletes the live intranet's "
                        "principal: 'Request: kadm5_delete_principal, %s@EXAMPLE.TEST, success' where he meant %s; "
                        "%d s later (the KDC's log meanwhile shows every ticket request for it failing) he "
                        "re-creates it: kadm5_create_principal, then kadm5_randkey_principal for the web server's new "
                        "keytab (ktadd), and then deletes %s" % (WEB, WEB_OLD, round(w_fixed - w_start), WEB_OLD))

        # 3.
        enum = [e for e in kdc if e[2] == ENUMERATOR]
        if enum:
            nf = [e for e in enum if e[3] == "CLIENT_NOT_FOUND"]
            labels.add("user-enumeration", min(e[0] for e in enum), max(e[0] for e in enum), "user-enumeration",
                       ENUMERATOR,
                       "a kerbrute-style userenum script on 127.0.0.77 sends AS requests without pre-authentication "
                       "for %d guessed names (first names, first.last, jsmith, administrator, sqlsvc, ...) at about "
                       "%.0f a second for %d s: %d lines 'AS_REQ ... 127.0.0.77: CLIENT_NOT_FOUND: NAME@EXAMPLE.TEST "
                       "for krbtgt/EXAMPLE.TEST@EXAMPLE.TEST, Client not found in Kerberos database' and %d "
                       "NEEDED_PREAUTH lines for the names that exist (%s)"
                       % (est["next"], est["next"] / max(1.0, e_end - e_start), round(e_end - e_start), len(nf),
                          len(enum) - len(nf),
                          ", ".join(sorted({e[4].split("@")[0] for e in enum if e[3] != "CLIENT_NOT_FOUND"}))))
        print("%s: %s; spray %s; unlock rc %s; enumeration %s; KDC log %d lines, kadmind log %d lines; %.0f s" % (
            NAME, sorted(traffic.counts.items()), sst, u_rc, est, count_lines(realm.kdc_log),
            count_lines(realm.kadmin_log), now() - t_begin), file=sys.stderr)
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
        realm.stop()
        if relay:
            relay.close()
        if ok:
            keep_log(realm.kdc_log, OUT, NAME, labels)
            keep_log(realm.kadmin_log, OUT, ANAME, alabels)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
