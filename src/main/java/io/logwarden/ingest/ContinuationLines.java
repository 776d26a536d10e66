package io.logwarden.ingest;

/**
 * Tells lines that continue the previous event (stack frames, tracebacks, wrapped text) from lines that
 * merely fail to parse.
 */
final class ContinuationLines {

    private static final String[] PREFIXES = {
        "Caused by:", "Suppressed:", "... ", "Exception in thread ", "Traceback (most recent call last)",
        "During handling of the above exception", "The above exception was the direct cause",
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
