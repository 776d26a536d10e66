#!/usr/bin/env bash
# Runs a real OpenSSH sshd (Debian openssh-server) on 127.0.0.1:PORT with its own host key and config under a temp
# dir, logging through syslog to syslogd.py (an auth.log as rsyslog writes it), drives successful key logins from
# 127.0.0.2-12 and a password brute force from 127.0.0.66 (sshpass; wrong passwords and invalid users).
#
# sshd -E FILE writes lines without time or pid, so sshd logs to syslog instead. There is no /dev/log here; sshd runs
# in a private mount namespace (unshare -m) whose /dev is a small tmpfs with the device nodes it needs and /dev/log
# pointing at syslogd.py's socket. Nothing outside the namespace changes. Needs root (unshare, mount).
#
# usage: bench/real-logs/sshd.sh OUTDIR [PORT]     writes OUTDIR/sshd-auth.log and OUTDIR/sshd-auth.labels.tsv
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"; port="${2:-18422}"
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
unshare -m --propagation private bash -c '
  set -e; w="$1"
  mount --bind /dev "$w/olddev"; mount -t tmpfs -o mode=755 devtmp /dev
  for d in null zero random urandom full tty; do touch "/dev/$d"; mount --bind "$w/olddev/$d" "/dev/$d"; done
  mkdir /dev/pts; mount --bind "$w/olddev/pts" /dev/pts; ln -s /proc/self/fd /dev/fd; ln -s "$w/log.sock" /dev/log
  exec /usr/sbin/sshd -D -f "$w/sshd_config"' _ "$work" & sshd_pid=$!
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
normal() {  # a key login every ~2 s for 100 s: ops as root, deploy jobs as www-data
    local i=0
    while [ $(( $(date +%s) - t0 )) -lt 100 ]; do
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
normal & normal_pid=$!
sleep 40
b0=$(date +%s)
brute 0 & p0=$!; brute 1 & p1=$!; brute 2 & p2=$!
wait "$p0" "$p1" "$p2"
b1=$(date +%s)
wait "$normal_pid"
sleep 1
cp "$work/auth.log" "$out/sshd-auth.log"
{
    echo "# made by bench/real-logs/sshd.sh: real OpenSSH sshd on 127.0.0.1:$port, logged through syslog (syslogd.py, rsyslog's traditional format), wall-clock times"
    printf 'id\tstart\tend\tkind\tinfluencer\tdescription\n'
    printf 'brute-force\t%s\t%s\tauth-brute-force\t127.0.0.66\t60 password logins from 127.0.0.66 (invalid users and root), all failed, in %d s; key logins from 127.0.0.2-12 go on\n' \
        "$(iso "$b0")" "$(iso $((b1 + 1)))" $((b1 - b0))
} > "$out/sshd-auth.labels.tsv"
echo "sshd: $(wc -l < "$out/sshd-auth.log") lines, $(grep -c 'Accepted publickey' "$out/sshd-auth.log") key logins, $(grep -c 'Failed password' "$out/sshd-auth.log") failed passwords" >&2
