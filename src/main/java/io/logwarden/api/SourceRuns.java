package io.logwarden.api;

import io.logwarden.event.ExchangeHeaders;
import io.logwarden.source.SourceTriggers;
import io.logwarden.store.JobQueries;
import io.logwarden.store.JobView;
import io.logwarden.store.NotFoundException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Service;

/**
 * Runs a SQL or REST source now and waits for its job: the API's {@code POST /api/v1/sources/{name}/run} and the
 * dashboard's "run now" both call {@link #runNow}.
 */
@Service
public class SourceRuns {

    /** The source cannot be run on demand (a Kafka consumer runs continuously). */
    public static class NotRunnableException extends RuntimeException {
        NotRunnableException(String message) {
            super(message);
        }
    }

    // The run-now route's headers by value (the constants move from SourceRunner and JobLifecycle to ExchangeHeaders
    // on wt-sources; the values are the same on both sides).
    static final String SOURCE_NAME = "logwardenSourceName";
    static final String TRIGGER = "logwardenTrigger";
    static final String FAILURE_REASON = "logwardenFailure";

    private final SourceTriggers triggers;
    private final ProducerTemplate producer;
    private final JobQueries jobs;

    SourceRuns(SourceTriggers triggers, ProducerTemplate producer, JobQueries jobs) {
        this.triggers = triggers;
        this.producer = producer;
        this.jobs = jobs;
    }

    /**
     * Runs the source once, trigger {@code manual}; returns its finished job.
     *
     * @throws NotFoundException     for an unknown source
     * @throws NotRunnableException  for a Kafka source
     * @throws IllegalStateException when no job could be started (the reason is in the message)
     */
    public JobView runNow(String name) {
        switch (triggers.kind(name)) {
            case UNKNOWN -> throw new NotFoundException("source", name, "no source named " + name);
            case KAFKA -> throw new NotRunnableException("source " + name + " is a Kafka consumer: it runs continuously");
            default -> { }
        }
        Exchange done = producer.send("direct:run-source", ex -> {
            ex.getIn().setHeader(SOURCE_NAME, name);
            ex.getIn().setHeader(TRIGGER, "manual");
        });
        Long jobId = done.getMessage().getHeader(ExchangeHeaders.JOB_ID, Long.class);
        if (jobId == null) {
            String reason = done.getMessage().getHeader(FAILURE_REASON, String.class);
            throw new IllegalStateException("source " + name + " could not start a job: " + reason);
        }
        return jobs.find(jobId).orElseThrow(() -> new NotFoundException("job", jobId));
    }
}
