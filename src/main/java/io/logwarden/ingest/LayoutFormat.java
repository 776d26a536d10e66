package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.HttpMethods;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads lines by a {@link Layout}, inferred from a file's first lines or pinned in configuration. A line starts
 * an event when its timestamp is where the layout puts it; the fields after it are taken while they look like
 * what the layout says (a level word, digits, a bracket, a word ending in ':'), and the message starts at the
 * first one that does not. Lines without the timestamp are folded into the event before them (a multi-line
 * message), which {@link EventBatches} counts and reports. One pass over the header's characters per line, no
 * regular expression. Immutable and thread-safe.
 */
final class LayoutFormat implements LogFormat {

    private final String name;
    private final Layout layout;
    private final boolean inferred;
    private final TimestampParser timestamps;
    private final Layout.Column[] leading;
    private final Layout.Column[] columns;
    private final boolean hasLevel;
    private final String[] fieldNames; // "field1", "field2", ... made once, not per line

    LayoutFormat(String name, Layout layout, boolean inferred, TimestampParser timestamps) {
        this.name = name;
        this.layout = layout;
        this.inferred = inferred;
        this.timestamps = timestamps;
        this.leading = layout.leading().toArray(new Layout.Column[0]);
        this.columns = layout.columns().toArray(new Layout.Column[0]);
        this.hasLevel = layout.hasLevel();
        this.fieldNames = new String[layout.leadingFields() + columns.length + 1];
        for (int i = 0; i < fieldNames.length; i++) fieldNames[i] = "field" + (i + 1);
    }

    /** A format for an inferred layout, named {@code inferred}. */
    static LayoutFormat inferred(Layout layout, TimestampParser timestamps) {
        return new LayoutFormat("inferred", layout, true, timestamps);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return (inferred ? "inferred: " : name + ": ") + layout;
    }

    Layout layout() {
        return layout;
    }

    @Override
    public boolean foldsUntimedLines() {
        return true;
    }

    @Override
    public boolean startsEvent(String line) {
        return headerEnd(line) >= 0;
    }

    // The index after the timestamp (and its ']'), or -1.
    int headerEnd(String line) {
        int p = skipLeading(line);
        if (p < 0) return -1;
        if (layout.bracketed()) {
            if (p >= line.length() || line.charAt(p) != '[') return -1;
            p++;
        }
        int end = layout.shape().end(line, p);
        if (end < 0) return -1;
        if (layout.bracketed()) {
            int close = stampBracketClose(line, end);
            return close < 0 ? -1 : close + 1;
        }
        return TimestampShape.endsField(line, end) ? end : -1;
    }

    /** The most a bracket may hold after its stamp: Ruby's " #4321", Celery's ": INFO/MainProcess". */
    private static final int MAX_STAMP_REST = 40;

    /**
     * Where the bracket that holds a stamp ending at {@code end} closes, or -1: right after it, or after a short rest
     * that follows a space or a colon and opens no other bracket (Ruby's Logger "[2026-12-02T13:00:00.123456 #4321]",
     * Celery's "[2026-12-02 13:00:00,123: INFO/MainProcess]").
     */
    static int stampBracketClose(String line, int end) {
        int n = line.length();
        if (end >= n) return -1;
        char c = line.charAt(end);
        if (c == ']') return end;
        if (c != ' ' && c != ':') return -1;
        int limit = Math.min(n, end + MAX_STAMP_REST);
        for (int i = end + 1; i < limit; i++) {
            char d = line.charAt(i);
            if (d == ']') return i;
            if (d == '[') return -1;
        }
        return -1;
    }

    // Past the leading fields and the spaces before the timestamp; -1 when the line has too few fields.
    private int skipLeading(String line) {
        int n = line.length();
        int p = skipSpaces(line, 0);
        for (int i = 0; i < layout.leadingFields(); i++) {
            while (p < n && line.charAt(p) != ' ') p++;
            if (p >= n) return -1;
            p = skipSpaces(line, p);
        }
        return p;
    }

    private final LastStamp lastStamp = new LastStamp();

