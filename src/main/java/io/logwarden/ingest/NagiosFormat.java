package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;

/**
 * The log of Nagios Core (and of the servers that kept its format: Icinga 1, Naemon): epoch seconds in brackets,
 * then an event type and its fields separated by semicolons, or free text.
 * <pre>
 * [1796311579] SERVICE ALERT: api01;API port;CRITICAL;SOFT;1;connect to address 127.0.0.12 and port 20188: Connection refused
 * [1796311580] HOST ALERT: nas01;DOWN;SOFT;1;CRITICAL - Socket timeout after 4 seconds
 * [1796311581] SERVICE NOTIFICATION: nagiosadmin;api01;API port;CRITICAL;notify-service-by-email;connect to …
 * [1796311491] EXTERNAL COMMAND: PROCESS_SERVICE_CHECK_RESULT;log01;Load;0;LOAD OK - total load average: 0.28, …
 * [1796311491] PASSIVE SERVICE CHECK: log01;Load;0;LOAD OK - total load average: 0.28, 0.25, 0.22
 * [1796311489] Warning: Passive check result was received for service 'Load' on host 'db9', but the host could not be found!
 * </pre>
 * The checked host is the event's host and the service description its service (attributes, not message text, so
 * that one template holds the same event of every host); a notification's contact is the attribute {@code contact}.
 * The message keeps the type and the other fields, a space after each semicolon so that the state, the state type
 * and the plugin's output read as words: {@code SERVICE ALERT: CRITICAL; SOFT; 1; connect to address …}.
 * The level is the state's: CRITICAL, DOWN and UNREACHABLE (a passive check's return code 2) are errors, WARNING and
 * UNKNOWN (1, 3) warnings, a flapping start a warning; the states Nagios lists when it starts or rotates its log
 * ({@code INITIAL SERVICE STATE}, {@code CURRENT HOST STATE}) and event handlers are information, as they restate
 * what the alerts said. Free text is an error after {@code Error:}, a warning after {@code Warning:}.
 */
final class NagiosFormat implements LogFormat {

    private final TimestampParser timestamps;
    private final RecentText hosts = new RecentText();
    private final RecentText services = new RecentText();
    private final RecentText types = new RecentText();

    NagiosFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "nagios";
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        if (n < 13 || line.charAt(0) != '[') return null;
        int close = TimestampParser.digitsEnd(line, 1, Math.min(n, 13));
        if (close < 10 || close > 12 || close + 1 >= n || line.charAt(close) != ']' || line.charAt(close + 1) != ' ') {
            return null; // 9 to 11 digits: epoch seconds from 2001 to 5138
        }
        Instant timestamp = timestamps.epoch(line, 1, close);
        int p = close + 2;
        int word = LayoutFormat.spaceEnd(line, p);
        if (LayoutFormat.programEnd(line, p, word) == word) {
            return null; // another program's own log with the same stamp: Unbound's "[1764676800] unbound[23230:0] notice: …"
        }
        int typeEnd = typeEnd(line, p);
        LogEvent typed = typeEnd < 0 ? null : typed(line, source, ref, timestamp, types.of(line, p, typeEnd), typeEnd + 2);
        if (typed != null) return typed;
        // free text, or a type without the fields it names ("LOG VERSION: 2.0")
        Level level = line.startsWith("Error:", p) ? Level.ERROR : line.startsWith("Warning:", p) ? Level.WARN : Level.INFO;
        return new LogEvent(source, timestamp, level, null, null, line.substring(p), Attributes.NONE, line, ref);
    }

    /** An event of a type with its fields, or null when the fields the type names are not there. */
    private LogEvent typed(String line, String source, SourceRef ref, Instant timestamp, String type, int fields) {
        int n = line.length();
        Attributes attributes = new Attributes(3);
        String host = null;
        String service = null;
        boolean external = type.equals("EXTERNAL COMMAND");
        String command = null;
        if (external) { // the command's own arguments: host and service for the commands about them
            int semi = line.indexOf(';', fields);
            if (semi > fields) {
                command = line.substring(fields, semi);
                fields = semi + 1;
            }
        }
        if (!external && !aboutChecked(type)) return null; // "TIMEPERIOD TRANSITION: 24x7;-1;1" names no host
        boolean aboutService = external ? command != null && (command.contains("_SVC_") || command.contains("SERVICE"))
                : type.contains("SERVICE");
        boolean aboutHost = !external || command != null && (aboutService || command.contains("HOST"));
        if (type.endsWith("NOTIFICATION")) {
            int semi = line.indexOf(';', fields);
            if (semi < 0) return null;
            attributes.addSpan("contact", line, fields, semi);
            fields = semi + 1;
        }
        if (aboutHost) {
            int semi = line.indexOf(';', fields);
            if (semi <= fields) return null;
            host = hosts.of(line, fields, semi);
            fields = semi + 1;
            if (aboutService) {
                semi = line.indexOf(';', fields);
                if (semi <= fields) return null;
                service = services.of(line, fields, semi);
                fields = semi + 1;
            }
        }
        StringBuilder message = new StringBuilder(type.length() + n - fields + 8).append(type).append(": ");
        if (command != null) message.append(command).append("; ");
        // the fixed fields before the plugin's output, a space after each semicolon; the output as written
        int fixed = fixedFields(type, command);
        int q = fields;
        for (int f = 0; f < fixed; f++) {
            int semi = line.indexOf(';', q);
            if (semi < 0) break;
            message.append(line, q, semi).append("; ");
            q = semi + 1;
        }
        message.append(line, q, n);
        int stateEnd = line.indexOf(';', fields);
        Level level = level(type, line, fields, stateEnd < 0 ? n : stateEnd);
        return new LogEvent(source, timestamp, level, service, host, message.toString(), attributes, line, ref);
    }

    /** The end of an event type ("SERVICE ALERT") followed by ": ": capital letters and spaces; -1 when none. */
    private static int typeEnd(String line, int p) {
        int n = Math.min(line.length(), p + 40);
        int i = p;
        while (i < n && (line.charAt(i) >= 'A' && line.charAt(i) <= 'Z' || line.charAt(i) == ' ')) i++;
        return i > p + 3 && i + 1 < line.length() && line.charAt(i) == ':' && line.charAt(i + 1) == ' '
                && line.charAt(i - 1) != ' ' && line.indexOf(' ', p) < i ? i : -1;
    }

    /** Whether events of this type name the checked host (and service) first: alerts, states, checks, handlers. */
    private static boolean aboutChecked(String type) {
        return type.endsWith(" ALERT") || type.endsWith(" STATE") || type.endsWith(" NOTIFICATION")
                || type.endsWith(" CHECK") || type.endsWith(" EVENT HANDLER");
    }

    /** Fields between the host (and service) and the plugin's output: the state, its type, the attempt. */
    private static int fixedFields(String type, String command) {
        if (type.equals("EXTERNAL COMMAND")) return command != null && command.endsWith("_CHECK_RESULT") ? 1 : 0;
        if (type.endsWith("NOTIFICATION")) return 2;     // state, command
        if (type.startsWith("PASSIVE ")) return 1;        // return code
        if (type.endsWith("EVENT HANDLER")) return 3;     // state, state type, attempt
        if (type.endsWith("ALERT") && (type.contains("FLAPPING") || type.contains("DOWNTIME"))) return 1; // STARTED
        return 3;                                          // ALERT and STATE: state, state type, attempt
    }

    private static Level level(String type, String line, int from, int to) {
        if (type.startsWith("INITIAL ") || type.startsWith("CURRENT ") || type.endsWith("EVENT HANDLER")
                || type.equals("EXTERNAL COMMAND")) {
            return Level.INFO;
        }
        if (type.endsWith("FLAPPING ALERT")) return line.startsWith("STARTED", from) ? Level.WARN : Level.INFO;
        if (to - from == 1) { // a passive check's return code
            char code = line.charAt(from);
            return code == '2' ? Level.ERROR : code == '1' || code == '3' ? Level.WARN : Level.INFO;
        }
        return switch (line.substring(from, to)) {
            case "CRITICAL", "DOWN", "UNREACHABLE" -> Level.ERROR;
            case "WARNING", "UNKNOWN" -> Level.WARN;
            default -> Level.INFO;
        };
    }
}
