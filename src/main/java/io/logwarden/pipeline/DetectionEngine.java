package io.logwarden.pipeline;

import io.logwarden.detect.DetectionResult;
import io.logwarden.detect.DetectionSettings;
import io.logwarden.detect.FeedbackRules;
import io.logwarden.detect.EventPreparer;
import io.logwarden.detect.JobDetection;
import io.logwarden.detect.PreparedBatch;
import io.logwarden.detect.SessionDetector;
import io.logwarden.detect.Template;
import io.logwarden.detect.TemplateMiner;
import io.logwarden.detect.TemplateSnapshot;
import io.logwarden.detect.WindowIsolationDetector;

import io.logwarden.detect.WindowStatsCodec;

import io.logwarden.config.DetectProperties;
import io.logwarden.config.ReportProperties;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.event.LogEvent;
import io.logwarden.store.JobRepository;
import io.logwarden.store.ModelRepository;
import io.logwarden.store.SourceStateRepository;
import io.logwarden.store.SuppressionRuleRepository;
import io.logwarden.store.TemplateRepository;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The detection bean the analyze route calls: {@code observe} for each batch of valid events, {@code finish}
 * once the job's input is exhausted. Template state and the chosen window are loaded per source when its job starts
 * and saved when it finishes, so the next job of that source knows what is new.
 */
@Component("detectionEngine")
public class DetectionEngine {

    private static final Logger log = LoggerFactory.getLogger(DetectionEngine.class);

    private final DetectionSettings settings;
    private final ReportProperties reportProps;
    private final TemplateRepository templates;
    private final SourceStateRepository sources;
    private final ModelRepository models;
    private final Clock clock;
    private final JobRepository jobRecords;
    private final SuppressionRuleRepository feedback;
    private final Map<Long, JobDetection> jobs = new ConcurrentHashMap<>();
    private final EventPreparer preparer;

    /** Windows a continuous source's job held for its next one (see {@code WindowSeries}). */
    static final String OPEN_WINDOWS = "open-windows";

    public DetectionEngine(DetectProperties props, ReportProperties reportProps, TemplateRepository templates,
                           SourceStateRepository sources, ModelRepository models, Clock clock, JobRepository jobRecords,
                           SuppressionRuleRepository feedback) {
        this.jobRecords = jobRecords;
        this.feedback = feedback;
        this.models = models;
        this.clock = clock;
        this.settings = props.settings();
        this.preparer = new EventPreparer(settings);
        this.reportProps = reportProps;
        this.templates = templates;
        this.sources = sources;
    }

    public void observe(List<LogEvent> events, @Header(ExchangeHeaders.JOB_ID) long jobId,
                        @Header(ExchangeHeaders.SOURCE) String source) {
        JobDetection job = jobs.computeIfAbsent(jobId, id -> start(source, continuous(id)));
        synchronized (job) {
            if (events instanceof PreparedBatch prepared) {
                job.observe(prepared);
                return;
            }
            for (LogEvent event : events) {
                job.observe(event);
            }
        }
    }

    /**
     * Prepares a batch for {@link #observe} with the engine's settings, on the caller's thread (a source's reading
     * thread), validating it with {@code check}.
     */
    public PreparedBatch prepare(List<LogEvent> events, java.util.function.Function<LogEvent, String> check) {
        return preparer.prepare(events, check);
    }

    /** See {@link EventPreparer#forgetBuffers()}. */
    void forgetPreparationBuffers() {
        preparer.forgetBuffers();
    }

    /**
     * Judges the last windows, saves the source's templates and returns what the job found, with operators' rules
     * applied: suppressed anomalies marked, findings within an expected baseline left out.
     */
    public DetectionResult finish(@Header(ExchangeHeaders.JOB_ID) long jobId, @Header(ExchangeHeaders.SOURCE) String source) {
        JobDetection job = jobs.remove(jobId);
        if (job == null) {
            job = start(source, continuous(jobId)); // a job whose input held no valid event
        }
        synchronized (job) {
            DetectionResult result = applyFeedback(source, job.finish(reportProps.topTemplates()));
            templates.save(source, job.miner().snapshot(), job.templateSeen(), job.templateExamples());
            saveModels(source, job);
            if (job.continuous()) {
                WindowStatsCodec.Stored held = job.heldWindows();
                models.save(source, OPEN_WINDOWS, bytes(() -> WindowStatsCodec.write(held.windowMillis(), held.windows())),
                        clock.instant(), held.windows().size());
            }
            if (job.firstEvent() != null) {
                sources.record(source, job.firstEvent(), job.lastEvent(), job.events());
                if (job.windowChosenFromData()) {
                    sources.keepWindow(source, job.window(), job.windowChoice());
                }
            }
            return result;
        }
    }

