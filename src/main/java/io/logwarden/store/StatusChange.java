package io.logwarden.store;

import java.time.Duration;
import java.time.Instant;

/**
 * One change of an anomaly's status, as kept in its history.
 *
 * @param feedback    {@code none}, {@code suppress} or {@code expected}
 * @param suppressFor how long a suppression lasts; null for good (or no suppression)
 * @param influencer  {@code field=value} a suppression is narrowed to, or null
 */
public record StatusChange(String from, String to, String note, String by, Instant at, String feedback,
                           Duration suppressFor, String influencer) {
}
