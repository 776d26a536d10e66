package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;

/**
 * HTTP access logs in the NCSA common and combined layouts, which Apache and nginx share:
 * <pre>
 * 127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "http://x/start" "Mozilla/4.08"
 * </pre>
 * {@code apache-access} takes common or combined lines; {@code nginx-access} takes combined lines with optional
 * trailing fields (request time, upstream times, forwarded-for), read into attributes. The level comes from
 * the status; the message is {@code METHOD path protocol status}, the text template mining works on.
 */
final class AccessLogFormat implements LogFormat {

    private final String name;
    private final boolean nginx;
    private final TimestampParser timestamps;
    /** Values that mostly repeat from one line to the next, taken once (see {@link RecentText}). */
    private final RecentText methods = new RecentText();
    private final RecentText protocols = new RecentText();
    private final RecentText statuses = new RecentText();
    private final RecentText users = new RecentText();
    /** The unquoted values after the agent, by position (request time, upstream time, upstream address...). */
    private final RecentText[] trailingValues = {new RecentText(), new RecentText(), new RecentText(), new RecentText()};

    /** The last timestamp read and its instant: lines of one second share it. */
    private final LastStamp lastStamp = new LastStamp();

    private AccessLogFormat(String name, boolean nginx, TimestampParser timestamps) {
        this.name = name;
        this.nginx = nginx;
        this.timestamps = timestamps;
    }

    static AccessLogFormat apache(TimestampParser timestamps) {
        return new AccessLogFormat("apache-access", false, timestamps);
    }

    static AccessLogFormat nginx(TimestampParser timestamps) {
        return new AccessLogFormat("nginx-access", true, timestamps);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        int p = line.indexOf(' ');
        if (p <= 0) return null;
        String client = line.substring(0, p);
        int identEnd = line.indexOf(' ', p + 1);
        if (identEnd < 0) return null;
        // The user field may be "-" or a name; the timestamp bracket follows it.
        int open = line.indexOf(" [", identEnd);
        if (open < identEnd + 2 || open - identEnd > 64) return null;
        String user = users.of(line, identEnd + 1, open);
        int close = line.indexOf(']', open + 2);
        if (close < 0 || close + 3 >= n || line.charAt(close + 1) != ' ' || line.charAt(close + 2) != '"') return null;
        Instant timestamp = timestamp(line, open + 2, close);
        if (timestamp == null) return null;
        int reqStart = close + 3;
        int reqEnd = closingQuote(line, reqStart);
        if (reqEnd < 0 || reqEnd + 1 >= n || line.charAt(reqEnd + 1) != ' ') return null;
        p = reqEnd + 2;
        int status = TimestampParser.digits(line, p, 3);
        if (status < 100 || p + 3 >= n || line.charAt(p + 3) != ' ') return null;
        p += 4;
        int bytesEnd = p;
        while (bytesEnd < n && line.charAt(bytesEnd) != ' ') bytesEnd++;
        if (bytesEnd == p || !isBytes(line, p, bytesEnd)) return null;

        Attributes attributes = new Attributes(12);
        // the referer and the agent as spans of the line: seldom read, made Strings only when they are
        int refFrom = -1;
        int refTo = -1;
        int agentFrom = -1;
        int agentTo = -1;
        p = bytesEnd;
        if (p < n) {
            // combined: "referer" "agent"
            if (p + 1 < n && line.charAt(p + 1) == '"') {
                int refEnd = closingQuote(line, p + 2);
                if (refEnd < 0 || refEnd + 2 >= n || line.charAt(refEnd + 1) != ' ' || line.charAt(refEnd + 2) != '"') {
                    return null;
                }
                int agentEnd = closingQuote(line, refEnd + 3);
                if (agentEnd < 0) return null;
                refFrom = p + 2;
                refTo = refEnd;
                agentFrom = refEnd + 3;
                agentTo = agentEnd;
                p = agentEnd + 1;
            } else if (!isBlank(line, p, n)) {
                return null;
            }
            if (p < n && !isBlank(line, p, n)) {
                if (!nginx) return null;
                if (line.charAt(p) != ' ') return null;
                trailing(line, p + 1, n, attributes);
            }
        }
        if (nginx && agentFrom < 0) return null;

        // These names are not among those trailing() puts: they are added without a look-up.
        String request = line.substring(reqStart, reqEnd);
        String statusText = statuses.of(line, reqEnd + 2, reqEnd + 5);
        int sp1 = request.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : request.indexOf(' ', sp1 + 1);
        if (sp1 > 0) {
            attributes.add("method", methods.of(request, 0, sp1));
            attributes.add("path", request.substring(sp1 + 1, sp2 < 0 ? request.length() : sp2));
            if (sp2 > 0) attributes.add("protocol", protocols.of(request, sp2 + 1, request.length()));
        }
        attributes.add("status", statusText);
        if (line.charAt(reqEnd + 6) == '-') {
            attributes.add("bytes", "0");
        } else {
            attributes.addSpan("bytes", line, reqEnd + 6, bytesEnd);
        }
        attributes.add("client", client);
        if (!"-".equals(user)) attributes.add("user", user);
        if (refFrom >= 0 && !isDash(line, refFrom, refTo)) attributes.addSpan("referer", line, refFrom, refTo);
        if (agentFrom >= 0 && !isDash(line, agentFrom, agentTo)) attributes.addSpan("agent", line, agentFrom, agentTo);
        String message = request.isEmpty() || "-".equals(request) ? "- " + statusText : request + " " + statusText;
        return new LogEvent(source, timestamp, Level.fromHttpStatus(status), null, client, message,
                attributes, line, ref);
    }

