#!/usr/bin/env python3
"""Runs a real Icecast 2 (Debian icecast2 2.4.4) as a small community radio station's streaming server on 127.0.0.1,
drives its sources, listeners and admin traffic, injects labelled incidents and keeps Icecast's two logs exactly as
it wrote them: the error log (errorlog, loglevel 3 = info: '[2026-12-03  20:05:40] INFO connection/
_handle_source_request Source logging in at mountpoint "/jazz.mp3" from 127.0.0.22') and the access log (accesslog,
combined format with the connection's duration in seconds appended, written when a connection ends:
'127.0.0.101 - - [03/Dec/2026:20:05:44 +0000] "GET /stream.mp3 HTTP/1.1" 200 28254 "-" "VLC/3.0.18 LibVLC/3.0.18" 3').

Icecast runs as `icecast2 -c WORK/icecast.xml` in the foreground, started as root (it refuses to run as root, so
the config has <changeowner> to Debian's icecast2:icecast user, which owns the log dir) and stopped with SIGTERM; its
config is written by this script in the shape of Debian's /etc/icecast2/icecast.xml: one listen-socket on
127.0.0.1:PORT, <clients>64 (a small VPS plan), <sources>6, queue-size 512 KB, client-timeout 30, header-timeout
15, source-timeout 10, burst-on-connect with 64 KB, Debian's webroot/adminroot, logsize 0 (no rotation), TZ=UTC.
Mounts: /stream.mp3 is the station's public URL, fed by the studio when a show is live, with fallback-mount
/autodj.mp3 and fallback-override 1 (so listeners hear the auto-DJ in between and are moved to the studio when it
comes on air); /autodj.mp3 is hidden.
Needs (Debian): icecast2. Standard library only (the source clients and players speak HTTP over sockets, each
binding its own 127.0.0.X; the audio is MPEG-1 layer III and ADTS AAC frames with silent payloads, paced in real time).

usage: bench/real-logs/icecast.py OUTDIR [PORT]      (default port 20241)
  writes OUTDIR/icecast-p.log (the error log) with OUTDIR/icecast-p.labels.tsv, and OUTDIR/icecast-p.access.log
  (the access log) with OUTDIR/icecast-p.access.labels.tsv (gzipped over 1 MB); SCALE=0.1 multiplies every duration
  (a short run for testing)

Normal traffic:
  sources   the auto-DJ (liquidsoap, 127.0.0.21) on /autodj.mp3 (64 kbps MP3, HTTP PUT with Expect: 100-continue)
            and the jazz channel's liquidsoap (127.0.0.22) on /jazz.mp3, both all the time, each updating its song
            title through /admin/metadata every 25-50 s and 40-80 s (source credentials); the talk channel /talk.aac
            (32 kbps AAC, an ffmpeg per programme on 127.0.0.23) reconnecting at each programme change every 70-110 s
            (its listeners are dropped and their players reconnect); the studio's encoder (butt, SOURCE method,
            127.0.0.24) going live on /stream.mp3 for the scheduled shows (listeners passed from /autodj.mp3 to
            /stream.mp3 and back, "End of Stream" when it signs off)
  listeners about 0.6 new a second from 127.0.0.100-199 (players, browsers, phones, smart speakers; half asking for
            ICY metadata), 70% on /stream.mp3, 20% /jazz.mp3, 10% /talk.aac, listening a few seconds to several
            minutes; old bookmarks asking for /radio.ogg, /live or /stream (404 from the file server) now and then
  admin     the monitoring (127.0.0.2) GET /admin/stats every 30 s and /admin/listclients for /stream.mp3 every 60 s;
            the station's web site (127.0.0.3) polls /status-json.xsl every 10 s; the admin's desktop (127.0.0.5)
            opens /admin/listmounts or /admin/stats every 90-150 s, mistyping the password now and then; two routine
            config reloads (SIGHUP: "Caught config reload request, re-reading config..."), one adding a mount for a
            weekend sports show, one changing the contact address
Incidents (about 9 minutes in all: 90 s of normal traffic first, at least 55 s of it after each incident):
  listener-flood   a listener-inflation bot on 127.0.0.66 opens 60 parallel connections to /stream.mp3 for 45 s,
                   each held 4-15 s and reopened at once, retrying 2-4 s after a 403: the server hits <clients> 64
                   ("WARN client/client_create server client limit reached (64/65)" for every refused connection,
                   real listeners' and the monitoring's among them), the /autodj.mp3 listener count jumps, and the
                   access log fills with 127.0.0.66 GET /stream.mp3 lines of 4-15 s
  uplink-stall     during a live show the studio's uplink keeps freezing for a minute: the encoder's TCP connection
                   stays open but no audio arrives, so after source-timeout Icecast logs "WARN source/get_next_buffer
                   Disconnecting source due to socket timeout", "Source from 127.0.0.24 at "/stream.mp3" exiting" and
                   passes the listeners to /autodj.mp3; the encoder reconnects a few seconds later (listeners passed
                   back), streams a few seconds and freezes again; players whose buffer runs dry reconnect
  talk-password    the admin gives /talk.aac its own source password in a new <mount> block and reloads, but the
                   talk channel's encoder still sends the global one: from the next programme change every attempt
                   logs "Source (/talk.aac) attempted to login with invalid or missing password" (401, retried every
                   5 s), /talk.aac is off the air and its listeners get 404s ("req for file .../talk.aac No such
                   file or directory") until the admin reverts the change with another reload about 60 s later
"""
import base64
import calendar
import http.client
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
import urllib.parse

