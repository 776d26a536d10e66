#!/usr/bin/env python3
"""Runs a real Exim (Debian exim4-daemon-light 4.96) as a company's mail gateway on 127.0.0.1 (gw.corp.example: the MX
of corp.example and the outbound relay of its LAN), in front of SMTP servers this driver runs itself (the internal
mailbox server, the partners' mail host, a big freemail provider that greylists, the ISP's smarthost), drives the
company's mail through it, injects labelled incidents and keeps Exim's logs exactly as Exim wrote them: the mainlog
('2026-12-03 10:00:00 1vABCD-000123-AB <= alice@partner.example H=(mx.partner.example) [127.0.0.101]
I=[127.0.0.1]:20025 P=esmtps X=TLS1.3:... CV=no S=5321 id=<...> T="Subject"') and the rejectlog (every rejection,
with the headers of messages rejected after DATA).

Exim runs as `exim4 -C WORK/exim.conf -bdf -q30s` (as root, in the foreground; TZ=UTC; stopped with SIGTERM) with its
own configuration written by this script after Debian's exim4.conf.template (its ACL rules and messages, its
plain_server/login_server authenticators with crypt()ed passwords in a passwd file, its local_sender_blacklist and
local_host_blacklist), everything under a /tmp work dir: spool_directory, log_file_path WORK/log/%slog,
pid_file_path. DNS-free: host_lookup is unset (clients show as H=(helo) [ip]) and every destination is a manualroute
router with an explicit IP and port (no MX lookups). As on a gateway that does no local deliveries,
deliver_drop_privilege is set (which also keeps the daemon from re-executing itself for each delivery, so that the
-C option costs no "lost privilege" log lines). Log selectors an admin of a multi-port gateway turns on:
log_selector = +smtp_connection +incoming_interface -outgoing_interface +outgoing_port +subject +delivery_size (the
rest Exim's default). Retry rules: corp.example (the mailbox server) F,2h,1m, everything else F,2h,1m then Debian's
G,16h,1h,1.5; F,4d,6h (times and the queue-run interval multiplied by SCALE).

Ports (127.0.0.1): 20025 Exim's MX/relay port, 20024 Exim's submission port (STARTTLS, AUTH only over TLS),
20026 the mailbox server mbx01.corp.example (all corp.example mailboxes), 20027 the partners' mail host
(partner.example, supplier.example, lawfirm.example delivered directly), 20028 bigmail.example's MX (postgrey-style
greylisting), 20029 the ISP's smarthost smtp-relay.isp.example (every other domain; rejects dead addresses, and rate
limits a sender that sends too much, as the big providers do).

usage: bench/real-logs/exim.py OUTDIR
  writes OUTDIR/exim-j.log (the mainlog), OUTDIR/exim-j.reject.log (the rejectlog) and their labels,
  OUTDIR/exim-j.labels.tsv and OUTDIR/exim-j.reject.labels.tsv
  SCALE=0.1 multiplies every duration (a short run for testing)
Needs (Debian): exim4-daemon-light (4.96), openssl (the gateway's self-signed certificate and the password hashes).
Standard library only (smtplib, each client binding its own 127.0.0.X).

Normal traffic (about 1.2 SMTP sessions/s, Poisson):
  inbound from the internet, ~0.45 messages/s: partners' and customers' mail servers on 127.0.0.101-119 and
  127.0.0.150-169 (fixed HELO names, about half with STARTTLS), a newsletter service and a CRM notification
  service, 1-3 recipients at corp.example, about 1 in 30 a mistyped or departed user (rejected RCPT: Unknown user),
  a quarter with an attachment (60 KB - 1.5 MB); one user's mailbox is full (the mailbox server answers 552, so
  Exim bounces the message to its sender; when she is the sender, the bounce cannot be delivered either and is
  frozen: Frozen (delivery error message), then 'Message is frozen' at every queue run);
  outbound and internal from the LAN (workstations ws20-ws40.corp.example on 127.0.0.20-40 minus the monitoring
  host, the ERP on .21 and the CRM on .22), ~0.35 messages/s: a fifth to colleagues, the rest to partners
  (direct), bigmail.example (the first message to a new address is greylisted: 451 4.7.1 ..., delivered by a
  later queue run) and other domains through the smarthost, now and then to an address that no longer exists
  (bounced); roaming users on 127.0.0.120-139 submitting on port 20024 with STARTTLS and AUTH (~0.07/s), about
  one in ten mistyping the password first (plain_server authenticator failed ... 535 Incorrect authentication
  data);
  internet noise from 127.0.0.170-199 (~0.07 sessions/s): senders in the local sender blacklist, hosts in the local
  host blacklist (127.0.0.190-199), spam subjects rejected after DATA, bots with an invalid HELO
  (rejected EHLO ... syntactically invalid argument(s)), bots that talk before the greeting and go away (Exim
  4.96 advertises PIPECONNECT to all, so no synchronization error: just '... lost D=0s'), guesses at user names,
  clients that drop the connection (unexpected disconnection while reading SMTP command);
  the monitoring host 127.0.0.30 checking SMTP every 60 s; a cron job on the gateway mailing a queue report to
  postmaster every 3 minutes (P=local); Exim's queue runner every 30 s (Start/End queue run).
Incidents (about 9.5 minutes in all: 90 s of normal traffic, each incident followed by at least 55 s of it):
  mailstore-down    the mailbox server 127.0.0.1:20026 goes down for 60 s: every delivery to corp.example defers;
                    the first attempt fails (== ... R=mailstore T=mailstore_smtp defer (111): Connection refused, or
                    defer (-18) ... Remote host closed connection in response to initial connection when it meets
                    the server going down), after which Exim leaves the host alone until its retry time (1 min):
                    == ... defer (-54): retry time not reached for any host for 'corp.example' for each arrival and
                    at each queue run; the queue grows until the retries deliver the backlog after it is back
  compromised-account  the password of m.keller (sales) was phished: a spam bot on 127.0.0.177 authenticates as
                    m.keller on the submission port and sends phishing mail (5-10 recipients each, 2 connections,
                    15 messages a connection, the 11th on not delivered at once: no immediate delivery: more than 10
                    messages received in one connection); the smarthost bounces dead addresses (back to m.keller)
                    and soon rate limits the whole gateway (421 4.7.28 ... unusual rate of unsolicited mail), so
                    all outbound mail through it defers; after ~45 s the admin locks the account (the bot's next
                    logins fail: 535 ... set_id=m.keller) and removes the spam from the queue (exim -Mrm: removed
                    by root); the legitimate outbound mail goes once the smarthost lifts the limit
  size-limit-typo   the admin lowers message_size_limit to match the smarthost's limit, types 50K instead of 50M and
                    HUPs Exim (SIGHUP received: re-exec daemon, daemon started): for 70 s every message over 50 KB
                    (attachments) is refused (rejected MAIL FROM:<...> ... message too big: size=N max=51200, or
                    after DATA: message too big: read=N max=51200); some sending MTAs that honour the advertised
                    SIZE just disconnect; the admin fixes it and HUPs again, users resend
"""
import base64
import calendar
import collections
import email.utils
import os
import random
import re
import shutil
import signal
import smtplib
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
import time

from arrivals import poisson
from drivers import begin, now, sleep_until, wait_listening, stop_process, descendants, kill_leftovers, SessionPool, keep_log
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "exim-j"
EXIM = "/usr/sbin/exim4"
MX_PORT, SUB_PORT = 20025, 20024
MAILSTORE_PORT, PARTNER_PORT, BIGMAIL_PORT, SMARTHOST_PORT = 20026, 20027, 20028, 20029
SERVER_PORTS = (MX_PORT, SUB_PORT)


def sc(seconds, least=0.0):
    return max(least, seconds * SCALE)


QUEUE_INTERVAL = max(3, int(round(30 * SCALE)))
RETRY = max(5, int(round(60 * SCALE)))
GREYLIST_DELAY = max(4, int(round(45 * SCALE)))

