#!/usr/bin/env python3
"""Runs a real PHP-FPM (Debian php8.2-fpm 8.2) on 127.0.0.1 for a small web shop and its mobile/partner API, speaks
FastCGI to it as nginx would (standard library sockets), injects labelled incidents and keeps FPM's logs exactly as
it wrote them: the master's error_log ("[03-Dec-2026 09:18:28] WARNING: [pool www] child 4242 said into stderr:
"NOTICE: PHP message: PHP Warning:  ..."", with catch_workers_output = yes, so the PHP errors and the application's
error_log() messages land there too, as no php error_log is set), the pools' slowlog (stack traces of requests over
request_slowlog_timeout) and the pools' access log (both pools write one file, with an operator's format
'%R - %u %t "%m %r%Q%q" %s %{mili}d %{kilo}M %C%% %n', the pool name last).

PHP-FPM runs as `php-fpm8.2 -F -y WORK/etc/php-fpm.conf -c WORK/etc/php.ini` (as root, the workers as www-data;
PHP_INI_SCAN_DIR empty, so nothing of /etc is read; TZ=UTC and date.timezone = UTC) with two pools:
  www  127.0.0.1:PORT    the shop (WORK/www/shop/public): pm dynamic, max_children 12, start 3, spare 2-5,
                         max_requests 300, request_slowlog_timeout 5s, request_terminate_timeout 30s,
                         ping.path /ping, pm.status_path /status
  api  127.0.0.1:PORT+1  the JSON API (WORK/www/api/public/v1): pm dynamic, max_children 8, start 2, spare 1-4,
                         max_requests 500, request_slowlog_timeout 3s, request_terminate_timeout 20s
php.ini: error_reporting E_ALL, log_errors, display_errors off, memory_limit 128M, default_socket_timeout 60,
sessions in files, OPcache with validate_timestamps 0 (so every deploy ends with a graceful reload, SIGUSR2).
The "inventory service" both the shop's checkout and the API call is served by this script over HTTP on
127.0.0.1:PORT+2 (20-120 ms a request, 1 in 100 answered 503).

usage: bench/real-logs/phpfpm.py OUTDIR [PORT]      (default port 20121; the api pool on PORT+1, the inventory
  service on PORT+2) writes OUTDIR/phpfpm-k.log (FPM's error_log), OUTDIR/phpfpm-k.slow.log (the slowlog),
  OUTDIR/phpfpm-k.access.log (the access log; each gzipped over 1 MB) and their .labels.tsv;
  SCALE=0.1 multiplies every duration (a short run for testing)

Normal traffic (about 6 requests/s): shoppers from 127.0.0.101-140 (about 0.45 visits/s: home page, search, product
pages, cart, a checkout now and then, with a PHP session cookie), a search engine's crawler 127.0.0.70 fetching a
product page every 2-4 s (without the ref parameter: the shop's product.php then warns 'Undefined array key "ref"'),
the mobile app's API calls from 127.0.0.151-158 (about 1.6/s, stock and price lookups that call the inventory
service), a partner's price batch from 127.0.0.80 every ~20 s, another partner on 127.0.0.81 still sending an
expired API key every ~90 s (401, the API logs it), the load balancer's /ping on both pools every 10 s (127.0.0.2),
the monitoring's /status?json every 15 s (127.0.0.3), the shop's admins' sales reports (127.0.0.40 user ops, and
127.0.0.41 user anna, REMOTE_USER from nginx's basic auth; a year's report takes 4-8 s, so the slowlog has a trace
of it now and then, and strftime() logs its PHP 8.1 deprecation), a cron job (127.0.0.50) calling
/cron/cleanup.php every 120 s (it logs how many sessions it removed), and the usual noise: the inventory service's
occasional 503 (a PHP warning and the API's own line), declined payments at checkout (the shop's own line), pm
dynamic spawning and retiring children, children recycled after max_requests. At 55 s the admin deploys release
2026.12.2 (files copied, then a graceful reload, SIGUSR2: "Reloading in progress ...", "reloading: execvp(...)",
"using inherited socket ...").
Incidents (about 8 minutes in all: 90 s of normal traffic, each incident followed by at least 60 s of it):
  scraper-flood   a price scraper on 127.0.0.66 crawls the shop's search (/search.php?q=...&page=N, each search
                  takes 150-450 ms) and product pages with 20 parallel connections for 40 s: the www pool runs out
                  of children: "WARNING: [pool www] server reached pm.max_children setting (12), consider raising
                  it" and "seems busy ... spawning" lines, many "Undefined array key "ref"" warnings from its
                  product hits, and in the access log thousands of requests from 127.0.0.66 (about 60 a
                  second)
  backend-hang    the inventory service on 127.0.0.1:PORT+2 hangs for 50 s (it accepts connections and answers
                  nothing): the API's file_get_contents() has no timeout of its own (default_socket_timeout 60), so
                  each API request hangs until request_terminate_timeout: "[pool api] child N, script '.../v1/
                  stock.php' (request: "GET /v1/stock.php?sku=...") executing too slow (3.0 sec), logging" with a
                  slowlog trace ending in file_get_contents() in lib/inventory.php, then "execution timed out (20.0
                  sec), terminating", "child N exited on signal 15 (SIGTERM) after ...", "child M started", and
                  "[pool api] server reached pm.max_children setting (8)"; the shop's checkouts (4 s timeout) fail
                  with "file_get_contents(http://127.0.0.1:PORT+2/reserve): Failed to open stream: HTTP request
                  failed!" and the shop's "checkout: stock reservation failed" line
  bad-deploy      the admin deploys release 2026.12.3, whose lib/cart.php still holds git merge-conflict markers;
                  after the reload every page that includes it (home, product, cart, checkout) fails with "PHP
                  Parse error:  syntax error, unexpected token "<<" in .../lib/cart.php on line N" (status 500 in the
                  access log) for 60 s, until the admin rolls back to 2026.12.2 and reloads again
Needs (Debian): php8.2-fpm (the www-data user). Standard library only.
"""
import base64
import calendar
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from arrivals import poisson
from drivers import (begin, stop_process, descendants, kill_leftovers, SessionPool, wait_listening, keep_log, now,
                     sleep_until, run_workers)
from labels import Labels

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 20121
API_PORT, BACKEND_PORT = PORT + 1, PORT + 2
SCALE = float(os.environ.get("SCALE", "1"))
NAME = "phpfpm-k"
FPM = "/usr/sbin/php-fpm8.2"

# request_terminate_timeout of the api pool: 20 s (kept above 4 s in short test runs, so that it still fires)
API_TERMINATE = 20 if SCALE >= 1 else max(4, round(20 * SCALE))

MONITOR_LB, MONITOR = "127.0.0.2", "127.0.0.3"
SHOPPERS = ["127.0.0.%d" % i for i in range(101, 141)]
CRAWLER = "127.0.0.70"
MOBILE = ["127.0.0.%d" % i for i in range(151, 159)]
PARTNER, OLD_PARTNER = "127.0.0.80", "127.0.0.81"
OPS, MARKETING = ("127.0.0.40", "ops"), ("127.0.0.41", "anna")
CRON = "127.0.0.50"
SCRAPER = "127.0.0.66"

APP_KEY, PARTNER_KEY, EXPIRED_KEY = "k_live_7f3c9a1e52d04b8c", "k_live_b21e64d0a9f34c17", "k_live_0c5d83e2f7a94b66"
CRON_TOKEN = "c8f1e0a95b7d4e3f"
ADMIN_PASSWORDS = {"ops": "Wint3r-Sh1ft", "anna": "marketing2026"}  # nginx auth_basic
WORDS = ["kettle", "backpack", "lamp", "headphones", "teapot", "blender", "jacket", "umbrella", "notebook", "speaker",
         "mug", "chair", "tent", "drill", "watch", "scarf", "toaster", "bottle", "pillow", "camera", "eco", "travel",
         "compact", "deluxe", "smart", "rugged", "vintage", "pro kettle", "travel mug", "smart watch"]
