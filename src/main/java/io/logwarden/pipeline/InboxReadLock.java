package io.logwarden.pipeline;

import io.logwarden.config.IngestProperties;
import io.logwarden.ingest.FileChangedException;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileExclusiveReadLockStrategy;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.strategy.FileChangedExclusiveReadLockStrategy;
import org.springframework.stereotype.Component;

/**
 * The inbox's read lock ({@code exclusiveReadLockStrategy: "#inboxReadLock"}): a file is read once it has stopped
 * changing, as Camel's {@code changed} lock decides, with a minimum age chosen per file.
 *
 * <ul>
 *   <li>A file of {@link #EARLY_START_BYTES} or more when found is read once it has been still for
 *       {@link #BRIEF_STILLNESS_MILLIS} (a copy in progress changes it every few milliseconds), and the rest of the
 *       quiet time ({@code logwarden.ingest.quiet-time}, 100 ms) goes by while it is read:
 *       {@link FileIngestion#changeBeforeQuiet} keeps its results only if it was still unchanged once the quiet time
 *       was over, and otherwise sends it round again, whole.</li>
 *   <li>A smaller one waits the whole quiet time before it is read: it reads in less than that, so starting sooner
 *       would only move the wait. So does a file still growing when found (a copy under way is small then), and one
 *       that changed under its reading before (its job failed with a {@link FileChangedException}), for an hour or
 *       until it is read whole: a writer that renames a file in before it is done, or pauses a copy for longer than
 *       the brief stillness, costs one job that is read again, not one at each pause.</li>
 * </ul>
 * Either way a job's results come from a file left unchanged for the whole quiet time. A file whose modification time
 * is in the future (copied with its times from a machine whose clock is ahead) would never be old enough for Camel's
 * minimum age: it is read once its size and time have not changed over one quiet time. Routes watching other folders
 * may share it (it keeps nothing per file but the paths of files that changed under their reading).
 */
@Component("inboxReadLock")
public class InboxReadLock implements GenericFileExclusiveReadLockStrategy<File> {

    /** From this size on (when found), reading takes longer than the quiet time, and may start early. */
    static final long EARLY_START_BYTES = 8L << 20;
    /**
     * How long a large file must have been still before it is read: longer than a copy's pauses between writes, and
     * three ticks of the coarsest file-system clocks (10 ms on a 100 Hz kernel), so that any write after reading began
     * gives the file a later modification time, which the check after reading sees.
     */
    static final long BRIEF_STILLNESS_MILLIS = 30;
    /** How often a file that is not yet still is looked at again. */
    private static final long CHECK_INTERVAL_MILLIS = 10;
    /** How long one poll waits for a file to become still before leaving it for the next poll. */
    private static final long TIMEOUT_MILLIS = 10_000;
    /** How long a file that changed under its reading waits the whole quiet time first. */
    static final long DISTRUST_MILLIS = 3_600_000;
    /** Paths remembered at most; past this, memories older than an hour are dropped, and all if that is not enough. */
    private static final int DISTRUSTED_MAX = 10_000;

    private final FileChangedExclusiveReadLockStrategy whole;
    private final FileChangedExclusiveReadLockStrategy brief;
    private final FileChangedExclusiveReadLockStrategy unchangedOverQuiet;
    private final List<FileChangedExclusiveReadLockStrategy> all;
    /** Absolute path → when the file at it last changed under its reading. */
    private final Map<String, Long> changedWhileRead = new ConcurrentHashMap<>();

    public InboxReadLock(IngestProperties props) {
        long quiet = Math.max(1, props.quietTime().toMillis());
        this.whole = stillFor(quiet, CHECK_INTERVAL_MILLIS);
        this.brief = stillFor(Math.min(BRIEF_STILLNESS_MILLIS, quiet), CHECK_INTERVAL_MILLIS);
        this.unchangedOverQuiet = stillFor(0, quiet); // no minimum age: the same size and time at two looks
        this.all = List.of(whole, brief, unchangedOverQuiet);
    }

