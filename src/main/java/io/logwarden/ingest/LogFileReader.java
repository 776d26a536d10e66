package io.logwarden.ingest;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads log files as streams of event batches: plain or gzip (told by the magic bytes, not the name),
 * format from the file-name overrides or detected from the first lines (a layout inferred when no format
 * fits; plain lines without time when not even a timestamp is found), the text inside container records
 * detected in turn, continuation lines folded, long lines cut. Never holds a whole file. Only empty and binary
 * files fail. Thread-safe; each {@link EventBatches} it opens is not.
 */
public final class LogFileReader {

    private static final int BINARY_PROBE_BYTES = 8192;
    private static final double MAX_CONTROL_SHARE = 0.10;

    private final IngestSettings settings;
    private final FormatRegistry formats;
    private final FormatDetector detector;
    private final Clock clock;

    /**
     * @throws IllegalArgumentException when a file-format override names an unknown format
     */
    public LogFileReader(IngestSettings settings, FormatRegistry formats, Clock clock) {
        this.settings = settings;
        this.formats = formats;
        this.detector = new FormatDetector(formats, settings.fileFormatOverrides(), settings.minFormatShare());
        this.clock = clock;
    }

    /**
     * Opens a file: checks it is non-empty text, picks its format (reading the sample lines) and returns the
     * batches. The caller must close them (exhausting them closes the file too).
     *
     * @param source the source name the events carry (detection state is per source)
     * @throws IngestException        "empty file", "binary file: NUL byte at offset 12", "truncated gzip: ..."
     * @throws IOException            when the file cannot be read
     */
    public EventBatches open(Path file, String source) throws IOException {
        long start = clock.millis();
        CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
        InputStream raw = new BufferedInputStream(counted, 1 << 16);
        boolean gzip = false;
        LineSource lines = null;
        try {
            raw.mark(2);
            int b1 = raw.read();
            int b2 = raw.read();
            raw.reset();
            InputStream in = raw;
            if (b1 == 0x1f && b2 == 0x8b) {
                gzip = true;
                try {
                    in = new GZIPInputStream(raw, 1 << 16);
                } catch (IOException e) {
                    throw LineSource.gzipFailure(e, 0);
                }
            }
            lines = new LineSource(in, settings.maxLineBytes(), gzip);
            checkText(lines);
            // Evidence names the file, not the inbox path it is about to leave.
            String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
            EventBatches batches = new EventBatches(lines, fileName, source, gzip, settings.batchSize(),
                    settings.maxLineBytes(), clock, start, counted::count);
            LogFormat format = detector.override(file).orElse(null);
            List<String> sample = null;
            if (format == null || format instanceof ContainerFormat) {
                sample = batches.readSample(settings.sampleLines());
                if (sample.isEmpty()) {
                    throw new IngestException("empty file: " + batches.summary().lines() + " blank lines and no text");
                }
            }
            if (format == null) {
                try {
                    format = detectWithHeaderChange(fileName, sample);
                    batches.redetectWith(detector::detectInner);
                } catch (UnknownFormatException e) {
                    format = formats.get("plain");
                    batches.note("no timestamp and no known format in the first " + sample.size() + " lines ("
                            + (e.bestFormat() == null ? "no format matched any line"
                            : "best: " + e.bestFormat() + ", " + Math.round(e.bestShare() * 100) + "%")
                            + "): each line is an event without a time; pin a layout or a regex in logwarden.ingest.formats");
                }
            }
            if (format instanceof ContainerFormat container && container.inner() == null) {
                List<String> texts = new ArrayList<>(sample.size());
                java.util.Map<String, StringBuilder> open = new java.util.HashMap<>();
                for (String line : sample) {
                    ContainerFormat.Unwrapped u = container.unwrap(line);
                    if (u == null) continue;
                    StringBuilder parts = open.computeIfAbsent(String.valueOf(u.stream()), k -> new StringBuilder());
                    parts.append(u.text());
                    if (!u.partial()) {
                        texts.add(parts.toString());
                        parts.setLength(0);
                    }
                }
                format = container.withInner(detector.detectInner(texts));
            }
            batches.start(format);
            return batches;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * The format of the sample, or, when none reads enough of it, of its first lines alone: two logs concatenated
     * may change header within the sample, and the reader detects the second where it starts.
     */
    private LogFormat detectWithHeaderChange(String fileName, List<String> sample) {
        try {
            return detector.detect(fileName, sample);
        } catch (UnknownFormatException e) {
            if (sample.size() <= EventBatches.HEADER_CHANGE_WINDOW) throw e;
            try {
                return detector.detect(fileName, sample.subList(0, EventBatches.HEADER_CHANGE_WINDOW));
            } catch (UnknownFormatException ignored) {
                throw e;
            }
        }
    }

    // Empty and binary files fail before any format is tried, with a reason a person can act on.
    private static void checkText(LineSource lines) throws IOException {
        int available = lines.fillAtLeast(BINARY_PROBE_BYTES);
        if (available == 0) {
            throw new IngestException("empty file");
        }
        byte[] buf = lines.buffer();
        int from = lines.position();
        if (available >= 2 && ((buf[from] == (byte) 0xFF && buf[from + 1] == (byte) 0xFE)
                || (buf[from] == (byte) 0xFE && buf[from + 1] == (byte) 0xFF))) {
            throw new IngestException("UTF-16 file: convert it to UTF-8 (for example with iconv -f UTF-16 -t UTF-8)");
        }
        int n = Math.min(available, BINARY_PROBE_BYTES);
        int control = 0;
        for (int i = 0; i < n; i++) {
            int b = buf[from + i] & 0xFF;
            if (b == 0) {
                throw new IngestException("binary file: NUL byte at offset " + i);
            }
            // tab, LF, VT, FF, CR and ESC (colour codes) are usual in logs
            if ((b < 0x20 && b != '\t' && b != '\n' && b != 0x0B && b != '\f' && b != '\r' && b != 0x1B) || b == 0x7F) {
                control++;
            }
        }
        if (control > n * MAX_CONTROL_SHARE) {
            throw new IngestException("binary file: " + Math.round(100.0 * control / n) + "% control characters in the first "
                    + n + " bytes");
        }
        lines.skipUtf8Bom();
    }

    /** Counts the bytes taken from the file, for progress against its size. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        long count() {
            return count;
        }
    }
}
