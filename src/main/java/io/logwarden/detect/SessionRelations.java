package io.logwarden.detect;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Count relations between the frequent templates of sessions ("every allocate has 3 receives"): Invariants Mining
 * (Lou et al., USENIX ATC 2010) reduced to pairs {@code count(b) = k × count(a)}, k in {1, 2, 3, 1/2, 1/3}, that hold
 * in at least a given share of the sessions containing a or b.
 */
final class SessionRelations {

    private static final int[][] RATIOS = {{1, 1}, {2, 1}, {3, 1}, {1, 2}, {1, 3}};

    private SessionRelations() {
    }

    /** {@code den × count(b) == num × count(a)}. */
    record Invariant(String a, String b, int num, int den, double hold) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /** Pairwise count relations between frequent templates; see the class comment. */
    static List<Invariant> mine(int[][] counts, double[] share, String[] vocab, int n, double support, double minHold) {
        List<Integer> frequent = new ArrayList<>();
        for (int j = 0; j < share.length; j++) {
            if (share[j] >= support && share[j] * n >= 10) {
                frequent.add(j);
            }
        }
        List<Invariant> out = new ArrayList<>();
        for (int x = 0; x < frequent.size(); x++) {
            for (int y = x + 1; y < frequent.size(); y++) {
                int a = frequent.get(x);
                int b = frequent.get(y);
                int relevant = 0;
                int[] holds = new int[RATIOS.length];
                for (int[] row : counts) {
                    int ca = row[a];
                    int cb = row[b];
                    if (ca == 0 && cb == 0) {
                        continue;
                    }
                    relevant++;
                    for (int k = 0; k < RATIOS.length; k++) {
                        if ((long) cb * RATIOS[k][1] == (long) ca * RATIOS[k][0]) {
                            holds[k]++;
                        }
                    }
                }
                int best = 0;
                for (int k = 1; k < RATIOS.length; k++) {
                    if (holds[k] > holds[best]) {
                        best = k;
                    }
                }
                double hold = relevant == 0 ? 0 : holds[best] / (double) relevant;
                if (relevant >= 10 && hold >= minHold) {
                    out.add(new Invariant(vocab[a], vocab[b], RATIOS[best][0], RATIOS[best][1], hold));
                }
            }
        }
        return out;
    }

}
