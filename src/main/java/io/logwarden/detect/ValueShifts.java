package io.logwarden.detect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Value shifts: a template whose mean value of a numeric field ({@link Measures}: a response's size, a request's time)
 * in a window is far above its usual mean, while its count may be as usual. A paging bug that answers the whole
 * catalogue to every list request (300 kB instead of 2), an upstream grown slow (requests of 12 ms taking 1.2 s):
 * nothing failed and nothing came more often, so no count says it.
 *
 * <p>Each template and field is judged over the run of windows it is given: its mean in every window where it had at
 * least {@value #MIN_VALUES} values; its usual mean is the median of those (at least {@value #MIN_WINDOWS} windows). A
 * window is high when its mean is at least {@value #RATIO} times the usual one and {@value #SPREADS} robust spreads
 * above it, with at least {@code min-count} values. A template high in more than {@value #MAX_HIGH_SHARE} of its
 * windows is variable, not shifted. Consecutive high windows are one shift, reported when they last at least
 * {@value #MIN_SPAN_MILLIS} ms. Only successful events' values count (an error page's size or a timeout's time is the
 * failure's to tell, in its own burst). Shifts of several templates that overlap
 * in time are one anomaly, led by the largest ratio. Only rises are judged: a smaller answer or a faster request is
 * rarely an incident, and an error page that replaces a large one is the errors' to tell.
 */
final class ValueShifts implements SeriesJudge {

    static final int MIN_VALUES = 3;
    static final int MIN_WINDOWS = 8;
    static final double RATIO = 3;
    static final double SPREADS = 6;
    static final double MAX_HIGH_SHARE = 0.25;
    /** A shift lasts at least this long: a second of slow answers while a burst loads the upstream is no incident. */
    static final long MIN_SPAN_MILLIS = 10_000;

    private final String source;
    private final DetectionSettings settings;
    private final Scoring scoring;
    private final JobContext context;
    private final String[] fields;
    private final Set<String> reported = new HashSet<>();

    ValueShifts(String source, DetectionSettings settings, Scoring scoring, JobContext context, String[] fields) {
        this.source = source;
        this.settings = settings;
        this.scoring = scoring;
        this.context = context;
        this.fields = fields;
    }

    /** One template's field high over consecutive windows (positions in the run), at its peak mean. */
    private record Shift(String templateId, int field, int first, int last, double usual, double peak, int peakAt,
                         long values, int windowsWithMeans, double threshold) {
        double ratio() {
            return peak / usual;
        }
    }

    @Override
    public List<Anomaly> find(List<WindowStats> windows, boolean complete) {
        int n = windows.size();
        if (fields.length == 0 || n < MIN_WINDOWS) return List.of();
        Set<String> ids = new HashSet<>();
        for (WindowStats w : windows) {
            w.templates.forEach((id, c) -> {
                if (c.valueCounts != null) ids.add(id);
            });
        }
        List<Shift> shifts = new ArrayList<>();
        double[] means = new double[n];
        double[] present = new double[n];
        for (String id : ids.stream().sorted().toList()) {
            for (int f = 0; f < fields.length; f++) {
                int m = 0;
                for (int i = 0; i < n; i++) {
                    WindowStats.TemplateCount c = windows.get(i).templates.get(id);
                    means[i] = c == null ? Double.NaN : c.mean(f, MIN_VALUES);
                    if (!Double.isNaN(means[i])) present[m++] = means[i];
                }
                if (m < MIN_WINDOWS) continue;
                shifts.addAll(judge(windows, id, f, means, present, m));
            }
        }
        return group(windows, shifts);
    }

    private List<Shift> judge(List<WindowStats> windows, String id, int f, double[] means, double[] present, int m) {
        double[] windowMeans = Arrays.copyOf(present, m);
        double usual = SessionForest.median(windowMeans);
        if (!(usual > 0)) return List.of();
        // median + SPREADS × 1.4826 × MAD, the session forest's cut on its scores
        double threshold = Math.max(RATIO * usual, SessionForest.robustCut(windowMeans, SPREADS, 0));
        int n = means.length;
        boolean[] high = new boolean[n];
        int highCount = 0;
        for (int i = 0; i < n; i++) {
            WindowStats.TemplateCount c = windows.get(i).templates.get(id);
            high[i] = !Double.isNaN(means[i]) && means[i] >= threshold && c.valueCounts[f] >= settings.minCount();
            if (high[i]) highCount++;
        }
        if (highCount == 0 || highCount > MAX_HIGH_SHARE * m) return List.of();
        List<Shift> found = new ArrayList<>();
        for (int i = 0; i < n; ) {
            if (!high[i]) {
                i++;
                continue;
            }
            int j = i;
            double peak = 0;
            int peakAt = i;
            long values = 0;
            while (j < n && high[j]) {
                values += windows.get(j).templates.get(id).valueCounts[f];
                if (means[j] > peak) {
                    peak = means[j];
                    peakAt = j;
                }
                j++;
            }
            long span = (windows.get(j - 1).index - windows.get(i).index + 1) * context.windowMillis();
            if (span >= MIN_SPAN_MILLIS && reported.add(id + "\u0000" + f + "@" + windows.get(i).index)) {
                found.add(new Shift(id, f, i, j - 1, usual, peak, peakAt, values, m, threshold));
            }
            i = j;
        }
        return found;
    }

    /** Shifts that overlap in time are one anomaly, led by the largest ratio. */
    private List<Anomaly> group(List<WindowStats> windows, List<Shift> shifts) {
        shifts.sort(Comparator.comparingInt(Shift::first).thenComparing(Comparator.comparingDouble(Shift::ratio).reversed()));
        List<Anomaly> found = new ArrayList<>();
        List<Shift> group = new ArrayList<>();
        int groupLast = -1;
        for (Shift s : shifts) {
            if (!group.isEmpty() && s.first() > groupLast) {
                found.add(anomaly(windows, group));
                group = new ArrayList<>();
            }
            group.add(s);
            groupLast = Math.max(groupLast, s.last());
        }
        if (!group.isEmpty()) found.add(anomaly(windows, group));
        return found;
    }

    private Anomaly anomaly(List<WindowStats> windows, List<Shift> group) {
        group.sort(Comparator.comparingDouble(Shift::ratio).reversed());
        Shift lead = group.get(0);
        long w = context.windowMillis();
        int first = group.stream().mapToInt(Shift::first).min().orElseThrow();
        int last = group.stream().mapToInt(Shift::last).max().orElseThrow();
        Instant start = Instant.ofEpochMilli(windows.get(first).index * w);
        Instant end = Instant.ofEpochMilli((windows.get(last).index + 1) * w);
        String span = Explain.duration((windows.get(last).index - windows.get(first).index + 1) * w);
        Template template = context.template(lead.templateId());
        String pattern = template == null ? lead.templateId() : template.pattern();
        String field = fields[lead.field()];
        String title = "\"" + Explain.shorten(pattern, 60) + "\": " + field + " " + format(field, lead.peak())
                + " on average " + Explain.per(w) + ", usually " + format(field, lead.usual())
                + (lead.last() > lead.first() ? ", for " + span : "") + (group.size() > 1 ? " (+" + (group.size() - 1)
                + " more)" : "");
        StringBuilder explanation = new StringBuilder("The mean ").append(field).append(" of \"")
                .append(Explain.shorten(pattern, 120)).append("\" was ").append(format(field, lead.peak()))
                .append(" in the window at ").append(Instant.ofEpochMilli(windows.get(lead.peakAt()).index * w))
                .append(", where it is usually ").append(format(field, lead.usual())).append(" (")
                .append(Explain.number(Math.round(lead.ratio() * 10) / 10.0)).append("×); ")
                .append(Explain.plural(lead.values(), "value")).append(" in ").append(span).append(" from ")
                .append(start).append(".");
        if (group.size() > 1) {
            explanation.append(" Shifting with it:");
            for (Shift s : group.subList(1, Math.min(group.size(), 6))) {
                Template t = context.template(s.templateId());
                String f = fields[s.field()];
                explanation.append(" \"").append(Explain.shorten(t == null ? s.templateId() : t.pattern(), 80))
                        .append("\" ").append(f).append(" ").append(format(f, s.peak())).append(", usually ")
                        .append(format(f, s.usual())).append(";");
            }
            explanation.setLength(explanation.length() - 1);
            explanation.append(".");
        }
        List<Anomaly.Contributor> contributors = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (Shift s : group) {
            if (!named.add(s.templateId())) continue;
            Template t = context.template(s.templateId());
            contributors.add(new Anomaly.Contributor(s.templateId(), t == null ? "" : t.pattern(), s.values()));
            WindowStats.TemplateCount c = windows.get(s.peakAt()).templates.get(s.templateId());
            var example = c.valueMaxExample == null ? null : c.valueMaxExample[s.field()];
            if (example != null && evidence.size() < settings.maxEvidence()) {
                evidence.add(Evidence.of(example, s.templateId()));
            }
        }
        double score = Scoring.clamp(55 + 10 * log2(lead.ratio() / RATIO)
                + 5 * log2(lead.last() - lead.first() + 1));
        String details = "Window " + Explain.duration(w) + "; a window's mean over at least " + MIN_VALUES
                + " values, high at or above " + format(field, lead.threshold()) + " (" + Explain.number(RATIO)
                + " × the median of " + lead.windowsWithMeans() + " windows' means, and " + Explain.number(SPREADS)
                + " robust spreads above it) with at least " + settings.minCount() + " values. Scored 55 at "
                + Explain.number(RATIO) + "×, +10 for each doubling beyond, +5 for each doubling of its windows.";
        return new Anomaly(source, Detector.VALUE_SHIFT, score, scoring.severity(score), start, end,
                lead.templateId(), pattern, title, explanation.toString(), lead.usual(), lead.peak(), contributors,
                evidence, null, List.of(), List.of(), details);
    }

    private static double log2(double x) {
        return Math.log(Math.max(x, 1)) / Math.log(2);
    }

    /**
     * A field's value in its unit: sizes ({@code bytes}) in B, kB or MB; {@code _ms} fields in milliseconds; other
     * time fields ({@code request_time}: nginx writes seconds) in seconds; anything else as a number.
     */
    static String format(String field, double v) {
        String name = field.toLowerCase(java.util.Locale.ROOT);
        if (name.contains("bytes") || name.contains("size")) {
            if (v < 1000) return Explain.number(Math.round(v)) + " B";
            if (v < 1_000_000) return oneDecimal(v / 1000) + " kB";
            return oneDecimal(v / 1_000_000) + " MB";
        }
        if (name.endsWith("_ms")) return v < 1000 ? Explain.number(Math.round(v)) + " ms" : oneDecimal(v / 1000) + " s";
        if (name.contains("time") || name.contains("duration") || name.contains("latency")) {
            return v < 1 ? Explain.number(Math.round(v * 1000)) + " ms" : oneDecimal(v) + " s";
        }
        return Explain.number(v);
    }

    private static String oneDecimal(double v) {
        return v >= 10 ? Explain.number(Math.round(v)) : Explain.number(Math.round(v * 10) / 10.0);
    }
}
