package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;

/**
 * The FTP transfer log in wu-ftpd's {@code xferlog} form, which vsftpd ({@code xferlog_file}), ProFTPD
 * ({@code TransferLog}) and Pure-FTPd ({@code AltLog xferlog}) write too, one line a transfer:
 * <pre>
 * Wed Dec  2 19:09:47 2026 1 127.0.0.21 0 /incoming/ORDERS_1.xml b _ i r ftp-acme ftp 0 * i
 * (stamp, seconds, remote host, bytes, file, type, action flag, direction, access mode, user, service,
 *  authentication method, authenticated user id, completion status)
 * </pre>
 * The message says what happened in words ({@code upload incomplete: /incoming/ORDERS_1.xml, 0 bytes in 1 s}):
 * direction {@code o} a download, {@code i} an upload, {@code d} a delete; status {@code c} complete, {@code i}
 * incomplete (a warning: the log does not say whether the server or the client broke it off). Attributes: the
 * remote host is {@code client}, the user {@code user} ({@code anonymous} for access mode {@code a}, whose user
 * field holds the e-mail address given as password, kept out), the file's directory {@code path}, the size
 * {@code bytes}; the service is the line's service name ({@code ftp}). wu-ftpd before 2.6 wrote no completion
 * status: such a line is read as complete. The file name may hold spaces: the fields are counted from both ends.
 */
final class XferlogFormat implements LogFormat {

    private static final int STAMP = 24; // "Wed Dec  2 19:06:37 2026"
    private static final int TAIL = 9;   // type, flag, direction, access, user, service, method, user id, status

    private final TimestampParser timestamps;
    private final RecentText users = new RecentText();
    private final RecentText clients = new RecentText();
    private final RecentText paths = new RecentText();
    private final RecentText services = new RecentText();

    XferlogFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "xferlog";
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        if (n < STAMP + 30 || line.charAt(STAMP) != ' ' || !TimestampParser.isDigit(line.charAt(STAMP + 1))) return null;
        // seconds, remote host, bytes: the three fields after the stamp
        int p = STAMP + 1;
        int secondsEnd = TimestampParser.digitsEnd(line, p, n);
        if (secondsEnd == p || secondsEnd >= n || line.charAt(secondsEnd) != ' ') return null;
        int hostFrom = secondsEnd + 1;
        int hostEnd = line.indexOf(' ', hostFrom);
        if (hostEnd <= hostFrom) return null;
        int bytesFrom = hostEnd + 1;
        int bytesEnd = TimestampParser.digitsEnd(line, bytesFrom, n);
        if (bytesEnd == bytesFrom || bytesEnd >= n || line.charAt(bytesEnd) != ' ') return null;
        // the fixed fields at the end, right to left: starts[i] is where field i of the tail begins
        int[] starts = new int[TAIL];
        int end = n;
        int count = 0;
        while (count < TAIL) {
            int space = line.lastIndexOf(' ', end - 1);
            if (space <= bytesEnd) break;
            starts[count++] = space + 1;
            end = space;
        }
        boolean status = count == TAIL && oneOf(line, starts[0], n, "ci") && oneOf(line, starts[2], starts[1] - 1, "01");
        int t = status ? 1 : 0; // index of the user id field
        if (count < t + 8) return null;
        // from the user id leftwards: user id, method, service, user, access, direction, flag, type
        if (!oneOf(line, starts[t + 1], starts[t] - 1, "01")
                || !oneOf(line, starts[t + 4], starts[t + 3] - 1, "agr")
                || !oneOf(line, starts[t + 5], starts[t + 4] - 1, "oid")
                || !oneOf(line, starts[t + 7], starts[t + 6] - 1, "ab")) return null;
        int fileFrom = bytesEnd + 1;
        int fileEnd = starts[t + 7] - 1;
        if (fileEnd <= fileFrom) return null;
        Instant timestamp = timestamps.ctime(line, 0, STAMP);
        if (timestamp == null) return null;

        char direction = line.charAt(starts[t + 5]);
        boolean complete = !status || line.charAt(starts[0]) == 'c';
        Attributes attributes = new Attributes(4);
        attributes.add("client", clients.of(line, hostFrom, hostEnd));
        attributes.add("user", line.charAt(starts[t + 4]) == 'a' ? "anonymous" : users.of(line, starts[t + 3], starts[t + 2] - 1));
        int slash = line.lastIndexOf('/', fileEnd - 1);
        if (slash >= fileFrom) attributes.add("path", slash == fileFrom ? "/" : paths.of(line, fileFrom, slash));
        attributes.addSpan("bytes", line, bytesFrom, bytesEnd);
        String service = services.of(line, starts[t + 2], starts[t + 1] - 1);
        StringBuilder message = new StringBuilder(fileEnd - fileFrom + 48)
                .append(direction == 'o' ? "download" : direction == 'i' ? "upload" : "delete")
                .append(complete ? " complete: " : " incomplete: ")
                .append(line, fileFrom, fileEnd)
                .append(", ").append(line, bytesFrom, bytesEnd).append(" bytes in ")
                .append(line, p, secondsEnd).append(" s");
        return new LogEvent(source, timestamp, complete ? Level.INFO : Level.WARN, service, null, message.toString(),
                attributes, line, ref);
    }

    /** Whether {@code line[from, to)} is one character out of {@code chars}. */
    private static boolean oneOf(String line, int from, int to, String chars) {
        return to == from + 1 && chars.indexOf(line.charAt(from)) >= 0;
    }
}
