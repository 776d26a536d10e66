package io.logwarden.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Quarantined records of a job: a sample in input order, and counts per reason. */
@Repository
public class QuarantineQueries {

    public static final int MAX_LIMIT = 1000;

    /** One quarantined record: where it came from (file or source, line), why, and its raw text. */
    public record QuarantinedRecord(long id, long jobId, String source, String origin, Long line, String reason,
                                    String raw, Instant createdAt) {
    }

    /** How many of a job's records were quarantined for one reason. */
    public record ReasonCount(String reason, long count) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    public QuarantineQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The job's first quarantined records, in input order.
     *
     * @throws InvalidParameterException naming {@code limit}
     */
    public List<QuarantinedRecord> sample(long jobId, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidParameterException("limit", "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return jdbc.query("""
                select id, job_id, source, origin, line, reason, raw, created_at from quarantine
                 where job_id = :job order by id limit :limit""",
                new MapSqlParameterSource("job", jobId).addValue("limit", limit),
                (rs, i) -> new QuarantinedRecord(rs.getLong("id"), rs.getLong("job_id"), rs.getString("source"),
                        rs.getString("origin"), (Long) rs.getObject("line"), rs.getString("reason"), rs.getString("raw"),
                        AnomalyQueries.instant(rs, "created_at")));
    }

    /** The job's quarantined records counted by reason, most frequent first. */
    public List<ReasonCount> reasons(long jobId) {
        return jdbc.query("""
                select reason, count(*) from quarantine where job_id = :job group by reason order by 2 desc, 1""",
                Map.of("job", jobId), (rs, i) -> new ReasonCount(rs.getString(1), rs.getLong(2)));
    }
}
