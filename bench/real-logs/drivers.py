"""What the scenario drivers share (python3 standard library only): the start of a run, the clock, whether a port
listens, stopping a server and the children that outlive it, an incident's parallel clients, the client programs to
kill at the end, a pool of client sessions with its dispatchers, a stand-in HTTP service and its JSON answers,
keeping a log.

    from drivers import (begin, now, sleep_until, wait_listening, stop_process, descendants, kill_leftovers,
                         run_workers, Children, SessionPool, StandIn, send_json, keep_log)
"""
import gzip
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from arrivals import poisson


def begin(out, name, usage, readable=False):
    """The start of a driver's main(): its usage when no OUTDIR was given, Ctrl-C and SIGTERM both ending it through
    its finally (KeyboardInterrupt, SystemExit 143), OUTDIR made, and the run's work dir /tmp/logwarden-NAME-*
    (readable by the server's own user when `readable`), which the driver removes at the end."""
    if out is None:
        raise SystemExit(usage)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.makedirs(out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="logwarden-%s-" % name, dir="/tmp")
    if readable:
        os.chmod(work, 0o755)
    return work


def now():
    return time.time()


def sleep_until(t):
    """Sleeps until the epoch time t (at once when it has passed)."""
    time.sleep(max(0.0, t - now()))


def wait_listening(proc, name, ports, seconds=15):
    """Waits until the server process proc listens on 127.0.0.1 at every one of ports, read from /proc/net/tcp (a test
    connection would show in its log); SystemExit when it exits first or takes longer than seconds."""
    want = {"0100007F:%04X" % p for p in ports}
    deadline = now() + seconds
    while now() < deadline:
        if proc.poll() is not None:
            raise SystemExit("%s exited with %s" % (name, proc.returncode))
        with open("/proc/net/tcp") as f:
            if want <= {l.split()[1] for l in list(f)[1:] if l.split()[3] == "0A"}:
                return
        time.sleep(0.1)
    raise SystemExit("%s did not listen on 127.0.0.1:%s" % (name, "/".join(str(p) for p in ports)))


def stop_process(proc, signals=(signal.SIGTERM,), seconds=20):
    """Stops a server process: each signal in turn, waiting up to seconds after each, then SIGKILL."""
    if proc is None or proc.poll() is not None:
        return
    for sig in signals:
        proc.send_signal(sig)
        try:
            proc.wait(seconds)
            return
        except subprocess.TimeoutExpired:
            pass
    proc.kill()
    proc.wait(5)


