package io.logwarden.store;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Where each job's reports were written. */
@Repository
public class ReportRepository {

    private final JdbcClient jdbc;

    public ReportRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record ReportRecord(long jobId, String format, String location) {
    }

    public void record(long jobId, String format, String location) {
        jdbc.sql("insert into reports (job_id, format, location) values (:job, :format, :location)")
                .param("job", jobId).param("format", format).param("location", location).update();
    }

    public List<ReportRecord> forJob(long jobId) {
        return jdbc.sql("select job_id, format, location from reports where job_id = :job order by id")
                .param("job", jobId)
                .query((rs, i) -> new ReportRecord(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
    }
}
