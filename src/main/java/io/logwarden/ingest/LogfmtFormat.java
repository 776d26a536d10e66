package io.logwarden.ingest;

import io.logwarden.event.AsciiClasses;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * logfmt, as Go's logrus, go-kit, slog's text handler and Heroku write it:
 * {@code ts=2026-01-15T10:00:00Z level=error caller=db.go:12 msg="query failed" err="timeout"}. Values may be
 * quoted with backslash escapes; a key alone is {@code true}. The time comes from {@code ts}, {@code time},
 * {@code timestamp} or {@code t}; the level from {@code level}, {@code lvl} or {@code severity}; the message
 * from {@code msg} or {@code message}; the service from {@code logger}, {@code component}, {@code service} or
 * {@code app}; other pairs become attributes. A line without a message key (Prometheus's start-up lines
 * {@code ts=… caller=main.go:557 level=info host_details="(Linux …)"}) has its other pairs, as written, for message:
 * {@code host_details="(Linux …)"}. A line needs at least two pairs and a time, level or message key.
 * Immutable and thread-safe.
 */
final class LogfmtFormat implements LogFormat {

    private static final String[] TIME = {"ts", "time", "timestamp", "t", "@timestamp"};
    private static final String[] LEVEL = {"level", "lvl", "severity", "loglevel"};
    private static final String[] MESSAGE = {"msg", "message"};
    private static final String[] SERVICE = {"logger", "component", "service", "app", "module"};
    private static final String[] HOST = {"host", "hostname"};
    /** Pairs a message made of a line's pairs leaves out: the header's and the source location's. */
    private static final java.util.Set<String> NOT_MESSAGE = java.util.Set.of(
            "ts", "time", "timestamp", "t", "@timestamp", "level", "lvl", "severity", "loglevel",
            "logger", "component", "service", "app", "module", "host", "hostname", "caller", "source");

    private final TimestampParser timestamps;

    LogfmtFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "logfmt";
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        if (n < 5 || !isKeyChar(line.charAt(0))) return null;
        Map<String, String> pairs = new HashMap<>(16);
        int valued = 0;
        int p = 0;
        while (p < n) {
            while (p < n && line.charAt(p) == ' ') p++;
            if (p >= n) break;
            int keyStart = p;
            while (p < n && isKeyChar(line.charAt(p))) p++;
            if (p == keyStart) return null;
            String key = line.substring(keyStart, p);
            if (p >= n || line.charAt(p) == ' ') {
                pairs.put(key, "true");
                continue;
            }
            if (line.charAt(p) != '=') return null;
            p++;
            valued++;
            if (p < n && line.charAt(p) == '"') {
                StringBuilder value = new StringBuilder();
                p++;
                boolean closed = false;
                while (p < n) {
                    char c = line.charAt(p++);
                    if (c == '\\' && p < n) {
                        char e = line.charAt(p++);
                        value.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed || (p < n && line.charAt(p) != ' ')) return null;
                pairs.put(key, value.toString());
            } else {
                int start = p;
                while (p < n && line.charAt(p) != ' ') p++;
                pairs.put(key, line.substring(start, p));
            }
        }
        if (valued < 2) return null;
        String time = take(pairs, TIME);
        String levelText = take(pairs, LEVEL);
        String message = take(pairs, MESSAGE);
        if (time == null && levelText == null && message == null) return null;
        Instant timestamp = null;
        if (time != null) {
            timestamp = timestamps.parse(time);
            if (timestamp == null) pairs.put("timestamp.raw", time);
        }
        return new LogEvent(source, timestamp, Level.parse(levelText), take(pairs, SERVICE), take(pairs, HOST),
                message == null ? otherPairs(line) : message, pairs, line, ref);
    }

    /** The pairs of a line that has no message key, as written, but for the header's ({@link #NOT_MESSAGE}). */
    private static String otherPairs(String line) {
        StringBuilder message = new StringBuilder(line.length());
        int n = line.length();
        int p = 0;
        while (p < n) {
            while (p < n && line.charAt(p) == ' ') p++;
            int start = p;
            while (p < n && isKeyChar(line.charAt(p))) p++;
            if (p == start) { // not after parse(), which takes only pairs; kept from looping on any other line
                p++;
                continue;
            }
            String key = line.substring(start, p);
            if (p < n && line.charAt(p) == '=') {
                p++;
                if (p < n && line.charAt(p) == '"') {
                    p++;
                    while (p < n && line.charAt(p) != '"') p += line.charAt(p) == '\\' ? 2 : 1;
                    p++;
                }
                while (p < n && line.charAt(p) != ' ') p++;
            }
            if (p > start && !NOT_MESSAGE.contains(key)) {
                if (message.length() > 0) message.append(' ');
                message.append(line, start, Math.min(p, n));
            }
        }
        return message.toString();
    }

    private static String take(Map<String, String> pairs, String[] names) {
        for (String name : names) {
            String value = pairs.remove(name);
            if (value != null) return value;
        }
        return null;
    }

    /** The characters of a key: letters, digits and {@code _.-@/}, looked up without a branch (see {@link AsciiClasses}). */
    private static final byte[] KEY_CHARS = new byte[128];

    static {
        AsciiClasses.mark(KEY_CHARS, AsciiClasses.LETTERS + AsciiClasses.DIGITS + "_.-@/", 1);
    }

    private static boolean isKeyChar(char c) {
        return AsciiClasses.of(KEY_CHARS, c) != 0;
    }
}
