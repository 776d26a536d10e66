package io.logwarden.detect;

import io.logwarden.event.LogEvent;
import java.util.List;

/**
 * The numeric fields of an event that {@link ValueShifts} judges (a response's size, a request's time), read into a
 * row of doubles in the order of {@link #names}: {@code NaN} where the event has no such field or its value is not a
 * number (nginx writes {@code -} for an upstream time it did not have). Thread-safe: it holds only the names.
 */
final class Measures {

    private final String[] names;

    Measures(List<String> names) {
        this.names = names.toArray(String[]::new);
    }

    String[] names() {
        return names;
    }

    int size() {
        return names.length;
    }

    /** Writes the event's values into {@code into} from {@code offset}, one per name. */
    void read(LogEvent event, double[] into, int offset) {
        if (names.length == 0) return;
        var attributes = event.attributes();
        for (int i = 0; i < names.length; i++) {
            into[offset + i] = attributes.isEmpty() ? Double.NaN : parse(attributes.get(names[i]));
        }
    }

    /**
     * The number a field's text starts with ({@code "0.004"}; {@code "0.004, 0.002"}, two upstreams tried, is its
     * first), or {@code NaN}: digits with at most one decimal point, read without {@link Double#parseDouble}'s
     * generality, as every access-log line has three of them.
     */
    static double parse(String text) {
        if (text == null) return Double.NaN;
        long whole = 0;
        long fraction = 0;
        long scale = 1;
        int digits = 0;
        boolean point = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 18) return Double.NaN;
                if (point) {
                    fraction = fraction * 10 + (c - '0');
                    scale *= 10;
                } else {
                    whole = whole * 10 + (c - '0');
                }
            } else if (c == '.' && !point && digits > 0) {
                point = true;
            } else {
                break;
            }
        }
        return digits == 0 ? Double.NaN : whole + (double) fraction / scale;
    }
}
