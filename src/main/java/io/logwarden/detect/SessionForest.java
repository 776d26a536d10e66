package io.logwarden.detect;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;
import smile.math.MathEx;

/**
 * An Isolation Forest as Liu, Ting and Zhou (ICDM 2008) describe it: every tree grows on its own random sample of at
 * most {@code sampleSize} rows, to depth ⌈log2 sampleSize⌉, with axis-parallel cuts; path lengths are normalised by
 * c(sampleSize). Used by {@link SessionDetector} and {@link WindowIsolationDetector}.
 *
 * <p>The trees are the ones Smile 3.1.1's {@link IsolationTree} grows at extension level 0 from the same sample and
 * seed, score for score ({@code SessionForestTest} compares them): the same draws from Smile's generator in the same
 * order (a uniform and a Gaussian for every feature at every node, then a permutation), so the same feature and cut
 * at every node (each tree's Gaussian draws starting afresh: see below). Smile stores each cut as a hyperplane over
 * every feature, all but one of its slopes zero, and finds the side of a row with a dot product over every feature,
 * at every node, when growing and when scoring; a window of the mixed benchmark has 3,600 template features. Here a
 * node keeps its one feature, slope and bias, and a row's side is one multiplication: the same product, since the
 * other terms of Smile's sum are zeros (features are finite). Why not
 * {@code IsolationForest.fit(data, ntrees, maxDepth, subsample, extensionLevel)}: in 3.1.1 it checks {@code subsample}
 * but grows every tree on all rows.
 *
 * <p>Deterministic for a given seed: each tree seeds Smile's generator ({@code MathEx.setSeed}, the calling thread's
 * own) and starts its Gaussian draws afresh, so the trees grow on all cores and come out the same on any thread.
 * Smile's one shared {@code GaussianDistribution} kept the spare value of its last pair from tree to tree and from
 * forest to forest, so a forest depended on the ones grown before it in the same process (when they had an odd
 * number of features). {@link #scores} scores rows on all cores too.
 */
