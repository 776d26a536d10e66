#!/usr/bin/env python3
"""Runs a real Postfix (Debian postfix 3.7) as the shop's mail gateway on 127.0.0.1, in front of a next-hop mail
store and smarthost this driver serves itself (an SMTP sink on sockets), drives the shop's mail through it, injects
labelled incidents and keeps Postfix's log exactly as it wrote it: Postfix's own maillog_file (postlogd, the
postlog service of Debian's master.cf), in Postfix's standard line format ("Mmm dd hh:mm:ss mx postfix/smtpd[pid]:
..."). The main.cf is Debian's default one (banner, biff, append_dot_mydomain, compatibility_level 3.6,
recipient_delimiter) with its own config directory, queue_directory and data_directory under a /tmp work dir
(`postfix -c CONFDIR`), inet_interfaces 127.0.0.1, smtpd on PORT, mynetworks 127.0.0.0/28 (the application hosts),
shop.example a relay domain with a relay_recipient_maps list of its valid addresses, everything relayed to the
next hop [127.0.0.1]:PORT+1 (relayhost, and a transport_maps entry for shop.example), relay restrictions
permit_mynetworks reject_unauth_destination, quick retries (queue_run_delay and minimal_backoff_time 5 s,
maximal_backoff_time 15 s) and smtpd_peername_lookup off (no DNS on this machine: clients show as unknown[127.0.0.X],
as clients without reverse DNS do). Master.cf is Debian's without chroot. Started as root (`postfix -c CONFDIR
start`, running as Debian's postfix user) and stopped with `postfix -c CONFDIR stop`. Standard library only.

usage: bench/real-logs/postfix.py OUTDIR [PORT]      (the next-hop sink listens on PORT+1)
  writes OUTDIR/postfix-f.log and OUTDIR/postfix-f.labels.tsv
  SCALE=0.2 multiplies every duration (a short run for testing)

Normal traffic (about 4 messages/s, Poisson, smtplib from each sender's own 127.0.0.X):
  127.0.0.5-6 the shop's web servers: order confirmations to customers (some with a Bcc to orders-archive@),
  127.0.0.7 the account service: password resets, 127.0.0.8 the newsletter sender: several messages a session,
  127.0.0.9 the ERP: shipping notices and invoices (some with a Cc to billing@); 127.0.0.40-44 outside mail servers
  delivering to the shop's staff and role addresses, now and then to a mistyped one (rejected, User unknown);
  a monitoring check on 127.0.0.30 that connects and QUITs every 30 s; now and then a client that drops the
  connection before saying anything, and a rare misconfigured client that tries to relay and is refused; customer
  addresses that no longer exist (about 1 in 70) are refused by the next hop, so Postfix bounces them and sends
  the non-delivery notice back to the shop.
Incidents (about 6.5 minutes in all: 90 s of normal traffic, each incident followed by at least 50 s of it):
  relay-down      the next hop stopped for 40 s: every delivery fails (smtp and relay/smtp: connect to
                  127.0.0.1[127.0.0.1]:PORT+1: Connection refused, status=deferred; once the destination is
                  throttled, postfix/error: delivery temporarily suspended), retried every 5-15 s, and the
                  deferred queue is delivered within about 20 s of its return
  relay-probe     an outside client on 127.0.0.66 tries to relay to outside domains 100 times in 35 s
                  (NOQUEUE: reject: RCPT ... 554 5.7.1 Relay access denied)
  harvest         a directory harvest from 127.0.0.77: 150 made-up addresses at shop.example in 35 s
                  (NOQUEUE: reject: RCPT ... 550 5.1.1 ... User unknown in relay recipient table)
"""
import email.message
import email.utils
import os
import random
import shutil
import smtplib
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time

from arrivals import poisson
from labels import Labels

OUT = os.path.abspath(sys.argv[1])
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19425
SINK = PORT + 1
SCALE = float(os.environ.get("SCALE", "1"))
DOMAIN = "shop.example"

STAFF = ["anna.berg", "tom.meyer", "lisa.kovacs", "omar.haddad", "julia.novak", "peter.lund", "sara.fischer",
         "david.roth", "mia.jensen", "lukas.wolf", "nina.weber", "felix.braun"]
ROLES = ["orders", "support", "info", "billing", "returns", "jobs", "press", "sales", "postmaster", "abuse",
         "webmaster", "noreply", "newsletter", "orders-archive", "accounts"]
