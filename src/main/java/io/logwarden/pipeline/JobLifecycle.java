package io.logwarden.pipeline;

import io.logwarden.event.LogText;

import io.logwarden.pipeline.DetectionEngine;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.config.SourcesProperties;
import io.logwarden.ingest.IngestException;
import io.logwarden.store.AnomalyRepository;
import io.logwarden.store.JobRepository;
import io.logwarden.store.ReportRepository;
import java.util.Map;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.RuntimeCamelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Opens and closes jobs, as bean steps routes call ({@code jobs}): {@code start} opens one (any YAML route can),
 * {@code succeed} closes it once its reports are written ({@code direct:publish} does), {@code fail} closes it with
 * a reason people can act on (the {@code source-errors} route configuration does).
 */
@Component("jobs")
public class JobLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobLifecycle.class);

    private final JobRepository jobs;
    private final ReportRepository reports;
    private final DetectionEngine detection;
    private final AnomalyRepository anomalies;
    private final JobProgress progress;
    private final Map<Long, String> unclosed = new java.util.concurrent.ConcurrentHashMap<>();

    private final PipelineWarmUp warmUp;

    public JobLifecycle(JobRepository jobs, ReportRepository reports, DetectionEngine detection,
                        AnomalyRepository anomalies, JobProgress progress, PipelineWarmUp warmUp) {
        this.warmUp = warmUp;
        this.progress = progress;
        this.jobs = jobs;
        this.anomalies = anomalies;
        this.reports = reports;
        this.detection = detection;
    }

    /**
     * Opens a job for the route's input, committed at once (so a failure is recorded), and puts its headers on the
     * exchange for {@code direct:analyze}, {@code direct:finish-job} and the error handler. From YAML:
     * {@code - bean: {ref: jobs, method: "start('orders-export', *)"}}. The trigger is the exchange's
     * {@value ExchangeHeaders#TRIGGER} header, else {@code schedule}; the input's name (reports are named after it)
     * the {@value ExchangeHeaders#INPUT} header, else the file's name, else the source. Returns nothing, so the
     * body (the input) is left as it is.
     */
    public void start(String source, Exchange exchange) {
        start(source, exchange.getIn().getHeader(ExchangeHeaders.TRIGGER, "schedule", String.class), exchange);
    }

    /** As {@link #start(String, Exchange)} with the trigger named: {@code "start('orders-export', 'file', *)"}. */
    public void start(String source, String trigger, Exchange exchange) {
        if (source == null || !source.matches(SourcesProperties.NAME)) {
            throw new IngestException("jobs.start: source name '" + source + "' must match " + SourcesProperties.NAME
                    + " (it names the job, its reports and its detection state)");
        }
        closeUnclosed();
        warmUp.stop(); // real work has the cores
        String input = exchange.getIn().getHeader(ExchangeHeaders.INPUT, String.class);
        if (input == null) {
            input = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, source, String.class);
        }
        Long bytes = exchange.getIn().getHeader(Exchange.FILE_LENGTH, Long.class);
        long jobId = jobs.start(source, trigger, input, bytes);
        exchange.getIn().setHeader(ExchangeHeaders.JOB_ID, jobId);
        exchange.getIn().setHeader(ExchangeHeaders.SOURCE, source);
        exchange.getIn().setHeader(ExchangeHeaders.INPUT, input);
        log.info("Job {} started: source {} ({}, route {})", jobId, source, trigger, exchange.getFromRouteId());
    }

    public void succeed(@Header(ExchangeHeaders.JOB_ID) long jobId, @Header(ExchangeHeaders.INPUT) String input,
                        @Header(ExchangeHeaders.WARNINGS) String warnings) {
        progress.flush(jobId); // a route's last batches, if its source did not flush them itself
        Map<String, Integer> bySeverity = anomalies.countBySeverity(jobId);
        int total = bySeverity.values().stream().mapToInt(Integer::intValue).sum();
        jobs.succeed(jobId, total, warnings);
        StringBuilder where = new StringBuilder();
        for (ReportRepository.ReportRecord r : reports.forJob(jobId)) {
            where.append("\n    ").append(r.format().toUpperCase()).append(": ").append(r.location());
        }
        log.info("Job {} ({}) succeeded: {} {} {}{}{}", jobId, LogText.escape(input), total, total == 1 ? "anomaly" : "anomalies", bySeverity,
                warnings == null ? "" : " — " + warnings, where);
    }

    /** Marks the exchange's job failed; returns the reason, also left in the {@value ExchangeHeaders#FAILURE_REASON} header. */
    public String fail(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            error = exchange.getException();
        }
        // A step that knew better (the REST retries: which page, how many attempts) left the reason already.
        String known = exchange.getIn().getHeader(ExchangeHeaders.FAILURE_REASON, String.class);
        // a source's URL may carry a key (?api_key=...): the reason is stored, logged and shown, so it is masked
        String reason = LogText.maskSecrets(known != null ? known : reason(error));
        String endpoint = exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class);
        if (endpoint != null && endpoint.startsWith("sql:")) {
            // The driver's own message ("relation x does not exist") is what people act on; the query is theirs.
            reason = "the query of source " + exchange.getIn().getHeader(ExchangeHeaders.SOURCE, String.class)
                    + " failed: " + reason;
        }
        Long jobId = exchange.getIn().getHeader(ExchangeHeaders.JOB_ID, Long.class);
        String input = exchange.getIn().getHeader(ExchangeHeaders.INPUT, String.class);
        exchange.getIn().setHeader(ExchangeHeaders.FAILURE_REASON, reason);
        // Nothing here may throw: the source route still has to keep the input retriable (and write its .reason),
        // also when the failure is the database's.
        try {
            detection.discard(jobId);
        } catch (RuntimeException e) {
            log.debug("discarding job {}'s detection state failed", jobId, e);
        }
        if (jobId != null) {
            try {
                progress.flush(jobId);
                jobs.fail(jobId, reason, exchange.getIn().getHeader(ExchangeHeaders.WARNINGS, String.class));
            } catch (RuntimeException e) {
                unclosed.put(jobId, reason);
                log.warn("Job {} ({}) could not be marked failed now (the database does not answer): {}; it will be"
                        + " once the database is back", jobId, LogText.escape(input), reason(e));
            }
        }
        log.warn("Job {} ({}) failed: {}", jobId == null ? "-" : jobId, LogText.escape(input), reason);
        if (error != null && log.isDebugEnabled()) {
            log.debug("Job {} failure", jobId, error);
        }
        return reason;
    }

    /**
     * Closes the jobs that failed while the database was unavailable (their failure could not be written): failed,
     * with their reason, and without what they wrote, since their input is analysed again. Called before a new job
     * starts; does nothing while the database is still away.
     */
    public void closeUnclosed() {
        for (Map.Entry<Long, String> e : Map.copyOf(unclosed).entrySet()) {
            try {
                jobs.fail(e.getKey(), "the database became unavailable during this job (" + e.getValue()
                        + "); its input is analysed again by a later job", null);
                jobs.discardOutput(e.getKey());
                unclosed.remove(e.getKey());
            } catch (RuntimeException stillDown) {
                return;
            }
        }
    }

    /** The message people need: the innermost cause that says something, without Camel's wrappers. */
    static String reason(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        Throwable t = error;
        while ((t instanceof CamelExecutionException || t instanceof RuntimeCamelException
                || t instanceof java.lang.reflect.InvocationTargetException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof org.springframework.dao.DataAccessException dae && dae.getMostSpecificCause() != null) {
            t = dae.getMostSpecificCause(); // the driver's message, not Spring's wrapper around the statement
        }
        // One line: a driver's message can carry its own line breaks ("\n  Position: 25").
        String message = t.getMessage() == null ? null : t.getMessage().strip().replaceAll("\\s*\\R\\s*", "; ");
        boolean plain = t instanceof java.io.IOException || t instanceof java.sql.SQLException
                || t.getClass().getName().startsWith("io.logwarden");
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return plain ? message : t.getClass().getSimpleName() + ": " + message;
    }
}