final class SessionForest implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final double EULER = 0.5772156649;

    /** c(sample size): the average path length of an unsuccessful search, which normalises path lengths. */
    private final double c;
    /** Where each tree's root is in the node arrays. */
    private final int[] roots;
    /** Per node: the feature cut (-1 for a leaf), its slope and bias, the children; a leaf's path length. */
    private final int[] feature;
    private final double[] slope;
    private final double[] bias;
    private final int[] left;
    private final int[] right;
    private final double[] length;

    private SessionForest(int sampleSize, int[] roots, Nodes nodes) {
        this.c = factor(sampleSize);
        this.roots = roots;
        this.feature = Arrays.copyOf(nodes.feature, nodes.size);
        this.slope = Arrays.copyOf(nodes.slope, nodes.size);
        this.bias = Arrays.copyOf(nodes.bias, nodes.size);
        this.left = Arrays.copyOf(nodes.left, nodes.size);
        this.right = Arrays.copyOf(nodes.right, nodes.size);
        this.length = Arrays.copyOf(nodes.length, nodes.size);
    }

    static SessionForest fit(double[][] rows, int trees, int sampleSize, long seed) {
        int n = rows.length;
        if (n < 2) {
            throw new IllegalArgumentException("an isolation forest needs at least 2 rows, got " + n);
        }
        int psi = Math.max(2, Math.min(sampleSize, n));
        int depth = Math.max(1, (int) Math.ceil(Math.log(psi) / Math.log(2)));
        Random random = new Random(seed);
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        int[] swapped = new int[psi];
        List<double[][]> samples = new ArrayList<>(trees);
        long[] seeds = new long[trees];
        for (int t = 0; t < trees; t++) {
            double[][] sample = new double[psi][];
            for (int i = 0; i < psi; i++) { // partial Fisher-Yates: psi rows without replacement
                int j = i + random.nextInt(n - i);
                swapped[i] = j;
                int tmp = index[i];
                index[i] = index[j];
                index[j] = tmp;
                sample[i] = rows[index[i]];
            }
            // the swaps undone in reverse order: every tree draws from 0..n-1 in order, as if the index were made
            // afresh (that was trees x n writes: a whole second on a million sessions)
            for (int i = psi - 1; i >= 0; i--) {
                int j = swapped[i];
                int tmp = index[i];
                index[i] = index[j];
                index[j] = tmp;
            }
            samples.add(sample);
            seeds[t] = random.nextLong();
        }
        int features = rows[0].length;
        // each tree from its own seed and a fresh Gaussian spare, so trees can grow on all cores
        Nodes[] grown = new Nodes[trees];
        IntStream.range(0, trees).parallel().forEach(t -> {
            MathEx.setSeed(seeds[t]); // Smile's generator is the calling thread's own
            Growth growth = new Growth(features, depth);
            growth.node(samples.get(t), 0);
            grown[t] = growth.nodes;
        });
        Nodes all = new Nodes();
        int[] roots = new int[trees];
        for (int t = 0; t < trees; t++) {
            roots[t] = all.append(grown[t]);
        }
        return new SessionForest(psi, roots, all);
    }

    /** Grows trees into one set of node arrays, as {@link IsolationTree}'s constructor does at extension level 0. */
    private static final class Growth {
        final int features;
        final int maxDepth;
        final Nodes nodes = new Nodes();
        final double[] uniform;
        final double[] gaussian;
        /** The second value of the last pair the polar method made, or NaN. */
        double spare = Double.NaN;

        Growth(int features, int maxDepth) {
            this.features = features;
            this.maxDepth = maxDepth;
            this.uniform = new double[features];
            this.gaussian = new double[features];
        }

        int node(double[][] rows, int depth) {
            int n = rows.length;
            if (depth >= maxDepth || n <= 1) {
                double d = depth;
                if (n > 1) d += factor(n);
                return nodes.leaf(d);
            }
            // Smile's draws, in its order: an intercept between each feature's min and max, a slope for each
            // feature, a permutation whose first d - 1 features get slope zero
            for (int j = 0; j < features; j++) {
                uniform[j] = MathEx.random(0.0, 1.0); // = Random.nextDouble(lo, hi)'s draw: lo + (hi - lo) * u
            }
            for (int j = 0; j < features; j++) {
                gaussian[j] = gaussian();
            }
            int k = MathEx.permutate(features)[features - 1];
            double min = rows[0][k];
            double max = rows[0][k];
            for (double[] row : rows) {
                double x = row[k];
                if (x < min) {
                    min = x;
                } else if (x > max) {
                    max = x;
                }
            }
            double intercept = min + (max - min) * uniform[k];
            double s = gaussian[k];
            double b = s * intercept; // Smile: the dot product of slope and intercept, zeros elsewhere
            int lefts = 0;
            for (double[] row : rows) {
                if (row[k] * s < b) lefts++;
            }
            double[][] l = new double[lefts][];
            double[][] r = new double[n - lefts][];
            int li = 0;
            int ri = 0;
            for (double[] row : rows) {
                if (row[k] * s < b) {
                    l[li++] = row;
                } else {
                    r[ri++] = row;
                }
            }
            int at = nodes.split(k, s, b);
            int leftChild = node(l, depth + 1);
            int rightChild = node(r, depth + 1);
            nodes.left[at] = leftChild;
            nodes.right[at] = rightChild;
            return at;
        }

        /**
         * A standard normal value as Smile's {@code GaussianDistribution.rand()} makes it (the polar method on
         * Smile's generator, keeping the pair's second value for the next call), with the spare kept per tree
         * instead of in Smile's one shared instance: a tree then grows the same on any thread, whatever grew
         * before it (with the shared instance, a forest of an odd number of features changed the next one).
         */
        double gaussian() {
            if (!Double.isNaN(spare)) {
                double z = spare;
                spare = Double.NaN;
                return z;
            }
            double v1;
            double v2;
            double r;
            do {
                v1 = MathEx.random(-1.0, 1.0);
                v2 = MathEx.random(-1.0, 1.0);
                r = v1 * v1 + v2 * v2;
            } while (r >= 1.0);
            double fac = Math.sqrt(-2.0 * Math.log(r) / r);
            spare = v1 * fac;
            return v2 * fac;
        }
    }

    /** Growing node arrays. */
    private static final class Nodes {
        int size;
        int[] feature = new int[256];
        double[] slope = new double[256];
        double[] bias = new double[256];
        int[] left = new int[256];
        int[] right = new int[256];
        double[] length = new double[256];

        int leaf(double pathLength) {
            int at = add();
            feature[at] = -1;
            length[at] = pathLength;
            return at;
        }

        int split(int k, double s, double b) {
            int at = add();
            feature[at] = k;
            slope[at] = s;
            bias[at] = b;
            return at;
        }

        /** Appends another tree's nodes; returns where its root (its first node) now is. */
        int append(Nodes other) {
            int base = size;
            for (int i = 0; i < other.size; i++) {
                int at = add();
                feature[at] = other.feature[i];
                slope[at] = other.slope[i];
                bias[at] = other.bias[i];
                length[at] = other.length[i];
                left[at] = other.feature[i] >= 0 ? other.left[i] + base : 0;
                right[at] = other.feature[i] >= 0 ? other.right[i] + base : 0;
            }
            return base;
        }

        private int add() {
            if (size == feature.length) {
                int grown = size * 2;
                feature = Arrays.copyOf(feature, grown);
                slope = Arrays.copyOf(slope, grown);
                bias = Arrays.copyOf(bias, grown);
                left = Arrays.copyOf(left, grown);
                right = Arrays.copyOf(right, grown);
                length = Arrays.copyOf(length, grown);
            }
            return size++;
        }
    }

    /** Smile's {@code IsolationForest.factor}: c(n) = 2 (ln(n - 1) + γ) - 2 (n - 1) / n. */
    static double factor(int n) {
        return 2.0 * (Math.log(n - 1) + EULER - (n - 1.0) / n);
    }

    /** The anomaly score of a row, 2^(-E[h(x)] / c): near 1 isolated fast, at most 0.5 for ordinary rows. */
    double score(double[] x) {
        double total = 0;
        for (int root : roots) {
            int at = root;
            int k;
            while ((k = feature[at]) >= 0) {
                at = x[k] * slope[at] < bias[at] ? left[at] : right[at];
            }
            total += length[at];
        }
        return Math.pow(2.0, -(total / roots.length) / c);
    }

    /** The forest's score of every row, worked out on the available cores. */
    double[] scores(double[][] rows) {
        return scores(this, null, rows);
    }

    /**
     * A stored model's score of a row: by its {@code forest}, or, in a model stored before the forest was kept
     * compactly (then {@code forest} is null), by Smile's forest it holds instead.
     */
    static double score(SessionForest forest, IsolationForest stored, double[] row) {
        return forest != null ? forest.score(row) : stored.score(row);
    }

    /** {@link #score(SessionForest, IsolationForest, double[])} of every row, worked out on the available cores. */
    static double[] scores(SessionForest forest, IsolationForest stored, double[][] rows) {
        double[] scores = new double[rows.length];
        IntStream.range(0, rows.length).parallel().forEach(i -> scores[i] = score(forest, stored, rows[i]));
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
