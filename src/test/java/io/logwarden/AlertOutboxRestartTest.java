package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logwarden.alert.AlertMessages;
import io.logwarden.alert.AlertsTest;
import io.logwarden.alert.RecordingServer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The outbox across a crash: the service, in a child JVM, stores a job's alert while its webhook is down, is killed
 * with SIGKILL, and the alert is sent (once, signed) by the next start once the webhook answers.
 */
class AlertOutboxRestartTest {

    private static final String SECRET = "restart-test-secret";

    @Test
    void anAlertUnsentAtACrashIsSentOnceAfterTheRestart() throws Exception {
        Path dir = TestDirs.create("alerts-restart");
        int hookPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            hookPort = socket.getLocalPort();
        }
        String[] channel = {
                "--logwarden.alerts.channels[0].name=hook",
                "--logwarden.alerts.channels[0].type=webhook",
                "--logwarden.alerts.channels[0].url=http://127.0.0.1:" + hookPort + "/hook",
                "--logwarden.alerts.channels[0].secret=" + SECRET,
                "--logwarden.alerts.channels[0].min-severity=LOW",
                "--logwarden.alerts.channels[0].enabled=true",
                "--logwarden.alerts.poll-interval=100ms",
                "--logwarden.alerts.backoff=200ms",
                "--logwarden.alerts.max-backoff=500ms",
                "--logwarden.alerts.max-attempts=1000"};
        Path tmp = dir.resolve("inbox").resolve(".checkout.log.tmp");
        Files.writeString(tmp, AlertsTest.burstLog(Instant.parse("2026-06-10T08:00:00Z")), StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("inbox").resolve("checkout.log"));

        try (ServiceProcess first = ServiceProcess.start(dir, "first", channel)) {
            // The job is stored with its alert; the webhook does not answer, so the alert waits in the outbox.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> rows(dir, "select status || ' ' || attempts from alert_deliveries"),
                            r -> r.size() == 1 && r.get(0).startsWith("retrying"));
            first.kill();
        }
        try (Connection c = ServiceProcess.connect(dir)) {
            assertThat(ServiceProcess.rows(c, "select status from jobs where input = 'checkout.log'")).containsExactly("succeeded");
        } catch (Exception databaseStoppedWithTheProcess) {
            // the killed JVM's embedded PostgreSQL may be gone already; the second start checks again
        }

        try (RecordingServer hook = RecordingServer.start(hookPort);
             ServiceProcess second = ServiceProcess.start(dir, "second", channel)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> hook.to("/hook").size() == 1);
            Thread.sleep(2000); // a second send would arrive by now
            assertThat(hook.to("/hook")).hasSize(1);
            RecordingServer.Request alert = hook.to("/hook").get(0);
            assertThat(alert.header("X-Logwarden-Signature")).isEqualTo("sha256=" + AlertMessages.sign(SECRET, alert.body()));
            com.fasterxml.jackson.databind.JsonNode payload = new com.fasterxml.jackson.databind.ObjectMapper().readTree(alert.body());
            assertThat(payload.path("source").asText()).isEqualTo("checkout.log");
            assertThat(payload.path("kind").asText()).isEqualTo("open");
            try (Connection c = ServiceProcess.connect(dir)) {
                assertThat(ServiceProcess.rows(c, "select status from alert_deliveries")).containsExactly("sent");
                assertThat(ServiceProcess.rows(c, "select count(*) from jobs where input = 'checkout.log'")).containsExactly("1");
            }
        }
    }

    private static List<String> rows(Path dir, String sql) {
        try (Connection c = ServiceProcess.connect(dir)) {
            return ServiceProcess.rows(c, sql);
        } catch (Exception notYet) {
            return List.of();
        }
    }
}
