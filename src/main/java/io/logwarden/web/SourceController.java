package io.logwarden.web;

import io.logwarden.event.ExchangeHeaders;
import io.logwarden.pipeline.JobLifecycle;
import io.logwarden.source.SourceTriggers;
import io.logwarden.store.Job;
import io.logwarden.store.JobRepository;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Runs a database or REST source once, now, and answers with its job when it is over (the request waits for
 * the run). Behind the operator sign-in like everything but health.
 */
@RestController
@RequestMapping("/api/sources")
class SourceController {

    private final SourceTriggers triggers;
    private final ProducerTemplate producer;
    private final JobRepository jobs;

    SourceController(SourceTriggers triggers, ProducerTemplate producer, JobRepository jobs) {
        this.triggers = triggers;
        this.producer = producer;
        this.jobs = jobs;
    }

    @PostMapping("/{name}/run")
    ResponseEntity<?> run(@PathVariable String name) {
        switch (triggers.kind(name)) {
            case UNKNOWN:
                return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no source named " + name));
            case KAFKA:
                return ResponseEntity.status(HttpStatus.CONFLICT)
                        .body(Map.of("error", "source " + name + " is a Kafka consumer: it runs continuously"));
            default:
                break;
        }
        Exchange done = producer.send("direct:run-source", ex -> {
            ex.getIn().setHeader(ExchangeHeaders.SOURCE_NAME, name);
            ex.getIn().setHeader(ExchangeHeaders.TRIGGER, "manual");
        });
        Long jobId = done.getMessage().getHeader(ExchangeHeaders.JOB_ID, Long.class);
        if (jobId == null) {
            String reason = done.getMessage().getHeader(ExchangeHeaders.FAILURE_REASON, String.class);
            return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(Map.of("error", String.valueOf(reason)));
        }
        Job job = jobs.find(jobId).orElseThrow();
        return ResponseEntity.ok(job);
    }
}
