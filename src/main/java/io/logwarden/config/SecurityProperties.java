package io.logwarden.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Operator sign-in for Hawtio, Jolokia, metrics, health details and the API.
 *
 * @param adminUser      the operator's user name
 * @param adminPassword  the operator's password; set it from the environment (LOGWARDEN_SECURITY_ADMIN_PASSWORD).
 *                       When unset, a random one is generated and written to {@code passwordFile}
 * @param passwordFile   where a generated password is written, readable by the owner only
 * @param signIn         how repeated failed sign-ins are slowed down
 */
@ConfigurationProperties("logwarden.security")
@Validated
public record SecurityProperties(
        @NotBlank @DefaultValue("admin") String adminUser,
        String adminPassword,
        @NotNull @DefaultValue("data/admin-password") Path passwordFile,
        @Valid @NotNull @DefaultValue SignIn signIn) {

    /**
     * Failed sign-ins are counted per user name and per client address. Past the allowance, every further attempt
     * within a growing wait (doubled by each failure, at most {@code maxWait}) is answered 429 without checking
     * the password. A successful sign-in clears both counts.
     *
     * @param userFailures    failures in a row one user name is allowed before it must wait
     * @param addressFailures failures in a row one client address is allowed (any user names) before it must wait
     * @param firstWait       the first wait; each further failure doubles it
     * @param maxWait         the longest wait
     * @param forgetAfter     a count with no failure for this long starts again from zero
     */
    public record SignIn(
            @Min(1) @DefaultValue("5") int userFailures,
            @Min(1) @DefaultValue("20") int addressFailures,
            @NotNull @DefaultValue("1s") Duration firstWait,
            @NotNull @DefaultValue("15m") Duration maxWait,
            @NotNull @DefaultValue("1h") Duration forgetAfter) {
    }
}