from drivers import begin, now, sleep_until, wait_listening, stop_process, keep_log, run_workers, SessionPool
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 20241
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "icecast-p"

HOST = "stream.radio.example"
CLIENTS = 64
SOURCE_PW = "Wave-7391-src"
RELAY_PW = "Wave-7391-rly"
ADMIN_PW = "k8#Tower-admin"
TALK_NEW_PW = "TalkTeam-2027!"

MONITOR, WEBSITE, DESK = "127.0.0.2", "127.0.0.3", "127.0.0.5"
AUTODJ_IP, JAZZ_IP, TALK_IP, STUDIO_IP = "127.0.0.21", "127.0.0.22", "127.0.0.23", "127.0.0.24"
BOT_IP = "127.0.0.66"
LISTENER_IPS = ["127.0.0.%d" % i for i in range(100, 200)]

ERRORS = (OSError, http.client.HTTPException, ValueError)

LISTENER_UAS = [
    "VLC/3.0.18 LibVLC/3.0.18",
    "VLC/3.0.20 LibVLC/3.0.20",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 "
    "Safari/605.1.15",
    "AppleCoreMedia/1.0.0.21C62 (iPhone; U; CPU OS 17_2 like Mac OS X; en_us)",
    "RadioDroid2/0.86",
    "WinampMPEG/5.9, Ultravox/2.1",
    "foobar2000/2.1",
    "Lavf/59.27.100",
    "TuneIn Radio/27.4.0; Android 13",
    "Sonos/76.2-48030 (ZPS23)",
    "iTunes/12.12.10 (Windows; Microsoft Windows 10 x64)",
]
BOT_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0",
    "VLC/3.0.16 LibVLC/3.0.16",
    "WinampMPEG/5.66, Ultravox/2.1",
]
ARTISTS = ["The Harbour Lights", "Mara Quist", "Northbound Trio", "Lena Ostrow", "Cass & the Lanterns", "DJ Pelican",
           "Odeya", "Slow Rivers", "Jun Takeda Quartet", "Velvet Anchors", "Ruth Amsel", "Kettle Hill"]
TITLES = ["Late Bus Home", "Paper Moons", "Saltwater", "Blue in the Morning", "Static Hearts", "Orchard Road",
          "Nine Bridges", "Low Tide", "Glass City", "Half Past Winter", "Lanterns", "The Long Way Round"]
PROGRAMMES = ["Morning Briefing", "City Council Hour", "Book Corner", "Local Sports Round-up", "The Garden Show",
              "Health Matters", "Newsdesk", "Culture Talk"]


def mp3_frame():
    """One MPEG-1 layer III frame, 64 kbps 44.1 kHz stereo, no padding (208 bytes), silent payload."""
    return bytes([0xFF, 0xFB, 0x50, 0x64]) + bytes(204)


def aac_frame(length=93):
    """One ADTS frame, AAC-LC 44.1 kHz stereo (about 32 kbps at 93 bytes a frame), silent payload."""
    return bytes([0xFF, 0xF1, 0x50, 0x80, (length >> 3) & 0xFF, ((length & 7) << 5) | 0x1F, 0xFC]) + bytes(length - 7)


def basic(user, pw):
    return "Basic " + base64.b64encode(("%s:%s" % (user, pw)).encode()).decode()


def connect(ip, timeout=10):
    return socket.create_connection(("127.0.0.1", PORT), timeout=timeout, source_address=(ip, 0))


def read_head(s, limit=8192):
    """Reads an HTTP response head; returns (status, rest-of-bytes)."""
    data = b""
    while b"\r\n\r\n" not in data:
        got = s.recv(4096)
        if not got:
            break
        data += got
        if len(data) > limit:
            break
    line = data.split(b"\r\n", 1)[0].split()
    status = int(line[1]) if len(line) > 1 and line[1].isdigit() else 0
    return status, data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""


def http_get(ip, path, ua, auth=None, timeout=10):
    """One HTTP GET from ip; returns the status."""
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout, source_address=(ip, 0))
    try:
        h = {"User-Agent": ua, "Host": "%s:%d" % (HOST, PORT)}
        if auth:
            h["Authorization"] = auth
        c.request("GET", path, headers=h)
        r = c.getresponse()
        r.read()
        return r.status
    finally:
        c.close()


