package io.logwarden.event;

import java.util.Locale;

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
        switch (word.trim().toLowerCase(Locale.ROOT)) {
            case "trace": case "finest": case "finer": case "t":
                return TRACE;
            case "debug": case "fine": case "config": case "d": case "dbg": case "verbose":
                return DEBUG;
            case "info": case "information": case "informational": case "notice": case "i": case "inf":
                return INFO;
            case "warn": case "warning": case "w": case "wrn":
                return WARN;
            case "error": case "err": case "severe": case "e": case "failure": case "fail":
                return ERROR;
            case "fatal": case "critical": case "crit": case "alert": case "emerg": case "emergency": case "panic": case "f": case "c":
                return FATAL;
            default:
                return UNKNOWN;
        }
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
}
