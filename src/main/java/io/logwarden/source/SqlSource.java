package io.logwarden.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.logwarden.config.IngestProperties;
import io.logwarden.config.SourcesProperties;
import io.logwarden.event.LogEvent;
import io.logwarden.ingest.IngestException;
import io.logwarden.ingest.RecordMapper;
import io.logwarden.ingest.TimestampParser;
import io.logwarden.store.WatermarkRepository.Watermark;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * The database source: one run reads the rows after the source's watermark and up to now (less a lag), page by
 * page with the user's keyset query, and stores them as one job. Any JDBC database whose driver is on the class
 * path works; without a URL the query runs against Logwarden's own database.
 */
@Component("sqlSource")
public class SqlSource {

    private final Map<String, SourcesProperties.Sql> sources = new LinkedHashMap<>();
    private final DataSource own;
    private final SourceRunner runner;
    private final Clock clock;
    private final TimestampParser timestamps;
    private final ObjectMapper json;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
    private final CamelContext camel;
    private final ProducerTemplate producer;

    public SqlSource(SourcesProperties props, IngestProperties ingest, DataSource own, SourceRunner runner, Clock clock,
                     ObjectMapper json, CamelContext camel, ProducerTemplate producer) {
        this.camel = camel;
        this.producer = producer;
        props.sql().forEach(s -> sources.put(s.name(), s));
        this.own = own;
        this.runner = runner;
        this.clock = clock;
        this.json = json;
        this.timestamps = new TimestampParser(ingest.defaultZone(), clock);
    }

    public boolean has(String name) {
        return sources.containsKey(name);
    }

    /** One run of the source named by the exchange's {@value SourceRunner#SOURCE_NAME} header. */
    public long run(Exchange exchange) {
        SourcesProperties.Sql source = sources.get(exchange.getIn().getHeader(SourceRunner.SOURCE_NAME, String.class));
        Instant until = clock.instant().minus(source.lag());
        RecordMapper mapper = new RecordMapper(source.mapping().toRecordMapping(), timestamps);
        String query = queryEndpoint(source);
        return runner.run(exchange, source.name(), "sql", new Watermark(source.start(), null),
                (from, batches) -> read(source, query, mapper, from, until, batches));
    }

    /**
     * The camel-sql endpoint that runs the source's query: the SQL travels in the message body (so users write it as
     * is, with camel-sql's {@code :#name} parameters, and nothing needs URI escaping), parameters in the headers,
     * against the source's own connection pool, bound in Camel's registry under its name.
     */
    private String queryEndpoint(SourcesProperties.Sql source) {
        String bean = "logwardenSqlSource-" + source.name();
        if (camel.getRegistry().lookupByName(bean) == null) {
            camel.getRegistry().bind(bean, dataSource(source));
        }
        return "sql:query?useMessageBodyForSql=true&outputType=SelectList&dataSource=#" + bean;
    }

    /**
     * Users write camel-sql's {@code :#name} parameters, as in a {@code sql:} URI; camel-sql turns {@code #} into its
     * placeholder {@code ?} only for SQL in the URI, so SQL sent in the body needs the {@code :?name} form.
     */
    static String bodySql(SourcesProperties.Sql source) {
        return source.query().replace(":#", ":?");
    }