DOMAIN = "corp.example"
STAFF = ["anna.schmidt", "bernd.keller", "carla.weiss", "daniel.roth", "eva.lang", "florian.huber", "greta.wolf",
         "hanna.weber", "ines.vogel", "jan.becker", "karin.fuchs", "lars.meyer", "m.keller", "nina.koch",
         "oliver.braun", "paula.richter", "quirin.bauer", "rita.hofmann", "stefan.krause", "tanja.schulz",
         "uwe.zimmer", "vera.hartmann", "walter.klein", "yvonne.lorenz"]
ROLES = ["sales", "support", "billing", "jobs", "info", "it-ops", "purchasing", "accounting"]
ALIASES = {"postmaster": "it-ops@corp.example", "abuse": "it-ops@corp.example", "hostmaster": "it-ops@corp.example",
           "webmaster": "jan.becker@corp.example", "office": "info@corp.example"}
FULL_BOX = "hanna.weber"          # over quota on the mailbox server
COMPROMISED = "m.keller"
TYPOS = ["anna.schmid", "bernd.keler", "carla.weis", "d.roth", "eva.long", "sales-team", "suport", "invoices",
         "greta.wolff", "jobs-hr", "k.fuchs", "martin.keller", "helpdesk", "contact", "lars.maier", "accounts"]

# the internet's mail servers: ip -> (helo, their domain, sends TLS, honours our SIZE like Postfix does)
EXTERNAL = {
    "127.0.0.101": ("mx.partner.example", "partner.example", True, True),
    "127.0.0.102": ("mail.supplier.example", "supplier.example", True, False),
    "127.0.0.103": ("smtp.lawfirm.example", "lawfirm.example", True, True),
    "127.0.0.104": ("out1.bigmail.example", "bigmail.example", True, True),
    "127.0.0.105": ("out2.bigmail.example", "bigmail.example", True, True),
    "127.0.0.106": ("out3.bigmail.example", "bigmail.example", True, True),
    "127.0.0.107": ("mail-eu1.freemail.example", "freemail.example", True, True),
    "127.0.0.108": ("mail-eu2.freemail.example", "freemail.example", True, True),
    "127.0.0.110": ("mta3.newsletter-service.example", "news.shopping.example", False, True),
    "127.0.0.111": ("bounce.crm-cloud.example", "crm-cloud.example", True, True),
    "127.0.0.112": ("mail.bank.example", "bank.example", True, False),
    "127.0.0.113": ("smtp.logistics.example", "logistics.example", False, False),
    "127.0.0.114": ("EXCH01.customer-a.example", "customer-a.example", False, False),
    "127.0.0.115": ("mail.customer-b.example", "customer-b.example", True, True),
    "127.0.0.116": ("mx1.tax-advisor.example", "tax-advisor.example", False, False),
    "127.0.0.117": ("relay.university.example", "university.example", True, True),
    "127.0.0.118": ("smtp.insurance.example", "insurance.example", True, False),
    "127.0.0.119": ("mail.cityhall.example", "cityhall.example", False, False),
}
for _i in range(150, 170):
    EXTERNAL["127.0.0.%d" % _i] = ("mail.smallbiz%d.example" % (_i - 149), "smallbiz%d.example" % (_i - 149),
                                   _i % 3 != 0, _i % 2 == 0)
FIRST = ["alex", "maria", "john", "emma", "noah", "olivia", "liam", "sofia", "lucas", "mila", "leon", "hannah", "ben",
         "laura", "jonas", "clara", "elias", "lea", "paul", "marie", "finn", "ella", "max", "ida", "karl", "greta",
         "ivan", "yuki", "chen", "fatima", "ali", "rosa", "pablo", "ines", "tariq", "nora"]
LAST = ["smith", "mueller", "garcia", "rossi", "kim", "nguyen", "novak", "jansen", "silva", "kowalski", "dubois",
        "schmidt", "brown", "lopez", "ivanova", "haas", "berg", "costa", "sato", "wang", "olsen", "moreau"]
PARTNER_DOMAINS = ["partner.example", "supplier.example", "lawfirm.example"]
BIGMAIL = "bigmail.example"
OTHER_DOMAINS = ["freemail.example", "customer-a.example", "customer-b.example", "logistics.example",
                 "tax-advisor.example", "insurance.example", "university.example", "cityhall.example",
                 "mailbox.example", "webmail.example", "gmx.example", "t-online.example"]
LAN = [i for i in range(20, 41) if i != 30]
MONITOR = "127.0.0.30"
ERP, CRM = "127.0.0.21", "127.0.0.22"
ROAMING = ["127.0.0.%d" % i for i in range(120, 140)]
BOTS = ["127.0.0.%d" % i for i in range(170, 190) if i != 177]
BLACKLISTED_HOSTS = ["127.0.0.%d" % i for i in range(190, 200)]
ATTACKER = "127.0.0.177"
SPAM_SENDER_DOMAINS = ["cheap-meds.example", "crypto-profit.example", "seo-rank-fast.example", "bulk-leads.example"]
SMALL_SUBJECTS = ["Re: offer {n}", "Meeting next week", "Invoice {n}", "Order confirmation {n}", "Re: delivery date",
                  "Question about order {n}", "Re: Re: project status", "Your quote request {n}", "Contract draft",
                  "Fwd: price list 2027", "Re: appointment", "Shipping notice {n}", "Lunch?", "Re: support ticket {n}",
                  "Minutes of today's call", "Travel expenses", "Re: test results", "Reminder: payment due {n}"]
ATTACH_SUBJECTS = ["Signed contract {n}", "Drawings rev. {n}", "Photos from the site visit", "Catalogue 2027",
                   "Scan {n}", "Quarterly report Q{q}", "Presentation for Monday", "Invoice {n} (PDF)"]
SPAM_SUBJECTS = ["Cheap viagra online", "Casino bonus 500% for you", "You are a lottery winner!!!",
                 "Bitcoin doubler - guaranteed profit"]
PHISH_SUBJECTS = ["Invoice #{n} overdue - payment required", "Outstanding payment {n} - final notice",
                  "Document shared with you: Payment_{n}.pdf", "Re: unpaid invoice {n}"]
ERRORS = (OSError, smtplib.SMTPException, ssl.SSLError, ValueError, EOFError)
TLS_CTX = ssl.create_default_context()
TLS_CTX.check_hostname = False
TLS_CTX.verify_mode = ssl.CERT_NONE


def password(user):
    r = random.Random("pw:" + user)
    return "%s%d%s" % (user.split(".")[-1].capitalize(), r.randint(1000, 9999), r.choice("!#%&*+?"))


def crypt_sha512(pw, salt):
    r = subprocess.run(["openssl", "passwd", "-6", "-salt", salt, pw], capture_output=True, text=True, check=True)
    return r.stdout.strip()


# --- the destinations: small SMTP servers ---

class SinkHandler(socketserver.StreamRequestHandler):
    timeout = 60

    def handle(self):
        sink = self.server.sink
        out = self.wfile

        def say(text):
            out.write(text.encode() + b"\r\n")
            out.flush()

        say("220 %s" % sink.banner)
        mail_from, rcpts = None, []
        while True:
            line = self.rfile.readline(65536)
            if not line:
                return
            cmd = line.decode("latin-1").strip()
            up = cmd.upper()
            if up.startswith("EHLO"):
                say("250-%s\r\n250-PIPELINING\r\n250-SIZE %d\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES"
                    % (sink.name, sink.size_limit))
            elif up.startswith("HELO"):
                say("250 %s" % sink.name)
            elif up.startswith("MAIL"):
                reply = sink.mail(cmd)
                if reply:
                    say(reply)
                    if reply.startswith("421"):
                        return
                    continue
                mail_from, rcpts = cmd[10:].split(">")[0].lstrip("<"), []
                say("250 2.1.0 Ok")
            elif up.startswith("RCPT"):
                addr = cmd[8:].split(">")[0].lstrip("<").lower()
                reply = sink.rcpt(mail_from, addr)
                if reply:
                    say(reply)
                else:
                    rcpts.append(addr)
                    say("250 2.1.5 Ok")
            elif up == "DATA":
                if not rcpts:
                    say("554 5.5.1 Error: no valid recipients")
                    continue
                say("354 End data with <CR><LF>.<CR><LF>")
                size = 0
                while True:
                    d = self.rfile.readline(1 << 20)
                    if not d:
                        return
                    if d in (b".\r\n", b".\n"):
                        break
                    size += len(d)
                sink.delivered(mail_from, rcpts, size)
                say("250 2.0.0 Ok: queued as %s" % sink.queue_id())
            elif up == "RSET":
                mail_from, rcpts = None, []
                say("250 2.0.0 Ok")
            elif up == "NOOP":
                say("250 2.0.0 Ok")
            elif up == "QUIT":
                say("221 2.0.0 Bye")
                return
            else:
                say("502 5.5.2 Error: command not recognized")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class Sink:
    """One destination SMTP server (Postfix-like replies); subclasses decide MAIL and RCPT."""

    def __init__(self, port, name, banner):
        self.port, self.name, self.banner = port, name, banner
        self.size_limit = 52428800
        self.lock = threading.Lock()
        self.rng = random.Random(port)
        self.server = None
        self.thread = None
        self.messages = 0
        self.recipients = 0

    def start(self):
        self.server = Server(("127.0.0.1", self.port), SinkHandler)
        self.server.sink = self
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        self.thread.start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def queue_id(self):
        with self.lock:
            return "4" + "".join(self.rng.choice("BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789")
                                 for _ in range(13))

    def mail(self, cmd):
        return None

    def rcpt(self, sender, addr):
        return None

    def delivered(self, sender, rcpts, size):
        with self.lock:
            self.messages += 1
            self.recipients += len(rcpts)


