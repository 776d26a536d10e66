package io.logwarden.detect;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * New and rare templates. For a source with a history (it has seen {@code history-events} events), a template it
 * never saw is new on sight. For an input that is its own baseline, a template is reported when it is rare in the
 * input (it starts well into it, comes in one short stretch, or only once or twice) and either is an error (or
 * carries an exception) or appears while another anomaly is under way. Early errors are not hidden: there is no
 * learning period.
 *
 * <p>Not thread-safe.
 */
final class Novelty {

    /** Occurrences whose influencer values are counted per candidate template. */
    static final int INFLUENCER_SAMPLE = 200;
    /** A new template's score when it is an error; below it, a message or a warning. */
    static final double ERROR_SCORE = 80;

    private final String source;
    private final Set<String> known;
    private final boolean hasHistory;
    private final DetectionSettings settings;
    private final Scoring scoring;
    private final Influencers influencers;
    private final Map<String, Candidate> candidates = new LinkedHashMap<>();
    private int rareNotReported;

    Novelty(String source, Set<String> known, boolean hasHistory, DetectionSettings settings, Scoring scoring,
            Influencers influencers) {
        this.influencers = influencers;
        this.source = source;
        this.known = known;
        this.hasHistory = hasHistory;
        this.settings = settings;
        this.scoring = scoring;
    }

    boolean hasHistory() {
        return hasHistory;
    }

    int rareNotReported() {
        return rareNotReported;
    }

    /** @param influencerValues the event's {@link Influencers#valuesOf values}, by field */
    void observe(LogEvent event, String templateId, Instant ts, String[] influencerValues) {
        if (known.contains(templateId)) {
            return;
        }
        Candidate c = candidates.get(templateId);
        if (c == null) {
            c = new Candidate(templateId, ts);
            candidates.put(templateId, c);
        }
        c.add(event, ts, influencers.names(), influencerValues, settings.maxEvidence());
    }

    /**
     * @param templates the miner, to drop candidates merged into older templates since
     * @param others    the anomalies the other detectors found
     */
    List<Anomaly> finish(JobContext templates, Instant inputStart, Instant inputEnd, List<Anomaly> others) {
        long w = templates.windowMillis();
        long span = inputStart == null ? 0 : inputEnd.toEpochMilli() - inputStart.toEpochMilli();
        Map<Long, List<Candidate>> byWindow = new TreeMap<>();
        for (Candidate c : candidates.values()) {
            if (templates.template(c.id) == null) {
                continue; // merged into another template since: not new after all
            }
            boolean report;
            if (hasHistory) {
                report = true;
            } else {
                boolean rare = c.occurrences <= 2
                        || c.first.toEpochMilli() - inputStart.toEpochMilli() >= 0.1 * span
                        || c.last.toEpochMilli() - c.first.toEpochMilli() <= 0.2 * span;
                boolean alongside = during(c, others, w) != null;
                report = rare && (severityRank(c.worst) >= severityRank(Level.ERROR) || c.exception || alongside);
                if (rare && !report) rareNotReported++;
            }
            if (report) {
                // A message that also comes during another anomaly is part of that incident and is told there; one
                // early stray occurrence (a single 502 an hour before the outage) is no incident of its own.
                Instant at = during(c, others, w);
                long window = Math.floorDiv((at == null ? c.first : at).toEpochMilli(), w);
                byWindow.computeIfAbsent(window, k -> new ArrayList<>()).add(c);
            }
        }
        List<Anomaly> found = new ArrayList<>();
        byWindow.forEach((window, group) -> found.add(anomaly(templates, window, group)));
        return found;
    }

    /** The first occurrence of the candidate within another anomaly (a drop aside), or null. */
    private static Instant during(Candidate c, List<Anomaly> others, long w) {
        for (Instant t : c.times) {
            for (Anomaly a : others) {
                if (a.detector() != Detector.DROP && a.windowStart() != null
                        && !t.isBefore(a.windowStart().minusMillis(w)) && t.isBefore(a.windowEnd().plusMillis(w))) {
                    return t;
                }
            }
        }
        return null;
    }

    private Anomaly anomaly(JobContext templates, long window, List<Candidate> group) {
        group.sort(Comparator.comparingDouble((Candidate c) -> c.score(settings.minCount())).reversed()
                .thenComparing(Comparator.comparingLong((Candidate t) -> t.occurrences).reversed()));
        Candidate lead = group.get(0);
        Template template = templates.template(lead.id);
        long w = templates.windowMillis();
        List<Anomaly.Contributor> contributors = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        for (Candidate t : group) {
            contributors.add(new Anomaly.Contributor(t.id, templates.template(t.id).pattern(), t.occurrences));
            if (evidence.size() < settings.maxEvidence()) evidence.add(t.example);
        }
        // The anomaly is where the new messages appeared, not everywhere they recur: one window.
        Instant end = Instant.ofEpochMilli((window + 1) * w);
        String what = hasHistory ? "never seen for this source" : "rare in this input";
        String title = (group.size() == 1 ? (hasHistory ? "New message: " : "Rare message: ")
                : group.size() + (hasHistory ? " new messages, first: " : " rare messages, first: "))
                + Explain.shorten(template.pattern(), 80);
        StringBuilder explanation = new StringBuilder();
        explanation.append(group.size() == 1 ? "A message " : group.size() + " messages ").append(what)
                .append(" appeared from ").append(Instant.ofEpochMilli(window * w)).append(". ").append(describe(lead, templates));
        for (Candidate t : group.subList(1, Math.min(group.size(), 6))) {
            explanation.append(" ").append(describe(t, templates));
        }
        if (group.size() > 6) {
            explanation.append(" And ").append(group.size() - 6).append(" more.");
        }
        long total = group.stream().mapToLong(c -> Math.min(c.occurrences, INFLUENCER_SAMPLE)).sum();
        Map<String, Map<String, Long>> merged = new HashMap<>();
        for (Candidate c : group) {
            c.values.forEach((f, v) -> v.top(4).forEach(e -> merged.computeIfAbsent(f, k -> new HashMap<>())
                    .merge(e.getKey(), e.getValue(), Long::sum)));
        }
        List<Anomaly.Influencer> who = influencers.of(merged, total);
        double score = lead.score(settings.minCount());
        String details = "Scored " + Explain.number(score) + ": 45 for a message, 65 a warning, 80 an error; +10 with an"
                + " exception; +5 when it came at least " + settings.minCount() + " times."
                + (hasHistory ? "" : " The input is its own baseline: the source has no history yet.");
        return new Anomaly(source, Detector.NEW_TEMPLATE, score, scoring.severity(score), Instant.ofEpochMilli(window * w),
                end.plusMillis(1), lead.id, template.pattern(), title, explanation.toString(), 0, lead.occurrences,
                contributors, evidence, null, who, List.of(), details);
    }

