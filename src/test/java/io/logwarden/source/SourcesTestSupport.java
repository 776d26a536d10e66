package io.logwarden.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.TestDirs;
import io.logwarden.store.Job;
import io.logwarden.store.JobRepository;
import io.logwarden.store.WatermarkRepository;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service with database and REST sources configured against real components: tables in the embedded
 * PostgreSQL and a JDK HTTP server on 127.0.0.1. Schedules are an hour away, so the tests run each source when
 * they choose, through POST /api/sources/{name}/run as an operator would.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "logwarden.security.admin-password=" + SourcesTestSupport.PASSWORD,
        // The YAML-only example sources load with the shipped routes
        "camel.main.routes-include-pattern=file:${user.dir}/routes/errors.camel.yaml,file:${user.dir}/routes/sources/*.camel.yaml,"
                + "file:${user.dir}/routes/pipeline/*.camel.yaml,file:${user.dir}/routes/examples/*.camel.yaml",
        // Database sources over tables in Logwarden's own (embedded) database
        "logwarden.sources.sql[0].name=payments",
        "logwarden.sources.sql[0].query=select id, ts, level, host, msg from payments"
                + " where (ts, id) > (:#lastTs, :#lastKey) and ts <= :#until order by ts, id limit :#limit",
        "logwarden.sources.sql[0].mapping.message=msg",
        "logwarden.sources.sql[0].mapping.level=level",
        "logwarden.sources.sql[0].mapping.host=host",
        "logwarden.sources.sql[0].page-size=7",
        "logwarden.sources.sql[0].schedule.every=1h",
        "logwarden.sources.sql[0].schedule.initial-delay=1h",
        "logwarden.sources.sql[1].name=live",
        "logwarden.sources.sql[1].query=select id, ts, msg from live_events"
                + " where (ts, id) > (:#lastTs, :#lastKey) and ts <= :#until order by ts, id limit :#limit",
        "logwarden.sources.sql[1].mapping.message=msg",
        "logwarden.sources.sql[1].page-size=50",
        "logwarden.sources.sql[1].lag=1s",
        "logwarden.sources.sql[1].schedule.every=1h",
        "logwarden.sources.sql[1].schedule.initial-delay=1h",
        "logwarden.sources.sql[2].name=poisoned",
        "logwarden.sources.sql[2].query=select id, ts, msg, 1 / (case when msg like '%poison%' then 0 else 1 end) as ok"
                + " from audit where (ts, id) > (:#lastTs, :#lastKey) and ts <= :#until order by ts, id limit :#limit",
        "logwarden.sources.sql[2].mapping.message=msg",
        "logwarden.sources.sql[2].page-size=7",
        "logwarden.sources.sql[2].schedule.every=1h",
        "logwarden.sources.sql[2].schedule.initial-delay=1h",
        "logwarden.sources.sql[3].name=no-table",
        "logwarden.sources.sql[3].query=select id, ts, msg from no_such_table where (ts, id) > (:#lastTs, :#lastKey)"
                + " and ts <= :#until order by ts, id limit :#limit",
        "logwarden.sources.sql[3].mapping.message=msg",
        "logwarden.sources.sql[3].schedule.every=1h",
        "logwarden.sources.sql[3].schedule.initial-delay=1h",
        "logwarden.sources.sql[4].name=wrong-column",
        "logwarden.sources.sql[4].query=select id, ts, msg from payments where (ts, id) > (:#lastTs, :#lastKey)"
                + " and ts <= :#until order by ts, id limit :#limit",
        "logwarden.sources.sql[4].mapping.message=body",
        "logwarden.sources.sql[4].schedule.every=1h",
        "logwarden.sources.sql[4].schedule.initial-delay=1h",
        "logwarden.sources.sql[5].name=nightly",
        "logwarden.sources.sql[5].query=select id, ts, msg from payments where (ts, id) > (:#lastTs, :#lastKey)"
                + " and ts <= :#until order by ts, id limit :#limit",
        "logwarden.sources.sql[5].mapping.message=msg",
        "logwarden.sources.sql[5].schedule.cron=0 30 3 * * *",
        "logwarden.sources.sql[6].name=uuid-rows",
        "logwarden.sources.sql[6].query=select id, ts, msg from uuid_rows where (ts, id) > (:#lastTs, :#lastKey)"
                + " and ts <= :#until order by ts, id limit :#limit",
        "logwarden.sources.sql[6].mapping.message=msg",
        "logwarden.sources.sql[6].key-type=uuid",
        "logwarden.sources.sql[6].page-size=3",
        "logwarden.sources.sql[6].schedule.every=1h",
        "logwarden.sources.sql[6].schedule.initial-delay=1h",
        // A scheduled source that fails at every run (its table never exists)
        "logwarden.sources.sql[7].name=failing",
        "logwarden.sources.sql[7].query=select id, ts, msg from no_such_table_2 where (ts, id) > (:#lastTs, :#lastKey)"
                + " and ts <= :#until order by ts, id limit :#limit",
        "logwarden.sources.sql[7].mapping.message=msg",
        "logwarden.sources.sql[7].schedule.every=1s",
        "logwarden.sources.sql[7].schedule.initial-delay=1s",
})
abstract class SourcesTestSupport {

