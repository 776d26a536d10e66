#!/usr/bin/env python3
"""Runs a real OpenLDAP slapd (Debian slapd 2.5) on 127.0.0.1 as a company's directory (dc=corp,dc=example) used by
its applications, drives their LDAP traffic, injects labelled incidents and keeps slapd's log exactly as it was
written: `loglevel stats` (the conn=/op= lines for connections, BINDs, SEARCHes, MODs and their RESULTs) sent, as
slapd always sends its loglevel output, through syslog(3) to /dev/log, and written by bench/real-logs/syslogd.py in
rsyslog's traditional file format ('Dec  3 07:29:32 HOST slapd[2356]: conn=1002 op=0 BIND dn="..." method=128').
OpenLDAP 2.5's `logfile` directive is no alternative: in 2.5 it only copies the -d debug output (unrelated to
loglevel, says slapd.conf(5)); `logfile-only` and `logfile-format` came with 2.6. There is no /dev/log on this
machine, so slapd runs in a private mount namespace (unshare -m) whose /dev is a small tmpfs with the device nodes
it needs and /dev/log pointing at syslogd.py's socket, as bench/real-logs/sshd.sh does; nothing outside the namespace
changes. syslogd.py keeps messages as slapd sent them, so the one multi-line message, the version banner at start,
stays two lines (rsyslog would have written its newline and tab as #012#011).

slapd runs in the foreground as `slapd -h ldap://127.0.0.1:PORT/ -f WORK/slapd.conf -d 0` (as root; -d 0 keeps it in
the foreground with no debug output, the loglevel still going to syslog; stopped with SIGTERM), TZ=UTC, with the
open-files limit a Debian slapd service gets by default (systemd's soft limit, 1024: `ulimit -n 1024`). Its
slapd.conf (in WORK; /etc/ldap and the system service are not touched, only Debian's schema files are read): the
core, cosine, nis and inetorgperson schemas, back_mdb loaded from /usr/lib/ldap, `loglevel stats`, sizelimit 500,
one mdb database for dc=corp,dc=example (rootdn cn=admin,dc=corp,dc=example, {SSHA} rootpw) with eq indexes on
objectClass, uid, member, eq,sub on cn, sn, givenName, mail, and the usual ACLs (userPassword: self write, anonymous
auth; ou=people writable by the HR sync account; everything readable by bound users). The database is made with
slapadd before the start: 320 people in ou=people (inetOrgPerson, {SSHA} passwords), 6 service accounts in
ou=services (account + simpleSecurityObject), 14 groups in ou=groups (groupOfNames).
Needs (Debian): slapd, ldap-utils; root (unshare, mount). Python standard library only: the applications' LDAP
client is written here (BER encoding of bind, search, modify, unbind), each binding its own 127.0.0.X; the admin's
commands are the real ldap-utils (ldapadd, ldapmodify, ldapdelete, ldappasswd, ldapsearch, ldapwhoami) run as
subprocesses with LDAPSOCKET_BIND_ADDRESSES (OpenLDAP 2.5's SOCKET_BIND_ADDRESSES option) set to their host's
address, so every client address in the log is the one named below.

usage: bench/real-logs/slapd.py OUTDIR [PORT]      (default port 20041)
  writes OUTDIR/slapd-j.log (gzipped over 1 MB) and OUTDIR/slapd-j.labels.tsv
  SCALE=0.1 multiplies every duration (a short run for testing)

Normal traffic (about 1.5 LDAP sessions or lookups a second, Poisson):
  mail (svc-mail): Postfix on 127.0.0.20 looks up recipients, (mail=ADDR), about 0.5/s on a persistent connection
      bound as svc-mail (a fifth of them for addresses that do not exist, nentries=0), unbinding and reconnecting
      every 2-4 minutes as its proxymap process is recycled; Dovecot on 127.0.0.21 authenticates IMAP logins, about
      0.3/s: a user lookup (&(objectClass=inetOrgPerson)(uid=USER)) on its persistent svc-mail connection and a bind
      with the user's DN on its persistent auth_bind connection (op numbers keep growing); once during the run its
      auth process is restarted (the old connections end "closed (connection lost)")
  VPN (svc-vpn, 127.0.0.30): about 0.12 logins/s, each a new connection: bind svc-vpn, find the user, check the
      vpn-users group (member=DN), bind as the user, unbind
  wiki (svc-wiki, 127.0.0.40): about 0.15 logins/s like the VPN's (the user's groups read with (member=DN)), and
      about 0.05/s the user picker's substring searches (cn=*text*) with a client size limit of 50 (err=4 would show
      if more matched; with these names none does, so the log has no err=4)
  HR sync (svc-hrsync, 127.0.0.50): every ~60 s reads all people (nentries=320) and modifies 0-3 of them (title,
      telephoneNumber, departmentNumber)
  monitoring (svc-monitor, 127.0.0.55): a check_ldap-like base search of dc=corp,dc=example every 30 s
  the admin (cn=admin, 127.0.0.10, ldap-utils): adds a new hire (ldapadd, then ldapmodify for the groups), looks
      people up with ldapsearch, resets a user's forgotten password with ldappasswd (the user's phone keeps trying the
      old one through Dovecot every 1-2 minutes afterwards), removes a leaver (ldapmodify, ldapdelete)
  routine errors: users mistyping their password (about 4 % of logins, err=49, then the right one), logins with user
      names that do not exist (nentries=0), recipients that do not exist
Incidents (about 8.5 minutes in all: 90 s of normal traffic, each incident followed by about 60 s of it):
  password-spray   127.0.0.66 (after an anonymous search that reads nothing) tries three common passwords against
                   80 user DNs built from a harvested e-mail list (some of them not in the directory), one
                   connection per guess, one password round after another, for about 45 s: BIND dn="uid=..."
                   method=128 / RESULT tag=97 err=49 lines; one user's password is in its list, so one bind succeeds
                   and the attacker reads the whole of ou=people with that account (SEARCH RESULT nentries=3xx)
  vpn-bind-fails   the admin rotates the VPN's service account password with ldappasswd (EXOP
                   oid=1.3.6.1.4.1.4203.1.11.1, PASSMOD id="uid=svc-vpn,...") without the VPN's configuration being
                   updated: for about 75 s every VPN login fails at the service bind (BIND dn="uid=svc-vpn,..." from
                   127.0.0.30, err=49), users retrying; the VPN team tries the old password with ldapwhoami from
                   127.0.0.30, then gets the new one and puts it into the VPN's configuration
  conn-leak        an upgraded wiki extension on 127.0.0.40 opens a new connection for every page view, binds as
                   svc-wiki and never unbinds or closes it, about 13 a second: ACCEPT and BIND lines without UNBIND or
                   closed, until slapd runs out of file descriptors (ulimit 1024): "daemon: accept(N) failed
                   errno=24 (Too many open files)", tcp-wrappers' "warning: cannot open /etc/hosts.allow: Too many
                   open files" and "fd=N DENIED from unknown (127.0.0.X)"; new connections of all applications hang
                   in the listen queue (existing persistent ones go on working) for about 40 s, until the on-call
                   restarts the wiki: about a thousand "closed (connection lost)" lines, then slapd accepts the
                   backlog of connections their clients have given up on
"""
import base64
import calendar
import hashlib
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from arrivals import poisson
from drivers import stop_process, SessionPool, wait_listening, keep_log, now, sleep_until, Children
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 20041
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "slapd-j"
URI = "ldap://127.0.0.1:%d/" % PORT
HERE = os.path.dirname(os.path.abspath(__file__))

