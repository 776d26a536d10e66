package io.logwarden.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Level words read in place give what comparing every known word ignoring case gives, for any text. */
class LevelTest {

    private static final String[] WORDS = {
            "trace", "finest", "finer", "t", "debug", "fine", "config", "d", "dbg", "verbose", "info", "information",
            "informational", "notice", "note", "system", "i", "inf", "warn", "warning", "w", "wrn", "error", "err", "severe", "e",
            "failure", "fail", "fatal", "critical", "crit", "alert", "emerg", "emergency", "panic", "f", "c"
    };
    private static final Level[] LEVELS = {
            Level.TRACE, Level.TRACE, Level.TRACE, Level.TRACE, Level.DEBUG, Level.DEBUG, Level.DEBUG, Level.DEBUG,
            Level.DEBUG, Level.DEBUG, Level.INFO, Level.INFO, Level.INFO, Level.INFO, Level.INFO, Level.INFO,
            Level.INFO, Level.INFO, Level.WARN, Level.WARN, Level.WARN, Level.WARN, Level.ERROR, Level.ERROR, Level.ERROR, Level.ERROR,
            Level.ERROR, Level.ERROR, Level.FATAL, Level.FATAL, Level.FATAL, Level.FATAL, Level.FATAL, Level.FATAL,
            Level.FATAL, Level.FATAL, Level.FATAL
    };

    /** The plain reading: every word compared, in order. */
    private static Level reference(String text, int start, int end) {
        int len = end - start;
        for (int i = 0; i < WORDS.length; i++) {
            if (WORDS[i].length() == len && text.regionMatches(true, start, WORDS[i], 0, len)) {
                return LEVELS[i];
            }
        }
        return Level.UNKNOWN;
    }

    @Test
    void knownWordsInAnyCase() {
        assertThat(Level.parse("INFO")).isEqualTo(Level.INFO);
        assertThat(Level.parse("Warning")).isEqualTo(Level.WARN);
        assertThat(Level.parse("eRr")).isEqualTo(Level.ERROR);
        assertThat(Level.parse("SEVERE")).isEqualTo(Level.ERROR);
        assertThat(Level.parse("emergency")).isEqualTo(Level.FATAL);
        assertThat(Level.parse("informational")).isEqualTo(Level.INFO);
        assertThat(Level.parse("E")).isEqualTo(Level.ERROR);
        assertThat(Level.parse("x")).isEqualTo(Level.UNKNOWN);
        assertThat(Level.parse("informationals")).isEqualTo(Level.UNKNOWN);
        assertThat(Level.parse("")).isEqualTo(Level.UNKNOWN);
        // letters whose case mapping leaves ASCII (dotted and dotless i, long s, Kelvin sign) match as String does
        assertThat(Level.parse("İnfo")).isEqualTo(reference("İnfo", 0, 4));
        assertThat(Level.parse("ınfo")).isEqualTo(reference("ınfo", 0, 4)).isEqualTo(Level.INFO);
        assertThat(Level.parse("ſevere")).isEqualTo(reference("ſevere", 0, 6)).isEqualTo(Level.ERROR);
    }

    @Test
    void sameAsComparingEveryWordOnRandomText() {
        Random random = new Random(11);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZİıſK _-[]:0é";
        List<String> texts = new ArrayList<>();
        for (String w : WORDS) {
            StringBuilder mixed = new StringBuilder();
            for (char c : w.toCharArray()) mixed.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
            texts.add("x " + mixed + " y");
        }
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(16);
            for (int k = 0; k < len; k++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            texts.add(sb.toString());
        }
        for (String text : texts) {
            for (int start = 0; start <= text.length(); start++) {
                for (int end = start; end <= text.length(); end++) {
                    assertThat(Level.parse(text, start, end)).as("'%s'[%d,%d)", text, start, end)
                            .isEqualTo(reference(text, start, end));
                }
            }
        }
    }

    @Test
    void wordsOfLettersFoundInTheTableAsByComparingEveryWord() {
        Random random = new Random(12);
        List<String> words = new ArrayList<>();
        for (String w : WORDS) {
            words.add(w);
            words.add(w.toUpperCase(java.util.Locale.ROOT));
            for (int i = 0; i < 8; i++) {
                StringBuilder mixed = new StringBuilder();
                for (char c : w.toCharArray()) mixed.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
                words.add(mixed.toString());
                words.add(mixed.substring(1)); // near misses: a letter short, a letter more
                words.add(mixed + "s");
            }
        }
        String letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 1 + random.nextInt(i % 2 == 0 ? 5 : 15); k > 0; k--) {
                sb.append(letters.charAt(random.nextInt(letters.length())));
            }
            words.add(sb.toString());
        }
        int known = 0;
        for (String word : words) {
            String text = "[" + word + "]";
            Level expected = reference(text, 1, text.length() - 1);
            assertThat(Level.parseLetters(text, 1, text.length() - 1)).as(word).isEqualTo(expected);
            if (expected != Level.UNKNOWN) known++;
        }
        assertThat(known).as("words that name a level").isGreaterThan(600);
        assertThat(Level.parseLetters("x", 0, 0)).isEqualTo(Level.UNKNOWN);
    }
}
