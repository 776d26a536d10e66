package io.logwarden.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.event.HttpMethods;
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
 * The usual names of common libraries are known: logback's logstash encoder ({@code @timestamp}, {@code level},
 * {@code logger_name}, {@code stack_trace}), ECS ({@code log.level}, {@code service.name},
 * {@code error.stack_trace}), Bunyan and pino (numeric levels 10 to 60, {@code msg}, {@code name}, pino's epoch
 * milliseconds), zap ({@code ts} in epoch seconds, {@code stacktrace}) and GELF ({@code short_message},
 * {@code full_message}, syslog severities 0 to 7 as {@code level}). A stack trace field is appended to the
 * message as folded lines are. A record that is an HTTP request is read as an access-log line is (see
 * {@link #httpRequest}). Streams the tokens instead of building a tree, as this runs once per line.
 */
final class JsonFormat implements LogFormat {

    private static final int MAX_DEPTH = 3;
    private static final List<String> STACK_FIELDS = List.of("stack_trace", "error.stack_trace", "stacktrace",
            "full_message", "err.stack", "exception", "exc_info");

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
        boolean gelf = values.containsKey("short_message");
        String timestampText = take(values, fields.timestamp());
        String levelText = take(values, fields.level());
        String message = take(values, fields.message());
        String stack = take(values, STACK_FIELDS);
        if (gelf && stack != null && stack.equals(message)) stack = null;
        if (stack != null && !stack.isBlank()) {
            message = message == null || stack.startsWith(message) ? stack : message + "\n" + stack;
        }
        String service = take(values, fields.service());
        String host = take(values, fields.host());
        Level level = gelf ? gelfLevel(levelText) : level(levelText);
        int status = httpRequest(values);
        if (status > 0 && saysNothing(message)) { // an access record: read as an access-log line is
            message = request(values, status);
            level = Level.fromHttpStatus(status);
        }
        Instant timestamp = null;
        if (timestampText != null) {
            timestamp = timestamps.parse(timestampText);
            if (timestamp == null) timestamp = exponentSeconds(timestampText);
            if (timestamp == null) values.put("timestamp.raw", timestampText);
        }
        return new LogEvent(source, timestamp, level, service, host, message == null ? line : message, values, line, ref);
    }

    // The fields of an HTTP request in the JSON access logs of Caddy ("request": {"remote_ip", "method", "uri",
    // "proto"}, "status", "size", "duration" in seconds), Traefik, ECS (http.*, url.*, source.ip) and nginx's or
    // Envoy's JSON log_format, first present wins; renamed to the names the access-log formats give.
    private static final List<String> CLIENT = List.of("request.client_ip", "request.remote_ip", "client_ip", "remote_ip",
            "remote_addr", "ClientHost", "client.ip", "source.ip");
    private static final List<String> METHOD = List.of("request.method", "method", "http.request.method", "request_method",
            "RequestMethod");
    private static final List<String> PATH = List.of("request.uri", "uri", "request_uri", "url.original", "url.path",
            "path", "RequestPath");
    private static final List<String> PROTOCOL = List.of("request.proto", "protocol", "server_protocol", "RequestProtocol");
    private static final List<String> STATUS = List.of("status", "http.response.status_code", "status_code",
            "response_code", "DownstreamStatus");
    private static final List<String> BYTES = List.of("size", "bytes", "body_bytes_sent", "bytes_sent",
            "DownstreamContentSize"); // ECS's http.response.body.bytes is deeper than the three levels read
    private static final List<String> SECONDS = List.of("request_time", "duration");

    /**
     * The status of a record that is an HTTP request (an HTTP method, a path or URL and a status of 100 to 599 among
     * its fields), with its fields renamed: {@code client}, {@code method}, {@code path}, {@code protocol},
     * {@code status}, {@code bytes}, {@code request_time} (seconds, only when written with a fraction), {@code user};
     * 0 for any other record, whose fields stay as they are.
     */
    private static int httpRequest(Map<String, String> values) {
        String method = first(values, METHOD);
        if (method == null || !HttpMethods.is(method)) return 0; // most records: no method, one look-up a name
        String path = first(values, PATH);
        if (path == null || path.isEmpty() || !(path.charAt(0) == '/' || path.startsWith("http") || path.equals("*"))) return 0;
        String statusText = first(values, STATUS);
        if (statusText == null || statusText.length() != 3) return 0;
        int status;
        try {
            status = Integer.parseInt(statusText);
        } catch (NumberFormatException e) {
            return 0;
        }
        if (status < 100 || status > 599) return 0;
        rename(values, METHOD, "method");
        rename(values, PATH, "path");
        rename(values, STATUS, "status");
        rename(values, CLIENT, "client");
        rename(values, PROTOCOL, "protocol");
        rename(values, BYTES, "bytes");
        String seconds = first(values, SECONDS);
        if (seconds != null && seconds.indexOf('.') > 0) rename(values, SECONDS, "request_time");
        String user = values.remove("user_id");
        if (user != null && !user.isEmpty() && !user.equals("-")) values.put("user", user);
        return status;
    }

    /**
     * Whether a request record's message is none, or a fixed phrase of at most three words without digits or colons
     * (Caddy's "handled request"): then the request is the message. A message that says what went wrong (Caddy's
     * error log: "dial tcp 127.0.0.1:20004: connect: connection refused", with the request beside it) stays.
     */
    private static boolean saysNothing(String message) {
        if (message == null) return true;
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (TimestampParser.isDigit(c) || c == ':' || c == '\n') return false;
            if (c == ' ') {
                inWord = false;
            } else if (!inWord) {
                inWord = true;
                if (++words > 3) return false;
            }
        }
        return true;
    }

    /** "METHOD path protocol status", the message an access-log line gives. */
    private static String request(Map<String, String> values, int status) {
        String protocol = values.get("protocol");
        return values.get("method") + " " + values.get("path") + (protocol == null ? "" : " " + protocol) + " " + status;
    }

    private static String first(Map<String, String> values, List<String> names) {
        for (String name : names) {
            String value = values.get(name);
            if (value != null) return value;
        }
        return null;
    }

    private static void rename(Map<String, String> values, List<String> names, String to) {
        String value = take(values, names);
        if (value != null) values.put(to, value);
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

    // zap's default encoder writes ts as a float: 1.7368e+09 (Jackson gives 1.7368E9).
    private static Instant exponentSeconds(String text) {
        if (text.indexOf('E') < 0 && text.indexOf('e') < 0) return null;
        try {
            java.math.BigDecimal seconds = new java.math.BigDecimal(text);
            if (seconds.signum() < 0 || seconds.compareTo(java.math.BigDecimal.valueOf(4_102_444_800L)) > 0) return null;
            long whole = seconds.longValue();
            long nanos = seconds.subtract(java.math.BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(whole, nanos);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // GELF levels are syslog severities (0 emergency .. 7 debug).
    private static Level gelfLevel(String text) {
        if (text != null && text.length() == 1 && TimestampParser.isDigit(text.charAt(0))) {
            return Level.fromSyslogSeverity(text.charAt(0) - '0');
        }
        return level(text);
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
