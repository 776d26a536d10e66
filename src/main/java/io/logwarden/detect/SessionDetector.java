package io.logwarden.detect;

import io.logwarden.event.Level;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import smile.anomaly.IsolationForest;

/**
 * Session-level anomaly detection: groups events by a session key (a block id, a request id), builds a
 * count vector over templates per session, and judges every session without labels.
 *
 * <h2>Evidence</h2>
 * Three unsupervised signals, each one that the log-anomaly literature has shown to work on HDFS:
 * <ol>
 *   <li><b>Rare templates</b> (keyword/rarity baselines of Xu et al. SOSP 2009, He et al. ISSRE 2016):
 *       the share of sessions that contain each template. A template in at most
 *       {@code veryRareShare} of sessions (or in a single session, or never seen in the baseline) is
 *       <i>strong</i> evidence. A template in less than {@code rareShare} of sessions is strong when it
 *       looks like an error (seen at WARN or above, or its pattern says exception/error/fail/timeout...)
 *       and <i>weak</i> otherwise.</li>
 *   <li><b>Count relations</b> (Invariants Mining, Lou et al. USENIX ATC 2010, reduced to pairs):
 *       relations {@code count(B) = k × count(A)}, k in {1, 2, 3, 1/2, 1/3}, between frequent templates
 *       that hold in at least {@code invariantHold} of the sessions that contain A or B ("every
 *       allocate has 3 receives"). Breaking any of them is one piece of weak evidence.</li>
 *   <li><b>Isolation Forest</b> (Smile 3.1.1, classic, sub-sampled per tree: see {@link SessionForest})
 *       over log(1 + count) per template, plus session length and WARN+ count. Its cut comes from the
 *       baseline's own score distribution: median + {@code forestCutMads} × 1.4826 × MAD (MAD floored at
 *       0.01). Above the cut is weak evidence.</li>
 * </ol>
 * A session is anomalous when it has strong evidence, or weak evidence of two different kinds. No
 * labels and no contamination rate are involved; one default configuration serves every source.
 *
 * <h2>Score (0–99)</h2>
 * Strong evidence scores 75 + 12 × log10(rareShare / share), capped at 99 (a template in 1 of 1,000
 * sessions scores 95). Two kinds of weak evidence score 55, three 65, plus up to 9 for how far the forest
 * score is above its cut. One kind scores 30–49, none 0–29 by forest score. So {@code anomalous} is
 * exactly {@code score >= 50}, the Medium band of {@code Severity}.
 *
 * <h2>Modes</h2>
 * <ul>
 *   <li>Batch: {@link #observe} events, then {@link #judge()}: with no trained model, the observed
 *       sessions are their own baseline (a transient model, not kept). This is the benchmark mode.</li>
 *   <li>Baseline: {@link #retrain()} fits a model on the sessions observed so far and keeps it;
 *       {@link #clearSessions()}, observe new sessions, {@link #judge()} judges them against the kept
 *       model. {@link #save(Path)} / {@link #load(Path)} persist it (Java serialisation, read back through
 *       an allow-list filter), e.g. for a scheduled retrain on last week's sessions.</li>
 * </ul>
 *
 * <h2>Session key</h2>
 * Either a regex over the message ({@code blk_-?\d+}) or an attribute name. With a regex, a line that
 * names several keys belongs to <b>every</b> distinct key it names by default (as loglizer's HDFS
 * loader does: "ask 10.250.11.85:50010 to delete blk_1 blk_2" is part of both sessions' story);
 * {@code allMatches(false)} keeps only the first.
 *
 * <h2>Threading</h2>
 * Not thread-safe: {@link #observe}, {@link #judge()} and {@link #retrain()} share mutable state. The
 * caller serialises access (one detector per source, owned by one consumer, like the miner). A kept model
 * is immutable once fitted.
 */
public final class SessionDetector {

    /** Words that mark a template as an error report even when it is logged at INFO. */
    private static final Pattern ERROR_WORDS = Pattern.compile(
            "(?i)(exception|error|fail|fatal|timed out|timeout|refused|denied|abort|unexpected|corrupt|panic|unable|cannot|can't|invalid|lost)");
    private static final int MAX_TEMPLATES_PER_SESSION = 256;
    private static final int MAX_REASON_ITEMS = 3;

    private final Config config;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    /** Template id -> latest pattern and worst level seen, across all sessions. */
    private final Map<String, TemplateInfo> templates = new HashMap<>();
    private Model model;

