package io.logwarden.store;

import io.logwarden.config.IngestProperties;
import io.logwarden.config.SourcesProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Every source: the inbox (and the file sources its files were named after), each configured SQL, REST and Kafka
 * source, with its schedule, watermark, last job and health.
 */
@Repository
public class SourceQueries {

    /**
     * One source.
     *
     * @param name         the source's name ({@code inbox} for the inbox itself)
     * @param kind         {@code inbox}, {@code file}, {@code sql}, {@code rest} or {@code kafka}
     * @param schedule     when it runs, in words ({@code every 1m}, {@code cron 0 *}{@code /5 * * * *},
     *                     {@code polls the inbox every 2s}, {@code continuous})
     * @param location     the inbox folder, the REST URL, the Kafka topics, or the database (never a password)
     * @param watermark    the timestamp read up to (SQL, REST, Kafka), or null
     * @param watermarkAt  when the watermark last moved
     * @param lastJob      its newest job, or null
     * @param health       {@code ok}, {@code failing} (its last job failed), {@code running} or {@code never-run}
     * @param runnable     whether "run now" applies (SQL and REST)
     */
    public record SourceView(String name, String kind, String schedule, String location, Instant watermark,
                             Instant watermarkAt, JobView lastJob, String health, boolean runnable) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final SourcesProperties sources;
    private final IngestProperties ingest;
    private final Clock clock = Clock.systemUTC();

    public SourceQueries(NamedParameterJdbcTemplate jdbc, SourcesProperties sources, IngestProperties ingest) {
        this.jdbc = jdbc;
        this.sources = sources;
        this.ingest = ingest;
    }

    /** All sources: the inbox first, then configured sources by kind and name, then file sources by name. */
    public List<SourceView> all() {
        Instant now = clock.instant();
        List<SourceView> out = new ArrayList<>();
        JobView lastFile = jdbc.query("select * from jobs where trigger = 'file' order by id desc limit 1", Map.of(),
                (rs, i) -> JobView.of(JobRepository.map(rs, i), now)).stream().findFirst().orElse(null);
        out.add(new SourceView("inbox", "inbox", "polls the inbox every " + words(ingest.pollInterval()),
                ingest.inbox().toString(), null, null, lastFile, health(lastFile), false));
        for (SourcesProperties.Sql s : sources.sql()) {
            out.add(configured(s.name(), "sql", schedule(s.schedule()),
                    s.url().isBlank() ? "Logwarden's database" : withoutCredentials(s.url()), true, now));
        }
        for (SourcesProperties.Rest s : sources.rest()) {
            out.add(configured(s.name(), "rest", schedule(s.schedule()), withoutCredentials(s.url()), true, now));
        }
        for (SourcesProperties.Kafka s : sources.kafka()) {
            out.add(configured(s.name(), "kafka", "continuous", s.topics() + " @ " + s.brokers(), false, now));
        }
        List<String> files = jdbc.queryForList(
                "select distinct source from jobs where trigger = 'file' order by source", Map.of(), String.class);
        for (String name : files) {
            JobView last = lastJob(name, now);
            out.add(new SourceView(name, "file", "files dropped in the inbox", ingest.inbox().toString(), null, null,
                    last, health(last), false));
        }
        return out;
    }

    /** One source by name (the inbox, a configured source or a file source). */
    public Optional<SourceView> find(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    private SourceView configured(String name, String kind, String schedule, String location, boolean runnable,
                                  Instant now) {
        record Mark(Instant ts, Instant at) { }
        Mark mark = jdbc.query("select last_ts, updated_at from source_watermarks where source = :source",
                Map.of("source", name), (rs, i) -> new Mark(AnomalyQueries.instant(rs, "last_ts"),
                        AnomalyQueries.instant(rs, "updated_at"))).stream().findFirst().orElse(new Mark(null, null));
        JobView last = lastJob(name, now);
        return new SourceView(name, kind, schedule, location, mark.ts(), mark.ts() == null ? null : mark.at(), last,
                health(last), runnable);
    }

    private JobView lastJob(String source, Instant now) {
        return jdbc.query("select * from jobs where source = :source order by id desc limit 1", Map.of("source", source),
                (rs, i) -> JobView.of(JobRepository.map(rs, i), now)).stream().findFirst().orElse(null);
    }

    private static String health(JobView last) {
        if (last == null) {
            return "never-run";
        }
        return switch (last.status()) {
            case Job.FAILED, Job.INTERRUPTED -> "failing";
            case Job.RUNNING -> "running";
            default -> "ok";
        };
    }

    private static String schedule(SourcesProperties.Schedule s) {
        if (s == null) {
            return "";
        }
        return s.cron() != null && !s.cron().isBlank() ? "cron " + s.cron() : "every " + words(s.every());
    }

    static String words(java.time.Duration d) {
        if (d == null) {
            return "";
        }
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }

    /** A URL without user info or query string (which may carry credentials). */
    static String withoutCredentials(String url) {
        String u = url.replaceAll("//[^/@]*@", "//");
        int q = u.indexOf('?');
        return q < 0 ? u : u.substring(0, q);
    }
}
