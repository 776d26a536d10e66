package io.logwarden.dashboard;

import io.logwarden.event.AnomalyStatusChanged.Feedback;
import io.logwarden.store.AnomalyDetail;
import io.logwarden.store.AnomalyFilter;
import io.logwarden.store.AnomalyPage;
import io.logwarden.store.AnomalyQueries;
import io.logwarden.store.AnomalySort;
import io.logwarden.store.AnomalyStatusService;
import io.logwarden.store.AnomalySummary;
import io.logwarden.store.InvalidParameterException;
import io.logwarden.store.NotFoundException;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Anomalies: a filtered, sorted, paged list, and one anomaly with its explanation, influencers, evidence, LLM answer,
 * a timeline of its source's anomalies around it, and the operator's actions (acknowledge, false positive with a
 * note, reopen), each kept with who and when by the read model's {@link AnomalyStatusService}.
 */
@Controller
class AnomalyPages {

    static final int PAGE = 50;
    /** The timeline: the source's anomalies this far either side. */
    static final Duration AROUND = Duration.ofHours(1);
    static final int AROUND_MAX = 15;

    private final AnomalyQueries anomalies;
    private final AnomalyStatusService statuses;

    AnomalyPages(AnomalyQueries anomalies, AnomalyStatusService statuses) {
        this.anomalies = anomalies;
        this.statuses = statuses;
    }

    @GetMapping("/anomalies")
    String list(@RequestParam(required = false) List<String> severity, @RequestParam(required = false) String source,
                @RequestParam(required = false) String detector, @RequestParam(required = false) String status,
                @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                @RequestParam(required = false) String q, @RequestParam(required = false) String sort,
                @RequestParam(required = false) String cursor, Model model) {
        Set<String> severities = new LinkedHashSet<>();
        if (severity != null) {
            severity.stream().filter(s -> !s.isBlank()).map(s -> s.strip().toUpperCase(Locale.ROOT)).forEach(severities::add);
        }
        String src = JobPages.blankToNull(source);
        String det = JobPages.blankToNull(detector);
        String st = JobPages.blankToNull(status);
        List<String> problems = new ArrayList<>();
        Instant fromTime = time("from", from, problems);
        Instant toTime = time("to", to, problems);
        AnomalySort order = AnomalySort.of(sort == null || sort.isBlank() ? "newest" : sort).orElseGet(() -> {
            problems.add("sort: one of newest, oldest, score");
            return AnomalySort.NEWEST;
        });
        AnomalyFilter filter = new AnomalyFilter(severities, src == null ? null : Set.of(src), det == null ? null : Set.of(det),
                st == null ? null : Set.of(st), fromTime, toTime, q, null);
        AnomalyPage page;
        try {
            page = anomalies.search(filter, order, JobPages.blankToNull(cursor), PAGE);
        } catch (InvalidParameterException e) {
            problems.add(e.parameter() + ": " + e.getMessage());
            page = new AnomalyPage(List.of(), null, order.id());
        }
        model.addAttribute("anomalies", page.items());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute("firstPage", JobPages.blankToNull(cursor) == null);
        model.addAttribute("total", problems.isEmpty() ? anomalies.count(filter) : 0);
        model.addAttribute("problems", problems);
        model.addAttribute("severities", severities);
        model.addAttribute("source", src == null ? "" : src);
        model.addAttribute("detector", det == null ? "" : det);
        model.addAttribute("status", st == null ? "" : st);
        model.addAttribute("from", from == null ? "" : from);
        model.addAttribute("to", to == null ? "" : to);
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("sort", order.id());
        model.addAttribute("sources", anomalies.sources());
        model.addAttribute("detectors", anomalies.detectors());
        model.addAttribute("allSeverities", List.of("CRITICAL", "HIGH", "MEDIUM", "LOW"));
        model.addAttribute("allStatuses", List.of("open", "acknowledged", "false_positive"));
        return "dashboard/anomalies";
    }

    @GetMapping("/anomalies/{id}")
    String detail(@PathVariable long id, Model model) {
        AnomalyDetail anomaly = anomalies.find(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no anomaly " + id));
        List<AnomalySummary> around = anomalies.around(id, AROUND, AROUND_MAX);
        model.addAttribute("a", anomaly);
        model.addAttribute("around", around);
        model.addAttribute("timeline", Charts.timeline(around, id, anomaly.occurredAt(), AROUND));
        model.addAttribute("maxNote", AnomalyStatusService.MAX_NOTE);
        return "dashboard/anomaly";
    }

    /** Acknowledge, mark a false positive (with a note and what detection should learn), or reopen. */
    @PostMapping("/anomalies/{id}/status")
    String changeStatus(@PathVariable long id, @RequestParam String status, @RequestParam(required = false) String note,
                        @RequestParam(required = false) String feedback,
                        @RequestParam(name = "for", required = false) String lasting,
                        @RequestParam(required = false) String influencer, Principal operator, RedirectAttributes redirect) {
        Feedback learn = Feedback.NONE;
        if (feedback != null && !feedback.isBlank()) {
            try {
                learn = Feedback.valueOf(feedback.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                redirect.addFlashAttribute("problem", "feedback: one of none, suppress, expected");
                return "redirect:/anomalies/" + id;
            }
        }
        java.time.Duration suppressFor = null;
        String onlyWhen = null;
        if (learn == Feedback.SUPPRESS) {
            try {
                suppressFor = io.logwarden.event.Durations.parse(lasting);
            } catch (IllegalArgumentException e) {
                redirect.addFlashAttribute("problem", "Not changed: for: " + e.getMessage());
                return "redirect:/anomalies/" + id;
            }
            onlyWhen = influencer == null || influencer.isBlank() ? null : influencer.strip();
        }
        try {
            AnomalyDetail now = statuses.change(id, new AnomalyStatusService.Request(status, note, PageModel.who(operator),
                    learn, suppressFor, onlyWhen));
            redirect.addFlashAttribute("message", "Marked " + now.status().replace('_', ' ') + " by " + now.statusBy() + ".");
        } catch (NotFoundException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
        } catch (InvalidParameterException e) {
            redirect.addFlashAttribute("problem", "Not changed: " + e.getMessage());
        }
        return "redirect:/anomalies/" + id;
    }

    /** A {@code datetime-local} value (read as UTC) or an ISO instant; a bad one is named, not ignored. */
    static Instant time(String name, String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            return v.endsWith("Z") ? Instant.parse(v) : LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            problems.add(name + ": not a date and time (" + v + "); use 2026-06-01T08:00");
            return null;
        }
    }
}
