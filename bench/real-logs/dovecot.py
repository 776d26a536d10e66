#!/usr/bin/env python3
"""Runs a real Dovecot (Debian dovecot-core, dovecot-imapd, dovecot-pop3d and dovecot-lmtpd 2.3) as the shop's mail
store on 127.0.0.1: IMAP for the staff's mail clients, webmail and phones, POP3 for the applications that fetch
role mailboxes, and LMTP for the mail the shop's MTA delivers. It drives that traffic, injects labelled incidents
and keeps Dovecot's log exactly as it wrote it: its own log file (log_path; info_log_path and debug_log_path follow
it, as by default) in Dovecot's default line format (log_timestamp "%b %d %H:%M:%S ", e.g. "Dec 02 12:00:00
imap-login: Info: Login: user=<anna.berg>, method=PLAIN, rip=127.0.0.5, lip=127.0.0.1, mpid=1234, session=<...>").

Dovecot runs as `dovecot -F -c WORK/dovecot.conf` (as root; started and stopped with SIGTERM by this script) with its
own configuration under a /tmp work dir: Debian's defaults (mail_privileged_group mail, the inbox namespace with the
Drafts/Junk/Trash/Sent special-use mailboxes of 15-mailboxes.conf, default logging) and what a small virtual-user
mail store sets: base_dir and state_dir under the work dir, listen 127.0.0.1, imap on PORT, pop3 on PORT+10, lmtp on
127.0.0.1:PORT+20 (imaps and pop3s off), ssl no with disable_plaintext_auth no (a loopback lab), auth_mechanisms
plain login, auth_verbose yes (as many admins set it), passdb and userdb passwd-file (40 users, staff and role
mailboxes, SHA512-CRYPT passwords), mail_location maildir:~/Maildir under the work dir, all mail owned by one
system user (mail_uid/mail_gid vmail, uid 5000, created if missing), and the quota plugin (maildir quota, 2 GB a
user; julia.novak has 30 MB, a userdb_quota_rule in the passwd-file). Mailboxes start with some older mail.
Needs (Debian): dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd. Standard library only (imaplib, poplib,
smtplib.LMTP, each client binding its own 127.0.0.X).

usage: bench/real-logs/dovecot.py OUTDIR [PORT]      (POP3 on PORT+10, LMTP on PORT+20; PORT defaults to 19843)
  writes OUTDIR/dovecot-g.log and OUTDIR/dovecot-g.labels.tsv
  SCALE=0.2 multiplies every duration (a short run for testing)

Normal traffic (about 11 sessions/s in all, Poisson):
  staff desktop mail clients (25 staff, each on its own 127.0.0.101-125, some also reading a role mailbox), about
  4 sessions/s: LOGIN or AUTHENTICATE PLAIN/LOGIN, LIST now and then, SELECT INBOX, FETCH the newest headers, read
  unseen messages (FETCH BODY[], STORE \\Seen), move old ones to Trash, empty the Trash now and then, APPEND to
  Sent or Drafts, LOGOUT; the webmail on 127.0.0.10 (one short session per page, about 3.5/s); staff phones on
  127.0.0.20-29 polling (STATUS, sometimes SELECT and FETCH, about 1.5/s; now and then one loses its connection);
  POP3 fetchers on 127.0.0.31-34 (the accounting ERP, the warehouse PC, the helpdesk and the carrier importer,
  each polling every 4-6 s) downloading and deleting the invoices, returns, support and shipping mailboxes; the
  MTA on 127.0.0.3 delivering about 3 messages/s over LMTP (1-4 messages a session, now and then to a mistyped
  address: unknown user); a monitoring check on 127.0.0.30 every 30 s (IMAP and POP3 connect and log out without
  authenticating); now and then a client that disconnects before authenticating, and peter.lund (and rarely
  mia.jensen's phone) mistyping a password once before logging in.
Incidents (about 6.5-7 minutes in all: 90 s of normal traffic, each incident followed by 52 s of it):
  brute-force   127.0.0.66 tries about 150 passwords over IMAP and POP3 against 30 user names (some exist, some do
                not) with 50 parallel connections, paced over 35 s (Dovecot's auth penalty, up to 15 s a failure
                from that address, stretches it to about 50 s): auth: Password mismatch / unknown user, and
                imap-login/pop3-login: Disconnected (auth failed, N attempts in S secs)
  quota-full    a misconfigured scan-to-mail device floods julia.novak (30 MB quota, 24 MB used) with 2 MB scans
                over LMTP, one every 2.5 s for 40 s: after a few are saved, every delivery to her fails (save failed
                to INBOX: Quota exceeded (mailbox for user is full)) until she deletes the scans and the biggest old
                messages (expunged=N) and the next delivery to her is saved again
  login-storm   tom.meyer's phone on 127.0.0.20 reconnects five times a second for 40 s and keeps every session
                open for 2-6 s: imap logins, Connection closed disconnects, and once ten are open "Maximum number of
                connections from user+IP exceeded (mail_max_userip_connections=10)"
"""
import email.message
import email.policy
import email.utils
import imaplib
import os
import poplib
import pwd
import random
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
import warnings