class Mailstore(Sink):
    def __init__(self):
        super().__init__(MAILSTORE_PORT, "mbx01.corp.example", "mbx01.corp.example ESMTP Postfix")
        self.boxes = set(STAFF + ROLES)

    def rcpt(self, sender, addr):
        local, _, dom = addr.partition("@")
        if local == FULL_BOX:
            return "552 5.2.2 <%s>: Mailbox full: user is over quota" % addr
        if dom != DOMAIN or local not in self.boxes:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown in local recipient table" % addr
        return None


class Partners(Sink):
    DEAD = {"t.hoffmann@partner.example", "archive@supplier.example", "r.klein@lawfirm.example"}

    def __init__(self):
        super().__init__(PARTNER_PORT, "mx.hostco.example", "mx.hostco.example ESMTP Postfix (Debian/GNU)")

    def rcpt(self, sender, addr):
        if addr in self.DEAD:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table" % addr
        return None


class Bigmail(Sink):
    """bigmail.example's MX with postgrey: an unknown (sender, recipient) pair is told to come back later."""

    def __init__(self):
        super().__init__(BIGMAIL_PORT, "mx1.bigmail.example", "mx1.bigmail.example ESMTP")
        self.seen = {}
        self.greylisted = 0

    def rcpt(self, sender, addr):
        key = (sender or "", addr)
        with self.lock:
            first = self.seen.setdefault(key, now())
            if now() - first < GREYLIST_DELAY:
                self.greylisted += 1
                return ("451 4.7.1 <%s>: Recipient address rejected: Greylisted, see "
                        "http://postgrey.schweikert.ch/help/bigmail.example.html" % addr)
        return None

    def known(self, sender, addr):
        with self.lock:
            self.seen[(sender, addr)] = now() - 86400


class Smarthost(Sink):
    """The ISP's relay: refuses dead addresses; a gateway that sends too many recipients in a minute is rate limited
    for a while (421 to MAIL, and the connection closed)."""

    def __init__(self):
        super().__init__(SMARTHOST_PORT, "smtp-relay.isp.example", "smtp-relay.isp.example ESMTP service ready")
        self.dead = set()
        self.recent = collections.deque()
        self.window = sc(60, 6)
        self.threshold = max(25, int(80 * SCALE))
        self.throttled_until = 0.0
        self.throttle_first = None
        self.throttle_last = None
        self.refused = 0

    def mail(self, cmd):
        with self.lock:
            if now() < self.throttled_until:
                self.refused += 1
                self.throttle_last = now()
                return ("421 4.7.28 [127.0.0.1] Our system has detected an unusual rate of unsolicited mail "
                        "originating from your IP address. To protect our users from spam, mail sent from your IP "
                        "address has been temporarily rate limited.")
        return None

    def rcpt(self, sender, addr):
        if addr in self.dead:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % addr
        with self.lock:
            t = now()
            self.recent.append(t)
            while self.recent and self.recent[0] < t - self.window:
                self.recent.popleft()
            if len(self.recent) > self.threshold and t >= self.throttled_until:
                self.throttled_until = t + sc(70, 8)
                self.throttle_first = self.throttle_first or t
                self.recent.clear()
        return None


# --- the server ---

CONFIG = r"""######################################################################
# gw.corp.example - Exim 4 mail gateway (MX for corp.example, relay for the LAN)
# based on Debian's exim4.conf.template; no local deliveries on this host
######################################################################
keep_environment =
primary_hostname = gw.corp.example
domainlist local_domains = corp.example
domainlist relay_to_domains =
hostlist relay_from_hosts = <; 127.0.0.1 ; 127.0.0.16/28 ; 127.0.0.32/28

daemon_smtp_ports = {mx_port} : {sub_port}
local_interfaces = <; 127.0.0.1
spool_directory = {work}/spool
log_file_path = {work}/log/%slog
pid_file_path = {work}/exim.pid
timezone = UTC
log_selector = +smtp_connection +incoming_interface -outgoing_interface +outgoing_port +subject +delivery_size

# no DNS here: no reverse lookups, every destination is routed by IP
host_lookup =
rfc1413_hosts =
rfc1413_query_timeout = 0s

deliver_drop_privilege = true
never_users = root
message_size_limit = {size_limit}
ignore_bounce_errors_after = 2d
timeout_frozen_after = 7d
freeze_tell = postmaster@corp.example

acl_smtp_rcpt = acl_check_rcpt
acl_smtp_data = acl_check_data

tls_advertise_hosts = *
tls_certificate = {work}/exim.crt
tls_privatekey = {work}/exim.key

begin acl

acl_check_rcpt:
  accept
    hosts = :
    control = dkim_disable_verify

  deny
    domains = +local_domains
    local_parts = ^[.] : ^.*[@%!/|`#&?]
    message = restricted characters in address

  deny
    domains = !+local_domains
    local_parts = ^[./|] : ^.*[@%!`#&?] : ^.*/\\.\\./
    message = restricted characters in address

  accept
    local_parts = postmaster
    domains = +local_domains : +relay_to_domains

  deny    condition     = ${{if and {{\
                        {{>{{$rcpt_count}}{{10}}}}\
                        {{<{{$recipients_count}}{{${{eval:$rcpt_count/2}}}}}} }}}}
          message       = Rejected for too many bad recipients
          logwrite      = REJECT [$sender_host_address]: bad recipient count high [${{eval:$rcpt_count-$recipients_count}}]

  accept
    hosts = +relay_from_hosts
    control = submission/sender_retain
    control = dkim_disable_verify

  accept
    authenticated = *
    control = submission/sender_retain
    control = dkim_disable_verify

  require
    message = relay not permitted
    domains = +local_domains : +relay_to_domains

  require
    verify = recipient

  deny
    senders = {work}/local_sender_blacklist
    message = sender envelope address $sender_address is locally blacklisted here. If you think this is wrong, get in touch with postmaster
    log_message = sender envelope address is locally blacklisted.

  deny
    hosts = {work}/local_host_blacklist
    message = sender IP address $sender_host_address is locally blacklisted here. If you think this is wrong, get in touch with postmaster
    log_message = sender IP address is locally blacklisted.

  accept

acl_check_data:
  deny
    !hosts = +relay_from_hosts
    !authenticated = *
    condition = ${{if match{{$h_Subject:}}{{\N(?i)viagra|casino bonus|lottery winner|bitcoin doubler\N}}}}
    message = Message content rejected as spam by local policy
    log_message = spam subject: $h_Subject:

  accept

begin routers

system_aliases:
  driver = redirect
  domains = +local_domains
  allow_fail
  allow_defer
  data = ${{lookup{{$local_part}}lsearch{{{work}/aliases}}}}

mailstore:
  driver = manualroute
  domains = +local_domains
  local_parts = lsearch;{work}/mailboxes
  transport = mailstore_smtp
  route_list = * "127.0.0.1::{mailstore_port}"
  self = send

unknown_user:
  driver = redirect
  domains = +local_domains
  allow_fail
  data = :fail: Unknown user

partners:
  driver = manualroute
  domains = partner.example : supplier.example : lawfirm.example
  transport = remote_smtp
  route_list = * "127.0.0.1::{partner_port}"
  self = send

bigmail:
  driver = manualroute
  domains = bigmail.example
  transport = remote_smtp
  route_list = * "127.0.0.1::{bigmail_port}"
  self = send

smarthost:
  driver = manualroute
  domains = ! +local_domains
  transport = remote_smtp_smarthost
  route_list = * "127.0.0.1::{smarthost_port}"
  self = send

begin transports

mailstore_smtp:
  driver = smtp
  allow_localhost
  hosts_avoid_tls = *

remote_smtp:
  driver = smtp
  allow_localhost

remote_smtp_smarthost:
  driver = smtp
  allow_localhost

begin retry

corp.example                *   F,2h,{retry}s; F,4d,6h
*                           *   F,2h,{retry}s; G,16h,1h,1.5; F,4d,6h

begin rewrite

begin authenticators

plain_server:
  driver = plaintext
  public_name = PLAIN
  server_condition = "${{if crypteq{{$auth3}}{{${{extract{{1}}{{:}}{{${{lookup{{$auth2}}lsearch{{{work}/passwd}}{{$value}}{{*:*}}}}}}}}}}{{1}}{{0}}}}"
  server_set_id = $auth2
  server_prompts = :
  server_advertise_condition = ${{if eq{{$tls_in_cipher}}{{}}{{}}{{*}}}}

login_server:
  driver = plaintext
  public_name = LOGIN
  server_prompts = "Username:: : Password::"
  server_condition = "${{if crypteq{{$auth2}}{{${{extract{{1}}{{:}}{{${{lookup{{$auth1}}lsearch{{{work}/passwd}}{{$value}}{{*:*}}}}}}}}}}{{1}}{{0}}}}"
  server_set_id = $auth1
  server_advertise_condition = ${{if eq{{$tls_in_cipher}}{{}}{{}}{{*}}}}
"""


