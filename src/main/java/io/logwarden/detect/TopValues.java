package io.logwarden.detect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The most frequent values of one field in bounded memory (Metwally et al.'s Space-Saving): a value seen at least
 * total/capacity times is always kept, and its count is over-estimated by at most the smallest kept count. Exact
 * while a field has at most {@code capacity} distinct values, which is the usual case within one window.
 *
 * <p>Not thread-safe.
 */
final class TopValues {

    private final int capacity;
    private final Map<String, long[]> counts; // value -> {count, overestimate}
    private long total;
    /**
     * The smallest kept count and how many kept values have it, when {@link #minKnown}: an eviction then stops at the
     * first value with that count instead of scanning them all (the same value the full scan picks: the first
     * smallest in the map's order).
     */
    private long min;
    private int atMin;
    private boolean minKnown;

    TopValues(int capacity) {
        this.capacity = capacity;
        this.counts = new HashMap<>(Math.min(capacity, 16) * 2);
    }

    void add(String value) {
        add(value, 1, 0);
    }

    /** Adds a value counted elsewhere (a stored window read back). */
    void add(String value, long n, long error) {
        total += n;
        long[] c = counts.get(value);
        if (c != null) {
            if (n != 0 && minKnown && c[0] == min && --atMin == 0) minKnown = false;
            c[0] += n;
            c[1] += error;
            return;
        }
        if (counts.size() < capacity) {
            counts.put(value, new long[] {n, error});
            if (counts.size() == 1 || (minKnown && n < min)) {
                min = n;
                atMin = 1;
                minKnown = true;
            } else if (minKnown && n == min) {
                atMin++;
            }
            return;
        }
        String smallest = null;
        long least = Long.MAX_VALUE;
        if (minKnown) {
            for (Map.Entry<String, long[]> e : counts.entrySet()) {
                if (e.getValue()[0] == min) {
                    least = min;
                    smallest = e.getKey();
                    break;
                }
            }
        } else {
            int at = 0;
            for (Map.Entry<String, long[]> e : counts.entrySet()) {
                long k = e.getValue()[0];
                if (k < least) {
                    least = k;
                    smallest = e.getKey();
                    at = 1;
                } else if (k == least) {
                    at++;
                }
            }
            min = least;
            atMin = at;
            minKnown = true;
        }
        counts.remove(smallest);
        // the new value's count is least + n: above the smallest, unless n is 0 (it takes the evicted one's place)
        if (n != 0 && --atMin == 0) minKnown = false;
        counts.put(value, new long[] {least + n, least + error});
    }

    /** Adds another summary of the same field (a later window merged into this one). */
    void merge(TopValues other) {
        for (Map.Entry<String, long[]> e : other.counts.entrySet()) {
            add(e.getKey(), e.getValue()[0], e.getValue()[1]);
        }
        total += other.total - other.counts.values().stream().mapToLong(c -> c[0]).sum();
    }

    /** Every kept value with its count and over-estimate, for storage. */
    Map<String, long[]> entries() {
        return counts;
    }

    /** Events counted beyond the kept values' counts (evicted ones), for storage. */
    long untracked() {
        return total - counts.values().stream().mapToLong(c -> c[0]).sum();
    }

    void addUntracked(long n) {
        total += n;
    }

    long total() {
        return total;
    }

    /** The kept count of a value (0 when not kept). */
    long count(String value) {
        long[] c = counts.get(value);
        return c == null ? 0 : c[0];
    }

    /** Kept values with their counts, largest first. */
    List<Map.Entry<String, Long>> top(int n) {
        List<Map.Entry<String, Long>> list = new ArrayList<>(counts.size());
        counts.forEach((k, v) -> list.add(Map.entry(k, v[0])));
        list.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        return list.size() > n ? list.subList(0, n) : list;
    }
}
