package io.logwarden.detect;

import io.logwarden.event.Attributes;
import io.logwarden.event.LogEvent;
import java.util.List;

/**
 * The numeric fields of an event that {@link ValueShifts} judges (a response's size, a request's time), read into a
 * row of doubles in the order of {@link #names}: {@code NaN} where the event has no such field or its value is not a
 * number (nginx writes {@code -} for an upstream time it did not have). A value still a span of the line is read
 * there, not made a String first. Thread-safe: it holds only the names.
 */
final class Measures {

    private final String[] names;

    /**
     * @param names interned: formats put literal names, and {@link Attributes} finds a name by identity before it
     *              compares text (a configured name is a new String: found by text, the warm nginx benchmark ran about
     *              3 % slower, bench/RESULTS.md)
     */
    Measures(List<String> names) {
        this.names = names.stream().map(String::intern).toArray(String[]::new);
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
        Attributes attributes = Attributes.of(event.attributes());
        for (int i = 0; i < names.length; i++) {
            into[offset + i] = attributes.isEmpty() ? Double.NaN : attributes.number(names[i]);
        }
    }

    /** The number a field's text starts with, or {@code NaN} (see {@link Attributes#parseNumber}). */
    static double parse(String text) {
        return text == null ? Double.NaN : Attributes.parseNumber(text, 0, text.length());
    }
}
