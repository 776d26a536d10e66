package io.logwarden.source;

import io.logwarden.config.SourcesProperties;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.ingest.IngestException;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Runs one source once, now, whatever its schedule: for the REST API and the command line. */
@Component("sourceTriggers")
public class SourceTriggers {

    /** What a source name refers to. */
    public enum Kind { SQL, REST, KAFKA, UNKNOWN }

    private final SourcesProperties props;

    public SourceTriggers(SourcesProperties props) {
        this.props = props;
    }

    public Kind kind(String name) {
        if (props.sql().stream().anyMatch(s -> s.name().equals(name))) return Kind.SQL;
        if (props.rest().stream().anyMatch(s -> s.name().equals(name))) return Kind.REST;
        if (props.kafka().stream().anyMatch(k -> k.name().equals(name))) return Kind.KAFKA;
        return Kind.UNKNOWN;
    }

    /**
     * The run-now route of the source the route {@code source-run-now} names ({@code source-sql-<name>-now},
     * {@code source-rest-<name>-now}); the job's outcome is the exchange's, as for a scheduled run.
     */
    public String runNowRoute(@Header(ExchangeHeaders.SOURCE_NAME) String name) {
        return switch (kind(name)) {
            case SQL -> SourceRoutes.runNow("source-sql-" + name);
            case REST -> SourceRoutes.runNow("source-rest-" + name);
            case KAFKA -> throw new IngestException("source " + name + " is a Kafka consumer: it runs continuously");
            case UNKNOWN -> throw new IngestException("no source named " + name);
        };
    }
}
