package io.logwarden.detect;

import io.logwarden.event.Severity;
import java.time.Instant;
import java.util.List;

/**
 * Something unusual, with why: which detector, what was expected, what was seen, who and what drove it, and the
 * evidence lines. When anomalies of several detectors were one incident, the lead is this anomaly and the others
 * are its {@link #parts}.
 *
 * @param detector     which detector found it (for an incident: the lead's)
 * @param score        0–100; the severity follows from it
 * @param windowStart  first window the anomaly covers
 * @param windowEnd    end of the last window it covers
 * @param templateId   the template concerned; null for level-wide anomalies such as error bursts
 * @param title        the headline, in plain words ("480 errors in 20 s, usually 0–1")
 * @param explanation  what was seen against what is usual, in plain words
 * @param expected     the baseline count per window (0 for a new template)
 * @param observed     the peak count per window (for a new template: its occurrences in the job)
 * @param contributors templates that made up the observation: most frequent first, or for rare and new messages the
 *                     lead first (the worst, then the rarest)
 * @param evidence     example lines, one per template
 * @param enrichment   what an LLM said about it, or why it said nothing; null before enrichment ran
 * @param influencers  field values over-represented in its events against the baseline
 * @param parts        the other detectors' findings of the same incident
 * @param details      the statistics behind it, for the small print
 * @param suppressedBy the suppression rule it matched (stored as {@code suppressed}, not alerted), or null
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
        Enrichment enrichment,
        List<Influencer> influencers,
        List<Part> parts,
        String details,
        Long suppressedBy) {

    public Anomaly {
        contributors = contributors == null ? List.of() : List.copyOf(contributors);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        influencers = influencers == null ? List.of() : List.copyOf(influencers);
        parts = parts == null ? List.of() : List.copyOf(parts);
        details = details == null ? "" : details;
    }

    /** An anomaly no suppression rule matched. */
    public Anomaly(String source, Detector detector, double score, Severity severity, Instant windowStart,
                   Instant windowEnd, String templateId, String template, String title, String explanation,
                   double expected, double observed, List<Contributor> contributors, List<Evidence> evidence,
                   Enrichment enrichment, List<Influencer> influencers, List<Part> parts, String details) {
        this(source, detector, score, severity, windowStart, windowEnd, templateId, template, title, explanation,
                expected, observed, contributors, evidence, enrichment, influencers, parts, details, null);
    }

    /** An anomaly as detection produces it, not yet enriched. */
    public Anomaly(String source, Detector detector, double score, Severity severity, Instant windowStart,
                   Instant windowEnd, String templateId, String template, String title, String explanation,
                   double expected, double observed, List<Contributor> contributors, List<Evidence> evidence) {
        this(source, detector, score, severity, windowStart, windowEnd, templateId, template, title, explanation,
                expected, observed, contributors, evidence, null, List.of(), List.of(), "", null);
    }

    /** The same anomaly with the LLM's answer, or the reason there is none. */
    public Anomaly withEnrichment(Enrichment value) {
        return new Anomaly(source, detector, score, severity, windowStart, windowEnd, templateId, template, title,
                explanation, expected, observed, contributors, evidence, value, influencers, parts, details, suppressedBy);
    }

    Anomaly withInfluencers(List<Influencer> value) {
        return new Anomaly(source, detector, score, severity, windowStart, windowEnd, templateId, template, title,
                explanation, expected, observed, contributors, evidence, enrichment, value, parts, details, suppressedBy);
    }

    Anomaly withExplanation(String value) {
        return new Anomaly(source, detector, score, severity, windowStart, windowEnd, templateId, template, title,
                value, expected, observed, contributors, evidence, enrichment, influencers, parts, details, suppressedBy);
    }

    Anomaly withEvidence(List<Evidence> value) {
        return new Anomaly(source, detector, score, severity, windowStart, windowEnd, templateId, template, title,
                explanation, expected, observed, contributors, value, enrichment, influencers, parts, details, suppressedBy);
    }

    Anomaly withDetails(String value) {
        return new Anomaly(source, detector, score, severity, windowStart, windowEnd, templateId, template, title,
                explanation, expected, observed, contributors, evidence, enrichment, influencers, parts, value, suppressedBy);
    }

    /** The same anomaly, suppressed by a rule (stored as {@code suppressed}, not alerted). */
    public Anomaly suppressed(long ruleId) {
        return new Anomaly(source, detector, score, severity, windowStart, windowEnd, templateId, template, title,
                explanation, expected, observed, contributors, evidence, enrichment, influencers, parts, details, ruleId);
    }

    /** True when a suppression rule matched it. */
    public boolean isSuppressed() {
        return suppressedBy != null;
    }

    /** A template's share of an anomaly's observation. */
    public record Contributor(String templateId, String template, long count) {
    }

    /**
     * A field value over-represented in an anomaly's events: "client 127.0.0.200: 150 of 150 events, 0 % before".
     *
     * @param count         events of the anomaly with this value
     * @param of            events of the anomaly that have the field
     * @param baselineShare the value's share of the events outside the anomaly
     */
    public record Influencer(String field, String value, long count, long of, double baselineShare) {
        public String text() {
            return field + " " + value + ": " + count + " of " + of + " events, " + Explain.percent(baselineShare)
                    + " before";
        }
    }

    /** Another detector's finding that belongs to the same incident. */
    public record Part(Detector detector, String title, double score, Instant windowStart, Instant windowEnd) {
    }
}
