package io.logwarden.detect;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Judges windows with the source's Isolation Forest over their counts per template and level (training one first
 * when there is none or it is stale and the input has enough windows). It speaks for the windows whose whole mix of
 * counts is odd though no single count is, and says in words which counts were unusual.
 *
 * <p>Not thread-safe.
 */
final class ForestJudge {

    /** Count vectors kept for training, the most recent. */
    static final int MAX_VECTORS = 20_000;
    /** The cut is never closer than this to the median training window's score. */
    static final double FOREST_MARGIN = 0.1;

    private final String source;
    private final DetectionSettings settings;
    private final Scoring scoring;
    private final JobContext context;
    private final ArrayDeque<WindowIsolationDetector.WindowCounts> vectors = new ArrayDeque<>();
    private final ArrayDeque<Long> indexes = new ArrayDeque<>();
    private WindowIsolationDetector model;
    private final boolean stale;
    private boolean trained;
    private String skipped;

    ForestJudge(String source, DetectionSettings settings, Scoring scoring, JobContext context,
                WindowIsolationDetector model, boolean stale) {
        this.source = source;
        this.settings = settings;
        this.scoring = scoring;
        this.context = context;
        this.model = model;
        this.stale = stale;
    }

    void add(WindowStats window) {
        if (!settings.forest().enabled() || window.templates.isEmpty()) return;
        vectors.addLast(window.vector());
        indexes.addLast(window.index);
        if (vectors.size() > MAX_VECTORS) {
            vectors.removeFirst();
            indexes.removeFirst();
        }
    }

    int windows() {
        return vectors.size();
    }

    WindowIsolationDetector trainedModel() {
        return trained ? model : null;
    }

    /** Why the forest did not judge this input, or null when it did. */
    String skipped() {
        return skipped;
    }

    String modelText() {
        return model == null ? "" : (trained ? "trained now on " : "kept model of ") + model.baselineWindows() + " windows";
    }

    List<Anomaly> judge(List<Anomaly> others) {
        List<Anomaly> found = new ArrayList<>();
        if (!settings.forest().enabled()) {
            skipped = "disabled (forest.enabled: false)";
            return found;
        }
        if (stale && vectors.size() >= settings.forest().minWindows()) {
            WindowIsolationDetector fresh = WindowIsolationDetector.builder().trees(settings.forest().trees())
                    .cutMads(settings.forest().cutMads()).build();
            fresh.fit(List.copyOf(vectors));
            model = fresh;
            trained = true;
        }
        if (model == null) {
            skipped = "needs " + settings.forest().minWindows() + " windows to train, this input has " + vectors.size();
            return found;
        }
        long w = context.windowMillis();
        Set<Long> covered = new HashSet<>();
        Set<String> reported = new HashSet<>();
        for (Anomaly a : others) {
            if (a.windowStart() == null) continue;
            for (long i = Math.floorDiv(a.windowStart().toEpochMilli(), w); i < Math.floorDiv(a.windowEnd().toEpochMilli(), w); i++) {
                covered.add(i);
            }
            a.contributors().forEach(c -> reported.add(c.templateId()));
        }
        double cut = cut();
        // The input's first and last windows are partial: their counts are low by construction, not by incident.
        long firstWindow = indexes.isEmpty() ? 0 : indexes.getFirst();
        long lastWindow = indexes.isEmpty() ? 0 : indexes.getLast();
        double[] scores = model.scores(List.copyOf(vectors)); // on the available cores
        Iterator<Long> index = indexes.iterator();
        long runStart = 0;
        long runEnd = Long.MIN_VALUE;
        double runScore = 0;
        WindowIsolationDetector.WindowCounts runPeak = null;
        int k = 0;
        for (WindowIsolationDetector.WindowCounts vector : vectors) {
            long i = index.next();
            double score = scores[k++];
            if (covered.contains(i) || i == firstWindow || i == lastWindow) continue;
            if (score <= cut || !material(vector, reported)) continue;
            if (runPeak != null && i == runEnd + 1) {
                runEnd = i;
            } else {
                if (runPeak != null) found.add(anomaly(runStart, runEnd, runScore, runPeak));
                runStart = i;
                runEnd = i;
                runScore = 0;
            }
            if (score > runScore) {
                runScore = score;
                runPeak = vector;
            }
        }
        if (runPeak != null) {
            found.add(anomaly(runStart, runEnd, runScore, runPeak));
        }
        return found;
    }

