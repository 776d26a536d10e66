#!/usr/bin/env python3
"""Runs a real Nagios Core (Debian nagios4-core 4.4.6, with Debian's monitoring-plugins-basic) as a small company's
monitoring server on 127.0.0.0/8, feeds it what such a site feeds it, injects labelled incidents and keeps
nagios.log exactly as Nagios wrote it ("[1764700000] SERVICE ALERT: web01;HTTP;CRITICAL;SOFT;1;connect to address
127.0.0.11 and port 20187: Connection refused"; epoch stamps, one event a line, log_rotation_method=n).

Nagios runs as `nagios4 WORK/nagios.cfg` in the foreground (started as root, it drops to Debian's `nagios` user by
nagios_user/nagios_group, which owns the work dir; stopped with SIGTERM; reloaded with SIGHUP as `systemctl reload`
does). WORK/nagios.cfg is Debian's /etc/nagios4/nagios.cfg with only these changes: every file (log, object
cache, status, retention, lock, temp, command pipe, query socket, check result spool, debug) in the work dir,
log_rotation_method=n, use_syslog=0, log_initial_states=1, check_for_updates=0, retention_update_interval=2, and
interval_length=5 instead of 60, so that the site's intervals (written in units as usual) are 12 times shorter than
on a real site: active service checks every 30 s, retried every 10 s (3 attempts), hosts pinged every 50 s,
re-notification every 2 minutes (and, to match, cached_host_check_horizon and cached_service_check_horizon 1 s
instead of 15 s). The objects: Debian's templates.cfg and timeperiods.cfg, Debian's plugin commands
(/etc/nagios-plugins/config), and the site's own files in WORK/objects (commands, contacts, hosts, services).
Notifications go to two contacts (nagiosadmin by e-mail, oncall-pager by SMS for CRITICAL/DOWN/recoveries); the
notify commands append the messages to spool files in the work dir (there is no mail server here).

usage: bench/real-logs/nagios.py OUTDIR
  writes OUTDIR/nagios-m.log and OUTDIR/nagios-m.labels.tsv; SCALE=0.1 multiplies every duration and interval (a
  short run for testing)

What is monitored (active checks by Nagios' own plugins, against services this script runs on ports 20187-20189):
  web01-03 127.0.0.11, .15, .16  intranet web servers (HTTP on :20187): "HTTP" (check_http_url, /health) and
                                 "Login page" (check_http_string: /login must contain "Sign in")
  api01 127.0.0.12               the order API (HTTP on :20188): "API health" (JSON status; event handler
                                 restart-orders-api) and "API port" (check_tcp)
  db01 127.0.0.13                "PostgreSQL port" (check_tcp :20189)
  nas01 127.0.0.14               the storage appliance; ICMP is filtered on the storage VLAN, so its host check is
                                 check_tcp to its SSH port (:20189, 4 s timeout) every 5 s; service "SSH" (check_ssh)
  localhost                      Debian's localhost.cfg services that make sense here (root partition, users,
                                 processes, load with thresholds for this box)
  and the other hosts are pinged (check-host-alive, Debian's check_ping definition).
Passive (the bulk of the log): 24 Linux servers (app01-04, mq01-02, cache01-02, ldap01-02, mail01, git01, ci01,
build01-02, files01, log01, proxy01-02, vpn01, backup01, k8s-node01-03 on 127.0.0.101-124) run their NRPE-style
checks from cron once a minute (every 60 s here too, each at its own phase) and send the results with send_nsca,
which writes PROCESS_SERVICE_CHECK_RESULT lines to the command pipe: "Disk /", "Load", "Swap", "Total Processes",
"NTP Time" (and "Mail Queue" on mail01). With log_external_commands and log_passive_checks each result is two lines
("EXTERNAL COMMAND: PROCESS_SERVICE_CHECK_RESULT;..." and Nagios 4.4.6's "PASSIVE SERVICE CHECK: host;svc;0;").
Routine noise: log01's root partition is above 80 % (WARNING from the start, acknowledged by an admin with a ticket
number); a decommissioned CI box (old-ci02) still runs its cron and send_nsca for two checks (each result: "Warning:
Passive check result was received for service ... on host 'old-ci02', but the host could not be found!", "Error:
External command failed -> ..." and "External command [...] ... returned error Command failed"); a new server ci03
starts sending (the same three lines) before the admin adds it to the config and reloads Nagios (SIGHUP: "Caught
SIGHUP, restarting...", the startup lines, INITIAL HOST/SERVICE STATE for every object); operators force re-checks
and add comments from the web UI now and then; a patch window on build02 (scheduled host and service downtime,
DOWNTIME ALERTs and notifications; build02 reboots, its NSCA feed pauses); a CI build pushing build01's load over
the warning threshold (SERVICE ALERT/NOTIFICATION WARNING, then RECOVERY); Nagios' "Auto-save of retention data
completed successfully." every 2 minutes.

Incidents (about 10.5 minutes in all at SCALE=1: 90 s of normal traffic, each incident followed by 50-75 s of it):
  api-down        the order API on api01 crashes (its listener on 127.0.0.12:20188 is gone): "API health" and "API
                  port" go CRITICAL SOFT 1-2 ("connect to address 127.0.0.12 and port 20188: Connection refused"),
                  the event handler restart-orders-api runs, HARD 3, SERVICE NOTIFICATIONs to both contacts, an admin
                  acknowledges (ACKNOWLEDGE_SVC_PROBLEM, ACKNOWLEDGEMENT notifications) and restarts the API a minute
                  after the crash, and the next checks recover (OK HARD, RECOVERY notifications)
  bad-command     an admin edits the site's check_http_url command to send a Host header, copying the plugin path
                  from a source-install howto (/usr/local/nagios/libexec/check_http), and reloads: web01-03's "HTTP"
                  fail with "(No output on stdout) stderr: execvp(/usr/local/nagios/libexec/check_http, ...) failed.
                  errno is 2: No such file or directory" (Nagios 4 runs such a command without a shell, so it is
                  CRITICAL, not the shell's "Return code of 127"), SOFT then HARD with notifications, until the
                  admin fixes the path and reloads again 70 s later (RECOVERY)
  nas01-flapping  a failing switch port makes nas01 drop off the network again and again for about 90 s (its host
                  check times out: "CRITICAL - Socket timeout after 4 seconds"; the script stops accepting on
                  127.0.0.14:20189 and fills the listen backlog so SYNs are dropped): HOST ALERT DOWN/UP (SOFT; HARD
                  only when an outage outlasts three checks), its SSH service failing, "HOST FLAPPING ALERT: nas01;STARTED; ..." with a FLAPPINGSTART
                  notification, then after the port is replaced, once the 21-check state history has settled,
                  "HOST FLAPPING ALERT: nas01;STOPPED; ..." (FLAPPINGSTOP)
Needs (Debian): nagios4-core, monitoring-plugins-basic. Standard library only.
"""
import fcntl
import heapq
import os
import pwd
import random
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from drivers import begin, now, sleep_until, stop_process, descendants, kill_leftovers, keep_log
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "nagios-m"
NAGIOS = "/usr/sbin/nagios4"
PLUGINS = "/usr/lib/nagios/plugins"
WEB_PORT, API_PORT, TCP_PORT = 20187, 20188, 20189
INTERVAL_LENGTH = 5          # seconds per interval unit (Debian: 60)

