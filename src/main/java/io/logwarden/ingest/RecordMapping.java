package io.logwarden.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which field of a record (a column of a row, a path in a JSON object, a key of a plain map) fills which event
 * field. {@code key} identifies the record; with {@code timestamp} it forms a source's watermark. An empty
 * {@code key} is allowed where no watermark is kept (a CSV export read whole): such records have no key.
 */
public record RecordMapping(String timestamp, String message, String key, String level, String service, String host,
                            Map<String, String> attributes) {

    public RecordMapping {
        timestamp = timestamp == null ? "" : timestamp.strip();
        message = message == null ? "" : message.strip();
        key = key == null ? "" : key.strip();
        level = level == null ? "" : level.strip();
        service = service == null ? "" : service.strip();
        host = host == null ? "" : host.strip();
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The mapping written as {@link #parse} reads it. */
    public String spec() {
        StringBuilder sb = new StringBuilder();
        java.util.function.BiConsumer<String, String> add = (field, name) -> {
            if (!name.isEmpty()) sb.append(sb.isEmpty() ? "" : ", ").append(field).append('=').append(name);
        };
        add.accept("timestamp", timestamp);
        add.accept("message", message);
        add.accept("key", key);
        add.accept("level", level);
        add.accept("service", service);
        add.accept("host", host);
        attributes.forEach((name, field) -> add.accept("attributes." + name, field));
        return sb.toString();
    }

    /**
     * Reads a mapping written in a route, e.g. {@code "timestamp=time, message=text, level=severity,
     * attributes.user=login"}: event field = record field, comma-separated. Fields not named stay empty, except
     * {@code timestamp} and {@code message}, which default to {@code ts} and {@code message} as in a source's
     * configuration.
     */
    public static RecordMapping parse(String spec) {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String part : spec == null ? new String[0] : spec.split(",")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IngestException("mapping '" + spec + "': '" + part.strip() + "' is not field=name"
                        + " (for example timestamp=time, message=text)");
            }
            String field = part.substring(0, eq).strip();
            String name = part.substring(eq + 1).strip();
            if (field.startsWith("attributes.") && field.length() > "attributes.".length()) {
                attributes.put(field.substring("attributes.".length()), name);
            } else if (java.util.List.of("timestamp", "message", "key", "level", "service", "host").contains(field)) {
                fields.put(field, name);
            } else {
                throw new IngestException("mapping '" + spec + "': unknown event field '" + field + "' (known:"
                        + " timestamp, message, key, level, service, host, attributes.<name>)");
            }
        }
        return new RecordMapping(fields.getOrDefault("timestamp", "ts"), fields.getOrDefault("message", "message"),
                fields.getOrDefault("key", ""), fields.get("level"), fields.get("service"), fields.get("host"), attributes);
    }
}
