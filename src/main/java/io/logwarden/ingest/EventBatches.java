package io.logwarden.ingest;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The events of one file in batches, read as they are asked for, so a Camel splitter can stream a file of
 * any size. Continuation lines are folded into the event before them; a line that matches nothing and
 * continues nothing becomes an event with {@code parse.error}; a cut line gets {@code size.error}.
 * Reading errors surface from {@link #hasNext()} / {@link #next()} as {@link IngestException} (for example a
 * truncated gzip) or {@link UncheckedIOException}; batches already returned stay valid. Not thread-safe.
 *
 * <p>What is odd in the input is read anyway and counted for the job, with the first line of each kind: lines
 * without a timestamp between timed ones (folded for layouts), timestamps going backwards, a header that changes
 * halfway (the rest is read with the format detected from there), container records whose text is not a string
 * and partial container lines never completed.
 */
public final class EventBatches implements Iterator<List<LogEvent>>, Closeable {

    /** Folded text beyond this many characters is dropped (and counted) so one runaway trace stays bounded. */
    private static final int MAX_FOLDED_CHARS = 1 << 20;

    private final LineSource lines;
    private final String origin;
    private final String source;
    private final boolean gzip;
    private final int batchSize;
    /**
     * Characters of lines in one batch, at most, per event of {@code batchSize} (256,000 for the default 2,000): a
     * batch of long lines (an nginx line is 240 characters with a dozen fields) ends sooner, so that it is still in the
     * reading core's cache when that core prepares it and less of it is copied when the heap's young space is
     * collected. Measured on two cores: 500-event batches of nginx lines ran 7-15 % faster than 2,000-event ones,
     * while HDFS lines (140 characters) ran best at 2,000.
     */
    static final int BATCH_CHARS_PER_EVENT = 128;
    private final long maxBatchChars;
    private final int maxLineBytes;
    private final Clock clock;
    private final long startMillis;
    private final LongSupplier bytesRead;

    /** Lines that fail to parse in a row before the reader checks whether the header changed. */
    static final int HEADER_CHANGE_WINDOW = 50;
    /** Share of the window the current format must still read for the header to count as unchanged. */
    private static final double HEADER_KEPT_SHARE = 0.2;

    private LogFormat format;
    private ContainerFormat container;
    private Function<List<String>, LogFormat> redetect;
    private Map<String, String> parseError;
    private final ArrayDeque<SampledLine> replay = new ArrayDeque<>();
    private long checkedUntil;
    private final Map<String, Partial> partials = new LinkedHashMap<>(4);
    private ContainerFormat.Unwrapped wrapped;
    private boolean rawEof;

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
    private long firstUnparsedLine;
    private long oversizeLines;
    private long endMillis = -1;
    private final InputOddities oddities = new InputOddities();

    EventBatches(LineSource lines, String origin, String source, int batchSize, int maxLineBytes,
                 Clock clock, long startMillis, LongSupplier bytesRead) {
        this.bytesRead = bytesRead;
        this.lines = lines;
        this.origin = origin;
        this.source = source;
        this.gzip = lines.gzip();
        this.batchSize = batchSize;
        this.maxBatchChars = (long) batchSize * BATCH_CHARS_PER_EVENT;
        this.maxLineBytes = maxLineBytes;
        this.clock = clock;
        this.startMillis = startMillis;
    }

    /** The format the file is read with (after a header change, the one read with now). */
    public LogFormat format() {
        return container != null ? container : format;
    }

