package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Novelty#looksLikeException} scans a message fewer times than the plain definition (any of five texts), and
 * says the same of every message: the ones written out below, and messages put together at random from pieces of
 * them, placed anywhere, several times, with near misses around.
 */
class NoveltyExceptionTest {

    /** The plain definition: any of the five texts anywhere in the message. */
    private static boolean plain(String message) {
        return message.contains("\n\tat ") || message.contains("\n    at ")
                || message.contains("Traceback (most recent call last)")
                || message.contains("Exception: ") || message.contains("Exception\n");
    }

    @Test
    void saysWhatThePlainDefinitionSays() {
        String[] yes = {
            "java.lang.IllegalStateException: pool closed",
            "Caused by java.io.IOException\n\tat x.Y.z(Y.java:1)",
            "java.sql.SQLException\nmore",
            "boom\n\tat a.B.c(B.java:10)",
            "boom\n    at Object.<anonymous> (/app/index.js:3:9)",
            "Traceback (most recent call last):\n  File \"x.py\", line 1",
            "an Exception (wrapped) then later Exception: the cause",
            "line one\nline two\n\tat a.B.c(B.java:10)",
        };
        String[] no = {
            "Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106",
            "ExceptionHandler registered",
            "Exception",
            "Exception:no space",
            "handled Exception\rnext",
            "line one\nline two",
            "\tat the start without a line break",
            "Traceback (most recent call",
            "",
        };
        for (String message : yes) {
            assertThat(Novelty.looksLikeException(message)).as(message).isTrue();
        }
        for (String message : no) {
            assertThat(Novelty.looksLikeException(message)).as(message).isFalse();
        }
    }

    @Test
    void agreesWithThePlainDefinitionOnRandomMessages() {
        String[] pieces = {"Exception", "Exception: ", "Exception\n", "Exceptio", "xception: ", "\n", "\n\tat ", "\n\ta",
            "\n    at ", "\n   at ", "Traceback (most recent call last)", "Traceback (most recent", " call last)", "at ",
            "\t", ": ", "word", "12", " ", "é", "Ü\n"};
        Random random = new Random(1111);
        int positives = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder message = new StringBuilder();
            for (int p = random.nextInt(8); p > 0; p--) {
                message.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = message.toString();
            boolean expected = plain(text);
            assertThat(Novelty.looksLikeException(text)).as(text).isEqualTo(expected);
            if (expected) positives++;
        }
        assertThat(positives).as("messages that look like exceptions among the random ones").isBetween(20_000, 180_000);
    }
}
