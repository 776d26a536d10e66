package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Level words in free text: only unambiguous spellings, and the same finds as reading each word as a String. */
class LevelWordsTest {

    @Test
    void markedOrUpperCaseWordsOnly() {
        assertThat(LevelWords.find("2026-11-30 LOG:  connection received: host=[local]")).isNull();
        assertThat(LevelWords.find("LOG:  duration: 1.2 ms  ERROR:  deadlock detected")).isEqualTo(Level.ERROR);
        assertThat(LevelWords.find("no info available")).isNull();
        assertThat(LevelWords.find("disk [warn] almost full")).isEqualTo(Level.WARN);
        assertThat(LevelWords.find("<crit> temperature")).isEqualTo(Level.FATAL);
        assertThat(LevelWords.find("msg level=error code=7")).isEqualTo(Level.ERROR);
        assertThat(LevelWords.find("Error: the first word, marked")).isEqualTo(Level.ERROR);
        assertThat(LevelWords.find("x ".repeat(60) + "ERROR")).isNull(); // past the first 120 characters
        assertThat(LevelWords.find("x ".repeat(59) + "ERROR")).isEqualTo(Level.ERROR);
    }

    @Test
    void theSameFindsAsReadingEachWordAsAString() {
        String[] pieces = {"ERROR", "error", "Error", "WARN", "warning", "Warning", "INFO", "info", "LOG", "DEBUG",
                "CRITICAL", "crit", "EMERGENCY", "informational", "INFORMATIONAL", "panic", "E", "I", "ok", "the",
                "SELECT", "FROM", "statement", "duration", "failed", "Failure", "FATAL", "Notice", "verbose",
                " ", "  ", ":", ": ", "[", "]", "<", ">", "=", "-", ".", "0", "42", "é", "Überlauf", "\t", "x".repeat(60)};
        Random random = new Random(13);
        int found = 0;
        for (int round = 0; round < 50_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0, n = 1 + random.nextInt(20); i < n; i++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String t = text.toString();
            Level expected = readingEachWord(t);
            assertThat(LevelWords.find(t)).as("%s", t).isEqualTo(expected);
            if (expected != null) found++;
        }
        assertThat(found).as("texts with a level word").isGreaterThan(10_000);
    }

    /** What this class did before it looked words up in place: each candidate word made a String and parsed. */
    private static Level readingEachWord(String text) {
        int n = Math.min(text.length(), 120);
        int i = 0;
        while (i < n) {
            if (!isLetter(text.charAt(i))) {
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
            boolean marked = before == '[' || before == '<' || before == '=' || after == ':' || after == ']' || after == '>';
            if (upper || marked) {
                Level level = Level.parse(text.substring(start, i));
                if (level != Level.UNKNOWN) return level;
            }
        }
        return null;
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