    private SessionDetector(Config config, Model model) {
        this.config = config;
        this.model = model;
    }

    /** A builder with the documented defaults. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- session keys

    /** The session keys a message names (distinct, in order), by the configured regex; empty if none. */
    public List<String> sessionKeys(String message) {
        if (config.keyPattern == null || message == null) {
            return List.of();
        }
        Matcher m = config.keyPattern.matcher(message);
        if (!config.allMatches) {
            return m.find() ? List.of(m.group()) : List.of();
        }
        Set<String> keys = new LinkedHashSet<>();
        while (m.find()) {
            keys.add(m.group());
        }
        return List.copyOf(keys);
    }

    /** The session key in the configured attribute, as a list of zero or one. */
    public List<String> sessionKeys(Map<String, String> attributes) {
        if (config.keyAttribute == null || attributes == null) {
            return List.of();
        }
        String v = attributes.get(config.keyAttribute);
        return v == null || v.isBlank() ? List.of() : List.of(v);
    }

    // ---------------------------------------------------------------- observing

    /**
     * Records one event of a session. {@code template} is read now (id, current pattern); the detector
     * keeps no reference to it. {@code level} may be null (UNKNOWN). {@code evidenceLine} may be null; the
     * first line of each template per session is kept as evidence.
     */
    public void observe(String sessionKey, Template template, Level level, String evidenceLine) {
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(template, "template");
        Level lv = level == null ? Level.UNKNOWN : level;
        String id = template.id();
        TemplateInfo info = templates.computeIfAbsent(id, k -> new TemplateInfo());
        info.pattern = template.pattern();
        if (lv != Level.UNKNOWN && (info.worst == Level.UNKNOWN || lv.ordinal() > info.worst.ordinal())) {
            info.worst = lv;
        }
        Session s = sessions.computeIfAbsent(sessionKey, k -> new Session());
        s.events++;
        if (lv == Level.WARN || lv.isError()) {
            s.warnOrWorse++;
        }
        int[] c = s.counts.get(id);
        if (c == null) {
            if (s.counts.size() >= MAX_TEMPLATES_PER_SESSION) {
                return; // a session with hundreds of distinct templates is already conspicuous by length
            }
            c = new int[1];
            s.counts.put(id, c);
            if (evidenceLine != null) {
                s.firstLines.put(id, evidenceLine);
            }
        }
        c[0]++;
    }

    /** Number of sessions observed since the last {@link #clearSessions()}. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Drops one session (for example once it has been judged complete). */
    public void forget(String sessionKey) {
        sessions.remove(sessionKey);
    }

    /** Drops all observed sessions; a kept model stays. */
    public void clearSessions() {
        sessions.clear();
    }

    // ---------------------------------------------------------------- fitting and judging

    /**
     * Fits a model on the sessions observed so far (the baseline) and keeps it for later {@link #judge()}
     * calls. Needs at least 2 sessions. Returns a one-line summary for the log.
     */
    public String retrain() {
        model = fit();
        return model.summary();
    }

    /** True once {@link #retrain()} or {@link #load(Path)} has provided a kept model. */
    public boolean hasModel() {
        return model != null;
    }

    /**
     * Judges every observed session, in the order first seen. Against the kept model if there is one,
     * otherwise against a model fitted on these sessions themselves (not kept).
     */
    public List<SessionVerdict> judge() {
        if (sessions.isEmpty()) {
            return List.of();
        }
        Model m = model != null ? model : (sessions.size() >= 2 ? fit() : null);
        List<SessionVerdict> out = new ArrayList<>(sessions.size());
        for (Map.Entry<String, Session> e : sessions.entrySet()) {
            out.add(m == null ? quiet(e.getKey(), e.getValue()) : judge(m, e.getKey(), e.getValue()));
        }
        return out;
    }

