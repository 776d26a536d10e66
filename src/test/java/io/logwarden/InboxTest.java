package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logwarden.store.Job;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * File identity and hostile inbox entries: the same name twice, a file changed while read, symbolic links, names
 * that used to jam the inbox, and many files at once. Same service (and context) as {@link FilePipelineTest}.
 */
class InboxTest extends ServiceTestSupport {

    @Test
    void theSameNameDroppedTwiceKeepsBothArchivedCopies() throws IOException {
        byte[] first = steadyAppLog(Instant.parse("2026-08-01T08:00:00Z"), 6).toString().getBytes(StandardCharsets.UTF_8);
        byte[] second = steadyAppLog(Instant.parse("2026-08-02T08:00:00Z"), 7).toString().getBytes(StandardCharsets.UTF_8);
        drop("twice.log", first);
        Job one = awaitJob("twice.log");
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(DIR.resolve("inbox/twice.log")));
        drop("twice.log", second);
        await().atMost(Duration.ofSeconds(90)).until(() -> latestJob("twice.log").filter(j -> j.id() != one.id()
                && !j.status().equals(Job.RUNNING)).isPresent());
        Job two = latestJob("twice.log").orElseThrow();
        assertThat(two.status()).isEqualTo(Job.SUCCEEDED);
        Path day = DIR.resolve("processed").resolve(LocalDate.now(ZoneOffset.UTC).toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(day.resolve(two.id() + "-twice.log")));
        assertThat(Files.readAllBytes(day.resolve("twice.log"))).isEqualTo(first);
        assertThat(Files.readAllBytes(day.resolve(two.id() + "-twice.log"))).isEqualTo(second);
    }

    @Test
    void aFileReplacedWhileReadIsAnalysedAgainWhole() throws Exception {
        StringBuilder big = new StringBuilder();
        Instant start = Instant.parse("2026-08-03T00:00:00Z");
        for (int i = 0; i < 250_000; i++) {
            big.append(APP_TS.format(start.plusMillis(i * 20L))).append(i % 500 == 0 ? " BOGUS" : " INFO")
                    .append(" [main] com.acme.Feed - item ").append(i).append(" stored\n");
        }
        Path inbox = DIR.resolve("inbox");
        drop("changing.log", big.toString().getBytes(StandardCharsets.UTF_8));
        Job first = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> latestJob("changing.log"), j -> j.isPresent()).orElseThrow();
        // The writer appends while the job reads.
        try (OutputStream out = Files.newOutputStream(inbox.resolve("changing.log"), StandardOpenOption.APPEND)) {
            out.write((APP_TS.format(start.plusSeconds(7200)) + " INFO [main] com.acme.Feed - late line\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        Job failed = await().atMost(Duration.ofSeconds(90)).until(() -> jobs.find(first.id()).orElseThrow(),
                j -> !j.status().equals(Job.RUNNING));
        assertThat(failed.status()).isEqualTo(Job.FAILED);
        assertThat(failed.error()).contains("changed while it was read", "size went from");
        Job again = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> latestJob("changing.log"), j -> j.isPresent() && j.get().id() != first.id()
                        && !j.get().status().equals(Job.RUNNING)).orElseThrow();
        assertThat(again.status()).isEqualTo(Job.SUCCEEDED);
        assertThat(again.linesRead()).isEqualTo(250_001);
        assertThat(jdbc.sql("select count(*) from quarantine where job_id = :id").param("id", first.id())
                .query(Long.class).single()).isZero();
        assertThat(Files.exists(DIR.resolve("failed").resolve("changing.log"))).isFalse();
    }

    @Test
    void aSymbolicLinkIsNeverFollowed() throws IOException {
        Path secret = Files.createTempFile("owner-only", ".log");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(secret, steadyAppLog(Instant.parse("2026-08-04T08:00:00Z"), 3).toString()
                .replace("order", "secret-order"));
        Files.createSymbolicLink(DIR.resolve("inbox").resolve("linked.log"), secret);
        Path reason = DIR.resolve("failed").resolve("rejected-linked.log.reason");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reason));
        assertThat(Files.readString(reason)).contains("file: linked.log", "symbolic link", "never followed");
        assertThat(Files.isSymbolicLink(DIR.resolve("failed").resolve("rejected-linked.log"))).isTrue();
        assertThat(latestJob("linked.log")).isEmpty();
        assertThat(jdbc.sql("select count(*) from quarantine where raw like '%secret-order%'").query(Long.class).single()).isZero();
        assertThat(Files.exists(secret)).isTrue();
    }

    @Test
    void hostileNamesGoToFailedUnderASafeNameAndNeverJamTheInbox() throws IOException {
        byte[] content = steadyAppLog(Instant.parse("2026-08-05T08:00:00Z"), 3).toString().getBytes(StandardCharsets.UTF_8);
        String longName = "a".repeat(246) + ".log";
        List<String> names = List.of(longName, "back\\slash.log", "forged\n2026-01-01 ERROR admin logged in.log",
                "bell\u0007.log");
        for (String name : names) {
            drop(name, content);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> reasons().size() >= names.size());
        String all = String.join("\n---\n", reasons().stream().map(p -> {
            try {
                return p.getFileName() + "\n" + Files.readString(p);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }).toList());
        assertThat(all).contains("file name too long", "backslash", "control character (U+000A)", "control character (U+0007)",
                "file: forged\\n2026-01-01 ERROR admin logged in.log");
        for (Path reason : reasons()) {
            assertThat(reason.getFileName().toString()).matches("rejected-[A-Za-z0-9._-]+\\.reason");
            Path moved = reason.resolveSibling(reason.getFileName().toString().replaceFirst("\\.reason$", ""));
            assertThat(moved).exists();
        }
        try (Stream<Path> left = Files.list(DIR.resolve("inbox"))) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .filter(n -> names.contains(n))).isEmpty();
        }
    }

    @Test
    void twoHundredFilesAtOnceAreEachAnalysedOnce() throws IOException {
        Path staging = Files.createDirectories(DIR.resolve("staging"));
        for (int i = 0; i < 200; i++) {
            Files.writeString(staging.resolve("many-" + i + ".log"),
                    steadyAppLog(Instant.parse("2026-08-06T08:00:00Z").plusSeconds(i * 3600L), 2).toString());
        }
        try (Stream<Path> files = Files.list(staging)) {
            for (Path f : files.toList()) {
                Files.move(f, DIR.resolve("inbox").resolve(f.getFileName()));
            }
        }
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).until(() ->
                jdbc.sql("select count(*) from jobs where input like 'many-%' and status <> 'running'").query(Long.class).single() == 200);
        assertThat(jdbc.sql("select count(*) from jobs where input like 'many-%' and status = 'succeeded'")
                .query(Long.class).single()).isEqualTo(200);
        assertThat(jdbc.sql("select count(distinct input) from jobs where input like 'many-%'").query(Long.class).single())
                .isEqualTo(200);
    }

    private static List<Path> reasons() throws IOException {
        try (Stream<Path> files = Files.list(DIR.resolve("failed"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("rejected-")
                    && p.getFileName().toString().endsWith(".reason") && !p.getFileName().toString().contains("linked")).toList();
        }
    }
}
