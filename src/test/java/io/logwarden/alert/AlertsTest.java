package io.logwarden.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.logwarden.TestDirs;
import io.logwarden.event.AnomalyStatusChanged;
import io.logwarden.store.Job;
import io.logwarden.store.JobRepository;
import io.logwarden.store.ReportRepository;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Alerts end to end: files with an error burst dropped into the inbox of the whole service, alerts received by real
 * servers on 127.0.0.1 (an HTTP server recording the webhook, Slack and Teams posts, GreenMail for SMTP, the embedded
 * Kafka broker). Each case uses its own source names, so they share one service as production would.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logwarden.security.admin-password=" + AlertsTest.PASSWORD)
@DirtiesContext // its channels' senders and database stop with the class, not at the end of the whole suite
public class AlertsTest {

    static final String PASSWORD = "alerts-test-password";
    static final String SECRET = "webhook-secret-for-tests";
    static final Path DIR = TestDirs.create("alerts");
    static final RecordingServer HOOKS = RecordingServer.start(0);
    static final int FLAKY_PORT = freePort();
    static final GreenMail SMTP = startSmtp();
    static final EmbeddedKafkaKraftBroker KAFKA = startKafka();
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneOffset.UTC);

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry r) {
        TestDirs.register(r, DIR);
        r.add("logwarden.alerts.base-url", () -> "http://127.0.0.1:18080");
        r.add("logwarden.alerts.dedup-window", () -> "20s");
        r.add("logwarden.alerts.update-interval", () -> "1h");
        r.add("logwarden.alerts.poll-interval", () -> "100ms");
        r.add("logwarden.alerts.backoff", () -> "300ms");
        r.add("logwarden.alerts.max-backoff", () -> "1s");
        r.add("logwarden.alerts.max-attempts", () -> "100");
        r.add("logwarden.alerts.timeout", () -> "3s");
        channel(r, 0, "hook", "webhook", Map.of("url", HOOKS.url("/hook"), "secret", SECRET, "min-severity", "LOW"));
        channel(r, 1, "slack", "slack", Map.of("url", HOOKS.url("/slack"), "sources", "pay.log", "min-severity", "LOW"));
        channel(r, 2, "teams", "teams", Map.of("url", HOOKS.url("/teams"), "sources", "pay.log", "min-severity", "LOW"));
        channel(r, 3, "mail", "email", Map.of("smtp.host", "127.0.0.1", "smtp.port", String.valueOf(SMTP.getSmtp().getPort()),
                "smtp.from", "logwarden@example.test", "smtp.to", "oncall@example.test", "sources", "pay.log",
                "min-severity", "LOW"));
        channel(r, 4, "topic", "kafka", Map.of("brokers", KAFKA.getBrokersAsString(), "sources", "pay.log",
                "min-severity", "LOW"));
        channel(r, 5, "flaky", "webhook", Map.of("url", "http://127.0.0.1:" + FLAKY_PORT + "/flaky",
                "sources", "flaky.log", "min-severity", "LOW"));
        channel(r, 6, "limited", "webhook", Map.of("url", HOOKS.url("/limited"), "sources", "lim-a.log,lim-b.log,lim-c.log",
                "rate-limit", "1", "rate-period", "12s", "min-severity", "LOW"));
    }

    private static void channel(DynamicPropertyRegistry r, int i, String name, String type, Map<String, String> more) {
        String prefix = "logwarden.alerts.channels[" + i + "].";
        r.add(prefix + "name", () -> name);
        r.add(prefix + "type", () -> type);
        r.add(prefix + "enabled", () -> "true");
        more.forEach((k, v) -> r.add(prefix + k, () -> v));
    }

    @Autowired JobRepository jobs;
    @Autowired ReportRepository reports;
    @Autowired JdbcClient jdbc;
    @Autowired ObjectMapper json;
    @Autowired ApplicationEventPublisher events;
    @Autowired io.micrometer.core.instrument.MeterRegistry meters;
    @LocalServerPort int port;

    @AfterAll
    static void stopServers() {
        HOOKS.close();
        SMTP.stop();
        KAFKA.destroy();
    }

    @Test
    void anErrorBurstReachesEveryChannelOnceSignedAndItsContinuationDoesNotAlertAgain() throws Exception {
        drop("pay.log", burstLog(Instant.parse("2026-06-01T08:00:00Z")));
        Job first = awaitJob("pay.log");
        assertThat(first.status()).as(String.valueOf(first.error())).isEqualTo(Job.SUCCEEDED);

        // Webhook: one signed alert with the payload's fields.
        await().atMost(Duration.ofSeconds(30)).until(() -> alerts("/hook", "pay.log").size() >= 1);
        RecordingServer.Request hook = alerts("/hook", "pay.log").get(0);
        assertThat(hook.header("X-Logwarden-Signature")).isEqualTo("sha256=" + hmac(SECRET, hook.body()));
        assertThat(hook.header("Content-Type")).startsWith("application/json");
        JsonNode alert = json.readTree(hook.body());
        assertThat(alert.path("kind").asText()).isEqualTo("open");
        assertThat(alert.path("title").asText()).isNotBlank();
        assertThat(alert.path("severity").asText()).isIn("LOW", "MEDIUM", "HIGH", "CRITICAL");
        assertThat(alert.path("score").asDouble()).isPositive();
        assertThat(alert.path("window").path("start").asText()).startsWith("2026-06-01T08:");
        assertThat(alert.path("explanation").asText()).isNotBlank();
        assertThat(alert.path("influencers").isArray()).isTrue();
        assertThat(alert.path("evidence").size()).isBetween(1, 3);
        // Evidence is redacted as for the LLM: the password in the log line does not leave.
        assertThat(alert.path("evidence").toString()).contains("[REDACTED:").doesNotContain("hunter2");
        assertThat(alert.has("llmSummary")).isTrue();
        assertThat(alert.path("links").path("report").asText()).isEqualTo("http://127.0.0.1:18080/jobs/" + first.id());
        assertThat(alert.path("links").path("dashboard").asText()).isEqualTo("http://127.0.0.1:18080/anomalies?source=pay.log");
        String fingerprint = alert.path("fingerprint").asText();
        assertThat(fingerprint).hasSize(24);

        // Slack, Teams, e-mail and Kafka: one each, in their own shapes.
        await().atMost(Duration.ofSeconds(30)).until(() -> HOOKS.to("/slack").size() == 1 && HOOKS.to("/teams").size() == 1
                && SMTP.getReceivedMessages().length == 1);
        JsonNode slack = json.readTree(HOOKS.to("/slack").get(0).body());
        assertThat(slack.path("text").asText()).contains(alert.path("title").asText());
        assertThat(slack.path("blocks").size()).isEqualTo(3);
        JsonNode teams = json.readTree(HOOKS.to("/teams").get(0).body());
        assertThat(teams.path("attachments").get(0).path("contentType").asText())
                .isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(teams.path("attachments").get(0).path("content").path("actions").get(0).path("url").asText())
                .isEqualTo(alert.path("links").path("report").asText());
        MimeMessage mail = SMTP.getReceivedMessages()[0];
        assertThat(mail.getSubject()).startsWith("[Logwarden] [" + alert.path("severity").asText() + "]");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("oncall@example.test");
        assertThat(String.valueOf(mail.getContent())).contains("Report: http://127.0.0.1:18080/jobs/" + first.id());
        List<ConsumerRecord<String, String>> records = kafkaRecords(1);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo(fingerprint);
        assertThat(json.readTree(records.get(0).value()).path("kind").asText()).isEqualTo("open");

        // The same incident continues in the next file of the source: no new alert anywhere.
        drop("pay.log.1", burstLog(Instant.parse("2026-06-01T09:00:00Z")));
        Job second = awaitJob("pay.log.1");
        assertThat(second.status()).isEqualTo(Job.SUCCEEDED);
        assertThat(jdbc.sql("select last_job_id from alert_incidents where fingerprint = :f").param("f", fingerprint)
                .query(Long.class).single()).isEqualTo(second.id());
        Thread.sleep(1500); // an alert sent by mistake would arrive by now
        assertThat(alerts("/hook", "pay.log")).hasSize(1);
        assertThat(HOOKS.to("/slack")).hasSize(1);
        assertThat(SMTP.getReceivedMessages()).hasSize(1);

        // Once it stopped for the dedup window: one "resolved", then nothing more.
        await().atMost(Duration.ofSeconds(60)).until(() -> alerts("/hook", "pay.log").size() == 2);
        JsonNode resolved = json.readTree(alerts("/hook", "pay.log").get(1).body());
        assertThat(resolved.path("kind").asText()).isEqualTo("resolved");
        assertThat(resolved.path("fingerprint").asText()).isEqualTo(fingerprint);
        assertThat(kafkaRecords(1).get(0).key()).isEqualTo(fingerprint);

        // Every delivery is visible with its status in the API.
        JsonNode listed = json.readTree(get("/api/v1/alerts?channel=hook").body());
        assertThat(listed.path("deliveries").toString()).contains("\"status\":\"sent\"").contains(fingerprint);
    }

    @Test
    void anOpenIncidentIsUpdatedOnlyOnceTheUpdateIntervalHasPassed() throws Exception {
        drop("upd.log", burstLog(Instant.parse("2026-06-06T08:00:00Z")));
        awaitJob("upd.log");
        await().atMost(Duration.ofSeconds(30)).until(() -> alerts("/hook", "upd.log").size() == 1);
        String fingerprint = json.readTree(alerts("/hook", "upd.log").get(0).body()).path("fingerprint").asText();
        drop("upd.log.1", burstLog(Instant.parse("2026-06-06T09:00:00Z")));
        awaitJob("upd.log.1");
        // Within the interval (1 h here): held, counted for the next update.
        assertThat(jdbc.sql("select pending_payload is not null from alert_incidents where fingerprint = :f")
                .param("f", fingerprint).query(Boolean.class).single()).isTrue();
        // As if the interval had passed since the open alert:
        jdbc.sql("update alert_incidents set last_sent_at = last_sent_at - interval '2 hours' where fingerprint = :f")
                .param("f", fingerprint).update();
        drop("upd.log.2", burstLog(Instant.parse("2026-06-06T10:00:00Z")));
        Job third = awaitJob("upd.log.2");
        await().atMost(Duration.ofSeconds(30)).until(() -> alerts("/hook", "upd.log").size() == 2);
        JsonNode update = json.readTree(alerts("/hook", "upd.log").get(1).body());
        assertThat(update.path("kind").asText()).isEqualTo("update");
        assertThat(update.path("fingerprint").asText()).isEqualTo(fingerprint);
        assertThat(update.path("jobId").asLong()).isEqualTo(third.id());
        assertThat(update.path("anomalies").asInt()).as("this job's and the held one's").isEqualTo(2);
    }

    @Test
    void aChannelThatIsDownBlocksNothingAndGetsItsAlertOnceItIsBack() throws Exception {
        drop("flaky.log", burstLog(Instant.parse("2026-06-02T08:00:00Z")));
        Job job = awaitJob("flaky.log");
        // The pipeline did not wait for the channel, and the other channel got the alert meanwhile.
        assertThat(job.status()).isEqualTo(Job.SUCCEEDED);
        await().atMost(Duration.ofSeconds(30)).until(() -> alerts("/hook", "flaky.log").size() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> delivery("flaky").map(d -> d.attempts() >= 2).orElse(false));
        AlertRepository.Delivery down = delivery("flaky").orElseThrow();
        assertThat(down.status()).isEqualTo("retrying");
        assertThat(down.lastError()).containsIgnoringCase("refused");
        assertThat(get("/api/v1/alerts?status=retrying").body()).contains("flaky").contains("refused");

        try (RecordingServer back = RecordingServer.start(FLAKY_PORT)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> back.to("/flaky").size() == 1);
            Thread.sleep(1500); // a second send would arrive by now
            assertThat(back.to("/flaky")).hasSize(1);
            assertThat(json.readTree(back.to("/flaky").get(0).body()).path("source").asText()).isEqualTo("flaky.log");
            assertThat(delivery("flaky").orElseThrow().status()).isEqualTo("sent");
        }
        assertThat(meters.get("logwarden.alerts").tag("channel", "flaky").tag("outcome", "retried").counter().count())
                .isGreaterThanOrEqualTo(2);
        assertThat(meters.get("logwarden.alerts").tag("channel", "flaky").tag("outcome", "sent").counter().count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aChannelOverItsRateLimitSendsWhatItHeldBackAsOneDigest() throws Exception {
        drop("lim-a.log", burstLog(Instant.parse("2026-06-03T08:00:00Z")));
        awaitJob("lim-a.log");
        await().atMost(Duration.ofSeconds(30)).until(() -> HOOKS.to("/limited").size() == 1);
        drop("lim-b.log", burstLog(Instant.parse("2026-06-03T08:00:00Z")));
        drop("lim-c.log", burstLog(Instant.parse("2026-06-03T08:00:00Z")));
        awaitJob("lim-b.log");
        awaitJob("lim-c.log");
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "select count(*) from alert_deliveries where channel = 'limited' and status = 'held'").query(Integer.class).single() == 2);
        assertThat(HOOKS.to("/limited")).hasSize(1);
        await().atMost(Duration.ofSeconds(40)).until(() -> HOOKS.to("/limited").size() == 2);
        JsonNode digest = json.readTree(HOOKS.to("/limited").get(1).body());
        assertThat(digest.path("kind").asText()).isEqualTo("digest");
        assertThat(digest.path("alerts").size()).isEqualTo(2);
        assertThat(digest.path("alerts").toString()).contains("lim-b.log").contains("lim-c.log");
        assertThat(jdbc.sql("select count(*) from alert_deliveries where channel = 'limited' and status = 'digested'")
                .query(Integer.class).single()).isEqualTo(2);
    }

    @Test
    void suppressingAnAnomalySilencesTheSameIncidentInTheSourcesNextJob() throws Exception {
        drop("sup.log", burstLog(Instant.parse("2026-06-04T08:00:00Z")));
        Job first = awaitJob("sup.log");
        await().atMost(Duration.ofSeconds(30)).until(() -> alerts("/hook", "sup.log").size() == 1);
        JsonNode alert = json.readTree(alerts("/hook", "sup.log").get(0).body());
        Map<String, Object> lead = jdbc.sql("select id, source, detector, template_id from anomalies where job_id = :job"
                + " order by score desc limit 1").param("job", first.id()).query().singleRow();

        // The operator's command against the running service: false positive, suppress for a week.
        Path passwordFile = DIR.resolve("admin-password");
        Files.writeString(passwordFile, PASSWORD);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = io.logwarden.cli.LogwardenCli.run(new String[] {"feedback", String.valueOf(lead.get("id")),
                        "--suppress", "--for", "7d", "--note", "known flaky gateway, fixed next sprint",
                        "--url", "http://127.0.0.1:" + port, "--password-file", passwordFile.toString()},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(json.readTree(out.toString(StandardCharsets.UTF_8)).path("status").asText()).isEqualTo("false_positive");
        JsonNode rules = json.readTree(get("/api/v1/suppressions").body()).path("rules");
        JsonNode rule = null;
        for (JsonNode r : rules) {
            if (r.path("source").asText().equals("sup.log")) {
                rule = r;
            }
        }
        assertThat(rule).isNotNull();
        assertThat(rule.path("createdBy").asText()).isEqualTo("admin");
        assertThat(rule.path("anomalyId").asLong()).isEqualTo((Long) lead.get("id"));
        assertThat(rule.path("reason").asText()).isEqualTo("known flaky gateway, fixed next sprint");
        assertThat(rule.path("expiresAt").asText()).isNotBlank();

        drop("sup.log.1", burstLog(Instant.parse("2026-06-04T09:00:00Z")));
        Job second = awaitJob("sup.log.1");
        assertThat(second.status()).isEqualTo(Job.SUCCEEDED);
        List<String> statuses = jdbc.sql("select status from anomalies where job_id = :job and detector = :d")
                .param("job", second.id()).param("d", lead.get("detector")).query(String.class).list();
        assertThat(statuses).isNotEmpty().containsOnly("suppressed");
        JsonNode report = json.readTree(reportPath(second, "json").toFile());
        assertThat(report.path("anomalies").toString()).contains("\"status\":\"suppressed\"");
        assertThat(Files.readString(reportPath(second, "html"))).contains("Suppressed by rule " + rule.path("id").asLong());
        Thread.sleep(1500);
        assertThat(alerts("/hook", "sup.log")).as("no alert for the suppressed job").allSatisfy(r ->
                assertThat(json.readTree(r.body()).path("jobId").asLong()).isNotEqualTo(second.id()));
        assertThat(jdbc.sql("select count(*) from alert_deliveries where job_id = :job").param("job", second.id())
                .query(Integer.class).single()).isZero();
        // The open incident was closed by the feedback, without a "resolved" alert.
        assertThat(jdbc.sql("select status from alert_incidents where fingerprint = :f")
                .param("f", alert.path("fingerprint").asText()).query(String.class).single()).isEqualTo("resolved");
        assertThat(alerts("/hook", "sup.log")).hasSize(1);

        // The rule is for this burst's template: another error burst of the source still alerts.
        assertThat(rule.path("templateId").asText()).isNotBlank();
        drop("sup.log.2", burstLog(Instant.parse("2026-06-04T10:00:00Z"), "ledger write rejected for entry %d: disk quota"));
        Job third = awaitJob("sup.log.2");
        await().atMost(Duration.ofSeconds(30)).until(() -> alerts("/hook", "sup.log").size() == 2);
        assertThat(json.readTree(alerts("/hook", "sup.log").get(1).body()).path("jobId").asLong()).isEqualTo(third.id());

        // Deleted: the rule is gone from the list.
        HttpResponse<String> deleted = send("DELETE", "/api/v1/suppressions/" + rule.path("id").asLong());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(get("/api/v1/suppressions").body()).doesNotContain("\"id\":" + rule.path("id").asLong() + ",");
        assertThat(alert.path("fingerprint").asText()).isNotBlank();
    }

    @Test
    void expectedFeedbackFoldsTheBurstIntoTheBaselineOfTheNextJob() throws Exception {
        drop("exp.log", burstLog(Instant.parse("2026-06-05T08:00:00Z")));
        Job first = awaitJob("exp.log");
        Map<String, Object> lead = jdbc.sql("select id, detector, template_id from anomalies where job_id = :job"
                + " order by score desc limit 1").param("job", first.id()).query().singleRow();
        events.publishEvent(new AnomalyStatusChanged((Long) lead.get("id"), "exp.log", (String) lead.get("detector"),
                (String) lead.get("template_id"), "open", "false_positive", "nightly batch", "bob", Instant.now(),
                AnomalyStatusChanged.Feedback.EXPECTED, null, null));

        drop("exp.log.1", burstLog(Instant.parse("2026-06-05T09:00:00Z")));
        Job second = awaitJob("exp.log.1");
        assertThat(second.status()).isEqualTo(Job.SUCCEEDED);
        assertThat(jdbc.sql("select count(*) from anomalies where job_id = :job and detector = :d")
                .param("job", second.id()).param("d", lead.get("detector")).query(Integer.class).single()).isZero();
        JsonNode report = json.readTree(reportPath(second, "json").toFile());
        assertThat(report.path("checks").toString()).contains("within what operators marked expected");
    }

    @Test
    void rulesAreMadeListedAndDeletedThroughTheApiAndBadRequestsNameTheParameter() throws Exception {
        HttpResponse<String> made = send("POST", "/api/v1/suppressions", """
                {"source":"api.log","detector":"error-burst","templateId":"T4","influencer":"client=10.0.0.7",
                 "for":"12h","reason":"maintenance window"}""");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode rule = json.readTree(made.body());
        assertThat(rule.path("createdBy").asText()).isEqualTo("admin");
        assertThat(rule.path("influencerField").asText()).isEqualTo("client");
        assertThat(Duration.between(Instant.now(), Instant.parse(rule.path("expiresAt").asText())).toHours()).isBetween(11L, 12L);
        assertThat(get("/api/v1/suppressions/" + rule.path("id").asLong()).statusCode()).isEqualTo(200);

        HttpResponse<String> bad = send("POST", "/api/v1/suppressions", "{\"source\":\"api.log\",\"detector\":\"nonsense\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("detector");
        assertThat(send("POST", "/api/v1/suppressions", "{\"source\":\"api.log\",\"detector\":\"drop\",\"for\":\"soon\"}")
                .statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/alerts?status=nonsense").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/alerts/999999").statusCode()).isEqualTo(404);

        assertThat(send("DELETE", "/api/v1/suppressions/" + rule.path("id").asLong()).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "/api/v1/suppressions/" + rule.path("id").asLong()).statusCode()).isEqualTo(404);
    }

    // ---- helpers

    /** Thirty steady minutes of an application log with an error burst (a password in each line) at 08:20. */
    public static String burstLog(Instant start) {
        return burstLog(start, "payment gateway timeout after 3000 ms for order %d (password=hunter2)");
    }

    /** The same with another error message ({@code %d}: a number per line). */
    static String burstLog(Instant start, String error) {
        List<String> lines = new ArrayList<>();
        for (int m = 0; m < 30; m++) {
            for (int i = 0; i < 10; i++) {
                Instant ts = start.plusSeconds(m * 60L + i * 6L);
                lines.add(TS.format(ts) + switch (i % 3) {
                    case 0 -> " INFO [http-nio-8080-exec-" + (i + 1) + "] com.acme.OrderController - order "
                            + (1000 + m * 10 + i) + " accepted in " + (20 + i) + " ms";
                    case 1 -> " INFO [scheduler-1] com.acme.Inventory - stock sync finished: " + (m + i) + " items updated";
                    default -> " DEBUG [http-nio-8080-exec-2] com.acme.Session - session " + (7000 + i) + " refreshed";
                });
            }
        }
        Instant burst = start.plusSeconds(20 * 60);
        for (int i = 0; i < 40; i++) {
            lines.add(TS.format(burst.plusMillis(i * 500L)) + " ERROR [http-nio-8080-exec-3] com.acme.PaymentClient - "
                    + error.formatted(5000 + i));
        }
        return lines.stream().sorted().collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    void drop(String name, String content) throws IOException {
        Path tmp = DIR.resolve("inbox").resolve("." + name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, DIR.resolve("inbox").resolve(name));
    }

    Job awaitJob(String input) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> jobs.recent(500).stream().filter(j -> input.equals(j.input())).findFirst(),
                        j -> j.isPresent() && !j.get().status().equals(Job.RUNNING))
                .orElseThrow();
    }

    Path reportPath(Job job, String format) {
        return reports.forJob(job.id()).stream().filter(r -> r.format().equals(format)).map(r -> Path.of(r.location()))
                .findFirst().orElseThrow();
    }

    /** The recorded posts to a path about a source. */
    List<RecordingServer.Request> alerts(String path, String source) {
        return HOOKS.to(path).stream().filter(r -> {
            try {
                return json.readTree(r.body()).path("source").asText().equals(source);
            } catch (IOException e) {
                return false;
            }
        }).toList();
    }

    Optional<AlertRepository.Delivery> delivery(String channel) {
        return jdbc.sql("select id from alert_deliveries where channel = :c order by id desc limit 1").param("c", channel)
                .query(Long.class).optional().flatMap(id -> repository.delivery(id));
    }

    @Autowired AlertRepository repository;

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        return send(method, path, null);
    }

    HttpResponse<String> send(String method, String path, String json) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + auth)
                .header(io.logwarden.web.SecurityConfiguration.API_CLIENT_HEADER, "test")
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String hmac(String secret, String body) {
        return AlertMessages.sign(secret, body);
    }

    /** Reads the alerts topic from the start until {@code atLeast} records came (or 20 s passed). */
    static List<ConsumerRecord<String, String>> kafkaRecords(int atLeast) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", KAFKA.getBrokersAsString(), "group.id", "alerts-test-" + System.nanoTime(),
                "auto.offset.reset", "earliest", "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", StringDeserializer.class.getName()))) {
            consumer.subscribe(List.of("logwarden.alerts"));
            long until = System.currentTimeMillis() + 20_000;
            while (out.size() < atLeast && System.currentTimeMillis() < until) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static GreenMail startSmtp() {
        GreenMail mail = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return mail;
    }

    private static EmbeddedKafkaKraftBroker startKafka() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, "logwarden.alerts");
        broker.afterPropertiesSet();
        return broker;
    }
}