WEB01, API01, DB01, NAS01, WEB02, WEB03 = ("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14", "127.0.0.15",
                                          "127.0.0.16")

# the passive servers: name -> (address, role)
FLEET = {}
for i, (n, role) in enumerate([
        ("app01", "app"), ("app02", "app"), ("app03", "app"), ("app04", "app"), ("mq01", "mq"), ("mq02", "mq"),
        ("cache01", "cache"), ("cache02", "cache"), ("ldap01", "ldap"), ("ldap02", "ldap"), ("mail01", "mail"),
        ("git01", "git"), ("ci01", "ci"), ("build01", "build"), ("build02", "build"), ("files01", "files"),
        ("log01", "log"), ("proxy01", "proxy"), ("proxy02", "proxy"), ("vpn01", "vpn"), ("backup01", "backup"),
        ("k8s-node01", "k8s"), ("k8s-node02", "k8s"), ("k8s-node03", "k8s")]):
    FLEET[n] = ("127.0.0.%d" % (101 + i), role)
NEW_HOST = ("ci03", "127.0.0.125", "ci")          # added to the config during the run
OLD_HOST = ("old-ci02", "127.0.0.126", "ci")      # decommissioned, still sending
PASSIVE_SERVICES = ["Disk /", "Load", "Swap", "Total Processes", "NTP Time"]


def S(seconds):
    return seconds * SCALE


def units(seconds):
    """An interval in the config's units (interval_length seconds), scaled, at least one second."""
    return "%g" % round(max(1.0, seconds * SCALE) / INTERVAL_LENGTH, 3)


# ---- the services Nagios checks ------------------------------------------------------------------------------------

class Quiet(BaseHTTPRequestHandler):
    server_version = "nginx"
    sys_version = ""

    def log_message(self, *args):
        pass

    def send(self, status, ctype, body):
        data = body.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass


class WebHandler(Quiet):
    def do_GET(self):
        if self.path.startswith("/health"):
            self.send(200, "text/plain", "OK\n")
        elif self.path.startswith("/login"):
            self.send(200, "text/html", "<html><head><title>Intranet</title></head><body><form method=post>"
                      "<input name=user><input name=pass type=password><button>Sign in</button></form>"
                      "</body></html>\n" + "<!-- -->\n" * 20)
        else:
            self.send(200, "text/html", "<html><body><h1>Intranet</h1><a href=/login>Sign in</a></body></html>\n")


class ApiHandler(Quiet):
    def do_GET(self):
        if self.path.startswith("/api/health"):
            self.send(200, "application/json", '{"status":"ok","db":"ok","queue":"ok","version":"3.14.2"}')
        else:
            self.send(200, "application/json", '{"service":"orders","docs":"/api/docs"}')


