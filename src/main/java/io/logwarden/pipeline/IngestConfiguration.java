package io.logwarden.pipeline;

import io.logwarden.ingest.FormatRegistry;
import io.logwarden.ingest.IngestSettings;
import io.logwarden.ingest.LogFileReader;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.config.IngestProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

/** Builds the readers from {@code logwarden.ingest.*}; a bad user format or override stops start-up, naming it. */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    @Bean
    IngestSettings ingestSettings(IngestProperties p) {
        return p.toSettings();
    }

    @Bean
    FormatRegistry formatRegistry(IngestSettings settings, Clock clock, ObjectMapper json) {
        return new FormatRegistry(settings, clock, json);
    }

    @Bean
    LogFileReader logFileReader(IngestSettings settings, FormatRegistry formats, Clock clock) {
        return new LogFileReader(settings, formats, clock);
    }

    /** The inbox route's scheduler ({@code scheduler: "#inboxWatch"}): a new one for every {@code file:} endpoint. */
    @Bean
    @Scope("prototype")
    InboxWatchScheduler inboxWatch() {
        return new InboxWatchScheduler();
    }
}
