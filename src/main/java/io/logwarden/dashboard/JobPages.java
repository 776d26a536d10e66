package io.logwarden.dashboard;

import io.logwarden.store.Job;
import io.logwarden.store.JobRepository;
import io.logwarden.store.QuarantineRepository;
import io.logwarden.store.ReportRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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

    static final int QUARANTINE_SAMPLE = 20;

    private final JobRepository jobs;
    private final QuarantineRepository quarantine;
    private final ReportRepository reports;
    private final JobProgressStream progress;
    private final FailedFiles failedFiles;
    private final DashboardQueries queries;

    JobPages(JobRepository jobs, QuarantineRepository quarantine, ReportRepository reports, JobProgressStream progress,
             FailedFiles failedFiles, DashboardQueries queries) {
        this.jobs = jobs;
        this.quarantine = quarantine;
        this.reports = reports;
        this.progress = progress;
        this.failedFiles = failedFiles;
        this.queries = queries;
    }

    @GetMapping("/jobs")
    String list(@RequestParam(required = false) String status, @RequestParam(required = false) String source,
                @RequestParam(defaultValue = "0") int page, Model model) {
        DashboardQueries.Page<Job> result = queries.jobs(blankToNull(status), blankToNull(source), Math.max(0, page));
        model.addAttribute("jobs", result.items());
        model.addAttribute("hasNext", result.hasNext());
        model.addAttribute("page", Math.max(0, page));
        model.addAttribute("status", status == null ? "" : status);
        model.addAttribute("source", source == null ? "" : source);
        model.addAttribute("statuses", List.of(Job.RUNNING, Job.SUCCEEDED, Job.FAILED, Job.INTERRUPTED, Job.EMPTY));
        model.addAttribute("running", progress.runningJobs());
        return "dashboard/jobs";
    }

    @GetMapping("/jobs/{id}")
    String detail(@PathVariable long id, Model model) {
        Job job = job(id);
        model.addAttribute("job", job);
        model.addAttribute("anomalies", queries.anomaliesOfJob(id));
        model.addAttribute("quarantine", quarantine.firstForJob(id, QUARANTINE_SAMPLE));
        model.addAttribute("reports", reports.forJob(id).stream().map(ReportRepository.ReportRecord::format).distinct().toList());
        model.addAttribute("retriable", failedFiles.fileOf(job).isPresent());
        return "dashboard/job";
    }

    @PostMapping("/jobs/{id}/retry")
    String retry(@PathVariable long id, RedirectAttributes redirect) {
        Job job = job(id);
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
     * The job's report file, by format. Its location comes from the database, never from the request. The HTML is
     * served sandboxed with the report's own policy: inline styles, no script.
     */
    @GetMapping({"/jobs/{id}/report.html", "/jobs/{id}/report.json"})
    ResponseEntity<FileSystemResource> report(@PathVariable long id, @RequestParam(defaultValue = "false") boolean download,
                                              jakarta.servlet.http.HttpServletRequest request) {
        String format = request.getRequestURI().endsWith(".json") ? "json" : "html";
        Optional<Path> file = reports.forJob(id).stream().filter(r -> r.format().equals(format))
                .map(r -> Path.of(r.location())).reduce((a, b) -> b);
        if (file.isEmpty() || !Files.isRegularFile(file.get(), LinkOption.NOFOLLOW_LINKS)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "job " + id + " has no " + format + " report file");
        }
        String name = file.get().getFileName().toString();
        ContentDisposition disposition = (download || format.equals("json") ? ContentDisposition.attachment()
                : ContentDisposition.inline()).filename(name).build();
        return ResponseEntity.ok()
                .contentType(format.equals("json") ? MediaType.APPLICATION_JSON : MediaType.TEXT_HTML)
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
                .header("X-Content-Type-Options", "nosniff")
                .body(new FileSystemResource(file.get()));
    }

    private Job job(long id) {
        return jobs.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no job " + id));
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
