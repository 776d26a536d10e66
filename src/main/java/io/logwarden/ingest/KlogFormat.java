package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;

/**
 * Kubernetes' klog and Go's glog header, which the kubelet, the API server, the controller manager, the scheduler,
 * kube-proxy and many Go services write:
 * <pre>
 * E1202 10:00:08.621429    2137 pod_workers.go:965] "Error syncing pod, skipping" err="failed to \"StartContainer\""
 * Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg
 * </pre>
 * The letter is the level (I info, W warning, E error, F fatal); the stamp has no year (the latest year that does
 * not put it in the future, as syslog's); the source file and line is the logger ({@code service}), the thread id
 * the {@code tid}. Lines without the header continue the event before them (a goroutine dump, a multi-line value).
 */
final class KlogFormat implements LogFormat {

    private final TimestampParser timestamps;
    private final RecentText files = new RecentText();

    KlogFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "klog";
    }

    @Override
    public boolean foldsUntimedLines() {
        return true;
    }

    @Override
    public boolean startsEvent(String line) {
        return headerEnd(line) > 0;
    }

    // The index of the ']' after file:line when the line starts with a klog header; else -1.
    private static int headerEnd(String line) {
        int n = line.length();
        if (n < 24 || level(line.charAt(0)) == null || !LayoutFormat.digits(line, 1, 5) || line.charAt(5) != ' '
                || !LayoutFormat.digits(line, 6, 8) || line.charAt(8) != ':' || !LayoutFormat.digits(line, 9, 11) || line.charAt(11) != ':'
                || !LayoutFormat.digits(line, 12, 14) || line.charAt(14) != '.') {
            return -1;
        }
        int p = 15;
        while (p < n && TimestampParser.isDigit(line.charAt(p))) p++;
        if (p == 15 || p > 24 || p >= n || line.charAt(p) != ' ') return -1;
        while (p < n && line.charAt(p) == ' ') p++;
        int tid = p;
        while (p < n && TimestampParser.isDigit(line.charAt(p))) p++;
        if (p == tid || p >= n || line.charAt(p) != ' ') return -1;
        int close = line.indexOf("] ", p + 1);
        if (close < 0) close = line.endsWith("]") ? n - 1 : -1;
        if (close < 0 || line.lastIndexOf(':', close) <= p) return -1;
        int space = line.indexOf(' ', p + 1);
        return space >= 0 && space < close ? -1 : close; // file:line is one word
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int close = headerEnd(line);
        if (close < 0) return null;
        int fractionEnd = line.indexOf(' ', 15);
        Instant timestamp = timestamps.inferYear(TimestampParser.digits(line, 1, 2), TimestampParser.digits(line, 3, 2),
                TimestampParser.digits(line, 6, 2), TimestampParser.digits(line, 9, 2), TimestampParser.digits(line, 12, 2),
                TimestampParser.nanos(line, 15, fractionEnd));
        if (timestamp == null) return null;
        int tid = fractionEnd;
        while (line.charAt(tid) == ' ') tid++;
        int tidEnd = line.indexOf(' ', tid);
        Attributes attributes = new Attributes(2);
        attributes.putSpan("tid", line, tid, tidEnd);
        String file = files.of(line, tidEnd + 1, close);
        String message = close + 2 <= line.length() ? line.substring(close + 2) : "";
        return new LogEvent(source, timestamp, level(line.charAt(0)), file, null, message, attributes, line, ref);
    }

    private static Level level(char c) {
        return switch (c) {
            case 'I' -> Level.INFO;
            case 'W' -> Level.WARN;
            case 'E' -> Level.ERROR;
            case 'F' -> Level.FATAL;
            default -> null;
        };
    }
}
