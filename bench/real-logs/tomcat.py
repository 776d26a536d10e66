#!/usr/bin/env python3
"""Runs a real Apache Tomcat 10 (Debian tomcat10 10.1) serving a small shop webapp of JSPs on 127.0.0.1, in front of
a payments/inventory backend this driver serves itself (http.server), drives browser-like traffic at it, injects
labelled incidents and keeps Tomcat's three logs exactly as it wrote them: catalina.YYYY-MM-DD.log and
localhost.YYYY-MM-DD.log (JULI AsyncFileHandlers with their default OneLineFormatter, Debian's logging.properties)
and the AccessLogValve's localhost_access_log.YYYY-MM-DD.txt (Debian's server.xml: pattern "%h %l %u %t "%r" %s %b").

Tomcat runs from the package's CATALINA_HOME /usr/share/tomcat10 with its own CATALINA_BASE under a /tmp work dir
(tempfile.mkdtemp) whose conf/ holds copies of Debian's /etc/tomcat10 files (server.xml, web.xml, logging.properties,
catalina.properties, context.xml, tomcat-users.xml, jaspic-providers.xml), server.xml changed only in its HTTP
connector (port PORT, address="127.0.0.1"; Debian's shutdown port -1 kept: Tomcat is stopped by SIGTERM, as systemd
does). webapps/ holds Debian's ROOT app and the shop, an exploded directory of JSPs compiled by Jasper (Debian's
Eclipse JDT compiler) with a web.xml, static files and product images. Started as root the way Debian's
tomcat-start.sh does it (`cd $CATALINA_BASE && $CATALINA_HOME/bin/catalina.sh run`), JAVA_HOME the default JDK 17,
JAVA_OPTS "-Djava.awt.headless=true -Xmx256m", TZ=UTC. Standard library only.

usage: bench/real-logs/tomcat.py OUTDIR [PORT]      (the backend listens on PORT+1)
  writes OUTDIR/tomcat-g.catalina.log, tomcat-g.localhost.log, tomcat-g.access.log and their .labels.tsv
  SCALE=0.2 multiplies every duration (a short run for testing)

The shop (/shop): index.jsp (home: categories, six featured products), products.jsp?cat=C[&page=2], product.jsp?id=N
(asks the backend's inventory for the stock, timeouts 1 s connect / 1.5 s read; when that fails it logs "inventory
lookup failed ..." with ServletContext.log and shows the page without it), search.jsp?q= (the query is compiled as a
regular expression: a query like "(lamp" throws PatternSyntaxException, a real bug that shows a few times a run),
cart.jsp (GET; POST add/remove then a redirect), checkout.jsp (GET the form; POST asks the backend's payments service,
POST /payments/authorize with java.net.HttpURLConnection, timeouts 2 s connect / 3 s read; exceptions are not caught,
so Tomcat logs them: StandardWrapperValve "Servlet.service() for servlet [jsp] in context with path [/shop] threw
exception" with the stack trace in the localhost log, a 500 in the access log), login.jsp/account.jsp, health.jsp
(pings the backend's /health, 503 when that fails), static/app.css, app.js, img/pN.jpg (no image for products
37-40).
Normal traffic (40-50 requests/s, Poisson): visitors arriving ~1.7/s, each a thread with its own keep-alive
connection and session cookie from one of 127.0.0.10-29, browsing for 3-14 pages with 1.5-7 s think times (home or
/shop which redirects, categories, products, searches, the images, css and js their browser has not cached yet,
returning visitors revalidating css/js with If-Modified-Since → 304, /favicon.ico → 404 from ROOT), almost half
putting things in the cart and checking out (~0.3 checkouts/s; the backend answers in 20-80 ms, 4 % of payments
declined), a few logging in (some mistyping the password once); a crawler on 127.0.0.35 (product and category pages,
robots.txt); a monitor on 127.0.0.30 asking /shop/health.jsp every 10 s; benign client errors: old links to removed
products (404 by sendError), a rare bad cart quantity (400), images missing for 4 products (404), and a search bug
(500 and a PatternSyntaxException trace in the localhost log) a few times a run.
Incidents (about 7 minutes in all: 90 s of normal traffic, each incident followed by at least 50 s of it):
  backend-down      the backend 127.0.0.1:PORT+1 stopped for 30 s (its open connections closed too): checkouts fail
                    with java.io.IOException: I/O error on POST request for "http://127.0.0.1:PORT+1/payments/
                    authorize": Connection refused, caused by java.net.ConnectException (500 in the access log,
                    SEVERE StandardWrapperValve ... threw exception with the stack trace in the localhost log),
                    every product view logs "inventory lookup failed for sku ...: I/O error on GET request for ...",
                    health.jsp answers 503
  scanner           127.0.0.66 probes ~75 well-known paths, ~200 requests in 30 s (/manager/html, /.env,
                    /.git/config, /WEB-INF/web.xml, /wp-login.php, ...): 404s, 400s for encoded traversals, SQL
                    injection ids and one invalid request target (which the catalina log shows as a single INFO "Error
                    parsing HTTP request header", not naming the client), 405 for TRACE, login attempts
  broken-redeploy   a web.xml with an unclosed element copied into webapps/shop/WEB-INF: the Host's autoDeploy check
                    (every 10 s) reloads the context and fails (SEVERE Parse error in application web.xml ..., Context
                    [/shop] startup failed due to previous errors in the catalina log), every /shop request answers
                    404 until the fixed web.xml, back 25 s later, is loaded by the next check
  slow-backend      the backend answers in 2.5-6 s (a fifth of the calls in 1-2.5 s) for 30 s: most checkouts end in
                    java.net.SocketTimeoutException: Read timed out after 3 s (500, stack traces), product views log
                    inventory timeouts (1.5 s), health.jsp 503
Labels are computed after the run from the three logs themselves: each file gets a row for the incidents it shows
and a note for those it does not (the catalina log shows only broken-redeploy; the localhost log the two backend
incidents; the access log all four).
"""
import datetime
import email.utils
import glob
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from arrivals import poisson
from labels import Labels

OUT = os.path.abspath(sys.argv[1])
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 19780
BACKEND = PORT + 1
SCALE = float(os.environ.get("SCALE", "1"))
CATALINA_HOME = "/usr/share/tomcat10"
ETC = "/etc/tomcat10"
NAME = "tomcat-g"


def now():
    return time.time()


def sleep_until(t):
    time.sleep(max(0.0, t - now()))


def java_home():
    """The default JDK 17 (as Debian's tomcat-locate-java.sh would find it on this machine)."""
    for d in ["/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/default-java"] + sorted(
            glob.glob("/usr/lib/jvm/java-*-openjdk-*")):
        if os.access(os.path.join(d, "bin", "java"), os.X_OK):
            return d
    raise SystemExit("no JDK found under /usr/lib/jvm")


# --- the catalogue (the JSPs and the traffic share it) ---