from arrivals import poisson
from drivers import begin, wait_listening, descendants, kill_leftovers, SessionPool, run_workers, now, sleep_until
from labels import Labels

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import crypt

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19843
POP3_PORT = PORT + 10
LMTP_PORT = PORT + 20
SCALE = float(os.environ.get("SCALE", "1"))
DOMAIN = "shop.example"
NAME = "dovecot-g"

STAFF = ["anna.berg", "tom.meyer", "lisa.kovacs", "omar.haddad", "julia.novak", "peter.lund", "sara.fischer",
         "david.roth", "mia.jensen", "lukas.wolf", "nina.weber", "felix.braun", "eva.schulz", "jan.kowalski",
         "marta.silva", "paul.dubois", "clara.hoffmann", "ben.olsen", "ida.lindqvist", "karim.aziz", "lena.vogel",
         "max.keller", "rosa.costa", "yuki.sato", "noah.wagner"]
ROLES = ["orders", "support", "info", "billing", "returns", "sales", "jobs", "press", "purchasing", "invoices",
         "postmaster", "abuse", "webmaster", "shipping", "hr"]
USERS = STAFF + ROLES
DESKTOP = {u: "127.0.0.%d" % (101 + i) for i, u in enumerate(STAFF)}
SHARED = {"anna.berg": ["orders"], "lisa.kovacs": ["info"], "omar.haddad": ["billing"], "julia.novak": ["purchasing"],
          "sara.fischer": ["sales"], "nina.weber": ["hr", "jobs"], "felix.braun": ["webmaster", "postmaster", "abuse"],
          "eva.schulz": ["press"]}
PHONES = {"tom.meyer": "127.0.0.20", "anna.berg": "127.0.0.21", "sara.fischer": "127.0.0.22",
          "david.roth": "127.0.0.23", "lukas.wolf": "127.0.0.24", "mia.jensen": "127.0.0.25",
          "felix.braun": "127.0.0.26", "julia.novak": "127.0.0.27", "max.keller": "127.0.0.28",
          "karim.aziz": "127.0.0.29"}
POP3_CLIENTS = [("127.0.0.31", "invoices"), ("127.0.0.32", "returns"), ("127.0.0.33", "support"),
                ("127.0.0.34", "shipping")]
MTA = "127.0.0.3"
WEBMAIL = "127.0.0.10"
MONITOR = "127.0.0.30"
ATTACKER = "127.0.0.66"
QUOTA_USER = "julia.novak"
STORM_USER, STORM_IP = "tom.meyer", "127.0.0.20"
TYPOS = ["suport", "order", "infos", "billling", "anna.burg", "tom.mayer", "sales-team", "lisa.kovac",
         "julia.nowak", "kontakt", "shiping", "purchase"]
FIRST = ["alex", "maria", "john", "emma", "noah", "olivia", "liam", "sofia", "lucas", "mila", "leon", "hannah",
         "ben", "laura", "jonas", "clara", "elias", "lea", "paul", "marie", "finn", "amelie", "ivan", "yuki", "chen",
         "fatima", "ali", "rosa", "pablo", "ines", "tariq", "nora"]
LAST = ["smith", "mueller", "garcia", "rossi", "kim", "nguyen", "novak", "jansen", "silva", "kowalski", "dubois",
        "schmidt", "brown", "lopez", "ivanova", "haas", "berg", "costa", "sato", "wang", "olsen", "moreau"]
OUTSIDE = ["example.com", "example.net", "example.org", "mail.example", "supplier-one.example",
           "parcel-service.example", "marketplace.example", "bank.example", "freemail.example"]
SUBJECTS = ["Question about my order #%d", "Re: delivery schedule week %d", "Invoice %d attached", "Return request %d",
            "Meeting notes %d", "Your statement %d", "Application for position %d", "Re: Re: price list %d",
            "Parcel %d delayed", "Newsletter issue %d", "Purchase order PO-%d", "Complaint about order %d",
            "Re: stock levels %d", "Shift plan week %d", "Press inquiry %d"]
WORDS = ["your", "order", "item", "delivery", "thank", "you", "for", "the", "parcel", "size", "colour", "total",
         "account", "please", "contact", "support", "team", "offer", "new", "week", "invoice", "stock", "price",
         "meeting", "tomorrow", "regards", "attached", "schedule", "return", "refund", "customer", "supplier"]


