package io.logwarden.ingest;

import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;

/**
 * A line format: turns one line into an event. Implementations are immutable and thread-safe.
 */
public interface LogFormat {

    /** The name used in configuration and reports: "nginx-access", "syslog", a user format's name. */
    String name();

    /**
     * Parses one line (no line terminator).
     *
     * @return the event, or null when the line does not match this format (it may then be a continuation
     *         line of the previous event, or an unparseable line)
     */
    LogEvent parse(String line, String source, SourceRef ref);

    /** Whether this line starts a new event; by default, whether it parses. */
    default boolean startsEvent(String line) {
        return parse(line, "", null) != null;
    }

    /**
     * How the job and the report show the format: its name, or for a layout the layout itself
     * ({@code inferred: <timestamp:yyMMdd HHmmss> <pid> <level> <component>: <message>}).
     */
    default String description() {
        return name();
    }

    /**
     * Whether any line that does not parse, not only one that looks like a stack frame, continues the event before
     * it: true for layouts, where a line without the header's timestamp is part of a multi-line message.
     */
    default boolean foldsUntimedLines() {
        return false;
    }

    /** Whether lines that do not parse but look like continuations (stack frames) are folded into the previous event. */
    default boolean foldsContinuations() {
        return true;
    }

    /**
     * Whether a line this format does not parse continues the event before it, so that it does not count against
     * the format when a file's format is detected: a stack frame by default; a format whose records span lines
     * (PHP-FPM's slow log) knows its own.
     */
    default boolean continues(String line) {
        return ContinuationLines.followsEvent(line);
    }

    /** The event with the lines folded into it (a record's later lines): by default appended to its message. */
    default LogEvent withFolded(LogEvent event, String folded) {
        return event.withContinuation(folded);
    }
}