SUFFIX = "dc=corp,dc=example"
PEOPLE = "ou=people," + SUFFIX
SERVICES = "ou=services," + SUFFIX
GROUPS = "ou=groups," + SUFFIX
ADMIN_DN = "cn=admin," + SUFFIX
ADMIN_PW = "Xq7-adm1n-Corp"

POSTFIX_IP, DOVECOT_IP, VPN_IP, WIKI_IP, HR_IP, MONITOR_IP = ("127.0.0.20", "127.0.0.21", "127.0.0.30",
                                                             "127.0.0.40", "127.0.0.50", "127.0.0.55")
ADMIN_IP = "127.0.0.10"
ATTACKER_IP = "127.0.0.66"
FD_LIMIT = 1024


def svc_dn(name):
    return "uid=%s,%s" % (name, SERVICES)


def user_dn(uid):
    return "uid=%s,%s" % (uid, PEOPLE)


def group_dn(cn):
    return "cn=%s,%s" % (cn, GROUPS)


def ssha(pw, rng):
    salt = bytes(rng.getrandbits(8) for _ in range(8))
    return "{SSHA}" + base64.b64encode(hashlib.sha1(pw.encode() + salt).digest() + salt).decode()


# --- a minimal LDAPv3 client (BER) ---

class LdapError(Exception):
    pass


ERRORS = (OSError, LdapError, ValueError, IndexError)


def tlv(tag, content):
    n = len(content)
    if n < 0x80:
        ln = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + ln + content


def integer(n, tag=0x02):
    return tlv(tag, n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big"))


def octets(s, tag=0x04):
    return tlv(tag, s.encode() if isinstance(s, str) else s)


def boolean(b):
    return tlv(0x01, b"\xff" if b else b"\x00")


def eq(attr, value):
    return tlv(0xa3, octets(attr) + octets(value))


def pres(attr):
    return octets(attr, 0x87)


def sub(attr, initial=None, any_=(), final=None):
    parts = b""
    if initial:
        parts += octets(initial, 0x80)
    for a in any_:
        parts += octets(a, 0x81)
    if final:
        parts += octets(final, 0x82)
    return tlv(0xa4, octets(attr) + tlv(0x30, parts))


def and_(*fs):
    return tlv(0xa0, b"".join(fs))


def or_(*fs):
    return tlv(0xa1, b"".join(fs))


def parse(data):
    """The TLVs in data, as (tag, content) pairs."""
    out, i = [], 0
    while i < len(data):
        tag, ln = data[i], data[i + 1]
        i += 2
        if ln & 0x80:
            k = ln & 0x7f
            ln = int.from_bytes(data[i:i + k], "big")
            i += k
        out.append((tag, data[i:i + ln]))
        i += ln
    return out


BASE, ONE, SUBTREE = 0, 1, 2


class Ldap:
    """One LDAP connection from source (127.0.0.X) to slapd."""

    def __init__(self, source, timeout=5.0):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        try:
            self.s.bind((source, 0))
            self.s.connect(("127.0.0.1", PORT))
        except OSError:
            self.s.close()
            raise
        self.msgid = 0
        self.buf = b""

    def send(self, op):
        self.msgid += 1
        self.s.sendall(tlv(0x30, integer(self.msgid) + op))

    def read(self, n):
        while len(self.buf) < n:
            d = self.s.recv(65536)
            if not d:
                raise LdapError("connection closed by server")
            self.buf += d
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self):
        """The next message's protocol op as (tag, content)."""
        tag, ln = self.read(2)
        if ln & 0x80:
            ln = int.from_bytes(self.read(ln & 0x7f), "big")
        items = parse(self.read(ln))
        if tag != 0x30 or len(items) < 2:
            raise LdapError("bad message")
        return items[1]

    @staticmethod
    def code(content):
        return parse(content)[0][1][0]

    def bind(self, dn, pw):
        self.send(tlv(0x60, integer(3) + octets(dn) + octets(pw, 0x80)))
        tag, c = self.recv()
        if tag != 0x61:
            raise LdapError("not a bind response")
        return self.code(c)

    def search(self, base, scope, flt, attrs=(), sizelimit=0, deref=0):
        """(result code, number of entries)."""
        self.send(tlv(0x63, octets(base) + integer(scope, 0x0a) + integer(deref, 0x0a) + integer(sizelimit)
                      + integer(0) + boolean(False) + flt + tlv(0x30, b"".join(octets(a) for a in attrs))))
        n = 0
        while True:
            tag, c = self.recv()
            if tag == 0x64:
                n += 1
            elif tag == 0x65:
                return self.code(c), n
            elif tag != 0x73:
                raise LdapError("unexpected op %#x" % tag)

    def entries(self, base, scope, flt, attrs=()):
        """The entries' DNs and attributes: [(dn, {attr: [values]})]."""
        self.send(tlv(0x63, octets(base) + integer(scope, 0x0a) + integer(0, 0x0a) + integer(0) + integer(0)
                      + boolean(False) + flt + tlv(0x30, b"".join(octets(a) for a in attrs))))
        out = []
        while True:
            tag, c = self.recv()
            if tag == 0x64:
                (_, dn), (_, attrl) = parse(c)[:2]
                d = {}
                for _, pa in parse(attrl):
                    (_, t), (_, vals) = parse(pa)[:2]
                    d[t.decode()] = [v.decode("utf-8", "replace") for _, v in parse(vals)]
                out.append((dn.decode(), d))
            elif tag == 0x65:
                return self.code(c), out

    def modify(self, dn, changes):
        """changes: [(op, attr, [values])], op 0 add, 1 delete, 2 replace."""
        mods = b"".join(tlv(0x30, integer(op, 0x0a) + tlv(0x30, octets(a) + tlv(0x31, b"".join(octets(v)
                                                                                          for v in vals))))
                        for op, a, vals in changes)
        self.send(tlv(0x66, octets(dn) + tlv(0x30, mods)))
        tag, c = self.recv()
        return self.code(c)

    def unbind(self):
        try:
            self.send(b"\x42\x00")
        except OSError:
            pass
        self.s.close()

    def close(self):
        """Goes away without an unbind (the process ends, the pool is dropped)."""
        self.s.close()


