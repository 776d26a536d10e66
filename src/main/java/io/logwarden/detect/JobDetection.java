package io.logwarden.detect;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Detection state of one job: mines templates, counts them in windows ({@link WindowSeries}), has the judges
 * ({@link CountJudge}, {@link Drops}, {@link ValueShifts}, {@link Novelty}, {@link ForestJudge}, sessions) look at them,
 * groups what they found into incidents ({@link Incidents}) and sums the job up with what was and was not checked.
 *
 * <p>Not thread-safe: the pipeline's {@code DetectionEngine} serialises the calls for a job.
 */
public final class JobDetection implements JobContext {

    private final String source;
    private final TemplateMiner miner;
    private final Set<String> knownTemplates;
    private final DetectionSettings settings;
    private final Scoring scoring;
    private final Influencers influencers;
    private final Connections connections;
    private final Novelty novelty;
    private final CountJudge counts;
    private final Drops drops;
    private final ForestJudge forest;
    private final WindowSeries series;
    private final SessionDetector sessions;
    private final boolean continuous;
    private final Map<String, Boolean> authTemplates = new HashMap<>();
    /** Where a prepared batch's messages are loaded for the miner, one at a time. */
    private final PreparedMessage prepared;
    private final Measures measures;
    /** The current event's {@link Measures} values, then its {@link MessageValues} value (none without measures). */
    private final double[] measured;

    private long events;
    private final long[] levels = new long[Level.values().length];
    private Instant firstEvent;
    private Instant lastEvent;
    private final Map<String, long[]> templateCounts = new HashMap<>();
    /**
     * The same per-template state as the maps by id, found from the template object itself (one identity look-up an
     * event instead of three by id); the maps stay what is read and saved.
     */
    private final Map<Template, Slot> slots = new IdentityHashMap<>();

    private static final class Slot {
        final long[] count;
        Instant[] seen;
        Boolean auth;
        /** The template's pattern when {@link #unit} was read from it, and the unit ({@link MessageValues}). */
        String pattern;
        String unit;

        Slot(long[] count) {
            this.count = count;
        }
    }
    private final Map<String, Instant[]> templateSeen = new HashMap<>();
    /** One line of each template, the first this job saw (cut to {@link #EXAMPLE_CHARS}): the templates page shows it. */
    private final Map<String, String> templateExamples = new HashMap<>();
    static final int EXAMPLE_CHARS = 500;

    /** A job of a source with no past: no known templates, window from settings or data, no models. */
    JobDetection(String source, TemplateMiner miner, DetectionSettings settings) {
        this(source, miner, Set.of(), new SourceHistory(0, null, null), settings, null, true, null);
    }

    JobDetection(String source, TemplateMiner miner, Set<String> knownTemplates, SourceHistory history,
                 DetectionSettings settings, WindowIsolationDetector windowModel, boolean windowModelStale,
                 SessionDetector sessions) {
        this(source, miner, knownTemplates, history, settings, windowModel, windowModelStale, sessions, false, null);
    }

