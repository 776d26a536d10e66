package io.logwarden.detect;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Detection settings as plain values: what the detectors need, free of Spring. The service binds them from
 * {@code logwarden.detect.*} (see {@code config.DetectProperties}); tests and the command line build them directly.
 *
 * @param window             counting window; null: chosen per source from the data's span and event rate
 * @param targetWindows      how many windows an input should span when the window is chosen from the data
 * @param lateness           how long a window stays open for events that arrive out of time order
 * @param baselineWindows    how many past windows form the rolling baseline
 * @param minBaselineWindows windows a source must have before its own past is the baseline (until then an input
 *                           is its own baseline)
 * @param historyEvents      events a source must have seen before a template it never saw counts as new on sight
 * @param sensitivity        robust z-score (median/MAD) a count must exceed
 * @param minCount           a window count below this is never a spike or burst
 * @param minRatio           observed/expected ratio a spike must reach
 * @param maxEvidence        evidence lines kept per anomaly (one per template)
 * @param influencerFields   event fields whose over-represented values are named ("who and what")
 * @param valueFields        numeric event fields whose per-template mean is judged per window (sizes, times)
 */
public record DetectionSettings(
        Duration window,
        int targetWindows,
        Duration lateness,
        int baselineWindows,
        int minBaselineWindows,
        long historyEvents,
        double sensitivity,
        int minCount,
        double minRatio,
        int maxEvidence,
        List<String> influencerFields,
        List<String> valueFields,
        SeverityThresholds severity,
        Miner miner,
        Map<String, String> masks,
        Forest forest,
        Sessions sessions) {

    /** Influencer fields by default: who (client, user, host, service), what (path, status, exception). */
    public static final List<String> DEFAULT_INFLUENCERS =
            List.of("client", "user", "path", "status", "upstream", "service", "host", "exception", "address", "domain", "instance");

    /**
     * Value fields by default: what access logs record of each answer (nginx's {@code $body_bytes_sent},
     * {@code $request_time}, {@code $upstream_response_time}) and the usual names of a duration in JSON logs.
     */
    public static final List<String> DEFAULT_VALUES =
            List.of("bytes", "request_time", "upstream_response_time", "duration_ms", "latency_ms", "elapsed_ms");

    /** The documented defaults. */
    public static DetectionSettings defaults() {
        return new DetectionSettings(null, 40, Duration.ofMinutes(1), 60, 5, 1000, 4.0, 5, 3.0, 5,
                DEFAULT_INFLUENCERS, DEFAULT_VALUES, new SeverityThresholds(90, 75, 50), new Miner(4, 0.75, 100, 100), Map.of(),
                new Forest(true, 30, Duration.ofDays(1), 100, 3.0), new Sessions("", "", Duration.ofDays(1), 50));
    }

    public DetectionSettings withWindow(Duration value) {
        return new DetectionSettings(value, targetWindows, lateness, baselineWindows, minBaselineWindows,
                historyEvents, sensitivity, minCount, minRatio, maxEvidence, influencerFields, valueFields, severity, miner,
                masks, forest, sessions);
    }

    public DetectionSettings withSessions(Sessions value) {
        return new DetectionSettings(window, targetWindows, lateness, baselineWindows, minBaselineWindows,
                historyEvents, sensitivity, minCount, minRatio, maxEvidence, influencerFields, valueFields, severity, miner,
                masks, forest, value);
    }

    public DetectionSettings withForest(Forest value) {
        return new DetectionSettings(window, targetWindows, lateness, baselineWindows, minBaselineWindows,
                historyEvents, sensitivity, minCount, minRatio, maxEvidence, influencerFields, valueFields, severity, miner,
                masks, value, sessions);
    }

    /**
     * @param enabled      judge windows with an Isolation Forest over their count vectors
     * @param minWindows   windows needed to train a model
     * @param retrainAfter a model older than this is retrained at the end of the next job with enough windows
     * @param trees        trees in the forest
     * @param cutMads      a window is unusual above median + cutMads × MAD of the training windows' scores
     */
    public record Forest(boolean enabled, int minWindows, Duration retrainAfter, int trees, double cutMads) {
    }

    /**
     * @param key          regex whose match in a message is the session key; empty: off
     * @param field        or: an attribute holding the key; empty: off
     * @param retrainAfter a session model older than this is retrained at the end of the next job
     * @param maxAnomalies anomalous sessions reported per job
     */
    public record Sessions(String key, String field, Duration retrainAfter, int maxAnomalies) {
        public boolean enabled() {
            return !key.isBlank() || !field.isBlank();
        }
    }

    public record SeverityThresholds(double critical, double high, double medium) {
    }

    public record Miner(int depth, double similarity, int maxChildren, int maxLeafTemplates) {
    }
}
