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
        @DefaultValue Map<String, String> masks) {

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
