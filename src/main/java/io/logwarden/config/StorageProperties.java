package io.logwarden.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded PostgreSQL used when no {@code spring.datasource.url} is set.
 *
 * @param embeddedDir  its data folder; kept between runs
 * @param embeddedPort its port on 127.0.0.1; 0 picks a free one
 */
@ConfigurationProperties("logwarden.storage")
@Validated
public record StorageProperties(
        @NotNull @DefaultValue("data/postgres") Path embeddedDir,
        @DefaultValue("0") int embeddedPort) {
}