class Icecast:
    def __init__(self, work):
        self.work = work
        self.logdir = os.path.join(work, "log")
        self.conf = os.path.join(work, "icecast.xml")
        self.log = os.path.join(self.logdir, "error.log")
        self.access = os.path.join(self.logdir, "access.log")
        self.proc = None
        try:
            pw = pwd.getpwnam("icecast2")
            self.user, self.group, self.uid, self.gid = "icecast2", "icecast", pw.pw_uid, pw.pw_gid
        except KeyError:
            pw = pwd.getpwnam("nobody")
            self.user, self.group, self.uid, self.gid = "nobody", "nogroup", pw.pw_uid, pw.pw_gid
        self.admin_mail = "studio-tech@radio.example"
        self.sports = False

    def version(self):
        return subprocess.run(["icecast2", "-v"], capture_output=True, text=True).stdout.strip()

    def write_config(self, talk_password=None):
        mounts = ["""    <mount type="normal">
        <mount-name>/stream.mp3</mount-name>
        <fallback-mount>/autodj.mp3</fallback-mount>
        <fallback-override>1</fallback-override>
        <public>1</public>
    </mount>
    <mount type="normal">
        <mount-name>/autodj.mp3</mount-name>
        <hidden>1</hidden>
    </mount>
"""]
        if self.sports:
            mounts.append("""    <mount type="normal">
        <mount-name>/sport.mp3</mount-name>
        <max-listeners>40</max-listeners>
        <fallback-mount>/autodj.mp3</fallback-mount>
    </mount>
""")
        if talk_password:
            mounts.append("""    <mount type="normal">
        <mount-name>/talk.aac</mount-name>
        <username>source</username>
        <password>%s</password>
    </mount>
""" % talk_password)
        text = """<icecast>
    <location>Harbourtown, community radio</location>
    <admin>%(mail)s</admin>
    <limits>
        <clients>%(clients)d</clients>
        <sources>6</sources>
        <queue-size>524288</queue-size>
        <client-timeout>30</client-timeout>
        <header-timeout>15</header-timeout>
        <source-timeout>10</source-timeout>
        <burst-on-connect>1</burst-on-connect>
        <burst-size>65535</burst-size>
    </limits>
    <authentication>
        <source-password>%(src)s</source-password>
        <relay-password>%(rly)s</relay-password>
        <admin-user>admin</admin-user>
        <admin-password>%(adm)s</admin-password>
    </authentication>
    <hostname>%(host)s</hostname>
    <listen-socket>
        <port>%(port)d</port>
        <bind-address>127.0.0.1</bind-address>
    </listen-socket>
    <http-headers>
        <header name="Access-Control-Allow-Origin" value="*" />
    </http-headers>
%(mounts)s    <fileserve>1</fileserve>
    <paths>
        <basedir>/usr/share/icecast2</basedir>
        <logdir>%(logdir)s</logdir>
        <webroot>/usr/share/icecast2/web</webroot>
        <adminroot>/usr/share/icecast2/admin</adminroot>
        <alias source="/" destination="/status.xsl"/>
    </paths>
    <logging>
        <accesslog>access.log</accesslog>
        <errorlog>error.log</errorlog>
        <loglevel>3</loglevel>
        <logsize>0</logsize>
    </logging>
    <security>
        <chroot>0</chroot>
        <changeowner>
            <user>%(user)s</user>
            <group>%(group)s</group>
        </changeowner>
    </security>
</icecast>
""" % {"mail": self.admin_mail, "clients": CLIENTS, "src": SOURCE_PW, "rly": RELAY_PW, "adm": ADMIN_PW,
            "host": HOST, "port": PORT, "mounts": "".join(mounts), "logdir": self.logdir, "user": self.user,
            "group": self.group}
        tmp = self.conf + ".new"
        with open(tmp, "w") as f:
            f.write(text)
        os.chown(tmp, self.uid, self.gid)
        os.chmod(tmp, 0o640)
        os.replace(tmp, self.conf)

    def start(self):
        os.makedirs(self.logdir)
        os.chown(self.logdir, self.uid, self.gid)
        self.write_config()
        env = dict(os.environ, TZ="UTC")
        self.out = open(os.path.join(self.work, "stdout.txt"), "wb")
        self.proc = subprocess.Popen(["icecast2", "-c", self.conf], cwd=self.work, env=env, stdout=self.out,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_listening(self.proc, "icecast2", [PORT])

    def reload(self, **kw):
        """The admin edits icecast.xml and sends SIGHUP (what `systemctl reload icecast2` does)."""
        self.write_config(**kw)
        t = now()
        self.proc.send_signal(signal.SIGHUP)
        return t

    def stop(self):
        stop_process(self.proc, seconds=20)
        if getattr(self, "out", None):
            self.out.close()


class Refused(Exception):
    def __init__(self, status):
        super().__init__("HTTP %d" % status)
        self.status = status


class Encoder:
    """A source client on one mount: connect() logs in (PUT with Expect: 100-continue as libshout and ffmpeg do, or
    the old SOURCE method as butt does), stream() sends frames in real time and updates the song title."""

    def __init__(self, mount, ip, method, ua, ctype, frame, fps, info, stop, rng, meta=None):
        self.mount, self.ip, self.method, self.ua, self.ctype = mount, ip, method, ua, ctype
        self.frame, self.fps, self.info, self.stop, self.rng, self.meta = frame, fps, info, stop, rng, meta
        self.password = SOURCE_PW
        self.lock = threading.Lock()
        self.events = []  # (time, what)
        self.sock = None
        self.meta_ua = ua

    def note(self, what):
        with self.lock:
            self.events.append((now(), what))

    def connect(self):
        s = connect(self.ip)
        try:
            h = ["%s %s HTTP/%s" % (self.method, self.mount, "1.1" if self.method == "PUT" else "1.0"),
                 "Host: 127.0.0.1:%d" % PORT,
                 "Authorization: " + basic("source", self.password),
                 "User-Agent: " + self.ua,
                 "Content-Type: " + self.ctype]
            for k, v in self.info.items():
                h.append("%s: %s" % (k, v))
            if self.method == "PUT":
                h.append("Expect: 100-continue")
            s.sendall(("\r\n".join(h) + "\r\n\r\n").encode())
            status, _ = read_head(s)
            if status not in (100, 200):
                raise Refused(status)
        except BaseException:
            s.close()
            raise
        self.note("connected")
        self.sock = s
        return s

    def send_metadata(self, song):
        q = urllib.parse.urlencode({"mode": "updinfo", "mount": self.mount, "song": song, "charset": "UTF-8"})
        try:
            http_get(self.ip, "/admin/metadata?" + q, self.meta_ua, basic("source", self.password))
        except ERRORS:
            pass

    def stream(self, seconds, interrupt=None):
        """Sends audio for seconds (or until stop / interrupt is set); False when the server dropped it."""
        s = self.sock
        end = now() + seconds
        t = now()
        owed = 0.0
        next_meta = now() + (self.rng.uniform(*self.meta) if self.meta else 1e18)
        if self.meta:
            threading.Thread(target=self.send_metadata, args=(self.song(),), daemon=True).start()
        while now() < end and not self.stop.is_set() and not (interrupt and interrupt.is_set()):
            owed += (now() - t) * self.fps
            t = now()
            n = int(owed)
            owed -= n
            try:
                if n:
                    s.sendall(self.frame * n)
            except OSError:
                self.note("dropped")
                return False
            if now() >= next_meta:
                next_meta = now() + self.rng.uniform(*self.meta)
                threading.Thread(target=self.send_metadata, args=(self.song(),), daemon=True).start()
            time.sleep(0.25)
        return True

    def song(self):
        return "%s - %s" % (self.rng.choice(ARTISTS), self.rng.choice(TITLES))

    def hang(self, most=40):
        """The uplink freezes: nothing is sent; waits until the server closes the connection (or most seconds)."""
        s = self.sock
        end = now() + most
        while now() < end and not self.stop.is_set():
            r, _, _ = select.select([s], [], [], 0.2)
            if r:
                try:
                    if not s.recv(4096):
                        break
                except OSError:
                    break
        self.note("closed by server")

    def close(self):
        if self.sock:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()
            self.sock = None
            self.note("closed")


def encoder(kind, stop, rng):
    if kind == "autodj":
        return Encoder("/autodj.mp3", AUTODJ_IP, "PUT", "liquidsoap/2.1.4", "audio/mpeg", mp3_frame(), 44100 / 1152.0,
                       {"Ice-Public": "0", "Ice-Name": "Harbourtown Radio (auto-DJ)", "Ice-Genre": "Various",
                        "Ice-Bitrate": "64", "Ice-Audio-Info": "channels=2;samplerate=44100;bitrate=64"},
                       stop, rng, (25, 50))
    if kind == "jazz":
        return Encoder("/jazz.mp3", JAZZ_IP, "PUT", "liquidsoap/2.1.4", "audio/mpeg", mp3_frame(), 44100 / 1152.0,
                       {"Ice-Public": "1", "Ice-Name": "Harbourtown Jazz", "Ice-Genre": "Jazz",
                        "Ice-Description": "Jazz around the clock", "Ice-Bitrate": "64"}, stop, rng, (40, 80))
    if kind == "talk":
        return Encoder("/talk.aac", TALK_IP, "PUT", "Lavf/59.27.100", "audio/aac", aac_frame(), 44100 / 1024.0,
                       {"Ice-Public": "1", "Ice-Name": "Harbourtown Talk", "Ice-Genre": "Talk"}, stop, rng)
    return Encoder("/stream.mp3", STUDIO_IP, "SOURCE", "butt 0.1.37", "audio/mpeg", mp3_frame(), 44100 / 1152.0,
                   {"ice-name": "Harbourtown Radio LIVE", "ice-public": "1", "ice-genre": "Various",
                    "ice-description": "Live from the studio", "ice-bitrate": "64"}, stop, rng)


class Traffic(SessionPool):
    def __init__(self, seed):
        super().__init__(seed, 120, ERRORS)
        self.autodj = encoder("autodj", self.stop, random.Random(1))
        self.jazz = encoder("jazz", self.stop, random.Random(2))
        self.talk = encoder("talk", self.stop, random.Random(3))
        self.talk.meta_ua = "curl/7.88.1"  # the programme scheduler sets the title
        self.studio = encoder("studio", self.stop, random.Random(4))
        self.talk_hold = threading.Event()      # no programme change while set
        self.talk_switch = threading.Event()    # a programme change now
        self.talk_refused = []                  # times of 401s
        self.talk_ok = []                       # times of logins
        self.listener_log = []                  # (time, ip, mount, what)

    def always_on(self, enc):
        while not self.stop.is_set():
            try:
                enc.connect()
                enc.stream(1e9)
            except Refused as e:
                self.count("%s refused %d" % (enc.mount, e.status))
            except ERRORS:
                self.count("%s error" % enc.mount)
            enc.close()
            self.stop.wait(3)

    def talk_loop(self):
        enc = self.talk
        rng = random.Random(5)
        while not self.stop.is_set():
            try:
                enc.connect()
            except Refused as e:
                self.talk_refused.append(now())
                self.talk_switch.clear()
                self.count("talk refused %d" % e.status)
                self.stop.wait(5)
                continue
            except ERRORS:
                self.stop.wait(5)
                continue
            self.talk_ok.append(now())
            prog = rng.choice(PROGRAMMES)
            threading.Thread(target=enc.send_metadata, args=(prog,), daemon=True).start()
            until = now() + rng.uniform(70, 110) * SCALE
            while not self.stop.is_set():
                if not enc.stream(min(2.0, max(0.3, until - now())), self.talk_switch):
                    break
                if self.talk_switch.is_set():
                    self.talk_switch.clear()
                    break
                if now() >= until and not self.talk_hold.is_set():
                    break
            enc.close()
            self.stop.wait(rng.uniform(2, 4))

    def studio_show(self, seconds):
        enc = self.studio
        for _ in range(5):
            try:
                enc.connect()
                break
            except ERRORS:
                time.sleep(3)
        else:
            return
        enc.stream(seconds)
        enc.close()

    def listener(self, rng, mount=None, ip=None, ua=None, seconds=None):
        mount = mount or rng.choices(["/stream.mp3", "/jazz.mp3", "/talk.aac"], [70, 20, 10])[0]
        ip = ip or rng.choice(LISTENER_IPS)
        ua = ua or rng.choice(LISTENER_UAS)
        seconds = seconds or min(400.0, rng.lognormvariate(3.4, 1.0))
        icy = rng.random() < 0.5
        patience = rng.uniform(6, 16)   # how long the player waits with an empty buffer before it reconnects
        end = now() + seconds
        tries = 0
        while now() < end and not self.stop.is_set() and tries < 4:
            tries += 1
            try:
                s = connect(ip)
            except OSError:
                return
            try:
                h = "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: %s\r\nAccept: */*\r\n%sConnection: close\r\n\r\n" % (
                    mount, HOST, PORT, ua, "Icy-MetaData: 1\r\n" if icy else "")
                s.sendall(h.encode())
                status, _ = read_head(s)
                if status != 200:
                    self.count("listener %d" % status)
                    self.listener_log.append((now(), ip, mount, status))
                    s.close()
                    if self.stop.wait(rng.uniform(3, 6)):
                        return
                    continue
                s.settimeout(patience)
                while now() < end and not self.stop.is_set():
                    if not s.recv(16384):
                        self.count("listener dropped by server")
                        self.listener_log.append((now(), ip, mount, "eof"))
                        break
                else:
                    s.close()
                    return
            except socket.timeout:
                self.count("listener player timeout")
                self.listener_log.append((now(), ip, mount, "timeout"))
            except OSError:
                pass
            s.close()
            if self.stop.wait(rng.uniform(1, 5)):
                return

    def monitor(self):
        rng = random.Random(11)
        next_stats, next_list = now() + rng.uniform(2, 30), now() + rng.uniform(10, 60)
        while not self.stop.wait(0.5):
            try:
                if now() >= next_stats:
                    next_stats += 30
                    http_get(MONITOR, "/admin/stats", "check_http/v2.3.3 (monitoring-plugins 2.3.3)",
                             basic("admin", ADMIN_PW))
                if now() >= next_list:
                    next_list += 60
                    http_get(MONITOR, "/admin/listclients?mount=/stream.mp3", "python-requests/2.31.0",
                             basic("admin", ADMIN_PW))
            except ERRORS:
                self.count("monitor error")

    def website(self):
        rng = random.Random(12)
        nxt = now() + rng.uniform(0, 10)
        while not self.stop.wait(0.5):
            if now() >= nxt:
                nxt += rng.uniform(9.5, 10.5)
                try:
                    http_get(WEBSITE, "/status-json.xsl", "Mozilla/5.0 (compatible; radio-site-nowplaying/1.4)")
                except ERRORS:
                    self.count("website error")

    def desk(self):
        rng = random.Random(13)
        ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0"
        nxt = now() + rng.uniform(20, 90)
        while not self.stop.wait(0.5):
            if now() < nxt:
                continue
            nxt = now() + rng.uniform(90, 150)
            path = rng.choice(["/admin/listmounts", "/admin/stats.xsl", "/admin/listmounts.xsl",
                               "/admin/listclients.xsl?mount=/jazz.mp3"])
            try:
                if rng.random() < 0.3:
                    http_get(DESK, path, ua, basic("admin", ADMIN_PW.replace("#", "3")))
                    time.sleep(rng.uniform(3, 8))
                http_get(DESK, path, ua, basic("admin", ADMIN_PW))
            except ERRORS:
                self.count("desk error")

    def bookmarks(self):
        rng = random.Random(14)
        nxt = now() + rng.uniform(10, 50)
        while not self.stop.wait(0.5):
            if now() >= nxt:
                nxt = now() + rng.uniform(25, 70)
                try:
                    http_get(rng.choice(LISTENER_IPS), rng.choice(["/radio.ogg", "/live", "/stream", "/radio.ogg"]),
                             rng.choice(LISTENER_UAS))
                except ERRORS:
                    pass

    def run(self):
        ts = [threading.Thread(target=self.always_on, args=(self.autodj,)),
              threading.Thread(target=self.always_on, args=(self.jazz,)),
              threading.Thread(target=self.talk_loop)]
        self.start(ts)
        time.sleep(1.5)
        ts += [threading.Thread(target=self.arrivals, args=(0.6, self.listener)),
               threading.Thread(target=self.monitor), threading.Thread(target=self.website),
               threading.Thread(target=self.desk), threading.Thread(target=self.bookmarks)]
        for t in ts[3:]:
            t.daemon = True
            t.start()
        self.threads = ts


# --- incidents ---

def listener_flood(seconds, workers=60):
    """127.0.0.66 holds as many /stream.mp3 connections as it can get, reopening each after 4-15 s."""
    lock = threading.Lock()
    st = {"ok": 0, "refused": 0, "other": 0, "first": None, "last": None}
    stop_at = now() + seconds

    def worker(k):
        rng = random.Random(100 + k)
        time.sleep(k * 0.05)
        while now() < stop_at:
            try:
                s = connect(BOT_IP)
            except OSError:
                time.sleep(1)
                continue
            try:
                s.sendall(("GET /stream.mp3 HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: %s\r\nAccept: */*\r\n"
                           "Connection: close\r\n\r\n" % (HOST, PORT, rng.choice(BOT_UAS))).encode())
                status, _ = read_head(s)
                with lock:
                    st["first"] = st["first"] or now()
                    st["last"] = now()
                if status == 200:
                    with lock:
                        st["ok"] += 1
                    hold = now() + rng.uniform(4, 15)
                    s.settimeout(5)
                    while now() < min(hold, stop_at):
                        if not s.recv(16384):
                            break
                    s.close()
                    with lock:
                        st["last"] = now()
                    continue
                with lock:
                    st["refused" if status == 403 else "other"] += 1
                s.close()
                time.sleep(rng.uniform(2, 4))
            except OSError:
                s.close()

    start = now()
    run_workers(worker, [(k,) for k in range(workers)], seconds + 30)
    return start, now(), st


def uplink_stall(studio, seconds, rng):
    """The live show's uplink freezes again and again: connection open, no audio, until Icecast drops it."""
    freezes, drops, reconnects = [], [], []
    stop_at = now() + seconds
    while True:
        freezes.append(now())
        studio.hang(40)
        drops.append(now())
        studio.close()
        time.sleep(rng.uniform(2, 5))
        for _ in range(10):
            try:
                studio.connect()
                break
            except ERRORS:
                time.sleep(3)
        reconnects.append(now())
        if now() >= stop_at:
            break
        studio.stream(rng.uniform(4, 9))
    return freezes, drops, reconnects


# --- reading the logs ---

ERR_LINE = re.compile(r"^\[(\d{4}-\d\d-\d\d)  (\d\d:\d\d:\d\d)\] (\w+) (\S+) (.*)$")
ACC_LINE = re.compile(r'^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+) [^"]*" (\d+) (\d+) "[^"]*" "[^"]*" (\d+)$')


def read_error_log(path):
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = ERR_LINE.match(line.rstrip("\n"))
            if m:
                t = calendar.timegm(time.strptime(m.group(1) + " " + m.group(2), "%Y-%m-%d %H:%M:%S"))
                out.append((t, m.group(3), m.group(4), m.group(5)))
    return out


def read_access_log(path):
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = ACC_LINE.match(line.rstrip("\n"))
            if m:
                t = calendar.timegm(time.strptime(m.group(2), "%d/%b/%Y:%H:%M:%S +0000"))
                out.append((t, m.group(1), m.group(3), m.group(4).split("?")[0], int(m.group(5)), int(m.group(6)),
                            int(m.group(7))))
    return out


def hms(t):
    return time.strftime("%H:%M:%S", time.gmtime(t))


def main():
    work = begin(OUT, "icecast", __doc__, readable=True)
    server = Icecast(work)
    version = server.version()
    labels, alabels = Labels(), Labels()
    how = ("real %s (Debian icecast2) on 127.0.0.1:%d as a community radio's streaming server, own icecast.xml in "
           "Debian's shape (clients %d, sources 6, source-timeout 10, burst 64 KB, loglevel 3 = info, changeowner "
           "%s); mounts /stream.mp3 (the studio, fallback-mount /autodj.mp3 with fallback-override), /autodj.mp3 "
           "(hidden), /jazz.mp3, /talk.aac; sources: auto-DJ 127.0.0.21, jazz 127.0.0.22, talk 127.0.0.23 (reconnects "
           "at each programme change), studio 127.0.0.24 (live shows); ~0.6 new listeners/s from 127.0.0.100-199, "
           "monitoring 127.0.0.2 (/admin/stats every 30 s), web site 127.0.0.3 (/status-json.xsl every 10 s), admin "
           "desk 127.0.0.5, two routine config reloads; TZ=UTC; wall-clock times"
           % (version, PORT, CLIENTS, server.user))
    labels.note("made by bench/real-logs/icecast.py: Icecast's error log (errorlog); " + how)
    alabels.note("made by bench/real-logs/icecast.py: Icecast's access log (accesslog, combined format plus the "
                 "connection's seconds, a line when a connection ends; connections refused at the client limit are "
                 "not logged); " + how)
    traffic = None
    ok = False
    t_start = now()
    try:
        server.start()
        traffic = Traffic(2027)
        traffic.run()
        t0 = now()
        rng = random.Random(99)

        # routine: a scheduled show and the admin preparing the weekend's sports mount
        sleep_until(t0 + 30 * SCALE)
        show1 = threading.Thread(target=traffic.studio_show, args=(45 * SCALE,), daemon=True)
        show1.start()
        sleep_until(t0 + 55 * SCALE)
        server.sports = True
        server.reload()
        sleep_until(t0 + 90 * SCALE)

        # 1. listener flood
        traffic.talk_hold.set()
        f_start, f_end, fst = listener_flood(45 * SCALE)
        traffic.talk_hold.clear()
        show1.join(5)

        # 2. the studio's uplink stalls during a live show
        sleep_until(f_end + 55 * SCALE)
        studio = traffic.studio
        for _ in range(5):
            try:
                studio.connect()
                break
            except ERRORS:
                time.sleep(3)
        traffic.talk_hold.set()
        studio.stream(15 * SCALE)
        freezes, drops, reconnects = uplink_stall(studio, 60 * SCALE, rng)
        traffic.talk_hold.clear()
        s_end = reconnects[-1]
        studio.stream(25 * SCALE)
        studio.close()

        # 3. the admin gives /talk.aac its own source password; the talk encoder is not told
        sleep_until(s_end + 60 * SCALE)
        m_start = server.reload(talk_password=TALK_NEW_PW)
        time.sleep(max(1.0, 4 * SCALE))
        refused_before = len(traffic.talk_refused)
        ok_before = len(traffic.talk_ok)
        traffic.talk_switch.set()   # the next programme starts: the encoder reconnects
        sleep_until(m_start + 60 * SCALE)
        m_fix = server.reload()
        deadline = now() + 20
        while len(traffic.talk_ok) <= ok_before and now() < deadline:
            time.sleep(0.2)
        m_end = traffic.talk_ok[-1] if len(traffic.talk_ok) > ok_before else now()
        talk_401 = traffic.talk_refused[refused_before:]

        # normal traffic after the last incident: another show, a routine reload
        sleep_until(m_end + 35 * SCALE)
        show2 = threading.Thread(target=traffic.studio_show, args=(40 * SCALE,), daemon=True)
        show2.start()
        sleep_until(m_end + 70 * SCALE)
        server.admin_mail = "tech@radio.example"
        server.reload()
        sleep_until(m_end + 100 * SCALE)
        show2.join(10)
        traffic.finish(20)
        for enc in (traffic.autodj, traffic.jazz, traffic.talk, traffic.studio):
            enc.close()
        time.sleep(2)
        server.stop()

        err = read_error_log(server.log)
        acc = read_access_log(server.access)

        # 1.
        limit = [e for e in err if "server client limit reached" in e[3]]
        in_flood = [e for e in limit if f_start - 1 <= e[0] <= f_end + 2]
        if limit and len(in_flood) != len(limit):
            print("note: %d client-limit lines outside the flood" % (len(limit) - len(in_flood)), file=sys.stderr)
        bot = [a for a in acc if a[1] == BOT_IP]
        held = sorted(a[6] for a in bot)
        peak = 0
        for e in err:
            m = re.match(r"listener count on /autodj.mp3 now (\d+)", e[3])
            if m and f_start - 1 <= e[0] <= f_end + 2:
                peak = max(peak, int(m.group(1)))
        refused_real = [x for x in traffic.listener_log if x[3] == 403 and f_start - 1 <= x[0] <= f_end + 2]
        if in_flood:
            f_last = max([e[0] for e in in_flood] + [f_end])
            labels.add("listener-flood", f_start, f_last, "connection-limit", "%s|/stream.mp3|/autodj.mp3" % BOT_IP,
                       "a listener-inflation bot on 127.0.0.66 holds as many /stream.mp3 connections as it can "
                       "(60 parallel, each 4-15 s and reopened at once, 2-4 s after a 403) for %d s: Icecast reaches "
                       "<clients> %d and logs %d lines 'WARN client/client_create server client limit reached "
                       "(%d/%d)' (the bot's %d refusals and %d of real listeners, the monitoring's and the admin's "
                       "requests among them; the lines do not name the client), while 'listener count on "
                       "/autodj.mp3 now N' (where /stream.mp3's listeners are while the studio is off air) jumps to "
                       "%d" % (round(f_end - f_start), CLIENTS, len(in_flood), CLIENTS, CLIENTS + 1, fst["refused"],
                               len(refused_real), peak))
            alabels.add("listener-flood", min([f_start] + [a[0] for a in bot]), max([f_end] + [a[0] for a in bot]),
                        "connection-limit", "%s|/stream.mp3" % BOT_IP,
                        "a listener-inflation bot on 127.0.0.66 holds as many /stream.mp3 connections as it can "
                        "(60 parallel, reopened at once) for %d s, filling Icecast's <clients> %d: %d lines "
                        "'127.0.0.66 - - [...] \"GET /stream.mp3 HTTP/1.1\" 200 N \"-\" \"<rotating browser/player "
                        "agents>\" S' with S of %s-%s s (a line when each connection ends); the %d connections "
                        "refused at the limit (403, theirs and real listeners') are not in the access log, so the "
                        "other clients' lines thin out meanwhile"
                        % (round(f_end - f_start), CLIENTS, len(bot), held[0] if held else 0,
                           held[-1] if held else 0, fst["refused"] + len(refused_real)))

        # 2.
        timeouts = [e for e in err if "Disconnecting source due to socket timeout" in e[3]]
        s_first = freezes[0]
        st_in = [e for e in timeouts if s_first <= e[0] <= s_end + 2]
        if len(st_in) != len(timeouts):
            print("note: %d source timeouts outside the stall" % (len(timeouts) - len(st_in)), file=sys.stderr)
        studio_logins = [e for e in err if 'Source logging in at mountpoint "/stream.mp3"' in e[3]
                         and s_first <= e[0] <= s_end + 2]
        player_to = [x for x in traffic.listener_log if x[3] == "timeout" and s_first <= x[0] <= s_end + 10]
        if st_in:
            what = ("during a live show the studio's uplink (encoder butt on 127.0.0.24, /stream.mp3) freezes %d "
                    "time(s) in %d s: the TCP connection stays open but no audio arrives; "
                    % (len(freezes), round(s_end - s_first)))
            labels.add("uplink-stall", s_first, max(s_end, st_in[-1][0]), "source-timeout",
                       "%s|/stream.mp3" % STUDIO_IP,
                       what + "each time after the source-timeout (10 s) Icecast logs 'WARN source/get_next_buffer "
                       "Disconnecting source due to socket timeout', 'Source from 127.0.0.24 at \"/stream.mp3\" "
                       "exiting' and 'passing N listeners to \"/autodj.mp3\"' (%d timeouts), and a few seconds "
                       "later the encoder logs in again ('Source logging in at mountpoint \"/stream.mp3\" from "
                       "127.0.0.24', 'passing N listeners to \"/stream.mp3\"'; %d logins in the window); %d players "
                       "whose buffer ran dry reconnected (listener counts drop and climb)"
                       % (len(st_in), len(studio_logins), len(player_to)))
            src_lines = [a for a in acc if a[1] == STUDIO_IP and s_first <= a[0] <= s_end + 2]
            alabels.add("uplink-stall", s_first, max([s_end] + [a[0] for a in src_lines]), "source-timeout",
                        "%s|/stream.mp3" % STUDIO_IP,
                        what + "each time Icecast drops it after the source-timeout (10 s) and it reconnects a few "
                        "seconds later, so the source connection is logged in pieces: %d lines '127.0.0.24 - - [...] "
                        "\"SOURCE /stream.mp3 HTTP/1.0\" 200 19 \"-\" \"butt 0.1.37\" S' a few seconds apart, "
                        "where a show is otherwise one line; %d players whose buffer ran dry gave up and reconnected "
                        "(a burst of GET /stream.mp3 lines ending at the same second)"
                        % (len(src_lines), len(player_to)))

        # 3.
        bad = [e for e in err if "Source (/talk.aac) attempted to login with invalid or missing password" in e[3]]
        bad_in = [e for e in bad if m_start - 1 <= e[0] <= m_end + 2]
        nf = [e for e in err if 'req for file "/usr/share/icecast2/web/talk.aac"' in e[3]
              and m_start - 1 <= e[0] <= m_end + 2]
        a401 = [a for a in acc if a[1] == TALK_IP and a[3] == "/talk.aac" and a[4] == 401]
        a404 = [a for a in acc if a[3] == "/talk.aac" and a[4] == 404 and m_start - 1 <= a[0] <= m_end + 2]
        if bad_in:
            desc = ("the admin gives /talk.aac its own source password (a new <mount> block in icecast.xml) and "
                    "reloads at %s, but the talk channel's encoder (ffmpeg, 127.0.0.23) still sends the global "
                    "one: from the next programme change /talk.aac is off the air, %s, and its listeners' players "
                    "get 404 (%s); at %s the admin reverts the block and reloads again ('Caught config reload "
                    "request, re-reading config...' both times) and the encoder's next try logs in")
            labels.add("talk-password", m_start, m_end, "source-auth-misconfig", "/talk.aac|%s" % TALK_IP,
                       desc % (hms(m_start), "every try, every 5 s, logs 'Source logging in at mountpoint "
                               "\"/talk.aac\" from 127.0.0.23' then 'INFO connection/_handle_source_request Source "
                               "(/talk.aac) attempted to login with invalid or missing password' (%d times)"
                               % len(bad_in),
                               "%d 'WARN fserve/fserve_client_create req for file \"/usr/share/icecast2/web/"
                               "talk.aac\" No such file or directory'" % len(nf), hms(m_fix)))
            alabels.add("talk-password", min([m_start] + [a[0] for a in a401]), m_end, "source-auth-misconfig",
                        "/talk.aac|%s" % TALK_IP,
                        desc % (hms(m_start), "every try, every 5 s, is answered 401: %d lines '127.0.0.23 - - [...] "
                                "\"PUT /talk.aac HTTP/1.1\" 401 ... \"Lavf/59.27.100\" 0'" % len(a401),
                                "%d lines 'GET /talk.aac ... 404'" % len(a404), hms(m_fix)))
        if len(bad) != len(bad_in):
            print("note: %d talk 401s outside the incident" % (len(bad) - len(bad_in)), file=sys.stderr)

        print("%s: %s; flood %s; stall freezes %d timeouts %d; talk 401s %d (client side %d); error log %d lines, "
              "access log %d lines; %.0f s" % (NAME, sorted(traffic.counts.items()), fst, len(freezes), len(st_in),
                                               len(bad_in), len(talk_401), len(err), len(acc), now() - t_start),
              file=sys.stderr)
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
            for enc in (traffic.autodj, traffic.jazz, traffic.talk, traffic.studio):
                enc.close()
        server.stop()
        if ok:
            keep_log(server.log, OUT, NAME, labels)
            keep_log(server.access, OUT, NAME + ".access", alabels)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
