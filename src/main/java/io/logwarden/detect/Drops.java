package io.logwarden.detect;

import io.logwarden.event.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Drops and stops: a template, a level or the whole source that was steady and then stops, or falls far below its
 * rate (a template or level to a tenth, the whole source to half), for several windows ("no `heartbeat ok` for
 * 4 min, usually 6 a minute"; "68 % fewer events for 90 s"). The first
 * and last windows of an input are partial and never judged, and the end of the input is not a stop: a template
 * counts as stopped there only while the rest of the source goes on. Nor is its start: a message that has not come
 * yet has not stopped.
 */
final class Drops implements SeriesJudge {

    /** A window counts as "down" at or below this share of the median count. */
    static final double DOWN_SHARE = 0.1;
    /**
     * For the whole source, a window counts as down at or below this share: its counts are large, so a fall to half
     * or less (a load balancer sending a third of the traffic, a partial outage upstream) for two windows or more is
     * far beyond chance, where a single template's half is often noise. The steadiness and Poisson tests still apply.
     */
    static final double SOURCE_DOWN_SHARE = 0.5;
    /** A window this share of the median or less (but above the down share) is all but down. */
    static final double LOW_SHARE = 0.25;
    /** A key is steady when it is present in at least this share of the windows outside its down runs. */
    static final double STEADY_PRESENCE = 0.9;

    private final String source;
    private final DetectionSettings settings;
    private final Scoring scoring;
    private final JobContext context;
    private final Set<String> reported = new HashSet<>();

    Drops(String source, DetectionSettings settings, Scoring scoring, JobContext context) {
        this.source = source;
        this.settings = settings;
        this.scoring = scoring;
        this.context = context;
    }

    /**
     * Finds the drops among consecutive windows (gaps filled with empty windows), in time order.
     *
     * @param complete true when the last window is the input's end (partial, not judged)
     */
    @Override
    public List<Anomaly> find(List<WindowStats> windows, boolean complete) {
        List<Anomaly> found = new ArrayList<>();
        int first = 1;
        int last = complete ? windows.size() - 2 : windows.size() - 1;
        if (last - first + 1 < 4) {
            return found;
        }
        Set<String> templates = new HashSet<>();
        for (int i = first; i <= last; i++) {
            templates.addAll(windows.get(i).templates.keySet());
        }
        // While the whole source was silent, every template was too: one anomaly says it.
        List<Anomaly> silences = judge(windows, first, last, "source", w -> w.events, null, "events", DOWN_SHARE);
        List<Anomaly> stopped = new ArrayList<>();
        for (String id : templates) {
            stopped.addAll(judge(windows, first, last, id, w -> w.count(id), id, null, DOWN_SHARE));
        }
        stopped.removeIf(a -> overlapsAny(a, silences));
        // The whole source at half its rate or less, judged on its own (a bursty source whose scattered quiet
        // windows make it unsteady at half can still be steady at a tenth): where it was not silent, and unless
        // messages that stopped account for most of what is missing (then they say more).
        List<Anomaly> falls = judge(windows, first, last, "source-fall", w -> w.events, null, "events",
                SOURCE_DOWN_SHARE).stream()
                .filter(a -> !silent(a) && !overlapsAny(a, silences) && explained(a, stopped) < 0.5).toList();
        List<Anomaly> levels = new ArrayList<>();
        for (Level level : new Level[] {Level.INFO, Level.DEBUG}) {
            levels.addAll(judge(windows, first, last, "level:" + level, w -> w.level(level), null,
                    level.name() + " events", DOWN_SHARE));
        }
        found.addAll(silences);
        found.addAll(falls);
        found.addAll(stopped);
        // A level is told only when no message of it and no fall of the whole source says it.
        levels.stream().filter(a -> !overlapsAny(a, silences) && !overlapsAny(a, falls) && !overlapsAny(a, stopped))
                .forEach(found::add);
        return found;
    }

    /** Whether a drop left a tenth of the usual count or less: the source (or message) was all but silent. */
    private boolean silent(Anomaly a) {
        return missing(a) >= (1 - DOWN_SHARE) * (missing(a) + a.observed());
    }

    /** Events a drop lacks: its usual count over its windows less what came. */
    private double missing(Anomaly a) {
        double windows = (double) (a.windowEnd().toEpochMilli() - a.windowStart().toEpochMilli()) / context.windowMillis();
        return a.expected() * windows - a.observed();
    }

    /** The share of a fall's missing events that the overlapping stops of single messages account for. */
    private double explained(Anomaly fall, List<Anomaly> stops) {
        double lacking = missing(fall);
        double told = stops.stream().filter(s -> overlapsAny(s, List.of(fall))).mapToDouble(this::missing).sum();
        return lacking <= 0 ? 1 : told / lacking;
    }

    private static boolean overlapsAny(Anomaly a, List<Anomaly> others) {
        return others.stream().anyMatch(o -> a.windowStart().isBefore(o.windowEnd()) && o.windowStart().isBefore(a.windowEnd()));
    }

    private List<Anomaly> judge(List<WindowStats> windows, int first, int last, String key,
                                ToLongFunction<WindowStats> count, String templateId, String what, double downShare) {
        int n = last - first + 1;
        long[] values = new long[n];
        for (int i = 0; i < n; i++) values[i] = count.applyAsLong(windows.get(first + i));
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        if (median < 1) {
            return List.of();
        }
        long down = (long) Math.floor(downShare * median);
        List<int[]> runs = new ArrayList<>();
        int scattered = 0;
        int outside = 0;
        for (int i = 0; i < n; ) {
            if (values[i] > down) {
                outside++;
                i++;
                continue;
            }
            int j = i;
            while (j < n && values[j] <= down) j++;
            if (j - i >= 2) runs.add(new int[] {i, j - 1});
            else {
                scattered++;
                outside++;
            }
            i = j;
        }
        if (runs.isEmpty() || outside == 0 || (double) (outside - scattered) / outside < STEADY_PRESENCE) {
            return List.of();
        }
        // Nor is a key steady that often all but stops on its own: a broker that logs a line or two in a quiet
        // quarter-minute and eighty in a busy one (median 8) falls silent by chance, whatever a Poisson test says.
        // Its falls to half are no news either. Silent windows are left out: they are what is judged.
        long low = (long) Math.floor(LOW_SHARE * median);
        long silent = (long) Math.floor(DOWN_SHARE * median);
        if (low >= 1) {
            int lows = 0;
            for (long v : values) {
                if (v > silent && v <= low) lows++;
            }
            if ((double) (n - lows) / n < STEADY_PRESENCE) return List.of();
        }
        // The usual rate: the mean of the windows outside the down runs (a median of 1 or 2 says little about 1.5),
        // each window counted at most at the least count that would be a spike over the median: a burst of the
        // message elsewhere in the input (90 disconnects a window during an attack, usually one) is not its rate.
        long cap = spikeCount(median);
        long outsideSum = 0;
        int outsideWindows = 0;
        for (int i = 0, r = 0; i < n; i++) {
            while (r < runs.size() && runs.get(r)[1] < i) r++;
            if (r < runs.size() && i >= runs.get(r)[0]) continue;
            outsideSum += Math.min(values[i], cap);
            outsideWindows++;
        }
        double usual = outsideWindows == 0 ? median : (double) outsideSum / outsideWindows;
        List<Anomaly> found = new ArrayList<>();
        for (int[] run : runs) {
            int len = run[1] - run[0] + 1;
            long seen = sumOf(values, run);
            double missing = usual * len - seen;
            if (missing < settings.minCount() || Poisson.lowerTail(seen, usual * len) >= Poisson.SIGNIFICANT) continue;
            boolean resumed = run[1] < n - 1;
            boolean sourceAlive = true;
            for (int i = run[0]; i <= run[1] && templateId != null; i++) {
                sourceAlive &= windows.get(first + i).events > 0;
            }
            if (!resumed && (templateId == null || !sourceAlive)) continue; // the end of the input is not a stop
            if (templateId != null && !seenBefore(windows, first + run[0], count)) continue; // it had not begun yet
            WindowStats startWindow = windows.get(first + run[0]);
            if (!reported.add(key + "@" + startWindow.index)) continue;
            found.add(anomaly(startWindow.index, windows.get(first + run[1]).index, usual, median, seen, resumed,
                    templateId, what, downShare));
        }
        return found;
    }

    /** {@code usual}: the mean per window outside the down runs; {@code median}: what the down share was taken of. */
    private Anomaly anomaly(long firstWindow, long lastWindow, double usual, double median, long seen, boolean resumed,
                            String templateId, String what, double downShare) {
        long w = context.windowMillis();
        long len = lastWindow - firstWindow + 1;
        Instant start = Instant.ofEpochMilli(firstWindow * w);
        Instant end = Instant.ofEpochMilli((lastWindow + 1) * w);
        String span = Explain.duration(len * w);
        String usualRate = Explain.rate(usual, w);
        double missing = usual * len - seen;
        double score = Scoring.clamp(60 + 5 * log2(missing / settings.minCount()) + 5 * log2(len));
        Template template = templateId == null ? null : context.template(templateId);
        String name = template == null ? what : "\"" + Explain.shorten(template.pattern(), 70) + "\"";
        double fell = 1 - seen / (usual * len);
        String title = seen == 0
                ? "No " + name + " for " + span + ", usually " + usualRate
                : Explain.percent(fell) + " fewer " + name + " for " + span + " (" + seen + " instead of about "
                        + Math.round(usual * len) + "), usually " + usualRate;
        String explanation = (template == null ? "The source's " + what : "The message " + name)
                + (seen == 0 ? " stopped" : " fell by " + Explain.percent(fell)) + " from " + start + " for " + span
                + (resumed ? " and then came back" : " while the rest of the source went on")
                + "; it usually comes " + usualRate + ".";
        String details = "Window " + Explain.duration(w) + "; " + len + " windows at or below "
                + Explain.percent(downShare) + " of the median " + Explain.number(median) + " per window"
                + (Explain.number(usual).equals(Explain.number(median)) ? ""
                        : " (" + Explain.number(usual) + " per window on average outside them)")
                + "; " + Math.round(missing) + " events missing.";
        List<Anomaly.Contributor> contributors = template == null ? List.of()
                : List.of(new Anomaly.Contributor(templateId, template.pattern(), seen));
        return new Anomaly(source, Detector.DROP, score, scoring.severity(score), start, end, templateId,
                template == null ? null : template.pattern(), title, explanation, usual, seen, contributors,
                List.of(), null, List.of(), List.of(), details);
    }

    /** Whether a key came in any window before {@code index}, the input's partial first window included. */
    private static boolean seenBefore(List<WindowStats> windows, int index, ToLongFunction<WindowStats> count) {
        for (int i = 0; i < index; i++) {
            if (count.applyAsLong(windows.get(i)) > 0) return true;
        }
        return false;
    }

    /** The least count in a window that chance alone would not give at a rate of {@code median}. */
    static long spikeCount(double median) {
        if (median > NORMAL_ABOVE) { // the tail sums underflow there; the normal approximation is close
            return (long) Math.ceil(median + SIGNIFICANT_SIGMAS * Math.sqrt(median));
        }
        long k = (long) Math.ceil(median + 3 * Math.sqrt(median)); // a tail of 1e-3 or more: not yet a spike
        while (Poisson.upperTail(k, median) >= Poisson.SIGNIFICANT) k++;
        return k;
    }

    /** Above this median a spike's count is taken from the normal approximation. */
    private static final double NORMAL_ABOVE = 200;
    /** The standard normal's one-sided tail at this many deviations is {@link Poisson#SIGNIFICANT}. */
    private static final double SIGNIFICANT_SIGMAS = 3.72;

    private static long sumOf(long[] values, int[] run) {
        long sum = 0;
        for (int i = run[0]; i <= run[1]; i++) sum += values[i];
        return sum;
    }

    private static double log2(double x) {
        return Math.log(Math.max(x, 1)) / Math.log(2);
    }
}
