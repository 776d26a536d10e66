package io.logwarden.config;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Detection: windows, baselines and the score → severity mapping.
 *
 * @param window            length of a counting window
 * @param baselineWindows   how many past windows form the rolling baseline
 * @param minBaselineWindows windows a source must have seen before frequency and burst checks start
 * @param learningPeriod    a source's first stretch of time, in which templates are learned, not flagged as new
 * @param sensitivity       robust z-score (median/MAD) a count must exceed to be a spike; lower finds more
 * @param minCount          a window count below this is never a spike or burst, however rare the template
 * @param minRatio          observed/expected ratio a spike must reach
 * @param maxEvidence       evidence lines kept per anomaly
 * @param severity          score thresholds for Critical, High and Medium
 * @param miner             template miner settings
 * @param masks             user masks: name → regex, replaced by {@code <*>} before mining
 * @param forest            Isolation Forest over window count vectors
 * @param sessions          session detection: off unless a key is configured
 */
@ConfigurationProperties("logwarden.detect")
@Validated
public record DetectProperties(
        @NotNull @DefaultValue("60s") Duration window,
        @Min(3) @DefaultValue("60") int baselineWindows,
        @Min(1) @DefaultValue("5") int minBaselineWindows,
        @NotNull @DefaultValue("10m") Duration learningPeriod,
        @DecimalMin("1.0") @DefaultValue("4.0") double sensitivity,
        @Min(1) @DefaultValue("5") int minCount,
        @DecimalMin("1.0") @DefaultValue("3.0") double minRatio,
        @Min(1) @DefaultValue("5") int maxEvidence,
        @DefaultValue SeverityThresholds severity,
        @DefaultValue Miner miner,
        @DefaultValue Map<String, String> masks,
        @DefaultValue Forest forest,
        @DefaultValue Sessions sessions) {

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
            @Min(2) @DefaultValue("100") int maxChildren) {
    }
}
