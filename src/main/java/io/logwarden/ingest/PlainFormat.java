package io.logwarden.ingest;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.util.Map;

/**
 * Text in which no timestamp was found: every line is an event without a time, its level from a level word in
 * it. What a file falls back to rather than failing; never detected. Stack-trace lines still fold.
 */
final class PlainFormat implements LogFormat {

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        if (line.isEmpty() || ContinuationLines.isContinuation(line)) return null;
        Level level = LevelWords.find(line);
        return new LogEvent(source, null, level == null ? Level.UNKNOWN : level, null, null, line, Map.of(), line, ref);
    }
}
