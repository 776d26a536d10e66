package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileReaderTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final IngestSettings settings = IngestSettings.defaults();
    private final LogFileReader reader = new LogFileReader(settings, new FormatRegistry(settings, CLOCK), CLOCK);

    @Test
    void foldsJavaStackTracesIntoTheEventOfTheirFirstLine() throws IOException {
        Path file = write("app.log", String.join("\n",
                "2026-01-15 10:00:00,001 INFO [main] com.shop.Api - request ok",
                "2026-01-15 10:00:00,002 ERROR [main] com.shop.Api - request failed",
                "java.lang.IllegalStateException: pool exhausted",
                "\tat com.shop.Pool.get(Pool.java:42)",
                "\tat com.shop.Api.handle(Api.java:7)",
                "\tSuppressed: java.io.IOException: close failed",
                "\t\tat com.shop.Pool.close(Pool.java:50)",
                "Caused by: java.net.SocketTimeoutException: connect timed out",
                "\tat java.base/java.net.Socket.connect(Socket.java:633)",
                "\t... 12 more",
                "2026-01-15 10:00:00,003 INFO [main] com.shop.Api - request ok",
                ""));
        List<LogEvent> events = readAll(file);
        assertThat(events).hasSize(3);
        LogEvent error = events.get(1);
        assertThat(error.level()).isEqualTo(Level.ERROR);
        assertThat(error.ref().line()).isEqualTo(2);
        assertThat(error.message()).startsWith("request failed\njava.lang.IllegalStateException: pool exhausted\n\tat com.shop.Pool.get")
                .endsWith("\t... 12 more");
        assertThat(error.raw().split("\n")).hasSize(9);
        assertThat(events.get(2).ref().line()).isEqualTo(11);
        assertThat(events.get(2).ref().origin()).isEqualTo(file.getFileName().toString());
    }

    @Test
    void foldsPythonTracebacksIncludingTheFinalExceptionLine() throws IOException {
        Path file = write("worker.log", String.join("\n",
                "2026-01-15 10:00:00,001 INFO worker.jobs: job 1 done",
                "2026-01-15 10:00:00,002 ERROR worker.jobs: job 2 failed",
                "Traceback (most recent call last):",
                "  File \"/app/worker/jobs.py\", line 10, in run",
                "    result = int(value)",
                "ValueError: invalid literal for int() with base 10: 'abc'",
                "2026-01-15 10:00:00,003 INFO worker.jobs: job 3 done"));
        List<LogEvent> events = readAll(file);
        assertThat(events).hasSize(3);
        assertThat(events.get(1).message()).isEqualTo("job 2 failed\nTraceback (most recent call last):\n"
                + "  File \"/app/worker/jobs.py\", line 10, in run\n    result = int(value)\n"
                + "ValueError: invalid literal for int() with base 10: 'abc'");
        assertThat(events.get(2).message()).isEqualTo("job 3 done");
    }

    @Test
    void linesThatMatchNothingAndContinueNothingCarryAParseError() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5; i++) text.append("Oct 11 22:14:1").append(i).append(" host cron[1]: tick\n");
        text.append("garbage without structure\n");
        text.append("Oct 11 22:14:20 host cron[1]: tick\n");
        List<LogEvent> events = readAll(write("sys.log", text.toString()));
        assertThat(events).hasSize(7);
        LogEvent bad = events.get(5);
        assertThat(bad.timestamp()).isNull();
        assertThat(bad.message()).isEqualTo("garbage without structure");
        assertThat(bad.attributes()).containsEntry("parse.error", "line does not match format syslog");
        assertThat(bad.ref().line()).isEqualTo(6);
    }

    @Test
    void readsGzipByItsMagicBytesWhateverTheName() throws IOException {
        String text = lines(5000);
        Path file = dir.resolve("app.log.1");
        Files.write(file, gzip(text.getBytes(StandardCharsets.UTF_8)));
        try (EventBatches batches = reader.open(file, "app")) {
            long n = 0;
            while (batches.hasNext()) n += batches.next().size();
            assertThat(n).isEqualTo(5000);
            ReadSummary summary = batches.summary();
            assertThat(summary.gzip()).isTrue();
            assertThat(summary.format()).isEqualTo("app");
            assertThat(summary.lines()).isEqualTo(5000);
            assertThat(summary.bytes()).isEqualTo(Files.size(file));
            assertThat(summary.finished()).isTrue();
        }
    }

    @Test
    void truncatedGzipFailsNamingTheLastCompleteLine() throws IOException {
        byte[] full = gzip(lines(200_000).getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("app.log.gz");
        Files.write(file, Arrays.copyOf(full, full.length / 2));
        EventBatches batches = reader.open(file, "app");
        List<List<LogEvent>> seen = new ArrayList<>();
        assertThatThrownBy(() -> {
            while (batches.hasNext()) seen.add(batches.next());
        }).isInstanceOf(IngestException.class)
                .hasMessageMatching("truncated gzip: unexpected end of compressed data after line \\d+");
        assertThat(seen).isNotEmpty();
        batches.close();
    }

    @Test
    void rejectsEmptyAndBinaryFiles() throws IOException {
        assertThatThrownBy(() -> reader.open(write("empty.log", ""), "x")).isInstanceOf(IngestException.class).hasMessage("empty file");
        Path emptyGz = dir.resolve("empty.log.gz");
        Files.write(emptyGz, gzip(new byte[0]));
        assertThatThrownBy(() -> reader.open(emptyGz, "x")).isInstanceOf(IngestException.class).hasMessage("empty file");
        assertThatThrownBy(() -> reader.open(write("blank.log", "\n\n  \n"), "x")).isInstanceOf(IngestException.class)
                .hasMessageStartingWith("empty file");
        byte[] binary = "2026-01-15 10:00:00 INFO ok\nELF".getBytes(StandardCharsets.UTF_8);
        binary = Arrays.copyOf(binary, binary.length + 20);
        Path bin = dir.resolve("core.log");
        Files.write(bin, binary);
        assertThatThrownBy(() -> reader.open(bin, "x")).isInstanceOf(IngestException.class)
                .hasMessage("binary file: NUL byte at offset 31");
        byte[] controls = new byte[4000];
        for (int i = 0; i < controls.length; i++) controls[i] = (byte) (i % 3 == 0 ? 0x01 : 'a');
        Path ctl = dir.resolve("ctl.log");
        Files.write(ctl, controls);
        assertThatThrownBy(() -> reader.open(ctl, "x")).isInstanceOf(IngestException.class)
                .hasMessageStartingWith("binary file: 33% control characters");
    }

    @Test
    void cutsAHugeLineWhileStreamingAndFlagsIt() throws IOException {
        Path file = dir.resolve("huge.log");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(lines(16).getBytes(StandardCharsets.UTF_8));
            byte[] huge = new byte[10 * 1024 * 1024];
            Arrays.fill(huge, (byte) 'x');
            byte[] prefix = "2026-01-15 10:00:00,000 ERROR [main] com.shop.Api - ".getBytes(StandardCharsets.UTF_8);
            System.arraycopy(prefix, 0, huge, 0, prefix.length);
            out.write(huge);
            out.write('\n');
            out.write(lines(3).getBytes(StandardCharsets.UTF_8));
        }
        List<LogEvent> events;
        ReadSummary summary;
        try (EventBatches batches = reader.open(file, "app")) {
            events = drain(batches);
            summary = batches.summary();
        }
        assertThat(events).hasSize(20);
        LogEvent cut = events.get(16);
        assertThat(cut.attributes()).containsEntry("size.error", "line 17 is 10485760 bytes, over the 65536-byte limit");
        assertThat(cut.raw()).hasSize(65536);
        assertThat(cut.level()).isEqualTo(Level.ERROR);
        assertThat(cut.ref().line()).isEqualTo(17);
        assertThat(events.get(17).ref().line()).isEqualTo(18);
        assertThat(events.get(17).attributes()).doesNotContainKey("size.error");
        assertThat(summary.oversizeLines()).isEqualTo(1);
        assertThat(summary.lines()).isEqualTo(20);
    }

    @Test
    void readsAFileOfNothingButOverLongLinesFlaggingEach() throws IOException {
        Path file = dir.resolve("payloads.log");
        int count = 300; // more than the detection sample
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < count; i++) {
                out.write(("2026-01-15 10:00:%02d,000 INFO [main] com.shop.Api - payload ".formatted(i % 60))
                        .getBytes(StandardCharsets.UTF_8));
                out.write("k=v ".repeat(20_000).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
        List<LogEvent> events;
        try (EventBatches batches = reader.open(file, "app")) {
            events = drain(batches);
            assertThat(batches.summary().oversizeLines()).isEqualTo(count);
        }
        assertThat(events).hasSize(count);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.attributes()).containsEntry("size.error",
                    "line " + e.ref().line() + " is 80059 bytes, over the 65536-byte limit");
            assertThat(e.timestamp()).isNotNull();
            assertThat(e.level()).isEqualTo(Level.INFO);
        });
    }

    @Test
    void replacesInvalidUtf8AndCountsTheLines() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("2026-01-15 10:00:00,000 INFO [main] a.B - caf\u00e9 ok\n".getBytes(StandardCharsets.UTF_8));
        out.write("2026-01-15 10:00:01,000 INFO [main] a.B - bad ".getBytes(StandardCharsets.UTF_8));
        out.write(new byte[] {(byte) 0xC3, (byte) 0x28, '\n'});
        out.write("2026-01-15 10:00:02,000 INFO [main] a.B - bad ".getBytes(StandardCharsets.UTF_8));
        out.write(new byte[] {(byte) 0xFF, '\n'});
        Path file = dir.resolve("enc.log");
        Files.write(file, out.toByteArray());
        try (EventBatches batches = reader.open(file, "app")) {
            List<LogEvent> events = drain(batches);
            assertThat(events.get(0).message()).isEqualTo("caf\u00e9 ok");
            assertThat(events.get(1).message()).isEqualTo("bad \uFFFD(");
            assertThat(events.get(2).message()).isEqualTo("bad \uFFFD");
            ReadSummary summary = batches.summary();
            assertThat(summary.invalidEncodingLines()).isEqualTo(2);
            assertThat(summary.firstInvalidEncodingLine()).isEqualTo(2);
            assertThat(summary.warnings()).contains("2 lines with invalid UTF-8").contains("first: line 2");
        }
    }

    @Test
    void stripsCarriageReturnsAndAUtf8Bom() throws IOException {
        Path file = write("crlf.log", "\uFEFF2026-01-15 10:00:00,000 INFO [main] a.B - one\r\n"
                + "2026-01-15 10:00:01,000 WARN [main] a.B - two\r\n\tat x.Y.z(Y.java:1)\r\n");
        List<LogEvent> events = readAll(file);
        assertThat(events).extracting(LogEvent::message).containsExactly("one", "two\n\tat x.Y.z(Y.java:1)");
        assertThat(events.get(0).raw()).doesNotContain("\r").doesNotStartWith("\uFEFF");
    }

    @Test
    void splitsIntoBatchesOfTheConfiguredSize() throws IOException {
        IngestSettings small = new IngestSettings(65536, 1000, 200, 0.6, ZoneOffset.UTC, Map.of(), null, List.of());
        LogFileReader smallReader = new LogFileReader(small, new FormatRegistry(small, CLOCK), CLOCK);
        try (EventBatches batches = smallReader.open(write("app.log", lines(2500)), "app")) {
            List<Integer> sizes = new ArrayList<>();
            while (batches.hasNext()) sizes.add(batches.next().size());
            assertThat(sizes).containsExactly(1000, 1000, 500);
            assertThat(batches.hasNext()).isFalse();
            assertThat(batches.summary().events()).isEqualTo(2500);
        }
    }

    @Test
    void fileNameOverrideSkipsDetectionAndRawKeepsEveryLine() throws IOException {
        IngestSettings raw = new IngestSettings(65536, 2000, 200, 0.6, ZoneOffset.UTC, Map.of("*.txt", "raw"), null, List.of());
        LogFileReader rawReader = new LogFileReader(raw, new FormatRegistry(raw, CLOCK), CLOCK);
        try (EventBatches batches = rawReader.open(write("messages.txt", "one\n\tindented\nthree\n"), "m")) {
            assertThat(batches.format().name()).isEqualTo("raw");
            assertThat(drain(batches)).extracting(LogEvent::message).containsExactly("one", "\tindented", "three");
        }
    }

    @Test
    void textWithNoTimestampIsReadAsPlainLinesWithANote() throws IOException {
        Path file = write("notes.txt", "dear diary\ntoday nothing happened\nan ERROR: the cat left\n");
        try (EventBatches batches = reader.open(file, "n")) {
            assertThat(batches.format().name()).isEqualTo("plain");
            List<LogEvent> events = drain(batches);
            assertThat(events).extracting(LogEvent::message)
                    .containsExactly("dear diary", "today nothing happened", "an ERROR: the cat left");
            assertThat(events).extracting(LogEvent::timestamp).containsOnlyNulls();
            assertThat(events.get(2).level()).isEqualTo(Level.ERROR);
            assertThat(batches.summary().warnings()).startsWith("No timestamp and no known format in the first 3 lines"
                    + " (no format matched any line): each line is an event without a time");
        }
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private List<LogEvent> readAll(Path file) throws IOException {
        try (EventBatches batches = reader.open(file, "test")) {
            return drain(batches);
        }
    }

    private static List<LogEvent> drain(EventBatches batches) {
        List<LogEvent> all = new ArrayList<>();
        while (batches.hasNext()) all.addAll(batches.next());
        return all;
    }

    private static String lines(int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append("2026-01-15 10:").append(String.format("%02d:%02d", (i / 60) % 60, i % 60))
                    .append(",000 INFO [main] com.shop.Api - request ").append(i).append(" ok\n");
        }
        return text.toString();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
