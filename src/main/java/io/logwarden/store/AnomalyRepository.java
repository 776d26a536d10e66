package io.logwarden.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.detect.Anomaly;
import io.logwarden.detect.DetectionResult;
import io.logwarden.detect.Detector;
import io.logwarden.detect.Enrichment;
import io.logwarden.detect.Evidence;
import io.logwarden.event.Severity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Anomalies with their evidence and contributing templates (as JSON), and what an LLM said about them. */
@Repository
public class AnomalyRepository {

    private static final TypeReference<List<Evidence>> EVIDENCE = new TypeReference<>() { };
    private static final TypeReference<List<Anomaly.Contributor>> CONTRIBUTORS = new TypeReference<>() { };
    private static final TypeReference<List<Anomaly.Influencer>> INFLUENCERS = new TypeReference<>() { };
    private static final TypeReference<List<Anomaly.Part>> PARTS = new TypeReference<>() { };
    private static final TypeReference<List<String>> ACTIONS = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    private LogwardenMetrics metrics;

    public AnomalyRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Counts stored anomalies for Prometheus; absent (tests building the repository by hand), nothing is counted. */
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    public void setMetrics(LogwardenMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Stores what a job's detection found: the publish route's step. It takes the result whole rather than
     * {@code ${body.anomalies}}: Camel's bean language looks a bean's methods up in a cache keyed by the bean itself,
     * and the key's hash of a result record is the hash of every anomaly, point and template in it, whose record code
     * the JVM first has to generate (a quarter of a second of the compiler at the end of a first file).
     */
    public void saveFound(long jobId, DetectionResult found) {
        saveAll(jobId, found.anomalies());
    }

    public void saveAll(long jobId, List<Anomaly> anomalies) {
        jdbc.batchUpdate("""
                insert into anomalies (job_id, source, detector, score, severity, window_start, window_end, template_id,
                                       template, title, explanation, expected, observed, contributors, evidence,
                                       llm_status, llm_reason, llm_summary, llm_cause, llm_action, llm_actions,
                                       llm_severity_adjustment, llm_model, llm_cached, influencers, parts, details,
                                       status, suppression_rule_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?,
                        ?::jsonb, ?::jsonb, ?, ?, ?)""",
                anomalies, 200, (ps, a) -> {
                    ps.setLong(1, jobId);
                    ps.setString(2, a.source());
                    ps.setString(3, a.detector().id());
                    ps.setDouble(4, a.score());
                    ps.setString(5, a.severity().name());
                    ps.setTimestamp(6, timestamp(a.windowStart()));
                    ps.setTimestamp(7, timestamp(a.windowEnd()));
                    ps.setString(8, a.templateId());
                    ps.setString(9, a.template());
                    ps.setString(10, a.title());
                    ps.setString(11, a.explanation());
                    ps.setDouble(12, a.expected());
                    ps.setDouble(13, a.observed());
                    ps.setString(14, write(a.contributors()));
                    ps.setString(15, write(a.evidence()));
                    Enrichment e = a.enrichment();
                    ps.setString(16, e == null ? null : e.status());
                    ps.setString(17, e == null ? null : e.reason());
                    ps.setString(18, e == null ? null : e.summary());
                    ps.setString(19, e == null ? null : e.probableCause());
                    // llm_action (V1) keeps the actions readable in psql; llm_actions is the list
                    ps.setString(20, e == null || e.recommendedActions().isEmpty() ? null
                            : String.join("\n", e.recommendedActions()));
                    ps.setString(21, e == null ? null : write(e.recommendedActions()));
                    ps.setObject(22, e == null ? null : e.severityAdjustment(), java.sql.Types.INTEGER);
                    ps.setString(23, e == null ? null : e.model());
                    ps.setBoolean(24, e != null && e.cached());
                    ps.setString(25, write(a.influencers()));
                    ps.setString(26, write(a.parts()));
                    ps.setString(27, a.details());
                    // A suppression rule matched: kept and shown, never alerted.
                    ps.setString(28, a.isSuppressed() ? "suppressed" : "open");
                    ps.setObject(29, a.suppressedBy(), java.sql.Types.BIGINT);
                });
        if (metrics != null) {
            for (Anomaly a : anomalies) {
                metrics.anomaly(a.severity().name(), a.detector().id(), a.source());
            }
        }
    }

    public List<Anomaly> forJob(long jobId) {
        return jdbc.query("select * from anomalies where job_id = ? order by score desc, window_start", this::map, jobId);
    }

    /** Anomalies per severity, Critical first, zeros included. */
    public Map<String, Integer> countBySeverity(long jobId) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Severity s : new Severity[] {Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW}) {
            counts.put(s.name(), 0);
        }
        jdbc.query("select severity, count(*) from anomalies where job_id = ? group by severity",
                rs -> { counts.put(rs.getString(1), rs.getInt(2)); }, jobId);
        return counts;
    }

    private Anomaly map(ResultSet rs, int row) throws SQLException {
        try {
            return new Anomaly(
                    rs.getString("source"),
                    detector(rs.getString("detector")),
                    rs.getDouble("score"),
                    Severity.valueOf(rs.getString("severity")),
                    JobRepository.instant(rs, "window_start"),
                    JobRepository.instant(rs, "window_end"),
                    rs.getString("template_id"),
                    rs.getString("template"),
                    rs.getString("title"),
                    rs.getString("explanation"),
                    rs.getDouble("expected"),
                    rs.getDouble("observed"),
                    json.readValue(rs.getString("contributors"), CONTRIBUTORS),
                    json.readValue(rs.getString("evidence"), EVIDENCE),
                    enrichment(rs, json),
                    json.readValue(rs.getString("influencers"), INFLUENCERS),
                    json.readValue(rs.getString("parts"), PARTS),
                    rs.getString("details"),
                    rs.getObject("suppression_rule_id") == null ? null : rs.getLong("suppression_rule_id"));
        } catch (JsonProcessingException e) {
            throw new SQLException("anomaly " + rs.getLong("id") + " has unreadable JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** An anomaly row's LLM columns ({@code llm_*}), also for {@link AnomalyQueries}; null when never enriched. */
    static Enrichment enrichment(ResultSet rs, ObjectMapper json) throws SQLException, JsonProcessingException {
        String status = rs.getString("llm_status");
        if (status == null) {
            return null;
        }
        String actions = rs.getString("llm_actions");
        return new Enrichment(status, rs.getString("llm_reason"), rs.getString("llm_summary"), rs.getString("llm_cause"),
                actions == null ? List.of() : json.readValue(actions, ACTIONS),
                (Integer) rs.getObject("llm_severity_adjustment"), rs.getString("llm_model"), rs.getBoolean("llm_cached"));
    }

    private static Detector detector(String id) {
        return Arrays.stream(Detector.values()).filter(d -> d.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown detector " + id));
    }

    private String write(Object value) {
        try {
            // PostgreSQL jsonb rejects \u0000 even escaped; a NUL in a log line is kept as U+FFFD.
            return json.writeValueAsString(value).replace("\\u0000", "\\ufffd");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write anomaly JSON", e);
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
