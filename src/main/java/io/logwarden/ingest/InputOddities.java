package io.logwarden.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What was odd in a file that was read anyway, for the job and the report: each kind counted with the line where it
 * first happened, plus sentences about how the file was read (a fallback format, a header change). Written by the
 * reading thread; {@link #sentences} may be called from another (the counts are then approximate).
 */
final class InputOddities {

    private final Oddity untimed = new Oddity();
    private final Oddity backwards = new Oddity();
    private final Oddity nonStringLogs = new Oddity();
    private final Oddity unfinishedPartials = new Oddity();
    private final Oddity unwrappedLines = new Oddity();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private Instant lastTimestamp;
    private volatile long maxBackMillis;

    /** A line without a timestamp between timed ones. */
    void untimed(long line) {
        untimed.add(line);
    }

    /** An event's timestamp, in file order: one earlier than the one before is counted. */
    void timestamp(Instant t, long line) {
        if (t == null) return;
        if (lastTimestamp != null && t.isBefore(lastTimestamp)) {
            backwards.add(line);
            maxBackMillis = Math.max(maxBackMillis, lastTimestamp.toEpochMilli() - t.toEpochMilli());
        }
        lastTimestamp = t;
    }

    /** The header changed: timestamps start over. */
    void headerChanged(String sentence) {
        notes.add(sentence);
        lastTimestamp = null;
    }

    void nonStringLog(long line) {
        nonStringLogs.add(line);
    }

    void unfinishedPartial(long line) {
        unfinishedPartials.add(line);
    }

    void unwrapped(long line) {
        unwrappedLines.add(line);
    }

    void note(String sentence) {
        notes.add(sentence);
    }

    /**
     * One sentence per odd thing, lower-case first.
     *
     * @param folded    whether untimed lines were folded into the event before them
     * @param container the container format's name, for lines that were not its records
     */
    List<String> sentences(boolean folded, String container) {
        List<String> list = new ArrayList<>(notes);
        if (untimed.count > 0) {
            list.add(untimed.count + (untimed.count == 1 ? " line" : " lines") + " without a timestamp between timed ones"
                    + (folded ? ", folded into the event before them" : "") + " (first: line " + untimed.first + ")");
        }
        if (backwards.count > 0) {
            list.add(backwards.count + (backwards.count == 1 ? " event has" : " events have")
                    + " a timestamp earlier than the event before (first: line " + backwards.first + "; up to "
                    + span(maxBackMillis) + " back)");
        }
        if (nonStringLogs.count > 0) {
            list.add(nonStringLogs.count + (nonStringLogs.count == 1 ? " record's" : " records'")
                    + " \"log\" field is not a string; its JSON text was read as the line (first: line " + nonStringLogs.first + ")");
        }
        if (unfinishedPartials.count > 0) {
            list.add(unfinishedPartials.count + (unfinishedPartials.count == 1 ? " partial line was" : " partial lines were")
                    + " never completed; read as far as written (first: line " + unfinishedPartials.first + ")");
        }
        if (unwrappedLines.count > 0) {
            list.add(unwrappedLines.count + (unwrappedLines.count == 1 ? " line is" : " lines are") + " not "
                    + container + " records; read as text (first: line " + unwrappedLines.first + ")");
        }
        return list;
    }

    // 1m5s, 2h3m, 843d8h: a span as a person reads it.
    static String span(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (d.toDays() >= 1) return d.toDays() + "d" + (d.toHoursPart() > 0 ? d.toHoursPart() + "h" : "");
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** How often something odd happened, and the first line where it did. */
    private static final class Oddity {
        private volatile long count;
        private volatile long first;

        void add(long line) {
            if (count == 0) first = line;
            count++;
        }
    }
}
