package io.logwarden.dashboard;

import io.logwarden.config.IngestProperties;
import io.logwarden.config.SourcesProperties;
import io.logwarden.store.Job;
import io.logwarden.store.JobRepository;
import io.logwarden.store.WatermarkRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.stereotype.Component;

/**
 * Every source the service reads, for the sources page and the overview: the inbox's file sources (named after
 * their files), and the configured database, REST and Kafka sources with their schedule, watermark, last job and
 * health (its route stopped, its last job failed, or fine).
 */
@Component
class SourceDirectory {

    /** Jobs looked at for each source's last run. */
    static final int RECENT_JOBS = 1000;

    private final SourcesProperties sources;
    private final IngestProperties ingest;
    private final JobRepository jobs;
    private final WatermarkRepository watermarks;
    private final CamelContext camel;

    SourceDirectory(SourcesProperties sources, IngestProperties ingest, JobRepository jobs, WatermarkRepository watermarks,
                    CamelContext camel) {
        this.sources = sources;
        this.ingest = ingest;
        this.jobs = jobs;
        this.watermarks = watermarks;
        this.camel = camel;
    }

    public record Source(String name, String kind, String schedule, String routeId, Instant watermark, String watermarkKey,
                  Job lastJob, String health, String healthReason, boolean runnable) {
    }

    List<Source> all() {
        Map<String, Job> last = new LinkedHashMap<>();
        for (Job j : jobs.recent(RECENT_JOBS)) {
            last.putIfAbsent(j.source(), j);
        }
        List<Source> result = new ArrayList<>();
        for (SourcesProperties.Sql s : sources.sql()) {
            result.add(source(s.name(), "sql", schedule(s.schedule()), "source-sql-" + s.name(), last.remove(s.name()), true));
        }
        for (SourcesProperties.Rest s : sources.rest()) {
            result.add(source(s.name(), "rest", schedule(s.schedule()), "source-rest-" + s.name(), last.remove(s.name()), true));
        }
        for (SourcesProperties.Kafka s : sources.kafka()) {
            result.add(source(s.name(), "kafka", "continuous (consumer group)", "source-kafka-" + s.name(),
                    last.remove(s.name()), false));
        }
        // What is left came in through the inbox: one source per file name.
        String inbox = "inbox " + ingest.inbox() + ", polled every " + new Formats().duration(ingest.pollInterval());
        for (Job j : last.values()) {
            if ("file".equals(j.trigger())) {
                result.add(source(j.source(), "file", inbox, "source-files", j, false));
            }
        }
        return result;
    }

    Optional<Source> find(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    private Source source(String name, String kind, String schedule, String routeId, Job lastJob, boolean runnable) {
        Optional<WatermarkRepository.Watermark> mark = kind.equals("file") ? Optional.empty() : watermarks.find(name);
        ServiceStatus route = camel.getRouteController().getRouteStatus(routeId);
        String health;
        String reason;
        if (route != null && !route.isStarted()) {
            health = "stopped";
            reason = "route " + routeId + " is " + route.name().toLowerCase();
        } else if (lastJob == null) {
            health = "never-run";
            reason = "no job yet";
        } else if (Job.FAILED.equals(lastJob.status()) || Job.INTERRUPTED.equals(lastJob.status())) {
            health = "failing";
            reason = "last job " + lastJob.status() + (lastJob.error() == null ? "" : ": " + lastJob.error());
        } else {
            health = "ok";
            reason = "last job " + lastJob.status();
        }
        return new Source(name, kind, schedule, routeId, mark.map(WatermarkRepository.Watermark::timestamp).orElse(null),
                mark.map(WatermarkRepository.Watermark::key).orElse(null), lastJob, health, reason, runnable);
    }

    private static String schedule(SourcesProperties.Schedule s) {
        return s.cron() == null || s.cron().isBlank() ? "every " + new Formats().duration(s.every()) : "cron " + s.cron();
    }
}
