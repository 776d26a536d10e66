package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.detect.Anomaly;
import io.logwarden.detect.Detector;
import io.logwarden.store.AnomalyRepository;
import io.logwarden.store.Job;
import io.logwarden.store.JobRepository;
import io.logwarden.store.QuarantineRepository;
import io.logwarden.store.ReportRepository;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The file pipeline end to end: files dropped into a temporary inbox, a real embedded PostgreSQL, the YAML routes
 * from ./routes, reports on disk. One Spring context for all cases, as in production one service sees them all.
 */
class FilePipelineTest extends ServiceTestSupport {

    @Test
    void shippedSamplesProduceReportsListingThePlantedAnomalies() throws IOException {
        List<Path> samples;
        try (var files = Files.list(Path.of("samples"))) {
            samples = files.filter(p -> !p.toString().endsWith(".md")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThanOrEqualTo(3);
        for (Path sample : samples) {
            drop(sample.getFileName().toString(), Files.readAllBytes(sample));
        }
        for (Path sample : samples) {
            Job job = awaitJob(sample.getFileName().toString());
            assertThat(job.status()).as(job.input() + ": " + job.error()).isEqualTo(Job.SUCCEEDED);
            assertThat(job.eventsParsed()).isPositive();
            assertThat(job.progress()).isEqualTo(1.0);
            assertReports(job);
            // the file is moved once its exchange completes, just after the job's end is stored (as InboxTest waits)
            Path processed = DIR.resolve("processed").resolve(LocalDate.now(ZoneOffset.UTC).toString()).resolve(job.input());
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(processed));
        }

        List<Anomaly> app = anomalies.forJob(awaitJob("app.log").id());
        assertThat(app).anySatisfy(a -> {
            assertThat(a.detector()).isEqualTo(Detector.ERROR_BURST);
            assertThat(a.evidence()).isNotEmpty();
        });
        // One incident: the burst leads, the new error messages and what stopped meanwhile are its parts.
        assertThat(app).anySatisfy(a -> {
            assertThat(a.detector()).isEqualTo(Detector.ERROR_BURST);
            assertThat(a.parts()).extracting(Anomaly.Part::detector).contains(Detector.NEW_TEMPLATE, Detector.DROP);
            assertThat(a.contributors()).anySatisfy(c -> assertThat(c.template()).containsIgnoringCase("connection"));
            assertThat(a.influencers()).isNotEmpty();
        });

        // Each source's window forest was trained on its windows and kept for the next job.
        assertThat(jdbc.sql("select samples from models where source = 'app.log' and kind = 'window-forest'")
                .query(Integer.class).single()).isGreaterThanOrEqualTo(30);

        List<Anomaly> nginx = anomalies.forJob(awaitJob("nginx-access.log").id());
        assertThat(nginx).anySatisfy(a -> {
            assertThat(a.detector()).isEqualTo(Detector.ERROR_BURST);
            assertThat(a.evidence()).allSatisfy(e -> assertThat(e.text()).containsPattern("\" 5\\d\\d "));
        });

        List<Anomaly> syslog = anomalies.forJob(awaitJob("syslog.log").id());
        assertThat(syslog).anySatisfy(a -> assertThat(a.template() + a.contributors()).contains("Failed password"));
    }

    @Test
    void logTextCarryingMarkupIsEscapedInTheHtmlReport() throws IOException {
        StringBuilder log = steadyAppLog(Instant.parse("2026-05-04T08:00:00Z"), 30);
        Instant late = Instant.parse("2026-05-04T08:20:00Z");
        for (int i = 0; i < 6; i++) {
            log.append(APP_TS.format(late.plusSeconds(i))).append(" ERROR [main] com.acme.Web - rendering failed for "
                    + "<script>alert('x')</script><img src=x onerror=alert(1)> item ").append(i).append('\n');
        }
        drop("xss.log", inTimeOrder(log).getBytes(StandardCharsets.UTF_8));
        Job job = awaitJob("xss.log");
        assertThat(job.status()).isEqualTo(Job.SUCCEEDED);
        String html = Files.readString(reportPath(job, "html"));
        assertThat(html).contains("&lt;script&gt;alert(").doesNotContain("<script>").doesNotContain("<img src=x");
        JsonNode report = json.readTree(reportPath(job, "json").toFile());
        assertThat(report.path("anomalies").toString()).contains("<script>alert('x')</script>");
    }

    @Test
    void aSourceRemembersItsTemplatesAcrossJobsThroughTheDatabase() throws IOException {
        StringBuilder first = steadyAppLog(Instant.parse("2026-07-01T08:00:00Z"), 30);
        first.append(APP_TS.format(Instant.parse("2026-07-01T08:29:00Z")))
                .append(" WARN [main] com.acme.Billing - invoice run delayed by upstream\n");
        drop("billing.log", inTimeOrder(first).getBytes(StandardCharsets.UTF_8));
        Job one = awaitJob("billing.log");
        // A first file is its own baseline: one rare warning with nothing else going on is not an anomaly, but it is
        // a template the source now knows.
        assertThat(jdbc.sql("select count(*) from templates where source = 'billing.log' and pattern like '%invoice run delayed%'")
                .query(Integer.class).single()).isEqualTo(1);
        int templates = jdbc.sql("select count(*) from templates where source = 'billing.log'").query(Integer.class).single();
        assertThat(templates).isGreaterThanOrEqualTo(4);

        // The rotated file of the next day is the same source: what it learned is known, nothing is new.
        StringBuilder next = steadyAppLog(Instant.parse("2026-07-02T08:00:00Z"), 30);
        next.append(APP_TS.format(Instant.parse("2026-07-02T08:15:00Z")))
                .append(" WARN [main] com.acme.Billing - invoice run delayed by upstream\n");
        drop("billing.log.1", inTimeOrder(next).getBytes(StandardCharsets.UTF_8));
        Job two = awaitJob("billing.log.1");
        assertThat(two.source()).isEqualTo("billing.log");
        assertThat(anomalies.forJob(two.id())).noneMatch(a -> a.detector() == Detector.NEW_TEMPLATE);
        assertThat(jdbc.sql("select count(*) from templates where source = 'billing.log'").query(Integer.class).single())
                .isEqualTo(templates);
    }

    @Test
    void emptyFileFailsWithItsReasonBesideIt() throws IOException {
        drop("empty.log", new byte[0]);
        assertFailed("empty.log", "empty");
    }

    @Test
    void binaryFileFails() throws IOException {
        byte[] bytes = new byte[4096];
        new java.util.Random(1).nextBytes(bytes);
        bytes[10] = 0;
        drop("image.log", bytes);
        assertFailed("image.log", "binary");
    }

    @Test
    void textWithoutTimestampsIsReadAsPlainLinesAndTheJobSaysSo() throws IOException {
        String prose = "It was a bright cold day in April, and the clocks were striking thirteen.\n".repeat(50);
        drop("novel.txt", prose.getBytes(StandardCharsets.UTF_8));
        Job job = awaitJob("novel.txt");
        assertThat(job.status()).as(job.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(job.format()).isEqualTo("plain");
        assertThat(job.warnings()).contains("No timestamp and no known format in the first 50 lines");
        assertThat(job.eventsQuarantined()).isEqualTo(50); // no time: the validator's timestamp rule
    }

    @Test
    void anInferredLayoutIsShownInTheJobAndTheReport() throws IOException {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            log.append(String.format("260507 08%02d%02d %d %s dfs.Storage$Writer: wrote chunk c_%d of %d bytes%n",
                    i / 60, i % 60, 100 + i % 7, i % 9 == 0 ? "WARN" : "INFO", i, 4096 + i));
        }
        drop("storage.log", log.toString().getBytes(StandardCharsets.UTF_8));
        Job job = awaitJob("storage.log");
        assertThat(job.status()).as(job.error()).isEqualTo(Job.SUCCEEDED);
        String layout = "inferred: <timestamp:yyMMdd HHmmss> <pid> <level> <component>: <message>";
        assertThat(job.format()).isEqualTo(layout);
        assertThat(job.eventsQuarantined()).isZero();
        assertThat(Files.readString(reportPath(job, "html"))).contains("format inferred: &lt;timestamp:yyMMdd HHmmss&gt;");
        assertThat(json.readTree(reportPath(job, "json").toFile()).path("job").path("format").asText()).isEqualTo(layout);
    }

    @Test
    void truncatedGzipFailsAndStaysRetriable() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(steadyAppLog(Instant.parse("2026-05-05T08:00:00Z"), 20).toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = gz.toByteArray();
        drop("cut.log.gz", Arrays.copyOf(whole, whole.length / 2));
        assertFailed("cut.log.gz", "truncated gzip");
        assertThat(jdbc.sql("select count(*) from anomalies a join jobs j on j.id = a.job_id where j.input = 'cut.log.gz'")
                .query(Long.class).single()).isZero();
    }

    @Test
    void aTenMegabyteLineIsQuarantinedAndTheRestOfTheFileFlows() throws IOException {
        StringBuilder log = steadyAppLog(Instant.parse("2026-05-06T08:00:00Z"), 12);
        String huge = APP_TS.format(Instant.parse("2026-05-06T08:05:00Z")) + " INFO [main] com.acme.Dump - "
                + "x".repeat(10 * 1024 * 1024);
        int at = log.indexOf("\n", log.length() / 2) + 1;
        log.insert(at, huge + "\n");
        drop("huge-line.log", log.toString().getBytes(StandardCharsets.UTF_8));
        Job job = awaitJob("huge-line.log");
        assertThat(job.status()).as(job.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(job.eventsQuarantined()).isEqualTo(1);
        assertThat(job.eventsParsed()).isEqualTo(12 * 10);
        List<QuarantineRepository.Entry> entries = quarantine.firstForJob(job.id(), 10);
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.reason()).contains("65536");
            assertThat(e.origin()).isEqualTo("huge-line.log");
            assertThat(e.line()).isPositive();
        });
    }

    @Test
    void invalidUtf8IsReplacedAndReportedAsAWarning() throws IOException {
        byte[] good = steadyAppLog(Instant.parse("2026-05-07T08:00:00Z"), 12).toString().getBytes(StandardCharsets.UTF_8);
        // "café" written in Latin-1: 0xE9 alone is not UTF-8.
        byte[] bad = (APP_TS.format(Instant.parse("2026-05-07T08:13:00Z")) + " WARN [main] com.acme.Io - caf\u00e9 closed\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(good, good.length + bad.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        drop("latin.log", all);
        Job job = awaitJob("latin.log");
        assertThat(job.status()).as(job.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(job.warnings()).containsIgnoringCase("invalid UTF-8");
        assertThat(job.eventsParsed()).isEqualTo(12 * 10 + 1);
    }

    @Test
    void theServiceKeepsRunningAndHealthyAfterBadInput() throws Exception {
        drop("empty-again.log", new byte[0]);
        assertFailed("empty-again.log", "empty");
        drop("after.log", steadyAppLog(Instant.parse("2026-05-08T08:00:00Z"), 15).toString().getBytes(StandardCharsets.UTF_8));
        assertThat(awaitJob("after.log").status()).isEqualTo(Job.SUCCEEDED);
        assertThat(camel.getRouteController().getRouteStatus("source-files")).isEqualTo(ServiceStatus.Started);
        var health = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    Job assertFailed(String input, String reasonPart) throws IOException {
        Job job = awaitJob(input);
        assertThat(job.status()).isEqualTo(Job.FAILED);
        assertThat(job.error()).containsIgnoringCase(reasonPart);
        Path failed = DIR.resolve("failed");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(failed.resolve(input)));
        String reason = Files.readString(failed.resolve(input + ".reason"));
        assertThat(reason).contains("job: " + job.id()).containsIgnoringCase(reasonPart);
        assertThat(Files.exists(DIR.resolve("inbox").resolve(input))).isFalse();
        return job;
    }

    void assertReports(Job job) throws IOException {
        Path html = reportPath(job, "html");
        Path jsonFile = reportPath(job, "json");
        assertThat(html.getFileName().toString()).isEqualTo(job.input() + "-" + job.id() + ".html");
        assertThat(jsonFile.getFileName().toString()).isEqualTo(job.input() + "-" + job.id() + ".json");
        assertThat(html.getParent().toRealPath()).isEqualTo(DIR.resolve("reports").toRealPath());
        String page = Files.readString(html);
        assertThat(page).contains("<svg", "Timeline", "Top templates", job.input());
        JsonNode report = json.readTree(jsonFile.toFile());
        assertThat(report.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(report.path("job").path("id").asLong()).isEqualTo(job.id());
        assertThat(report.path("summary").path("anomalies").asInt()).isEqualTo(job.anomalies());
        assertThat(report.path("anomalies").size()).isEqualTo(job.anomalies());
        assertThat(report.path("statistics").path("events").asLong()).isEqualTo(job.eventsParsed());
        assertThat(report.path("timeline").path("points").size()).isPositive();
    }
}
