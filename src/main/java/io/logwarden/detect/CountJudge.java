package io.logwarden.detect;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Judges the counts of each window against a baseline of other windows: error, warning and authentication-failure
 * bursts, the share of failing HTTP requests, and templates spiking far above their usual count. Consecutive
 * unusual windows of one kind become one anomaly.
 *
 * <p>Two kinds of baseline: for a source with a past, the windows before (rolling, in time order); for an input
 * that is its own baseline, every other window of the input. Either way the run of windows being reported is left
 * out of its own baseline, so a long incident does not become its own normal.
 *
 * <p>Not thread-safe.
 */
final class CountJudge {

    static final String ERRORS = "\u0000errors";
    static final String AUTH = "\u0000auth";
    static final String WARN = "\u0000warn";
    static final String SPIKES = "\u0000spikes";
    static final String SHARE = "\u0000http5xx";
    static final String ACTOR = "\u0000actor:";
    static final String STATUS = "\u0000status:";
    /**
     * The influencer fields that say who acts: an access log's client, a user, the first address in a text line.
     * Their busiest value in a window is judged against the busiest value of the other windows (Elastic's population
     * analysis: unusual against the population, not against the value's own past, which a new client lacks).
     */
    static final List<String> ACTOR_FIELDS = List.of("client", "user", "address");
    /** Templates listed with an actor spike: those at least this many times their usual count in its window. */
    static final double RISING = 2;

    /** Windows with fewer requests than this have no meaningful 5xx share. */
    static final int MIN_REQUESTS = 20;
    /** A share of failing requests this high is an incident even with no history. */
    static final double FAILING_SHARE = 0.10;
    /** How far above the baseline's 90th percentile a rolling count must be to be new rather than recurring. */
    static final double RECURRENCE_FACTOR = 1.5;
    /** Earlier separate runs at half the size or more that make a burst the source's rhythm. */
    static final int RHYTHM_RUNS = 3;
    /** Warning bursts score this share of an error burst of the same size, so they top out at High. */
    static final double WARNING_WEIGHT = 0.8;

    private final DetectionSettings settings;
    private final JobContext context;
    private final Map<String, Draft> active = new HashMap<>();
    private final List<Draft> finished = new ArrayList<>();
    /** At most this many counts (8 bytes each) are read ahead for {@link #templateSeries}. */
    static final long MAX_SERIES_CELLS = 2_000_000;
    /** The pool {@link #poolSeries} was read from (the windows of an input that is its own baseline), by identity. */
    private List<WindowStats> seriesPool;
    private Map<String, Series> poolSeries;
    private final long maxSeriesCells;

    CountJudge(DetectionSettings settings, JobContext context) {
        this(settings, context, MAX_SERIES_CELLS);
    }

    /** @param maxSeriesCells at most this many counts read ahead (0: every count looked up, as a test compares) */
    CountJudge(DetectionSettings settings, JobContext context, long maxSeriesCells) {
        this.settings = settings;
        this.context = context;
        this.maxSeriesCells = maxSeriesCells;
    }

    /**
     * @param window  the window to judge
     * @param pool    the baseline candidates: earlier windows (rolling) or every window of the input (its own baseline)
     * @param rolling true for a rolling baseline of earlier windows (then the recurrence gate applies)
     */
    void judge(WindowStats window, List<WindowStats> pool, boolean rolling) {
        double usualShare = usualServerErrorShare(pool, window);
        boolean errorBurst = false;
        if (!trafficExplainsErrors(window, usualShare)) {
            errorBurst = judgeKey(window, pool, rolling, ERRORS, Detector.ERROR_BURST, w -> w.errors);
        }
        if (!errorBurst) {
            judgeFailingShare(window, usualShare);
        }
        boolean authBurst = judgeKey(window, pool, rolling, AUTH, Detector.AUTH_FAILURE_BURST, w -> w.auth);
        boolean warnBurst = window.warnings >= 2L * settings.minCount()
                && judgeKey(window, pool, rolling, WARN, Detector.WARNING_BURST, w -> w.warnings);
        judgeSpikes(window, pool, rolling, errorBurst, authBurst, warnBurst);
        judgeActors(window, pool, rolling);
        judgeStatuses(window, pool, rolling);
        finishDraftsBefore(window.index);
    }

