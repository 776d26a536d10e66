package io.logwarden.store;

import java.time.Instant;

/** One line of an anomaly list. {@code occurredAt} is the window's start (or when it was stored, without one). */
public record AnomalySummary(long id, long jobId, String source, String detector, double score, String severity,
                             Instant occurredAt, Instant windowStart, Instant windowEnd, String templateId,
                             String template, String title, String explanation, String status, String llmSummary,
                             String llmModel, Instant createdAt) {
}