NPRODUCTS = 600


# --- FastCGI (what nginx's fastcgi_pass does) ---

class FcgiError(Exception):
    pass


def _rec(rtype, content, rid=1):
    return struct.pack("!BBHHBB", 1, rtype, rid, len(content), 0, 0) + content


def _nv(k, v):
    k, v = k.encode(), v.encode()

    def ln(n):
        return bytes([n]) if n < 128 else struct.pack("!I", n | 0x80000000)
    return ln(len(k)) + ln(len(v)) + k + v


def fcgi(port, src, root, uri, method="GET", body=b"", ctype="", cookie=None, user=None, host="shop.example",
         headers=None, timeout=60):
    """One request: FCGI_BEGIN_REQUEST (responder, no keep-alive), PARAMS, STDIN; reads STDOUT/STDERR until
    FCGI_END_REQUEST. Returns (status, headers, body, stderr)."""
    path, _, query = uri.partition("?")
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.bind((src, 0))
        s.connect(("127.0.0.1", port))
        params = {"GATEWAY_INTERFACE": "CGI/1.1", "SERVER_SOFTWARE": "nginx/1.22.1", "QUERY_STRING": query,
                  "REQUEST_METHOD": method, "CONTENT_TYPE": ctype, "CONTENT_LENGTH": str(len(body)) if body else "",
                  "SCRIPT_FILENAME": root + path, "SCRIPT_NAME": path, "REQUEST_URI": uri, "DOCUMENT_URI": path,
                  "DOCUMENT_ROOT": root, "SERVER_PROTOCOL": "HTTP/1.1", "REQUEST_SCHEME": "https", "HTTPS": "on",
                  "REMOTE_ADDR": src, "REMOTE_PORT": str(s.getsockname()[1]), "SERVER_ADDR": "127.0.0.1",
                  "SERVER_PORT": "443", "SERVER_NAME": host, "REDIRECT_STATUS": "200", "HTTP_HOST": host}
        if cookie:
            params["HTTP_COOKIE"] = cookie
        if user:
            params["REMOTE_USER"] = user
        for k, v in (headers or {}).items():
            params["HTTP_" + k.upper().replace("-", "_")] = v
        p = b"".join(_nv(k, v) for k, v in params.items())
        msg = _rec(1, struct.pack("!HB5x", 1, 0)) + _rec(4, p) + _rec(4, b"")
        if body:
            msg += _rec(5, body)
        s.sendall(msg + _rec(5, b""))
        buf, out, err, ended = b"", [], [], False
        while not ended:
            d = s.recv(65536)
            if not d:
                break
            buf += d
            while len(buf) >= 8:
                _, t, _, cl, pl, _ = struct.unpack("!BBHHBB", buf[:8])
                if len(buf) < 8 + cl + pl:
                    break
                c, buf = buf[8:8 + cl], buf[8 + cl + pl:]
                if t == 6:
                    out.append(c)
                elif t == 7:
                    err.append(c)
                elif t == 3:
                    ended = True
    finally:
        s.close()
    if not ended:
        raise FcgiError("connection closed without FCGI_END_REQUEST")
    head, _, content = b"".join(out).partition(b"\r\n\r\n")
    hdrs, status = [], 200
    for line in head.decode("latin-1").split("\r\n"):
        k, _, v = line.partition(":")
        hdrs.append((k.strip().lower(), v.strip()))
        if k.lower() == "status":
            status = int(v.split()[0])
    return status, hdrs, content, b"".join(err)


# --- the PHP application ---

SHOP_CONFIG = """<?php
// Example Shop: settings of this release (written by the deploy)
const SHOP_VERSION = '@VERSION@';
const INVENTORY_URL = 'http://127.0.0.1:@BACKEND@';
const DATA_DIR = '@DATA@';
const CRON_TOKEN = '@CRON@';
"""

SHOP_BOOTSTRAP = """<?php
declare(strict_types=1);

require __DIR__ . '/../config.php';
require __DIR__ . '/catalog.php';

function page_header(string $title): void
{
    echo "<!doctype html>\\n<html lang=\\"en\\"><head><meta charset=\\"utf-8\\"><title>",
        htmlspecialchars($title), " - Example Shop</title><link rel=\\"stylesheet\\" href=\\"/css/shop.css\\"></head><body>\\n";
    echo "<header><a href=\\"/\\">Example Shop</a> <form action=\\"/search.php\\"><input name=\\"q\\"></form></header>\\n";
}

function page_footer(): void
{
    echo "<footer>&copy; 2026 Example Shop &middot; release ", SHOP_VERSION, "</footer></body></html>\\n";
}

function track_view(int $id, string $ref): void
{
    // counted by the analytics pipeline from the access log; nothing to do here any more
}
"""

SHOP_CATALOG = """<?php
function catalog(): array
{
    static $items = null;
    if ($items !== null) {
        return $items;
    }
    $adj = ['Classic', 'Compact', 'Deluxe', 'Eco', 'Pro', 'Ultra', 'Vintage', 'Smart', 'Rugged', 'Travel'];
    $noun = ['Kettle', 'Backpack', 'Lamp', 'Headphones', 'Teapot', 'Blender', 'Jacket', 'Umbrella', 'Notebook',
        'Speaker', 'Mug', 'Chair', 'Tent', 'Drill', 'Watch', 'Scarf', 'Toaster', 'Bottle', 'Pillow', 'Camera'];
    $items = [];
    mt_srand(42);
    for ($i = 1; $i <= @N@; $i++) {
        $items[$i] = [
            'id' => $i,
            'sku' => sprintf('SKU-%05d', 10000 + $i),
            'name' => $adj[mt_rand(0, 9)] . ' ' . $noun[mt_rand(0, 19)] . ' ' . chr(65 + $i % 26) . mt_rand(100, 999),
            'price' => mt_rand(499, 29999) / 100,
        ];
    }
    mt_srand();
    return $items;
}

function product(int $id): ?array
{
    return catalog()[$id] ?? null;
}
""".replace("@N@", str(NPRODUCTS))

CART_V1 = """<?php
function cart_start(): void
{
    if (session_status() !== PHP_SESSION_ACTIVE) {
        session_start();
    }
    $_SESSION['cart'] ??= [];
}

function cart_add(int $id, int $qty = 1): void
{
    $_SESSION['cart'][$id] = ($_SESSION['cart'][$id] ?? 0) + $qty;
}
@REST@"""

CART_REST = """
function cart_count(): int
{
    return (int) array_sum($_SESSION['cart'] ?? []);
}

function cart_items(): array
{
    $out = [];
    foreach ($_SESSION['cart'] ?? [] as $id => $qty) {
        $p = product((int) $id);
        if ($p !== null) {
            $out[] = $p + ['qty' => $qty];
        }
    }
    return $out;
}

function cart_total(): float
{
    $t = 0.0;
    foreach (cart_items() as $i) {
        $t += $i['price'] * $i['qty'];
    }
    return round($t, 2);
}

function cart_clear(): void
{
    $_SESSION['cart'] = [];
}
"""

CART_V2 = CART_V1.replace("""    $_SESSION['cart'][$id] = ($_SESSION['cart'][$id] ?? 0) + $qty;
""", """    $qty = max(1, min($qty, 10));
    $_SESSION['cart'][$id] = min(20, ($_SESSION['cart'][$id] ?? 0) + $qty);
""")

