package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Apache httpd error log, 2.4 and 2.2 layouts:
 * <pre>
 * [Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 1234:tid 5678] [client 1.2.3.4:5678] AH00001: msg
 * [Wed Oct 11 14:32:52 2000] [error] [client 1.2.3.4] msg
 * </pre>
 * The module becomes the service, the client address the host; pid, tid, client and the AH code are attributes.
 */
final class ApacheErrorFormat implements LogFormat {

    private final TimestampParser timestamps;

    ApacheErrorFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "apache-error";
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        if (line.length() < 30 || line.charAt(0) != '[') return null;
        int close = line.indexOf(']', 1);
        if (close < 0) return null;
        Instant timestamp = timestamps.ctime(line, 1, close);
        if (timestamp == null) return null;
        int p = close + 1;
        if (p + 2 >= line.length() || line.charAt(p) != ' ' || line.charAt(p + 1) != '[') return null;
        int levelEnd = line.indexOf(']', p + 2);
        if (levelEnd < 0) return null;
        String module = null;
        int colon = line.indexOf(':', p + 2);
        int levelStart = p + 2;
        if (colon > 0 && colon < levelEnd) {
            module = line.substring(p + 2, colon);
            levelStart = colon + 1;
        }
        String levelWord = line.substring(levelStart, levelEnd);
        // 2.4 trace levels are trace1..trace8
        Level level = levelWord.startsWith("trace") ? Level.TRACE : Level.parse(levelWord);
        if (level == Level.UNKNOWN) return null;

        Map<String, String> attributes = new Attributes(4);
        String host = null;
        p = levelEnd + 1;
        while (p + 1 < line.length() && line.charAt(p) == ' ' && line.charAt(p + 1) == '[') {
            int end = line.indexOf(']', p + 2);
            if (end < 0) break;
            String group = line.substring(p + 2, end);
            if (group.startsWith("pid ")) {
                int tid = group.indexOf(":tid ");
                attributes.put("pid", tid < 0 ? group.substring(4) : group.substring(4, tid));
                if (tid >= 0) attributes.put("tid", group.substring(tid + 5));
            } else if (group.startsWith("client ") || group.startsWith("remote ")) {
                String client = group.substring(7);
                attributes.put("client", client);
                host = withoutPort(client);
            } else {
                break; // not a header group: the message itself starts with '['
            }
            p = end + 1;
        }
        while (p < line.length() && line.charAt(p) == ' ') p++;
        String message = line.substring(p);
        // the AH code opens the message, or follows the system error: "(111)Connection refused: AH00957: …"
        int ah = message.startsWith("(") ? message.indexOf(": AH") + 2 : 0;
        if (ah < 80 && message.length() > ah + 8 && message.startsWith("AH", ah)
                && message.charAt(ah + 7) == ':' && TimestampParser.digits(message, ah + 2, 5) >= 0) {
            attributes.put("code", message.substring(ah, ah + 7));
        }
        if (module != null) attributes.put("module", module);
        if (module != null && module.startsWith("proxy")) {
            String backend = backend(message);
            if (backend != null) attributes.put("upstream", backend);
        }
        return new LogEvent(source, timestamp, level, module, host, message, attributes, line, ref);
    }

    /**
     * The backend a mod_proxy message names with its port: "attempt to connect to 127.0.0.1:8081 (…) failed"
     * (AH00957), "error reading status line from remote server 127.0.0.1:8081" (AH01102); null when it names none.
     */
    static String backend(String message) {
        for (String before : BACKEND_BEFORE) {
            int at = message.indexOf(before);
            if (at < 0) continue;
            int from = at + before.length();
            int end = from;
            while (end < message.length() && " ,()".indexOf(message.charAt(end)) < 0) end++;
            int colon = message.lastIndexOf(':', end - 1);
            if (colon > from && colon < end - 1 && TimestampParser.digits(message, colon + 1, end - colon - 1) >= 0) {
                return message.substring(from, end);
            }
        }
        return null;
    }

    private static final String[] BACKEND_BEFORE = {"attempt to connect to ", "remote server "};

    // "1.2.3.4:5678" -> "1.2.3.4"; IPv6 "[::1]:5678" -> "::1"; an address without a port is kept.
    static String withoutPort(String address) {
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            return end > 0 ? address.substring(1, end) : address;
        }
        int colon = address.lastIndexOf(':');
        if (colon > 0 && address.indexOf(':') == colon) {
            return address.substring(0, colon);
        }
        return address;
    }
}
