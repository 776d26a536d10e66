package io.logwarden.store;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Per source, the position of the last record stored: a timestamp and a key that breaks ties on it. Read and
 * advanced inside the job's transaction; the row lock taken by {@link #lock} keeps two runs of one source (a
 * schedule and a "run now") from reading the same window.
 */
@Repository
public class WatermarkRepository {

    /** A position in a source: records at or before it have been stored. */
    public record Watermark(Instant timestamp, String key) {

        /** True when (timestamp, key) lies after this watermark; keys compare as numbers when both are numbers. */
        public boolean isBefore(Instant ts, String otherKey) {
            return isBefore(ts, otherKey, true);
        }

        /** As {@link #isBefore(Instant, String)}; with {@code numericKeys} false, keys always compare as text. */
        public boolean isBefore(Instant ts, String otherKey, boolean numericKeys) {
            int byTime = ts.compareTo(timestamp);
            if (byTime != 0) return byTime > 0;
            return compareKeys(otherKey, key, numericKeys) > 0;
        }

        static int compareKeys(String a, String b, boolean numericKeys) {
            if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
            if (numericKeys && a.matches("-?\\d{1,18}") && b.matches("-?\\d{1,18}")) {
                return Long.compare(Long.parseLong(a), Long.parseLong(b));
            }
            return a.compareTo(b);
        }
    }

    private final JdbcClient jdbc;

    public WatermarkRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The source's watermark, locked until the surrounding transaction ends; empty for a source never run. */
    public Optional<Watermark> lock(String source, String kind) {
        jdbc.sql("insert into source_watermarks (source, kind) values (:source, :kind) on conflict (source) do nothing")
                .param("source", source).param("kind", kind).update();
        return jdbc.sql("select last_ts, last_key from source_watermarks where source = :source for update")
                .param("source", source)
                .query((rs, row) -> {
                    java.sql.Timestamp ts = rs.getTimestamp("last_ts");
                    return ts == null ? Optional.<Watermark>empty()
                            : Optional.of(new Watermark(ts.toInstant(), rs.getString("last_key")));
                })
                .single();
    }

    public Optional<Watermark> find(String source) {
        return jdbc.sql("select last_ts, last_key from source_watermarks where source = :source and last_ts is not null")
                .param("source", source)
                .query((rs, row) -> new Watermark(rs.getTimestamp("last_ts").toInstant(), rs.getString("last_key")))
                .optional();
    }

    public void advance(String source, Watermark to) {
        jdbc.sql("update source_watermarks set last_ts = :ts, last_key = :key, updated_at = now() where source = :source")
                .param("ts", java.sql.Timestamp.from(to.timestamp()))
                .param("key", to.key())
                .param("source", source)
                .update();
    }
}
