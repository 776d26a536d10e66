package io.logwarden.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What makes an event valid. Invalid events go to quarantine with the reason.
 *
 * @param requiredFields   fields that must be present and non-blank: timestamp, message, level, service, host
 * @param maxMessageBytes  longer messages are quarantined
 * @param maxFutureSkew    timestamps further ahead than this are quarantined (clock skew is tolerated up to it)
 * @param oldest           timestamps older than this (from now) are quarantined; zero disables the check
 */
@ConfigurationProperties("logwarden.validate")
@Validated
public record ValidationProperties(
        @NotNull @DefaultValue({"timestamp", "message"}) List<String> requiredFields,
        @Min(1) @DefaultValue("65536") int maxMessageBytes,
        @NotNull @DefaultValue("1d") Duration maxFutureSkew,
        @NotNull @DefaultValue("0s") Duration oldest) {

    /** The same settings for the checks (which know nothing of configuration). */
    public io.logwarden.validate.EventChecks.Rules rules() {
        return new io.logwarden.validate.EventChecks.Rules(requiredFields, maxMessageBytes, maxFutureSkew, oldest);
    }
}
