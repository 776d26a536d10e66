package io.logwarden.store;

import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Per source, the position of the last record stored: a timestamp, and the keys of the records stored at it. Read and
 * advanced inside the job's transaction; the row lock taken by {@link #lock} keeps two runs of one source (a
 * schedule and a "run now") from reading the same window.
 */
@Repository
public class WatermarkRepository {

    /**
     * A position in a source: every record with a timestamp before {@code timestamp} has been stored, and at
     * {@code timestamp} exactly the records whose keys are in {@code keysAt}. Records sharing the watermark's
     * timestamp are told apart by that set, not by key order, so keys of any type (UUIDs, text, numbers) work.
     * {@code key} is the last key stored (what a SQL query's {@code :#lastKey} continues from; Kafka keeps its offsets
     * there).
     */
    public record Watermark(Instant timestamp, String key, Set<String> keysAt) {

        public Watermark {
            keysAt = keysAt == null ? Set.of() : Set.copyOf(keysAt);
        }

        public Watermark(Instant timestamp, String key) {
            this(timestamp, key, key == null ? Set.of() : Set.of(key));
        }

        /** True when the record (timestamp, key) was stored by an earlier run: before the watermark, or at it with a known key. */
        public boolean covers(Instant ts, String recordKey) {
            int byTime = ts.compareTo(timestamp);
            return byTime < 0 || (byTime == 0 && keysAt.contains(recordKey));
        }

        /** The watermark after also storing (ts, key): the latest timestamp wins, keys at it are collected. */
        public Watermark plus(Instant ts, String recordKey) {
            int byTime = ts.compareTo(timestamp);
            if (byTime < 0) {
                return this;
            }
            if (byTime == 0) {
                Set<String> keys = new HashSet<>(keysAt);
                keys.add(recordKey);
                return new Watermark(timestamp, recordKey, keys);
            }
            return new Watermark(ts, recordKey, Set.of(recordKey));
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
        return jdbc.sql("select last_ts, last_key, keys_at_ts from source_watermarks where source = :source for update")
                .param("source", source)
                .query((rs, row) -> {
                    java.sql.Timestamp ts = rs.getTimestamp("last_ts");
                    return ts == null ? Optional.<Watermark>empty() : Optional.of(map(rs));
                })
                .single();
    }

    public Optional<Watermark> find(String source) {
        return jdbc.sql("select last_ts, last_key, keys_at_ts from source_watermarks where source = :source and last_ts is not null")
                .param("source", source)
                .query((rs, row) -> map(rs))
                .optional();
    }

    private static Watermark map(java.sql.ResultSet rs) throws java.sql.SQLException {
        java.sql.Array keys = rs.getArray("keys_at_ts");
        Set<String> keysAt = keys == null ? Set.of() : Set.of((String[]) keys.getArray());
        String last = rs.getString("last_key");
        if (keysAt.isEmpty() && last != null) {
            keysAt = Set.of(last); // stored before the key set existed
        }
        return new Watermark(rs.getTimestamp("last_ts").toInstant(), last, keysAt);
    }

    /** A PostgreSQL array literal: every element quoted, quotes and backslashes escaped. */
    static String arrayLiteral(Set<String> values) {
        StringBuilder sb = new StringBuilder("{");
        for (String v : new java.util.TreeSet<>(values)) {
            if (sb.length() > 1) sb.append(',');
            sb.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append('}').toString();
    }

    public void advance(String source, Watermark to) {
        jdbc.sql("""
                update source_watermarks set last_ts = :ts, last_key = :key, keys_at_ts = :keys::text[], updated_at = now()
                 where source = :source""")
                .param("ts", java.sql.Timestamp.from(to.timestamp()))
                .param("key", to.key())
                .param("keys", arrayLiteral(to.keysAt()))
                .param("source", source)
                .update();
    }
}
