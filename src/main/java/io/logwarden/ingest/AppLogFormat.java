package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Application logs from log4j, logback, Spring Boot and Python logging: a date-time, a level word, and around
 * them optional thread, pid and logger fields before the message.
 * <pre>
 * 2026-01-15 10:00:00,123 ERROR [main] com.foo.Bar - message                          (log4j)
 * 2026-01-15 10:00:00.123 [main] ERROR com.foo.Bar - message                          (logback)
 * 2026-01-15T10:00:00.123Z  WARN 1234 --- [app] [   main] o.s.b.Foo   : message      (Spring Boot)
 * 2026-01-15 10:00:00,123 ERROR app.worker: message                                   (Python)
 * 2026-01-15 10:00:00,123 - app.worker - ERROR - message                              (Python)
 * 2026-01-15 10:00:00,123 INFO  [org.keycloak.events] (executor-thread-1) message     (Quarkus, WildFly)
 * </pre>
 * A line must have a date-time and a level word before its message to match. The logger becomes the service;
 * thread, pid and application name are attributes.
 */
final class AppLogFormat implements LogFormat {

    private static final int MAX_HEADER_TOKENS = 10;

    private final TimestampParser timestamps;

    AppLogFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "app";
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        if (n < 21 || !TimestampParser.isDigit(line.charAt(0))) return null;
        int tsEnd = TimestampParser.isoEnd(line, 0);
        if (tsEnd < 0 || tsEnd >= n || line.charAt(tsEnd) != ' ') return null;
        Instant timestamp = timestamps.iso(line, 0, tsEnd);
        if (timestamp == null) return null;

        Level level = null;
        String logger = null;
        String pid = null;
        String firstBracket = null;
        String lastBracket = null;
        int brackets = 0;
        int messageStart = -1;
        int p = tsEnd;
        for (int token = 0; token < MAX_HEADER_TOKENS && messageStart < 0; token++) {
            while (p < n && line.charAt(p) == ' ') p++;
            if (p >= n) {
                messageStart = n;
                break;
            }
            char c = line.charAt(p);
            if (c == '[') {
                int end = closingBracket(line, p);
                if (end < 0) return null;
                String content = line.substring(p + 1, end).trim();
                Level bracketLevel = level == null ? levelWord(content) : null;
                if (bracketLevel != null) {
                    level = bracketLevel;
                } else {
                    if (brackets++ == 0) firstBracket = content;
                    lastBracket = content;
                }
                p = end + 1;
                continue;
            }
            if (c == '(' && level != null && logger == null && brackets == 1
                    && LayoutFormat.dottedName(firstBracket, 0, firstBracket.length())) {
                // Quarkus, Keycloak, WildFly: "[org.keycloak.events] (executor-thread-1) message": the bracket was the
                // logger and the parenthesis is the thread, spaces and all ("(MSC service thread 1-2)")
                int close = line.indexOf(')', p + 1);
                if (close > p + 1 && (close + 1 == n || line.charAt(close + 1) == ' ')) {
                    logger = firstBracket;
                    firstBracket = line.substring(p + 1, close);
                    messageStart = close + 1;
                    break;
                }
            }
            int end = p;
            while (end < n && line.charAt(end) != ' ') end++;
            int len = end - p;
            if ((len == 1 && (c == '-' || c == ':' || c == '|')) || (len == 3 && line.startsWith("---", p))) {
                // the message starts after a separator that follows the level and a logger or a thread in brackets
                // (log4j's "%p [%t] - %m", ZooKeeper's): "Message: Error accepting …" is then no logger "Message"
                if (level != null && (logger != null || brackets > 0) && len == 1) {
                    messageStart = end;
                }
                p = end;
                continue;
            }
            if (level == null) {
                Level word = levelWord(line.substring(p, end));
                if (word != null) {
                    level = word;
                } else if (logger == null && followedBySeparator(line, end)) {
                    logger = line.substring(p, end); // Python: "date - name - LEVEL - message"
                } else {
                    return null;
                }
                p = end;
                continue;
            }
            if (pid == null && logger == null && erlangPid(line, p, end)) {
                pid = line.substring(p, end); // RabbitMQ, Erlang's logger: "[info] <0.223.0> message"
                messageStart = end;
                break;
            }
            if (pid == null && logger == null && brackets == 0 && allDigits(line, p, end)) {
                pid = line.substring(p, end);
                p = end;
                continue;
            }
            if (logger == null && line.charAt(end - 1) == ':' && len > 1) {
                logger = line.substring(p, end - 1);
                messageStart = end;
            } else if (logger == null && followedBySeparator(line, end)) {
                logger = line.substring(p, end);
                p = end;
            } else {
                messageStart = p;
            }
        }
        if (level == null || messageStart < 0) return null;
        while (messageStart < n && line.charAt(messageStart) == ' ') messageStart++;

        Map<String, String> attributes = new Attributes(4);
        if (brackets == 1) {
            attributes.put("thread", firstBracket);
        } else if (brackets > 1) {
            attributes.put("app", firstBracket);
            attributes.put("thread", lastBracket);
        }
        if (pid != null) attributes.put("pid", pid);
        if (logger != null) attributes.put("logger", logger);
        return new LogEvent(source, timestamp, level, logger, null, line.substring(messageStart),
                attributes, line, ref);
    }

    /**
     * The ']' that closes the '[' at {@code open}, brackets inside counted (ZooKeeper's thread
     * "[QuorumConnectionThread-[myid=3]-1:QuorumCnxManager@401]"), or -1.
     */
    private static int closingBracket(String line, int open) {
        int end = line.indexOf(']', open + 1);
        int inner = line.indexOf('[', open + 1);
        if (inner < 0 || inner > end) return end; // no bracket inside: the usual case, one search
        int depth = 0;
        for (int i = open; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    // A level word as loggers write it: letters only, at most 8 of them (WARNING, CRITICAL).
    private static Level levelWord(String word) {
        int len = word.length();
        if (len == 0 || len > 8) return null;
        for (int i = 0; i < len; i++) {
            char c = word.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return null;
        }
        if (len == 1) return null; // single letters are too ambiguous at this position
        Level level = Level.parse(word);
        return level == Level.UNKNOWN ? null : level;
    }

    // An Erlang process id, "<0.223.0>": three numbers in angle brackets.
    private static boolean erlangPid(String line, int p, int end) {
        if (end - p < 7 || line.charAt(p) != '<' || line.charAt(end - 1) != '>') return false;
        int dots = 0;
        for (int i = p + 1; i < end - 1; i++) {
            char c = line.charAt(i);
            if (c == '.') {
                if (line.charAt(i - 1) == '.' || line.charAt(i - 1) == '<') return false;
                dots++;
            } else if (!TimestampParser.isDigit(c)) {
                return false;
            }
        }
        return dots == 2 && line.charAt(end - 2) != '.';
    }

    // After optional spaces: "-", ":" or "|" standing alone.
    private static boolean followedBySeparator(String line, int p) {
        int n = line.length();
        while (p < n && line.charAt(p) == ' ') p++;
        if (p >= n) return false;
        char c = line.charAt(p);
        return (c == '-' || c == ':' || c == '|') && (p + 1 == n || line.charAt(p + 1) == ' ');
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!TimestampParser.isDigit(s.charAt(i))) return false;
        }
        return to > from;
    }
}
