package io.logwarden.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The pipeline's own metrics for Prometheus ({@code /actuator/prometheus}), counted where jobs, anomalies and LLM
 * calls are stored (once the surrounding transaction commits, so a rolled-back write is not counted):
 * {@code logwarden_events_read_total}, {@code logwarden_events_quarantined_total},
 * {@code logwarden_anomalies_total{severity,detector,source}}, {@code logwarden_jobs_total{status}},
 * {@code logwarden_job_duration_seconds{status}} and {@code logwarden_llm_calls_total{outcome}}; and, read when
 * Prometheus scrapes, {@code logwarden_jobs_running}.
 */
@Component
public class LogwardenMetrics {

    private final MeterRegistry registry;
    private final Counter eventsRead;
    private final Counter eventsQuarantined;

    public LogwardenMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.eventsRead = Counter.builder("logwarden.events.read")
                .description("Events parsed from inputs (files, SQL, REST, Kafka) and passed to validation").register(registry);
        this.eventsQuarantined = Counter.builder("logwarden.events.quarantined")
                .description("Records quarantined: unreadable or failing validation, kept with the reason").register(registry);
        // Known label values start at zero, so rates and dashboards work before the first of each.
        for (String status : List.of(Job.SUCCEEDED, Job.FAILED, Job.EMPTY, Job.INTERRUPTED)) {
            jobs(status);
        }
        for (String outcome : List.of("answered", "invalid", "failed")) {
            llmCalls(outcome);
        }
    }

    public void events(long parsed, long quarantined) {
        if (parsed > 0 || quarantined > 0) {
            afterCommit(() -> {
                eventsRead.increment(parsed);
                eventsQuarantined.increment(quarantined);
            });
        }
    }

    public void anomaly(String severity, String detector, String source) {
        afterCommit(() -> Counter.builder("logwarden.anomalies").description("Anomalies stored")
                .tag("severity", severity).tag("detector", detector).tag("source", source)
                .register(registry).increment());
    }

    /** A job ended with {@code status}, after {@code seconds} (null when unknown). */
    public void jobFinished(String status, Double seconds) {
        afterCommit(() -> {
            jobs(status).increment();
            if (seconds != null && seconds >= 0) {
                Timer.builder("logwarden.job.duration").description("How long jobs ran, start to end")
                        .tag("status", status).publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofHours(2))
                        .register(registry).record(Duration.ofMillis(Math.round(seconds * 1000)));
            }
        });
    }

    /** The jobs this instance runs now, as {@code running} counts them (read at each scrape). */
    public void jobsRunning(Supplier<Number> running) {
        Gauge.builder("logwarden.jobs.running", running).description("Jobs this instance is running now")
                .strongReference(true).register(registry);
    }

    public void llmCall(String outcome) {
        afterCommit(() -> llmCalls(outcome).increment());
    }

    private Counter jobs(String status) {
        return Counter.builder("logwarden.jobs").description("Jobs ended, by status").tag("status", status).register(registry);
    }

    private Counter llmCalls(String outcome) {
        return Counter.builder("logwarden.llm.calls").description("Calls made to the LLM provider, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    private static void afterCommit(Runnable count) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    count.run();
                }
            });
        } else {
            count.run();
        }
    }
}
