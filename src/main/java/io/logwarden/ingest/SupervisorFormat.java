package io.logwarden.ingest;

import io.logwarden.event.Attributes;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;

/**
 * Supervisor's own log ({@code supervisord.log}): a stamp with milliseconds after a comma, one of supervisord's
 * four-letter levels ({@code CRIT ERRO WARN INFO DEBG TRAC BLAT}) and the message.
 * <pre>
 * 2026-12-03 16:05:38,964 WARN exited: worker_00 (exit status 1; not expected)
 * 2026-12-03 16:05:46,618 INFO gave up: worker_00 entered FATAL state, too many start retries too quickly
 * 2026-12-03 16:10:11,441 INFO spawnerr: can't find command '/srv/app/venv/bin/python'
 * 2026-12-03 16:04:46,841 INFO spawned: 'webapp' with pid 4242
 * </pre>
 * The program a state change names ({@code exited: worker_00}, {@code spawned: 'webapp'}) is the event's service, so
 * that the program that crash-loops or is killed is named. Supervisor writes a program given up on and a command it
 * cannot start at level INFO: {@code gave up:} and {@code spawnerr:} are errors. The message stays as written.
 * Python's logging writes the same stamp with {@code INFO} and {@code WARN}; the {@code app} format reads such files
 * unless their name says supervisor or levels only supervisord writes ({@code ERRO DEBG TRAC BLAT}) are in them.
 */
final class SupervisorFormat implements LogFormat {

    private static final int STAMP = 23; // "2026-12-03 16:05:38,964"
    /** Where each state change names its program: after these words, up to a space, a comma or a quote. */
    private static final String[] NAMED_AFTER = {"exited: ", "stopped: ", "success: ", "gave up: ", "spawned: '",
            "waiting for ", "killing ", "spawnerr: unknown error making dispatchers for '"};

    private final TimestampParser timestamps;
    private final RecentText programs = new RecentText();

    SupervisorFormat(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    @Override
    public String name() {
        return "supervisor";
    }

    @Override
    public LogEvent parse(String line, String source, SourceRef ref) {
        int n = line.length();
        if (n < STAMP + 7 || line.charAt(STAMP) != ' ' || line.charAt(19) != ',' || line.charAt(STAMP + 5) != ' ') return null;
        Level level = level(line, STAMP + 1);
        if (level == null) return null;
        Instant timestamp = timestamps.iso(line, 0, STAMP);
        if (timestamp == null) return null;
        int p = STAMP + 6;
        if (line.startsWith("gave up: ", p) || line.startsWith("spawnerr: ", p)) level = Level.ERROR;
        return new LogEvent(source, timestamp, level, program(line, p), null, line.substring(p), Attributes.NONE, line, ref);
    }

    /** supervisord's four-letter level at {@code p}, read in place (no String a line), or null. */
    private static Level level(String line, int p) {
        for (int i = 0; i < LEVEL_NAMES.length; i++) {
            if (line.startsWith(LEVEL_NAMES[i], p)) return LEVELS[i];
        }
        return null;
    }

    private static final String[] LEVEL_NAMES = {"INFO", "WARN", "ERRO", "CRIT", "DEBG", "TRAC", "BLAT"};
    private static final Level[] LEVELS = {Level.INFO, Level.WARN, Level.ERROR, Level.ERROR, Level.DEBUG, Level.TRACE,
            Level.TRACE};

    /** The program a state change names, or null. */
    private String program(String line, int p) {
        for (String words : NAMED_AFTER) {
            if (!line.startsWith(words, p)) continue;
            int from = p + words.length();
            int to = from;
            while (to < line.length() && line.charAt(to) != ' ' && line.charAt(to) != ',' && line.charAt(to) != '\'') to++;
            return to > from && to - from <= 80 ? programs.of(line, from, to) : null;
        }
        return null;
    }
}