# release 2026.12.3: the merge of feature/cart-stock-check was committed with its conflict markers
CART_V3 = CART_V1.replace("""    $_SESSION['cart'][$id] = ($_SESSION['cart'][$id] ?? 0) + $qty;
""", """<<<<<<< HEAD
    $qty = max(1, min($qty, 10));
    $_SESSION['cart'][$id] = min(20, ($_SESSION['cart'][$id] ?? 0) + $qty);
=======
    $qty = max(1, $qty);
    $have = $_SESSION['stock'][$id] ?? 20;
    $_SESSION['cart'][$id] = min($have, ($_SESSION['cart'][$id] ?? 0) + $qty);
>>>>>>> feature/cart-stock-check
""")

SHOP_INVENTORY = """<?php
// the inventory service (stock reservations at checkout)
function inventory_reserve(int $order, array $items): ?array
{
    $ctx = stream_context_create(['http' => [
        'method' => 'POST',
        'timeout' => 4,
        'header' => "Content-Type: application/json\\r\\n",
        'content' => json_encode(['order' => $order, 'items' => array_map(
            fn($i) => ['sku' => $i['sku'], 'qty' => $i['qty']], $items)]),
    ]]);
    $body = file_get_contents(INVENTORY_URL . '/reserve', false, $ctx);
    if ($body === false) {
        return null;
    }
    return json_decode($body, true);
}
"""

SHOP_SEARCH_LIB = """<?php
// full-text search over the product index
function fulltext_query(string $q): array
{
    $words = preg_split('/\\s+/', strtolower($q), -1, PREG_SPLIT_NO_EMPTY);
    $hits = [];
    foreach (catalog() as $p) {
        $name = strtolower($p['name']);
        $score = 0;
        foreach ($words as $w) {
            if (str_contains($name, $w)) {
                $score += 10;
            }
        }
        if ($score > 0) {
            $hits[] = [$score, $p];
        }
    }
    usleep(mt_rand(150000, 450000)); // the MATCH ... AGAINST query on the replica
    usort($hits, fn($a, $b) => $b[0] <=> $a[0]);
    return array_column($hits, 1);
}
"""

SHOP_REPORTS_LIB = """<?php
// sales reports from the nightly export of the orders table
function sales_by_day(string $file, string $since, ?string $channel): array
{
    $agg = [];
    $f = fopen($file, 'r');
    while (($r = fgetcsv($f)) !== false) {
        if ($r[2] < $since) {
            continue;
        }
        if ($channel !== null && $r[6] !== $channel) {
            continue;
        }
        $d = new DateTimeImmutable($r[2]);
        $k = $d->format('Y-m-d');
        $agg[$k]['revenue'] = ($agg[$k]['revenue'] ?? 0) + (float) $r[3] * (int) $r[4];
        $agg[$k]['orders'] = ($agg[$k]['orders'] ?? 0) + 1;
        $agg[$k]['week'] = $d->format('W');
    }
    fclose($f);
    ksort($agg);
    return $agg;
}
"""

INDEX_PHP = """<?php
require __DIR__ . '/../lib/bootstrap.php';
require __DIR__ . '/../lib/cart.php';

cart_start();
page_header('Home');
echo "<p class=\\"cart\\"><a href=\\"/cart.php\\">Cart (", cart_count(), ")</a></p>\\n<ul class=\\"featured\\">\\n";
$c = catalog();
mt_srand((int) date('YmdH'));
foreach (array_rand($c, 12) as $id) {
    $p = $c[$id];
    printf("<li><a href=\\"/product.php?id=%d&amp;ref=home\\">%s</a> %.2f EUR</li>\\n", $p['id'],
        htmlspecialchars($p['name']), $p['price']);
}
mt_srand();
echo "</ul>\\n";
page_footer();
"""

PRODUCT_PHP = """<?php
require __DIR__ . '/../lib/bootstrap.php';
require __DIR__ . '/../lib/cart.php';

cart_start();
$p = product((int) ($_GET['id'] ?? 0));
if ($p === null) {
    http_response_code(404);
    page_header('Not found');
    echo "<p>This product is no longer available.</p>\\n";
    page_footer();
    return;
}
$ref = $_GET['ref'];
track_view($p['id'], $ref ?? 'direct');
page_header($p['name']);
printf("<h1>%s</h1>\\n<p class=\\"price\\">%.2f EUR</p>\\n<p class=\\"sku\\">%s</p>\\n", htmlspecialchars($p['name']),
    $p['price'], $p['sku']);
printf("<form method=\\"post\\" action=\\"/cart.php\\"><input type=\\"hidden\\" name=\\"id\\" value=\\"%d\\">" .
    "<input name=\\"qty\\" value=\\"1\\"><button>Add to cart</button></form>\\n", $p['id']);
page_footer();
"""

SEARCH_PHP = """<?php
require __DIR__ . '/../lib/bootstrap.php';
require __DIR__ . '/../lib/search.php';

$q = trim((string) ($_GET['q'] ?? ''));
$page = max(1, (int) ($_GET['page'] ?? 1));
$per = @PER@;
$hits = $q === '' ? [] : fulltext_query($q);
page_header('Search: ' . $q);
printf("<p>%d results for <b>%s</b></p>\\n<ul>\\n", count($hits), htmlspecialchars($q));
foreach (array_slice($hits, ($page - 1) * $per, $per) as $p) {
    printf("<li><a href=\\"/product.php?id=%d&amp;ref=search\\">%s</a> %.2f EUR</li>\\n", $p['id'],
        htmlspecialchars($p['name']), $p['price']);
}
echo "</ul>\\n";
if (count($hits) > $page * $per) {
    printf("<a href=\\"/search.php?q=%s&amp;page=%d\\">next</a>\\n", urlencode($q), $page + 1);
}
page_footer();
"""

CART_PHP = """<?php
require __DIR__ . '/../lib/bootstrap.php';
require __DIR__ . '/../lib/cart.php';

cart_start();
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $id = (int) ($_POST['id'] ?? 0);
    if (product($id) === null) {
        http_response_code(400);
        echo "unknown product\\n";
        return;
    }
    cart_add($id, (int) ($_POST['qty'] ?? 1));
    header('Location: /cart.php', true, 303);
    return;
}
page_header('Cart');
echo "<table>\\n";
foreach (cart_items() as $i) {
    printf("<tr><td>%s</td><td>%d</td><td>%.2f EUR</td></tr>\\n", htmlspecialchars($i['name']), $i['qty'],
        $i['price'] * $i['qty']);
}
printf("</table>\\n<p>Total: %.2f EUR</p>\\n<form method=\\"post\\" action=\\"/checkout.php\\"><button>Checkout</button></form>\\n",
    cart_total());
page_footer();
"""

CHECKOUT_PHP = """<?php
require __DIR__ . '/../lib/bootstrap.php';
require __DIR__ . '/../lib/cart.php';
require __DIR__ . '/../lib/inventory.php';

cart_start();
$items = cart_items();
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || !$items) {
    header('Location: /cart.php', true, 303);
    return;
}
$seq = fopen(DATA_DIR . '/order.seq', 'c+');
flock($seq, LOCK_EX);
$order = (int) stream_get_contents($seq) + 1;
ftruncate($seq, 0);
rewind($seq);
fwrite($seq, (string) $order);
fclose($seq);

$reservation = inventory_reserve($order, $items);
if ($reservation === null) {
    error_log(sprintf('checkout: stock reservation failed for order %d (%d items, %.2f EUR), order kept as pending',
        $order, count($items), cart_total()));
    http_response_code(503);
    page_header('Checkout');
    echo "<p>We could not confirm your order right now. Please try again in a few minutes.</p>\\n";
    page_footer();
    return;
}
page_header('Checkout');
if (mt_rand(1, 100) <= 5) {
    error_log(sprintf('checkout: payment declined for order %d (card ending %04d, code 05 Do not honor)', $order,
        mt_rand(0, 9999)));
    echo "<p>Your payment was declined by your bank.</p>\\n";
} else {
    file_put_contents(DATA_DIR . '/orders.csv', sprintf("%d,%s,%.2f,%s\\n", $order, date('c'), cart_total(),
        $reservation['reservation'] ?? ''), FILE_APPEND | LOCK_EX);
    cart_clear();
    printf("<p>Thank you! Your order number is %d.</p>\\n", $order);
}
page_footer();
"""

