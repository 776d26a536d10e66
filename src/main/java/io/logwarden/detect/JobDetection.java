package io.logwarden.detect;

import io.logwarden.config.DetectProperties;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Detection state of one job: mines templates, counts them in fixed windows, and judges each window against a
 * rolling baseline of the windows before it as soon as it closes, so memory stays bounded whatever the input's
 * length (only the open windows keep evidence lines).
 *
 * <p>Not thread-safe: {@link DetectionEngine} serialises the calls for a job.
 */
final class JobDetection {

    private static final String ERRORS_KEY = "\u0000errors";
    private static final String AUTH_KEY = "\u0000auth";
    private static final String WARN_KEY = "\u0000warn";
    private static final String SPIKES_KEY = "\u0000spikes";

    private final String source;
    private final TemplateMiner miner;
    private final Set<String> knownTemplates;
    private final Set<String> learnedInJob = new HashSet<>();
    private final DetectProperties props;
    private final Scoring scoring;
    private final long windowMillis;
    private Instant learningUntil;

    private final TreeMap<Long, Window> open = new TreeMap<>();
    private final ArrayDeque<Window> history = new ArrayDeque<>();
    private long lastClosed = Long.MIN_VALUE;
    private long maxWindow = Long.MIN_VALUE;
    private Window current;

    private final Map<String, Draft> active = new HashMap<>();
    private final List<Anomaly> anomalies = new ArrayList<>();
    private final Map<String, NewTemplate> newTemplates = new LinkedHashMap<>();
    private final Map<String, Boolean> authTemplates = new HashMap<>();

    private long events;
    private long lateEvents;
    private final long[] levels = new long[Level.values().length];
    private Instant firstEvent;
    private Instant lastEvent;
    private final Map<String, long[]> templateCounts = new HashMap<>();
    private final Map<String, Instant[]> templateSeen = new HashMap<>();
    private final TreeMap<Long, long[]> timeline = new TreeMap<>();

    /** Count vectors of the closed windows, for the Isolation Forest; the most recent {@value #MAX_VECTORS}. */
    static final int MAX_VECTORS = 20_000;
    private final ArrayDeque<long[]> vectorIndex = new ArrayDeque<>();
    private final ArrayDeque<WindowIsolationDetector.WindowCounts> vectors = new ArrayDeque<>();
    private WindowIsolationDetector windowModel;
    private final boolean windowModelStale;
    private boolean windowModelTrained;
    private final SessionDetector sessions;

    /**
     * @param knownTemplates ids the source knew before this job
     * @param sourceFirstEvent the source's first event ever, or null when this job is its first
     */
    JobDetection(String source, TemplateMiner miner, Set<String> knownTemplates, Instant sourceFirstEvent,
                 DetectProperties props) {
        this(source, miner, knownTemplates, sourceFirstEvent, props, null, true, null);
    }

    /**
     * @param windowModel      the source's trained window forest, or null
     * @param windowModelStale true when it is missing or older than the retraining interval: retrain at the end
     * @param sessions         the session detector (with its model, if any), or null when sessions are off
     */
    JobDetection(String source, TemplateMiner miner, Set<String> knownTemplates, Instant sourceFirstEvent,
                 DetectProperties props, WindowIsolationDetector windowModel, boolean windowModelStale,
                 SessionDetector sessions) {
        this.windowModel = windowModel;
        this.windowModelStale = windowModelStale;
        this.sessions = sessions;
        this.source = source;
        this.miner = miner;
        this.knownTemplates = knownTemplates;
        this.props = props;
        this.scoring = new Scoring(props.severity());
        this.windowMillis = props.window().toMillis();
        this.learningUntil = sourceFirstEvent == null ? null : sourceFirstEvent.plus(props.learningPeriod());
    }

    /** A miner with the configured settings and user masks, empty: the settings {@link DetectionEngine} uses. */
    static TemplateMiner.Builder minerConfig(DetectProperties props) {
        TemplateMiner.Builder builder = TemplateMiner.builder()
                .depth(props.miner().depth())
                .similarity(props.miner().similarity())
                .maxChildren(props.miner().maxChildren());
        props.masks().forEach(builder::mask);
        return builder;
    }

    TemplateMiner miner() {
        return miner;
    }

    /** The window forest if this job trained a new one (to be saved), else null. */
    WindowIsolationDetector trainedWindowModel() {
        return windowModelTrained ? windowModel : null;
    }

    int windowVectors() {
        return vectors.size();
    }

    SessionDetector sessions() {
        return sessions;
    }

    Map<String, Instant[]> templateSeen() {
        return templateSeen;
    }

    Instant firstEvent() {
        return firstEvent;
    }

    Instant lastEvent() {
        return lastEvent;
    }

    long events() {
        return events;
    }