def filler(rng, lines):
    return "\n".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))) for _ in range(lines)) + "\n"


def outsider(rng):
    return "%s.%s@%s" % (rng.choice(FIRST), rng.choice(LAST), rng.choice(OUTSIDE))


def message(rng, sender, to, subject, body, attach=0, date=None, name="document.pdf"):
    m = email.message.EmailMessage()
    m["From"] = sender
    m["To"] = to
    m["Subject"] = subject
    m["Date"] = email.utils.formatdate(date if date is not None else now(), localtime=False)
    m["Message-ID"] = email.utils.make_msgid(idstring="%x" % rng.getrandbits(32), domain=sender.split("@")[-1])
    m.set_content(body)
    if attach:
        m.add_attachment(rng.randbytes(attach), maintype="application", subtype="pdf", filename=name)
    return m.as_bytes(policy=email.policy.SMTP)


def password(user):
    r = random.Random("pw:" + user)
    return "%s%d%s" % (user.split(".")[0].capitalize(), r.randint(10, 99), r.choice("!#%&*+?"))


def typo(pw):
    i = random.randrange(len(pw) - 1)
    return pw.upper() if random.random() < 0.3 else pw[:i] + pw[i + 1] + pw[i] + pw[i + 2:]


# --- clients that bind their own source address ---

class IMAP(imaplib.IMAP4):
    def __init__(self, source, timeout=20):
        self.source = source
        super().__init__("127.0.0.1", PORT, timeout=timeout)

    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout, source_address=(self.source, 0))

    def auth(self, user, pw, how="login"):
        if how == "plain":
            return self.authenticate("PLAIN", lambda _: "\0%s\0%s" % (user, pw))
        if how == "login":
            return self.authenticate("LOGIN", lambda ch: user if b"sername" in ch else pw)
        return self.login(user, pw)

    def drop(self):
        try:
            self.sock.close()
        except OSError:
            pass


class POP3(poplib.POP3):
    def __init__(self, source, timeout=20):
        self.source = source
        super().__init__("127.0.0.1", POP3_PORT, timeout=timeout)

    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout, source_address=(self.source, 0))

    def drop(self):
        try:
            self.sock.close()
        except OSError:
            pass


ERRORS = (OSError, EOFError, imaplib.IMAP4.error, poplib.error_proto, smtplib.SMTPException, ValueError, IndexError)


# --- Dovecot ---

CONF = """\
# Debian's dovecot.conf and conf.d defaults, with a virtual-user mail store in {work}
protocols = imap pop3 lmtp
listen = 127.0.0.1
base_dir = {work}/run
state_dir = {work}/lib
log_path = {work}/log/dovecot.log

auth_mechanisms = plain login
auth_verbose = yes
disable_plaintext_auth = no
ssl = no

mail_location = maildir:~/Maildir
mail_uid = vmail
mail_gid = vmail
mail_privileged_group = mail
mail_plugins = $mail_plugins quota

namespace inbox {{
  inbox = yes
  mailbox Drafts {{
    special_use = \\Drafts
  }}
  mailbox Junk {{
    special_use = \\Junk
  }}
  mailbox Trash {{
    special_use = \\Trash
  }}
  mailbox Sent {{
    special_use = \\Sent
  }}
  mailbox "Sent Messages" {{
    special_use = \\Sent
  }}
}}

passdb {{
  driver = passwd-file
  args = scheme=SHA512-CRYPT username_format=%n {work}/etc/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%n {work}/etc/users
}}

plugin {{
  quota = maildir:User quota
  quota_rule = *:storage=2G
}}

service imap-login {{
  inet_listener imap {{
    port = {imap}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = {pop3}
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp}
  }}
}}

protocol imap {{
  mail_plugins = $mail_plugins imap_quota
}}
"""


