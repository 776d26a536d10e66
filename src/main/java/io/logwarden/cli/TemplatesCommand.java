package io.logwarden.cli;

import io.logwarden.detect.PreparedMessage;
import io.logwarden.detect.Template;
import io.logwarden.detect.TemplateMiner;
import io.logwarden.event.LogEvent;
import io.logwarden.ingest.EventBatches;
import io.logwarden.ingest.LineSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code templates FILE}: mines every event of the file with the service's miner settings and prints
 * {@code {"line":N,"templateId":"T3","template":"..."}} per event as it goes, so the file is never held. The
 * pattern is the template's as of that event (later events may still generalise it); the id does not change.
 * Every event is mined, invalid ones included: validation is about detection, not about what a line's template is.
 *
 * <p>The command is often run on millions of lines, so its output path is lean: no JSON library, no map per line.
 * Each template's JSON tail ({@code ,"templateId":...}) is encoded once and again only when its pattern changes,
 * and lines go out through one byte buffer.
 */
final class TemplatesCommand {

    private final TemplateMiner.Builder minerConfig;
    private final OutputStream out;
    private final PrintStream err;

    /**
     * @param out gets the JSON lines; flushed, never closed
     */
    TemplatesCommand(TemplateMiner.Builder minerConfig, OutputStream out, PrintStream err) {
        this.minerConfig = minerConfig;
        this.out = out;
        this.err = err;
    }

    /** Mines the events of a file read as the service reads it (format detected, or forced through the input). */
    void run(Path file, LogInput input) throws CliError {
        TemplateMiner miner = minerConfig.build();
        TemplateLines lines = new TemplateLines(out);
        try (EventBatches batches = input.open(file)) {
            try {
                while (batches.hasNext()) {
                    List<LogEvent> batch = batches.next();
                    for (int i = 0, n = batch.size(); i < n; i++) {
                        LogEvent event = batch.get(i);
                        String message = event.message() != null ? event.message() : "";
                        lines.write(event.ref() == null ? -1 : event.ref().line(), miner.add(message));
                    }
                }
            } catch (RuntimeException e) {
                throw LogInput.readError(file, e);
            } finally {
                lines.flush();
            }
            warn(file, batches.summary().warnings());
        } catch (IOException e) {
            throw LogInput.readError(file, e);
        }
    }

    /**
     * Mines each non-blank line of a file as one message ({@code --format raw}), with no event objects between.
     * A second thread reads, decodes and prepares (tokenises, masks) the lines a few batches ahead, so reading and
     * mining use both cores.
     */
    void runRaw(Path file, int maxLineBytes) throws CliError {
        TemplateMiner miner = minerConfig.build();
        TemplateLines lines = new TemplateLines(out);
        try (LineSource raw = LineSource.open(file, maxLineBytes)) {
            LineSource.Prefetch<PreparedMessage> batches = raw.prefetch(miner::newPreparedMessage, PREPARE);
            try {
                for (LineSource.Batch<PreparedMessage> batch = batches.take(); batch != null; batch = batches.take()) {
                    for (int i = 0, n = batch.size(); i < n; i++) {
                        lines.write(batch.lineNumber(i), miner.add(batch.holder(i)));
                    }
                    batches.release(batch);
                }
            } finally {
                batches.stop();
                lines.flush();
            }
            warn(file, raw.warnings());
        } catch (IOException | RuntimeException e) {
            throw LogInput.readError(file, e);
        }
    }

    /** Lines are prepared for mining (tokenised, masked) on the reading thread; ASCII ones from the read buffer. */
    private static final LineSource.LineSink<PreparedMessage> PREPARE = new LineSource.LineSink<>() {
        @Override
        public void ascii(PreparedMessage holder, byte[] bytes, int from, int to) {
            holder.prepareAscii(bytes, from, to);
        }

        @Override
        public void text(PreparedMessage holder, String line) {
            holder.prepare(line);
        }
    };

    private void warn(Path file, String warnings) {
        if (!warnings.isEmpty()) {
            err.println("logwarden: " + file + ": " + warnings);
        }
    }

    /** Writes {@code {"line":N,"templateId":"T3","template":"..."}} lines as UTF-8 through one buffer. */
    static final class TemplateLines {
        private static final byte[] HEAD = "{\"line\":".getBytes(StandardCharsets.US_ASCII);

        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        /** Template -> its encoded tail, valid while the template's pattern is the same String instance. */
        private final Map<Template, Tail> tails = new IdentityHashMap<>();

        private record Tail(String pattern, byte[] bytes) {
        }

        TemplateLines(OutputStream out) {
            this.out = out;
        }

        void write(long line, Template template) {
            String pattern = template.pattern();
            Tail tail = tails.get(template);
            if (tail == null || tail.pattern != pattern) {
                tail = new Tail(pattern, tail(template.id(), pattern));
                tails.put(template, tail);
            }
            byte[] t = tail.bytes;
            if (pos + HEAD.length + 20 + t.length > buf.length) {
                drain();
                if (HEAD.length + 20 + t.length > buf.length) {
                    writeThrough(line, t);
                    return;
                }
            }
            System.arraycopy(HEAD, 0, buf, pos, HEAD.length);
            pos += HEAD.length;
            pos = putLong(buf, pos, line);
            System.arraycopy(t, 0, buf, pos, t.length);
            pos += t.length;
        }

        void flush() {
            drain();
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("writing the output", e);
            }
        }

        private void writeThrough(long line, byte[] t) {
            byte[] head = new byte[HEAD.length + 20];
            System.arraycopy(HEAD, 0, head, 0, HEAD.length);
            int n = putLong(head, HEAD.length, line);
            try {
                out.write(head, 0, n);
                out.write(t);
            } catch (IOException e) {
                throw new UncheckedIOException("writing the output", e);
            }
        }

        private void drain() {
            if (pos == 0) {
                return;
            }
            try {
                out.write(buf, 0, pos);
            } catch (IOException e) {
                throw new UncheckedIOException("writing the output", e);
            }
            pos = 0;
        }

        /** {@code ,"templateId":"T3","template":"..."}\n} as UTF-8, JSON-escaped. */
        static byte[] tail(String id, String pattern) {
            StringBuilder sb = new StringBuilder(pattern.length() + id.length() + 32);
            sb.append(",\"templateId\":\"");
            escape(sb, id);
            sb.append("\",\"template\":\"");
            escape(sb, pattern);
            sb.append("\"}\n");
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** JSON string escaping (RFC 8259): quote, backslash and control characters. */
        static void escape(StringBuilder sb, String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    case '\b' -> sb.append("\\b");
                    case '\f' -> sb.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
        }

        private static int putLong(byte[] b, int p, long v) {
            if (v < 0) {
                b[p++] = '-';
                if (v == Long.MIN_VALUE) {
                    byte[] s = Long.toString(v).substring(1).getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(s, 0, b, p, s.length);
                    return p + s.length;
                }
                v = -v;
            }
            int digits = 1;
            for (long x = v; x >= 10; x /= 10) {
                digits++;
            }
            int end = p + digits;
            for (int i = end - 1; i >= p; i--) {
                b[i] = (byte) ('0' + (v % 10));
                v /= 10;
            }
            return end;
        }
    }
}
