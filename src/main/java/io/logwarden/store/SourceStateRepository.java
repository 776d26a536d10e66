package io.logwarden.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** How much of a source detection has seen: its first event ends the learning period after a while. */
@Repository
public class SourceStateRepository {

    private final JdbcClient jdbc;

    public SourceStateRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Instant> firstEvent(String source) {
        return jdbc.sql("select first_event from source_state where source = :source")
                .param("source", source)
                .query((rs, i) -> rs.getTimestamp(1).toInstant())
                .optional();
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