    void observe(LogEvent event) {
        Template template = miner.add(event.message());
        String id = template.id();
        Instant ts = event.timestamp();
        events++;
        levels[event.level().ordinal()]++;
        templateCounts.computeIfAbsent(id, k -> new long[1])[0]++;
        if (ts == null) {
            return; // the validator quarantines these; counted, but not placed in time
        }
        if (firstEvent == null || ts.isBefore(firstEvent)) {
            firstEvent = ts;
        }
        if (lastEvent == null || ts.isAfter(lastEvent)) {
            lastEvent = ts;
        }
        if (learningUntil == null) {
            learningUntil = ts.plus(props.learningPeriod());
        }
        Instant[] seen = templateSeen.get(id);
        if (seen == null) {
            templateSeen.put(id, new Instant[] {ts, ts});
        } else {
            if (ts.isBefore(seen[0])) seen[0] = ts;
            if (ts.isAfter(seen[1])) seen[1] = ts;
        }
        noteNovelty(event, template, ts);
        if (sessions != null) {
            List<String> keys = props.sessions().key().isBlank() ? sessions.sessionKeys(event.attributes())
                    : sessions.sessionKeys(event.message());
            for (String key : keys) {
                sessions.observe(key, template, event.level(), event.raw());
            }
        }

        long w = Math.floorDiv(ts.toEpochMilli(), windowMillis);
        boolean error = event.level().isError();
        boolean auth = authTemplates.computeIfAbsent(id, k -> AuthFailures.isAuthFailureText(template.pattern()))
                || AuthFailures.isAuthFailureStatus(event);
        long[] point = timeline.computeIfAbsent(w, k -> new long[2]);
        point[0]++;
        if (error) point[1]++;

        Window window = windowFor(w);
        if (window != null) {
            window.add(id, event, error, auth, props.maxEvidence());
            window.levels[event.level().ordinal()]++;
            String status = event.attributes().get("status");
            if (status != null && status.length() == 3) {
                window.requests++;
                if (status.charAt(0) == '5') window.serverErrors++;
            }
            if (error && window.exceptions.size() < 20) {
                for (String name : ExceptionSignatures.of(event.message())) {
                    window.exceptions.merge(name, 1L, Long::sum);
                }
            }
        } else {
            lateEvents++;
        }
    }

    private void noteNovelty(LogEvent event, Template template, Instant ts) {
        String id = template.id();
        if (knownTemplates.contains(id) || learnedInJob.contains(id)) {
            return;
        }
        NewTemplate candidate = newTemplates.get(id);
        if (candidate == null) {
            if (ts.isBefore(learningUntil)) {
                learnedInJob.add(id);
                return;
            }
            candidate = new NewTemplate(id, ts);
            newTemplates.put(id, candidate);
        }
        candidate.add(event, props.maxEvidence());
    }

    /** The window for index w, closing the windows that are now too old to receive events. */
    private Window windowFor(long w) {
        if (current != null && current.index == w) {
            return current;
        }
        if (w <= lastClosed) {
            return null; // later than the allowed lateness: counted in the statistics, not judged again
        }
        if (w > maxWindow) {
            maxWindow = w;
            // One window of lateness: events may arrive slightly out of order across sources and threads.
            while (!open.isEmpty() && open.firstKey() < w - 1) {
                close(open.pollFirstEntry().getValue());
            }
        }
        current = open.computeIfAbsent(w, Window::new);
        return current;
    }

    private void close(Window window) {
        // Windows without events are part of the baseline: a template absent for ten minutes has count zero there.
        if (lastClosed != Long.MIN_VALUE) {
            long gap = Math.min(window.index - lastClosed - 1, props.baselineWindows());
            for (long i = window.index - gap; i < window.index; i++) {
                remember(new Window(i));
            }
        }
        if (history.size() >= props.minBaselineWindows()) {
            judge(window);
        }
        finishDraftsNotIn(window.index);
        window.dropEvidence();
        if (props.forest().enabled() && !window.templates.isEmpty()) {
            vectors.addLast(window.vector());
            vectorIndex.addLast(new long[] {window.index});
            if (vectors.size() > MAX_VECTORS) {
                vectors.removeFirst();
                vectorIndex.removeFirst();
            }
        }
        remember(window);
        lastClosed = window.index;
        if (current == window) {
            current = null;
        }
    }

    private void remember(Window window) {
        history.addLast(window);
        while (history.size() > props.baselineWindows()) {
            history.removeFirst();
        }
    }