REPORT_PHP = """<?php
require __DIR__ . '/../../lib/bootstrap.php';
require __DIR__ . '/../../lib/reports.php';

$period = $_GET['period'] ?? 'month';
$channel = $_GET['channel'] ?? null;
$since = $period === 'year' ? date('Y-01-01') : date('Y-m-d', strtotime('-30 days'));
$title = 'Sales ' . strftime($period === 'year' ? '%Y' : '%B %Y');
$rows = sales_by_day(DATA_DIR . '/sales.csv', $since, $channel);
page_header($title);
echo "<table>\\n<tr><th>day</th><th>week</th><th>orders</th><th>revenue</th></tr>\\n";
foreach ($rows as $day => $r) {
    printf("<tr><td>%s</td><td>%s</td><td>%d</td><td>%.2f</td></tr>\\n", $day, $r['week'], $r['orders'], $r['revenue']);
}
echo "</table>\\n";
page_footer();
"""

CLEANUP_PHP = """<?php
require __DIR__ . '/../../lib/bootstrap.php';

if (($_GET['token'] ?? '') !== CRON_TOKEN) {
    http_response_code(403);
    return;
}
$removed = $kept = 0;
foreach (glob(session_save_path() . '/sess_*') as $f) {
    if (filemtime($f) < time() - 300) {
        unlink($f);
        $removed++;
    } else {
        $kept++;
    }
}
error_log(sprintf('cron: session cleanup removed %d expired sessions, %d active', $removed, $kept));
echo "ok\\n";
"""

API_CONFIG = """<?php
const INVENTORY_URL = 'http://127.0.0.1:@BACKEND@';
const API_KEYS = [
    '@APPKEY@' => 'mobile-app',
    '@PARTNERKEY@' => 'partner-acme',
];
const EXPIRED_KEYS = [
    '@EXPIREDKEY@' => ['partner-globex', '2026-11-30'],
];
"""

API_COMMON = """<?php
require __DIR__ . '/../config.php';

function json_out(int $status, array $data): never
{
    http_response_code($status);
    header('Content-Type: application/json');
    echo json_encode($data), "\\n";
    exit;
}

function require_api_key(): string
{
    $key = $_SERVER['HTTP_X_API_KEY'] ?? '';
    if (isset(API_KEYS[$key])) {
        return API_KEYS[$key];
    }
    if (isset(EXPIRED_KEYS[$key])) {
        [$client, $expired] = EXPIRED_KEYS[$key];
        error_log(sprintf('api: rejected expired API key of %s (expired %s) from %s', $client, $expired,
            $_SERVER['REMOTE_ADDR']));
    } else {
        error_log(sprintf('api: rejected unknown API key from %s', $_SERVER['REMOTE_ADDR']));
    }
    json_out(401, ['error' => 'invalid api key']);
}

function valid_sku(): string
{
    $sku = (string) ($_GET['sku'] ?? '');
    if (!preg_match('/^SKU-\\d{5}$/', $sku)) {
        json_out(400, ['error' => 'bad sku']);
    }
    return $sku;
}
"""

API_INVENTORY = """<?php
// the inventory service
function inventory_get(string $path): ?array
{
    $body = file_get_contents(INVENTORY_URL . $path);
    if ($body === false) {
        return null;
    }
    return json_decode($body, true);
}
"""

API_ENDPOINT = """<?php
require __DIR__ . '/../../lib/common.php';
require __DIR__ . '/../../lib/inventory.php';

$client = require_api_key();
$sku = valid_sku();
$data = inventory_get('/@WHAT@/' . rawurlencode($sku));
if ($data === null) {
    error_log(sprintf('api: inventory lookup /@WHAT@/%s failed (client %s), answering 502', $sku, $client));
    json_out(502, ['error' => 'inventory service unavailable']);
}
json_out(200, $data);
"""

API_HEALTH = """<?php
require __DIR__ . '/../../lib/common.php';
json_out(200, ['status' => 'ok', 'time' => date('c')]);
"""


def shop_release(version, cart, data):
    """The shop's files of a release, relative to WORK/www/shop."""
    return {
        "config.php": SHOP_CONFIG.replace("@VERSION@", version).replace("@BACKEND@", str(BACKEND_PORT))
        .replace("@DATA@", data).replace("@CRON@", CRON_TOKEN),
        "lib/bootstrap.php": SHOP_BOOTSTRAP, "lib/catalog.php": SHOP_CATALOG,
        "lib/cart.php": cart.replace("@REST@", CART_REST), "lib/inventory.php": SHOP_INVENTORY,
        "lib/search.php": SHOP_SEARCH_LIB, "lib/reports.php": SHOP_REPORTS_LIB,
        "public/index.php": INDEX_PHP, "public/product.php": PRODUCT_PHP,
        "public/search.php": SEARCH_PHP.replace("@PER@", "20" if version == "2026.12.1" else "24"),
        "public/cart.php": CART_PHP, "public/checkout.php": CHECKOUT_PHP,
        "public/admin/report.php": REPORT_PHP, "public/cron/cleanup.php": CLEANUP_PHP,
    }


RELEASES = {"2026.12.1": CART_V1, "2026.12.2": CART_V2, "2026.12.3": CART_V3}


# --- the inventory service ---

