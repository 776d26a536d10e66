package io.logwarden.event;

import java.util.List;

/** The methods of an HTTP request line ({@code GET /path HTTP/1.1}): what both reading and mining recognise. */
public final class HttpMethods {

    /** The methods, most used first. */
    public static final List<String> ALL = List.of("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "CONNECT", "TRACE");

    private HttpMethods() {
    }

    /** Whether the word is one of {@link #ALL}. */
    public static boolean is(String word) {
        return ALL.contains(word);
    }
}
