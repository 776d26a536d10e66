#!/usr/bin/env python3
"""Scores Logwarden's `analyze` on labelled logs: incidents found, missed, false alarms, influencer named.

How to run on a fresh clone (JDK 17, python3; no pip packages):
    ./mvnw -B -ntp -q package -DskipTests          # builds target/logwarden.jar (add -o once ~/.m2 is filled)
    python3 bench/score-incidents.py                # every bench/real-logs/logs/*.log[.gz] with its labels
    python3 bench/score-incidents.py --slack 0 FILE.log ...
    python3 bench/score-incidents.py --config bench/real-logs/window-10s.yml    # a reference with tuned settings
bench/run-incidents.sh does both. Labels: FILE's name without .log/.log.gz plus .labels.tsv beside it
(bench/real-logs/labels.py describes the columns).

Each file is analysed on its own, with default settings, as a user's first file:
    java -jar JAR analyze FILE        (stdout: one JSON anomaly per line; see io.logwarden.cli.AnalyzeCommand)
Matching, with slack S (default 60 s):
  - an anomaly is matched to every incident whose labelled interval its window [windowStart, windowEnd) overlaps;
    if it overlaps none, to the nearest incident within S of its window; otherwise it is a false alarm.
  - an incident is found when at least one anomaly is matched to it, missed otherwise.
  - named: some anomaly matched to it names the labelled influencer (any '|' alternative, case-insensitive; an
    address must match whole, so 127.0.0.2 does not match 127.0.0.200) in its own words: every string of the
    anomaly except its evidence lines (raw log text names everything) and its source name.
The raw output of each run is kept in --keep DIR (default /tmp/logwarden-incidents) for reading.
"""
import argparse
import datetime
import glob
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SKIP_KEYS = {"evidence", "source", "ref", "raw", "lines", "examples"}


def parse_time(text):
    if text is None:
        return None
    t = text.strip().replace("Z", "+00:00")
    d = datetime.datetime.fromisoformat(t)
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return d.timestamp()


