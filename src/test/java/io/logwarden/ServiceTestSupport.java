package io.logwarden;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.store.AnomalyRepository;
import io.logwarden.store.Job;
import io.logwarden.store.JobRepository;
import io.logwarden.store.QuarantineRepository;
import io.logwarden.store.ReportRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port, with a private inbox, reports folder and embedded PostgreSQL. Test classes
 * that extend it share one Spring context (and one database), as one running service sees all inputs.
 */
@CamelSpringBootTest
@DisableJmx(false) // Hawtio reads Camel over JMX: keep it on, as in production
@AutoConfigureObservability // metrics export (Prometheus) is off in tests unless asked for
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logwarden.security.admin-password=" + ServiceTestSupport.ADMIN_PASSWORD)
abstract class ServiceTestSupport {

    static final String ADMIN_PASSWORD = "test-only-password";
    static final Path DIR = TestDirs.create("service");
    static final DateTimeFormatter APP_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneOffset.UTC);

    @DynamicPropertySource
    static void dirs(DynamicPropertyRegistry registry) {
        TestDirs.register(registry, DIR);
        registry.add("logwarden.ingest.warm-up", () -> "true"); // as in production (PipelineWarmUpTest)
    }

    @Autowired JobRepository jobs;
    @Autowired AnomalyRepository anomalies;
    @Autowired QuarantineRepository quarantine;
    @Autowired ReportRepository reports;
    @Autowired JdbcClient jdbc;
    @Autowired CamelContext camel;
    @Autowired ObjectMapper json;
    @LocalServerPort int port;

    /** A Spring-Boot style log: ten lines a minute from a few templates. */
    static StringBuilder steadyAppLog(Instant start, int minutes) {
        StringBuilder sb = new StringBuilder();
        for (int m = 0; m < minutes; m++) {
            for (int i = 0; i < 10; i++) {
                Instant ts = start.plusSeconds(m * 60L + i * 6L);
                String line = switch (i % 3) {
                    case 0 -> " INFO [http-nio-8080-exec-" + (i + 1) + "] com.acme.OrderController - order " + (1000 + m * 10 + i) + " accepted in " + (20 + i) + " ms";
                    case 1 -> " INFO [scheduler-1] com.acme.Inventory - stock sync finished: " + (m + i) + " items updated";
                    default -> " DEBUG [http-nio-8080-exec-2] com.acme.Session - session " + (7000 + i) + " refreshed";
                };
                sb.append(APP_TS.format(ts)).append(line).append('\n');
            }
        }
        return sb;
    }

    /** The lines in time order: the app format's timestamps sort as text. */
    static String inTimeOrder(StringBuilder log) {
        return log.toString().lines().sorted().collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    void drop(String name, byte[] content) throws IOException {
        Path inbox = DIR.resolve("inbox");
        Path tmp = inbox.resolve("." + name + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, inbox.resolve(name));
    }

    Job awaitJob(String input) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> latestJob(input), j -> j.isPresent() && !j.get().status().equals(Job.RUNNING))
                .orElseThrow();
    }

    Optional<Job> latestJob(String input) {
        return jobs.recent(500).stream().filter(j -> input.equals(j.input())).findFirst();
    }

    Path reportPath(Job job, String format) {
        return reports.forJob(job.id()).stream().filter(r -> r.format().equals(format)).map(r -> Path.of(r.location()))
                .findFirst().orElseThrow();
    }
}
