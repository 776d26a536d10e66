#!/usr/bin/env python3
"""Runs a real Prometheus (Debian prometheus 2.42) on 127.0.0.1 as a web shop's monitoring server, drives its scrape
targets, dashboards, admins and long-term storage, injects labelled incidents and keeps Prometheus's own log exactly as
it wrote it: its stderr, go-kit logfmt at the default --log.level=info, TZ=UTC
("ts=2026-12-03T09:24:21.292Z caller=manager.go:644 level=warn component="rule manager" file=... group=... msg=...").

usage: bench/real-logs/prometheus.py OUTDIR
  writes OUTDIR/prometheus-k.log (gzipped over 1 MB) and OUTDIR/prometheus-k.labels.tsv; SCALE=0.1 multiplies every
  duration (a short run for testing)

Ports (127.0.0.1 only): Prometheus 20101; the scrape targets this script serves itself (Prometheus text exposition
format 0.0.4): shop-api instances 20102-20104, checkout-worker 20105, billing-batch 20106 (a batch job's exporter),
postgres (a postgres_exporter) 20107, redis (a redis_exporter) 20108, the other data centre's Prometheus HA pair
behind its load balancer 20109 (/federate), the Alertmanager 20110 (its /metrics and the alerts API Prometheus
sends to); the long-term storage's remote-write receiver (a Mimir-like distributor) 20111.

Prometheus runs as `prometheus --config.file=WORK/prometheus.yml --storage.tsdb.path=WORK/data
--web.listen-address=127.0.0.1:20101 --web.enable-lifecycle --storage.tsdb.min-block-duration=2m` in a temporary
work dir (stopped with SIGTERM). The config: scrape_interval and evaluation_interval 5 s, external label
datacenter=dc1, jobs prometheus (itself), shop-api, checkout-worker, billing-batch, postgres, redis, federate-dc2
(honor_labels, match[] of dc2's recording rules and up), alertmanager (added by the admin during the run), an
alertmanager to send alerts to, remote_write to the long-term store (name "lts"), and rule files rules/*.rules.yml:
recording rules (request rates, error ratios, p95 latency, queue rates) and alerts (HighErrorRate, HighLatency,
QueueBacklog, BillingBatchStale, PostgresDown, ReplicationLag, RedisMemoryHigh, TargetDown, RemoteWriteBehind).
The hidden flag --storage.tsdb.min-block-duration=2m (instead of 2h) makes the TSDB cut a head block every 2 minutes,
so that the routine head compaction lines ("write block", "Head GC completed", "compact blocks", WAL checkpoints)
that a real server logs every two hours show up within the run.

Normal traffic: Prometheus scrapes the 9 targets every 5 s (shop-api request counters and latency histograms by
handler, build info, process metrics; the worker's queue depths; the batch job's last-success timestamps, updated by
its runs every 60-90 s; Postgres and Redis exporters' gauges and counters; dc2's federated recording rules, with their
own timestamps, from the replica the load balancer sends to), evaluates the rules, sends alerts to the Alertmanager and
remote-writes everything to the long-term store. A Grafana (127.0.0.20) refreshes a dashboard every 30 s (a dozen
query_range calls over the last hour and a few instant queries), two engineers (127.0.0.21-22) run ad-hoc queries
now and then (a few with typos, which Prometheus answers 400 without logging), the Alertmanager's own checks query
/api/v1/alerts. Routine noise in the log: the config-management agent (127.0.0.5) POSTs /-/reload every 2-3 minutes
("Loading configuration file", "Completed loading of configuration file"), the admin (127.0.0.6) changes things
twice (an alert threshold, a new scrape job for the Alertmanager) and reloads, the long-term store now and then fails
one push with a 500 that Prometheus retries ("Failed to send batch, retrying", once), remote write re-shards itself as
its load changes ("Remote storage resharding"), head compaction every 2 minutes.
Incidents (about 9 minutes in all: 90 s of normal traffic, each incident followed by at least 55 s of it):
  federation-out-of-order  dc2's team puts the second replica of its Prometheus HA pair back behind the load balancer
                     that federate-dc2 scrapes, round robin; the replicas evaluate their rules at different moments,
                     so every other scrape brings samples older than the ones already stored: "level=warn
                     component="scrape manager" scrape_pool=federate-dc2 target=http://127.0.0.1:20109/federate?...
                     msg="Error on ingesting out-of-order samples" num_dropped=N" until dc2 takes the replica out
                     again (70 s)
  remote-write-outage      the long-term store's ingesters are overloaded for 75 s: every push gets 503 "too many
                     in-flight push requests" or 500 "at least 2 live replicas required"; Prometheus retries with
                     backoff: "component=remote level=warn remote_name=lts url=http://127.0.0.1:20111/api/v1/push
                     msg="Failed to send batch, retrying" err="server returned HTTP status 503 ..."" every few
                     seconds, then re-shards to catch up with its backlog
  bad-rule-deploy          the admin deploys a new rule file slo.rules.yml (group shop-api.slo) whose recording rules
                     join the request rates with shop_build_info on (job) instead of on (instance): each evaluation
                     fails, "level=warn component="rule manager" file=WORK/rules/slo.rules.yml group=shop-api.slo
                     name=... msg="Evaluating rule failed" err="found duplicate series for the match group ...
                     many-to-many matching not allowed..."" every 5 s; 65 s later the admin's first fix has a typo
                     (a field "exp:"), the reload fails ("loading groups failed", "Failed to apply configuration",
                     "Error reloading config" naming the file) and the old rules keep failing; 20 s later the second
                     fix loads and the errors stop

Needs: Debian's prometheus package (/usr/bin/prometheus); python3 standard library only.
"""
import calendar
import http.client
import http.server
import json
import math
import os
import random
import re
import shutil
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse

from arrivals import poisson
from drivers import begin, keep_log, now, sleep_until, stop_process, wait_listening
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "prometheus-k"
PROM = 20101
SHOP = [20102, 20103, 20104]
WORKER, BILLING, POSTGRES, REDIS, FEDERATE, ALERTMANAGER, LTS = 20105, 20106, 20107, 20108, 20109, 20110, 20111
GRAFANA, ENGINEERS, CONFIG_AGENT, ADMIN, AM_CLIENT = "127.0.0.20", ["127.0.0.21", "127.0.0.22"], "127.0.0.5", \
    "127.0.0.6", "127.0.0.7"