    private static FileChangedExclusiveReadLockStrategy stillFor(long minAge, long checkInterval) {
        FileChangedExclusiveReadLockStrategy lock = new FileChangedExclusiveReadLockStrategy();
        lock.setMinAge(minAge);
        lock.setMinLength(0); // empty files too: their job fails with a reason instead of the file waiting forever
        lock.setCheckInterval(checkInterval);
        lock.setTimeout(TIMEOUT_MILLIS);
        return lock;
    }

    /** The lock a file waits on: at {@code path}, found at {@code length} bytes, modified at {@code lastModified}. */
    FileChangedExclusiveReadLockStrategy lockFor(String path, long length, long lastModified, long now) {
        if (lastModified > now) {
            return unchangedOverQuiet;
        }
        return length >= EARLY_START_BYTES && !distrusted(path, now) ? brief : whole;
    }

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<File> operations, GenericFile<File> file,
                                            Exchange exchange) throws Exception {
        long now = System.currentTimeMillis();
        return lockFor(file.getAbsoluteFilePath(), file.getFileLength(), file.getLastModified(), now)
                .acquireExclusiveReadLock(operations, file, exchange);
    }

    private boolean distrusted(String path, long now) {
        Long since = changedWhileRead.get(path);
        if (since == null) return false;
        if (now - since < DISTRUST_MILLIS) return true;
        changedWhileRead.remove(path, since);
        return false;
    }

    /** Remembers that the file at {@code path} changed under its reading: its next reads wait the whole quiet time. */
    private void distrust(String path, long now) {
        if (changedWhileRead.size() >= DISTRUSTED_MAX) {
            changedWhileRead.values().removeIf(since -> now - since >= DISTRUST_MILLIS);
            if (changedWhileRead.size() >= DISTRUSTED_MAX) changedWhileRead.clear();
        }
        changedWhileRead.put(path, now);
    }

    // The locks keep the same marker file per file and nothing else, so any of them releases it.

    @Override
    public void prepareOnStartup(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint)
            throws Exception {
        whole.prepareOnStartup(operations, endpoint);
    }

    @Override
    public void releaseExclusiveReadLockOnAbort(GenericFileOperations<File> operations, GenericFile<File> file,
                                                Exchange exchange) throws Exception {
        whole.releaseExclusiveReadLockOnAbort(operations, file, exchange);
    }

    @Override
    public void releaseExclusiveReadLockOnRollback(GenericFileOperations<File> operations, GenericFile<File> file,
                                                   Exchange exchange) throws Exception {
        if (FileIngestion.failure(exchange) instanceof FileChangedException) {
            distrust(file.getAbsoluteFilePath(), System.currentTimeMillis());
        }
        whole.releaseExclusiveReadLockOnRollback(operations, file, exchange);
    }

    @Override
    public void releaseExclusiveReadLockOnCommit(GenericFileOperations<File> operations, GenericFile<File> file,
                                                 Exchange exchange) throws Exception {
        changedWhileRead.remove(file.getAbsoluteFilePath()); // read whole: the next file of this name starts afresh
        whole.releaseExclusiveReadLockOnCommit(operations, file, exchange);
    }

    @Override
    public void setTimeout(long timeout) {
        all.forEach(lock -> lock.setTimeout(timeout));
    }

    /** The interval of the locks that wait for an age; the one for future times looks once a quiet time. */
    @Override
    public void setCheckInterval(long checkInterval) {
        whole.setCheckInterval(checkInterval);
        brief.setCheckInterval(checkInterval);
    }

    @Override
    public void setReadLockLoggingLevel(LoggingLevel level) {
        all.forEach(lock -> lock.setReadLockLoggingLevel(level));
    }

    @Override
    public void setMarkerFiler(boolean markerFile) {
        all.forEach(lock -> lock.setMarkerFiler(markerFile));
    }

    @Override
    public void setDeleteOrphanLockFiles(boolean deleteOrphanLockFiles) {
        all.forEach(lock -> lock.setDeleteOrphanLockFiles(deleteOrphanLockFiles));
    }
}
