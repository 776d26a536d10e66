"""What the scenario drivers share (python3 standard library only): the clock, whether a port listens, keeping a log.

    from drivers import now, sleep_until, wait_listening, stop_process, keep_log
"""
import gzip
import os
import shutil
import signal
import subprocess
import time


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


def keep_log(log, out, name, labels):
    """Copies the server's log byte for byte to OUT/NAME.log (gzipped to NAME.log.gz over 1 MB) and writes the labels."""
    if os.path.getsize(log) > 1 << 20:
        with open(log, "rb") as f, gzip.open(os.path.join(out, name + ".log.gz"), "wb") as g:
            shutil.copyfileobj(f, g)
    else:
        shutil.copy(log, os.path.join(out, name + ".log"))
    labels.write(os.path.join(out, name + ".labels.tsv"))