    private Model fit() {
        int n = sessions.size();
        if (n < 2) {
            throw new IllegalStateException("need at least 2 sessions to fit, have " + n);
        }
        // vocabulary in first-seen order, with document frequency
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Integer> df = new ArrayList<>();
        for (Session s : sessions.values()) {
            for (String id : s.counts.keySet()) {
                Integer i = index.get(id);
                if (i == null) {
                    index.put(id, index.size());
                    df.add(1);
                } else {
                    df.set(i, df.get(i) + 1);
                }
            }
        }
        String[] vocab = index.keySet().toArray(String[]::new);
        int v = vocab.length;
        double[] share = new double[v];
        boolean[] errorLike = new boolean[v];
        String[] patterns = new String[v];
        for (int i = 0; i < v; i++) {
            share[i] = df.get(i) / (double) n;
            TemplateInfo info = templates.get(vocab[i]);
            patterns[i] = info.pattern;
            errorLike[i] = info.errorLike();
        }
        // dense counts, also the per-template baseline median used to explain forest scores
        int[][] counts = new int[n][v];
        double[][] rows = new double[n][];
        int r = 0;
        for (Session s : sessions.values()) {
            for (Map.Entry<String, int[]> c : s.counts.entrySet()) {
                counts[r][index.get(c.getKey())] = c.getValue()[0];
            }
            rows[r] = features(counts[r], s);
            r++;
        }
        double[] median = new double[v];
        double[] col = new double[n];
        for (int j = 0; j < v; j++) {
            for (int i = 0; i < n; i++) {
                col[i] = counts[i][j];
            }
            median[j] = SessionForest.median(col);
        }
        List<SessionRelations.Invariant> invariants = SessionRelations.mine(counts, share, vocab, n, config.invariantSupport, config.invariantHold);
        SessionForest forest = SessionForest.fit(rows, config.trees, config.sampleSize, config.seed);
        double[] scores = forest.scores(rows);
        double forestMedian = SessionForest.median(scores);
        // 0.5 is the neutral score of Liu et al.: as isolated as an average unsuccessful search in a
        // binary search tree of the sample size. Regular logs score most sessions far below it.
        double cut = Math.max(0.5, SessionForest.robustCut(scores, config.forestCutMads, 0.01));
        return new Model(config, n, vocab, patterns, share, errorLike, median, invariants, forest,
                forestMedian, cut);
    }

    private double[] features(int[] counts, Session s) {
        double[] row = new double[counts.length + 2];
        for (int j = 0; j < counts.length; j++) {
            row[j] = Math.log1p(counts[j]);
        }
        row[counts.length] = Math.log1p(s.events);
        row[counts.length + 1] = Math.log1p(s.warnOrWorse);
        return row;
    }

    private SessionVerdict quiet(String key, Session s) {
        return new SessionVerdict(key, false, 0, List.of(), s.events, templateList(s), firstEvidence(s, List.of()));
    }

