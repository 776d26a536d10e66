package io.logwarden.dashboard;

import io.logwarden.pipeline.FailedFiles;
import io.logwarden.store.AnomalyFilter;
import io.logwarden.store.AnomalyQueries;
import io.logwarden.store.AnomalySort;
import io.logwarden.store.InvalidParameterException;
import io.logwarden.store.JobQueries;
import io.logwarden.store.JobView;
import io.logwarden.store.QuarantineQueries;
import io.logwarden.store.ReportFiles;
import java.io.IOException;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Jobs: the list with live progress, one job with its anomalies, quarantine sample, reports and error; retry. */
@Controller
class JobPages {

    static final int PAGE = 50;
    static final int QUARANTINE_SAMPLE = 20;
    static final int ANOMALIES_SHOWN = 200;

    private final JobQueries jobs;
    private final AnomalyQueries anomalies;
    private final QuarantineQueries quarantine;
    private final ReportFiles reports;
    private final JobProgressStream progress;
    private final FailedFiles failedFiles;

    JobPages(JobQueries jobs, AnomalyQueries anomalies, QuarantineQueries quarantine, ReportFiles reports,
             JobProgressStream progress, FailedFiles failedFiles) {
        this.jobs = jobs;
        this.anomalies = anomalies;
        this.quarantine = quarantine;
        this.reports = reports;
        this.progress = progress;
        this.failedFiles = failedFiles;
    }

    @GetMapping("/jobs")
    String list(@RequestParam(required = false) String status, @RequestParam(required = false) String source,
                @RequestParam(required = false) String cursor, Model model) {
        String s = blankToNull(status);
        String src = blankToNull(source);
        JobQueries.JobPage page;
        try {
            page = jobs.list(new JobQueries.JobFilter(s, src, null), blankToNull(cursor), PAGE);
        } catch (InvalidParameterException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.parameter() + ": " + e.getMessage());
        }
        model.addAttribute("jobs", page.items());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("firstPage", blankToNull(cursor) == null);
        model.addAttribute("status", s == null ? "" : s);
        model.addAttribute("source", src == null ? "" : src);
        model.addAttribute("statuses", JobQueries.STATUSES.stream().sorted().toList());
        model.addAttribute("running", progress.runningJobs());
        return "dashboard/jobs";
    }

    @GetMapping("/jobs/{id}")
    String detail(@PathVariable long id, Model model) {
        JobQueries.JobDetail detail = jobs.detail(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no job " + id));
        model.addAttribute("job", detail.job());
        model.addAttribute("bySeverity", detail.anomaliesBySeverity());
        model.addAttribute("anomalies", anomalies.search(AnomalyFilter.ofJob(id), AnomalySort.SCORE, null, ANOMALIES_SHOWN).items());
        model.addAttribute("quarantine", quarantine.sample(id, QUARANTINE_SAMPLE));
        model.addAttribute("quarantineReasons", quarantine.reasons(id));
        model.addAttribute("reports", detail.reports());
        model.addAttribute("retriable", failedFiles.fileOf(detail.job()).isPresent());
        return "dashboard/job";
    }

    @PostMapping("/jobs/{id}/retry")
    String retry(@PathVariable long id, RedirectAttributes redirect) {
        JobView job = job(id);
        try {
            redirect.addFlashAttribute("message", failedFiles.retry(job));
        } catch (IOException | IllegalStateException e) {
            redirect.addFlashAttribute("problem", "Job " + id + " could not be retried: " + e.getMessage());
        }
        return "redirect:/jobs/" + id;
    }

    @GetMapping(path = "/jobs/progress", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter runningProgress() {
        return progress.running();
    }

    @GetMapping(path = "/jobs/{id}/progress", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter jobProgress(@PathVariable long id) {
        job(id);
        return progress.job(id);
    }

    /**
     * One of the job's report files (ReportFiles never opens one outside the reports folder). The HTML is served
     * sandboxed with the report's own policy (inline styles, no script); JSON is a download.
     */
    @GetMapping("/jobs/{id}/reports/{reportId}")
    ResponseEntity<FileSystemResource> report(@PathVariable long id, @PathVariable long reportId) {
        ReportFiles.ReportFile file = reports.find(reportId).filter(r -> r.jobId() == id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "job " + id + " has no report " + reportId));
        String name = file.path().getFileName().toString();
        boolean html = "html".equals(file.format());
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.mediaType()))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        (html ? ContentDisposition.inline() : ContentDisposition.attachment()).filename(name).build().toString())
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
                .header("X-Content-Type-Options", "nosniff")
                .body(new FileSystemResource(file.path()));
    }

    private JobView job(long id) {
        return jobs.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no job " + id));
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