    private Instant timestamp(String line, int from, int to) {
        Instant seen = lastStamp.get(line, from, to);
        if (seen != null) return seen;
        Instant instant = timestamps.apache(line, from, to);
        if (instant != null) lastStamp.put(line, from, to, instant);
        return instant;
    }

    // nginx extras after the agent: quoted values (forwarded-for first), then numbers (request time, upstream times).
    // Each name is added once, except upstream (put: an odd line may hold two values that look like one).
    private void trailing(String line, int p, int n, Attributes attributes) {
        int numbers = 0;
        int quoted = 0;
        int unquoted = 0;
        String rest = null; // what no name was found for: usually one value ("-" where no upstream answered)
        StringBuilder more = null;
        while (p < n) {
            while (p < n && line.charAt(p) == ' ') p++;
            if (p >= n) break;
            int end;
            String value;
            if (line.charAt(p) == '"') {
                end = closingQuote(line, p + 1);
                if (end < 0) end = n;
                value = line.substring(p + 1, end);
                if (quoted++ == 0 && !"-".equals(value)) {
                    attributes.add("forwarded_for", value); // the first quoted value only
                    value = null;
                }
                p = Math.min(end + 1, n);
            } else {
                end = line.indexOf(' ', p);
                if (end < 0) end = n;
                RecentText recent = trailingValues[Math.min(unquoted++, trailingValues.length - 1)];
                value = null;
                if (numbers >= 1 && isUpstream(line, p, end)) {
                    attributes.put("upstream", recent.of(line, p, end)); // $upstream_addr: host:port, or a list
                } else {
                    boolean time = isNumber(line, p, end) || isDash(line, p, end);
                    if (time && numbers < 2) {
                        // the times, read by nothing on the way: made Strings only if a report or a store reads them
                        attributes.addSpan(numbers == 0 ? "request_time" : "upstream_response_time", line, p, end);
                    } else {
                        value = recent.of(line, p, end);
                    }
                    if (time) numbers++;
                }
                p = end;
            }
            if (value != null) {
                if (rest == null) {
                    rest = value;
                } else {
                    if (more == null) more = new StringBuilder(rest);
                    more.append(' ').append(value);
                }
            }
        }
        if (rest != null) attributes.add("trailing", more == null ? rest : more.toString());
    }

    // host:port (or unix:/path), possibly a comma-separated list as nginx writes after a retry: line[from, to).
    private static boolean isUpstream(String line, int from, int to) {
        if (line.startsWith("unix:", from)) return true;
        int colon = to - 1;
        while (colon > from && line.charAt(colon) != ':') colon--; // within the value: the line has others before it
        if (colon <= from || colon == to - 1) return false;
        for (int i = colon + 1; i < to; i++) {
            if (!Character.isDigit(line.charAt(i))) return false;
        }
        return true;
    }

    // Index of the quote closing a string that starts at from, honouring backslash escapes.
    static int closingQuote(String line, int from) {
        // the next quote (String.indexOf is fast) closes the string unless an odd run of backslashes escapes it
        for (int q = line.indexOf('"', from); q >= 0; q = line.indexOf('"', q + 1)) {
            int backslashes = 0;
            for (int i = q - 1; i >= from && line.charAt(i) == '\\'; i--) backslashes++;
            if ((backslashes & 1) == 0) return q;
        }
        return -1;
    }

    private static boolean isBytes(String s, int from, int to) {
        if (isDash(s, from, to)) return true;
        for (int i = from; i < to; i++) {
            if (!TimestampParser.isDigit(s.charAt(i))) return false;
        }
        return true;
    }

    private static boolean isNumber(String s, int from, int to) {
        boolean digit = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (TimestampParser.isDigit(c)) digit = true;
            else if (c != '.' && c != ',' && c != ':') return false; // upstream lists: "0.010, 0.020" or "0.1 : 0.2"
        }
        return digit;
    }

    /** Whether {@code s[from, to)} is "-", a field's "none". */
    private static boolean isDash(String s, int from, int to) {
        return to - from == 1 && s.charAt(from) == '-';
    }

    private static boolean isBlank(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != ' ' && s.charAt(i) != '\t') return false;
        }
        return true;
    }
}
