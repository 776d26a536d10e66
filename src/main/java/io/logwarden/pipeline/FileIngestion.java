package io.logwarden.pipeline;

import io.logwarden.ingest.EventBatches;
import io.logwarden.ingest.FileChangedException;
import io.logwarden.ingest.IngestException;
import io.logwarden.ingest.LogFileReader;
import io.logwarden.ingest.PrefetchedBatches;
import io.logwarden.ingest.ReadSummary;
import io.logwarden.ingest.SourceNames;

import io.logwarden.config.IngestProperties;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.pipeline.JobLifecycle;
import io.logwarden.pipeline.JobProgress;
import io.logwarden.store.JobRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import io.logwarden.event.LogText;
import java.nio.file.Path;
import io.logwarden.config.StorageProperties;
import io.logwarden.store.DatabaseOutage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
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
    private final Map<Long, BasicFileAttributes> identities = new ConcurrentHashMap<>();
    private final InboxGuard guard;
    private final JobLifecycle lifecycle;
    private final BatchPreparation preparation;
    private final PipelineWarmUp warmUp;
    private final Duration outageWait;
    /** Per file name, when its first job failed for want of the database, and how many times it was retried. */
    private final Map<String, Instant> outageSince = new ConcurrentHashMap<>();
    private final Map<String, Integer> outageRetries = new ConcurrentHashMap<>();

    /**
     * Per inbox path, where the failed file goes, chosen when its reason is written (so both carry the same name).
     * Not a header: a failure inside the splitter is handled on a copy of the exchange.
     */
    private final Map<String, String> chosenTargets = new ConcurrentHashMap<>();

    public FileIngestion(IngestProperties props, LogFileReader reader, JobRepository jobs, JobProgress progress,
                         Clock clock, InboxGuard guard, JobLifecycle lifecycle, StorageProperties storage,
                         BatchPreparation preparation, PipelineWarmUp warmUp) {
        this.preparation = preparation;
        this.warmUp = warmUp;
        this.guard = guard;
        this.lifecycle = lifecycle;
        this.outageWait = storage.outageWait();
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
        warmUp.stop(); // real work has the cores
        exchange.getIn().setHeader(ExchangeHeaders.INPUT, name);
        exchange.getIn().setHeader(ExchangeHeaders.SOURCE, source);
        lifecycle.closeUnclosed();
        // The inbox guard let only regular files through; this catches one replaced by a link since.
        BasicFileAttributes before = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String problem = InboxGuard.problem(name, before);
        long jobId = jobs.start(source, "file", name, before.size());
        exchange.getIn().setHeader(ExchangeHeaders.JOB_ID, jobId);
        if (problem != null) {
            throw new IngestException(problem);
        }
        log.info("Job {} started: {} (source {}, {} bytes)", jobId, LogText.escape(name), LogText.escape(source), before.size());
        identities.put(jobId, before);
        EventBatches batches = reader.open(path, source);
        jobs.progress(jobId, batches.format().description(), 0, 0, 0, 0);
        // Validation and the stateless part of detection run on the reading thread too: both cores share the work.
        PrefetchedBatches prefetched = new PrefetchedBatches(batches, preparation.step());
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

    /**
     * Called once the batches are exhausted: records lines read and reading warnings on the job. A file whose size,
     * modification time or identity (inode) changed while it was read, or within the inbox's quiet time after its
     * last change ({@link #changeBeforeQuiet}), fails its job with a {@link FileChangedException}: it is parked and
     * analysed again by a new job.
     */
    public void summarize(Exchange exchange) throws IOException {
        long jobId = exchange.getIn().getHeader(ExchangeHeaders.JOB_ID, Long.class);
        PrefetchedBatches batches = open.remove(jobId);
        BasicFileAttributes before = identities.remove(jobId);
        if (batches == null) {
            return;
        }
        Path path = Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class));
        String change = before == null ? null : changeBeforeQuiet(path, before, props.quietTime().toMillis(),
                FileIngestion::sleep);
        if (change != null) {
            closeQuietly(batches);
            throw new FileChangedException("the file changed while it was read or within the quiet time after ("
                    + change + "); it is analysed again by a new job once it has stopped changing");
        }
        progress.flush(jobId);
        ReadSummary summary = batches.source().summary();
        jobs.progress(jobId, null, summary.lines(), 0, 0, summary.bytes());
        if (!summary.warnings().isEmpty()) {
            exchange.getIn().setHeader(ExchangeHeaders.WARNINGS, summary.warnings());
        }
        closeQuietly(batches);
    }

    /**
     * How the file changed since {@code before} (null if it did not), once it has kept still for {@code quietMillis}.
     * The inbox's read lock lets a file in after a short stillness (a copy in progress changes it every few
     * milliseconds), so that reading starts at once; the rest of the quiet time is waited here, after reading and
     * before anything of the job is kept, only by a file modified less than that long ago. The content read is then
     * the content of a file that stayed unchanged for the whole quiet time, as if the lock had waited it all first.
     * A modification time in the future waits the quiet time, no more.
     */
    static String changeBeforeQuiet(Path path, BasicFileAttributes before, long quietMillis, LongConsumer sleep)
            throws IOException {
        BasicFileAttributes after = attributes(path);
        String change = change(before, after);
        if (change != null) {
            return change;
        }
        long age = System.currentTimeMillis() - after.lastModifiedTime().toMillis();
        if (age >= quietMillis) {
            return null;
        }
        sleep.accept(Math.min(quietMillis - age, quietMillis));
        return change(before, attributes(path));
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                ? Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS) : null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: the file is checked once more, at once
        }
    }

    static String change(BasicFileAttributes before, BasicFileAttributes after) {
        if (after == null) {
            return "it was deleted or renamed";
        }
        if (before.fileKey() != null && !before.fileKey().equals(after.fileKey())) {
            return "it was replaced by another file of the same name";
        }
        if (before.size() != after.size()) {
            return "its size went from " + before.size() + " to " + after.size() + " bytes";
        }
        if (!before.lastModifiedTime().equals(after.lastModifiedTime())) {
            return "it was modified";
        }
        return null;
    }

    /**
     * Where a processed file goes: a folder per day; a name already archived that day gets the job id in front
     * ({@code 17-app.log}), so no copy overwrites another.
     */
    public String processedTarget(Exchange exchange) {
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        outageSince.remove(name);
        outageRetries.remove(name);
        LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return unique(props.processed().resolve(day.toString()), exchange).toAbsolutePath().toString();
    }

    /**
     * Where a failed file goes: the failed folder, under a name no earlier failure holds (its {@code .reason} beside
     * it has the same name); a file that changed while read is parked in {@code <inbox>/.retry/} instead, and comes
     * back to the inbox to be analysed again.
     */
    public String failedTarget(Exchange exchange) {
        String chosen = chosenTargets.remove(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class));
        if (chosen != null) {
            return chosen;
        }
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        if (failure(exchange) instanceof FileChangedException) {
            return guard.park(name, Duration.ZERO).toAbsolutePath().toString();
        }
        return unique(props.failed(), exchange).toAbsolutePath().toString();
    }

    private static Path unique(Path folder, Exchange exchange) {
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Long jobId = exchange.getIn().getHeader(ExchangeHeaders.JOB_ID, Long.class);
        Path target = folder.resolve(name);
        String prefix = jobId == null ? "" + System.currentTimeMillis() : jobId.toString();
        for (int n = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                || Files.exists(target.resolveSibling(target.getFileName() + ".reason"), LinkOption.NOFOLLOW_LINKS); n++) {
            target = folder.resolve(prefix + (n > 1 ? "-" + n : "") + "-" + name);
        }
        return target;
    }

    /** Why the exchange's job failed: the {@link IngestException} among its causes, or its exception. */
    static Throwable failure(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            error = exchange.getException();
        }
        while (error != null && !(error instanceof IngestException) && error.getCause() != null && error.getCause() != error) {
            error = error.getCause();
        }
        return error;
    }

    /**
     * Writes {@code <name>.reason} beside the failed file (needs no database) and releases the job's reader. A file
     * that changed while read gets no reason: it is analysed again, and its failed job's quarantined records are
     * removed so they are not stored twice.
     */
    public void writeReason(Exchange exchange) throws IOException {
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Long jobId = exchange.getIn().getHeader(ExchangeHeaders.JOB_ID, Long.class);
        String reason = exchange.getIn().getHeader(ExchangeHeaders.FAILURE_REASON, String.class);
        if (jobId != null) {
            identities.remove(jobId);
            PrefetchedBatches batches = open.remove(jobId);
            if (batches != null) {
                closeQuietly(batches);
            }
        }
        Throwable failure = failure(exchange);
        if (failure instanceof FileChangedException) {
            park(exchange, name, Duration.ZERO);
            discardOutput(jobId);
            return;
        }
        if (DatabaseOutage.isOutage(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))
                || DatabaseOutage.isOutage(exchange.getException())) {
            Instant since = outageSince.computeIfAbsent(name, n -> clock.instant());
            if (Duration.between(since, clock.instant()).compareTo(outageWait) < 0) {
                int retry = outageRetries.merge(name, 1, Integer::sum);
                Duration delay = Duration.ofSeconds(Math.min(30, 1L << Math.min(retry, 5)));
                park(exchange, name, delay);
                try {
                    if (jobId != null) jobs.discardOutput(jobId);
                } catch (RuntimeException stillDown) {
                    // done when the job is closed, once the database is back
                }
                log.warn("Job {} ({}): the database is unavailable; the file waits and is read again in {} s, once it"
                        + " answers (up to {} after the first failure, then it goes to the failed folder)",
                        jobId == null ? "-" : jobId, LogText.escape(name), delay.toSeconds(), outageWait);
                return;
            }
            reason = "the database was unavailable for more than " + outageWait.toSeconds() + " s (" + reason + ")";
            outageSince.remove(name);
            outageRetries.remove(name);
        }
        Files.createDirectories(props.failed());
        Path target = unique(props.failed(), exchange);
        chosenTargets.put(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class), target.toAbsolutePath().toString());
        Path reasonFile = target.resolveSibling(target.getFileName() + ".reason");
        String text = "file: " + LogText.escape(name) + "\njob: " + (jobId == null ? "-" : jobId) + "\nfailed at: " + clock.instant()
                + "\nreason: " + reason + "\n\nTo retry, fix the cause and move the file back into "
                + props.inbox().toAbsolutePath() + "\n";
        Files.writeString(reasonFile, text, StandardCharsets.UTF_8);
    }

    private void park(Exchange exchange, String name, Duration delay) throws IOException {
        Path parked = guard.park(name, delay);
        Files.createDirectories(parked.getParent());
        chosenTargets.put(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class), parked.toAbsolutePath().toString());
    }

    private void discardOutput(Long jobId) {
        if (jobId != null) {
            try {
                jobs.discardOutput(jobId);
            } catch (RuntimeException e) {
                log.warn("Job {}: its quarantined records could not be removed: {}", jobId, e.getMessage());
            }
        }
    }

    private static void closeQuietly(PrefetchedBatches batches) {
        try {
            batches.close();
        } catch (IOException e) {
            log.debug("closing a reader failed", e);
        }
    }
}
