package io.logwarden.detect;

import io.logwarden.config.DetectProperties;
import io.logwarden.config.ReportProperties;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.event.LogEvent;
import io.logwarden.store.SourceStateRepository;
import io.logwarden.store.TemplateRepository;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * The detection bean the analyze route calls: {@code observe} for each batch of valid events, {@code finish}
 * once the job's input is exhausted. Template state is loaded per source when its job starts and saved when it
 * finishes, so the next job of that source knows what is new.
 */
@Component("detectionEngine")
public class DetectionEngine {

    private final DetectProperties props;
    private final ReportProperties reportProps;
    private final TemplateRepository templates;
    private final SourceStateRepository sources;
    private final Map<Long, JobDetection> jobs = new ConcurrentHashMap<>();

    public DetectionEngine(DetectProperties props, ReportProperties reportProps, TemplateRepository templates,
                           SourceStateRepository sources) {
        this.props = props;
        this.reportProps = reportProps;
        this.templates = templates;
        this.sources = sources;
    }

    /** A miner with the configured settings and user masks, empty. */
    public TemplateMiner.Builder minerConfig() {
        TemplateMiner.Builder builder = TemplateMiner.builder()
                .depth(props.miner().depth())
                .similarity(props.miner().similarity())
                .maxChildren(props.miner().maxChildren());
        props.masks().forEach(builder::mask);
        return builder;
    }

    public void observe(List<LogEvent> events, @Header(ExchangeHeaders.JOB_ID) long jobId,
                        @Header(ExchangeHeaders.SOURCE) String source) {
        JobDetection job = jobs.computeIfAbsent(jobId, id -> start(source));
        synchronized (job) {
            for (LogEvent event : events) {
                job.observe(event);
            }
        }
    }

    /** Judges the last windows, saves the source's templates and returns what the job found. */
    public DetectionResult finish(@Header(ExchangeHeaders.JOB_ID) long jobId, @Header(ExchangeHeaders.SOURCE) String source) {
        JobDetection job = jobs.remove(jobId);
        if (job == null) {
            job = start(source); // a job whose input held no valid event
        }
        synchronized (job) {
            DetectionResult result = job.finish(reportProps.topTemplates());
            templates.save(source, job.miner().snapshot(), job.templateSeen());
            if (job.firstEvent() != null) {
                sources.record(source, job.firstEvent(), job.lastEvent(), job.events());
            }
            return result;
        }
    }

    /** Forgets a failed job's state without saving it. */
    public void discard(@Header(ExchangeHeaders.JOB_ID) Long jobId) {
        if (jobId != null) {
            jobs.remove(jobId);
        }
    }

    private JobDetection start(String source) {
        List<TemplateSnapshot> state = templates.load(source);
        TemplateMiner miner = TemplateMiner.restore(minerConfig(), state);
        Set<String> known = new HashSet<>();
        for (TemplateSnapshot snapshot : state) {
            known.add(snapshot.id());
            known.addAll(snapshot.previousIds());
        }
        return new JobDetection(source, miner, known, sources.firstEvent(source).orElse(null), props);
    }
}