    /**
     * Each HTTP status of the window that no failure count covers (1xx, 3xx, a 2xx other than 200), judged on its own
     * count with the same rules as a template's: a redirect loop answers 301 a hundred times where the site answers
     * none, while every template (a path, any status) keeps its usual count. 4xx and 5xx are the bursts' (warnings,
     * errors, authentication failures), 200 is the traffic's.
     */
    private void judgeStatuses(WindowStats window, List<WindowStats> pool, boolean rolling) {
        TopValues statuses = window.allValues.get("status");
        if (statuses == null) return;
        for (Map.Entry<String, long[]> e : statuses.entries().entrySet()) {
            String status = e.getKey();
            long observed = e.getValue()[0];
            if (observed < settings.minCount() || !judgedStatus(status)) continue;
            Draft d = judged(window, pool, rolling, STATUS + status, Detector.STATUS_SPIKE, w -> statusCount(w, status),
                    () -> window.statusParts(status));
            if (d != null) {
                d.field = "status";
                d.actors.merge(status, observed, Long::sum);
                for (String id : window.statusParts(status).keySet()) { // the evidence: a line answered with this status
                    LogEvent example = window.statusExample(status, id);
                    LogEvent kept = d.examples.get(id);
                    if (example != null && (kept == null || !status.equals(kept.attributes().get("status")))) {
                        d.examples.put(id, example);
                    }
                }
            }
        }
    }

    /** Whether a status is one {@link #judgeStatuses} judges: three digits, 1xx, 3xx or a 2xx other than 200. */
    static boolean judgedStatus(String status) {
        if (status.length() != 3) return false;
        char c = status.charAt(0);
        return c == '1' || c == '3' || (c == '2' && !status.equals("200"));
    }

    private static long statusCount(WindowStats window, String status) {
        TopValues statuses = window.allValues.get("status");
        return statuses == null ? 0 : statuses.count(status);
    }

    private void judgeSpikes(WindowStats window, List<WindowStats> pool, boolean rolling,
                             boolean errorBurst, boolean authBurst, boolean warnBurst) {
        Draft draft = active.get(SPIKES);
        long runStart = draft != null && draft.lastWindow == window.index - 1 ? draft.firstWindow : window.index;
        String lead = null;
        double leadRatio = 0;
        boolean leadSays = false;
        RobustBaseline leadBaseline = null;
        Map<String, Long> spiking = new LinkedHashMap<>();
        long[] series = new long[pool.size()];
        Map<String, Series> byTemplate = rolling ? null : templateSeries(pool);
        // Where the window itself is in the pool, when it is the only window its baseline leaves out (no run goes on).
        int self = -1;
        if (byTemplate != null) {
            int left = 0;
            for (int p = 0, size = pool.size(); p < size; p++) {
                long index = pool.get(p).index;
                if (index >= runStart && index <= window.index) {
                    left++;
                    self = p;
                }
            }
            if (left != 1) self = -1;
        }
        for (Map.Entry<String, WindowStats.TemplateCount> e : window.templates.entrySet()) {
            WindowStats.TemplateCount c = e.getValue();
            if (c.count < settings.minCount()
                    || (errorBurst && c.errors * 2 > c.count) || (authBurst && c.auth * 2 > c.count)
                    || (warnBurst && c.warnings * 2 > c.count)) {
                continue; // too small to matter, or already told by a burst
            }
            String id = e.getKey();
            Series read = byTemplate == null ? null : byTemplate.get(id);
            RobustBaseline baseline;
            if (read != null && self >= 0) {
                long[] sorted = read.sorted();
                long own = read.counts()[self];
                int last = sorted.length - 1;
                if (last == 0 || sorted[last] == 0 || (own > 0 && sorted[last - 1] == 0)) {
                    continue; // absent from the whole baseline (as below)
                }
                baseline = RobustBaseline.ofSortedWithout(sorted, own);
            } else {
                long[] counts = read == null ? null : read.counts();
                int n = 0;
                boolean everSeen = false;
                for (int p = 0, size = pool.size(); p < size; p++) {
                    WindowStats past = pool.get(p);
                    if (past.index >= runStart && past.index <= window.index) continue;
                    long v = counts != null ? counts[p] : past.count(id);
                    everSeen |= v > 0;
                    series[n++] = v;
                }
                if (!everSeen) {
                    continue; // absent from the whole baseline: rare, which novelty judges, not spiking
                }
                baseline = RobustBaseline.of(series, n);
            }
            if (isUnusual(c.count, baseline, rolling)) {
                spiking.put(id, c.count);
                // a message that says something failed leads one that does not unless that one rose twice as much
                double ratio = c.count / Math.max(baseline.median(), 1) * (saysFailure(id) ? 2 : 1);
                boolean says = says(id);
                if (says && !leadSays || (says == leadSays && ratio > leadRatio)) {
                    leadRatio = ratio;
                    lead = id;
                    leadSays = says;
                    leadBaseline = baseline;
                }
            }
        }
        String leadId = lead;
        if (lead != null && !leadSays && wordless(lead)) {
            lead = null; // only numbers rose ("<*>": a statistics dump's histogram lines); what rose with them says more
        }
        if (lead != null && !isRhythm(pool, runStart, window.index, spiking.get(lead), w -> w.count(leadId))) {
            Draft d = draft(SPIKES, Detector.FREQUENCY_SPIKE, window);
            d.template = lead;
            d.extend(window, spiking.get(lead), leadBaseline, spiking, false);
        }
    }

