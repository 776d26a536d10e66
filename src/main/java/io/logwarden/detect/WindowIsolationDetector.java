package io.logwarden.detect;

import io.logwarden.event.Level;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import smile.anomaly.IsolationForest;

/**
 * Isolation Forest over per-window count vectors (counts per template and per level), for the main
 * pipeline's fixed windows (DESIGN.md "Window").
 *
 * <p>Usage: {@link #fit} on a baseline of windows (for example the last day of one-minute windows of a
 * source), then {@link #score}, {@link #isAnomalous} and {@link #explain} for each new window.
 * Features are {@code log(1 + count)} for every template and level seen in the baseline (a template
 * new since the baseline is not a forest feature; {@link #explain} still lists it, and the
 * new-template detector is the one that reports it). The forest is Smile 3.1.1's classic Isolation
 * Forest, sub-sampled per tree (see {@link SessionForest}). The cut is taken from the baseline's own
 * scores: median + {@code cutMads} × 1.4826 × MAD (MAD floored at 0.01), so no contamination rate is
 * assumed. A baseline needs at least 2 windows; below about 30 the cut is coarse.
 *
 * <p>Explanations rank each feature by how far the window's count is from the baseline median of
 * that feature, in robust spreads ({@link RobustBaseline}: 1.4826 × MAD, at least √median and 1).
 *
 * <p>Not thread-safe while {@link #fit} runs; once fitted, {@link #score}, {@link #isAnomalous} and
 * {@link #explain} only read and may be called from several threads.
 */
public final class WindowIsolationDetector {

    /**
     * The counts of one window. Keys of {@code templates} are template ids. Read-only copies of one class each, whatever
     * their size: {@code Map.copyOf} gives a window of one template another class than a window of many, and code
     * compiled on windows of many was thrown away (the forest's training compiled again) at the first window of one.
     */
    public record WindowCounts(Map<String, Long> templates, Map<Level, Long> levels) {
        public WindowCounts {
            templates = Collections.unmodifiableMap(new HashMap<>(templates));
            EnumMap<Level, Long> byLevel = new EnumMap<>(Level.class);
            byLevel.putAll(levels);
            levels = Collections.unmodifiableMap(byLevel);
        }
    }

    /**
     * How one feature of a window compares with the baseline.
     *
     * @param feature        {@code template:T12} or {@code level:ERROR}
     * @param observed       count in the window
     * @param baselineMedian median count over the baseline windows (0 for a feature the baseline never had)
     * @param deviation      (observed − median) / robust spread; positive = more than usual
     */
    public record Contribution(String feature, long observed, double baselineMedian, double deviation) {
    }

    private final int trees;
    private final int sampleSize;
    private final long seed;
    private final double cutMads;
    private State state;

    private WindowIsolationDetector(int trees, int sampleSize, long seed, double cutMads) {
        this.trees = trees;
        this.sampleSize = sampleSize;
        this.seed = seed;
        this.cutMads = cutMads;
    }

    /** Defaults: 100 trees, sample size 256, seed 42, cut at 3 robust deviations. */
    public static Builder builder() {
        return new Builder();
    }

    /** (Re)trains on a baseline of windows; replaces any previous model. Needs at least 2 windows. */
    public void fit(List<WindowCounts> baseline) {
        Objects.requireNonNull(baseline, "baseline");
        if (baseline.size() < 2) {
            throw new IllegalArgumentException("need at least 2 baseline windows, got " + baseline.size());
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        for (WindowCounts w : baseline) {
            w.templates().keySet().stream().sorted().forEach(id -> index.putIfAbsent(TEMPLATE + id, index.size()));
        }
        for (Level l : Level.values()) {
            index.put(LEVEL + l.name(), index.size());
        }
        String[] features = index.keySet().toArray(String[]::new);
        Slots slots = new Slots(features);
        int n = baseline.size();
        long[][] byFeature = new long[features.length][n];
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            long[] raw = raw(baseline.get(i), slots, features.length);
            rows[i] = logRow(raw);
            for (int j = 0; j < features.length; j++) {
                byFeature[j][i] = raw[j];
            }
        }
        double[] median = new double[features.length];
        double[] spread = new double[features.length];
        for (int j = 0; j < features.length; j++) {
            RobustBaseline b = RobustBaseline.of(byFeature[j], n);
            median[j] = b.median();
            spread[j] = b.spread();
        }
        SessionForest forest = SessionForest.fit(rows, trees, sampleSize, seed);
        double[] scores = forest.scores(rows);
        state = new State(features, slots, median, spread, forest, SessionForest.median(scores),
                SessionForest.robustCut(scores, cutMads, 0.01), n);
    }

