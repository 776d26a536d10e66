package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * nginx error log:
 * <pre>
 * 2026/01/15 10:00:00 [error] 1234#0: *5 connect() failed (111: Connection refused), client: 1.2.3.4, server: x, request: "GET / HTTP/1.1"
 * </pre>
 * The context nginx appends ({@code , client: ..., server: ..., request: ...}) is moved into attributes so that
 * the message holds only the error text; the client address becomes the host, and the request line's method and
 * path are attributes too, as an access log's are (so an anomaly of errors names the endpoint they came from).
 */
final class NginxErrorFormat implements LogFormat {

    private static final String[] CONTEXT_KEYS = {"client", "server", "request", "upstream", "host", "referrer"};

    private final TimestampParser timestamps;

    NginxErrorFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "nginx-error";
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        if (n < 24 || line.charAt(4) != '/' || line.charAt(19) != ' ' || line.charAt(20) != '[') return null;
        Instant timestamp = timestamps.iso(line, 0, 19);
        if (timestamp == null) return null;
        int levelEnd = line.indexOf(']', 21);
        if (levelEnd < 0) return null;
        Level level = Level.parse(line.substring(21, levelEnd));
        if (level == Level.UNKNOWN) return null;
        // pid#tid:
        int p = levelEnd + 2;
        int hash = p;
        while (hash < n && TimestampParser.isDigit(line.charAt(hash))) hash++;
        if (hash == p || hash >= n || line.charAt(hash) != '#') return null;
        int colon = line.indexOf(':', hash);
        if (colon < 0) return null;
        Map<String, String> attributes = new Attributes(4);
        attributes.put("pid", line.substring(p, hash));
        attributes.put("tid", line.substring(hash + 1, colon));
        p = colon + 1;
        while (p < n && line.charAt(p) == ' ') p++;
        if (p < n && line.charAt(p) == '*') {
            int end = p + 1;
            while (end < n && TimestampParser.isDigit(line.charAt(end))) end++;
            if (end > p + 1) {
                attributes.put("connection", line.substring(p + 1, end));
                p = end;
                while (p < n && line.charAt(p) == ' ') p++;
            }
        }
        int contextStart = line.indexOf(", client: ", p);
        String message;
        String host = null;
        if (contextStart < 0) {
            message = line.substring(p);
        } else {
            message = line.substring(p, contextStart);
            context(line, contextStart + 2, attributes);
            host = attributes.get("client");
            String httpHost = attributes.remove("host");
            if (httpHost != null) attributes.put("http_host", httpHost);
            request(attributes.get("request"), attributes);
        }
        return new LogEvent(source, timestamp, level, null, host, message, attributes, line, ref);
    }

    /** {@code "GET /static/app.js?v=2 HTTP/1.1"}: method {@code GET}, path {@code /static/app.js?v=2}. */
    static void request(String request, Map<String, String> attributes) {
        if (request == null) return;
        int space = request.indexOf(' ');
        if (space <= 0 || space + 1 >= request.length() || request.charAt(space + 1) != '/') return;
        int end = request.indexOf(' ', space + 1);
        attributes.put("method", request.substring(0, space));
        attributes.put("path", request.substring(space + 1, end < 0 ? request.length() : end));
    }

    // key: value, key: "quoted value", ...
    private static void context(String line, int p, Map<String, String> attributes) {
        int n = line.length();
        while (p < n) {
            int colon = line.indexOf(": ", p);
            if (colon < 0) return;
            String key = line.substring(p, colon);
            if (!isContextKey(key)) return;
            int v = colon + 2;
            int end;
            String value;
            if (v < n && line.charAt(v) == '"') {
                int q = AccessLogFormat.closingQuote(line, v + 1);
                if (q < 0) q = n;
                value = line.substring(v + 1, q);
                end = Math.min(q + 1, n);
            } else {
                end = line.indexOf(", ", v);
                if (end < 0) end = n;
                value = line.substring(v, end);
            }
            attributes.put(key, value);
            if (end + 2 > n || line.charAt(end) != ',') return;
            p = end + 2;
        }
    }

    private static boolean isContextKey(String key) {
        for (String k : CONTEXT_KEYS) {
            if (k.equals(key)) return true;
        }
        return false;
    }
}
