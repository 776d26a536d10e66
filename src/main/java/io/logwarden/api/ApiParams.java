package io.logwarden.api;

import io.logwarden.store.InvalidParameterException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Query parameters read the same way everywhere: lists may repeat or be comma-separated; times are ISO-8601. */
final class ApiParams {

    private ApiParams() {
    }

    /** The values of a list parameter (repeated or comma-separated), blanks dropped; lower-cased when asked. */
    static Set<String> list(List<String> values, boolean upper) {
        Set<String> out = new LinkedHashSet<>();
        if (values == null) {
            return out;
        }
        for (String v : values) {
            for (String part : v.split(",")) {
                String p = part.strip();
                if (!p.isEmpty()) {
                    out.add(upper ? p.toUpperCase(Locale.ROOT) : p);
                }
            }
        }
        return out;
    }

    /** An instant: {@code 2026-03-01T10:00:00Z}, with an offset, or a date (its start, UTC). */
    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new InvalidParameterException(name, name + " must be an ISO-8601 time such as 2026-03-01T10:00:00Z"
                        + " or a date such as 2026-03-01, was '" + value + "'");
            }
        }
    }

    static int limit(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
