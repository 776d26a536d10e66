package io.logwarden.detect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies operators' feedback to what a job found, before it is stored. A {@link Kind#SUPPRESS} rule marks the
 * anomalies it matches as suppressed (kept, shown as such, never alerted); an {@link Kind#EXPECTED} rule says the
 * events were normal, so a matching finding whose peak does not exceed what the operator saw (with
 * {@link #EXPECTED_TOLERANCE} to spare) is part of the baseline and not an anomaly at all. A bigger one still is.
 *
 * <p>The rules come in as plain data (the pipeline loads them); nothing here touches storage.
 */
public final class FeedbackRules {

    /** An expected peak covers findings up to this many times it: counts of the same thing vary. */
    public static final double EXPECTED_TOLERANCE = 1.5;

    private FeedbackRules() {
    }

    public enum Kind { SUPPRESS, EXPECTED }

    /**
     * One rule. Matches anomalies of {@code source} and {@code detector} (the lead's, or one of an incident's parts)
     * with {@code templateId} (null: any), driven by {@code influencerField}={@code influencerValue} when set.
     *
     * @param observed  for {@link Kind#EXPECTED}: the peak count per window the operator called normal
     * @param expiresAt null for good
     */
    public record Rule(long id, Kind kind, String source, String detector, String templateId, String influencerField,
                       String influencerValue, double observed, Instant expiresAt) {

        public boolean activeAt(Instant now) {
            return expiresAt == null || expiresAt.isAfter(now);
        }

        public boolean matches(Anomaly a) {
            if (!source.equals(a.source())) {
                return false;
            }
            boolean detectorMatches = detector.equals(a.detector().id())
                    || a.parts().stream().anyMatch(p -> detector.equals(p.detector().id()));
            if (!detectorMatches) {
                return false;
            }
            if (templateId != null && !templateId.equals(a.templateId())
                    && a.contributors().stream().noneMatch(c -> templateId.equals(c.templateId()))) {
                return false;
            }
            if (influencerField != null) {
                return a.influencers().stream()
                        .anyMatch(i -> influencerField.equals(i.field()) && influencerValue.equals(i.value()));
            }
            return true;
        }
    }

    /**
     * What feedback did to a job's anomalies.
     *
     * @param anomalies the anomalies to store, suppressed ones marked, in the same order
     * @param expected  how many findings were within an expected rule's baseline and dropped
     */
    public record Applied(List<Anomaly> anomalies, int suppressed, int expected) {

        /** One line for the job's checks. */
        public String note() {
            return suppressed + " suppressed by operators' rules, " + expected
                    + " within what operators marked expected (part of the baseline)";
        }
    }

    /** Applies the rules active at {@code now}; the first matching rule decides (expected before suppress). */
    public static Applied apply(List<Anomaly> anomalies, List<Rule> rules, Instant now) {
        List<Rule> active = rules.stream().filter(r -> r.activeAt(now)).toList();
        if (active.isEmpty()) {
            return new Applied(anomalies, 0, 0);
        }
        List<Anomaly> kept = new ArrayList<>(anomalies.size());
        int suppressed = 0;
        int expected = 0;
        for (Anomaly a : anomalies) {
            Rule baseline = active.stream()
                    .filter(r -> r.kind() == Kind.EXPECTED && r.matches(a)
                            && a.observed() <= r.observed() * EXPECTED_TOLERANCE)
                    .findFirst().orElse(null);
            if (baseline != null) {
                expected++;
                continue;
            }
            Rule rule = active.stream().filter(r -> r.kind() == Kind.SUPPRESS && r.matches(a)).findFirst().orElse(null);
            if (rule != null) {
                suppressed++;
                kept.add(a.suppressed(rule.id()));
            } else {
                kept.add(a);
            }
        }
        return new Applied(List.copyOf(kept), suppressed, expected);
    }
}
