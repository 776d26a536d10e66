package io.logwarden.api;

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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import io.logwarden.event.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Anomalies: filtered lists with cursor paging, one anomaly, its status, and a CSV export of a list. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Anomalies")
class AnomaliesApi {

    /** Rows a CSV export holds at most. */
    static final int MAX_CSV = 100_000;

    private final AnomalyQueries queries;
    private final AnomalyStatusService status;

    AnomaliesApi(AnomalyQueries queries, AnomalyStatusService status) {
        this.queries = queries;
        this.status = status;
    }

    @GetMapping(value = "/anomalies", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Anomalies matching the filters, newest first (or by sort), one page at a time",
            description = "Pass the answer's nextCursor as cursor for the next page; it is null on the last page.")
    AnomalyPage list(
            @Parameter(description = "low, medium, high, critical (comma-separated or repeated)") @RequestParam(required = false) List<String> severity,
            @Parameter(description = "source names") @RequestParam(required = false) List<String> source,
            @Parameter(description = "detector ids, e.g. frequency-spike, new-template") @RequestParam(required = false) List<String> detector,
            @Parameter(description = "open, acknowledged, false_positive") @RequestParam(required = false) List<String> status,
            @Parameter(description = "occurred at or after (ISO-8601 time or date)") @RequestParam(required = false) String from,
            @Parameter(description = "occurred before (ISO-8601 time or date)") @RequestParam(required = false) String to,
            @Parameter(description = "text in the title, explanation, template or LLM summary") @RequestParam(required = false) String q,
            @Parameter(description = "job id") @RequestParam(required = false) Long job,
            @Parameter(description = "newest (default), oldest or score") @RequestParam(required = false) String sort,
            @Parameter(description = "1 to 500, default 50") @RequestParam(required = false) Integer limit,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) String cursor) {
        return queries.search(filter(severity, source, detector, status, from, to, q, job), sort(sort), cursor,
                ApiParams.limit(limit, 50));
    }

    @GetMapping(value = "/anomalies.csv", produces = "text/csv")
    @Operation(summary = "The anomalies matching the same filters as /anomalies, as CSV (at most 100000 rows)")
    void csv(@RequestParam(required = false) List<String> severity, @RequestParam(required = false) List<String> source,
             @RequestParam(required = false) List<String> detector, @RequestParam(required = false) List<String> status,
             @RequestParam(required = false) String from, @RequestParam(required = false) String to,
             @RequestParam(required = false) String q, @RequestParam(required = false) Long job,
             @RequestParam(required = false) String sort,
             @Parameter(description = "rows at most, default and maximum 100000") @RequestParam(required = false) Integer limit,
             HttpServletResponse response) throws IOException {
        AnomalyFilter filter = filter(severity, source, detector, status, from, to, q, job);
        AnomalySort order = sort(sort);
        int max = ApiParams.limit(limit, MAX_CSV);
        if (max < 1 || max > MAX_CSV) {
            throw new InvalidParameterException("limit", "limit must be between 1 and " + MAX_CSV + ", was " + max);
        }
        queries.count(filter); // validates the filter before the answer starts
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"anomalies.csv\"");
        Writer out = response.getWriter();
        out.write(Csv.HEADER);
        queries.forEach(filter, order, max, a -> {
            try {
                out.write(Csv.row(a));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        out.flush();
    }

    @GetMapping(value = "/anomalies/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One anomaly: explanation, evidence with file and line, influencers, the LLM's answer with the model, status history")
    AnomalyDetail one(@PathVariable long id) {
        return queries.find(id).orElseThrow(() -> new NotFoundException("anomaly", id));
    }

    /**
     * A status change.
     *
     * @param status     open, acknowledged or false_positive
     * @param note       why
     * @param feedback   suppress (store the same thing as suppressed from now on) or expected (fold it into the baseline)
     * @param suppressFor with feedback=suppress: a duration such as P7D, PT12H, 7d or 12h; absent: for good
     * @param influencer with feedback=suppress: field=value the suppression is narrowed to
     */
    record StatusBody(String status, String note, String feedback,
                      @com.fasterxml.jackson.annotation.JsonProperty("for") String suppressFor, String influencer) {
    }

    @PostMapping(value = "/anomalies/{id}/status", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Acknowledge an anomaly, mark it a false positive or reopen it, with a note (needs a write key or an operator)",
            description = "Body: {\"status\":\"acknowledged\"|\"false_positive\"|\"open\",\"note\":\"…\"}, optionally "
                    + "\"feedback\":\"suppress\"|\"expected\", \"for\":\"P7D\" and \"influencer\":\"field=value\". "
                    + "Who and when are recorded; feedback listeners are told.")
    AnomalyDetail changeStatus(@PathVariable long id, @RequestBody(required = false) StatusBody body,
                               Authentication who) {
        if (body == null) {
            throw new InvalidParameterException("body", "the request body must be a JSON object with status");
        }
        if (body.status() == null) {
            throw new InvalidParameterException("status", "status is required: open, acknowledged or false_positive");
        }
        Feedback feedback = Feedback.NONE;
        if (body.feedback() != null && !body.feedback().isBlank()) {
            feedback = switch (body.feedback().strip().toLowerCase(Locale.ROOT)) {
                case "suppress" -> Feedback.SUPPRESS;
                case "expected" -> Feedback.EXPECTED;
                case "none" -> Feedback.NONE;
                default -> throw new InvalidParameterException("feedback", "feedback must be suppress or expected, was '"
                        + body.feedback() + "'");
            };
        }
        Duration suppressFor = duration(body.suppressFor());
        String influencer = body.influencer() == null || body.influencer().isBlank() ? null : body.influencer().strip();
        return status.change(id, new AnomalyStatusService.Request(body.status().strip().toLowerCase(Locale.ROOT),
                body.note(), ApiDocs.who(who), feedback, suppressFor, influencer));
    }

    /** How long a suppression lasts ({@link Durations}: P7D, PT12H, 7d, 12h, 2w); null when absent (for good). */
    static Duration duration(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("for", "for: " + e.getMessage());
        }
    }

    static AnomalyFilter filter(List<String> severity, List<String> source, List<String> detector, List<String> status,
                                String from, String to, String q, Long job) {
        return new AnomalyFilter(ApiParams.list(severity, true), ApiParams.list(source, false),
                ApiParams.list(detector, false), ApiParams.list(status, false).stream()
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toSet()),
                ApiParams.instant("from", from), ApiParams.instant("to", to), q, job);
    }

    static AnomalySort sort(String sort) {
        if (sort == null || sort.isBlank()) {
            return AnomalySort.NEWEST;
        }
        return AnomalySort.of(sort.strip()).orElseThrow(() -> new InvalidParameterException("sort",
                "sort must be newest, oldest or score, was '" + sort + "'"));
    }

    /** RFC 4180 CSV; a cell that a spreadsheet would run as a formula starts with a quote mark instead. */
    static final class Csv {

        static final String HEADER = "id,occurred_at,severity,score,source,detector,status,title,template_id,job_id,"
                + "window_start,window_end,llm_summary\r\n";

        static String row(AnomalySummary a) {
            return String.join(",", Long.toString(a.id()), String.valueOf(a.occurredAt()), a.severity(),
                    Double.toString(a.score()), cell(a.source()), cell(a.detector()), a.status(), cell(a.title()),
                    cell(a.templateId()), Long.toString(a.jobId()), a.windowStart() == null ? "" : a.windowStart().toString(),
                    a.windowEnd() == null ? "" : a.windowEnd().toString(), cell(a.llmSummary())) + "\r\n";
        }

        static String cell(String value) {
            if (value == null) {
                return "";
            }
            String v = value;
            if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
                v = "'" + v;
            }
            if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
                return "\"" + v.replace("\"", "\"\"") + "\"";
            }
            return v;
        }
    }
}
