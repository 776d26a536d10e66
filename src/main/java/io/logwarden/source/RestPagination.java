package io.logwarden.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.logwarden.config.SourcesProperties;
import io.logwarden.ingest.RecordMapper;
import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pagination styles of REST sources, one small function each: from the page just read, the next request (a URL)
 * or none. One exhaustive switch over {@link SourcesProperties.Pagination}, so a new style cannot be forgotten here.
 */
final class RestPagination {

    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?([^\",;]*\\bnext\\b[^\",;]*)\"?");

    private RestPagination() {
    }

    static String first(RestPages.Cursor c) {
        SourcesProperties.Rest s = c.settings();
        return switch (s.pagination()) {
            case PAGE -> {
                c.position = s.firstPage();
                yield withParams(c.base(), s.pageParam(), String.valueOf(c.position), s.sizeParam(), String.valueOf(s.pageSize()));
            }
            case OFFSET -> {
                c.position = 0;
                yield withParams(c.base(), s.pageParam(), "0", s.sizeParam(), String.valueOf(s.pageSize()));
            }
            case NONE, CURSOR, LINK -> c.base();
        };
    }

    static String next(RestPages.Cursor c, JsonNode body, int records, String link) {
        SourcesProperties.Rest s = c.settings();
        return switch (s.pagination()) {
            case NONE -> null;
            case PAGE -> records < s.pageSize() ? null
                    : withParams(c.base(), s.pageParam(), String.valueOf(++c.position), s.sizeParam(), String.valueOf(s.pageSize()));
            case OFFSET -> records < s.pageSize() ? null
                    : withParams(c.base(), s.pageParam(), String.valueOf(c.position += records), s.sizeParam(), String.valueOf(s.pageSize()));
            case CURSOR -> nextFromCursor(s, c.base(), c.getUrl(), body);
            case LINK -> nextFromLink(c.getUrl(), link);
        };
    }

    /** A token, added as the cursor parameter; or a URL (absolute or relative), followed as is. */
    static String nextFromCursor(SourcesProperties.Rest source, String base, String current, JsonNode body) {
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

    /** RFC 8288: {@code Link: <…>; rel="next"}, resolved against the current page. */
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
                .append(RestPages.encode(name)).append('=').append(RestPages.encode(value));
        if (name2 != null) {
            url.append('&').append(RestPages.encode(name2)).append('=').append(RestPages.encode(value2));
        }
        return url.toString();
    }
}