class Exim:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "exim.conf")
        self.mainlog = os.path.join(work, "log", "mainlog")
        self.rejectlog = os.path.join(work, "log", "rejectlog")
        self.paniclog = os.path.join(work, "log", "paniclog")
        self.passwd = os.path.join(work, "passwd")
        self.proc = None
        self.pids = []
        self.size_limit = "50M"

    @staticmethod
    def version():
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "exim4-daemon-light"], capture_output=True,
                           text=True)
        return r.stdout.strip() or "4.96"

    def write_config(self):
        text = CONFIG.format(work=self.work, mx_port=MX_PORT, sub_port=SUB_PORT, mailstore_port=MAILSTORE_PORT,
                             partner_port=PARTNER_PORT, bigmail_port=BIGMAIL_PORT, smarthost_port=SMARTHOST_PORT,
                             retry=RETRY, size_limit=self.size_limit)
        tmp = self.conf + ".new"
        with open(tmp, "w") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, self.conf)

    def setup(self):
        import grp
        import pwd
        uid, gid = pwd.getpwnam("Debian-exim").pw_uid, grp.getgrnam("Debian-exim").gr_gid
        os.chmod(self.work, 0o755)
        for d in ("spool", "log"):
            p = os.path.join(self.work, d)
            os.makedirs(p)
            os.chown(p, uid, gid)
            os.chmod(p, 0o750)

        def put(name, text, mode=0o644, group=False):
            p = os.path.join(self.work, name)
            with open(p, "w") as f:
                f.write(text)
            os.chmod(p, mode)
            if group:
                os.chown(p, 0, gid)

        put("mailboxes", "".join("%s\n" % u for u in STAFF + ROLES))
        put("aliases", "".join("%s: %s\n" % kv for kv in ALIASES.items()))
        users = STAFF
        lines = []
        for u in users:
            salt = "".join(random.Random("salt:" + u).choice("abcdefghijklmnopqrstuvwxyz0123456789./")
                           for _ in range(16))
            lines.append("%s:%s\n" % (u, crypt_sha512(password(u), salt)))
        put("passwd", "".join(lines), 0o640, True)
        put("local_sender_blacklist", "".join("*@%s\n" % d for d in SPAM_SENDER_DOMAINS))
        put("local_host_blacklist", "# addresses of repeat spammers\n127.0.0.190\n127.0.0.191\n127.0.0.192/29\n")
        key, crt = os.path.join(self.work, "exim.key"), os.path.join(self.work, "exim.crt")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
                        "-days", "365", "-subj", "/CN=gw.corp.example"], check=True, capture_output=True)
        os.chown(key, 0, gid)
        os.chmod(key, 0o640)
        self.write_config()
        r = subprocess.run([EXIM, "-C", self.conf, "-bV"], capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit("exim4 -bV: %s" % (r.stdout + r.stderr)[-2000:])

    def start(self):
        self.proc = subprocess.Popen([EXIM, "-C", self.conf, "-bdf", "-q%ds" % QUEUE_INTERVAL],
                                     env=dict(os.environ, TZ="UTC"), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.work, "exim.stderr"),
                                                                            "w"))
        wait_listening(self.proc, "exim4", SERVER_PORTS)

    def hup(self):
        self.proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        wait_listening(self.proc, "exim4", SERVER_PORTS)

    def admin(self, *args, data=None):
        return subprocess.run([EXIM, "-C", self.conf] + list(args), input=data, capture_output=True, text=True,
                              env=dict(os.environ, TZ="UTC"), timeout=60)

    def queue_count(self):
        r = self.admin("-bpc")
        try:
            return int(r.stdout.strip())
        except ValueError:
            return -1

    def queue(self):
        """[(id, sender)] of the messages in the queue (exim -bp)."""
        out = []
        for line in self.admin("-bp").stdout.splitlines():
            m = re.match(r"\s*\S+\s+\S+\s+(\S{16,23})\s+<(.*)>", line)
            if m:
                out.append((m.group(1), m.group(2)))
        return out

    def lock_account(self, user):
        with open(self.passwd) as f:
            lines = f.readlines()
        with open(self.passwd + ".new", "w") as f:
            for line in lines:
                f.write("%s:!%s" % (user, line.split(":", 1)[1]) if line.startswith(user + ":") else line)
        os.chmod(self.passwd + ".new", 0o640)
        st = os.stat(self.passwd)
        os.chown(self.passwd + ".new", st.st_uid, st.st_gid)
        os.replace(self.passwd + ".new", self.passwd)

    def stop(self):
        if self.proc is None:
            return
        self.pids = descendants(self.proc.pid)
        stop_process(self.proc)
        deadline = now() + 20
        while now() < deadline and any(os.path.exists("/proc/%d" % p) for p in self.pids):
            time.sleep(0.2)
        kill_leftovers(self.pids, b"exim4")


# --- messages and clients ---

def addr_of(first, last, dom):
    return "%s.%s@%s" % (first, last, dom)


def attachment(rng, kb):
    raw = rng.randbytes(kb * 1024)
    b = base64.b64encode(raw).decode()
    return "\r\n".join(b[i:i + 76] for i in range(0, len(b), 76))


