package io.logwarden.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Reports.
 *
 * @param dir           folder the HTML and JSON reports are written to
 * @param topTemplates  templates listed in the statistics
 * @param maxAnomalies  anomalies listed in a report (the database keeps them all)
 */
@ConfigurationProperties("logwarden.report")
@Validated
public record ReportProperties(
        @NotNull @DefaultValue("data/reports") Path dir,
        @Min(1) @DefaultValue("15") int topTemplates,
        @Min(1) @DefaultValue("500") int maxAnomalies) {
}
