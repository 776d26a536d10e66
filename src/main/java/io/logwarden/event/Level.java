package io.logwarden.event;


/** The level a log line declares, normalised across formats (syslog severities, HTTP status classes, words). */
public enum Level {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL, UNKNOWN;

    /** True for ERROR and FATAL: the levels that error-burst detection counts. */
    public boolean isError() {
        return this == ERROR || this == FATAL;
    }

    /**
     * Reads the level words used by common loggers and formats: log4j/logback (WARN, SEVERE), syslog
     * (err, crit, emerg), Python (WARNING, CRITICAL), Go (panic) and single letters (E, W, I).
     * Returns UNKNOWN rather than failing: a level is useful but never required.
     */
    public static Level parse(String word) {
        if (word == null || word.isEmpty()) {
            return UNKNOWN;
        }
        String w = word.trim();
        return parse(w, 0, w.length());
    }

    /** RFC 5424 severity (0 emergency .. 7 debug) to a level. */
    public static Level fromSyslogSeverity(int severity) {
        if (severity <= 2) return FATAL;
        if (severity == 3) return ERROR;
        if (severity == 4) return WARN;
        if (severity <= 6) return INFO;
        return DEBUG;
    }

    /** HTTP status to a level, as access logs carry no level of their own: 5xx errors, 4xx warnings. */
    public static Level fromHttpStatus(int status) {
        if (status >= 500) return ERROR;
        if (status >= 400) return WARN;
        return INFO;
    }

    /** The level words known, lower case (compared ignoring case), with their levels. */
    private static final String[] WORDS = {
            "trace", "finest", "finer", "t", "debug", "fine", "config", "d", "dbg", "verbose", "info", "information",
            "informational", "notice", "i", "inf", "warn", "warning", "w", "wrn", "error", "err", "severe", "e",
            "failure", "fail", "fatal", "critical", "crit", "alert", "emerg", "emergency", "panic", "f", "c"
    };
    private static final Level[] WORD_LEVELS = {
            TRACE, TRACE, TRACE, TRACE, DEBUG, DEBUG, DEBUG, DEBUG, DEBUG, DEBUG, INFO, INFO, INFO, INFO, INFO, INFO,
            WARN, WARN, WARN, WARN, ERROR, ERROR, ERROR, ERROR, ERROR, ERROR, FATAL, FATAL, FATAL, FATAL, FATAL, FATAL,
            FATAL, FATAL, FATAL
    };

    /**
     * {@link #parse(String)} of {@code text[start, end)}, without making a String of it (a
     * reader calls it for every line). The text must not have spaces around the word.
     */
    public static Level parse(String text, int start, int end) {
        int len = end - start;
        for (int i = 0; i < WORDS.length; i++) {
            String w = WORDS[i];
            if (w.length() == len && text.regionMatches(true, start, w, 0, len)) {
                return WORD_LEVELS[i];
            }
        }
        return UNKNOWN;
    }
}
