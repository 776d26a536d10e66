#!/usr/bin/env bash
# Generates the labelled real-log set: runs every scenario at once (about 10 minutes of wall time, the longest being
# nginx-10min) on 127.0.0.1, each on its own ports, and writes the logs and their .labels.tsv into OUTDIR
# (default bench/real-logs/logs). Logs over 200 kB are gzipped (Logwarden reads gzip), so the set stays small.
#
# Needs (Debian): nginx-light, openssh-server, sshpass, postgresql (15), haproxy (set d), python3 (standard library
# only). Run as root: sshd runs in a private mount namespace, PostgreSQL as the postgres user.
#   bench/real-logs/generate.sh [OUTDIR]
#   bench/real-logs/generate.sh --heldout [OUTDIR]   the held-out scenarios (heldout-a, heldout-b: incidents of kinds
#                                                    the detectors were not built on) into OUTDIR (bench/real-logs/heldout)
#   bench/real-logs/generate.sh --heldout-c [OUTDIR] a third held-out set (nginx and PostgreSQL, about 6 minutes),
#                                                    made after the changes a and b led to (bench/real-logs/heldout-c)
#   bench/real-logs/generate.sh --heldout-d [OUTDIR] a fourth (nginx with request times, PostgreSQL, and HAProxy, a
#                                                    service none of a-c has; about 7 minutes; bench/real-logs/heldout-d)
#   bench/real-logs/generate.sh --heldout-e [OUTDIR] a fifth: three servers none of a-d has, Apache httpd, Redis
#                                                    (a primary and a replica) and MariaDB (about 6 minutes; needs
#                                                    apache2, redis-server, mariadb-server; bench/real-logs/heldout-e)
#   bench/real-logs/generate.sh --heldout-f [OUTDIR] a sixth: Postfix (mail relay), Squid (forward proxy) and BIND 9
#                                                    (authoritative and forwarding DNS), none in a-e (about 7 minutes;
#                                                    needs postfix, squid, bind9 bind9-utils; bench/real-logs/heldout-f)
#   bench/real-logs/generate.sh --heldout-g [OUTDIR] a seventh: Tomcat 10 (a JSP shop, its catalina, localhost and
#                                                    access logs), Dovecot (IMAP, POP3, LMTP) and Mosquitto (MQTT),
#                                                    none in a-f (about 7 minutes; needs tomcat10, dovecot-imapd
#                                                    dovecot-pop3d dovecot-lmtpd, mosquitto mosquitto-clients;
#                                                    bench/real-logs/heldout-g)
#   bench/real-logs/generate.sh --heldout-h [OUTDIR] an eighth: PgBouncer in front of PostgreSQL 15, RabbitMQ
#                                                    (AMQP) and FreeRADIUS (RADIUS over UDP), none in a-g (about 7
#                                                    minutes; needs pgbouncer, rabbitmq-server, freeradius and
#                                                    PostgreSQL 15's server; bench/real-logs/heldout-h)
#   bench/real-logs/generate.sh --heldout-i [OUTDIR] a ninth: a 3-member etcd 3.4 cluster, vsftpd (FTP) and
#                                                    Unbound (a validating DNS resolver), none in a-h (about 7
#                                                    minutes; needs etcd-server, vsftpd, unbound; bench/real-logs/heldout-i)
#   bench/real-logs/generate.sh --heldout-j [OUTDIR] a tenth: Caddy 2.6 (JSON access and runtime logs), Exim 4.96
#                                                    (main and reject logs) and OpenLDAP 2.5's slapd (stats through
#                                                    syslog), none in a-i (about 11 minutes; needs caddy,
#                                                    exim4-daemon-light, slapd, ldap-utils; bench/real-logs/heldout-j)
#   bench/real-logs/generate.sh --heldout-k [OUTDIR] an eleventh: Prometheus 2.42 (logfmt), PHP-FPM 8.2 (error,
#                                                    slow and access logs) and Gunicorn 20.1 with a Flask application
#                                                    (error and access logs), none in a-j (about 10 minutes; needs
#                                                    prometheus, php8.2-fpm, gunicorn, python3-flask;
#                                                    bench/real-logs/heldout-k)
#   bench/real-logs/generate.sh --heldout-l [OUTDIR] a twelfth: uWSGI 2.0 with a Python WSGI application (request
#                                                    and own lines), Samba 4.17's smbd (auth_audit and full_audit)
#                                                    and ISC Kea 2.2's DHCPv4 server behind relays, none in a-k (about
#                                                    9 minutes; needs uwsgi, uwsgi-plugin-python3, samba, smbclient,
#                                                    kea-dhcp4-server; bench/real-logs/heldout-l)
#   bench/real-logs/generate.sh --heldout-m [OUTDIR] a thirteenth: the NATS 2.9 message server, MIT Kerberos 1.20's
#                                                    KDC and kadmind, and Nagios Core 4.4 with active and passive
#                                                    checks, none in a-l (about 10 minutes; needs nats-server,
#                                                    krb5-kdc krb5-admin-server krb5-user, nagios4-core
#                                                    monitoring-plugins-basic; bench/real-logs/heldout-m)
#   bench/real-logs/generate.sh --heldout-n [OUTDIR] a fourteenth: Supervisor 4.2 with a shop's programs, Monit 5.33
#                                                    checking services, files and hosts, and the Prosody 0.12 XMPP
#                                                    server, none in a-m (about 10 minutes; needs supervisor, monit,
#                                                    prosody; bench/real-logs/heldout-n)
#   bench/real-logs/generate.sh --heldout-o [OUTDIR] a fifteenth: Apache ActiveMQ Classic 5.17 (STOMP clients, a
#                                                    store limit, authentication, a connection limit), lighttpd 1.4
#                                                    (error and access logs, a proxied application) and Tinyproxy 1.11
#                                                    (a forward proxy), none in a-n (about 10 minutes; needs activemq,
#                                                    lighttpd, tinyproxy; bench/real-logs/heldout-o)
#   bench/real-logs/generate.sh --heldout-p [OUTDIR] a sixteenth: dnsmasq 2.90 (a branch office's caching DNS
#                                                    forwarder), Icecast 2.4 (error and access logs of a radio
#                                                    station) and a three-node ZooKeeper 3.8 ensemble (each node's
#                                                    log), none in a-o (about 10 minutes; needs dnsmasq, icecast2,
#                                                    zookeeper, dnsutils; bench/real-logs/heldout-p)
# Ports: nginx 18180/18280/18380 (backends +1), sshd 18422, PostgreSQL 18432; held-out sets 185xx-199xx (set h:
# FreeRADIUS 19912-19914, PgBouncer 19932-19933, RabbitMQ 19972-19973 and its Erlang ports 29972-29982; set i: vsftpd
# 19921-19939, etcd 19941-19946, Unbound 19953-19955 and its upstreams on 127.0.1.1-4; set j: Caddy 20001-20009, Exim
# 20021-20029, slapd 20041; set k: Prometheus 20101-20111, PHP-FPM 20121-20123, Gunicorn 20141-20142; set l: uWSGI 20151-20152, Samba 20161-20162, Kea 20171-20172;
# set m: NATS 20181-20182, the KDC 20184-20186 (relayed from 127.0.0.2-124), Nagios's checked services 20187-20189;
# set n: supervisord 20191-20193, Monit 20194-20196, Prosody 20197; set o: ActiveMQ 20201-20202, lighttpd 20211-20212,
# Tinyproxy 20221-20227; set p: dnsmasq 20231-20232 (its upstreams on 127.0.1.1-3), Icecast 20241, ZooKeeper 20251-20259).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
heldout=""; default=logs
case "${1:-}" in --heldout) heldout=ab; default=heldout; shift ;; --heldout-c) heldout=c; default=heldout-c; shift ;;
    --heldout-d) heldout=d; default=heldout-d; shift ;; --heldout-e) heldout=e; default=heldout-e; shift ;;
    --heldout-f) heldout=f; default=heldout-f; shift ;; --heldout-g) heldout=g; default=heldout-g; shift ;;
    --heldout-h) heldout=h; default=heldout-h; shift ;; --heldout-i) heldout=i; default=heldout-i; shift ;;
    --heldout-j) heldout=j; default=heldout-j; shift ;; --heldout-k) heldout=k; default=heldout-k; shift ;;
    --heldout-l) heldout=l; default=heldout-l; shift ;; --heldout-m) heldout=m; default=heldout-m; shift ;;
    --heldout-n) heldout=n; default=heldout-n; shift ;; --heldout-o) heldout=o; default=heldout-o; shift ;;
    --heldout-p) heldout=p; default=heldout-p; shift ;; esac