    private double cut() {
        return Math.max(model.cut(), model.baselineMedianScore() + FOREST_MARGIN);
    }

    /**
     * Worth a person's time: unusual template counts add up to min-count events, one of them too far from usual to
     * be chance, and the mix is not led by a template another anomaly already told.
     */
    private boolean material(WindowIsolationDetector.WindowCounts vector, Set<String> reported) {
        for (WindowIsolationDetector.Contribution c : model.explain(vector, 3)) {
            if (c.feature().startsWith("template:") && reported.contains(c.feature().substring("template:".length()))) {
                return false;
            }
        }
        long unusual = 0;
        boolean beyondChance = false;
        for (WindowIsolationDetector.Contribution c : model.explain(vector, 10)) {
            if (c.feature().startsWith("template:") && Math.abs(c.deviation()) >= 2) {
                unusual += (long) Math.abs(c.observed() - c.baselineMedian());
                double usual = Math.max(c.baselineMedian(), 0.5);
                double tail = c.observed() > c.baselineMedian() ? Poisson.upperTail(c.observed(), usual)
                        : Poisson.lowerTail(c.observed(), usual);
                beyondChance |= tail < Poisson.SIGNIFICANT;
            }
        }
        return unusual >= settings.minCount() && beyondChance;
    }

    private Anomaly anomaly(long first, long last, double forestScore, WindowIsolationDetector.WindowCounts peak) {
        long w = context.windowMillis();
        double score = Scoring.clamp(50 + 300 * (forestScore - cut()));
        List<Anomaly.Contributor> contributors = new ArrayList<>();
        List<String> more = new ArrayList<>();
        List<String> fewer = new ArrayList<>();
        for (WindowIsolationDetector.Contribution c : model.explain(peak, 5)) {
            String feature = c.feature();
            String name = feature;
            if (feature.startsWith("template:")) {
                String id = feature.substring("template:".length());
                Template t = context.template(id);
                name = "\"" + Explain.shorten(t == null ? id : t.pattern(), 60) + "\"";
                contributors.add(new Anomaly.Contributor(id, t == null ? null : t.pattern(), c.observed()));
            } else if (feature.startsWith("level:")) {
                name = feature.substring("level:".length()) + " events";
            }
            String text = name + " " + c.observed() + " instead of about " + Explain.number(c.baselineMedian());
            (c.observed() >= c.baselineMedian() ? more : fewer).add(text);
        }
        String span = first == last ? Explain.duration(w) + " from " + Instant.ofEpochMilli(first * w)
                : Explain.duration((last - first + 1) * w) + " from " + Instant.ofEpochMilli(first * w);
        String title = "Unusual mix of messages for " + span
                + (more.isEmpty() ? "" : ": more " + more.get(0)) + (fewer.isEmpty() ? "" : (more.isEmpty() ? ": " : "; ")
                + "fewer " + fewer.get(0));
        String explanation = "In the " + span + " no single count stood out, but the mix did."
                + (more.isEmpty() ? "" : " More than usual: " + String.join("; ", more) + ".")
                + (fewer.isEmpty() ? "" : " Fewer than usual: " + String.join("; ", fewer) + ".");
        String details = String.format(java.util.Locale.ROOT,
                "Isolation Forest score %.3f against a cut of %.3f (median window %.3f, %s).", forestScore, cut(),
                model.baselineMedianScore(), modelText());
        return new Anomaly(source, Detector.WINDOW_FOREST, score, scoring.severity(score), Instant.ofEpochMilli(first * w),
                Instant.ofEpochMilli((last + 1) * w), contributors.isEmpty() ? null : contributors.get(0).templateId(),
                contributors.isEmpty() ? null : contributors.get(0).template(), title, explanation,
                model.baselineMedianScore(), forestScore, contributors, List.of(), null, List.of(), List.of(), details);
    }
}
