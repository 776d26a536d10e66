package io.logwarden.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An event's attributes as a reader fills them: an open-addressing table (names, values and the names' hash codes in
 * three small arrays, probed linearly) that keeps the order the fields were put in, a later value for the same name
 * replacing the earlier one. A format makes one per line, so this is a {@code HashMap} without its nodes: one
 * allocation of a few arrays, and a look-up of an absent name (most look-ups: detection asks for fields a format may
 * not have) usually ends at the first empty slot.
 *
 * <p>Not thread-safe while it is filled; an event's map is only read after that. Null names are not allowed.
 */
public final class Attributes extends AbstractMap<String, String> {

    private String[] keys;
    private String[] values;
    private int[] hashes;
    /** Slots in the order their names were first put. */
    private int[] order;
    private int size;

    /** @param expected how many fields the format usually puts (the table grows beyond it) */
    public Attributes(int expected) {
        // a power of two with room for the expected fields at three quarters full
        int slots = Integer.highestOneBit(Math.max(2, (expected * 4 + 2) / 3) * 2 - 1);
        allocate(slots);
    }

    private void allocate(int slots) {
        keys = new String[slots];
        values = new String[slots];
        hashes = new int[slots];
        order = new int[slots * 3 / 4 + 1];
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private int slot(Object key, int h) {
        int mask = keys.length - 1;
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null || (hashes[i] == h && (k == key || k.equals(key)))) return i;
        }
    }

    @Override
    public String put(String key, String value) {
        Objects.requireNonNull(key, "attribute name");
        int h = key.hashCode();
        int i = slot(key, h);
        if (keys[i] != null) {
            String old = values[i];
            values[i] = value;
            return old;
        }
        if (size + 1 > keys.length * 3 / 4) {
            grow();
            i = slot(key, h);
        }
        keys[i] = key;
        values[i] = value;
        hashes[i] = h;
        order[size++] = i;
        return null;
    }

    private void grow() {
        rebuild(keys.length * 2, null);
    }

    /** Puts the entries into a table of {@code slots}, in their order, leaving out {@code without}'s slot (or none). */
    private void rebuild(int slots, Integer without) {
        String[] oldKeys = keys;
        String[] oldValues = values;
        int[] oldOrder = order;
        int n = size;
        allocate(slots);
        size = 0;
        for (int j = 0; j < n; j++) {
            int s = oldOrder[j];
            if (without != null && s == without) continue;
            int h = oldKeys[s].hashCode();
            int i = slot(oldKeys[s], h);
            keys[i] = oldKeys[s];
            values[i] = oldValues[s];
            hashes[i] = h;
            order[size++] = i;
        }
    }

    private int find(Object key) {
        if (key == null || size == 0) return -1;
        int i = slot(key, key.hashCode());
        return keys[i] == null ? -1 : i;
    }

    /** Removes a name (rare: a format moving a value elsewhere); the others keep their order. */
    @Override
    public String remove(Object key) {
        int i = find(key);
        if (i < 0) return null;
        String old = values[i];
        rebuild(keys.length, i);
        return old;
    }

    @Override
    public String get(Object key) {
        int i = find(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return find(key) >= 0;
    }

    @Override
    public String getOrDefault(Object key, String defaultValue) {
        int i = find(key);
        return i < 0 ? defaultValue : values[i];
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
                        int s = order[next++];
                        return new AbstractMap.SimpleImmutableEntry<>(keys[s], values[s]);
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
            sb.append(keys[order[j]]).append('=').append(values[order[j]]);
        }
        return sb.append('}').toString();
    }
}
