package io.logwarden.event;

import java.time.Instant;
import java.util.Map;

/**
 * One event from any source: a log line (with its folded continuation lines), a database row, an API
 * record or a Kafka message. Immutable.
 *
 * @param source     the configured source name (for files: the file name); detection state is per source
 * @param timestamp  when it happened; null when the record carried none or it could not be read
 *                   (the validator quarantines such events)
 * @param level      declared or derived level
 * @param service    service, program or logger name; may be null
 * @param host       host name or client address; may be null
 * @param message    the free text that template mining works on
 * @param attributes other fields (status, latency, bytes, pid, request id, ...), never null: always {@link Attributes}
 *                   (another map given is copied, in its order)
 * @param raw        the original text as read, multi-line events included
 * @param ref        where it came from
 */
public record LogEvent(
        String source,
        Instant timestamp,
        Level level,
        String service,
        String host,
        String message,
        Map<String, String> attributes,
        String raw,
        SourceRef ref) {

    public LogEvent {
        attributes = Attributes.of(attributes); // one map class for every event (none: Attributes.NONE)
        level = level == null ? Level.UNKNOWN : level;
    }

    /** The same event with more text appended, for continuation lines (stack traces, tracebacks). */
    public LogEvent withContinuation(String line) {
        return new LogEvent(source, timestamp, level, service, host,
                message + "\n" + line, attributes, raw + "\n" + line, ref);
    }
}
