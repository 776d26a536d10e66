package io.logwarden.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes invisible and terminal-control characters of log text visible in the HTML report: NUL becomes {@code ␀},
 * other control bytes their escape ({@code \x1b[31m} for a colour code), bidirectional overrides {@code \u202e}.
 * Tab, line feed and carriage return stay: they are layout. HTML escaping is the template's job (.ftlh).
 */
final class ControlCharacters {

    private ControlCharacters() {
    }

    static String visible(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String shown = shown(c);
            if (shown != null && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (shown != null) {
                    sb.append(shown);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** A copy of a report document (maps, lists, strings) with every string made visible. */
    @SuppressWarnings("unchecked")
    static Object visibleDeep(Object value) {
        if (value instanceof String s) {
            return visible(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, visibleDeep(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(visibleDeep(v)));
            return copy;
        }
        return value;
    }

    private static String shown(char c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return null;
        }
        if (c == 0) {
            return "\u2400";
        }
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
            return String.format("\\x%02x", (int) c);
        }
        if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f) {
            return String.format("\\u%04x", (int) c);
        }
        return null;
    }
}
