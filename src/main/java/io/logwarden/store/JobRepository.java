package io.logwarden.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Jobs: created when input is picked up, updated as batches pass, closed with counts or an error. */
@Repository
public class JobRepository {

    private final JdbcClient jdbc;

    public JobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long start(String source, String trigger, String input, Long bytesTotal) {
        return jdbc.sql("""
                insert into jobs (source, trigger, input, status, bytes_total, started_at)
                values (:source, :trigger, :input, 'running', :bytesTotal, now()) returning id""")
                .param("source", source)
                .param("trigger", trigger)
                .param("input", input)
                .param("bytesTotal", bytesTotal)
                .query(Long.class)
                .single();
    }

    /** Adds one batch's counts; progress is read bytes over total bytes when the size is known. */
    public void progress(long id, String format, long lines, long parsed, long quarantined, long bytesRead) {
        jdbc.sql("""
                update jobs set format = coalesce(:format, format),
                       lines_read = lines_read + :lines,
                       events_parsed = events_parsed + :parsed,
                       events_quarantined = events_quarantined + :quarantined,
                       bytes_read = greatest(bytes_read, :bytesRead),
                       progress = case when bytes_total > 0 then least(0.99, greatest(bytes_read, :bytesRead)::real / bytes_total) else progress end
                 where id = :id""")
                .param("format", format)
                .param("lines", lines)
                .param("parsed", parsed)
                .param("quarantined", quarantined)
                .param("bytesRead", bytesRead)
                .param("id", id)
                .update();
    }

    public void succeed(long id, int anomalies, String warnings) {
        jdbc.sql("""
                update jobs set status = 'succeeded', anomalies = :anomalies, warnings = :warnings,
                       progress = 1, finished_at = now()
                 where id = :id""")
                .param("anomalies", anomalies)
                .param("warnings", warnings)
                .param("id", id)
                .update();
    }

    public void fail(long id, String error, String warnings) {
        jdbc.sql("""
                update jobs set status = 'failed', error = :error, warnings = coalesce(:warnings, warnings),
                       finished_at = now()
                 where id = :id""")
                .param("error", error)
                .param("warnings", warnings)
                .param("id", id)
                .update();
    }

    public Optional<Job> find(long id) {
        return jdbc.sql("select * from jobs where id = :id").param("id", id).query(JobRepository::map).optional();
    }

    public List<Job> recent(int limit) {
        return jdbc.sql("select * from jobs order by id desc limit :limit").param("limit", limit)
                .query(JobRepository::map).list();
    }

    static Job map(ResultSet rs, int row) throws SQLException {
        return new Job(
                rs.getLong("id"),
                rs.getString("source"),
                rs.getString("trigger"),
                rs.getString("input"),
                rs.getString("status"),
                rs.getString("format"),
                rs.getLong("lines_read"),
                rs.getLong("events_parsed"),
                rs.getLong("events_quarantined"),
                rs.getInt("anomalies"),
                (Long) rs.getObject("bytes_total"),
                rs.getLong("bytes_read"),
                rs.getDouble("progress"),
                rs.getString("warnings"),
                rs.getString("error"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
