package io.logwarden.event;

/** How urgent an anomaly is, derived from its score 0–100 with configurable thresholds. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    /** Default mapping: ≥ 90 Critical, ≥ 75 High, ≥ 50 Medium, otherwise Low. */
    public static Severity fromScore(double score) {
        return fromScore(score, 90, 75, 50);
    }

    public static Severity fromScore(double score, double critical, double high, double medium) {
        if (score >= critical) return CRITICAL;
        if (score >= high) return HIGH;
        if (score >= medium) return MEDIUM;
        return LOW;
    }

    /** Capitalised name for people: "Critical". */
    public String label() {
        return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