def message(rng, sender, to, subject, attach_kb=0, from_header=None):
    mid = "<%s.%s@%s>" % (time.strftime("%Y%m%d%H%M%S", time.gmtime()), "%012x" % rng.getrandbits(48),
                          email.utils.parseaddr(from_header or sender)[1].split("@")[-1] or "bounce.example")
    hdr = ["From: %s" % (from_header or sender), "To: %s" % ", ".join(to[:3]), "Subject: %s" % subject,
           "Date: %s" % email.utils.formatdate(usegmt=True), "Message-ID: %s" % mid, "MIME-Version: 1.0"]
    text = "Hello,\r\n\r\n" + "\r\n".join(
        " ".join(rng.choice(["please", "find", "the", "attached", "order", "we", "will", "send", "next", "week",
                             "thanks", "for", "your", "reply", "regarding", "meeting", "invoice", "delivery",
                             "as", "discussed", "best", "regards"]) for _ in range(rng.randint(8, 14)))
        for _ in range(rng.randint(2, 25))) + "\r\n\r\nBest regards\r\n"
    if not attach_kb:
        hdr.append("Content-Type: text/plain; charset=utf-8")
        return "\r\n".join(hdr) + "\r\n\r\n" + text
    bnd = "----=_Part_%d" % rng.randint(10 ** 8, 10 ** 9)
    name = rng.choice(["scan", "contract", "drawing", "report", "photos", "invoice", "catalogue"])
    ext = rng.choice(["pdf", "pdf", "docx", "xlsx", "zip", "jpg"])
    hdr.append('Content-Type: multipart/mixed; boundary="%s"' % bnd)
    return ("\r\n".join(hdr) + "\r\n\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n--%s\r\n"
            "Content-Type: application/octet-stream; name=\"%s.%s\"\r\nContent-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment; filename=\"%s.%s\"\r\n\r\n%s\r\n--%s--\r\n"
            % (bnd, text, bnd, name, ext, name, ext, attachment(rng, attach_kb), bnd))


def connect(source, helo, port=MX_PORT, timeout=30):
    s = smtplib.SMTP(timeout=timeout, local_hostname=helo, source_address=(source, 0))
    s._host = "gw.corp.example"  # the name STARTTLS sends (SNI), as a client that connects by name would
    try:
        s.connect("127.0.0.1", port)
    except ERRORS:
        s.close()
        raise
    return s


def quit_(s):
    try:
        s.quit()
    except ERRORS:
        s.close()


def subject(rng, attach):
    pat = rng.choice(ATTACH_SUBJECTS if attach else SMALL_SUBJECTS)
    return pat.format(n=rng.randint(10000, 99999), q=rng.randint(1, 4))