    /**
     * Pages through the query. The first page starts at the watermark's timestamp with the smallest key, so rows
     * committed at that timestamp after the last run are seen whatever their key; the rows already stored there
     * (the watermark's key set) are skipped. Later pages continue from the last row read, (ts, key).
     */
    private Watermark read(SourcesProperties.Sql source, String query, RecordMapper mapper,
                           Watermark from, Instant until, java.util.function.Consumer<List<LogEvent>> batches) {
        Watermark at = from;
        Instant cursorTs = from.timestamp();
        String cursorKey = null;
        boolean first = true;
        while (true) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("lastTs", Timestamp.from(cursorTs));
            params.put("lastKey", bindKey(source, cursorKey));
            params.put("until", Timestamp.from(until));
            params.put("limit", source.pageSize());
            List<Map<String, Object>> rows;
            try {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> result = producer.requestBodyAndHeaders(query, bodySql(source), params, List.class);
                rows = result == null ? List.of() : result;
            } catch (org.apache.camel.CamelExecutionException e) {
                // The driver's own message ("relation x does not exist") is what people can act on.
                Throwable cause = e.getCause() instanceof org.springframework.dao.DataAccessException dae
                        ? dae.getMostSpecificCause() : e.getCause() == null ? e : e.getCause();
                throw new IngestException("the query of source " + source.name() + " failed: " + cause.getMessage(), e);
            }
            if (first && !rows.isEmpty()) {
                checkColumns(source, rows.get(0));
                first = false;
            }
            List<LogEvent> batch = new ArrayList<>(rows.size());
            Instant pageStartTs = cursorTs;
            String pageStartKey = cursorKey;
            for (Map<String, Object> row : rows) {
                RecordMapper.Mapped mapped = mapper.map(row::get, source.name(), "sql:" + source.name(), raw(row));
                if (mapped.timestamp() == null) {
                    throw new IngestException("row " + mapped.key() + " has no readable timestamp in column '"
                            + source.mapping().timestamp() + "'; the watermark needs one");
                }
                if (mapped.timestamp().isBefore(cursorTs) || (source.keyType() == SourcesProperties.KeyType.NUMBER && cursorKey != null
                        && mapped.timestamp().equals(cursorTs)
                        && Long.parseLong(mapped.key()) <= Long.parseLong(cursorKey))) {
                    throw new IngestException("the query returned row " + mapped.key() + " at " + mapped.timestamp()
                            + ", not after " + cursorTs + "/" + cursorKey + ": it must select (ts, key) > (:#lastTs, :#lastKey)"
                            + " and order by ts, key");
                }
                cursorTs = mapped.timestamp();
                cursorKey = mapped.key();
                if (from.covers(mapped.timestamp(), mapped.key())) {
                    continue; // stored by an earlier run, at the watermark's timestamp
                }
                at = at.plus(mapped.timestamp(), mapped.key());
                batch.add(mapped.event());
            }
            if (!batch.isEmpty()) {
                batches.accept(batch);
            }
            if (rows.size() < source.pageSize()) {
                return at;
            }
            if (cursorTs.equals(pageStartTs) && java.util.Objects.equals(cursorKey, pageStartKey)) {
                throw new IngestException("the query of source " + source.name() + " returned the same page twice:"
                        + " it must select (ts, key) > (:#lastTs, :#lastKey) and order by ts, key");
            }
        }
    }

    private static void checkColumns(SourcesProperties.Sql source, Map<String, Object> row) {
        SourcesProperties.Mapping m = source.mapping();
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

    /** {@code :#lastKey}; null (the first page of a run) binds the smallest key of the type. */
    private static Object bindKey(SourcesProperties.Sql source, String key) {
        try {
            return switch (source.keyType()) {
                case NUMBER -> key == null ? Long.MIN_VALUE : Long.parseLong(key);
                case UUID -> key == null ? new java.util.UUID(0, 0) : java.util.UUID.fromString(key);
                case TEXT -> key == null ? "" : key;
            };
        } catch (IllegalArgumentException e) {
            throw new IngestException("key '" + key + "' is not a " + source.keyType() + "; set key-type to match"
                    + " the key column (number, uuid or text)", e);
        }
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

    private DataSource dataSource(SourcesProperties.Sql source) {
        if (source.url().isBlank()) {
            return own;
        }
        return pools.computeIfAbsent(source.name(), name -> {
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(source.url());
            pool.setUsername(source.username().isBlank() ? null : source.username());
            pool.setPassword(source.password().isBlank() ? null : source.password());
            pool.setPoolName("source-" + name);
            pool.setMaximumPoolSize(2);
            pool.setReadOnly(true);
            return pool;
        });
    }

    @PreDestroy
    void close() {
        pools.values().forEach(HikariDataSource::close);
    }
}