    private void judge(Window window) {
        long[] series = new long[history.size()];
        double usualRatio = usualServerErrorRatio();
        boolean errorBurst = !trafficExplainsErrors(window, usualRatio)
                && judgeBurst(window, ERRORS_KEY, Detector.ERROR_BURST, series, w -> w.errors,
                window.errorEvidence, contributors(window, c -> c.errors));
        if (!errorBurst) {
            judgeServerErrorRatio(window, usualRatio);
        }
        boolean authBurst = judgeBurst(window, AUTH_KEY, Detector.AUTH_FAILURE_BURST, series, w -> w.auth,
                window.authEvidence, contributors(window, c -> c.auth));
        // Warnings are common (every 404 is one): a warning burst needs twice min-count.
        boolean warnBurst = window.levels[Level.WARN.ordinal()] >= 2L * props.minCount()
                && judgeBurst(window, WARN_KEY, Detector.WARNING_BURST, series,
                w -> w.levels[Level.WARN.ordinal()], window.warnEvidence, contributors(window, c -> c.warnings));

        // Templates that spike together are one anomaly; the template furthest above its baseline leads it.
        List<Anomaly.Contributor> spiking = new ArrayList<>();
        List<LogEvent> evidence = new ArrayList<>();
        long leadObserved = 0;
        double leadRatio = 0;
        RobustBaseline leadBaseline = null;
        Template lead = null;
        for (Map.Entry<String, Window.Count> entry : window.templates.entrySet()) {
            String id = entry.getKey();
            Window.Count count = entry.getValue();
            if (newTemplates.containsKey(id)
                    || (errorBurst && count.errors * 2 > count.count)
                    || (authBurst && count.auth * 2 > count.count)
                    || (warnBurst && count.warnings * 2 > count.count)) {
                continue; // already told by the new-template detector or one of the bursts
            }
            int n = 0;
            boolean everSeen = false;
            for (Window past : history) {
                Window.Count c = past.templates.get(id);
                long value = c == null ? 0 : c.count;
                everSeen |= value > 0;
                series[n++] = value;
            }
            if (!everSeen) {
                continue; // absent from the whole baseline: rare, not spiking
            }
            RobustBaseline baseline = RobustBaseline.of(series, n);
            if (isUnusual(count.count, baseline)) {
                Template template = miner.byId(id);
                spiking.add(new Anomaly.Contributor(id, template == null ? null : template.pattern(), count.count));
                double ratio = count.count / Math.max(baseline.median(), 1);
                if (ratio > leadRatio) {
                    leadRatio = ratio;
                    lead = template;
                    leadObserved = count.count;
                    leadBaseline = baseline;
                    evidence.addAll(0, count.evidence);
                } else {
                    evidence.addAll(count.evidence);
                }
            }
        }
        if (lead != null) {
            spiking.sort(Comparator.comparingLong(c -> -c.count()));
            draft(SPIKES_KEY, Detector.FREQUENCY_SPIKE, lead, window, leadObserved, leadBaseline, evidence, spiking);
        }
    }

    static final String HTTP_5XX_KEY = "\u0000http5xx";
    /** Windows with fewer requests than this have no meaningful 5xx ratio. */
    static final int MIN_REQUESTS = 20;

    /** The median 5xx share of the baseline windows that served requests; -1 when the source serves none. */
    private double usualServerErrorRatio() {
        double[] ratios = new double[history.size()];
        int n = 0;
        for (Window past : history) {
            if (past.requests >= MIN_REQUESTS) {
                ratios[n++] = (double) past.serverErrors / past.requests;
            }
        }
        if (n == 0) {
            return -1;
        }
        java.util.Arrays.sort(ratios, 0, n);
        return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
    }

    /**
     * More 5xx because there is more traffic is not an incident: for a source that serves requests, an error count
     * far above its baseline is a burst only if the share of requests that failed rose too.
     */
    private boolean trafficExplainsErrors(Window window, double usualRatio) {
        if (usualRatio < 0 || window.requests < MIN_REQUESTS || window.serverErrors == 0) {
            return false;
        }
        double ratio = (double) window.serverErrors / window.requests;
        return ratio < Math.max(2 * usualRatio, usualRatio + 0.02);
    }

    /** A 5xx share far above usual although the count is not (quiet hours): an incident all the same. */
    private void judgeServerErrorRatio(Window window, double usualRatio) {
        if (usualRatio < 0 || window.requests < MIN_REQUESTS || window.serverErrors < props.minCount()) {
            return;
        }
        double ratio = (double) window.serverErrors / window.requests;
        if (ratio >= Math.max(props.minRatio() * usualRatio, usualRatio + 0.05)) {
            long expected = Math.round(usualRatio * window.requests);
            RobustBaseline baseline = new RobustBaseline(expected, Math.max(Math.sqrt(expected), 1), expected);
            draft(HTTP_5XX_KEY, Detector.HTTP_5XX_RATIO, null, window, window.serverErrors, baseline,
                    window.errorEvidence, contributors(window, c -> c.errors));
        }
    }

    /** Judges one per-window count (errors, authentication failures) against its history; true when unusual. */
    private boolean judgeBurst(Window window, String key, Detector detector, long[] series,
                               java.util.function.ToLongFunction<Window> count, List<LogEvent> evidence,
                               List<Anomaly.Contributor> contributors) {
        int n = 0;
        for (Window past : history) {
            series[n++] = count.applyAsLong(past);
        }
        RobustBaseline baseline = RobustBaseline.of(series, n);
        long observed = count.applyAsLong(window);
        if (!isUnusual(observed, baseline)) {
            return false;
        }
        draft(key, detector, null, window, observed, baseline, evidence, contributors);
        return true;
    }