    private SessionVerdict judge(Model m, String key, Session s) {
        List<String> strongReasons = new ArrayList<>();
        List<String> weakReasons = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>();
        double strongScore = 0;

        // 1. rare templates, rarest first
        List<Map.Entry<String, int[]>> present = new ArrayList<>(s.counts.entrySet());
        present.sort(Comparator.comparingDouble(e -> m.share(e.getKey())));
        boolean rareAny = false;
        int rareListed = 0;
        for (Map.Entry<String, int[]> e : present) {
            String id = e.getKey();
            double share = m.share(id);
            boolean known = m.index.containsKey(id);
            boolean veryRare = !known || share <= Math.max(config.veryRareShare, 1.0 / m.sessions + 1e-12);
            boolean errorLike = known ? m.errorLike[m.index.get(id)] : infoOf(id).errorLike();
            if (!(veryRare || share < config.rareShare)) {
                break;
            }
            boolean strong = !known || errorLike;
            if (rareListed++ < MAX_REASON_ITEMS) {
                String text = "template " + id + " '" + abbreviate(patternOf(m, id)) + "' "
                        + (known ? "seen in " + percent(share) + " of sessions (" + Math.round(share * m.sessions)
                                + " of " + m.sessions + ")" : "never seen in the " + m.sessions + " baseline sessions")
                        + (errorLike ? "; it reads like an error" + levelNote(id) : "")
                        + (e.getValue()[0] > 1 ? "; ×" + e.getValue()[0] + " here" : "");
                (strong ? strongReasons : weakReasons).add(text);
                named.add(id);
            }
            if (strong) {
                double floor = 1.0 / (m.sessions + 1);
                strongScore = Math.max(strongScore,
                        Math.min(99, 75 + 12 * Math.log10(config.rareShare / Math.max(share, floor))));
            } else {
                rareAny = true;
            }
        }

        // 2. broken count relations
        List<String> broken = new ArrayList<>();
        for (SessionRelations.Invariant inv : m.invariants) {
            int ca = count(s, inv.a());
            int cb = count(s, inv.b());
            if ((ca != 0 || cb != 0) && (long) cb * inv.den() != (long) ca * inv.num()) {
                if (broken.size() < 2) {
                    broken.add("count(" + inv.b() + " '" + abbreviate(patternOf(m, inv.b())) + "') = "
                            + ratio(inv.num(), inv.den()) + "count(" + inv.a() + " '" + abbreviate(patternOf(m, inv.a()))
                            + "') in " + percent(inv.hold()) + " of sessions; here " + cb + " vs " + ca);
                    named.add(inv.a());
                    named.add(inv.b());
                } else {
                    broken.add(null);
                }
            }
        }
        boolean relationBroken = !broken.isEmpty();
        if (relationBroken) {
            long more = broken.stream().filter(Objects::isNull).count();
            weakReasons.add("count relation broken: " + broken.get(0)
                    + (broken.size() > 1 && broken.get(1) != null ? "; and " + broken.get(1) : "")
                    + (more > 0 ? " (" + more + " more relation" + (more > 1 ? "s" : "") + " broken)" : ""));
        }

        // 3. isolation forest: above its cut is strong evidence on its own
        int[] dense = new int[m.vocab.length];
        for (Map.Entry<String, int[]> e : s.counts.entrySet()) {
            Integer j = m.index.get(e.getKey());
            if (j != null) {
                dense[j] = e.getValue()[0];
            }
        }
        double forestScore = SessionForest.score(m.compact, m.forest, features(dense, s));
        boolean forestHigh = forestScore > m.forestCut;
        if (forestHigh) {
            strongScore = Math.max(strongScore, 75 + 24 * (forestScore - m.forestCut) / Math.max(1e-9, 1 - m.forestCut));
        }

        double weakScore;
        if (relationBroken && rareAny) {
            weakScore = 60;
        } else if (relationBroken || rareAny) {
            weakScore = 40;
        } else {
            double above = (forestScore - m.forestMedian) / Math.max(1e-9, m.forestCut - m.forestMedian);
            weakScore = 29 * Math.max(0, Math.min(1, above));
        }
        double score = Math.round(Math.min(99, Math.max(strongScore, weakScore)) * 10) / 10.0;
        boolean anomalous = score >= 50;
        if (anomalous || forestHigh) {
            String forestText = String.format(Locale.ROOT, "isolation forest score %.2f %s cut %.2f (median session %.2f)",
                    forestScore, forestHigh ? "above" : "below", m.forestCut, m.forestMedian)
                    + unusualCounts(m, dense, named);
            (forestHigh ? strongReasons : weakReasons).add(forestText);
        }
        List<String> reasons = new ArrayList<>(strongReasons);
        reasons.addAll(weakReasons);
        if (anomalous && strongReasons.isEmpty()) {
            reasons.add(0, "a rare template and a broken count relation together");
        }
        return new SessionVerdict(key, anomalous, score, reasons, s.events, templateList(s),
                firstEvidence(s, named));
    }

