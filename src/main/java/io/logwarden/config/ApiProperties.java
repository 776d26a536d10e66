package io.logwarden.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The REST API under /api.
 *
 * @param rateLimit requests allowed per API key and per client address
 * @param cors      which other web origins may call the API from a browser
 */
@ConfigurationProperties("logwarden.api")
@Validated
public record ApiProperties(@Valid @NotNull @DefaultValue RateLimit rateLimit, @Valid @NotNull @DefaultValue Cors cors) {

    /**
     * Each API key, and each client address, may make {@code perMinute} API requests a minute (refilled steadily);
     * past it, 429 with {@code Retry-After}.
     *
     * @param perMinute requests a minute; 0 turns the limit off
     */
    public record RateLimit(@Min(0) @DefaultValue("600") int perMinute) {
    }

    /**
     * @param allowedOrigins origins (scheme://host[:port]) whose pages may call the API; none by default, so a
     *                       browser refuses every cross-origin call and preflight
     */
    public record Cors(@DefaultValue List<String> allowedOrigins) {
    }
}