LTS_URL = "http://127.0.0.1:%d/api/v1/push" % LTS


# ---- the scrape targets ---------------------------------------------------------------------------------------------

def fmt(v):
    if isinstance(v, int):
        return str(v)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(float(v))


def labelstr(labels):
    return "{" + ",".join('%s="%s"' % kv for kv in labels) + "}" if labels else ""


class Exposition:
    """Builds one scrape's text: families with HELP and TYPE, then their samples."""

    def __init__(self):
        self.parts = []

    def family(self, name, typ, help_, samples):
        self.parts.append("# HELP %s %s\n# TYPE %s %s\n" % (name, help_, name, typ))
        for suffix, labels, value in samples:
            self.parts.append("%s%s%s %s\n" % (name, suffix, labelstr(labels), fmt(value)))

    def text(self):
        return "".join(self.parts)


class Counters:
    """Counters that grow at rates (per second) with noise, advanced at each scrape."""

    def __init__(self, rng):
        self.rng = rng
        self.values = {}
        self.last = now()

    def advance(self, rates):
        t = now()
        dt, self.last = t - self.last, t
        for key, rate in rates.items():
            inc = rate * dt * self.rng.uniform(0.85, 1.15)
            self.values[key] = self.values.get(key, 0.0) + inc
        return self.values


def process_metrics(ex, start, cpu, rss, fds, goroutines):
    ex.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.",
              [("", [], round(cpu, 2))])
    ex.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", [("", [], int(rss))])
    ex.family("process_open_fds", "gauge", "Number of open file descriptors.", [("", [], fds)])
    ex.family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
              [("", [], round(start, 2))])
    ex.family("go_goroutines", "gauge", "Number of goroutines that currently exist.", [("", [], goroutines)])


class ShopApi:
    HANDLERS = [("/", "GET", 6.0, 0.03), ("/products", "GET", 9.0, 0.05), ("/product/:id", "GET", 14.0, 0.04),
                ("/cart", "GET", 3.0, 0.06), ("/cart", "POST", 1.5, 0.09), ("/checkout", "POST", 0.4, 0.35),
                ("/search", "GET", 4.0, 0.12), ("/healthz", "GET", 0.2, 0.001)]
    BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0]

    def __init__(self, k, rng):
        self.k, self.rng = k, rng
        self.c = Counters(rng)
        self.start = now() - rng.uniform(3600, 86400)
        self.version = "2.14.%d" % (3 if k < 2 else 4)  # a canary runs the newer build

    def render(self, path):
        rates = {}
        for handler, method, rate, lat in self.HANDLERS:
            share = rate * (1.0 + 0.1 * self.k) / 3
            for code, frac in (("200", 0.975), ("404", 0.015), ("500", 0.008), ("503", 0.002)):
                if handler == "/healthz" and code != "200":
                    continue
                if method == "POST" and code == "404":
                    continue
                rates[("req", handler, method, code)] = share * frac
            rates[("count", handler, method)] = share
        rates["cpu"] = 0.12 + 0.02 * self.k
        v = self.c.advance(rates)
        ex = Exposition()
        ex.family("http_requests_total", "counter", "Total number of HTTP requests by handler, method and code.",
                  [("", [("handler", h), ("method", m), ("code", c)], int(v[k]))
                   for k in sorted(x for x in v if x[0] == "req") for _, h, m, c in [k]])
        samples = []
        for handler, method, _, lat in self.HANDLERS:
            count = v[("count", handler, method)]
            for b in self.BUCKETS:  # exponential latencies with mean lat: cumulative buckets
                samples.append(("_bucket", [("handler", handler), ("method", method), ("le", fmt(b))],
                                int(count * (1 - math.exp(-b / lat)))))
            samples.append(("_bucket", [("handler", handler), ("method", method), ("le", "+Inf")], int(count)))
            samples.append(("_sum", [("handler", handler), ("method", method)], round(count * lat, 3)))
            samples.append(("_count", [("handler", handler), ("method", method)], int(count)))
        ex.family("http_request_duration_seconds", "histogram", "HTTP request latencies in seconds.", samples)
        ex.family("http_requests_in_flight", "gauge", "Requests being served.", [("", [], self.rng.randint(0, 9))])
        ex.family("shop_build_info", "gauge", "Build information of the shop API.",
                  [("", [("version", self.version), ("revision", "a41f9c2" if self.k < 2 else "c07e1d8"),
                         ("goversion", "go1.19.8")], 1)])
        ex.family("shop_db_pool_connections", "gauge", "Database pool connections by state.",
                  [("", [("state", "idle")], self.rng.randint(3, 12)), ("", [("state", "in_use")],
                                                                          self.rng.randint(1, 8))])
        process_metrics(ex, self.start, 800 + v["cpu"], 180e6 + self.rng.uniform(-5e6, 5e6), self.rng.randint(40, 60),
                        self.rng.randint(60, 140))
        return ex.text()


class Worker:
    QUEUES = {"orders": (1.2, 40), "emails": (2.5, 120), "refunds": (0.05, 2), "webhooks": (0.8, 15)}

    def __init__(self, rng):
        self.rng = rng
        self.c = Counters(rng)
        self.depth = {q: base for q, (_, base) in self.QUEUES.items()}
        self.start = now() - 7200

    def render(self, path):
        rates = {}
        for q, (rate, _) in self.QUEUES.items():
            rates[(q, "ok")] = rate
            rates[(q, "failed")] = rate * 0.004
            rates[(q, "retried")] = rate * 0.02
        rates["cpu"] = 0.3
        v = self.c.advance(rates)
        for q, (_, base) in self.QUEUES.items():
            self.depth[q] = max(0, int(self.depth[q] + self.rng.gauss((base - self.depth[q]) * 0.3, base * 0.2 + 1)))
        ex = Exposition()
        ex.family("jobs_queue_depth", "gauge", "Jobs waiting in the queue.",
                  [("", [("queue", q)], self.depth[q]) for q in sorted(self.QUEUES)])
        ex.family("jobs_processed_total", "counter", "Jobs processed by queue and result.",
                  [("", [("queue", q), ("result", r)], int(v[(q, r)])) for q in sorted(self.QUEUES)
                   for r in ("failed", "ok", "retried")])
        ex.family("worker_busy_threads", "gauge", "Worker threads busy.", [("", [], self.rng.randint(2, 16))])
        ex.family("worker_threads", "gauge", "Worker threads.", [("", [], 16)])
        process_metrics(ex, self.start, 2400 + v["cpu"], 95e6, 31, 48)
        return ex.text()


