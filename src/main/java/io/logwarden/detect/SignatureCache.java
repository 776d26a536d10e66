package io.logwarden.detect;

import java.util.Arrays;

/**
 * Open-addressing map from a 64-bit signature to a template; no boxing on the hot path.
 * Cleared when full, which only costs re-mining the next lines through the tree.
 */
final class SignatureCache {
    private final long[] keys;
    private final Template[] values;
    private final int mask;
    private final int limit;
    private int size;

    SignatureCache(int capacity) {
        int cap = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
        keys = new long[cap];
        values = new Template[cap];
        mask = cap - 1;
        limit = cap / 2;
    }

    Template get(long key) {
        int i = spread(key) & mask;
        while (true) {
            Template v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return v;
            }
            i = (i + 1) & mask;
        }
    }

    void put(long key, Template value) {
        if (size >= limit) {
            Arrays.fill(values, null);
            size = 0;
        }
        int i = spread(key) & mask;
        while (values[i] != null) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    private static int spread(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
