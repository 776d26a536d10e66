package io.logwarden.api;

import io.logwarden.event.ExchangeHeaders;
import io.logwarden.pipeline.JobLifecycle;
import io.logwarden.source.SourceRunner;
import io.logwarden.source.SourceTriggers;
import io.logwarden.store.JobQueries;
import io.logwarden.store.JobView;
import io.logwarden.store.NotFoundException;
import io.logwarden.store.SourceQueries;
import io.logwarden.store.TemplateQueries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Sources (inbox, SQL, REST, Kafka) with their state; running one now; their mined templates. */
@RestController
@Tag(name = "Sources")
class SourcesApi {

    private final SourceQueries sources;
    private final TemplateQueries templates;
    private final SourceTriggers triggers;
    private final ProducerTemplate producer;
    private final JobQueries jobs;

    SourcesApi(SourceQueries sources, TemplateQueries templates, SourceTriggers triggers, ProducerTemplate producer,
               JobQueries jobs) {
        this.sources = sources;
        this.templates = templates;
        this.triggers = triggers;
        this.producer = producer;
        this.jobs = jobs;
    }

    @GetMapping(value = "/api/v1/sources", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Every source with its schedule, watermark, last job and health")
    List<SourceQueries.SourceView> list() {
        return sources.all();
    }

    /** Also answers at the older {@code /api/sources/{name}/run}. */
    @PostMapping(value = {"/api/v1/sources/{name}/run", "/api/sources/{name}/run"}, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Run a SQL or REST source now (needs a write key or an operator); answers with its job when the run is over")
    JobView run(@PathVariable String name) {
        switch (triggers.kind(name)) {
            case UNKNOWN -> throw new NotFoundException("source", name);
            case KAFKA -> throw new ApiConflictException("source " + name + " is a Kafka consumer: it runs continuously");
            default -> { }
        }
        Exchange done = producer.send("direct:run-source", ex -> {
            ex.getIn().setHeader(SourceRunner.SOURCE_NAME, name);
            ex.getIn().setHeader(SourceRunner.TRIGGER, "manual");
        });
        Long jobId = done.getMessage().getHeader(ExchangeHeaders.JOB_ID, Long.class);
        if (jobId == null) {
            String reason = done.getMessage().getHeader(JobLifecycle.FAILURE_REASON, String.class);
            throw new IllegalStateException("source " + name + " could not start a job: " + reason);
        }
        return jobs.find(jobId).orElseThrow(() -> new NotFoundException("job", jobId));
    }

    @GetMapping(value = "/api/v1/templates", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Mined templates, most frequent first, with count, first and last seen and an example line")
    TemplatePage templates(@Parameter(description = "source name; absent: all sources") @RequestParam(required = false) String source,
                           @Parameter(description = "1 to 1000, default 100") @RequestParam(required = false) Integer limit,
                           @RequestParam(required = false) Integer offset) {
        String s = source == null || source.isBlank() ? null : source.strip();
        int off = offset == null ? 0 : offset;
        return new TemplatePage(s, templates.count(s), off, templates.forSource(s, off, ApiParams.limit(limit, 100)));
    }

    /** A page of templates and how many there are in all. */
    record TemplatePage(String source, long total, int offset, List<TemplateQueries.TemplateView> items) {
    }
}