    /**
     * @param knownTemplates   ids the source knew before this job
     * @param history          what the source saw before this job
     * @param windowModel      the source's trained window forest, or null
     * @param windowModelStale true when it is missing or older than the retraining interval: retrain at the end
     * @param sessions         the session detector (with its model, if any), or null when sessions are off
     * @param continuous       the source goes on after this job: windows within the lateness allowance are held
     * @param carried          what the source's previous job held, or null
     */
    public JobDetection(String source, TemplateMiner miner, Set<String> knownTemplates, SourceHistory history,
                 DetectionSettings settings, WindowIsolationDetector windowModel, boolean windowModelStale,
                 SessionDetector sessions, boolean continuous, WindowStatsCodec.Stored carried) {
        this.source = source;
        this.miner = miner;
        this.prepared = miner.newPreparedMessage();
        this.knownTemplates = knownTemplates;
        this.settings = settings;
        this.scoring = new Scoring(settings.severity());
        this.influencers = new Influencers(settings.influencerFields());
        this.connections = new Connections(influencers.names());
        this.measures = new Measures(settings.valueFields());
        this.measured = new double[measures.size() == 0 ? 0 : measures.size() + 1];
        this.novelty = new Novelty(source, knownTemplates,
                history.events() >= settings.historyEvents() && !knownTemplates.isEmpty(), settings, scoring,
                influencers);
        this.counts = new CountJudge(settings, this);
        this.drops = new Drops(source, settings, scoring, this);
        this.forest = new ForestJudge(source, settings, scoring, this, windowModel, windowModelStale);
        this.sessions = sessions;
        this.continuous = continuous;
        Duration window = settings.window();
        String choice = "configured (logwarden.detect.window)";
        if (window == null && history.window() != null) {
            window = history.window();
            choice = "kept for the source: " + history.windowReason();
        }
        List<WindowStats> previous = List.of();
        if (carried != null && !carried.windows().isEmpty()) {
            if (window == null) {
                window = Duration.ofMillis(carried.windowMillis());
                choice = "kept for the source from its earlier data";
            }
            if (window.toMillis() == carried.windowMillis()) previous = carried.windows();
        }
        this.series = new WindowSeries(settings, window, choice, counts, List.of(drops, new ValueShifts(source, settings,
                scoring, this, valueNames())), forest, continuous, previous);
    }

    /** The names of {@link #measured}'s columns. */
    private String[] valueNames() {
        if (measured.length == 0) return new String[0];
        String[] names = java.util.Arrays.copyOf(measures.names(), measured.length);
        names[names.length - 1] = MessageValues.NAME;
        return names;
    }

    /** What a source saw before a job: its event count and the window chosen for it, if any. */
    public record SourceHistory(long events, Duration window, String windowReason) {
    }

    /** A miner with the configured settings and user masks, empty: the settings the pipeline's {@code DetectionEngine} uses. */
    public static TemplateMiner.Builder minerConfig(DetectionSettings settings) {
        TemplateMiner.Builder builder = TemplateMiner.builder()
                .depth(settings.miner().depth())
                .similarity(settings.miner().similarity())
                .maxChildren(settings.miner().maxChildren())
                .maxLeafTemplates(settings.miner().maxLeafTemplates());
        settings.masks().forEach(builder::mask);
        return builder;
    }

    @Override
    public Template template(String id) {
        return miner.byId(id);
    }

    @Override
    public long windowMillis() {
        return series.windowMillis();
    }

    public boolean continuous() {
        return continuous;
    }

    public TemplateMiner miner() {
        return miner;
    }

    public WindowIsolationDetector trainedWindowModel() {
        return forest.trainedModel();
    }

    int windowVectors() {
        return forest.windows();
    }

    public SessionDetector sessions() {
        return sessions;
    }

    public Map<String, Instant[]> templateSeen() {
        return templateSeen;
    }

    /** Template id → the first line of it this job saw (the raw line when there is one, else the message). */
    public Map<String, String> templateExamples() {
        return templateExamples;
    }

    public Instant firstEvent() {
        return firstEvent;
    }

    public Instant lastEvent() {
        return lastEvent;
    }

    public long events() {
        return events;
    }

    /** Windows held for the source's next job (continuous sources, after {@link #finish}), with their length. */
    public WindowStatsCodec.Stored heldWindows() {
        return new WindowStatsCodec.Stored(series.windowMillis(), series.held());
    }

    /** The window this job counted in and why (after {@link #finish}). */
    public Duration window() {
        return Duration.ofMillis(series.windowMillis());
    }

    public String windowChoice() {
        return series.choice();
    }

    /** Whether the window was chosen from this job's data (and should be kept for the source). */
    public boolean windowChosenFromData() {
        return series.chosenFromData();
    }

    public void observe(LogEvent event) {
        measures.read(event, measured, 0);
        observe(event, miner.add(event.message()), null);
    }

