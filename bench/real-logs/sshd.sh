#!/usr/bin/env bash
# Runs a real OpenSSH sshd (Debian openssh-server) on 127.0.0.1:PORT with its own host key and config under a temp
# dir, logging through syslog to syslogd.py (an auth.log as rsyslog writes it), drives successful key logins from
# 127.0.0.2-12 and a password brute force from 127.0.0.66 (sshpass; wrong passwords and invalid users).
#
# sshd -E FILE writes lines without time or pid, so sshd logs to syslog instead. There is no /dev/log here; sshd runs
# in a private mount namespace (unshare -m) whose /dev is a small tmpfs with the device nodes it needs and /dev/log
# pointing at syslogd.py's socket. Nothing outside the namespace changes. Needs root (unshare, mount).
#
# Held-out scenarios (bench/real-logs/heldout/, incidents of kinds the detectors were not built on): heldout-a, a
# banner-grabbing scan from 127.0.0.98 and a client offering eight unknown keys for root (MaxAuthTries) from
# 127.0.0.97; heldout-b, a deploy loop logging in as www-data three times a second from 127.0.0.44, and sshd
# stopped and started again.
#
# usage: bench/real-logs/sshd.sh OUTDIR [PORT [SCENARIO]]   SCENARIO: dev (default) | heldout-a | heldout-b
#   writes OUTDIR/sshd-auth.log and .labels.tsv (dev), or OUTDIR/sshd-heldout-a.log ... (held-out)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"; port="${2:-18422}"; scenario="${3:-dev}"
case $scenario in dev) name=sshd-auth; dur=100 ;; heldout-a) name=sshd-heldout-a; dur=100 ;;
    heldout-b) name=sshd-heldout-b; dur=120 ;; *) echo "unknown scenario $scenario" >&2; exit 2 ;; esac
