package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;

/**
 * Squid's access log in its native format ({@code logformat squid}, the default of {@code access_log}):
 * <pre>
 * 1796205553.377      0 127.0.0.20 TCP_MISS/503 3516 GET http://shop.example:19529/ - HIER_DIRECT/127.0.0.1 text/html
 * time.millis  elapsed-ms client result/status bytes method URL user hierarchy/peer content-type
 * </pre>
 * Read as an access log line is: the message is {@code METHOD path status} (a CONNECT's path is its
 * {@code host:port}), the level comes from the status (000, no reply, a warning as nginx's 499), and the fields
 * become attributes: {@code client}, {@code status}, {@code bytes}, {@code method}, {@code path} (the URL's path and
 * query), {@code site} (the URL's {@code host:port}), {@code upstream} (the site, for a request Squid forwarded: a
 * hierarchy other than {@code HIER_NONE}), {@code peer} (the address it forwarded to), {@code result}
 * ({@code TCP_MISS}, {@code TCP_DENIED}...), {@code hierarchy}, {@code duration_ms} (the elapsed time),
 * {@code user} (when not {@code -}) and {@code content_type}. The cache's result stays out of the message, so a
 * hit and a miss of one endpoint are one template.
 */
final class SquidFormat implements LogFormat {

    private static final int FIELDS = 10;

    private final TimestampParser timestamps;
    private final RecentText results = new RecentText();
    private final RecentText statuses = new RecentText();
    private final RecentText methods = new RecentText();
    private final RecentText sites = new RecentText();
    private final RecentText hierarchies = new RecentText();
    private final RecentText peers = new RecentText();
    private final RecentText types = new RecentText();

    SquidFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "squid";
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        if (n < 30 || !TimestampParser.isDigit(line.charAt(0))) return null;
        int[] f = new int[2 * FIELDS];
        int count = 0;
        int p = 0;
        while (count < FIELDS) {
            while (p < n && line.charAt(p) == ' ') p++;
            if (p >= n) break;
            int end = p;
            while (end < n && line.charAt(end) != ' ') end++;
            f[2 * count] = p;
            f[2 * count + 1] = end;
            count++;
            p = end;
        }
        if (count < FIELDS) return null;
        // time: seconds, '.', milliseconds
        int dot = line.indexOf('.', f[0]);
        if (dot < 0 || dot >= f[1] || f[1] - dot != 4 || !LayoutFormat.digits(line, f[0], dot) || !LayoutFormat.digits(line, dot + 1, f[1])) return null;
        if (!LayoutFormat.digits(line, f[2], f[3]) || !LayoutFormat.digits(line, f[8], f[9])) return null;
        int slash = line.indexOf('/', f[6]);
        if (slash < 0 || slash >= f[7] || f[7] - slash != 4 || !LayoutFormat.digits(line, slash + 1, f[7]) || !upperWord(line, f[6], slash)) {
            return null;
        }
        int hierSlash = line.indexOf('/', f[16]);
        if (hierSlash < 0 || hierSlash >= f[17] || !upperWord(line, f[16], hierSlash)) return null;
        Instant timestamp = timestamps.epoch(line, f[0], f[1]);
        if (timestamp == null) return null;

        Attributes attributes = new Attributes(14);
        String client = line.substring(f[4], f[5]);
        String status = statuses.of(line, slash + 1, f[7]);
        String method = methods.of(line, f[10], f[11]);
        String hierarchy = hierarchies.of(line, f[16], hierSlash);
        attributes.add("client", client);
        attributes.add("status", status);
        attributes.addSpan("bytes", line, f[8], f[9]);
        attributes.add("method", method);
        attributes.add("result", results.of(line, f[6], slash));
        attributes.add("hierarchy", hierarchy);
        if (hierSlash + 1 < f[17] && !(f[17] - hierSlash == 2 && line.charAt(hierSlash + 1) == '-')) {
            attributes.add("peer", peers.of(line, hierSlash + 1, f[17]));
        }
        attributes.addSpan("duration_ms", line, f[2], f[3]);
        if (!(f[15] - f[14] == 1 && line.charAt(f[14]) == '-')) attributes.addSpan("user", line, f[14], f[15]);
        if (!(f[19] - f[18] == 1 && line.charAt(f[18]) == '-')) attributes.add("content_type", types.of(line, f[18], f[19]));

        // the URL: scheme://host:port/path, host:port (CONNECT), or /path
        int from = f[12];
        int to = f[13];
        int scheme = line.indexOf("://", from);
        int authority = scheme >= 0 && scheme < to ? scheme + 3 : line.charAt(from) == '/' ? -1 : from;
        int pathStart = authority < 0 ? from : line.indexOf('/', authority);
        if (pathStart < 0 || pathStart > to) pathStart = to;
        String path;
        if (authority >= 0) {
            String site = sites.of(line, authority, pathStart);
            attributes.add("site", site);
            if (!hierarchy.equals("HIER_NONE") && !hierarchy.equals("NONE")) attributes.add("upstream", site);
            path = pathStart < to ? line.substring(pathStart, to) : "CONNECT".equals(method) ? site : "/";
        } else {
            path = line.substring(from, to);
        }
        attributes.add("path", path);
        int code = (status.charAt(0) - '0') * 100 + (status.charAt(1) - '0') * 10 + (status.charAt(2) - '0');
        Level level = code == 0 ? Level.WARN : Level.fromHttpStatus(code);
        return new LogEvent(source, timestamp, level, "squid", client, method + " " + path + " " + status, attributes,
                line, ref);
    }

    // TCP_MISS, HIER_DIRECT, NONE: capitals, digits and '_'
    private static boolean upperWord(String text, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && c != '_' && !TimestampParser.isDigit(c)) return false;
        }
        return true;
    }
}
