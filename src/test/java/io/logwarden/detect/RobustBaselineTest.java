package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A window's baseline taken from its pool's sorted counts is exactly the one taken by copying and sorting them. */
class RobustBaselineTest {

    @Test
    void theSortedCountsWithoutOneGiveWhatSortingTheRestGives() {
        Random random = new Random(7);
        int compared = 0;
        for (int round = 0; round < 3_000; round++) {
            int size = 1 + random.nextInt(round % 3 == 0 ? 4 : 60);
            // few distinct values (ties, zeros), or many; now and then one far above the rest
            int spread = random.nextBoolean() ? 3 : 1_000;
            long[] counts = new long[size];
            for (int i = 0; i < size; i++) {
                counts[i] = random.nextInt(8) == 0 ? 0 : random.nextInt(spread) + (random.nextInt(40) == 0 ? 50_000 : 0);
            }
            long[] sorted = counts.clone();
            Arrays.sort(sorted);
            int left = random.nextInt(size);
            long[] rest = new long[size - 1];
            for (int i = 0, k = 0; i < size; i++) {
                if (i != left) rest[k++] = counts[i];
            }
            assertThat(RobustBaseline.ofSortedWithout(sorted, counts[left]))
                    .as("%s without %d", Arrays.toString(counts), counts[left])
                    .isEqualTo(RobustBaseline.of(rest, rest.length));
            compared++;
        }
        assertThat(compared).isEqualTo(3_000);
    }

    @Test
    void aCountThatIsNotThereIsRefused() {
        assertThatThrownBy(() -> RobustBaseline.ofSortedWithout(new long[] {1, 2, 4}, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3");
    }
}
