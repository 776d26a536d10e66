package io.logwarden.dashboard;

import io.logwarden.config.LlmProperties;
import io.logwarden.store.AnomalyFilter;
import io.logwarden.store.AnomalyQueries;
import io.logwarden.store.AnomalySort;
import io.logwarden.store.AnomalySummary;
import io.logwarden.store.JobQueries;
import io.logwarden.store.LlmUsage;
import io.logwarden.store.SourceQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The overview at {@code /}: anomalies over time, open incidents, running jobs, throughput, quarantine, LLM, sources. */
@Controller
class OverviewPage {

    static final int CHART_BUCKETS = 48;
    static final int MINUTES = 60;
    static final int OPEN_SHOWN = 10;

    private final OverviewStats stats;
    private final AnomalyQueries anomalies;
    private final JobQueries jobs;
    private final SourceQueries sources;
    private final LlmProperties llm;
    private final LlmUsage llmUsage;

    OverviewPage(OverviewStats stats, AnomalyQueries anomalies, JobQueries jobs, SourceQueries sources, LlmProperties llm,
                 LlmUsage llmUsage) {
        this.llmUsage = llmUsage;
        this.stats = stats;
        this.anomalies = anomalies;
        this.jobs = jobs;
        this.sources = sources;
        this.llm = llm;
    }

    /** The chart's time ranges: the last day, week or month, or the whole span the anomalies cover. */
    static final Map<String, Duration> RANGES = Map.of("24h", Duration.ofDays(1), "7d", Duration.ofDays(7),
            "30d", Duration.ofDays(30));

    @GetMapping("/")
    String overview(@org.springframework.web.bind.annotation.RequestParam(defaultValue = "all") String range, Model model) {
        Duration last = RANGES.get(range);
        model.addAttribute("range", last == null ? "all" : range);
        model.addAttribute("chart", last == null ? chart() : chart(last));
        AnomalyFilter open = new AnomalyFilter(null, null, null, Set.of("open"), null, null, null, null);
        Map<String, Long> openBySeverity = anomalies.countBySeverity(open);
        model.addAttribute("open", openBySeverity);
        model.addAttribute("openTotal", openBySeverity.values().stream().mapToLong(Long::longValue).sum());
        model.addAttribute("incidents", anomalies.search(open, AnomalySort.SCORE, null, OPEN_SHOWN).items());
        model.addAttribute("running", jobs.running());
        List<Long> perMinute = stats.eventsPerMinute(MINUTES);
        model.addAttribute("perMinute", Charts.perMinute(perMinute));
        model.addAttribute("lastMinute", perMinute.get(perMinute.size() - 1));
        model.addAttribute("lastHour", perMinute.stream().mapToLong(Long::longValue).sum());
        model.addAttribute("day", jobs.totals(Instant.now().minus(Duration.ofDays(1))));
        model.addAttribute("ever", jobs.totals(Instant.EPOCH));
        model.addAttribute("llmCalls", llmUsage.since(Instant.now().minus(Duration.ofDays(1))));
        model.addAttribute("llm", llm);
        model.addAttribute("sources", sources.all());
        return "dashboard/overview";
    }

    /** Anomalies over the last {@code span}, up to now. */
    private Charts.Chart chart(Duration span) {
        Duration bucket = span.dividedBy(CHART_BUCKETS);
        Instant start = Instant.now().minus(span);
        return Charts.anomalies(anomalies.severityOverTime(start, start.plus(bucket.multipliedBy(CHART_BUCKETS)), bucket), bucket);
    }

    /** Anomalies over the whole span they cover (by when they happened), in at most {@link #CHART_BUCKETS} bars. */
    private Charts.Chart chart() {
        List<AnomalySummary> first = anomalies.search(AnomalyFilter.all(), AnomalySort.OLDEST, null, 1).items();
        List<AnomalySummary> last = anomalies.search(AnomalyFilter.all(), AnomalySort.NEWEST, null, 1).items();
        if (first.isEmpty()) {
            return new Charts.Chart(Charts.WIDTH, Charts.HEIGHT, List.of(), List.of(), 0);
        }
        Instant from = first.get(0).occurredAt();
        Instant to = last.get(0).occurredAt();
        long seconds = Math.max(60, (Duration.between(from, to).toSeconds() + CHART_BUCKETS) / CHART_BUCKETS);
        Duration bucket = Duration.ofSeconds(seconds);
        // Always the same number of bars (one bucket of room before the first anomaly), so one anomaly is one thin bar.
        Instant start = from.minus(bucket);
        return Charts.anomalies(anomalies.severityOverTime(start, start.plus(bucket.multipliedBy(CHART_BUCKETS)), bucket), bucket);
    }
}
