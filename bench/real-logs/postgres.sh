#!/usr/bin/env bash
# Runs a real PostgreSQL 15 cluster (Debian postgresql) in a temp dir on 127.0.0.1:PORT, logging to a file with
# Debian's line prefix ('%m [%p] %q%u@%d '), connections and disconnections logged, statements over 50 ms logged.
# Drives normal shop queries with psql and injects: failed password logins for user "reporting", a burst of
# errors on a missing relation "order_archive", and a connection flood by user "batch" past max_connections.
#
# Held-out scenarios (bench/real-logs/heldout/, incidents of kinds the detectors were not built on): heldout-a,
# deadlocks between app sessions, a dashboard's queries cut by statement_timeout, a fast restart mid-file;
# heldout-b, a runaway batch user, a bulk import forcing checkpoints, sessions timing out on a held row lock;
# heldout-c (bench/real-logs/heldout-c/, made after the changes a and b led to), serialization failures, a report
# user's lost grant, sessions cut for idling in a transaction; heldout-d (bench/real-logs/heldout-d/), the
# application's usual slow query ten times slower (its durations logged as always), a DBA terminating the
# application's sessions, a client configured with a database that does not exist.
#
# usage: bench/real-logs/postgres.sh OUTDIR [PORT [SCENARIO]]   SCENARIO: dev (default) | heldout-a | -b | -c | -d
#   writes OUTDIR/postgres.log and .labels.tsv (dev), or OUTDIR/postgres-heldout-a.log ... (held-out)
# Needs root only to run the cluster as the postgres user (initdb refuses root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"; port="${2:-18432}"; scenario="${3:-dev}"
case $scenario in dev) name=postgres ;; heldout-a|heldout-b|heldout-c|heldout-d) name=postgres-$scenario ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;; esac
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/postgres" ] || { echo "PostgreSQL 15 server not installed: apt-get install postgresql" >&2; exit 1; }
work="$(mktemp -d /tmp/logwarden-pg.XXXXXX)"; chmod 755 "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"
echo "superpass" > "$work/pw"; [ "$(id -u)" = 0 ] && chown postgres "$work/pw"
as_pg "$bin/initdb" -D "$work/data" -U postgres --pwfile="$work/pw" -A scram-sha-256 --auth-local=trust >/dev/null
cat >> "$work/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
max_connections = 20
log_line_prefix = '%m [%p] %q%u@%d '
log_timezone = 'UTC'
log_connections = on
log_disconnections = on
log_min_duration_statement = 50ms
log_checkpoints = on
checkpoint_timeout = 60s
CONF
[ "$scenario" = heldout-b ] && cat >> "$work/data/postgresql.conf" <<CONF
max_wal_size = 32MB
min_wal_size = 32MB
log_lock_waits = on
deadlock_timeout = 500ms
CONF
as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/postgresql.log" -w start >/dev/null
cleanup() { as_pg "$bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

psql_su() { psql -h "$work" -p "$port" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_su -d postgres <<'SQL'
CREATE ROLE app LOGIN PASSWORD 'app-secret';
CREATE ROLE reporting LOGIN PASSWORD 'report-secret';
CREATE ROLE batch LOGIN PASSWORD 'batch-secret';
CREATE ROLE analytics LOGIN PASSWORD 'an-secret';
ALTER ROLE analytics SET statement_timeout = '100ms';
ALTER ROLE batch SET idle_in_transaction_session_timeout = '1s';
CREATE DATABASE shop OWNER app;
SQL
export PGHOST=127.0.0.1 PGPORT=$port
PGPASSWORD=app-secret psql -X -q -U app -d shop <<'SQL'
CREATE TABLE customers (id serial PRIMARY KEY, email text UNIQUE NOT NULL, created timestamptz DEFAULT now());
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers, total numeric(10,2), status text,
                     created timestamptz DEFAULT now());
INSERT INTO customers (email) SELECT 'customer' || g || '@shop.example' FROM generate_series(1, 2000) g;
INSERT INTO orders (customer_id, total, status)
  SELECT 1 + (g * 37) % 2000, (g % 400) + 0.99, (ARRAY['new','paid','shipped'])[1 + g % 3] FROM generate_series(1, 20000) g;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO reporting, batch, analytics;
SQL
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
t0=$(date +%s); dur=150; [ "$scenario" = dev ] || dur=165
normal() {  # one short session every ~0.7 s: the application's and the reports' usual queries
    local i=0
    while [ $(( $(date +%s) - t0 )) -lt $dur ]; do
        case $((i % 6)) in
        0) PGPASSWORD=app-secret psql -X -q -U app -d shop -c "INSERT INTO orders (customer_id, total, status) VALUES ($((1 + RANDOM % 2000)), $((RANDOM % 300)).50, 'new')" ;;
        1) PGPASSWORD=app-secret psql -X -q -U app -d shop -c "UPDATE orders SET status = 'paid' WHERE id = $((1 + RANDOM % 20000))" ;;
        2) PGPASSWORD=app-secret psql -X -q -U app -d shop -c "SELECT o.id, o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = 'customer$((1 + RANDOM % 2000))@shop.example'" ;;
        3) PGPASSWORD=report-secret psql -X -q -U reporting -d shop -c "SELECT status, count(*), sum(total) FROM orders GROUP BY status" ;;
        4) sleep_s=0.0$((5 + RANDOM % 5)); [ -e "$work/slow" ] && sleep_s=0.$((4 + RANDOM % 5))   # heldout-d's slowdown
           PGPASSWORD=app-secret psql -X -q -U app -d shop -c "SELECT pg_sleep($sleep_s), count(*) FROM orders WHERE created > now() - interval '1 hour'" ;;
        5) if [ $((i % 60)) -eq 5 ]; then  # now and then a customer signs up twice: a usual unique violation
               PGPASSWORD=app-secret psql -X -q -U app -d shop -c "INSERT INTO customers (email) VALUES ('customer$((1 + RANDOM % 2000))@shop.example')"
           else
               PGPASSWORD=app-secret psql -X -q -U app -d shop -c "SELECT * FROM customers WHERE id = $((1 + RANDOM % 2000))"
           fi ;;
        esac >/dev/null 2>&1 || true
        i=$((i + 1)); sleep 0.5
    done
}
normal & normal_pid=$!

