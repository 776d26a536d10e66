package io.logwarden.detect;

/**
 * Poisson tails: how surprising a count is for a rate. Many counts are judged per input (every template in every
 * window), so a count passes only when its tail is far below one in the number of tests: chance alone must not
 * make anomalies.
 */
final class Poisson {

    /** A count this improbable or less is not chance, even over thousands of template-window tests. */
    static final double SIGNIFICANT = 1e-4;

    private Poisson() {
    }

    /** P(X ≥ k) for X ~ Poisson(lambda). */
    static double upperTail(long k, double lambda) {
        if (k <= 0) return 1;
        // 1 - P(X ≤ k-1), summed in log space for large lambda
        double term = Math.exp(-lambda);
        double cdf = term;
        for (long i = 1; i < k; i++) {
            term *= lambda / i;
            cdf += term;
            if (term < 1e-300 && i > lambda) break;
        }
        if (cdf < 0.999) return 1 - cdf;
        // near 1: sum the upper terms directly for precision
        double upper = 0;
        term = Math.exp(-lambda + k * Math.log(lambda) - logFactorial(k));
        for (long i = k; i < k + 1000 && term > 1e-320; i++) {
            upper += term;
            term *= lambda / (i + 1);
        }
        return upper;
    }

    /** P(X ≤ k) for X ~ Poisson(lambda). */
    static double lowerTail(long k, double lambda) {
        double term = Math.exp(-lambda);
        double cdf = term;
        for (long i = 1; i <= k; i++) {
            term *= lambda / i;
            cdf += term;
        }
        return Math.min(1, cdf);
    }

    private static double logFactorial(long n) {
        double sum = 0;
        for (long i = 2; i <= n; i++) sum += Math.log(i);
        return sum;
    }
}