VALID = set(ROLES + STAFF)
TYPOS = ["suport", "order", "infos", "billling", "contact", "retuns", "anna.burg", "tom.mayer", "sales-team",
         "customerservice", "kontakt", "lisa.kovac"]
FIRST = ["alex", "maria", "john", "emma", "noah", "olivia", "liam", "sofia", "lucas", "mila", "leon", "hannah",
         "ben", "laura", "jonas", "clara", "elias", "lea", "paul", "marie", "finn", "amelie", "ella", "max", "ida",
         "karl", "greta", "ivan", "yuki", "chen", "fatima", "ali", "rosa", "pablo", "ines", "tariq", "nora"]
LAST = ["smith", "mueller", "garcia", "rossi", "kim", "nguyen", "novak", "jansen", "silva", "kowalski", "dubois",
        "schmidt", "brown", "lopez", "ivanova", "haas", "berg", "costa", "sato", "wang", "olsen", "moreau"]
MAILBOXES = ["example.com", "example.net", "example.org", "mail.example", "post.example", "inbox.example",
             "webmail.example", "freemail.example"]
DEAD = set()  # customer mailboxes that no longer exist: the next hop refuses them


def now():
    return time.time()


def sleep_until(t):
    time.sleep(max(0.0, t - now()))


def customer(rng):
    if rng.random() < 0.014:
        a = "%s.%s%d@%s" % (rng.choice(FIRST), rng.choice(LAST), rng.randint(1, 99), rng.choice(MAILBOXES))
        DEAD.add(a)
        return a
    style = rng.random()
    f, l = rng.choice(FIRST), rng.choice(LAST)
    local = "%s.%s" % (f, l) if style < 0.5 else "%s%s" % (f[0], l) if style < 0.75 else "%s%d" % (f, rng.randint(1, 999))
    return "%s@%s" % (local, rng.choice(MAILBOXES))


# --- the next hop: the shop's mail store and smarthost, a plain SMTP server on 127.0.0.1:SINK ---

class SinkHandler(socketserver.StreamRequestHandler):
    def say(self, text):
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        sink = self.server.sink
        sink.track(self.connection, True)
        try:
            self.say("220 store.shop.example ESMTP")
            rcpts = 0
            while True:
                line = self.rfile.readline(4096)
                if not line:
                    return
                cmd = line.decode("latin-1").strip()
                verb = cmd[:4].upper()
                if verb == "EHLO":
                    self.wfile.write(b"250-store.shop.example\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n"
                                     b"250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n")
                elif verb == "HELO":
                    self.say("250 store.shop.example")
                elif verb == "MAIL":
                    rcpts = 0
                    self.say("250 2.1.0 Ok")
                elif verb == "RCPT":
                    addr = cmd[cmd.find("<") + 1:cmd.find(">")] if "<" in cmd else cmd[8:].strip()
                    if addr.lower() in DEAD:
                        self.say("550 5.1.1 <%s>: Recipient address rejected: User unknown" % addr)
                    else:
                        rcpts += 1
                        self.say("250 2.1.5 Ok")
                elif verb == "DATA":
                    if not rcpts:
                        self.say("554 5.5.1 Error: no valid recipients")
                        continue
                    self.say("354 End data with <CR><LF>.<CR><LF>")
                    while True:
                        data = self.rfile.readline(65536)
                        if not data:
                            return
                        if data in (b".\r\n", b".\n"):
                            break
                    sink.received += 1
                    self.say("250 2.0.0 Ok: queued as %s" % sink.queue_id())
                    rcpts = 0
                elif verb == "RSET":
                    rcpts = 0
                    self.say("250 2.0.0 Ok")
                elif verb == "NOOP":
                    self.say("250 2.0.0 Ok")
                elif verb == "QUIT":
                    self.say("221 2.0.0 Bye")
                    return
                else:
                    self.say("502 5.5.2 Error: command not recognized")
        except OSError:
            pass
        finally:
            sink.track(self.connection, False)


class SinkServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class Sink:
    """Accepts mail like a real MTA; stop() closes the listener and every open connection (the service stopped)."""

    def __init__(self, port):
        self.port = port
        self.server = None
        self.conns = set()
        self.lock = threading.Lock()
        self.received = 0
        self.rng = random.Random(7)

    def queue_id(self):
        with self.lock:
            return "".join(self.rng.choice("0123456789ABCDEF") for _ in range(10))

    def track(self, conn, add):
        with self.lock:
            (self.conns.add if add else self.conns.discard)(conn)

    def start(self):
        self.server = SinkServer(("127.0.0.1", self.port), SinkHandler)
        self.server.sink = self
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()

    def stop(self):
        if not self.server:
            return
        self.server.shutdown()
        self.server.server_close()
        self.server = None
        with self.lock:
            conns = list(self.conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# --- Postfix ---

MAIN_CF = """\
# the settings of Debian's packaged main.cf (postfix 3.7), with its own directories and the shop's relaying
smtpd_banner = $myhostname ESMTP $mail_name (Debian/GNU)
biff = no
append_dot_mydomain = no
readme_directory = no
compatibility_level = 3.6

queue_directory = {work}/spool
data_directory = {work}/lib
maillog_file = {work}/log/postfix.log
maillog_file_prefixes = /tmp

myhostname = mx.shop.example
mydomain = shop.example
myorigin = $mydomain
mydestination = $myhostname, localhost
alias_maps =
alias_database =
mailbox_size_limit = 0
recipient_delimiter = +
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/28
smtpd_peername_lookup = no

# the shop's domain: only its listed addresses are accepted, and everything goes to the mail store / smarthost
relay_domains = shop.example
relay_recipient_maps = texthash:{conf}/relay_recipients
transport_maps = texthash:{conf}/transport
relayhost = [127.0.0.1]:{sink}
smtpd_relay_restrictions = permit_mynetworks reject_unauth_destination

# retry quickly
queue_run_delay = 5s
minimal_backoff_time = 5s
maximal_backoff_time = 15s
"""

MASTER_CF = """\
# Debian's master.cf without chroot, smtpd on {port}
{port}     inet  n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
        -o syslog_name=postfix/$service_name
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


class Postfix:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "etc")
        self.spool = os.path.join(work, "spool")
        self.log = os.path.join(work, "log", "postfix.log")
        for d in ("etc", "spool", "lib", "log"):
            os.makedirs(os.path.join(work, d), mode=0o755)
        os.chmod(work, 0o755)  # mkdtemp's 0700 would keep the postfix user out of its queue
        shutil.chown(os.path.join(work, "lib"), "postfix", "postfix")  # data_directory belongs to mail_owner
        os.chmod(os.path.join(work, "lib"), 0o700)
        with open(os.path.join(self.conf, "main.cf"), "w") as f:
            f.write(MAIN_CF.format(work=work, conf=self.conf, sink=SINK))
        with open(os.path.join(self.conf, "master.cf"), "w") as f:
            f.write(MASTER_CF.format(port=PORT))
        with open(os.path.join(self.conf, "relay_recipients"), "w") as f:
            f.writelines("%s@%s OK\n" % (u, DOMAIN) for u in sorted(VALID))
        with open(os.path.join(self.conf, "transport"), "w") as f:
            f.write("%s relay:[127.0.0.1]:%d\n" % (DOMAIN, SINK))
        self.env = dict(os.environ, TZ="UTC")

    def postfix(self, *args):
        return subprocess.run(["postfix", "-c", self.conf] + list(args), env=self.env, cwd="/",
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def version(self):
        return subprocess.run(["postconf", "-c", self.conf, "-h", "mail_version"], stdout=subprocess.PIPE,
                              text=True).stdout.strip()

    def start(self):
        r = self.postfix("check")
        if r.returncode:
            raise SystemExit("postfix check failed:\n" + r.stdout)
        r = self.postfix("start")
        if r.returncode:
            raise SystemExit("postfix start failed:\n" + r.stdout)
        deadline = now() + 20
        while now() < deadline:  # read from /proc: a test connection would be logged as a lost connection
            with open("/proc/net/tcp") as f:
                if any(l.split()[1:4:2] == ["0100007F:%04X" % PORT, "0A"] for l in list(f)[1:]):
                    return
            time.sleep(0.1)
        raise SystemExit("postfix did not listen on 127.0.0.1:%d" % PORT)

    def master_pid(self):
        try:
            with open(os.path.join(self.spool, "pid", "master.pid")) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self):
        pid = self.master_pid()
        self.postfix("stop")
        deadline = now() + 20
        while pid and now() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)

    def queued(self, queue):
        return sum(len(files) for _, _, files in os.walk(os.path.join(self.spool, queue)))


# --- traffic ---

def connect(source, helo, timeout=20):
    return smtplib.SMTP("127.0.0.1", PORT, local_hostname=helo, timeout=timeout, source_address=(source, 0))


def message(rng, sender, to, subject, body, extra=None):
    m = email.message.EmailMessage()
    m["From"] = sender
    m["To"] = to
    m["Subject"] = subject
    m["Date"] = email.utils.formatdate(localtime=False)
    m["Message-ID"] = email.utils.make_msgid(domain=DOMAIN)
    for k, v in (extra or {}).items():
        m[k] = v
    m.set_content(body)
    return m


def filler(rng, lines):
    words = ["your", "order", "item", "delivery", "thank", "you", "for", "shopping", "with", "us", "the", "parcel",
             "size", "colour", "total", "account", "please", "contact", "support", "team", "offer", "new", "week"]
    return "\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(6, 14))) for _ in range(lines)) + "\n"


class Traffic:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.sent = 0
        self.refused = 0
        self.failed = 0

    def count(self, sent=0, refused=0, failed=0):
        with self.lock:
            self.sent += sent
            self.refused += refused
            self.failed += failed

    def send(self, conn, m, sender, rcpts):
        try:
            bad = conn.send_message(m, sender, rcpts)
            self.count(sent=1, refused=len(bad))
        except smtplib.SMTPRecipientsRefused as e:  # smtplib has sent RSET
            self.count(refused=len(e.recipients))

    def app(self, source, helo, rate, kind):
        """One application host: each message its own session (the newsletter sender keeps a session for a batch)."""
        rng = random.Random(self.rng.random())
        conn, batch = None, 0
        for _ in poisson(rate, self.stop, rng):
            try:
                if conn is None:
                    conn = connect(source, helo)
                    batch = rng.randint(4, 15)
                sender, rcpts, m = self.compose(rng, kind)
                self.send(conn, m, sender, rcpts)
                batch -= 1
                if kind != "newsletter" or batch <= 0:
                    conn.quit()
                    conn = None
            except (OSError, smtplib.SMTPException):
                self.count(failed=1)
                if conn:
                    conn.close()
                conn = None
                time.sleep(1)
        if conn:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                pass

    def compose(self, rng, kind):
        to = customer(rng)
        if kind == "order":
            n = rng.randint(100000, 999999)
            sender = "orders@" + DOMAIN
            m = message(rng, "Shop Example <orders@%s>" % DOMAIN, to, "Your order #%d is confirmed" % n,
                        filler(rng, rng.randint(8, 40)))
            rcpts = [to] + (["orders-archive@" + DOMAIN] if rng.random() < 0.3 else [])
        elif kind == "reset":
            sender = "noreply@" + DOMAIN
            m = message(rng, "Shop Example <noreply@%s>" % DOMAIN, to, "Reset your password",
                        "Use this link within 30 minutes: https://shop.example/reset/%016x\n" % rng.getrandbits(64))
            rcpts = [to]
        elif kind == "newsletter":
            sender = "newsletter@" + DOMAIN
            m = message(rng, "Shop Example News <newsletter@%s>" % DOMAIN, to, "This week's offers",
                        filler(rng, rng.randint(60, 200)),
                        {"Precedence": "bulk", "List-Unsubscribe": "<https://shop.example/unsubscribe>"})
            rcpts = [to]
        else:  # erp
            sender = "noreply@" + DOMAIN
            if rng.random() < 0.6:
                m = message(rng, "Shop Example <noreply@%s>" % DOMAIN, to, "Your parcel is on its way",
                            filler(rng, rng.randint(5, 15)))
                rcpts = [to]
            else:
                m = message(rng, "Shop Example Billing <billing@%s>" % DOMAIN, to,
                            "Invoice INV-%d" % rng.randint(10000, 99999), filler(rng, rng.randint(20, 80)))
                rcpts = [to] + (["billing@" + DOMAIN] if rng.random() < 0.4 else [])
        return sender, rcpts, m

    def inbound(self, rate):
        """Outside mail servers delivering to the shop's staff and role addresses; a mistyped one now and then."""
        rng = random.Random(self.rng.random())
        peers = [("127.0.0.40", "mail.supplier-one.example"), ("127.0.0.41", "mx.parcel-service.example"),
                 ("127.0.0.42", "smtp.mail.example"), ("127.0.0.43", "out.marketplace.example"),
                 ("127.0.0.44", "mail.bank.example")]
        for _ in poisson(rate, self.stop, rng):
            source, helo = rng.choice(peers)
            domain = helo.split(".", 1)[1]
            sender = "%s.%s@%s" % (rng.choice(FIRST), rng.choice(LAST), domain)
            local = rng.choice(TYPOS) if rng.random() < 0.06 else rng.choice(STAFF + ROLES[:7])
            to = "%s@%s" % (local, DOMAIN)
            try:
                conn = connect(source, helo)
                m = message(rng, sender, to, rng.choice(["Re: delivery schedule", "Question about my order",
                                                         "Invoice attached", "Return request", "Meeting",
                                                         "Your statement", "Application"]),
                            filler(rng, rng.randint(5, 60)))
                self.send(conn, m, sender, [to])
                conn.quit()
            except (OSError, smtplib.SMTPException):
                self.count(failed=1)

    def noise(self):
        """The monitoring check (connect, QUIT) every 30 s; a dropped connection or a stray relay attempt rarely."""
        rng = random.Random(self.rng.random())
        next_check = now() + rng.uniform(5, 30)
        next_drop = now() + rng.expovariate(1 / 100.0)
        next_stray = now() + rng.uniform(60, 200)
        while not self.stop.is_set():
            try:
                if now() >= next_check:
                    next_check += rng.uniform(28, 32)
                    connect("127.0.0.30", "monitor.shop.example").quit()
                if now() >= next_drop:
                    next_drop = now() + rng.expovariate(1 / 100.0)
                    s = socket.create_connection(("127.0.0.1", PORT), timeout=5,
                                                 source_address=("127.0.0.%d" % rng.randint(50, 58), 0))
                    s.close()
                if now() >= next_stray:
                    next_stray = now() + rng.uniform(120, 240)
                    c = connect("127.0.0.45", "laptop-%d" % rng.randint(10, 99))
                    c.ehlo()
                    c.mail("%s@%s" % (rng.choice(FIRST), rng.choice(MAILBOXES)))
                    c.rcpt(customer(rng))
                    c.quit()
            except (OSError, smtplib.SMTPException):
                pass
            time.sleep(0.2)

    def run(self):
        apps = [("127.0.0.5", "web1.shop.example", 1.0, "order"), ("127.0.0.6", "web2.shop.example", 0.9, "order"),
                ("127.0.0.7", "accounts.shop.example", 0.5, "reset"),
                ("127.0.0.8", "news.shop.example", 0.8, "newsletter"), ("127.0.0.9", "erp.shop.example", 0.5, "erp")]
        ts = [threading.Thread(target=self.app, args=a, daemon=True) for a in apps]
        ts.append(threading.Thread(target=self.inbound, args=(0.35,), daemon=True))
        ts.append(threading.Thread(target=self.noise, daemon=True))
        for t in ts:
            t.start()
        return ts


# --- incidents ---

def relay_probe(seconds, client="127.0.0.66", attempts=100):
    """An outside host testing whether the server relays: a few RCPTs to outside domains a session."""
    rng = random.Random(66)
    targets = ["%s@%s" % (u, d) for u in ("test", "relaytest", "check", "info", "admin", "mail", "sales", "postmaster")
               for d in ("relay-check.example", "spamtarget.example", "mailtest.example", "yahoo.example",
                         "gmail.example", "hotmail.example")]
    senders = ["", "test@relay-check.example", "postmaster@" + DOMAIN, "info@" + DOMAIN, "spam@mailtest.example"]
    start, done, refused = now(), 0, 0
    while done < attempts:
        try:
            c = connect(client, rng.choice(["WIN-3KQ7L2P9", "relaytest", "[127.0.0.66]", "user-pc"]))
            c.helo()
            c.mail(rng.choice(senders))
            for _ in range(min(attempts - done, rng.randint(1, 4))):
                sleep_until(start + done * seconds / attempts)
                code, _ = c.rcpt(rng.choice(targets))
                done += 1
                refused += code >= 500
            c.quit()
        except (OSError, smtplib.SMTPException):
            done += 1
    return start, refused


def harvest(seconds, client="127.0.0.77", attempts=150):
    """A directory harvest: made-up names at the shop's domain, ten RCPTs a session, no DATA."""
    rng = random.Random(77)
    guesses = []
    while len(guesses) < attempts:
        f, l = rng.choice(FIRST + ["michael", "thomas", "andrea", "stefan", "julia", "peter"]), rng.choice(LAST)
        g = rng.choice([f, "%s.%s" % (f, l), "%s%s" % (f[0], l), "%s_%s" % (f, l), "%s%s" % (f, l[0]),
                        rng.choice(["admin", "office", "hr", "marketing", "finance", "it", "test", "service",
                                    "mail", "team", "info", "sales", "help", "shop", "kontakt", "buchhaltung"])])
        if g not in guesses:
            guesses.append(g)
    start, refused = now(), 0
    for i in range(0, attempts, 10):
        try:
            c = connect(client, "mail.promo-lists.example")
            c.ehlo()
            c.mail("verify@promo-lists.example")
            for j, g in enumerate(guesses[i:i + 10]):
                sleep_until(start + (i + j) * seconds / attempts)
                code, _ = c.rcpt("%s@%s" % (g, DOMAIN))
                refused += code >= 500
            c.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return start, refused


def main():
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="logwarden-postfix-", dir="/tmp")
    postfix = Postfix(work)
    sink = Sink(SINK)
    version = postfix.version()
    labels = Labels()
    labels.note("made by bench/real-logs/postfix.py: real Postfix %s on 127.0.0.1:%d (maillog_file via postlogd), "
                "next hop 127.0.0.1:%d, application senders on 127.0.0.5-9, wall-clock times" % (version, PORT, SINK))
    hop = "127.0.0.1[127.0.0.1]:%d|127.0.0.1:%d" % (SINK, SINK)
    traffic = None
    try:
        sink.start()
        postfix.start()
        traffic = Traffic(2026)
        threads = traffic.run()
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. the next hop stops: every delivery is deferred, and the queue is flushed when it returns
        start = now()
        sink.stop()
        peak = 0
        while now() < start + 40 * SCALE:
            peak = max(peak, postfix.queued("deferred"))
            time.sleep(0.5)
        sink.start()
        back = now()
        while now() < back + max(40.0, 60 * SCALE):
            n = postfix.queued("deferred")
            peak = max(peak, n)
            if n == 0:
                break
            time.sleep(0.5)
        end = now()
        left = postfix.queued("deferred")
        labels.add("relay-down", start, end + 1, "upstream-outage", hop,
                   "the next hop 127.0.0.1:%d (mail store and smarthost) stopped for %d s: every delivery fails "
                   "(connect to 127.0.0.1[127.0.0.1]:%d: Connection refused, status=deferred, delivery temporarily "
                   "suspended), up to %d messages in the deferred queue, delivered %d s after it is back"
                   % (SINK, round(back - start), SINK, peak, round(end - back)))
        sleep_until(end + 55 * SCALE)

        # 2. an outside host probes for an open relay
        start, refused2 = relay_probe(35 * SCALE)
        end = now()
        labels.add("relay-probe", start, end + 1, "relay-probe", "127.0.0.66",
                   "an outside client on 127.0.0.66 tries to relay to outside domains 100 times in 35 s: %d refused "
                   "(NOQUEUE: reject: RCPT ... 554 5.7.1 Relay access denied)" % refused2)
        sleep_until(end + 55 * SCALE)

        # 3. a directory harvest at the shop's domain
        start, refused3 = harvest(35 * SCALE)
        end = now()
        labels.add("harvest", start, end + 1, "directory-harvest", "127.0.0.77",
                   "127.0.0.77 tries 150 made-up addresses at shop.example in 35 s, ten a session: %d rejected "
                   "(NOQUEUE: reject: RCPT ... 550 5.1.1 ... User unknown in relay recipient table)" % refused3)
        sleep_until(end + 58 * SCALE)

        traffic.stop.set()
        for t in threads:
            t.join(30)
        time.sleep(3)  # the last messages delivered
        print("postfix-f: %d messages accepted, %d recipients refused, %d sessions failed, %d received by the next "
              "hop, %d deferred at most (%d left after the outage), %d relay attempts and %d harvest RCPTs refused"
              % (traffic.sent, traffic.refused, traffic.failed, sink.received, peak, left, refused2, refused3),
              file=sys.stderr)
    finally:
        if traffic:
            traffic.stop.set()
        postfix.stop()
        sink.stop()
    shutil.copy(postfix.log, os.path.join(OUT, "postfix-f.log"))
    labels.write(os.path.join(OUT, "postfix-f.labels.tsv"))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