incidents_dev() {
    sleep 30; a0=$(date +%s)   # failed password logins: 40 in ~15 s
    for k in $(seq 1 40); do PGPASSWORD="guess$k" psql -X -q -U reporting -d shop -c 'select 1' >/dev/null 2>&1 || true; sleep 0.35; done
    a1=$(date +%s)

    sleep $(( 70 - (a1 - t0) )); e0=$(date +%s)   # a broken report job: 100 errors on a missing relation in one session
    for k in $(seq 1 100); do
        if [ $((k % 4)) -eq 0 ]; then echo "SELECT count(*) / (count(*) - count(*)) AS refund_rate FROM orders WHERE status = 'refunded';"
        else echo "SELECT customer_id, sum(total) FROM order_archive WHERE created < now() - interval '$k days' GROUP BY 1;"; fi
    done | PGPASSWORD=report-secret psql -X -q -U reporting -d shop >/dev/null 2>&1 || true
    e1=$(date +%s)

    sleep $(( 110 - (e1 - t0) )); f0=$(date +%s)   # connection flood: 40 sessions of user batch at once, max_connections 20
    pids=()
    for k in $(seq 1 40); do
        PGPASSWORD=batch-secret psql -X -q -U batch -d shop -c "SELECT pg_sleep(4), count(*) FROM orders" >/dev/null 2>&1 & pids+=($!)
    done
    wait "${pids[@]}" || true
    f1=$(date +%s)
}
labels_dev() {
    echo "# made by bench/real-logs/postgres.sh: real PostgreSQL 15 on 127.0.0.1:$port, log_line_prefix '%m [%p] %q%u@%d ', log_connections on, wall-clock times; every client connects from 127.0.0.1 (libpq cannot bind a source address), so the user names the actor"
    printf 'id\tstart\tend\tkind\tinfluencer\tdescription\n'
    printf 'auth-failures\t%s\t%s\tauth-brute-force\treporting\t40 password logins for user reporting with wrong passwords (FATAL: password authentication failed)\n' "$(iso "$a0")" "$(iso $((a1 + 1)))"
    printf 'error-burst\t%s\t%s\terror-burst\torder_archive|reporting\t100 failing statements in one session of user reporting: 75 x relation "order_archive" does not exist, 25 x division by zero\n' "$(iso "$e0")" "$(iso $((e1 + 1)))"
    printf 'connection-flood\t%s\t%s\tconnection-flood\tbatch|too many clients\t40 sessions of user batch at once against max_connections 20 (FATAL: remaining connection slots are reserved ..., sorry, too many clients already)\n' "$(iso "$f0")" "$(iso $((f1 + 1)))"
}

