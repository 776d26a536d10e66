#!/usr/bin/env python3
"""Runs a real Apache ActiveMQ Classic broker (Debian activemq 5.17.2, OpenJDK 17) as a web shop's message broker on
127.0.0.1, drives the shop's STOMP traffic through it, injects labelled incidents and keeps the broker's own log,
activemq.log, exactly as ActiveMQ wrote it: the layout the distribution configures for the file appender,
"%d | %-5p | %m | %c | %t%n" ("2026-12-03 17:28:20,688 | WARN  | Security Error occurred on connection to:
tcp://127.0.0.71:60069, User name [billing] or password is invalid. |
org.apache.activemq.broker.TransportConnection.Service | ActiveMQ Transport: tcp:///127.0.0.71:60069@20202"; a
logged exception's stack trace follows on lines of its own), with the distribution's default levels (root INFO;
Spring, XBean, Jetty and the web handler at WARN).

How it runs: as the Debian package launches it (/usr/bin/activemq, /usr/share/activemq/activemq-options), but as a
plain java process in the foreground, started by this script as Debian's activemq user:
  java -Xms512M -Xmx512M -Dorg.apache.activemq.UseDedicatedTaskRunner=true --add-opens ... -Djava.awt.headless=true
       -Djava.io.tmpdir=WORK/tmp -Dactivemq.classpath=WORK/conf:WORK/../lib/ -Dactivemq.home=/usr/share/activemq
       -Dactivemq.base=WORK -Dactivemq.conf=WORK/conf -Dactivemq.data=WORK/data
       -jar /usr/share/activemq/bin/activemq.jar start xbean:activemq.xml
with TZ=UTC, stopped with SIGTERM (the broker's shutdown hook logs its shutdown). The Debian package logs through
slf4j-log4j12 and log4j 1.2 (there is no log4j2 jar in it, so the log4j2.properties it ships is never read and its
own instance would log nothing); so WORK/conf holds upstream's log4j.properties (ActiveMQ 5.15's, the last with log4j
1.2: the same console and logfile appenders and pattern, the audit logger to its own audit.log) writing
WORK/data/activemq.log, with maxFileSize raised to 64MB so that the run's log never rolls over.
WORK/conf/activemq.xml (upstream's default activemq.xml, adapted): brokerName shop-mq, useJmx false (JMX off, as in
Debian's instance), schedulePeriodForDestinationPurge 10 s; policies: topics with a constantPendingMessageLimit of
1000 (upstream's default), the export jobs' per-job queues export.> garbage-collected 30 s after they are last used;
KahaDB in WORK/data/kahadb with 4 MB journal files; simpleAuthenticationPlugin with one user for each application;
systemUsage: memory 70 % of the heap, store limit 40 mb (the small disk the VM's data volume has), temp 100 mb and
sendFailIfNoSpaceAfterTimeout 5000 (a producer blocked by a full store gets an error after 5 s instead of hanging);
transport connectors openwire tcp://127.0.0.1:PORT (maximumConnections 1000, unused by these clients) and
stomp://127.0.0.1:PORT+1 with maximumConnections 150.

usage: bench/real-logs/activemq.py OUTDIR [PORT]      (default port 20201; STOMP on PORT+1)
  writes OUTDIR/activemq-o.log (.log.gz if over 1 MB) and OUTDIR/activemq-o.labels.tsv
  SCALE=0.1 multiplies every duration of the scenario's timeline (a short run for testing; clients' rates and
  the broker's own timeouts are not scaled, so the store still takes about a minute to fill)

Clients: standard library only, each a thread speaking STOMP 1.2 over its own socket bound to its 127.0.0.X
(CONNECT with login/passcode and heart-beat, SEND with receipts, SUBSCRIBE with client-individual or client acks and
activemq.prefetchSize, ACK, UNSUBSCRIBE, queue browsing, durable topic subscriptions, DISCONNECT).
Normal traffic (about 30 messages/s):
  order-service-1/2 (127.0.0.11-12, user orders) publish orders to queue orders.created (persistent, ~1.2/s each) and
  an event to topic events.orders; payment-service (127.0.0.13, payments) consumes orders.created and publishes
  payments.settled and billing.invoices and an event; fulfilment-1..3 (127.0.0.21-23, fulfil) consume payments.settled
  and publish notifications.email, consumed by notifier-1..4 (127.0.0.31-34, notify; each stalls every 2-4 minutes for
  30 s on its SMTP relay, sending no heart-beats, and the broker closes it: "Channel was inactive for too (>10000)
  long"; it reconnects); the web front ends web-1..3 (127.0.0.41-43, audit) publish request audit records (20-80 KB,
  persistent, ~4/s each) to audit.events, consumed by audit-archiver (127.0.0.45); the ops dashboard (127.0.0.51,
  reporting) follows topic events.orders with client acks and now and then stops acking for a while ("has twice its
  prefetch limit pending, without an ack; it appears to be slow") or unsubscribes twice on a page reload ("No
  subscription matched"); crm-sync (127.0.0.53, crm) holds a durable subscription on events.orders with client-id
  crm-sync, and after a network blip (every 2-3 minutes) reconnects before the broker has dropped its old connection
  ("InvalidClientIDException ... Client: crm-sync already connected from ...") until the old one times out;
  billing-1/2 (127.0.0.71-72, billing) consume billing.invoices; stock-sync (127.0.0.81, stock) connects every 20-40 s
  to publish stock updates to stock.updates, consumed by catalog (127.0.0.82); an export job (127.0.0.61, export)
  fills a queue export.job-N every 30-60 s that the loader (127.0.0.62) empties, and the broker removes it 30 s later
  ("export.job-N Inactive for longer than 30000 ms - removing ..."); the monitoring check (127.0.0.95, monitor) sends
  and gets back a message on health.check every 15 s; an engineer (127.0.0.90, admin) browses a queue every 60-120 s
  and mistypes the password now and then (not during an incident).
Incidents (about 9-10 minutes in all: ~90 s of normal traffic first, 65 s of normal traffic after each):
  store-full          audit-archiver (127.0.0.45) hangs (a deadlock in its database writer): no heart-beats, no
                      acks; the broker closes its connection about 20 s later and audit.events backs up until the
                      KahaDB store reaches its 40 mb limit (about a minute); then every persistent send of every
                      producer blocks 5 s and fails ("Persistent store is Full, 100% of 41943040. Stopping producer
                      (...) to prevent flooding queue://...", ResourceAllocationException); 45 s after the first
                      failure the on-call restarts the archiver, which drains the backlog, and KahaDB's next cleanup
                      frees the journal files
  auth-failure        billing-service is redeployed on both hosts (127.0.0.71-72) with the staging passcode for
                      user billing; each instance retries every 1.5-3 s for 60 s ("Security Error occurred on
                      connection to: tcp://127.0.0.71:...,  User name [billing] or password is invalid.") until the
                      deployment is rolled back
  connection-limit    a new build of stock-sync (127.0.0.81) leaks a STOMP connection per update (5 a second, never
                      closed, no heart-beats): the stomp connector reaches maximumConnections=150 in about 25 s and
                      refuses every new connection, the leaking client's and everyone else's (monitoring, admin,
                      export job, reconnecting consumers): "Could not accept connection : Exceeded the maximum number
                      of allowed client connections."; 45 s later the on-call restarts stock-sync with the old build,
                      which closes its leaked connections
Needs (Debian): activemq (and its default-jre, Java 17).
"""
import base64
import calendar
import collections
import json
import os
import pwd
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

