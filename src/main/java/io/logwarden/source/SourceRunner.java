package io.logwarden.source;

import io.logwarden.detect.DetectionResult;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.event.LogEvent;
import io.logwarden.pipeline.JobProgress;
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
 * Runs one job of a database, REST or Kafka source in two transactions with the LLM between them, so that no
 * transaction or row lock is held while a model answers. The first holds the watermark's row lock while the
 * records are read (SQL) or handed over (REST, read before), validated and judged; the second checks that the
 * watermark is still where the run started, stores the anomalies and reports' records, closes the job and advances
 * the watermark. A run that fails or crashes after the first leaves its output removed (here, or by the start-up
 * recovery for a crash) and the watermark where it was: the next run reads the same records again. Report files are the exception (a file system is not transactional): a run rolled back after
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
        Watermark[] started = new Watermark[1];
        Watermark[] reached = new Watermark[1];
        long[] records = {0};
        DetectionResult found = transaction.execute(status -> {
            Watermark from = watermarks.lock(source, kind).orElse(initial);
            started[0] = from;
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
            reached[0] = to;
            progress.flush(jobId);
            jobs.progress(jobId, kind, records[0], 0, 0, 0);
            if (records[0] == 0) {
                // Nothing new: no detection to finish, no report files; the job stays, as 'empty', so runs show.
                jobs.empty(jobId, null);
                log.info("Job {}: nothing new from {} (watermark {}); kept as empty, no report", jobId, source,
                        from.timestamp());
                return null;
            }
            return producer.requestBodyAndHeaders("direct:detect-job", null, headers, DetectionResult.class);
        });
        if (found == null) {
            return jobId;
        }
        try {
            // Outside any transaction: the LLM may take its time (and its timeouts and retries).
            DetectionResult explained = producer.requestBodyAndHeaders("direct:enrich", found, headers, DetectionResult.class);
            transaction.executeWithoutResult(status -> {
                Watermark now = watermarks.lock(source, kind).orElse(initial);
                if (!now.equals(started[0])) {
                    throw new IngestException("another run of source " + source + " stored records while this one was"
                            + " judged; this run ends without storing, the next one reads on from the new watermark");
                }
                producer.requestBodyAndHeaders("direct:publish", explained, headers);
                if (reached[0] != null && !reached[0].equals(started[0])) {
                    watermarks.advance(source, reached[0]);
                }
            });
        } catch (RuntimeException e) {
            // The first transaction stored quarantined records: they belong to this failed run, not to the next.
            transaction.executeWithoutResult(status -> jobs.discardOutput(jobId));
            throw e;
        }
        log.info("Job {}: {} records from {}, watermark now {}", jobId, records[0], source, reached[0]);
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