incidents_heldout_a() {
    sleep 30; d0=$(date +%s)   # deadlocks: 12 rounds of two app sessions updating two orders in opposite order
    for k in $(seq 1 12); do
        local a=$((100 + k)) b=$((200 + k))
        PGPASSWORD=app-secret psql -X -q -U app -d shop -c "BEGIN; UPDATE orders SET status='paid' WHERE id=$a; SELECT pg_sleep(0.3); UPDATE orders SET status='paid' WHERE id=$b; COMMIT;" >/dev/null 2>&1 & local p1=$!
        PGPASSWORD=app-secret psql -X -q -U app -d shop -c "BEGIN; UPDATE orders SET status='shipped' WHERE id=$b; SELECT pg_sleep(0.3); UPDATE orders SET status='shipped' WHERE id=$a; COMMIT;" >/dev/null 2>&1 || true
        wait $p1 || true
    done
    d1=$(date +%s)
    sleep $(( 75 - (d1 - t0) )); s0=$(date +%s)   # a dashboard of user analytics: 40 heavy queries cut by its 100 ms statement_timeout
    for k in $(seq 1 40); do
        PGPASSWORD=an-secret psql -X -q -U analytics -d shop -c "SELECT count(*) FROM orders a JOIN orders b ON a.status = b.status WHERE a.total > b.total AND a.id % $((k + 1)) = 0" >/dev/null 2>&1 || true
        sleep 0.2
    done
    s1=$(date +%s)
    sleep $(( 115 - (s1 - t0) )); r0=$(date +%s)   # an operator restarts the server (fast shutdown, start again)
    as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/postgresql.log" -m fast -w restart >/dev/null
    r1=$(date +%s)
}
labels_heldout_a() {
    echo "# made by bench/real-logs/postgres.sh heldout-a: real PostgreSQL 15 on 127.0.0.1:$port, Debian's log_line_prefix, wall-clock times"
    printf 'id\tstart\tend\tkind\tinfluencer\tdescription\n'
    printf 'deadlocks\t%s\t%s\tdeadlock\tdeadlock|app\t12 rounds of two app sessions updating two orders in opposite order (ERROR: deadlock detected)\n' "$(iso "$d0")" "$(iso $((d1 + 1)))"
    printf 'timeouts\t%s\t%s\tstatement-timeout\tanalytics|statement timeout\t40 queries of user analytics cancelled by statement_timeout 100ms\n' "$(iso "$s0")" "$(iso $((s1 + 1)))"
    printf 'restart\t%s\t%s\trestart\tshutdown|shut down|terminating connection\tpg_ctl restart -m fast: shutdown, sessions terminated, start-up\n' "$(iso "$r0")" "$(iso $((r1 + 1)))"
}