    /** The window's templates by a per-template count (errors, failures), largest first, at most five. */
    private List<Anomaly.Contributor> contributors(Window window, java.util.function.ToLongFunction<Window.Count> count) {
        return window.templates.entrySet().stream()
                .filter(e -> count.applyAsLong(e.getValue()) > 0)
                .sorted(Comparator.comparingLong(e -> -count.applyAsLong(e.getValue())))
                .limit(5)
                .map(e -> {
                    Template t = miner.byId(e.getKey());
                    return new Anomaly.Contributor(e.getKey(), t == null ? null : t.pattern(), count.applyAsLong(e.getValue()));
                })
                .toList();
    }

    /**
     * A count is unusual when it is large enough to matter, several times the median, many robust spreads above
     * it, and well above what the baseline's busiest tenth of windows reached: a level seen that often is the
     * source's normal rhythm, however far from the median.
     */
    private boolean isUnusual(long observed, RobustBaseline baseline) {
        return observed >= props.minCount()
                && observed >= props.minRatio() * Math.max(baseline.median(), 1)
                && baseline.z(observed) >= props.sensitivity()
                && observed >= RECURRENCE_FACTOR * baseline.p90();
    }

    /** Warning bursts score this share of an error burst of the same size, so they top out at High (79). */
    static final double WARNING_WEIGHT = 0.8;

    /** How far above the baseline's 90th percentile a count must be to be new rather than recurring. */
    static final double RECURRENCE_FACTOR = 1.5;

    private void draft(String key, Detector detector, Template template, Window window, long observed,
                       RobustBaseline baseline, List<LogEvent> evidence, List<Anomaly.Contributor> contributors) {
        Draft draft = active.get(key);
        if (draft == null || draft.lastWindow != window.index - 1) {
            if (draft != null) {
                anomalies.add(draft.toAnomaly());
            }
            draft = new Draft(detector, template, window.index);
            active.put(key, draft);
        }
        draft.extend(window.index, observed, baseline, evidence, contributors, props.maxEvidence());
        draft.requests += window.requests;
        draft.serverErrors += window.serverErrors;
        Map<String, Long> exceptions = draft.exceptions;
        window.exceptions.forEach((name, count) -> exceptions.merge(name, count, Long::sum));
    }

    private void finishDraftsNotIn(long windowIndex) {
        Iterator<Draft> it = active.values().iterator();
        while (it.hasNext()) {
            Draft draft = it.next();
            if (draft.lastWindow < windowIndex) {
                anomalies.add(draft.toAnomaly());
                it.remove();
            }
        }
    }

    /** Closes every window, turns the open drafts and new templates into anomalies, and sums up the job. */
    DetectionResult finish(int topTemplates) {
        while (!open.isEmpty()) {
            close(open.pollFirstEntry().getValue());
        }
        for (Draft draft : active.values()) {
            anomalies.add(draft.toAnomaly());
        }
        active.clear();
        // New templates first seen in the same window are one anomaly: they usually are one incident.
        Map<Long, List<NewTemplate>> byWindow = new TreeMap<>();
        int newCount = 0;
        for (NewTemplate candidate : newTemplates.values()) {
            if (miner.byId(candidate.id) == null) {
                continue; // merged into another template since: not new after all
            }
            newCount++;
            byWindow.computeIfAbsent(Math.floorDiv(candidate.first.toEpochMilli(), windowMillis), k -> new ArrayList<>())
                    .add(candidate);
        }
        byWindow.forEach((w, group) -> anomalies.add(newTemplatesAnomaly(w, group)));
        judgeWindowsWithForest();
        judgeSessions();
        anomalies.sort(Comparator.comparingDouble(Anomaly::score).reversed()
                .thenComparing(Anomaly::windowStart, Comparator.nullsLast(Comparator.naturalOrder())));

        Map<String, Long> levelCounts = new LinkedHashMap<>();
        for (Level level : Level.values()) {
            if (levels[level.ordinal()] > 0) {
                levelCounts.put(level.name(), levels[level.ordinal()]);
            }
        }
        List<DetectionResult.TimelinePoint> points = new ArrayList<>(timeline.size());
        timeline.forEach((w, c) -> points.add(new DetectionResult.TimelinePoint(Instant.ofEpochMilli(w * windowMillis), c[0], c[1])));
        List<DetectionResult.TemplateStat> top = templateCounts.entrySet().stream()
                .sorted(Map.Entry.<String, long[]>comparingByValue(Comparator.comparingLong(c -> -c[0])))
                .limit(topTemplates)
                .map(e -> {
                    Template t = miner.byId(e.getKey());
                    return new DetectionResult.TemplateStat(e.getKey(), t == null ? "" : t.pattern(), e.getValue()[0],
                            newTemplates.containsKey(e.getKey()));
                })
                .toList();
        return new DetectionResult(source, events, lateEvents, levelCounts, firstEvent, lastEvent, windowMillis / 1000,
                points, top, templateCounts.size(), newCount, List.copyOf(anomalies));
    }

