package io.logwarden.dashboard;

import io.logwarden.event.Severity;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The overview's aggregates, each one query: anomalies over time by severity, events read per minute, quarantined
 * events, LLM calls. (Lists of anomalies, jobs and sources come from their own pages' sources.)
 */
@Component
class OverviewStats {

    static final List<String> SEVERITIES = List.of(Severity.CRITICAL.name(), Severity.HIGH.name(), Severity.MEDIUM.name(),
            Severity.LOW.name());

    private final JdbcClient jdbc;

    OverviewStats(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Counts per severity in one time bucket. */
    public record Bucket(Instant start, Instant end, Map<String, Integer> bySeverity) {
        public int total() {
            return bySeverity.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * Anomalies by the time they happened (their window's start), over the span the stored anomalies cover, in
     * {@code buckets} equal buckets; empty when there are none.
     */
    List<Bucket> anomaliesOverTime(int buckets) {
        Instant[] span = jdbc.sql("select min(window_start), max(window_start) from anomalies")
                .query((rs, i) -> new Instant[] {instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2))}).single();
        if (span[0] == null) {
            return List.of();
        }
        Instant from = span[0];
        long width = Math.max(60_000, (Duration.between(span[0], span[1]).toMillis() + 1 + buckets - 1) / buckets);
        List<Bucket> result = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            SEVERITIES.forEach(s -> counts.put(s, 0));
            Instant start = from.plusMillis(b * width);
            result.add(new Bucket(start, start.plusMillis(width), counts));
        }
        jdbc.sql("""
                select floor(extract(epoch from (window_start - :from)) * 1000 / :width)::int as b, severity, count(*)
                  from anomalies where window_start is not null group by 1, 2""")
                .param("from", Timestamp.from(from)).param("width", width)
                .query(rs -> {
                    int b = Math.min(buckets - 1, rs.getInt(1));
                    result.get(b).bySeverity().merge(rs.getString(2), rs.getInt(3), Integer::sum);
                });
        return result;
    }

    /** Open anomalies per severity, Critical first. */
    Map<String, Integer> openBySeverity() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        SEVERITIES.forEach(s -> counts.put(s, 0));
        jdbc.sql("select severity, count(*) from anomalies where status = 'open' group by severity")
                .query(rs -> { counts.put(rs.getString(1), rs.getInt(2)); });
        return counts;
    }

    /** Events read per minute over the last {@code minutes} minutes (jobs counted at the minute they last moved). */
    List<Long> eventsPerMinute(int minutes) {
        long[] perMinute = new long[minutes];
        jdbc.sql("""
                select floor(extract(epoch from (now() - coalesce(finished_at, now()))) / 60)::int as ago, sum(lines_read)
                  from jobs where coalesce(finished_at, now()) > now() - make_interval(mins => :minutes)
                 group by 1""")
                .param("minutes", minutes)
                .query(rs -> {
                    int ago = rs.getInt(1);
                    if (ago >= 0 && ago < minutes) {
                        perMinute[minutes - 1 - ago] = rs.getLong(2);
                    }
                });
        List<Long> result = new ArrayList<>();
        for (long n : perMinute) {
            result.add(n);
        }
        return result;
    }

    public record Totals(long eventsRead, long eventsQuarantined, long quarantinedLastDay, long jobs, long failedJobs) {
    }

    Totals totals() {
        return jdbc.sql("""
                select coalesce(sum(lines_read), 0), coalesce(sum(events_quarantined), 0),
                       coalesce(sum(events_quarantined) filter (where created_at > now() - interval '1 day'), 0),
                       count(*), count(*) filter (where status = 'failed')
                  from jobs""")
                .query((rs, i) -> new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
                .single();
    }

    public record LlmCalls(int lastHour, Map<String, Integer> byOutcome, int lastDay) {
    }

    /** Calls to the LLM provider in the rolling hour the budget counts, by outcome; and in the last day. */
    LlmCalls llmCalls() {
        Map<String, Integer> byOutcome = new LinkedHashMap<>();
        for (String outcome : List.of("answered", "invalid", "failed")) {
            byOutcome.put(outcome, 0);
        }
        int[] day = new int[1];
        jdbc.sql("""
                select outcome, count(*) filter (where called_at > now() - interval '1 hour'), count(*)
                  from llm_calls where called_at > now() - interval '1 day' group by outcome""")
                .query(rs -> {
                    byOutcome.put(rs.getString(1), rs.getInt(2));
                    day[0] += rs.getInt(3);
                });
        return new LlmCalls(byOutcome.values().stream().mapToInt(Integer::intValue).sum(), byOutcome, day[0]);
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
