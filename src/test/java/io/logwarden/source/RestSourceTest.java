package io.logwarden.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.store.Job;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The REST source against a real HTTP server on 127.0.0.1 (see {@link ApiServer}). */
class RestSourceTest extends SourcesTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {"paged", "offset", "cursor", "next-url", "link"})
    void readsEveryRecordOnceInEachPaginationStyle(String source) throws Exception {
        long started = System.nanoTime();
        Job job = runNow(source);
        assertThat(job.status()).as(job.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(job.eventsParsed()).isEqualTo(ApiServer.RECORDS);
        assertThat(job.eventsQuarantined()).isZero();
        assertThat(watermarks.find(source)).get()
                .satisfies(w -> assertThat(w.key()).isEqualTo(String.valueOf(ApiServer.RECORDS - 1)));
        if (source.equals("paged")) { // page 2 answered 429 (Retry-After: 1) once, page 3 a 500 once: both retried
            // finished_at is when the job ended, not when its transaction began
            assertThat(java.time.Duration.between(job.startedAt(), job.finishedAt())).isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(1));
            assertThat(API.calls("/paged?{page=2, size=5}")).isEqualTo(2);
            assertThat(API.calls("/paged?{page=3, size=5}")).isEqualTo(2);
            assertThat(System.nanoTime() - started).isGreaterThan(1_000_000_000L);
        }
        if (source.equals("offset")) { // offset 10 answered 503 once
            assertThat(API.calls("/offset?{limit=10, offset=10}")).isEqualTo(2);
        }

        Job again = runNow(source); // the same records again: all at or before the watermark
        assertThat(again.status()).isEqualTo(Job.EMPTY);
        assertThat(again.eventsParsed()).isZero();
        assertThat(jdbc.sql("select count(*) from reports where job_id = :id").param("id", again.id())
                .query(Long.class).single()).as("a run with nothing new writes no report").isZero();
    }

    @Test
    void malformedJsonFailsTheJobAndTheRetryReadsEveryRecordOnce() throws Exception {
        Job failed = runNow("malformed");
        assertThat(failed.status()).isEqualTo(Job.FAILED);
        assertThat(failed.error()).contains("page 2").contains("is not JSON");
        assertThat(watermarks.find("malformed")).isEmpty();
        Job retried = runNow("malformed");
        assertThat(retried.status()).as(retried.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(retried.eventsParsed()).isEqualTo(ApiServer.RECORDS);
    }

    @Test
    void aPaginationLoopFailsTheJob() throws Exception {
        Job job = runNow("loop");
        assertThat(job.status()).isEqualTo(Job.FAILED);
        assertThat(job.error()).contains("pagination loop").contains("cursor=again");
    }

    @Test
    void anUnreachableHostFailsTheJobAfterItsRetries() throws Exception {
        Job job = runNow("unreachable");
        assertThat(job.status()).isEqualTo(Job.FAILED);
        assertThat(job.error()).contains("127.0.0.1:" + API.closedPort).contains("after 3 attempts");
    }

    @Test
    void aRecordWithoutItsKeyFailsTheJob() throws Exception {
        Job job = runNow("no-key");
        assertThat(job.status()).isEqualTo(Job.FAILED);
        assertThat(job.error()).contains("record without its key 'id'");
    }

    @Test
    void theWatermarkIsSentAsSinceAndRecordsAtItAreNotStoredTwice() throws Exception {
        for (int i = 0; i < 5; i++) API.growing.add(ApiServer.record(i));
        Job first = runNow("since");
        assertThat(first.status()).as(first.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(first.eventsParsed()).isEqualTo(5);
        for (int i = 5; i < 8; i++) API.growing.add(ApiServer.record(i));
        Job second = runNow("since"); // the API answers from the watermark inclusive: record 4 comes back
        assertThat(second.eventsParsed()).isEqualTo(3);
        assertThat(watermarks.find("since")).get().satisfies(w -> {
            assertThat(w.key()).isEqualTo("7");
            assertThat(w.timestamp()).isEqualTo(Instant.parse("2026-03-01T10:03:30Z"));
        });
    }

    @Test
    void uuidKeysAtTheWatermarksTimestampAreNeitherLostNorStoredTwice() throws Exception {
        Instant ts = Instant.parse("2026-03-02T09:00:00Z");
        API.uuids.add(uuidRecord("7f3c1a52-0000-4000-8000-000000000001", ts));
        API.uuids.add(uuidRecord("c1d2e3f4-0000-4000-8000-000000000002", ts));
        Job first = runNow("uuids");
        assertThat(first.status()).as(first.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(first.eventsParsed()).isEqualTo(2);
        // Four new records at the same timestamp, two of them with keys sorting below the watermark's last key.
        API.uuids.add(uuidRecord("00aa0000-0000-4000-8000-000000000003", ts));
        API.uuids.add(uuidRecord("11bb0000-0000-4000-8000-000000000004", ts));
        API.uuids.add(uuidRecord("e5f60000-0000-4000-8000-000000000005", ts));
        API.uuids.add(uuidRecord("ffff0000-0000-4000-8000-000000000006", ts));
        Job second = runNow("uuids");
        assertThat(second.status()).as(second.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(second.eventsParsed()).isEqualTo(4);
        assertThat(watermarks.find("uuids")).get().satisfies(w -> assertThat(w.keysAt()).hasSize(6));
        Job third = runNow("uuids");
        assertThat(third.status()).isEqualTo(Job.EMPTY);
    }

    private static String uuidRecord(String id, Instant ts) {
        return "{\"id\":\"" + id + "\",\"ts\":\"" + ts + "\",\"level\":\"INFO\",\"message\":\"payment " + id
                + " settled\",\"host\":\"api-2\"}";
    }

    @Test
    void maxRetriesIsTheNumberOfRetriesMade() throws Exception {
        Job job = runNow("busy");
        assertThat(job.status()).isEqualTo(Job.FAILED);
        assertThat(job.error()).contains("after 3 attempts", "HTTP 503");
        assertThat(API.calls("/busy")).as("max-retries 2: one request and two retries, no hidden ones").isEqualTo(3);
        // the source's URL carries its key: the stored reason names the URL without it
        assertThat(job.error()).contains("/busy?api_key=***").doesNotContain("s3cr3t");
    }

    @Test
    void aRetryAfterLongerThanMaxBackoffEndsTheRunAtOnce() throws Exception {
        long started = System.nanoTime();
        Job job = runNow("later");
        assertThat(job.status()).isEqualTo(Job.FAILED);
        assertThat(job.error()).contains("Retry-After 90 s", "longer than max-backoff (1 s)", "next one retries");
        assertThat(API.calls("/later")).isEqualTo(1);
        assertThat(System.nanoTime() - started).isLessThan(10_000_000_000L);
    }

    @Test
    void noTransactionIsOpenWhileTheRunWaitsOnTheApi() throws Exception {
        java.util.concurrent.CompletableFuture<Job> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return runNow("slow");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> API.calls("/slow") > 0);
        // The API takes 2.5 s to answer: meanwhile no session of the service holds a transaction opened before the
        // wait. Transactions of a second or more only: other sources of the shared service open short ones of their own
        // (a failing SQL source every second), which a loaded machine can catch mid-way.
        for (int i = 0; i < 14; i++) {
            assertThat(jdbc.sql("select count(*) from pg_stat_activity where pid <> pg_backend_pid()"
                    + " and xact_start < now() - interval '1 second'"
                    + " and (state like 'idle in transaction%' or (state = 'active' and query ilike '%source_watermarks%'))").query(Long.class).single()).isZero();
            Thread.sleep(150);
        }
        Job job = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(job.status()).as(job.error()).isEqualTo(Job.SUCCEEDED);
    }
}
