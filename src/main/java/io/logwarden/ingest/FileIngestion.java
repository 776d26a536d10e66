package io.logwarden.ingest;

import io.logwarden.config.IngestProperties;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.job.JobLifecycle;
import io.logwarden.job.JobProgress;
import io.logwarden.store.JobRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The file source's bean: opens a picked-up file as a job and a stream of event batches, sums the job up when
 * the stream is exhausted, and says where the file goes afterwards (processed, or failed with a reason beside it).
 */
@Component("fileIngestion")
public class FileIngestion {

    private static final Logger log = LoggerFactory.getLogger(FileIngestion.class);

    private final IngestProperties props;
    private final LogFileReader reader;
    private final JobRepository jobs;
    private final JobProgress progress;
    private final Clock clock;
    private final Map<Long, PrefetchedBatches> open = new ConcurrentHashMap<>();

    public FileIngestion(IngestProperties props, LogFileReader reader, JobRepository jobs, JobProgress progress,
                         Clock clock) {
        this.progress = progress;
        this.props = props;
        this.reader = reader;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Starts the file's job and returns its events as a stream of batches for the splitter. */
    public PrefetchedBatches open(Exchange exchange) throws IOException {
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Path path = Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class));
        String source = SourceNames.forFile(name);
        exchange.getIn().setHeader(ExchangeHeaders.INPUT, name);
        exchange.getIn().setHeader(ExchangeHeaders.SOURCE, source);
        long jobId = jobs.start(source, "file", name, Files.size(path));
        exchange.getIn().setHeader(ExchangeHeaders.JOB_ID, jobId);
        log.info("Job {} started: {} (source {}, {} bytes)", jobId, name, source, Files.size(path));
        EventBatches batches = reader.open(path, source);
        jobs.progress(jobId, batches.format().description(), 0, 0, 0, 0);
        PrefetchedBatches prefetched = new PrefetchedBatches(batches);
        open.put(jobId, prefetched);
        return prefetched;
    }

    /** Before each batch: how far into the file the reader is, for the job's progress. */
    public void markProgress(Exchange exchange) {
        PrefetchedBatches batches = open.get(exchange.getIn().getHeader(ExchangeHeaders.JOB_ID, Long.class));
        if (batches != null) {
            exchange.getIn().setHeader(ExchangeHeaders.BYTES_READ, batches.source().summary().bytes());
        }
    }

    /** Called once the batches are exhausted: records lines read and reading warnings on the job. */
    public void summarize(Exchange exchange) {
        long jobId = exchange.getIn().getHeader(ExchangeHeaders.JOB_ID, Long.class);
        PrefetchedBatches batches = open.remove(jobId);
        if (batches == null) {
            return;
        }
        progress.flush(jobId);
        ReadSummary summary = batches.source().summary();
        jobs.progress(jobId, null, summary.lines(), 0, 0, summary.bytes());
        if (!summary.warnings().isEmpty()) {
            exchange.getIn().setHeader(JobLifecycle.WARNINGS, summary.warnings());
        }
        closeQuietly(batches);
    }

    /** Where a processed file goes: a folder per day, so a file dropped again on another day keeps both copies. */
    public String processedTarget(@Header(Exchange.FILE_NAME_ONLY) String name) {
        LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return props.processed().resolve(day.toString()).resolve(name).toAbsolutePath().toString();
    }

    public String failedTarget(@Header(Exchange.FILE_NAME_ONLY) String name) {
        return props.failed().resolve(name).toAbsolutePath().toString();
    }

    /** Writes {@code <name>.reason} beside the failed file and releases the job's reader. */
    public void writeReason(Exchange exchange) throws IOException {
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Long jobId = exchange.getIn().getHeader(ExchangeHeaders.JOB_ID, Long.class);
        String reason = exchange.getIn().getHeader(JobLifecycle.FAILURE_REASON, String.class);
        if (jobId != null) {
            PrefetchedBatches batches = open.remove(jobId);
            if (batches != null) {
                closeQuietly(batches);
            }
        }
        Files.createDirectories(props.failed());
        Path reasonFile = props.failed().resolve(name + ".reason");
        String text = "file: " + name + "\njob: " + (jobId == null ? "-" : jobId) + "\nfailed at: " + clock.instant()
                + "\nreason: " + reason + "\n\nTo retry, fix the cause and move the file back into "
                + props.inbox().toAbsolutePath() + "\n";
        Files.writeString(reasonFile, text, StandardCharsets.UTF_8);
    }

    private static void closeQuietly(PrefetchedBatches batches) {
        try {
            batches.close();
        } catch (IOException e) {
            log.debug("closing a reader failed", e);
        }
    }
}
