package io.logwarden.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real HTTP server on 127.0.0.1 serving the same 23 records in every common pagination style, and misbehaving
 * on purpose: 429 with Retry-After and 500 on some pages, malformed JSON once, a cursor that loops, a record
 * without its key.
 */
final class ApiServer {

    static final int RECORDS = 23;
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    final HttpServer server;
    final int closedPort;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** Records of the /since endpoint; tests add to it between runs. */
    final List<String> growing = new CopyOnWriteArrayList<>();
    /** Records of the /uuids endpoint (UUID keys, which do not increase); tests add to it between runs. */
    final List<String> uuids = new CopyOnWriteArrayList<>();

    private ApiServer(HttpServer server, int closedPort) {
        this.server = server;
        this.closedPort = closedPort;
    }

    static String record(int i) {
        String level = i % 7 == 0 ? "WARN" : "INFO";
        return "{\"id\":" + i + ",\"ts\":\"" + T0.plusSeconds(30L * i) + "\",\"level\":\"" + level
                + "\",\"message\":\"order " + (1000 + i) + " accepted in " + (10 + i) + " ms\",\"host\":\"api-1\"}";
    }

    static String records(int from, int to) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = from; i < Math.min(to, RECORDS); i++) {
            if (sb.length() > 1) sb.append(',');
            sb.append(record(i));
        }
        return sb.append(']').toString();
    }

    static ApiServer start() {
        try {
            int closed;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closed = s.getLocalPort(); // closed again at once: nothing listens there during the tests
            }
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            ApiServer api = new ApiServer(server, closed);
            server.createContext("/", api::handle);
            server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int calls(String key) {
        return calls.computeIfAbsent(key, k -> new AtomicInteger()).get();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        int n = calls.computeIfAbsent(path + "?" + q, k -> new AtomicInteger()).incrementAndGet();
        calls.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        switch (path) {
            case "/paged" -> {
                if (!"secret".equals(ex.getRequestHeaders().getFirst("X-Api-Key"))) {
                    send(ex, 401, "{\"error\":\"no key\"}");
                    return;
                }
                int page = Integer.parseInt(q.get("page"));
                int size = Integer.parseInt(q.get("size"));
                if (page == 2 && n == 1) {
                    ex.getResponseHeaders().add("Retry-After", "1");
                    send(ex, 429, "{\"error\":\"slow down\"}");
                } else if (page == 3 && n == 1) {
                    send(ex, 500, "{\"error\":\"oops\"}");
                } else {
                    send(ex, 200, "{\"items\":" + records((page - 1) * size, page * size) + "}");
                }
            }
            case "/offset" -> {
                if (!"Bearer tok".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    send(ex, 401, "{}");
                    return;
                }
                int offset = Integer.parseInt(q.get("offset"));
                int limit = Integer.parseInt(q.get("limit"));
                if (offset == 10 && n == 1) {
                    send(ex, 503, "busy");
                    return;
                }
                send(ex, 200, "{\"data\":" + records(offset, offset + limit) + "}");
            }
            case "/cursor" -> {
                int at = q.containsKey("cursor") ? Integer.parseInt(q.get("cursor").substring(1)) : 0;
                String next = at + 8 < RECORDS ? "\"c" + (at + 8) + "\"" : "null";
                send(ex, 200, "{\"data\":" + records(at, at + 8) + ",\"meta\":{\"next\":" + next + "}}");
            }
            case "/nexturl" -> {
                int at = q.containsKey("from") ? Integer.parseInt(q.get("from")) : 0;
                String next = at + 6 < RECORDS ? "\"" + base() + "/nexturl?from=" + (at + 6) + "\"" : "\"\"";
                send(ex, 200, "{\"items\":" + records(at, at + 6) + ",\"next\":" + next + "}");
            }
            case "/link" -> {
                int page = q.containsKey("p") ? Integer.parseInt(q.get("p")) : 0;
                if ((page + 1) * 9 < RECORDS) {
                    ex.getResponseHeaders().add("Link", "</link?p=0>; rel=\"first\", </link?p=" + (page + 1) + ">; rel=\"next\"");
                }
                send(ex, 200, records(page * 9, page * 9 + 9));
            }
            case "/loop" -> send(ex, 200, "{\"items\":" + records(0, 3) + ",\"next\":\"again\"}");
            case "/malformed" -> {
                int page = Integer.parseInt(q.get("page"));
                if (page == 2 && n == 1) {
                    send(ex, 200, "{\"items\":[{\"id\":10,\"ts\":\"2026-03-01T10:05:00Z\",\"mess");
                } else {
                    send(ex, 200, "{\"items\":" + records((page - 1) * 10, page * 10) + "}");
                }
            }
            case "/nokey" -> send(ex, 200, "{\"items\":" + records(0, 3).replace("{\"id\":2,", "{") + "}");
            case "/since" -> {
                Instant after = Instant.parse(q.get("after"));
                String body = growing.stream().filter(r -> Instant.parse(r.replaceAll(".*\"ts\":\"([^\"]+)\".*", "$1")).compareTo(after) >= 0)
                        .collect(Collectors.joining(",", "[", "]"));
                send(ex, 200, body);
            }
            case "/uuids" -> {
                Instant after = Instant.parse(q.get("after"));
                send(ex, 200, uuids.stream().filter(r -> Instant.parse(r.replaceAll(".*\"ts\":\"([^\"]+)\".*", "$1"))
                        .compareTo(after) >= 0).collect(Collectors.joining(",", "[", "]")));
            }
            case "/slow" -> {
                try {
                    Thread.sleep(2500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                send(ex, 200, "[" + record(1) + "]");
            }
            case "/busy" -> send(ex, 503, "{\"error\":\"busy\"}");
            case "/later" -> {
                ex.getResponseHeaders().add("Retry-After", "90");
                send(ex, 429, "{\"error\":\"come back later\"}");
            }
            default -> send(ex, 404, "{}");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) return q;
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) q.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return new java.util.TreeMap<>(q);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    /** The REST sources of the test context, one per pagination style and per failure. */
    void register(DynamicPropertyRegistry r) {
        String[][] sources = {
                {"paged", "/paged", "page", "items", "5"},
                {"offset", "/offset", "offset", "data", "10"},
                {"cursor", "/cursor", "cursor", "$.data", "8"},
                {"next-url", "/nexturl", "cursor", "items", "6"},
                {"link", "/link", "link", "", "9"},
                {"loop", "/loop", "cursor", "items", "3"},
                {"malformed", "/malformed", "page", "items", "10"},
                {"unreachable", "http://127.0.0.1:" + closedPort + "/events", "none", "", "10"},
                {"no-key", "/nokey", "none", "items", "10"},
                {"since", "/since?after={since}", "none", "", "10"},
                {"uuids", "/uuids?after={since}", "none", "", "10"},
                {"busy", "/busy?api_key=s3cr3t-in-query", "none", "", "10"},
                {"later", "/later", "none", "", "10"},
                {"slow", "/slow", "none", "", "10"},
        };
        for (int i = 0; i < sources.length; i++) {
            String p = "logwarden.sources.rest[" + i + "].";
            String[] s = sources[i];
            r.add(p + "name", () -> s[0]);
            r.add(p + "url", () -> s[1].startsWith("/") ? base() + s[1] : s[1]);
            r.add(p + "pagination", () -> s[2]);
            r.add(p + "records-path", () -> s[3]);
            r.add(p + "page-size", () -> s[4]);
            r.add(p + "mapping.level", () -> "level");
            r.add(p + "mapping.host", () -> "host");
            r.add(p + "backoff", () -> "20ms");
            r.add(p + "max-retries", () -> "2");
            r.add(p + "schedule.every", () -> "1h");
            r.add(p + "schedule.initial-delay", () -> "1h");
        }
        r.add("logwarden.sources.rest[0].headers.X-Api-Key", () -> "secret");
        r.add("logwarden.sources.rest[1].page-param", () -> "offset");
        r.add("logwarden.sources.rest[1].size-param", () -> "limit");
        r.add("logwarden.sources.rest[1].bearer-token", () -> "tok");
        r.add("logwarden.sources.rest[2].cursor-path", () -> "$.meta.next");
        r.add("logwarden.sources.rest[12].max-backoff", () -> "1s");
    }
}
