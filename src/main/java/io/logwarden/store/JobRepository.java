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

    /** This host: at start-up a service interrupts only the jobs its own host left running. */
    public static final String INSTANCE = instanceName();

    private final JdbcClient jdbc;

    private LogwardenMetrics metrics;

    public JobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Counts events and ended jobs for Prometheus; absent (tests building the repository by hand), nothing is counted. */
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    public void setMetrics(LogwardenMetrics metrics) {
        this.metrics = metrics;
        metrics.jobsRunning(this::running);
    }

    /** Jobs of this instance that are running now (the partial index {@code jobs_running} answers it). */
    public long running() {
        return jdbc.sql("select count(*) from jobs where status = 'running' and instance = :instance")
                .param("instance", INSTANCE).query(Long.class).single();
    }

    private void ended(String status, java.util.Optional<Double> seconds) {
        if (metrics != null && seconds.isPresent()) {
            metrics.jobFinished(status, seconds.get());
        }
    }

    private static final String DURATION = " returning extract(epoch from finished_at - coalesce(started_at, created_at))::float8";

    public long start(String source, String trigger, String input, Long bytesTotal) {
        return jdbc.sql("""
                insert into jobs (source, trigger, input, status, bytes_total, started_at, instance)
                values (:source, :trigger, :input, 'running', :bytesTotal, clock_timestamp(), :instance) returning id""")
                .param("instance", INSTANCE)
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
        if (metrics != null) {
            metrics.events(parsed, quarantined);
        }
    }

    public void succeed(long id, int anomalies, String warnings) {
        jdbc.sql("""
                update jobs set status = 'succeeded', anomalies = :anomalies, warnings = :warnings,
                       progress = 1, finished_at = clock_timestamp()
                 where id = :id""" + DURATION)
                .param("anomalies", anomalies)
                .param("warnings", warnings)
                .param("id", id)
                .query((rs, i) -> rs.getDouble(1)).optional()
                .ifPresent(seconds -> ended(Job.SUCCEEDED, java.util.Optional.of(seconds)));
    }

    public void fail(long id, String error, String warnings) {
        jdbc.sql("""
                update jobs set status = 'failed', error = :error, warnings = coalesce(:warnings, warnings),
                       finished_at = clock_timestamp()
                 where id = :id""" + DURATION)
                .param("error", error)
                .param("warnings", warnings)
                .param("id", id)
                .query((rs, i) -> rs.getDouble(1)).optional()
                .ifPresent(seconds -> ended(Job.FAILED, java.util.Optional.of(seconds)));
    }

    /** Closes a run that found nothing new: kept as {@code empty}, with no report. */
    public void empty(long id, String warnings) {
        jdbc.sql("""
                update jobs set status = 'empty', warnings = :warnings, progress = 1, finished_at = clock_timestamp()
                 where id = :id""" + DURATION)
                .param("warnings", warnings)
                .param("id", id)
                .query((rs, i) -> rs.getDouble(1)).optional()
                .ifPresent(seconds -> ended(Job.EMPTY, java.util.Optional.of(seconds)));
    }

    /**
     * Jobs earlier processes left running: with {@code anyInstance} all of them (the embedded database, which one
     * process at a time can use), else those of this host (or that predate the instance column).
     */
    public List<Job> leftRunning(boolean anyInstance) {
        return jdbc.sql("select * from jobs where status = 'running' and (:any or instance = :instance or instance is null) order by id")
                .param("any", anyInstance)
                .param("instance", INSTANCE)
                .query(JobRepository::map).list();
    }

    /** Removes what a job wrote (quarantined records, anomalies, report records) when its input is read again. */
    public void discardOutput(long id) {
        jdbc.sql("delete from quarantine where job_id = :id").param("id", id).update();
        jdbc.sql("delete from anomalies where job_id = :id").param("id", id).update();
        jdbc.sql("delete from reports where job_id = :id").param("id", id).update();
        jdbc.sql("update jobs set events_quarantined = 0, anomalies = 0 where id = :id").param("id", id).update();
    }

    /**
     * Marks a job left running by a dead process {@code interrupted} and removes what it wrote (quarantined
     * records, anomalies, report records); returns the report files to delete. Call inside a transaction.
     */
    public List<String> interrupt(long id, String reason) {
        List<String> files = jdbc.sql("select location from reports where job_id = :id").param("id", id)
                .query(String.class).list();
        jdbc.sql("delete from quarantine where job_id = :id").param("id", id).update();
        jdbc.sql("delete from anomalies where job_id = :id").param("id", id).update();
        jdbc.sql("delete from reports where job_id = :id").param("id", id).update();
        jdbc.sql("""
                update jobs set status = 'interrupted', error = :reason, finished_at = clock_timestamp(),
                       events_quarantined = 0, anomalies = 0
                 where id = :id and status = 'running'""" + DURATION)
                .param("reason", reason).param("id", id)
                .query((rs, i) -> rs.getDouble(1)).optional()
                .ifPresent(seconds -> ended(Job.INTERRUPTED, java.util.Optional.of(seconds)));
        return files;
    }

    private static String instanceName() {
        String configured = System.getenv("LOGWARDEN_INSTANCE");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
        }
        return host;
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