    /**
     * Whether a template says something of its own: more than one token. A multi-line dump whose first line is only
     * its writer's prefix (MariaDB's {@code InnoDB: } before each part of a deadlock) spikes as much as the line that
     * tells what happened ("Transactions deadlock detected"), which then leads the spike.
     */
    private boolean says(String id) {
        Template t = context.template(id);
        return t == null || t.pattern().strip().indexOf(' ') > 0;
    }

    /** Whether a template has no word of its own: nothing but variables and punctuation ("<*>", "<*>: <*>"). */
    private boolean wordless(String id) {
        Template t = context.template(id);
        if (t == null) return false;
        String words = t.pattern().replace("<*>", "");
        for (int i = 0; i < words.length(); i++) {
            if (Character.isLetter(words.charAt(i))) return false;
        }
        return true;
    }

    /**
     * Whether a template says in its own words that something failed ({@link Novelty#FAILURE}): among messages rising
     * together, MariaDB's "Transactions deadlock detected" tells more than the "*** CONFLICTING WITH:" of its dump.
     */
    private boolean saysFailure(String id) {
        Template t = context.template(id);
        return t != null && Novelty.FAILURE.matcher(t.pattern()).find();
    }

    /**
     * For each {@link #ACTOR_FIELDS actor field}: is the window's busiest value far busier than the busiest value of
     * the other windows? A scraper at 7 requests a second among clients that make 2 at most, answered 200 throughout,
     * shows in no template's count by three times, nor in any error count. An actor whose events in the window are
     * mostly failures is left to the failures' own burst; a field absent from most windows is not judged.
     */
    private void judgeActors(WindowStats window, List<WindowStats> pool, boolean rolling) {
        for (String field : ACTOR_FIELDS) {
            long observed = window.busiest(field);
            if (observed < settings.minCount()) continue;
            TopValues values = window.allValues.get(field);
            String actor = values.busiest();
            TopValues bad = window.badValues.get(field);
            if (bad != null && 2 * bad.count(actor) > observed) continue;
            if (!steady(field, window, pool) || !population(field, pool)) continue;
            Draft d = judged(window, pool, rolling, ACTOR + field, Detector.ACTOR_SPIKE, w -> w.busiest(field), null);
            if (d != null) {
                d.field = field;
                d.actors.merge(actor, observed, Long::sum);
            }
        }
    }

    /** Distinct values a field must show over the windows to be a population: one client alone is only volume. */
    static final int POPULATION = 3;

    /**
     * Whether the field shows at least {@value #POPULATION} values over the pool: a database whose every client
     * connects from one address has no busiest address, only its volume, which the templates' counts judge.
     */
    private static boolean population(String field, List<WindowStats> pool) {
        Set<String> seen = new HashSet<>();
        for (WindowStats w : pool) {
            TopValues values = w.allValues.get(field);
            if (values == null) continue;
            for (String value : values.entries().keySet()) {
                if (seen.add(value) && seen.size() >= POPULATION) return true;
            }
        }
        return false;
    }

