package io.logwarden.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a record (a database row or a JSON object) into a {@link LogEvent} by the source's mapping: one code path
 * for both, reading fields through a lookup (column name for rows, path for JSON). A field the mapping names but the
 * record lacks is left empty, so the validator quarantines the event with its reason; only the key is mandatory, as
 * without it the record has no place in the watermark.
 */
public final class RecordMapper {

    private final RecordMapping mapping;
    private final TimestampParser timestamps;

    public RecordMapper(RecordMapping mapping, TimestampParser timestamps) {
        this.mapping = mapping;
        this.timestamps = timestamps;
    }

    /** A mapped event with its position in the source: its timestamp (may be null) and key. */
    public record Mapped(LogEvent event, Instant timestamp, String key) {
    }

    /**
     * @param fields lookup of a column or path in the record; returns null when absent
     * @param origin table, URL or topic, for the event's reference
     * @param raw    the record as text, kept as the event's raw text
     */
    public Mapped map(Function<String, Object> fields, String source, String origin, String raw) {
        String key = mapping.key().isEmpty() ? null : text(fields.apply(mapping.key()));
        if (!mapping.key().isEmpty() && (key == null || key.isBlank())) {
            throw new IngestException("record without its key '" + mapping.key() + "' (mapping.key): " + abbreviate(raw));
        }
        Map<String, String> attributes = new HashMap<>();
        Object tsValue = mapping.timestamp().isEmpty() ? null : fields.apply(mapping.timestamp());
        Instant ts = timestamp(tsValue);
        if (ts == null && tsValue != null) {
            attributes.put("timestamp.raw", text(tsValue));
        }
        mapping.attributes().forEach((name, path) -> {
            String value = text(fields.apply(path));
            if (value != null) attributes.put(name, value);
        });
        LogEvent event = new LogEvent(source, ts, Level.parse(optional(fields, mapping.level())),
                optional(fields, mapping.service()), optional(fields, mapping.host()),
                optional(fields, mapping.message()), attributes, raw, new SourceRef(origin, -1, key));
        return new Mapped(event, ts, key);
    }

    /** Reads a path ({@code $.a.b}, {@code a.b}, {@code items[2].id}) in a JSON value; null when absent. */
    public static JsonNode at(JsonNode node, String path) {
        String p = path.startsWith("$") ? path.substring(1) : path;
        JsonNode current = node;
        for (String part : p.split("\\.")) {
            if (part.isEmpty()) continue;
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            if (!name.isEmpty()) current = current == null ? null : current.get(name);
            while (bracket >= 0 && current != null) {
                int close = part.indexOf(']', bracket);
                current = current.get(Integer.parseInt(part.substring(bracket + 1, close).trim()));
                bracket = part.indexOf('[', close);
            }
            if (current == null || current.isNull() || current.isMissingNode()) return null;
        }
        return current;
    }

    private static String optional(Function<String, Object> fields, String name) {
        return name == null || name.isBlank() ? null : text(fields.apply(name));
    }

    static String text(Object value) {
        if (value == null) return null;
        if (value instanceof JsonNode node) return node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString();
        if (value instanceof java.sql.Timestamp t) return t.toInstant().toString();
        if (value instanceof OffsetDateTime t) return t.toInstant().toString();
        if (value instanceof ZonedDateTime t) return t.toInstant().toString();
        if (value instanceof java.util.Date d) return d.toInstant().toString();
        return value.toString();
    }

    private Instant timestamp(Object value) {
        if (value == null) return null;
        if (value instanceof java.sql.Timestamp t) return t.toInstant();
        if (value instanceof OffsetDateTime t) return t.toInstant();
        if (value instanceof ZonedDateTime t) return t.toInstant();
        if (value instanceof Instant t) return t;
        if (value instanceof java.util.Date d) return d.toInstant();
        if (value instanceof java.time.LocalDateTime t) return t.atZone(timestamps.defaultZone()).toInstant();
        if (value instanceof Number n) return epoch(n.longValue());
        if (value instanceof JsonNode node && node.isNumber()) return epoch(node.asLong());
        String s = text(value);
        if (s.matches("\\d{9,13}")) return epoch(Long.parseLong(s));
        return timestamps.parse(s);
    }

    // Seconds or milliseconds since the epoch: 13 digits are milliseconds until the year 2286.
    private static Instant epoch(long value) {
        return value >= 100_000_000_000L ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
    }

    private static String abbreviate(String raw) {
        return raw == null ? "" : raw.length() > 200 ? raw.substring(0, 200) + "…" : raw;
    }
}
