package io.logwarden.ingest;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The lines of a file, the one line reader of the service and the command line. Plain or gzip (told by the magic
 * bytes); empty, binary and UTF-16 input refused before any line is read; lines split on {@code \n} (a trailing
 * {@code \r} is dropped) through one large buffer; UTF-8 decoded with replacement, counting the lines that needed
 * it. A line over the byte limit is cut to the limit (at a character boundary) and the rest is skipped while
 * streaming, so a 10 MB line costs no more memory than a short one.
 *
 * <p>Two ways to read: {@link #next()} gives each line as a String (the event reader), and {@link #prefetch}
 * hands the non-blank lines to a consumer's holders on a second thread, an ASCII line as bytes of the read buffer
 * in place with no String made ({@code templates --format raw}, run on millions of lines). Not thread-safe.
 */
public final class LineSource implements Closeable {

    private static final int MIN_BUFFER = 1 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final int BINARY_PROBE_BYTES = 8192;
    private static final double MAX_CONTROL_SHARE = 0.10;
    /** What {@link #nextLine()} returns for an ASCII line, which then spans [spanFrom, spanTo) of the buffer. */
    private static final String SPAN = new String("(ascii line in the buffer)");

    private final InputStream in;
    private final int maxLineBytes;
    private final boolean gzip;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;

    private int spanFrom;
    private int spanTo;
    private long lineNumber;
    private long invalidLines;
    private long firstInvalidLine;
    private long oversizeLines;
    private long lastLineBytes;
    private boolean lastOversize;

    LineSource(InputStream in, int maxLineBytes, boolean gzip) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.gzip = gzip;
        this.buf = new byte[Math.max(MIN_BUFFER, maxLineBytes * 2)];
    }

    /**
     * Opens a file and checks that it holds text.
     *
     * @throws IngestException "empty file", "binary file: NUL byte at offset 12", "UTF-16 file: ...", a corrupt gzip
     * @throws IOException     when the file cannot be read
     */
    public static LineSource open(Path file, int maxLineBytes) throws IOException {
        return open(Files.newInputStream(file), maxLineBytes);
    }

    /** {@link #open(Path, int)} for the bytes of a file as they are stored (gzip or not); closes them on failure. */
    static LineSource open(InputStream file, int maxLineBytes) throws IOException {
        InputStream raw = new BufferedInputStream(file, 1 << 16);
        try {
            raw.mark(2);
            int b1 = raw.read();
            int b2 = raw.read();
            raw.reset();
            boolean gzip = b1 == 0x1f && b2 == 0x8b;
            InputStream in = raw;
            if (gzip) {
                try {
                    in = new GZIPInputStream(raw, 1 << 16);
                } catch (IOException e) {
                    throw gzipFailure(e, 0);
                }
            }
            LineSource lines = new LineSource(in, maxLineBytes, gzip);
            lines.checkText();
            return lines;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** The next line without its terminator, blank ones included, or null at the end. */
    public String next() throws IOException {
        String line = nextLine();
        return line == SPAN ? new String(buf, spanFrom, spanTo - spanFrom, StandardCharsets.ISO_8859_1) : line;
    }

    /** Where {@link #prefetch} puts each non-blank line: into a holder that the consumer then takes. */
    public interface LineSink<T> {
        /** A line of ASCII, {@code bytes[from, to)}, valid only during the call. */
        void ascii(T holder, byte[] bytes, int from, int to);

        /** Any other line. */
        void text(T holder, String line);
    }

    /**
     * Starts a daemon thread that reads the non-blank lines in batches, a few batches ahead of the caller, and
     * hands each to {@code sink} on the way (for mining: tokenising and masking, most of the work), so reading and
     * the caller's work use two cores. Exhausting {@link Prefetch#take()} or calling {@link Prefetch#stop()} ends
     * it; this reader must not be read otherwise in the meantime.
     *
     * @param holders makes the holders the batches recycle
     */
    public <T> Prefetch<T> prefetch(Supplier<T> holders, LineSink<T> sink) {
        Prefetch<T> p = new Prefetch<>(this, holders, sink);
        Thread t = new Thread(p::run, "logwarden-read");
        t.setDaemon(true);
        p.thread = t;
        t.start();
        return p;
    }

    /** Holders filled with lines and the lines' numbers; the first {@code size} entries are valid. */
    public static final class Batch<T> {
        private final T[] holders;
        private final long[] numbers;
        private int size;

        @SuppressWarnings("unchecked")
        private Batch(int capacity, Supplier<T> make) {
            holders = (T[]) new Object[capacity];
            for (int i = 0; i < capacity; i++) {
                holders[i] = make.get();
            }
            numbers = new long[capacity];
        }

        public int size() {
            return size;
        }

        public T holder(int i) {
            return holders[i];
        }

        /** The line number of entry i in the file. */
        public long lineNumber(int i) {
            return numbers[i];
        }
    }

    /** Batches read ahead by a second thread, recycled so that lines cost no holders. One consumer. */
    public static final class Prefetch<T> {
        private static final int BATCH = 512;
        private static final int BATCHES = 8;
        private static final Object END = new Object();

        private final LineSource source;
        private final LineSink<T> sink;
        private final BlockingQueue<Object> full = new ArrayBlockingQueue<>(BATCHES + 1);
        private final BlockingQueue<Batch<T>> free = new ArrayBlockingQueue<>(BATCHES);
        private volatile boolean stopped;
        private Thread thread;
        private boolean ended;

        private Prefetch(LineSource source, Supplier<T> holders, LineSink<T> sink) {
            this.source = source;
            this.sink = sink;
            for (int i = 0; i < BATCHES; i++) {
                free.add(new Batch<>(BATCH, holders));
            }
        }

        /** The next batch, or null at the end; a reading failure is thrown here, in the consumer's thread. */
        @SuppressWarnings("unchecked")
        public Batch<T> take() throws IOException {
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
            return (Batch<T>) o;
        }

        /** Gives a used batch back for the reader to fill again. */
        public void release(Batch<T> batch) {
            free.offer(batch);
        }

        /** Stops the reading thread (at the end, or early after a failure of the consumer) and waits for it. */
        public void stop() {
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
                    Batch<T> batch = poll(free);
                    if (batch == null) {
                        return;
                    }
                    int n = fill(batch);
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

        private int fill(Batch<T> batch) throws IOException {
            LineSource s = source;
            int n = 0;
            while (n < BATCH) {
                String line = s.nextLine();
                if (line == null) {
                    break;
                }
                if (line == SPAN) {
                    if (blank(s.buf, s.spanFrom, s.spanTo)) {
                        continue;
                    }
                    sink.ascii(batch.holders[n], s.buf, s.spanFrom, s.spanTo);
                } else if (!line.isBlank()) {
                    sink.text(batch.holders[n], line);
                } else {
                    continue;
                }
                batch.numbers[n++] = s.lineNumber;
            }
            batch.size = n;
            return n;
        }

        private <E> E poll(BlockingQueue<E> queue) {
            try {
                while (!stopped) {
                    E e = queue.poll(50, TimeUnit.MILLISECONDS);
                    if (e != null) {
                        return e;
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
     * The next line: {@link #SPAN} for an ASCII line within the limit (then in the buffer at [spanFrom, spanTo)),
     * else the line decoded, or null at the end.
     */
    private String nextLine() throws IOException {
        int scan = pos;
        int high = 0; // the bytes OR'ed together: negative when the line holds a non-ASCII byte
        while (true) {
            int i = scan;
            // eight bytes at a time: the first '\n' of a word and whether a byte before it is above ASCII
            for (; i + 8 <= limit; i += 8) {
                long w = (long) LONGS.get(buf, i);
                long x = w ^ NEWLINES;
                long found = (x - ONES) & ~x & HIGH_BITS; // lowest set bit: the first '\n' (exact for the first)
                if (found != 0) {
                    int k = Long.numberOfTrailingZeros(found) >>> 3;
                    long before = k == 0 ? 0 : w & (-1L >>> (64 - 8 * k));
                    if ((before & HIGH_BITS) != 0) high = -1;
                    i += k;
                    String line = ended(high, i > pos && buf[i - 1] == '\r' ? i - 1 : i);
                    pos = i + 1;
                    return line;
                }
                if ((w & HIGH_BITS) != 0) high = -1;
            }
            for (; i < limit; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    String line = ended(high, i > pos && buf[i - 1] == '\r' ? i - 1 : i);
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
                String line = ended(high, buf[limit - 1] == '\r' ? limit - 1 : limit);
                pos = limit;
                return line;
            }
            int scanned = limit - pos;
            compact();
            fill();
            scan = pos + scanned;
        }
    }

    // The line at pos ends at end (its terminator excluded); high is its bytes OR'ed together.
    private String ended(int high, int end) {
        lineNumber++;
        if (high >= 0 && end - pos <= maxLineBytes) {
            spanFrom = pos;
            spanTo = end;
            lastOversize = false;
            lastLineBytes = end - pos;
            return SPAN;
        }
        return line(pos, end);
    }

    private String line(int from, int to) {
        int length = to - from;
        lastLineBytes = length;
        if (length > maxLineBytes) {
            lastOversize = true;
            oversizeLines++;
            return decode(from, from + cutPoint(from));
        }
        lastOversize = false;
        return decode(from, to);
    }

    // A line longer than the buffered part: keep the first maxLineBytes, stream past the rest to its '\n'.
    private String oversize() throws IOException {
        String kept = decode(pos, pos + cutPoint(pos));
        long total = 0;
        boolean lastWasCr = false;
        while (true) {
            int nl = -1;
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl >= 0) {
                total += nl - pos;
                if (nl > pos ? buf[nl - 1] == '\r' : lastWasCr) total--;
                pos = nl + 1;
                break;
            }
            total += limit - pos;
            if (limit > pos) lastWasCr = buf[limit - 1] == '\r';
            pos = 0;
            limit = 0;
            if (eof) break;
            fill();
        }
        lastOversize = true;
        lastLineBytes = total;
        oversizeLines++;
        return kept;
    }

    // Bytes of the line at from to keep: maxLineBytes, moved back so as not to split a UTF-8 sequence.
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
                if (!validUtf8(buf, i, to)) {
                    invalidLines++;
                    if (firstInvalidLine == 0) firstInvalidLine = lineNumber;
                }
                return new String(buf, from, to - from, StandardCharsets.UTF_8);
            }
        }
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    static boolean validUtf8(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int extra;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                extra = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                extra = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                extra = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + extra >= to) return false;
            int cp = c & (0x3F >> extra);
            for (int k = 1; k <= extra; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) return false;
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
            i += extra + 1;
        }
        return true;
    }

    private void compact() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
    }

    private void fill() throws IOException {
        try {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        } catch (IOException e) {
            if (gzip) throw gzipFailure(e, lineNumber);
            throw e;
        }
    }

    // Empty and binary files fail before any line is read, with a reason a person can act on.
    private void checkText() throws IOException {
        while (limit - pos < BINARY_PROBE_BYTES && !eof) {
            compact();
            fill();
        }
        int available = limit - pos;
        if (available == 0) {
            throw new IngestException("empty file");
        }
        if (available >= 2 && ((buf[pos] == (byte) 0xFF && buf[pos + 1] == (byte) 0xFE)
                || (buf[pos] == (byte) 0xFE && buf[pos + 1] == (byte) 0xFF))) {
            throw new IngestException("UTF-16 file: convert it to UTF-8 (for example with iconv -f UTF-16 -t UTF-8)");
        }
        int n = Math.min(available, BINARY_PROBE_BYTES);
        int control = 0;
        for (int i = 0; i < n; i++) {
            int b = buf[pos + i] & 0xFF;
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
        if (available >= 3 && buf[pos] == (byte) 0xEF && buf[pos + 1] == (byte) 0xBB && buf[pos + 2] == (byte) 0xBF) {
            pos += 3; // UTF-8 byte order mark
        }
    }

    static IngestException gzipFailure(IOException e, long afterLine) {
        if (e instanceof EOFException || String.valueOf(e.getMessage()).contains("Unexpected end")) {
            return new IngestException("truncated gzip: unexpected end of compressed data after line " + afterLine, e);
        }
        if (e instanceof ZipException) {
            return new IngestException("corrupt gzip: " + e.getMessage() + " after line " + afterLine, e);
        }
        return new IngestException("unreadable gzip after line " + afterLine + ": " + e.getMessage(), e);
    }

    /** Whether the file is gzip-compressed (told by its magic bytes). */
    public boolean gzip() {
        return gzip;
    }

    /** The number of the line read last (1 for the first), blank lines included. */
    public long lineNumber() {
        return lineNumber;
    }

    long lastLineBytes() {
        return lastLineBytes;
    }

    boolean lastOversize() {
        return lastOversize;
    }

    long invalidLines() {
        return invalidLines;
    }

    long firstInvalidLine() {
        return firstInvalidLine;
    }

    /** What was odd in the lines read so far (invalid UTF-8, cut lines), as the job says it; empty when nothing. */
    public String warnings() {
        StringBuilder text = new StringBuilder();
        ReadSummary.encodingWarnings(text, invalidLines, firstInvalidLine, oversizeLines);
        return text.toString().trim();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
