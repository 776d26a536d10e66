package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PHP's logs: PHP-FPM's error log and slow log, and PHP's own {@code error_log} file.
 * <pre>
 * [03-Dec-2026 09:34:38] WARNING: [pool www] server reached pm.max_children setting (12), consider raising it
 * [03-Dec-2026 09:33:02] WARNING: [pool www] child 26968 said into stderr: "NOTICE: PHP message: PHP Warning:  Undefined array key "ref" in /srv/shop/product.php on line 14"
 * [03-Dec-2026 09:36:38] WARNING: [pool api] child 27623, script '/srv/api/v1/price.php' (request: "GET /v1/price.php?sku=1") execution timed out (20.518064 sec), terminating
 * [03-Dec-2026 09:36:21]  [pool api] pid 27623                    (the slow log: a record of lines, then a blank one)
 * script_filename = /srv/api/v1/price.php
 * [0x00007f1a27a13150] file_get_contents() /srv/api/lib/inventory.php:5
 * [0x00007f1a27a130c0] inventory_get() /srv/api/v1/price.php:7
 * [03-Dec-2026 09:33:02 UTC] PHP Fatal error:  Uncaught Error: Call to undefined function f() in /srv/a.php:3   (error_log)
 * </pre>
 * The pool is the service. What a worker wrote ({@code child N said into stderr: "…"}, which FPM logs as a warning
 * whatever it says) is the message, unwrapped, with the level PHP gave it: fatal, parse and compile errors are
 * errors, warnings warnings, notices and deprecations information; an application's own {@code error_log()} line
 * keeps FPM's warning unless it names a level. The worker's pid is {@code pid}; a slow or timed-out request's method
 * and URI are {@code method} and {@code path}. A slow-log record reads as one event whose message names the script
 * and the calls it was in ({@code slow request: /srv/api/v1/price.php in file_get_contents() < inventory_get()}),
 * the script as {@code script}. Stamps with a zone (PHP's own log) are read in it, others in the default zone.
 */
final class PhpFormat implements LogFormat {

    private static final int MAX_ZONE = 40;
    private static final int MAX_ZONES = 64;

    private final TimestampParser timestamps;
    private final RecentText pools = new RecentText();
    private final Map<String, ZoneId> zones = new ConcurrentHashMap<>();

    PhpFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "php";
    }

    @Override
    public boolean foldsUntimedLines() {
        return true; // a slow log's record, and the rest of a worker's line that held a line break
    }

    @Override
    public boolean continues(String line) {
        return LogFormat.super.continues(line) || line.startsWith("script_filename = ") || frameEnd(line) > 0;
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        if (n < 24 || line.charAt(0) != '[') return null;
        int end = TimestampShape.DASHED_MONTH_NAME.end(line, 1);
        if (end < 0 || end >= n) return null;
        int close;
        ZoneId zone = null;
        if (line.charAt(end) == ']') {
            close = end;
        } else {
            if (line.charAt(end) != ' ') return null;
            close = line.indexOf(']', end);
            if (close < 0 || close - end > MAX_ZONE) return null;
            zone = zone(line.substring(end + 1, close));
            if (zone == null) return null;
        }
        if (close + 2 >= n || line.charAt(close + 1) != ' ') return null;
        Instant timestamp = TimestampShape.DASHED_MONTH_NAME.read(timestamps, line, 1, end);
        if (timestamp == null) return null;
        if (zone != null && !zone.equals(timestamps.defaultZone())) {
            timestamp = LocalDateTime.ofInstant(timestamp, timestamps.defaultZone()).atZone(zone).toInstant();
        }
        int p = close + 2;
        Attributes attributes = new Attributes(4);
        if (line.charAt(p) == ' ') { // the slow log: "[stamp]  [pool api] pid 27623"
            int at = pool(line, p + 1, attributes);
            if (at < 0 || !line.startsWith("pid ", at)) return null;
            int pidEnd = TimestampParser.digitsEnd(line, at + 4, n);
            if (pidEnd == at + 4 || pidEnd != n) return null;
            attributes.addSpan("pid", line, at + 4, pidEnd);
            return new LogEvent(source, timestamp, Level.WARN, attributes.remove("pool"), null, line.substring(at),
                    attributes, line, ref);
        }
        if (line.startsWith("PHP ", p)) { // PHP's own log: "PHP Warning:  …"
            Level level = phpLevel(line, p);
            if (level == null) return null;
            return new LogEvent(source, timestamp, level, null, null, line.substring(p), attributes, line, ref);
        }
        int colon = line.indexOf(": ", p);
        Level level = colon < 0 || colon - p > 7 ? null : fpmLevel(line, p, colon);
        if (level == null) {
            if (zone == null) return null;
            // PHP's own log, a line an application gave error_log(): no level but one it names
            String message = line.substring(p);
            Level named = LevelWords.find(message);
            return new LogEvent(source, timestamp, named == null ? Level.UNKNOWN : named, null, null, message,
                    attributes, line, ref);
        }
        p = colon + 2;
        if (line.startsWith("pid ", p)) { // log_level = debug: "pid 1234, fpm_event_loop(), line 412: …"
            int pidEnd = TimestampParser.digitsEnd(line, p + 4, n);
            if (pidEnd > p + 4 && line.startsWith(", ", pidEnd)) {
                attributes.addSpan("pid", line, p + 4, pidEnd);
                p = pidEnd + 2;
            }
        }
        String service = null;
        if (line.startsWith("[pool ", p)) {
            int at = pool(line, p, attributes);
            if (at < 0) return null;
            service = attributes.remove("pool");
            p = at;
        }
        String message = line.substring(p);
        if (line.startsWith("child ", p)) {
            int pidEnd = TimestampParser.digitsEnd(line, p + 6, n);
            if (pidEnd > p + 6) {
                attributes.addSpan("pid", line, p + 6, pidEnd);
                if (line.startsWith(" said into std", pidEnd)) {
                    int open = line.indexOf(": \"", pidEnd);
                    if (open > 0) {
                        String said = said(line, open + 3, n);
                        Level saidLevel = said.startsWith("PHP ") ? phpLevel(said, 0) : null;
                        Level named = saidLevel != null ? saidLevel : LevelWords.find(said);
                        return new LogEvent(source, timestamp, named != null ? named : level, service, null, said,
                                attributes, line, ref);
                    }
                } else if (line.startsWith(", script '", pidEnd)) {
                    request(line, pidEnd, n, attributes);
                }
            }
        }
        return new LogEvent(source, timestamp, level, service, null, message, attributes, line, ref);
    }

    /**
     * A slow-log record's lines after its first: the script and the calls it was in, innermost first, make the
     * message ({@code slow request: /srv/a.php in f() < g()}); the record's lines stay in the event's text.
     */
    @Override
    public LogEvent withFolded(LogEvent event, String folded) {
        if (!event.message().startsWith("pid ") || !folded.startsWith("script_filename = ")) {
            return LogFormat.super.withFolded(event, folded);
        }
        int nl = folded.indexOf('\n');
        String script = folded.substring("script_filename = ".length(), nl < 0 ? folded.length() : nl).strip();
        StringBuilder message = new StringBuilder(96).append("slow request: ").append(script);
        int calls = 0;
        while (nl >= 0 && calls < 4) {
            int from = nl + 1;
            nl = folded.indexOf('\n', from);
            String frame = folded.substring(from, nl < 0 ? folded.length() : nl);
            int at = frameEnd(frame);
            if (at < 0) continue;
            int space = frame.indexOf(' ', at);
            message.append(calls++ == 0 ? " in " : " < ").append(frame, at, space < 0 ? frame.length() : space);
        }
        Attributes attributes = new Attributes(event.attributes().size() + 1);
        event.attributes().forEach(attributes::add);
        attributes.add("script", script);
        return new LogEvent(event.source(), event.timestamp(), event.level(), event.service(), event.host(),
                message.toString(), attributes, event.raw() + "\n" + folded, event.ref());
    }

    /** Past a slow-log frame's address ({@code [0x00007f1a27a13150] }), or -1 for any other line. */
    private static int frameEnd(String line) {
        if (!line.startsWith("[0x")) return -1;
        int close = line.indexOf("] ", 3);
        if (close < 4) return -1;
        for (int i = 3; i < close; i++) {
            if (Character.digit(line.charAt(i), 16) < 0) return -1;
        }
        return close + 2;
    }

    /** Reads "[pool NAME] " at {@code p} into the attribute {@code pool}; where what follows starts, or -1. */
    private int pool(String line, int p, Attributes attributes) {
        if (!line.startsWith("[pool ", p)) return -1;
        int close = line.indexOf("] ", p + 6);
        if (close <= p + 6 || close - p > 70) return -1;
        attributes.add("pool", pools.of(line, p + 6, close));
        return close + 2;
    }

    /** FPM's levels: DEBUG, NOTICE, WARNING, ERROR, ALERT. */
    private static Level fpmLevel(String line, int from, int to) {
        String word = line.substring(from, to);
        return switch (word) {
            case "DEBUG" -> Level.DEBUG;
            case "NOTICE" -> Level.INFO;
            case "WARNING" -> Level.WARN;
            case "ERROR" -> Level.ERROR;
            case "ALERT" -> Level.FATAL;
            default -> null;
        };
    }

    /** The level of "PHP Warning:  …" or "PHP Fatal error:  …" at {@code p}; null for a type PHP does not write. */
    private static Level phpLevel(String text, int p) {
        int colon = text.indexOf(':', p + 4);
        if (colon < 0 || colon - p > 32) return null;
        String type = text.substring(p + 4, colon);
        if (type.endsWith("error")) return Level.ERROR; // Fatal, Parse, Recoverable fatal, Core, Compile error
        if (type.endsWith("Warning")) return Level.WARN; // Warning, Core Warning, Compile Warning
        if (type.equals("Notice") || type.equals("Deprecated") || type.equals("Strict Standards")) return Level.INFO;
        return null;
    }

    /**
     * What a worker said, unwrapped: the text between the quotes, without the "NOTICE: PHP message: " PHP's FPM
     * interface puts before it. A line FPM cut at its log_limit has no closing quote.
     */
    private static String said(String line, int from, int n) {
        int to = n > from && line.charAt(n - 1) == '"' ? n - 1 : n;
        int p = from;
        if (line.startsWith("NOTICE: ", p)) p += 8;
        if (line.startsWith("PHP message: ", p)) p += 13;
        return line.substring(p, Math.max(p, to));
    }

    /** A slow or timed-out request: "child N, script '…' (request: "GET /v1/price.php?sku=1") …". */
    private static void request(String line, int from, int n, Attributes attributes) {
        int open = line.indexOf("(request: \"", from);
        if (open < 0) return;
        int start = open + 11;
        int space = line.indexOf(' ', start);
        int quote = line.indexOf('"', start);
        if (space < 0 || quote < 0 || space > quote) return;
        attributes.addSpan("method", line, start, space);
        attributes.addSpan("path", line, space + 1, quote);
    }

    private ZoneId zone(String text) {
        ZoneId zone = zones.get(text);
        if (zone != null || text.isEmpty() || text.indexOf(' ') >= 0) return zone;
        try {
            zone = ZoneId.of(text, ZoneId.SHORT_IDS);
        } catch (DateTimeException e) {
            return null;
        }
        if (zones.size() < MAX_ZONES) zones.put(text, zone);
        return zone;
    }
}
