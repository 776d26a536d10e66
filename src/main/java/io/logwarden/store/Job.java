package io.logwarden.store;

import java.time.Instant;

/** One batch of input: a file, a SQL window, an API poll, a Kafka window. */
public record Job(
        long id,
        String source,
        String trigger,
        String input,
        String status,
        String format,
        long linesRead,
        long eventsParsed,
        long eventsQuarantined,
        int anomalies,
        Long bytesTotal,
        long bytesRead,
        double progress,
        String warnings,
        String error,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String INTERRUPTED = "interrupted";
    public static final String EMPTY = "empty";
}
