package io.logwarden.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Operator sign-in for Hawtio, Jolokia and metrics.
 *
 * @param adminUser      the operator's user name
 * @param adminPassword  the operator's password; set it from the environment (LOGWARDEN_SECURITY_ADMIN_PASSWORD).
 *                       When unset, a random one is generated and written to {@code passwordFile}
 * @param passwordFile   where a generated password is written, readable by the owner only
 */
@ConfigurationProperties("logwarden.security")
@Validated
public record SecurityProperties(
        @NotBlank @DefaultValue("admin") String adminUser,
        String adminPassword,
        @NotNull @DefaultValue("data/admin-password") Path passwordFile) {
}