    /**
     * Judges every closed window with the source's Isolation Forest (training one first when there is none or it
     * is stale and this job has enough windows). Windows another detector already explained are left out; the
     * forest speaks for the ones whose whole mix of counts is odd though no single count is.
     */
    private void judgeWindowsWithForest() {
        if (!props.forest().enabled()) {
            return;
        }
        if (windowModelStale && vectors.size() >= props.forest().minWindows()) {
            WindowIsolationDetector model = WindowIsolationDetector.builder().trees(props.forest().trees())
                    .cutMads(props.forest().cutMads()).build();
            model.fit(List.copyOf(vectors));
            windowModel = model;
            windowModelTrained = true;
        }
        if (windowModel == null) {
            return;
        }
        Set<Long> covered = new HashSet<>();
        Set<String> reported = new HashSet<>();
        for (Anomaly a : anomalies) {
            for (long w = Math.floorDiv(a.windowStart().toEpochMilli(), windowMillis);
                 w < Math.floorDiv(a.windowEnd().toEpochMilli(), windowMillis); w++) {
                covered.add(w);
            }
            a.contributors().forEach(c -> reported.add(c.templateId()));
        }
        double cut = forestCut();
        // The input's first and last windows are partial (it starts and ends mid-window): their counts are low by
        // construction, not by incident.
        long firstWindow = vectorIndex.isEmpty() ? 0 : vectorIndex.getFirst()[0];
        long lastWindow = vectorIndex.isEmpty() ? 0 : vectorIndex.getLast()[0];
        Iterator<long[]> index = vectorIndex.iterator();
        long runStart = Long.MIN_VALUE;
        long runEnd = Long.MIN_VALUE;
        double runScore = 0;
        WindowIsolationDetector.WindowCounts runPeak = null;
        for (WindowIsolationDetector.WindowCounts vector : vectors) {
            long w = index.next()[0];
            if (covered.contains(w) || w == firstWindow || w == lastWindow) {
                continue;
            }
            double score = windowModel.score(vector);
            if (score <= cut || !material(vector, reported)) {
                continue;
            }
            if (runPeak != null && w == runEnd + 1) {
                runEnd = w;
            } else {
                if (runPeak != null) anomalies.add(forestAnomaly(runStart, runEnd, runScore, runPeak));
                runStart = w;
                runEnd = w;
                runScore = 0;
            }
            if (score > runScore) {
                runScore = score;
                runPeak = vector;
            }
        }
        if (runPeak != null) {
            anomalies.add(forestAnomaly(runStart, runEnd, runScore, runPeak));
        }
    }

    /**
     * The model's robust cut, but never closer than {@value #FOREST_MARGIN} to the median training window: very
     * regular sources have almost no spread in their scores, and noise must not pass for an anomaly.
     */
    private double forestCut() {
        return Math.max(windowModel.cut(), windowModel.baselineMedianScore() + FOREST_MARGIN);
    }

    static final double FOREST_MARGIN = 0.1;

    /**
     * Whether an odd window is worth a person's time: its templates' unusual counts (each at least two robust
     * spreads from its median) add up to at least {@code min-count} events, and they are not led by a template another anomaly of this job already names.
     */
    private boolean material(WindowIsolationDetector.WindowCounts vector, Set<String> reported) {
        long unusual = 0;
        List<WindowIsolationDetector.Contribution> top = windowModel.explain(vector, 3);
        for (WindowIsolationDetector.Contribution c : top) {
            if (c.feature().startsWith("template:") && reported.contains(c.feature().substring("template:".length()))) {
                return false;
            }
        }
        for (WindowIsolationDetector.Contribution c : windowModel.explain(vector, 10)) {
            // Templates only: level counts restate the same events.
            if (c.feature().startsWith("template:") && Math.abs(c.deviation()) >= 2) {
                unusual += (long) Math.abs(c.observed() - c.baselineMedian());
            }
        }
        return unusual >= props.minCount();
    }

