#!/usr/bin/env python3
"""Writes the log of a small order service in Spring Boot's default layout, with labelled incidents.

usage: applog.py OUTDIR [--start 2026-11-29T16:00:00Z]

This is our own program's log, so event time is simulated: the timestamps are written by this script (20 minutes
of event time are written in well under a second) and the labels say so. Two files:
  app-heartbeat-stop.log   the HeartbeatReporter's "heartbeat ok" every 10 s stops for 4 minutes, 8 min in
  app-new-error.log        a new ERROR template with a Java stack trace first appears 9.5 minutes in
Each with OUTDIR/<name>.labels.tsv. Deterministic (seeded).
"""
import argparse
import datetime
import os
import random

from labels import Labels

PID = 48213
LOGGERS = {
    "orders": "c.a.shop.order.OrderService",
    "payments": "c.a.shop.payment.PaymentService",
    "gateway": "c.a.shop.payment.PaymentGatewayClient",
    "inventory": "c.a.shop.stock.InventoryService",
    "heartbeat": "c.a.shop.ops.HeartbeatReporter",
    "scheduler": "o.s.s.a.ScheduledAnnotationBeanPostProcessor",
    "cache": "c.a.shop.config.CacheMetrics",
    "hikari": "com.zaxxer.hikari.pool.HikariPool",
    "web": "o.s.web.servlet.DispatcherServlet",
    "mail": "c.a.shop.notify.MailNotifier",
}


def stamp(t):
    return t.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (t.microsecond // 1000)


def line(t, level, thread, logger, message):
    # Spring Boot 2.x default console/file pattern: level right-aligned in 5, thread right-aligned in 15,
    # logger left-aligned in 40.
    return "%s %5s %d --- [%15s] %-40s : %s\n" % (stamp(t), level, PID, thread[-15:], logger[-40:], message)


STACK = """java.net.SocketTimeoutException: Read timed out
\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)
\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:314)
\tat java.base/sun.nio.ch.NioSocketImpl.read(NioSocketImpl.java:355)
\tat java.base/java.net.Socket$SocketInputStream.read(Socket.java:976)
\tat org.apache.hc.core5.http.impl.io.SessionInputBufferImpl.fillBuffer(SessionInputBufferImpl.java:149)
\tat org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection.receiveResponseHeader(DefaultBHttpClientConnection.java:321)
\tat org.apache.hc.client5.http.impl.classic.InternalHttpClient.doExecute(InternalHttpClient.java:174)
\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:878)
\tat c.a.shop.payment.PaymentGatewayClient.capture(PaymentGatewayClient.java:97)
\tat c.a.shop.payment.PaymentService.captureOrder(PaymentService.java:142)
\tat c.a.shop.order.OrderService.complete(OrderService.java:211)
\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)
\tat java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)
\tat java.base/java.lang.Thread.run(Thread.java:840)
"""


def chatter(rng, t):
    """One ordinary event of the service."""
    order = rng.randint(100000, 999999)
    thread = "http-nio-8080-exec-%d" % rng.randint(1, 10)
    r = rng.random()
    if r < 0.30:
        return line(t, "INFO", thread, LOGGERS["orders"], "Order %d created for customer %d with %d items, total %.2f EUR"
                    % (order, rng.randint(1000, 99999), rng.randint(1, 6), rng.uniform(5, 400)))
    if r < 0.52:
        return line(t, "INFO", "payment-%d" % rng.randint(1, 4), LOGGERS["payments"],
                    "Payment authorised for order %d in %d ms" % (order, rng.randint(40, 400)))
    if r < 0.70:
        return line(t, "INFO", thread, LOGGERS["inventory"], "Reserved %d units of SKU-%05d for order %d"
                    % (rng.randint(1, 4), rng.randint(1, 3000), order))
    if r < 0.82:
        return line(t, "INFO", thread, LOGGERS["orders"], "Order %d shipped via %s, tracking %s%09d"
                    % (order, rng.choice(["DHL", "UPS", "GLS"]), rng.choice(["JD", "1Z", "ZZ"]), rng.randint(0, 10**9 - 1)))
    if r < 0.90:
        return line(t, "INFO", "mail-1", LOGGERS["mail"], "Confirmation mail for order %d queued" % order)
    if r < 0.97:
        return line(t, "DEBUG" if rng.random() < 0.5 else "INFO", thread, LOGGERS["web"],
                    "Completed 200 OK in %d ms" % rng.randint(3, 120))
    if r < 0.99:
        return line(t, "WARN", thread, LOGGERS["inventory"], "Stock for SKU-%05d below reorder level (%d left)"
                    % (rng.randint(1, 3000), rng.randint(0, 5)))
    return line(t, "WARN", "HikariPool-1 housekeeper", LOGGERS["hikari"],
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=%ds%dms)."
                % (rng.randint(1, 2), rng.randint(0, 999)))