    /**
     * Observes a batch's valid events in order, using what was prepared for them on the reading thread; then gives
     * the batch's buffers back. A batch already released is observed from its events alone.
     */
    public void observe(PreparedBatch batch) {
        PreparedBatch valid = batch.valid();
        if (!valid.usable()) {
            for (LogEvent event : valid) observe(event);
            return;
        }
        for (int i = 0, n = valid.size(); i < n; i++) {
            LogEvent event = valid.get(i);
            if (!valid.measures(i, measured)) measures.read(event, measured, 0);
            observe(event, miner.add(valid.message(i, prepared)), valid.values(i));
        }
        batch.release();
    }

    private void observe(LogEvent event, Template template, String[] preparedValues) {
        String id = template.id();
        Instant ts = event.timestamp();
        events++;
        levels[event.level().ordinal()]++;
        Slot slot = slots.get(template);
        if (slot == null) {
            slot = new Slot(templateCounts.computeIfAbsent(id, k -> new long[1]));
            slots.put(template, slot);
        }
        slot.count[0]++;
        if (ts == null) {
            return; // the validator quarantines these; counted, but not placed in time
        }
        if (firstEvent == null || ts.isBefore(firstEvent)) firstEvent = ts;
        if (lastEvent == null || ts.isAfter(lastEvent)) lastEvent = ts;
        Instant[] seen = slot.seen != null ? slot.seen : templateSeen.get(id);
        if (seen == null) {
            slot.seen = new Instant[] {ts, ts};
            templateSeen.put(id, slot.seen);
            String line = event.raw() != null ? event.raw() : event.message();
            if (line != null) {
                templateExamples.put(id, line.length() > EXAMPLE_CHARS ? line.substring(0, EXAMPLE_CHARS) : line);
            }
        } else {
            slot.seen = seen;
            if (ts.isBefore(seen[0])) seen[0] = ts;
            if (ts.isAfter(seen[1])) seen[1] = ts;
        }
        if (sessions != null) {
            List<String> keys = settings.sessions().key().isBlank() ? sessions.sessionKeys(event.attributes())
                    : sessions.sessionKeys(event.message());
            for (String key : keys) {
                sessions.observe(key, template, event.level(), event.raw());
            }
        }
        boolean error = event.level().isError();
        if (slot.auth == null) {
            slot.auth = authTemplates.computeIfAbsent(id, k -> AuthFailures.isAuthFailureText(template.pattern()));
        }
        boolean auth = slot.auth || AuthFailures.isAuthFailureStatus(event);
        String[] values = connections.carry(event, preparedValues != null ? preparedValues : influencers.valuesOf(event, error));
        influencers.count(values);
        if (measured.length > 0) measured[measured.length - 1] = messageValue(slot, template, event);
        novelty.observe(event, id, ts, values, events);
        WindowStats window = series.windowFor(ts.toEpochMilli());
        if (window != null) {
            window.add(id, event, error, auth, influencers.names(), values, measured);
            if (error) {
                for (String name : ExceptionSignatures.of(event.message())) {
                    window.addException(name);
                }
            }
        }
    }

    /** Evidence levels that are not routine lines: a start-up spike of them is judged as any other. */
    private static final Set<String> NOT_ROUTINE = Set.of(Level.WARN.name(), Level.ERROR.name(), Level.FATAL.name());

    /**
     * Whether a finding is the input's start-up: a frequency spike from the first window of an input that is its own
     * baseline, of messages that are neither errors nor warnings. A log starts where its server started, and a server
     * starting writes its routine lines at once (named loading its six zones, where later each reload loads one).
     */
    private boolean startUp(CountJudge.Draft d, Anomaly a) {
        return routineSpike(d, a) && !series.rolling() && firstEvent != null
                && d.firstWindow == Math.floorDiv(firstEvent.toEpochMilli(), windowMillis());
    }

    /**
     * Whether a finding is the source's shutdown: a frequency spike of messages that are neither errors nor warnings,
     * in the input's last window alone, where the source also says in its own words that it stops (Prosody's clients
     * all disconnected, then "Shutting down: Received SIGTERM"). The mirror of {@link #startUp}.
     */
    private static boolean shutdown(CountJudge.Draft d, Anomaly a, long stopWindow) {
        return routineSpike(d, a) && d.firstWindow == stopWindow && d.lastWindow == stopWindow;
    }