out="${1:-$here/$default}"; mkdir -p "$out"; out="$(cd "$out" && pwd)"
logs="$(mktemp -d /tmp/logwarden-generate.XXXXXX)"
pids=()
run() { local name=$1; shift; "$@" > "$logs/$name.out" 2>&1 & pids+=($!); echo "started $name (pid $!)" >&2; }
if [ "$heldout" = p ]; then
    run dnsmasq-p   python3 "$here/dnsmasq.py" "$out" 20231
    run icecast-p   python3 "$here/icecast.py" "$out" 20241
    run zookeeper-p python3 "$here/zookeeper.py" "$out"
elif [ "$heldout" = o ]; then
    run activemq-o  python3 "$here/activemq.py" "$out" 20201
    run lighttpd-o  python3 "$here/lighttpd.py" "$out"
    run tinyproxy-o python3 "$here/tinyproxy.py" "$out"
elif [ "$heldout" = n ]; then
    run supervisor-n python3 "$here/supervisor.py" "$out" 20191
    run monit-n      python3 "$here/monit.py" "$out"
    run prosody-n    python3 "$here/prosody.py" "$out" 20197
elif [ "$heldout" = m ]; then
    run nats-m   python3 "$here/nats.py" "$out"
    run kdc-m    python3 "$here/kdc.py" "$out" 20184
    run nagios-m python3 "$here/nagios.py" "$out"
