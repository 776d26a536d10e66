package io.logwarden.api;

import io.logwarden.store.JobView;
import io.logwarden.store.SourceQueries;
import io.logwarden.store.TemplateQueries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
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
    private final SourceRuns runs;

    SourcesApi(SourceQueries sources, TemplateQueries templates, SourceRuns runs) {
        this.sources = sources;
        this.templates = templates;
        this.runs = runs;
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
        try {
            return runs.runNow(name);
        } catch (SourceRuns.NotRunnableException e) {
            throw new ApiConflictException(e.getMessage());
        }
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
