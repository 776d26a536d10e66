#!/usr/bin/env python3
"""A small shop application behind nginx: the upstream of the nginx scenarios (python3 standard library only).

Listens on 127.0.0.1:PORT. Answers the shop's pages and JSON API with varied sizes and a few milliseconds of work,
404 for unknown paths, 401 for a wrong password on POST /admin/login. While the file FAIL500 (second argument)
exists, /api/checkout answers 500, as an application whose payment client broke would; while FAIL500.slow exists,
/api/items takes 3 s to answer; while FAIL500.redirect exists, product pages answer 301 to themselves with or
without a trailing slash; while FAIL500.huge exists, /api/items answers the whole catalogue (about 300 kB); while
FAIL500.sluggish exists, every /api/ request takes 0.3-0.6 s more (still 200); while FAIL500.flaky exists, /api/cart
answers 503 three times in ten (its inventory dependency failing); while FAIL500.stall exists, /search takes 4 s;
while FAIL500.unhealthy exists, /healthz answers 503 (a load balancer's health check then takes the server out).
OPTIONS is not implemented (501), as in many small applications. It serves the shop's static files too, which nginx
serves itself in the nginx scenarios and HAProxy passes on in the HAProxy one.
It writes no log of its own: nginx's logs are what the scenarios keep.
"""
import json
import os
import random
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
FAIL500 = sys.argv[2] if len(sys.argv) > 2 else None
PASSWORD = "correct-horse-battery"

PRODUCTS = ["espresso-machine", "milk-frother", "coffee-grinder", "pour-over-kettle", "french-press",
            "travel-mug", "descaler", "paper-filters", "cold-brew-jar", "scale", "tamper", "knock-box"]

# The shop's own assets, the names nginx.sh creates (sizes as there, contents made up once)
STATIC = {"/static/css/app.3f9c1e.css": b"c" * 65_000, "/static/js/app.8d41b2.js": b"j" * 245_000,
          "/favicon.ico": b"i" * 5430}
STATIC.update({"/static/img/p%d.jpg" % i: b"p" * (20000 + i * 7919) for i in range(1, 13)})


class Shop(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "shop/2.4"

    def log_message(self, fmt, *args):  # nginx logs the requests
        pass

    def reply(self, status, body, ctype="text/html; charset=utf-8", headers=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def page(self, title, n):
        return "<html><head><title>%s</title></head><body>%s</body></html>" % (
            title, "".join("<p>%s item %d</p>" % (title, i) for i in range(n)))

    def route(self):
        path, _, query = self.path.partition("?")
        time.sleep(random.uniform(0.002, 0.02))
        if path.startswith("/api/items") and FAIL500 and os.path.exists(FAIL500 + ".slow"):
            time.sleep(3)  # a slow dependency: nginx's proxy_read_timeout (1 s in the held-out scenarios) answers 504
        if path.startswith("/api/") and FAIL500 and os.path.exists(FAIL500 + ".sluggish"):
            time.sleep(random.uniform(0.3, 0.6))  # a saturated database behind the API: slower, never failing
        if path == "/search" and FAIL500 and os.path.exists(FAIL500 + ".stall"):
            time.sleep(4)  # a search index rebuild: clients give up first (nginx logs 499)
        if path == "/api/cart" and FAIL500 and os.path.exists(FAIL500 + ".flaky") and random.random() < 0.3:
            return self.reply(503, json.dumps({"error": "inventory service unavailable"}), "application/json",
                              headers={"Retry-After": "5"})
        if path.startswith("/products/") and FAIL500 and os.path.exists(FAIL500 + ".redirect"):
            # a bad rewrite rule: every product page sends the client to itself with a slash, and back
            target = path[:-1] if path.endswith("/") else path + "/"
            return self.reply(301, "", headers={"Location": "https://shop.example" + target})
        if path == "/api/items" and FAIL500 and os.path.exists(FAIL500 + ".huge"):
            # a paging bug: the list ignores its page size and answers the whole catalogue every time
            items = [{"id": 1000 + i, "name": random.choice(PRODUCTS), "stock": i % 40} for i in range(6000)]
            return self.reply(200, json.dumps(items), "application/json")
        if path in STATIC:  # behind nginx these never get here; behind HAProxy the application serves them
            return self.reply(200, STATIC[path], "application/octet-stream", headers={"Cache-Control": "max-age=604800"})
        if path in ("/", "/index.html"):
            return self.reply(200, self.page("home", random.randint(40, 60)))
        if path == "/healthz":
            if FAIL500 and os.path.exists(FAIL500 + ".unhealthy"):
                return self.reply(503, "database unreachable", "text/plain")
            return self.reply(200, "ok", "text/plain")
        if path == "/robots.txt":
            return self.reply(200, "User-agent: *\nDisallow: /admin/\n", "text/plain")
        if path.startswith("/products/"):
            slug = path[len("/products/"):]
            if slug in PRODUCTS:
                return self.reply(200, self.page(slug, random.randint(20, 80)))
            return self.reply(404, self.page("not found", 2))
        if path == "/search":
            return self.reply(200, self.page("search", random.randint(0, 30)))
        if path == "/api/items":
            items = [{"id": random.randint(1000, 9999), "name": random.choice(PRODUCTS)} for _ in range(random.randint(5, 25))]
            return self.reply(200, json.dumps(items), "application/json")
        if path.startswith("/api/items/"):
            tail = path[len("/api/items/"):]
            if tail.isdigit():
                return self.reply(200, json.dumps({"id": int(tail), "stock": random.randint(0, 40)}), "application/json")
            return self.reply(404, json.dumps({"error": "no such item"}), "application/json")
        if path == "/api/cart":
            return self.reply(200, json.dumps({"items": random.randint(0, 5)}), "application/json")
        if path == "/api/checkout":
            if FAIL500 and os.path.exists(FAIL500):
                return self.reply(500, json.dumps({"error": "payment gateway: connection reset"}), "application/json")
            return self.reply(200, json.dumps({"order": random.randint(100000, 999999)}), "application/json")
        if path == "/admin/login":
            if self.command == "POST":
                length = int(self.headers.get("Content-Length") or 0)
                form = self.rfile.read(length).decode(errors="replace")
                if "password=" + PASSWORD in form:
                    return self.reply(302, "", headers={"Location": "/admin/"})
                return self.reply(401, self.page("login failed", 1), headers={"WWW-Authenticate": 'Form realm="admin"'})
            return self.reply(200, self.page("login", 3))
        if path == "/admin/":
            return self.reply(200, self.page("dashboard", 30))
        return self.reply(404, self.page("not found", 2))

    def do_GET(self):
        self.route()

    def do_HEAD(self):
        self.route()

    def do_POST(self):
        if self.path.partition("?")[0] != "/admin/login":
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
        self.route()


class Server(ThreadingHTTPServer):
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a health check or a client that hung up: routine
            super().handle_error(request, client_address)

    daemon_threads = True
    request_queue_size = 256


if __name__ == "__main__":
    Server(("127.0.0.1", PORT), Shop).serve_forever()