from drivers import begin, stop_process, keep_log, now, sleep_until
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 20201
STOMP_PORT = PORT + 1
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "activemq-o"
HOME = "/usr/share/activemq"
STORE_LIMIT_MB = 40
MAX_STOMP = 150

PASSWORDS = {"admin": "Adm1n-ops!", "monitor": "mon-7741", "orders": "ord-2f9c1a", "payments": "pay-88d1e2",
             "fulfil": "ful-1c44b0", "notify": "ntf-90aa3d", "audit": "aud-5e21f7", "reporting": "rep-33b8c2",
             "crm": "crm-d07e9a", "export": "exp-4b7c10", "billing": "bil-7f3e55", "stock": "stk-a6019e",
             "catalog": "cat-2d8f41"}
BAD_BILLING_PASSWORD = "bil-staging-2026"

ACTIVEMQ_XML = """<!--
    Licensed to the Apache Software Foundation (ASF) under one or more
    contributor license agreements.  See the NOTICE file distributed with
    this work for additional information regarding copyright ownership.
    The ASF licenses this file to You under the Apache License, Version 2.0
    (the "License"); you may not use this file except in compliance with
    the License.  You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

    Unless required by applicable law or agreed to in writing, software
    distributed under the License is distributed on an "AS IS" BASIS,
    WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
    See the License for the specific language governing permissions and
    limitations under the License.
-->
<!-- shop-mq: the web shop's broker (STOMP clients) -->
<beans
  xmlns="http://www.springframework.org/schema/beans"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">

    <!-- Allows us to use system properties as variables in this configuration file -->
    <bean class="org.springframework.beans.factory.config.PropertyPlaceholderConfigurer"/>

    <broker xmlns="http://activemq.apache.org/schema/core" brokerName="shop-mq" useJmx="false"
            dataDirectory="${activemq.data}" schedulePeriodForDestinationPurge="10000">

        <destinationPolicy>
            <policyMap>
              <policyEntries>
                <policyEntry topic=">" >
                  <pendingMessageLimitStrategy>
                    <constantPendingMessageLimitStrategy limit="1000"/>
                  </pendingMessageLimitStrategy>
                </policyEntry>
                <!-- one queue per export job: removed once the loader has emptied it -->
                <policyEntry queue="export.>" gcInactiveDestinations="true" inactiveTimoutBeforeGC="30000"/>
              </policyEntries>
            </policyMap>
        </destinationPolicy>

        <persistenceAdapter>
            <kahaDB directory="${activemq.data}/kahadb" journalMaxFileLength="4mb"/>
        </persistenceAdapter>

        <plugins>
            <simpleAuthenticationPlugin>
                <users>
%(users)s
                </users>
            </simpleAuthenticationPlugin>
        </plugins>

        <systemUsage>
            <systemUsage sendFailIfNoSpaceAfterTimeout="5000">
                <memoryUsage>
                    <memoryUsage percentOfJvmHeap="70" />
                </memoryUsage>
                <storeUsage>
                    <storeUsage limit="%(store)d mb"/>
                </storeUsage>
                <tempUsage>
                    <tempUsage limit="100 mb"/>
                </tempUsage>
            </systemUsage>
        </systemUsage>

        <transportConnectors>
            <transportConnector name="openwire" uri="tcp://127.0.0.1:%(openwire)d?maximumConnections=1000&amp;wireFormat.maxFrameSize=104857600"/>
            <transportConnector name="stomp" uri="stomp://127.0.0.1:%(stomp)d?maximumConnections=%(maxstomp)d&amp;wireFormat.maxFrameSize=104857600"/>
        </transportConnectors>

        <shutdownHooks>
            <bean xmlns="http://www.springframework.org/schema/beans" class="org.apache.activemq.hooks.SpringContextHook" />
        </shutdownHooks>

    </broker>

</beans>
"""

# upstream's conf/log4j.properties (ActiveMQ 5.15, log4j 1.2), maxFileSize raised so that the run's log never rolls
LOG4J = """## ---------------------------------------------------------------------------
## Licensed to the Apache Software Foundation (ASF) under one or more
## contributor license agreements.  See the NOTICE file distributed with
## this work for additional information regarding copyright ownership.
## The ASF licenses this file to You under the Apache License, Version 2.0
## (the "License"); you may not use this file except in compliance with
## the License.  You may obtain a copy of the License at
##
## http://www.apache.org/licenses/LICENSE-2.0
##
## Unless required by applicable law or agreed to in writing, software
## distributed under the License is distributed on an "AS IS" BASIS,
## WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
## See the License for the specific language governing permissions and
## limitations under the License.
## ---------------------------------------------------------------------------

#
# This file controls most of the logging in ActiveMQ which is mainly based around
# the commons logging API.
#
log4j.rootLogger=INFO, console, logfile
log4j.logger.org.apache.activemq.spring=WARN
log4j.logger.org.apache.activemq.web.handler=WARN
log4j.logger.org.springframework=WARN
log4j.logger.org.apache.xbean=WARN
log4j.logger.org.apache.camel=INFO
log4j.logger.org.eclipse.jetty=WARN

# When debugging or reporting problems to the ActiveMQ team,
# comment out the above lines and uncomment the next.

#log4j.rootLogger=DEBUG, logfile, console

# Or for more fine grained debug logging uncomment one of these
#log4j.logger.org.apache.activemq=DEBUG
#log4j.logger.org.apache.camel=DEBUG

# Console appender
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%5p | %m%n
log4j.appender.console.threshold=INFO

# File appender
log4j.appender.logfile=org.apache.log4j.RollingFileAppender
log4j.appender.logfile.file=${activemq.data}/activemq.log
log4j.appender.logfile.maxFileSize=64MB
log4j.appender.logfile.maxBackupIndex=5
log4j.appender.logfile.append=true
log4j.appender.logfile.layout=org.apache.log4j.PatternLayout
log4j.appender.logfile.layout.ConversionPattern=%d | %-5p | %m | %c | %t%n
# use some of the following patterns to see MDC logging data
#
# %X{activemq.broker}
# %X{activemq.connector}
# %X{activemq.destination}
#
# e.g.
#
# log4j.appender.logfile.layout.ConversionPattern=%d | %-20.20X{activemq.connector} | %-5p | %m | %c | %t%n

###########
# Audit log
###########

log4j.additivity.org.apache.activemq.audit=false
log4j.logger.org.apache.activemq.audit=INFO, audit

log4j.appender.audit=org.apache.log4j.RollingFileAppender
log4j.appender.audit.file=${activemq.data}/audit.log
log4j.appender.audit.maxFileSize=1024KB
log4j.appender.audit.maxBackupIndex=5
log4j.appender.audit.append=true
log4j.appender.audit.layout=org.apache.log4j.PatternLayout
log4j.appender.audit.layout.ConversionPattern=%-5p | %m | %t%n
"""