    /** A frequency spike of messages that are neither errors nor warnings. */
    private static boolean routineSpike(CountJudge.Draft d, Anomaly a) {
        return d.detector == Detector.FREQUENCY_SPIKE
                && a.evidence().stream().noneMatch(e -> NOT_ROUTINE.contains(e.level()));
    }

    /** The input's last window when one of its templates says the source stops ({@link Novelty#STOPPING}), else -1. */
    private long stopWindow(List<WindowStats> judged) {
        if (lastEvent == null) return -1;
        long last = Math.floorDiv(lastEvent.toEpochMilli(), windowMillis());
        for (WindowStats w : judged) {
            if (w.index != last) continue;
            for (String id : w.templates.keySet()) {
                Template t = miner.byId(id);
                if (t != null && Novelty.STOPPING.matcher(t.pattern()).find()) return last;
            }
        }
        return -1;
    }

    /** The quantity the event's message states with a unit, where its template has one ({@link MessageValues}). */
    private static double messageValue(Slot slot, Template template, LogEvent event) {
        String pattern = template.pattern();
        if (pattern != slot.pattern) {
            slot.pattern = pattern;
            slot.unit = MessageValues.unitOf(pattern);
        }
        return slot.unit == null ? Double.NaN : MessageValues.read(event.message(), slot.unit);
    }

    /** Judges the last windows, groups the findings into incidents, and sums up the job. */
    public DetectionResult finish(int topTemplates) {
        List<WindowStats> judged = series.finish(firstEvent, lastEvent, events);
        Findings findings = new Findings(source, scoring, influencers, settings.maxEvidence());
        List<Anomaly> found = new ArrayList<>();
        long stopWindow = stopWindow(judged);
        for (CountJudge.Draft d : counts.finish()) {
            Anomaly a = findings.of(d);
            if (!startUp(d, a) && !shutdown(d, a, stopWindow)) found.add(a);
        }
        found.addAll(series.seriesFindings());
        List<Anomaly> novel = firstEvent == null ? List.of() : novelty.finish(this, firstEvent, lastEvent, events, found);
        found.addAll(novel);
        List<Anomaly> odd = forest.judge(found);
        Map<Long, WindowStats> byIndex = new HashMap<>();
        judged.forEach(w -> byIndex.put(w.index, w));
        for (Anomaly a : odd) {
            List<WindowStats> covered = new ArrayList<>();
            for (long i = a.windowStart().toEpochMilli() / windowMillis(); i < a.windowEnd().toEpochMilli() / windowMillis(); i++) {
                if (byIndex.containsKey(i)) covered.add(byIndex.get(i));
            }
            found.add(a.withInfluencers(influencers.of(covered, false)));
        }
        found.addAll(judgeSessions());
        List<Anomaly> incidents = new Incidents(windowMillis(), settings.maxEvidence(), scoring).group(found);
        incidents.sort(Comparator.comparingDouble(Anomaly::score).reversed()
                .thenComparing(Anomaly::windowStart, Comparator.nullsLast(Comparator.naturalOrder())));

        Map<String, Long> levelCounts = new LinkedHashMap<>();
        for (Level level : Level.values()) {
            if (levels[level.ordinal()] > 0) levelCounts.put(level.name(), levels[level.ordinal()]);
        }
        List<DetectionResult.TemplateStat> top = templateCounts.entrySet().stream()
                .sorted(Map.Entry.<String, long[]>comparingByValue(Comparator.comparingLong(c -> -c[0])))
                .limit(topTemplates)
                .map(e -> {
                    Template t = miner.byId(e.getKey());
                    return new DetectionResult.TemplateStat(e.getKey(), t == null ? "" : t.pattern(), e.getValue()[0],
                            !knownTemplates.contains(e.getKey()));
                })
                .toList();
        int newCount = (int) templateCounts.keySet().stream()
                .filter(id -> !knownTemplates.contains(id) && miner.byId(id) != null).count();
        return new DetectionResult(source, events, series.lateEvents(), levelCounts, firstEvent, lastEvent,
                Math.max(1, windowMillis() / 1000), series.choice(), series.timeline(), top, templateCounts.size(),
                newCount, List.copyOf(incidents), checks());
    }

