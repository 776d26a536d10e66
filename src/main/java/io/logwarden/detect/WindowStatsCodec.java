package io.logwarden.detect;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The storage format of windows still open when a job of a continuous source (Kafka, a database, an API) ends:
 * their counts, influencer values and one example per template, so that the next job adds the late events to them
 * and judges them whole. A versioned binary layout; an unreadable one is dropped, never fatal.
 */
public final class WindowStatsCodec {

    private static final int VERSION = 3; // 3: the bad events' count; 2: the error events' values (1 and 2 are read without them)

    private WindowStatsCodec() {
    }

    /** Windows of one length, and that length. */
    public record Stored(long windowMillis, List<WindowStats> windows) {
    }

    public static byte[] write(long windowMillis, List<WindowStats> windows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeLong(windowMillis);
            out.writeInt(windows.size());
            for (WindowStats w : windows) {
                out.writeLong(w.index);
                for (long v : new long[] {w.events, w.errors, w.warnings, w.auth, w.requests, w.serverErrors}) {
                    out.writeLong(v);
                }
                out.writeInt(w.levels.length);
                for (long v : w.levels) out.writeLong(v);
                out.writeInt(w.templates.size());
                for (Map.Entry<String, WindowStats.TemplateCount> e : w.templates.entrySet()) {
                    WindowStats.TemplateCount c = e.getValue();
                    writeLong(out, e.getKey());
                    out.writeLong(c.count);
                    out.writeLong(c.errors);
                    out.writeLong(c.warnings);
                    out.writeLong(c.auth);
                    out.writeBoolean(c.example != null);
                    if (c.example != null) writeEvent(out, c.example);
                    out.writeBoolean(c.badExample != null);
                    if (c.badExample != null) writeEvent(out, c.badExample);
                }
                out.writeInt(w.exceptions.size());
                for (Map.Entry<String, Long> e : w.exceptions.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeLong(e.getValue());
                }
                writeValues(out, w.allValues);
                writeValues(out, w.badValues);
                writeValues(out, w.errorValues);
                out.writeLong(w.badEvents);
            }
        }
        return bytes.toByteArray();
    }

    public static Stored read(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readInt();
            if (version < 1 || version > VERSION) throw new IOException("unknown open-windows format " + version);
            long millis = in.readLong();
            int n = in.readInt();
            List<WindowStats> windows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                WindowStats w = new WindowStats(in.readLong());
                w.events = in.readLong();
                w.errors = in.readLong();
                w.warnings = in.readLong();
                w.auth = in.readLong();
                w.requests = in.readLong();
                w.serverErrors = in.readLong();
                int levels = in.readInt();
                for (int l = 0; l < levels; l++) {
                    long v = in.readLong();
                    if (l < w.levels.length) w.levels[l] = v;
                }
                int templates = in.readInt();
                for (int t = 0; t < templates; t++) {
                    WindowStats.TemplateCount c = new WindowStats.TemplateCount();
                    String id = readLong(in);
                    c.count = in.readLong();
                    c.errors = in.readLong();
                    c.warnings = in.readLong();
                    c.auth = in.readLong();
                    if (in.readBoolean()) c.example = readEvent(in);
                    if (in.readBoolean()) c.badExample = readEvent(in);
                    w.templates.put(id, c);
                }
                int exceptions = in.readInt();
                for (int x = 0; x < exceptions; x++) w.exceptions.put(in.readUTF(), in.readLong());
                readValues(in, w.allValues);
                readValues(in, w.badValues);
                if (version >= 2) readValues(in, w.errorValues);
                // before version 3: an event both an error and an authentication failure counted twice, at most
                w.badEvents = version >= 3 ? in.readLong() : Math.min(w.events, w.errors + w.warnings + w.auth);
                windows.add(w);
            }
            return new Stored(millis, windows);
        }
    }

    private static void writeEvent(DataOutputStream out, LogEvent e) throws IOException {
        out.writeUTF(e.source() == null ? "" : e.source());
        out.writeLong(e.timestamp() == null ? Long.MIN_VALUE : e.timestamp().toEpochMilli());
        out.writeUTF(e.level().name());
        writeLong(out, e.message());
        writeLong(out, e.raw() == null ? e.message() : e.raw());
        out.writeBoolean(e.ref() != null);
        if (e.ref() != null) {
            out.writeUTF(e.ref().origin() == null ? "" : e.ref().origin());
            out.writeLong(e.ref().line());
            out.writeUTF(e.ref().key() == null ? "" : e.ref().key());
        }
    }

    private static LogEvent readEvent(DataInputStream in) throws IOException {
        String source = in.readUTF();
        long ts = in.readLong();
        Level level = Level.valueOf(in.readUTF());
        String message = readLong(in);
        String raw = readLong(in);
        SourceRef ref = null;
        if (in.readBoolean()) {
            String origin = in.readUTF();
            long line = in.readLong();
            String key = in.readUTF();
            ref = new SourceRef(origin, line, key.isEmpty() ? null : key);
        }
        return new LogEvent(source, ts == Long.MIN_VALUE ? null : Instant.ofEpochMilli(ts), level, null, null, message,
                Map.of(), raw, ref);
    }

    // writeUTF stops at 64 KiB; evidence text is cut at Evidence.MAX_CHARS anyway.
    private static void writeLong(DataOutputStream out, String text) throws IOException {
        String cut = text.length() > Evidence.MAX_CHARS ? text.substring(0, Evidence.MAX_CHARS) : text;
        byte[] utf8 = cut.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readLong(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 4 * Evidence.MAX_CHARS + 16) throw new IOException("corrupt open-windows text");
        return new String(in.readNBytes(length), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeValues(DataOutputStream out, Map<String, TopValues> values) throws IOException {
        out.writeInt(values.size());
        for (Map.Entry<String, TopValues> field : values.entrySet()) {
            out.writeUTF(field.getKey());
            out.writeLong(field.getValue().untracked());
            Map<String, long[]> entries = field.getValue().entries();
            out.writeInt(entries.size());
            for (Map.Entry<String, long[]> e : entries.entrySet()) {
                writeLong(out, e.getKey());
                out.writeLong(e.getValue()[0]);
                out.writeLong(e.getValue()[1]);
            }
        }
    }

    private static void readValues(DataInputStream in, Map<String, TopValues> values) throws IOException {
        int fields = in.readInt();
        for (int f = 0; f < fields; f++) {
            TopValues top = new TopValues(WindowStats.VALUES_PER_FIELD);
            String field = in.readUTF();
            top.addUntracked(in.readLong());
            int entries = in.readInt();
            for (int e = 0; e < entries; e++) {
                top.add(readLong(in), in.readLong(), in.readLong());
            }
            values.put(field, top);
        }
    }
}
