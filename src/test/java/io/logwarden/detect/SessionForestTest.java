package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;
import smile.math.MathEx;
import smile.stat.distribution.GaussianDistribution;

/**
 * The forest gives, score for score, what Smile 3.1.1's own trees (extension level 0) give when grown from the same
 * samples and seeds, each tree's Gaussian draws starting afresh; and the same forest on any thread, whatever was grown
 * before it.
 */
class SessionForestTest {

    /** The forest as it was grown with Smile's trees: the same samples and seeds, one tree after the other. */
    private static IsolationForest smileForest(double[][] rows, int trees, int sampleSize, long seed) {
        int n = rows.length;
        int psi = Math.max(2, Math.min(sampleSize, n));
        int depth = Math.max(1, (int) Math.ceil(Math.log(psi) / Math.log(2)));
        Random random = new Random(seed);
        int[] index = new int[n];
        List<List<double[]>> samples = new ArrayList<>();
        long[] seeds = new long[trees];
        for (int t = 0; t < trees; t++) {
            for (int i = 0; i < n; i++) index[i] = i;
            List<double[]> sample = new ArrayList<>();
            for (int i = 0; i < psi; i++) {
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
            MathEx.setSeed(seeds[t]);
            freshGaussian();
            forest[t] = new IsolationTree(samples.get(t), depth, 0);
        }
        return new IsolationForest(psi, 0, forest);
    }

    /** Forgets the spare value Smile's shared Gaussian generator keeps between calls, as each tree now does. */
    private static void freshGaussian() {
        try {
            java.lang.reflect.Field spare = GaussianDistribution.class.getDeclaredField("z1");
            spare.setAccessible(true);
            spare.setDouble(GaussianDistribution.getInstance(), Double.NaN);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Rows like a detector's: log counts, mostly zero, some features constant, some rows repeated. */
    private static double[][] rows(Random random, int n, int features) {
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            if (i > 0 && random.nextInt(5) == 0) {
                rows[i] = rows[random.nextInt(i)].clone();
                continue;
            }
            double[] row = new double[features];
            for (int j = 0; j < features; j++) {
                if (j % 7 == 3) {
                    row[j] = 1.5; // constant
                } else if (random.nextInt(4) == 0) {
                    row[j] = Math.log1p(random.nextInt(random.nextInt(10) == 0 ? 5000 : 30));
                }
            }
            if (random.nextInt(40) == 0) {
                for (int j = 0; j < features; j++) row[j] = -row[j] * 3; // an outlier, negative values included
            }
            rows[i] = row;
        }
        return rows;
    }

    @Test
    void scoresAreSmilesScores() {
        Random random = new Random(5);
        int[][] shapes = {{300, 60, 256}, {40, 500, 256}, {700, 20, 64}, {2, 3, 256}, {50, 1, 16}};
        for (int[] shape : shapes) {
            double[][] train = rows(random, shape[0], shape[1]);
            double[][] other = rows(random, 100, shape[1]);
            for (long seed : new long[] {42, 7}) {
                IsolationForest smile = smileForest(train, 100, shape[2], seed);
                SessionForest forest = SessionForest.fit(train, 100, shape[2], seed);
                for (double[][] set : new double[][][] {train, other}) {
                    double[] scores = forest.scores(set);
                    for (int i = 0; i < set.length; i++) {
                        assertThat(scores[i]).as("shape %d x %d, seed %d, row %d", shape[0], shape[1], seed, i)
                                .isEqualTo(smile.score(set[i]));
                        assertThat(forest.score(set[i])).isEqualTo(scores[i]);
                    }
                }
            }
        }
    }

    @Test
    void aForestDoesNotDependOnTheForestsGrownBeforeIt() {
        double[][] train = rows(new Random(3), 200, 7); // an odd number of features
        double[] first = SessionForest.fit(train, 100, 64, 42).scores(train);
        SessionForest.fit(rows(new Random(4), 90, 5), 100, 64, 1); // leaves an odd number of draws behind
        assertThat(SessionForest.fit(train, 100, 64, 42).scores(train)).containsExactly(first);
    }

    @Test
    void survivesSerialisationAndNeedsTwoRows() throws Exception {
        double[][] train = rows(new Random(9), 120, 30);
        SessionForest forest = SessionForest.fit(train, 50, 64, 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(forest);
        }
        SessionForest back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (SessionForest) in.readObject();
        }
        assertThat(back.scores(train)).containsExactly(forest.scores(train));
        assertThatThrownBy(() -> SessionForest.fit(new double[][] {{1}}, 10, 8, 1))
                .hasMessageContaining("at least 2 rows");
    }
}