class Billing:
    """A batch job's exporter: the last run of each batch (invoices, ledger-export, dunning)."""
    BATCHES = {"invoices": (60, 90), "ledger-export": (80, 130), "dunning": (150, 240)}

    def __init__(self, rng):
        self.rng = rng
        t = now()
        self.last = {b: t - rng.uniform(5, 60) for b in self.BATCHES}
        self.next = {b: t + rng.uniform(10, 60) for b in self.BATCHES}
        self.duration = {b: rng.uniform(5, 40) for b in self.BATCHES}
        self.records = {b: rng.randint(10000, 90000) for b in self.BATCHES}
        self.runs = {b: rng.randint(300, 900) for b in self.BATCHES}

    def render(self, path):
        t = now()
        for b, (lo, hi) in self.BATCHES.items():
            if t >= self.next[b]:
                self.last[b] = t
                self.next[b] = t + self.rng.uniform(lo, hi)
                self.duration[b] = self.rng.uniform(5, 40)
                self.records[b] += self.rng.randint(200, 3000)
                self.runs[b] += 1
        ex = Exposition()
        ex.family("batch_last_success_timestamp_seconds", "gauge", "Unix time the batch last completed successfully.",
                  [("", [("batch", b)], round(self.last[b], 3)) for b in sorted(self.BATCHES)])
        ex.family("batch_last_duration_seconds", "gauge", "Duration of the batch's last run.",
                  [("", [("batch", b)], round(self.duration[b], 3)) for b in sorted(self.BATCHES)])
        ex.family("batch_records_processed_total", "counter", "Records processed by the batch.",
                  [("", [("batch", b)], self.records[b]) for b in sorted(self.BATCHES)])
        ex.family("batch_runs_total", "counter", "Runs of the batch.",
                  [("", [("batch", b)], self.runs[b]) for b in sorted(self.BATCHES)])
        return ex.text()


class Postgres:
    DBS = ["shop", "billing", "postgres"]

    def __init__(self, rng):
        self.rng = rng
        self.c = Counters(rng)
        self.size = {"shop": 8.2e9, "billing": 3.1e9, "postgres": 8.4e6}

    def render(self, path):
        v = self.c.advance({("commit", "shop"): 95, ("commit", "billing"): 22, ("commit", "postgres"): 0.3,
                            ("rollback", "shop"): 0.4, ("rollback", "billing"): 0.05, ("rollback", "postgres"): 0.0,
                            ("fetched", "shop"): 21000, ("fetched", "billing"): 3500, ("fetched", "postgres"): 12})
        self.size["shop"] += self.rng.uniform(0, 40000)
        self.size["billing"] += self.rng.uniform(0, 9000)
        ex = Exposition()
        ex.family("pg_up", "gauge", "Whether the last scrape of metrics from PostgreSQL was able to connect to the "
                  "server (1 for yes, 0 for no).", [("", [], 1)])
        ex.family("pg_stat_database_xact_commit", "counter", "Number of transactions in this database that have "
                  "been committed", [("", [("datid", str(16384 + i)), ("datname", d)], int(v[("commit", d)]))
                                    for i, d in enumerate(self.DBS)])
        ex.family("pg_stat_database_xact_rollback", "counter", "Number of transactions in this database that have "
                  "been rolled back", [("", [("datid", str(16384 + i)), ("datname", d)], int(v[("rollback", d)]))
                                       for i, d in enumerate(self.DBS)])
        ex.family("pg_stat_database_tup_fetched", "counter", "Number of rows fetched by queries in this database",
                  [("", [("datid", str(16384 + i)), ("datname", d)], int(v[("fetched", d)]))
                   for i, d in enumerate(self.DBS)])
        ex.family("pg_stat_activity_count", "gauge", "number of connections in this state",
                  [("", [("datname", "shop"), ("state", s)], n) for s, n in
                   (("active", self.rng.randint(2, 14)), ("idle", self.rng.randint(20, 40)),
                    ("idle in transaction", self.rng.randint(0, 2)))])
        ex.family("pg_database_size_bytes", "gauge", "Disk space used by the database",
                  [("", [("datname", d)], int(self.size[d])) for d in self.DBS])
        ex.family("pg_replication_lag_seconds", "gauge", "Replication lag behind master in seconds",
                  [("", [("application_name", "pg-replica-1")], round(self.rng.uniform(0, 0.8), 3))])
        ex.family("pg_settings_max_connections", "gauge", "Sets the maximum number of concurrent connections.",
                  [("", [], 200)])
        return ex.text()


class Redis:
    def __init__(self, rng):
        self.rng = rng
        self.c = Counters(rng)
        self.mem = 1.4e9

    def render(self, path):
        v = self.c.advance({"cmds": 2400, "hits": 1700, "misses": 160, "expired": 40, "evicted": 0.0})
        self.mem = min(3.5e9, max(1.0e9, self.mem + self.rng.gauss(0, 4e6)))
        ex = Exposition()
        ex.family("redis_up", "gauge", "Information about the Redis instance", [("", [], 1)])
        ex.family("redis_connected_clients", "gauge", "connected_clients metric", [("", [], self.rng.randint(40, 70))])
        ex.family("redis_memory_used_bytes", "gauge", "memory_used_bytes metric", [("", [], int(self.mem))])
        ex.family("redis_memory_max_bytes", "gauge", "memory_max_bytes metric", [("", [], 4294967296)])
        ex.family("redis_commands_processed_total", "counter", "commands_processed_total metric",
                  [("", [], int(v["cmds"]))])
        ex.family("redis_keyspace_hits_total", "counter", "keyspace_hits_total metric", [("", [], int(v["hits"]))])
        ex.family("redis_keyspace_misses_total", "counter", "keyspace_misses_total metric",
                  [("", [], int(v["misses"]))])
        ex.family("redis_expired_keys_total", "counter", "expired_keys_total metric", [("", [], int(v["expired"]))])
        ex.family("redis_evicted_keys_total", "counter", "evicted_keys_total metric", [("", [], int(v["evicted"]))])
        ex.family("redis_db_keys", "gauge", "Total number of keys by DB",
                  [("", [("db", "db0")], 183000 + self.rng.randint(-500, 500)),
                   ("", [("db", "db1")], 4200 + self.rng.randint(-20, 20))])
        return ex.text()


