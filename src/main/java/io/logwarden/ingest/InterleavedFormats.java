package io.logwarden.ingest;

import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;

/**
 * Two formats written line by line into one file: Gunicorn's own lines ({@code [2026-12-03 09:44:03 +0000] [32646]
 * [CRITICAL] WORKER TIMEOUT (pid:334)}) and its application's Python logging ({@code 2026-12-03 09:44:01,498 WARNING
 * [orders] …}) in one error log, a supervisor's lines among its child's. A line is read by the first format, else by
 * the second; a line neither reads is folded into the event before it when either format folds such lines.
 * {@link FormatDetector} pairs them when one format reads most of a file's lines and another nearly all the rest.
 */
final class InterleavedFormats implements LogFormat {

    private final LogFormat first;
    private final LogFormat second;

    InterleavedFormats(LogFormat first, LogFormat second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public String name() {
        return first.name() + " + " + second.name();
    }

    @Override
    public String description() {
        return first.description() + " + " + second.description();
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        LogEvent event = first.parse(line, source, ref);
        return event != null ? event : second.parse(line, source, ref);
    }

    @Override
    public boolean startsEvent(String line) {
        return first.startsEvent(line) || second.startsEvent(line);
    }

    @Override
    public boolean foldsUntimedLines() {
        return first.foldsUntimedLines() || second.foldsUntimedLines();
    }

    @Override
    public boolean foldsContinuations() {
        return first.foldsContinuations() || second.foldsContinuations();
    }

    @Override
    public boolean continues(String line) {
        return first.continues(line) || second.continues(line);
    }

    /** The folded lines joined as the format that reads the event's first line joins them. */
    @Override
    public LogEvent withFolded(LogEvent event, String folded) {
        return (first.parse(event.raw(), "", null) != null ? first : second).withFolded(event, folded);
    }
}
