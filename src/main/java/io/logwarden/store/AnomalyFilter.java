package io.logwarden.store;

import java.time.Instant;
import java.util.Set;

/**
 * Which anomalies a list shows. Empty sets and nulls mean "any"; several values in one set are alternatives.
 *
 * @param severities {@code LOW}, {@code MEDIUM}, {@code HIGH}, {@code CRITICAL}
 * @param sources    source names
 * @param detectors  detector ids ({@code frequency-spike}, {@code new-template}, …)
 * @param statuses   {@code open}, {@code acknowledged}, {@code false_positive}
 * @param from       occurred at or after (inclusive)
 * @param to         occurred before (exclusive)
 * @param q          text found (case-insensitively) in the title, explanation, template or LLM summary
 * @param jobId      only the anomalies of this job
 */
public record AnomalyFilter(Set<String> severities, Set<String> sources, Set<String> detectors, Set<String> statuses,
                            Instant from, Instant to, String q, Long jobId) {

    public AnomalyFilter {
        severities = severities == null ? Set.of() : Set.copyOf(severities);
        sources = sources == null ? Set.of() : Set.copyOf(sources);
        detectors = detectors == null ? Set.of() : Set.copyOf(detectors);
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        q = q == null || q.isBlank() ? null : q.strip();
    }

    /** Every anomaly. */
    public static AnomalyFilter all() {
        return new AnomalyFilter(null, null, null, null, null, null, null, null);
    }

    /** The anomalies of one job. */
    public static AnomalyFilter ofJob(long jobId) {
        return new AnomalyFilter(null, null, null, null, null, null, null, jobId);
    }
}
