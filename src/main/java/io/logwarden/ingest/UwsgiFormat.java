package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;

/**
 * uWSGI's log: its request lines and its own lines, stamped by {@code log-date}.
 * <pre>
 * [pid: 28236|app: 0|req: 25/100] 127.0.0.10 () {28 vars in 394 bytes} [Thu Dec  3 13:18:39 2026] GET /api/v2/parts/LGT-05966 => generated 339 bytes in 59 msecs (HTTP/1.1 200) 2 headers in 72 bytes (1 switches on core 0)
 * Thu Dec  3 13:19:59 2026 - *** HARAKIRI ON WORKER 4 (pid: 28633, try: 1) ***
 * </pre>
 * A request line reads as an access-log line: {@code client}, {@code user} (between the parentheses, when there is
 * one), {@code method}, {@code path}, {@code protocol}, {@code status}, {@code bytes}, {@code request_time} (in seconds,
 * as nginx's) and the worker's {@code pid}; its level is the status's, its message the request and the status
 * ({@code GET /api/v2/parts/LGT-05966 200}). A line of uWSGI's own is its message after the stamp and {@code " - "},
 * with the level a word in it names ({@code *** WARNING: …}), else none. uWSGI's lines without a stamp (its start-up
 * banner when {@code log-date} is off, an application's traceback) fold into the line before them.
 */
final class UwsgiFormat implements LogFormat {

    private final TimestampParser timestamps;
    private final RecentText methods = new RecentText();
    private final RecentText protocols = new RecentText();
    private final RecentText statuses = new RecentText();
    private final RecentText clients = new RecentText();

    UwsgiFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "uwsgi";
    }

    @Override
    public boolean foldsUntimedLines() {
        return true;
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        if (n < 30) return null;
        if (line.startsWith("[pid: ")) return request(line, 0, null, source, ref);
        // log-date: "Thu Dec  3 13:19:59 2026 - …"
        if (line.charAt(3) != ' ' || line.charAt(7) != ' ' || !line.startsWith(" - ", 24)) return null;
        Instant timestamp = timestamps.parse(line, 0, 24);
        if (timestamp == null) return null;
        if (line.startsWith("[pid: ", 27)) return request(line, 27, timestamp, source, ref);
        String message = line.substring(27).strip();
        Level level = LevelWords.find(message);
        return new LogEvent(source, timestamp, level == null ? Level.UNKNOWN : level, null, null, message,
                new Attributes(0), line, ref);
    }

    /**
     * {@code [pid: N|app: N|req: N/N] ADDRESS (USER) {N vars in N bytes} [STAMP] METHOD URI => generated N bytes in N
     * msecs (PROTOCOL STATUS) …} at {@code from}; the stamp in brackets is the request's unless the line has its own.
     */
    private LogEvent request(String line, int from, Instant stamped, String source, SourceRef ref) {
        int n = line.length();
        int close = line.indexOf("] ", from);
        if (close < 0 || close - from > 80) return null;
        int pidEnd = TimestampParser.digitsEnd(line, from + 6, close);
        if (pidEnd == from + 6) return null;
        int p = close + 2;
        int space = line.indexOf(' ', p);
        if (space <= p || !line.startsWith(" (", space)) return null;
        int userEnd = line.indexOf(") {", space + 2);
        if (userEnd < 0) return null;
        int vars = line.indexOf("} [", userEnd);
        if (vars < 0) return null;
        int stampEnd = line.indexOf("] ", vars + 3);
        if (stampEnd < 0) return null;
        Instant timestamp = stamped != null ? stamped : timestamps.parse(line, vars + 3, stampEnd);
        if (timestamp == null) return null;
        int methodEnd = line.indexOf(' ', stampEnd + 2);
        int arrow = line.indexOf(" => generated ", stampEnd + 2);
        if (methodEnd < 0 || arrow < methodEnd) return null;
        int bytesFrom = arrow + 14;
        int bytesEnd = TimestampParser.digitsEnd(line, bytesFrom, n);
        if (bytesEnd == bytesFrom || !line.startsWith(" bytes in ", bytesEnd)) return null;
        int msFrom = bytesEnd + 10;
        int msEnd = TimestampParser.digitsEnd(line, msFrom, n);
        if (msEnd == msFrom || msEnd - msFrom > 12 || !line.startsWith(" msecs (", msEnd)) return null;
        int protoFrom = msEnd + 8;
        int protoEnd = line.indexOf(' ', protoFrom);
        if (protoEnd < 0 || protoEnd + 4 >= n || line.charAt(protoEnd + 4) != ')') return null;
        int status = statusCode(line, protoEnd + 1);
        if (status < 0) return null;
        Attributes attributes = new Attributes(10);
        String method = methods.of(line, stampEnd + 2, methodEnd);
        String path = line.substring(methodEnd + 1, arrow);
        String statusText = statuses.of(line, protoEnd + 1, protoEnd + 4);
        String client = clients.of(line, p, space);
        attributes.add("method", method);
        attributes.add("path", path);
        attributes.add("protocol", protocols.of(line, protoFrom, protoEnd));
        attributes.add("status", statusText);
        attributes.addSpan("bytes", line, bytesFrom, bytesEnd);
        attributes.add("request_time", seconds(line, msFrom, msEnd));
        attributes.add("client", client);
        if (userEnd > space + 2) attributes.addSpan("user", line, space + 2, userEnd);
        attributes.addSpan("pid", line, from + 6, pidEnd);
        return new LogEvent(source, timestamp, Level.fromHttpStatus(status), null, client,
                method + " " + path + " " + statusText, attributes, line, ref);
    }

    private static int statusCode(String line, int at) {
        int code = 0;
        for (int i = at; i < at + 3; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') return -1;
            code = code * 10 + (c - '0');
        }
        return code >= 100 && code < 600 ? code : -1;
    }

    /** Milliseconds {@code line[from, to)} as seconds: "59" is "0.059". */
    private static String seconds(String line, int from, int to) {
        long ms = Long.parseLong(line, from, to, 10);
        long whole = ms / 1000;
        long frac = ms % 1000;
        return whole + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
    }
}
