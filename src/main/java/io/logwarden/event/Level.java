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
            "trace", "finest", "finer", "t", "debug", "fine", "config", "d", "dbg", "verbose", "dbug", "info",
            "information", "informational", "notice", "note", "system", "i", "inf", "warn", "warning", "w", "wrn", "error",
            "err", "severe", "e", "failure", "fail", "eror", "fatal", "critical", "crit", "alert", "emerg", "emergency",
            "panic", "f", "c"
    }; // "dbug" and "eror": Icecast's four-letter levels (DBUG, INFO, WARN, EROR)
    private static final Level[] WORD_LEVELS = {
            TRACE, TRACE, TRACE, TRACE, DEBUG, DEBUG, DEBUG, DEBUG, DEBUG, DEBUG, DEBUG, INFO,
            INFO, INFO, INFO, INFO, INFO, INFO, INFO, WARN, WARN, WARN, WARN, ERROR,
            ERROR, ERROR, ERROR, ERROR, ERROR, ERROR, FATAL, FATAL, FATAL, FATAL, FATAL, FATAL,
            FATAL, FATAL, FATAL
    };
    /** {@link #WORDS} by length, with their levels. */
    private static final String[][] BY_LENGTH = new String[14][];
    private static final Level[][] LEVELS_BY_LENGTH = new Level[14][];

    /** Letters a {@link #letterKey} holds: five bits each in a positive long. */
    private static final int KEY_LETTERS = 12;
    /** The {@link #letterKey}s of the {@link #WORDS} of at most {@link #KEY_LETTERS} letters, sorted, and their levels. */
    private static final long[] WORD_KEYS;
    private static final Level[] KEY_LEVELS;

    static {
        for (int len = 0; len < BY_LENGTH.length; len++) {
            java.util.List<String> words = new java.util.ArrayList<>();
            java.util.List<Level> levels = new java.util.ArrayList<>();
            for (int i = 0; i < WORDS.length; i++) {
                if (WORDS[i].length() == len) {
                    words.add(WORDS[i]);
                    levels.add(WORD_LEVELS[i]);
                }
            }
            BY_LENGTH[len] = words.toArray(new String[0]);
            LEVELS_BY_LENGTH[len] = levels.toArray(new Level[0]);
        }
        java.util.TreeMap<Long, Level> keys = new java.util.TreeMap<>();
        for (int i = 0; i < WORDS.length; i++) {
            if (WORDS[i].length() <= KEY_LETTERS) keys.put(letterKey(WORDS[i], 0, WORDS[i].length()), WORD_LEVELS[i]);
        }
        WORD_KEYS = keys.keySet().stream().mapToLong(Long::longValue).toArray();
        KEY_LEVELS = keys.values().toArray(new Level[0]);
    }

    /**
     * A word of ASCII letters, lower-cased, five bits a letter ({@code a} is 1): two words get the same key exactly when
     * they are the same ignoring case.
     */
    private static long letterKey(String text, int start, int end) {
        long key = 0;
        for (int i = start; i < end; i++) {
            key = key << 5 | ((text.charAt(i) | 0x20) - ('a' - 1));
        }
        return key;
    }

    /**
     * {@link #parse(String, int, int)} of a word made of ASCII letters only ({@code A-Z}, {@code a-z}), as readers
     * looking for a level word in free text call it on most words of a message: one search in a sorted table of
     * numbers instead of comparisons ignoring case. Any other character in the word gives a meaningless answer.
     */
    public static Level parseLetters(String text, int start, int end) {
        int len = end - start;
        if (len <= 0) return UNKNOWN;
        if (len > KEY_LETTERS) return parse(text, start, end);
        int at = java.util.Arrays.binarySearch(WORD_KEYS, letterKey(text, start, end));
        return at < 0 ? UNKNOWN : KEY_LEVELS[at];
    }

    /**
     * {@link #parse(String)} of {@code text[start, end)}, without making a String of it (a
     * reader calls it for every line). The text must not have spaces around the word.
     */
    public static Level parse(String text, int start, int end) {
        int len = end - start;
        if (len <= 0 || len >= BY_LENGTH.length) {
            return UNKNOWN;
        }
        if (len <= KEY_LETTERS && isLetters(text, start, end)) {
            return parseLetters(text, start, end); // a level column's word, as most are: looked up, not compared
        }
        // only the words of that length whose first letter matches are compared whole (two at most)
        char first = text.charAt(start);
        String[] words = BY_LENGTH[len];
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (sameIgnoringCase(first, w.charAt(0)) && text.regionMatches(true, start, w, 0, len)) {
                return LEVELS_BY_LENGTH[len][i];
            }
        }
        return UNKNOWN;
    }

    /** Whether {@code text[start, end)} is ASCII letters only ({@code (c | 0x20) - 'a'} is below 26 for those alone). */
    private static boolean isLetters(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if ((char) ((text.charAt(i) | 0x20) - 'a') >= 26) return false;
        }
        return true;
    }

    /** One character of {@link String#regionMatches(boolean, int, String, int, int)} ignoring case. */
    private static boolean sameIgnoringCase(char a, char b) {
        if (a == b) return true;
        char ua = Character.toUpperCase(a);
        char ub = Character.toUpperCase(b);
        return ua == ub || Character.toLowerCase(ua) == Character.toLowerCase(ub);
    }
}