class Traffic(SessionPool):
    def __init__(self, exim, sinks, seed):
        super().__init__(seed, 40, ERRORS)
        self.exim = exim
        self.sinks = sinks
        self.contacts = {}
        rng = self.rng
        for dom in PARTNER_DOMAINS + [BIGMAIL] + OTHER_DOMAINS:
            self.contacts[dom] = ["%s.%s@%s" % (rng.choice(FIRST), rng.choice(LAST), dom) for _ in range(6)]
        self.contacts["partner.example"].append("t.hoffmann@partner.example")
        self.contacts["supplier.example"].append("archive@supplier.example")
        dead = ["%s.%s@%s" % (rng.choice(FIRST), rng.choice(LAST), d) for d in ("freemail.example",
                                                                              "mailbox.example", "webmail.example")]
        for a in dead:
            self.contacts[a.split("@")[1]].append(a)
            sinks["smarthost"].dead.add(a)
        # some bigmail pairs are known to its greylist already
        for a in self.contacts[BIGMAIL][:4]:
            for u in STAFF:
                sinks["bigmail"].known("%s@%s" % (u, DOMAIN), a)
        self.size_refused = []      # (time, ip, size) of messages refused for their size
        self.resend = collections.deque()

    def pick_size(self, rng):
        if rng.random() < 0.25:
            return rng.choice([rng.randint(60, 300), rng.randint(60, 300), rng.randint(300, 1500)])
        return 0

    def note_size_refusal(self, e, ip, size_kb):
        if isinstance(e, smtplib.SMTPResponseException) and e.smtp_code == 552:
            with self.lock:
                self.size_refused.append((now(), ip, size_kb, "refused"))
            return True
        return False

    # inbound from the internet
    def inbound(self, rng):
        ip = rng.choice(list(EXTERNAL))
        helo, dom, tls, honours_size = EXTERNAL[ip]
        if dom == "news.shopping.example":
            sender = "bounce-%d@%s" % (rng.randint(10 ** 6, 10 ** 7), dom)
            from_h = "Shopping News <newsletter@shopping.example>"
            subj = rng.choice(["Weekend deals: up to 40% off", "Your personal offers", "New arrivals this week"])
        elif dom == "crm-cloud.example":
            sender = "notifications+%d@%s" % (rng.randint(1000, 9999), dom)
            from_h = "CRM Cloud <notifications@crm-cloud.example>"
            subj = rng.choice(["[CRM] Task due today", "[CRM] New lead assigned", "[CRM] Weekly pipeline summary"])
        else:
            sender = rng.choice(self.contacts.get(dom) or ["%s.%s@%s" % (rng.choice(FIRST), rng.choice(LAST), dom)])
            from_h, subj = None, None
        n = rng.choice([1, 1, 1, 1, 2, 2, 3])
        rcpts = []
        for _ in range(n):
            r = rng.random()
            if r < 0.035:
                rcpts.append("%s@%s" % (rng.choice(TYPOS), DOMAIN))
            elif r < 0.06:
                rcpts.append("%s@%s" % (FULL_BOX, DOMAIN))
            elif r < 0.2:
                rcpts.append("%s@%s" % (rng.choice(ROLES + ["postmaster", "office"]), DOMAIN))
            else:
                rcpts.append("%s@%s" % (rng.choice(STAFF), DOMAIN))
        rcpts = list(dict.fromkeys(rcpts))
        kb = 0 if from_h else self.pick_size(rng)
        body = message(rng, sender, rcpts, subj or subject(rng, kb), kb, from_h)
        s = connect(ip, helo)
        try:
            s.ehlo()
            if tls and s.has_extn("starttls"):
                s.starttls(context=TLS_CTX)
                s.ehlo()
            limit = int(s.esmtp_features.get("size", "0") or 0)
            if honours_size and limit and len(body) > limit:
                self.count("inbound: not sent, over the advertised SIZE")
                with self.lock:
                    self.size_refused.append((now(), ip, kb, "not sent"))
                quit_(s)
                return
            try:
                refused = s.sendmail(sender, rcpts, body)
                self.count("inbound: sent")
                if refused:
                    self.count("inbound: recipients refused", len(refused))
            except smtplib.SMTPRecipientsRefused:
                self.count("inbound: all recipients refused")
            except smtplib.SMTPResponseException as e:
                if self.note_size_refusal(e, ip, kb):
                    self.count("inbound: refused for size")
                else:
                    self.count("inbound: refused %d" % e.smtp_code)
            quit_(s)
        except ERRORS:
            s.close()
            raise

    # outbound and internal from the LAN
    def lan(self, rng, resend=None):
        if resend:
            ip, sender, rcpts, subj, kb = resend
            subj = "Re-sent: " + subj if not subj.startswith("Re-sent") else subj
        else:
            octet = rng.choice(LAN)
            ip = "127.0.0.%d" % octet
            if ip == ERP:
                sender = rng.choice(["erp@corp.example", "billing@corp.example"])
            elif ip == CRM:
                sender = "crm-noreply@corp.example"
            else:
                sender = "%s@%s" % (STAFF[octet % len(STAFF)], DOMAIN)
                if sender == "%s@%s" % (COMPROMISED, DOMAIN) and rng.random() < 0.5:
                    sender = "%s@%s" % (rng.choice(STAFF), DOMAIN)
            rcpts = []
            for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
                r = rng.random()
                if r < 0.2:
                    rcpts.append("%s@%s" % (rng.choice(STAFF + ROLES), DOMAIN))
                elif r < 0.4:
                    rcpts.append(rng.choice(self.contacts[rng.choice(PARTNER_DOMAINS)]))
                elif r < 0.6:
                    c = self.contacts[BIGMAIL]
                    if rng.random() < 0.3:
                        c.append("%s.%s%d@%s" % (rng.choice(FIRST), rng.choice(LAST), rng.randint(1, 99), BIGMAIL))
                    rcpts.append(rng.choice(c))
                else:
                    rcpts.append(rng.choice(self.contacts[rng.choice(OTHER_DOMAINS)]))
            rcpts = list(dict.fromkeys(rcpts))
            kb = self.pick_size(rng)
            subj = subject(rng, kb)
            if ip == ERP:
                subj, kb = "Invoice %d" % rng.randint(400000, 499999), rng.randint(60, 120)
            elif ip == CRM:
                subj, kb = rng.choice(["Your support ticket #%d" % rng.randint(20000, 29999),
                                       "Ticket #%d has been updated" % rng.randint(20000, 29999),
                                       "Your service appointment"]), 0
        octet = int(ip.rsplit(".", 1)[1])
        helo = {ERP: "erp01.corp.example", CRM: "crm.corp.example"}.get(ip, "ws%02d.corp.example" % octet)
        body = message(rng, sender, rcpts, subj, kb)
        s = connect(ip, helo)
        try:
            s.ehlo()
            if octet % 2 == 0 and s.has_extn("starttls"):
                s.starttls(context=TLS_CTX)
                s.ehlo()
            try:
                s.sendmail(sender, rcpts, body)
                self.count("lan: sent" + (" (resent)" if resend else ""))
            except smtplib.SMTPResponseException as e:
                if self.note_size_refusal(e, ip, kb):
                    self.count("lan: refused for size")
                    with self.lock:
                        self.resend.append((now() + rng.uniform(sc(20, 2), sc(60, 6)),
                                            (ip, sender, rcpts, subj, kb)))
                else:
                    self.count("lan: refused %d" % e.smtp_code)
            quit_(s)
        except ERRORS:
            s.close()
            raise

    # roaming users on the submission port
    def roaming(self, rng):
        user = rng.choice(STAFF)
        if user == COMPROMISED:
            user = "stefan.krause"
        ip = ROAMING[STAFF.index(user) % len(ROAMING)]
        own = random.Random(user)  # each user's laptop keeps its name
        helo = rng.choice(["[192.168.1.%d]" % rng.randint(2, 250), "DESKTOP-%s" % "".join(
            own.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(7)), "%s-laptop" % user.split(".")[0]])
        sender = "%s@%s" % (user, DOMAIN)
        rcpts = [rng.choice(self.contacts[rng.choice(PARTNER_DOMAINS + OTHER_DOMAINS)])]
        if rng.random() < 0.3:
            rcpts.append("%s@%s" % (rng.choice(STAFF), DOMAIN))
        kb = self.pick_size(rng)
        body = message(rng, sender, rcpts, subject(rng, kb), kb)
        s = connect(ip, helo, SUB_PORT)
        try:
            s.ehlo()
            s.starttls(context=TLS_CTX)
            s.ehlo()
            mech = "LOGIN" if rng.random() < 0.4 else "PLAIN"
            if rng.random() < 0.1:
                s.user, s.password = user, password(user)[:-1] + "x"
                try:
                    s.auth(mech, s.auth_login if mech == "LOGIN" else s.auth_plain)
                except smtplib.SMTPAuthenticationError:
                    self.count("roaming: wrong password")
            s.user, s.password = user, password(user)
            s.auth(mech, s.auth_login if mech == "LOGIN" else s.auth_plain)
            try:
                s.sendmail(sender, rcpts, body)
                self.count("roaming: sent")
            except smtplib.SMTPResponseException as e:
                if self.note_size_refusal(e, ip, kb):
                    self.count("roaming: refused for size")
                else:
                    self.count("roaming: refused %d" % e.smtp_code)
            quit_(s)
        except ERRORS:
            s.close()
            raise

    # internet noise
    def bot(self, rng):
        kind = rng.choice(["blacklisted-sender", "blacklisted-host", "spam-subject", "bad-helo", "early-talker",
                           "guess", "guess", "drop", "relay-attempt"])
        ip = rng.choice(BLACKLISTED_HOSTS) if kind == "blacklisted-host" else rng.choice(BOTS)
        helo = rng.choice(["User", "mail.%s" % rng.choice(SPAM_SENDER_DOMAINS), "[%s]" % ip,
                           "smtp%d.bulk-sender.example" % rng.randint(1, 40), "localhost.localdomain"])
        self.count("bot: " + kind)
        if kind == "early-talker":
            c = socket.create_connection(("127.0.0.1", MX_PORT), timeout=10, source_address=(ip, 0))
            try:
                c.sendall(b"EHLO %s\r\n" % helo.encode())
                c.settimeout(10)
                c.recv(4096)
            except OSError:
                pass
            c.close()
            return
        if kind == "bad-helo":
            helo = rng.choice(["WIN_7PC", "my_pc", "admin_pc.local", "HOME_SERVER"])
        s = connect(ip, helo)
        try:
            try:
                s.ehlo_or_helo_if_needed()
            except smtplib.SMTPHeloError:
                quit_(s)
                return
            spam_dom = rng.choice(SPAM_SENDER_DOMAINS)
            if kind == "blacklisted-sender":
                sender = "%s@%s" % (rng.choice(["offers", "info", "sales", "promo", "news"]), spam_dom)
            else:
                sender = "%s.%s@%s" % (rng.choice(FIRST), rng.choice(LAST),
                                       rng.choice(["freemail.example", "mailbox.example", spam_dom.replace(
                                           "example", "test")]))
            if kind == "drop":
                s.sock.sendall(b"MAIL FROM:<%s>\r\n" % sender.encode())
                s.getreply()
                s.close()
                return
            if kind == "guess":
                rcpts = ["%s@%s" % (rng.choice(["admin", "info", "sales", "anna", "contact", "marketing", "hr",
                                                "ceo", "test", "office", "j.smith", "bernd.keller", "webmaster"]),
                                    DOMAIN) for _ in range(rng.randint(2, 6))]
            elif kind == "relay-attempt":
                rcpts = ["%s@%s" % (rng.choice(FIRST), rng.choice(["mailbox.example", "victim.example"]))]
            else:
                rcpts = ["%s@%s" % (rng.choice(STAFF + ["info", "sales"]), DOMAIN)]
            subj = rng.choice(SPAM_SUBJECTS) if kind == "spam-subject" else rng.choice(
                ["Business proposal", "Increase your sales", "Re: your account", "Invoice attached"])
            try:
                s.sendmail(sender, list(dict.fromkeys(rcpts)), message(rng, sender, rcpts, subj))
            except smtplib.SMTPException:
                pass
            quit_(s)
        except ERRORS:
            s.close()
            raise

    def monitor(self):
        while not self.stop.wait(sc(60, 6)):
            try:
                s = connect(MONITOR, "nagios.corp.example", timeout=10)
                s.ehlo()
                quit_(s)
                self.count("monitor")
            except ERRORS:
                self.count("monitor: failed")

    def cron(self):
        rng = random.Random(99)
        while not self.stop.wait(sc(180, 15)):
            try:
                q = self.exim.queue_count()
                text = ("From: root@gw.corp.example (Cron Daemon)\nTo: postmaster@corp.example\n"
                        "Subject: Cron <root@gw> /usr/local/sbin/mailq-report\n\n"
                        "gw.corp.example: %d messages in the queue\n%s\n" % (q, "\n".join(
                            "  %s" % x for x in ("load %.2f" % rng.uniform(0.1, 0.9), "spool ok"))))
                self.exim.admin("-odi", "-t", data=text)
                self.count("cron")
            except (OSError, subprocess.SubprocessError):
                self.count("cron: failed")

    def resender(self):
        while not self.stop.wait(0.5):
            with self.lock:
                due = [r for r in self.resend if r[0] <= now()]
                for r in due:
                    self.resend.remove(r)
            for _, job in due:
                self.spawn(self.lan, random.Random(self.rng.random()), job)

    def dispatch(self, fn, rate):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            self.spawn(fn, random.Random(rng.random()))

    def run(self):
        ts = [threading.Thread(target=self.dispatch, args=(self.inbound, 0.45)),
              threading.Thread(target=self.dispatch, args=(self.lan, 0.35)),
              threading.Thread(target=self.dispatch, args=(self.roaming, 0.07)),
              threading.Thread(target=self.dispatch, args=(self.bot, 0.07)),
              threading.Thread(target=self.monitor), threading.Thread(target=self.cron),
              threading.Thread(target=self.resender)]
        self.start(ts)


# --- incidents ---

def mailstore_down(mailstore, seconds):
    start = now()
    mailstore.stop()
    time.sleep(seconds)
    mailstore.start()
    return start, now()