    private Anomaly forestAnomaly(long first, long last, double forestScore, WindowIsolationDetector.WindowCounts peak) {
        // Scores just above the cut are Medium; 0.15 above it is Critical.
        double score = Scoring.clamp(50 + 300 * (forestScore - forestCut()));
        List<WindowIsolationDetector.Contribution> top = windowModel.explain(peak, 5);
        List<Anomaly.Contributor> contributors = new ArrayList<>();
        StringBuilder why = new StringBuilder();
        for (WindowIsolationDetector.Contribution c : top) {
            String feature = c.feature();
            String text = feature;
            if (feature.startsWith("template:")) {
                String id = feature.substring("template:".length());
                Template t = miner.byId(id);
                text = id + " \"" + shorten(t == null ? id : t.pattern(), 70) + "\"";
                contributors.add(new Anomaly.Contributor(id, t == null ? null : t.pattern(), c.observed()));
            }
            if (!why.isEmpty()) why.append("; ");
            why.append(text).append(" ").append(c.observed()).append(" (usually ").append(fmt(c.baselineMedian())).append(")");
        }
        String span = first == last ? "The window at " + start(first) : "The " + (last - first + 1) + " windows from " + start(first);
        String explanation = span + " had an unusual mix of counts: Isolation Forest score " + fmt3(forestScore)
                + " against a cut of " + fmt3(forestCut()) + " (median window " + fmt3(windowModel.baselineMedianScore())
                + ", trained on " + windowModel.baselineWindows() + " windows). Furthest from usual: " + why + ".";
        return new Anomaly(source, Detector.WINDOW_FOREST, score, scoring.severity(score), start(first), start(last + 1),
                contributors.isEmpty() ? null : contributors.get(0).templateId(),
                contributors.isEmpty() ? null : contributors.get(0).template(),
                "Unusual mix of events (Isolation Forest " + fmt3(forestScore) + ")", explanation,
                windowModel.baselineMedianScore(), forestScore, contributors, List.of());
    }

    /** Reports the anomalous sessions, highest score first, at most {@code sessions.max-anomalies}. */
    private void judgeSessions() {
        if (sessions == null || sessions.sessionCount() == 0) {
            return;
        }
        List<SessionVerdict> anomalous = sessions.judge().stream().filter(SessionVerdict::anomalous)
                .sorted(Comparator.comparingDouble(SessionVerdict::score).reversed())
                .limit(props.sessions().maxAnomalies()).toList();
        for (SessionVerdict v : anomalous) {
            double score = Scoring.clamp(v.score());
            List<Evidence> evidence = v.evidence().stream().limit(props.maxEvidence())
                    .map(line -> new Evidence(v.session(), null, null, line)).toList();
            anomalies.add(new Anomaly(source, Detector.SESSION, score, scoring.severity(score),
                    firstEvent, lastEvent == null ? null : lastEvent.plusMillis(1), null, null,
                    "Unusual session " + v.session() + " (" + v.events() + " events)",
                    String.join(" ", v.reasons()), 0, v.events(), List.of(), evidence));
        }
    }

    private static String fmt3(double value) {
        return String.format(java.util.Locale.ROOT, "%.3f", value);
    }

    private Instant start(long windowIndex) {
        return Instant.ofEpochMilli(windowIndex * windowMillis);
    }