class Federation:
    """dc2's Prometheus HA pair behind its load balancer: each replica answers /federate with dc2's recording rules
    as of its own last rule evaluation (every 15 s, the replicas out of phase), with the samples' timestamps; the
    load balancer sends to replica a alone, or round robin to a and b."""
    SERIES = ([("job:http_requests:rate1m", [("job", j)], base) for j, base in
               (("shop-api", 410.0), ("search", 95.0), ("cart", 120.0), ("auth", 60.0))] +
              [("job:http_errors:ratio1m", [("job", j)], base) for j, base in
               (("shop-api", 0.009), ("search", 0.004), ("cart", 0.006), ("auth", 0.002))] +
              [("job:http_request_duration_seconds:p95", [("job", j)], base) for j, base in
               (("shop-api", 0.21), ("search", 0.35), ("cart", 0.12), ("auth", 0.05))] +
              [("job:jobs_queue_depth:sum", [("queue", q)], base) for q, base in
               (("orders", 30.0), ("emails", 90.0), ("webhooks", 12.0))] +
              [("job:node_cpu_utilisation:avg", [("job", j)], base) for j, base in
               (("shop-api", 0.41), ("search", 0.63), ("cart", 0.22), ("postgres", 0.35))])
    UP = [("shop-api", "10.2.0.%d:8080" % i) for i in range(11, 15)] + [("search", "10.2.1.11:9200"),
                                                                       ("cart", "10.2.0.31:8080"),
                                                                       ("cart", "10.2.0.32:8080"),
                                                                       ("auth", "10.2.0.41:8080")]
    REPLICAS = {"a": (0.0, 0.212), "b": (8.0, 0.871)}  # phase of the rule evaluations (s), and ms jitter

    def __init__(self):
        self.mode = "a"
        self.turn = 0
        self.lock = threading.Lock()
        self.hits = {"a": 0, "b": 0}

    @staticmethod
    def value(base, name, labels, ts):
        h = sum(map(ord, name + str(labels)))
        x = math.sin(ts / 300.0 + h) * 0.08 + math.sin(ts / 47.0 + h * 3) * 0.03
        return round(base * (1 + x), 6)

    def render(self, path):
        with self.lock:
            if self.mode == "a":
                replica = "a"
            else:
                replica = "ab"[self.turn % 2]
                self.turn += 1
            self.hits[replica] += 1
        phase, frac = self.REPLICAS[replica]
        t = now()
        evald = math.floor((t - phase) / 15.0) * 15.0 + phase + frac
        if evald > t:
            evald -= 15.0
        ms = int(evald * 1000)
        out = []
        for name in sorted({s[0] for s in self.SERIES}):
            out.append("# TYPE %s untyped\n" % name)
            for n, labels, base in self.SERIES:
                if n == name:
                    lab = [("datacenter", "dc2")] + labels
                    out.append("%s%s %s %d\n" % (name, labelstr(sorted(lab)), fmt(self.value(base, n, labels, evald)),
                                                 ms))
        out.append("# TYPE up untyped\n")
        for job, inst in self.UP:
            out.append('up{datacenter="dc2",instance="%s",job="%s"} 1 %d\n' % (inst, job, ms))
        return "".join(out)