# what /usr/bin/activemq passes to a Java newer than 8, and Debian's activemq-options' ACTIVEMQ_OPTS
JAVA_OPTS = ["-Xms512M", "-Xmx512M", "-Dorg.apache.activemq.UseDedicatedTaskRunner=true",
             "--add-reads=java.xml=java.logging",
             "--add-opens", "java.base/java.security=ALL-UNNAMED", "--add-opens", "java.base/java.net=ALL-UNNAMED",
             "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.util=ALL-UNNAMED",
             "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
             "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
             "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
             "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
             "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
             "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
             "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
             "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
             "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED"]

def listening(ports):
    """Whether something listens on 127.0.0.1 at every one of ports: in /proc/net/tcp, or in /proc/net/tcp6 as
    ::ffff:127.0.0.1 (Java's sockets are dual-stack); read from /proc, as a test connection would show in the log."""
    want = {"0100007F:%04X" % p for p in ports}
    have = set()
    for name, prefix in (("/proc/net/tcp", ""), ("/proc/net/tcp6", "0000000000000000FFFF0000")):
        try:
            with open(name) as f:
                for l in list(f)[1:]:
                    a = l.split()
                    if a[3] == "0A" and a[1].startswith(prefix):
                        have.add(a[1][len(prefix):])
        except OSError:
            pass
    return want <= have


LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) \| (\w+) *\| (.*)$")


class Broker:
    """The ActiveMQ broker: its work dir (ACTIVEMQ_BASE), config, java process and log."""

    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "conf")
        self.data = os.path.join(work, "data")
        self.tmp = os.path.join(work, "tmp")
        self.log = os.path.join(self.data, "activemq.log")
        self.console = os.path.join(work, "console.out")
        self.proc = None
        self.version = "?"

    def setup(self):
        os.makedirs(self.conf)
        users = "\n".join('                    <authenticationUser username="%s" password="%s" groups="%s"/>'
                          % (u, p, "admins" if u == "admin" else "users") for u, p in PASSWORDS.items())
        with open(os.path.join(self.conf, "activemq.xml"), "w") as f:
            f.write(ACTIVEMQ_XML % {"users": users, "store": STORE_LIMIT_MB, "openwire": PORT, "stomp": STOMP_PORT,
                                    "maxstomp": MAX_STOMP})
        with open(os.path.join(self.conf, "log4j.properties"), "w") as f:
            f.write(LOG4J)
        amq = pwd.getpwnam("activemq")
        for d in (self.data, self.tmp):
            os.makedirs(d)
            os.chown(d, amq.pw_uid, amq.pw_gid)
        os.chown(self.work, amq.pw_uid, amq.pw_gid)
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "activemq"], capture_output=True, text=True)
        self.version = out.stdout.strip() or "?"

    def start(self):
        java = shutil.which("java")
        cmd = [java] + JAVA_OPTS + [
            "-Djava.awt.headless=true", "-Djava.io.tmpdir=%s" % self.tmp,
            "-Dactivemq.classpath=%s:%s/../lib/" % (self.conf, self.work), "-Dactivemq.home=%s" % HOME,
            "-Dactivemq.base=%s" % self.work, "-Dactivemq.conf=%s" % self.conf, "-Dactivemq.data=%s" % self.data,
            "-jar", os.path.join(HOME, "bin", "activemq.jar"), "start", "xbean:activemq.xml"]
        env = {"PATH": "/usr/bin:/bin", "TZ": "UTC", "LANG": "C.UTF-8", "HOME": self.work}
        with open(self.console, "wb") as out:
            self.proc = subprocess.Popen(cmd, cwd=self.work, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, user="activemq", group="activemq",
                                         extra_groups=[], start_new_session=True)
        deadline = now() + 90
        while not (self.lines(0, lambda m: ") started" in m) and listening([PORT, STOMP_PORT])):
            if self.proc.poll() is not None or now() > deadline:
                with open(self.console, errors="replace") as f:
                    sys.stderr.write(f.read()[-3000:])
                raise SystemExit("activemq did not start (exit status %s)" % self.proc.poll())
            time.sleep(0.2)

    def stop(self):
        stop_process(self.proc, seconds=30)

    def lines(self, since, pred=lambda m: True):
        """[(epoch, level, message)] of the log's lines (not stack trace lines) at or after since matching pred."""
        found = []
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                for line in f:
                    m = LINE.match(line)
                    if not m:
                        continue
                    t = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")) + int(m.group(2)) / 1000
                    if t >= since and pred(m.group(4)):
                        found.append((t, m.group(3), m.group(4)))
        except FileNotFoundError:
            pass
        return found


# ---- STOMP 1.2 ------------------------------------------------------------------------------------------------------

class Closed(Exception):
    pass


class StompError(Exception):
    pass


class Frame:
    def __init__(self, cmd, headers, body):
        self.cmd, self.headers, self.body = cmd, headers, body


def unescape(v):
    return v.replace("\\c", ":").replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\")