def wait_done(exim, since, marker, seconds, skip=()):
    """Waits until every message with a line holding marker (a deferral) since `since` has Completed (or seconds
    pass); the time it did."""
    deadline = now() + seconds
    while now() < deadline:
        log = read_log(exim.mainlog)
        ids = {e[1] for e in log if e[1] and e[0] >= since - 1 and marker in e[2]} - set(skip)
        if not ids - set(completion(log, ids)):
            return now()
        time.sleep(sc(5, 1))
    return now()


def legs_done(log, ids, router, after):
    """The time of the last delivery or bounce line (=>, ->, **) through router of the messages ids."""
    ts = [e[0] for e in log if e[1] in ids and e[0] >= after - 1 and " R=%s " % router in e[2]
          and e[2][:3] in ("=> ", "-> ", "** ")]
    return max(ts) if ts else None


def compromised_account(exim, seconds, lock_after):
    """A spam bot on 127.0.0.177 logged in as m.keller sends until its logins fail (then tries for 25 s more, at
    most `seconds` in all); the admin locks the account after lock_after and cleans the queue."""
    user, pw = COMPROMISED, password(COMPROMISED)
    sender = "%s@%s" % (user, DOMAIN)
    state = {"sessions": 0, "messages": 0, "recipients": 0, "auth_failed": 0, "removed": 0}
    lock = threading.Lock()
    stop_at = now() + seconds
    locked = threading.Event()
    give_up = [None]
    spam_domains = ["freemail.example", "mailbox.example", "webmail.example", "gmx.example", "t-online.example",
                    "inbox.example", "post.example"]

    def worker(k):
        r = random.Random(k + 1000)
        time.sleep(k * 0.7)
        while (now() < give_up[0]) if give_up[0] else (now() < stop_at):
            try:
                s = connect(ATTACKER, "WIN-R2D4KTQ8H3M", SUB_PORT)
            except ERRORS:
                time.sleep(2)
                continue
            try:
                s.ehlo()
                s.starttls(context=TLS_CTX)
                s.ehlo()
                s.user, s.password = user, pw
                try:
                    s.auth("PLAIN", s.auth_plain)
                except smtplib.SMTPAuthenticationError:
                    with lock:
                        state["auth_failed"] += 1
                    quit_(s)
                    with lock:
                        if give_up[0] is None:
                            give_up[0] = now() + sc(25, 3)
                    time.sleep(r.uniform(sc(3, 0.3), sc(6, 0.6)))
                    continue
                with lock:
                    state["sessions"] += 1
                for _ in range(15):
                    if now() >= stop_at:
                        break
                    rcpts = []
                    for _ in range(r.randint(5, 10)):
                        a = "%s.%s%d@%s" % (r.choice(FIRST), r.choice(LAST), r.randint(1, 999), r.choice(spam_domains))
                        rcpts.append(a)
                        if r.random() < 0.12:
                            SMARTHOST.dead.add(a)
                    subj = r.choice(PHISH_SUBJECTS).format(n=r.randint(100000, 999999))
                    body = message(r, sender, rcpts, subj, 0, "Accounts Receivable <%s>" % sender)
                    s.sendmail(sender, rcpts, body)
                    with lock:
                        state["messages"] += 1
                        state["recipients"] += len(rcpts)
                    time.sleep(r.uniform(2.0, 3.5) * max(SCALE, 0.3))
                quit_(s)
            except ERRORS:
                s.close()
                time.sleep(1)

    ts = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(2)]
    start = now()
    for t in ts:
        t.start()
    sleep_until(start + lock_after)
    exim.lock_account(user)
    lock_t = now()
    locked.set()
    time.sleep(sc(6, 1))
    clean_t = now()

    def clean():
        ids = [i for i, snd in exim.queue() if snd == sender]
        for k in range(0, len(ids), 50):
            r = exim.admin("-Mrm", *ids[k:k + 50])
            state["removed"] += r.stdout.count("has been removed")
    clean()
    for t in ts:
        t.join(seconds + 60)
    time.sleep(sc(5, 0.5))
    clean()  # what the bot's open sessions sent after the first clean-up
    return start, lock_t, clean_t, now(), state


def size_limit_typo(exim, traffic, seconds):
    exim.size_limit = "50K"
    exim.write_config()
    start = now()
    exim.hup()
    time.sleep(seconds)
    exim.size_limit = "50M"
    exim.write_config()
    exim.hup()
    return start, now()


# --- reading the log ---

LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (.*)$")
MSGID = re.compile(r"^(\w{6}-\w{6}-\w{2}) (.*)$")


