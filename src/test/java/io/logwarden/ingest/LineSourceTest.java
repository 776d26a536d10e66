package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

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