    private DetectionResult applyFeedback(String source, DetectionResult result) {
        List<FeedbackRules.Rule> rules = feedback.active(source, clock.instant());
        if (rules.isEmpty()) {
            return result;
        }
        FeedbackRules.Applied applied = FeedbackRules.apply(result.anomalies(), rules, clock.instant());
        List<DetectionResult.Check> checks = new java.util.ArrayList<>(result.checks());
        checks.add(new DetectionResult.Check("feedback", true, applied.note()));
        return new DetectionResult(result.source(), result.events(), result.lateEvents(), result.levels(),
                result.firstEvent(), result.lastEvent(), result.windowSeconds(), result.windowChoice(), result.timeline(),
                result.topTemplates(), result.templates(), result.newTemplates(), applied.anomalies(), List.copyOf(checks));
    }

    /** Forgets a failed job's state without saving it. */
    public void discard(@Header(ExchangeHeaders.JOB_ID) Long jobId) {
        if (jobId != null) {
            jobs.remove(jobId);
        }
    }

    /** Files end; databases, APIs and Kafka topics go on, so their last windows wait for late events. */
    private boolean continuous(long jobId) {
        return jobRecords.find(jobId).map(j -> !"file".equals(j.trigger())).orElse(false);
    }

    private JobDetection start(String source, boolean continuous) {
        List<TemplateSnapshot> state = templates.load(source);
        DetectionSettings settings = this.settings;
        TemplateMiner miner = TemplateMiner.restore(JobDetection.minerConfig(settings), state);
        Set<String> known = new HashSet<>();
        for (TemplateSnapshot snapshot : state) {
            known.add(snapshot.id());
            known.addAll(snapshot.previousIds());
        }
        Optional<ModelRepository.StoredModel> windowModel = settings.forest().enabled()
                ? models.find(source, ModelRepository.WINDOW_FOREST) : Optional.empty();
        WindowIsolationDetector forest = windowModel.map(m -> read(() -> WindowIsolationDetector.fromBytes(m.bytes()))).orElse(null);
        boolean forestStale = forest == null || isStale(windowModel.get(), settings.forest().retrainAfter());
        SourceStateRepository.History history = sources.history(source);
        WindowStatsCodec.Stored carried = continuous ? models.find(source, OPEN_WINDOWS)
                .map(m -> read(() -> WindowStatsCodec.read(m.bytes()))).orElse(null) : null;
        return new JobDetection(source, miner, known,
                new JobDetection.SourceHistory(history.events(), history.window(), history.windowReason()), settings,
                forest, forestStale, sessionDetector(source), continuous, carried);
    }

    /** A session detector with the source's kept model when it is fresh; null when sessions are off. */
    private SessionDetector sessionDetector(String source) {
        DetectionSettings.Sessions config = settings.sessions();
        if (!config.enabled()) {
            return null;
        }
        Optional<ModelRepository.StoredModel> stored = models.find(source, ModelRepository.SESSION_FOREST);
        if (stored.isPresent() && !isStale(stored.get(), config.retrainAfter())) {
            SessionDetector kept = read(() -> SessionDetector.fromBytes(stored.get().bytes()));
            if (kept != null) {
                return kept;
            }
        }
        SessionDetector.Builder builder = SessionDetector.builder();
        if (!config.key().isBlank()) {
            builder.sessionKey(Pattern.compile(config.key()));
        } else {
            builder.sessionAttribute(config.field());
        }
        return builder.build();
    }

    private void saveModels(String source, JobDetection job) {
        WindowIsolationDetector trained = job.trainedWindowModel();
        if (trained != null) {
            models.save(source, ModelRepository.WINDOW_FOREST, bytes(trained::toBytes), clock.instant(), trained.baselineWindows());
            log.info("Source {}: window Isolation Forest trained on {} windows", source, trained.baselineWindows());
        }
        SessionDetector sessions = job.sessions();
        if (sessions != null && sessions.sessionCount() >= 2) {
            Optional<ModelRepository.StoredModel> stored = models.find(source, ModelRepository.SESSION_FOREST);
            if (stored.isEmpty() || isStale(stored.get(), settings.sessions().retrainAfter())) {
                String summary = sessions.retrain();
                models.save(source, ModelRepository.SESSION_FOREST, bytes(sessions::toBytes), clock.instant(),
                        sessions.sessionCount());
                log.info("Source {}: session model trained: {}", source, summary);
            }
        }
    }

    private boolean isStale(ModelRepository.StoredModel model, java.time.Duration maxAge) {
        return model.trainedAt().plus(maxAge).isBefore(clock.instant());
    }

    private interface IoSupplier<T> {
        T get() throws java.io.IOException;
    }

    /** A model that no longer loads (a class changed) is retrained rather than failing the job. */
    private static <T> T read(IoSupplier<T> reader) {
        try {
            return reader.get();
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("A stored model could not be read and will be retrained: {}", e.getMessage());
            return null;
        }
    }

    private static byte[] bytes(IoSupplier<byte[]> writer) {
        try {
            return writer.get();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not serialise a model", e);
        }
    }
}
