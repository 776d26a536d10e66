package io.logwarden.detect;

import io.logwarden.event.Severity;

/**
 * Turns "how far from normal" into a score 0–100 that people can compare across detectors.
 *
 * <p>Count anomalies: {@code 40 + 10·log2(observed / expected) + 5·log2(observed)}, capped at 99. The first term
 * is the surprise (×2 → +10), the second the volume, so 6 errors where 0.5 are usual scores lower than 600.
 * For example 5 errors against a baseline of 0.5 scores 85 (High), 50 against 0.5 scores 99 (Critical), and a
 * template at 3× its usual 20 per window scores 85 (High).
 */
final class Scoring {

    private final DetectionSettings.SeverityThresholds thresholds;

    Scoring(DetectionSettings.SeverityThresholds thresholds) {
        this.thresholds = thresholds;
    }

    static double countScore(double observed, double expected) {
        double ratio = observed / Math.max(expected, 0.5);
        double score = 40 + 10 * log2(ratio) + 5 * log2(Math.max(observed, 1));
        return clamp(score);
    }

    static double clamp(double score) {
        return Math.max(0, Math.min(99, Math.round(score * 10) / 10.0));
    }

    Severity severity(double score) {
        return Severity.fromScore(score, thresholds.critical(), thresholds.high(), thresholds.medium());
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
