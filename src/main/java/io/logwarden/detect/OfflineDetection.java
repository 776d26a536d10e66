package io.logwarden.detect;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Detection without a database, for the command line: the same per-job detection the service runs, with each
 * source's state (templates, events seen, the window chosen from its first data) kept in memory between the jobs of
 * one run instead of in PostgreSQL. Feeding the files of a source one job after another therefore judges them as the
 * service would judge those files dropped into its inbox one after another, starting from an empty database.
 *
 * <p>Not thread-safe: one caller at a time, like {@link TemplateMiner}.
 */
public final class OfflineDetection {

    private final DetectionSettings settings;
    private final Map<String, SourceState> sources = new HashMap<>();
    private final EventPreparer preparer;

    public OfflineDetection(DetectionSettings settings) {
        this.settings = settings;
        this.preparer = new EventPreparer(settings);
    }

    /** Prepares batches for {@link Job#observe(PreparedBatch)} (on a reading thread, say), as the service does. */
    public EventPreparer preparer() {
        return preparer;
    }

    /** A miner builder with the configured settings and user masks (the service uses the same). */
    public static TemplateMiner.Builder minerConfig(DetectionSettings settings) {
        return JobDetection.minerConfig(settings);
    }

    /** Starts a job (one file) of a source; the source's templates from earlier jobs of this run count as known. */
    public Job start(String source) {
        SourceState state = sources.computeIfAbsent(source, s -> new SourceState(JobDetection.minerConfig(settings).build()));
        Set<String> known = new HashSet<>();
        for (Template t : state.miner.templates()) {
            known.add(t.id());
            known.addAll(t.previousIds());
        }
        return new Job(state, new JobDetection(source, state.miner, known,
                new JobDetection.SourceHistory(state.events, state.window, state.windowReason), settings, null, true, null));
    }

    /** One job: {@link #observe} its valid events in file order, then {@link #finish}. */
    public static final class Job {
        private final SourceState state;
        private final JobDetection detection;

        private Job(SourceState state, JobDetection detection) {
            this.state = state;
            this.detection = detection;
        }

        public void observe(io.logwarden.event.LogEvent event) {
            detection.observe(event);
        }

        /** The valid events of a batch prepared by {@link OfflineDetection#preparer()}, in order. */
        public void observe(PreparedBatch batch) {
            detection.observe(batch);
        }

        /** Judges the last windows and returns what the job found; the source remembers this job's templates. */
        public DetectionResult finish(int topTemplates) {
            DetectionResult result = detection.finish(topTemplates);
            state.events += detection.events();
            if (detection.windowChosenFromData() && state.window == null && detection.firstEvent() != null) {
                state.window = detection.window();
                state.windowReason = detection.windowChoice();
            }
            return result;
        }
    }

    private static final class SourceState {
        final TemplateMiner miner;
        long events;
        Duration window;
        String windowReason;

        SourceState(TemplateMiner miner) {
            this.miner = miner;
        }
    }
}
