package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DropsTest {

    @Test
    void aSpikesCountIsTheLeastCountChanceWouldNotGiveAtAnyRate() {
        assertThat(Drops.spikeCount(1)).isEqualTo(7); // P(X >= 7 | 1) = 8e-5, P(X >= 6 | 1) = 6e-4
        assertThat(Poisson.upperTail(Drops.spikeCount(8), 8)).isLessThan(Poisson.SIGNIFICANT);
        assertThat(Poisson.upperTail(Drops.spikeCount(8) - 1, 8)).isGreaterThanOrEqualTo(Poisson.SIGNIFICANT);
        // busy windows: thousands of events each (the Poisson sums underflow there), a few deviations above
        assertThat(Drops.spikeCount(5_000)).isBetween(5_250L, 5_270L);
        assertThat(Drops.spikeCount(2_000_000)).isBetween(2_005_200L, 2_005_300L);
    }
}
