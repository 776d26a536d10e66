package io.logwarden.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A character's classes are its ASCII entry's, and no character beyond ASCII takes an ASCII character's. */
class AsciiClassesTest {

    @Test
    void asciiEntriesOnly() {
        byte[] table = new byte[128];
        AsciiClasses.mark(table, "[<", 1);
        AsciiClasses.mark(table, "<" + AsciiClasses.DIGITS, 2);
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            int expected = c == '[' ? 1 : c == '<' ? 3 : c >= '0' && c <= '9' ? 2 : 0;
            assertThat(AsciiClasses.of(table, c)).as("U+%04X", (int) c).isEqualTo(expected);
        }
        assertThat(AsciiClasses.LETTERS.chars().allMatch(c -> Character.isLetter(c) && c < 128)).isTrue();
        assertThat(AsciiClasses.LETTERS).hasSize(52);
    }
}
