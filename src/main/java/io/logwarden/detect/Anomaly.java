package io.logwarden.detect;

import io.logwarden.event.Severity;
import java.time.Instant;
import java.util.List;

/**
 * Something unusual, with why: which detector, what was expected, what was seen, and the evidence lines.
 *
 * @param detector    which detector found it
 * @param score       0–100; the severity follows from it
 * @param windowStart first window the anomaly covers
 * @param windowEnd   end of the last window it covers
 * @param templateId  the template concerned; null for level-wide anomalies such as error bursts
 * @param expected    the baseline count per window (0 for a new template)
 * @param observed    the peak count per window (for a new template: its occurrences in the job)
 * @param contributors templates that made up the observation, most frequent first
 * @param enrichment   what an LLM said about it, or why it said nothing; null before enrichment ran
 */
public record Anomaly(
        String source,
        Detector detector,
        double score,
        Severity severity,
        Instant windowStart,
        Instant windowEnd,
        String templateId,
        String template,
        String title,
        String explanation,
        double expected,
        double observed,
        List<Contributor> contributors,
        List<Evidence> evidence,
        Enrichment enrichment) {

    /** An anomaly as detection produces it, not yet enriched. */
    public Anomaly(String source, Detector detector, double score, Severity severity, Instant windowStart,
                   Instant windowEnd, String templateId, String template, String title, String explanation,
                   double expected, double observed, List<Contributor> contributors, List<Evidence> evidence) {
        this(source, detector, score, severity, windowStart, windowEnd, templateId, template, title, explanation,
                expected, observed, contributors, evidence, null);
    }

    /** The same anomaly with the LLM's answer, or the reason there is none. */
    public Anomaly withEnrichment(Enrichment value) {
        return new Anomaly(source, detector, score, severity, windowStart, windowEnd, templateId, template, title,
                explanation, expected, observed, contributors, evidence, value);
    }

    /** A template's share of an anomaly's observation. */
    public record Contributor(String templateId, String template, long count) {
    }
}
