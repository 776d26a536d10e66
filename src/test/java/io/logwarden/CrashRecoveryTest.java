package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fault test: the service, in a child JVM, is killed with SIGKILL halfway through a file, then started again. The
 * first restart works (the embedded PostgreSQL the killed JVM left running is stopped), the killed job ends
 * {@code interrupted} with its quarantined rows removed, the file is analysed exactly once, and a SIGTERM stops the
 * service during a batch cleanly: the batch in flight finishes, its database stops last, with no ERROR line.
 */
class CrashRecoveryTest {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneOffset.UTC);
    private static final int LINES = 400_000;
    private static final int EVERY_BAD = 400;

    @Test
    void killedMidFileThenRestartedAnalysesTheFileExactlyOnce() throws Exception {
        Path dir = TestDirs.create("crash");
        Path file = dir.resolve("inbox").resolve(".big.log.tmp");
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                // Every 400th line is stamped far in the future: quarantined by validation.
                Instant ts = i % EVERY_BAD == 0 ? Instant.parse("2099-01-01T00:00:00Z") : start.plusMillis(i * 10L);
                out.write(TS.format(ts) + " INFO [worker-" + (i % 7) + "] com.acme.Orders - order " + i
                        + " accepted in " + (i % 50) + " ms\n");
            }
        }
        Files.move(file, dir.resolve("inbox").resolve("big.log"));
        int bad = LINES / EVERY_BAD;

        long firstJob;
        try (ServiceProcess first = ServiceProcess.start(dir, "first")) {
            firstJob = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> ServiceProcess.runningJobWithQuarantine(dir, "big.log"), id -> id > 0);
            first.kill();
        }
        assertThat(Files.exists(dir.resolve("inbox").resolve("big.log"))).as("the file stays in the inbox").isTrue();

        try (ServiceProcess second = ServiceProcess.start(dir, "second")) {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ServiceProcess.processed(dir).size() == 1);
            try (Connection c = ServiceProcess.connect(dir)) {
                List<String> jobs = ServiceProcess.rows(c, "select id || ' ' || status || ' ' || coalesce(error, '') from jobs where input = 'big.log' order by id");
                assertThat(jobs).hasSize(2);
                assertThat(jobs.get(0)).startsWith(firstJob + " interrupted interrupted: the Logwarden process");
                assertThat(jobs.get(1)).contains(" succeeded");
                assertThat(ServiceProcess.rows(c, "select count(*) from jobs where status = 'running'")).containsExactly("0");
                assertThat(ServiceProcess.rows(c, "select count(*) from quarantine where job_id = " + firstJob)).containsExactly("0");
                assertThat(ServiceProcess.rows(c, "select count(*) from quarantine")).containsExactly(String.valueOf(bad));
                assertThat(ServiceProcess.rows(c, "select events_parsed from jobs where input = 'big.log' and status = 'succeeded'"))
                        .containsExactly(String.valueOf(LINES - bad));
            }
            assertThat(second.output()).contains("left running by a stopped process", "left running by a previous Logwarden process");

            // SIGTERM during a batch: the consumer stops, the file in flight finishes, then the database stops;
            // no ERROR line, nothing left running.
            Path again = dir.resolve("inbox").resolve(".big2.log.tmp");
            Files.copy(ServiceProcess.processed(dir).get(0), again);
            Files.move(again, dir.resolve("inbox").resolve("big2.log"));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> second.output().contains("started: big2.log"));
            assertThat(second.terminate()).isIn(0, 130, 143);
            assertThat(second.output()).containsPattern("Job \\d+ \\(big2\\.log\\) succeeded")
                    .contains("Embedded PostgreSQL stopped");
            assertThat(second.output().indexOf("Embedded PostgreSQL stopped"))
                    .isGreaterThan(second.output().indexOf("(big2.log) succeeded"));
            assertThat(second.output()).doesNotContainPattern("(?m)^\\S+ +ERROR ").doesNotContain(" ERROR ");
            assertThat(Files.exists(dir.resolve("postgres").resolve("postmaster.pid"))).isFalse();
        }
    }
}