class Stomp:
    """One STOMP 1.2 connection from a chosen source address, used by one thread. heart_beat: how often (ms) the
    client promises to send something (0: no heart-beats); it asks for none from the broker."""

    def __init__(self, src, user, passcode, client_id=None, heart_beat=0, timeout=10.0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.buf = b""
        self.inbox = collections.deque()
        self.hb = heart_beat / 1000.0
        self.last_send = now()
        self.receipts = 0
        try:
            self.sock.bind((src, 0))
            self.sock.settimeout(timeout)
            self.sock.connect(("127.0.0.1", STOMP_PORT))
            headers = {"accept-version": "1.2", "host": "shop-mq", "login": user, "passcode": passcode,
                       "heart-beat": "%d,0" % heart_beat}
            if client_id:
                headers["client-id"] = client_id
            self.write("CONNECT", headers)
            f = self.recv(timeout)
        except OSError as e:
            self.close()
            raise Closed("connect: %s" % e)
        except Closed:
            self.close()
            raise
        if f is None:
            self.close()
            raise Closed("no CONNECTED")
        if f.cmd == "ERROR":
            self.close()
            raise StompError(unescape(f.headers.get("message", "")))

    def write(self, cmd, headers, body=b""):
        data = cmd.encode() + b"\n" + "".join("%s:%s\n" % kv for kv in headers.items()).encode() + b"\n" + body + b"\0"
        try:
            self.sock.sendall(data)
        except OSError as e:
            raise Closed("write: %s" % e)
        self.last_send = now()

    def beat(self):
        if self.hb and now() - self.last_send > self.hb / 2:
            try:
                self.sock.sendall(b"\n")
            except OSError as e:
                raise Closed("heart-beat: %s" % e)
            self.last_send = now()

    def parse(self):
        """The next complete frame in the buffer, or None."""
        self.buf = self.buf.lstrip(b"\r\n")
        end = self.buf.find(b"\n\n")
        if end < 0:
            return None
        head = self.buf[:end].decode("utf-8", "replace").split("\n")
        headers = {}
        for h in head[1:]:
            k, _, v = h.partition(":")
            headers.setdefault(k, v)
        start = end + 2
        if "content-length" in headers:
            n = int(headers["content-length"])
            if len(self.buf) < start + n + 1:
                return None
            body, rest = self.buf[start:start + n], self.buf[start + n + 1:]
        else:
            z = self.buf.find(b"\0", start)
            if z < 0:
                return None
            body, rest = self.buf[start:z], self.buf[z + 1:]
        self.buf = rest
        return Frame(head[0].strip(), headers, body)

    def recv(self, wait):
        """The next frame within wait seconds (None when there is none), sending heart-beats meanwhile."""
        deadline = now() + wait
        while True:
            f = self.parse()
            if f is not None:
                return f
            self.beat()
            left = deadline - now()
            if left <= 0:
                return None
            self.sock.settimeout(min(left, 1.0))
            try:
                data = self.sock.recv(262144)
            except socket.timeout:
                continue
            except OSError as e:
                raise Closed("read: %s" % e)
            if not data:
                raise Closed("closed by the broker")
            self.buf += data

    def pump(self, seconds):
        """Waits seconds, keeping the connection alive; MESSAGE frames go to the inbox."""
        deadline = now() + seconds
        while now() < deadline:
            f = self.recv(deadline - now())
            if f is None:
                return
            if f.cmd == "MESSAGE":
                self.inbox.append(f)
            elif f.cmd == "ERROR":
                raise StompError(unescape(f.headers.get("message", "")))

    def message(self, wait):
        """The next MESSAGE within wait seconds, or None."""
        if self.inbox:
            return self.inbox.popleft()
        deadline = now() + wait
        while True:
            f = self.recv(max(0.0, deadline - now()))
            if f is None:
                return None
            if f.cmd == "MESSAGE":
                return f
            if f.cmd == "ERROR":
                raise StompError(unescape(f.headers.get("message", "")))
            if now() >= deadline:
                return None

    def request(self, cmd, headers, body=b"", wait=20.0):
        """Sends a frame with a receipt and waits for it; StompError for an ERROR frame."""
        self.receipts += 1
        rid = "r-%d" % self.receipts
        headers = dict(headers, receipt=rid)
        self.write(cmd, headers, body)
        deadline = now() + wait
        while True:
            f = self.recv(max(0.0, deadline - now()))
            if f is None:
                raise Closed("no receipt for %s" % cmd)
            if f.cmd == "MESSAGE":
                self.inbox.append(f)
            elif f.cmd == "RECEIPT" and f.headers.get("receipt-id") == rid:
                return
            elif f.cmd == "ERROR":
                raise StompError(unescape(f.headers.get("message", "")))

    def send(self, dest, body, persistent=True, receipt=True, headers=None):
        h = {"destination": dest, "content-type": "application/json", "content-length": str(len(body))}
        if persistent:
            h["persistent"] = "true"
        h.update(headers or {})
        if receipt:
            self.request("SEND", h, body)
        else:
            self.write("SEND", h, body)

    def subscribe(self, dest, sid, ack="client-individual", prefetch=None, headers=None):
        h = {"destination": dest, "id": sid, "ack": ack}
        if prefetch:
            h["activemq.prefetchSize"] = str(prefetch)
        h.update(headers or {})
        self.write("SUBSCRIBE", h)

    def ack(self, f):
        self.write("ACK", {"id": f.headers.get("ack", f.headers.get("message-id", ""))})

    def disconnect(self):
        try:
            self.request("DISCONNECT", {}, wait=5)
        except (Closed, StompError):
            pass
        self.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


# ---- normal traffic -------------------------------------------------------------------------------------------------

ERRORS = (Closed, StompError, OSError)
BLOB = base64.b64encode(random.Random(5).randbytes(300000))


def body(kind, rng, **fields):
    d = {"type": kind, "ts": round(now(), 3)}
    d.update(fields)
    return json.dumps(d).encode()


class Traffic:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.threads = []
        self.quiet_admin = threading.Event()   # no mistyped admin passwords during an incident
        self.order_no = 100000
        self.job_no = 4180
        # incident switches
        self.archiver_hung = threading.Event()
        self.archiver_hang_at = None
        self.billing_bad = threading.Event()
        self.stock_leak = threading.Event()
        self.leaked = []
        self.refused = collections.Counter()

    def count(self, k, n=1):
        with self.lock:
            self.counts[k] += n

    def wait(self, seconds):
        return self.stop.wait(seconds)

    def role(self, fn, *args):
        t = threading.Thread(target=fn, args=args, daemon=True)
        self.threads.append(t)
        t.start()

    def connect(self, name, src, user, password=None, retry=3.0, **kw):
        """Connects, retrying every `retry` s (jittered) until stop; None when stopped."""
        while not self.stop.is_set():
            try:
                c = Stomp(src, user, password or PASSWORDS[user], **kw)
                self.count("connect " + name)
                return c
            except ERRORS as e:
                self.count("refused %s: %s" % (name, str(e)[:60]))
                self.refused[name] += 1
                self.wait(retry * self.rng.uniform(0.7, 1.3))
        return None

    def send_retrying(self, c, name, dest, data, persistent=True):
        """An application's send: on an error it waits 2 s and tries again (the store-full case)."""
        while not self.stop.is_set():
            try:
                c.send(dest, data, persistent=persistent)
                return True
            except StompError as e:
                self.count("send failed %s: %s" % (name, str(e)[:40]))
                self.wait(2)
        return False

    # -- the order flow --

    def order_service(self, name, src, rate):
        rng = random.Random(self.rng.random())
        while not self.stop.is_set():
            c = self.connect(name, src, "orders", heart_beat=10000)
            if c is None:
                return
            try:
                while not self.stop.is_set():
                    c.pump(rng.expovariate(rate))
                    with self.lock:
                        self.order_no += 1
                        no = self.order_no
                    data = body("order.created", rng, order=no, customer=rng.randint(1000, 99999),
                                items=rng.randint(1, 6), total=round(rng.uniform(5, 400), 2))
                    try:
                        c.send("/queue/orders.created", data)
                        c.send("/topic/events.orders", body("order.created", rng, order=no), persistent=False,
                               receipt=False)
                        self.count("orders")
                    except StompError as e:
                        self.count("order failed: %s" % str(e)[:40])
            except ERRORS as e:
                self.count("lost %s: %s" % (name, str(e)[:50]))
                c.close()
                self.wait(2)

    def payment_service(self, name, src):
        rng = random.Random(self.rng.random())
        while not self.stop.is_set():
            c = self.connect(name, src, "payments", heart_beat=10000)
            if c is None:
                return
            try:
                c.subscribe("/queue/orders.created", "orders", prefetch=10)
                while not self.stop.is_set():
                    f = c.message(1.0)
                    if f is None:
                        continue
                    order = json.loads(f.body or b"{}").get("order")
                    c.pump(rng.uniform(0.02, 0.12))     # the payment provider's answer
                    ok = (self.send_retrying(c, name, "/queue/payments.settled",
                                             body("payment.settled", rng, order=order, psp="adyen"))
                          and self.send_retrying(c, name, "/queue/billing.invoices",
                                                 body("invoice.requested", rng, order=order)))
                    if ok:
                        c.send("/topic/events.orders", body("payment.settled", rng, order=order), persistent=False,
                               receipt=False)
                        c.ack(f)
                        self.count("payments")
            except ERRORS as e:
                self.count("lost %s: %s" % (name, str(e)[:50]))
                c.close()
                self.wait(2)

    def fulfilment(self, name, src):
        rng = random.Random(self.rng.random())
        while not self.stop.is_set():
            c = self.connect(name, src, "fulfil", heart_beat=10000)
            if c is None:
                return
            try:
                c.subscribe("/queue/payments.settled", "settled", prefetch=5)
                while not self.stop.is_set():
                    f = c.message(1.0)
                    if f is None:
                        continue
                    order = json.loads(f.body or b"{}").get("order")
                    c.pump(rng.uniform(0.05, 0.3))
                    if self.send_retrying(c, name, "/queue/notifications.email",
                                          body("email", rng, order=order, template="order-confirmation")):
                        c.ack(f)
                        self.count("fulfilled")
            except ERRORS as e:
                self.count("lost %s: %s" % (name, str(e)[:50]))
                c.close()
                self.wait(2)

    def notifier(self, name, src):
        """Sends the e-mails; every 2-4 minutes its SMTP relay stalls it for 30 s (no heart-beats): the broker closes
        the connection and it reconnects."""
        rng = random.Random(self.rng.random())
        stall_at = now() + rng.uniform(60, 200)
        while not self.stop.is_set():
            c = self.connect(name, src, "notify", heart_beat=10000)
            if c is None:
                return
            try:
                c.subscribe("/queue/notifications.email", "mail", prefetch=5)
                while not self.stop.is_set():
                    if now() >= stall_at:
                        stall_at = now() + rng.uniform(120, 240)
                        self.count("stall " + name)
                        self.wait(rng.uniform(28, 35))
                    f = c.message(1.0)
                    if f is None:
                        continue
                    c.pump(rng.uniform(0.05, 0.4))
                    c.ack(f)
                    self.count("mails")
            except ERRORS as e:
                self.count("lost %s: %s" % (name, str(e)[:50]))
                c.close()
                self.wait(rng.uniform(1, 3))

    # -- audit trail --

    def web_audit(self, name, src, rate):
        rng = random.Random(self.rng.random())
        while not self.stop.is_set():
            c = self.connect(name, src, "audit", heart_beat=10000)
            if c is None:
                return
            try:
                while not self.stop.is_set():
                    c.pump(rng.expovariate(rate))
                    size = rng.randint(20000, 80000)
                    off = rng.randrange(0, len(BLOB) - size)
                    data = json.dumps({"type": "request", "host": name, "ts": round(now(), 3),
                                       "path": rng.choice(["/checkout", "/cart", "/account", "/search", "/product"]),
                                       "status": rng.choice([200, 200, 200, 302, 404]),
                                       "snapshot": BLOB[off:off + size].decode()}).encode()
                    try:
                        c.send("/queue/audit.events", data)
                        self.count("audit records")
                        self.count("audit bytes", len(data))
                    except StompError as e:
                        self.count("audit dropped: %s" % str(e)[:40])
            except ERRORS as e:
                self.count("lost %s: %s" % (name, str(e)[:50]))
                c.close()
                self.wait(2)

    def archiver(self, name, src):
        """Archives the audit records; when archiver_hung is set it hangs (its socket stays open, nothing is sent or
        read) until it is cleared, then it is restarted (a new connection)."""
        rng = random.Random(self.rng.random())
        while not self.stop.is_set():
            c = self.connect(name, src, "audit", heart_beat=10000)
            if c is None:
                return
            try:
                c.subscribe("/queue/audit.events", "audit", prefetch=200)
                while not self.stop.is_set():
                    if self.archiver_hung.is_set():
                        self.archiver_hang_at = now()
                        while self.archiver_hung.is_set() and not self.stop.is_set():
                            time.sleep(0.2)
                        c.close()       # the restart kills the hung process
                        break
                    f = c.message(1.0)
                    if f is None:
                        continue
                    c.ack(f)
                    self.count("archived")
            except ERRORS as e:
                self.count("lost %s: %s" % (name, str(e)[:50]))
                c.close()
                self.wait(2)

    # -- the ops dashboard and the CRM --

    def dashboard(self, name, src):
        """Follows events.orders with client acks (cumulative); every 1.5-3 minutes it stops acking for 20-40 s (a
        tab in the background); every 4-7 minutes a page reload unsubscribes twice."""
        rng = random.Random(self.rng.random())
        slow_at = now() + rng.uniform(40, 120)
        reload_at = now() + rng.uniform(150, 300)
        while not self.stop.is_set():
            c = self.connect(name, src, "reporting", heart_beat=10000)
            if c is None:
                return
            try:
                c.subscribe("/topic/events.orders", "events", ack="client", prefetch=10)
                last, slow_until = None, 0
                while not self.stop.is_set():
                    t = now()
                    if t >= slow_at:
                        slow_at = t + rng.uniform(90, 180)
                        slow_until = t + rng.uniform(20, 40)
                        self.count("dashboard slow")
                    if t >= reload_at:
                        reload_at = t + rng.uniform(240, 420)
                        c.write("UNSUBSCRIBE", {"id": "events"})
                        c.write("UNSUBSCRIBE", {"id": "events"})
                        try:
                            c.pump(1.0)
                        except StompError:
                            self.count("dashboard unsubscribe error")
                        c.inbox.clear()
                        c.subscribe("/topic/events.orders", "events", ack="client", prefetch=10)
                        last = None
                    f = c.message(1.0)
                    if f is not None:
                        last = f
                    if last is not None and now() >= slow_until:
                        c.ack(last)
                        last = None
                        self.count("dashboard acks")
            except ERRORS as e:
                self.count("lost %s: %s" % (name, str(e)[:50]))
                c.close()
                self.wait(3)

    def crm_sync(self, name, src):
        """A durable subscriber (client-id crm-sync); every 1.5-3.5 minutes a network blip leaves its connection
        half-open: it reconnects every 5 s, refused while the broker still holds the old connection with its
        client-id, until the broker's inactivity check drops the old one."""
        rng = random.Random(self.rng.random())
        blip_at = now() + rng.uniform(60, 150)
        stale = []
        while not self.stop.is_set():
            c = self.connect(name, src, "crm", client_id="crm-sync", heart_beat=10000, retry=5.0)
            if c is None:
                break
            for s in stale:
                s.close()
            stale = []
            try:
                c.subscribe("/topic/events.orders", "crm", prefetch=20,
                            headers={"activemq.subscriptionName": "crm-sync"})
                while not self.stop.is_set():
                    if now() >= blip_at:
                        blip_at = now() + rng.uniform(100, 200)
                        self.count("crm blip")
                        stale.append(c)     # left open: no more heart-beats or acks from it
                        self.wait(rng.uniform(2, 4))
                        break
                    f = c.message(1.0)
                    if f is not None:
                        c.ack(f)
                        self.count("crm events")
            except ERRORS as e:
                self.count("lost %s: %s" % (name, str(e)[:50]))
                c.close()
                self.wait(2)
        for s in stale:
            s.close()

    # -- billing (the auth-failure incident) --

    def billing(self, name, src):
        rng = random.Random(self.rng.random())
        while not self.stop.is_set():
            bad = self.billing_bad.is_set()
            try:
                c = Stomp(src, "billing", BAD_BILLING_PASSWORD if bad else PASSWORDS["billing"], heart_beat=10000)
            except ERRORS as e:
                self.count("refused %s: %s" % (name, str(e)[:60]))
                self.wait(rng.uniform(1.5, 3.0))
                continue
            self.count("connect " + name)
            try:
                c.subscribe("/queue/billing.invoices", "invoices", prefetch=20)
                while not self.stop.is_set() and self.billing_bad.is_set() == bad:
                    f = c.message(1.0)
                    if f is None:
                        continue
                    c.pump(rng.uniform(0.01, 0.05))
                    c.ack(f)
                    self.count("invoices")
                c.disconnect()          # the redeployment stops the old instance
                self.wait(rng.uniform(3, 6) if not bad else rng.uniform(1, 2))
            except ERRORS as e:
                self.count("lost %s: %s" % (name, str(e)[:50]))
                c.close()
                self.wait(2)

    # -- stock sync (the connection-limit incident) and the catalog --

    def stock_sync(self, name, src):
        rng = random.Random(self.rng.random())
        sku = lambda: "SKU-%05d" % rng.randint(1, 4000)
        while not self.stop.is_set():
            if self.stock_leak.is_set():
                # the new build: a connection per update, never closed
                try:
                    c = Stomp(src, "stock", PASSWORDS["stock"], timeout=5)
                    self.leaked.append(c)
                    c.send("/queue/stock.updates", body("stock", rng, sku=sku(), qty=rng.randint(0, 500)))
                    self.count("stock leaked connections")
                except ERRORS as e:
                    self.count("refused %s: %s" % (name, str(e)[:60]))
                self.wait(0.2)
                continue
            if self.leaked:
                for c in self.leaked:       # its restart closes the leaked connections
                    c.close()
                self.leaked = []
            c = self.connect(name, src, "stock")
            if c is None:
                return
            try:
                for _ in range(rng.randint(5, 20)):
                    c.send("/queue/stock.updates", body("stock", rng, sku=sku(), qty=rng.randint(0, 500)))
                    self.count("stock updates")
                c.disconnect()
            except ERRORS as e:
                self.count("lost %s: %s" % (name, str(e)[:50]))
                c.close()
            end = now() + rng.uniform(20, 40)
            while now() < end and not self.stock_leak.is_set() and not self.stop.is_set():
                self.wait(0.2)
        for c in self.leaked:
            c.close()

    def simple_consumer(self, name, src, user, dest, prefetch=20):
        rng = random.Random(self.rng.random())
        while not self.stop.is_set():
            c = self.connect(name, src, user, heart_beat=10000)
            if c is None:
                return
            try:
                c.subscribe(dest, "sub", prefetch=prefetch)
                while not self.stop.is_set():
                    f = c.message(1.0)
                    if f is None:
                        continue
                    c.pump(rng.uniform(0.005, 0.03))
                    c.ack(f)
                    self.count("consumed " + dest)
            except ERRORS as e:
                self.count("lost %s: %s" % (name, str(e)[:50]))
                c.close()
                self.wait(2)

    # -- jobs: export, monitoring, the engineer --

    def export_jobs(self):
        rng = random.Random(self.rng.random())
        self.wait(rng.uniform(10, 30))
        while not self.stop.is_set():
            self.job_no += rng.randint(1, 3)
            q = "/queue/export.job-%d" % self.job_no
            try:
                c = Stomp("127.0.0.61", "export", PASSWORDS["export"])
                n = rng.randint(10, 40)
                for i in range(n):
                    size = rng.randint(2000, 8000)
                    c.send(q, json.dumps({"job": self.job_no, "chunk": i, "of": n,
                                          "rows": BLOB[i * 100:i * 100 + size].decode()}).encode())
                c.disconnect()
                self.count("export jobs")
                loader = Stomp("127.0.0.62", "export", PASSWORDS["export"])
                loader.subscribe(q, "load", ack="client-individual", prefetch=5)
                got = 0
                while got < n:
                    f = loader.message(5.0)
                    if f is None:
                        break
                    loader.pump(rng.uniform(0.01, 0.05))
                    loader.ack(f)
                    got += 1
                loader.disconnect()
                self.count("export chunks loaded", got)
            except ERRORS as e:
                self.count("export failed: %s" % str(e)[:60])
            self.wait(rng.uniform(30, 60))

    def monitor(self):
        rng = random.Random(self.rng.random())
        seq = 0
        while not self.wait(15 + rng.uniform(-0.5, 0.5)):
            seq += 1
            try:
                c = Stomp("127.0.0.95", "monitor", PASSWORDS["monitor"])
                c.send("/queue/health.check", body("ping", rng, seq=seq), persistent=False)
                c.subscribe("/queue/health.check", "hc", ack="auto")
                f = c.message(5.0)
                c.disconnect()
                self.count("health ok" if f is not None else "health no reply")
            except ERRORS as e:
                self.count("health failed: %s" % str(e)[:60])

    def admin(self):
        rng = random.Random(self.rng.random())
        self.wait(rng.uniform(20, 60))
        while not self.stop.is_set():
            try:
                if rng.random() < 0.15 and not self.quiet_admin.is_set():
                    try:
                        Stomp("127.0.0.90", "admin", rng.choice(["Adm1n-ops", "adm1n-ops!", "Admin-ops!"])).close()
                    except StompError:
                        self.count("admin typo")
                    self.wait(rng.uniform(3, 8))
                c = Stomp("127.0.0.90", "admin", PASSWORDS["admin"])
                q = rng.choice(["orders.created", "payments.settled", "notifications.email", "audit.events",
                                "billing.invoices", "ActiveMQ.DLQ"])
                c.subscribe("/queue/" + q, "browse", ack="auto", headers={"browser": "true"})
                n = 0
                while True:
                    f = c.message(5.0)
                    if f is None or f.headers.get("browser") == "end":
                        break
                    n += 1
                c.disconnect()
                self.count("admin browses")
            except ERRORS as e:
                self.count("admin failed: %s" % str(e)[:60])
            self.wait(rng.uniform(60, 120))

    def start(self):
        self.role(self.order_service, "order-service-1", "127.0.0.11", 1.2)
        self.role(self.order_service, "order-service-2", "127.0.0.12", 1.2)
        self.role(self.payment_service, "payment-service", "127.0.0.13")
        for i in range(3):
            self.role(self.fulfilment, "fulfilment-%d" % (i + 1), "127.0.0.%d" % (21 + i))
        for i in range(4):
            self.role(self.notifier, "notifier-%d" % (i + 1), "127.0.0.%d" % (31 + i))
        for i in range(3):
            self.role(self.web_audit, "web-%d" % (i + 1), "127.0.0.%d" % (41 + i), 4.0)
        self.role(self.archiver, "audit-archiver", "127.0.0.45")
        self.role(self.dashboard, "dashboard", "127.0.0.51")
        self.role(self.crm_sync, "crm-sync", "127.0.0.53")
        for i in range(2):
            self.role(self.billing, "billing-%d" % (i + 1), "127.0.0.%d" % (71 + i))
        self.role(self.stock_sync, "stock-sync", "127.0.0.81")
        self.role(self.simple_consumer, "catalog", "127.0.0.82", "catalog", "/queue/stock.updates")
        self.role(self.export_jobs)
        self.role(self.monitor)
        self.role(self.admin)

    def finish(self):
        self.stop.set()
        self.archiver_hung.clear()
        self.stock_leak.clear()
        deadline = now() + 20
        for t in self.threads:
            t.join(max(0.1, deadline - now()))
        for c in self.leaked:
            c.close()


# ---- the scenario ---------------------------------------------------------------------------------------------------

def settle(broker, since, pred, quiet, most):
    """Waits until the log's last line since `since` matching pred is `quiet` seconds old (at most `most` seconds);
    returns that line's time (now when there is none)."""
    deadline = now() + most
    while True:
        found = broker.lines(since, pred)
        last = found[-1][0] if found else now()
        if now() >= min(deadline, last + quiet):
            return last
        time.sleep(1)


def wait_for(broker, since, pred, most):
    """The time of the first log line since `since` matching pred, waiting up to `most` seconds (None if none)."""
    deadline = now() + most
    while now() < deadline:
        found = broker.lines(since, pred)
        if found:
            return found[0][0]
        time.sleep(0.5)
    return None


STORE_FULL = "Persistent store is Full"
BILLING_DENIED = "User name [billing] or password is invalid"
MAX_CONN = "Exceeded the maximum number of allowed client connections"


def main():
    work = begin(OUT, NAME, __doc__, readable=True)
    broker = Broker(work)
    traffic = Traffic(2026)
    labels = Labels()
    marks = {}
    ok = False
    try:
        broker.setup()
        broker.start()
        t0 = now()
        traffic.start()
        sleep_until(t0 + 90 * SCALE)

        # 1. the audit archiver hangs; audit.events backs up until the store is full
        traffic.quiet_admin.set()
        traffic.archiver_hung.set()
        hang = now()
        full = wait_for(broker, hang, lambda m: STORE_FULL in m, 300)
        if full is None:
            raise SystemExit("the store did not fill up")
        sleep_until(full + 45 * SCALE)
        traffic.archiver_hung.clear()
        restart = now()
        last = settle(broker, hang, lambda m: STORE_FULL in m, 15, 180)
        marks["store"] = (hang, full, restart, last)
        traffic.quiet_admin.clear()
        sleep_until(last + 65 * SCALE)

        # 2. billing-service redeployed with the staging passcode
        traffic.quiet_admin.set()
        bad = now()
        traffic.billing_bad.set()
        time.sleep(60 * SCALE)
        traffic.billing_bad.clear()
        fixed = now()
        last = settle(broker, bad, lambda m: BILLING_DENIED in m, 6, 30)
        marks["auth"] = (bad, fixed, last)
        traffic.quiet_admin.clear()
        sleep_until(max(last, fixed) + 65 * SCALE)

        # 3. stock-sync leaks connections until the stomp connector's maximumConnections
        traffic.quiet_admin.set()
        leak = now()
        traffic.stock_leak.set()
        first = wait_for(broker, leak, lambda m: MAX_CONN in m, 180)
        if first is None:
            raise SystemExit("the connection limit was not reached")
        sleep_until(first + 45 * SCALE)
        leaked = len(traffic.leaked)
        traffic.stock_leak.clear()
        fix = now()
        last = settle(broker, leak, lambda m: MAX_CONN in m, 5, 30)
        marks["conn"] = (leak, first, fix, last, leaked)
        traffic.quiet_admin.clear()
        sleep_until(max(last, fix) + 70 * SCALE)

        traffic.finish()
        print("%s: %s" % (NAME, sorted(traffic.counts.items())), file=sys.stderr)
        ok = True
    finally:
        traffic.finish()
        broker.stop()
        if ok:
            label(broker, labels, marks, traffic)
            keep_log(broker.log, OUT, NAME, labels)
        shutil.rmtree(work, ignore_errors=True)


def flooded(m):
    """The destination a 'Persistent store is Full' line names."""
    found = re.search(r"to prevent flooding (\S+?)\.? ", m)
    return found.group(1) if found else "?"


def label(broker, labels, marks, traffic):
    """The labels, from the log: each incident from the first line it caused to the last."""
    labels.note("made by bench/real-logs/activemq.py: real Apache ActiveMQ Classic %s (Debian, OpenJDK 17) as a web "
                "shop's broker shop-mq on 127.0.0.1 (openwire %d, stomp %d with maximumConnections %d), its own "
                "activemq.log (log4j 1.2 as Debian's package logs, upstream's pattern '%%d | %%-5p | %%m | %%c | "
                "%%t', default levels), KahaDB store limit %d mb, sendFailIfNoSpaceAfterTimeout 5000, "
                "simpleAuthenticationPlugin; ~20 STOMP clients on 127.0.0.11-95 (orders, payments, fulfilment, "
                "notifiers, web audit trail, archiver, dashboard, crm-sync, billing, stock-sync, catalog, export "
                "jobs, monitoring, an engineer), ~30 messages/s; TZ=UTC; wall-clock times"
                % (broker.version, PORT, STOMP_PORT, MAX_STOMP, STORE_LIMIT_MB))

    hang, full, restart, last = marks["store"]
    inactive = [l for l in broker.lines(hang, lambda m: "tcp://127.0.0.45:" in m and "inactive" in m) if l[0] < full]
    full_lines = [l for l in broker.lines(hang, lambda m: STORE_FULL in m) if l[0] <= last + 1]
    dests = collections.Counter(flooded(m) for _, _, m in full_lines)
    warns = sum(1 for _, lvl, m in full_lines if "ResourceAllocationException" in m)
    infos = len(full_lines) - warns
    start = min([l[0] for l in inactive] + [full_lines[0][0]])
    labels.add("store-full", start, last, "resource-exhausted", "audit.events|127.0.0.45",
               "the audit-archiver (127.0.0.45, the only consumer of queue audit.events) hangs; %s; audit.events "
               "backs up (the web front ends keep sending ~0.5 MB/s of persistent audit records) and %d s after the "
               "hang the KahaDB store reaches its %d mb limit: every persistent send of every producer now blocks 5 s "
               "and fails - %d lines 'Persistent store is Full, 100%% of %d. Stopping producer (ID:...) to prevent "
               "flooding queue://...' (%d WARN 'Exception occurred for client ... processing: SEND -> "
               "javax.jms.ResourceAllocationException: ...' and %d INFO 'sendFailIfNoSpaceAfterTimeout expired, "
               "forcing exception on send, usage: Usage(default:store:queue://...)'), by destination %s; %d s after "
               "the first failure the on-call restarts the archiver, which drains the backlog; KahaDB frees the "
               "acknowledged journal files at its periodic cleanup and the last failure is logged %d s after the "
               "restart" % (
                   "the broker drops its connection %d s later ('Transport Connection to: tcp://127.0.0.45:... "
                   "failed: Channel was inactive for too (>10000) long')" % round(inactive[0][0] - hang)
                   if inactive else "no line shows it",
                   round(full - hang), STORE_LIMIT_MB, len(full_lines), STORE_LIMIT_MB * 1048576, warns, infos,
                   ", ".join("%s %d" % kv for kv in dests.most_common()), round(restart - full),
                   max(0, round(last - restart))))

    bad, fixed, last = marks["auth"]
    denied = broker.lines(bad, lambda m: BILLING_DENIED in m)
    denied = [l for l in denied if l[0] <= last + 1]
    attempts = collections.Counter(re.search(r"tcp://(127\.0\.0\.\d+):", m).group(1) for _, _, m in denied
                                   if m.startswith("Security Error occurred on connection to:"))
    labels.add("billing-auth-failure", denied[0][0] if denied else bad, last if denied else fixed, "auth-failure",
               "billing|127.0.0.71|127.0.0.72",
               "billing-service is redeployed on both its hosts with the staging passcode for user billing; for %d s, "
               "until the deployment is rolled back, each instance retries every 1.5-3 s and the broker refuses "
               "each login: %d attempts (%s), %d lines naming 'User name [billing] or password is invalid' (per "
               "attempt WARN 'Failed to add Connection id=..., clientId=..., clientIP=shop-mq due to ...', WARN "
               "'Security Error occurred on connection to: tcp://127.0.0.7x:PORT, ...', WARN 'Exception occurred "
               "for client ... processing: CONNECT -> java.lang.SecurityException: ...', WARN 'Transport "
               "Connection to: tcp://... failed: ...' and 2 s later INFO 'Stopping tcp://... because Failed with "
               "SecurityException: ...'); billing.invoices is not consumed meanwhile" % (
                   round(fixed - bad), sum(attempts.values()),
                   ", ".join("%s %d" % kv for kv in sorted(attempts.items())), len(denied)))

    leak, first, fix, last, leaked = marks["conn"]
    refused = [l for l in broker.lines(leak, lambda m: MAX_CONN in m) if l[0] <= last + 1]
    labels.add("connection-limit", first, last, "connection-exhaustion", "stomp|127.0.0.81|stock",
               "a new build of stock-sync (127.0.0.81, user stock) opens a STOMP connection for every stock update "
               "(5 a second) and never closes it; %d s after it starts the stomp connector holds its "
               "maximumConnections=%d and refuses every new connection, the leaking client's and everyone else's "
               "(the monitoring check, the engineer, the export job, reconnecting consumers): %d WARN lines 'Could "
               "not accept connection : Exceeded the maximum number of allowed client connections. See the "
               "'maximumConnections' property on the TCP transport configuration URI ...' (the line names no "
               "client; the thread is 'ActiveMQ Transport Server Thread Handler: stomp://127.0.0.1:%d?...'); %d s "
               "after the first refusal the on-call restarts stock-sync with the old build, closing its %d leaked "
               "connections (silently: a STOMP client's closed socket is not logged)" % (
                   round(first - leak), MAX_STOMP, len(refused), STOMP_PORT, round(fix - first), leaked))


if __name__ == "__main__":
    main()