def read_log(path):
    """[(epoch, id or None, rest)] of the log's timestamped lines."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if not m:
                continue
            t = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S"))
            m2 = MSGID.match(m.group(2))
            out.append((t, m2.group(1), m2.group(2)) if m2 else (t, None, m.group(2)))
    return out


def completion(log, ids):
    done = {}
    for t, i, rest in log:
        if i in ids and (rest == "Completed" or rest.startswith("Completed ")):
            done[i] = t
    return done


SMARTHOST = None


def main():
    global SMARTHOST
    work = begin(OUT, "exim", __doc__)
    exim = Exim(work)
    version = exim.version()
    sinks = {"mailstore": Mailstore(), "partners": Partners(), "bigmail": Bigmail(), "smarthost": Smarthost()}
    SMARTHOST = sinks["smarthost"]
    labels, rlabels = Labels(), Labels()
    how = ("real Exim %s (Debian exim4-daemon-light) as the mail gateway gw.corp.example on 127.0.0.1:%d (MX and LAN "
           "relay) and :%d (submission, STARTTLS + AUTH), own config after Debian's template (its ACLs, "
           "plain_server/login_server, local sender/host blacklists), deliver_drop_privilege, DNS-free (host_lookup "
           "unset, manualroute to IPs), log_selector +smtp_connection +incoming_interface -outgoing_interface "
           "+outgoing_port +subject +delivery_size, queue runner every %d s, retry %d s; destinations run by the "
           "driver: mailbox server :%d, partners' host :%d, bigmail.example with greylisting :%d, ISP smarthost :%d; "
           "internet senders 127.0.0.101-169, LAN 127.0.0.20-40 (monitoring .30), roaming users .120-139 on "
           "submission, spam bots .170-199; about 1.2 SMTP sessions/s with Python smtplib; TZ=UTC, wall-clock "
           "times" % (version, MX_PORT, SUB_PORT, QUEUE_INTERVAL, RETRY, MAILSTORE_PORT, PARTNER_PORT, BIGMAIL_PORT,
                      SMARTHOST_PORT))
    labels.note("made by bench/real-logs/exim.py: Exim's mainlog; " + how)
    rlabels.note("made by bench/real-logs/exim.py: Exim's rejectlog (rejections only, with the headers of messages "
                 "rejected after DATA); " + how)
    rlabels.note("the mailstore-down incident is not in this log (deferred deliveries are no rejections)")
    traffic = None
    ok = False
    try:
        for s in sinks.values():
            s.start()
        exim.setup()
        exim.start()
        traffic = Traffic(exim, sinks, 2026)
        traffic.run()
        t0 = now()
        sleep_until(t0 + sc(90))

        # 1. the mailbox server goes down
        m_stop, m_up = mailstore_down(sinks["mailstore"], sc(60, 6))
        m_flushed = wait_done(exim, m_stop, "T=mailstore_smtp defer", sc(150, 20))
        sleep_until(max(m_up + sc(60), m_flushed + sc(55)))

        # 2. a phished account sends spam through the submission port
        c_start, c_lock, c_clean, c_end, cst = compromised_account(exim, sc(110, 11), sc(45, 5))
        c_flushed = wait_done(exim, c_start, "R=smarthost T=remote_smtp_smarthost defer", sc(150, 20))
        sleep_until(max(c_end + sc(55), c_flushed + sc(55)))

        # 3. the admin's typo in message_size_limit
        s_start, s_end = size_limit_typo(exim, traffic, sc(70, 7))
        sleep_until(s_end + sc(70))

        traffic.finish(60)
        time.sleep(2)
        log = read_log(exim.mainlog)
        rlog = read_log(exim.rejectlog)

        # 1.
        ms = [e for e in log if "T=mailstore_smtp defer" in e[2] and e[0] >= m_stop - 1]
        failed = collections.Counter(e[2].split(" T=mailstore_smtp ", 1)[1] for e in ms
                                     if "retry time not reached" not in e[2])
        notreached = [e for e in ms if "retry time not reached" in e[2]]
        ids = {e[1] for e in ms}
        done = legs_done(log, ids, "mailstore", m_stop)
        if ms:
            last = max([e[0] for e in ms] + ([done] if done else []))
            labels.add("mailstore-down", min(e[0] for e in ms), last, "dependency-down",
                       "127.0.0.1:%d|mailstore|mailstore_smtp|mbx01.corp.example" % MAILSTORE_PORT,
                       "the internal mailbox server (mbx01, 127.0.0.1:%d, router mailstore, transport mailstore_smtp) "
                       "is down for %d s: every delivery to corp.example mailboxes defers: %s; after a failure Exim "
                       "does not try the host again before its retry time (%d s): %d lines '== user@corp.example "
                       "R=mailstore T=mailstore_smtp defer (-54): retry time not reached for any host for "
                       "'corp.example'' (new arrivals and each queue run); %d messages waited in the queue, delivered "
                       "by the retries once it was back (the last at %s)"
                       % (MAILSTORE_PORT, round(m_up - m_stop), ", ".join(
                           "%d delivery attempt%s '== ... R=mailstore T=mailstore_smtp %s'"
                           % (n, "" if n == 1 else "s", r) for r, n in failed.most_common()) or "no attempt failed",
                          RETRY, len(notreached), len(ids), time.strftime("%H:%M:%S", time.gmtime(last))))

        # 2.
        sender = "%s@%s" % (COMPROMISED, DOMAIN)
        att = [e for e in log if "[%s]" % ATTACKER in e[2] and e[0] >= c_start - 1]
        spam_ids = {e[1] for e in log if e[1] and e[2].startswith("<= %s H=" % sender) and "[%s]" % ATTACKER in e[2]}
        removed = [e for e in log if e[1] in spam_ids and e[2].startswith("removed by root")]
        auth_fail = [e for e in att if "authenticator failed" in e[2]]
        throttle = [e for e in log if "4.7.28" in e[2]]
        sh_defer = [e for e in log if "R=smarthost" in e[2] and " defer (" in e[2] and e[0] >= c_start]
        sh_ids = {e[1] for e in sh_defer} | {e[1] for e in throttle}
        sh_done = legs_done(log, sh_ids - spam_ids, "smarthost", c_start)
        bounces = [e for e in log if e[2].startswith("<= <> R=") and any(e[2].startswith("<= <> R=%s " % i)
                                                                         for i in spam_ids)]
        delay = [e for e in log if e[1] in spam_ids and "no immediate delivery" in e[2]]
        if att:
            ends = [e[0] for e in att + removed + throttle + sh_defer] + ([sh_done] if sh_done else [])
            labels.add("compromised-account", min(e[0] for e in att), max(ends), "compromised-account",
                       "%s|%s|%s" % (COMPROMISED, sender, ATTACKER),
                       "the phished account m.keller is used by a spam bot on 127.0.0.177 (HELO WIN-R2D4KTQ8H3M) on "
                       "the submission port: %d phishing messages '<= m.keller@corp.example H=(WIN-R2D4KTQ8H3M) "
                       "[127.0.0.177] I=[127.0.0.1]:%d P=esmtpsa ... A=plain_server:m.keller' to %d outside "
                       "addresses in %d s (%d lines 'no immediate delivery: more than 10 messages received in one "
                       "connection'), dead addresses bounced back to m.keller (%d bounces '<= <> R=<spam id>'); the "
                       "smarthost soon rate limits the gateway: %d lines '421 4.7.28 ... unusual rate of "
                       "unsolicited mail' and %d smarthost defers (R=smarthost ... defer), also of legitimate "
                       "outbound mail; the admin locks the account at %s (then %d lines 'plain_server authenticator "
                       "failed for (WIN-R2D4KTQ8H3M) [127.0.0.177] ... 535 Incorrect authentication data "
                       "(set_id=m.keller)') and removes %d spam messages from the queue ('removed by root'); the "
                       "held-back legitimate mail goes when the smarthost lifts the limit"
                       % (len(spam_ids), SUB_PORT, cst["recipients"], round(c_end - c_start), len(delay),
                          len(bounces), len(throttle), len(sh_defer),
                          time.strftime("%H:%M:%S", time.gmtime(c_lock)), len(auth_fail), len(removed)))
        ratt = [e for e in rlog if "[%s]" % ATTACKER in e[2] and e[0] >= c_start - 1]
        if ratt:
            rlabels.add("compromised-account", min(e[0] for e in ratt), max(e[0] for e in ratt),
                        "compromised-account", "%s|%s|%s" % (COMPROMISED, sender, ATTACKER),
                        "after the admin locks the phished account m.keller (used by a spam bot on 127.0.0.177 to "
                        "send phishing mail through the submission port), the bot's logins fail: %d lines "
                        "'plain_server authenticator failed for (WIN-R2D4KTQ8H3M) [127.0.0.177] ... 535 Incorrect "
                        "authentication data (set_id=m.keller)'; the spam itself was accepted, so it is not in this "
                        "log" % len(ratt))

        # 3.
        hups = [e for e in log if "SIGHUP received" in e[2] and s_start - 2 <= e[0] <= s_end + 2]
        big = [e for e in log if "message too big" in e[2]]
        rbig = [e for e in rlog if "message too big" in e[2]]
        outside = [e for e in big if not s_start - 2 <= e[0] <= s_end + 5]
        with traffic.lock:
            quiet = [x for x in traffic.size_refused if s_start - 1 <= x[0] <= s_end + 5 and
                     x[3] == "not sent"]
        if big or hups:
            first = min([e[0] for e in hups + big])
            last = max([e[0] for e in hups + big])
            desc = ("the admin lowers message_size_limit to the smarthost's limit, types 50K instead of 50M and "
                    "HUPs Exim ('pid N: SIGHUP received: re-exec daemon', 'exim 4.96 daemon started'): for %d s every "
                    "message over 50 KB is refused: %d lines 'rejected MAIL FROM:<...> H=... message too big: "
                    "size=N max=51200' (or 'rejected from <...> ...: message too big: read=N max=51200'), inbound "
                    "from partners and outbound from the LAN and roaming users alike; some sending MTAs that honour "
                    "the advertised SIZE 51200 just disconnect (about %d); the admin fixes it and HUPs again, users "
                    "resend" % (round(s_end - s_start), len(big), len(quiet)))
            labels.add("size-limit-typo", first, last, "misconfiguration",
                       "message_size_limit|message too big|max=51200", desc)
            if rbig:
                rlabels.add("size-limit-typo", min(e[0] for e in rbig), max(e[0] for e in rbig), "misconfiguration",
                            "message_size_limit|message too big|max=51200",
                            desc.replace("('pid N: SIGHUP received: re-exec daemon', 'exim 4.96 daemon started')",
                                         "(the HUP itself is in the mainlog only)"))
        if outside:
            print("note: %d 'message too big' lines outside the incident" % len(outside), file=sys.stderr)
        with open(exim.paniclog, "a+") as f:
            f.seek(0)
            panic = f.read()
        if panic:
            print("note: paniclog:\n" + panic[-2000:], file=sys.stderr)
        print("%s: %s; spam %s; sinks %s; smarthost refused %d; greylisted %d; mainlog %d lines, rejectlog %d" % (
            NAME, sorted(traffic.counts.items()), cst, {k: (s.messages, s.recipients) for k, s in sinks.items()},
            SMARTHOST.refused, sinks["bigmail"].greylisted, len(log), len(rlog)), file=sys.stderr)
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
        exim.stop()
        for s in sinks.values():
            s.stop()
        if ok:
            keep_log(exim.mainlog, OUT, NAME, labels)
            keep_log(exim.rejectlog, OUT, NAME + ".reject", rlabels)
            for f in os.listdir(OUT):
                if f.startswith(NAME + "."):
                    os.chmod(os.path.join(OUT, f), 0o644)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