    /**
     * Whether the field has a value in at least half of the other windows: a field most events carry (an access log's
     * client), not an address a text log names now and then, whose busiest value is usually nothing.
     */
    private static boolean steady(String field, WindowStats window, List<WindowStats> pool) {
        int present = 0;
        int others = 0;
        for (WindowStats past : pool) {
            if (past == window) continue;
            others++;
            if (past.busiest(field) > 0) present++;
        }
        return others > 0 && 2 * present >= others;
    }

    /**
     * The window's templates at least {@value #RISING} times their usual count (and at least {@code min-count}),
     * largest rise first, at most eight: what an actor spike's events were.
     */
    private Map<String, Long> rising(WindowStats window, List<WindowStats> pool, long runStart) {
        List<Map.Entry<String, Long>> rise = new ArrayList<>();
        long[] series = new long[pool.size()];
        for (Map.Entry<String, WindowStats.TemplateCount> e : window.templates.entrySet()) {
            long count = e.getValue().count;
            if (count < settings.minCount()) continue;
            int n = 0;
            for (WindowStats past : pool) {
                if (past.index >= runStart && past.index <= window.index) continue;
                series[n++] = past.count(e.getKey());
            }
            double usual = RobustBaseline.of(series, n).median();
            if (count >= RISING * Math.max(usual, 1)
                    && Poisson.upperTail(count, Math.max(usual, 0.5)) < Poisson.SIGNIFICANT) {
                rise.add(Map.entry(e.getKey(), count - Math.round(usual)));
            }
        }
        rise.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        Map<String, Long> parts = new LinkedHashMap<>();
        rise.stream().limit(8).forEach(e -> parts.put(e.getKey(), window.count(e.getKey())));
        return parts;
    }

    /**
     * One template's count in every window of a pool, by the window's position, and the same counts sorted: the
     * baseline of each window is then the sorted counts without the window's own ({@link RobustBaseline#ofSortedWithout}),
     * not a series copied and sorted once a window and template.
     */
    private record Series(long[] counts, long[] sorted) {
    }

    /**
     * Each judged template's counts over {@code pool} ({@link Series}): an input that is its own baseline judges every
     * window against the same pool, so its counts are read and sorted once, not once a window and template. Only
     * templates that reach the minimum count in some window are judged; null (look the counts up) when their series
     * would take more than {@code maxSeriesCells} counts, both copies ({@link #MAX_SERIES_CELLS}: 16 MB).
     */
    private Map<String, Series> templateSeries(List<WindowStats> pool) {
        if (pool == seriesPool) return poolSeries;
        seriesPool = pool;
        poolSeries = null;
        int size = pool.size();
        Map<String, long[]> byTemplate = new HashMap<>();
        for (WindowStats w : pool) {
            for (Map.Entry<String, WindowStats.TemplateCount> e : w.templates.entrySet()) {
                if (e.getValue().count >= settings.minCount() && !byTemplate.containsKey(e.getKey())) {
                    if ((long) (byTemplate.size() + 1) * size * 2 > maxSeriesCells) return null;
                    byTemplate.put(e.getKey(), new long[size]);
                }
            }
        }
        for (int p = 0; p < size; p++) {
            for (Map.Entry<String, WindowStats.TemplateCount> e : pool.get(p).templates.entrySet()) {
                long[] counts = byTemplate.get(e.getKey());
                if (counts != null) counts[p] = e.getValue().count;
            }
        }
        Map<String, Series> read = new HashMap<>(byTemplate.size() * 2);
        byTemplate.forEach((id, counts) -> {
            long[] sorted = counts.clone();
            Arrays.sort(sorted);
            read.put(id, new Series(counts, sorted));
        });
        poolSeries = read;
        return poolSeries;
    }

    /** Judges one per-window count against the baseline; true when it is unusual (and drafted). */
    private boolean judgeKey(WindowStats window, List<WindowStats> pool, boolean rolling, String key, Detector detector,
                             ToLongFunction<WindowStats> count) {
        return judged(window, pool, rolling, key, detector, count, () -> parts(window, detector)) != null;
    }

