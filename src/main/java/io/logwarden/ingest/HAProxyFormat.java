package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;

/**
 * HAProxy's logs: its HTTP log ({@code option httplog}) and TCP log ({@code option tcplog}) lines, and its own
 * messages (servers going down and up, proxies started), as syslog files hold them ({@code /var/log/haproxy.log}
 * on Debian) or as {@code log stdout format raw} writes them in a container:
 * <pre>
 * Dec  1 11:09:05 lb1 haproxy[9805]: 127.0.0.2:48987 [01/Dec/2026:11:09:05.896] shop app/s1 0/0/0/5/5 404 264 - - ---- 3/3/2/1/0 0/0 "GET /x HTTP/1.1"
 * Dec  1 11:08:46 lb1 haproxy[9805]: Server app/s1 is DOWN, reason: Layer4 connection problem, ...
 * 127.0.0.2:48987 [01/Dec/2026:11:09:05.896] shop app/s1 0/0/0/5/5 404 264 - - ---- 3/3/2/1/0 0/0 "GET /x HTTP/1.1"
 * </pre>
 * A request is read as an access log line is: the message is {@code METHOD path protocol status}, the level comes
 * from the status, and the fields become attributes ({@code client}, {@code frontend}, {@code backend},
 * {@code server}, {@code upstream} = backend/server, {@code status}, {@code bytes}, {@code method}, {@code path},
 * {@code protocol}, {@code termination}, {@code retries}, {@code duration_ms} = the total time Ta, or Tt for TCP).
 * A syslog file's lines keep no severity; HAProxy's own messages get the one HAProxy sends them with: a server
 * DOWN is an alert, a backend without servers an emergency (both FATAL here), a server UP a notice. Only lines of
 * a program named haproxy are read (so a system's mixed syslog stays {@code syslog}).
 */
final class HAProxyFormat implements LogFormat {

    private final TimestampParser timestamps;
    private final SyslogFormat syslog;
    private final RecentText frontends = new RecentText();
    private final RecentText backends = new RecentText();
    private final RecentText servers = new RecentText();
    private final RecentText upstreams = new RecentText();
    private final RecentText terminations = new RecentText();
    private final RecentText methods = new RecentText();
    private final RecentText protocols = new RecentText();
    private final RecentText statuses = new RecentText();

    HAProxyFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
        this.syslog = new SyslogFormat(timestamps);
    }

    @Override
    public String name() {
        return "haproxy";
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        if (!line.isEmpty() && TimestampParser.isDigit(line.charAt(0))) {
            LogEvent raw = traffic(line, 0, null, null, null, source, ref, line);
            if (raw != null) return raw;
        }
        LogEvent event = syslog.parse(line, source, ref);
        if (event == null || event.service() == null || !event.service().startsWith("haproxy")) return null;
        String message = event.message();
        LogEvent request = traffic(message, 0, event.timestamp(), event.host(), (Attributes) event.attributes(),
                source, ref, line);
        if (request != null) return request;
        Level level = line.charAt(0) == '<' ? event.level() : levelOf(message, event.level());
        Attributes fields = stateFields(message, (Attributes) event.attributes());
        return level == event.level() && fields == null ? event
                : new LogEvent(source, event.timestamp(), level, event.service(), event.host(), message,
                fields != null ? fields : event.attributes(), line, ref);
    }

    /**
     * The backend and server HAProxy's own messages name ({@code Server app/s1 is DOWN, ...}, {@code backend app has
     * no server available!}), added to the syslog fields; null when the message names none.
     */
    static Attributes stateFields(String message, Attributes syslogFields) {
        String backend = null;
        String server = null;
        if (message.startsWith("Server ")) {
            int end = message.indexOf(' ', 7);
            int slash = message.indexOf('/', 7);
            if (end < 0 || slash < 8 || slash >= end - 1) return null;
            backend = message.substring(7, slash);
            server = message.substring(slash + 1, end);
        } else if (message.startsWith("backend ") && message.contains(" has no server available")) {
            int end = message.indexOf(' ', 8);
            backend = message.substring(8, end).replace("'", "");
        } else {
            return null;
        }
        Attributes fields = new Attributes(syslogFields.size() + 3);
        syslogFields.forEach(fields::put);
        fields.add("backend", backend);
        if (server != null) {
            fields.add("server", server);
            fields.add("upstream", backend + "/" + server);
        }
        return fields;
    }

    /**
     * The severity HAProxy sends its own messages with, which a syslog file drops: a server DOWN (not for
     * maintenance) is LOG_ALERT, a backend with no server left LOG_EMERG.
     */
    static Level levelOf(String message, Level otherwise) {
        if (message.contains("has no server available")) return Level.fromSyslogSeverity(0);
        if (message.startsWith("Server ") && message.contains(" is DOWN")) return Level.fromSyslogSeverity(1);
        return otherwise;
    }

    /**
     * An HTTP or TCP log line from {@code p}: {@code client:port [accept date] frontend backend/server timers ...};
     * null when {@code text} is none. {@code at} is the syslog header's time (null: the accept date's).
     */
    private LogEvent traffic(String text, int p, Instant at, String host, Attributes syslogFields, String source,
                             SourceRef ref, String line) {
        int n = text.length();
        int clientEnd = text.indexOf(' ', p);
        if (clientEnd < 0 || clientEnd + 2 >= n || text.charAt(clientEnd + 1) != '[') return null;
        int colon = text.lastIndexOf(':', clientEnd);
        if (colon <= p || !digits(text, colon + 1, clientEnd)) return null;
        int dateEnd = text.indexOf(']', clientEnd + 2);
        if (dateEnd < 0 || dateEnd + 1 >= n || text.charAt(dateEnd + 1) != ' ') return null;
        Instant timestamp = at != null ? at : acceptDate(text, clientEnd + 2, dateEnd);
        if (timestamp == null) return null;
        int[] f = new int[24]; // start and end of the fields after the date, up to the request or the captures
        int count = 0;
        int q = dateEnd + 2;
        while (q < n && count < 12 && text.charAt(q) != '"' && text.charAt(q) != '{') {
            int end = text.indexOf(' ', q);
            if (end < 0) end = n;
            f[2 * count] = q;
            f[2 * count + 1] = end;
            count++;
            q = end + 1;
        }
        // fields: frontend, backend/server, timers, then (HTTP) status bytes cookie cookie termination conns queues
        // or (TCP) bytes termination conns queues
        if (count < 7) return null;
        int slash = text.indexOf('/', f[2]);
        if (slash < 0 || slash >= f[3]) return null;
        int[] timers = timers(text, f[4], f[5]);
        if (timers == null) return null;
        boolean http = timers.length == 5;
        if (http ? count < 10 : timers.length != 3) return null;
        Attributes attributes = new Attributes(16);
        if (syslogFields != null) syslogFields.forEach(attributes::put);
        String client = text.substring(p, colon);
        String frontend = frontends.of(text, f[0], f[1]);
        String upstream = upstreams.of(text, f[2], f[3]);
        attributes.add("client", client);
        attributes.add("frontend", frontend);
        attributes.add("backend", backends.of(text, f[2], slash));
        attributes.add("server", servers.of(text, slash + 1, f[3]));
        attributes.add("upstream", upstream);
        int total = timers[timers.length - 1];
        if (total >= 0) attributes.add("duration_ms", Integer.toString(total));
        int next = 3;
        String statusText = null;
        int status = -1;
        if (http) {
            int from = f[2 * next];
            int to = f[2 * next + 1];
            if (!(to - from == 3 && digits(text, from, to)) && !(to - from == 2 && text.startsWith("-1", from))) {
                return null;
            }
            statusText = statuses.of(text, from, to);
            status = parseInt(text, from, to);
            attributes.add("status", statusText);
            next++;
        }
        int bytesFrom = text.charAt(f[2 * next]) == '+' ? f[2 * next] + 1 : f[2 * next];
        if (!digits(text, bytesFrom, f[2 * next + 1])) return null;
        attributes.addSpan("bytes", text, bytesFrom, f[2 * next + 1]);
        next += http ? 3 : 1; // HTTP: the two captured cookies
        String termination = terminations.of(text, f[2 * next], f[2 * next + 1]);
        attributes.add("termination", termination);
        next++;
        if (next < count) {
            int retries = text.lastIndexOf('/', f[2 * next + 1] - 1);
            if (retries > f[2 * next] && text.charAt(retries + 1) != '0') {
                attributes.add("retries", text.substring(text.charAt(retries + 1) == '+' ? retries + 2 : retries + 1,
                        f[2 * next + 1]));
            }
        }
        String message;
        Level level;
        if (http) {
            int open = text.indexOf('"', q);
            int close = text.lastIndexOf('"');
            String request = open >= 0 && close > open ? text.substring(open + 1, close) : "";
            int sp1 = request.indexOf(' ');
            int sp2 = sp1 < 0 ? -1 : request.indexOf(' ', sp1 + 1);
            if (sp1 > 0) {
                attributes.add("method", methods.of(request, 0, sp1));
                attributes.add("path", request.substring(sp1 + 1, sp2 < 0 ? request.length() : sp2));
                if (sp2 > 0) attributes.add("protocol", protocols.of(request, sp2 + 1, request.length()));
            }
            message = request.isEmpty() || "<BADREQ>".equals(request) ? "<BADREQ> " + statusText
                    : request + " " + statusText;
            // -1: no response (the client or the connection gave up first), as nginx's 499
            level = status < 0 ? Level.WARN : Level.fromHttpStatus(status);
        } else {
            message = "TCP " + frontend + " " + upstream + " " + termination;
            level = termination.charAt(0) == '-' ? Level.INFO : Level.WARN;
        }
        return new LogEvent(source, timestamp, level, "haproxy", host != null ? host : client, message, attributes,
                line, ref);
    }

    /** The accept date, {@code dd/Mmm/yyyy:HH:mm:ss.SSS} in the zone of the settings. */
    private Instant acceptDate(String text, int from, int to) {
        if (to - from < 20) return null;
        Instant seconds = timestamps.apache(text, from, from + 20);
        if (seconds == null) return null;
        if (to - from == 24 && text.charAt(from + 20) == '.' && digits(text, from + 21, to)) {
            seconds = seconds.plusMillis(parseInt(text, from + 21, to));
        }
        return seconds;
    }

    /** {@code Tq/Tw/Tc/Tr/Ta} (HTTP) or {@code Tw/Tc/Tt} (TCP), each an integer, -1, or +-prefixed; else null. */
    private static int[] timers(String text, int from, int to) {
        int[] values = new int[5];
        int count = 0;
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || text.charAt(i) == '/') {
                if (count == 5) return null;
                int s = start < i && text.charAt(start) == '+' ? start + 1 : start;
                boolean negative = s < i && text.charAt(s) == '-';
                if (negative) s++;
                if (!digits(text, s, i)) return null;
                int v = parseInt(text, s, i);
                values[count++] = negative ? -v : v;
                start = i + 1;
            }
        }
        return count == 5 ? values : count == 3 ? java.util.Arrays.copyOf(values, 3) : null;
    }

    private static boolean digits(String text, int from, int to) {
        if (from >= to || to - from > 9) return false;
        for (int i = from; i < to; i++) {
            if (!TimestampParser.isDigit(text.charAt(i))) return false;
        }
        return true;
    }

    private static int parseInt(String text, int from, int to) {
        boolean negative = from < to && text.charAt(from) == '-';
        int v = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) v = v * 10 + (text.charAt(i) - '0');
        return negative ? -v : v;
    }
}
