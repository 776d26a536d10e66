package io.logwarden.store;

import io.logwarden.detect.TemplateSnapshot;
import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The template miner's state per source. */
@Repository
public class TemplateRepository {

    private final JdbcTemplate jdbc;

    public TemplateRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<TemplateSnapshot> load(String source) {
        return jdbc.query("select id, pattern, count, previous_ids from templates where source = ? order by id",
                (rs, i) -> {
                    Array previous = rs.getArray("previous_ids");
                    List<String> ids = previous == null ? List.of() : Arrays.asList((String[]) previous.getArray());
                    return new TemplateSnapshot(rs.getString("id"), rs.getString("pattern"), rs.getLong("count"), ids);
                }, source);
    }

    /**
     * Replaces the source's templates with the miner's snapshot, keeping first and last seen across jobs, and the first
     * example line a template ever had.
     */
    @Transactional
    public void save(String source, List<TemplateSnapshot> snapshot, Map<String, Instant[]> seen,
                     Map<String, String> examples) {
        jdbc.batchUpdate("""
                insert into templates (source, id, pattern, count, first_seen, last_seen, previous_ids, example)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (source, id) do update set
                    pattern = excluded.pattern,
                    count = excluded.count,
                    first_seen = least(templates.first_seen, excluded.first_seen),
                    last_seen = greatest(templates.last_seen, excluded.last_seen),
                    previous_ids = excluded.previous_ids,
                    example = coalesce(templates.example, excluded.example)""",
                snapshot, 500, (ps, t) -> {
                    Instant[] firstLast = seen.get(t.id());
                    ps.setString(1, source);
                    ps.setString(2, t.id());
                    ps.setString(3, t.pattern());
                    ps.setLong(4, t.count());
                    ps.setTimestamp(5, firstLast == null ? null : Timestamp.from(firstLast[0]));
                    ps.setTimestamp(6, firstLast == null ? null : Timestamp.from(firstLast[1]));
                    ps.setArray(7, ps.getConnection().createArrayOf("text", t.previousIds().toArray()));
                    String example = examples.get(t.id());
                    // PostgreSQL text cannot hold NUL: kept as U+FFFD, as in evidence and quarantine.
                    ps.setString(8, example == null ? null : example.replace('\0', '\uFFFD'));
                });
        // Templates merged into others are no longer in the snapshot; their ids live on in previous_ids.
        List<String> ids = snapshot.stream().map(TemplateSnapshot::id).toList();
        jdbc.update("delete from templates where source = ? and not (id = any (?))", ps -> {
            ps.setString(1, source);
            ps.setArray(2, ps.getConnection().createArrayOf("text", ids.toArray()));
        });
    }
}
