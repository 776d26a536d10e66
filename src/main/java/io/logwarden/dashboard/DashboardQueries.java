package io.logwarden.dashboard;

import io.logwarden.store.Job;
import io.logwarden.store.JobRepository;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Until the read model lands: the few lookups the pages need that the store does not offer yet. */
@Component
class DashboardQueries {

    static final int PAGE = 50;

    private final JdbcClient jdbc;
    private final JobRepository jobs;

    DashboardQueries(JdbcClient jdbc, JobRepository jobs) {
        this.jdbc = jdbc;
        this.jobs = jobs;
    }

    public record Page<T>(List<T> items, boolean hasNext) {
    }

    Page<Job> jobs(String status, String source, int page) {
        List<Job> matching = jobs.recent(2000).stream()
                .filter(j -> status == null || status.equals(j.status()))
                .filter(j -> source == null || source.equals(j.source()))
                .skip((long) page * PAGE).limit(PAGE + 1).toList();
        return new Page<>(matching.stream().limit(PAGE).toList(), matching.size() > PAGE);
    }

    public record AnomalyRow(long id, String severity, String detector, double score, String title, String status,
                      Instant windowStart) {
    }

    List<AnomalyRow> anomaliesOfJob(long jobId) {
        return jdbc.sql("select id, severity, detector, score, title, status, window_start from anomalies where job_id = :job"
                        + " order by score desc, id")
                .param("job", jobId)
                .query((rs, i) -> new AnomalyRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getDouble(4),
                        rs.getString(5), rs.getString(6), instant(rs.getTimestamp(7))))
                .list();
    }

    public record TemplateRow(String id, String pattern, long count, Instant firstSeen, Instant lastSeen) {
    }

    List<String> templateSources() {
        return jdbc.sql("select source from templates group by source order by source").query(String.class).list();
    }

    Page<TemplateRow> templates(String source, int page) {
        List<TemplateRow> rows = jdbc.sql("""
                        select id, pattern, count, first_seen, last_seen from templates where source = :source
                         order by count desc, id limit :limit offset :offset""")
                .param("source", source).param("limit", PAGE + 1).param("offset", page * PAGE)
                .query((rs, i) -> new TemplateRow(rs.getString(1), rs.getString(2), rs.getLong(3),
                        instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5))))
                .list();
        return new Page<>(rows.stream().limit(PAGE).toList(), rows.size() > PAGE);
    }

    /**
     * An example line per template, from the evidence anomalies kept (the miner stores patterns, not lines): the
     * templates that never took part in an anomaly have none.
     */
    java.util.Map<String, String> examples(String source, List<String> templateIds) {
        java.util.Map<String, String> examples = new java.util.HashMap<>();
        if (templateIds.isEmpty()) {
            return examples;
        }
        jdbc.sql("""
                select distinct on (e->>'templateId') e->>'templateId', e->>'text'
                  from anomalies a cross join lateral jsonb_array_elements(a.evidence) e
                 where a.source = :source and e->>'templateId' in (:ids)
                 order by e->>'templateId', a.id desc""")
                .param("source", source)
                .param("ids", templateIds)
                .query(rs -> { examples.put(rs.getString(1), rs.getString(2)); });
        return examples;
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