    /**
     * Judges one per-window count against the baseline and, when it is unusual, drafts it: the draft, else null.
     *
     * @param parts the window's templates that made up the count (asked only then); null: those {@link #rising} in it
     */
    private Draft judged(WindowStats window, List<WindowStats> pool, boolean rolling, String key, Detector detector,
                         ToLongFunction<WindowStats> count, Supplier<Map<String, Long>> parts) {
        long observed = count.applyAsLong(window);
        if (observed < settings.minCount()) {
            return null;
        }
        Draft draft = active.get(key);
        long runStart = draft != null && draft.lastWindow == window.index - 1 ? draft.firstWindow : window.index;
        long[] series = new long[pool.size()];
        int n = 0;
        for (WindowStats past : pool) {
            if (past.index >= runStart && past.index <= window.index) continue;
            series[n++] = count.applyAsLong(past);
        }
        RobustBaseline baseline = RobustBaseline.of(series, n);
        if (!isUnusual(observed, baseline, rolling) || isRhythm(pool, runStart, window.index, observed, count)) {
            return null;
        }
        Draft d = draft(key, detector, window);
        d.extend(window, observed, baseline, parts != null ? parts.get() : rising(window, pool, runStart),
                detector != Detector.ACTOR_SPIKE && detector != Detector.STATUS_SPIKE);
        return d;
    }

    /** The window's templates that made up a finding of this detector, largest share first, at most eight. */
    private static Map<String, Long> parts(WindowStats window, Detector detector) {
        Map<String, Long> parts = new LinkedHashMap<>();
        window.templates.entrySet().stream()
                .filter(e -> partOf(detector, e.getValue()) > 0)
                .sorted(Comparator.comparingLong(e -> -partOf(detector, e.getValue())))
                .limit(8)
                .forEach(e -> parts.put(e.getKey(), partOf(detector, e.getValue())));
        return parts;
    }

    private static long partOf(Detector detector, WindowStats.TemplateCount c) {
        return switch (detector) {
            case ERROR_BURST, HTTP_5XX_RATIO -> c.errors;
            case AUTH_FAILURE_BURST -> c.auth;
            case WARNING_BURST -> c.warnings;
            default -> c.count;
        };
    }

    /**
     * A count is unusual when it is large enough to matter, several times the median, many robust spreads above it,
     * too improbable to be chance at the median's rate, and (rolling baselines) well above what the busiest tenth of
     * past windows reached.
     */
    private boolean isUnusual(long observed, RobustBaseline baseline, boolean rolling) {
        return observed >= settings.minCount()
                && observed >= settings.minRatio() * Math.max(baseline.median(), 1)
                && baseline.z(observed) >= settings.sensitivity()
                && Poisson.upperTail(observed, Math.max(baseline.median(), 0.5)) < Poisson.SIGNIFICANT
                && (!rolling || observed >= RECURRENCE_FACTOR * baseline.p90());
    }

    /**
     * A burst that comes {@value #RHYTHM_RUNS} times or more elsewhere in the baseline at half its size or more is the
     * source's rhythm (a flush every few minutes), not an incident.
     */
    private static boolean isRhythm(List<WindowStats> pool, long runStart, long current, long observed,
                                    ToLongFunction<WindowStats> count) {
        int runs = 0;
        boolean inRun = false;
        long previous = Long.MIN_VALUE;
        for (WindowStats past : pool) {
            if (past.index >= runStart && past.index <= current) {
                inRun = false;
                continue;
            }
            boolean high = 2 * count.applyAsLong(past) >= observed;
            if (high && (!inRun || past.index != previous + 1)) runs++;
            inRun = high;
            previous = past.index;
        }
        return runs >= RHYTHM_RUNS;
    }

    /** The median 5xx share of the baseline windows that served requests; -1 when there are none. */
    private static double usualServerErrorShare(List<WindowStats> pool, WindowStats window) {
        double[] shares = new double[pool.size()];
        int n = 0;
        for (WindowStats past : pool) {
            if (past != window && past.requests >= MIN_REQUESTS) {
                shares[n++] = (double) past.serverErrors / past.requests;
            }
        }
        if (n == 0) return -1;
        java.util.Arrays.sort(shares, 0, n);
        return n % 2 == 1 ? shares[n / 2] : (shares[n / 2 - 1] + shares[n / 2]) / 2;
    }

