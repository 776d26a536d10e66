package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Space-Saving with the smallest count remembered evicts exactly what the plain version evicts (the first smallest in
 * the map's order), so the values and counts it keeps are the same.
 */
class TopValuesTest {

    /** The plain version: a full scan for the first smallest count at every eviction. */
    private static final class Plain {
        final Map<String, long[]> counts;
        final int capacity;

        Plain(int capacity) {
            this.capacity = capacity;
            this.counts = new HashMap<>(Math.min(capacity, 16) * 2); // as TopValues sizes it: the same order
        }

        void add(String value, long n, long error) {
            long[] c = counts.get(value);
            if (c != null) {
                c[0] += n;
                c[1] += error;
                return;
            }
            if (counts.size() < capacity) {
                counts.put(value, new long[] {n, error});
                return;
            }
            String smallest = null;
            long min = Long.MAX_VALUE;
            for (Map.Entry<String, long[]> e : counts.entrySet()) {
                if (e.getValue()[0] < min) {
                    min = e.getValue()[0];
                    smallest = e.getKey();
                }
            }
            counts.remove(smallest);
            counts.put(value, new long[] {min + n, min + error});
        }
    }

    @Test
    void keepsWhatThePlainVersionKeeps() {
        Random random = new Random(3);
        for (int round = 0; round < 500; round++) {
            int capacity = 1 + random.nextInt(24);
            int distinct = capacity + random.nextInt(80);
            TopValues fast = new TopValues(capacity);
            Plain plain = new Plain(capacity);
            for (int i = 0; i < 3_000; i++) {
                // skewed: a few values often, many rarely; now and then a merged count (a stored window read back)
                String value = "v" + (random.nextBoolean() ? random.nextInt(5) : random.nextInt(distinct));
                long n = random.nextInt(20) == 0 ? random.nextInt(4) : 1;
                long error = n > 1 ? random.nextInt(2) : 0;
                fast.add(value, n, error);
                plain.add(value, n, error);
            }
            assertThat(fast.entries().keySet()).isEqualTo(plain.counts.keySet());
            plain.counts.forEach((value, c) -> assertThat(fast.entries().get(value)).as(value).containsExactly(c[0], c[1]));
        }
    }
}