# --- the directory ---

FIRST = ["anna", "ben", "clara", "david", "emma", "felix", "greta", "hannes", "ida", "jonas", "karin", "lukas",
         "maria", "niklas", "olga", "paul", "rita", "stefan", "tanja", "uwe", "vera", "walter", "yvonne", "zoe",
         "markus", "sabine", "thomas", "julia", "peter", "laura", "michael", "sandra", "andreas", "nina", "frank",
         "lea", "jan", "eva", "tim", "sophie"]
LAST = ["meyer", "schmidt", "keller", "weber", "wagner", "becker", "hoffmann", "koch", "richter", "klein", "wolf",
        "neumann", "schwarz", "zimmermann", "braun", "krueger", "hofmann", "hartmann", "lange", "schmitt", "werner",
        "krause", "lehmann", "koehler", "maier", "fuchs", "scholz", "vogel", "jung", "roth", "frank", "berger",
        "lorenz", "kaiser", "peters", "sommer", "graf", "brandt", "haas", "winter"]
DEPTS = {"engineering": ["Software Engineer", "Senior Software Engineer", "QA Engineer", "DevOps Engineer",
                         "Engineering Manager"],
         "sales": ["Account Manager", "Sales Representative", "Key Account Manager", "Sales Director"],
         "finance": ["Accountant", "Controller", "Payroll Specialist", "CFO"],
         "hr": ["HR Generalist", "Recruiter", "HR Manager"],
         "it": ["System Administrator", "Helpdesk Technician", "Network Engineer", "IT Manager"],
         "support": ["Support Agent", "Support Team Lead", "Technical Writer"],
         "marketing": ["Marketing Manager", "Content Writer", "Designer"],
         "operations": ["Logistics Coordinator", "Warehouse Lead", "Purchaser", "Operations Manager"]}
SERVICE_ACCOUNTS = {"svc-mail": "mail server (postfix, dovecot)", "svc-vpn": "VPN concentrator LDAP auth",
                    "svc-wiki": "wiki LDAP authentication", "svc-hrsync": "HR system sync job",
                    "svc-monitor": "monitoring (check_ldap)", "svc-backup": "nightly slapcat export check"}
WEAK_USER_PW = "Welcome2026!"


def password(name):
    r = random.Random("pw:" + name)
    return "%s%s%d%s" % (name.split(".")[0].capitalize(), r.choice(["Blue", "Tree", "Rock", "Star", "Moon"]),
                         r.randint(10, 99), r.choice("!#%&*+?"))


class Directory:
    """The people, groups and service accounts, and every password as the applications and users know it."""

    def __init__(self, rng):
        self.rng = rng
        self.people = []  # uid
        self.info = {}
        self.lock = threading.Lock()
        used = set()
        while len(self.people) < 320:
            f, l = rng.choice(FIRST), rng.choice(LAST)
            uid = "%s.%s" % (f, l)
            if uid in used:
                uid = "%s.%s%d" % (f, l, rng.randint(2, 9))
            if uid in used:
                continue
            used.add(uid)
            dept = rng.choice(list(DEPTS))
            self.people.append(uid)
            self.info[uid] = {"first": f, "last": l, "dept": dept, "title": rng.choice(DEPTS[dept]),
                              "emp": str(10000 + len(self.people) * 7 + rng.randint(0, 6)),
                              "phone": "+49 30 5550%04d" % rng.randint(0, 9999)}
        self.weak = sorted(self.people)[rng.randrange(40, 200)]  # whose password is in the sprayer's list
        self.passwords = {u: password(u) for u in self.people}
        self.passwords[self.weak] = WEAK_USER_PW
        self.svc_pw = {s: password(s) + "svc" for s in SERVICE_ACCOUNTS}
        self.groups = {"staff": list(self.people)}
        for d in DEPTS:
            self.groups[d] = [u for u in self.people if self.info[u]["dept"] == d]
        self.groups["vpn-users"] = [u for u in self.people if self.info[u]["dept"] in ("engineering", "it", "sales")
                                    or rng.random() < 0.2]
        self.groups["wiki-editors"] = [u for u in self.people if rng.random() < 0.3]
        self.groups["it-admins"] = [u for u in self.people if self.info[u]["dept"] == "it"][:6]
        self.groups["managers"] = [u for u in self.people if "Manager" in self.info[u]["title"]
                                   or "Director" in self.info[u]["title"]] or self.people[:3]
        self.groups["contractors"] = rng.sample(self.people, 12)
        self.vpn = set(self.groups["vpn-users"])

    def pw(self, uid):
        with self.lock:
            return self.passwords.get(uid)

    def person_ldif(self, uid, pw_hash):
        i = self.info[uid]
        return ("dn: %s\nobjectClass: inetOrgPerson\nuid: %s\ncn: %s %s\nsn: %s\ngivenName: %s\ndisplayName: %s %s\n"
                "mail: %s@corp.example\nemployeeNumber: %s\ntitle: %s\ndepartmentNumber: %s\ntelephoneNumber: %s\n"
                "userPassword: %s\n\n" % (user_dn(uid), uid, i["first"].capitalize(), i["last"].capitalize(),
                                         i["last"].capitalize(), i["first"].capitalize(), i["first"].capitalize(),
                                         i["last"].capitalize(), uid, i["emp"], i["title"], i["dept"], i["phone"],
                                         pw_hash))

    def ldif(self):
        rng = self.rng
        out = ["dn: %s\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\no: Corp Example GmbH\n"
               "dc: corp\n\n" % SUFFIX]
        for ou in ("people", "services", "groups"):
            out.append("dn: ou=%s,%s\nobjectClass: organizationalUnit\nou: %s\n\n" % (ou, SUFFIX, ou))
        for s, desc in SERVICE_ACCOUNTS.items():
            out.append("dn: %s\nobjectClass: account\nobjectClass: simpleSecurityObject\nuid: %s\ndescription: %s\n"
                       "userPassword: %s\n\n" % (svc_dn(s), s, desc, ssha(self.svc_pw[s], rng)))
        for u in self.people:
            out.append(self.person_ldif(u, ssha(self.passwords[u], rng)))
        for g, members in self.groups.items():
            out.append("dn: %s\nobjectClass: groupOfNames\ncn: %s\n%s\n" % (
                group_dn(g), g, "".join("member: %s\n" % user_dn(m) for m in members)))
        return "".join(out)


