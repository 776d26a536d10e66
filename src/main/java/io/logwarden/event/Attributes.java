package io.logwarden.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An event's attributes as a reader fills them: names and values side by side in one array, in the order they were
 * first put, a later value for the same name replacing the earlier one. A format makes one per line, so this is a
 * {@code LinkedHashMap} without its nodes: one small array (for an nginx line's twelve fields, a third of the bytes
 * of a hashed table). Most look-ups are for names the event does not have (detection asks for fields a format may
 * not have): two 64-bit masks of bits of the names' hash codes answer most of those without reading the array (one
 * mask alone let a name such as {@code service} through on every nginx line, its bit being {@code bytes}'s). Present
 * names are found by a scan, comparing identity first (formats put literal names; callers ask with literals or
 * interned names), then contents; past {@value #INDEXED} names a hashed index of the positions is kept instead.
 *
 * <p>A reader may add a value as a span of its line ({@link #addSpan}): the String is made when the value is first read,
 * and a value nobody reads (an access log's user agent, usually) is never copied out of the line.
 *
 * <p>Not thread-safe while it is filled; an event's map is only read after that (by any thread: a span read by two at
 * once becomes two equal Strings, one of which is kept). Null names are not allowed.
 */
public final class Attributes extends AbstractMap<String, String> {

    /** Above this many names, look-ups go through {@link #index} instead of a scan. */
    static final int INDEXED = 16;

    /** name, value, name, value...; a value is a String or a {@link Span} not read yet. */
    private Object[] entries;
    private int size;
    /** Bit {@link #bit} of the hash of every name put is set in {@code mask}, bit {@link #bit2} in {@code mask2}. */
    private long mask;
    private long mask2;
    /** Open addressing over positions + 1 (0: empty), only with more than {@link #INDEXED} names. */
    private int[] index;

    /**
     * No attributes, shared by every event without any; read-only (a put throws, as on {@code Map.of()}). Every
     * event's map is then an {@code Attributes}: the look-ups on the hot path see one class, and a first file whose
     * format puts none does not make the compiled code that reads them start over.
     */
    public static final Attributes NONE = new Attributes(new Object[0]);

    /** @param expected how many fields the format usually puts (the array grows beyond it) */
    public Attributes(int expected) {
        entries = new Object[2 * Math.max(1, expected)];
    }

    private Attributes(Object[] entries) {
        this.entries = entries; // only NONE: empty, never grown
    }

    /** {@code map} as attributes: itself when it is one, {@link #NONE} when empty or null, else a copy in its order. */
    public static Attributes of(Map<String, String> map) {
        if (map instanceof Attributes a) return a;
        if (map == null || map.isEmpty()) return NONE;
        Attributes copy = new Attributes(map.size());
        map.forEach(copy::put);
        return copy;
    }

    private static long bit(int h) {
        return 1L << (h ^ (h >>> 16)); // shifts use the low six bits
    }

    /** A second bit of the hash, from six other bits of it. */
    private static long bit2(int h) {
        return 1L << ((h >>> 6) ^ (h >>> 22));
    }

    /** Sets the bits of a name's hash in the masks. */
    private void mark(int h) {
        mask |= bit(h);
        mask2 |= bit2(h);
    }

    private String key(int i) {
        return (String) entries[2 * i];
    }

    /** A value kept as {@code text[from, to)} until it is read. */
    private record Span(String text, int from, int to) {
        String value() {
            return text.substring(from, to);
        }
    }

    /** The value at position {@code i}, made a String (and kept as one) if it was a span. */
    private String value(int i) {
        Object v = entries[2 * i + 1];
        if (v instanceof Span span) {
            String text = span.value();
            entries[2 * i + 1] = text;
            return text;
        }
        return (String) v;
    }

    /** The position of {@code key} among the entries, or -1. */
    private int find(Object key) {
        if (!(key instanceof String name)) return -1;
        int h = name.hashCode();
        if ((mask & bit(h)) == 0 || (mask2 & bit2(h)) == 0) return -1;
        if (index != null) return indexed(name, h);
        // Formats put literal names, and callers ask with literals or interned names: identity finds most.
        Object[] e = entries;
        int n = size;
        for (int i = 0; i < n; i++) {
            if (e[2 * i] == name) return i;
        }
        for (int i = 0; i < n; i++) {
            if (name.equals(e[2 * i])) return i;
        }
        return -1;
    }

    private int indexed(String name, int h) {
        int[] table = index;
        int m = table.length - 1;
        for (int s = (h ^ (h >>> 16)) & m; ; s = (s + 1) & m) {
            int at = table[s] - 1;
            if (at < 0) return -1;
            String k = key(at);
            if (k == name || (k.hashCode() == h && k.equals(name))) return at;
        }
    }

    private void reindex() {
        if (size <= INDEXED) {
            index = null;
            return;
        }
        int slots = Integer.highestOneBit(size * 2 - 1) * 2; // at most half full
        int[] table = new int[slots];
        int m = slots - 1;
        for (int i = 0; i < size; i++) {
            int h = key(i).hashCode();
            int s = (h ^ (h >>> 16)) & m;
            while (table[s] != 0) s = (s + 1) & m;
            table[s] = i + 1;
        }
        index = table;
    }

    @Override
    public String put(String key, String value) {
        Object old = store(key, value);
        return old instanceof Span span ? span.value() : (String) old;
    }

    /** Replaces the value of {@code key} in place, or appends it; the value it had (a String, a Span or null). */
    private Object store(String key, Object value) {
        Objects.requireNonNull(key, "attribute name");
        int i = find(key);
        if (i < 0) {
            append(key, value);
            return null;
        }
        Object old = entries[2 * i + 1];
        entries[2 * i + 1] = value;
        return old;
    }

    /**
     * Appends a name the caller knows is not there yet (a reader putting its fields, each once): {@link #put} without
     * looking the name up first. A name added twice would be there twice, so callers that may repeat one use put.
     */
    public void add(String key, String value) {
        append(key, value);
    }

    /**
     * {@link #add} of the value {@code text.substring(from, to)}, made only when it is first read: for a value readers
     * seldom need (a user agent), which then costs neither a copy nor a String per line.
     */
    public void addSpan(String key, String text, int from, int to) {
        append(key, span(text, from, to));
    }

    /** {@link #put} of the value {@code text.substring(from, to)}, made only when it is first read (see {@link #addSpan}). */
    public void putSpan(String key, String text, int from, int to) {
        store(key, span(text, from, to));
    }

    private static Span span(String text, int from, int to) {
        if (from < 0 || to > text.length() || from > to) {
            throw new IndexOutOfBoundsException("span [" + from + ", " + to + ") of a text of " + text.length());
        }
        return new Span(text, from, to);
    }

    private void append(String key, Object value) {
        Objects.requireNonNull(key, "attribute name");
        if (2 * size == entries.length) {
            if (entries.length == 0) throw new UnsupportedOperationException("no attributes can be put in Attributes.NONE");
            entries = java.util.Arrays.copyOf(entries, entries.length * 2);
        }
        entries[2 * size] = key;
        entries[2 * size + 1] = value;
        size++;
        mark(key.hashCode());
        if (size > INDEXED && (index == null || size * 2 > index.length)) {
            reindex();
        } else if (index != null) {
            int h = key.hashCode();
            int m = index.length - 1;
            int s = (h ^ (h >>> 16)) & m;
            while (index[s] != 0) s = (s + 1) & m;
            index[s] = size;
        }
    }

    /** Removes a name (rare: a format moving a value elsewhere); the others keep their order. */
    @Override
    public String remove(Object key) {
        int i = find(key);
        if (i < 0) return null;
        String old = value(i);
        System.arraycopy(entries, 2 * i + 2, entries, 2 * i, 2 * (size - i - 1));
        size--;
        entries[2 * size] = null;
        entries[2 * size + 1] = null;
        mask = 0;
        mask2 = 0;
        for (int j = 0; j < size; j++) {
            mark(key(j).hashCode());
        }
        reindex();
        return old;
    }

    @Override
    public String get(Object key) {
        int i = find(key);
        return i < 0 ? null : value(i);
    }

    /**
     * The number a value starts with ({@code "0.004"}; {@code "0.004, 0.002"} gives its first), read where it lies in
     * the line when it is a span not made a String yet; {@code NaN} when the name is absent or its value is not a
     * number ({@code "-"}).
     */
    public double number(String key) {
        int i = find(key);
        if (i < 0) return Double.NaN;
        Object v = entries[2 * i + 1];
        return v instanceof Span span ? parseNumber(span.text(), span.from(), span.to())
                : parseNumber((String) v, 0, ((String) v).length());
    }

    /**
     * The number {@code text[from, to)} starts with: digits with at most one decimal point (up to 18 digits), read
     * without {@link Double#parseDouble}'s generality; {@code NaN} when it starts with none.
     */
    public static double parseNumber(String text, int from, int to) {
        long whole = 0;
        long fraction = 0;
        long scale = 1;
        int digits = 0;
        boolean point = false;
        for (int i = from; i < to; i++) {
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

    @Override
    public boolean containsKey(Object key) {
        return find(key) >= 0;
    }

    @Override
    public String getOrDefault(Object key, String defaultValue) {
        int i = find(key);
        return i < 0 ? defaultValue : value(i);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, String> next() {
                        if (next >= size) throw new NoSuchElementException();
                        int at = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(key(at), value(at));
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int j = 0; j < size; j++) {
            if (j > 0) sb.append(", ");
            sb.append(key(j)).append('=').append(value(j));
        }
        return sb.append('}').toString();
    }
}