    /** Counts so far; final once {@link #hasNext()} returned false. */
    public ReadSummary summary() {
        long end = endMillis >= 0 ? endMillis : clock.millis();
        LogFormat shown = format();
        return new ReadSummary(origin, shown == null ? null : shown.description(), gzip, bytesRead.getAsLong(), lines.lineNumber(), blankLines,
                events, foldedLines, unparsedLines, firstUnparsedLine, lines.invalidLines(), lines.firstInvalidLine(), oversizeLines,
                finished, Duration.ofMillis(Math.max(0, end - startMillis)),
                oddities.sentences(format != null && format.foldsUntimedLines(), container == null ? null : container.name()));
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

    /**
     * Reads up to {@code n} non-blank lines for detection; they are replayed afterwards. Lines over the length limit
     * count towards {@code n} but are left out of the sample, unless no other line came: a file of nothing but
     * over-long lines is then detected on their beginnings (which is where a line's header is) instead of being
     * taken for an empty one, and is never held whole in memory for the sake of a sample.
     */
    List<String> readSample(int n) throws IOException {
        List<String> sample = new ArrayList<>(Math.min(n, 1024));
        List<String> cut = new ArrayList<>();
        int taken = 0;
        while (taken < n) {
            String line = lines.next();
            if (line == null) break;
            replay.add(new SampledLine(line, lines.lineNumber(), lines.lastLineBytes(), lines.lastOversize()));
            if (line.isBlank()) continue;
            taken++;
            (lines.lastOversize() ? cut : sample).add(line);
        }
        return sample.isEmpty() ? cut : sample;
    }

    void start(LogFormat format) {
        if (format instanceof ContainerFormat c) {
            this.container = c;
            this.format = c.inner() != null ? c.inner() : new PlainFormat();
        } else {
            this.format = format;
        }
        this.parseError = Map.of("parse.error", "line does not match format " + format.name());
    }

    /** Lets the reader detect the format again where the header changes; without it, it never does. */
    void redetectWith(Function<List<String>, LogFormat> redetect) {
        this.redetect = redetect;
    }

    /** A sentence for the job about how the file was read (a fallback format, say). */
    void note(String sentence) {
        oddities.note(sentence);
    }

    private List<LogEvent> readBatch() {
        List<LogEvent> batch = new ArrayList<>(Math.min(batchSize, 4096));
        long chars = 0;
        try {
            while (batch.size() < batchSize && chars < maxBatchChars) {
                if (!advance()) {
                    flush(batch);
                    finish();
                    break;
                }
                String line = lineText;
                chars += line.length();
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
                LogEvent event = parse(line, ref);
                if (event == null && container == null && redetect != null && lineNumber > checkedUntil
                        && !format.continues(line) && headerChanged()) {
                    event = parse(line, ref);
                }
                if (event != null) {
                    flush(batch);
                    pending = event;
                } else if (pending != null && !pendingSealed && format.foldsContinuations()
                        && ContinuationLines.followsEvent(line)) {
                    fold(line);
                } else if (container != null) {
                    flush(batch);
                    pending = container.textEvent(line, wrapped, source, ref);
                } else if (pending != null && !pendingSealed && format.foldsUntimedLines()) {
                    oddities.untimed(lineNumber);
                    fold(line);
                } else {
                    flush(batch);
                    if (unparsedLines++ == 0) firstUnparsedLine = lineNumber;
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

    private LogEvent parse(String line, SourceRef ref) {
        if (container != null) {
            return wrapped == null ? format.parse(line, source, ref) : container.innerEvent(line, wrapped, source, ref);
        }
        return format.parse(line, source, ref);
    }

    /**
     * At a line the format does not read: whether the header changed (two logs written one after the other). The
     * next lines are read ahead; if the format reads few of them and another format reads enough, it takes over
     * from this line. The lines are replayed either way.
     */
    private boolean headerChanged() throws IOException {
        List<SampledLine> window = new ArrayList<>(HEADER_CHANGE_WINDOW);
        window.add(new SampledLine(lineText, lineNumber, lineBytes, lineOversize));
        List<String> texts = new ArrayList<>(HEADER_CHANGE_WINDOW);
        texts.add(lineText);
        while (window.size() < HEADER_CHANGE_WINDOW) {
            SampledLine next = rawNext();
            if (next == null) break;
            window.add(next);
            if (!next.text().isBlank() && !next.oversize()) texts.add(next.text());
        }
        for (int i = window.size() - 1; i > 0; i--) {
            replay.addFirst(window.get(i));
        }
        checkedUntil = window.get(window.size() - 1).number();
        if (FormatDetector.share(format, texts) > HEADER_KEPT_SHARE) return false;
        LogFormat next = redetect.apply(texts);
        if (next == null || next instanceof ContainerFormat || next.description().equals(format.description())) return false;
        oddities.headerChanged("the header changed at line " + lineNumber + ": read from there as " + next.description()
                + " (before: " + format.description() + ")");
        format = next;
        parseError = Map.of("parse.error", "line does not match format " + next.name());
        return true;
    }

    private SampledLine rawNext() throws IOException {
        if (!replay.isEmpty()) return replay.pollFirst();
        if (rawEof) return null;
        String line = lines.next();
        if (line == null) {
            rawEof = true;
            return null;
        }
        return new SampledLine(line, lines.lineNumber(), lines.lastLineBytes(), lines.lastOversize());
    }

    private boolean advance() throws IOException {
        if (container == null) {
            if (replay.isEmpty()) {
                // the common case, without a record per line
                if (rawEof) return false;
                String line = lines.next();
                if (line == null) {
                    rawEof = true;
                    return false;
                }
                lineText = line;
                lineNumber = lines.lineNumber();
                lineBytes = lines.lastLineBytes();
                lineOversize = lines.lastOversize();
                return true;
            }
            set(replay.pollFirst());
            return true;
        }
        // Container records: unwrap, and join the parts of a line split by the runtime (per stream).
        while (true) {
            SampledLine s = rawNext();
            if (s == null) {
                if (partials.isEmpty()) return false;
                String stream = partials.keySet().iterator().next();
                Partial open = partials.remove(stream);
                oddities.unfinishedPartial(open.first);
                emit(open.text.toString(), open.first, open.wrapped);
                return true;
            }
            if (s.text().isBlank() || s.oversize()) {
                set(s);
                wrapped = null;
                return true;
            }
            ContainerFormat.Unwrapped u = container.unwrap(s.text());
            if (u == null) {
                oddities.unwrapped(s.number());
                set(s);
                wrapped = null;
                return true;
            }
            if (u.nonString()) oddities.nonStringLog(s.number());
            String stream = u.stream() == null ? "" : u.stream();
            Partial open = partials.get(stream);
            if (u.partial()) {
                if (open == null) {
                    partials.put(stream, new Partial(s.number(), u, new StringBuilder(u.text())));
                } else if (open.text.length() + u.text().length() <= maxLineBytes) {
                    open.text.append(u.text());
                }
                continue;
            }
            if (open != null) {
                partials.remove(stream);
                if (open.text.length() + u.text().length() <= maxLineBytes) open.text.append(u.text());
                emit(open.text.toString(), open.first, open.wrapped);
            } else {
                emit(u.text(), s.number(), u);
            }
            return true;
        }
    }

    private void set(SampledLine s) {
        lineText = s.text();
        lineNumber = s.number();
        lineBytes = s.bytes();
        lineOversize = s.oversize();
    }

    private void emit(String text, long number, ContainerFormat.Unwrapped u) {
        lineText = text;
        lineNumber = number;
        lineBytes = text.length();
        lineOversize = false;
        wrapped = u;
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
            String text = folded.toString();
            Level level = event.level() == Level.UNKNOWN ? ContinuationLines.julLevel(text) : null;
            if (level != null) {
                // java.util.logging's SimpleFormatter: the stamp line names the logger and its method, the next line
                // is "LEVEL: message"; the message (what templates are mined from) is what follows the level
                event = new LogEvent(event.source(), event.timestamp(), level,
                        event.service() == null ? event.message() : event.service(), event.host(),
                        text.substring(text.indexOf(": ") + 2), event.attributes(), event.raw() + "\n" + text, event.ref());
            } else {
                event = format.withFolded(event, text);
            }
            folded = null;
        }
        if (droppedContinuations > 0) {
            event = withAttribute(event, "fold.truncated", droppedContinuations + " continuation lines dropped over "
                    + MAX_FOLDED_CHARS + " characters");
            droppedContinuations = 0;
        }
        oddities.timestamp(event.timestamp(), event.ref() == null ? 0 : event.ref().line());
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

    /** A container line split into parts, being joined. */
    private record Partial(long first, ContainerFormat.Unwrapped wrapped, StringBuilder text) {
    }

}
