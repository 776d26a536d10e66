package io.logwarden.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.config.IngestProperties;
import io.logwarden.config.SourcesProperties.KeyType;
import io.logwarden.event.LogEvent;
import io.logwarden.ingest.IngestException;
import io.logwarden.ingest.RecordMapper;
import io.logwarden.ingest.RecordMapping;
import io.logwarden.ingest.TimestampParser;
import io.logwarden.pipeline.SourceRun;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * The paging of a database source route ({@code sqlPages}): {@code first} makes the run's cursor, whose values the
 * route binds to the query's named parameters ({@code :#lastTs}, {@code :#lastKey}, {@code :#until},
 * {@code :#limit}); {@code read} maps a page of rows to events and moves the cursor to the page's last row.
 * <p>
 * The first page starts at the watermark's timestamp with the smallest key, so rows committed at that timestamp
 * after the last run are seen whatever their key; the rows already stored there (the watermark's key set) are
 * skipped. Later pages continue from the last row read, (ts, key). A page shorter than the page size is the last.
 */
@Component("sqlPages")
public class SqlPages {

    private final TimestampParser timestamps;
    private final ObjectMapper json;
    private final Clock clock;

    public SqlPages(IngestProperties ingest, ObjectMapper json, Clock clock) {
        this.timestamps = new TimestampParser(ingest.defaultZone(), clock);
        this.json = json;
        this.clock = clock;
    }

    /** Where one run's pages stand; the route reads its values into the query's parameters. */
    public static final class Cursor {
        private final String source;
        private final KeyType keyType;
        private final int pageSize;
        private final Timestamp until;
        private final RecordMapping mapping;
        private final RecordMapper mapper;
        private Instant ts;
        private String key;
        private boolean more = true;
        private boolean columnsChecked;

        Cursor(String source, KeyType keyType, int pageSize, Instant until, RecordMapping mapping, RecordMapper mapper,
               Instant from) {
            this.source = source;
            this.keyType = keyType;
            this.pageSize = pageSize;
            this.until = Timestamp.from(until);
            this.mapping = mapping;
            this.mapper = mapper;
            this.ts = from;
        }

        /** {@code :#lastTs}: the timestamp of the last row read (at first, the watermark's). */
        public Timestamp getLastTs() {
            return Timestamp.from(ts);
        }

        /** {@code :#lastKey}: the key of the last row read; on the first page the smallest key of the type. */
        public Object getLastKey() {
            try {
                return switch (keyType) {
                    case NUMBER -> key == null ? Long.MIN_VALUE : Long.parseLong(key);
                    case UUID -> key == null ? new java.util.UUID(0, 0) : java.util.UUID.fromString(key);
                    case TEXT -> key == null ? "" : key;
                };
            } catch (IllegalArgumentException e) {
                throw new IngestException("key '" + key + "' is not a " + keyType.name().toLowerCase(Locale.ROOT)
                        + "; set key-type to match the key column (number, uuid or text)", e);
            }
        }

        /** {@code :#until}: now less the source's lag, fixed for the run. */
        public Timestamp getUntil() {
            return until;
        }

        /** {@code :#limit}: rows per page. */
        public int getLimit() {
            return pageSize;
        }

        public boolean hasMore() {
            return more;
        }
    }

    /**
     * A run's cursor, from the watermark of its {@link SourceRun}. From the route:
     * {@code first('{{name}}', '{{keyType}}', {{pageSize}}, '{{lag}}', '{{mapping}}', ${exchangeProperty.logwardenRun})}.
     */
    public Cursor first(String source, String keyType, int pageSize, String lag, String mapping, SourceRun run) {
        KeyType type;
        try {
            type = KeyType.valueOf(keyType.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IngestException("source " + source + ": key-type '" + keyType + "' is not number, uuid or text");
        }
        Duration wait = DurationStyle.detectAndParse(lag);
        RecordMapping parsed = RecordMapping.parse(mapping);
        return new Cursor(source, type, pageSize, clock.instant().minus(wait), parsed,
                new RecordMapper(parsed, timestamps), run.from().timestamp());
    }

    /** Maps one page of rows to events (those not stored by an earlier run) and moves the cursor past it. */
    public List<LogEvent> read(List<Map<String, Object>> rows, Cursor cursor, SourceRun run) {
        if (rows == null) rows = List.of();
        if (!cursor.columnsChecked && !rows.isEmpty()) {
            checkColumns(cursor.mapping, rows.get(0));
            cursor.columnsChecked = true;
        }
        Instant pageStartTs = cursor.ts;
        String pageStartKey = cursor.key;
        List<LogEvent> batch = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            RecordMapper.Mapped mapped = cursor.mapper.map(row::get, cursor.source, "sql:" + cursor.source, raw(row));
            if (mapped.timestamp() == null) {
                throw new IngestException("row " + mapped.key() + " has no readable timestamp in column '"
                        + cursor.mapping.timestamp() + "'; the watermark needs one");
            }
            if (mapped.timestamp().isBefore(cursor.ts) || (cursor.keyType == KeyType.NUMBER && cursor.key != null
                    && mapped.timestamp().equals(cursor.ts) && Long.parseLong(mapped.key()) <= Long.parseLong(cursor.key))) {
                throw new IngestException("the query returned row " + mapped.key() + " at " + mapped.timestamp()
                        + ", not after " + cursor.ts + "/" + cursor.key + ": it must select (ts, key) > (:#lastTs, :#lastKey)"
                        + " and order by ts, key");
            }
            cursor.ts = mapped.timestamp();
            cursor.key = mapped.key();
            if (run.covers(mapped.timestamp(), mapped.key())) {
                continue; // stored by an earlier run, at the watermark's timestamp
            }
            run.read(mapped.timestamp(), mapped.key());
            batch.add(mapped.event());
        }
        run.counted(batch.size());
        cursor.more = rows.size() >= cursor.pageSize;
        if (cursor.more && cursor.ts.equals(pageStartTs) && Objects.equals(cursor.key, pageStartKey)) {
            throw new IngestException("the query of source " + cursor.source + " returned the same page twice:"
                    + " it must select (ts, key) > (:#lastTs, :#lastKey) and order by ts, key");
        }
        return batch;
    }

    private static void checkColumns(RecordMapping m, Map<String, Object> row) {
        Map<String, String> mapped = new LinkedHashMap<>();
        mapped.put("timestamp", m.timestamp());
        mapped.put("message", m.message());
        mapped.put("key", m.key());
        mapped.put("level", m.level());
        mapped.put("service", m.service());
        mapped.put("host", m.host());
        m.attributes().forEach((k, v) -> mapped.put("attributes." + k, v));
        mapped.forEach((field, column) -> {
            if (!column.isBlank() && !row.containsKey(column)) {
                throw new IngestException("column '" + column + "' (mapping." + field + ") is not in the query's result,"
                        + " which has " + row.keySet());
            }
        });
    }

    private String raw(Map<String, Object> row) {
        Map<String, Object> plain = new LinkedHashMap<>();
        row.forEach((k, v) -> plain.put(k, v instanceof Number || v instanceof Boolean || v == null ? v : textOf(v)));
        try {
            return json.writeValueAsString(plain);
        } catch (JsonProcessingException e) {
            return plain.toString();
        }
    }

    private static String textOf(Object v) {
        if (v instanceof Timestamp t) return t.toInstant().toString();
        if (v instanceof java.time.OffsetDateTime t) return t.toInstant().toString();
        return v.toString();
    }
}
