package io.logwarden.source;

import com.zaxxer.hikari.HikariDataSource;
import io.logwarden.config.SourcesProperties;
import jakarta.annotation.PreDestroy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * One route per configured source, made from the route templates in {@code routes/sources/} once they are loaded:
 * {@code source-sql-<name>}, {@code source-rest-<name>} (each with a {@code -now} twin on a direct endpoint, for
 * runs started by hand) and {@code source-kafka-<name>}. The templates hold what a run does and can be edited like
 * any route; this class only feeds them the configuration, because the sources are a validated list in
 * {@code application.yml}, not one {@code templatedRoute} per source in YAML.
 *
 * <p>A source whose route cannot be made (a template edited into something Camel refuses: an unknown bean, a bad
 * expression) stops start-up, naming the source, the template and Camel's reason ({@link SourceRouteException}),
 * once every other source has been tried (all such problems are told at once). Camel calls this after its own
 * start and only logs what it throws: without this, the service ran on without the source, and without the sources
 * configured after it.
 */
@Component
class SourceRoutes implements CamelContextConfiguration, ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(SourceRoutes.class);

    private final SourcesProperties props;
    private final DataSource own;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();
    /** Sources whose route could not be made, told by {@link #run} when start-up is over. */
    private final List<String> failures = new CopyOnWriteArrayList<>();

    SourceRoutes(SourcesProperties props, DataSource own) {
        this.props = props;
        this.own = own;
    }

    static String runNow(String routeId) {
        return routeId + "-now";
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        for (SourcesProperties.Sql s : props.sql()) {
            String dataSource = "logwardenSqlSource-" + s.name();
            camel.getRegistry().bind(dataSource, dataSource(s));
            Map<String, String> p = new LinkedHashMap<>();
            p.put("query", s.query());
            p.put("dataSource", dataSource);
            p.put("mapping", s.mapping().toRecordMapping().spec());
            p.put("keyType", s.keyType().name().toLowerCase(java.util.Locale.ROOT));
            p.put("pageSize", String.valueOf(s.pageSize()));
            p.put("lag", s.lag().toMillis() + "ms");
            p.put("start", s.start().toString());
            addWithRunNow(camel, "SQL", "source-sql", "source-sql-" + s.name(), s.name(), trigger("source-sql-" + s.name(), s.schedule()), p);
        }
        for (SourcesProperties.Rest s : props.rest()) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("start", s.start().toString());
            addWithRunNow(camel, "REST", "source-rest", "source-rest-" + s.name(), s.name(), trigger("source-rest-" + s.name(), s.schedule()), p);
        }
        for (SourcesProperties.Kafka s : props.kafka()) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("topics", s.topics());
            p.put("brokers", s.brokers());
            p.put("groupId", s.groupId());
            p.put("offsetReset", switch (s.offsetReset()) {
                case EARLIEST -> "earliest";
                case LATEST -> "latest";
            });
            p.put("maxPollRecords", String.valueOf(s.maxPollRecords()));
            p.put("pollTimeoutMs", String.valueOf(s.pollTimeout().toMillis()));
            // The Kafka template's endpoint is its own: kafka:{{topics}} with its options.
            add(camel, "Kafka", "source-kafka", "source-kafka-" + s.name(), s.name(), null, p);
        }
    }

    /** Stops start-up when a source's route could not be made: a source must not be silently missing. */
    @Override
    public void run(ApplicationArguments args) {
        if (!failures.isEmpty()) {
            throw new SourceRouteException(failures);
        }
    }

    private void addWithRunNow(CamelContext camel, String kind, String template, String routeId, String name,
                               String trigger, Map<String, String> parameters) {
        if (add(camel, kind, template, routeId, name, trigger, parameters)) {
            add(camel, kind, template, runNow(routeId), name, "direct:" + runNow(routeId), parameters);
        }
    }

    private boolean add(CamelContext camel, String kind, String template, String routeId, String name, String trigger,
                        Map<String, String> parameters) {
        try {
            TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(camel, template)
                    .routeId(routeId)
                    .parameter("name", name);
            if (trigger != null) {
                builder.parameter("trigger", trigger);
            }
            parameters.forEach(builder::parameter);
            builder.add();
        } catch (RuntimeException e) {
            String failure = kind + " source '" + name + "': route template " + template + " did not make route "
                    + routeId + ": " + SourceRouteException.reason(e);
            log.error("{}", failure);
            failures.add(failure);
            return false;
        }
        log.info("Source route {} started ({})", routeId, trigger == null ? parameters : trigger);
        return true;
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

    /** The source's own read-only pool; without a URL, Logwarden's database (its rows read in the job's transaction). */
    private DataSource dataSource(SourcesProperties.Sql source) {
        if (source.url().isBlank()) {
            return own;
        }
        return pools.computeIfAbsent(source.name(), name -> {
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(source.url());
            pool.setUsername(source.username().isBlank() ? null : source.username());
            pool.setPassword(source.password().isBlank() ? null : source.password());
            pool.setPoolName("source-" + name);
            pool.setMaximumPoolSize(2);
            pool.setReadOnly(true);
            return pool;
        });
    }

    @PreDestroy
    void close() {
        pools.values().forEach(HikariDataSource::close);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