class Backend:
    """The inventory service on 127.0.0.1:BACKEND_PORT: stock, prices, reservations; hang() makes it accept and not
    answer (as when its database is locked) until release()."""

    def __init__(self, seed):
        self.hung = threading.Event()
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.counts = {}
        rng = random.Random(seed)
        backend = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"
            server_version = "inventory/2.3"

            def log_message(self, *args):
                pass

            def answer(self, code, data):
                body = json.dumps(data).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def serve(self, kind):
                hung = backend.hung.is_set()
                while backend.hung.is_set() and not backend.stopping.is_set():
                    time.sleep(0.2)
                if hung:
                    backend.count("answered late")
                with backend.lock:
                    delay, fail, n = rng.uniform(0.02, 0.12), rng.random() < 0.01, rng.randint(0, 140)
                time.sleep(delay)
                if fail:
                    backend.count("503")
                    self.answer(503, {"error": "database busy"})
                    return
                backend.count(kind)
                sku = self.path.rsplit("/", 1)[-1]
                if kind == "stock":
                    self.answer(200, {"sku": sku, "available": n, "warehouse": "DUS-1" if n % 3 else "HAM-2"})
                elif kind == "price":
                    self.answer(200, {"sku": sku, "price": round(4.99 + n * 1.37, 2), "currency": "EUR"})
                else:
                    self.answer(200, {"reservation": "R%08d" % (n * 7919 % 10 ** 8), "expires_in": 900})

            def do_GET(self):
                if self.path.startswith("/stock/"):
                    self.serve("stock")
                elif self.path.startswith("/price/"):
                    self.serve("price")
                else:
                    self.answer(404, {"error": "not found"})

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.serve("reserve")

            def handle(self):
                try:
                    super().handle()
                except OSError:
                    backend.count("client gone")

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 256

        self.httpd = Server(("127.0.0.1", BACKEND_PORT), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def count(self, k):
        with self.lock:
            self.counts[k] = self.counts.get(k, 0) + 1

    def start(self):
        self.thread.start()

    def stop(self):
        self.stopping.set()
        if self.thread.is_alive():
            self.httpd.shutdown()
        self.httpd.server_close()


# --- PHP-FPM ---

FPM_CONF = """;;;;;;;;;;;;;;;;;;;;;
; FPM Configuration ;
;;;;;;;;;;;;;;;;;;;;;
[global]
pid = {work}/run/php8.2-fpm.pid
error_log = {work}/log/php8.2-fpm.log
log_level = notice
emergency_restart_threshold = 10
emergency_restart_interval = 1m
process_control_timeout = 10s
daemonize = no

include = {work}/etc/pool.d/*.conf
"""

POOL_CONF = """[{pool}]
user = www-data
group = www-data
listen = 127.0.0.1:{port}
pm = dynamic
pm.max_children = {max_children}
pm.start_servers = {start}
pm.min_spare_servers = {min_spare}
pm.max_spare_servers = {max_spare}
pm.max_requests = {max_requests}
pm.status_path = /status
ping.path = /ping
access.log = {work}/log/php8.2-fpm.access.log
access.format = "%R - %u %t \\"%m %r%Q%q\\" %s %{{mili}}d %{{kilo}}M %C%% %n"
slowlog = {work}/log/php8.2-fpm.slow.log
request_slowlog_timeout = {slow}s
request_terminate_timeout = {terminate}s
catch_workers_output = yes
chdir = {root}
php_admin_flag[log_errors] = on
php_admin_value[memory_limit] = 128M
"""

PHP_INI = """[PHP]
engine = On
short_open_tag = Off
expose_php = Off
max_execution_time = 30
memory_limit = 128M
error_reporting = E_ALL
display_errors = Off
display_startup_errors = Off
log_errors = On
post_max_size = 8M
default_charset = "UTF-8"
allow_url_fopen = On
default_socket_timeout = 60
zend_extension = opcache.so

[Date]
date.timezone = UTC

[Session]
session.save_handler = files
session.save_path = "{work}/data/sessions"
session.use_strict_mode = 1
session.cookie_httponly = 1
session.gc_probability = 0

[opcache]
opcache.enable = 1
opcache.memory_consumption = 64
opcache.validate_timestamps = 0
"""


class Fpm:
    def __init__(self, work):
        self.work = work
        self.conf = os.path.join(work, "etc", "php-fpm.conf")
        self.ini = os.path.join(work, "etc", "php.ini")
        self.log = os.path.join(work, "log", "php8.2-fpm.log")
        self.slow = os.path.join(work, "log", "php8.2-fpm.slow.log")
        self.access = os.path.join(work, "log", "php8.2-fpm.access.log")
        self.shop = os.path.join(work, "www", "shop")
        self.api = os.path.join(work, "www", "api")
        self.data = os.path.join(work, "data")
        self.proc = None
        self.console = None

    @staticmethod
    def version():
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "php8.2-fpm"], capture_output=True, text=True)
        return r.stdout.strip() or "8.2"

    def setup(self, rng):
        os.chmod(self.work, 0o755)
        for d in ("etc/pool.d", "log", "run", "www/shop/public/admin", "www/shop/public/cron", "www/shop/lib",
                  "www/api/public/v1", "www/api/lib", "data/sessions"):
            os.makedirs(os.path.join(self.work, d), exist_ok=True)
        for d in (self.work, os.path.join(self.work, "www"), os.path.join(self.work, "etc")):
            os.chmod(d, 0o755)
        with open(self.conf, "w") as f:
            f.write(FPM_CONF.format(work=self.work))
        with open(os.path.join(self.work, "etc", "pool.d", "www.conf"), "w") as f:
            f.write(POOL_CONF.format(pool="www", port=PORT, max_children=12, start=3, min_spare=2, max_spare=5,
                                     max_requests=300, slow=5, terminate=30, work=self.work,
                                     root=os.path.join(self.shop, "public")))
        with open(os.path.join(self.work, "etc", "pool.d", "api.conf"), "w") as f:
            f.write(POOL_CONF.format(pool="api", port=API_PORT, max_children=8, start=2, min_spare=1, max_spare=4,
                                     max_requests=500, slow=3, terminate=API_TERMINATE, work=self.work,
                                     root=os.path.join(self.api, "public")))
        with open(self.ini, "w") as f:
            f.write(PHP_INI.format(work=self.work))
        # the API (deployed once)
        files = {"config.php": API_CONFIG.replace("@BACKEND@", str(BACKEND_PORT)).replace("@APPKEY@", APP_KEY)
                 .replace("@PARTNERKEY@", PARTNER_KEY).replace("@EXPIREDKEY@", EXPIRED_KEY),
                 "lib/common.php": API_COMMON, "lib/inventory.php": API_INVENTORY,
                 "public/v1/stock.php": API_ENDPOINT.replace("@WHAT@", "stock"),
                 "public/v1/price.php": API_ENDPOINT.replace("@WHAT@", "price"),
                 "public/v1/health.php": API_HEALTH}
        for rel, text in files.items():
            self.write(os.path.join(self.api, rel), text)
        # the shop's data: the nightly sales export the reports read, the order sequence
        with open(os.path.join(self.data, "sales.csv"), "w") as f:
            day0 = calendar.timegm((2026, 1, 1, 0, 0, 0))
            span = int(now()) - 86400 - day0
            for i in range(720000):
                t = time.gmtime(day0 + rng.randrange(span))
                f.write('%d,SKU-%05d,%04d-%02d-%02d,%.2f,%d,%s,%s\n' % (
                    2000000 + i, 10001 + rng.randrange(NPRODUCTS), t.tm_year, t.tm_mon, t.tm_mday,
                    rng.uniform(4.99, 299.99), rng.choice((1, 1, 1, 2, 2, 3, 5)), rng.choice(("EUR", "EUR", "CHF")),
                    rng.choice(("web", "web", "web", "app", "app", "partner"))))
        with open(os.path.join(self.data, "order.seq"), "w") as f:
            f.write("104711")
        subprocess.run(["chown", "-R", "www-data:www-data", self.data], check=True)
        self.deploy("2026.12.1", reload=False)

    @staticmethod
    def write(path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + ".deploy"
        with open(tmp, "w") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)

    def deploy(self, version, reload=True):
        """The deploy script: copies the release's files over the shop, then reloads FPM gracefully (OPcache does not
        look at the files' times)."""
        for rel, text in shop_release(version, RELEASES[version], self.data).items():
            self.write(os.path.join(self.shop, rel), text)
        return self.reload() if reload else None

    def start(self):
        self.console = open(os.path.join(self.work, "log", "console.out"), "wb")
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "TZ": "UTC", "PHP_INI_SCAN_DIR": "", "LANG": "C"}
        self.proc = subprocess.Popen([FPM, "-F", "-y", self.conf, "-c", self.ini], env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.console, stderr=subprocess.STDOUT)
        wait_listening(self.proc, "php-fpm", (PORT, API_PORT))

    def reload(self):
        """What `systemctl reload php8.2-fpm` does (Debian's unit: kill -USR2 $MAINPID)."""
        t = now()
        self.proc.send_signal(signal.SIGUSR2)
        time.sleep(1)
        if self.proc.poll() is not None:
            raise SystemExit("php-fpm exited on reload")
        return t

    def stop(self):
        kids = descendants(self.proc.pid) if self.proc else []
        stop_process(self.proc, (signal.SIGQUIT, signal.SIGTERM), 15)
        kill_leftovers(kids, b"php-fpm")
        if self.console:
            self.console.close()


# --- normal traffic ---

ERRORS = (OSError, FcgiError)


