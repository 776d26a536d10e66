package io.logwarden.ingest;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.util.Map;

/**
 * Every line is one message, with no timestamp and no folding. Chosen explicitly (the CLI, benchmarks over
 * message-only data sets), never detected.
 */
final class RawFormat implements LogFormat {

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        return new LogEvent(source, null, Level.UNKNOWN, null, null, line, Map.of(), line, ref);
    }

    @Override
    public boolean foldsContinuations() {
        return false;
    }
}
