package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The last stamp is handed out again for exactly the same characters, and never for others. */
class LastStampTest {

    @Test
    void onlyTheSameCharactersGiveTheKeptInstant() {
        String stamp = "28/Nov/2026:07:55:53 +0000";
        Instant instant = Instant.parse("2026-11-28T07:55:53Z");
        LastStamp last = new LastStamp();
        assertThat(last.get("[" + stamp + "]", 1, 1 + stamp.length())).isNull(); // nothing kept yet
        last.put("x [" + stamp + "] y", 3, 3 + stamp.length(), instant);

        assertThat(last.get("a line [" + stamp + "]", 8, 8 + stamp.length())).isEqualTo(instant);
        // every one-character difference, first and last included, is a different stamp
        Random random = new Random(7);
        for (int i = 0; i < stamp.length(); i++) {
            char[] other = stamp.toCharArray();
            other[i] = (char) (other[i] == '9' ? '0' : other[i] + 1 + random.nextInt(3));
            String line = "[" + new String(other) + "]";
            assertThat(last.get(line, 1, 1 + stamp.length())).as(line).isNull();
        }
        // a stamp one character shorter or longer is a different stamp too
        assertThat(last.get("[" + stamp + "]", 1, stamp.length())).isNull();
        assertThat(last.get("[" + stamp + "]", 1, 2 + stamp.length())).isNull();
    }
}