    private Instant timestamp(String line, int start, int end) {
        Instant seen = lastStamp.get(line, start, end);
        if (seen != null) return seen;
        Instant timestamp = layout.shape().read(timestamps, line, start, end);
        if (timestamp != null && layout.shape().textAlone()) {
            lastStamp.put(line, start, end, timestamp);
        }
        return timestamp;
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        int p = skipLeading(line);
        if (p < 0) return null;
        int end = stampEnd(line, p);
        if (end < 0 && layout.leadingFields() > 0 && p < n) {
            // one more field before the stamp than most lines have (PHP-FPM's "%R - %u %t": a user on some lines only)
            p = skipSpaces(line, spaceEnd(line, p));
            end = stampEnd(line, p);
        }
        if (end < 0) return null;
        int stampStart = layout.bracketed() ? p + 1 : p;
        int close = layout.bracketed() ? stampBracketClose(line, end) : -1;
        if (layout.bracketed() ? close < 0 : !TimestampShape.endsField(line, end)) return null;
        Instant timestamp = timestamp(line, stampStart, end);
        if (timestamp == null) return null;
        p = layout.bracketed() ? close + 1 : end;

        // Every field the layout can put (never grown). Fields detection does not read by default (a pid, a thread) are
        // spans of the line, made Strings only when read.
        Attributes attributes = new Attributes(fieldNames.length);
        Level level = Level.UNKNOWN;
        int threads = 0;
        int fields = 0;
        if (leading.length > 0) {
            int q = skipSpaces(line, 0);
            for (Layout.Column column : leading) {
                int e = line.indexOf(' ', q);
                switch (column.kind()) {
                    case LEVEL -> {
                        Level l = levelOf(line, q, e, false);
                        if (l != null) level = l;
                    }
                    case THREAD -> {
                        if (thread(line, q, e, attributes, threads)) threads++;
                    }
                    default -> attributes.putSpan(fieldNames[fields++], line, q, e);
                }
                q = skipSpaces(line, e);
            }
        }
        String service = null;
        Level componentLevel = null;
        Level stampLevel;
        String host = null;
        boolean pipes = layout.pipes();
        for (Layout.Column column : columns) {
            int start;
            if (pipes) {
                if (p >= n || line.charAt(p) != '|') break;
                start = p + 1;
            } else {
                start = skipSpaces(line, p);
            }
            if (start >= n) {
                p = start;
                break;
            }
            int tokenEnd = pipes ? pipeEnd(line, start) : column.bracketed() ? bracketEnd(line, start) : spaceEnd(line, start);
            if (tokenEnd < 0) break;
            boolean taken = switch (column.kind()) {
                case LEVEL -> {
                    Level l = levelOf(line, start, tokenEnd, column.bracketed());
                    if (l == null) yield false;
                    level = l;
                    yield true;
                }
                case PID, TID -> {
                    if (!digits(line, start, tokenEnd)) yield false;
                    attributes.putSpan(column.kind().word, line, start, tokenEnd);
                    yield true;
                }
                case THREAD -> {
                    if (!thread(line, start, tokenEnd, attributes, threads)) yield false;
                    threads++;
                    yield true;
                }
                case COMPONENT -> {
                    if (line.charAt(tokenEnd - 1) != ':' || tokenEnd - start < 2) yield false;
                    Level named = hasLevel || tokenEnd - start < 4 ? null : levelOf(line, start, tokenEnd, false);
                    if (named != null) {
                        componentLevel = named; // FreeRADIUS's "Error:" where other lines name "Auth:"
                    } else {
                        service = component(line, start, tokenEnd - 1, attributes);
                    }
                    yield true;
                }
                case PROGRAM -> {
                    int open = programEnd(line, start, tokenEnd) == tokenEnd ? line.indexOf('[', start) : -1;
                    if (open < 0) yield false;
                    int colon = line.indexOf(':', open);
                    if (colon < 0 || colon > tokenEnd) {
                        attributes.putSpan("pid", line, open + 1, tokenEnd - 1);
                    } else {
                        attributes.putSpan("pid", line, open + 1, colon);
                        attributes.putSpan("tid", line, colon + 1, tokenEnd - 1);
                    }
                    service = line.substring(start, open);
                    yield true;
                }
                case HOST -> {
                    host = line.substring(start, tokenEnd);
                    yield true;
                }
                case LOGGER -> {
                    if (column.bracketed()) {
                        if (tokenEnd - start < 3 || line.charAt(start) != '[' || line.charAt(tokenEnd - 1) != ']') yield false;
                        service = trimmed(line, start + 1, tokenEnd - 1);
                    } else {
                        service = line.substring(start, tokenEnd);
                    }
                    yield true;
                }
                case FIELD -> {
                    attributes.putSpan(fieldNames[fields++], line, start, tokenEnd);
                    yield true;
                }
                case SEPARATOR -> line.startsWith(column.literal(), start) && tokenEnd - start == column.literal().length();
            };
            if (!taken) {
                p = pipes ? start - 1 : start;
                break;
            }
            p = tokenEnd;
        }
        if (pipes) {
            if (p < n && line.charAt(p) == '|') p++;
        } else {
            p = skipSpaces(line, p);
        }
        String message = line.substring(Math.min(p, n));
        if (componentLevel != null) {
            level = componentLevel;
        } else if (close > end && level == Level.UNKNOWN && (stampLevel = LevelWords.find(line.substring(end, close))) != null) {
            level = stampLevel; // Celery's "[… ,123: INFO/MainProcess]": the level beside the stamp
        } else if (!hasLevel) {
            if (level == Level.UNKNOWN && message.length() > 12) {
                LogEvent request = request(message, timestamp, service, fields, fieldNames, attributes, line, source, ref);
                if (request != null) return request;
            }
            Level word = LevelWords.find(message);
            if (word != null) level = word;
        }
        return new LogEvent(source, timestamp, level, service, host, message, attributes, line, ref);
    }