class Http:
    """A small HTTP service on addr:port that can crash and be restarted."""

    def __init__(self, addr, port, handler):
        self.addr, self.port, self.handler = addr, port, handler
        self.server = None

    def start(self):
        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True
        self.server = Server((self.addr, self.port), self.handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


class Tcp:
    """A TCP service (db01's PostgreSQL port, nas01's SSH) that accepts and answers with a banner. link_down() makes
    the address unreachable as seen by a client: the listen backlog is cut to 0 and filled, so new SYNs are dropped
    and connects time out; link_up() undoes it."""

    def __init__(self, addr, port, banner=b""):
        self.addr, self.port, self.banner = addr, port, banner
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((addr, port))
        self.sock.listen(16)
        self.up = threading.Event()
        self.up.set()
        self.stop = threading.Event()
        self.fillers = []
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while not self.stop.is_set():
            if not self.up.is_set():
                time.sleep(0.05)
                continue
            try:
                r, _, _ = select.select([self.sock], [], [], 0.2)
                if not r or not self.up.is_set():
                    continue
                c, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def serve(self, c):
        try:
            c.settimeout(3)
            if self.banner:
                c.sendall(self.banner)
            while c.recv(4096):
                pass
        except OSError:
            pass
        finally:
            c.close()

    def link_down(self):
        self.up.clear()
        time.sleep(0.1)
        self.sock.listen(0)
        for _ in range(2):
            s = socket.socket()
            s.setblocking(False)
            try:
                s.bind(("127.0.0.240", 0))
                s.connect_ex((self.addr, self.port))
            except OSError:
                pass
            self.fillers.append(s)
        time.sleep(0.1)

    def link_up(self):
        for s in self.fillers:
            s.close()
        self.fillers = []
        self.sock.listen(16)
        self.up.set()

    def close(self):
        self.stop.set()
        self.link_up()
        self.sock.close()


# ---- the configuration ---------------------------------------------------------------------------------------------

def nagios_cfg(work):
    """Debian's nagios.cfg with the paths moved into the work dir and the changes the docstring lists."""
    w = lambda p: os.path.join(work, p)
    override = {
        "log_file": w("nagios.log"), "object_cache_file": w("objects.cache"),
        "precached_object_file": w("objects.precache"), "resource_file": w("resource.cfg"),
        "status_file": w("status.dat"), "command_file": w("rw/nagios.cmd"), "lock_file": w("nagios4.pid"),
        "temp_file": w("nagios.tmp"), "temp_path": w("tmp"), "log_rotation_method": "n",
        "log_archive_path": w("archives"), "use_syslog": "0", "log_initial_states": "1",
        "check_result_path": w("spool/checkresults"), "state_retention_file": w("retention.dat"),
        "retention_update_interval": "2", "interval_length": str(INTERVAL_LENGTH), "check_for_updates": "0",
        "debug_file": w("nagios.debug"), "cached_host_check_horizon": "1", "cached_service_check_horizon": "1",
    }
    out, seen = [], set()
    with open("/etc/nagios4/nagios.cfg") as f:
        for line in f:
            s = line.strip()
            if s.startswith("#") or "=" not in s:
                out.append(line)
                continue
            k, v = s.split("=", 1)
            if k == "cfg_file" or (k == "cfg_dir" and v != "/etc/nagios-plugins/config"):
                out.append("#" + line)
                continue
            if k in override:
                seen.add(k)
                out.append("%s=%s\n" % (k, override[k]))
            else:
                out.append(line)
    out.append("\n# --- this site ---\n")
    for k in override:
        if k not in seen:
            out.append("%s=%s\n" % (k, override[k]))
    out.append("query_socket=%s\n" % w("rw/nagios.qh"))
    for p in ["/etc/nagios4/objects/timeperiods.cfg", "/etc/nagios4/objects/templates.cfg",
              w("objects/commands.cfg"), w("objects/contacts.cfg"), w("objects/hosts.cfg"),
              w("objects/services.cfg")]:
        out.append("cfg_file=%s\n" % p)
    return "".join(out)


HTTP_URL_OK = "$USER1$/check_http -I '$HOSTADDRESS$' -p '$ARG1$' -u '$ARG2$' -w 2 -c 5"
HTTP_URL_BAD = ("/usr/local/nagios/libexec/check_http -H '$HOSTNAME$.corp.example' -I '$HOSTADDRESS$' -p '$ARG1$' "
                "-u '$ARG2$' -w 2 -c 5")


def commands_cfg(work, http_url=HTTP_URL_OK):
    spool = os.path.join(work, "spool")
    return """# site commands (the plugin commands come from /etc/nagios-plugins/config)

define command {
    command_name    notify-host-by-email
    command_line    /usr/bin/printf "%%b" "***** Nagios *****\\n\\nNotification Type: $NOTIFICATIONTYPE$\\nHost: $HOSTNAME$\\nState: $HOSTSTATE$\\nAddress: $HOSTADDRESS$\\nInfo: $HOSTOUTPUT$\\n\\nDate/Time: $LONGDATETIME$\\nTo: $CONTACTEMAIL$\\n\\n" >> %(spool)s/mail.out
}

define command {
    command_name    notify-service-by-email
    command_line    /usr/bin/printf "%%b" "***** Nagios *****\\n\\nNotification Type: $NOTIFICATIONTYPE$\\n\\nService: $SERVICEDESC$\\nHost: $HOSTALIAS$\\nAddress: $HOSTADDRESS$\\nState: $SERVICESTATE$\\n\\nDate/Time: $LONGDATETIME$\\n\\nAdditional Info:\\n\\n$SERVICEOUTPUT$\\nTo: $CONTACTEMAIL$\\n\\n" >> %(spool)s/mail.out
}

define command {
    command_name    notify-host-by-sms
    command_line    /usr/bin/printf "%%s\\n" "$CONTACTPAGER$ $NOTIFICATIONTYPE$ $HOSTNAME$ is $HOSTSTATE$ $SHORTDATETIME$" >> %(spool)s/sms.out
}

define command {
    command_name    notify-service-by-sms
    command_line    /usr/bin/printf "%%s\\n" "$CONTACTPAGER$ $NOTIFICATIONTYPE$ $HOSTNAME$/$SERVICEDESC$ is $SERVICESTATE$ $SHORTDATETIME$" >> %(spool)s/sms.out
}

define command {
    command_name    restart-orders-api
    command_line    /usr/bin/printf "%%s\\n" "$SHORTDATETIME$ $HOSTNAME$ $SERVICESTATE$ $SERVICESTATETYPE$ $SERVICEATTEMPT$: restart requested" >> %(spool)s/eventhandler.out
}

define command {
    command_name    check_http_url
    command_line    %(http_url)s
}

define command {
    command_name    check_http_string
    command_line    $USER1$/check_http -I '$HOSTADDRESS$' -p '$ARG1$' -u '$ARG2$' -s '$ARG3$' -w 2 -c 5
}

define command {
    command_name    check_tcp_port
    command_line    $USER1$/check_tcp -H '$HOSTADDRESS$' -p '$ARG1$' -w 1 -c 3 -t 10
}

define command {
    command_name    check-host-alive-tcp
    command_line    $USER1$/check_tcp -H '$HOSTADDRESS$' -p '$ARG1$' -t 4
}

define command {
    command_name    check_nsca_stale
    command_line    $USER1$/check_dummy 3 'No passive check result received from send_nsca'
}
""" % {"spool": spool, "http_url": http_url}


CONTACTS_CFG = """define contact {
    contact_name                    nagiosadmin
    use                             generic-contact
    alias                           Nagios Admin
    email                           nagios@localhost
}

define contact {
    contact_name                    oncall-pager
    use                             generic-contact
    alias                           On-call pager
    service_notification_options    c,r
    host_notification_options       d,r
    service_notification_commands   notify-service-by-sms
    host_notification_commands      notify-host-by-sms
    pager                           +4915100000000
}

define contactgroup {
    contactgroup_name               admins
    alias                           Nagios Administrators
    members                         nagiosadmin,oncall-pager
}
"""


def hosts_cfg(with_new):
    h = ["""define host {
    name                    site-server
    use                     generic-host
    check_period            24x7
    check_interval          %s
    retry_interval          %s
    max_check_attempts      5
    check_command           check-host-alive
    notification_period     24x7
    notification_interval   %s
    notification_options    d,u,r,f,s
    contact_groups          admins
    register                0
}
""" % (units(50), units(10), units(120))]

    def host(name, addr, alias, extra=""):
        h.append("define host {\n    use                     site-server\n    host_name               %s\n"
                 "    alias                   %s\n    address                 %s\n%s}\n\n" % (name, alias, addr, extra))
    host("localhost", "127.0.0.1", "nagios server")
    host("web01", WEB01, "intranet web 1")
    host("web02", WEB02, "intranet web 2")
    host("web03", WEB03, "intranet web 3")
    host("api01", API01, "order API")
    host("db01", DB01, "PostgreSQL primary")
    host("nas01", NAS01, "storage appliance",
         "    check_command           check-host-alive-tcp!%d\n    check_interval          %s\n"
         "    retry_interval          %s\n    max_check_attempts      3\n" % (TCP_PORT, units(5), units(5)))
    fleet = dict(FLEET)
    if with_new:
        fleet[NEW_HOST[0]] = (NEW_HOST[1], NEW_HOST[2])
    for n, (addr, role) in fleet.items():
        host(n, addr, "%s server" % role)
    h.append("define hostgroup {\n    hostgroup_name          linux-servers\n    alias                   Linux Servers\n"
             "    members                 %s\n}\n\n" % ",".join(["localhost", "web01", "web02", "web03", "api01", "db01"]
                                                                 + list(fleet)))
    h.append("define hostgroup {\n    hostgroup_name          web-servers\n    alias                   Web Servers\n"
             "    members                 web01,web02,web03,api01\n}\n")
    return "".join(h)


def services_cfg(with_new):
    s = ["""define service {
    name                    site-service
    use                     generic-service
    check_interval          %s
    retry_interval          %s
    max_check_attempts      3
    notification_interval   %s
    contact_groups          admins
    register                0
}

define service {
    name                    passive-service
    use                     generic-service
    active_checks_enabled   0
    passive_checks_enabled  1
    check_freshness         1
    freshness_threshold     %d
    check_command           check_nsca_stale
    max_check_attempts      1
    check_interval          %s
    retry_interval          %s
    notification_interval   %s
    contact_groups          admins
    register                0
}

""" % (units(30), units(10), units(120), max(3, round(S(300))), units(60), units(60), units(120))]

    def svc(host, desc, cmd, use="site-service", extra=""):
        s.append("define service {\n    use                     %s\n    host_name               %s\n"
                 "    service_description     %s\n    check_command           %s\n%s}\n\n" % (use, host, desc, cmd, extra))
    svc("localhost", "Root Partition", "check_disk!20%!10%!/")
    svc("localhost", "Current Users", "check_users!20!50")
    svc("localhost", "Total Processes", "check_procs!250!400")
    svc("localhost", "Current Load", "check_load!15!10!8!30!25!20")
    for h in ("web01", "web02", "web03"):
        svc(h, "HTTP", "check_http_url!%d!/health" % WEB_PORT)
        svc(h, "Login page", "check_http_string!%d!/login!Sign in" % WEB_PORT)
    svc("api01", "API health", "check_http_string!%d!/api/health!\"status\":\"ok\"" % API_PORT,
        extra="    event_handler           restart-orders-api\n")
    svc("api01", "API port", "check_tcp_port!%d" % API_PORT)
    svc("db01", "PostgreSQL port", "check_tcp_port!%d" % TCP_PORT)
    svc("nas01", "SSH", "check_ssh_port!%d" % TCP_PORT)
    fleet = list(FLEET) + ([NEW_HOST[0]] if with_new else [])
    for name in PASSIVE_SERVICES:
        s.append("define service {\n    use                     passive-service\n    host_name               %s\n"
                 "    service_description     %s\n}\n\n" % (",".join(fleet), name))
    s.append("define service {\n    use                     passive-service\n    host_name               mail01\n"
             "    service_description     Mail Queue\n}\n")
    return "".join(s)


# ---- Nagios --------------------------------------------------------------------------------------------------------

class Nagios:
    def __init__(self, work):
        self.work = work
        self.cfg = os.path.join(work, "nagios.cfg")
        self.log = os.path.join(work, "nagios.log")
        self.cmd = os.path.join(work, "rw", "nagios.cmd")
        self.proc = None
        self.pids = []
        self.cmd_lock = threading.Lock()

    def write_objects(self, with_new=False, http_url=HTTP_URL_OK):
        d = os.path.join(self.work, "objects")
        for name, text in [("commands.cfg", commands_cfg(self.work, http_url)), ("contacts.cfg", CONTACTS_CFG),
                           ("hosts.cfg", hosts_cfg(with_new)), ("services.cfg", services_cfg(with_new))]:
            with open(os.path.join(d, name), "w") as f:
                f.write(text)

    def setup(self):
        for d in ("objects", "rw", "tmp", "archives", "spool", "spool/checkresults"):
            os.makedirs(os.path.join(self.work, d), exist_ok=True)
        with open(self.cfg, "w") as f:
            f.write(nagios_cfg(self.work))
        with open(os.path.join(self.work, "resource.cfg"), "w") as f:
            f.write("# Sets $USER1$ to be the path to the plugins\n$USER1$=%s\n" % PLUGINS)
        self.write_objects()
        pw = pwd.getpwnam("nagios")
        for root, dirs, files in os.walk(self.work):
            for p in [root] + [os.path.join(root, x) for x in files]:
                os.chown(p, pw.pw_uid, pw.pw_gid)
        self.verify()

    def verify(self):
        """What the admin runs before each reload (`nagios4 -v`); it writes nothing to the log."""
        r = subprocess.run([NAGIOS, "-v", self.cfg], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           env=dict(os.environ, TZ="UTC"))
        if r.returncode != 0:
            raise SystemExit("nagios4 -v failed:\n" + r.stdout.decode(errors="replace")[-3000:])

    def version(self):
        r = subprocess.run([NAGIOS, "--version"], stdout=subprocess.PIPE)
        m = re.search(rb"Nagios Core (\S+)", r.stdout)
        return m.group(1).decode() if m else "?"

    def start(self):
        self.out = open(os.path.join(self.work, "nagios.stdout"), "wb")
        self.proc = subprocess.Popen([NAGIOS, self.cfg], cwd=self.work, stdout=self.out, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, TZ="UTC"), start_new_session=True)
        deadline = now() + 30
        while now() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("nagios4 exited with %s" % self.proc.returncode)
            if os.path.exists(self.log) and b"Successfully launched command file worker" in open(self.log, "rb").read():
                return
            time.sleep(0.2)
        raise SystemExit("nagios4 did not start")

    def reload(self):
        self.verify()
        self.proc.send_signal(signal.SIGHUP)

    def submit(self, lines):
        """Writes external commands to the command pipe, as send_nsca / the CGIs do."""
        data = "".join(lines).encode()
        with self.cmd_lock:
            try:
                fd = os.open(self.cmd, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                return False
            try:
                fl = fcntl.fcntl(fd, fcntl.F_GETFL)
                fcntl.fcntl(fd, fcntl.F_SETFL, fl & ~os.O_NONBLOCK)
                os.write(fd, data)
            finally:
                os.close(fd)
        return True

    def command(self, text):
        return self.submit(["[%d] %s\n" % (int(now()), text)])

    def stop(self):
        if self.proc is None:
            return
        self.pids = descendants(self.proc.pid)
        stop_process(self.proc, (signal.SIGTERM,), 20)
        time.sleep(0.5)
        kill_leftovers(self.pids + descendants(self.proc.pid), NAGIOS.encode(), at_start=True)
        kill_leftovers(self.pids, PLUGINS.encode(), at_start=True)
        self.out.close()


# ---- the log -------------------------------------------------------------------------------------------------------

LINE = re.compile(r"^\[(\d+)\] (.*)$")


def read_log(path):
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if m:
                out.append((int(m.group(1)), m.group(2)))
    return out


def wait_log(path, pattern, since, timeout):
    """Waits until a line matching pattern with a stamp >= since appears; its stamp, or None after timeout."""
    rx = re.compile(pattern)
    deadline = now() + timeout
    while now() < deadline:
        for t, text in read_log(path):
            if t >= int(since) and rx.search(text):
                return t
        time.sleep(0.5)
    return None


# ---- the passive feed ----------------------------------------------------------------------------------------------

class Server:
    """A passive server's state, as its NRPE-style checks would report it."""

    def __init__(self, name, addr, role, rng):
        self.name, self.addr, self.role = name, addr, role
        self.disk_total = {"files": 1907729, "backup": 3815458, "log": 476837, "git": 238418}.get(
            role, rng.choice([40960, 51200, 81920, 102400]))                    # MiB
        self.disk_used = rng.uniform(0.25, 0.68) if role != "log" else 0.815
        self.load = {"build": 2.0, "ci": 1.5, "k8s": 1.2, "app": 0.8, "mq": 0.6, "cache": 0.4}.get(role, 0.2)
        self.procs = {"k8s": 260, "app": 180, "build": 210, "ci": 190}.get(role, 130) + rng.randint(-20, 20)
        self.swap_total = rng.choice([2047, 4095, 975])
        self.swap_used = rng.uniform(0.0, 0.15)
        self.l1 = self.l5 = self.l15 = self.load
        self.spike = False
        self.queue = 0

    def results(self, rng):
        out = []
        # Disk /
        self.disk_used = min(0.95, self.disk_used + rng.uniform(-0.0004, 0.0008))
        total_b = self.disk_total * 1048576
        used_b = int(total_b * self.disk_used)
        free_mib = (total_b - used_b) // 1048576
        free_pct = int(100 * (total_b - used_b) / total_b)
        code = 2 if free_pct < 10 else 1 if free_pct < 20 else 0
        out.append(("Disk /", code, "DISK %s - free space: / %dMiB (%d%% inode=%d%%);| /=%dB;%d;%d;0;%d" % (
            ["OK", "WARNING", "CRITICAL"][code], free_mib, free_pct, rng.randint(86, 97), used_b,
            int(total_b * 0.8), int(total_b * 0.9), total_b)))
        # Load
        target = self.load * rng.uniform(0.6, 1.5) + (rng.uniform(8.5, 11.5) if self.spike else 0)
        self.l1 = max(0.0, target)
        self.l5 = self.l5 + (self.l1 - self.l5) * 0.6
        self.l15 = self.l15 + (self.l1 - self.l15) * 0.25
        code = 2 if (self.l1 > 15 or self.l5 > 10 or self.l15 > 8) else \
            1 if (self.l1 > 8 or self.l5 > 6 or self.l15 > 4) else 0
        out.append(("Load", code, "LOAD %s - total load average: %.2f, %.2f, %.2f|load1=%.3f;8.000;15.000;0; "
                    "load5=%.3f;6.000;10.000;0; load15=%.3f;4.000;8.000;0;" % (
                        ["OK", "WARNING", "CRITICAL"][code], self.l1, self.l5, self.l15, self.l1, self.l5, self.l15)))
        # Swap
        self.swap_used = min(0.5, max(0.0, self.swap_used + rng.uniform(-0.005, 0.006)))
        free = int(self.swap_total * (1 - self.swap_used))
        out.append(("Swap", 0, "SWAP OK - %d%% free (%dMB out of %dMB) |swap=%dB;%d;%d;0;%d" % (
            int(100 * free / self.swap_total), free, self.swap_total, free * 1048576,
            int(self.swap_total * 1048576 * 0.2), int(self.swap_total * 1048576 * 0.1),
            self.swap_total * 1048576)))
        # Total Processes
        n = self.procs + rng.randint(-6, 6) + (40 if self.spike else 0)
        out.append(("Total Processes", 0, "PROCS OK: %d processes | procs=%d;400;500;0;" % (n, n)))
        # NTP Time
        off = rng.gauss(0, 0.0012)
        out.append(("NTP Time", 0, "NTP OK: Offset %.10g secs|offset=%.6fs;0.500000;1.000000;" % (off, off)))
        if self.role == "mail":
            self.queue = max(0, min(8, self.queue + rng.choice([-2, -1, 0, 0, 1, 2])))
            if self.queue == 0:
                out.append(("Mail Queue", 0, "OK: mailq is empty|unsent=0;10;20;0"))
            else:
                out.append(("Mail Queue", 0, "OK: mailq (%d) is below threshold (10/20)|unsent=%d;10;20;0"
                            % (self.queue, self.queue)))
        return out


class Feed:
    """send_nsca from every passive server, each once a 'minute' (60 s * SCALE) at its own phase."""

    def __init__(self, nagios, seed):
        self.nagios = nagios
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.servers = {n: Server(n, a, r, self.rng) for n, (a, r) in FLEET.items()}
        self.heap = [(now() + self.rng.uniform(1, S(60)), n) for n in self.servers]
        heapq.heapify(self.heap)
        self.paused = {}
        self.counts = {"results": 0, "batches": 0}
        self.thread = threading.Thread(target=self.run, daemon=True)

    def add(self, name, addr, role, first):
        with self.lock:
            self.servers[name] = Server(name, addr, role, self.rng)
            heapq.heappush(self.heap, (first, name))

    def pause(self, name, until):
        with self.lock:
            self.paused[name] = until

    def next_at(self, name, t):
        """Moves a server's next run to t (its cron job's phase)."""
        with self.lock:
            self.heap = [(t if n == name else x, n) for x, n in self.heap]
            heapq.heapify(self.heap)

    def run(self):
        while not self.stop.wait(0.05):
            with self.lock:
                if not self.heap or self.heap[0][0] > now():
                    continue
                _, name = heapq.heappop(self.heap)
                heapq.heappush(self.heap, (now() + S(60) + self.rng.uniform(-1.5, 1.5) * SCALE, name))
                if self.paused.get(name, 0) > now():
                    continue
                srv = self.servers[name]
                res = srv.results(self.rng)
            t = int(now())
            lines = ["[%d] PROCESS_SERVICE_CHECK_RESULT;%s;%s;%d;%s\n" % (t, name, svc, code, text)
                     for svc, code, text in res]
            if self.nagios.submit(lines):
                self.counts["results"] += len(lines)
                self.counts["batches"] += 1

    def start(self):
        self.thread.start()

    def finish(self):
        self.stop.set()
        self.thread.join(5)


class Operators:
    """People using the web UI: a forced re-check or a comment now and then (EXTERNAL COMMAND lines)."""

    def __init__(self, nagios, seed):
        self.nagios = nagios
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        targets = [("web02", "HTTP"), ("api01", "API health"), ("db01", "PostgreSQL port"), ("localhost", "Current Load"),
                   ("web03", "Login page"), ("web02", "Login page"), ("localhost", "Root Partition")]
        nxt = now() + S(self.rng.uniform(30, 80))
        while not self.stop.wait(0.2):
            if now() < nxt:
                continue
            nxt = now() + S(self.rng.uniform(70, 150))
            r = self.rng.random()
            if r < 0.6:
                h, s = self.rng.choice(targets)
                self.nagios.command("SCHEDULE_FORCED_SVC_CHECK;%s;%s;%d" % (h, s, int(now())))
            elif r < 0.8:
                h = self.rng.choice(["web01", "web02", "web03", "api01", "db01", "nas01"])
                self.nagios.command("SCHEDULE_FORCED_HOST_CHECK;%s;%d" % (h, int(now())))
            else:
                h = self.rng.choice(list(FLEET))
                self.nagios.command("ADD_HOST_COMMENT;%s;1;%s;%s" % (
                    h, self.rng.choice(["mmeyer", "jdoe", "akaya"]),
                    self.rng.choice(["kernel update scheduled for Sunday", "owner: platform team",
                                     "RAM upgrade ordered (OPS-1207)", "moved to rack B4"])))

    def start(self):
        self.thread.start()

    def finish(self):
        self.stop.set()
        self.thread.join(5)


def old_host_feed(nagios, stop, rng):
    """old-ci02: decommissioned in Nagios, but its cron job still sends its results."""
    srv = Server(OLD_HOST[0], OLD_HOST[1], OLD_HOST[2], rng)
    nxt = now() + S(rng.uniform(5, 60))
    while not stop.wait(0.2):
        if now() >= nxt:
            nxt = now() + S(60) + rng.uniform(-1.5, 1.5) * SCALE
            t = int(now())
            nagios.submit(["[%d] PROCESS_SERVICE_CHECK_RESULT;%s;%s;%d;%s\n" % (t, srv.name, s, c, x)
                           for s, c, x in srv.results(rng) if s in ("Disk /", "Load")])


def make_labels(labels, log, m):
    """The three incidents' labels, from the log's lines and the measured times m."""
    hms = lambda t: time.strftime("%H:%M:%S", time.gmtime(t))
    # 1.
    a = [(t, x) for t, x in log if m["a_start"] - 1 <= t <= m["a_end"] + 2 and
         re.match(r"(SERVICE ALERT|SERVICE NOTIFICATION|SERVICE EVENT HANDLER|EXTERNAL COMMAND: "
                  r"ACKNOWLEDGE_SVC_PROBLEM)(: |;)([\w-]+;)?api01;", x)]
    crit = [x for t, x in a if x.startswith("SERVICE ALERT") and ";CRITICAL;" in x]
    notes = [x.split(";")[3] for t, x in a if x.startswith("SERVICE NOTIFICATION")]
    if crit:
        outputs = sorted({x.split(";", 5)[5] for x in crit})
        labels.add("api-down", a[0][0], a[-1][0], "service-down", "api01|127.0.0.12|API health|API port",
                   "the order API on api01 crashed at %s (its listener on 127.0.0.12:%d gone) and was restarted %d s "
                   "later: %d SERVICE ALERT lines for api01's API health and API port going CRITICAL SOFT 1-2 then "
                   "HARD 3 (%s), SERVICE EVENT HANDLER lines (restart-orders-api), %d SERVICE NOTIFICATION lines (%s "
                   "to nagiosadmin and oncall-pager; the ACKNOWLEDGEMENT ones after jdoe's ACKNOWLEDGE_SVC_PROBLEM), "
                   "then OK HARD"
                   % (hms(m["a_start"]), API_PORT, round(m["a_restart"] - m["a_start"]), len(crit),
                      ", ".join("'%s'" % o for o in outputs), len(notes),
                      ", ".join(sorted(set(notes), key=notes.index))))
    # 2.
    b = [(t, x) for t, x in log if m["b_start"] - 1 <= t <= m["b_end"] + 2]
    bad = [(t, x) for t, x in b if "execvp(/usr/local/nagios/libexec/check_http" in x]
    if bad:
        hosts = sorted({x.split(";")[0].split(": ")[1] for t, x in bad if x.startswith("SERVICE ALERT")})
        recov = [(t, x) for t, x in b if re.match(r"SERVICE (ALERT: web0\d;HTTP;OK;HARD|NOTIFICATION: [\w-]+;"
                                                   r"web0\d;HTTP;OK)", x)]
        hup = [t for t, x in b if x.startswith("Caught SIGHUP")]
        n_alert = sum(1 for t, x in bad if x.startswith("SERVICE ALERT"))
        n_note = sum(1 for t, x in bad if x.startswith("SERVICE NOTIFICATION"))
        labels.add("bad-command", min(hup + [bad[0][0]]), max(t for t, x in bad + recov), "misconfiguration",
                   "check_http_url|/usr/local/nagios/libexec/check_http|HTTP|web01|web02|web03",
                   "an admin changed the site's check_http_url command to /usr/local/nagios/libexec/check_http (a "
                   "path from a source-install howto; Debian's plugins are in /usr/lib/nagios/plugins) and reloaded "
                   "('Caught SIGHUP, restarting...', the startup lines, INITIAL HOST/SERVICE STATE lines); the HTTP "
                   "service of %s then failed: %d SERVICE ALERT lines (CRITICAL SOFT 1-2, HARD 3) and %d SERVICE "
                   "NOTIFICATION lines (to nagiosadmin and oncall-pager) with '(No output on stdout) stderr: "
                   "execvp(/usr/local/nagios/libexec/check_http, ...) failed. errno is 2: No such file or "
                   "directory'; %d s after the first reload the admin fixed the path and reloaded again, and the "
                   "next checks recovered (%d lines: OK HARD and RECOVERY notifications)"
                   % (", ".join(hosts), n_alert, n_note, round(m["b_fix"] - m["b_start"]), len(recov)))
    # 3.
    f = [(t, x) for t, x in log if m["f_start"] - 1 <= t <= m["f_end"] + 2 and
         re.match(r"(HOST ALERT|HOST NOTIFICATION|HOST FLAPPING ALERT|SERVICE ALERT|SERVICE NOTIFICATION|"
                  r"SERVICE FLAPPING ALERT)(: |: [\w-]+;)nas01;", x)]
    if f:
        alerts = [x.split(";") for t, x in f if x.startswith("HOST ALERT")]
        kinds = {}
        for p in alerts:
            k = "%s %s" % (p[1], p[2])
            kinds[k] = kinds.get(k, 0) + 1
        svc = [x for t, x in f if x.startswith("SERVICE ALERT")]
        hnotes = [x.split(";")[2] for t, x in f if x.startswith("HOST NOTIFICATION")]
        started = any(x.startswith("HOST FLAPPING ALERT") and "STARTED" in x for t, x in f)
        stopped = m["stopped"]
        labels.add("nas01-flapping", f[0][0], f[-1][0], "host-flapping", "nas01|127.0.0.14",
                   "nas01's switch port flapped for %d s (the host unreachable %d times, 9-20 s each; its host check, "
                   "check_tcp to :%d, timing out: 'CRITICAL - Socket timeout after 4 seconds'): %d HOST ALERT lines "
                   "(%s), %d SERVICE ALERT lines for nas01's SSH ('CRITICAL - Socket timeout after 10 seconds' and "
                   "back), %s; HOST NOTIFICATIONs: %s; after the port was replaced the host stayed UP and %s"
                   % (round(m["f_fixed"] - m["f_start"]), m["outages"], TCP_PORT, len(alerts),
                      ", ".join("%d %s" % (v, k) for k, v in kinds.items()), len(svc),
                      "'HOST FLAPPING ALERT: nas01;STARTED; Host appears to have started flapping (... change > "
                      "20.0% threshold)'" if started else "no FLAPPING START",
                      ", ".join(hnotes) or "none",
                      "'HOST FLAPPING ALERT: nas01;STOPPED' came once its 21-check state history had settled, %d s "
                      "after the fix" % round(stopped - m["f_fixed"]) if stopped else
                      "flapping had not stopped by the end"))


# ---- main ----------------------------------------------------------------------------------------------------------

def main():
    work = begin(OUT, "nagios", __doc__, readable=True)
    nagios = Nagios(work)
    labels = Labels()
    webs = [Http(a, WEB_PORT, WebHandler) for a in (WEB01, WEB02, WEB03)]
    api01 = Http(API01, API_PORT, ApiHandler)
    db01 = nas01 = None
    feed = ops = None
    stop_old = threading.Event()
    ok = False
    try:
        labels.note("made by bench/real-logs/nagios.py: real Nagios Core %s (Debian nagios4-core) with Debian's "
                    "monitoring-plugins-basic, run as `nagios4 nagios.cfg` (started as root, drops to user nagios), "
                    "Debian's nagios.cfg with its files in a temp dir, log_rotation_method=n, use_syslog=0, "
                    "log_initial_states=1, interval_length=5 (checks every 30 s, retries every 10 s, hosts pinged "
                    "every 50 s, nas01's host check every 5 s); active checks of small HTTP/TCP services on "
                    "127.0.0.11-16 (ports 20187-20189), 24 passive servers 127.0.0.101-124 sending 5 results a "
                    "minute each through the command pipe (send_nsca style); notifications to spool files; TZ=UTC; "
                    "wall-clock epoch stamps" % nagios.version())
        nagios.setup()
        for w in webs + [api01]:
            w.start()
        db01 = Tcp(DB01, TCP_PORT)
        nas01 = Tcp(NAS01, TCP_PORT, b"SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u3\r\n")
        nagios.start()
        t0 = now()
        feed = Feed(nagios, 2026)
        feed.start()
        ops = Operators(nagios, 77)
        ops.start()
        threading.Thread(target=old_host_feed, args=(nagios, stop_old, random.Random(5)), daemon=True).start()

        # --- normal traffic, with the routine admin work ---
        sleep_until(t0 + S(20))
        feed.add(NEW_HOST[0], NEW_HOST[1], NEW_HOST[2], now() + S(2))      # ci03's send_nsca is set up first
        sleep_until(t0 + S(45))
        nagios.write_objects(with_new=True)                                 # ... then the admin adds it
        nagios.reload()
        new_host_reload = now()
        sleep_until(t0 + S(70))
        nagios.command("ACKNOWLEDGE_SVC_PROBLEM;log01;Disk /;1;1;1;mmeyer;/var/log growing, cleanup in OPS-1182")
        sleep_until(t0 + S(90))

        # --- 1. the order API crashes ---
        a_start = now()
        api01.stop()
        hard = wait_log(nagios.log, r"^SERVICE ALERT: api01;API health;CRITICAL;HARD", a_start, S(90) + 10)
        if hard:
            sleep_until(max(now(), hard + S(12)))
            nagios.command("ACKNOWLEDGE_SVC_PROBLEM;api01;API health;2;1;1;jdoe;orders-api OOM-killed, restarting it")
        sleep_until(max(now(), a_start + S(60)))
        api01.start()
        a_restart = now()
        rec = [wait_log(nagios.log, r"^SERVICE ALERT: api01;%s;OK;HARD" % s, a_restart, S(60) + 10)
               for s in ("API health", "API port")]
        a_end = max([x for x in rec if x] + [a_restart])
        time.sleep(1)

        # --- gap: build02's patch window ---
        sleep_until(a_end + S(10))
        t = int(now())
        dur = int(S(45))
        nagios.command("SCHEDULE_HOST_DOWNTIME;build02;%d;%d;1;0;%d;akaya;monthly patching" % (t, t + dur, dur))
        nagios.command("SCHEDULE_HOST_SVC_DOWNTIME;build02;%d;%d;1;0;%d;akaya;monthly patching" % (t, t + dur, dur))
        sleep_until(a_end + S(15))
        feed.pause("build02", now() + S(30))                                  # reboot
        sleep_until(a_end + S(65))

        # --- 2. a broken command definition ---
        b_start = now()
        nagios.write_objects(with_new=True, http_url=HTTP_URL_BAD)
        nagios.reload()
        broken = wait_log(nagios.log, r"^SERVICE ALERT: web0\d;HTTP;CRITICAL;HARD;.*execvp", b_start, S(90) + 10)
        sleep_until(max(now(), b_start + S(70), (broken or 0) + S(15)))
        nagios.write_objects(with_new=True, http_url=HTTP_URL_OK)
        nagios.reload()
        b_fix = now()
        rec = [wait_log(nagios.log, r"^SERVICE ALERT: %s;HTTP;OK;HARD" % h, b_fix, S(60) + 10)
               for h in ("web01", "web02", "web03")]
        b_end = max([x for x in rec if x] + [b_fix])
        time.sleep(1)

        # --- gap: a CI build loads build01 ---
        sleep_until(b_end + S(5))
        feed.servers["build01"].spike = True
        feed.next_at("build01", now() + S(2))
        sleep_until(b_end + S(35))
        feed.servers["build01"].spike = False
        feed.next_at("build01", b_end + S(62))
        sleep_until(b_end + S(75))

        # --- 3. nas01's switch port flaps ---
        f_start = now()
        pattern = [(13, 8), (20, 7), (9, 11), (16, 9)]
        for down, up in pattern:
            nas01.link_down()
            time.sleep(S(down))
            nas01.link_up()
            time.sleep(S(up))
        f_fixed = now()
        stopped = wait_log(nagios.log, r"^HOST FLAPPING ALERT: nas01;STOPPED", f_fixed, S(200) + 10)
        f_end = stopped if stopped else now()
        time.sleep(1)
        sleep_until(f_end + S(50))

        ops.finish()
        feed.finish()
        stop_old.set()
        time.sleep(2)
        log = read_log(nagios.log)

        make_labels(labels, log, dict(a_start=a_start, a_restart=a_restart, a_end=a_end, b_start=b_start,
                                      b_fix=b_fix, b_end=b_end, f_start=f_start, f_fixed=f_fixed, f_end=f_end,
                                      stopped=stopped, outages=len(pattern)))
        print("%s: feed %s, %d log lines, run %d s; reload for ci03 at %s" % (
            NAME, feed.counts, len(log), round(now() - t0),
            time.strftime("%H:%M:%S", time.gmtime(new_host_reload))), file=sys.stderr)
        ok = True
    finally:
        if ops:
            ops.finish()
        if feed:
            feed.finish()
        stop_old.set()
        nagios.stop()
        for s in webs + [api01]:
            s.stop()
        for s in (db01, nas01):
            if s:
                s.close()
        if ok:
            keep_log(nagios.log, OUT, NAME, labels)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
