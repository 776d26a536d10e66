package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Space-Saving in arrays evicts exactly what the plain version over a {@code HashMap} evicts (the first smallest in
 * the map's order), so the values and counts it keeps are the same, and so is the order ties are listed in.
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
                String value = (round % 2 == 0 ? "v" : "127.0.0.") // short and longer values, many sharing a bucket
                        + (random.nextBoolean() ? random.nextInt(5) : random.nextInt(distinct));
                long n = random.nextInt(20) == 0 ? random.nextInt(4) : 1;
                long error = n > 1 ? random.nextInt(2) : 0;
                fast.add(value, n, error);
                plain.add(value, n, error);
            }
            assertThat(List.copyOf(fast.entries().keySet())).as("order").isEqualTo(List.copyOf(plain.counts.keySet()));
            plain.counts.forEach((value, c) -> assertThat(fast.entries().get(value)).as(value).containsExactly(c[0], c[1]));
        }
    }

    @Test
    void topListsTiesInTheMapsOrderAndMergeKeepsTheTotal() {
        Random random = new Random(5);
        for (int round = 0; round < 200; round++) {
            TopValues a = new TopValues(WindowStats.VALUES_PER_FIELD);
            TopValues b = new TopValues(WindowStats.VALUES_PER_FIELD);
            Plain plain = new Plain(WindowStats.VALUES_PER_FIELD);
            for (int i = 0; i < 200; i++) {
                String value = "/api/items/" + random.nextInt(60);
                (i < 100 ? a : b).add(value);
            }
            // the plain merge: b's entries into a's, in b's order, as TopValues.merge does
            Plain plainB = new Plain(WindowStats.VALUES_PER_FIELD);
            b.entries().forEach((v, c) -> plainB.add(v, c[0], c[1]));
            a.entries().forEach((v, c) -> plain.add(v, c[0], c[1]));
            plainB.counts.forEach((v, c) -> plain.add(v, c[0], c[1]));
            a.merge(b);
            assertThat(a.total()).isEqualTo(200);
            assertThat(List.copyOf(a.entries().keySet())).isEqualTo(List.copyOf(plain.counts.keySet()));
            List<String> plainTop = plain.counts.entrySet().stream()
                    .sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(5).map(Map.Entry::getKey).toList();
            assertThat(a.top(5).stream().map(Map.Entry::getKey).toList()).isEqualTo(plainTop);
            assertThat(a.untracked()).isEqualTo(200 - a.entries().values().stream().mapToLong(c -> c[0]).sum());
        }
    }

    @Test
    void theBusiestValueIsJudgedByTheCountItSurelyHad() {
        TopValues values = new TopValues(3);
        assertThat(values.busiest()).isNull();
        assertThat(values.busiestCount()).isZero();
        for (int i = 0; i < 5; i++) values.add("10.0.0.1");
        for (int i = 0; i < 2; i++) values.add("10.0.0.2");
        for (int i = 0; i < 2; i++) values.add("10.0.0.3");
        // A newcomer evicts a value counted 2 and inherits that count as its possible over-estimate: "10.0.0.9" is
        // kept at 6 but surely had 4 only, so the busiest is "10.0.0.1", surely 5.
        for (int i = 0; i < 4; i++) values.add("10.0.0.9");
        assertThat(values.count("10.0.0.9")).isEqualTo(6);
        assertThat(values.busiest()).isEqualTo("10.0.0.1");
        assertThat(values.busiestCount()).isEqualTo(5);
    }
}