    /** Where the stamp that starts at {@code p} (in its bracket, for a bracketed layout) ends, or -1. */
    private int stampEnd(String line, int p) {
        if (!layout.bracketed()) return layout.shape().end(line, p);
        return p < line.length() && line.charAt(p) == '[' ? layout.shape().end(line, p + 1) : -1;
    }

    /**
     * A message that is an HTTP request and its status, as an access log writes them in a layout of its own
     * ({@code "GET /v1/price.php?sku=1" 200 5583.316 2048 99.94%}, PHP-FPM's access log), read as the access-log
     * formats read theirs: {@code method}, {@code path}, {@code protocol} and {@code status} attributes, the level
     * from the status, {@code METHOD path [protocol] status} as the message, and the IP address before the request
     * ({@code 127.0.0.5 "GET / HTTP/1.1" 200}), or else the first field that is one, as {@code client} (and host).
     * Null for any other message.
     */
    private static LogEvent request(String message, Instant timestamp, String service, int fields, String[] fieldNames,
                                    Attributes attributes, String line, String source, SourceRef ref) {
        int n = message.length();
        int open = 0;
        String client = null;
        char c = message.charAt(0);
        if (c != '"') {
            if (Character.digit(c, 16) < 0) return null; // neither a quote nor an address: most messages, at once
            open = message.indexOf(" \"");
            if (open < 3 || open > 45 || !isAddress(client = message.substring(0, open))) return null;
            open++;
        }
        int methodEnd = message.indexOf(' ', open + 1);
        if (methodEnd < open + 4 || methodEnd > open + 8 || !HttpMethods.is(message.substring(open + 1, methodEnd))) return null;
        int quote = message.indexOf('"', methodEnd + 1);
        if (quote < methodEnd + 2 || quote + 4 >= n || message.charAt(quote + 1) != ' ') return null;
        int status = TimestampParser.digits(message, quote + 2, 3);
        if (status < 100 || status > 599 || (quote + 5 < n && message.charAt(quote + 5) != ' ')) return null;
        int targetEnd = message.indexOf(' ', methodEnd + 1);
        if (targetEnd < 0 || targetEnd > quote) targetEnd = quote;
        attributes.add("method", message.substring(open + 1, methodEnd));
        attributes.add("path", message.substring(methodEnd + 1, targetEnd));
        if (targetEnd < quote) attributes.add("protocol", message.substring(targetEnd + 1, quote));
        attributes.add("status", message.substring(quote + 2, quote + 5));
        for (int i = 0; i < fields && client == null; i++) {
            String value = attributes.get(fieldNames[i]);
            if (value != null && isAddress(value)) client = value;
        }
        if (client != null) attributes.add("client", client);
        String request = message.substring(open + 1, quote) + " " + message.substring(quote + 2, quote + 5);
        return new LogEvent(source, timestamp, Level.fromHttpStatus(status), service, client, request, attributes, line, ref);
    }

