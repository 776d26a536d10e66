package io.logwarden.source;

import io.logwarden.event.LogText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.config.IngestProperties;
import io.logwarden.config.SourcesProperties;
import io.logwarden.event.LogEvent;
import io.logwarden.ingest.IngestException;
import io.logwarden.ingest.RecordMapper;
import io.logwarden.ingest.TimestampParser;
import io.logwarden.pipeline.SourceRun;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The paging of a REST source route ({@code restPages}): {@code first} makes the run's cursor (the first page's
 * URL, with {@code {since}} from the watermark), {@code request} checks the page about to be asked for (max-pages,
 * a URL asked twice), {@code read} maps a page's records and asks the source's {@link RestPagination} style for the
 * next request. Records already stored by an earlier run (at or before the watermark) and records seen twice in one
 * run (pages shifting under offsets) are skipped, so none is stored twice.
 */
@Component("restPages")
public class RestPages {

    private final Map<String, SourcesProperties.Rest> sources = new LinkedHashMap<>();
    private final ObjectMapper json;
    private final TimestampParser timestamps;
    private final RestPagination noneStyle;
    private final RestPagination pageStyle;
    private final RestPagination offsetStyle;
    private final RestPagination cursorStyle;
    private final RestPagination linkStyle;

    public RestPages(SourcesProperties props, IngestProperties ingest, ObjectMapper json, Clock clock,
                     RestPagination.None none, RestPagination.Page page, RestPagination.Offset offset,
                     RestPagination.Cursor cursor, RestPagination.Link link) {
        this.noneStyle = none;
        this.pageStyle = page;
        this.offsetStyle = offset;
        this.cursorStyle = cursor;
        this.linkStyle = link;
        props.rest().forEach(s -> sources.put(s.name(), s));
        this.json = json;
        this.timestamps = new TimestampParser(ingest.defaultZone(), clock);
    }

    /** Where one run's paging stands; the route reads the next request from it. */
    public static final class Cursor {
        final SourcesProperties.Rest source;
        final RecordMapper mapper;
        final String base;
        final Set<String> asked = new HashSet<>();
        final Set<String> keys = new HashSet<>();
        String url;
        int pages;
        String previousPage;
        /** Page number (page) or offset (offset) of the current request. */
        long position;
        /** Failed attempts at the current page, for the route's retries. */
        int attempts;

        Cursor(SourcesProperties.Rest source, RecordMapper mapper, String base) {
            this.source = source;
            this.mapper = mapper;
            this.base = base;
        }

        public boolean hasMore() {
            return url != null;
        }

        /** The page to ask for: the camel-http header {@code CamelHttpUri}. */
        public String getUrl() {
            return url;
        }

        /** Scheme, host and port of the page: the http endpoint the route's {@code toD} sends to. */
        public String getOrigin() {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getRawAuthority();
        }

        /** {@code Authorization: Bearer …} when the source has a bearer token, else none. */
        public String getAuthorization() {
            return source.bearerToken().isBlank() ? null : "Bearer " + source.bearerToken();
        }

        /** The source's own headers ({@code X-Api-Key: …}). */
        public Map<String, String> getHeaders() {
            return source.headers();
        }

        public String source() {
            return source.name();
        }

        public SourcesProperties.Rest settings() {
            return source;
        }

        String base() {
            return base;
        }
    }

    /** The bean of the source's pagination style. */
    RestPagination style(SourcesProperties.Pagination pagination) {
        return switch (pagination) {
            case NONE -> noneStyle;
            case PAGE -> pageStyle;
            case OFFSET -> offsetStyle;
            case CURSOR -> cursorStyle;
            case LINK -> linkStyle;
        };
    }

    public boolean has(String name) {
        return sources.containsKey(name);
    }

    /** The run's cursor at the first page, from the watermark of its {@link SourceRun}. */
    public Cursor first(String name, SourceRun run) {
        SourcesProperties.Rest source = sources.get(name);
        if (source == null) {
            throw new IngestException("no REST source named " + name + " in logwarden.sources.rest");
        }
        String base = source.url().replace("{since}", encode(run.from().timestamp().toString()));
        Cursor cursor = new Cursor(source, new RecordMapper(source.mapping().toRecordMapping(), timestamps), base);
        cursor.url = style(source.pagination()).first(cursor);
        return cursor;
    }

    /** Before each request: a run stops at max-pages, and a URL asked for twice is a pagination loop. */
    public void request(Cursor cursor, Exchange exchange) {
        cursor.pages++;
        cursor.attempts = 0;
        if (cursor.pages > cursor.source.maxPages()) {
            throw new IngestException("more than " + cursor.source.maxPages() + " pages in one run (max-pages); stopped at "
                    + LogText.maskSecrets(cursor.url));
        }
        if (!cursor.asked.add(cursor.url)) {
            throw new IngestException("pagination loop: " + LogText.maskSecrets(cursor.url) + " was asked for twice in one run"
                    + " (the API returned a cursor or next link it had already given)");
        }
        // The source's own headers (an API key); Authorization is set by the route.
        cursor.source.headers().forEach((k, v) -> exchange.getIn().setHeader(k, v));
    }

    /**
     * Maps one page (the response body, its {@code Link} header) to events, held on the run until it locks its
     * watermark; then computes the next request, or none.
     */
    public void read(String body, String link, Cursor cursor, SourceRun run) {
        String url = cursor.url;
        JsonNode page;
        try {
            page = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new IngestException("page " + cursor.pages + " (" + LogText.maskSecrets(url) + ") is not JSON: " + e.getOriginalMessage()
                    + "; it starts with: " + abbreviate(body));
        }
        String path = cursor.source.recordsPath();
        JsonNode records = path.isBlank() ? page : RecordMapper.at(page, path);
        if (records == null || !records.isArray()) {
            throw new IngestException("page " + cursor.pages + " (" + LogText.maskSecrets(url) + ") has no records array at '"
                    + (path.isBlank() ? "$" : path) + "' (records-path)");
        }
        List<LogEvent> batch = new ArrayList<>(records.size());
        String firstKey = null;
        String lastKey = null;
        for (JsonNode record : records) {
            RecordMapper.Mapped mapped = cursor.mapper.map(p -> RecordMapper.at(record, p), cursor.source.name(), url,
                    record.toString());
            if (firstKey == null) firstKey = mapped.key();
            lastKey = mapped.key();
            if (mapped.timestamp() != null && run.covers(mapped.timestamp(), mapped.key())) {
                continue; // stored by an earlier run: before the watermark, or at it with a key already stored
            }
            if (!cursor.keys.add(mapped.key())) {
                continue; // already read in this run, on an earlier page
            }
            if (mapped.timestamp() != null) {
                run.read(mapped.timestamp(), mapped.key());
            }
            batch.add(mapped.event());
        }
        String thisPage = records.size() + ":" + firstKey + ":" + lastKey;
        if (records.size() > 0 && thisPage.equals(cursor.previousPage)) {
            throw new IngestException("pagination loop: page " + cursor.pages + " (" + LogText.maskSecrets(url)
                    + ") returned the same records"
                    + " as the page before it (the API repeats its cursor, or ignores the paging parameters)");
        }
        cursor.previousPage = thisPage;
        if (!batch.isEmpty()) {
            run.hold(batch);
        }
        cursor.url = style(cursor.source.pagination()).next(cursor, page, records.size(), link);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String abbreviate(String text) {
        if (text == null) return "";
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 120 ? oneLine.substring(0, 120) + "…" : oneLine;
    }
}
