package io.logwarden.ingest;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.LongSupplier;

/**
 * The events of one file in batches, read as they are asked for, so a Camel splitter can stream a file of
 * any size. Continuation lines are folded into the event before them; a line that matches nothing and
 * continues nothing becomes an event with {@code parse.error}; a cut line gets {@code size.error}.
 * Reading errors surface from {@link #hasNext()} / {@link #next()} as {@link IngestException} (for example a
 * truncated gzip) or {@link UncheckedIOException}; batches already returned stay valid. Not thread-safe.
 */
public final class EventBatches implements Iterator<List<LogEvent>>, Closeable {

    /** Folded text beyond this many characters is dropped (and counted) so one runaway trace stays bounded. */
    private static final int MAX_FOLDED_CHARS = 1 << 20;

    private final LineSource lines;
    private final String origin;
    private final String source;
    private final boolean gzip;
    private final int batchSize;
    private final int maxLineBytes;
    private final Clock clock;
    private final long startMillis;
    private final LongSupplier bytesRead;

    private LogFormat format;
    private Map<String, String> parseError;
    private final List<SampledLine> replay = new ArrayList<>();
    private int replayIndex;

    private String lineText;
    private long lineNumber;
    private long lineBytes;
    private boolean lineOversize;

    private LogEvent pending;
    private boolean pendingSealed;
    private StringBuilder folded;
    private long droppedContinuations;

    private List<LogEvent> nextBatch;
    private RuntimeException failure;
    private boolean finished;
    private boolean closed;
    private long blankLines;
    private long events;
    private long foldedLines;
    private long unparsedLines;
    private long oversizeLines;
    private long endMillis = -1;

    EventBatches(LineSource lines, String origin, String source, boolean gzip, int batchSize, int maxLineBytes,
                 Clock clock, long startMillis, LongSupplier bytesRead) {
        this.bytesRead = bytesRead;
        this.lines = lines;
        this.origin = origin;
        this.source = source;
        this.gzip = gzip;
        this.batchSize = batchSize;
        this.maxLineBytes = maxLineBytes;
        this.clock = clock;
        this.startMillis = startMillis;
    }

    /** The format the file is read with. */
    public LogFormat format() {
        return format;
    }

    /** Counts so far; final once {@link #hasNext()} returned false. */
    public ReadSummary summary() {
        long end = endMillis >= 0 ? endMillis : clock.millis();
        return new ReadSummary(origin, format == null ? null : format.name(), gzip, bytesRead.getAsLong(), lines.lineNumber(), blankLines,
                events, foldedLines, unparsedLines, lines.invalidLines(), lines.firstInvalidLine(), oversizeLines,
                finished, Duration.ofMillis(Math.max(0, end - startMillis)));
    }

    @Override
    public boolean hasNext() {
        if (failure != null) {
            throw failure; // the same reason again, not a confusing "stream closed"
        }
        if (nextBatch == null && !finished) {
            nextBatch = readBatch();
            if (nextBatch.isEmpty()) {
                nextBatch = null;
            }
        }
        return nextBatch != null;
    }

    @Override
    public List<LogEvent> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more batches in " + origin);
        }
        List<LogEvent> batch = nextBatch;
        nextBatch = null;
        return batch;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            lines.close();
        }
    }

    /** Reads up to {@code n} non-blank lines for detection; they are replayed afterwards. */
    List<String> readSample(int n) throws IOException {
        List<String> sample = new ArrayList<>(Math.min(n, 1024));
        while (sample.size() < n) {
            String line = lines.next();
            if (line == null) break;
            replay.add(new SampledLine(line, lines.lineNumber(), lines.lastLineBytes(), lines.lastOversize()));
            if (!line.isBlank() && !lines.lastOversize()) {
                sample.add(line);
            }
        }
        return sample;
    }

    void start(LogFormat format) {
        this.format = format;
        this.parseError = Map.of("parse.error", "line does not match format " + format.name());
    }

    private List<LogEvent> readBatch() {
        List<LogEvent> batch = new ArrayList<>(Math.min(batchSize, 4096));
        try {
            while (batch.size() < batchSize) {
                if (!advance()) {
                    flush(batch);
                    finish();
                    break;
                }
                String line = lineText;
                if (line.isBlank()) {
                    blankLines++;
                    continue;
                }
                SourceRef ref = SourceRef.fileLine(origin, lineNumber);
                if (lineOversize) {
                    flush(batch);
                    oversizeLines++;
                    LogEvent event = format.parse(line, source, ref);
                    pending = withAttribute(event != null ? event : unparsed(line, ref), "size.error",
                            "line " + lineNumber + " is " + lineBytes + " bytes, over the " + maxLineBytes + "-byte limit");
                    pendingSealed = true;
                    continue;
                }
                LogEvent event = format.parse(line, source, ref);
                if (event != null) {
                    flush(batch);
                    pending = event;
                } else if (pending != null && !pendingSealed && format.foldsContinuations()
                        && ContinuationLines.isContinuation(line)) {
                    fold(line);
                } else {
                    flush(batch);
                    unparsedLines++;
                    pending = unparsed(line, ref);
                }
            }
        } catch (IOException e) {
            closeQuietly();
            failure = new UncheckedIOException("reading " + origin + " after line " + lines.lineNumber(), e);
            throw failure;
        } catch (RuntimeException e) {
            closeQuietly();
            failure = e;
            throw e;
        }
        return batch;
    }

    private boolean advance() throws IOException {
        if (replayIndex < replay.size()) {
            SampledLine s = replay.get(replayIndex++);
            if (replayIndex == replay.size()) {
                replay.clear();
                replayIndex = 0;
            }
            lineText = s.text();
            lineNumber = s.number();
            lineBytes = s.bytes();
            lineOversize = s.oversize();
            return true;
        }
        String line = lines.next();
        if (line == null) return false;
        lineText = line;
        lineNumber = lines.lineNumber();
        lineBytes = lines.lastLineBytes();
        lineOversize = lines.lastOversize();
        return true;
    }

    private void fold(String line) {
        foldedLines++;
        if (folded == null) {
            folded = new StringBuilder(line.length() + 256);
        } else if (folded.length() + line.length() > MAX_FOLDED_CHARS) {
            droppedContinuations++;
            return;
        } else {
            folded.append('\n');
        }
        folded.append(line);
    }

    private void flush(List<LogEvent> batch) {
        if (pending == null) return;
        LogEvent event = pending;
        if (folded != null) {
            event = event.withContinuation(folded.toString());
            folded = null;
        }
        if (droppedContinuations > 0) {
            event = withAttribute(event, "fold.truncated", droppedContinuations + " continuation lines dropped over "
                    + MAX_FOLDED_CHARS + " characters");
            droppedContinuations = 0;
        }
        batch.add(event);
        events++;
        pending = null;
        pendingSealed = false;
    }

    private LogEvent unparsed(String line, SourceRef ref) {
        return new LogEvent(source, null, Level.UNKNOWN, null, null, line, parseError, line, ref);
    }

    private static LogEvent withAttribute(LogEvent e, String key, String value) {
        Map<String, String> attributes = new HashMap<>(e.attributes());
        attributes.put(key, value);
        return new LogEvent(e.source(), e.timestamp(), e.level(), e.service(), e.host(), e.message(), attributes,
                e.raw(), e.ref());
    }

    private void finish() {
        finished = true;
        endMillis = clock.millis();
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // nothing more to read either way
        }
    }

    private record SampledLine(String text, long number, long bytes, boolean oversize) {
    }
}
