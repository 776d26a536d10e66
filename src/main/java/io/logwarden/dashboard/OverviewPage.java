package io.logwarden.dashboard;

import io.logwarden.config.LlmProperties;
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
    private final SourceDirectory sources;
    private final JobProgressStream progress;
    private final LlmProperties llm;
    private final AnomalyViews anomalies;

    OverviewPage(OverviewStats stats, SourceDirectory sources, JobProgressStream progress, LlmProperties llm,
                 AnomalyViews anomalies) {
        this.stats = stats;
        this.sources = sources;
        this.progress = progress;
        this.llm = llm;
        this.anomalies = anomalies;
    }

    @GetMapping("/")
    String overview(Model model) {
        model.addAttribute("chart", Charts.anomalies(stats.anomaliesOverTime(CHART_BUCKETS)));
        var open = stats.openBySeverity();
        model.addAttribute("open", open);
        model.addAttribute("openTotal", open.values().stream().mapToInt(Integer::intValue).sum());
        model.addAttribute("incidents", anomalies.openIncidents(OPEN_SHOWN));
        model.addAttribute("running", progress.runningJobs());
        var perMinute = stats.eventsPerMinute(MINUTES);
        model.addAttribute("perMinute", Charts.perMinute(perMinute));
        model.addAttribute("lastMinute", perMinute.get(perMinute.size() - 1));
        model.addAttribute("lastHour", perMinute.stream().mapToLong(Long::longValue).sum());
        model.addAttribute("totals", stats.totals());
        model.addAttribute("llmCalls", stats.llmCalls());
        model.addAttribute("llm", llm);
        model.addAttribute("sources", sources.all());
        return "dashboard/overview";
    }
}