command -v sshpass >/dev/null || { echo "sshpass not installed: apt-get install sshpass" >&2; exit 1; }
work="$(mktemp -d /tmp/logwarden-sshd.XXXXXX)"; chmod 755 "$work"  # sshd reads a user's keys as that user
ssh-keygen -q -t ed25519 -N '' -f "$work/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$work/userkey"
mkdir -p "$work/keys" "$work/olddev"
for u in root www-data; do cp "$work/userkey.pub" "$work/keys/$u"; done
cat > "$work/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $work/hostkey
PidFile $work/sshd.pid
AuthorizedKeysFile $work/keys/%u
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
SyslogFacility AUTH
LogLevel INFO
CONF
mkdir -p /run/sshd
python3 "$here/syslogd.py" "$work/log.sock" "$work/auth.log" & syslogd_pid=$!
start_sshd() {
    unshare -m --propagation private bash -c '
      set -e; w="$1"
      mount --bind /dev "$w/olddev"; mount -t tmpfs -o mode=755 devtmp /dev
      for d in null zero random urandom full tty; do touch "/dev/$d"; mount --bind "$w/olddev/$d" "/dev/$d"; done
      mkdir /dev/pts; mount --bind "$w/olddev/pts" /dev/pts; ln -s /proc/self/fd /dev/fd; ln -s "$w/log.sock" /dev/log
      exec /usr/sbin/sshd -D -f "$w/sshd_config"' _ "$work" & sshd_pid=$!
}
start_sshd
cleanup() {
    kill "$sshd_pid" 2>/dev/null || true; wait "$sshd_pid" 2>/dev/null || true
    sleep 0.3; kill "$syslogd_pid" 2>/dev/null || true; wait "$syslogd_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done

opts=(-p "$port" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
t0=$(date +%s)
normal() {  # a key login every ~2 s for $dur s: ops as root, deploy jobs as www-data
    local i=0
    while [ $(( $(date +%s) - t0 )) -lt $dur ]; do
        local c="127.0.0.$(( 2 + (i * 7) % 11 ))" u=root cmd="uptime"
        if [ $((i % 3)) -eq 0 ]; then u=www-data; cmd="true"; fi
        ssh -b "$c" -i "$work/userkey" -o BatchMode=yes "${opts[@]}" "$u@127.0.0.1" "$cmd" >/dev/null 2>&1 || true
        i=$((i + 1)); sleep "$(awk -v r=$RANDOM 'BEGIN{printf "%.2f", 0.6 + r/32768*1.2}')"
    done
}
brute() {  # 3 streams x 20 attempts from one address, one password per connection
    local s=$1 users=(root admin test oracle ubuntu pi postgres root guest ftpuser deploy git root user1 support
                      root webadmin mysql root dev)
    for k in $(seq 0 19); do
        sshpass -p "pass$s$k!" ssh -b 127.0.0.66 -o PubkeyAuthentication=no -o PreferredAuthentications=password \
            "${opts[@]}" "${users[$(( (k + s * 5) % 20 ))]}@127.0.0.1" true >/dev/null 2>&1 || true
        sleep 0.4
    done
}
incidents_dev() {
    sleep 40
    b0=$(date +%s)
    brute 0 & local p0=$!; brute 1 & local p1=$!; brute 2 & local p2=$!
    wait "$p0" "$p1" "$p2"
    b1=$(date +%s)
}
labels_dev() {
    echo "# made by bench/real-logs/sshd.sh: real OpenSSH sshd on 127.0.0.1:$port, logged through syslog (syslogd.py, rsyslog's traditional format), wall-clock times"
    printf 'id\tstart\tend\tkind\tinfluencer\tdescription\n'
    printf 'brute-force\t%s\t%s\tauth-brute-force\t127.0.0.66\t60 password logins from 127.0.0.66 (invalid users and root), all failed, in %d s; key logins from 127.0.0.2-12 go on\n' \
        "$(iso "$b0")" "$(iso $((b1 + 1)))" $((b1 - b0))
}

incidents_heldout_a() {
    for k in 1 2 3 4 5 6 7 8; do ssh-keygen -q -t ed25519 -N '' -f "$work/stray$k"; done
    sleep 30; g0=$(date +%s)   # a banner-grabbing port scan: 60 connections from 127.0.0.98 closed before the key exchange
    SSHPORT=$port python3 - <<'PY'
import os, socket, time
for i in range(60):
    s = socket.socket(); s.bind(("127.0.0.98", 0)); s.connect(("127.0.0.1", int(os.environ["SSHPORT"])))
    try:
        s.settimeout(1); s.recv(256)
    except OSError:
        pass
    s.close(); time.sleep(0.25)
PY
    g1=$(date +%s)
    sleep $(( 65 - (g1 - t0) )); m0=$(date +%s)   # eight unknown keys offered for root, 15 times: MaxAuthTries (6) exceeded
    for k in $(seq 1 15); do
        ssh -b 127.0.0.97 -o BatchMode=yes -o IdentitiesOnly=yes $(for j in 1 2 3 4 5 6 7 8; do echo -i "$work/stray$j"; done) \
            "${opts[@]}" root@127.0.0.1 true >/dev/null 2>&1 || true
        sleep 1
    done
    m1=$(date +%s)
}
labels_heldout_a() {
    echo "# made by bench/real-logs/sshd.sh heldout-a: real OpenSSH sshd on 127.0.0.1:$port through syslogd.py, wall-clock times"
    printf 'id\tstart\tend\tkind\tinfluencer\tdescription\n'
    printf 'banner-scan\t%s\t%s\tport-scan\t127.0.0.98\t60 connections from 127.0.0.98 closed before key exchange\n' "$(iso "$g0")" "$(iso $((g1 + 1)))"
    printf 'max-auth\t%s\t%s\tauth-brute-force\t127.0.0.97|maximum authentication attempts\t15 connections offering 8 unknown keys for root from 127.0.0.97: too many authentication failures\n' "$(iso "$m0")" "$(iso $((m1 + 1)))"
}

incidents_heldout_b() {
    sleep 35; s0=$(date +%s)   # a deploy loop gone wild: www-data logs in from 127.0.0.44 about 3 times a second for 30 s
    local surge=()
    while [ $(( $(date +%s) - s0 )) -lt 30 ]; do
        ssh -b 127.0.0.44 -i "$work/userkey" -o BatchMode=yes "${opts[@]}" www-data@127.0.0.1 true >/dev/null 2>&1 & surge+=($!)
        sleep 0.33
    done
    for j in "${surge[@]}"; do wait "$j" 2>/dev/null || true; done
    s1=$(date +%s)
    sleep $(( 85 - (s1 - t0) )); r0=$(date +%s)   # sshd restarted by an operator (SIGTERM, started again)
    kill -TERM "$(cat "$work/sshd.pid")" 2>/dev/null || true
    sleep 2
    start_sshd
    r1=$(date +%s)
}
labels_heldout_b() {
    echo "# made by bench/real-logs/sshd.sh heldout-b: real OpenSSH sshd on 127.0.0.1:$port through syslogd.py, wall-clock times"
    printf 'id\tstart\tend\tkind\tinfluencer\tdescription\n'
    printf 'login-surge\t%s\t%s\tactor-surge\t127.0.0.44|www-data\tkey logins of www-data from 127.0.0.44 about 3 a second for 30 s (a deploy loop)\n' "$(iso "$s0")" "$(iso $((s1 + 1)))"
    printf 'restart\t%s\t%s\trestart\tterminating|listening|signal\tsshd stopped (SIGTERM) and started again\n' "$(iso "$r0")" "$(iso $((r1 + 1)))"
}

normal & normal_pid=$!
incidents_${scenario//-/_}
wait "$normal_pid"
sleep 1
cp "$work/auth.log" "$out/$name.log"
labels_${scenario//-/_} > "$out/$name.labels.tsv"
echo "$name: $(wc -l < "$out/$name.log") lines, $(grep -c 'Accepted publickey' "$out/$name.log") key logins, $(grep -c 'Failed password' "$out/$name.log") failed passwords" >&2
