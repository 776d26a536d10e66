package io.logwarden.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The windows of one job, placed by the events' own timestamps (not their arrival order), and when each is judged.
 *
 * <ul>
 *   <li>With no window yet (none configured, none chosen for the source), counts are kept at a fine resolution that
 *       coarsens as the input grows (at most {@value #MAX_BUCKETS} buckets); at the end the window is chosen from the
 *       data ({@link TimeScale}) and the buckets are summed into it.</li>
 *   <li>The input is its own baseline: every window is judged against all the others once the input ends, so an
 *       incident early in a first file is not hidden for want of history.</li>
 *   <li>An input too long to keep ({@value #MAX_BUFFER} windows) is judged that way up to there, and then as a
 *       stream: each window against the rolling baseline of the windows before it, once it is older than the
 *       lateness allowance.</li>
 * </ul>
 *
 * <p>Not thread-safe.
 */
final class WindowSeries {

    static final int MAX_BUCKETS = 512;
    static final int MAX_BUFFER = 512;

    private final DetectionSettings settings;
    private final CountJudge counts;
    private final List<SeriesJudge> judges;
    private final ForestJudge forest;
    private final List<Anomaly> seriesFound = new ArrayList<>();
    private final List<DetectionResult.TimelinePoint> timeline = new ArrayList<>();
    private final List<WindowStats> judged = new ArrayList<>();

    private long resolution;
    private boolean pending;
    private String choice;
    private boolean chosenFromData;
    private TreeMap<Long, WindowStats> buffer = new TreeMap<>();
    /** The window the last event went to: consecutive events mostly share one, and a map lookup per event costs. */
    private WindowStats current;

    private boolean streaming;
    private final TreeMap<Long, WindowStats> open = new TreeMap<>();
    private final ArrayDeque<WindowStats> history = new ArrayDeque<>();
    private long lastClosed = Long.MIN_VALUE;
    private long maxIndex = Long.MIN_VALUE;
    private long latenessWindows;
    private long lateEvents;
    private int closedSinceSeriesCheck;
    private boolean dropsChecked;
    private int windowCount;

    private final boolean continuous;
    private final List<WindowStats> held = new ArrayList<>();

    /**
     * @param continuous the source goes on after this job (Kafka, a database, an API): windows still within the
     *                   lateness allowance at the end are held for its next job instead of judged now
     * @param carried    windows the source's previous job held, at the same window length
     */
    WindowSeries(DetectionSettings settings, Duration window, String choice, CountJudge counts, List<SeriesJudge> judges,
                 ForestJudge forest, boolean continuous, List<WindowStats> carried) {
        this.continuous = continuous;
        this.settings = settings;
        this.counts = counts;
        this.judges = judges;
        this.forest = forest;
        this.pending = window == null;
        this.resolution = window == null ? TimeScale.RESOLUTIONS[0] : Math.max(window.toMillis(), 1);
        this.choice = window == null ? null : choice;
        this.latenessWindows = lateness(resolution);
        for (WindowStats w : carried) {
            buffer.computeIfAbsent(w.index, WindowStats::new).merge(w);
        }
    }

    /** Windows held for the source's next job (continuous sources), in time order. */
    List<WindowStats> held() {
        return held;
    }

    private long lateness(long windowMillis) {
        return Math.max(1, (settings.lateness().toMillis() + windowMillis - 1) / windowMillis);
    }

    long windowMillis() {
        return resolution;
    }

    String choice() {
        return choice;
    }

    boolean chosenFromData() {
        return chosenFromData;
    }

    boolean rolling() {
        return streaming;
    }

    long lateEvents() {
        return lateEvents;
    }

    int windowCount() {
        return windowCount;
    }

    boolean dropsChecked() {
        return dropsChecked;
    }

    /** What the {@link SeriesJudge series judges} found. */
    List<Anomaly> seriesFindings() {
        return seriesFound;
    }

    List<DetectionResult.TimelinePoint> timeline() {
        return timeline;
    }

    /** The window for an event at {@code millis}, or null when that window was already judged (too late). */
    WindowStats windowFor(long millis) {
        long index = Math.floorDiv(millis, resolution);
        if (current != null && current.index == index) {
            return current;
        }
        current = placeFor(index, millis);
        return current;
    }

    private WindowStats placeFor(long index, long millis) {
        if (!streaming) {
            WindowStats w = buffer.computeIfAbsent(index, WindowStats::new);
            if (pending && buffer.size() > MAX_BUCKETS) {
                coarsen(TimeScale.coarser(resolution));
                return buffer.get(Math.floorDiv(millis, resolution));
            }
            if (!pending && buffer.size() > MAX_BUFFER) {
                startStreaming();
                return windowFor(millis);
            }
            return w;
        }
        if (index <= lastClosed) {
            lateEvents++;
            return null;
        }
        if (index > maxIndex) {
            maxIndex = index;
            while (!open.isEmpty() && open.firstKey() < index - latenessWindows) {
                close(open.pollFirstEntry().getValue());
            }
        }
        return open.computeIfAbsent(index, WindowStats::new);
    }

    /** Sums the buckets into a coarser resolution that divides the final window. */
    private void coarsen(long to) {
        current = null;
        TreeMap<Long, WindowStats> merged = new TreeMap<>();
        for (WindowStats bucket : buffer.values()) {
            long index = Math.floorDiv(bucket.index * resolution, to);
            merged.computeIfAbsent(index, WindowStats::new).merge(bucket);
        }
        buffer = merged;
        resolution = to;
    }

    /** Judges what was buffered with the input as its own baseline, then goes on as a stream. */
    private void startStreaming() {
        current = null;
        List<WindowStats> done = new ArrayList<>();
        while (buffer.size() > latenessWindows + 1) {
            done.add(buffer.pollFirstEntry().getValue());
        }
        List<WindowStats> windows = filled(done);
        judgeAll(windows, false);
        for (WindowStats w : windows) {
            remember(w);
        }
        lastClosed = windows.get(windows.size() - 1).index;
        open.putAll(buffer);
        maxIndex = open.isEmpty() ? lastClosed : open.lastKey();
        buffer = new TreeMap<>();
        streaming = true;
    }

    /**
     * Judges everything still open.
     *
     * @return the windows judged with the input as its own baseline (for the forest's influencers)
     */
    List<WindowStats> finish(Instant first, Instant last, long events) {
        current = null;
        if (pending) {
            long span = robustSpan(first, last, events);
            TimeScale.Choice chosen = TimeScale.choose(span, events, settings.targetWindows(), resolution);
            coarsen(chosen.window().toMillis());
            choice = chosen.reason();
            chosenFromData = true;
            pending = false;
            latenessWindows = lateness(resolution);
        }
        if (!streaming) {
            if (continuous && !buffer.isEmpty()) {
                long newest = buffer.lastKey();
                while (!buffer.isEmpty() && buffer.lastKey() > newest - latenessWindows) {
                    held.add(0, buffer.pollLastEntry().getValue());
                }
            }
            if (!buffer.isEmpty()) {
                judgeAll(filled(new ArrayList<>(buffer.values())), !continuous);
            }
            return judged;
        }
        if (continuous) {
            held.addAll(open.values());
            open.clear();
            checkSeries(false);
            return judged;
        }
        while (!open.isEmpty()) {
            close(open.pollFirstEntry().getValue());
        }
        checkSeries(true);
        return judged;
    }

    /**
     * The time the bulk of the events cover: a stray line from another year must not stretch every window of the
     * input, so the first and last half percent of the events are left out.
     */
    private long robustSpan(Instant first, Instant last, long events) {
        if (first == null || buffer.isEmpty()) return 0;
        long total = 0;
        for (WindowStats b : buffer.values()) total += b.events;
        long trim = total / 200;
        long seen = 0;
        long from = buffer.firstKey();
        long to = buffer.lastKey();
        boolean fromSet = false;
        for (WindowStats b : buffer.values()) {
            seen += b.events;
            if (!fromSet && seen > trim) {
                from = b.index;
                fromSet = true;
            }
            if (seen >= total - trim) {
                to = b.index;
                break;
            }
        }
        long bucketed = (to - from + 1) * resolution;
        return Math.min(last.toEpochMilli() - first.toEpochMilli(), Math.max(bucketed, 0));
    }

    /** Consecutive windows with the gaps between them as empty windows (silence is part of the baseline). */
    private List<WindowStats> filled(List<WindowStats> windows) {
        List<WindowStats> all = new ArrayList<>(windows.size());
        long previous = Long.MIN_VALUE;
        for (WindowStats w : windows) {
            if (previous != Long.MIN_VALUE) {
                long gap = Math.min(w.index - previous - 1, settings.baselineWindows());
                for (long i = w.index - gap; i < w.index; i++) all.add(new WindowStats(i));
            }
            all.add(w);
            previous = w.index;
        }
        return all;
    }

    private void judgeAll(List<WindowStats> windows, boolean complete) {
        for (WindowStats w : windows) {
            counts.judge(w, windows, false);
            after(w);
        }
        judged.addAll(windows);
        dropsChecked |= windows.size() >= 6;
        for (SeriesJudge judge : judges) seriesFound.addAll(judge.find(windows, complete));
    }

    private void close(WindowStats window) {
        if (current == window) current = null;
        if (lastClosed != Long.MIN_VALUE) {
            long gap = Math.min(window.index - lastClosed - 1, settings.baselineWindows());
            for (long i = window.index - gap; i < window.index; i++) {
                WindowStats empty = new WindowStats(i);
                timeline.add(new DetectionResult.TimelinePoint(Instant.ofEpochMilli(i * resolution), 0, 0));
                remember(empty);
            }
        }
        counts.judge(window, List.copyOf(history), true);
        after(window);
        window.dropExamples();
        remember(window);
        lastClosed = window.index;
        if (++closedSinceSeriesCheck >= settings.baselineWindows() / 2) {
            checkSeries(false);
        }
    }

    private void checkSeries(boolean complete) {
        closedSinceSeriesCheck = 0;
        if (history.size() >= 6) {
            dropsChecked = true;
            List<WindowStats> run = List.copyOf(history);
            for (SeriesJudge judge : judges) seriesFound.addAll(judge.find(run, complete));
        }
    }

    private void after(WindowStats w) {
        windowCount++;
        forest.add(w);
        timeline.add(new DetectionResult.TimelinePoint(Instant.ofEpochMilli(w.index * resolution), w.events, w.errors));
    }

    private void remember(WindowStats window) {
        history.addLast(window);
        while (history.size() > settings.baselineWindows()) {
            history.removeFirst();
        }
    }
}