CATS = ["kitchen", "garden", "office", "lighting", "bath", "outdoor"]
NAMES = ["Enamel Pot", "Chef Knife", "Bamboo Board", "Pepper Mill", "Salad Bowl", "Tea Kettle", "Garden Hose",
         "Pruning Shears", "Watering Can", "Seed Tray", "Desk Lamp", "Notebook A5", "Fountain Pen", "Paper Tray",
         "Floor Lamp", "Pendant Light", "Bath Towel", "Soap Dish", "Shower Caddy", "Camping Stove", "Trail Mug",
         "Folding Chair", "Rain Poncho", "Cast Iron Pan", "Herb Planter", "Office Chair Mat", "Table Lamp",
         "Bath Mat", "Picnic Blanket", "Milk Jug", "Compost Bin", "Monitor Stand", "LED Strip", "Toothbrush Cup",
         "Head Torch", "Mixing Bowls", "Bird Feeder", "Desk Organizer", "Wall Sconce", "Laundry Basket"]
N = len(NAMES)
NO_IMAGE = set(range(37, N + 1))  # products whose image was never uploaded
FEATURED = [(i * 7) % N + 1 for i in range(1, 7)]
USERS = {"anna": "tulip-77", "tom": "bluecar9", "lisa": "k0vacs!", "omar": "sunrise42", "julia": "nov-2024",
         "peter": "fjord88", "sara": "fischer#1", "david": "roth1980", "mia": "jensen-mj", "lukas": "wolfpack3"}


def category(pid):
    return CATS[(pid - 1) % len(CATS)]


def java_strings(items):
    return ", ".join('"%s"' % s for s in items)


# --- the webapp (an exploded directory in CATALINA_BASE/webapps/shop) ---

WEB_XML = """\
<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
         version="6.0" metadata-complete="true">
  <display-name>Shop</display-name>
  <description>The shop's storefront</description>
  <context-param>
    <param-name>backend.url</param-name>
    <param-value>http://127.0.0.1:{backend}</param-value>
  </context-param>
  <context-param>
    <param-name>payments.timeout</param-name>
    <param-value>3000</param-value>
  </context-param>
  <session-config>
    <session-timeout>30</session-timeout>
  </session-config>
  <welcome-file-list>
    <welcome-file>index.jsp</welcome-file>
  </welcome-file-list>
</web-app>
"""

# the same file after a careless merge: the second context-param lost its end tag
BROKEN_WEB_XML = WEB_XML.replace("""    <param-value>3000</param-value>
  </context-param>""", """    <param-value>3000</param-value>
  <context-param>
    <param-name>payments.retries</param-name>
    <param-value>2</param-value>
  </context-param>""")

CATALOG_JSPF = """\
<%@ page import="java.util.*,java.io.*,java.net.*" %>
<%!
  static final String[] CATS = {""" + java_strings(CATS) + """};
  static final String[] NAMES = {""" + java_strings(NAMES) + """};
  static final int N = NAMES.length;
  static final Map<String, String> USERS = new HashMap<>();
  static {
""" + "".join('    USERS.put("%s", "%s");\n' % kv for kv in USERS.items()) + """  }
  static String cat(int id) { return CATS[(id - 1) % CATS.length]; }
  static int price(int id) { return 499 + (id * 7919) % 9000; }
  static String money(int cents) { return String.format("%d.%02d EUR", cents / 100, cents % 100); }
  static String esc(String s) {
    if (s == null) return "";
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\\"", "&quot;");
  }
  static String backend(jakarta.servlet.ServletContext ctx) { return ctx.getInitParameter("backend.url"); }
  /* one call to the backend: "<status> <body>"; an IOException naming the call when it cannot be reached or fails */
  static String call(String method, String url, String body, int connectMs, int readMs) throws IOException {
    try {
      return call0(method, url, body, connectMs, readMs);
    } catch (IOException e) {
      throw new IOException("I/O error on " + method + " request for \\"" + url + "\\": " + e.getMessage(), e);
    }
  }
  static String call0(String method, String url, String body, int connectMs, int readMs) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setConnectTimeout(connectMs);
    c.setReadTimeout(readMs);
    c.setRequestMethod(method);
    c.setRequestProperty("Accept", "application/json");
    if (body != null) {
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json");
      try (OutputStream o = c.getOutputStream()) { o.write(body.getBytes("UTF-8")); }
    }
    int code = c.getResponseCode();
    InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream();
    String text = "";
    if (in != null) { try (InputStream i = in) { text = new String(i.readAllBytes(), "UTF-8"); } }
    if (code >= 500) throw new IOException("Server returned HTTP response code: " + code + " for URL: " + url);
    return code + " " + text;
  }
  static int cartCount(Map<Integer, Integer> cart) {
    int n = 0;
    if (cart != null) for (int q : cart.values()) n += q;
    return n;
  }
%>
"""

HEADER_JSPF = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title><%= esc(title) %> - Shop Example</title>
<link rel="stylesheet" href="<%= request.getContextPath() %>/static/app.css">
<script src="<%= request.getContextPath() %>/static/app.js" defer></script>
</head>
<body>
<header><a href="<%= request.getContextPath() %>/">Shop Example</a>
<form action="<%= request.getContextPath() %>/search.jsp"><input name="q"></form>
<a href="<%= request.getContextPath() %>/cart.jsp">Cart</a>
<a href="<%= request.getContextPath() %>/account.jsp">Account</a></header>
<main>
"""

FOOTER_JSPF = """\
</main>
<footer>Shop Example &middot; <a href="<%= request.getContextPath() %>/">Home</a></footer>
</body>
</html>
"""


def jsp(title, body, session=True):
    return ('<%@ page contentType="text/html;charset=UTF-8"' + ('' if session else ' session="false"') + ' %>\n'
            '<%@ include file="/WEB-INF/jspf/catalog.jspf" %>\n'
            '<% String title = "' + title + '"; %>\n' + body.replace("<!--HEADER-->",
                                                                     '<%@ include file="/WEB-INF/jspf/header.jspf" %>')
            .replace("<!--FOOTER-->", '<%@ include file="/WEB-INF/jspf/footer.jspf" %>'))


INDEX_JSP = jsp("Home", """<!--HEADER-->
<h1>Welcome to Shop Example</h1>
<ul class="categories">
<% for (String c : CATS) { %>  <li><a href="products.jsp?cat=<%= c %>"><%= c %></a></li>
<% } %></ul>
<section class="featured">
<% for (int i = 1; i <= 6; i++) { int id = (i * 7) % N + 1; %>
  <a href="product.jsp?id=<%= id %>"><img src="static/img/p<%= id %>.jpg" alt="<%= esc(NAMES[id - 1]) %>"><br>
  <%= esc(NAMES[id - 1]) %> <%= money(price(id)) %></a>
<% } %></section>
<!--FOOTER-->""")

PRODUCTS_JSP = jsp("Products", """<%
  String c = request.getParameter("cat");
  if (c == null || !Arrays.asList(CATS).contains(c)) { response.sendError(404, "No such category"); return; }
  String pg = request.getParameter("page");
  int page_ = "2".equals(pg) ? 2 : 1;