class Client:
    """One browser (or app) behind nginx: its address, cookies."""

    def __init__(self, src, port=PORT, root=None, host="shop.example", user=None, headers=None, timeout=60):
        self.src, self.port, self.root, self.host = src, port, root, host
        self.user, self.headers, self.timeout = user, headers, timeout
        self.cookie = None

    def get(self, uri, **kw):
        return self.request("GET", uri, **kw)

    def post(self, uri, form):
        return self.request("POST", uri, body=urllib.parse.urlencode(form).encode(),
                            ctype="application/x-www-form-urlencoded")

    def request(self, method, uri, body=b"", ctype=""):
        st, hdrs, content, err = fcgi(self.port, self.src, self.root, uri, method, body, ctype, self.cookie,
                                      self.user, self.host, self.headers, self.timeout)
        for k, v in hdrs:
            if k == "set-cookie" and v.startswith("PHPSESSID="):
                self.cookie = v.split(";")[0]
        return st, content


class Traffic(SessionPool):
    def __init__(self, fpm, seed):
        super().__init__(seed, 220, ERRORS)
        self.fpm = fpm
        self.shop_root = os.path.join(fpm.shop, "public")
        self.api_root = os.path.join(fpm.api, "public")

    def shop(self, src, **kw):
        return Client(src, PORT, self.shop_root, **kw)

    def api(self, src, key):
        return Client(src, API_PORT, self.api_root, host="api.shop.example", headers={"X-Api-Key": key})

    def visit(self, rng):
        """A shopper: home page, a search or two, product pages, maybe the cart and a checkout."""
        c = self.shop(rng.choice(SHOPPERS))
        think = lambda: time.sleep(rng.uniform(0.5, 4.0))  # noqa: E731
        if rng.random() < 0.85:
            c.get("/")
            think()
        seen = []
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            q = rng.choice(WORDS)
            c.get("/search.php?q=%s" % urllib.parse.quote_plus(q))
            if rng.random() < 0.15:
                think()
                c.get("/search.php?q=%s&page=2" % urllib.parse.quote_plus(q))
            think()
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            pid = rng.randint(1, NPRODUCTS) if rng.random() > 0.02 else rng.randint(NPRODUCTS + 1, 900)
            ref = rng.choice(("search", "search", "home")) if rng.random() > 0.08 else None
            c.get("/product.php?id=%d" % pid + ("&ref=%s" % ref if ref else ""))
            seen.append(pid)
            think()
        self.count("visit")
        if rng.random() < 0.3:
            c.post("/cart.php", {"id": str(min(seen[-1], NPRODUCTS)), "qty": str(rng.choice((1, 1, 1, 2)))})
            c.get("/cart.php")
            think()
            if rng.random() < 0.5:
                st, _ = c.post("/checkout.php", {})
                self.count("checkout %d" % st)

    def crawler(self):
        rng = random.Random(self.rng.random())
        while not self.stop.is_set():
            self.spawn(self.crawl, "/product.php?id=%d" % rng.randint(1, NPRODUCTS + 40))
            time.sleep(rng.uniform(2, 4))

    def crawl(self, uri):
        self.shop(CRAWLER).get(uri)  # no cookies kept

    def mobile(self, rng):
        c = self.api(rng.choice(MOBILE), APP_KEY)
        sku = "SKU-%05d" % (10001 + rng.randrange(NPRODUCTS))
        st, _ = c.get("/v1/%s.php?sku=%s" % ("stock" if rng.random() < 0.7 else "price", sku))
        self.count("api %d" % st)

    def partner_batch(self, rng):
        c = self.api(PARTNER, PARTNER_KEY)
        for _ in range(rng.randint(6, 14)):
            c.get("/v1/price.php?sku=SKU-%05d" % (10001 + rng.randrange(NPRODUCTS)))
            time.sleep(rng.uniform(0.05, 0.3))

    def every(self, seconds, fn, jitter=0.1, first=None):
        rng = random.Random(self.rng.random())
        nxt = now() + (first if first is not None else rng.uniform(0, seconds))
        while not self.stop.is_set():
            if now() >= nxt:
                nxt += seconds * rng.uniform(1 - jitter, 1 + jitter)
                self.spawn(fn, random.Random(rng.random()))
            time.sleep(0.2)

    def monitor_ping(self, rng):
        self.shop(MONITOR_LB).get("/ping")
        Client(MONITOR_LB, API_PORT, self.api_root, host="api.shop.example").get("/ping")

    def monitor_status(self, rng):
        self.shop(MONITOR).get("/status?json")
        Client(MONITOR, API_PORT, self.api_root, host="api.shop.example").get("/status?json")

    def report(self, who, rng):
        src, user = who
        if user == "ops":
            q = "period=year" if rng.random() < 0.5 else "period=month"
        else:
            q = "period=month&channel=%s" % rng.choice(("web", "app", "partner"))
        auth = "Basic " + base64.b64encode(("%s:%s" % (user, ADMIN_PASSWORDS[user])).encode()).decode()
        st, _ = self.shop(src, user=user, headers={"Authorization": auth}, timeout=120).get("/admin/report.php?" + q)
        self.count("report %d" % st)

    def cron(self, rng):
        self.shop(CRON).get("/cron/cleanup.php?token=" + CRON_TOKEN)

    def old_partner(self, rng):
        self.api(OLD_PARTNER, EXPIRED_KEY).get("/v1/stock.php?sku=SKU-%05d" % (10001 + rng.randrange(NPRODUCTS)))

    def arrivals(self, rate, fn):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            self.spawn(fn, random.Random(rng.random()))

    def run(self):
        T = threading.Thread
        self.start([T(target=self.arrivals, args=(0.45, self.visit)), T(target=self.crawler),
                    T(target=self.arrivals, args=(1.6, self.mobile)),
                    T(target=self.every, args=(20, self.partner_batch, 0.25)),
                    T(target=self.every, args=(90, self.old_partner, 0.3)),
                    T(target=self.every, args=(10, self.monitor_ping, 0.02)),
                    T(target=self.every, args=(15, self.monitor_status, 0.02)),
                    T(target=self.every, args=(60, lambda r: self.report(OPS, r), 0.3, 20)),
                    T(target=self.every, args=(150, lambda r: self.report(MARKETING, r), 0.3)),
                    T(target=self.every, args=(120, self.cron, 0.01))])


# --- incidents ---

def scraper_flood(traffic, seconds, parallel=20):
    """A price scraper: 20 connections walking the search result pages and the products they list."""
    lock = threading.Lock()
    state = {"requests": 0, "errors": 0, "first": None, "last": None}
    stop_at = now() + seconds

    def worker(k):
        rng = random.Random(k)
        c = traffic.shop(SCRAPER, timeout=30)
        time.sleep(k * 0.1)
        while now() < stop_at:
            if rng.random() < 0.6:
                uri = "/search.php?q=%s&page=%d" % (urllib.parse.quote_plus(rng.choice(WORDS)), rng.randint(1, 12))
            else:
                uri = "/product.php?id=%d" % rng.randint(1, NPRODUCTS)
            t = now()
            try:
                c.get(uri)
            except ERRORS:
                with lock:
                    state["errors"] += 1
            with lock:
                state["requests"] += 1
                state["first"] = t if state["first"] is None else min(state["first"], t)
                state["last"] = now()

    start = now()
    run_workers(worker, [(k,) for k in range(parallel)], seconds + 40)
    return start, now(), state


def backend_hang(backend, seconds):
    start = now()
    backend.hung.set()
    time.sleep(seconds)
    backend.hung.clear()
    return start, now()


# --- reading the logs back (for the labels) ---

ERR_LINE = re.compile(r"^\[(\d\d-\w{3}-\d{4} \d\d:\d\d:\d\d)\] (\w+): (.*)$")
ACCESS_LINE = re.compile(r'^(\S+) - (\S*) (\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d) \+0000 "(\S+) (\S+)" (\d+) ([\d.]+) '
                         r'(\d+) ([\d.]+)% (\S+)$')
