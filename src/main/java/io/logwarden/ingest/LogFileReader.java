package io.logwarden.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads log files as streams of event batches: plain or gzip (told by the magic bytes, not the name),
 * format from the file-name overrides or detected from the first lines (a layout inferred when no format
 * fits; plain lines without time when not even a timestamp is found), the text inside container records
 * detected in turn, continuation lines folded, long lines cut. Never holds a whole file. Only empty and binary
 * files fail. Thread-safe; each {@link EventBatches} it opens is not.
 */
public final class LogFileReader {

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
        LineSource lines = LineSource.open(counted, settings.maxLineBytes());
        try {
            // Evidence names the file, not the inbox path it is about to leave.
            String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
            EventBatches batches = new EventBatches(lines, fileName, source, settings.batchSize(),
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
            lines.close();
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