    /** More 5xx because there is more traffic is not an incident: the share of failing requests must rise too. */
    private static boolean trafficExplainsErrors(WindowStats window, double usualShare) {
        if (usualShare < 0 || window.requests < MIN_REQUESTS || window.serverErrors == 0) {
            return false;
        }
        double share = (double) window.serverErrors / window.requests;
        return share < Math.max(2 * usualShare, usualShare + 0.02);
    }

    /**
     * A window where a large share of requests failed is an incident even when the count is not unusual, and even
     * with no history at all: 80 × 500 among 380 requests in one second.
     */
    private void judgeFailingShare(WindowStats window, double usualShare) {
        if (window.requests < Math.max(settings.minCount(), 10) || window.serverErrors < settings.minCount()) {
            return;
        }
        double share = (double) window.serverErrors / window.requests;
        double usual = Math.max(usualShare, 0);
        if (share >= FAILING_SHARE && share >= Math.max(settings.minRatio() * usual, usual + 0.05)) {
            long expected = Math.round(usual * window.requests);
            RobustBaseline baseline = new RobustBaseline(expected, Math.max(Math.sqrt(expected), 1), expected);
            draft(SHARE, Detector.HTTP_5XX_RATIO, window).extend(window, window.serverErrors, baseline,
                    parts(window, Detector.HTTP_5XX_RATIO), true);
        }
    }

    private Draft draft(String key, Detector detector, WindowStats window) {
        Draft draft = active.get(key);
        if (draft == null || draft.lastWindow != window.index - 1) {
            if (draft != null) close(key, draft);
            draft = new Draft(detector, window.index);
            active.put(key, draft);
        }
        return draft;
    }

    private void finishDraftsBefore(long windowIndex) {
        active.entrySet().removeIf(e -> {
            if (e.getValue().lastWindow < windowIndex) {
                close(e.getKey(), e.getValue());
                return true;
            }
            return false;
        });
    }

    private void close(String key, Draft draft) {
        finished.add(draft);
    }

    /** Closes the drafts still open and returns every finding of the input, in the order they closed. */
    List<Draft> finish() {
        active.forEach(this::close);
        active.clear();
        return finished;
    }

    /** An anomaly being built over consecutive windows. */
    final class Draft {
        final Detector detector;
        final long firstWindow;
        long lastWindow;
        String template;
        /** An actor spike's field, and the busiest values of its windows with their counts. */
        String field;
        final Map<String, Long> actors = new LinkedHashMap<>();
        long peak;
        long total;
        long peakWindow;
        RobustBaseline peakBaseline;
        long requests;
        long serverErrors;
        boolean badEvents;
        final List<WindowStats> windows = new ArrayList<>();
        final Map<String, Long> contributors = new LinkedHashMap<>();
        final Map<String, LogEvent> examples = new LinkedHashMap<>();
        final Map<String, Long> exceptions = new LinkedHashMap<>();

        Draft(Detector detector, long firstWindow) {
            this.detector = detector;
            this.firstWindow = firstWindow;
        }

        void extend(WindowStats window, long observed, RobustBaseline baseline, Map<String, Long> parts, boolean bad) {
            lastWindow = window.index;
            windows.add(window);
            badEvents = bad;
            total += observed;
            requests += window.requests;
            serverErrors += window.serverErrors;
            if (observed > peak) {
                peak = observed;
                peakWindow = window.index;
                peakBaseline = baseline;
            }
            parts.forEach((id, n) -> {
                contributors.merge(id, n, Long::sum);
                WindowStats.TemplateCount c = window.templates.get(id);
                LogEvent example = c == null ? null : bad && c.badExample != null ? c.badExample : c.example;
                if (example != null && !examples.containsKey(id)) {
                    examples.put(id, example);
                }
            });
            if (detector != Detector.FREQUENCY_SPIKE && detector != Detector.ACTOR_SPIKE
                    && detector != Detector.STATUS_SPIKE) {
                window.exceptions.forEach((name, n) -> exceptions.merge(name, n, Long::sum));
            }
        }

        long windowMillis() {
            return context.windowMillis();
        }

        Template templateOf(String id) {
            return context.template(id);
        }

        int windowCount() {
            return (int) (lastWindow - firstWindow + 1);
        }

        long level(Level level) {
            return windows.stream().mapToLong(w -> w.level(level)).sum();
        }
    }
}
