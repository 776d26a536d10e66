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
        double p90 = n == 0 ? 0 : values[Math.min(n - 1, (int) Math.ceil(0.9 * n) - 1)];
        for (int i = 0; i < n; i++) {
            values[i] = Math.abs(values[i] - median);
        }
        double mad = median(values);
        double spread = Math.max(Math.max(MAD_TO_SIGMA * mad, Math.sqrt(median)), 1.0);
        return new RobustBaseline(median, spread, p90);
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
