package io.logwarden.config;

import io.logwarden.ingest.RecordMapping;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Database, REST API and Kafka sources. None is configured by default; each one configured becomes one route
 * ({@code source-sql-<name>}, {@code source-rest-<name>}, {@code source-kafka-<name>}) from the templates in
 * {@code routes/sources/}, and each run of it one job.
 *
 * @param sql   scheduled, parameterized queries over a time window, resumed from a watermark
 * @param rest  scheduled polls of a paginated JSON API, resumed from a watermark
 * @param kafka topics consumed in a consumer group, offsets committed once a batch is stored
 */
@ConfigurationProperties("logwarden.sources")
@Validated
public record SourcesProperties(
        @Valid @DefaultValue List<Sql> sql,
        @Valid @DefaultValue List<Rest> rest,
        @Valid @DefaultValue List<Kafka> kafka) {

    /** Source names become route ids, job sources and report file names: keep them plain. */
    public static final String NAME = "[a-z0-9][a-z0-9-]{0,62}";

    /**
     * When a source runs: a cron expression (Spring's six fields, seconds first) or else a fixed interval.
     *
     * @param every interval between runs, when no cron is set
     * @param cron  for example {@code 0 *}{@code /5 * * * *}: every five minutes
     * @param initialDelay first run after start-up, with {@code every}
     */
    public record Schedule(
            @NotNull @DefaultValue("1m") Duration every,
            @DefaultValue("") String cron,
            @NotNull @DefaultValue("10s") Duration initialDelay) {
    }

    /**
     * Which column (rows) or path (JSON records: {@code $.a.b}, {@code a.b}, {@code items[0].id}) fills which
     * event field. {@code key} identifies the record; with {@code timestamp} it forms the watermark.
     */
    public record Mapping(
            @NotBlank @DefaultValue("ts") String timestamp,
            @NotBlank @DefaultValue("message") String message,
            @NotBlank @DefaultValue("id") String key,
            @DefaultValue("") String level,
            @DefaultValue("") String service,
            @DefaultValue("") String host,
            @DefaultValue Map<String, String> attributes) {

        /** The same mapping for the record mapper (which knows nothing of configuration). */
        public RecordMapping toRecordMapping() {
            return new RecordMapping(timestamp, message, key, level, service, host, attributes);
        }
    }

    /** How {@code :#lastKey} is bound: the key column's type. */
    public enum KeyType { NUMBER, UUID, TEXT }

    /** How a REST API hands out its next page. */
    public enum Pagination { NONE, PAGE, OFFSET, CURSOR, LINK }

    /** Where a new Kafka consumer group starts reading. */
    public enum OffsetReset { EARLIEST, LATEST }

    /**
     * @param name      source name
     * @param url       JDBC URL of the database to read; empty: Logwarden's own database
     * @param username  user for {@code url}
     * @param password  password for {@code url}; set it from the environment
     * @param query     the window query, with the named parameters {@code :#lastTs}, {@code :#lastKey}, {@code :#until}
     *                  and {@code :#limit} (camel-sql named parameters), ordered by timestamp then key
     * @param keyType   {@code number}, {@code uuid} or {@code text}: how {@code :#lastKey} is bound (keys need not
     *                  increase: rows at the watermark's timestamp are told apart by the keys already stored there)
     * @param pageSize  rows fetched per query; a run repeats the query until a page comes back short
     * @param lag       the window ends this long before now, for rows committed late with an earlier timestamp
     * @param start     where a new source starts reading
     */
    public record Sql(
            @NotBlank @Pattern(regexp = NAME) String name,
            @DefaultValue("") String url,
            @DefaultValue("") String username,
            @DefaultValue("") String password,
            @NotBlank String query,
            @DefaultValue Mapping mapping,
            @NotNull @DefaultValue("number") KeyType keyType,
            @Min(1) @DefaultValue("1000") int pageSize,
            @NotNull @DefaultValue("0s") Duration lag,
            @NotNull @DefaultValue("1970-01-01T00:00:00Z") Instant start,
            @DefaultValue Schedule schedule) {
    }

    /**
     * @param name        source name
     * @param url         first page; {@code {since}} is replaced by the watermark's timestamp (ISO-8601, encoded)
     * @param pagination  {@code none}, {@code page} (page/size), {@code offset} (offset/limit), {@code cursor} (a token
     *                    or a next URL in the body), {@code link} (RFC 8288 {@code Link: <…>; rel="next"})
     * @param pageParam   query parameter of the page number (page) or offset (offset)
     * @param sizeParam   query parameter of the page size (page) or limit (offset)
     * @param firstPage   number of the first page (0 or 1)
     * @param pageSize    records asked for per page
     * @param cursorParam query parameter carrying the cursor (cursor)
     * @param cursorPath  path of the next cursor in the body; a value starting with http is followed as the next URL
     * @param recordsPath path of the records array in the body; empty: the body is the array
     * @param headers     extra request headers, e.g. {@code X-Api-Key: ${ORDERS_API_KEY}}
     * @param bearerToken sent as {@code Authorization: Bearer …}; set it from the environment
     * @param maxRetries  retries of a page answered with 429, 5xx or no answer at all
     * @param backoff     first wait between retries, doubled each time; a {@code Retry-After} answer wins
     * @param maxBackoff  longest wait between retries (also caps {@code Retry-After})
     * @param maxPages    pages read in one run at most
     * @param start       where a new source starts (the first {@code {since}})
     */
    public record Rest(
            @NotBlank @Pattern(regexp = NAME) String name,
            @NotBlank @Pattern(regexp = "https?://.+") String url,
            @NotNull @DefaultValue("none") Pagination pagination,
            @DefaultValue("page") String pageParam,
            @DefaultValue("size") String sizeParam,
            @Min(0) @DefaultValue("1") int firstPage,
            @Min(1) @DefaultValue("100") int pageSize,
            @DefaultValue("cursor") String cursorParam,
            @DefaultValue("next") String cursorPath,
            @DefaultValue("") String recordsPath,
            @DefaultValue Mapping mapping,
            @DefaultValue Map<String, String> headers,
            @DefaultValue("") String bearerToken,
            @Min(0) @DefaultValue("5") int maxRetries,
            @NotNull @DefaultValue("1s") Duration backoff,
            @NotNull @DefaultValue("60s") Duration maxBackoff,
            @Min(1) @DefaultValue("10000") int maxPages,
            @NotNull @DefaultValue("1970-01-01T00:00:00Z") Instant start,
            @DefaultValue Schedule schedule) {
    }

    /**
     * @param name          source name
     * @param brokers       bootstrap servers
     * @param topics        comma-separated topics
     * @param groupId       consumer group; one member of it reads a partition at a time
     * @param format        how a message is read: {@code mapped} (a JSON record, read with {@code mapping}) or a log
     *                      format name ({@code raw}, {@code json}, {@code app}, {@code syslog}, …, or a user format);
     *                      an event without a timestamp of its own gets the Kafka record's
     * @param maxPollRecords messages per batch (one job per batch)
     * @param pollTimeout   how long a poll waits for messages
     * @param offsetReset   where a new group starts: {@code earliest} or {@code latest}
     */
    public record Kafka(
            @NotBlank @Pattern(regexp = NAME) String name,
            @NotBlank String brokers,
            @NotBlank String topics,
            @NotBlank String groupId,
            @NotBlank @DefaultValue("raw") String format,
            @DefaultValue Mapping mapping,
            @Min(1) @DefaultValue("2000") int maxPollRecords,
            @NotNull @DefaultValue("5s") Duration pollTimeout,
            @NotNull @DefaultValue("earliest") OffsetReset offsetReset) {
    }
}