    private List<DetectionResult.Check> checks() {
        List<DetectionResult.Check> checks = new ArrayList<>();
        int windows = series.windowCount();
        String baseline = series.rolling() ? "against the previous " + settings.baselineWindows() + " windows"
                : "the input is its own baseline (" + windows + " windows of " + Explain.duration(windowMillis()) + ")";
        String novel = novelty.hasHistory() ? "templates the source never saw are new"
                : "the source has no history: rare templates reported when they are errors or come with another anomaly"
                        + (novelty.rareNotReported() > 0 ? "; " + novelty.rareNotReported() + " rare ones without either not reported" : "");
        checks.add(new DetectionResult.Check(Detector.NEW_TEMPLATE.id(), firstEvent != null, firstEvent == null ? "no timed events" : novel));
        String countNote = (windows == 0 ? "no timed events" : windows == 1
                ? "one window: error share judged on its own, counts against zero" : baseline)
                + (series.held().isEmpty() ? "" : "; the last " + Explain.plural(series.held().size(), "window")
                + " (within the lateness allowance) are judged with the source's next batch");
        for (Detector d : new Detector[] {Detector.ERROR_BURST, Detector.HTTP_5XX_RATIO, Detector.WARNING_BURST,
                Detector.AUTH_FAILURE_BURST, Detector.FREQUENCY_SPIKE, Detector.ACTOR_SPIKE, Detector.STATUS_SPIKE}) {
            checks.add(new DetectionResult.Check(d.id(), windows > 0, countNote));
        }
        boolean shiftsRan = measures.size() > 0 && windows >= ValueShifts.MIN_WINDOWS;
        checks.add(new DetectionResult.Check(Detector.VALUE_SHIFT.id(), shiftsRan, measures.size() == 0
                ? "off: no value fields configured (detect.values)"
                : shiftsRan ? "mean " + String.join(", ", measures.names()) + " and numbers messages give with a unit"
                + " (ms, seconds, bytes) per template and window, where events carry them"
                : "needs " + ValueShifts.MIN_WINDOWS + " windows, this input has " + windows));
        boolean dropsRan = series.dropsChecked();
        checks.add(new DetectionResult.Check(Detector.DROP.id(), dropsRan, dropsRan
                ? "steady templates, levels and the whole source checked for stops"
                : "needs 6 windows (the first and last are partial), this input has " + windows));
        String skipped = forest.skipped();
        checks.add(new DetectionResult.Check(Detector.WINDOW_FOREST.id(), skipped == null,
                skipped == null ? forest.modelText() : skipped));
        checks.add(new DetectionResult.Check(Detector.SESSION.id(), sessions != null,
                sessions == null ? "off: no session key configured (detect.sessions.key or field)"
                        : sessions.sessionCount() + " sessions judged"));
        return checks;
    }

    /** Reports the anomalous sessions, highest score first, at most {@code sessions.max-anomalies}. */
    private List<Anomaly> judgeSessions() {
        if (sessions == null || sessions.sessionCount() == 0) {
            return List.of();
        }
        List<Anomaly> found = new ArrayList<>();
        List<SessionVerdict> anomalous = sessions.judge().stream().filter(SessionVerdict::anomalous)
                .sorted(Comparator.comparingDouble(SessionVerdict::score).reversed())
                .limit(settings.sessions().maxAnomalies()).toList();
        for (SessionVerdict v : anomalous) {
            double score = Scoring.clamp(v.score());
            List<Evidence> evidence = v.evidence().stream().limit(settings.maxEvidence())
                    .map(line -> new Evidence(v.session(), null, null, line)).toList();
            found.add(new Anomaly(source, Detector.SESSION, score, scoring.severity(score),
                    firstEvent, lastEvent == null ? null : lastEvent.plusMillis(1), null, null,
                    "Unusual session " + v.session() + " (" + v.events() + " events)",
                    String.join(" ", v.reasons()), 0, v.events(), List.of(), evidence));
        }
        return found;
    }
}
