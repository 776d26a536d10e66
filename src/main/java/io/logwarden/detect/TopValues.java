package io.logwarden.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The most frequent values of one field in bounded memory (Metwally et al.'s Space-Saving): a value seen at least
 * total/capacity times is always kept, and its count is over-estimated by at most the smallest kept count. Exact
 * while a field has at most {@code capacity} distinct values, which is the usual case within one window.
 *
 * <p>The kept values are a few parallel arrays scanned in full (a capacity is a few dozen at most): a value is found by
 * its cached hash, and an eviction overwrites the evicted value's slot, so counting allocates nothing once a slot is
 * taken. Where counts tie (which value an eviction drops, which one {@link #top} lists first, the order of
 * {@link #entries}), the kept values are in the order a {@code HashMap} sized for the capacity iterates them: by
 * hash bucket, then by arrival within a bucket. That was this class's map until it became arrays, so what it keeps
 * and reports did not change (except when nine kept values share a bucket, where that map would have resized).
 *
 * <p>Not thread-safe.
 */
final class TopValues {

    private final int capacity;
    /** The bucket mask of a {@code HashMap} created with the initial capacity this class's map had. */
    private final int mask;
    private String[] values;
    private int[] hashes;
    private long[] counts;
    private long[] errors;
    /** Bucket in the high bits, arrival number in the low ones: the order of ties (see the class comment). */
    private long[] order;
    private int size;
    private long arrivals;
    private long total;

    TopValues(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        this.capacity = capacity;
        this.mask = Integer.highestOneBit(Math.min(capacity, 16) * 2 - 1) * 2 - 1;
        int initial = Math.min(capacity, 8); // most fields have a few values in a window: grown when needed
        this.values = new String[initial];
        this.hashes = new int[initial];
        this.counts = new long[initial];
        this.errors = new long[initial];
        this.order = new long[initial];
    }

    void add(String value) {
        add(value, 1, 0);
    }

    /** Adds a value counted elsewhere (a stored window read back). */
    void add(String value, long n, long error) {
        total += n;
        int h = value.hashCode();
        int at = find(value, h);
        if (at >= 0) {
            counts[at] += n;
            errors[at] += error;
            return;
        }
        if (size < capacity) {
            if (size == values.length) grow();
            put(size++, value, h, n, error);
            return;
        }
        // Evict the smallest count, the first in the order of ties; the new value's count is the evicted one's plus n.
        int smallest = 0;
        for (int i = 1; i < size; i++) {
            if (counts[i] < counts[smallest] || (counts[i] == counts[smallest] && order[i] < order[smallest])) {
                smallest = i;
            }
        }
        long least = counts[smallest];
        put(smallest, value, h, least + n, least + error);
    }

    private int find(String value, int h) {
        int[] hs = hashes;
        for (int i = 0, n = size; i < n; i++) {
            if (hs[i] == h) {
                String kept = values[i];
                if (kept == value || kept.equals(value)) return i;
            }
        }
        return -1;
    }

    private void grow() {
        int length = Math.min(capacity, values.length * 2);
        values = Arrays.copyOf(values, length);
        hashes = Arrays.copyOf(hashes, length);
        counts = Arrays.copyOf(counts, length);
        errors = Arrays.copyOf(errors, length);
        order = Arrays.copyOf(order, length);
    }

    private void put(int slot, String value, int h, long count, long error) {
        values[slot] = value;
        hashes[slot] = h;
        counts[slot] = count;
        errors[slot] = error;
        order[slot] = ((long) ((h ^ (h >>> 16)) & mask) << 48) | arrivals++;
    }

    /** Adds another summary of the same field (a later window merged into this one). */
    void merge(TopValues other) {
        long kept = 0;
        for (int i : other.inOrder()) {
            add(other.values[i], other.counts[i], other.errors[i]);
            kept += other.counts[i];
        }
        total += other.total - kept;
    }

    /** The slots in the order of ties (an insertion sort: a few dozen slots at most). */
    private int[] inOrder() {
        int[] slots = new int[size];
        for (int i = 0; i < size; i++) {
            int j = i;
            while (j > 0 && order[slots[j - 1]] > order[i]) {
                slots[j] = slots[j - 1];
                j--;
            }
            slots[j] = i;
        }
        return slots;
    }

    /** Every kept value with its count and over-estimate ({@code {count, error}}), in the order of ties, for storage. */
    Map<String, long[]> entries() {
        Map<String, long[]> entries = new LinkedHashMap<>();
        for (int i : inOrder()) {
            entries.put(values[i], new long[] {counts[i], errors[i]});
        }
        return entries;
    }

    /** Events counted beyond the kept values' counts (evicted ones), for storage. */
    long untracked() {
        long kept = 0;
        for (int i = 0; i < size; i++) kept += counts[i];
        return total - kept;
    }

    void addUntracked(long n) {
        total += n;
    }

    long total() {
        return total;
    }

    /** The kept count of a value (0 when not kept). */
    long count(String value) {
        int at = find(value, value.hashCode());
        return at < 0 ? 0 : counts[at];
    }

    /**
     * The kept slot whose count is surely the largest: by its count less its possible over-estimate (a value that
     * took an evicted value's slot), the first in the order of ties; -1 when none is kept.
     */
    private int busiestSlot() {
        int best = -1;
        for (int i : inOrder()) {
            if (best < 0 || counts[i] - errors[i] > counts[best] - errors[best]) best = i;
        }
        return best;
    }

    /** The busiest value's sure count ({@link #busiestSlot}): at least this many events had it; 0 when none. */
    long busiestCount() {
        int at = busiestSlot();
        return at < 0 ? 0 : counts[at] - errors[at];
    }

    /** The busiest value ({@link #busiestSlot}), or null. */
    String busiest() {
        int at = busiestSlot();
        return at < 0 ? null : values[at];
    }

    /** Kept values with their counts, largest first (ties in the order of ties). */
    List<Map.Entry<String, Long>> top(int n) {
        List<Map.Entry<String, Long>> list = new ArrayList<>(size);
        for (int i : inOrder()) {
            list.add(Map.entry(values[i], counts[i]));
        }
        list.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        return list.size() > n ? list.subList(0, n) : list;
    }
}
