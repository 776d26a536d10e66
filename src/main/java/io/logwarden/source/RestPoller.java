package io.logwarden.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.config.IngestProperties;
import io.logwarden.config.SourcesProperties;
import io.logwarden.event.LogEvent;
import io.logwarden.ingest.IngestException;
import io.logwarden.ingest.RecordMapper;
import io.logwarden.ingest.TimestampParser;
import io.logwarden.store.WatermarkRepository.Watermark;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The REST API source: one run pages through the API (page/size, offset/limit, a cursor or next URL in the body,
 * or RFC 8288 {@code Link} headers) through camel-http, retrying 429 and 5xx answers with backoff and
 * {@code Retry-After}, and stores the records after the source's watermark as one job. Records already stored by
 * an earlier run (at or before the watermark) and records seen twice in one run (pages shifting under offsets)
 * are skipped, so none is stored twice.
 */
@Component("restPoller")
public class RestPoller {

    private static final Logger log = LoggerFactory.getLogger(RestPoller.class);
    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?([^\",;]*\\bnext\\b[^\",;]*)\"?");

    private final Map<String, SourcesProperties.Rest> sources = new LinkedHashMap<>();
    private final SourceRunner runner;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final TimestampParser timestamps;

    public RestPoller(SourcesProperties props, IngestProperties ingest, SourceRunner runner, ProducerTemplate producer,
                      ObjectMapper json, Clock clock) {
        props.rest().forEach(s -> sources.put(s.name(), s));
        this.runner = runner;
        this.producer = producer;
        this.json = json;
        this.timestamps = new TimestampParser(ingest.defaultZone(), clock);
    }

    public boolean has(String name) {
        return sources.containsKey(name);
    }

    /** One run of the source named by the exchange's {@value SourceRunner#SOURCE_NAME} header. */
    public long run(Exchange exchange) {
        SourcesProperties.Rest source = sources.get(exchange.getIn().getHeader(SourceRunner.SOURCE_NAME, String.class));
        RecordMapper mapper = new RecordMapper(source.mapping().toRecordMapping(), timestamps);
        return runner.run(exchange, source.name(), "rest", new Watermark(source.start(), null),
                (from, batches) -> read(source, mapper, from, batches), true);
    }

    private Watermark read(SourcesProperties.Rest source, RecordMapper mapper, Watermark from,
                           Consumer<List<LogEvent>> batches) throws InterruptedException {
        String base = source.url().replace("{since}", encode(from.timestamp().toString()));
        Set<String> asked = new HashSet<>();
        Set<String> keys = new HashSet<>();
        Watermark at = from;
        String previousPage = null;
        long page = source.firstPage();
        long offset = 0;
        String url = firstUrl(source, base);
        for (int pages = 1; url != null; pages++) {
            if (pages > source.maxPages()) {
                throw new IngestException("more than " + source.maxPages() + " pages in one run (max-pages); stopped at " + url);
            }
            if (!asked.add(url)) {
                throw new IngestException("pagination loop: " + url + " was asked for twice in one run"
                        + " (the API returned a cursor or next link it had already given)");
            }
            Answer answer = get(source, url);
            JsonNode body;
            try {
                body = json.readTree(answer.body());
            } catch (JsonProcessingException e) {
                throw new IngestException("page " + pages + " (" + url + ") is not JSON: " + e.getOriginalMessage()
                        + "; it starts with: " + abbreviate(answer.body()));
            }
            JsonNode records = source.recordsPath().isBlank() ? body : RecordMapper.at(body, source.recordsPath());
            if (records == null || !records.isArray()) {
                throw new IngestException("page " + pages + " (" + url + ") has no records array at '"
                        + (source.recordsPath().isBlank() ? "$" : source.recordsPath()) + "' (records-path)");
            }
            List<LogEvent> batch = new ArrayList<>(records.size());
            String firstKey = null;
            String lastKey = null;
            for (JsonNode record : records) {
                RecordMapper.Mapped mapped = mapper.map(path -> RecordMapper.at(record, path), source.name(), url,
                        record.toString());
                if (firstKey == null) firstKey = mapped.key();
                lastKey = mapped.key();
                if (mapped.timestamp() != null && from.covers(mapped.timestamp(), mapped.key())) {
                    continue; // stored by an earlier run: before the watermark, or at it with a key already stored
                }
                if (!keys.add(mapped.key())) {
                    continue; // already read in this run, on an earlier page
                }
                if (mapped.timestamp() != null) {
                    at = at.plus(mapped.timestamp(), mapped.key());
                }
                batch.add(mapped.event());
            }
            String thisPage = records.size() + ":" + firstKey + ":" + lastKey;
            if (records.size() > 0 && thisPage.equals(previousPage)) {
                throw new IngestException("pagination loop: page " + pages + " (" + url + ") returned the same records"
                        + " as the page before it (the API repeats its cursor, or ignores the paging parameters)");
            }
            previousPage = thisPage;
            if (!batch.isEmpty()) {
                batches.accept(batch);
            }
            url = switch (source.pagination()) {
                case PAGE -> records.size() < source.pageSize() ? null
                        : withParams(base, source.pageParam(), String.valueOf(++page), source.sizeParam(), String.valueOf(source.pageSize()));
                case OFFSET -> records.size() < source.pageSize() ? null
                        : withParams(base, source.pageParam(), String.valueOf(offset += records.size()), source.sizeParam(), String.valueOf(source.pageSize()));
                case CURSOR -> nextFromCursor(source, base, url, body);
                case LINK -> nextFromLink(url, answer.link());
                case NONE -> null;
            };
        }
        return at;
    }

    private static String firstUrl(SourcesProperties.Rest source, String base) {
        return switch (source.pagination()) {
            case PAGE -> withParams(base, source.pageParam(), String.valueOf(source.firstPage()), source.sizeParam(), String.valueOf(source.pageSize()));
            case OFFSET -> withParams(base, source.pageParam(), "0", source.sizeParam(), String.valueOf(source.pageSize()));
            case NONE, CURSOR, LINK -> base;
        };
    }

    private static String nextFromCursor(SourcesProperties.Rest source, String base, String current, JsonNode body) {
        JsonNode next = RecordMapper.at(body, source.cursorPath());
        if (next == null || !next.isValueNode() || next.asText().isBlank()) {
            return null;
        }
        String cursor = next.asText();
        if (cursor.startsWith("http://") || cursor.startsWith("https://") || cursor.startsWith("/")) {
            return URI.create(current).resolve(cursor).toString();
        }
        return withParams(base, source.cursorParam(), cursor, null, null);
    }

    static String nextFromLink(String current, String link) {
        if (link == null) {
            return null;
        }
        Matcher m = LINK_NEXT.matcher(link);
        while (m.find()) {
            if (List.of(m.group(2).trim().split("\\s+")).contains("next")) {
                return URI.create(current).resolve(m.group(1).trim()).toString();
            }
        }
        return null;
    }

    private static String withParams(String base, String name, String value, String name2, String value2) {
        StringBuilder url = new StringBuilder(base).append(base.contains("?") ? '&' : '?')
                .append(encode(name)).append('=').append(encode(value));
        if (name2 != null) {
            url.append('&').append(encode(name2)).append('=').append(encode(value2));
        }
        return url.toString();
    }

    private record Answer(String body, String link) {
    }

    /** One GET through camel-http; 429, 5xx and no answer at all are retried with backoff, other errors end the run. */
    private Answer get(SourcesProperties.Rest source, String url) throws InterruptedException {
        URI uri = URI.create(url);
        String endpoint = uri.getScheme() + "://" + uri.getRawAuthority()
                + "?throwExceptionOnFailure=false&httpClientConfigurer=#restHttpClient";
        Duration wait = source.backoff();
        for (int attempt = 0; ; attempt++) {
            Exchange answer = producer.send(endpoint, ex -> {
                ex.getIn().setHeader(Exchange.HTTP_METHOD, "GET");
                ex.getIn().setHeader(Exchange.HTTP_URI, url);
                ex.getIn().setHeader("Accept", "application/json");
                source.headers().forEach((k, v) -> ex.getIn().setHeader(k, v));
                if (!source.bearerToken().isBlank()) {
                    ex.getIn().setHeader("Authorization", "Bearer " + source.bearerToken());
                }
            });
            String problem;
            Duration retryAfter = null;
            if (answer.getException() != null) {
                Throwable e = answer.getException();
                problem = "no answer: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            } else {
                int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
                String body = answer.getMessage().getBody(String.class);
                if (status >= 200 && status < 300) {
                    return new Answer(body == null ? "" : body, answer.getMessage().getHeader("Link", String.class));
                }
                problem = "HTTP " + status + ": " + abbreviate(body);
                if (status != 429 && status < 500) {
                    throw new IngestException("GET " + url + " answered " + problem);
                }
                retryAfter = retryAfter(answer.getMessage().getHeader("Retry-After", String.class));
            }
            if (attempt >= source.maxRetries()) {
                throw new IngestException("GET " + url + " failed after " + (attempt + 1) + " attempts, last: " + problem);
            }
            if (retryAfter != null && retryAfter.compareTo(source.maxBackoff()) > 0) {
                // Waiting longer than max-backoff is not this run's job: it ends, the next scheduled run retries.
                throw new IngestException("GET " + url + " answered " + problem + " with Retry-After " + retryAfter.toSeconds()
                        + " s, longer than max-backoff (" + source.maxBackoff().toSeconds() + " s): this run ends and"
                        + " the next one retries");
            }
            Duration pause = retryAfter != null ? retryAfter : wait;
            pause = pause.compareTo(source.maxBackoff()) > 0 ? source.maxBackoff() : pause;
            log.info("GET {}: {}; retry {} of {} in {} ms", url, problem, attempt + 1, source.maxRetries(), pause.toMillis());
            Thread.sleep(pause.toMillis());
            wait = wait.multipliedBy(2);
        }
    }

    /** {@code Retry-After}: seconds, or an HTTP date. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        if (text == null) return "";
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 120 ? oneLine.substring(0, 120) + "…" : oneLine;
    }
}
