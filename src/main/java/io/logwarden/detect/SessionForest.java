package io.logwarden.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;
import smile.math.MathEx;

/**
 * Fits a Smile 3.1.1 {@link IsolationForest} the way Liu, Ting and Zhou (ICDM 2008) describe it:
 * every tree grows on its own random sample of at most {@code sampleSize} rows, to depth
 * ⌈log2 sampleSize⌉, and path lengths are normalised by c(sampleSize).
 *
 * <p>Why not {@code IsolationForest.fit(data, ntrees, maxDepth, subsample, extensionLevel)}: in 3.1.1
 * it checks {@code subsample} but grows every tree on all rows, so large baselines lose the
 * swamping/masking protection that sub-sampling gives and cost O(n log n) per tree. Extension
 * level 0 (axis-parallel cuts, the classic algorithm). Used by {@link SessionDetector} and
 * {@link WindowIsolationDetector}.
 *
 * <p>Deterministic for a given seed: each tree seeds Smile's generator ({@code MathEx.setSeed}) before it grows, one
 * tree after the other on the calling thread (grown on several threads, the trees came out different). {@link #scores}
 * scores rows on the available cores: a forest only reads its trees, so the scores are those one thread would give, in
 * half the time on two cores when a window has thousands of templates (each cut is a dot product over every feature).
 */
final class SessionForest {

    private SessionForest() {
    }

    static IsolationForest fit(double[][] rows, int trees, int sampleSize, long seed) {
        int n = rows.length;
        if (n < 2) {
            throw new IllegalArgumentException("an isolation forest needs at least 2 rows, got " + n);
        }
        int psi = Math.max(2, Math.min(sampleSize, n));
        int depth = Math.max(1, (int) Math.ceil(Math.log(psi) / Math.log(2)));
        Random random = new Random(seed);
        int[] index = new int[n];
        List<List<double[]>> samples = new ArrayList<>(trees);
        long[] seeds = new long[trees];
        for (int t = 0; t < trees; t++) {
            for (int i = 0; i < n; i++) {
                index[i] = i;
            }
            List<double[]> sample = new ArrayList<>(psi);
            for (int i = 0; i < psi; i++) { // partial Fisher-Yates: psi rows without replacement
                int j = i + random.nextInt(n - i);
                int tmp = index[i];
                index[i] = index[j];
                index[j] = tmp;
                sample.add(rows[index[i]]);
            }
            samples.add(sample);
            seeds[t] = random.nextLong();
        }
        IsolationTree[] forest = new IsolationTree[trees];
        for (int t = 0; t < trees; t++) {
            // one thread: Smile's generator is not the calling thread's alone (trees grown in parallel differ)
            MathEx.setSeed(seeds[t]);
            forest[t] = new IsolationTree(samples.get(t), depth, 0);
        }
        return new IsolationForest(psi, 0, forest);
    }

    /** The forest's score of every row, worked out on the available cores. */
    static double[] scores(IsolationForest forest, double[][] rows) {
        double[] scores = new double[rows.length];
        IntStream.range(0, rows.length).parallel().forEach(i -> scores[i] = forest.score(rows[i]));
        return scores;
    }

    /** Median of a copy of {@code values}. */
    static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /**
     * The robust outlier cut on a score distribution: median + k × 1.4826 × MAD, with the MAD floored
     * at {@code minSpread} so that a baseline of identical scores (a very regular log) does not turn
     * every tiny difference into an outlier.
     */
    static double robustCut(double[] scores, double k, double minSpread) {
        double med = median(scores);
        double[] dev = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            dev[i] = Math.abs(scores[i] - med);
        }
        double sigma = Math.max(1.4826 * median(dev), minSpread);
        return med + k * sigma;
    }
}
