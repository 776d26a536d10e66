package io.logwarden.ingest;

/**
 * The last text a reader took from a field, handed out again when the next line holds the same characters there:
 * values that repeat from line to line (a timestamp to the second, an HTTP method, a status, an upstream) are then
 * one String, made once, whose hash code is computed once wherever it is counted. Safe to share between threads: a
 * racing reader at worst makes a String of its own.
 */
final class RecentText {

    private String last; // a String is immutable: another thread sees it whole or not at all (no volatile on the hot path)

    /** {@code line[from, to)} as a String: the last one when it holds the same characters. */
    String of(String line, int from, int to) {
        String seen = last;
        if (same(seen, line, from, to)) {
            return seen;
        }
        String text = line.substring(from, to);
        last = text;
        return text;
    }

    /** Whether {@code line[from, to)} holds the characters of {@code text} (null: no). */
    static boolean same(String text, String line, int from, int to) {
        int len = to - from;
        return text != null && text.length() == len && line.regionMatches(from, text, 0, len);
    }
}
