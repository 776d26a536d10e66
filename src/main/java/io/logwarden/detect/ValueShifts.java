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
    /** The most windows judged as one for a template whose values are sparse. */
    static final int MAX_BLOCK = 16;

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
                         long values, int windowsWithMeans, boolean riseLeftOut, double threshold, int block) {
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
        long[] counts = new long[n];
        double[] sums = new double[n];
        for (String id : ids.stream().sorted().toList()) {
            for (int f = 0; f < fields.length; f++) {
                for (int i = 0; i < n; i++) {
                    WindowStats.TemplateCount c = windows.get(i).templates.get(id);
                    boolean has = c != null && c.valueCounts != null && f < c.valueCounts.length;
                    counts[i] = has ? c.valueCounts[f] : 0;
                    sums[i] = has ? c.valueSums[f] : 0;
                }
                shifts.addAll(judge(windows, id, f, counts, sums));
            }
        }
        return group(windows, shifts);
    }

    /**
     * How many consecutive windows are judged as one: 1, or for a template that logs its values too seldom for a
     * window to hold {@code min-count} of them (PostgreSQL's duration of a query run every few seconds), the fewest
     * of 2, 4, 8 or 16 windows that usually do, as long as {@value #MIN_WINDOWS} such blocks remain.
     */
    private int blockSize(long[] counts) {
        long need = Math.max(MIN_VALUES, settings.minCount());
        for (int k = 1; k <= MAX_BLOCK; k *= 2) {
            int blocks = (counts.length + k - 1) / k;
            if (blocks < MIN_WINDOWS) return k == 1 ? 1 : k / 2;
            long[] sums = new long[blocks];
            int present = 0;
            for (int i = 0; i < counts.length; i++) sums[i / k] += counts[i];
            for (long v : sums) if (v > 0) sums[present++] = v;
            if (present == 0) return 1;
            long[] kept = Arrays.copyOf(sums, present);
            Arrays.sort(kept);
            if (kept[present / 2] >= need) return k;
        }
        return MAX_BLOCK;
    }

    private List<Shift> judge(List<WindowStats> windows, String id, int f, long[] windowCounts, double[] windowSums) {
        int k = blockSize(windowCounts);
        int blocks = (windowCounts.length + k - 1) / k;
        long[] counts = new long[blocks];
        double[] means = new double[blocks];
        for (int i = 0; i < windowCounts.length; i++) {
            counts[i / k] += windowCounts[i];
            means[i / k] += windowSums[i];
        }
        double[] present = new double[blocks];
        int m = 0;
        for (int b = 0; b < blocks; b++) {
            means[b] = counts[b] >= MIN_VALUES ? means[b] / counts[b] : Double.NaN;
            if (!Double.isNaN(means[b])) present[m++] = means[b];
        }
        if (m < MIN_WINDOWS) return List.of();
        double[] blockMeans = Arrays.copyOf(present, m);
        double usual = SessionForest.median(blockMeans);
        if (!(usual > 0)) return List.of();
        double floor = minRise(fields[f]);
        double threshold = threshold(blockMeans, usual, floor);
        boolean[] high = high(means, counts, threshold);
        int baseline = m;
        if (count(high) == 0) {
            // A rise over a third of a short file lifts the median it is judged against: judge one rise of up to
            // half the spans against the spans outside it (where it rose above 3 × the lower quartile)
            Arrays.sort(blockMeans);
            boolean[] rise = high(means, counts, RATIO * blockMeans[(m - 1) / 4]);
            int risen = count(rise);
            if (risen > 0 && runs(rise) == 1 && 2 * risen <= m) {
                double[] rest = new double[m];
                int r = 0;
                for (int b = 0; b < blocks; b++) if (!rise[b] && !Double.isNaN(means[b])) rest[r++] = means[b];
                rest = Arrays.copyOf(rest, r);
                usual = SessionForest.median(rest);
                if (!(usual > 0)) return List.of();
                threshold = threshold(rest, usual, floor);
                high = high(means, counts, threshold);
                baseline = r;
            }
        }
        int highCount = count(high);
        // Often high, at several times, is a template whose values vary; one long rise is a shift, however long
        if (highCount == 0 || (highCount > MAX_HIGH_SHARE * m && runs(high) > 1)) return List.of();
        List<Shift> found = new ArrayList<>();
        for (int b = 0; b < blocks; ) {
            if (!high[b]) {
                b++;
                continue;
            }
            int j = b;
            double peak = 0;
            int peakBlock = b;
            long values = 0;
            while (j < blocks && high[j]) {
                values += counts[j];
                if (means[j] > peak) {
                    peak = means[j];
                    peakBlock = j;
                }
                j++;
            }
            int first = b * k;
            int last = Math.min(windowCounts.length, j * k) - 1;
            long span = (windows.get(last).index - windows.get(first).index + 1) * context.windowMillis();
            if (span >= MIN_SPAN_MILLIS && reported.add(id + "\u0000" + f + "@" + windows.get(first).index)) {
                found.add(new Shift(id, f, first, last, usual, peak, largestIn(windows, id, f, peakBlock * k,
                        Math.min(windowCounts.length, (peakBlock + 1) * k)), values, baseline, baseline < m, threshold, k));
            }
            b = j;
        }
        return found;
    }

    /**
     * {@value #RATIO} × the usual mean, or median + {@value #SPREADS} × 1.4826 × MAD if higher (the session forest's
     * cut), and at least {@code rise} above the usual mean.
     */
    private static double threshold(double[] means, double usual, double rise) {
        return Math.max(usual + rise, Math.max(RATIO * usual, SessionForest.robustCut(means, SPREADS, 0)));
    }

    /** A time is slower by {@value #MIN_DELAY_MILLIS} ms at least: a cache's hits at 0 ms and misses at 11 ms are no incident. */
    static final double MIN_DELAY_MILLIS = 50;

    /** The least rise of a field's mean that counts: {@link #MIN_DELAY_MILLIS} for a time (in its unit), else none. */
    static double minRise(String field) {
        return switch (unit(field)) {
            case MILLIS -> MIN_DELAY_MILLIS;
            case SECONDS -> MIN_DELAY_MILLIS / 1000;
            case BYTES, NUMBER -> 0;
        };
    }

    private enum Unit { BYTES, MILLIS, SECONDS, NUMBER }

    /** Sizes ({@code bytes}), {@code _ms} fields, other time fields ({@code request_time}: nginx writes seconds). */
    private static Unit unit(String field) {
        String name = field.toLowerCase(java.util.Locale.ROOT);
        if (name.contains("bytes") || name.contains("size")) return Unit.BYTES;
        if (name.endsWith("_ms")) return Unit.MILLIS;
        if (name.contains("time") || name.contains("duration") || name.contains("latency")) return Unit.SECONDS;
        return Unit.NUMBER;
    }

    /** The spans whose mean is at or above {@code threshold}, with at least {@code min-count} values. */
    private boolean[] high(double[] means, long[] counts, double threshold) {
        boolean[] high = new boolean[means.length];
        for (int b = 0; b < means.length; b++) {
            high[b] = !Double.isNaN(means[b]) && means[b] >= threshold && counts[b] >= settings.minCount();
        }
        return high;
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) if (f) n++;
        return n;
    }

    /** How many separate runs of consecutive true values {@code flags} has. */
    private static int runs(boolean[] flags) {
        int runs = 0;
        for (int b = 0; b < flags.length; b++) if (flags[b] && (b == 0 || !flags[b - 1])) runs++;
        return runs;
    }

    /** The window of {@code [from, to)} that holds the template's largest value of field {@code f}. */
    private static int largestIn(List<WindowStats> windows, String id, int f, int from, int to) {
        int at = from;
        double largest = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            WindowStats.TemplateCount c = windows.get(i).templates.get(id);
            if (c != null && c.valueCounts != null && f < c.valueCounts.length && c.valueCounts[f] > 0
                    && c.valueMax[f] > largest) {
                largest = c.valueMax[f];
                at = i;
            }
        }
        return at;
    }

    /** The name field {@code f} of a template's values is shown under ({@link MessageValues}' column by its unit). */
    private String fieldName(int f, String pattern) {
        return MessageValues.NAME.equals(fields[f]) ? MessageValues.nameOf(MessageValues.unitOf(pattern)) : fields[f];
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
        String field = fieldName(lead.field(), pattern);
        long judged = lead.block() * w;
        String title = "\"" + Explain.shorten(pattern, 60) + "\": " + field + " " + format(field, lead.peak())
                + " on average " + Explain.per(judged) + ", usually " + format(field, lead.usual())
                + (lead.last() > lead.first() ? ", for " + span : "") + (group.size() > 1 ? " (+" + (group.size() - 1)
                + " more)" : "");
        StringBuilder explanation = new StringBuilder("The mean ").append(field).append(" of \"")
                .append(Explain.shorten(pattern, 120)).append("\" was ").append(format(field, lead.peak()))
                .append(lead.block() > 1 ? " in the " + Explain.duration(judged) + " from " : " in the window at ")
                .append(Instant.ofEpochMilli(windows.get(lead.peakAt() / lead.block() * lead.block()).index * w))
                .append(", where it is usually ").append(format(field, lead.usual())).append(" (")
                .append(Explain.number(Math.round(lead.ratio() * 10) / 10.0)).append("×); ")
                .append(Explain.plural(lead.values(), "value")).append(" in ").append(span).append(" from ")
                .append(start).append(".");
        if (group.size() > 1) {
            explanation.append(" Shifting with it:");
            for (Shift s : group.subList(1, Math.min(group.size(), 6))) {
                Template t = context.template(s.templateId());
                String f = fieldName(s.field(), t == null ? null : t.pattern());
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
        double floor = minRise(field);
        String details = "Window " + Explain.duration(w) + (lead.block() > 1 ? ", its values judged " + Explain.per(judged)
                + " (too few per window)" : "") + "; a " + (lead.block() > 1 ? "span" : "window") + "'s mean over at least "
                + MIN_VALUES
                + " values, high at or above " + format(field, lead.threshold()) + " (" + Explain.number(RATIO)
                + " × the median of " + lead.windowsWithMeans() + (lead.block() > 1 ? " such spans'" : " windows'")
                + " means" + (lead.riseLeftOut() ? " outside the rise" : "") + (floor > 0 ? ", " : ", and ")
                + Explain.number(SPREADS) + " robust spreads above it"
                + (floor > 0 ? " and at least " + format(field, floor) + " above it" : "")
                + ") with at least " + settings.minCount() + " values. Scored 55 at "
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
        return switch (unit(field)) {
            case BYTES -> v < 1000 ? Explain.number(Math.round(v)) + " B"
                    : v < 1_000_000 ? oneDecimal(v / 1000) + " kB" : oneDecimal(v / 1_000_000) + " MB";
            case MILLIS -> v < 1000 ? Explain.number(Math.round(v)) + " ms" : oneDecimal(v / 1000) + " s";
            case SECONDS -> v < 1 ? Explain.number(Math.round(v * 1000)) + " ms" : oneDecimal(v) + " s";
            case NUMBER -> Explain.number(v);
        };
    }

    private static String oneDecimal(double v) {
        return v >= 10 ? Explain.number(Math.round(v)) : Explain.number(Math.round(v * 10) / 10.0);
    }
}