    private String windowLabel() {
        Duration d = props.window();
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    /** Counts of one window; evidence lines only while it is open. */
    private static final class Window {
        final long index;
        long errors;
        long auth;
        long requests;
        long serverErrors;
        final Map<String, Long> exceptions = new LinkedHashMap<>(4);
        final long[] levels = new long[Level.values().length];
        final Map<String, Count> templates = new HashMap<>();
        List<LogEvent> errorEvidence = new ArrayList<>(0);
        List<LogEvent> authEvidence = new ArrayList<>(0);
        List<LogEvent> warnEvidence = new ArrayList<>(0);

        Window(long index) {
            this.index = index;
        }

        static final class Count {
            long count;
            long errors;
            long warnings;
            long auth;
            List<LogEvent> evidence = new ArrayList<>(2);
        }

        void add(String templateId, LogEvent event, boolean error, boolean authFailure, int maxEvidence) {
            Count c = templates.computeIfAbsent(templateId, k -> new Count());
            c.count++;
            if (c.evidence != null && c.evidence.size() < maxEvidence) {
                c.evidence.add(event);
            }
            if (error) {
                errors++;
                c.errors++;
                if (errorEvidence != null && errorEvidence.size() < maxEvidence) {
                    errorEvidence.add(event);
                }
            }
            if (event.level() == Level.WARN) {
                c.warnings++;
                if (warnEvidence != null && warnEvidence.size() < maxEvidence) {
                    warnEvidence.add(event);
                }
            }
            if (authFailure) {
                auth++;
                c.auth++;
                if (authEvidence != null && authEvidence.size() < maxEvidence) {
                    authEvidence.add(event);
                }
            }
        }

        WindowIsolationDetector.WindowCounts vector() {
            Map<String, Long> counts = new HashMap<>();
            templates.forEach((id, c) -> counts.put(id, c.count));
            Map<Level, Long> byLevel = new java.util.EnumMap<>(Level.class);
            for (Level level : Level.values()) {
                if (levels[level.ordinal()] > 0) byLevel.put(level, levels[level.ordinal()]);
            }
            return new WindowIsolationDetector.WindowCounts(counts, byLevel);
        }

        void dropEvidence() {
            errorEvidence = null;
            authEvidence = null;
            warnEvidence = null;
            for (Count c : templates.values()) {
                c.evidence = null;
            }
        }
    }

    /** An anomaly being built over consecutive windows. */
    private final class Draft {
        final Detector detector;
        final Template template;
        final long firstWindow;
        long lastWindow;
        long peak;
        long total;
        int windows;
        long peakWindow;
        RobustBaseline peakBaseline;
        final List<Evidence> evidence = new ArrayList<>();
        final Map<String, Anomaly.Contributor> contributors = new LinkedHashMap<>();
        final Map<String, Long> exceptions = new LinkedHashMap<>();
        long requests;
        long serverErrors;

        Draft(Detector detector, Template template, long firstWindow) {
            this.detector = detector;
            this.template = template;
            this.firstWindow = firstWindow;
        }

        void extend(long window, long observed, RobustBaseline baseline, List<LogEvent> lines,
                    List<Anomaly.Contributor> parts, int maxEvidence) {
            lastWindow = window;
            windows++;
            total += observed;
            if (observed > peak) {
                peak = observed;
                peakWindow = window;
                peakBaseline = baseline;
            }
            for (LogEvent line : lines) {
                if (evidence.size() >= maxEvidence) break;
                evidence.add(Evidence.of(line));
            }
            for (Anomaly.Contributor part : parts) {
                contributors.merge(part.templateId(), part,
                        (a, b) -> new Anomaly.Contributor(a.templateId(), a.template(), a.count() + b.count()));
            }
        }

        private String httpShare() {
            if (requests == 0) return "";
            return serverErrors + " of " + requests + " requests (" + fmt(100.0 * serverErrors / requests)
                    + "%) answered 5xx. ";
        }

        private String exceptionNames() {
            if (exceptions.isEmpty()) return "";
            StringBuilder sb = new StringBuilder(" Exceptions: ");
            exceptions.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                    .forEach(e -> sb.append(e.getKey()).append(" ×").append(e.getValue()).append(", "));
            sb.setLength(sb.length() - 2);
            return sb.append('.').toString();
        }

        Anomaly toAnomaly() {
            double expected = peakBaseline.median();
            double score = Scoring.countScore(peak, expected);
            if (detector == Detector.WARNING_BURST) {
                score = Scoring.clamp(score * WARNING_WEIGHT); // warnings alone are at most High
            }
            String per = "per " + windowLabel() + " window";
            String span = windows == 1 ? "in the window at " + start(peakWindow)
                    : "over " + windows + " consecutive windows from " + start(firstWindow) + ", peak at " + start(peakWindow);
            List<Anomaly.Contributor> top = contributors.values().stream()
                    .sorted(Comparator.comparingLong(c -> -c.count())).limit(5).toList();
            String baselineText = " where the rolling baseline of the previous " + history.size()
                    + " windows has a median of " + fmt(expected) + " (robust z " + fmt(peakBaseline.z(peak)) + ")";
            String title;
            String explanation;
            if (detector == Detector.ERROR_BURST) {
                title = "Error burst: " + peak + " errors " + per + " (usually " + fmt(expected) + ")";
                explanation = total + " error/fatal events " + span + ": " + peak + " " + per + baselineText
                        + ". " + httpShare() + "Top templates: " + describe(top) + "." + exceptionNames();
            } else if (detector == Detector.HTTP_5XX_RATIO) {
                double share = requests == 0 ? 0 : 100.0 * serverErrors / requests;
                title = "HTTP 5xx ratio: " + fmt(share) + "% of requests (usually about " + fmt(expected) + " per window)";
                explanation = httpShare() + "The count alone is not unusual, the share of failing requests is. Top templates: "
                        + describe(top) + "." + exceptionNames();
            } else if (detector == Detector.WARNING_BURST) {
                title = "Warning burst: " + peak + " warnings " + per + " (usually " + fmt(expected) + ")";
                explanation = total + " warnings " + span + ": " + peak + " " + per + baselineText
                        + ". Top templates: " + describe(top) + ".";
            } else if (detector == Detector.AUTH_FAILURE_BURST) {
                title = "Authentication failures: " + peak + " " + per + " (usually " + fmt(expected) + ")";
                explanation = total + " authentication failures " + span + ": " + peak + " " + per + baselineText
                        + ". Top templates: " + describe(top) + ".";
            } else {
                int others = contributors.size() - 1;
                title = "Frequency spike: " + shorten(template.pattern(), 80) + " ×" + fmt(peak / Math.max(expected, 1))
                        + (others > 0 ? " (+" + others + " more template" + (others == 1 ? "" : "s") + ")" : "");
                explanation = "Template " + template.id() + " occurred " + peak + " times " + per + " " + span
                        + " against a rolling median of " + fmt(expected) + " (robust z " + fmt(peakBaseline.z(peak)) + ")"
                        + (others > 0 ? ". Spiking with it: " + describe(top.subList(1, top.size())) : "") + ".";
            }
            return new Anomaly(source, detector, score, scoring.severity(score), start(firstWindow), start(lastWindow + 1),
                    template == null ? null : template.id(), template == null ? null : template.pattern(), title,
                    explanation, expected, peak, top, List.copyOf(evidence));
        }
    }

    /** A template first seen after the learning period. */
    private final class NewTemplate {
        final String id;
        final Instant first;
        long occurrences;
        Level worst = Level.UNKNOWN;
        boolean exception;
        String firstRef;
        final List<Evidence> evidence = new ArrayList<>();

        NewTemplate(String id, Instant first) {
            this.id = id;
            this.first = first;
        }

        void add(LogEvent event, int maxEvidence) {
            occurrences++;
            if (severityRank(event.level()) > severityRank(worst)) {
                worst = event.level();
            }
            if (!exception && looksLikeException(event.message())) {
                exception = true;
            }
            if (firstRef == null && event.ref() != null) {
                firstRef = event.ref().toString();
            }
            if (evidence.size() < maxEvidence) {
                evidence.add(Evidence.of(event));
            }
        }

        double score() {
            double score = switch (worst) {
                case FATAL, ERROR -> 80;
                case WARN -> 65;
                default -> 45;
            };
            if (exception) score += 10;
            if (occurrences >= props.minCount()) score += 5;
            return Scoring.clamp(score);
        }
    }

    /** One anomaly for the new templates first seen in one window, led by the highest-scoring one. */
    private Anomaly newTemplatesAnomaly(long window, List<NewTemplate> group) {
        group.sort(Comparator.comparingDouble(NewTemplate::score).reversed()
                .thenComparing(Comparator.comparingLong((NewTemplate t) -> t.occurrences).reversed()));
        NewTemplate lead = group.get(0);
        Template template = miner.byId(lead.id);
        List<Anomaly.Contributor> contributors = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        for (NewTemplate t : group) {
            contributors.add(new Anomaly.Contributor(t.id, miner.byId(t.id).pattern(), t.occurrences));
        }
        // The lead's first lines, then the first line of each other new template.
        evidence.addAll(lead.evidence.subList(0, Math.min(lead.evidence.size(), Math.max(1, props.maxEvidence() - group.size() + 1))));
        for (NewTemplate t : group.subList(1, group.size())) {
            if (evidence.size() >= props.maxEvidence()) break;
            evidence.add(t.evidence.get(0));
        }
        String title = group.size() == 1 ? "New template: " + shorten(template.pattern(), 90)
                : group.size() + " new templates, led by: " + shorten(template.pattern(), 80);
        StringBuilder explanation = new StringBuilder();
        explanation.append(group.size() == 1 ? "Template " + lead.id + " was" : group.size() + " templates were")
                .append(" never seen for source ").append(source).append(" before ").append(start(window))
                .append(", after its learning period. ").append(describeNew(lead));
        for (NewTemplate t : group.subList(1, Math.min(group.size(), 6))) {
            explanation.append(" ").append(describeNew(t));
        }
        if (group.size() > 6) {
            explanation.append(" And ").append(group.size() - 6).append(" more.");
        }
        double score = lead.score();
        return new Anomaly(source, Detector.NEW_TEMPLATE, score, scoring.severity(score), start(window), start(window + 1),
                lead.id, template.pattern(), title, explanation.toString(), 0, lead.occurrences, contributors,
                List.copyOf(evidence));
    }

    private String describeNew(NewTemplate t) {
        return t.id + " \"" + shorten(miner.byId(t.id).pattern(), 80) + "\": first at " + t.first
                + (t.firstRef == null ? "" : " (" + t.firstRef + ")") + ", " + t.occurrences + " time"
                + (t.occurrences == 1 ? "" : "s") + (t.worst == Level.UNKNOWN ? "" : ", worst level " + t.worst)
                + (t.exception ? ", with an exception" : "") + ".";
    }

    private static int severityRank(Level level) {
        return switch (level) {
            case FATAL -> 5;
            case ERROR -> 4;
            case WARN -> 3;
            case INFO -> 2;
            case DEBUG, TRACE -> 1;
            case UNKNOWN -> 0;
        };
    }

    static boolean looksLikeException(String message) {
        return message.contains("\n\tat ") || message.contains("\n    at ") || message.contains("Traceback (most recent call last)")
                || message.contains("Exception: ") || message.contains("Exception\n");
    }

    private static String describe(List<Anomaly.Contributor> top) {
        if (top.isEmpty()) return "none";
        StringBuilder sb = new StringBuilder();
        for (Anomaly.Contributor c : top) {
            if (!sb.isEmpty()) sb.append("; ");
            sb.append(c.templateId()).append(" \"").append(shorten(c.template(), 80)).append("\" ×").append(c.count());
        }
        return sb.toString();
    }

    static String shorten(String text, int max) {
        if (text == null) return "";
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }

    static String fmt(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(java.util.Locale.ROOT, "%.1f", value);
    }
}
