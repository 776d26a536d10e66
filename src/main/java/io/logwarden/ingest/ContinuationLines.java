package io.logwarden.ingest;

import io.logwarden.event.Level;

/**
 * Tells lines that continue the previous event (stack frames, tracebacks, wrapped text) from lines that
 * merely fail to parse.
 */
final class ContinuationLines {

    private static final String[] PREFIXES = {
        "Caused by:", "Suppressed:", "... ", "Exception in thread ", "Traceback (most recent call last)",
        "During handling of the above exception", "The above exception was the direct cause",
    };
    /** java.util.logging's SimpleFormatter writes the level and message on the line after the stamp and logger. */
    private static final String[] JUL_LEVELS = {
        "SEVERE: ", "WARNING: ", "INFO: ", "CONFIG: ", "FINE: ", "FINER: ", "FINEST: ",
    };
    private static final String[] EXCEPTION_SUFFIXES = {
        "Exception", "Error", "Throwable", "Warning", "Exit", "Interrupt", "Fault", "Failure",
    };

    private ContinuationLines() {
    }

    /**
     * True for indented lines ({@code \tat ...}, Python's {@code   File "x.py", line 3}), the Java and Python
     * markers ({@code Caused by:}, {@code ... 12 more}, {@code Traceback ...}) and exception header lines such
     * as {@code java.lang.IllegalStateException: pool exhausted} or {@code ValueError: bad value}.
     */
    static boolean isContinuation(String line) {
        if (line.isEmpty()) {
            return false;
        }
        char c = line.charAt(0);
        if (c == ' ' || c == '\t') {
            return true;
        }
        for (String prefix : PREFIXES) {
            if (line.startsWith(prefix)) {
                return true;
            }
        }
        return isExceptionHeader(line);
    }

    /**
     * True for a line that continues the event read just before it: a {@link #isContinuation continuation}, or the
     * level line java.util.logging writes after its stamp line ({@code SEVERE: connection lost}), which on its own
     * (a plain text file's {@code WARNING: disk almost full}) is an event of its own.
     */
    static boolean followsEvent(String line) {
        return isContinuation(line) || julLevel(line) != null;
    }

    /** The level a java.util.logging level line opens with ({@code SEVERE: connection lost}), or null. */
    static Level julLevel(String line) {
        for (String prefix : JUL_LEVELS) {
            if (line.startsWith(prefix)) {
                return Level.parse(prefix.substring(0, prefix.length() - 2));
            }
        }
        return null;
    }

    // A dotted identifier ending in Exception/Error/..., alone or followed by ':'.
    private static boolean isExceptionHeader(String line) {
        if (!Character.isJavaIdentifierStart(line.charAt(0))) {
            return false;
        }
        int n = line.length();
        int i = 1;
        while (i < n) {
            char c = line.charAt(i);
            if (c == ':') break;
            if (c != '.' && c != '$' && !Character.isJavaIdentifierPart(c)) return false;
            i++;
        }
        if (i < 5) {
            return false;
        }
        for (String suffix : EXCEPTION_SUFFIXES) {
            if (line.startsWith(suffix, i - suffix.length())) {
                return true;
            }
        }
        return false;
    }
}