incidents_heldout_b() {
    sleep 30; b0=$(date +%s)   # a runaway batch job: user batch, usually silent, runs short queries ~8 times a second for 40 s
    while [ $(( $(date +%s) - b0 )) -lt 40 ]; do
        PGPASSWORD=batch-secret psql -X -q -U batch -d shop -c "SELECT count(*) FROM orders WHERE customer_id = $((1 + RANDOM % 2000))" >/dev/null 2>&1 || true
        sleep 0.1
    done
    b1=$(date +%s)
    sleep $(( 85 - (b1 - t0) )); w0=$(date +%s)   # a bulk import: heavy writes for 25 s, checkpoints forced by WAL volume
    PGPASSWORD=app-secret psql -X -q -U app -d shop -c "CREATE TABLE import_rows AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 10) g" >/dev/null 2>&1 || true
    while [ $(( $(date +%s) - w0 )) -lt 25 ]; do
        PGPASSWORD=app-secret psql -X -q -U app -d shop -c "INSERT INTO import_rows SELECT g, md5(g::text) || md5((g+1)::text) FROM generate_series(1, 200000) g" >/dev/null 2>&1 || true
    done
    w1=$(date +%s)
    sleep $(( 125 - (w1 - t0) )); l0=$(date +%s)   # a long transaction holds a row; 15 app sessions wait on it and time out
    PGPASSWORD=app-secret psql -X -q -U app -d shop -c "BEGIN; UPDATE customers SET email = email WHERE id = 7; SELECT pg_sleep(20); COMMIT;" >/dev/null 2>&1 & local holder=$!
    sleep 1
    for k in $(seq 1 15); do
        PGPASSWORD=app-secret psql -X -q -U app -d shop -c "SET lock_timeout = '2s'; UPDATE customers SET created = now() WHERE id = 7;" >/dev/null 2>&1 || true
    done
    wait $holder || true
    l1=$(date +%s)
}
labels_heldout_b() {
    echo "# made by bench/real-logs/postgres.sh heldout-b: real PostgreSQL 15 on 127.0.0.1:$port, Debian's log_line_prefix, wall-clock times"
    printf 'id\tstart\tend\tkind\tinfluencer\tdescription\n'
    printf 'runaway-batch\t%s\t%s\tactor-surge\tbatch\tuser batch, usually idle, connects and queries about 8 times a second for 40 s\n' "$(iso "$b0")" "$(iso $((b1 + 1)))"
    printf 'bulk-import\t%s\t%s\tcheckpoint-storm\tcheckpoint|import_rows\t25 s of bulk inserts: checkpoints forced by WAL volume (checkpoints are occurring too frequently)\n' "$(iso "$w0")" "$(iso $((w1 + 1)))"
    printf 'lock-waits\t%s\t%s\tlock-timeout\tlock timeout|still waiting|app\ta transaction holds customer 7 for 20 s; 15 app sessions wait and fail with lock_timeout 2s\n' "$(iso "$l0")" "$(iso $((l1 + 1)))"
}

incidents_heldout_c() {
    sleep 30; z0=$(date +%s)   # serialization failures: 15 rounds of a repeatable-read update racing a plain one
    for k in $(seq 1 15); do
        local id=$((300 + k))
        PGPASSWORD=app-secret psql -X -q -U app -d shop -c "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT total FROM orders WHERE id=$id; SELECT pg_sleep(0.4); UPDATE orders SET total = total + 1 WHERE id=$id; COMMIT;" >/dev/null 2>&1 & local p1=$!
        sleep 0.1
        PGPASSWORD=app-secret psql -X -q -U app -d shop -c "UPDATE orders SET status='paid' WHERE id=$id" >/dev/null 2>&1 || true
        wait $p1 || true
        sleep 0.5
    done
    z1=$(date +%s)
    sleep $(( 70 - (z1 - t0) )); g0=$(date +%s)   # a migration drops the report user's grant for 45 s; its job keeps trying
    psql_su -d shop -c "REVOKE SELECT ON orders FROM reporting" >/dev/null
    while [ $(( $(date +%s) - g0 )) -lt 45 ]; do
        PGPASSWORD=report-secret psql -X -q -U reporting -d shop -c "SELECT date_trunc('hour', created), sum(total) FROM orders GROUP BY 1" >/dev/null 2>&1 || true
        sleep 1.5
    done
    psql_su -d shop -c "GRANT SELECT ON orders TO reporting" >/dev/null
    g1=$(date +%s)
    sleep $(( 125 - (g1 - t0) )); i0=$(date +%s)   # a worker of user batch leaves transactions open: cut after 1 s idle
    for k in $(seq 1 12); do
        ( echo "BEGIN; SELECT count(*) FROM orders WHERE customer_id = $k;"; sleep 1.6; echo "COMMIT;" ) \
            | PGPASSWORD=batch-secret psql -X -q -U batch -d shop >/dev/null 2>&1 || true
        sleep 0.4
    done
    i1=$(date +%s)
}
labels_heldout_c() {
    echo "# made by bench/real-logs/postgres.sh heldout-c: real PostgreSQL 15 on 127.0.0.1:$port, Debian's log_line_prefix, wall-clock times"
    printf 'id\tstart\tend\tkind\tinfluencer\tdescription\n'
    printf 'serialization\t%s\t%s\tserialization-failure\tserialize|app\t15 repeatable-read updates of an order racing a plain update (ERROR: could not serialize access due to concurrent update)\n' "$(iso "$z0")" "$(iso $((z1 + 1)))"
    printf 'lost-grant\t%s\t%s\tpermission-denied\treporting|permission denied\tSELECT on orders revoked from user reporting for 45 s; its report job and the usual report queries fail\n' "$(iso "$g0")" "$(iso $((g1 + 1)))"
    printf 'idle-in-transaction\t%s\t%s\tidle-timeout\tbatch|idle-in-transaction\t12 sessions of user batch left idle in a transaction, cut by idle_in_transaction_session_timeout 1s\n' "$(iso "$i0")" "$(iso $((i1 + 1)))"
}

