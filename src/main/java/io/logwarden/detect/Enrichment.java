package io.logwarden.detect;

import java.util.List;

/**
 * What an LLM made of an anomaly, or why it was not asked. Filled by the enrichment stage; shown in the reports.
 *
 * @param status             {@code enriched}, {@code skipped} (off, below the severity, out of budget, circuit open)
 *                           or {@code failed} (the provider failed or answered invalid JSON twice)
 * @param reason             for skipped and failed: why, in words
 * @param summary            one or two sentences for the on-call engineer
 * @param probableCause      the most likely cause
 * @param recommendedActions what to do, in order
 * @param severityAdjustment the LLM's suggested change of score (-20..+20), applied or not by configuration; null if none
 * @param model              provider and model that answered, e.g. {@code openai/gpt-4o-mini}
 * @param cached             true when the answer came from the cache (same template and detector)
 */
public record Enrichment(
        String status,
        String reason,
        String summary,
        String probableCause,
        List<String> recommendedActions,
        Integer severityAdjustment,
        String model,
        boolean cached) {

    public static final String ENRICHED = "enriched";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";

    public Enrichment {
        recommendedActions = recommendedActions == null ? List.of() : List.copyOf(recommendedActions);
    }

    public static Enrichment skipped(String reason) {
        return new Enrichment(SKIPPED, reason, null, null, List.of(), null, null, false);
    }

    public static Enrichment failed(String reason) {
        return new Enrichment(FAILED, reason, null, null, List.of(), null, null, false);
    }
}