SLOW_HEAD = re.compile(r"^\[(\d\d-\w{3}-\d{4} \d\d:\d\d:\d\d)\]  \[pool (\S+)\] pid (\d+)$")


def read_errors(path):
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = ERR_LINE.match(line.rstrip("\n"))
            if m:
                out.append((calendar.timegm(time.strptime(m.group(1), "%d-%b-%Y %H:%M:%S")), m.group(2),
                            m.group(3)))
    return out


def read_access(path):
    """(start, end, address, user, method, uri, status, pool)"""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = ACCESS_LINE.match(line.rstrip("\n"))
            if m:
                t = calendar.timegm(time.strptime(m.group(3), "%d/%b/%Y:%H:%M:%S"))
                out.append((t, t + float(m.group(7)) / 1000, m.group(1), m.group(2), m.group(4), m.group(5),
                            int(m.group(6)), m.group(10)))
    return out


def read_slow(path):
    """(time, pool, script, trace lines)"""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = SLOW_HEAD.match(line)
            if m:
                out.append([calendar.timegm(time.strptime(m.group(1), "%d-%b-%Y %H:%M:%S")), m.group(2), "", []])
            elif out and line.startswith("script_filename = "):
                out[-1][2] = line[len("script_filename = "):]
            elif out and line.startswith("[0x"):
                out[-1][3].append(line)
    return out


def within(t, a, b):
    return a <= t <= b


def make_labels(errs, acc, slow, t, sst, cart_php, labels, slabels, alabels):
    """The incidents' labels, measured from the logs read back and the times t the script took (s_start, s_end:
    the scraper; h_start, h_end: the hang; b_start, b_fix, b_end: the bad deploy, its rollback)."""
    s_start, s_end, h_start, h_end = t["s_start"], t["s_end"], t["h_start"], t["h_end"]
    b_start, b_fix, b_end = t["b_start"], t["b_fix"], t["b_end"]

    # 1.
    mine = [a for a in acc if a[2] == SCRAPER]
    sat = [e for e in errs if "[pool www]" in e[2] and ("pm.max_children" in e[2] or "seems busy" in e[2])
           and within(e[0], s_start - 1, s_end + 3)]
    sat_other = [e for e in errs if "[pool www]" in e[2] and "pm.max_children" in e[2]
                 and not within(e[0], s_start - 1, s_end + 3)]
    ref_warn = [e for e in errs if 'Undefined array key "ref"' in e[2] and within(e[0], s_start, s_end + 1)]
    if mine:
        a, b = min(a[0] for a in mine), max(a[1] for a in mine)
        desc = ("a price scraper on 127.0.0.66 walks the shop's search result pages (/search.php?q=...&page=N, "
                "150-450 ms each) and product pages with 20 parallel FastCGI connections for %d s (%d requests): "
                "the www pool (pm.max_children 12) runs out of children" % (round(s_end - s_start),
                                                                           sst["requests"]))
        labels.add("scraper-flood", a, max([b] + [e[0] for e in sat]), "pool-exhausted", "www|127.0.0.66",
                   desc + ": %d lines 'WARNING: [pool www] server reached pm.max_children setting (12), consider "
                   "raising it' / '[pool www] seems busy (you may need to increase pm.start_servers, or "
                   "pm.min/max_spare_servers), spawning ...', and %d 'PHP Warning:  Undefined array key \"ref\"' "
                   "lines (its product hits carry no ref=, as the crawler's do at one every 2-4 s)"
                   % (len(sat), len(ref_warn)))
        alabels.add("scraper-flood", a, b, "request-flood", "127.0.0.66|/search.php",
                    desc + ": %d access lines from 127.0.0.66 (%d of /search.php, %d of /product.php without "
                    "ref=), %.0f a second, where the whole shop otherwise has about 3 requests/s (FPM's durations "
                    "do not show the time the others' requests wait in the listen queue)"
                    % (len(mine), sum(1 for x in mine if x[5].startswith("/search.php")),
                       sum(1 for x in mine if x[5].startswith("/product.php")), len(mine) / max(1, b - a)))
        sslow = [s for s in slow if s[1] == "www" and within(s[0], a, b + 1)]
        if sslow:
            print("note: %d www slowlog entries during the scraper" % len(sslow), file=sys.stderr)
    if sat_other:
        print("note: %d www pm.max_children lines outside the scraper" % len(sat_other), file=sys.stderr)

    # 2. (the hung requests end by h_end: killed, or answered when the service comes back; checkouts time out 4 s
    # after they started; the 503s the service answers now and then, and the API's 502 for them, are not the hang)
    h_lim = h_end + 5
    hang_err = [e for e in errs if within(e[0], int(h_start), h_lim) and "HTTP/1.0 503" not in e[2] and "answering 502" not in e[2]
                and ("[pool api]" in e[2] and ("executing too slow" in e[2] or "execution timed out" in e[2]
                                              or "exited on signal" in e[2] or "pm.max_children" in e[2]
                                              or "seems busy" in e[2])
                     or "/reserve" in e[2] or "stock reservation failed" in e[2])]

    def n(*words):
        return sum(1 for e in hang_err if all(w in e[2] for w in words))
    if hang_err:
        desc = ("the inventory service on 127.0.0.1:%d hangs for %d s (accepts connections, answers nothing): "
                "the API's file_get_contents() (lib/inventory.php, no timeout of its own, default_socket_timeout "
                "60) hangs until request_terminate_timeout (%d s) kills the api pool's children, the api pool "
                "(pm.max_children 8) fills up and new API requests wait in its listen queue; the shop's checkouts "
                "(4 s timeout) fail" % (BACKEND_PORT, round(h_end - h_start), API_TERMINATE))
        labels.add("backend-hang", h_start, max([h_end] + [e[0] for e in hang_err]), "dependency-hang",
                   "127.0.0.1:%d|api|/v1/stock.php|/v1/price.php" % BACKEND_PORT,
                   desc + ": %d '[pool api] child N, script '.../v1/stock.php' (request: \"GET /v1/stock.php?sku="
                   "...\") executing too slow (3.x sec), logging' lines (with 'child N stopped for tracing', 'about "
                   "to trace', 'finished trace of'), %d '... execution timed out (%d.x sec), terminating', %d "
                   "'[pool api] child N exited on signal 15 (SIGTERM) after ...' (each followed by '[pool api] child "
                   "M started'), %d '[pool api] seems busy ..., spawning ...' and %d '[pool api] server reached "
                   "pm.max_children setting (8), consider raising it', and from the shop %d 'PHP Warning:  "
                   "file_get_contents(http://127.0.0.1:%d/reserve): Failed to open stream: HTTP request failed!' "
                   "with %d 'checkout: stock reservation failed for order ...' lines"
                   % (n("executing too slow"), n("execution timed out"), API_TERMINATE, n("exited on signal"),
                      n("seems busy"), n("pm.max_children"), n("/reserve"), BACKEND_PORT,
                      n("stock reservation failed")))
        hs = [s for s in slow if s[1] == "api" and within(s[0], int(h_start), h_lim)]
        if hs:
            slabels.add("backend-hang", h_start, max(s[0] for s in hs), "dependency-hang",
                        "127.0.0.1:%d|api|/v1/stock.php|/v1/price.php|inventory_get" % BACKEND_PORT,
                        desc + ": %d slowlog entries '[pool api] pid N', script_filename .../v1/stock.php or "
                        "price.php, traces '[0x...] file_get_contents() .../api/lib/inventory.php:N', "
                        "'[0x...] inventory_get() .../v1/stock.php:N'; otherwise the api pool has no slow requests"
                        % len(hs))
        # the access log: the API's lines stop (killed requests leave none), the ones the service answers at last
        # show durations of seconds, then the requests queued in the listen backlog are served all at once
        api = [a for a in acc if a[7] == "api" and a[5].startswith("/v1/")]
        per = {}
        for a in api:
            per[int(a[0])] = per.get(int(a[0]), 0) + 1
        drain = int(h_end)
        while per.get(drain, 0) > 3 or drain <= h_end:
            drain += 1
        late = [a for a in api if within(a[0], h_start - 1, h_end + 1) and a[1] - a[0] > 2.5]
        burst = [a for a in api if within(a[0], h_end - 1, drain)]
        gap = [a for a in api if a[1] - a[0] <= 2.5 and within(a[0], h_start + 1, h_end - 1)]
        co = [a for a in acc if a[5].startswith("/checkout.php") and a[6] == 503 and within(a[0], int(h_start), h_lim)]
        if late or burst:
            alabels.add("backend-hang", h_start, max(a[1] for a in late + burst + co), "dependency-hang",
                        "api|/v1/stock.php|/v1/price.php|/checkout.php",
                        desc + ": the API's access lines stop for %d s (%d lines of the api pool's /v1/ in that "
                        "time, where there are about 2 a second; the requests killed by the timeout leave none), "
                        "%d lines with durations of 2.5-%.0f s for the requests the service answers when it comes "
                        "back, then %d lines in %d s as the requests queued in the listen backlog are served, and "
                        "%d 'POST /checkout.php' answered 503"
                        % (round(h_end - h_start), len(gap), len(late),
                           max([a[1] - a[0] for a in late] + [2.5]), len(burst), drain - int(h_end), len(co)))

    # 3.
    perr = [e for e in errs if "PHP Parse error" in e[2] and within(e[0], b_start - 1, b_end + 3)]
    if perr:
        desc = ("the admin deploys release 2026.12.3, whose lib/cart.php still holds git merge-conflict markers "
                "(<<<<<<< HEAD ... >>>>>>> feature/cart-stock-check), and reloads FPM (SIGUSR2: 'Reloading in "
                "progress ...'); every page that includes it (/, /product.php, /cart.php, /checkout.php) fails "
                "until the rollback to 2026.12.2 and a second reload %d s later" % round(b_fix - b_start))
        labels.add("bad-deploy", b_start, max([b_end] + [e[0] for e in perr]), "parse-error",
                   "%s|lib/cart.php|www" % cart_php,
                   desc + ": %d lines 'WARNING: [pool www] child N said into stderr: \"NOTICE: PHP message: %s\"'"
                   % (len(perr), perr[0][2].split("PHP message: ", 1)[-1].rstrip('"')))
        bad = [a for a in acc if a[7] == "www" and a[6] == 500 and within(a[0], b_start - 1, b_end + 3)]
        if bad:
            alabels.add("bad-deploy", min(a[0] for a in bad), max(a[1] for a in bad), "server-errors",
                        "/product.php|/|/cart.php|/checkout.php|www",
                        desc + ": %d www requests answered 500 (home page, product pages, cart, checkout; "
                        "search and reports still work)" % len(bad))
    other500 = [a for a in acc if a[6] == 500 and not within(a[0], b_start - 1, b_end + 3)]
    if other500:
        print("note: %d status 500 lines outside the bad deploy" % len(other500), file=sys.stderr)


