package io.logwarden.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An event's attributes as a reader fills them: a handful of fields kept in one array, in the order they were put,
 * with a later value for the same name replacing the earlier one. A format makes one per line, so this is a
 * {@code HashMap} without its table and nodes: a look-up compares the names' hash codes (cached in the strings, which
 * are mostly the same constants) in one small array, and the name itself only where they match.
 *
 * <p>Not thread-safe while it is filled; an event's map is only read after that.
 */
public final class Attributes extends AbstractMap<String, String> {

    private String[] kv;
    private int[] hashes;
    private int size;

    public Attributes(int expected) {
        this.kv = new String[Math.max(2, expected * 2)];
        this.hashes = new int[Math.max(1, expected)];
    }

    @Override
    public String put(String key, String value) {
        int i = index(key);
        if (i >= 0) {
            String old = kv[i + 1];
            kv[i + 1] = value;
            return old;
        }
        if (size * 2 == kv.length) {
            kv = Arrays.copyOf(kv, kv.length * 2);
            hashes = Arrays.copyOf(hashes, hashes.length * 2);
        }
        hashes[size] = key.hashCode();
        kv[size * 2] = key;
        kv[size * 2 + 1] = value;
        size++;
        return null;
    }

    private int index(Object key) {
        if (key == null) return -1;
        int h = key.hashCode();
        int[] hs = hashes;
        for (int i = 0, n = size; i < n; i++) {
            if (hs[i] == h) {
                String k = kv[2 * i];
                if (k == key || k.equals(key)) return 2 * i;
            }
        }
        return -1;
    }

    @Override
    public String get(Object key) {
        int i = index(key);
        return i < 0 ? null : kv[i + 1];
    }

    @Override
    public boolean containsKey(Object key) {
        return index(key) >= 0;
    }

    @Override
    public String getOrDefault(Object key, String defaultValue) {
        int i = index(key);
        return i < 0 ? defaultValue : kv[i + 1];
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
                        int i = next++ * 2;
                        return new AbstractMap.SimpleImmutableEntry<>(kv[i], kv[i + 1]);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
