package io.logwarden.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.config.IngestProperties;
import io.logwarden.ingest.FileChangedException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Which stillness the inbox waits for before reading a file: a brief one for a large file (whose quiet time is checked
 * after reading), the whole quiet time for a small one or one that changed under its reading before, and for a file
 * dated in the future, no change over one quiet time (Camel's minimum age alone would never let it in).
 */
class InboxReadLockTest {

    private static final long NOW = Instant.parse("2026-12-01T03:00:00Z").toEpochMilli();
    private static final String PATH = "/inbox/app.log";
    private static final long LARGE = InboxReadLock.EARLY_START_BYTES;

    @TempDir
    Path dir;

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void aSmallFileWaitsTheWholeQuietTimeBeforeItIsRead() {
        InboxReadLock lock = new InboxReadLock(quietTime("100ms"));

        assertThat(lock.lockFor(PATH, 0, NOW - 5, NOW).getMinAge()).isEqualTo(100);
        assertThat(lock.lockFor(PATH, LARGE - 1, NOW - 5, NOW).getMinAge()).isEqualTo(100);
    }

    @Test
    void aLargeFileIsReadAfterABriefStillness() {
        InboxReadLock lock = new InboxReadLock(quietTime("100ms"));

        assertThat(lock.lockFor(PATH, LARGE, NOW - 5, NOW).getMinAge())
                .isEqualTo(InboxReadLock.BRIEF_STILLNESS_MILLIS);
    }

    @Test
    void aFileThatChangedUnderItsReadingWaitsTheWholeQuietTimeForAnHourOrUntilReadWhole() throws Exception {
        InboxReadLock lock = new InboxReadLock(quietTime("100ms"));
        Exchange failed = failedWith(new IllegalStateException("job failed",
                new FileChangedException("the file changed while it was read (its size went from 1 to 2 bytes)")));
        GenericFile<File> file = at(PATH);

        lock.releaseExclusiveReadLockOnRollback(null, file, failed);
        long now = System.currentTimeMillis();
        assertThat(lock.lockFor(PATH, LARGE, now - 5, now).getMinAge()).isEqualTo(100);
        assertThat(lock.lockFor("/inbox/other.log", LARGE, now - 5, now).getMinAge())
                .isEqualTo(InboxReadLock.BRIEF_STILLNESS_MILLIS);
        long later = now + InboxReadLock.DISTRUST_MILLIS;
        assertThat(lock.lockFor(PATH, LARGE, later - 5, later).getMinAge())
                .isEqualTo(InboxReadLock.BRIEF_STILLNESS_MILLIS);

        lock.releaseExclusiveReadLockOnRollback(null, file, failed);
        lock.releaseExclusiveReadLockOnCommit(null, file, new DefaultExchange(camel));
        assertThat(lock.lockFor(PATH, LARGE, now - 5, now).getMinAge())
                .isEqualTo(InboxReadLock.BRIEF_STILLNESS_MILLIS);
    }

    @Test
    void aJobThatFailedForAnotherReasonLeavesTheFileTrusted() throws Exception {
        InboxReadLock lock = new InboxReadLock(quietTime("100ms"));
        Exchange failed = failedWith(new IllegalStateException("no events"));
        GenericFile<File> file = at(PATH);

        lock.releaseExclusiveReadLockOnRollback(null, file, failed);

        assertThat(lock.lockFor(PATH, LARGE, NOW - 5, NOW).getMinAge())
                .isEqualTo(InboxReadLock.BRIEF_STILLNESS_MILLIS);
    }

    @Test
    void aQuietTimeShorterThanTheBriefStillnessHoldsForLargeFilesToo() {
        InboxReadLock lock = new InboxReadLock(quietTime("10ms"));

        assertThat(lock.lockFor(PATH, 1L << 30, NOW - 5, NOW).getMinAge()).isEqualTo(10);
        assertThat(lock.lockFor(PATH, 10, NOW - 5, NOW).getMinAge()).isEqualTo(10);
    }

    @Test
    void aFileDatedInTheFutureIsReadOnceUnchangedOverOneQuietTime() {
        InboxReadLock lock = new InboxReadLock(quietTime("100ms"));

        assertThat(lock.lockFor(PATH, 10, NOW + 60_000, NOW).getMinAge()).isZero();
        assertThat(lock.lockFor(PATH, 10, NOW + 60_000, NOW).getCheckInterval()).isEqualTo(100);
    }

    @Test
    void aStillFileIsLockedWithAMarkerThatItsReleaseRemoves() throws Exception {
        Path file = Files.writeString(dir.resolve("old.log"), "a line\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
        InboxReadLock lock = new InboxReadLock(quietTime("100ms"));
        Exchange exchange = new DefaultExchange(camel);
        GenericFile<File> found = found(file);

        assertThat(lock.acquireExclusiveReadLock(null, found, exchange)).isTrue();
        assertThat(dir.resolve("old.log.camelLock")).exists();

        lock.releaseExclusiveReadLockOnCommit(null, found, exchange);
        assertThat(dir.resolve("old.log.camelLock")).doesNotExist();
    }

    @Test
    void aFileDatedInTheFutureIsLockedRatherThanSkippedForever() throws Exception {
        Path file = Files.writeString(dir.resolve("skewed.log"), "a line\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plus(Duration.ofHours(1))));
        InboxReadLock lock = new InboxReadLock(quietTime("50ms"));
        lock.setTimeout(2_000);
        Exchange exchange = new DefaultExchange(camel);

        assertThat(lock.acquireExclusiveReadLock(null, found(file), exchange)).isTrue();
    }

    private Exchange failedWith(Exception error) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setException(error);
        return exchange;
    }

    private static GenericFile<File> at(String path) {
        GenericFile<File> file = new GenericFile<>();
        file.setAbsoluteFilePath(path);
        return file;
    }

    private static GenericFile<File> found(Path file) throws IOException {
        GenericFile<File> found = new GenericFile<>();
        found.setFile(file.toFile());
        found.setAbsoluteFilePath(file.toAbsolutePath().toString());
        found.setFileName(file.getFileName().toString());
        found.setFileNameOnly(file.getFileName().toString());
        found.setFileLength(Files.size(file));
        found.setLastModified(Files.getLastModifiedTime(file).toMillis());
        return found;
    }

    private static IngestProperties quietTime(String value) {
        return new Binder(new MapConfigurationPropertySource(Map.of("logwarden.ingest.quiet-time", value)))
                .bindOrCreate("logwarden.ingest", IngestProperties.class);
    }
}