def main():
    work = begin(OUT, "phpfpm", __doc__)
    fpm = Fpm(work)
    backend = Backend(11)
    labels, slabels, alabels = Labels(), Labels(), Labels()
    how = ("real PHP-FPM %s (Debian php8.2-fpm) in the foreground with its own php-fpm.conf and php.ini (no /etc "
           "config), pools www on 127.0.0.1:%d (the shop; pm dynamic max_children 12, slowlog 5 s, terminate 30 s) "
           "and api on 127.0.0.1:%d (JSON API; pm dynamic max_children 8, slowlog 3 s, terminate %d s), "
           "catch_workers_output yes, OPcache validate_timestamps 0; an inventory service on 127.0.0.1:%d served "
           "by the script; FastCGI spoken by the script as nginx would, REMOTE_ADDR = each client's own 127.0.0.X: "
           "shoppers 127.0.0.101-140, crawler .70, mobile app .151-158, partners .80 and .81 (expired key), load "
           "balancer .2, monitoring .3, admins .40 (ops) and .41 (anna), cron .50; about 6 requests/s; deploys "
           "end with a graceful reload (SIGUSR2); TZ=UTC; wall-clock times"
           % (Fpm.version(), PORT, API_PORT, API_TERMINATE, BACKEND_PORT))
    labels.note("made by bench/real-logs/phpfpm.py: PHP-FPM's error_log (the master's log, with the workers' "
                "stderr: PHP errors and the applications' error_log() messages); " + how)
    slabels.note("made by bench/real-logs/phpfpm.py: the pools' slowlog (request_slowlog_timeout 5 s www, 3 s api; "
                 "an entry and a stack trace for each slow request); " + how)
    slabels.note("the bad-deploy incident (parse errors) has no slow requests: not in this log")
    alabels.note("made by bench/real-logs/phpfpm.py: the pools' access log (both pools, format '%R - %u %t "
                 "\"%m %r%Q%q\" %s %{mili}d %{kilo}M %C%% %n'; %t is when the request came in, the line is written "
                 "when it ends); " + how)
    traffic = None
    ok = False
    try:
        fpm.setup(random.Random(5))
        backend.start()
        fpm.start()
        traffic = Traffic(fpm, 2026)
        traffic.run()
        t0 = now()

        # routine deploy with its reload
        sleep_until(t0 + 55 * SCALE)
        d1 = now()
        fpm.deploy("2026.12.2")
        sleep_until(t0 + 90 * SCALE)

        # 1. a price scraper saturates the www pool
        s_start, s_end, sst = scraper_flood(traffic, 40 * SCALE)
        sleep_until(s_end + 65 * SCALE)

        # 2. the inventory service hangs
        h_start, h_end = backend_hang(backend, 50 * SCALE)
        time.sleep(API_TERMINATE + 2)  # the last hung requests are terminated
        sleep_until(h_end + 80 * SCALE)

        # 3. a release with merge-conflict markers in lib/cart.php
        b_start = now()
        fpm.deploy("2026.12.3")
        sleep_until(b_start + 60 * SCALE)
        b_fix = now()
        b_end = fpm.deploy("2026.12.2")  # rollback
        sleep_until(b_end + 90 * SCALE)

        traffic.finish(70)
        time.sleep(1)
        errs, acc, slow = read_errors(fpm.log), read_access(fpm.access), read_slow(fpm.slow)
        cart_php = os.path.join(fpm.shop, "lib", "cart.php")
        times = {"s_start": s_start, "s_end": s_end, "h_start": h_start, "h_end": h_end, "b_start": b_start,
                 "b_fix": b_fix, "b_end": b_end}
        labels.note("measured: %s" % ", ".join("%s %s" % (k, time.strftime("%H:%M:%S", time.gmtime(v)))
                                               for k, v in times.items()))
        make_labels(errs, acc, slow, times, sst, cart_php, labels, slabels, alabels)
        print("%s: %s; scraper %s; backend %s; routine deploy at %s; error log %d lines, access log %d lines, "
              "slowlog %d entries" % (NAME, sorted(traffic.counts.items()), sst, sorted(backend.counts.items()),
                                      time.strftime("%H:%M:%S", time.gmtime(d1)), len(errs), len(acc), len(slow)),
              file=sys.stderr)
        ok = True
    finally:
        if traffic:
            traffic.stop.set()
        fpm.stop()
        backend.stop()
        if ok:
            keep_log(fpm.log, OUT, NAME, labels)
            keep_log(fpm.slow, OUT, NAME + ".slow", slabels)
            keep_log(fpm.access, OUT, NAME + ".access", alabels)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
