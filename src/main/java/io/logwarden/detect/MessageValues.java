package io.logwarden.detect;

import io.logwarden.event.Attributes;
import java.util.Map;

/**
 * A quantity a message states in words rather than in a field: PostgreSQL's {@code duration: 806.493 ms}, Spring's
 * {@code Completed 200 OK in 87 ms}, {@code Started ShopApplication in 6.412 seconds}, {@code sent 5120 bytes}. A
 * template whose variable is followed by a unit of time or size carries one; {@link ValueShifts} judges it as it
 * judges a format's fields, in one more column after {@link Measures}' (one per template: the first such variable).
 * Thread-safe: constants only.
 */
final class MessageValues {

    /** A unit a template may follow its variable with, and the name its values are shown under. */
    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("ms", "duration_ms"), Map.entry("msec", "duration_ms"), Map.entry("millis", "duration_ms"),
            Map.entry("milliseconds", "duration_ms"), Map.entry("s", "duration"), Map.entry("sec", "duration"),
            Map.entry("secs", "duration"), Map.entry("seconds", "duration"), Map.entry("bytes", "bytes"));

    /** The column's name where a template carries none. */
    static final String NAME = "message value";

    private MessageValues() {
    }

    /**
     * The unit that follows the first variable of {@code pattern} (a miner's template, tokens separated by spaces,
     * variables {@code <*>}), or null when no variable is followed by one.
     */
    static String unitOf(String pattern) {
        if (pattern == null || pattern.indexOf("<*>") < 0) return null;
        String[] tokens = pattern.split(" ");
        for (int i = 1; i < tokens.length; i++) {
            String unit = tokens[i].endsWith(",") || tokens[i].endsWith(";") || tokens[i].endsWith(")")
                    ? tokens[i].substring(0, tokens[i].length() - 1) : tokens[i];
            if (UNITS.containsKey(unit) && tokens[i - 1].endsWith("<*>")) return unit;
        }
        return null;
    }

    /** The name a unit's values are shown under ({@code duration_ms}, {@code duration} in seconds, {@code bytes}). */
    static String nameOf(String unit) {
        return unit == null ? NAME : UNITS.get(unit);
    }

    /**
     * The number just before the first {@code unit} that stands as a word of {@code message} ({@code 806.493 ms} or
     * {@code 806ms}), or NaN.
     */
    static double read(String message, String unit) {
        if (message == null) return Double.NaN;
        int from = 0;
        while (true) {
            int at = message.indexOf(unit, from);
            if (at <= 0) {
                if (at < 0) return Double.NaN;
                from = 1;
                continue;
            }
            int end = at + unit.length();
            if (end == message.length() || !Character.isLetterOrDigit(message.charAt(end))) {
                int numberEnd = message.charAt(at - 1) == ' ' ? at - 1 : at;
                int numberStart = numberEnd;
                while (numberStart > 0 && isNumberChar(message.charAt(numberStart - 1))) numberStart--;
                if (numberStart < numberEnd && Character.isDigit(message.charAt(numberStart))
                        && (numberStart == 0 || !Character.isLetter(message.charAt(numberStart - 1)))) {
                    return Attributes.parseNumber(message, numberStart, numberEnd);
                }
            }
            from = at + 1;
        }
    }

    private static boolean isNumberChar(char c) {
        return (c >= '0' && c <= '9') || c == '.';
    }
}