# --- the server ---

SLAPD_CONF = """# slapd.conf for the Logwarden lab (a company directory, dc=corp,dc=example)
include         /etc/ldap/schema/core.schema
include         /etc/ldap/schema/cosine.schema
include         /etc/ldap/schema/nis.schema
include         /etc/ldap/schema/inetorgperson.schema

pidfile         {work}/slapd.pid
argsfile        {work}/slapd.args

modulepath      /usr/lib/ldap
moduleload      back_mdb

loglevel        stats
sizelimit       500
timelimit       3600

database        mdb
maxsize         1073741824
suffix          "{suffix}"
rootdn          "{admin}"
rootpw          {rootpw}
directory       {work}/db

index           objectClass eq
index           uid eq
index           member eq
index           cn,sn,givenName,mail eq,sub

access to attrs=userPassword
        by self write
        by anonymous auth
        by * none

access to dn.base=""
        by * read

access to dn.subtree="{people}"
        by dn.exact="{hrsync}" write
        by users read
        by * none

access to *
        by users read
        by * none
"""

START = r"""set -e; w="$1"
mount --bind /dev "$w/olddev"; mount -t tmpfs -o mode=755 devtmp /dev
for d in null zero random urandom full tty; do touch "/dev/$d"; mount --bind "$w/olddev/$d" "/dev/$d"; done
ln -s /proc/self/fd /dev/fd; ln -s "$w/log.sock" /dev/log
ulimit -n "$3"
exec /usr/sbin/slapd -h "$2" -f "$w/slapd.conf" -d 0
"""


