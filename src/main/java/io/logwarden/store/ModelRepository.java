package io.logwarden.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Trained models per source and kind, as bytes, with when and on how many samples they were trained. */
@Repository
public class ModelRepository {

    public static final String WINDOW_FOREST = "window-forest";
    public static final String SESSION_FOREST = "session-forest";

    private final JdbcClient jdbc;

    public ModelRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record StoredModel(byte[] bytes, Instant trainedAt, int samples) {
    }

    public Optional<StoredModel> find(String source, String kind) {
        return jdbc.sql("select model, trained_at, samples from models where source = :source and kind = :kind")
                .param("source", source).param("kind", kind)
                .query((rs, i) -> new StoredModel(rs.getBytes(1), rs.getTimestamp(2).toInstant(), rs.getInt(3)))
                .optional();
    }

    public void save(String source, String kind, byte[] model, Instant trainedAt, int samples) {
        jdbc.sql("""
                insert into models (source, kind, model, trained_at, samples) values (:source, :kind, :model, :at, :samples)
                on conflict (source, kind) do update set model = excluded.model, trained_at = excluded.trained_at,
                    samples = excluded.samples""")
                .param("source", source).param("kind", kind).param("model", model)
                .param("at", Timestamp.from(trainedAt)).param("samples", samples)
                .update();
    }
}
