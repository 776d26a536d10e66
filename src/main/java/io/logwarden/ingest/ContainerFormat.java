package io.logwarden.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Logs of containers as the runtime stores them, each record wrapping one line the program wrote:
 * <pre>
 * docker-json: {"log":"2026-01-15 10:00:00.123 ERROR 1 --- [main] c.a.Api : failed\n","stream":"stderr","time":"2026-01-15T10:00:00.1234Z"}
 * cri:         2026-01-15T10:00:00.123456789Z stderr F 2026-01-15 10:00:00.123 ERROR 1 --- [main] c.a.Api : failed
 * </pre>
 * The wrapped text is read again with an inner format, detected from the file's first records (an application
 * log, JSON, a layout...): its level, timestamp and fields come through, and stack-trace lines fold into the
 * event before them. Text no inner format reads is a message stamped with the record's time. Runtimes split
 * long lines: Docker leaves the newline off all but the last part, CRI tags the parts {@code P} and the last one
 * {@code F}; {@link EventBatches} joins them. Immutable and thread-safe.
 */
final class ContainerFormat implements LogFormat {

    enum Wrapper {
        DOCKER("docker-json"), CRI("cri");

        final String formatName;

        Wrapper(String formatName) {
            this.formatName = formatName;
        }
    }

    /**
     * One record taken apart.
     *
     * @param text      the wrapped line without its newline
     * @param time      the runtime's timestamp, null if unreadable
     * @param stream    stdout or stderr
     * @param partial   whether the line goes on in the next record of the same stream
     * @param nonString whether a Docker {@code log} field was not a string (its JSON text is the line)
     */
    record Unwrapped(String text, Instant time, String stream, boolean partial, boolean nonString) {
    }

    private final Wrapper wrapper;
    private final LogFormat inner;
    private final ObjectMapper mapper;
    private final JsonFactory factory;
    private final TimestampParser timestamps;

    ContainerFormat(Wrapper wrapper, LogFormat inner, ObjectMapper mapper, TimestampParser timestamps) {
        this.wrapper = wrapper;
        this.inner = inner;
        this.mapper = mapper;
        this.factory = mapper.getFactory();
        this.timestamps = timestamps;
    }

    /** The same wrapper reading its lines with {@code inner} (null: each line is a message). */
    ContainerFormat withInner(LogFormat inner) {
        return new ContainerFormat(wrapper, inner, mapper, timestamps);
    }

    LogFormat inner() {
        return inner;
    }

    @Override
    public String name() {
        return wrapper.formatName;
    }

    @Override
    public String description() {
        return wrapper.formatName + " > " + (inner == null ? "text" : inner.description());
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        Unwrapped u = unwrap(line);
        if (u == null) return null;
        LogEvent event = innerEvent(u.text(), u, source, ref);
        return event != null ? event : textEvent(u.text(), u, source, ref);
    }

    @Override
    public boolean startsEvent(String line) {
        return unwrap(line) != null;
    }

    /** The record taken apart, or null when the line is not one of this runtime's records. */
    Unwrapped unwrap(String line) {
        return wrapper == Wrapper.CRI ? cri(line) : docker(line);
    }

    /** The wrapped line read by the inner format, with the record's time when it has none; null if it does not parse. */
    LogEvent innerEvent(String text, Unwrapped u, String source, SourceRef ref) {
        if (inner == null) return null;
        LogEvent e = inner.parse(text, source, ref);
        if (e == null) return null;
        Map<String, String> attributes = new HashMap<>(e.attributes());
        if (u != null && u.stream() != null) attributes.put("stream", u.stream());
        return new LogEvent(e.source(), e.timestamp() != null ? e.timestamp() : u == null ? null : u.time(), e.level(),
                e.service(), e.host(), e.message(), attributes, e.raw(), e.ref());
    }

    /** The wrapped line as a message stamped with the record's time; the level from a level word in it. */
    LogEvent textEvent(String text, Unwrapped u, String source, SourceRef ref) {
        Level level = LevelWords.find(text);
        Map<String, String> attributes = u == null || u.stream() == null ? Map.of() : Map.of("stream", u.stream());
        return new LogEvent(source, u == null ? null : u.time(), level == null ? Level.UNKNOWN : level, null, null,
                text, attributes, text, ref);
    }

    // <RFC 3339 nano time> <stdout|stderr> <P|F>[:more tags] <text>
    private Unwrapped cri(String line) {
        int tsEnd = TimestampParser.isoEnd(line, 0);
        if (tsEnd < 0 || tsEnd >= line.length() || line.charAt(tsEnd) != ' ' || line.charAt(10) != 'T') return null;
        int streamEnd = line.indexOf(' ', tsEnd + 1);
        if (streamEnd < 0) return null;
        String stream = line.substring(tsEnd + 1, streamEnd);
        if (!stream.equals("stdout") && !stream.equals("stderr")) return null;
        int tagEnd = line.indexOf(' ', streamEnd + 1);
        if (tagEnd < 0) tagEnd = line.length();
        if (tagEnd == streamEnd + 1) return null;
        char tag = line.charAt(streamEnd + 1);
        if ((tag != 'P' && tag != 'F') || (tagEnd > streamEnd + 2 && line.charAt(streamEnd + 2) != ':')) return null;
        String text = tagEnd + 1 <= line.length() ? line.substring(Math.min(tagEnd + 1, line.length())) : "";
        return new Unwrapped(text, timestamps.iso(line, 0, tsEnd), stream, tag == 'P', false);
    }

    // {"log":"...\n","stream":"stderr","time":"..."} with the fields in any order and others ignored.
    private Unwrapped docker(String line) {
        if (line.isEmpty() || line.charAt(0) != '{') return null;
        String text = null;
        String stream = null;
        String time = null;
        boolean nonString = false;
        try (JsonParser parser = factory.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) return null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "log" -> {
                        if (token == JsonToken.VALUE_STRING) {
                            text = parser.getText();
                        } else {
                            nonString = true;
                            text = token == JsonToken.VALUE_NULL ? "" : token.isStructStart()
                                    ? mapper.readTree(parser).toString() : parser.getText();
                        }
                    }
                    case "stream" -> stream = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "time" -> time = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) return null;
        } catch (IOException e) {
            return null;
        }
        if (text == null || (stream == null && time == null)) return null;
        boolean partial = !nonString && !text.endsWith("\n");
        int end = text.length();
        if (end > 0 && text.charAt(end - 1) == '\n') end--;
        if (end > 0 && text.charAt(end - 1) == '\r') end--;
        return new Unwrapped(text.substring(0, end), time == null ? null : timestamps.parse(time), stream, partial, nonString);
    }
}
