package io.logwarden.source;

import io.logwarden.event.ExchangeHeaders;
import io.logwarden.event.LogEvent;
import io.logwarden.job.JobProgress;
import io.logwarden.store.JobRepository;
import io.logwarden.store.WatermarkRepository;
import io.logwarden.store.WatermarkRepository.Watermark;
import io.logwarden.ingest.IngestException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one job of a database, REST or Kafka source. Everything the job stores — quarantined records, templates,
 * anomalies, reports' records, the job's success — and the source's new watermark are written in one
 * transaction: a run that fails or crashes halfway leaves no trace but its failed job, and the next run reads the
 * same records again. Report files are the exception (a file system is not transactional): a run rolled back after
 * writing them leaves them orphaned, and the retry writes its own. A run that read nothing new is kept as an
 * {@code empty} job and writes no report.
 */
@Component
public class SourceRunner {

    /** Reads a source's records after a watermark, in batches, and returns the position of the last one read. */
    @FunctionalInterface
    public interface Reader {
        Watermark read(Watermark from, Consumer<List<LogEvent>> batches) throws Exception;
    }

    /** Who started the run: the route's schedule (default) or a person ("manual"). */
    public static final String TRIGGER = "logwardenTrigger";
    /** The source a run-now request names. */
    public static final String SOURCE_NAME = "logwardenSourceName";

    private static final Logger log = LoggerFactory.getLogger(SourceRunner.class);

    private final ProducerTemplate producer;
    private final JobRepository jobs;
    private final JobProgress progress;
    private final WatermarkRepository watermarks;
    private final TransactionTemplate transaction;

    public SourceRunner(ProducerTemplate producer, JobRepository jobs, JobProgress progress,
                        WatermarkRepository watermarks, PlatformTransactionManager transactions) {
        this.producer = producer;
        this.jobs = jobs;
        this.progress = progress;
        this.watermarks = watermarks;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * Starts the job (committed at once, so a failure is recorded), puts its headers on the exchange for the
     * source-errors handler, then reads, analyzes, finishes and advances the watermark in one transaction.
     */
    public long run(Exchange exchange, String source, String kind, Watermark initial, Reader reader) {
        return run(exchange, source, kind, initial, reader, false);
    }

    /**
     * As {@link #run(Exchange, String, String, Watermark, Reader)}; with {@code readFirst} the reader runs before
     * the transaction (its records held in memory), so no transaction or row lock is held while it waits on the
     * network (a REST API's pages, its retries and backoff). If another run of the source advanced the watermark
     * meanwhile, this run ends without storing anything and the next one reads on from there.
     */
    public long run(Exchange exchange, String source, String kind, Watermark initial, Reader reader, boolean readFirst) {
        String trigger = exchange.getIn().getHeader(TRIGGER, "schedule", String.class);
        long jobId = jobs.start(source, trigger, source, null);
        exchange.getIn().setHeader(ExchangeHeaders.JOB_ID, jobId);
        exchange.getIn().setHeader(ExchangeHeaders.SOURCE, source);
        exchange.getIn().setHeader(ExchangeHeaders.INPUT, source);
        Map<String, Object> headers = new HashMap<>();
        headers.put(ExchangeHeaders.JOB_ID, jobId);
        headers.put(ExchangeHeaders.SOURCE, source);
        headers.put(ExchangeHeaders.INPUT, source);
        log.info("Job {} started: {} source {} ({})", jobId, kind, source, trigger);
        Watermark readFrom = null;
        List<List<LogEvent>> read = new ArrayList<>();
        Watermark readTo = null;
        if (readFirst) {
            readFrom = watermarks.find(source).orElse(initial);
            readTo = read(reader, readFrom, read::add);
        }
        Watermark prefetchedFrom = readFrom;
        Watermark prefetchedTo = readTo;
        transaction.executeWithoutResult(status -> {
            Watermark from = watermarks.lock(source, kind).orElse(initial);
            long[] records = {0};
            Watermark to;
            Consumer<List<LogEvent>> analyze = batch -> {
                records[0] += batch.size();
                producer.requestBodyAndHeaders("direct:analyze", batch, headers);
            };
            if (readFirst) {
                if (!from.equals(prefetchedFrom)) {
                    throw new IngestException("another run of source " + source + " stored records while this one read;"
                            + " this run ends without storing, the next one reads on from the new watermark");
                }
                read.forEach(analyze);
                to = prefetchedTo;
            } else {
                to = read(reader, from, analyze);
            }
            progress.flush(jobId);
            jobs.progress(jobId, kind, records[0], 0, 0, 0);
            if (records[0] == 0) {
                // Nothing new: no detection to finish, no report files; the job stays, as 'empty', so runs show.
                jobs.empty(jobId, null);
                log.info("Job {}: nothing new from {} (watermark {}); kept as empty, no report", jobId, source,
                        from.timestamp());
                return;
            }
            producer.requestBodyAndHeaders("direct:finish-job", null, headers);
            if (to != null && !to.equals(from)) {
                watermarks.advance(source, to);
            }
            log.info("Job {}: {} records from {}, watermark now {}", jobId, records[0], source, to);
        });
        return jobId;
    }

    private static Watermark read(Reader reader, Watermark from, Consumer<List<LogEvent>> batches) {
        try {
            return reader.read(from, batches);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new org.apache.camel.RuntimeCamelException(e);
        }
    }
}
