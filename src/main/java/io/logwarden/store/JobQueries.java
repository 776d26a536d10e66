package io.logwarden.store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The job read model: lists (newest first, keyset paged by id) and one job with its anomalies' counts and reports. */
@Repository
public class JobQueries {

    public static final int MAX_LIMIT = 500;
    public static final Set<String> STATUSES = Set.of(Job.RUNNING, Job.SUCCEEDED, Job.FAILED, Job.INTERRUPTED, Job.EMPTY,
            "queued");

    /** Which jobs a list shows; nulls mean any. */
    public record JobFilter(String status, String source, String trigger) {

        public static JobFilter all() {
            return new JobFilter(null, null, null);
        }
    }

    /** A page of jobs and the cursor of the next one (null on the last page). */
    public record JobPage(List<JobView> items, String nextCursor) {
    }

    /**
     * One job with what came of it.
     *
     * @param anomaliesBySeverity Critical first, zeros included
     * @param anomaliesByStatus   open, acknowledged, false_positive
     * @param reports             its report files
     */
    public record JobDetail(JobView job, Map<String, Integer> anomaliesBySeverity, Map<String, Long> anomaliesByStatus,
                            List<ReportFiles.ReportInfo> reports) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final AnomalyRepository anomalies;
    private final ReportFiles reports;
    private final Clock clock;

    public JobQueries(NamedParameterJdbcTemplate jdbc, AnomalyRepository anomalies, ReportFiles reports) {
        this.jdbc = jdbc;
        this.anomalies = anomalies;
        this.reports = reports;
        this.clock = Clock.systemUTC();
    }

    /**
     * Jobs matching, newest first, after the cursor (null: from the newest).
     *
     * @throws InvalidParameterException naming {@code limit}, {@code status} or {@code cursor}
     */
    public JobPage list(JobFilter filter, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidParameterException("limit", "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        JobFilter f = filter == null ? JobFilter.all() : filter;
        MapSqlParameterSource params = new MapSqlParameterSource();
        StringBuilder where = new StringBuilder(" where true");
        if (f.status() != null) {
            if (!STATUSES.contains(f.status())) {
                throw new InvalidParameterException("status", "unknown job status '" + f.status()
                        + "': one of queued, running, succeeded, failed, interrupted, empty");
            }
            where.append(" and status = :status");
            params.addValue("status", f.status());
        }
        if (f.source() != null) {
            where.append(" and source = :source");
            params.addValue("source", f.source());
        }
        if (f.trigger() != null) {
            where.append(" and trigger = :trigger");
            params.addValue("trigger", f.trigger());
        }
        if (cursor != null && !cursor.isBlank()) {
            long before;
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw new InvalidParameterException("cursor", "cursor is not one this API gave out");
            }
            where.append(" and id < :before");
            params.addValue("before", before);
        }
        params.addValue("limit", limit + 1);
        Instant now = clock.instant();
        List<JobView> rows = jdbc.query("select * from jobs" + where + " order by id desc limit :limit", params,
                (rs, i) -> JobView.of(JobRepository.map(rs, i), now));
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = Long.toString(rows.get(rows.size() - 1).id());
        }
        return new JobPage(List.copyOf(rows), next);
    }

    /** The newest jobs, any filter: a shortcut for overview pages. */
    public List<JobView> recent(int limit) {
        return list(JobFilter.all(), null, Math.max(1, Math.min(limit, MAX_LIMIT))).items();
    }

    /** Jobs running now, oldest first, with their progress. */
    public List<JobView> running() {
        Instant now = clock.instant();
        return jdbc.query("select * from jobs where status = 'running' order by id", Map.of(),
                (rs, i) -> JobView.of(JobRepository.map(rs, i), now));
    }

    public Optional<JobView> find(long id) {
        Instant now = clock.instant();
        return jdbc.query("select * from jobs where id = :id", Map.of("id", id),
                (rs, i) -> JobView.of(JobRepository.map(rs, i), now)).stream().findFirst();
    }

    /** One job with its anomalies counted by severity and status, and its reports. */
    public Optional<JobDetail> detail(long id) {
        return find(id).map(job -> {
            Map<String, Long> byStatus = new java.util.LinkedHashMap<>();
            for (String s : List.of("open", "acknowledged", "false_positive")) {
                byStatus.put(s, 0L);
            }
            jdbc.query("select status, count(*) from anomalies where job_id = :id group by status", Map.of("id", id),
                    (org.springframework.jdbc.core.RowCallbackHandler) rs -> byStatus.put(rs.getString(1), rs.getLong(2)));
            return new JobDetail(job, anomalies.countBySeverity(id), byStatus, reports.forJob(id));
        });
    }

    /** Totals for an overview: events read and quarantined, jobs per status, since {@code since}. */
    public record Totals(long linesRead, long eventsParsed, long eventsQuarantined, long anomalies,
                         Map<String, Long> jobsByStatus) {
    }

    public Totals totals(Instant since) {
        MapSqlParameterSource params = new MapSqlParameterSource("since", java.sql.Timestamp.from(since));
        Map<String, Long> byStatus = new java.util.TreeMap<>();
        long[] sums = new long[4];
        jdbc.query("""
                select status, count(*), coalesce(sum(lines_read), 0), coalesce(sum(events_parsed), 0),
                       coalesce(sum(events_quarantined), 0), coalesce(sum(anomalies), 0)
                  from jobs where created_at >= :since group by status""", params,
                (org.springframework.jdbc.core.RowCallbackHandler) rs -> {
                    byStatus.put(rs.getString(1), rs.getLong(2));
                    for (int i = 0; i < 4; i++) {
                        sums[i] += rs.getLong(3 + i);
                    }
                });
        return new Totals(sums[0], sums[1], sums[2], sums[3], byStatus);
    }
}
