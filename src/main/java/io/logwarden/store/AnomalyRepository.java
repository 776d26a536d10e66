package io.logwarden.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.detect.Anomaly;
import io.logwarden.detect.Detector;
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

/** Anomalies with their evidence and contributing templates (as JSON). */
@Repository
public class AnomalyRepository {

    private static final TypeReference<List<Evidence>> EVIDENCE = new TypeReference<>() { };
    private static final TypeReference<List<Anomaly.Contributor>> CONTRIBUTORS = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public AnomalyRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void saveAll(long jobId, List<Anomaly> anomalies) {
        jdbc.batchUpdate("""
                insert into anomalies (job_id, source, detector, score, severity, window_start, window_end, template_id,
                                       template, title, explanation, expected, observed, contributors, evidence)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)""",
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
                });
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
                    json.readValue(rs.getString("evidence"), EVIDENCE));
        } catch (JsonProcessingException e) {
            throw new SQLException("anomaly " + rs.getLong("id") + " has unreadable JSON: " + e.getOriginalMessage(), e);
        }
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
