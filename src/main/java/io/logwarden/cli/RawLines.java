package io.logwarden.cli;

import io.logwarden.detect.PreparedMessage;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * The lines of a file read as {@code --format raw} for the {@code templates} command: each non-blank line is one
 * message, numbered by its line in the file. The same rules as the service's file reader (plain or gzip by magic
 * bytes, {@code \n} ends a line and a trailing {@code \r} is dropped, UTF-8 with replacement, lines cut at the
 * byte limit, empty and binary files refused), without the format machinery: {@code templates --format raw} is
 * run on millions of lines where start-up time and a per-line event object are a large share of the run.
 * Not thread-safe.
 */
final class RawLines implements Closeable {

    private static final int BINARY_PROBE_BYTES = 8192;
    private static final double MAX_CONTROL_SHARE = 0.10;

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;

    private long lineNumber;
    /** What {@link #nextLine()} returns for an ASCII line, which then spans [spanFrom, spanTo) of the buffer. */
    private static final String SPAN = new String("(ascii line in the buffer)");
    private int spanFrom;
    private int spanTo;
    private long invalidLines;
    private long firstInvalidLine;
    private long oversizeLines;

    private RawLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.buf = new byte[Math.max(1 << 20, maxLineBytes * 2)];
    }

    /**
     * Opens a file and checks that it holds text.
     *
     * @throws CliError for an empty or binary file, naming it and the reason
     */
    static RawLines open(Path file, int maxLineBytes) throws IOException, CliError {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            raw.mark(2);
            int b1 = raw.read();
            int b2 = raw.read();
            raw.reset();
            InputStream in = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            RawLines lines = new RawLines(in, maxLineBytes);
            lines.checkText(file);
            return lines;
        } catch (IOException | CliError | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** The next non-blank line, or null at the end; {@link #lineNumber()} is its number. */
    String next() throws IOException {
        while (true) {
            String line = nextLine();
            if (line == SPAN) {
                line = new String(buf, spanFrom, spanTo - spanFrom, StandardCharsets.ISO_8859_1);
            }
            if (line == null || !line.isBlank()) {
                return line;
            }
        }
    }

    /**
     * Prepares the next non-blank line for mining; false at the end. A line of ASCII (most lines of most logs) is
     * prepared from the read buffer in place, without a String per line.
     */
    boolean nextInto(PreparedMessage prepared) throws IOException {
        while (true) {
            String line = nextLine();
            if (line == null) {
                return false;
            }
            if (line == SPAN) {
                if (!blank(buf, spanFrom, spanTo)) {
                    prepared.prepareAscii(buf, spanFrom, spanTo);
                    return true;
                }
            } else if (!line.isBlank()) {
                prepared.prepare(line);
                return true;
            }
        }
    }

    // as String.isBlank for ASCII: space, \t \n \u000B \f \r and \u001C to \u001F
    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != ' ' && (c < 9 || c > 13) && (c < 28 || c > 31)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Starts a daemon thread that reads the lines in batches, a few batches ahead of the caller, and prepares each
     * line for mining on the way (tokenising and masking are most of the work of mining a line), so reading and
     * mining use two cores. Exhausting {@link Prefetch#take()} or calling {@link Prefetch#stop()} ends it; this
     * reader must not be read otherwise in the meantime.
     */
    Prefetch prefetch(Supplier<PreparedMessage> holders) {
        Prefetch p = new Prefetch(this, holders);
        Thread t = new Thread(p::run, "logwarden-read");
        t.setDaemon(true);
        p.thread = t;
        t.start();
        return p;
    }

    /** Prepared lines and their numbers; the first {@code size} entries are valid. Given back once mined. */
    static final class Batch {
        final PreparedMessage[] prepared;
        final long[] numbers;
        int size;

        private Batch(int capacity, Supplier<PreparedMessage> holders) {
            prepared = new PreparedMessage[capacity];
            for (int i = 0; i < capacity; i++) {
                prepared[i] = holders.get();
            }
            numbers = new long[capacity];
        }
    }

    /** Batches read and prepared ahead by a second thread, recycled so that lines cost no holders. One consumer. */
    static final class Prefetch {
        private static final int BATCH = 512;
        private static final int BATCHES = 8;
        private static final Object END = new Object();

        private final RawLines source;
        private final BlockingQueue<Object> full = new ArrayBlockingQueue<>(BATCHES + 1);
        private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
        private volatile boolean stopped;
        private Thread thread;
        private boolean ended;

        private Prefetch(RawLines source, Supplier<PreparedMessage> holders) {
            this.source = source;
            for (int i = 0; i < BATCHES; i++) {
                free.add(new Batch(BATCH, holders));
            }
        }

        /** The next batch, or null at the end; a reading failure is thrown here, in the consumer's thread. */
        Batch take() throws IOException {
            if (ended) {
                return null;
            }
            Object o;
            try {
                o = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading");
            }
            if (o instanceof IOException e) {
                ended = true;
                throw e;
            }
            if (o instanceof RuntimeException e) {
                ended = true;
                throw e;
            }
            if (o == END) {
                ended = true;
                return null;
            }
            return (Batch) o;
        }

        /** Gives a mined batch back for the reader to fill again. */
        void release(Batch batch) {
            free.offer(batch);
        }

        /** Stops the reading thread (at the end, or early after a failure of the consumer) and waits for it. */
        void stop() {
            stopped = true;
            full.clear();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            try {
                while (!stopped) {
                    Batch batch = poll(free);
                    if (batch == null) {
                        return;
                    }
                    int n = 0;
                    while (n < BATCH && source.nextInto(batch.prepared[n])) {
                        batch.numbers[n++] = source.lineNumber;
                    }
                    batch.size = n;
                    if (n > 0 && !put(batch)) {
                        return;
                    }
                    if (n < BATCH) {
                        put(END);
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                put(e);
            }
        }

        private <T> T poll(BlockingQueue<T> queue) {
            try {
                while (!stopped) {
                    T t = queue.poll(50, TimeUnit.MILLISECONDS);
                    if (t != null) {
                        return t;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }

        private boolean put(Object o) {
            try {
                while (!stopped) {
                    if (full.offer(o, 50, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    long lineNumber() {
        return lineNumber;
    }

    /** What was odd about the file, in the service's words; empty when nothing was. */
    String warnings() {
        StringBuilder text = new StringBuilder();
        if (invalidLines > 0) {
            text.append(invalidLines).append(invalidLines == 1 ? " line" : " lines")
                    .append(" with invalid UTF-8, decoded with replacement characters (first: line ")
                    .append(firstInvalidLine).append("). ");
        }
        if (oversizeLines > 0) {
            text.append(oversizeLines).append(oversizeLines == 1 ? " line was" : " lines were")
                    .append(" over the length limit and cut. ");
        }
        return text.toString().trim();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private String nextLine() throws IOException {
        int scan = pos;
        int high = 0; // the bytes OR'ed together: negative when the line holds a non-ASCII byte
        while (true) {
            for (int i = scan; i < limit; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    lineNumber++;
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String line;
                    if (high >= 0 && end - pos <= maxLineBytes) {
                        spanFrom = pos;
                        spanTo = end;
                        line = SPAN;
                    } else {
                        line = line(pos, end);
                    }
                    pos = i + 1;
                    return line;
                }
                high |= b;
            }
            if (limit - pos > maxLineBytes) {
                lineNumber++;
                return oversize();
            }
            if (eof) {
                if (pos == limit) {
                    return null;
                }
                lineNumber++;
                String line = line(pos, buf[limit - 1] == '\r' ? limit - 1 : limit);
                pos = limit;
                return line;
            }
            int scanned = limit - pos;
            compact();
            fill();
            scan = pos + scanned;
        }
    }

    private String line(int from, int to) {
        if (to - from > maxLineBytes) {
            oversizeLines++;
            return decode(from, from + cutPoint(from));
        }
        return decode(from, to);
    }

    // Keeps the first maxLineBytes of a line longer than the buffered part and streams past the rest.
    private String oversize() throws IOException {
        oversizeLines++;
        String kept = decode(pos, pos + cutPoint(pos));
        while (true) {
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    pos = i + 1;
                    return kept;
                }
            }
            pos = 0;
            limit = 0;
            if (eof) {
                return kept;
            }
            fill();
        }
    }

    private int cutPoint(int from) {
        int cut = maxLineBytes;
        for (int k = 0; k < 3 && cut > 0 && (buf[from + cut] & 0xC0) == 0x80; k++) {
            cut--;
        }
        return cut;
    }

    private String decode(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] < 0) {
                String s = new String(buf, from, to - from, StandardCharsets.UTF_8);
                // replacement characters that were not in the input mean the bytes were not UTF-8
                byte[] back = s.indexOf('\uFFFD') >= 0 ? s.getBytes(StandardCharsets.UTF_8) : null;
                if (back != null && !Arrays.equals(back, 0, back.length, buf, from, to)) {
                    invalidLines++;
                    if (firstInvalidLine == 0) {
                        firstInvalidLine = lineNumber;
                    }
                }
                return s;
            }
        }
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private void compact() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
    }

    private void fill() throws IOException {
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    // Empty and binary files fail before any line is mined, with a reason a person can act on.
    private void checkText(Path file) throws IOException, CliError {
        while (limit - pos < BINARY_PROBE_BYTES && !eof) {
            fill();
        }
        if (limit == 0) {
            throw CliError.input(file + ": empty file");
        }
        if (limit >= 2 && ((buf[0] == (byte) 0xFF && buf[1] == (byte) 0xFE) || (buf[0] == (byte) 0xFE && buf[1] == (byte) 0xFF))) {
            throw CliError.input(file + ": UTF-16 file: convert it to UTF-8 (for example with iconv -f UTF-16 -t UTF-8)");
        }
        int n = Math.min(limit, BINARY_PROBE_BYTES);
        int control = 0;
        for (int i = 0; i < n; i++) {
            int b = buf[i] & 0xFF;
            if (b == 0) {
                throw CliError.input(file + ": binary file: NUL byte at offset " + i);
            }
            if ((b < 0x20 && b != '\t' && b != '\n' && b != 0x0B && b != '\f' && b != '\r' && b != 0x1B) || b == 0x7F) {
                control++;
            }
        }
        if (control > n * MAX_CONTROL_SHARE) {
            throw CliError.input(file + ": binary file: " + Math.round(100.0 * control / n)
                    + "% control characters in the first " + n + " bytes");
        }
        if (limit >= 3 && buf[0] == (byte) 0xEF && buf[1] == (byte) 0xBB && buf[2] == (byte) 0xBF) {
            pos = 3; // UTF-8 byte order mark
        }
    }
}