%><!--HEADER-->
<h1><%= esc(c) %></h1>
<ul class="products">
<% for (int id = 1; id <= N; id++) { if (!cat(id).equals(c)) continue; %>
  <li><a href="product.jsp?id=<%= id %>"><img src="static/img/p<%= id %>.jpg" width="120"> <%= esc(NAMES[id - 1]) %></a>
  <%= money(price(id)) %></li>
<% } %></ul>
<p>page <%= page_ %> of 2</p>
<!--FOOTER-->""")

PRODUCT_JSP = jsp("Product", """<%
  int id;
  try { id = Integer.parseInt(request.getParameter("id")); }
  catch (NumberFormatException e) { response.sendError(400, "Invalid product id"); return; }
  if (id < 1 || id > N) { response.sendError(404, "Product not found"); return; }
  String stock;
  try {
    String r = call("GET", backend(application) + "/inventory/stock?sku=" + (1000 + id), null, 1000, 1500);
    int k = r.indexOf("\\"stock\\":");
    stock = k < 0 ? "?" : r.substring(k + 8).replaceAll("[^0-9].*", "");
  } catch (IOException e) {
    application.log("inventory lookup failed for sku " + (1000 + id) + ": " + e.getMessage());
    stock = null;
  }
  session.setAttribute("lastViewed", id);
%><!--HEADER-->
<h1><%= esc(NAMES[id - 1]) %></h1>
<img src="static/img/p<%= id %>.jpg" width="400">
<p class="price"><%= money(price(id)) %></p>
<p class="stock"><%= stock == null ? "Availability unknown" : ("0".equals(stock) ? "Out of stock" : stock + " in stock") %></p>
<form method="post" action="cart.jsp"><input type="hidden" name="action" value="add">
<input type="hidden" name="id" value="<%= id %>"><input name="qty" value="1"><button>Add to cart</button></form>
<p>More in <a href="products.jsp?cat=<%= cat(id) %>"><%= cat(id) %></a></p>
<!--FOOTER-->""")

SEARCH_JSP = jsp("Search", """<%
  String q = request.getParameter("q");
  List<Integer> hits = new ArrayList<>();
  if (q != null && !q.isBlank()) {
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(q.trim(), java.util.regex.Pattern.CASE_INSENSITIVE);
    for (int id = 1; id <= N; id++) if (p.matcher(NAMES[id - 1]).find() || p.matcher(cat(id)).find()) hits.add(id);
  }
%><!--HEADER-->
<h1>Search: <%= esc(q) %></h1>
<p><%= hits.size() %> results</p>
<ul>
<% for (int id : hits) { %>  <li><a href="product.jsp?id=<%= id %>"><%= esc(NAMES[id - 1]) %></a> <%= money(price(id)) %></li>
<% } %></ul>
<!--FOOTER-->""")

CART_JSP = jsp("Cart", """<%
  @SuppressWarnings("unchecked")
  Map<Integer, Integer> cart = (Map<Integer, Integer>) session.getAttribute("cart");
  if (cart == null) { cart = new LinkedHashMap<>(); session.setAttribute("cart", cart); }
  if ("POST".equals(request.getMethod())) {
    String action = request.getParameter("action");
    int id, qty;
    try {
      id = Integer.parseInt(request.getParameter("id"));
      qty = request.getParameter("qty") == null ? 1 : Integer.parseInt(request.getParameter("qty").trim());
    } catch (NumberFormatException e) { response.sendError(400, "Invalid quantity"); return; }
    if (id < 1 || id > N || qty < 1 || qty > 20) { response.sendError(400, "Invalid quantity"); return; }
    if ("remove".equals(action)) cart.remove(id); else cart.merge(id, qty, Integer::sum);
    response.sendRedirect("cart.jsp");
    return;
  }
  int total = 0;
%><!--HEADER-->
<h1>Your cart (<%= cartCount(cart) %> items)</h1>
<table>
<% for (Map.Entry<Integer, Integer> e : cart.entrySet()) { int id = e.getKey(); total += price(id) * e.getValue(); %>
  <tr><td><%= esc(NAMES[id - 1]) %></td><td><%= e.getValue() %></td><td><%= money(price(id) * e.getValue()) %></td></tr>
<% } %></table>
<p>Total <%= money(total) %></p>
<% if (!cart.isEmpty()) { %><a href="checkout.jsp">Checkout</a><% } %>
<!--FOOTER-->""")

CHECKOUT_JSP = jsp("Checkout", """<%
  @SuppressWarnings("unchecked")
  Map<Integer, Integer> cart = (Map<Integer, Integer>) session.getAttribute("cart");
  if (cart == null || cart.isEmpty()) { response.sendRedirect("cart.jsp"); return; }
  int total = 0;
  for (Map.Entry<Integer, Integer> e : cart.entrySet()) total += price(e.getKey()) * e.getValue();
  String message = null;
  String order = null;
  if ("POST".equals(request.getMethod())) {
    String card = request.getParameter("card");
    String body = "{\\"session\\":\\"" + session.getId() + "\\",\\"amount\\":" + total + ",\\"currency\\":\\"EUR\\",\\"card\\":\\""
        + (card == null ? "visa" : card.replaceAll("[^a-z]", "")) + "\\",\\"items\\":" + cartCount(cart) + "}";
    int timeout = Integer.parseInt(application.getInitParameter("payments.timeout"));
    String r = call("POST", backend(application) + "/payments/authorize", body, 2000, timeout);
    if (r.startsWith("200 ")) {
      order = "SE-" + (100000 + Math.abs(session.getId().hashCode() % 900000));
      cart.clear();
    } else {
      message = "Your payment was declined. Please use another card.";
    }
  }
%><!--HEADER-->
<% if (order != null) { %>
<h1>Thank you!</h1><p>Your order <%= order %> is confirmed.</p>
<% } else { %>
<h1>Checkout</h1>
<% if (message != null) { %><p class="error"><%= message %></p><% } %>
<p>Total <%= money(total) %></p>
<form method="post"><select name="card"><option>visa</option><option>mastercard</option><option>amex</option></select>
<button>Pay</button></form>
<% } %>
<!--FOOTER-->""")

LOGIN_JSP = jsp("Sign in", """<%
  String error = null;
  if ("POST".equals(request.getMethod())) {
    String u = request.getParameter("user"), p = request.getParameter("password");
    if (u != null && p != null && p.equals(USERS.get(u))) {
      session.setAttribute("user", u);
      response.sendRedirect("account.jsp");
      return;
    }
    error = "Wrong user name or password";
  }
%><!--HEADER-->
<h1>Sign in</h1>
<% if (error != null) { %><p class="error"><%= error %></p><% } %>
<form method="post"><input name="user"><input type="password" name="password"><button>Sign in</button></form>
<!--FOOTER-->""")

ACCOUNT_JSP = jsp("Account", """<%
  String user = (String) session.getAttribute("user");
  if (user == null) { response.sendRedirect("login.jsp"); return; }
%><!--HEADER-->
<h1>Hello <%= esc(user) %></h1>
<p>Your orders and addresses.</p>
<!--FOOTER-->""")

HEALTH_JSP = """<%@ page contentType="text/plain;charset=UTF-8" session="false" import="java.net.*" %><%
  String status = "UP";
  try {
    HttpURLConnection c = (HttpURLConnection) new URL(application.getInitParameter("backend.url") + "/health").openConnection();
    c.setConnectTimeout(1000);
    c.setReadTimeout(1000);
    if (c.getResponseCode() != 200) status = "DEGRADED";
    c.getInputStream().close();
  } catch (java.io.IOException e) {
    status = "DEGRADED";
  }
  if (!"UP".equals(status)) response.setStatus(503);
