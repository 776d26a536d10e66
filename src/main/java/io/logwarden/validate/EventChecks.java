package io.logwarden.validate;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The validation rules, free of storage: parse errors found by the reader, required fields, readable and plausible
 * timestamps, size limits. The pipeline's {@code EventValidator} and the command line share them.
 */
public final class EventChecks {

    /**
     * What makes an event valid (logwarden.validate in the service's configuration).
     *
     * @param requiredFields  fields every event must have: timestamp, message, level, service, host or an attribute
     * @param maxMessageBytes longer messages are invalid
     * @param maxFutureSkew   timestamps further in the future are invalid
     * @param oldest          older timestamps are invalid; zero: no limit
     */
    public record Rules(java.util.List<String> requiredFields, int maxMessageBytes, java.time.Duration maxFutureSkew,
                        java.time.Duration oldest) {

        /** The documented defaults: a timestamp and a message, 64 KiB, a day ahead at most, no age limit. */
        public static Rules defaults() {
            return new Rules(java.util.List.of("timestamp", "message"), 65536, java.time.Duration.ofDays(1),
                    java.time.Duration.ZERO);
        }
    }

    private final Rules props;

    public EventChecks(Rules rules) {
        this.props = rules;
    }

    /** Why the event is invalid, or null when it is valid. */
    public String check(LogEvent event, Instant now) {
        return at(now).check(event);
    }

    /** The checks as of {@code now}, for many events (a batch): the time limits are worked out once. */
    public At at(Instant now) {
        return new At(now.plus(props.maxFutureSkew()), props.oldest().isZero() ? null : now.minus(props.oldest()));
    }

    /** The checks with their time limits fixed. */
    public final class At {
        private final Instant latest;
        private final Instant earliest;

        private At(Instant latest, Instant earliest) {
            this.latest = latest;
            this.earliest = earliest;
        }

        /** Why the event is invalid, or null when it is valid. */
        public String check(LogEvent event) {
            return EventChecks.this.check(event, latest, earliest);
        }
    }

    private String check(LogEvent event, Instant latest, Instant earliest) {
        String parseError = event.attributes().get("parse.error");
        if (parseError != null) {
            return parseError;
        }
        String sizeError = event.attributes().get("size.error");
        if (sizeError != null) {
            return sizeError;
        }
        for (String field : props.requiredFields()) {
            String missing = missing(event, field);
            if (missing != null) {
                return missing;
            }
        }
        String message = event.message();
        if (message != null && message.length() * 3L > props.maxMessageBytes()
                && message.getBytes(StandardCharsets.UTF_8).length > props.maxMessageBytes()) {
            return "message is " + message.getBytes(StandardCharsets.UTF_8).length + " bytes, over the "
                    + props.maxMessageBytes() + "-byte limit";
        }
        Instant ts = event.timestamp();
        if (ts != null) {
            if (ts.isAfter(latest)) {
                return "timestamp " + ts + " is more than " + props.maxFutureSkew() + " in the future";
            }
            if (earliest != null && ts.isBefore(earliest)) {
                return "timestamp " + ts + " is older than " + props.oldest();
            }
        }
        return null;
    }

    private static String missing(LogEvent event, String field) {
        switch (field) {
            case "timestamp":
                if (event.timestamp() == null) {
                    String raw = event.attributes().get("timestamp.raw");
                    return raw == null ? "no timestamp" : "unreadable timestamp '" + raw + "'";
                }
                return null;
            case "message":
                return event.message() == null || event.message().isBlank() ? "empty message" : null;
            case "level":
                return event.level() == Level.UNKNOWN ? "no level" : null;
            case "service":
                return blank(event.service()) ? "no service" : null;
            case "host":
                return blank(event.host()) ? "no host" : null;
            default:
                return blank(event.attributes().get(field)) ? "no " + field : null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
