package io.logwarden.pipeline;

import io.logwarden.store.JobRepository;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * A job's running counts, written to the jobs table at most once a second (and when the job ends), not once per
 * batch: a million-line file is 250 batches, and watchers need a progress bar, not 250 updates.
 */
@Component
public class JobProgress {

    static final long FLUSH_MILLIS = 1000;

    private final JobRepository jobs;
    private final Clock clock;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    public JobProgress(JobRepository jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    private static final class Pending {
        long parsed;
        long quarantined;
        long bytesRead;
        long lastFlush;
    }

    /** Adds one batch's counts; writes them when the last write is a second old. */
    public void add(long jobId, long parsed, long quarantined, long bytesRead) {
        Pending p = pending.computeIfAbsent(jobId, id -> {
            Pending fresh = new Pending();
            fresh.lastFlush = clock.millis();
            return fresh;
        });
        synchronized (p) {
            p.parsed += parsed;
            p.quarantined += quarantined;
            p.bytesRead = Math.max(p.bytesRead, bytesRead);
            if (clock.millis() - p.lastFlush >= FLUSH_MILLIS) {
                write(jobId, p);
            }
        }
    }

    /** Writes what is pending for the job and forgets it; called when its input is exhausted or it fails. */
    public void flush(long jobId) {
        Pending p = pending.remove(jobId);
        if (p != null) {
            synchronized (p) {
                write(jobId, p);
            }
        }
    }

    private void write(long jobId, Pending p) {
        jobs.progress(jobId, null, 0, p.parsed, p.quarantined, p.bytesRead);
        p.parsed = 0;
        p.quarantined = 0;
        p.lastFlush = clock.millis();
    }
}