    /** Isolation Forest score in (0, 1]; near 1 = anomalous, about 0.5 or less = ordinary. */
    public double score(WindowCounts window) {
        State s = fitted();
        return SessionForest.score(s.compact, s.forest, logRow(raw(window, s.slots, s.features.length)));
    }

    /** {@link #score} of each window, worked out on the available cores. */
    public double[] scores(List<WindowCounts> windows) {
        State s = fitted();
        double[][] rows = new double[windows.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = logRow(raw(windows.get(i), s.slots, s.features.length));
        }
        return SessionForest.scores(s.compact, s.forest, rows);
    }

    /** True when {@link #score} is above {@link #cut()}. */
    public boolean isAnomalous(WindowCounts window) {
        return score(window) > fitted().cut;
    }

    /** The score above which a window is anomalous, from the baseline's own score distribution. */
    public double cut() {
        return fitted().cut;
    }

    /** Median forest score of the baseline windows. */
    public double baselineMedianScore() {
        return fitted().medianScore;
    }

    /** Number of windows the model was fitted on; 0 before {@link #fit}. */
    public int baselineWindows() {
        return state == null ? 0 : state.windows;
    }

    /**
     * The {@code top} features of a window furthest from their baseline median (largest |deviation|
     * first), including templates the baseline never saw; features at their median are left out.
     */
    public List<Contribution> explain(WindowCounts window, int top) {
        State s = fitted();
        List<Contribution> out = new ArrayList<>();
        long[] raw = raw(window, s.slots, s.features.length);
        for (int j = 0; j < s.features.length; j++) {
            if (raw[j] != s.median[j]) {
                out.add(new Contribution(s.features[j], raw[j], s.median[j], (raw[j] - s.median[j]) / s.spread[j]));
            }
        }
        for (Map.Entry<String, Long> e : window.templates().entrySet()) {
            if (!s.slots.templates.containsKey(e.getKey()) && e.getValue() > 0) {
                out.add(new Contribution(TEMPLATE + e.getKey(), e.getValue(), 0, e.getValue()));
            }
        }
        out.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.deviation())).thenComparing(Contribution::feature));
        return out.size() > top ? List.copyOf(out.subList(0, top)) : List.copyOf(out);
    }

    // ---------------------------------------------------------------- persistence

    public void save(Path file) throws IOException {
        Files.write(file, toBytes());
    }

    public static WindowIsolationDetector load(Path file) throws IOException {
        return fromBytes(Files.readAllBytes(file));
    }

    /** The fitted model (with its configuration) as bytes, Java serialisation. */
    public byte[] toBytes() throws IOException {
        State s = fitted();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeInt(trees);
            out.writeInt(sampleSize);
            out.writeLong(seed);
            out.writeDouble(cutMads);
            out.writeObject(s);
        }
        return bytes.toByteArray();
    }

    /** The inverse of {@link #toBytes()}; only model classes are accepted from the stream. */
    public static WindowIsolationDetector fromBytes(byte[] bytes) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(SessionModelCodec::allowed);
            WindowIsolationDetector d = new WindowIsolationDetector(in.readInt(), in.readInt(), in.readLong(),
                    in.readDouble());
            d.state = (State) in.readObject();
            return d;
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new InvalidClassException("not a WindowIsolationDetector model: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- internals

    private State fitted() {
        if (state == null) {
            throw new IllegalStateException("not fitted: call fit(baseline) first");
        }
        return state;
    }

    private static final String TEMPLATE = "template:";
    private static final String LEVEL = "level:";

    /**
     * A window's counts as a feature row. The slots are looked up by template id and level, not by the feature's
     * name: no string is built per count (a window of mixed logs holds hundreds of templates, and a job has hundreds
     * of windows).
     */
    private static long[] raw(WindowCounts w, Slots slots, int size) {
        long[] raw = new long[size];
        for (Map.Entry<String, Long> e : w.templates().entrySet()) {
            Integer j = slots.templates.get(e.getKey());
            if (j != null) {
                raw[j] = e.getValue();
            }
        }
        for (Map.Entry<Level, Long> e : w.levels().entrySet()) {
            int j = slots.levels[e.getKey().ordinal()];
            if (j >= 0) {
                raw[j] = e.getValue();
            }
        }
        return raw;
    }

    /** Where a window's counts go in a feature row: a template's slot by its id, a level's by its ordinal (-1: none). */
    private static final class Slots {
        final HashMap<String, Integer> templates = new HashMap<>();
        final int[] levels = new int[Level.values().length];

        Slots(String[] features) {
            Arrays.fill(levels, -1);
            for (int j = 0; j < features.length; j++) {
                String f = features[j];
                if (f.startsWith(TEMPLATE)) {
                    templates.put(f.substring(TEMPLATE.length()), j);
                } else if (f.startsWith(LEVEL)) {
                    String name = f.substring(LEVEL.length());
                    for (Level l : Level.values()) {
                        if (l.name().equals(name)) {
                            levels[l.ordinal()] = j; // a level no longer known (an old model's) is left out
                        }
                    }
                }
            }
        }
    }

    private static double[] logRow(long[] raw) {
        double[] row = new double[raw.length];
        for (int j = 0; j < raw.length; j++) {
            row[j] = Math.log1p(Math.max(0, raw[j]));
        }
        return row;
    }

    private static final class State implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        final String[] features;
        final double[] median;
        final double[] spread;
        /** Smile's forest, in models stored before {@link #compact}; else null. */
        final IsolationForest forest;
        /** The forest (null in models stored before it). */
        final SessionForest compact;
        final double medianScore;
        final double cut;
        final int windows;
        /** Derived from the features; models stored before it also hold a map by feature name, read and dropped. */
        private transient Slots slots;

        /** @param slots the features' slots (fitting has just derived them from the same features) */
        State(String[] features, Slots slots, double[] median, double[] spread, SessionForest compact,
                double medianScore, double cut, int windows) {
            this.features = features;
            this.median = median;
            this.spread = spread;
            this.forest = null;
            this.compact = compact;
            this.medianScore = medianScore;
            this.cut = cut;
            this.windows = windows;
            this.slots = slots;
        }

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            slots = new Slots(features);
        }
    }

    /** Defaults: 100 trees, sample size 256, seed 42, cutMads 3. */
    public static final class Builder {
        private int trees = 100;
        private int sampleSize = 256;
        private long seed = 42;
        private double cutMads = 3;

        private Builder() {
        }

        public Builder trees(int trees) {
            if (trees < 1) {
                throw new IllegalArgumentException("trees must be >= 1: " + trees);
            }
            this.trees = trees;
            return this;
        }

        public Builder sampleSize(int sampleSize) {
            if (sampleSize < 2) {
                throw new IllegalArgumentException("sampleSize must be >= 2: " + sampleSize);
            }
            this.sampleSize = sampleSize;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Cut = baseline median score + this many robust standard deviations (1.4826 × MAD). */
        public Builder cutMads(double cutMads) {
            if (!(cutMads > 0)) {
                throw new IllegalArgumentException("cutMads must be > 0: " + cutMads);
            }
            this.cutMads = cutMads;
            return this;
        }

        public WindowIsolationDetector build() {
            return new WindowIsolationDetector(trees, sampleSize, seed, cutMads);
        }
    }
}
