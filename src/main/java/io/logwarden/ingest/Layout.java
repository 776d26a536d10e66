package io.logwarden.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A line header in a fixed order: some leading fields, a timestamp of one {@link TimestampShape}, then fields such
 * as level, pid, thread and component, then the message. Written (and pinned in configuration) as
 * <pre>
 * &lt;timestamp:yyMMdd HHmmss&gt; &lt;pid&gt; &lt;level&gt; &lt;component&gt;: &lt;message&gt;
 * &lt;field&gt; &lt;timestamp:epoch-seconds&gt; &lt;field&gt; &lt;host&gt; &lt;component&gt;: &lt;message&gt;
 * [&lt;timestamp:EEE MMM dd HH:mm:ss yyyy&gt;] [&lt;level&gt;] &lt;message&gt;
 * &lt;timestamp:yyyyMMdd-HH:mm:ss:SSS&gt;|&lt;field&gt;|&lt;pid&gt;|&lt;message&gt;
 * </pre>
 * Elements are separated by spaces (any number in the line) or, in the last form, by '|'. Before the timestamp only
 * single words: {@code <field>}, {@code <level>} or {@code [<thread>]} (Cassandra's
 * {@code <level> [<thread>] <timestamp:ISO-8601> <logger> - <message>}). Immutable.
 *
 * @param leading         the fields before the timestamp (space-separated words: field, level or thread)
 * @param shape           the timestamp's written form
 * @param bracketed       whether the timestamp is written in square brackets
 * @param pipes           whether the fields after the timestamp are separated by '|' instead of spaces
 * @param columns         the fields after the timestamp, in order, before the message
 */
record Layout(List<Column> leading, TimestampShape shape, boolean bracketed, boolean pipes, List<Column> columns) {

    /** What a field after the timestamp holds. */
    enum Kind {
        LEVEL("level"), PID("pid"), TID("tid"), THREAD("thread"), COMPONENT("component"), PROGRAM("program"), HOST("host"),
        LOGGER("logger"), FIELD("field"), SEPARATOR("");

        final String word;

        Kind(String word) {
            this.word = word;
        }

        static Kind byWord(String word) {
            for (Kind k : values()) {
                if (k.word.equals(word) && k != SEPARATOR) return k;
            }
            return null;
        }
    }

    /**
     * One field: its kind, whether it is written in brackets, and for a separator the text itself.
     */
    record Column(Kind kind, boolean bracketed, String literal) {
        static Column of(Kind kind) {
            return new Column(kind, kind == Kind.THREAD, null);
        }

        static Column separator(String text) {
            return new Column(Kind.SEPARATOR, false, text);
        }

        String text() {
            if (kind == Kind.SEPARATOR) return literal;
            String inner = "<" + kind.word + ">";
            if (kind == Kind.COMPONENT) return inner + ":";
            return bracketed ? "[" + inner + "]" : inner;
        }
    }

    Layout {
        leading = List.copyOf(leading);
        columns = List.copyOf(columns);
    }

    /** A layout whose fields before the timestamp are all plain fields. */
    Layout(int leadingFields, TimestampShape shape, boolean bracketed, boolean pipes, List<Column> columns) {
        this(Collections.nCopies(leadingFields, Column.of(Kind.FIELD)), shape, bracketed, pipes, columns);
    }

    /** How many fields come before the timestamp. */
    int leadingFields() {
        return leading.size();
    }

