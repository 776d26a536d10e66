package io.logwarden.store;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** How much of a source detection has seen: its events (history for novelty) and the window chosen for it. */
@Repository
public class SourceStateRepository {

    private final JdbcClient jdbc;

    public SourceStateRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What detection saw of a source before: its event count and the window chosen for it from its data. */
    public record History(long events, java.time.Duration window, String windowReason) {
    }

    public History history(String source) {
        return jdbc.sql("select events, window_millis, window_reason from source_state where source = :source")
                .param("source", source)
                .query((rs, i) -> {
                    long millis = rs.getLong(2);
                    return new History(rs.getLong(1), rs.wasNull() ? null : java.time.Duration.ofMillis(millis),
                            rs.getString(3));
                })
                .optional().orElse(new History(0, null, null));
    }

    /** Keeps the window chosen from a source's first data, so its later inputs are counted alike. */
    public void keepWindow(String source, java.time.Duration window, String reason) {
        jdbc.sql("update source_state set window_millis = :millis, window_reason = :reason where source = :source and window_millis is null")
                .param("source", source)
                .param("millis", window.toMillis())
                .param("reason", reason)
                .update();
    }

    public void record(String source, Instant first, Instant last, long events) {
        jdbc.sql("""
                insert into source_state (source, first_event, last_event, events) values (:source, :first, :last, :events)
                on conflict (source) do update set
                    first_event = least(source_state.first_event, excluded.first_event),
                    last_event = greatest(source_state.last_event, excluded.last_event),
                    events = source_state.events + excluded.events,
                    updated_at = now()""")
                .param("source", source)
                .param("first", Timestamp.from(first))
                .param("last", Timestamp.from(last))
                .param("events", events)
                .update();
    }
}
