package io.logwarden.api;

import io.logwarden.store.JobQueries;
import io.logwarden.store.NotFoundException;
import io.logwarden.store.QuarantineQueries;
import io.logwarden.store.ReportFiles;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Jobs, their report files and quarantined records. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Jobs")
class JobsApi {

    private final JobQueries jobs;
    private final ReportFiles reports;
    private final QuarantineQueries quarantine;

    JobsApi(JobQueries jobs, ReportFiles reports, QuarantineQueries quarantine) {
        this.jobs = jobs;
        this.reports = reports;
        this.quarantine = quarantine;
    }

    @GetMapping(value = "/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Jobs, newest first, with counts, progress and duration; pass nextCursor as cursor for the next page")
    JobQueries.JobPage list(
            @Parameter(description = "queued, running, succeeded, failed, interrupted, empty") @RequestParam(required = false) String status,
            @RequestParam(required = false) String source,
            @Parameter(description = "file, schedule, manual, kafka") @RequestParam(required = false) String trigger,
            @Parameter(description = "1 to 500, default 50") @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return jobs.list(new JobQueries.JobFilter(blank(status), blank(source), blank(trigger)), cursor,
                ApiParams.limit(limit, 50));
    }

    @GetMapping(value = "/jobs/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One job: counts, progress, duration, error, its anomalies per severity and status, its reports")
    JobQueries.JobDetail one(@PathVariable long id) {
        return jobs.detail(id).orElseThrow(() -> new NotFoundException("job", id));
    }

    @GetMapping(value = "/reports/{id}", produces = {MediaType.TEXT_HTML_VALUE, MediaType.APPLICATION_JSON_VALUE})
    @Operation(summary = "A report file (HTML or JSON) by its id, as listed in the job's reports")
    ResponseEntity<Resource> report(@PathVariable long id) {
        ReportFiles.ReportFile file = reports.find(id).orElseThrow(() -> new NotFoundException("report", id));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.mediaType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline()
                        .filename(file.path().getFileName().toString()).build().toString())
                // A report shows log text: never run anything from it, even if an escape were missed.
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
                .header("X-Content-Type-Options", "nosniff")
                .body(new FileSystemResource(file.path()));
    }

    @GetMapping(value = "/quarantine", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A job's quarantined records (first ones, in input order) with the reason and raw text")
    QuarantineSample quarantine(@Parameter(description = "job id", required = true) @RequestParam long job,
                                @Parameter(description = "1 to 1000, default 100") @RequestParam(required = false) Integer limit) {
        if (jobs.find(job).isEmpty()) {
            throw new NotFoundException("job", job);
        }
        return new QuarantineSample(job, quarantine.reasons(job), quarantine.sample(job, ApiParams.limit(limit, 100)));
    }

    /** A job's quarantined records: counts per reason and the first records. */
    record QuarantineSample(long job, List<QuarantineQueries.ReasonCount> reasons,
                            List<QuarantineQueries.QuarantinedRecord> records) {
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