def descendants(pid):
    """The pids of the process pid's descendants, read from /proc/*/stat (to make sure none outlives it)."""
    parents = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    parents[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        found += kids
        todo += kids
    return found


def kill_leftovers(pids, marker, at_start=False):
    """SIGKILLs those of pids (a stopped server's descendants) still running whose command line holds the bytes marker
    (begins with it, at_start=True), so that no session outlives the server and no process that took a freed pid is
    hit."""
    for pid in pids:
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                cmdline = f.read()
            if not (cmdline.startswith(marker) if at_start else marker in cmdline):
                continue
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def run_workers(worker, args, wait):
    """Runs worker(*a) for each tuple a of args, each in a daemon thread of its own, and waits up to wait seconds for
    each in turn (an incident's parallel clients)."""
    threads = [threading.Thread(target=worker, args=a, daemon=True) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(wait)


class Children:
    """The client programs a driver has running (psql, mosquitto_pub, ...): add() each once started, discard() it once
    done; kill() at the end kills those still running, so that none outlives the run."""

    def __init__(self):
        self.lock = threading.Lock()
        self.procs = set()

    def add(self, proc):
        with self.lock:
            self.procs.add(proc)

    def discard(self, proc):
        with self.lock:
            self.procs.discard(proc)

    def kill(self):
        with self.lock:
            for p in self.procs:
                if p.poll() is None:
                    p.kill()


class SessionPool:
    """A base for a driver's Traffic: client sessions, each in a daemon thread of its own, at most `most` at once; a
    session that would be one too many is skipped (counted "skipped"), not queued, as when a stuck client holds its
    slot. rng (seeded), stop, lock, counts with count(); spawn(fn, *args) runs a session, counting it through failed()
    when it ends with one of errors; start(threads) starts the dispatchers; finish(seconds) stops them and waits for
    the sessions still running."""

    def __init__(self, seed, most, errors):
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.most = most
        self.slots = threading.BoundedSemaphore(most)
        self.errors = errors
        self.counts = {}
        self.threads = []

    def count(self, key, n=1):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + n

    def failed(self, fn, e):
        """Counts a session fn that ended with the exception e, by its function and error."""
        self.count("failed %s: %s" % (fn.__name__, str(e)[:50]))

    def spawn(self, fn, *args):
        """Runs one session fn(*args) in its own thread, or skips it when `most` are running."""
        if not self.slots.acquire(blocking=False):
            self.count("skipped")
            return

        def run():
            try:
                fn(*args)
            except self.errors as e:
                self.failed(fn, e)
            finally:
                self.slots.release()
        threading.Thread(target=run, daemon=True).start()

    def every(self, low, high, fn, *args, first=None):
        """A dispatcher: a session fn(*args, rng) every low to high seconds (the first after `first`, else at random
        within high), each with a random.Random of its own, until stop."""
        rng = random.Random(self.rng.random())
        nxt = now() + (first if first is not None else rng.uniform(0, high))
        while not self.stop.wait(0.1):
            if now() >= nxt:
                nxt = now() + rng.uniform(low, high)
                self.spawn(fn, *args, random.Random(rng.random()))

    def arrivals(self, rate, fn, *args):
        """A dispatcher: sessions fn(*args, rng) arriving as a Poisson process of rate a second, until stop."""
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            self.spawn(fn, *args, random.Random(rng.random()))

    def start(self, threads):
        """Starts the dispatcher threads (as daemons) and keeps them for finish()."""
        for t in threads:
            t.daemon = True
            t.start()
        self.threads = threads
        return threads

    def finish(self, seconds):
        """Stops the dispatchers, waits up to seconds for each, then up to seconds for the sessions still running."""
        self.stop.set()
        for t in self.threads:
            t.join(seconds)
        deadline = now() + seconds
        while now() < deadline:
            got = 0
            for _ in range(self.most):
                if self.slots.acquire(blocking=False):
                    got += 1
            for _ in range(got):
                self.slots.release()
            if got == self.most:
                return
            time.sleep(0.2)


class StandIn:
    """A base for a stand-in HTTP service the scenario's server depends on (a payment gateway, a stock service): its
    mode ("up" until an incident changes it), a lock, counts with count(), and the threaded HTTP server serve() makes
    for the subclass's handler on 127.0.0.1, started by start() and shut by close() (which ends any incident's mode)."""

    def __init__(self):
        self.mode = "up"
        self.lock = threading.Lock()
        self.counts = {}
        self.server = None
        self.thread = None

    def serve(self, port, handler, queue=None):
        """Makes the server for handler on 127.0.0.1:port (queue: its listen backlog, else the library's)."""
        from http.server import ThreadingHTTPServer

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True
        if queue is not None:
            Server.request_queue_size = queue
        self.server = Server(("127.0.0.1", port), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def count(self, k):
        with self.lock:
            self.counts[k] = self.counts.get(k, 0) + 1

    def start(self):
        self.thread.start()

    def close(self):
        self.mode = "up"
        self.server.shutdown()
        self.server.server_close()


def send_json(handler, status, body):
    """Answers an http.server request with body as JSON; False when the client has gone (OSError)."""
    data = json.dumps(body).encode()
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
        return True
    except OSError:
        return False


def keep_log(log, out, name, labels):
    """Copies the server's log byte for byte to OUT/NAME.log (gzipped to NAME.log.gz over 1 MB) and writes the labels."""
    if os.path.getsize(log) > 1 << 20:
        with open(log, "rb") as f, gzip.open(os.path.join(out, name + ".log.gz"), "wb") as g:
            shutil.copyfileobj(f, g)
    else:
        shutil.copy(log, os.path.join(out, name + ".log"))
    labels.write(os.path.join(out, name + ".labels.tsv"))
