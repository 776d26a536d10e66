package io.logwarden.detect;

import java.time.Duration;

/**
 * Chooses a source's counting window from its data, in the spirit of Elastic ML's bucket-span estimation: the
 * longest "round" length that still cuts the input into enough windows to compare one with the others, and never
 * so short that a typical window is nearly empty. A 4-minute file gets windows of a few seconds, a 3-day file of an
 * hour.
 */
final class TimeScale {

    /** Round window lengths, in milliseconds; each coarse step of the counting resolution divides the next. */
    static final long[] CANDIDATES = {
            1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
            3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000};

    /** Resolutions at which counts are kept before the window is known: each divides the next and every candidate above it. */
    static final long[] RESOLUTIONS = {1_000, 5_000, 15_000, 30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000,
            21_600_000, 43_200_000, 86_400_000};

    /** Below this many events per window on average, counts are too sparse to compare. */
    static final double MIN_EVENTS_PER_WINDOW = 4;

    private TimeScale() {
    }

    /**
     * @param spanMillis    from the first to the last event
     * @param events        events in that span
     * @param targetWindows how many windows the span should hold
     * @param resolution    the resolution counts were kept at: the window is a multiple of it
     */
    static Choice choose(long spanMillis, long events, int targetWindows, long resolution) {
        long chosen = CANDIDATES[0];
        for (long candidate : CANDIDATES) {
            // at least three quarters of the target: a 40-minute input still gets minutes, not half-minutes
            if (candidate * targetWindows * 3 <= Math.max(spanMillis, 1) * 4) {
                chosen = candidate;
            }
        }
        // A sparse input: widen until an average window holds a few events, as long as there are still several windows.
        double rate = events / Math.max(spanMillis, 1.0);
        for (long candidate : CANDIDATES) {
            if (candidate > chosen && rate * chosen < MIN_EVENTS_PER_WINDOW && candidate * 8 <= spanMillis) {
                chosen = candidate;
            }
        }
        chosen = Math.max(roundUp(chosen, resolution), resolution);
        String reason = "chosen from the data: " + Explain.duration(spanMillis) + " of events, "
                + Explain.rate(events, spanMillis) + ", about " + Math.max(1, spanMillis / chosen + 1) + " windows";
        return new Choice(Duration.ofMillis(chosen), reason);
    }

    private static long roundUp(long value, long unit) {
        return ((value + unit - 1) / unit) * unit;
    }

    /** The next coarser resolution, or the same when there is none. */
    static long coarser(long resolution) {
        for (long r : RESOLUTIONS) {
            if (r > resolution) return r;
        }
        return resolution * 2;
    }

    /** A window length and why it was chosen. */
    record Choice(Duration window, String reason) {
    }
}
