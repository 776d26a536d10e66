package io.logwarden.ingest;

import io.logwarden.event.AsciiClasses;
import io.logwarden.event.Level;

/**
 * Finds a level word in free text, for formats whose lines declare no level field (syslog without PRI).
 * Only unambiguous spellings count: an upper-case word ({@code ERROR}, {@code WARNING}) or a word written as a
 * level marker ({@code error:}, {@code [warn]}, {@code <crit>}, {@code level=error}), so that "no info
 * available" is not read as INFO.
 */
final class LevelWords {

    private static final int SCAN_CHARS = 120;

    private LevelWords() {
    }

    /** The first level word in the text's first 120 characters, or null. */
    static Level find(String text) {
        int n = Math.min(text.length(), SCAN_CHARS);
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (!isLetter(c)) {
                i++;
                continue;
            }
            int start = i;
            boolean upper = true;
            while (i < text.length() && isLetter(text.charAt(i))) {
                if (text.charAt(i) >= 'a') upper = false;
                i++;
            }
            int len = i - start;
            if (len < 3 || len > 9) continue;
            char before = start > 0 ? text.charAt(start - 1) : ' ';
            char after = i < text.length() ? text.charAt(i) : ' ';
            if (upper || (marks(before) & BEFORE | marks(after) & AFTER) != 0) {
                Level level = Level.parseLetters(text, start, i);
                if (level != Level.UNKNOWN) {
                    return level;
                }
            }
        }
        return null;
    }

    private static final byte BEFORE = 1;
    private static final byte AFTER = 2;
    /**
     * The characters that mark a word as a level, before it ({@code [}, {@code <}, {@code =}) or after it ({@code :},
     * {@code ]}, {@code >}), looked up without a branch per character (see {@link AsciiClasses}).
     */
    private static final byte[] MARKS = new byte[128];

    static {
        AsciiClasses.mark(MARKS, "[<=", BEFORE);
        AsciiClasses.mark(MARKS, ":]>", AFTER);
    }

    private static int marks(char c) {
        return AsciiClasses.of(MARKS, c);
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
