package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fault test: the embedded database stops answering, then dies in the middle of a job, in a service run in a child
 * JVM. Readiness says DOWN within 5 s and UP again, liveness stays UP, the dead database is started again, and the
 * file is analysed exactly once, with no duplicate rows and no job left running.
 */
class DatabaseOutageTest {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneOffset.UTC);
    private static final int LINES = 300_000;
    private static final int EVERY_BAD = 500;

    @Test
    void readinessFollowsTheDatabaseAndAJobHitByItsDeathIsReadAgainOnce() throws Exception {
        Path dir = TestDirs.create("outage");
        try (ServiceProcess service = ServiceProcess.start(dir, "service", "--logwarden.storage.outage-wait=2m")) {
            int port = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> port(service.output()), p -> p > 0);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> status(port, "/actuator/health/readiness") == 200); // ready once started

            // The database stops answering (SIGSTOP): not ready within 5 s, still alive; ready again once it answers.
            long postmaster = postmasterPid(dir);
            signal("STOP", postmaster);
            try {
                long stopped = System.nanoTime();
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> status(port, "/actuator/health/readiness") == 503);
                assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(5));
                assertThat(status(port, "/actuator/health/liveness")).isEqualTo(200);
            } finally {
                signal("CONT", postmaster);
            }
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> status(port, "/actuator/health/readiness") == 200);

            // The database dies (SIGKILL) in the middle of a job.
            writeLog(dir.resolve("inbox"), "orders.log");
            long firstJob = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> ServiceProcess.runningJobWithQuarantine(dir, "orders.log"), id -> id > 0);
            ProcessHandle.of(postmasterPid(dir)).orElseThrow().destroyForcibly();

            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).until(() -> ServiceProcess.processed(dir).size() == 1);
            assertThat(service.output()).contains("is not running; starting it again", "the database is unavailable; the file waits");
            try (Connection c = ServiceProcess.connect(dir)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> ServiceProcess.rows(c, "select count(*) from jobs where status = 'running'").equals(List.of("0")));
                List<String> jobs = ServiceProcess.rows(c, "select id || ' ' || status || ' ' || coalesce(error, '') from jobs where input = 'orders.log' order by id");
                // The job the outage hit ended failed — unless the database lost its record with the last moment of
                // commits (synchronous_commit off, as README says): then only the re-read's job is there.
                assertThat(jobs.get(jobs.size() - 1)).contains(" succeeded");
                assertThat(jobs.subList(0, jobs.size() - 1)).allSatisfy(j -> assertThat(j).contains(" failed "));
                if (jobs.size() > 1) assertThat(jobs.get(0)).startsWith(firstJob + " failed ");
                assertThat(ServiceProcess.rows(c, "select count(*) from jobs where input = 'orders.log' and status = 'succeeded'")).containsExactly("1");
                assertThat(ServiceProcess.rows(c, "select count(*) from quarantine")).containsExactly(String.valueOf(LINES / EVERY_BAD));
                assertThat(ServiceProcess.rows(c, "select events_parsed from jobs where input = 'orders.log' and status = 'succeeded'"))
                        .containsExactly(String.valueOf(LINES - LINES / EVERY_BAD));
            }
            try (Stream<Path> failed = Files.list(dir.resolve("failed"))) {
                assertThat(failed).isEmpty();
            }
        }
    }

    private static void writeLog(Path inbox, String name) throws Exception {
        Path tmp = inbox.resolve("." + name + ".tmp");
        Instant start = Instant.parse("2026-04-01T00:00:00Z");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                Instant ts = i % EVERY_BAD == 0 ? Instant.parse("2099-01-01T00:00:00Z") : start.plusMillis(i * 10L);
                out.write(TS.format(ts) + " INFO [worker-" + (i % 5) + "] com.acme.Orders - order " + i + " shipped\n");
            }
        }
        Files.move(tmp, inbox.resolve(name));
    }

    private static int port(String log) {
        Matcher m = Pattern.compile("Tomcat started on port (\\d+)").matcher(log);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static int status(int port, String path) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(4)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static long postmasterPid(Path dir) throws Exception {
        return Long.parseLong(Files.readAllLines(dir.resolve("postgres").resolve("postmaster.pid")).get(0).strip());
    }

    private static void signal(String signal, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start().waitFor();
    }
}
