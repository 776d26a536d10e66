package io.logwarden.alert;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * A suppression rule asked for directly (POST /api/v1/suppressions), without an anomaly to start from.
 *
 * @param kind       {@code suppress} (default) or {@code expected}
 * @param templateId null: any template
 * @param influencer {@code field=value}, or null
 * @param forDuration ISO-8601 ({@code P7D}) or short ({@code 7d}, {@code 12h}); null for good (JSON name: "for")
 * @param observed   expected rules: the peak count per window that is normal
 */
record SuppressionRequest(String kind, String source, String detector, String templateId, String influencer,
                          @com.fasterxml.jackson.annotation.JsonProperty("for") String forDuration, String reason,
                          Double observed) {

    /** {@code field=value} as its two parts; both null for none. */
    static String[] influencer(String text) {
        if (text == null || text.isBlank()) {
            return new String[2];
        }
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("influencer must be field=value, got: " + text);
        }
        return new String[] {text.substring(0, eq).strip(), text.substring(eq + 1).strip()};
    }

    /** {@code P7D}, {@code PT12H}, or the short forms {@code 30m}, {@code 12h}, {@code 7d}. */
    static Duration duration(String text) {
        if (text == null || text.isBlank() || text.equalsIgnoreCase("forever")) {
            return null;
        }
        String t = text.strip();
        try {
            if (t.toUpperCase(java.util.Locale.ROOT).startsWith("P")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (Character.toLowerCase(t.charAt(t.length() - 1))) {
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                case 'w' -> Duration.ofDays(7 * n);
                default -> throw new IllegalArgumentException();
            };
        } catch (DateTimeParseException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("\"for\" must be a duration such as P7D, PT12H, 7d or 12h; got: " + text);
        }
    }
}
