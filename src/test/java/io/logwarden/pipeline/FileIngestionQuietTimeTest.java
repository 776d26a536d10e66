package io.logwarden.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox reads a file once it has been still for a moment and keeps its results only once it has been still for
 * the whole quiet time: {@link FileIngestion#changeBeforeQuiet} waits the rest after reading, and a change in that
 * time sends the file round again. The "sleep" here is where a writer would act meanwhile.
 */
class FileIngestionQuietTimeTest {

    /** Long, so that a slow machine never makes a fresh file look quiet already (the sleeps are not real). */
    private static final long QUIET = 60_000;

    @TempDir
    Path dir;

    private final List<Long> slept = new ArrayList<>();

    @Test
    void aFileLastChangedLongerAgoThanTheQuietTimeWaitsNothing() throws IOException {
        Path file = writtenAt("old.log", Instant.now().minus(Duration.ofMinutes(10)));
        BasicFileAttributes before = attributes(file);

        assertThat(FileIngestion.changeBeforeQuiet(file, before, QUIET, slept::add)).isNull();
        assertThat(slept).isEmpty();
    }

    @Test
    void aFreshFileWaitsTheRestOfTheQuietTimeAndIsKeptWhenNothingChanged() throws IOException {
        Path file = write("fresh.log", "a line\n");
        BasicFileAttributes before = attributes(file);

        assertThat(FileIngestion.changeBeforeQuiet(file, before, QUIET, slept::add)).isNull();
        assertThat(slept).hasSize(1);
        assertThat(slept.get(0)).isPositive().isLessThanOrEqualTo(QUIET);
    }

    @Test
    void aLineAppendedWithinTheQuietTimeSendsTheFileRoundAgain() throws IOException {
        Path file = write("growing.log", "a line\n");
        BasicFileAttributes before = attributes(file);

        String change = FileIngestion.changeBeforeQuiet(file, before, QUIET, whileWaiting(() ->
                Files.writeString(file, "a late line\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND)));

        assertThat(change).isEqualTo("its size went from 7 to 19 bytes");
    }

    @Test
    void aRewriteOfTheSameSizeWithinTheQuietTimeIsSeenByItsModificationTime() throws IOException {
        Path file = write("rewritten.log", "line A\n");
        BasicFileAttributes before = attributes(file);

        String change = FileIngestion.changeBeforeQuiet(file, before, QUIET, whileWaiting(() -> {
            Files.writeString(file, "line B\n", StandardCharsets.UTF_8);
            // a coarse file-system clock may give the rewrite the same time; a real one moves on
            Files.setLastModifiedTime(file, FileTime.from(before.lastModifiedTime().toInstant().plusMillis(5)));
        }));

        assertThat(change).isEqualTo("it was modified");
    }

    @Test
    void aFileRemovedWithinTheQuietTimeIsReported() throws IOException {
        Path file = write("gone.log", "a line\n");
        BasicFileAttributes before = attributes(file);

        String change = FileIngestion.changeBeforeQuiet(file, before, QUIET, whileWaiting(() -> Files.delete(file)));

        assertThat(change).isEqualTo("it was deleted or renamed");
    }

    @Test
    void aFileThatChangedWhileItWasReadIsReportedWithoutWaiting() throws IOException {
        Path file = write("changed.log", "a line\n");
        BasicFileAttributes before = attributes(file);
        Files.writeString(file, "more\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        assertThat(FileIngestion.changeBeforeQuiet(file, before, QUIET, slept::add))
                .isEqualTo("its size went from 7 to 12 bytes");
        assertThat(slept).isEmpty();
    }

    @Test
    void aModificationTimeInTheFutureWaitsTheQuietTimeAndNoMore() throws IOException {
        Path file = writtenAt("skewed.log", Instant.now().plus(Duration.ofHours(1)));
        BasicFileAttributes before = attributes(file);

        assertThat(FileIngestion.changeBeforeQuiet(file, before, QUIET, slept::add)).isNull();
        assertThat(slept).containsExactly(QUIET);
    }

    private interface Writer {
        void write() throws IOException;
    }

    /** A sleep in which a writer touches the file, once. */
    private LongConsumer whileWaiting(Writer writer) {
        return millis -> {
            slept.add(millis);
            try {
                writer.write();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    /** A one-line file whose modification time is {@code modified}. */
    private Path writtenAt(String name, Instant modified) throws IOException {
        Path file = write(name, "a line\n");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static BasicFileAttributes attributes(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }
}
