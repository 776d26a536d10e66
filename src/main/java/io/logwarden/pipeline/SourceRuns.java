package io.logwarden.pipeline;

import io.logwarden.event.ExchangeHeaders;
import io.logwarden.ingest.IngestException;
import io.logwarden.store.JobRepository;
import io.logwarden.store.WatermarkRepository;
import io.logwarden.store.WatermarkRepository.Watermark;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transaction and watermark steps of a database, REST or Kafka source route ({@code sourceRuns}). A run holds
 * two transactions with the LLM between them, so no transaction or row lock is held while a model answers:
 * <ol>
 * <li>{@code begin} opens the first and locks the source's watermark row (a database source reads inside it); a
 * REST source reads first, outside any transaction ({@code peek}), then {@code lock}s, and fails if another run
 * moved the watermark meanwhile;</li>
 * <li>the records go to {@code direct:analyze} and {@code direct:detect-job}; {@code commit} ends the first;</li>
 * <li>{@code direct:enrich} asks the LLM, outside any transaction;</li>
 * <li>{@code relock} opens the second and checks the watermark is still where the run started; {@code direct:publish}
 * stores the anomalies and reports; {@code advance} moves the watermark and commits: the job's results and the
 * watermark are stored together, or neither.</li>
 * </ol>
 * A run that fails leaves its output removed ({@code rollback}, from the {@code job-errors} route configuration) and
 * the watermark where it was: the next run reads the same records again. Report files are the exception (a file
 * system is not transactional): a run rolled back after writing them leaves them orphaned. A run that read nothing
 * new is kept as an {@code empty} job and writes no report ({@code empty}).
 * <p>
 * The transactions are Spring's, bound to the thread: the steps between {@code begin} and {@code advance} must run
 * on the route's own thread (direct, bean, loop, split without parallel processing, sql, http, kafka all do).
 */
@Component("sourceRuns")
public class SourceRuns {

    private static final Logger log = LoggerFactory.getLogger(SourceRuns.class);

    private final WatermarkRepository watermarks;
    private final JobRepository jobs;
    private final JobProgress progress;
    private final PlatformTransactionManager transactions;

    public SourceRuns(WatermarkRepository watermarks, JobRepository jobs, JobProgress progress,
                      PlatformTransactionManager transactions) {
        this.watermarks = watermarks;
        this.jobs = jobs;
        this.progress = progress;
        this.transactions = transactions;
    }

    /** Transaction 1 opens; the watermark's row is locked until {@link #commit}. The run reads inside it. */
    public void begin(String source, String kind, String start, Exchange exchange) {
        Watermark initial = new Watermark(Instant.parse(start), null);
        TransactionStatus transaction = transactions.getTransaction(new DefaultTransactionDefinition());
        SourceRun run;
        try {
            run = new SourceRun(source, kind, initial, watermarks.lock(source, kind).orElse(initial));
        } catch (RuntimeException e) {
            transactions.rollback(transaction);
            throw e;
        }
        run.transaction = transaction;
        exchange.setProperty(SourceRun.PROPERTY, run);
    }

    /** Where a run that reads before its transaction starts (no lock held while it waits on the network). */
    public void peek(String source, String kind, String start, Exchange exchange) {
        Watermark initial = new Watermark(Instant.parse(start), null);
        SourceRun run = new SourceRun(source, kind, initial, watermarks.find(source).orElse(initial));
        exchange.setProperty(SourceRun.PROPERTY, run);
    }

    /** After a {@link #peek}: transaction 1 opens, and the watermark must still be where reading started. */
    public void lock(Exchange exchange) {
        SourceRun run = run(exchange);
        run.transaction = transactions.getTransaction(new DefaultTransactionDefinition());
        Watermark now = watermarks.lock(run.source(), run.kind()).orElse(run.initial());
        if (!now.equals(run.from())) {
            throw new IngestException("another run of source " + run.source() + " stored records while this one read;"
                    + " this run ends without storing, the next one reads on from the new watermark");
        }
        run.started(now);
    }

