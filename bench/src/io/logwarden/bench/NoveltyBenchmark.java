package io.logwarden.bench;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.logwarden.detect.SessionDetector;
import io.logwarden.detect.SessionVerdict;
import io.logwarden.detect.Template;
import io.logwarden.detect.TemplateMiner;
import io.logwarden.event.Level;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Does semantic novelty (all-MiniLM-L6-v2 embeddings of templates, in process) improve detection?
 * A benchmark only; nothing of it is in the product.
 *
 * <p><b>Part 1, HDFS_5k_sessions</b> (110 labelled blocks, 10 anomalies). Lines are parsed and fed to a default
 * {@link TemplateMiner} and a default {@link SessionDetector} exactly as {@link SessionBenchmark} does. Blocks are
 * ordered by first appearance; the templates occurring in the first half of the blocks are "known". A template
 * absent from the known set is "new"; it is "semantically novel" at threshold t when its largest cosine similarity
 * to every known template is below t (templates are embedded with their final pattern text, {@code <*>} included).
 * A block containing a semantically novel template is flagged by "novelty". Scored: the detector alone, novelty
 * alone, and detector OR novelty, on all 110 blocks and on the second half only (novelty cannot flag the first
 * half by construction). "any new" is the same rule without embeddings (t above 1): what the product's
 * new-template detector already does. The thresholds 0.5, 0.6, 0.7, 0.8 were fixed before the first run, with
 * 0.6 as the one to decide on; no label is used to choose anything.
 *
 * <p><b>Part 2, Loghub-2k</b> (the cost side). For each dataset, the ground-truth templates (original
 * {@code *_structured.csv}, {@code EventTemplate}) are ordered by first appearance; those first seen in the first
 * 1,000 lines are known, the later ones are new. Reported: for each new template, whether its nearest known
 * template is at or above t (it would be suppressed as "not semantically novel") or below (flagged), and the
 * leave-one-out figure over all templates (nearest other template). Every ground-truth template is a distinct
 * event kind, so the share suppressed is the share of genuinely new kinds that semantic novelty would hide.
 * {@code -Dnovelty.show=<Dataset>} lists that dataset's new templates with their nearest known one.
 */
public final class NoveltyBenchmark {

    private static final double[] THRESHOLDS = {0.5, 0.6, 0.7, 0.8};

    private static AllMiniLmL6V2EmbeddingModel model;
    private static long embedNanos;
    private static int embedded;

    private NoveltyBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        long t0 = System.nanoTime();
        model = new AllMiniLmL6V2EmbeddingModel();
        System.out.printf(Locale.ROOT, "model loaded in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        embed("warm up the session"); // first call pays for ONNX session warm-up; not counted
        embedNanos = 0;
        embedded = 0;
        String part = System.getProperty("novelty.part", "all");
        if (!part.equals("loghub")) {
            hdfs();
        }
        if (!part.equals("hdfs")) {
            loghub();
        }
        System.out.printf(Locale.ROOT, "%nembedding: %d texts, %.1f ms per text (single-text calls, after warm-up)%n",
                embedded, embedded == 0 ? 0 : embedNanos / 1e6 / embedded);
    }

    // ---------------------------------------------------------------- part 1

