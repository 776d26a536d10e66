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
            assertThat(API.calls("/paged?{page=2, size=5}")).isEqualTo(2);
            assertThat(API.calls("/paged?{page=3, size=5}")).isEqualTo(2);
            assertThat(System.nanoTime() - started).isGreaterThan(1_000_000_000L);
        }
        if (source.equals("offset")) { // offset 10 answered 503 once
            assertThat(API.calls("/offset?{limit=10, offset=10}")).isEqualTo(2);
        }

        Job again = runNow(source); // the same records again: all at or before the watermark
        assertThat(again.status()).isEqualTo(Job.SUCCEEDED);
        assertThat(again.eventsParsed()).isZero();
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
}
