package io.logwarden.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.store.Job;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.LoggerFactory;
import static org.awaitility.Awaitility.await;

/** The database source against tables in the embedded PostgreSQL. */
class SqlSourceTest extends SourcesTestSupport {

    private static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");

    @Test
    void readsEveryRowOnceAcrossPagesAndRunsWithTiesOnTheTimestamp() throws Exception {
        jdbc.sql("create table payments (id bigint primary key, ts timestamptz not null, level text, host text, msg text)").update();
        // 20 rows, three of them sharing one timestamp across the page boundary (page size 7), one without a message
        for (int i = 1; i <= 20; i++) {
            Instant ts = i >= 6 && i <= 8 ? T0.plusSeconds(60) : T0.plusSeconds(10L * i + (i > 8 ? 60 : 0));
            insertPayment(i, ts, i == 13 ? null : "payment " + (5000 + i) + " settled in " + (i * 3) + " ms");
        }
        Job first = runNow("payments");
        assertThat(first.status()).as(first.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(first.trigger()).isEqualTo("manual");
        assertThat(first.linesRead()).isEqualTo(20);
        assertThat(first.eventsParsed()).isEqualTo(19);
        assertThat(first.eventsQuarantined()).isEqualTo(1);
        assertThat(watermarks.find("payments")).get().satisfies(w -> assertThat(w.key()).isEqualTo("20"));

        // New rows, two at the last row's timestamp with higher ids: only they are read by the next run.
        Instant last = jdbc.sql("select max(ts) from payments").query(Timestamp.class).single().toInstant();
        insertPayment(21, last, "payment 9021 settled in 5 ms");
        insertPayment(22, last, "payment 9022 settled in 6 ms");
        insertPayment(23, last.plusSeconds(5), "payment 9023 settled in 7 ms");
        Job second = runNow("payments");
        assertThat(second.status()).as(second.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(second.eventsParsed()).isEqualTo(3);

        Job third = runNow("payments");
        assertThat(third.status()).isEqualTo(Job.EMPTY);
        assertThat(third.eventsParsed()).isZero();
        assertThat(third.linesRead()).isZero();
    }

    @Test
    void rowsArrivingDuringRunsAreEachReadOnce() throws Exception {
        jdbc.sql("create table live_events (id bigserial primary key, ts timestamptz not null default now(), msg text)").update();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                jdbc.sql("insert into live_events (msg) values (:msg)").param("msg", "heartbeat " + written.get() + " ok").update();
                written.incrementAndGet();
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        writer.start();
        List<Job> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(runNow("live"));
            Thread.sleep(600);
        }
        writing.set(false);
        writer.join();
        Thread.sleep(1200); // past the source's lag: the last rows are inside the window now
        runs.add(runNow("live"));
        assertThat(runs).allSatisfy(j -> assertThat(j.status()).as(j.error()).isIn(Job.SUCCEEDED, Job.EMPTY));
        assertThat(runs.stream().mapToLong(Job::eventsParsed).sum()).isEqualTo(written.get());
        assertThat(runs.subList(0, 4).stream().mapToLong(Job::eventsParsed).sum()).as("read while rows arrived").isPositive();
    }

    @Test
    void aRunFailingHalfwayStoresNothingAndTheNextRunReadsEveryRow() throws Exception {
        jdbc.sql("create table audit (id bigint primary key, ts timestamptz not null, msg text)").update();
        for (int i = 1; i <= 12; i++) {
            jdbc.sql("insert into audit values (:id, :ts, :msg)").param("id", i).param("ts", Timestamp.from(T0.plusSeconds(i)))
                    .param("msg", i == 9 ? "poison pill" : i == 3 ? "" : "audit entry " + i).update();
        }
        Job failed = runNow("poisoned");
        assertThat(failed.status()).isEqualTo(Job.FAILED);
        assertThat(failed.error()).contains("division by zero");
        assertThat(quarantined(failed.id())).isZero(); // page 1 had been analyzed: rolled back with the rest
        assertThat(watermarks.find("poisoned")).isEmpty();

        jdbc.sql("update audit set msg = 'audit entry 9' where id = 9").update();
        Job retried = runNow("poisoned");
        assertThat(retried.status()).as(retried.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(retried.eventsParsed() + retried.eventsQuarantined()).isEqualTo(12);
        assertThat(quarantined(retried.id())).isEqualTo(1);
    }

    @Test
    void anSqlErrorAndAMissingColumnEachFailTheirJobWithAClearReason() throws Exception {
        Job noTable = runNow("no-table");
        assertThat(noTable.status()).isEqualTo(Job.FAILED);
        assertThat(noTable.error()).contains("no_such_table").contains("does not exist");

        jdbc.sql("create table if not exists payments (id bigint primary key, ts timestamptz not null, level text, host text, msg text)").update();
        jdbc.sql("insert into payments values (100, now() - interval '1 hour', 'INFO', 'h', 'x') on conflict do nothing").update();
        Job wrongColumn = runNow("wrong-column");
        assertThat(wrongColumn.status()).isEqualTo(Job.FAILED);
        assertThat(wrongColumn.error()).contains("column 'body' (mapping.message) is not in the query's result");
    }

    @Test
    void everySourceHasItsOwnRouteOnItsSchedule(@org.springframework.beans.factory.annotation.Autowired
                                                org.apache.camel.CamelContext camel) {
        assertThat(camel.getRouteController().getRouteStatus("source-sql-payments").isStarted()).isTrue();
        assertThat(camel.getRoute("source-sql-payments").getEndpoint().getEndpointUri())
                .startsWith("scheduler://source-sql-payments").contains("delay=3600000");
        assertThat(camel.getRouteController().getRouteStatus("source-sql-nightly").isStarted()).isTrue();
        assertThat(camel.getRoute("source-sql-nightly").getEndpoint().getEndpointUri()).contains("scheduler.cron=0");
        assertThat(camel.getRouteController().getRouteStatus("source-rest-cursor").isStarted()).isTrue();
        assertThat(camel.getRouteController().getRouteStatus("source-kafka-app-events").isStarted()).isTrue();
    }

    @Test
    void unknownSourcesAreNotFound() throws Exception {
        assertThat(post("/api/sources/nope/run").statusCode()).isEqualTo(404);
    }

    @Test
    void aPostWithCredentialsButWithoutTheClientHeaderIsRefused() throws Exception {
        // What a cross-site page could make a browser send with cached Basic credentials: no custom header.
        String auth = java.util.Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/api/sources/nope/run"))
                        .header("Authorization", "Basic " + auth).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isIn(401, 403);
    }

    private void insertPayment(int id, Instant ts, String msg) {
        jdbc.sql("insert into payments values (:id, :ts, :level, 'db-1', :msg)").param("id", id)
                .param("ts", Timestamp.from(ts)).param("level", id % 5 == 0 ? "WARN" : "INFO").param("msg", msg).update();
    }

    @Test
    void uuidKeysCommittedLaterAtTheWatermarksTimestampAreRead() throws Exception {
        jdbc.sql("create table uuid_rows (id uuid primary key, ts timestamptz not null, msg text)").update();
        Instant ts = T0.plusSeconds(3600);
        for (String id : List.of("80000000-0000-4000-8000-000000000001", "90000000-0000-4000-8000-000000000002",
                "a0000000-0000-4000-8000-000000000003", "b0000000-0000-4000-8000-000000000004")) {
            insertUuid(id, ts);
        }
        Job first = runNow("uuid-rows");
        assertThat(first.status()).as(first.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(first.eventsParsed()).isEqualTo(4);
        // Committed later, at the same timestamp, with keys below and above the last one stored
        for (String id : List.of("00000000-0000-4000-8000-000000000005", "10000000-0000-4000-8000-000000000006",
                "c0000000-0000-4000-8000-000000000007", "f0000000-0000-4000-8000-000000000008")) {
            insertUuid(id, ts);
        }
        Job second = runNow("uuid-rows");
        assertThat(second.status()).as(second.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(second.eventsParsed()).isEqualTo(4);
        assertThat(runNow("uuid-rows").status()).isEqualTo(Job.EMPTY);
    }

    private void insertUuid(String id, Instant ts) {
        jdbc.sql("insert into uuid_rows values (:id, :ts, :msg)").param("id", UUID.fromString(id))
                .param("ts", Timestamp.from(ts)).param("msg", "transfer " + id + " booked").update();
    }

    @Test
    void aFailingScheduledSourceLogsOneLinePerRunAndNoStackTrace() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        long before = failedRuns();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> failedRuns() >= before + 3);
        } finally {
            root.detachAppender(appender);
        }
        List<ILoggingEvent> about = appender.list.stream()
                .filter(e -> e.getFormattedMessage().contains("no_such_table_2")
                        || (e.getThrowableProxy() != null && String.valueOf(e.getThrowableProxy().getMessage()).contains("no_such_table_2")))
                .toList();
        assertThat(about).allSatisfy(e -> {
            assertThat(e.getThrowableProxy()).as(e.getFormattedMessage()).isNull();
            assertThat(e.getFormattedMessage()).doesNotContain("\n\tat ");
        });
        assertThat(about.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))).hasSizeBetween(2, 5)
                .allSatisfy(e -> assertThat(e.getFormattedMessage()).matches("Job \\d+ \\(failing\\) failed: .*"));
    }

    private long failedRuns() {
        return jdbc.sql("select count(*) from jobs where source = 'failing' and status = 'failed'").query(Long.class).single();
    }
}
