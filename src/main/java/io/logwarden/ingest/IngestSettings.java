package io.logwarden.ingest;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How files are read. A plain record so that it can be built from Spring configuration or by hand in tests.
 *
 * @param maxLineBytes        longer lines are cut to this many bytes and flagged with {@code size.error}
 * @param batchSize           events per batch handed to the pipeline
 * @param sampleLines         non-blank lines read to detect a file's format
 * @param minFormatShare      share (0..1) of sampled event lines a format must parse to be chosen
 * @param defaultZone         zone for timestamps that carry none
 * @param fileFormatOverrides file-name glob (for example {@code *.access.log}) to format name; skips detection
 * @param jsonFields          which JSON fields hold the timestamp, level, message, service and host
 * @param userFormats         user-defined regular-expression formats
 */
public record IngestSettings(
        int maxLineBytes,
        int batchSize,
        int sampleLines,
        double minFormatShare,
        ZoneId defaultZone,
        Map<String, String> fileFormatOverrides,
        JsonFields jsonFields,
        List<UserFormat> userFormats) {

    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

    public IngestSettings {
        if (maxLineBytes < 256) {
            throw new IllegalArgumentException("maxLineBytes must be at least 256, was " + maxLineBytes);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        if (sampleLines < 1) {
            throw new IllegalArgumentException("sampleLines must be at least 1, was " + sampleLines);
        }
        if (minFormatShare <= 0 || minFormatShare > 1) {
            throw new IllegalArgumentException("minFormatShare must be in (0, 1], was " + minFormatShare);
        }
        defaultZone = defaultZone == null ? ZoneId.of("UTC") : defaultZone;
        fileFormatOverrides = fileFormatOverrides == null ? Map.of() : Map.copyOf(fileFormatOverrides);
        jsonFields = jsonFields == null ? JsonFields.defaults() : jsonFields;
        userFormats = userFormats == null ? List.of() : List.copyOf(userFormats);
    }

    /** The same settings with other file-name → format overrides. */
    public IngestSettings withFileFormatOverrides(Map<String, String> overrides) {
        return new IngestSettings(maxLineBytes, batchSize, sampleLines, minFormatShare, defaultZone, overrides,
                jsonFields, userFormats);
    }

    /** These settings with batches of {@code size} events. */
    public IngestSettings withBatchSize(int size) {
        return new IngestSettings(maxLineBytes, size, sampleLines, minFormatShare, defaultZone, fileFormatOverrides,
                jsonFields, userFormats);
    }

    /** 64 KiB lines, batches of 4000, 200 sample lines, 60% share, UTC, no overrides, usual JSON names, no user formats. */
    public static IngestSettings defaults() {
        return new IngestSettings(DEFAULT_MAX_LINE_BYTES, 4000, 200, 0.6, ZoneId.of("UTC"),
                Map.of(), JsonFields.defaults(), List.of());
    }

    /**
     * JSON field names per role, tried in order; dotted names reach into nested objects
     * ({@code log.level}). An empty or null list means the usual names.
     */
    public record JsonFields(List<String> timestamp, List<String> level, List<String> message,
                             List<String> service, List<String> host) {

        public JsonFields {
            timestamp = orDefault(timestamp, List.of("@timestamp", "timestamp", "time", "ts", "datetime", "date",
                    "t.$date"));
            level = orDefault(level, List.of("level", "severity", "lvl", "log.level", "loglevel", "levelname",
                    "level_name", "s"));
            message = orDefault(message, List.of("message", "msg", "log", "text", "short_message", "@message"));
            service = orDefault(service, List.of("service", "service.name", "logger", "logger_name", "log.logger",
                    "app", "application", "name"));
            host = orDefault(host, List.of("host", "hostname", "host.name", "host.hostname"));
        }

        public static JsonFields defaults() {
            return new JsonFields(null, null, null, null, null);
        }

        private static List<String> orDefault(List<String> names, List<String> defaults) {
            return names == null || names.isEmpty() ? defaults : List.copyOf(names);
        }
    }

    /**
     * A user format: either a regular expression with named groups {@code timestamp}, {@code level},
     * {@code message}, {@code service}, {@code host} (other named groups become attributes), or a layout as
     * inference prints it ({@code <timestamp:yyMMdd HHmmss> <pid> <level> <component>: <message>}), which pins
     * an inferred layout.
     *
     * @param timestampPattern a {@link java.time.format.DateTimeFormatter} pattern for the regex's timestamp
     *                         group, or null to read it with the built-in parser
     */
    public record UserFormat(String name, String regex, String timestampPattern, String layout) {
        public UserFormat {
            Objects.requireNonNull(name, "name");
            if ((regex == null || regex.isBlank()) == (layout == null || layout.isBlank())) {
                throw new IllegalArgumentException("user format '" + name + "' needs either a regex or a layout");
            }
        }
    }
}