def labels_for(log):
    base = os.path.basename(log)
    for suffix in (".log.gz", ".log", ".gz"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    path = os.path.join(os.path.dirname(log), base + ".labels.tsv")
    return path if os.path.exists(path) else None


def read_labels(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or line.startswith("id\t"):
                continue
            cols = line.split("\t")
            if len(cols) < 6:
                raise SystemExit("%s: expected 6 tab-separated columns, got %d: %r" % (path, len(cols), line))
            rows.append({"id": cols[0], "start": parse_time(cols[1]), "end": parse_time(cols[2]) + 1,  # end inclusive
                         "kind": cols[3], "influencer": [v for v in cols[4].split("|") if v], "description": cols[5]})
    return rows


def own_words(obj, key=None):
    """All strings of an anomaly outside its evidence."""
    if key in SKIP_KEYS:
        return []
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in own_words(v, k)]
    if isinstance(obj, list):
        return [s for v in obj for s in own_words(v, key)]
    return [str(obj)] if obj is not None else []


def names(text, value):
    if re.fullmatch(r"[\d.:]+", value):  # an address (or address:port): whole, not a prefix of another
        return re.search(r"(?<![\d.])" + re.escape(value) + r"(?![\d])", text) is not None
    return value.lower() in text.lower()


def analyze(jar, log, keep, config=None):
    start = time.time()
    command = ["java", "-jar", jar, "analyze"] + (["--config", config] if config else []) + [log]
    proc = subprocess.run(command, capture_output=True, text=True)
    seconds = time.time() - start
    name = os.path.basename(log)
    os.makedirs(keep, exist_ok=True)
    with open(os.path.join(keep, name + ".jsonl"), "w") as f:
        f.write(proc.stdout)
    with open(os.path.join(keep, name + ".stderr"), "w") as f:
        f.write(proc.stderr)
    if proc.returncode != 0:
        print("warning: %s: analyze exited %d: %s" % (name, proc.returncode, proc.stderr.strip()[-300:]), file=sys.stderr)
    anomalies = []
    for line in proc.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        a = json.loads(line)
        ws, we = parse_time(a.get("windowStart")), parse_time(a.get("windowEnd"))
        if ws is None:
            print("warning: %s: an anomaly without windowStart: %s" % (name, line[:200]), file=sys.stderr)
            continue
        a["_ws"], a["_we"] = ws, (we if we is not None and we > ws else ws + 1)
        a["_text"] = "\n".join(own_words(a))
        anomalies.append(a)
    lines = proc.stderr.strip().splitlines()
    summary = next((l for l in reversed(lines) if re.search(r"anomal(y|ies) in \d+ events?", l)), None)
    events = int(re.search(r"in (\d+) events?", summary).group(1)) if summary else 0
    problem = "" if proc.returncode == 0 else "analyze exit %d: %s" % (proc.returncode, (lines or ["?"])[0][:160])
    return anomalies, seconds, events, problem


def score(labels, anomalies, slack):
    matched = {inc["id"]: [] for inc in labels}
    false_alarms = []
    for a in anomalies:
        exact = [inc for inc in labels if a["_ws"] < inc["end"] and a["_we"] > inc["start"]]
        if not exact:
            def gap(inc):
                return max(inc["start"] - a["_we"], a["_ws"] - inc["end"], 0)
            near = [inc for inc in labels if gap(inc) <= slack]
            exact = [min(near, key=gap)] if near else []
        for inc in exact:
            matched[inc["id"]].append(a)
        if not exact:
            false_alarms.append(a)
    results = []
    for inc in labels:
        found = matched[inc["id"]]
        named = [a for a in found if any(names(a["_text"], v) for v in inc["influencer"])]
        results.append({"incident": inc, "anomalies": found, "named": named})
    return results, false_alarms


def short(a):
    title = (a.get("title") or a.get("template") or "").replace("\n", " ")
    return "%s %s %s %s..%s %s" % (a.get("detector"), a.get("severity"), a.get("score"),
                                  iso(a["_ws"]), iso(a["_we"])[11:], title[:110])


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("files", nargs="*", help="log files (default: bench/real-logs/logs/*.log and *.log.gz)")
    p.add_argument("--jar", default=os.path.join(ROOT, "target", "logwarden.jar"))
    p.add_argument("--slack", type=float, default=60.0, help="seconds around an incident that still match (60)")
    p.add_argument("--keep", default="/tmp/logwarden-incidents", help="where the raw analyze output is kept")
    p.add_argument("--config", help="an application.yml passed to analyze (default: none, the built-in defaults)")
    p.add_argument("--quiet", action="store_true", help="only the table, not each incident's anomalies")
    args = p.parse_args()
    files = args.files or sorted(glob.glob(os.path.join(ROOT, "bench/real-logs/logs/*.log"))
                                 + glob.glob(os.path.join(ROOT, "bench/real-logs/logs/*.log.gz")))
    if not os.path.exists(args.jar):
        raise SystemExit("no %s: build it with ./mvnw -B -ntp -q package -DskipTests" % args.jar)
    if not files:
        raise SystemExit("no log files given and none in bench/real-logs/logs")
    rows = []
    totals = dict(incidents=0, found=0, named=0, missed=0, anomalies=0, false_alarms=0)
    details = []
    for log in files:
        lab = labels_for(log)
        if lab is None:
            print("warning: %s has no labels file, skipped" % log, file=sys.stderr)
            continue
        labels = read_labels(lab)
        anomalies, seconds, events, problem = analyze(args.jar, log, args.keep, args.config)
        results, false_alarms = score(labels, anomalies, args.slack)
        found = sum(1 for r in results if r["anomalies"])
        named = sum(1 for r in results if r["named"])
        row = dict(file=os.path.basename(log), events=events, problem=problem, incidents=len(labels), found=found, named=named,
                   missed=len(labels) - found, anomalies=len(anomalies), false_alarms=len(false_alarms),
                   seconds=seconds)
        rows.append(row)
        for k in totals:
            totals[k] += row[k]
        details.append("%s  (%d events read, %d anomalies%s)" % (row["file"], events, len(anomalies),
                                                                 "; " + problem if problem else ""))
        for r in results:
            inc = r["incident"]
            state = "NAMED" if r["named"] else ("found" if r["anomalies"] else "MISSED")
            details.append("  %-16s %-20s %-6s influencer %s" % (inc["id"], inc["kind"], state, "|".join(inc["influencer"])))
            for a in r["anomalies"][:6]:
                details.append("      %s %s" % ("*" if a in r["named"] else "-", short(a)))
            if len(r["anomalies"]) > 6:
                details.append("      ... %d more" % (len(r["anomalies"]) - 6))
        for a in false_alarms[:8]:
            details.append("  false alarm: %s" % short(a))
        if len(false_alarms) > 8:
            details.append("  ... %d more false alarms" % (len(false_alarms) - 8))
    if not args.quiet:
        print("\n".join(details))
        print()
    print("| file | events read | incidents | found | influencer named | missed | anomalies | false alarms | analyze s |")
    print("|" + "---|" * 9)
    for r in rows:
        print("| %s | %d | %d | %d | %d | %d | %d | %d | %.1f |" % (
            r["file"], r["events"], r["incidents"], r["found"], r["named"], r["missed"], r["anomalies"],
            r["false_alarms"], r["seconds"]))
    print("| **total** | | %d | %d | %d | %d | %d | %d | |" % (totals["incidents"], totals["found"], totals["named"],
                                                             totals["missed"], totals["anomalies"], totals["false_alarms"]))
    for r in rows:
        if r["problem"]:
            print("note: %s: %s" % (r["file"], r["problem"]))
    print("\nslack %g s; jar %s; %s" % (args.slack, os.path.relpath(args.jar, ROOT),
                                       "--config " + args.config if args.config else "default settings"))


if __name__ == "__main__":
    main()