class Slapd:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "slapd.conf")
        self.log = os.path.join(work, "slapd.log")
        self.sock = os.path.join(work, "log.sock")
        self.proc = None
        self.syslogd = None
        self.stderr = None

    @staticmethod
    def version():
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "slapd"], capture_output=True, text=True)
        return r.stdout.strip() or "2.5"

    def setup(self, directory, rng):
        os.chmod(self.work, 0o755)
        os.makedirs(os.path.join(self.work, "db"))
        os.makedirs(os.path.join(self.work, "olddev"))
        with open(self.conf, "w") as f:
            f.write(SLAPD_CONF.format(work=self.work, suffix=SUFFIX, admin=ADMIN_DN, rootpw=ssha(ADMIN_PW, rng),
                                      people=PEOPLE, hrsync=svc_dn("svc-hrsync")))
        ldif = os.path.join(self.work, "initial.ldif")
        with open(ldif, "w") as f:
            f.write(directory.ldif())
        r = subprocess.run(["slapadd", "-q", "-f", self.conf, "-l", ldif], capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit("slapadd failed: %s" % r.stderr.strip())
        os.remove(ldif)

    def start(self):
        open(self.log, "a").close()
        self.syslogd = subprocess.Popen([sys.executable, os.path.join(HERE, "syslogd.py"), self.sock, self.log])
        for _ in range(50):
            if os.path.exists(self.sock):
                break
            time.sleep(0.1)
        env = dict(os.environ, TZ="UTC")
        self.stderr = open(os.path.join(self.work, "slapd.stderr"), "w")
        self.proc = subprocess.Popen(["unshare", "-m", "--propagation", "private", "bash", "-c", START, "_",
                                      self.work, URI, str(FD_LIMIT)], env=env, stdout=self.stderr,
                                     stderr=subprocess.STDOUT)
        wait_listening(self.proc, "slapd", [PORT])

    def stop(self):
        stop_process(self.proc)
        time.sleep(0.5)
        stop_process(self.syslogd)
        if self.stderr:
            self.stderr.close()
            with open(os.path.join(self.work, "slapd.stderr")) as f:
                err = f.read().strip()
            if err:
                print("slapd stderr: %s" % err[:500], file=sys.stderr)


# --- the admin's ldap-utils ---

def ldap_tool(children, source, args, stdin=None, timeout=30):
    """Runs an ldap-utils command from the host source; its exit status."""
    env = dict(os.environ, LDAPSOCKET_BIND_ADDRESSES=source)
    p = subprocess.Popen(args[:1] + ["-x", "-H", URI] + args[1:], env=env, stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    children.add(p)
    try:
        p.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    finally:
        children.discard(p)
    return p.returncode


def admin(children, *args, stdin=None):
    return ldap_tool(children, ADMIN_IP, [args[0], "-D", ADMIN_DN, "-w", ADMIN_PW] + list(args[1:]), stdin)


# --- normal traffic ---

def typo(pw, rng):
    i = rng.randrange(len(pw) - 1)
    return pw.lower() if rng.random() < 0.3 else pw[:i] + pw[i + 1] + pw[i] + pw[i + 2:]


class Traffic(SessionPool):
    def __init__(self, directory, children, seed):
        super().__init__(seed, 60, ERRORS)
        self.d = directory
        self.children = children
        self.stale = {}  # uid -> old password a device keeps trying
        self.dovecot_restart = threading.Event()

    def wait(self, seconds):
        return self.stop.wait(seconds)

    def user(self, rng):
        with self.d.lock:
            return rng.choice(self.d.people)

    def login_pw(self, uid, rng):
        """What the user types: now and then a typo first (returned as a list of attempts)."""
        pw = self.d.pw(uid)
        if rng.random() < 0.04:
            self.count("typo")
            return [typo(pw, rng), pw]
        return [pw]

    def ghost(self, rng):
        """A user name that is not in the directory (a typo, an old account)."""
        return rng.choice(["%s.%s" % (rng.choice(FIRST), rng.choice(LAST)) + "x",
                           rng.choice(FIRST), "%s%s" % (rng.choice(FIRST)[0], rng.choice(LAST)),
                           "admin", "test.user", "%s.%s" % (rng.choice(FIRST), "mueller")])

    # Postfix: recipient lookups on a persistent connection
    def postfix(self):
        rng = random.Random(self.rng.random())
        conn, until = None, 0
        for _ in poisson(0.5, self.stop, rng):
            try:
                if conn and now() > until:
                    conn.unbind()
                    conn = None
                if conn is None:
                    conn = Ldap(POSTFIX_IP, timeout=10)
                    if conn.bind(svc_dn("svc-mail"), self.d.svc_pw["svc-mail"]) != 0:
                        raise LdapError("postfix bind")
                    until = now() + rng.uniform(120, 240) * max(SCALE, 0.25)
                r = rng.random()
                if r < 0.2:
                    addr = rng.choice(["info", "sales", "jobs", "noreply", "h.%s" % rng.choice(LAST),
                                       rng.choice(FIRST) + "." + rng.choice(LAST) + str(rng.randint(1, 99))])
                elif r < 0.25:
                    addr = rng.choice(["postmaster", "abuse", "hostmaster"])
                else:
                    addr = self.user(rng)
                conn.search(PEOPLE, SUBTREE, eq("mail", addr + "@corp.example"), ["uid", "mail"])
                self.count("postfix lookup")
            except ERRORS:
                self.count("postfix error")
                if conn:
                    conn.close()
                conn = None
                self.wait(2)
        if conn:
            conn.unbind()

    # Dovecot: a userdb lookup and an auth bind per IMAP login, each on its own persistent connection
    def dovecot(self):
        rng = random.Random(self.rng.random())
        look = auth = None
        for _ in poisson(0.3, self.stop, rng):
            try:
                if self.dovecot_restart.is_set():
                    self.dovecot_restart.clear()
                    for c in (look, auth):
                        if c:
                            c.close()  # the auth process is killed: no unbind
                    look = auth = None
                    self.count("dovecot restart")
                    self.wait(1.5)
                if look is None:
                    look = Ldap(DOVECOT_IP, timeout=10)
                    look.bind(svc_dn("svc-mail"), self.d.svc_pw["svc-mail"])
                if auth is None:
                    auth = Ldap(DOVECOT_IP, timeout=10)
                with self.d.lock:
                    stale = list(self.stale.items())
                if stale and rng.random() < 0.03:
                    uid, old = rng.choice(stale)
                    attempts = [old]
                    self.count("stale phone")
                elif rng.random() < 0.03:
                    uid, attempts = self.ghost(rng), ["secret"]
                else:
                    uid = self.user(rng)
                    attempts = self.login_pw(uid, rng)
                for pw in attempts:
                    code, n = look.search(PEOPLE, SUBTREE, and_(eq("objectClass", "inetOrgPerson"), eq("uid", uid)),
                                          ["uid", "mail"])
                    if n == 0:
                        break
                    if auth.bind(user_dn(uid), pw) == 0:
                        self.count("imap login")
                        break
                    self.wait(rng.uniform(1, 4))
            except ERRORS:
                self.count("dovecot error")
                for c in (look, auth):
                    if c:
                        c.close()
                look = auth = None
                self.wait(2)
        for c in (look, auth):
            if c:
                c.unbind()

    # VPN: a new connection per login
    def vpn_login(self, rng, uid=None, tries=0):
        uid = uid or self.user(rng)
        attempts = self.login_pw(uid, rng)
        for i, pw in enumerate(attempts):
            c = Ldap(VPN_IP)
            try:
                code = c.bind(svc_dn("svc-vpn"), self.d.svc_pw["svc-vpn"] if not self.vpn_stale else self.vpn_stale)
                if code != 0:
                    c.unbind()
                    self.count("vpn service bind failed")
                    if tries < 4:  # the user's client tries again
                        self.wait(rng.uniform(8, 20) * max(SCALE, 0.3))
                        self.vpn_login(rng, uid, tries + 1)
                    return
                _, n = c.search(PEOPLE, SUBTREE, and_(eq("objectClass", "inetOrgPerson"), eq("uid", uid)),
                                ["uid", "cn"])
                if n == 0:
                    c.unbind()
                    return
                _, member = c.search(group_dn("vpn-users"), BASE, eq("member", user_dn(uid)), ["cn"])
                ok = c.bind(user_dn(uid), pw) == 0
                c.unbind()
                if ok:
                    self.count("vpn login")
                    return
            except ERRORS:
                c.close()
                raise
            self.wait(rng.uniform(3, 8))

    vpn_stale = None  # the password the VPN still has after the rotation (the incident)

    # wiki: a new connection per login, and the user picker
    def wiki_login(self, rng):
        ghost = rng.random() < 0.04
        uid = self.ghost(rng) if ghost else self.user(rng)
        attempts = ["Passw0rd"] if ghost else self.login_pw(uid, rng)
        for pw in attempts:
            c = Ldap(WIKI_IP)
            try:
                if c.bind(svc_dn("svc-wiki"), self.d.svc_pw["svc-wiki"]) != 0:
                    raise LdapError("wiki bind")
                _, n = c.search(PEOPLE, SUBTREE, and_(eq("objectClass", "inetOrgPerson"), eq("uid", uid)),
                                ["uid", "cn", "mail", "displayName"])
                if n == 0:
                    c.unbind()
                    self.count("wiki unknown user")
                    return
                ok = c.bind(user_dn(uid), pw) == 0
                if ok:
                    c.search(GROUPS, SUBTREE, and_(eq("objectClass", "groupOfNames"), eq("member", user_dn(uid))),
                             ["cn"])
                c.unbind()
                if ok:
                    self.count("wiki login")
                    return
            except ERRORS:
                c.close()
                raise
            self.wait(rng.uniform(3, 10))

    def wiki_picker(self, rng):
        c = Ldap(WIKI_IP)
        try:
            c.bind(svc_dn("svc-wiki"), self.d.svc_pw["svc-wiki"])
            text = rng.choice([rng.choice(FIRST)[:rng.randint(2, 4)], rng.choice(LAST)[:rng.randint(3, 6)]])
            c.search(PEOPLE, SUBTREE, and_(eq("objectClass", "inetOrgPerson"),
                                           or_(sub("cn", any_=[text]), sub("mail", initial=text))),
                     ["uid", "cn", "mail"], sizelimit=50)
            c.unbind()
            self.count("wiki picker")
        except ERRORS:
            c.close()
            raise

    # HR sync: read everybody, update a few
    def hrsync(self, rng):
        c = Ldap(HR_IP, timeout=20)
        try:
            if c.bind(svc_dn("svc-hrsync"), self.d.svc_pw["svc-hrsync"]) != 0:
                raise LdapError("hrsync bind")
            c.search(PEOPLE, ONE, eq("objectClass", "inetOrgPerson"),
                     ["uid", "employeeNumber", "title", "departmentNumber", "telephoneNumber", "modifyTimestamp"])
            for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
                uid = self.user(rng)
                info = self.d.info[uid]
                r = rng.random()
                if r < 0.5:
                    ch = [(2, "title", [rng.choice(DEPTS[info["dept"]])])]
                elif r < 0.85:
                    ch = [(2, "telephoneNumber", ["+49 30 5550%04d" % rng.randint(0, 9999)])]
                else:
                    dept = rng.choice(list(DEPTS))
                    ch = [(2, "departmentNumber", [dept]), (2, "title", [rng.choice(DEPTS[dept])])]
                c.modify(user_dn(uid), ch)
                self.count("hr modify")
            c.unbind()
            self.count("hr sync")
        except ERRORS:
            c.close()
            raise

    def monitor(self, rng):
        c = Ldap(MONITOR_IP, timeout=10)
        try:
            c.bind(svc_dn("svc-monitor"), self.d.svc_pw["svc-monitor"])
            c.search(SUFFIX, BASE, pres("objectClass"))
            c.unbind()
            self.count("monitor")
        except ERRORS:
            c.close()
            raise

    def every(self, fn, period, jitter, first):
        rng = random.Random(self.rng.random())
        nxt = now() + first
        while not self.wait(max(0.0, nxt - now())):
            self.spawn(fn, random.Random(rng.random()))
            nxt += period + rng.uniform(-jitter, jitter)

    def arrivals(self, fn, rate):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            self.spawn(fn, random.Random(rng.random()))

    def run(self):
        self.start([threading.Thread(target=self.postfix), threading.Thread(target=self.dovecot),
                    threading.Thread(target=self.arrivals, args=(self.vpn_login, 0.12)),
                    threading.Thread(target=self.arrivals, args=(self.wiki_login, 0.15)),
                    threading.Thread(target=self.arrivals, args=(self.wiki_picker, 0.05)),
                    threading.Thread(target=self.every, args=(self.hrsync, 60 * max(SCALE, 0.25), 5 * SCALE,
                                                              20 * SCALE)),
                    threading.Thread(target=self.every, args=(self.monitor, 30 * max(SCALE, 0.25), 1, 3))])


# --- the admin's routine work ---

def new_hire(d, children, rng):
    """ldapadd of a new employee, then ldapmodify for the groups; the new hire logs in to the wiki soon after."""
    f, l = "mira", "okafor"
    uid = "%s.%s" % (f, l)
    d.info[uid] = {"first": f, "last": l, "dept": "engineering", "title": "Software Engineer",
                   "emp": str(10000 + 330 * 7), "phone": "+49 30 55501234"}
    pw = password(uid)
    rc1 = admin(children, "ldapadd", stdin=d.person_ldif(uid, ssha(pw, rng)))
    rc2 = admin(children, "ldapmodify", stdin="".join(
        "dn: %s\nchangetype: modify\nadd: member\nmember: %s\n\n" % (group_dn(g), user_dn(uid))
        for g in ("staff", "engineering", "vpn-users")))
    with d.lock:
        d.passwords[uid] = pw
        d.people.append(uid)
        d.vpn.add(uid)
    return rc1, rc2


def leaver(d, children):
    """The admin removes a leaver: out of the groups (ldapmodify), then the entry (ldapdelete)."""
    with d.lock:
        uid = d.people[5]
        d.people.remove(uid)
        d.passwords.pop(uid, None)
    groups = [g for g, m in d.groups.items() if uid in m]
    admin(children, "ldapsearch", "-LLL", "-b", GROUPS, "(member=%s)" % user_dn(uid), "cn")
    admin(children, "ldapmodify", stdin="".join(
        "dn: %s\nchangetype: modify\ndelete: member\nmember: %s\n\n" % (group_dn(g), user_dn(uid)) for g in groups))
    return admin(children, "ldapdelete", user_dn(uid))


def helpdesk_reset(d, children, traffic, rng):
    """A user forgot the password: ldappasswd; the user's phone keeps the old one."""
    with d.lock:
        uid = d.people[17]
        old = d.passwords[uid]
    new = password(uid + "-new")
    admin(children, "ldapsearch", "-LLL", "-b", PEOPLE, "(uid=%s)" % uid, "cn", "mail", "telephoneNumber")
    rc = admin(children, "ldappasswd", "-s", new, user_dn(uid))
    with d.lock:
        d.passwords[uid] = new
        traffic.stale[uid] = old
    return uid, rc


def lookup(children, rng):
    admin(children, "ldapsearch", "-LLL", "-b", PEOPLE, "(cn=*%s*)" % rng.choice(LAST), "cn", "mail", "title")


# --- incidents ---

def password_spray(d, seconds, rng):
    """127.0.0.66: an anonymous look, then three passwords against 80 DNs, one connection per guess."""
    with d.lock:
        real = rng.sample([u for u in d.people if u != d.weak], 62) + [d.weak]
    fake = ["%s.%s" % (rng.choice(FIRST), rng.choice(["mueller", "schulz", "bauer", "schaefer", "meier"]))
            for _ in range(12)] + ["admin", "administrator", "test", "info", "hr", "it"]
    targets = real + fake
    rng.shuffle(targets)
    words = ["Winter2026!", WEAK_USER_PW, "Corp2026!"]
    state = {"tries": 0, "failed": 0, "success": None, "errors": 0, "dumped": 0}
    start = now()
    per = seconds / (len(words) * len(targets) + 6)
    c = Ldap(ATTACKER_IP)
    c.bind("", "")
    c.search(PEOPLE, SUBTREE, pres("objectClass"), ["uid", "mail"])
    c.unbind()
    nxt = now() + 2 * per
    for w in words:
        for uid in targets:
            sleep_until(nxt)
            nxt += per * rng.uniform(0.6, 1.4)
            state["tries"] += 1
            try:
                c = Ldap(ATTACKER_IP)
                code = c.bind(user_dn(uid), w)
                c.unbind()
            except ERRORS:
                state["errors"] += 1
                continue
            if code == 0:
                state["success"] = uid
            else:
                state["failed"] += 1
        if state["success"]:
            break  # the tool stops at the first hit and the attacker uses it
        nxt += per * 2
    if state["success"]:
        time.sleep(rng.uniform(2, 4) * max(SCALE, 0.3))
        c = Ldap(ATTACKER_IP, timeout=20)
        c.bind(user_dn(state["success"]), WEAK_USER_PW)
        _, state["dumped"] = c.search(PEOPLE, SUBTREE, eq("objectClass", "inetOrgPerson"),
                                      ["uid", "cn", "mail", "telephoneNumber", "title", "departmentNumber"])
        c.search(GROUPS, SUBTREE, eq("objectClass", "groupOfNames"), ["cn", "member"])
        c.unbind()
    return start, now(), state


def vpn_rotation(d, traffic, children, seconds):
    """The admin rotates svc-vpn's password; the VPN keeps the old one until its team updates it."""
    old = d.svc_pw["svc-vpn"]
    new = password("svc-vpn-2026q4") + "Rot"
    start = now()
    traffic.vpn_stale = old
    rc = admin(children, "ldappasswd", "-s", new, svc_dn("svc-vpn"))
    d.svc_pw["svc-vpn"] = new
    time.sleep(seconds * 0.75)
    # the VPN team notices, tries the old password by hand, asks, tries the new one, updates the VPN's config
    ldap_tool(children, VPN_IP, ["ldapwhoami", "-D", svc_dn("svc-vpn"), "-w", old])
    time.sleep(seconds * 0.25)
    ldap_tool(children, VPN_IP, ["ldapwhoami", "-D", svc_dn("svc-vpn"), "-w", new])
    time.sleep(min(3.0, seconds * 0.05))
    traffic.vpn_stale = None
    return start, now(), rc


def conn_leak(d, hold, rate=13.0, workers=20):
    """127.0.0.40: a connection per page view, bound as svc-wiki and never closed, until the wiki is restarted."""
    lock = threading.Lock()
    leaked = []
    state = {"leaked": 0, "timeouts": 0, "first_timeout": None, "errors": 0}
    stop = threading.Event()
    sched = {"next": now()}
    pw = d.svc_pw["svc-wiki"]

    def worker():
        while not stop.is_set():
            with lock:
                t = sched["next"]
                sched["next"] = max(sched["next"], now() - 1) + random.expovariate(rate)
            if stop.wait(max(0.0, t - now())):
                return
            try:
                c = Ldap(WIKI_IP, timeout=5)
            except OSError:
                with lock:
                    state["errors"] += 1
                stop.wait(1)
                continue
            try:
                c.bind(svc_dn("svc-wiki"), pw)
                with lock:
                    leaked.append(c)
                    state["leaked"] += 1
            except ERRORS:
                c.close()
                with lock:
                    state["timeouts"] += 1
                    if state["first_timeout"] is None:
                        state["first_timeout"] = now()

    start = now()
    ts = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in ts:
        t.start()
    deadline = start + 400
    while now() < deadline:
        ft = state["first_timeout"]
        if ft is not None and now() >= ft + hold:
            break
        time.sleep(0.2)
    # the on-call restarts the wiki: all of its connections go away at once
    stop.set()
    for t in ts:
        t.join(10)
    restart = now()
    with lock:
        for c in leaked:
            c.close()
        leaked.clear()
    return start, restart, state


# --- reading the log back (for the labels) ---

LINE = re.compile(r"^(\w{3} [ \d]\d \d\d:\d\d:\d\d) \S+ slapd\[\d+\]: (.*)$")
CONN = re.compile(r"^conn=(\d+) (?:fd=\d+ |op=(\d+) )(.*)$")


def read_log(path):
    """slapd's lines as (time, message), and each connection's facts: conn -> dict."""
    year = time.gmtime().tm_year
    lines, conns, ops = [], {}, {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\n"))
            if not m:
                continue
            t = calendar.timegm(time.strptime("%d %s" % (year, m.group(1)), "%Y %b %d %H:%M:%S"))
            msg = m.group(2)
            lines.append((t, msg))
            c = CONN.match(msg)
            if not c:
                continue
            cid, op, rest = c.group(1), c.group(2), c.group(3)
            info = conns.setdefault(cid, {"ip": None, "first": t, "last": t, "binds": [], "unbind": False,
                                          "closed": None, "lines": 0})
            info["last"] = t
            info["lines"] += 1
            if rest.startswith("ACCEPT from IP="):
                info["ip"] = rest.split("IP=")[1].rsplit(":", 1)[0]
            elif rest.startswith("BIND dn=") and "method=" in rest:
                ops[(cid, op)] = rest.split('"')[1]
            elif rest.startswith("RESULT tag=97"):
                err = int(re.search(r"err=(\d+)", rest).group(1))
                info["binds"].append((t, ops.get((cid, op)), err))
            elif rest.startswith("UNBIND"):
                info["unbind"] = True
            elif rest.startswith("closed"):
                info["closed"] = rest
    return lines, conns


def main():
    if OUT is None:
        raise SystemExit(__doc__)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: clean up as on Ctrl-C
    for tool in ("slapd", "slapadd", "ldapadd", "ldappasswd", "unshare"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            raise SystemExit("%s not found: apt-get install slapd ldap-utils" % tool)
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="logwarden-slapd-", dir="/tmp")
    rng = random.Random(2026)
    directory = Directory(rng)
    server = Slapd(work)
    children = Children()
    labels = Labels()
    labels.note("made by bench/real-logs/slapd.py: real OpenLDAP slapd %s (Debian) on 127.0.0.1:%d, slapd.conf with "
                "loglevel stats, one mdb database dc=corp,dc=example (320 people, 6 service accounts, 14 groups), "
                "open-files limit 1024; slapd's syslog(3) messages written by syslogd.py in rsyslog's traditional "
                "format (slapd in a mount namespace whose /dev/log is syslogd.py's socket); TZ=UTC; wall-clock "
                "times" % (Slapd.version(), PORT))
    labels.note("clients: Postfix 127.0.0.20 and Dovecot 127.0.0.21 (svc-mail), VPN 127.0.0.30 (svc-vpn), wiki "
                "127.0.0.40 (svc-wiki), HR sync 127.0.0.50 (svc-hrsync), monitoring 127.0.0.55 (svc-monitor), the "
                "admin's ldap-utils 127.0.0.10 (cn=admin); applications' LDAP written with Python's standard library")
    traffic = None
    ok = False
    try:
        server.setup(directory, rng)
        server.start()
        traffic = Traffic(directory, children, 2026)
        traffic.run()
        t0 = now()
        arng = random.Random(99)

        def at(offset, fn, *args):
            def run():
                if not traffic.stop.wait(max(0.0, t0 + offset * SCALE - now())):
                    try:
                        fn(*args)
                    except ERRORS as e:
                        print("admin task %s: %s" % (fn.__name__, e), file=sys.stderr)
            th = threading.Thread(target=run, daemon=True)
            th.start()
            return th

        admin_jobs = [at(35, new_hire, directory, children, arng), at(70, lookup, children, arng),
                      at(165, lookup, children, arng), at(175, traffic.dovecot_restart.set),
                      at(300, helpdesk_reset, directory, children, traffic, arng),
                      at(470, leaver, directory, children), at(490, lookup, children, arng)]
        sleep_until(t0 + 90 * SCALE)

        # 1. password spraying from one address
        s_start, s_end, sst = password_spray(directory, 45 * SCALE, random.Random(5))
        sleep_until(s_end + 60 * SCALE)

        # 2. the VPN's service account password rotated without updating the VPN
        v_start, v_end, v_rc = vpn_rotation(directory, traffic, children, 75 * SCALE)
        sleep_until(v_end + 60 * SCALE)

        # 3. the wiki leaks connections until slapd runs out of descriptors
        l_start, l_restart, lst = conn_leak(directory, 40 * SCALE, rate=13.0 / min(1.0, max(SCALE, 0.1)))
        time.sleep(3)
        sleep_until(l_restart + 70 * SCALE)
        for j in admin_jobs:
            j.join(60)

        traffic.finish(30)
        time.sleep(1)
        lines, conns = read_log(server.log)
        fmt = lambda t: time.strftime("%H:%M:%S", time.gmtime(t))  # noqa: E731

        # 1.
        att = [c for c in conns.values() if c["ip"] == ATTACKER_IP]
        binds = [b for c in att for b in c["binds"]]
        fails = [b for b in binds if b[2] == 49]
        hits = [b for b in binds if b[2] == 0 and b[1]]
        if att:
            labels.add("password-spray", min(c["first"] for c in att), max(c["last"] for c in att),
                       "password-spraying", ATTACKER_IP,
                       "127.0.0.66 sprays three common passwords (Winter2026!, Welcome2026!, Corp2026!) at 80 user "
                       "DNs built from a harvested e-mail list (%d distinct DNs, some not in the directory), one "
                       "connection per guess, after an anonymous search of ou=people that reads nothing: %d "
                       "connections from 127.0.0.66 (ACCEPT from IP=127.0.0.66:...), %d lines 'BIND dn=\"uid=...,"
                       "ou=people,dc=corp,dc=example\" method=128' followed by 'RESULT tag=97 err=49'; %s"
                       % (len({b[1] for b in binds if b[1]}), len(att), len(fails),
                          ("the bind as %s succeeds (mech=SIMPLE, err=0) at %s and the attacker reads all of "
                           "ou=people (%d entries) and ou=groups with it from 127.0.0.66"
                           % (hits[0][1], fmt(hits[0][0]), sst["dumped"])) if hits else "no guess succeeded"))

        # 2.
        svc = svc_dn("svc-vpn")
        rot = [t for t, m in lines if m.endswith('PASSMOD id="%s" new' % svc)]
        vfails = [(b[0], c["ip"]) for c in conns.values() for b in c["binds"] if b[1] == svc and b[2] == 49]
        if vfails:
            st = min(rot + [f[0] for f in vfails])
            vpn_fails = [f for f in vfails if f[1] == VPN_IP]
            labels.add("vpn-bind-fails", st, max(f[0] for f in vfails), "credential-mismatch",
                       "%s|svc-vpn|%s" % (svc, VPN_IP),
                       "the admin (127.0.0.10, cn=admin) rotates the VPN's service account password with ldappasswd "
                       "(EXOP oid=1.3.6.1.4.1.4203.1.11.1, PASSMOD id=\"%s\" new, at %s) but the VPN's "
                       "configuration keeps the old one: for %d s every VPN login fails at its service bind, %d lines "
                       "'BIND dn=\"%s\" method=128' from 127.0.0.30 answered 'RESULT tag=97 err=49', users' clients "
                       "retrying; the VPN team tries the old password with ldapwhoami, then the new one (err=0), and "
                       "updates the VPN; then the service binds succeed again"
                       % (svc, fmt(rot[0]) if rot else "?", round(v_end - v_start), len(vpn_fails), svc))

        # 3.
        wdn = svc_dn("svc-wiki")
        leaked = [c for c in conns.values() if c["ip"] == WIKI_IP and not c["unbind"] and c["first"] >= l_start - 1
                  and c["first"] <= l_restart + 1 and c["binds"] and c["binds"][0][1] == wdn]
        emfile = [t for t, m in lines if "errno=24" in m or "Too many open files" in m or "DENIED from" in m]
        if leaked:
            lost = [c for c in leaked if c["closed"] and "connection lost" in c["closed"]]
            # the queued connections slapd accepts after the restart, whose clients had given up (no UNBIND)
            late = [c for c in conns.values() if l_restart - 1 <= c["first"] <= l_restart + 30 and not c["unbind"]
                    and c["closed"] and "connection lost" in c["closed"]]
            end = max([c["last"] for c in leaked + late] + emfile)
            labels.add("conn-leak", min(c["first"] for c in leaked), end, "resource-exhaustion",
                       "%s|%s|svc-wiki" % (WIKI_IP, wdn),
                       "an upgraded wiki extension on 127.0.0.40 opens a new connection for every page view, binds "
                       "as svc-wiki and never unbinds or closes it: %d connections 'ACCEPT from IP=127.0.0.40' with "
                       "'BIND dn=\"%s\"' and no UNBIND pile up until slapd (open-files limit 1024) runs out of "
                       "descriptors at %s: %d lines 'daemon: accept(N) failed errno=24 (Too many open files)', "
                       "'warning: cannot open /etc/hosts.allow: Too many open files' and 'fd=N DENIED from unknown "
                       "(127.0.0.X)'; new connections of every application hang unanswered in the listen queue for "
                       "%d s (Postfix's and Dovecot's persistent connections go on working) until the wiki is "
                       "restarted at %s: %d lines 'closed (connection lost)' at once, then slapd accepts the queued "
                       "connections whose clients had given up"
                       % (len(leaked), wdn, fmt(lst["first_timeout"]) if lst["first_timeout"] else "?",
                          len(emfile), round(l_restart - (lst["first_timeout"] or l_restart)), fmt(l_restart),
                          len(lost)))
            print("conn-leak: %d queued connections accepted after the restart, given up by their clients"
                  % len(late), file=sys.stderr)
        print("%s: %s; spray %s; vpn rotation rc=%s; leak %s; log %d lines" % (
            NAME, sorted(traffic.counts.items()), sst, v_rc, lst, len(lines)), file=sys.stderr)
        if not (att and vfails and leaked and emfile):
            raise SystemExit("an incident left no trace in the log (spray %d, vpn %d, leak %d, emfile %d)"
                             % (len(att), len(vfails), len(leaked), len(emfile)))
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
        children.kill()
        server.stop()
        if ok:
            keep_log(server.log, OUT, NAME, labels)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