    private static void hdfs() throws IOException {
        Path dir = BenchData.root().resolve("hdfs_labelled");
        String name = "HDFS_5k_sessions";
        Map<String, Boolean> truth = BenchData.blockLabels(dir.resolve(name + "_anomaly_label.csv"));
        SessionDetector detector = SessionDetector.builder().sessionKey(Pattern.compile("blk_-?\\d+")).build();
        TemplateMiner miner = TemplateMiner.builder().build();
        Map<String, Set<String>> sessionTemplates = new LinkedHashMap<>(); // first-appearance order
        for (BenchData.HdfsLine line : BenchData.hdfsLines(dir.resolve(name + ".log"))) {
            Template t = miner.add(line.content());
            Level level = Level.parse(line.level());
            for (String key : detector.sessionKeys(line.content())) {
                detector.observe(key, t, level, line.raw());
                sessionTemplates.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(t.id());
            }
        }
        Map<String, Boolean> detectorVerdict = new HashMap<>();
        for (SessionVerdict v : detector.judge()) {
            detectorVerdict.put(v.session(), v.anomalous());
        }
        List<String> order = new ArrayList<>(sessionTemplates.keySet());
        int half = order.size() / 2;
        Set<String> known = new LinkedHashSet<>();
        for (String s : order.subList(0, half)) {
            known.addAll(sessionTemplates.get(s));
        }
        Set<String> fresh = new LinkedHashSet<>();
        for (String s : order.subList(half, order.size())) {
            for (String id : sessionTemplates.get(s)) {
                if (!known.contains(id)) {
                    fresh.add(id);
                }
            }
        }
        Map<String, float[]> vec = new HashMap<>();
        for (Template t : miner.templates()) {
            vec.put(t.id(), embed(t.pattern()));
        }
        Map<String, Double> maxSim = new HashMap<>();
        System.out.printf(Locale.ROOT, "%n## %s: %d blocks, %d templates mined, %d known (first %d blocks), %d new later%n",
                name, order.size(), miner.templates().size(), known.size(), half, fresh.size());
        System.out.println("| new template | blocks with it | anomalous of them | nearest known | cosine |");
        System.out.println("|---|---|---|---|---|");
        for (String id : fresh) {
            double best = -2;
            String bestId = null;
            for (String k : known) {
                double c = cos(vec.get(id), vec.get(k));
                if (c > best) {
                    best = c;
                    bestId = k;
                }
            }
            maxSim.put(id, best);
            int in = 0, bad = 0;
            for (String s : order.subList(half, order.size())) {
                if (sessionTemplates.get(s).contains(id)) {
                    in++;
                    if (truth.get(s)) bad++;
                }
            }
            System.out.printf(Locale.ROOT, "| `%s` | %d | %d | `%s` | %.3f |%n", miner.byId(id).pattern(), in, bad,
                    miner.byId(bestId).pattern(), best);
        }
        System.out.println();
        System.out.println("| blocks scored | rule | flagged | TP | FP | FN | precision | recall | F1 |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (boolean secondHalfOnly : new boolean[] {false, true}) {
            List<String> scored = secondHalfOnly ? order.subList(half, order.size()) : order;
            String scope = secondHalfOnly ? "second half (" + scored.size() + ")" : "all (" + scored.size() + ")";
            score(scope, "session detector", scored, truth, s -> detectorVerdict.get(s));
            List<Double> ts = new ArrayList<>();
            for (double t : THRESHOLDS) ts.add(t);
            ts.add(Double.POSITIVE_INFINITY);
            for (double t : ts) {
                String tn = Double.isInfinite(t) ? "any new (no embedding)" : String.format(Locale.ROOT, "t=%.1f", t);
                java.util.function.Predicate<String> nov = s -> order.indexOf(s) >= half
                        && sessionTemplates.get(s).stream().anyMatch(id -> maxSim.containsKey(id) && maxSim.get(id) < t);
                score(scope, "novelty " + tn, scored, truth, nov::test);
                score(scope, "detector OR novelty " + tn, scored, truth, s -> detectorVerdict.get(s) || nov.test(s));
            }
        }
    }