    /** The templates whose counts are furthest from their baseline median, for the forest reason. */
    private String unusualCounts(Model m, int[] dense, Set<String> named) {
        Integer[] order = new Integer[dense.length];
        for (int j = 0; j < dense.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.comparingDouble(j -> -Math.abs(dense[j] - m.median[j]) / Math.max(1, m.median[j])));
        StringBuilder sb = new StringBuilder();
        int listed = 0;
        for (Integer j : order) {
            if (listed == MAX_REASON_ITEMS || dense[j] == m.median[j]) {
                break;
            }
            sb.append(listed == 0 ? "; most unusual counts: " : ", ");
            sb.append(m.vocab[j]).append(" '").append(abbreviate(m.patterns[j])).append("' ×").append(dense[j])
                    .append(" (usual ").append(fmt(m.median[j])).append(')');
            named.add(m.vocab[j]);
            listed++;
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- persistence (format: SessionModelCodec)

    /** Writes the kept model (and the configuration it was fitted with) to {@code file}. */
    public void save(Path file) throws IOException {
        Files.write(file, toBytes());
    }

    /** The kept model as bytes, e.g. for a database column. */
    public byte[] toBytes() throws IOException {
        if (model == null) {
            throw new IllegalStateException("no model: call retrain() first");
        }
        return SessionModelCodec.write(model);
    }

    /** A detector with the model from {@link #save}, configured as it was when the model was fitted. */
    public static SessionDetector load(Path file) throws IOException {
        return fromBytes(Files.readAllBytes(file));
    }

    /** The inverse of {@link #toBytes()}. */
    public static SessionDetector fromBytes(byte[] bytes) throws IOException {
        Model m = SessionModelCodec.read(bytes);
        SessionDetector d = new SessionDetector(m.config, m);
        for (int i = 0; i < m.vocab.length; i++) {
            TemplateInfo info = d.templates.computeIfAbsent(m.vocab[i], k -> new TemplateInfo());
            info.pattern = m.patterns[i];
        }
        return d;
    }

    // ---------------------------------------------------------------- small helpers

    private static int count(Session s, String id) {
        int[] c = s.counts.get(id);
        return c == null ? 0 : c[0];
    }

    private TemplateInfo infoOf(String id) {
        TemplateInfo info = templates.get(id);
        return info == null ? new TemplateInfo() : info;
    }

    private String patternOf(Model m, String id) {
        TemplateInfo info = templates.get(id);
        if (info != null && info.pattern != null) {
            return info.pattern;
        }
        Integer j = m.index.get(id);
        return j == null ? "?" : m.patterns[j];
    }

    private String levelNote(String id) {
        Level worst = infoOf(id).worst;
        return worst == Level.WARN || worst.isError() ? " (level " + worst + ")" : "";
    }

    private static List<String> templateList(Session s) {
        List<Map.Entry<String, int[]>> list = new ArrayList<>(s.counts.entrySet());
        list.sort((x, y) -> Integer.compare(y.getValue()[0], x.getValue()[0]));
        List<String> out = new ArrayList<>(list.size());
        for (Map.Entry<String, int[]> e : list) {
            out.add(e.getKey() + " ×" + e.getValue()[0]);
        }
        return out;
    }

    private static List<String> firstEvidence(Session s, Iterable<String> named) {
        Set<String> lines = new LinkedHashSet<>();
        if (!s.firstLines.isEmpty()) {
            lines.add(s.firstLines.values().iterator().next());
        }
        for (String id : named) {
            String line = s.firstLines.get(id);
            if (line != null) {
                lines.add(line);
            }
        }
        return new ArrayList<>(lines);
    }

    private static String abbreviate(String pattern) {
        if (pattern == null) {
            return "?";
        }
        return pattern.length() <= 90 ? pattern : pattern.substring(0, 87) + "...";
    }

    private static String percent(double share) {
        return share >= 0.1 ? String.format(Locale.ROOT, "%.0f%%", share * 100)
                : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static String fmt(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : String.format(Locale.ROOT, "%.1f", x);
    }

    private static String ratio(int num, int den) {
        return den == 1 ? (num == 1 ? "" : num + " × ") : "1/" + den + " × ";
    }

    // ---------------------------------------------------------------- state

    private static final class Session {
        final Map<String, int[]> counts = new LinkedHashMap<>();
        final Map<String, String> firstLines = new LinkedHashMap<>();
        int events;
        int warnOrWorse;
    }

    private static final class TemplateInfo {
        String pattern;
        Level worst = Level.UNKNOWN;

        boolean errorLike() {
            return worst == Level.WARN || worst.isError() || (pattern != null && ERROR_WORDS.matcher(pattern).find());
        }
    }

    /** Everything judging needs, fitted once; immutable. */
    static final class Model implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        final Config config;
        final int sessions;
        final String[] vocab;
        final String[] patterns;
        final double[] share;
        final boolean[] errorLike;
        final double[] median;
        final List<SessionRelations.Invariant> invariants;
        /** Smile's forest, in models stored before {@link #compact}; else null. */
        final IsolationForest forest;
        /** The forest (null in models stored before it). */
        final SessionForest compact;
        final double forestMedian;
        final double forestCut;
        final HashMap<String, Integer> index = new HashMap<>();

        Model(Config config, int sessions, String[] vocab, String[] patterns, double[] share, boolean[] errorLike,
                double[] median, List<SessionRelations.Invariant> invariants, SessionForest compact, double forestMedian,
                double forestCut) {
            this.config = config;
            this.sessions = sessions;
            this.vocab = vocab;
            this.patterns = patterns;
            this.share = share;
            this.errorLike = errorLike;
            this.median = median;
            this.invariants = new ArrayList<>(invariants);
            this.forest = null;
            this.compact = compact;
            this.forestMedian = forestMedian;
            this.forestCut = forestCut;
            for (int i = 0; i < vocab.length; i++) {
                index.put(vocab[i], i);
            }
        }

        double share(String id) {
            Integer j = index.get(id);
            return j == null ? 0 : share[j];
        }

        String summary() {
            return String.format(Locale.ROOT,
                    "session model: %d sessions, %d templates, %d count relations, forest cut %.3f (median %.3f)",
                    sessions, vocab.length, invariants.size(), forestCut, forestMedian);
        }
    }

    static final class Config implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        Pattern keyPattern;
        String keyAttribute;
        boolean allMatches = true;
        int trees = 100;
        int sampleSize = 256;
        long seed = 42;
        double rareShare = 0.05;
        double veryRareShare = 0.01;
        double invariantSupport = 0.05;
        double invariantHold = 0.95;
        double forestCutMads = 3;
    }

    /**
     * Defaults: trees 100, sampleSize 256 (Liu et al.), seed 42, rareShare 0.05, veryRareShare 0.01,
     * invariantSupport 0.05, invariantHold 0.95, forestCutMads 3, all regex matches. The session key
     * (regex or attribute) is required.
     */
    public static final class Builder {
        private final Config c = new Config();

        private Builder() {
        }

        /** Session key = match of this regex in the message (all distinct matches unless {@link #allMatches}). */
        public Builder sessionKey(Pattern regex) {
            c.keyPattern = Objects.requireNonNull(regex);
            return this;
        }

        /** Session key = value of this attribute (for structured events: request_id, trace_id...). */
        public Builder sessionAttribute(String name) {
            c.keyAttribute = Objects.requireNonNull(name);
            return this;
        }

        /** true (default): a line belongs to every key it names; false: only to the first. */
        public Builder allMatches(boolean all) {
            c.allMatches = all;
            return this;
        }

        public Builder trees(int trees) {
            c.trees = positive(trees, "trees");
            return this;
        }

        /** Rows per isolation tree (ψ in Liu et al.); the tree depth limit is ⌈log2 ψ⌉. */
        public Builder sampleSize(int sampleSize) {
            c.sampleSize = Math.max(2, positive(sampleSize, "sampleSize"));
            return this;
        }

        public Builder seed(long seed) {
            c.seed = seed;
            return this;
        }

        /** Templates in fewer than this share of sessions are rare. */
        public Builder rareShare(double share) {
            c.rareShare = fraction(share, "rareShare");
            return this;
        }

        /** Templates in at most this share of sessions (or in one session) are strong evidence on their own. */
        public Builder veryRareShare(double share) {
            c.veryRareShare = fraction(share, "veryRareShare");
            return this;
        }

        /** Count relations are mined between templates in at least this share of sessions. */
        public Builder invariantSupport(double share) {
            c.invariantSupport = fraction(share, "invariantSupport");
            return this;
        }

        /** A count relation is kept if it holds in at least this share of the sessions it concerns. */
        public Builder invariantHold(double share) {
            c.invariantHold = fraction(share, "invariantHold");
            return this;
        }

        /** Forest cut = median + this many robust standard deviations (1.4826 × MAD) of the baseline scores. */
        public Builder forestCutMads(double k) {
            if (!(k > 0)) {
                throw new IllegalArgumentException("forestCutMads must be > 0: " + k);
            }
            c.forestCutMads = k;
            return this;
        }

        public SessionDetector build() {
            if (c.keyPattern == null && c.keyAttribute == null) {
                throw new IllegalStateException("set sessionKey(Pattern) or sessionAttribute(String)");
            }
            if (c.veryRareShare > c.rareShare) {
                throw new IllegalStateException("veryRareShare must not exceed rareShare");
            }
            Config copy = new Config();
            copy.keyPattern = c.keyPattern;
            copy.keyAttribute = c.keyAttribute;
            copy.allMatches = c.allMatches;
            copy.trees = c.trees;
            copy.sampleSize = c.sampleSize;
            copy.seed = c.seed;
            copy.rareShare = c.rareShare;
            copy.veryRareShare = c.veryRareShare;
            copy.invariantSupport = c.invariantSupport;
            copy.invariantHold = c.invariantHold;
            copy.forestCutMads = c.forestCutMads;
            return new SessionDetector(copy, null);
        }

        private static int positive(int v, String name) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be >= 1: " + v);
            }
            return v;
        }

        private static double fraction(double v, String name) {
            if (!(v > 0 && v < 1)) {
                throw new IllegalArgumentException(name + " must be in (0, 1): " + v);
            }
            return v;
        }
    }
}
