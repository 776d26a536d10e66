package io.logwarden.detect;

import java.util.Arrays;

/**
 * Median and median absolute deviation of a series of window counts: robust to the spikes it is meant to
 * find, unlike mean and standard deviation. The spread is never below the Poisson noise of the median
 * (√median) nor below 1, so a template that is perfectly steady does not turn every +1 into an anomaly.
 * The 90th percentile tells a recurring burst (a nightly batch, a periodic flush) from a new one.
 */
record RobustBaseline(double median, double spread, double p90) {

    /** 1.4826 × MAD estimates the standard deviation for normally distributed counts. */
    private static final double MAD_TO_SIGMA = 1.4826;

    static RobustBaseline of(long[] counts, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = counts[i];
        }
        double median = median(values); // sorts values
        double p90 = n == 0 ? 0 : values[p90Rank(n)];
        for (int i = 0; i < n; i++) {
            values[i] = Math.abs(values[i] - median);
        }
        return of(median, median(values), p90);
    }

    /**
     * What {@link #of} gives for the counts {@code sorted} (ascending) without one of them equal to {@code removed},
     * without copying or sorting: a series read once and judged once per window, each time without that window's own
     * count. The deviations from the median are taken in ascending order from both sides of it, up to the middle one.
     *
     * @throws IllegalArgumentException when no count equals {@code removed}
     */
    static RobustBaseline ofSortedWithout(long[] sorted, long removed) {
        int gap = Arrays.binarySearch(sorted, removed);
        if (gap < 0) {
            throw new IllegalArgumentException(removed + " is not one of the counts");
        }
        int n = sorted.length - 1;
        if (n == 0) {
            return of(0, 0, 0);
        }
        double median = n % 2 == 1 ? at(sorted, gap, n / 2) : (at(sorted, gap, n / 2 - 1) + at(sorted, gap, n / 2)) / 2;
        double p90 = at(sorted, gap, p90Rank(n));
        int up = 0; // the first count at or above the median: deviations rise from it upwards and from up - 1 downwards
        for (int hi = n; up < hi; ) {
            int mid = (up + hi) >>> 1;
            if (at(sorted, gap, mid) >= median) hi = mid;
            else up = mid + 1;
        }
        int down = up - 1;
        double below = 0;
        double middle = 0;
        for (int rank = 0, half = n / 2; rank <= half; rank++) {
            double deviation;
            if (down < 0 || (up < n && at(sorted, gap, up) - median <= median - at(sorted, gap, down))) {
                deviation = at(sorted, gap, up++) - median;
            } else {
                deviation = median - at(sorted, gap, down--);
            }
            if (rank == half - 1) below = deviation;
            middle = deviation;
        }
        return of(median, n % 2 == 1 ? middle : (below + middle) / 2, p90);
    }

    /** The count at rank {@code k} of {@code sorted} once the one at {@code gap} is left out. */
    private static double at(long[] sorted, int gap, int k) {
        return sorted[k < gap ? k : k + 1];
    }

    private static int p90Rank(int n) {
        return Math.min(n - 1, (int) Math.ceil(0.9 * n) - 1);
    }

    private static RobustBaseline of(double median, double mad, double p90) {
        return new RobustBaseline(median, Math.max(Math.max(MAD_TO_SIGMA * mad, Math.sqrt(median)), 1.0), p90);
    }

    /** How many spreads {@code observed} lies above the median. */
    double z(double observed) {
        return (observed - median) / spread;
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        Arrays.sort(values);
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