incidents_heldout_d() {
    sleep 30; q0=$(date +%s)   # the application's usual "recent orders" query ten times slower for 60 s, as often
    touch "$work/slow"; sleep 60; rm -f "$work/slow"
    q1=$(date +%s)
    sleep $(( 100 - (q1 - t0) )); k0=$(date +%s)   # a DBA terminates the application's long-running sessions
    local pids=()
    for k in $(seq 1 10); do
        PGPASSWORD=app-secret psql -X -q -U app -d shop -c "SELECT pg_sleep(20), count(*) FROM orders" >/dev/null 2>&1 & pids+=($!)
    done
    sleep 2
    psql_su -d shop -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = 'app' AND query LIKE 'SELECT pg_sleep(20)%'" >/dev/null
    wait "${pids[@]}" || true
    k1=$(date +%s)
    sleep $(( 128 - (k1 - t0) )); m0=$(date +%s)   # a new worker deployed with the wrong database name
    for k in $(seq 1 30); do
        PGPASSWORD=app-secret psql -X -q -U app -d shop_staging -c "SELECT 1" >/dev/null 2>&1 || true
        sleep 0.6
    done
    m1=$(date +%s)
}
labels_heldout_d() {
    echo "# made by bench/real-logs/postgres.sh heldout-d: real PostgreSQL 15 on 127.0.0.1:$port, Debian's log_line_prefix, wall-clock times"
    printf 'id\tstart\tend\tkind\tinfluencer\tdescription\n'
    printf 'slow-queries\t%s\t%s\tlatency-rise\tduration|app\tthe recent-orders query of user app takes 400-800 ms instead of 50-90 ms for 60 s, as often as before (its durations logged as usual)\n' "$(iso "$q0")" "$(iso $((q1 + 1)))"
    printf 'admin-kill\t%s\t%s\tsessions-terminated\tadministrator command|app\ta DBA terminates 10 long-running sessions of user app (FATAL: terminating connection due to administrator command)\n' "$(iso "$k0")" "$(iso $((k1 + 1)))"
    printf 'wrong-database\t%s\t%s\tmisconfiguration\tshop_staging\t30 connections of user app to a database that does not exist (FATAL: database "shop_staging" does not exist)\n' "$(iso "$m0")" "$(iso $((m1 + 1)))"
}

incidents_${scenario//-/_}
wait "$normal_pid"
as_pg "$bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null
cp "$work/postgresql.log" "$out/$name.log"; chmod 644 "$out/$name.log"
{
    labels_${scenario//-/_}
} > "$out/$name.labels.tsv"
echo "$name: $(wc -l < "$out/$name.log") lines, $(grep -c 'ERROR:' "$out/$name.log") errors, $(grep -c 'FATAL:' "$out/$name.log") fatal" >&2