    private static void score(String scope, String rule, List<String> scored, Map<String, Boolean> truth,
            java.util.function.Function<String, Boolean> flag) {
        int tp = 0, fp = 0, fn = 0, flagged = 0;
        for (String s : scored) {
            boolean f = flag.apply(s);
            boolean l = truth.get(s);
            if (f) flagged++;
            if (f && l) tp++;
            if (f && !l) fp++;
            if (!f && l) fn++;
        }
        double p = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
        double r = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %.3f | %.3f | %.3f |%n",
                scope, rule, flagged, tp, fp, fn, p, r, f1);
    }

    // ---------------------------------------------------------------- part 2

    private static void loghub() throws IOException {
        System.out.printf(Locale.ROOT, "%n## Loghub-2k ground-truth templates: known = first seen in lines 1-1000%n");
        StringBuilder head = new StringBuilder("| dataset | templates | new after line 1000 |");
        StringBuilder sep = new StringBuilder("|---|---|---|");
        for (double t : THRESHOLDS) {
            head.append(String.format(Locale.ROOT, " new suppressed (nearest known >= %.1f) |", t));
            sep.append("---|");
        }
        for (double t : THRESHOLDS) {
            head.append(String.format(Locale.ROOT, " all, nearest other >= %.1f |", t));
            sep.append("---|");
        }
        System.out.println(head);
        System.out.println(sep);
        int[] sumNew = new int[1];
        int[] sumSupp = new int[THRESHOLDS.length];
        int sumAll = 0;
        StringBuilder shown = new StringBuilder();
        int[] sumLoo = new int[THRESHOLDS.length];
        for (String d : BenchData.LOGHUB_2K) {
            List<List<String>> rows = BenchData.readCsv(BenchData.structured(d, false));
            List<String> tpl = BenchData.column(rows, "EventTemplate");
            Map<String, Integer> firstLine = new LinkedHashMap<>();
            for (int i = 0; i < tpl.size(); i++) {
                firstLine.putIfAbsent(tpl.get(i), i);
            }
            List<String> all = new ArrayList<>(firstLine.keySet());
            List<float[]> vs = new ArrayList<>();
            for (String s : all) vs.add(embed(s));
            int n = all.size();
            int newCount = 0;
            int[] supp = new int[THRESHOLDS.length];
            int[] loo = new int[THRESHOLDS.length];
            for (int i = 0; i < n; i++) {
                double bestKnown = -2, bestOther = -2;
                int nearest = -1;
                for (int j = 0; j < n; j++) {
                    if (j == i) continue;
                    double c = cos(vs.get(i), vs.get(j));
                    bestOther = Math.max(bestOther, c);
                    if (firstLine.get(all.get(j)) < 1000 && c > bestKnown) {
                        bestKnown = c;
                        nearest = j;
                    }
                }
                boolean isNew = firstLine.get(all.get(i)) >= 1000;
                if (isNew && d.equals(System.getProperty("novelty.show"))) {
                    shown.append(String.format(Locale.ROOT, "| `%s` | `%s` | %.3f |%n", all.get(i),
                            nearest < 0 ? "-" : all.get(nearest), bestKnown));
                }
                if (isNew) newCount++;
                for (int k = 0; k < THRESHOLDS.length; k++) {
                    if (isNew && bestKnown >= THRESHOLDS[k]) supp[k]++;
                    if (bestOther >= THRESHOLDS[k]) loo[k]++;
                }
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %d |", d, n, newCount));
            for (int k = 0; k < THRESHOLDS.length; k++) {
                row.append(newCount == 0 ? " - |" : String.format(Locale.ROOT, " %d (%.0f%%) |", supp[k], 100.0 * supp[k] / newCount));
                sumSupp[k] += supp[k];
            }
            for (int k = 0; k < THRESHOLDS.length; k++) {
                row.append(String.format(Locale.ROOT, " %.0f%% |", 100.0 * loo[k] / n));
                sumLoo[k] += loo[k];
            }
            sumNew[0] += newCount;
            sumAll += n;
            System.out.println(row);
        }
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| **all** | %d | %d |", sumAll, sumNew[0]));
        for (int k = 0; k < THRESHOLDS.length; k++) {
            row.append(String.format(Locale.ROOT, " %d (%.0f%%) |", sumSupp[k], 100.0 * sumSupp[k] / sumNew[0]));
        }
        for (int k = 0; k < THRESHOLDS.length; k++) {
            row.append(String.format(Locale.ROOT, " %.0f%% |", 100.0 * sumLoo[k] / sumAll));
        }
        System.out.println(row);
        if (shown.length() > 0) {
            System.out.printf(Locale.ROOT, "%n%s, new templates: | new | nearest known | cosine |%n%s",
                    System.getProperty("novelty.show"), shown);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static float[] embed(String text) {
        long t0 = System.nanoTime();
        float[] v = model.embed(text).content().vector();
        embedNanos += System.nanoTime() - t0;
        embedded++;
        return v;
    }

    private static double cos(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