%>{"status":"<%= status %>","app":"shop"}
"""

APP_CSS = """body{font-family:system-ui,sans-serif;margin:0;color:#222}header{display:flex;gap:1em;padding:1em;
background:#f4f1ea}main{padding:1em 2em}.featured a{display:inline-block;width:160px;margin:.5em}
.price{font-weight:bold}.error{color:#b00}footer{padding:1em;color:#777}
""" * 12

APP_JS = """document.addEventListener('DOMContentLoaded', function () {
  var q = document.querySelector('input[name=q]');
  if (q) { q.placeholder = 'Search the shop'; }
  document.querySelectorAll('form[method=post] button').forEach(function (b) {
    b.addEventListener('click', function () { b.disabled = true; b.form.submit(); });
  });
});
""" * 20


def write(path, text, mtime=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(text.encode() if isinstance(text, str) else text)
    if mtime:
        os.utime(tmp, (mtime, mtime))
    os.replace(tmp, path)


def build_webapp(base, modified):
    shop = os.path.join(base, "webapps", "shop")
    files = {"index.jsp": INDEX_JSP, "products.jsp": PRODUCTS_JSP, "product.jsp": PRODUCT_JSP,
             "search.jsp": SEARCH_JSP, "cart.jsp": CART_JSP, "checkout.jsp": CHECKOUT_JSP, "login.jsp": LOGIN_JSP,
             "account.jsp": ACCOUNT_JSP, "health.jsp": HEALTH_JSP, "WEB-INF/jspf/catalog.jspf": CATALOG_JSPF,
             "WEB-INF/jspf/header.jspf": HEADER_JSPF, "WEB-INF/jspf/footer.jspf": FOOTER_JSPF,
             "WEB-INF/web.xml": WEB_XML.format(backend=BACKEND)}
    for rel, text in files.items():
        write(os.path.join(shop, rel), text, modified)
    write(os.path.join(shop, "static", "app.css"), APP_CSS, modified)
    write(os.path.join(shop, "static", "app.js"), APP_JS, modified)
    rng = random.Random(40)
    for pid in range(1, N + 1):
        if pid not in NO_IMAGE:
            data = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rng.randbytes(rng.randint(6000, 48000)) + b"\xff\xd9"
            write(os.path.join(shop, "static", "img", "p%d.jpg" % pid), data, modified)
    return shop


# --- the backend: payments and inventory on 127.0.0.1:BACKEND ---

class Backend:
    def __init__(self, port):
        self.port = port
        self.server = None
        self.slow = False
        self.conns = set()
        self.lock = threading.Lock()
        self.served = 0

    def start(self):
        backend = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "payments/3.2"

            def log_message(self, fmt, *args):
                pass

            def setup(self):
                super().setup()
                with backend.lock:
                    backend.conns.add(self.connection)

            def finish(self):
                with backend.lock:
                    backend.conns.discard(self.connection)
                try:
                    super().finish()
                except OSError:
                    pass

            def reply(self, status, obj):
                data = json.dumps(obj).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the caller gave up (read timeout) and closed the connection
                    self.close_connection = True
                backend.served += 1

            def delay(self, lo, hi):
                if backend.slow:  # the service is stalled (a long GC / a locked database under it)
                    time.sleep(random.uniform(2.5, 6.0) if random.random() < 0.8 else random.uniform(1.0, 2.5))
                else:
                    time.sleep(random.uniform(lo, hi))

            def do_GET(self):
                path, _, query = self.path.partition("?")
                if path == "/health":
                    self.delay(0.002, 0.01)
                    return self.reply(200, {"status": "ok"})
                if path == "/inventory/stock":
                    self.delay(0.005, 0.03)
                    sku = urllib.parse.parse_qs(query).get("sku", ["0"])[0]
                    stock = 0 if random.random() < 0.08 else random.randint(1, 60)
                    return self.reply(200, {"sku": sku, "stock": stock})
                return self.reply(404, {"error": "not found"})

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                if n:
                    self.rfile.read(n)
                if self.path == "/payments/authorize":
                    self.delay(0.02, 0.08)
                    if random.random() < 0.04:
                        return self.reply(402, {"status": "declined", "reason": "insufficient_funds"})
                    return self.reply(200, {"status": "approved", "auth": "%06X" % random.getrandbits(24)})
                return self.reply(404, {"error": "not found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()

    def stop(self):
        """The service stops: its listener and every open (keep-alive) connection closed."""
        if not self.server:
            return
        self.server.shutdown()
        self.server.server_close()
        self.server = None
        with self.lock:
            conns = list(self.conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# --- Tomcat ---

class Tomcat:
    def __init__(self, work):
        self.base = os.path.join(work, "base")
        self.logs = os.path.join(self.base, "logs")
        self.conf = os.path.join(self.base, "conf")
        for d in ("conf", "logs", "webapps", "work", "temp", "lib"):
            os.makedirs(os.path.join(self.base, d))
        for f in ("server.xml", "web.xml", "logging.properties", "catalina.properties", "context.xml",
                  "tomcat-users.xml", "jaspic-providers.xml"):
            shutil.copy(os.path.join(ETC, f), os.path.join(self.conf, f))
        path = os.path.join(self.conf, "server.xml")
        with open(path) as f:
            xml = f.read()
        connector = '<Connector port="8080" protocol="HTTP/1.1"'
        if connector not in xml:
            raise SystemExit("unexpected /etc/tomcat10/server.xml: no %s" % connector)
        xml = xml.replace(connector, '<Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1"' % PORT, 1)
        with open(path, "w") as f:
            f.write(xml)
        shutil.copytree("/var/lib/tomcat10/webapps/ROOT", os.path.join(self.base, "webapps", "ROOT"))
        self.modified = int(now()) - 3 * 86400 - 4021  # the shop was deployed three days ago
        self.shop = build_webapp(self.base, self.modified)
        self.web_xml = os.path.join(self.shop, "WEB-INF", "web.xml")
        self.proc = None
        self.out = None
        self.env = dict(os.environ, CATALINA_HOME=CATALINA_HOME, CATALINA_BASE=self.base,
                        CATALINA_TMPDIR=os.path.join(self.base, "temp"),
                        CATALINA_PID=os.path.join(self.base, "temp", "tomcat.pid"), JAVA_HOME=java_home(),
                        JAVA_OPTS="-Djava.awt.headless=true -Xmx256m", TZ="UTC", LANG="C.UTF-8")

    def version(self):
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "tomcat10"], stdout=subprocess.PIPE, text=True)
        return r.stdout.strip() or "10.1"

    def listening(self):
        """Java listens on an IPv6 socket bound to ::ffff:127.0.0.1 (or an IPv4 one where IPv6 is off)."""
        for table, addr in (("/proc/net/tcp", "0100007F"), ("/proc/net/tcp6", "0000000000000000FFFF00000100007F")):
            try:
                with open(table) as f:
                    if any(l.split()[1:4:2] == ["%s:%04X" % (addr, PORT), "0A"] for l in list(f)[1:]):
                        return True
            except OSError:
                pass
        return False

    def start(self):
        self.out = open(os.path.join(self.base, "temp", "console.out"), "wb")
        self.proc = subprocess.Popen([os.path.join(CATALINA_HOME, "bin", "catalina.sh"), "run"], cwd=self.base,
                                     env=self.env, stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = now() + 60
        while now() < deadline:  # read from /proc: a test request would show in the access log
            if self.proc.poll() is not None:
                raise SystemExit("tomcat exited at start-up:\n" + self.console())
            if self.listening() and self.grep("catalina", "Server startup in"):
                return
            time.sleep(0.2)
        raise SystemExit("tomcat did not start on 127.0.0.1:%d:\n%s" % (PORT, self.console()))

    def console(self):
        try:
            with open(os.path.join(self.base, "temp", "console.out"), errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the shutdown hook stops Catalina, as systemd's stop does
            try:
                self.proc.wait(40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        if self.out:
            self.out.close()
            self.out = None

    def files(self, kind):
        pattern = {"catalina": "catalina.*.log", "localhost": "localhost.*.log",
                   "access": "localhost_access_log.*.txt"}[kind]
        return sorted(glob.glob(os.path.join(self.logs, pattern)))  # dated names: sorted is chronological

    def read(self, kind):
        text = ""
        for p in self.files(kind):
            with open(p, errors="replace") as f:
                text += f.read()
        return text

    def grep(self, kind, needle):
        return [l for l in self.read(kind).splitlines() if needle in l]

    def collect(self, kind, dest):
        with open(dest, "wb") as out:
            for p in self.files(kind):
                with open(p, "rb") as f:
                    shutil.copyfileobj(f, out)

    def set_web_xml(self, text):
        write(self.web_xml, text)


# --- traffic ---

SEARCHES = ["lamp", "mug", "towel", "chair", "pan", "knife", "garden", "bowl", "light", "bath", "desk", "pen",
            "kettle", "stove", "blanket", "torch", "planter", "basket", "led", "iron", "tea", "hose", "mat",
            "cast iron", "folding", "soap", "notebook", "camping", "bird", "compost"]
BAD_SEARCHES = ["(lamp", "*mug", "towel)", "+chair", "[sale", "lamp (large", "?pen", "desk lamp)"]
CUSTOMERS = ["127.0.0.%d" % i for i in range(10, 30)]
MONITOR = "127.0.0.30"
CRAWLER = "127.0.0.35"
SCANNER = "127.0.0.66"


class Browser:
    """One client: a keep-alive connection from its own source address, and the session cookie."""

    def __init__(self, traffic, source, cookies=True):
        self.traffic = traffic
        self.source = source
        self.cookies = cookies
        self.cookie = None
        self.conn = None

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def request(self, method, path, form=None, headers=None):
        body = urllib.parse.urlencode(form) if form is not None else None
        h = {"User-Agent": "Mozilla/5.0", "Accept": "*/*"}
        if body is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookie:
            h["Cookie"] = "JSESSIONID=" + self.cookie
        h.update(headers or {})
        for attempt in (0, 1):
            reused = self.conn is not None
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=20,
                                                           source_address=(self.source, 0))
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                if r.will_close:
                    self.close()
                if self.cookies:
                    for k, v in r.getheaders():
                        if k.lower() == "set-cookie" and v.startswith("JSESSIONID="):
                            self.cookie = v.split(";")[0].split("=", 1)[1]
                self.traffic.count(r.status, path)
                return r.status, r.getheader("Location"), data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                self.close()
                if attempt or not reused:
                    self.traffic.count("error", path)
                    return None, None, b""
            except (OSError, http.client.HTTPException):
                self.close()
                self.traffic.count("error", path)
                return None, None, b""
        return None, None, b""


class Traffic:
    def __init__(self, seed, modified):
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.status = {}
        self.last = {}  # (kind, status) -> the last time seen, for the labels' end times
        self.ims = email.utils.formatdate(modified, usegmt=True)
        self.visitors = 0
        self.active = 0

    def count(self, status, path):
        kind = path.split("?")[0]
        with self.lock:
            self.status[status] = self.status.get(status, 0) + 1
            self.last[(kind, status)] = now()
            self.last[("*", status)] = now()

    def last_seen(self, status, prefix="*"):
        with self.lock:
            ts = [t for (k, s), t in self.last.items() if s == status and (prefix == "*" and k == "*" or
                                                                             prefix != "*" and k.startswith(prefix))]
        return max(ts) if ts else 0

    def pick_product(self, rng):
        if rng.random() < 0.015:
            return rng.randint(N + 1, N + 25)  # an old link to a product no longer sold
        return min(N, int(rng.paretovariate(0.9))) if rng.random() < 0.5 else rng.randint(1, N)

    def visit(self, rng):
        b = Browser(self, rng.choice(CUSTOMERS))
        cached = set()
        returning = rng.random() < 0.3
        state = {"product": None, "cart": 0, "user": None, "fails": 0}

        def assets(html_status, images):
            if html_status != 200:
                return
            for a in ("/shop/static/app.css", "/shop/static/app.js"):
                if a not in cached:
                    cached.add(a)
                    b.request("GET", a, headers={"If-Modified-Since": self.ims} if returning else None)
            if "favicon" not in cached and rng.random() < 0.3:
                cached.add("favicon")
                b.request("GET", "/favicon.ico")
            for pid in images:
                a = "/shop/static/img/p%d.jpg" % pid
                if a not in cached:
                    cached.add(a)
                    b.request("GET", a)

        def page(method, path, form=None, images=()):
            status, location, _ = b.request(method, path, form)
            if status in (301, 302) and location:  # Tomcat sends relative redirects ("cart.jsp")
                loc = urllib.parse.urlsplit(urllib.parse.urljoin(path, location))
                status, location, _ = b.request("GET", loc.path + ("?" + loc.query if loc.query else ""))
            assets(status, images)
            if status is None or status >= 500 or (status == 404 and path.startswith("/shop/") and
                                                   "id=" not in path):
                state["fails"] += 1
            return status

        try:
            entry = rng.random()
            if entry < 0.45:
                page("GET", "/shop" if rng.random() < 0.1 else "/shop/", images=FEATURED)
            elif entry < 0.75:
                pid = self.pick_product(rng)
                page("GET", "/shop/product.jsp?id=%d" % pid, images=[pid])
                state["product"] = pid
            elif entry < 0.9:
                c = rng.choice(CATS)
                page("GET", "/shop/products.jsp?cat=%s" % c, images=[i for i in range(1, N + 1) if category(i) == c])
            else:
                q = rng.choice(SEARCHES)
                page("GET", "/shop/search.jsp?q=%s" % urllib.parse.quote_plus(q))
            buyer = rng.random() < 0.45
            for _ in range(rng.randint(2, 13)):
                if self.stop.is_set() or state["fails"] >= 2:
                    break
                time.sleep(rng.uniform(1.5, 7.0))
                r = rng.random()
                if state["cart"] and buyer and r < 0.45:
                    page("GET", "/shop/cart.jsp")
                    time.sleep(rng.uniform(1.0, 4.0))
                    if page("GET", "/shop/checkout.jsp") != 200:
                        continue
                    time.sleep(rng.uniform(3.0, 9.0))
                    card = rng.choice(["visa", "visa", "mastercard", "mastercard", "amex"])
                    status = page("POST", "/shop/checkout.jsp", {"card": card})
                    if status is not None and status >= 500 and state["fails"] < 2:
                        time.sleep(rng.uniform(2.0, 5.0))  # "try again"
                        status = page("POST", "/shop/checkout.jsp", {"card": card})
                    if status == 200:
                        state["cart"] = 0
                        buyer = False
                    continue
                if state["product"] and buyer and r < 0.55:
                    qty = str(rng.choice([1, 1, 1, 2, 3]))
                    if rng.random() < 0.01:
                        qty = rng.choice(["0", "-1", "two", "1O", "100"])  # a client-side validation slip
                    if page("POST", "/shop/cart.jsp", {"action": "add", "id": state["product"], "qty": qty}) == 200:
                        state["cart"] += 1
                    state["product"] = None
                    continue
                if r < 0.55:
                    pid = self.pick_product(rng)
                    page("GET", "/shop/product.jsp?id=%d" % pid, images=[pid])
                    state["product"] = pid if pid <= N else None
                elif r < 0.75:
                    c = rng.choice(CATS)
                    p = "&page=2" if rng.random() < 0.2 else ""
                    page("GET", "/shop/products.jsp?cat=%s%s" % (c, p),
                         images=[i for i in range(1, N + 1) if category(i) == c])
                elif r < 0.87:
                    q = rng.choice(BAD_SEARCHES) if rng.random() < 0.005 else rng.choice(SEARCHES)
                    page("GET", "/shop/search.jsp?q=%s" % urllib.parse.quote_plus(q))
                elif r < 0.93:
                    page("GET", "/shop/", images=FEATURED)
                elif r < 0.97 and not state["user"]:
                    if page("GET", "/shop/account.jsp") != 200:  # redirected to login.jsp
                        continue
                    user = rng.choice(list(USERS))
                    time.sleep(rng.uniform(2.0, 6.0))
                    if rng.random() < 0.1:  # a typo first
                        page("POST", "/shop/login.jsp", {"user": user, "password": USERS[user][:-1]})
                        time.sleep(rng.uniform(2.0, 5.0))
                    if page("POST", "/shop/login.jsp", {"user": user, "password": USERS[user]}) == 200:
                        state["user"] = user
                else:
                    page("GET", "/shop/cart.jsp")
        finally:
            b.close()
            with self.lock:
                self.active -= 1

    def visitors_loop(self, rate, limit=90):
        rng = random.Random(self.rng.random())
        for _ in poisson(rate, self.stop, rng):
            with self.lock:
                if self.active >= limit:
                    continue
                self.active += 1
                self.visitors += 1
            threading.Thread(target=self.visit, args=(random.Random(rng.random()),), daemon=True).start()

    def crawler(self, rate):
        rng = random.Random(self.rng.random())
        b = Browser(self, CRAWLER, cookies=False)
        next_robots = now()
        for _ in poisson(rate, self.stop, rng):
            if now() >= next_robots:
                next_robots = now() + rng.uniform(50, 70)
                b.request("GET", "/robots.txt")
                continue
            if rng.random() < 0.7:
                b.request("GET", "/shop/product.jsp?id=%d" % rng.randint(1, N + 3))
            else:
                b.request("GET", "/shop/products.jsp?cat=%s%s" % (rng.choice(CATS), rng.choice(["", "&page=2"])))
        b.close()

    def monitor(self):
        rng = random.Random(self.rng.random())
        nxt = now() + rng.uniform(0, 10)
        while not self.stop.is_set():
            if now() >= nxt:
                nxt += 10
                b = Browser(self, MONITOR, cookies=False)
                b.request("GET", "/shop/health.jsp")
                b.close()
            time.sleep(0.2)

    def run(self):
        ts = [threading.Thread(target=self.visitors_loop, args=(1.7,), daemon=True),
              threading.Thread(target=self.crawler, args=(0.4,), daemon=True),
              threading.Thread(target=self.monitor, daemon=True)]
        for t in ts:
            t.start()
        return ts


# --- incidents ---

SCAN_PATHS = [
    "/manager/html", "/manager/status", "/manager/text/list", "/host-manager/html", "/admin", "/admin/",
    "/admin/login.jsp", "/administrator/", "/.env", "/.env.bak", "/.git/config", "/.git/HEAD", "/.svn/entries",
    "/.DS_Store", "/WEB-INF/web.xml", "/shop/WEB-INF/web.xml", "/shop/META-INF/MANIFEST.MF", "/shop/.env",
    "/META-INF/context.xml", "/examples/servlets/servlet/SessionExample", "/examples/jsp/snp/snoop.jsp",
    "/docs/", "/status", "/server-status", "/jmx-console/", "/web-console/", "/invoker/JMXInvokerServlet",
    "/phpmyadmin/", "/phpMyAdmin/index.php", "/pma/", "/wp-login.php", "/wp-admin/", "/xmlrpc.php",
    "/config.json", "/backup.zip", "/backup.sql", "/db.sql", "/dump.sql", "/shop.war", "/ROOT.war",
    "/actuator", "/actuator/env", "/actuator/health", "/api/v1/users", "/console", "/solr/admin/",
    "/struts2-showcase/", "/index.action", "/login.action", "/cgi-bin/test-cgi", "/cgi-bin/printenv",
    "/shop/login.jsp.bak", "/shop/index.jsp~", "/shop/WEB-INF/classes/", "/shop/admin.jsp", "/shop/debug.jsp",
    "/shop/upload.jsp", "/shop/config.properties", "/shop/static/../WEB-INF/web.xml", "/shop/%2e%2e/%2e%2e/etc/passwd",
    "/shop/..%2fWEB-INF%2fweb.xml", "/..%252f..%252fetc/passwd", "/shop/product.jsp?id=1%27%20OR%20%271%27=%271",
    "/shop/product.jsp?id=-1%20UNION%20SELECT%201,2,3", "/shop/search.jsp?q=%3Cscript%3Ealert(1)%3C/script%3E",
    "/shop/;jsessionid=0/WEB-INF/web.xml", "/%2e/WEB-INF/web.xml", "/shop/cart.jsp?id=../../../../etc/passwd",
    "/owa/", "/remote/login", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/HNAP1/", "/boaform/admin/formLogin",
]


def scanner(seconds, rate=7.0):
    """A scanner on 127.0.0.66 probing well-known paths; a new connection every few requests."""
    rng = random.Random(66)
    tr = Traffic(0, 0)  # its own counters
    paths = list(SCAN_PATHS)
    b, sent = None, 0
    stop = threading.Event()
    start = now()
    threading.Timer(seconds, stop.set).start()
    raw_done = False
    for _ in poisson(rate, stop, rng):
        if b is None or rng.random() < 0.15:
            if b:
                b.close()
            b = Browser(tr, SCANNER, cookies=False)
        if not raw_done and now() > start + seconds * 0.4:
            raw_done = True  # a request target with raw characters Tomcat refuses (400, parse error)
            try:
                s = socket.create_connection(("127.0.0.1", PORT), timeout=5, source_address=(SCANNER, 0))
                s.sendall(b"GET /shop/search.jsp?q=<script>alert(document.cookie)</script> HTTP/1.1\r\n"
                          b"Host: 127.0.0.1\r\nUser-Agent: Mozilla/5.0 zgrab/0.x\r\nConnection: close\r\n\r\n")
                s.recv(65536)
                s.close()
                tr.count(400, "/raw")
                sent += 1
            except OSError:
                pass
            continue
        r = rng.random()
        if r < 0.05:
            b.request("PUT", "/shop/%s.jsp" % rng.choice(["shell", "test", "cmd"]), {"x": "<% out.println(1); %>"})
        elif r < 0.08:
            b.request("TRACE", "/")
        elif r < 0.11:
            b.request("POST", "/shop/login.jsp", {"user": rng.choice(["admin", "tomcat", "root", "manager"]),
                                                  "password": rng.choice(["admin", "tomcat", "s3cret", "123456"])})
        else:
            if not paths:
                paths = list(SCAN_PATHS)
                rng.shuffle(paths)
            b.request("GET", paths.pop(rng.randrange(len(paths))))
        sent += 1
    if b:
        b.close()
    return start, sent, dict(tr.status)


def main():
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="logwarden-tomcat-", dir="/tmp")
    try:
        tomcat = Tomcat(work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    backend = Backend(BACKEND)
    version = tomcat.version()
    files = ("catalina", "localhost", "access")
    labels = {k: Labels() for k in files}
    for k, l in labels.items():
        l.note("made by bench/real-logs/tomcat.py: real Apache Tomcat %s (Debian tomcat10, default conf from "
               "/etc/tomcat10, JDK 17) on 127.0.0.1:%d serving a JSP shop webapp /shop and Debian's ROOT app, with "
               "a payments/inventory backend on 127.0.0.1:%d; visitors on 127.0.0.10-29 (~40 requests/s, "
               "browsing, product pages, search, cart, checkout calling the backend, logins), a crawler on "
               "127.0.0.35, a monitor on 127.0.0.30 asking /shop/health.jsp every 10 s; wall-clock times"
               % (version, PORT, BACKEND))
    labels["catalina"].note("this file is Tomcat's catalina.YYYY-MM-DD.log (JULI OneLineFormatter): start-up, "
                            "deployment and shutdown messages, connector warnings; its start-up has Debian's SEVERE "
                            "AprLifecycleListener 'An incompatible version [1.2.35] of the Apache Tomcat Native "
                            "library is installed' (libtcnative-1 1.2 with Tomcat 10.1.60), which is no incident")
    labels["localhost"].note("this file is Tomcat's localhost.YYYY-MM-DD.log (JULI OneLineFormatter): servlet "
                             "exceptions with stack traces and the webapp's ServletContext.log lines; normal "
                             "background: a few PatternSyntaxException traces from searches like '(lamp'")
    labels["access"].note("this file is the AccessLogValve's localhost_access_log.YYYY-MM-DD.txt (Debian's pattern "
                          "%h %l %u %t \"%r\" %s %b); normal background: 404s for missing product images, "
                          "/favicon.ico, /robots.txt and removed products, a few 400s and 500s")
    times = {}
    traffic = Traffic(2026, tomcat.modified)
    threads = []
    ok = False
    try:
        backend.start()
        tomcat.start()
        threads = traffic.run()
        t0 = now()
        sleep_until(t0 + 90 * SCALE)

        # 1. the backend stops: checkouts fail with Connection refused, inventory lookups fail
        start = now()
        backend.stop()
        time.sleep(30 * SCALE)
        backend.start()
        back = now()
        times["backend-down"] = (start, back)
        sleep_until(back + 50 * SCALE)

        # 2. a scanner
        start, sent, scan_status = scanner(30 * SCALE)
        end = now()
        times["scanner"] = (start, end)
        sleep_until(end + 50 * SCALE)

        # 3. a broken web.xml deployed: autoDeploy reloads /shop and fails; the fix is reloaded by the next check
        start = now()
        rel0 = len(tomcat.grep("catalina", "Reloading context [/shop]"))
        tomcat.set_web_xml(BROKEN_WEB_XML.format(backend=BACKEND))
        time.sleep(max(25 * SCALE, 15))  # at least one autoDeploy check (every 10 s) sees it
        fixed = now()
        tomcat.set_web_xml(WEB_XML.format(backend=BACKEND))
        deadline = now() + 40
        while now() < deadline:  # the next autoDeploy check (every 10 s) starts it again
            if len(tomcat.grep("catalina", "Reloading context [/shop]")) >= rel0 + 2:
                break
            time.sleep(0.5)
        reloaded = now()
        while now() < deadline and traffic.last_seen(200, "/shop/") < reloaded:
            time.sleep(0.5)
        end = now()
        times["broken-redeploy"] = (start, fixed, end)
        sleep_until(end + 50 * SCALE)

        # 4. the backend stalls: answers in 2.5-6 s, past the 3 s (payments) and 1.5 s (inventory) read timeouts
        start = now()
        backend.slow = True
        time.sleep(30 * SCALE)
        backend.slow = False
        back = now()
        times["slow-backend"] = (start, back)
        sleep_until(back + 56 * SCALE)
        ok = True
    finally:
        traffic.stop.set()
        for t in threads:
            t.join(20)
        deadline = now() + 30
        while traffic.active > 0 and now() < deadline:
            time.sleep(0.2)
        try:
            tomcat.stop()
            backend.stop()
            if ok:
                for k in files:
                    tomcat.collect(k, os.path.join(OUT, "%s.%s.log" % (NAME, k)))
                write_labels(labels, times)
                for k in files:
                    labels[k].write(os.path.join(OUT, "%s.%s.labels.tsv" % (NAME, k)))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print("%s: %d visitors, %s" % (NAME, traffic.visitors, ", ".join(
        "%s %d" % kv for kv in sorted(traffic.status.items(), key=str))), file=sys.stderr)


def read_entries(path):
    """A JULI log as entries: (time, first line, whole text with the continuation lines of a stack trace)."""
    entries = []
    with open(path, errors="replace") as f:
        for line in f:
            t = log_time(line)
            if t or not entries:
                entries.append([t, line.rstrip("\n"), line])
            else:
                entries[-1][2] += line
    return entries


ACCESS = re.compile(r'^(\S+) \S+ \S+ \[([^\]]+)\] "([^"]*)" (\d{3}) (\S+)')


def read_access(path):
    """The access log as (time, client, method, path, status)."""
    rows = []
    with open(path, errors="replace") as f:
        for line in f:
            m = ACCESS.match(line)
            if not m:
                continue
            t = datetime.datetime.strptime(m.group(2), "%d/%b/%Y:%H:%M:%S %z").timestamp()
            req = m.group(3).split(" ")
            rows.append((t, m.group(1), req[0], req[1] if len(req) > 1 else "-", int(m.group(4))))
    return rows


def write_labels(labels, times):
    """The rows, from what the three logs show of each incident (read after Tomcat stopped and flushed them)."""
    cat = read_entries(os.path.join(OUT, NAME + ".catalina.log"))
    loc = read_entries(os.path.join(OUT, NAME + ".localhost.log"))
    acc = read_access(os.path.join(OUT, NAME + ".access.log"))
    def window(rows, t0, t1):
        return [r for r in rows if t0 - 1 <= r[0] <= t1]

    def span(rows, start, fallback):
        return (min([start] + [r[0] for r in rows]), max([fallback] + [r[0] for r in rows]))

    for kind, exc in (("backend-down", "Connection refused"), ("slow-backend", "Read timed out")):
        if kind not in times:
            continue
        start, back = times[kind]
        lim = back + 12  # calls begun before the backend came back, the health check after it
        traces = [e for e in window(loc, start, lim) if "StandardWrapperValve" in e[1] and exc in e[2]]
        inv = [e for e in window(loc, start, lim) if "inventory lookup failed" in e[1] and exc in e[1]]
        what = "stopped" if kind == "backend-down" else "answered in 2.5-6 s"
        kword = "upstream-outage" if kind == "backend-down" else "upstream-timeout"
        cause = "java.net.ConnectException" if kind == "backend-down" else "java.net.SocketTimeoutException"
        if traces or inv:
            ls, le = span(traces + inv, start, back)
            labels["localhost"].add(
                kind, ls, le + 1, kword,
                "127.0.0.1:%d|http://127.0.0.1:%d/payments/authorize|http://127.0.0.1:%d" % (BACKEND, BACKEND, BACKEND),
                "the payments/inventory backend 127.0.0.1:%d %s for %d s: %d checkouts fail with SEVERE "
                "StandardWrapperValve Servlet.service() for servlet [jsp] in context with path [/shop] threw "
                "exception (java.io.IOException: I/O error on POST request for \"http://127.0.0.1:%d/payments/"
                "authorize\": %s, caused by %s, stack traces) and %d product views log 'inventory lookup failed for "
                "sku ...: I/O error on GET request for \"http://127.0.0.1:%d/inventory/stock?sku=...\": %s'"
                % (BACKEND, what, round(back - start), len(traces), BACKEND, exc, cause, len(inv), BACKEND, exc))
        else:
            labels["localhost"].note("%s (%s to %s) left nothing in the localhost log" % (kind, iso(start), iso(back)))
        bad = [r for r in window(acc, start, lim) if (r[3] == "/shop/checkout.jsp" and r[4] == 500)
               or (r[3] == "/shop/health.jsp" and r[4] == 503)]
        if bad:
            as_, ae = span(bad, start, back)
            labels["access"].add(
                kind, as_, ae + 1, kword, "/shop/checkout.jsp|/shop/health.jsp",
                "the backend 127.0.0.1:%d %s for %d s: %d POST /shop/checkout.jsp answered 500%s, the monitor's "
                "/shop/health.jsp 503 (%d); the access log does not name the backend"
                % (BACKEND, what, round(back - start), sum(r[3] == "/shop/checkout.jsp" for r in bad),
                   "" if kind == "backend-down" else " after the 3 s read timeout",
                   sum(r[3] == "/shop/health.jsp" for r in bad)))
        else:
            labels["access"].note("%s (%s to %s) left nothing in the access log" % (kind, iso(start), iso(back)))
        labels["catalina"].note("%s (%s to %s) does not show in the catalina log: the servlet exceptions go to the "
                                "localhost log" % (kind, iso(start), iso(back)))

    if "scanner" in times:
        start, end = times["scanner"]
        rows = [r for r in window(acc, start, end + 2) if r[1] == SCANNER]
        st = {}
        for r in rows:
            st[r[4]] = st.get(r[4], 0) + 1
        ss, se = span(rows, start, end)
        labels["access"].add(
            "scanner", ss, se + 1, "scanner", SCANNER,
            "127.0.0.66 probes well-known paths and methods, %d requests in %d s (/manager/html, /.env, "
            "/.git/config, /WEB-INF/web.xml, /wp-login.php, encoded traversals, PUT shell.jsp, TRACE): %s"
            % (len(rows), round(end - start), ", ".join("%d %d" % kv for kv in sorted(st.items()))))
        parse = [e for e in window(cat, start, end + 2) if "Error parsing HTTP request header" in e[1]]
        if parse:
            labels["catalina"].note(
                "scanner (%s to %s, 127.0.0.66) shows in the catalina log only as %d INFO entry 'Error parsing HTTP "
                "request header' (Invalid character found in the request target) at %s, which does not name the "
                "client: not labelled" % (iso(start), iso(end), len(parse), iso(parse[0][0])))
        else:
            labels["catalina"].note("scanner (%s to %s, 127.0.0.66) does not show in the catalina log"
                                    % (iso(start), iso(end)))
        labels["localhost"].note("scanner (%s to %s, 127.0.0.66) does not show in the localhost log"
                                 % (iso(start), iso(end)))

    if "broken-redeploy" in times:
        start, fixed, end = times["broken-redeploy"]
        rows = window(cat, start, end + 2)
        reloads = [e for e in rows if "Reloading context [/shop]" in e[1]]
        severe = [e for e in rows if " SEVERE " in e[1]]
        cs, ce = span(reloads + severe, reloads[0][0] if reloads else start, end)
        labels["catalina"].add(
            "broken-redeploy", cs, ce + 1, "deploy-failure", "/shop|webapps/shop/WEB-INF/web.xml",
            "a web.xml with an unclosed element copied into webapps/shop: the autoDeploy check reloads the context "
            "and fails, %d SEVERE entries (Parse fatal error, Parse error in application web.xml ... The element "
            "type \"context-param\" must be terminated, Marking this application unavailable, Context [/shop] "
            "startup failed due to previous errors); the fixed web.xml, back %d s after the broken one, is loaded by "
            "the next check" % (len(severe), round(fixed - start)))
        down = [r for r in window(acc, cs, end + 2) if r[3].startswith("/shop") and r[4] == 404
                and not re.search(r"img/p(%s)\.jpg|id=(\d{3,}|4[1-9]|[5-9]\d)" % "|".join(map(str, NO_IMAGE)), r[3])
                and r[1] != SCANNER]
        as_, ae = span(down, cs, cs)
        labels["access"].add(
            "broken-redeploy", as_, ae + 1, "deploy-failure", "/shop",
            "the /shop context failed to reload with a broken web.xml: %d requests for /shop pages, static files "
            "and the monitor's /shop/health.jsp answered 404 for %d s, until the fixed web.xml was loaded"
            % (len(down), round(ae - as_)))
        labels["localhost"].note("broken-redeploy (%s to %s, /shop) does not show in the localhost log"
                                 % (iso(start), iso(end)))
    for l in labels.values():
        l.rows.sort(key=lambda r: r[1])


def iso(epoch):
    return time.strftime("%H:%M:%S", time.gmtime(epoch))


def log_time(line):
    """The time of a JULI OneLineFormatter line (dd-MMM-yyyy HH:mm:ss.SSS, the JVM runs with TZ=UTC), or 0."""
    try:
        return datetime.datetime.strptime(line[:24], "%d-%b-%Y %H:%M:%S.%f").replace(
            tzinfo=datetime.timezone.utc).timestamp()
    except ValueError:
        return 0


if __name__ == "__main__":
    main()
