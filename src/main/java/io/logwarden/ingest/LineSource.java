package io.logwarden.ingest;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipException;

/**
 * Splits a byte stream into lines on {@code \n} (a trailing {@code \r} is dropped) through one large buffer,
 * decoding UTF-8 with replacement and counting the lines that needed it. A line over the byte limit is cut to
 * the limit (at a character boundary) and the rest is skipped while streaming, so a 10 MB line costs no more
 * memory than a short one. Not thread-safe.
 */
final class LineSource implements Closeable {

    private static final int MIN_BUFFER = 1 << 20;

    private final InputStream in;
    private final int maxLineBytes;
    private final boolean gzip;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;

    private long lineNumber;
    private long invalidLines;
    private long firstInvalidLine;
    private long lastLineBytes;
    private boolean lastOversize;

    LineSource(InputStream in, int maxLineBytes, boolean gzip) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.gzip = gzip;
        this.buf = new byte[Math.max(MIN_BUFFER, maxLineBytes * 2)];
    }

    /** The next line without its terminator, or null at the end. */
    String next() throws IOException {
        int scan = pos;
        while (true) {
            for (int i = scan; i < limit; i++) {
                if (buf[i] == '\n') {
                    lineNumber++;
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String line = line(pos, end);
                    pos = i + 1;
                    return line;
                }
            }
            if (limit - pos > maxLineBytes) {
                lineNumber++;
                return oversize();
            }
            if (eof) {
                if (pos == limit) return null;
                lineNumber++;
                int end = buf[limit - 1] == '\r' ? limit - 1 : limit;
                String line = line(pos, end);
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
        int length = to - from;
        if (length > maxLineBytes) {
            lastOversize = true;
            lastLineBytes = length;
            return decode(from, from + cutPoint(from));
        }
        lastOversize = false;
        lastLineBytes = length;
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

    /** Reads until at least {@code n} bytes are buffered or the stream ends; returns the bytes buffered. */
    int fillAtLeast(int n) throws IOException {
        while (limit - pos < n && !eof) {
            compact();
            fill();
        }
        return limit - pos;
    }

    void skipUtf8Bom() {
        if (limit - pos >= 3 && buf[pos] == (byte) 0xEF && buf[pos + 1] == (byte) 0xBB && buf[pos + 2] == (byte) 0xBF) {
            pos += 3;
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

    byte[] buffer() {
        return buf;
    }

    int position() {
        return pos;
    }

    long lineNumber() {
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

    @Override
    public void close() throws IOException {
        in.close();
    }
}
