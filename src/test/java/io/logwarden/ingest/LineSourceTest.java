package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineSourceTest {

    private static final int MAX = 300;

    @Test
    void splitsLinesAcrossArbitraryReadBoundaries() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            StringBuilder text = new StringBuilder();
            List<String> expected = new ArrayList<>();
            List<Long> expectedBytes = new ArrayList<>();
            int n = 200 + random.nextInt(200);
            for (int i = 0; i < n; i++) {
                int length = random.nextInt(10) == 0 ? MAX + random.nextInt(3 * MAX) : random.nextInt(120);
                StringBuilder line = new StringBuilder();
                for (int k = 0; k < length; k++) line.append((char) ('a' + random.nextInt(26)));
                text.append(line).append(random.nextBoolean() ? "\r\n" : "\n");
                expected.add(length > MAX ? line.substring(0, MAX) : line.toString());
                expectedBytes.add((long) length);
            }
            LineSource source = new LineSource(new ChoppyStream(text.toString().getBytes(StandardCharsets.UTF_8), random), MAX, false);
            for (int i = 0; i < n; i++) {
                assertThat(source.next()).as("round %d line %d", round, i + 1).isEqualTo(expected.get(i));
                assertThat(source.lastLineBytes()).isEqualTo(expectedBytes.get(i));
                assertThat(source.lastOversize()).isEqualTo(expectedBytes.get(i) > MAX);
                assertThat(source.lineNumber()).isEqualTo(i + 1);
            }
            assertThat(source.next()).isNull();
        }
    }

    @Test
    void findsEveryLineEndAndEveryNonAsciiByteWhereverTheyFallInAWord() throws IOException {
        // lines are scanned eight bytes at a time: short lines, line ends and non-ASCII bytes at every offset
        Random random = new Random(8);
        String[] pieces = {"a", "b", "Z", " ", "\t", "7", "\u00e9", "\u20ac", "\uD83D\uDE00", "\u007f", "~"};
        for (int round = 0; round < 50; round++) {
            StringBuilder text = new StringBuilder();
            List<String> expected = new ArrayList<>();
            int n = 100 + random.nextInt(200);
            for (int i = 0; i < n; i++) {
                StringBuilder line = new StringBuilder();
                int length = random.nextInt(random.nextInt(4) == 0 ? 40 : 12);
                boolean ascii = random.nextBoolean();
                for (int k = 0; k < length; k++) {
                    line.append(pieces[random.nextInt(ascii ? 6 : pieces.length)]);
                }
                text.append(line).append(random.nextInt(3) == 0 ? "\r\n" : "\n");
                expected.add(line.toString());
            }
            LineSource source = new LineSource(new ChoppyStream(text.toString().getBytes(StandardCharsets.UTF_8), random), MAX, false);
            for (int i = 0; i < n; i++) {
                assertThat(source.next()).as("round %d line %d", round, i + 1).isEqualTo(expected.get(i));
            }
            assertThat(source.next()).isNull();
        }
    }

    @Test
    void cutsOversizeLinesAtACharacterBoundaryAndReadsALastLineWithoutNewline() throws IOException {
        String euro = "\u20ac".repeat(200); // 600 bytes, 3 per character
        LineSource source = new LineSource(new ByteArrayInputStream((euro + "\nlast").getBytes(StandardCharsets.UTF_8)), MAX, false);
        assertThat(source.next()).isEqualTo("\u20ac".repeat(100));
        assertThat(source.lastOversize()).isTrue();
        assertThat(source.invalidLines()).isZero();
        assertThat(source.next()).isEqualTo("last");
        assertThat(source.next()).isNull();
    }

    @Test
    void validatesUtf8() {
        byte[] valid = "h\u00e9llo \u20ac \uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
        assertThat(LineSource.validUtf8(valid, 0, valid.length)).isTrue();
        assertThat(LineSource.validUtf8(valid, 0, valid.length - 1)).as("cut emoji").isFalse();
        assertThat(LineSource.validUtf8(new byte[] {(byte) 0xC0, (byte) 0x80}, 0, 2)).as("overlong").isFalse();
        assertThat(LineSource.validUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3)).as("surrogate").isFalse();
        assertThat(LineSource.validUtf8(new byte[] {(byte) 0xE2, (byte) 0x82}, 0, 2)).as("truncated").isFalse();
        assertThat(LineSource.validUtf8(new byte[] {(byte) 0x80}, 0, 1)).as("lone continuation").isFalse();
    }

    @Test
    void prefetchGivesTheNonBlankLinesOfNextWithTheirNumbers() throws IOException {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            text.append(switch (random.nextInt(6)) {
                case 0 -> "   ";
                case 1 -> "caf\u00e9 " + i;
                case 2 -> "x".repeat(MAX + random.nextInt(MAX));
                case 3 -> "\u20ac".repeat(150); // 450 bytes: cut
                default -> "plain ascii line " + i;
            }).append(random.nextBoolean() ? "\r\n" : "\n");
        }
        text.append("last without newline");
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);

        List<String> expected = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        LineSource plain = new LineSource(new ChoppyStream(bytes, new Random(1)), MAX, false);
        for (String line = plain.next(); line != null; line = plain.next()) {
            if (!line.isBlank()) {
                expected.add(line);
                numbers.add(plain.lineNumber());
            }
        }

        LineSource ahead = new LineSource(new ChoppyStream(bytes, new Random(2)), MAX, false);
        LineSource.Prefetch<StringBuilder> batches = ahead.prefetch(StringBuilder::new, new LineSource.LineSink<>() {
            @Override
            public void ascii(StringBuilder holder, byte[] b, int from, int to) {
                holder.setLength(0);
                holder.append(new String(b, from, to - from, StandardCharsets.US_ASCII)).append("|ascii");
            }

            @Override
            public void text(StringBuilder holder, String line) {
                holder.setLength(0);
                holder.append(line).append("|text");
            }
        });
        List<String> got = new ArrayList<>();
        List<Long> gotNumbers = new ArrayList<>();
        for (LineSource.Batch<StringBuilder> batch = batches.take(); batch != null; batch = batches.take()) {
            for (int i = 0; i < batch.size(); i++) {
                String line = batch.holder(i).toString();
                boolean ascii = line.endsWith("|ascii");
                line = line.substring(0, line.lastIndexOf('|'));
                if (!line.chars().allMatch(c -> c < 128)) {
                    assertThat(ascii).as("a non-ASCII line comes as text: %s", line).isFalse();
                } else if (line.length() < MAX) {
                    assertThat(ascii).as("a short ASCII line comes from the buffer: %s", line).isTrue();
                }
                got.add(line);
                gotNumbers.add(batch.lineNumber(i));
            }
            batches.release(batch);
        }
        batches.stop();
        assertThat(got).isEqualTo(expected);
        assertThat(gotNumbers).isEqualTo(numbers);
        assertThat(ahead.warnings()).isEqualTo(plain.warnings()).contains("over the length limit and cut");
    }

    @Test
    void openRefusesEmptyBinaryAndUtf16FilesAndSkipsAByteOrderMark(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> LineSource.open(Files.createFile(dir.resolve("empty.log")), MAX))
                .isInstanceOf(IngestException.class).hasMessage("empty file");
        assertThatThrownBy(() -> LineSource.open(Files.write(dir.resolve("core"), new byte[] {'E', 'L', 'F', 0, 1}), MAX))
                .isInstanceOf(IngestException.class).hasMessage("binary file: NUL byte at offset 3");
        assertThatThrownBy(() -> LineSource.open(Files.write(dir.resolve("u16.log"), "hi\n".getBytes(StandardCharsets.UTF_16)), MAX))
                .isInstanceOf(IngestException.class).hasMessageStartingWith("UTF-16 file");
        Path gz = dir.resolve("a.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("\uFEFFfirst\nsecond".getBytes(StandardCharsets.UTF_8));
        }
        try (LineSource lines = LineSource.open(gz, MAX)) {
            assertThat(lines.gzip()).isTrue();
            assertThat(lines.next()).isEqualTo("first");
            assertThat(lines.next()).isEqualTo("second");
            assertThat(lines.next()).isNull();
        }
    }

    /** Returns between 1 and 700 bytes per read, to put line ends at every possible place. */
    private static final class ChoppyStream extends InputStream {
        private final ByteArrayInputStream in;
        private final Random random;

        ChoppyStream(byte[] data, Random random) {
            this.in = new ByteArrayInputStream(data);
            this.random = random;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, 1 + random.nextInt(700)));
        }
    }
}