def ensure_vmail():
    try:
        return pwd.getpwnam("vmail")
    except KeyError:
        subprocess.run(["useradd", "--uid", "5000", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", "--comment", "virtual mail", "vmail"], check=True)
        return pwd.getpwnam("vmail")


class Dovecot:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "etc", "dovecot.conf")
        self.log = os.path.join(work, "log", "dovecot.log")
        self.mail = os.path.join(work, "mail")
        self.proc = None

    @staticmethod
    def version():
        r = subprocess.run(["dovecot", "--version"], capture_output=True, text=True)
        return r.stdout.strip() or "2.3"

    def maildir(self, user):
        return os.path.join(self.mail, user, "Maildir")

    def setup(self, rng):
        vm = ensure_vmail()
        os.chmod(self.work, 0o755)
        for d in ("etc", "log", "mail"):
            os.makedirs(os.path.join(self.work, d))
        with open(self.conf, "w") as f:
            f.write(CONF.format(work=self.work, imap=PORT, pop3=POP3_PORT, lmtp=LMTP_PORT))
        users = os.path.join(self.work, "etc", "users")
        with open(users, "w") as f:
            for u in USERS:
                extra = "userdb_quota_rule=*:storage=30M" if u == QUOTA_USER else ""
                h = crypt.crypt(password(u), crypt.mksalt(crypt.METHOD_SHA512))
                f.write("%s:{SHA512-CRYPT}%s::::%s::%s\n" % (u, h, os.path.join(self.mail, u), extra))
        os.chmod(users, 0o644)
        # existing mailboxes: the special-use folders and some older mail (julia.novak's near her quota)
        t = now()
        for u in USERS:
            md = self.maildir(u)
            for folder in ("", ".Sent", ".Trash", ".Drafts", ".Junk"):
                for sub in ("cur", "new", "tmp"):
                    os.makedirs(os.path.join(md, folder, sub))
            with open(os.path.join(md, "subscriptions"), "w") as f:
                f.write("Sent\nTrash\nDrafts\nJunk\n")
            old = [(rng.uniform(2, 60) * 86400, rng.randint(10, 200) * 200) for _ in range(rng.randint(5, 25))]
            if u == QUOTA_USER:
                old += [(rng.uniform(3, 120) * 86400, -rng.randint(720, 880) * 1024) for _ in range(30)]
            for i, (age, size) in enumerate(sorted(old, reverse=True)):
                when = t - age
                if size < 0:
                    body = message(rng, "%s@supplier-one.example" % rng.choice(FIRST), "%s@%s" % (u, DOMAIN),
                                   "Scanned delivery notes %d" % rng.randint(1000, 9999), "See attachment.\n",
                                   attach=-size * 3 // 4, date=when, name="scan.pdf")
                else:
                    body = message(rng, outsider(rng), "%s@%s" % (u, DOMAIN), rng.choice(SUBJECTS) % rng.randint(
                        100, 99999), filler(rng, size // 80), date=when)
                seen = rng.random() < 0.9
                name = "%d.M%dP%d.mail.%s:2,%s" % (when, rng.randint(100000, 999999), 1000 + i, DOMAIN,
                                                   "S" if seen else "")
                path = os.path.join(md, "cur", name)
                with open(path, "wb") as f:
                    f.write(body)
                os.utime(path, (when, when))
        for root, dirs, files in os.walk(self.mail):
            for n in dirs + files:
                os.chown(os.path.join(root, n), vm.pw_uid, vm.pw_gid)
        os.chown(self.mail, vm.pw_uid, vm.pw_gid)

    def start(self):
        self.proc = subprocess.Popen(["dovecot", "-F", "-c", self.conf], env=dict(os.environ, TZ="UTC"),
                                     stdin=subprocess.DEVNULL)
        wait_listening(self.proc, "dovecot", (PORT, POP3_PORT, LMTP_PORT), 20)

    def stop(self):
        if not self.proc or self.proc.poll() is not None:
            return
        kids = descendants(self.proc.pid)  # to make sure none outlives the master
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        time.sleep(0.5)
        kill_leftovers(kids, b"dovecot", at_start=True)


# --- normal traffic ---

class Traffic(SessionPool):
    """The sessions: at most 60 at once (a stuck client is skipped, not queued)."""

    def __init__(self, seed):
        super().__init__(seed, 60, ERRORS)

    def failed(self, fn, e):
        self.count("failed")
        self.count("failed %s: %s" % (fn.__name__, str(e)[:60]))

    # IMAP sessions

    def overview(self, c, rng, n):
        typ, data = c.select("INBOX")
        if typ != "OK":
            return 0
        exists = int(data[0])
        if exists:
            c.fetch("%d:%d" % (max(1, exists - n + 1), exists),
                    "(UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE MESSAGE-ID)])")
        return exists

    def read_unseen(self, c, rng, most):
        typ, data = c.uid("SEARCH", None, "UNSEEN")
        uids = data[0].split() if typ == "OK" and data and data[0] else []
        for uid in rng.sample(uids, min(len(uids), rng.randint(0, most))):
            c.uid("FETCH", uid, "(BODY.PEEK[])")
            c.uid("STORE", uid, "+FLAGS", "(\\Seen)")

    def trash_some(self, c, rng, most):
        typ, data = c.uid("SEARCH", None, "SEEN")
        uids = data[0].split() if typ == "OK" and data and data[0] else []
        if uids:
            old = uids[:max(1, len(uids) // 2)]
            c.uid("MOVE", b",".join(rng.sample(old, min(len(old), rng.randint(1, most)))), "Trash")

    def empty_trash(self, c):
        typ, data = c.select("Trash")
        if typ == "OK" and int(data[0]):
            c.store("1:*", "+FLAGS", "(\\Deleted)")
            c.expunge()

    def save_copy(self, c, rng, user, folder):
        to = outsider(rng) if rng.random() < 0.6 else "%s@%s" % (rng.choice(USERS), DOMAIN)
        msg = message(rng, "%s@%s" % (user, DOMAIN), to, rng.choice(SUBJECTS) % rng.randint(100, 99999),
                      filler(rng, rng.randint(3, 30)))
        flags = "(\\Seen)" if folder == "Sent" else "(\\Draft)"
        c.append(folder, flags, imaplib.Time2Internaldate(now()), msg)

    def desktop(self, user, account, rng, how, typo_first=False):
        c = IMAP(DESKTOP[user])
        try:
            if typo_first:
                try:
                    c.auth(account, typo(password(account)), how)
                except imaplib.IMAP4.error:
                    self.count("typo")
                    time.sleep(rng.uniform(1, 4))
            c.auth(account, password(account), how)
            if rng.random() < 0.3:
                c.list()
            if rng.random() < 0.2:
                c.status("Sent", "(MESSAGES UIDNEXT)")
            self.overview(c, rng, rng.randint(10, 50))
            self.read_unseen(c, rng, 3)
            r = rng.random()
            if r < 0.25:
                self.trash_some(c, rng, 3)
            elif r < 0.32:
                self.empty_trash(c)
            r = rng.random()
            if r < 0.15:
                self.save_copy(c, rng, account, "Sent")
            elif r < 0.2:
                self.save_copy(c, rng, account, "Drafts")
            c.logout()
            self.count("desktop")
        except ERRORS:
            c.drop()
            raise

    def webmail(self, user, rng):
        c = IMAP(WEBMAIL)
        try:
            c.login(user, password(user))
            r = rng.random()
            if r < 0.45:
                self.overview(c, rng, 50)
            elif r < 0.85:
                c.select("INBOX")
                self.read_unseen(c, rng, 1)
            elif r < 0.95:
                c.select("INBOX")
                self.trash_some(c, rng, 2)
            else:
                self.save_copy(c, rng, user, "Sent")
            c.logout()
            self.count("webmail")
        except ERRORS:
            c.drop()
            raise

    def phone(self, user, rng, typo_first=False):
        c = IMAP(PHONES[user])
        try:
            if typo_first:
                try:
                    c.auth(user, typo(password(user)), "plain")
                except imaplib.IMAP4.error:
                    self.count("typo")
                    time.sleep(rng.uniform(2, 5))
            c.auth(user, password(user), "plain")
            c.status("INBOX", "(MESSAGES UNSEEN UIDNEXT)")
            if rng.random() < 0.5:
                self.overview(c, rng, 5)
                if rng.random() < 0.3:
                    self.read_unseen(c, rng, 1)
            if rng.random() < 0.03:  # the phone lost its connection
                c.drop()
                self.count("phone-lost")
                return
            c.logout()
            self.count("phone")
        except ERRORS:
            c.drop()
            raise

    def pop3(self, source, user, rng):
        p = POP3(source)
        try:
            p.user(user)
            p.pass_(password(user))
            count, _ = p.stat()
            if count:
                p.uidl()
                for i in range(1, min(count, 15) + 1):
                    p.retr(i)
                    p.dele(i)
            p.quit()
            self.count("pop3")
        except ERRORS:
            p.drop()
            raise

    # LMTP deliveries

    def inbound(self, rng):
        r = rng.random()
        if r < 0.45:
            to = [rng.choice(STAFF) for _ in range(1 if rng.random() < 0.8 else rng.randint(2, 3))]
        elif r < 0.9:
            to = [rng.choice(ROLES[:10] + ["support", "orders", "invoices", "returns", "shipping", "info"])]
        else:
            to = [rng.choice(STAFF) for _ in range(rng.randint(2, 4))]  # an internal circular
        to = list(dict.fromkeys(to))
        if rng.random() < 0.015:
            to.append(rng.choice(TYPOS))
        if not to:
            return None
        sender = outsider(rng) if rng.random() < 0.7 else "%s@%s" % (rng.choice(STAFF), DOMAIN)
        attach = rng.randint(20, 250) * 1024 if rng.random() < 0.07 else 0
        rcpts = ["%s@%s" % (u, DOMAIN) for u in to]
        return sender, rcpts, message(rng, sender, ", ".join(rcpts), rng.choice(SUBJECTS) % rng.randint(100, 99999),
                                      filler(rng, rng.randint(3, 60)), attach=attach)

    def deliver(self, msgs, source=MTA):
        """One LMTP session from the MTA (LHLO, then MAIL, RCPTs, DATA and one reply per accepted recipient for each
        message, as LMTP has it); returns the number of recipients refused."""
        refused = 0
        l = smtplib.LMTP("127.0.0.1", LMTP_PORT, local_hostname="mx.shop.example", timeout=30,
                         source_address=(source, 0))
        try:
            l.ehlo()
            for sender, rcpts, msg in msgs:
                code, _ = l.mail(sender)
                if code != 250:
                    l.rset()
                    refused += len(rcpts)
                    continue
                ok = [r for r in rcpts if l.rcpt(r)[0] in (250, 251)]
                if not ok:
                    l.rset()
                    refused += len(rcpts)
                    continue
                codes = [l.data(msg)[0]] + [l.getreply()[0] for _ in ok[1:]]
                saved = sum(c == 250 for c in codes)
                for r, c in zip(ok, codes):
                    if c != 250:
                        self.count("%d %s" % (c, r))
                refused += len(rcpts) - saved
                self.count("delivered", saved)
            l.quit()
        except ERRORS:
            l.close()
            raise
        self.count("refused", refused)
        return refused

    def mta(self, rng):
        msgs = [m for m in (self.inbound(rng) for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4]))) if m]
        if msgs:
            self.deliver(msgs)

    # the dispatchers

    def desktops(self, rate):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            user = rng.choice(STAFF)
            account = rng.choice(SHARED[user]) if user in SHARED and rng.random() < 0.35 else user
            how = ["login", "plain", "login", "login"][STAFF.index(user) % 4]  # each client its own mechanism
            self.spawn(self.desktop, user, account, random.Random(rng.random()), how)

    def webmails(self, rate):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            self.spawn(self.webmail, rng.choice(STAFF + ["info", "sales", "orders", "hr"]), random.Random(rng.random()))

    def phones(self, rate):
        rng = random.Random(self.rng.random())
        users = list(PHONES)
        for _ in poisson(rate, self.stop, rng):
            self.spawn(self.phone, rng.choice(users), random.Random(rng.random()))

    def pop3_fetcher(self, source, user, interval):
        """An application that fetches its mailbox over POP3 every `interval` seconds (jittered), one at a time."""
        rng = random.Random(self.rng.random())
        self.stop.wait(rng.uniform(0, interval))
        while not self.stop.is_set():
            try:
                self.pop3(source, user, rng)
            except ERRORS as e:
                self.failed(self.pop3, e)
            self.stop.wait(interval * rng.uniform(0.8, 1.2))

    def mtas(self, rate):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            self.spawn(self.mta, random.Random(rng.random()))

    def noise(self):
        """The monitoring check every 30 s, clients that go away before authenticating, mistyped passwords."""
        rng = random.Random(self.rng.random())
        next_check = now() + rng.uniform(3, 30)
        next_drop = now() + rng.expovariate(1 / 45.0)
        next_typo = now() + rng.uniform(20, 80)
        while not self.stop.is_set():
            try:
                if now() >= next_check:
                    next_check += rng.uniform(29, 31)
                    IMAP(MONITOR, timeout=10).logout()
                    POP3(MONITOR, timeout=10).quit()
                    self.count("monitor")
                if now() >= next_drop:
                    next_drop = now() + rng.expovariate(1 / 45.0)
                    source = rng.choice(list(DESKTOP.values()) + list(PHONES.values())[1:])
                    port = PORT if rng.random() < 0.8 else POP3_PORT
                    s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
                    if rng.random() < 0.5:
                        s.recv(512)
                    s.close()
                    self.count("dropped")
                if now() >= next_typo:
                    next_typo = now() + rng.expovariate(1 / 75.0)
                    if rng.random() < 0.8:
                        self.spawn(self.desktop, "peter.lund", "peter.lund", random.Random(rng.random()), "login",
                                   True)
                    else:
                        self.spawn(self.phone, "mia.jensen", random.Random(rng.random()), True)
            except ERRORS:
                pass
            time.sleep(0.2)

    def run(self):
        ts = [threading.Thread(target=self.desktops, args=(4.0,)), threading.Thread(target=self.webmails, args=(3.5,)),
              threading.Thread(target=self.phones, args=(1.5,)), threading.Thread(target=self.mtas, args=(1.3,)),
              threading.Thread(target=self.noise)]
        ts += [threading.Thread(target=self.pop3_fetcher, args=(source, user, interval))
               for (source, user), interval in zip(POP3_CLIENTS, (4.0, 6.0, 4.0, 5.0))]
        return self.start(ts)


# --- incidents ---

def brute_force(seconds, attempts=150, workers=50):
    """127.0.0.66 guesses passwords over IMAP and POP3 with many parallel connections, three guesses a connection."""
    rng = random.Random(66)
    names = ["admin", "info", "sales", "support", "test", "root", "office", "anna.berg", "orders", "contact",
             "billing", "postmaster", "webmaster", "user", "mail", "shop", "administrator", "hr", "jobs", "guest",
             "marketing", "service", "tom.meyer", "kontakt", "demo", "noreply", "sara.fischer", "accounts", "press",
             "backup"]
    words = ["123456", "password", "Password1", "qwerty", "shop2024", "Sommer2024!", "letmein", "welcome1", "admin",
             "123456789", "iloveyou", "Passw0rd", "changeme", "secret", "abc123", "info123", "mail2024", "test123",
             "P@ssw0rd", "Winter2024", "shop123!", "000000", "111111", "qwertz", "hallo123"]
    guesses = [(rng.choice(names), rng.choice(words)) for _ in range(attempts)]
    lock = threading.Lock()
    state = {"next": 0, "failed": 0, "conns": 0}
    start = now()
    stop_at = start + seconds

    def take():
        """The next guess, paced so that the attempts spread over the whole interval (the tool's rate limit)."""
        with lock:
            if state["next"] >= attempts or now() >= stop_at:
                return None
            i = state["next"]
            state["next"] += 1
        sleep_until(start + i * 0.85 * seconds / attempts)
        return guesses[i]

    def worker(k, pop):
        wr = random.Random(k)
        time.sleep(wr.uniform(0, 2))
        while now() < stop_at:
            try:
                c = POP3(ATTACKER, timeout=25) if pop else IMAP(ATTACKER, timeout=25)
            except ERRORS:
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
                        if pop:
                            c.user(g[0])
                            c.pass_(g[1])
                        else:
                            c.login(*g)
                    except (imaplib.IMAP4.error, poplib.error_proto):
                        with lock:
                            state["failed"] += 1
                if wr.random() < 0.5:
                    c.drop()
                elif pop:
                    c.quit()
                else:
                    c.logout()
            except ERRORS:
                c.drop()
            if state["next"] >= attempts:
                return

    run_workers(worker, [(k, k % 7 == 3) for k in range(workers)], seconds + 40)
    return start, now(), state


def quota_full(traffic, seconds):
    """A scan-to-mail device floods julia.novak with 2 MB scans until her quota is full; she then cleans up."""
    rng = random.Random(30)
    rcpt = "%s@%s" % (QUOTA_USER, DOMAIN)
    before = traffic.counts.get("552 " + rcpt, 0)
    sender = "scanner-2og@%s" % DOMAIN
    saved = refused = 0
    start = now()
    n = 0
    while now() < start + seconds:
        sleep_until(start + n * 2.5 * min(1.0, SCALE * 2))
        n += 1
        msg = message(rng, sender, rcpt, "Scan from MFP-2OG %04d" % (1000 + n), "Scanned document attached.\n",
                      attach=rng.randint(1900, 2200) * 1024, name="scan_%04d.pdf" % (1000 + n))
        try:
            if traffic.deliver([(sender, [rcpt], msg)]):
                refused += 1
            else:
                saved += 1
        except ERRORS:
            refused += 1
    flood_end = now()
    # her desk: she notices the bounces, deletes the scans and her biggest old mail (no Trash: shift-delete)
    time.sleep(rng.uniform(3, 6))
    expunged = 0
    c = IMAP(DESKTOP[QUOTA_USER])
    try:
        c.auth(QUOTA_USER, password(QUOTA_USER), "login")
        c.select("INBOX")
        c.fetch("1:*", "(UID FLAGS RFC822.SIZE)")
        typ, data = c.uid("SEARCH", None, "LARGER", "500000")
        uids = data[0].split() if typ == "OK" and data and data[0] else []
        if uids:
            c.uid("STORE", b",".join(uids), "+FLAGS.SILENT", "(\\Deleted)")
            typ, data = c.expunge()
            expunged = len(uids)
        c.logout()
    except ERRORS:
        c.drop()
    cleaned = now()
    # the next message for her is saved again
    time.sleep(rng.uniform(1, 3))
    msg = message(rng, "orders@supplier-one.example", rcpt, "Re: Purchase order PO-%d" % rng.randint(1000, 9999),
                  filler(rng, 12))
    ok = False
    try:
        ok = traffic.deliver([("orders@supplier-one.example", [rcpt], msg)]) == 0
    except ERRORS:
        pass
    full = traffic.counts.get("552 " + rcpt, 0) - before
    return start, flood_end, cleaned, now(), saved, refused, full, expunged, ok


def login_storm(seconds, rate=5.0):
    """tom.meyer's phone reconnects in a tight loop and keeps each session open a few seconds."""
    rng = random.Random(20)
    lock = threading.Lock()
    state = {"tries": 0, "ok": 0, "refused": 0}
    ts = []

    def one(hold):
        with lock:
            state["tries"] += 1
        try:
            c = IMAP(STORM_IP, timeout=15)
        except ERRORS:
            return
        try:
            c.auth(STORM_USER, password(STORM_USER), "plain")
        except ERRORS:
            with lock:
                state["refused"] += 1
            c.drop()
            return
        with lock:
            state["ok"] += 1
        try:
            c.select("INBOX")
            c.fetch("1:*", "(UID FLAGS)")
            time.sleep(hold)
        except ERRORS:
            pass
        c.drop()

    start = now()
    for k in range(int(seconds * rate)):
        sleep_until(start + k / rate)
        t = threading.Thread(target=one, args=(rng.uniform(2, 6),), daemon=True)
        t.start()
        ts.append(t)
    for t in ts:
        t.join(30)
    return start, now(), state


def main():
    work = begin(OUT, "dovecot", __doc__)
    dovecot = Dovecot(work)
    version = dovecot.version()
    labels = Labels()
    labels.note("made by bench/real-logs/dovecot.py: real Dovecot %s (Debian) on 127.0.0.1, IMAP %d, POP3 %d, LMTP %d, "
                "its own log_path in the default format (auth_verbose yes), passwd-file users, maildir, quota "
                "plugin; normal traffic: staff desktop clients 127.0.0.101-125, webmail 127.0.0.10, phones "
                "127.0.0.20-29, POP3 fetchers 127.0.0.31-34, LMTP deliveries from the MTA 127.0.0.3, monitoring "
                "127.0.0.30, about 11 sessions/s; wall-clock times" % (version, PORT, POP3_PORT, LMTP_PORT))
    traffic = Traffic(2026)
    try:
        dovecot.setup(random.Random(5))
        dovecot.start()
        traffic.run()
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. password guessing from one address
        start, end, st = brute_force(40 * SCALE)
        labels.add("brute-force", start, end + 2, "brute-force", ATTACKER,
                   "127.0.0.66 guesses passwords over IMAP and POP3 against 30 user names (existing and not) with 50 "
                   "parallel connections for %d s: %d failed logins in %d connections (auth: Password mismatch / "
                   "unknown user; imap-login and pop3-login: Disconnected (auth failed, N attempts in S secs)), "
                   "Dovecot's auth penalty delaying the replies up to 15 s" % (round(end - start), st["failed"],
                                                                              st["conns"]))
        sleep_until(end + 52 * SCALE)

        # 2. a mailbox over quota
        start, flood_end, cleaned, end, saved, refused, full, expunged, ok = quota_full(traffic, 40 * SCALE)
        labels.add("quota-full", start, end + 1, "quota-exceeded",
                   "%s|%s@%s" % (QUOTA_USER, QUOTA_USER, DOMAIN),
                   "a scan-to-mail device floods julia.novak (30 MB quota) with 2 MB scans over LMTP for %d s: "
                   "%d scans saved, then %d deliveries to her refused, %d scans and %d other messages "
                   "(lmtp(julia.novak@shop.example): save failed to INBOX: Quota exceeded (mailbox for user is full)), "
                   "until she deletes %d large messages over IMAP %d s after the flood (expunged=%d) and the next "
                   "delivery to her is saved%s"
                   % (round(flood_end - start), saved, full, refused, full - refused, expunged,
                      round(cleaned - flood_end), expunged, "" if ok else " (it was not)"))
        sleep_until(end + 52 * SCALE)

        # 3. a phone in a reconnect loop
        start, end, st3 = login_storm(40 * SCALE)
        labels.add("login-storm", start, end + 1, "login-storm",
                   "%s|%s" % (STORM_USER, STORM_IP),
                   "tom.meyer's phone on 127.0.0.20 opens %d IMAP connections in %d s (5 a second), keeping each open "
                   "2-6 s: %d logins (Login: user=<tom.meyer> ... rip=127.0.0.20, then Disconnected: Connection "
                   "closed) and %d refused with Maximum number of connections from user+IP exceeded "
                   "(mail_max_userip_connections=10)" % (st3["tries"], round(40 * SCALE), st3["ok"], st3["refused"]))
        sleep_until(end + 52 * SCALE)

        traffic.finish(30)
        time.sleep(1)
        print("%s: %s; brute force %s; login storm %s" % (NAME, sorted(traffic.counts.items()), st, st3),
              file=sys.stderr)
    finally:
        traffic.stop.set()
        dovecot.stop()
        if os.path.exists(dovecot.log):
            shutil.copy(dovecot.log, os.path.join(OUT, NAME + ".log"))
        labels.write(os.path.join(OUT, NAME + ".labels.tsv"))
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