    /** An IPv4 address (four numbers and dots) or an IPv6 one (hex digits and colons, two colons or more). */
    static boolean isAddress(String value) {
        int n = value.length();
        if (n < 3 || n > 45) return false;
        int dots = 0;
        int colons = 0;
        boolean letters = false;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == '.') dots++;
            else if (c == ':') colons++;
            else if (Character.digit(c, 16) < 0) return false;
            else if (!TimestampParser.isDigit(c)) letters = true;
        }
        return colons == 0 ? dots == 3 && !letters : colons >= 2;
    }

    // A thread in brackets, "[main]", put as the thread (the first) or the context (any later one); false if not one.
    private static boolean thread(String line, int start, int end, Attributes attributes, int index) {
        if (end - start < 2 || line.charAt(start) != '[' || line.charAt(end - 1) != ']') return false;
        int from = start + 1;
        int to = end - 1;
        while (from < to && line.charAt(from) <= ' ') from++; // as String.trim()
        while (to > from && line.charAt(to - 1) <= ' ') to--;
        attributes.putSpan(index == 0 ? "thread" : "context", line, from, to);
        return true;
    }

    // The text between from and to without the spaces around it ("[o.e.n.Node   ]" pads its logger).
    private static String trimmed(String line, int from, int to) {
        while (from < to && line.charAt(from) <= ' ') from++;
        while (to > from && line.charAt(to - 1) <= ' ') to--;
        return line.substring(from, to);
    }

    // "sshd[24200]" -> sshd with pid 24200; "crond(pam_unix)[2915]" -> crond(pam_unix); "dfs.DataNode$PacketResponder" as is.
    private static String component(String line, int start, int end, Attributes attributes) {
        if (pointer(line, start, end)) {
            attributes.putSpan("object", line, start, end); // PgBouncer's "C-0x558f81ed2440:": a connection, no service
            return null;
        }
        if (end > start && line.charAt(end - 1) == ']') {
            int open = line.lastIndexOf('[', end - 1);
            if (open > start && digits(line, open + 1, end - 1)) {
                attributes.putSpan("pid", line, open + 1, end - 1);
                return line.substring(start, open);
            }
        }
        return line.substring(start, end);
    }

    /**
     * The end of a program with its process in brackets at start, {@code name[pid]} or {@code name[pid:tid]} (Unbound's
     * {@code unbound[23230:0]}, syslog's tag without its colon), or -1: a name of letters, digits, {@code _ - /} that
     * starts with a letter (no dot: {@code shop.tasks.send_mail[7]} is a task of Celery's), then the numbers.
     */
    static int programEnd(String line, int start, int end) {
        int i = start;
        if (i >= end || !Character.isLetter(line.charAt(i))) return -1;
        while (i < end && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_' || line.charAt(i) == '-'
                || line.charAt(i) == '/')) i++;
        if (i == end || line.charAt(i) != '[') return -1;
        int from = ++i;
        i = TimestampParser.digitsEnd(line, from, end);
        if (i == from) return -1;
        if (i < end && line.charAt(i) == ':') {
            int tid = ++i;
            i = TimestampParser.digitsEnd(line, tid, end);
            if (i == tid) return -1;
        }
        return i < end && line.charAt(i) == ']' ? i + 1 : -1;
    }

    /** Whether the text ends in a memory address, "0x" and at least eight hex digits (an object a C server names). */
    private static boolean pointer(String line, int start, int end) {
        int i = end;
        while (i > start && Character.digit(line.charAt(i - 1), 16) >= 0) i--;
        return end - i >= 8 && i - start >= 2 && line.charAt(i - 1) == 'x' && line.charAt(i - 2) == '0';
    }

    /**
     * Redis's level marks, a header token of one character: {@code .} debug, {@code -} verbose, {@code *} notice,
     * {@code #} warning; null for any other character.
     */
    static Level levelMark(char c) {
        return switch (c) {
            case '.', '-' -> Level.DEBUG;
            case '*' -> Level.INFO;
            case '#' -> Level.WARN;
            default -> null;
        };
    }

    /**
     * The level a header token names: {@code INFO}, {@code Info}, {@code [notice]}, {@code [core:error]}, Android's
     * {@code D}, Redis's {@code #} ({@link #levelMark}).
     */
    static Level levelOf(String line, int start, int end, boolean bracketed) {
        if (bracketed) {
            if (end - start < 3 || line.charAt(start) != '[' || line.charAt(end - 1) != ']') return null;
            start++;
            end--;
            while (start < end && line.charAt(start) == ' ') start++; // "[INFO ]": Elasticsearch pads the level
            while (end > start && line.charAt(end - 1) == ' ') end--;
            int colon = line.lastIndexOf(':', end - 1);
            if (colon >= start) start = colon + 1;
        }
        if (!bracketed && end - start > 2 && line.charAt(end - 1) == ':') end--; // "ERROR: …", "warning: …"
        int len = end - start;
        if (len < 1 || len > 13) return null;
        if (len == 1 && !bracketed) {
            Level marker = levelMark(line.charAt(start));
            if (marker != null) return marker;
        }
        for (int i = start; i < end; i++) {
            char c = line.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return null;
        }
        if (len == 1) {
            switch (line.charAt(start)) {
                case 'V': return Level.DEBUG;
                case 'D': return Level.DEBUG;
                case 'T': return Level.TRACE; // etcd's capnslog: T D I N W E C
                case 'N': return Level.INFO;  // notice
                case 'C': return Level.FATAL; // critical
                case 'I': return Level.INFO;
                case 'W': return Level.WARN;
                case 'E': return Level.ERROR;
                case 'F': case 'A': return Level.FATAL;
                default: return null;
            }
        }
        Level level = Level.parse(line, start, end); // ASCII letters only, checked above
        if (level == Level.UNKNOWN && len == 3 && line.startsWith("LOG", start)) {
            return Level.INFO; // PostgreSQL's and PgBouncer's information level, as a header's column (not in text)
        }
        return level == Level.UNKNOWN ? null : level;
    }

    static int skipSpaces(String line, int p) {
        while (p < line.length() && (line.charAt(p) == ' ' || line.charAt(p) == '\t')) p++;
        return p;
    }

    static int spaceEnd(String line, int p) {
        while (p < line.length() && line.charAt(p) != ' ' && line.charAt(p) != '\t') p++;
        return p;
    }

    static int pipeEnd(String line, int p) {
        int bar = line.indexOf('|', p);
        return bar < 0 ? line.length() : bar;
    }

    /** The index after the ']' matching the '[' at p (brackets may nest), or -1. */
    static int bracketEnd(String line, int p) {
        if (p >= line.length() || line.charAt(p) != '[') return -1;
        int depth = 0;
        int limit = Math.min(line.length(), p + 512);
        for (int i = p; i < limit; i++) {
            char c = line.charAt(i);
            if (c == '[') depth++;
            else if (c == ']' && --depth == 0) return i + 1;
        }
        return -1;
    }

    /**
     * A Java logger's name in {@code s[from, to)}, padded with spaces after it or not ({@code o.e.n.Node},
     * {@code org.keycloak.events}): a letter first, letters, digits, '_' and '$' in parts separated by dots, at least
     * one dot, none last.
     */
    static boolean dottedName(String s, int from, int to) {
        while (to > from && s.charAt(to - 1) == ' ') to--;
        if (to <= from || !Character.isLetter(s.charAt(from)) || s.charAt(to - 1) == '.') return false;
        boolean dot = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.') dot = true;
            else if (!Character.isLetterOrDigit(c) && c != '_' && c != '$') return false;
        }
        return dot;
    }

    static boolean digits(String s, int from, int to) {
        if (to <= from) return false;
        for (int i = from; i < to; i++) {
            if (!TimestampParser.isDigit(s.charAt(i))) return false;
        }
        return true;
    }
}