elif [ "$heldout" = l ]; then
    run uwsgi-l python3 "$here/uwsgi.py" "$out" 20151
    run samba-l python3 "$here/samba.py" "$out" 20161
    run kea-l   python3 "$here/kea.py" "$out"
elif [ "$heldout" = k ]; then
    run prometheus-k python3 "$here/prometheus.py" "$out"
    run phpfpm-k     python3 "$here/phpfpm.py" "$out" 20121
    run gunicorn-k   python3 "$here/gunicorn.py" "$out" 20141
elif [ "$heldout" = j ]; then
    run caddy-j python3 "$here/caddy.py" "$out"
    run exim-j  python3 "$here/exim.py" "$out"
    run slapd-j python3 "$here/slapd.py" "$out" 20041
elif [ "$heldout" = i ]; then
    run vsftpd-i  python3 "$here/vsftpd.py" "$out" 19921
    run etcd-i    python3 "$here/etcd.py" "$out" 19941
    run unbound-i python3 "$here/unbound.py" "$out" 19953
elif [ "$heldout" = h ]; then
    run pgbouncer-h  python3 "$here/pgbouncer.py" "$out" 19932
    run rabbitmq-h   python3 "$here/rabbitmq.py" "$out" 19972
    run freeradius-h python3 "$here/freeradius.py" "$out" 19912
elif [ "$heldout" = g ]; then
    run tomcat-g    python3 "$here/tomcat.py" "$out" 19780
    run dovecot-g   python3 "$here/dovecot.py" "$out" 19843
    run mosquitto-g python3 "$here/mosquitto.py" "$out" 19883
elif [ "$heldout" = f ]; then
    run postfix-f  python3 "$here/postfix.py" "$out" 19425
    run squid-f    python3 "$here/squid.py" "$out" 19528
    run bind-f     python3 "$here/bind.py" "$out" 19653
elif [ "$heldout" = e ]; then
    run apache-e   "$here/apache.sh" apache-e "$out" 19080 19081
    run redis-e    python3 "$here/redis.py" "$out" 19379
    run mariadb-e  python3 "$here/mariadb.py" "$out" 19306
elif [ "$heldout" = d ]; then
    run nginx-d    "$here/nginx.sh" heldout-d "$out" 18980 18981
    run postgres-d "$here/postgres.sh" "$out" 18932 heldout-d
    run haproxy-d  "$here/haproxy.sh" haproxy-d "$out" 18880 18881
elif [ "$heldout" = c ]; then
    run nginx-c    "$here/nginx.sh" heldout-c "$out" 18780 18781
    run postgres-c "$here/postgres.sh" "$out" 18732 heldout-c
elif [ -n "$heldout" ]; then
    run nginx-a    "$here/nginx.sh" heldout-a "$out" 18580 18581
    run nginx-b    "$here/nginx.sh" heldout-b "$out" 18680 18681
    run sshd-a     "$here/sshd.sh" "$out" 18522 heldout-a
    run sshd-b     "$here/sshd.sh" "$out" 18622 heldout-b
    run postgres-a "$here/postgres.sh" "$out" 18532 heldout-a
    run postgres-b "$here/postgres.sh" "$out" 18632 heldout-b
else
    run nginx-4min     "$here/nginx.sh" nginx-4min "$out" 18180 18181
    run nginx-500burst "$here/nginx.sh" nginx-500burst "$out" 18280 18281
    run nginx-10min    "$here/nginx.sh" nginx-10min "$out" 18380 18381
    run sshd           "$here/sshd.sh" "$out" 18422
    run postgres       "$here/postgres.sh" "$out" 18432
    run applog         python3 "$here/applog.py" "$out"
fi
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
cat "$logs"/*.out >&2; rm -rf "$logs"
for f in "$out"/*.log; do
    [ "$(stat -c %s "$f")" -gt 200000 ] && gzip -9f "$f"
done
ls -la "$out" >&2
exit $status
