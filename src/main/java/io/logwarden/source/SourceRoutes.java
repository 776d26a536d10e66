package io.logwarden.source;

import io.logwarden.config.SourcesProperties;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One route per configured source, made from the route templates in {@code routes/sources/} once they are loaded:
 * {@code source-sql-<name>}, {@code source-rest-<name>}, {@code source-kafka-<name>}. The templates hold what a
 * run does (and can be edited like any route); this class only feeds them the configuration, because the sources
 * are a validated list in {@code application.yml}, not one {@code templatedRoute} per source in YAML.
 */
@Component
class SourceRoutes implements CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SourceRoutes.class);

    private final SourcesProperties props;

    SourceRoutes(SourcesProperties props) {
        this.props = props;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        for (SourcesProperties.Sql s : props.sql()) {
            add(camel, "source-sql", "source-sql-" + s.name(), s.name(), trigger("source-sql-" + s.name(), s.schedule()));
        }
        for (SourcesProperties.Rest s : props.rest()) {
            add(camel, "source-rest", "source-rest-" + s.name(), s.name(), trigger("source-rest-" + s.name(), s.schedule()));
        }
        for (SourcesProperties.Kafka s : props.kafka()) {
            add(camel, "source-kafka", "source-kafka-" + s.name(), s.name(), kafkaUri(s));
        }
    }

    private static void add(CamelContext camel, String template, String routeId, String name, String trigger) {
        TemplatedRouteBuilder.builder(camel, template)
                .routeId(routeId)
                .parameter("name", name)
                .parameter("trigger", trigger)
                .add();
        log.info("Source route {} started ({})", routeId, trigger.replaceAll("(?i)(password|token)=[^&]*", "$1=***"));
    }

    /**
     * A scheduler endpoint: a cron through Spring's scheduler, or a fixed delay between the end of one run and the
     * next. A failed run is logged once, in one line, by the jobs bean; {@link SourceRunFailures} keeps the
     * consumer from logging its stack trace again.
     */
    static String trigger(String id, SourcesProperties.Schedule schedule) {
        String quiet = "&exceptionHandler=#sourceRunFailures";
        if (!schedule.cron().isBlank()) {
            return "scheduler:" + id + "?scheduler=spring&scheduler.cron=" + encode(schedule.cron()) + quiet;
        }
        return "scheduler:" + id + "?delay=" + schedule.every().toMillis() + "&initialDelay="
                + schedule.initialDelay().toMillis() + quiet;
    }

    static String kafkaUri(SourcesProperties.Kafka s) {
        // Offsets are committed by the route once a batch is stored (manual commit), never by the client on its own.
        return "kafka:" + s.topics() + "?brokers=" + encode(s.brokers()) + "&groupId=" + encode(s.groupId())
                + "&autoOffsetReset=" + s.offsetReset().name().toLowerCase(java.util.Locale.ROOT) + "&autoCommitEnable=false&allowManualCommit=true"
                + "&batching=true&maxPollRecords=" + s.maxPollRecords() + "&pollTimeoutMs=" + s.pollTimeout().toMillis()
                + "&breakOnFirstError=true";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