    /**
     * Records what was read on the job. Nothing new: the job is kept as {@code empty} (so runs show), transaction 1
     * commits, and the route ends without detection or reports.
     */
    public void judged(Exchange exchange) {
        SourceRun run = run(exchange);
        long jobId = jobId(exchange);
        progress.flush(jobId);
        jobs.progress(jobId, run.kind(), run.records(), 0, 0, 0);
        if (run.isEmpty()) {
            jobs.empty(jobId, null);
            commit(exchange);
            log.info("Job {}: nothing new from {} (watermark {}); kept as empty, no report", jobId, run.source(),
                    run.from().timestamp());
        }
    }

    /** Transaction 1 commits: the job's quarantine, progress and detection state are stored. */
    public void commit(Exchange exchange) {
        SourceRun run = run(exchange);
        if (run.transaction != null) {
            transactions.commit(run.transaction);
            run.transaction = null;
            run.stored = true;
        }
    }

    /** Transaction 2 opens; fails if another run advanced the watermark since this one started. */
    public void relock(Exchange exchange) {
        SourceRun run = run(exchange);
        run.transaction = transactions.getTransaction(new DefaultTransactionDefinition());
        Watermark now = watermarks.lock(run.source(), run.kind()).orElse(run.initial());
        if (!now.equals(run.started())) {
            throw new IngestException("another run of source " + run.source() + " stored records while this one was"
                    + " judged; this run ends without storing, the next one reads on from the new watermark");
        }
    }

    /** The watermark moves to the last record read, and transaction 2 commits with the job's results. */
    public void advance(Exchange exchange) {
        SourceRun run = run(exchange);
        if (run.reached() != null && !run.reached().equals(run.started())) {
            watermarks.advance(run.source(), run.reached());
        }
        if (run.transaction != null) {
            transactions.commit(run.transaction);
            run.transaction = null;
        }
        run.stored = false;
        log.info("Job {}: {} records from {}, watermark now {}", jobId(exchange), run.records(), run.source(), run.reached());
    }

    /**
     * On failure (before the job is marked failed): the open transaction rolls back, and what transaction 1 stored
     * is removed, as it belongs to this failed run, not to the next. Does nothing for a route without a run.
     */
    public void rollback(Exchange exchange) {
        SourceRun run = exchange.getProperty(SourceRun.PROPERTY, SourceRun.class);
        if (run == null) {
            return;
        }
        exchange.removeProperty(SourceRun.PROPERTY);
        try {
            if (run.transaction != null && !run.transaction.isCompleted()) {
                transactions.rollback(run.transaction);
            }
        } catch (RuntimeException e) {
            log.debug("rolling back the run of {} failed", run.source(), e);
        }
        run.transaction = null;
        Long jobId = exchange.getIn().getHeader(ExchangeHeaders.JOB_ID, Long.class);
        if (run.stored && jobId != null) {
            try {
                new TransactionTemplate(transactions).executeWithoutResult(status -> jobs.discardOutput(jobId));
            } catch (RuntimeException e) {
                log.warn("Job {}: its stored output could not be removed: {}", jobId, e.getMessage());
            }
        }
    }

    private static SourceRun run(Exchange exchange) {
        SourceRun run = exchange.getProperty(SourceRun.PROPERTY, SourceRun.class);
        if (run == null) {
            throw new IngestException("route " + exchange.getFromRouteId() + " has no source run: call"
                    + " sourceRuns.begin (or peek) after jobs.start");
        }
        return run;
    }

    private static long jobId(Exchange exchange) {
        Long jobId = exchange.getIn().getHeader(ExchangeHeaders.JOB_ID, Long.class);
        if (jobId == null) {
            throw new IngestException("route " + exchange.getFromRouteId() + " runs a source without a job: open one"
                    + " first with jobs.start");
        }
        return jobId;
    }
}
