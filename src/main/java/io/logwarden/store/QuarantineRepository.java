package io.logwarden.store;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Records that failed validation, with where they came from and why; written in one batch per exchange. */
@Repository
public class QuarantineRepository {

    private final JdbcTemplate jdbc;

    public QuarantineRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Entry(String source, String origin, long line, String reason, String raw) {
    }

    public void saveAll(long jobId, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("insert into quarantine (job_id, source, origin, line, reason, raw) values (?, ?, ?, ?, ?, ?)",
                entries, 500, (ps, e) -> {
                    ps.setLong(1, jobId);
                    ps.setString(2, e.source());
                    ps.setString(3, e.origin());
                    ps.setLong(4, e.line());
                    ps.setString(5, e.reason());
                    // PostgreSQL text cannot hold NUL; everything else is kept as read.
                    ps.setString(6, e.raw().replace('\0', '\uFFFD'));
                });
    }

    /** The job's first quarantined records, in input order. */
    public List<Entry> firstForJob(long jobId, int limit) {
        return jdbc.query("select source, origin, line, reason, raw from quarantine where job_id = ? order by id limit ?",
                (rs, i) -> new Entry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5)),
                jobId, limit);
    }
}