class Alertmanager:
    """The Alertmanager's /metrics; the alerts Prometheus sends it are counted by the HTTP handler."""

    def __init__(self, rng):
        self.rng = rng
        self.received = 0
        self.firing = {}
        self.start = now() - 5 * 86400

    def render(self, path):
        ex = Exposition()
        ex.family("alertmanager_alerts", "gauge", "How many alerts by state.",
                  [("", [("state", "active")], len(self.firing)), ("", [("state", "suppressed")], 0),
                   ("", [("state", "unprocessed")], 0)])
        ex.family("alertmanager_alerts_received_total", "counter", "The total number of received alerts.",
                  [("", [("status", "firing")], self.received), ("", [("status", "resolved")], 0)])
        ex.family("alertmanager_notifications_total", "counter", "The total number of attempted notifications.",
                  [("", [("integration", "email")], self.received // 3), ("", [("integration", "slack")],
                                                                          self.received // 2)])
        ex.family("alertmanager_cluster_enabled", "gauge", "Indicates whether the clustering is enabled or not.",
                  [("", [], 0)])
        process_metrics(ex, self.start, 310.5, 41e6, 14, 37)
        return ex.text()


class LongTermStore:
    """A Mimir-like distributor's remote-write endpoint: accepts pushes (counted), fails one push now and then
    (fail_next), and all of them while overloaded."""

    def __init__(self, rng):
        self.rng = rng
        self.overloaded = False
        self.fail_next = 0
        self.lock = threading.Lock()
        self.counts = {"ok": 0, "503": 0, "500": 0}

    def answer(self, size):
        """(status, body) for one push of size bytes."""
        with self.lock:
            if self.overloaded:
                if self.rng.random() < 0.7:
                    self.counts["503"] += 1
                    return 503, ("rpc error: code = Unavailable desc = ingester 127.0.3.%d:9095: too many in-flight "
                                 "push requests (%d of 256)" % (self.rng.randint(1, 3), self.rng.randint(256, 420)))
                self.counts["500"] += 1
                return 500, ("at least 2 live replicas required, could only find 1 - unhealthy instances: "
                             "127.0.3.%d:9095" % self.rng.randint(1, 3))
            if self.fail_next > 0:
                self.fail_next -= 1
                self.counts["500"] += 1
                return 500, ("failed pushing to ingester ingester-zone-%s-%d: rpc error: code = DeadlineExceeded "
                             "desc = context deadline exceeded" % (self.rng.choice("abc"), self.rng.randint(0, 2)))
            self.counts["ok"] += 1
            return 200, ""


class ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(port, target):
    """An HTTP server on 127.0.0.1:port: GET renders target's exposition; POST goes to target.post(handler)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body, ctype="text/plain; charset=utf-8"):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except OSError:
                pass

        def do_GET(self):
            path = urllib.parse.urlsplit(self.path).path
            if path not in ("/metrics", "/federate"):
                self.reply(404, "404 page not found\n")
                return
            self.reply(200, target.render(path), "text/plain; version=0.0.4; charset=utf-8")

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n)
            if isinstance(target, LongTermStore) and self.path.startswith("/api/v1/push"):
                status, text = target.answer(len(body))
                self.reply(status, text + ("\n" if text else ""))
            elif isinstance(target, Alertmanager) and self.path.startswith("/api/v2/alerts"):
                try:
                    alerts = json.loads(body)
                    target.received += len(alerts)
                    for a in alerts:
                        target.firing[a.get("labels", {}).get("alertname", "")] = a.get("endsAt")
                except ValueError:
                    pass
                self.reply(200, "")
            else:
                self.reply(404, "404 page not found\n")

    srv = ThreadingServer(("127.0.0.1", port), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


# ---- Prometheus: config, rules, process ----------------------------------------------------------------------------

CONFIG = """# Prometheus for the shop (dc1). Managed by config management: local changes are overwritten.
global:
  scrape_interval: 5s
  scrape_timeout: 4s
  evaluation_interval: 5s
  external_labels:
    datacenter: dc1
    monitor: prom-dc1

alerting:
  alertmanagers:
    - static_configs:
        - targets: ['127.0.0.1:{am}']

rule_files:
  - {work}/rules/*.rules.yml

remote_write:
  - url: {lts_url}
    name: lts
    remote_timeout: 10s
    queue_config:
      capacity: 2500
      max_shards: 10
      min_shards: 1
      max_samples_per_send: 500
      batch_send_deadline: 5s
    write_relabel_configs:
      - source_labels: [__name__]
        regex: 'go_gc_.*|go_memstats_.*'
        action: drop

scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:{prom}']

  - job_name: shop-api
    static_configs:
      - targets: [{shop}]
        labels:
          env: production
    relabel_configs:
      - source_labels: [__address__]
        regex: '127\\.0\\.0\\.1:(\\d+)'
        target_label: pod
        replacement: 'shop-api-$1'

  - job_name: checkout-worker
    static_configs:
      - targets: ['127.0.0.1:{worker}']
        labels:
          env: production

  - job_name: billing-batch
    honor_labels: true
    scrape_interval: {billing_interval}
    static_configs:
      - targets: ['127.0.0.1:{billing}']

  - job_name: postgres
    static_configs:
      - targets: ['127.0.0.1:{postgres}']
        labels:
          cluster: pg-main

  - job_name: redis
    static_configs:
      - targets: ['127.0.0.1:{redis}']
        labels:
          cluster: cache-main

  - job_name: federate-dc2
    honor_labels: true
    metrics_path: /federate
    scrape_interval: 5s
    params:
      'match[]':
        - '{{__name__=~"job:.*"}}'
        - '{{__name__="up"}}'
    static_configs:
      - targets: ['127.0.0.1:{federate}']
{extra}"""

AM_JOB = """
  - job_name: alertmanager
    static_configs:
      - targets: ['127.0.0.1:{am}']
"""

SHOP_RULES = """groups:
  - name: shop-api.rules
    rules:
      - record: job:http_requests:rate1m
        expr: sum by (job) (rate(http_requests_total[1m]))
      - record: job_handler:http_requests:rate1m
        expr: sum by (job, handler, method) (rate(http_requests_total[1m]))
      - record: job:http_errors:ratio1m
        expr: |
          sum by (job) (rate(http_requests_total{{code=~"5.."}}[1m]))
            /
          sum by (job) (rate(http_requests_total[1m]))
      - record: handler:http_request_duration_seconds:p95
        expr: histogram_quantile(0.95, sum by (handler, le) (rate(http_request_duration_seconds_bucket[1m])))

  - name: shop-api.alerts
    rules:
      - alert: HighErrorRate
        expr: job:http_errors:ratio1m > {error_threshold}
        for: 2m
        labels:
          severity: page
        annotations:
          summary: 'High 5xx ratio on {{{{ $labels.job }}}}: {{{{ $value | humanizePercentage }}}}'
      - alert: HighLatency
        expr: handler:http_request_duration_seconds:p95{{handler!="/checkout"}} > 0.5
        for: 5m
        labels:
          severity: ticket
        annotations:
          summary: 'p95 latency of {{{{ $labels.handler }}}} is {{{{ $value | humanizeDuration }}}}'
      - alert: CheckoutSlow
        expr: handler:http_request_duration_seconds:p95{{handler="/checkout"}} > 0.8
        for: 1m
        labels:
          severity: ticket
        annotations:
          summary: 'checkout p95 latency is {{{{ $value | humanizeDuration }}}}'
"""

INFRA_RULES = """groups:
  - name: checkout-worker.rules
    rules:
      - record: queue:jobs_processed:rate1m
        expr: sum by (queue, result) (rate(jobs_processed_total[1m]))
      - alert: QueueBacklog
        expr: jobs_queue_depth > {queue_threshold}
        for: 2m
        labels:
          severity: ticket
        annotations:
          summary: 'Queue {{{{ $labels.queue }}}} has {{{{ $value }}}} jobs waiting'

  - name: billing-batch.alerts
    rules:
      - alert: BillingBatchStale
        expr: time() - batch_last_success_timestamp_seconds > 600
        labels:
          severity: page
        annotations:
          summary: 'Batch {{{{ $labels.batch }}}} has not succeeded for {{{{ $value | humanizeDuration }}}}'
      - alert: BillingBatchSlow
        expr: batch_last_duration_seconds > 30
        labels:
          severity: info
        annotations:
          summary: 'Batch {{{{ $labels.batch }}}} took {{{{ $value }}}}s'

  - name: datastores.alerts
    rules:
      - alert: PostgresDown
        expr: pg_up == 0
        for: 1m
        labels:
          severity: page
      - alert: ReplicationLag
        expr: pg_replication_lag_seconds > 30
        for: 2m
        labels:
          severity: ticket
      - alert: RedisMemoryHigh
        expr: redis_memory_used_bytes / redis_memory_max_bytes > 0.9
        for: 5m
        labels:
          severity: ticket

  - name: meta.alerts
    rules:
      - alert: TargetDown
        expr: up == 0
        for: 1m
        labels:
          severity: ticket
        annotations:
          summary: '{{{{ $labels.job }}}} target {{{{ $labels.instance }}}} is down'
      - alert: RemoteWriteBehind
        expr: (max(prometheus_remote_storage_highest_timestamp_in_seconds) - max(prometheus_remote_storage_queue_highest_sent_timestamp_seconds)) > 120
        for: 2m
        labels:
          severity: ticket
"""

# the admin's new SLO rules: joined with shop_build_info on (job), whose three instances share the job: many-to-many
SLO_BAD = """groups:
  - name: shop-api.slo
    rules:
      - record: instance_version:http_requests:rate1m
        expr: |
          sum by (job, instance) (rate(http_requests_total[1m]))
            * on (job) group_left (version)
          shop_build_info
      - record: instance_version:http_errors:rate1m
        expr: |
          sum by (job, instance) (rate(http_requests_total{code=~"5.."}[1m]))
            * on (job) group_left (version)
          shop_build_info
      - alert: CanaryErrorBudgetBurn
        expr: |
          sum by (version) (instance_version:http_errors:rate1m)
            / sum by (version) (instance_version:http_requests:rate1m) > 0.02
        for: 5m
        labels:
          severity: page
"""

# the first fix: on (instance), but "expr" mistyped as "exp" in the second rule
SLO_TYPO = SLO_BAD.replace("on (job)", "on (instance)").replace(
    "      - record: instance_version:http_errors:rate1m\n        expr:",
    "      - record: instance_version:http_errors:rate1m\n        exp:")
SLO_GOOD = SLO_BAD.replace("on (job)", "on (instance)")


class Prometheus:
    def __init__(self, work):
        self.work = work
        self.config = os.path.join(work, "prometheus.yml")
        self.rules = os.path.join(work, "rules")
        self.data = os.path.join(work, "data")
        self.log = os.path.join(work, "prometheus.log")
        self.proc = None
        self.logf = None
        self.settings = {"error_threshold": "0.05", "queue_threshold": "500", "extra": "", "billing_interval": "15s"}
        os.makedirs(self.rules)

    def write_config(self):
        text = CONFIG.format(work=self.work, am=ALERTMANAGER, lts_url=LTS_URL, prom=PROM,
                             shop=", ".join("'127.0.0.1:%d'" % p for p in SHOP), worker=WORKER, billing=BILLING,
                             postgres=POSTGRES, redis=REDIS, federate=FEDERATE,
                             extra=self.settings["extra"], billing_interval=self.settings["billing_interval"])
        self.write(self.config, text)
        self.write(os.path.join(self.rules, "shop.rules.yml"),
                   SHOP_RULES.format(error_threshold=self.settings["error_threshold"]))
        self.write(os.path.join(self.rules, "infra.rules.yml"),
                   INFRA_RULES.format(queue_threshold=self.settings["queue_threshold"]))

    @staticmethod
    def write(path, text):
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)

    def start(self):
        self.write_config()
        env = dict(os.environ, TZ="UTC")
        self.logf = open(self.log, "ab")
        self.proc = subprocess.Popen(
            ["/usr/bin/prometheus", "--config.file=" + self.config, "--storage.tsdb.path=" + self.data,
             "--web.listen-address=127.0.0.1:%d" % PROM, "--web.enable-lifecycle",
             "--storage.tsdb.min-block-duration=2m"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.logf, cwd=self.work, env=env)
        wait_listening(self.proc, "prometheus", [PROM], 30)
        deadline = now() + 30
        while now() < deadline:
            try:
                if http_get(CONFIG_AGENT, "/-/ready")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("prometheus did not become ready")

    def reload(self, source):
        """POST /-/reload as the config agent or admin would; returns (status, body)."""
        return http_request(source, "POST", "/-/reload", timeout=30)

    def stop(self):
        stop_process(self.proc, seconds=90)
        if self.logf:
            self.logf.close()
            self.logf = None

    def lines(self):
        with open(self.log, "rb") as f:
            data = f.read().decode("utf-8", "replace")
        out = []
        for line in data.splitlines():
            m = re.match(r"ts=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)Z ", line)
            if m:
                t = calendar.timegm(time.strptime(m.group(1)[:19], "%Y-%m-%dT%H:%M:%S"))
                frac = m.group(1)[19:]
                out.append((t + (float(frac) if frac else 0.0), line))
        return out

    def find(self, since, until, *needles):
        return [(t, l) for t, l in self.lines() if since <= t <= until and all(n in l for n in needles)]


def http_request(source, method, path, timeout=15):
    conn = http.client.HTTPConnection("127.0.0.1", PROM, timeout=timeout, source_address=(source, 0))
    try:
        conn.request(method, path, headers={"User-Agent": USER_AGENTS.get(source, "curl/7.88.1")})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def http_get(source, path, timeout=15):
    return http_request(source, "GET", path, timeout)


USER_AGENTS = {GRAFANA: "Grafana/9.3.6", CONFIG_AGENT: "ansible-httpget", ADMIN: "curl/7.88.1",
               AM_CLIENT: "Go-http-client/1.1"}


# ---- normal traffic -------------------------------------------------------------------------------------------------

DASHBOARD = [
    'sum by (job) (rate(http_requests_total[1m]))',
    'job:http_errors:ratio1m',
    'handler:http_request_duration_seconds:p95',
    'sum by (handler, code) (rate(http_requests_total{job="shop-api"}[5m]))',
    'jobs_queue_depth',
    'queue:jobs_processed:rate1m',
    'time() - batch_last_success_timestamp_seconds',
    'sum by (datname) (rate(pg_stat_database_xact_commit[1m]))',
    'pg_stat_activity_count',
    'redis_memory_used_bytes / redis_memory_max_bytes',
    'rate(redis_keyspace_hits_total[1m]) / (rate(redis_keyspace_hits_total[1m]) + rate(redis_keyspace_misses_total[1m]))',
    'job:http_requests:rate1m{datacenter="dc2"}',
    'sum by (pod) (rate(process_cpu_seconds_total{job="shop-api"}[1m]))',
]
INSTANT = ['up', 'count by (job) (up == 1)', 'ALERTS{alertstate="firing"}',
           'prometheus_remote_storage_samples_pending', 'topk(5, job_handler:http_requests:rate1m)']
ADHOC = ['rate(http_requests_total{handler="/checkout",code="500"}[5m])',
         'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{handler="/search"}[5m])))',
         'max_over_time(jobs_queue_depth{queue="orders"}[30m])', 'increase(batch_runs_total[1h])',
         'shop_build_info', 'sum(rate(http_requests_total[5m])) by (pod, code)',
         'pg_database_size_bytes / 1024 / 1024 / 1024', 'deriv(pg_database_size_bytes{datname="shop"}[30m])',
         'count by (__name__) ({job="shop-api"})', 'prometheus_tsdb_head_series',
         'rate(prometheus_remote_storage_samples_failed_total[5m])',
         'sum by (job) (rate(http_requests_total[5m])',            # typos: 400, not logged
         'rate(http_requests_total{handler="/cart"[5m])', 'histogram_quantile(0.9 rate(foo[5m]))']


class Traffic:
    def __init__(self, prom, stores, seed):
        self.prom = prom
        self.lts, self.fed = stores
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.counts = {}
        self.lock = threading.Lock()
        self.reload_lock = threading.Lock()
        self.threads = []

    def count(self, key):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1

    def query(self, source, expr, rng, ranged):
        t = now()
        if ranged:
            q = {"query": expr, "start": "%.3f" % (t - 3600), "end": "%.3f" % t, "step": "15"}
            path = "/api/v1/query_range?" + urllib.parse.urlencode(q)
        else:
            path = "/api/v1/query?" + urllib.parse.urlencode({"query": expr, "time": "%.3f" % t})
        try:
            status, _ = http_get(source, path)
            self.count("query %d" % status)
        except OSError as e:
            self.count("query error %s" % type(e).__name__)

    def grafana(self):
        rng = random.Random(self.rng.random())
        while not self.stop.wait(rng.uniform(28, 32)):
            for expr in DASHBOARD:
                self.query(GRAFANA, expr, rng, True)
            for expr in INSTANT:
                self.query(GRAFANA, expr, rng, False)

    def engineer(self, source):
        rng = random.Random(self.rng.random())
        for _ in poisson(1 / 25.0, self.stop, rng):
            for _ in range(rng.randint(1, 4)):
                self.query(source, rng.choice(ADHOC), rng, rng.random() < 0.6)
                if self.stop.wait(rng.uniform(2, 10)):
                    return

    def am_checks(self):
        rng = random.Random(self.rng.random())
        while not self.stop.wait(rng.uniform(14, 16)):
            try:
                http_get(AM_CLIENT, "/api/v1/alerts")
                self.count("alerts api")
            except OSError:
                pass

    def config_agent(self):
        """The config-management agent's run every 2-3 minutes: writes the same files and reloads."""
        rng = random.Random(self.rng.random())
        while not self.stop.wait(rng.uniform(120, 170) * max(SCALE, 0.25)):
            self.reload(CONFIG_AGENT)

    def reload(self, source):
        with self.reload_lock:
            try:
                status, body = self.prom.reload(source)
                self.count("reload %s %d" % (source, status))
                return status, body
            except OSError as e:
                self.count("reload error %s" % type(e).__name__)
                return None, b""

    def lts_blips(self):
        """The long-term store fails one push with a 500 now and then (Prometheus retries it)."""
        rng = random.Random(self.rng.random())
        for _ in poisson(1 / (110.0 * max(SCALE, 0.25)), self.stop, rng):
            with self.lts.lock:
                if not self.lts.overloaded:
                    self.lts.fail_next += 1

    def run(self):
        targets = [self.grafana, self.am_checks, self.config_agent, self.lts_blips] + \
            [lambda s=s: self.engineer(s) for s in ENGINEERS]
        self.threads = [threading.Thread(target=t, daemon=True) for t in targets]
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(20)


# ---- the run --------------------------------------------------------------------------------------------------------

def main():
    work = begin(OUT, "prometheus", __doc__)
    rng = random.Random(2042)
    prom = Prometheus(work)
    lts, fed, am = LongTermStore(random.Random(11)), Federation(), Alertmanager(random.Random(12))
    targets = {SHOP[0]: ShopApi(0, random.Random(1)), SHOP[1]: ShopApi(1, random.Random(2)),
               SHOP[2]: ShopApi(2, random.Random(3)), WORKER: Worker(random.Random(4)),
               BILLING: Billing(random.Random(5)), POSTGRES: Postgres(random.Random(6)), REDIS: Redis(random.Random(7)),
               FEDERATE: fed, ALERTMANAGER: am, LTS: lts}
    servers = []
    traffic = Traffic(prom, (lts, fed), 2042)
    version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "prometheus"], capture_output=True,
                             text=True).stdout.strip()
    labels = Labels()
    labels.note("made by bench/real-logs/prometheus.py: real Prometheus %s (Debian) on 127.0.0.1:%d, its own stderr "
                "log (logfmt, default --log.level=info, TZ=UTC), scrape and evaluation interval 5 s, 9 targets "
                "served by the script on 127.0.0.1:20102-20110 (shop-api x3, checkout-worker, billing-batch, "
                "postgres, redis, federate-dc2, alertmanager), rules in WORK/rules/*.rules.yml, remote_write 'lts' "
                "to %s, --web.enable-lifecycle reloads, --storage.tsdb.min-block-duration=2m (head compaction every "
                "2 minutes instead of 2 hours); a Grafana, two engineers and the Alertmanager query the HTTP API; "
                "wall-clock times" % (version, PROM, LTS_URL))
    marks = {}
    ok = False
    try:
        for port, target in targets.items():
            servers.append(serve(port, target))
        prom.start()
        traffic.run()
        t0 = now()

        # the admin raises the QueueBacklog threshold (the emails queue is often above 500 after campaigns)
        sleep_until(t0 + rng.uniform(40, 55) * SCALE)
        prom.settings["queue_threshold"] = "800"
        prom.write_config()
        traffic.reload(ADMIN)
        sleep_until(t0 + 90 * SCALE)

        # 1. dc2's load balancer sends federation scrapes round robin to both replicas of its HA pair
        start = now()
        with fed.lock:
            fed.mode = "ab"
        time.sleep(70 * SCALE)
        with fed.lock:
            fed.mode = "a"
        marks["federation"] = (start, now())
        sleep_until(now() + 25 * SCALE)
        # the admin adds a scrape job for the Alertmanager
        prom.settings["extra"] = AM_JOB.format(am=ALERTMANAGER)
        prom.write_config()
        traffic.reload(ADMIN)
        sleep_until(marks["federation"][1] + 60 * SCALE)

        # 2. the long-term store's ingesters are overloaded: every push fails with 503/500
        start = now()
        with lts.lock:
            lts.overloaded = True
        time.sleep(75 * SCALE)
        with lts.lock:
            lts.overloaded = False
        marks["lts"] = (start, now())
        sleep_until(now() + 65 * SCALE)

        # 3. the admin deploys new SLO rules with a many-to-many join, then a fix with a typo, then the right fix
        slo = os.path.join(prom.rules, "slo.rules.yml")
        start = now()
        prom.write(slo, SLO_BAD)
        r1 = traffic.reload(ADMIN)
        time.sleep(65 * SCALE)
        prom.write(slo, SLO_TYPO)
        typo_at = now()
        r2 = traffic.reload(ADMIN)
        time.sleep(20 * SCALE)
        prom.write(slo, SLO_GOOD)
        fixed_at = now()
        r3 = traffic.reload(ADMIN)
        marks["rules"] = (start, fixed_at, typo_at, slo, (r1[0], r2[0], r2[1][:300], r3[0]))
        sleep_until(now() + 75 * SCALE)

        traffic.finish()
        print("%s: traffic %s; federation hits %s; lts %s; alerts received %d; reloads %s" % (
            NAME, sorted(traffic.counts.items()), fed.hits, lts.counts, am.received,
            marks["rules"][4]), file=sys.stderr)
        ok = True
    finally:
        traffic.stop.set()
        with lts.lock:
            lts.overloaded = False
        prom.stop()
        for srv in servers:
            srv.shutdown()
            srv.server_close()
        if ok:
            label(prom, labels, marks)
            keep_log(prom.log, OUT, NAME, labels)
        shutil.rmtree(work, ignore_errors=True)


def label(prom, labels, marks):
    """The labels, from the log: each incident from the first line it caused to the last."""
    s, e = marks["federation"]
    ooo = prom.find(s, e + 30, "scrape_pool=federate-dc2", "out-of-order samples")
    other = prom.find(s, e + 30, "scrape_pool=federate-dc2", "level=warn")
    target = re.search(r'target="?([^" ]+)', ooo[0][1]).group(1) if ooo else "http://127.0.0.1:%d/federate" % FEDERATE
    dropped = sum(int(re.search(r"num_dropped=(\d+)", l).group(1)) for _, l in ooo)
    labels.add("federation-out-of-order", ooo[0][0] if ooo else s, ooo[-1][0] if ooo else e, "out-of-order-samples",
               "federate-dc2|127.0.0.1:%d|%s" % (FEDERATE, target),
               "dc2's team puts the second replica of its Prometheus HA pair back behind the load balancer that the "
               "federate-dc2 job scrapes (127.0.0.1:%d/federate), round robin, for %d s; the replicas evaluate their "
               "recording rules 8 s apart, so scrapes alternate between two sets of sample timestamps and those older "
               "than what is stored are refused: %d lines 'level=warn component=\"scrape manager\" "
               "scrape_pool=federate-dc2 target=%s msg=\"Error on ingesting out-of-order samples\" num_dropped=N' "
               "(%d samples dropped in all; %d warn lines of federate-dc2 in the window)"
               % (FEDERATE, round(e - s), len(ooo), target, dropped, len(other)))

    s, e = marks["lts"]
    fails = [(t, l) for t, l in prom.find(s, e + 15, "remote_name=lts", "Failed to send batch, retrying")
             if "too many in-flight push requests" in l or "live replicas required" in l]
    codes = {c: sum(1 for _, l in fails if "HTTP status %s" % c in l) for c in ("503", "500")}
    reshard = prom.find(s, e + 60, "remote_name=lts", "Remote storage resharding")
    labels.add("remote-write-outage", fails[0][0] if fails else s, fails[-1][0] if fails else e,
               "remote-write-failure", "%s|lts" % LTS_URL,
               "the long-term store behind remote_write 'lts' (%s) is overloaded for %d s and refuses every push "
               "(503 'too many in-flight push requests' from its ingesters, 500 'at least 2 live replicas required'); "
               "Prometheus retries with backoff: %d lines 'component=remote level=warn remote_name=lts url=%s "
               "msg=\"Failed to send batch, retrying\" err=\"server returned HTTP status ...\"' (%d with 503, %d with "
               "500); after it recovers, %d 'Remote storage resharding' lines within a minute as the queue catches up"
               % (LTS_URL, round(e - s), len(fails), LTS_URL, codes["503"], codes["500"], len(reshard)))

    s, fixed, typo_at, slo, results = marks["rules"]
    evals = prom.find(s, fixed + 15, "group=shop-api.slo", "Evaluating rule failed")
    reload_err = prom.find(typo_at - 1, fixed, "Error reloading config")
    groups_err = prom.find(typo_at - 1, fixed, "slo.rules.yml", "level=error")
    times = sorted([t for t, _ in evals] + [t for t, _ in reload_err] + [t for t, _ in groups_err])
    labels.add("bad-rule-deploy", times[0] if times else s, times[-1] if times else fixed, "bad-rule-config",
               "shop-api.slo|%s" % slo,
               "the admin deploys a new rule file %s (group shop-api.slo) whose recording rules join the request "
               "rates with shop_build_info on (job) instead of on (instance) and reloads: each evaluation fails, %d "
               "lines 'level=warn component=\"rule manager\" file=%s group=shop-api.slo name=... msg=\"Evaluating rule "
               "failed\" err=\"found duplicate series for the match group {job=\\\"shop-api\\\"} ... many-to-many "
               "matching not allowed\"'; %d s later the admin's first fix has a typo (field 'exp') and its reload "
               "fails (%d error lines naming slo.rules.yml, %d 'Error reloading config'), the old rules keep failing; "
               "%d s after that the second fix loads and the errors stop (reload answers %s)"
               % (slo, len(evals), slo, round(typo_at - s), len(groups_err), len(reload_err), round(fixed - typo_at),
                  "/".join(str(r) for r in (results[0], results[1], results[3]))))


if __name__ == "__main__":
    main()
