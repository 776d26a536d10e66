package io.logwarden.store;

import java.time.Duration;
import java.time.Instant;

/**
 * A job as lists show it: its counts, progress (0 to 1) and duration (so far, while running).
 */
public record JobView(long id, String source, String trigger, String input, String status, String format,
                      long linesRead, long eventsParsed, long eventsQuarantined, int anomalies, Long bytesTotal,
                      long bytesRead, double progress, String warnings, String error, Instant createdAt,
                      Instant startedAt, Instant finishedAt, Long durationMillis) {

    public static JobView of(Job j, Instant now) {
        Long duration = null;
        if (j.startedAt() != null) {
            Instant end = j.finishedAt() != null ? j.finishedAt() : now;
            duration = Math.max(0, Duration.between(j.startedAt(), end).toMillis());
        }
        return new JobView(j.id(), j.source(), j.trigger(), j.input(), j.status(), j.format(), j.linesRead(),
                j.eventsParsed(), j.eventsQuarantined(), j.anomalies(), j.bytesTotal(), j.bytesRead(), j.progress(),
                j.warnings(), j.error(), j.createdAt(), j.startedAt(), j.finishedAt(), duration);
    }

    public boolean running() {
        return Job.RUNNING.equals(status);
    }
}
