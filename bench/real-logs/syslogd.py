#!/usr/bin/env python3
"""A minimal syslog daemon: receives datagrams on a Unix socket (what /dev/log is) and appends them to a file in
rsyslog's traditional file format, 'Nov 29 17:20:01 HOST sshd[1234]: message' (standard library only).

usage: syslogd.py SOCKET FILE     (runs until SIGTERM)

The timestamp, program and pid are the ones the program's libc syslog() put in the message; like rsyslog, this
only drops the <priority> prefix and inserts the host name.
"""
import os
import re
import signal
import socket
import sys

sock_path, out_path = sys.argv[1], sys.argv[2]
host = socket.gethostname().split(".")[0]
header = re.compile(r"^<(\d+)>([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (.*)$", re.S)
if os.path.exists(sock_path):
    os.remove(sock_path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sock_path)
os.chmod(sock_path, 0o666)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
with open(out_path, "a", buffering=1) as out:
    while True:
        data = s.recv(65536).decode("utf-8", "replace").rstrip("\n\x00")
        m = header.match(data)
        if m:
            out.write("%s %s %s\n" % (m.group(2), host, m.group(3)))
        else:
            out.write(data + "\n")
