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
import java.util.List;
import java.util.Map;

/**
 * JSON lines: one object per line. The timestamp, level, message, service and host come from the configured
 * field names (the first present wins); other scalar fields become attributes, nested objects are flattened
 * to dotted names ({@code log.level}) up to three levels, arrays are left in the raw text only.
 * Streams the tokens instead of building a tree, as this runs once per line.
 */
final class JsonFormat implements LogFormat {

    private static final int MAX_DEPTH = 3;

    private final JsonFactory factory;
    private final TimestampParser timestamps;
    private final IngestSettings.JsonFields fields;

    JsonFormat(ObjectMapper mapper, TimestampParser timestamps, IngestSettings.JsonFields fields) {
        this.factory = mapper.getFactory();
        this.timestamps = timestamps;
        this.fields = fields;
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public boolean startsEvent(String line) {
        return !line.isEmpty() && line.charAt(0) == '{' && parse(line, "", null) != null;
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        if (line.isEmpty() || line.charAt(0) != '{') return null;
        Map<String, String> values = new HashMap<>(16);
        try (JsonParser parser = factory.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) return null;
            readObject(parser, "", values, 0);
            if (parser.nextToken() != null) return null;
        } catch (IOException e) {
            return null;
        }
        String timestampText = take(values, fields.timestamp());
        String levelText = take(values, fields.level());
        String message = take(values, fields.message());
        String service = take(values, fields.service());
        String host = take(values, fields.host());
        Instant timestamp = null;
        if (timestampText != null) {
            timestamp = timestamps.parse(timestampText);
            if (timestamp == null) values.put("timestamp.raw", timestampText);
        }
        return new LogEvent(source, timestamp, level(levelText), service, host,
                message == null ? line : message, values, line, ref);
    }

    private static void readObject(JsonParser parser, String prefix, Map<String, String> values, int depth)
            throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = prefix.isEmpty() ? parser.currentName() : prefix + parser.currentName();
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                if (depth + 1 < MAX_DEPTH) {
                    readObject(parser, name + ".", values, depth + 1);
                } else {
                    parser.skipChildren();
                }
            } else if (token == JsonToken.START_ARRAY) {
                parser.skipChildren();
            } else if (token != JsonToken.VALUE_NULL && token != null) {
                values.put(name, parser.getText());
            }
        }
    }

    private static String take(Map<String, String> values, List<String> names) {
        for (String name : names) {
            String value = values.remove(name);
            if (value != null) return value;
        }
        return null;
    }

    // Words, or the numeric levels of bunyan and pino (10 trace .. 60 fatal).
    private static Level level(String text) {
        if (text == null) return Level.UNKNOWN;
        if (!text.isEmpty() && TimestampParser.isDigit(text.charAt(0))) {
            switch (text) {
                case "10": return Level.TRACE;
                case "20": return Level.DEBUG;
                case "30": return Level.INFO;
                case "40": return Level.WARN;
                case "50": return Level.ERROR;
                case "60": return Level.FATAL;
                default: return Level.UNKNOWN;
            }
        }
        return Level.parse(text);
    }
}
