package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.LogEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches read ahead come out whole and in the file's order, each prepared once, whichever thread prepared it: the
 * reader prepares while the queue is full, the consumer whatever it takes before the reader has.
 */
class PrefetchedBatchesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
    private static final int LINES = 40_000;
    private static final int BATCH = 500;

    @TempDir
    Path dir;

    @Test
    void everyBatchIsPreparedOnceAndArrivesInOrder() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= LINES; i++) {
            log.append("2026-11-24T10:00:00.000Z INFO worker line ").append(i).append('\n');
        }
        Path file = Files.writeString(dir.resolve("app.log"), log, StandardCharsets.UTF_8);
        IngestSettings settings = IngestSettings.defaults().withBatchSize(BATCH);
        LogFileReader reader = new LogFileReader(settings, new FormatRegistry(settings, CLOCK), CLOCK);

        Map<Long, AtomicInteger> prepared = new ConcurrentHashMap<>(); // first line of a batch -> times prepared
        Set<String> preparers = ConcurrentHashMap.newKeySet();
        AtomicInteger taken = new AtomicInteger();
        List<Long> firstLines = new ArrayList<>();
        long events = 0;
        try (EventBatches batches = reader.open(file, "app.log");
             PrefetchedBatches prefetched = new PrefetchedBatches(batches, batch -> {
                 prepared.computeIfAbsent(batch.get(0).ref().line(), k -> new AtomicInteger()).incrementAndGet();
                 preparers.add(Thread.currentThread().getName());
                 // in the second half both are slow: each thread often prepares while the other is preparing too
                 if (taken.get() >= LINES / BATCH / 2) pause(3);
                 return List.copyOf(batch);
             })) {
            while (prefetched.hasNext()) {
                List<LogEvent> batch = prefetched.next();
                firstLines.add(batch.get(0).ref().line());
                events += batch.size();
                // in the first half the consumer is the slow part: the queue fills and the reader prepares
                pause(taken.incrementAndGet() < LINES / BATCH / 2 ? 5 : 2);
            }
        }

        assertThat(events).isEqualTo(LINES);
        assertThat(firstLines).hasSize(LINES / BATCH);
        for (int b = 0; b < firstLines.size(); b++) {
            assertThat(firstLines.get(b)).as("batch %d", b).isEqualTo(1L + (long) b * BATCH);
        }
        assertThat(prepared).hasSize(LINES / BATCH);
        assertThat(prepared.values()).allSatisfy(times -> assertThat(times.get()).isEqualTo(1));
        // while the consumer is slow the queue stays full, so the reader prepares batches itself
        assertThat(preparers).as("threads that prepared")
                .anySatisfy(name -> assertThat(name).startsWith("logwarden-read-"));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
