package io.logwarden.source;

import io.logwarden.config.SourcesProperties;
import io.logwarden.ingest.IngestException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Runs one source once, now, whatever its schedule: for the REST API and the command line. */
@Component("sourceTriggers")
public class SourceTriggers {

    /** What a source name refers to. */
    public enum Kind { SQL, REST, KAFKA, UNKNOWN }

    private final SqlSource sql;
    private final RestPoller rest;
    private final SourcesProperties props;

    public SourceTriggers(SqlSource sql, RestPoller rest, SourcesProperties props) {
        this.sql = sql;
        this.rest = rest;
        this.props = props;
    }

    public Kind kind(String name) {
        if (sql.has(name)) return Kind.SQL;
        if (rest.has(name)) return Kind.REST;
        if (props.kafka().stream().anyMatch(k -> k.name().equals(name))) return Kind.KAFKA;
        return Kind.UNKNOWN;
    }

    /** Called by the route {@code source-run-now}; the job's outcome is the exchange's, as for a scheduled run. */
    public long run(Exchange exchange) {
        String name = exchange.getIn().getHeader(SourceRunner.SOURCE_NAME, String.class);
        return switch (kind(name)) {
            case SQL -> sql.run(exchange);
            case REST -> rest.run(exchange);
            case KAFKA -> throw new IngestException("source " + name + " is a Kafka consumer: it runs continuously");
            case UNKNOWN -> throw new IngestException("no source named " + name);
        };
    }
}