    /** The layout as configuration writes it. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Column column : leading) {
            text.append(column.text()).append(' ');
        }
        String stamp = "<timestamp:" + shape.pattern() + ">";
        text.append(bracketed ? "[" + stamp + "]" : stamp);
        String sep = pipes ? "|" : " ";
        for (Column column : columns) {
            text.append(sep).append(column.text());
        }
        return text.append(sep).append("<message>").toString();
    }

    boolean hasLevel() {
        for (Column c : leading) {
            if (c.kind() == Kind.LEVEL) return true;
        }
        for (Column c : columns) {
            if (c.kind() == Kind.LEVEL) return true;
        }
        return false;
    }

    /**
     * Reads a layout written as {@link #toString()} does.
     *
     * @throws IllegalArgumentException naming the element that is not understood
     */
    static Layout parse(String text) {
        String t = text.trim();
        int stampAt = t.indexOf("<timestamp:");
        if (stampAt < 0) {
            throw new IllegalArgumentException("layout '" + text + "' has no <timestamp:PATTERN>; patterns: " + patterns());
        }
        int stampEnd = t.indexOf('>', stampAt);
        if (stampEnd < 0) throw new IllegalArgumentException("layout '" + text + "': unclosed <timestamp:");
        TimestampShape shape = TimestampShape.byPattern(t.substring(stampAt + 11, stampEnd));
        if (shape == null) {
            throw new IllegalArgumentException("layout '" + text + "': unknown timestamp pattern '"
                    + t.substring(stampAt + 11, stampEnd) + "'; known: " + patterns());
        }
        boolean bracketed = stampAt > 0 && t.charAt(stampAt - 1) == '[';
        String before = t.substring(0, bracketed ? stampAt - 1 : stampAt).trim();
        List<Column> leading = new ArrayList<>();
        for (String word : before.isEmpty() ? new String[0] : before.split(" +")) {
            Column column = switch (word) {
                case "<field>" -> Column.of(Kind.FIELD);
                case "<level>" -> Column.of(Kind.LEVEL);
                case "[<thread>]" -> Column.of(Kind.THREAD);
                default -> throw new IllegalArgumentException("layout '" + text
                        + "': before the timestamp only <field>, <level> and [<thread>] are allowed, not '" + word + "'");
            };
            leading.add(column);
        }
        int p = stampEnd + 1 + (bracketed ? 1 : 0);
        if (bracketed && (stampEnd + 1 >= t.length() || t.charAt(stampEnd + 1) != ']')) {
            throw new IllegalArgumentException("layout '" + text + "': '[' before the timestamp without ']' after it");
        }
        boolean pipes = p < t.length() && t.charAt(p) == '|';
        String rest = t.substring(p).trim();
        if (!rest.endsWith("<message>")) {
            throw new IllegalArgumentException("layout '" + text + "' must end with <message>");
        }
        rest = rest.substring(0, rest.length() - "<message>".length());
        List<Column> columns = new ArrayList<>();
        for (String element : rest.split(pipes ? "\\|" : " +")) {
            if (element.isBlank()) continue;
            columns.add(column(element.trim(), text));
        }
        return new Layout(leading, shape, bracketed, pipes, columns);
    }

    private static Column column(String element, String text) {
        boolean bracketed = element.startsWith("[<") && element.endsWith(">]");
        String inner = bracketed ? element.substring(1, element.length() - 1) : element;
        if (inner.equals("<component>:")) return Column.of(Kind.COMPONENT);
        if (inner.startsWith("<") && inner.endsWith(">")) {
            Kind kind = Kind.byWord(inner.substring(1, inner.length() - 1));
            if (kind == null || kind == Kind.COMPONENT) {
                throw new IllegalArgumentException("layout '" + text + "': unknown field " + element
                        + "; fields: <level> <pid> <tid> [<thread>] <component>: <host> <logger> <field>");
            }
            return new Column(kind, bracketed || kind == Kind.THREAD, null);
        }
        if (element.indexOf('<') >= 0 || element.indexOf('>') >= 0) {
            throw new IllegalArgumentException("layout '" + text + "': cannot read '" + element + "'");
        }
        return Column.separator(element);
    }

    private static String patterns() {
        List<String> names = new ArrayList<>();
        for (TimestampShape s : TimestampShape.values()) names.add(s.pattern());
        return String.join(", ", names);
    }
}