def startup(t):
    out = []
    for msg, logger in [
        ("Starting ShopApplication v2.4.1 using Java 17.0.12 with PID %d" % PID, "c.a.shop.ShopApplication"),
        ("No active profile set, falling back to 1 default profile: \"default\"", "c.a.shop.ShopApplication"),
        ("Tomcat initialized with port(s): 8080 (http)", "o.s.b.w.embedded.tomcat.TomcatWebServer"),
        ("HikariPool-1 - Starting...", "com.zaxxer.hikari.HikariDataSource"),
        ("HikariPool-1 - Start completed.", "com.zaxxer.hikari.HikariDataSource"),
        ("Tomcat started on port(s): 8080 (http) with context path ''", "o.s.b.w.embedded.tomcat.TomcatWebServer"),
        ("Started ShopApplication in 6.412 seconds (JVM running for 7.003)", "c.a.shop.ShopApplication"),
    ]:
        out.append((t, line(t, "INFO", "main", logger, msg)))
        t += datetime.timedelta(milliseconds=137)
    return out


def build(start, minutes, rng, heartbeat_gap=None, new_error=None):
    """Events of `minutes` of event time as (time, text), sorted. heartbeat_gap=(from, to) in seconds after start,
    new_error=(first, last, count) in seconds after start."""
    events = startup(start)
    end = start + datetime.timedelta(minutes=minutes)
    t = start + datetime.timedelta(seconds=2)
    while t < end:  # ~2 events/s
        events.append((t, chatter(rng, t)))
        t += datetime.timedelta(seconds=rng.expovariate(2.0))
    s = 10
    while s < minutes * 60:
        ts = start + datetime.timedelta(seconds=s, milliseconds=rng.randint(0, 40))
        if not (heartbeat_gap and heartbeat_gap[0] <= s < heartbeat_gap[1]):
            events.append((ts, line(ts, "INFO", "scheduling-1", LOGGERS["heartbeat"],
                                    "heartbeat ok, queue depth %d, consumer lag %d ms" % (rng.randint(0, 6), rng.randint(2, 60)))))
        if s % 60 == 0:
            events.append((ts, line(ts, "INFO", "scheduling-1", LOGGERS["orders"],
                                    "Expired %d abandoned carts" % rng.randint(0, 14))))
        if s % 300 == 0:
            events.append((ts, line(ts, "INFO", "scheduling-1", LOGGERS["cache"],
                                    "Cache 'products' hit ratio %.2f, size %d" % (rng.uniform(0.85, 0.99), rng.randint(900, 1200)))))
        s += 10
    if new_error:
        first, last, count = new_error
        for k in range(count):
            ts = start + datetime.timedelta(seconds=first + (last - first) * k / (count - 1), milliseconds=rng.randint(0, 999))
            order = rng.randint(100000, 999999)
            text = line(ts, "ERROR", "payment-%d" % rng.randint(1, 4), LOGGERS["payments"],
                        "Payment capture failed for order %d, will retry in 30 s" % order) + STACK
            events.append((ts, text))
    events.sort(key=lambda e: e[0])
    return events


def main():
    p = argparse.ArgumentParser()
    p.add_argument("outdir")
    p.add_argument("--start", default="2026-11-29T16:00:00Z")
    args = p.parse_args()
    start = datetime.datetime.strptime(args.start, "%Y-%m-%dT%H:%M:%SZ")
    os.makedirs(args.outdir, exist_ok=True)
    utc = lambda t: t.replace(tzinfo=datetime.timezone.utc).timestamp()
    note = ("made by bench/real-logs/applog.py: our own service's log in Spring Boot's layout; event time is "
            "SIMULATED (timestamps written by the script, in UTC, no zone in the lines)")

    gap = (480, 720)  # heartbeats at 480 s ... 710 s are missing: 4 minutes
    with open(os.path.join(args.outdir, "app-heartbeat-stop.log"), "w") as f:
        f.writelines(text for _, text in build(start, 20, random.Random(11), heartbeat_gap=gap))
    lab = Labels()
    lab.note(note)
    lab.add("heartbeat-stop", utc(start + datetime.timedelta(seconds=gap[0])),
            utc(start + datetime.timedelta(seconds=gap[1])), "stop", "heartbeat|HeartbeatReporter",
            "HeartbeatReporter's 'heartbeat ok' (every 10 s, 6 a minute) stops for 4 minutes, 8 min into 20; all else goes on")
    lab.write(os.path.join(args.outdir, "app-heartbeat-stop.labels.tsv"))

    err = (570, 750, 30)  # first at 9.5 min, 30 of them over 3 minutes
    with open(os.path.join(args.outdir, "app-new-error.log"), "w") as f:
        f.writelines(text for _, text in build(start, 20, random.Random(12), new_error=err))
    lab = Labels()
    lab.note(note)
    lab.add("new-error", utc(start + datetime.timedelta(seconds=err[0])),
            utc(start + datetime.timedelta(seconds=err[1] + 1)), "new-error-template",
            "SocketTimeoutException|Payment capture failed|PaymentService",
            "new ERROR 'Payment capture failed for order <n>, will retry in 30 s' with a SocketTimeoutException stack "
            "trace, first 9.5 min into the file, 30 times in 3 minutes")
    lab.write(os.path.join(args.outdir, "app-new-error.labels.tsv"))


if __name__ == "__main__":
    main()
