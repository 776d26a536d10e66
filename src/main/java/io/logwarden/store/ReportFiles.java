package io.logwarden.store;

import io.logwarden.config.ReportProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Report files by id. A report is served only from inside the reports folder: a stored location that resolves
 * (through {@code ..} or a symbolic link) anywhere else is never opened.
 */
@Repository
public class ReportFiles {

    /** A report as lists show it: its id, format and file name (never the folder). */
    public record ReportInfo(long id, long jobId, String format, String fileName, Instant createdAt) {
    }

    /** A report to send: its file, checked to be inside the reports folder, and its media type. */
    public record ReportFile(long id, long jobId, String format, Path path, String mediaType) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final Path dir;

    public ReportFiles(NamedParameterJdbcTemplate jdbc, ReportProperties props) {
        this.jdbc = jdbc;
        this.dir = props.dir();
    }

    public List<ReportInfo> forJob(long jobId) {
        return jdbc.query("select id, job_id, format, location, created_at from reports where job_id = :job order by id",
                Map.of("job", jobId), (rs, i) -> new ReportInfo(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        Path.of(rs.getString(4)).getFileName().toString(), AnomalyQueries.instant(rs, "created_at")));
    }

    public Optional<ReportInfo> info(long id) {
        return jdbc.query("select id, job_id, format, location, created_at from reports where id = :id",
                Map.of("id", id), (rs, i) -> new ReportInfo(rs.getLong(1), rs.getLong(2), rs.getString(3),
                        Path.of(rs.getString(4)).getFileName().toString(), AnomalyQueries.instant(rs, "created_at")))
                .stream().findFirst();
    }

    /**
     * The report's file when it exists and lies inside the reports folder; empty for an unknown id, a file since
     * deleted, or a location outside the folder.
     */
    public Optional<ReportFile> find(long id) {
        record Row(long jobId, String format, String location) { }
        Optional<Row> row = jdbc.query("select job_id, format, location from reports where id = :id", Map.of("id", id),
                (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3))).stream().findFirst();
        return row.flatMap(r -> inside(r.location()).map(path -> new ReportFile(id, r.jobId(), r.format(), path,
                "html".equals(r.format()) ? "text/html;charset=UTF-8" : "application/json")));
    }

    /** The real path of {@code location} when it is a regular file inside the reports folder. */
    Optional<Path> inside(String location) {
        try {
            Path root = dir.toAbsolutePath().normalize();
            if (!Files.isDirectory(root)) {
                return Optional.empty();
            }
            Path realRoot = root.toRealPath();
            Path candidate = Path.of(location);
            if (!candidate.isAbsolute()) {
                candidate = Path.of("").toAbsolutePath().resolve(candidate);
            }
            candidate = candidate.normalize();
            if (!Files.isRegularFile(candidate)) {
                return Optional.empty();
            }
            Path real = candidate.toRealPath();
            return real.startsWith(realRoot) && !real.equals(realRoot) ? Optional.of(real) : Optional.empty();
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
    }
}
