package io.logwarden.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.logwarden.config.SourcesProperties;
import io.logwarden.ingest.RecordMapper;
import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * One pagination style of REST sources: from the page just read, the next request (a URL), or none. Each style is a
 * small bean ({@code nonePagination}, {@code pagePagination}, {@code offsetPagination}, {@code cursorPagination},
 * {@code linkPagination}); {@link RestPages} picks the source's with an exhaustive switch over
 * {@link SourcesProperties.Pagination}, so a new style cannot be forgotten.
 */
public interface RestPagination {

    /** The first page's URL: the source's URL as configured, unless the style numbers its pages. */
    default String first(RestPages.Cursor cursor) {
        return cursor.base();
    }

    /** The next page's URL after one that held {@code records} records, or null when it was the last. */
    String next(RestPages.Cursor cursor, JsonNode body, int records, String link);

    /** One page: {@code url?since=…}. */
    @Component("nonePagination")
    final class None implements RestPagination {
        @Override
        public String next(RestPages.Cursor c, JsonNode body, int records, String link) {
            return null;
        }
    }

    /** {@code ?page=1&size=100}, then page 2, …, until a short page. */
    @Component("pagePagination")
    final class Page implements RestPagination {
        @Override
        public String first(RestPages.Cursor c) {
            c.position = c.settings().firstPage();
            return atPosition(c);
        }

        @Override
        public String next(RestPages.Cursor c, JsonNode body, int records, String link) {
            if (records < c.settings().pageSize()) return null;
            c.position++;
            return atPosition(c);
        }
    }

    /** {@code ?offset=0&limit=100}, then offset 100, …, until a short page. */
    @Component("offsetPagination")
    final class Offset implements RestPagination {
        @Override
        public String first(RestPages.Cursor c) {
            c.position = 0;
            return atPosition(c);
        }

        @Override
        public String next(RestPages.Cursor c, JsonNode body, int records, String link) {
            if (records < c.settings().pageSize()) return null;
            c.position += records;
            return atPosition(c);
        }
    }

    /** The body names the next cursor ({@code cursor-path}): a token sent as {@code cursor-param}, or a whole URL. */
    @Component("cursorPagination")
    final class Cursor implements RestPagination {
        @Override
        public String next(RestPages.Cursor c, JsonNode body, int records, String link) {
            SourcesProperties.Rest s = c.settings();
            JsonNode next = RecordMapper.at(body, s.cursorPath());
            if (next == null || !next.isValueNode() || next.asText().isBlank()) {
                return null;
            }
            String cursor = next.asText();
            if (cursor.startsWith("http://") || cursor.startsWith("https://") || cursor.startsWith("/")) {
                return URI.create(c.getUrl()).resolve(cursor).toString();
            }
            return withParams(c.base(), s.cursorParam(), cursor, null, null);
        }
    }

    /** RFC 8288: {@code Link: <…>; rel="next"}, resolved against the current page. */
    @Component("linkPagination")
    final class Link implements RestPagination {
        private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?([^\",;]*\\bnext\\b[^\",;]*)\"?");

        @Override
        public String next(RestPages.Cursor c, JsonNode body, int records, String link) {
            if (link == null) {
                return null;
            }
            Matcher m = NEXT.matcher(link);
            while (m.find()) {
                if (List.of(m.group(2).trim().split("\\s+")).contains("next")) {
                    return URI.create(c.getUrl()).resolve(m.group(1).trim()).toString();
                }
            }
            return null;
        }
    }

    /** The base URL with the page or offset ({@code page-param}) at the cursor's position, and {@code size-param}. */
    private static String atPosition(RestPages.Cursor c) {
        SourcesProperties.Rest s = c.settings();
        return withParams(c.base(), s.pageParam(), String.valueOf(c.position), s.sizeParam(), String.valueOf(s.pageSize()));
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
