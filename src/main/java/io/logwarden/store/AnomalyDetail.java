package io.logwarden.store;

import io.logwarden.detect.Anomaly;
import io.logwarden.detect.Enrichment;
import io.logwarden.detect.Evidence;
import java.time.Instant;
import java.util.List;

/**
 * Everything about one anomaly: what was found, the evidence (file and line), who and what drove it, what the LLM
 * said (with the model's name), and the story of its status.
 *
 * @param llm      the LLM's outcome ({@code enriched}, {@code skipped}, {@code failed}) with summary, cause, actions
 *                 and model; null when enrichment never ran
 * @param history  status changes, oldest first
 */
public record AnomalyDetail(long id, long jobId, String source, String detector, double score, String severity,
                            Instant occurredAt, Instant windowStart, Instant windowEnd, String templateId,
                            String template, String title, String explanation, String details, double expected,
                            double observed, List<Evidence> evidence, List<Anomaly.Contributor> contributors,
                            List<Anomaly.Influencer> influencers, List<Anomaly.Part> parts, Enrichment llm,
                            String status, String statusNote, String statusBy, Instant statusAt, Instant createdAt,
                            List<StatusChange> history) {
}