    private static String describe(Candidate t, JobContext templates) {
        return "\"" + Explain.shorten(templates.template(t.id).pattern(), 80) + "\": first at " + t.first
                + (t.firstRef == null ? "" : " (" + t.firstRef + ")") + ", " + Explain.plural(t.occurrences, "time")
                + (t.worst == Level.UNKNOWN ? "" : " at level " + t.worst)
                + (t.exception ? ", with an exception" : "") + ".";
    }

    /** {@link #severityRank} by ordinal: a table, so code compiled before a level first shows up keeps working. */
    private static final int[] SEVERITY_RANK = new int[Level.values().length];

    static {
        for (Level level : Level.values()) {
            SEVERITY_RANK[level.ordinal()] = switch (level) {
                case FATAL -> 5;
                case ERROR -> 4;
                case WARN -> 3;
                case INFO -> 2;
                case DEBUG, TRACE -> 1;
                case UNKNOWN -> 0;
            };
        }
    }

    static int severityRank(Level level) {
        return SEVERITY_RANK[level.ordinal()];
    }

    /**
     * Whether a message holds a stack trace or an exception: {@code "\n\tat "}, {@code "\n    at "}, {@code "Traceback
     * (most recent call last)"}, {@code "Exception: "} or {@code "Exception\n"}. Run on every event of a template new
     * to the source until one says yes, so it looks for {@code "Exception"} and a line break once each and for the
     * rest only after them: three scans of a message instead of five (72 → 52 ns on HDFS messages).
     */
    static boolean looksLikeException(String message) {
        int exception = message.indexOf("Exception");
        if (exception >= 0 && (message.indexOf("Exception: ", exception) >= 0
                || message.indexOf("Exception\n", exception) >= 0)) {
            return true;
        }
        int lineBreak = message.indexOf('\n');
        if (lineBreak >= 0 && (message.indexOf("\n\tat ", lineBreak) >= 0
                || message.indexOf("\n    at ", lineBreak) >= 0)) {
            return true;
        }
        return message.contains("Traceback (most recent call last)");
    }

    /**
     * A template the source did not know, followed through the input by its worst occurrences: a request template
     * that answered 200 all along and 500 at the end is a rare error from its first 500.
     */
    private static final class Candidate {
        final String id;
        Instant first;
        Instant last;
        long occurrences;
        Level worst;
        boolean exception;
        String firstRef;
        Evidence example;
        Map<String, TopValues> values = new HashMap<>(4);
        /** The first worst occurrences' times (at most {@value #TIMES}), to tell which incident they belong to. */
        List<Instant> times = new ArrayList<>();
        static final int TIMES = 256;

        Candidate(String id, Instant first) {
            this.id = id;
            this.first = first;
            this.last = first;
        }

        void add(LogEvent event, Instant ts, String[] fields, String[] influencerValues, int maxEvidence) {
            int rank = severityRank(event.level());
            if (worst == null || rank > severityRank(worst)) {
                worst = event.level(); // a worse level starts the count again
                first = ts;
                last = ts;
                occurrences = 0;
                firstRef = null;
                example = null;
                values = new HashMap<>(4);
                times = new ArrayList<>();
            } else if (rank < severityRank(worst)) {
                return;
            }
            occurrences++;
            if (times.size() < TIMES) times.add(ts);
            if (ts.isBefore(first)) first = ts;
            if (ts.isAfter(last)) last = ts;
            if (!exception && looksLikeException(event.message())) exception = true;
            if (firstRef == null && event.ref() != null) firstRef = event.ref().toString();
            if (example == null) example = Evidence.of(event, id);
            if (occurrences <= INFLUENCER_SAMPLE) {
                for (int i = 0; i < influencerValues.length; i++) {
                    if (influencerValues[i] != null) {
                        values.computeIfAbsent(fields[i], k -> new TopValues(8)).add(influencerValues[i]);
                    }
                }
            }
        }

        double score(int minCount) {
            double score = switch (worst) {
                case FATAL, ERROR -> ERROR_SCORE;
                case WARN -> 65;
                default -> 45;
            };
            if (exception) score += 10;
            if (occurrences >= minCount) score += 5;
            return Scoring.clamp(score);
        }

    }
}