    static final String PASSWORD = "sources-test-password";
    static final Path DIR = TestDirs.create("sources");
    static final ApiServer API = ApiServer.start();
    static final String KAFKA_TOPIC = "app-events";
    static final EmbeddedKafkaKraftBroker KAFKA = startKafka();

    private static EmbeddedKafkaKraftBroker startKafka() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 2, KAFKA_TOPIC, "replayed-events");
        broker.afterPropertiesSet();
        return broker;
    }

    @DynamicPropertySource
    static void dirs(DynamicPropertyRegistry registry) {
        TestDirs.register(registry, DIR);
        API.register(registry);
        registry.add("logwarden.examples.csv-inbox", () -> DIR.resolve("csv-exports").toString());
        // A REST source of its own for the route template tests (its watermark is not the other tests')
        registry.add("logwarden.sources.rest[14].name", () -> "advised");
        registry.add("logwarden.sources.rest[14].url", () -> API.base() + "/cursor");
        registry.add("logwarden.sources.rest[14].pagination", () -> "cursor");
        registry.add("logwarden.sources.rest[14].records-path", () -> "$.data");
        registry.add("logwarden.sources.rest[14].cursor-path", () -> "$.meta.next");
        registry.add("logwarden.sources.rest[14].mapping.level", () -> "level");
        registry.add("logwarden.sources.rest[14].schedule.every", () -> "1h");
        registry.add("logwarden.sources.rest[14].schedule.initial-delay", () -> "1h");
        registry.add("logwarden.sources.kafka[0].name", () -> "app-events");
        registry.add("logwarden.sources.kafka[0].brokers", KAFKA::getBrokersAsString);
        registry.add("logwarden.sources.kafka[0].topics", () -> KAFKA_TOPIC);
        registry.add("logwarden.sources.kafka[0].group-id", () -> "logwarden-test");
        registry.add("logwarden.sources.kafka[0].format", () -> "mapped");
        registry.add("logwarden.sources.kafka[0].max-poll-records", () -> "10");
        registry.add("logwarden.sources.kafka[0].poll-timeout", () -> "500ms");
        registry.add("logwarden.sources.kafka[1].name", () -> "replayed");
        registry.add("logwarden.sources.kafka[1].brokers", KAFKA::getBrokersAsString);
        registry.add("logwarden.sources.kafka[1].topics", () -> "replayed-events");
        registry.add("logwarden.sources.kafka[1].group-id", () -> "logwarden-replay");
        registry.add("logwarden.sources.kafka[1].format", () -> "app");
        registry.add("logwarden.sources.kafka[1].poll-timeout", () -> "500ms");
    }

    @Autowired JobRepository jobs;
    @Autowired WatermarkRepository watermarks;
    @Autowired JdbcClient jdbc;
    @Autowired ObjectMapper json;
    @LocalServerPort int port;

    /** Runs a source now through the REST API, as an operator would, and returns its finished job. */
    Job runNow(String source) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/api/sources/" + source + "/run");
        if (response.statusCode() != 200) {
            throw new AssertionError("run " + source + ": HTTP " + response.statusCode() + " " + response.body());
        }
        JsonNode job = json.readTree(response.body());
        return jobs.find(job.path("id").asLong()).orElseThrow();
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        String auth = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Basic " + auth)
                        .header(io.logwarden.web.SecurityConfiguration.API_CLIENT_HEADER, "test").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    long quarantined(long jobId) {
        return jdbc.sql("select count(*) from quarantine where job_id = :id").param("id", jobId).query(Long.class).single();
    }
}
