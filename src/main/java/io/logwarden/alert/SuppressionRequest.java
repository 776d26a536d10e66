package io.logwarden.alert;

import io.logwarden.event.Durations;
import java.time.Duration;

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

    /** {@link Durations}: P7D, PT12H, 7d, 12h, 2w; null for good. */
    static Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"for\": " + e.getMessage());
        }
    }
}
