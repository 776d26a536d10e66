package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;

/**
 * vsftpd's own log ({@code vsftpd_log_file}, what Debian's default configuration writes to /var/log/vsftpd.log):
 * <pre>
 * Wed Dec  2 19:06:37 2026 [pid 18980] CONNECT: Client "127.0.0.192"
 * Wed Dec  2 19:06:37 2026 [pid 18979] [ftp-acme] FAIL LOGIN: Client "127.0.0.66"
 * Wed Dec  2 19:06:40 2026 [pid 18981] [ftp-acme] OK UPLOAD: Client "127.0.0.21", "/incoming/a.xml", 20480 bytes, 85.2Kbyte/sec
 * </pre>
 * The user in brackets after the pid is the attribute {@code user}, not message text (so each user's failed logins
 * are one template, not one template a user); the address after {@code Client} is {@code client}; the service is
 * vsftpd. vsftpd writes no level: a {@code FAIL} is an error, a connection refused with a reason
 * ({@code CONNECT: Client "…", "Connection refused: too many sessions for this address."}) a warning.
 */
final class VsftpdFormat implements LogFormat {

    private static final int STAMP = 24; // "Wed Dec  2 19:06:37 2026"

    private final TimestampParser timestamps;
    private final RecentText users = new RecentText();
    private final RecentText clients = new RecentText();

    VsftpdFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "vsftpd";
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        if (n < STAMP + 10 || line.charAt(STAMP) != ' ' || !line.startsWith("[pid ", STAMP + 1)) return null;
        int p = STAMP + 6;
        int pidEnd = p;
        while (pidEnd < n && TimestampParser.isDigit(line.charAt(pidEnd))) pidEnd++;
        if (pidEnd == p || pidEnd + 2 >= n || line.charAt(pidEnd) != ']' || line.charAt(pidEnd + 1) != ' ') return null;
        Instant timestamp = timestamps.ctime(line, 0, STAMP);
        if (timestamp == null) return null;
        Attributes attributes = new Attributes(4);
        attributes.addSpan("pid", line, p, pidEnd);
        p = pidEnd + 2;
        if (line.charAt(p) == '[') {
            int close = line.indexOf("] ", p);
            if (close < 0 || close > p + 65) return null;
            attributes.add("user", users.of(line, p + 1, close));
            p = close + 2;
        }
        String message = line.substring(p);
        int client = line.indexOf("Client \"", p);
        if (client >= 0) {
            int end = line.indexOf('"', client + 8);
            if (end > client + 8) attributes.add("client", clients.of(line, client + 8, end));
        }
        Level level = line.startsWith("FAIL ", p) ? Level.ERROR
                : line.startsWith("CONNECT:", p) && line.indexOf("\", \"", p) > 0 ? Level.WARN : Level.INFO;
        return new LogEvent(source, timestamp, level, "vsftpd", null, message, attributes, line, ref);
    }
}
