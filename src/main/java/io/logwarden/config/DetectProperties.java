package io.logwarden.config;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import io.logwarden.detect.DetectionSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Detection: windows, baselines and the score → severity mapping.
 *
 * @param window            length of a counting window; unset: chosen per source from the data (span and rate)
 * @param targetWindows     windows an input should span when the window is chosen from the data
 * @param lateness          how long a window stays open for events that arrive out of time order
 * @param baselineWindows   how many past windows form the rolling baseline
 * @param minBaselineWindows windows a source must have before its own past is the baseline; until then each input
 *                          is its own baseline
 * @param historyEvents     events a source must have seen before a template it never saw is new on sight
 * @param sensitivity       robust z-score (median/MAD) a count must exceed to be a spike; lower finds more
 * @param minCount          a window count below this is never a spike or burst, however rare the template
 * @param minRatio          observed/expected ratio a spike must reach
 * @param maxEvidence       evidence lines kept per anomaly, one per template
 * @param influencers       event fields whose over-represented values anomalies name
 * @param values            numeric event fields (sizes, times) whose mean per template and window is judged
 * @param severity          score thresholds for Critical, High and Medium
 * @param miner             template miner settings
 * @param masks             user masks: name → regex, replaced by {@code <*>} before mining
 * @param forest            Isolation Forest over window count vectors
 * @param sessions          session detection: off unless a key is configured
 */
@ConfigurationProperties("logwarden.detect")
@Validated
public record DetectProperties(
        Duration window,
        @Min(4) @DefaultValue("40") int targetWindows,
        @NotNull @DefaultValue("1m") Duration lateness,
        @Min(3) @DefaultValue("60") int baselineWindows,
        @Min(1) @DefaultValue("5") int minBaselineWindows,
        @Min(0) @DefaultValue("1000") long historyEvents,
        @DecimalMin("1.0") @DefaultValue("4.0") double sensitivity,
        @Min(1) @DefaultValue("5") int minCount,
        @DecimalMin("1.0") @DefaultValue("3.0") double minRatio,
        @Min(1) @DefaultValue("5") int maxEvidence,
        @DefaultValue({"client", "user", "path", "status", "upstream", "service", "host", "exception", "address", "domain", "instance"})
        List<String> influencers,
        @DefaultValue({"bytes", "request_time", "upstream_response_time", "duration_ms", "latency_ms", "elapsed_ms"})
        List<String> values,
        @DefaultValue SeverityThresholds severity,
        @DefaultValue Miner miner,
        @DefaultValue Map<String, String> masks,
        @DefaultValue Forest forest,
        @DefaultValue Sessions sessions) {

    /** The plain settings the detection classes take. */
    public DetectionSettings settings() {
        return new DetectionSettings(window, targetWindows, lateness, baselineWindows, minBaselineWindows,
                historyEvents, sensitivity, minCount, minRatio, maxEvidence, List.copyOf(influencers),
                List.copyOf(values),
                new DetectionSettings.SeverityThresholds(severity.critical(), severity.high(), severity.medium()),
                new DetectionSettings.Miner(miner.depth(), miner.similarity(), miner.maxChildren(),
                        miner.maxLeafTemplates()), Map.copyOf(masks),
                new DetectionSettings.Forest(forest.enabled(), forest.minWindows(), forest.retrainAfter(),
                        forest.trees(), forest.cutMads()),
                new DetectionSettings.Sessions(sessions.key(), sessions.field(), sessions.retrainAfter(),
                        sessions.maxAnomalies()));
    }

    /**
     * @param enabled          judge windows with an Isolation Forest over their count vectors
     * @param minWindows       windows needed to train a model (a source's first jobs are judged without one)
     * @param retrainAfter     a model older than this is retrained at the end of the next job that has enough windows
     * @param trees            trees in the forest
     * @param cutMads          a window is unusual above median + cutMads × MAD of the training windows' scores
     */
    public record Forest(
            @DefaultValue("true") boolean enabled,
            @Min(2) @DefaultValue("30") int minWindows,
            @NotNull @DefaultValue("1d") Duration retrainAfter,
            @Min(10) @DefaultValue("100") int trees,
            @DecimalMin("1.0") @DefaultValue("3.0") double cutMads) {
    }

    /**
     * @param key          regex whose match in a message is the session key (e.g. {@code blk_-?\d+}); empty: off
     * @param field        or: an attribute holding the key (e.g. {@code request_id}); empty: off
     * @param retrainAfter a session model older than this is retrained at the end of the next job
     * @param maxAnomalies anomalous sessions reported per job, highest score first
     */
    public record Sessions(
            @DefaultValue("") String key,
            @DefaultValue("") String field,
            @NotNull @DefaultValue("1d") Duration retrainAfter,
            @Min(1) @DefaultValue("50") int maxAnomalies) {

        public boolean enabled() {
            return !key.isBlank() || !field.isBlank();
        }
    }

    public record SeverityThresholds(
            @DefaultValue("90") double critical,
            @DefaultValue("75") double high,
            @DefaultValue("50") double medium) {
    }

    public record Miner(
            @Min(3) @DefaultValue("4") int depth,
            @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.75") double similarity,
            @Min(2) @DefaultValue("100") int maxChildren,
            @Min(1) @DefaultValue("100") int maxLeafTemplates) {
    }
}
