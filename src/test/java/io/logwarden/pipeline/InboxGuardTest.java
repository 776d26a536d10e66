package io.logwarden.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.LogText;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which inbox names are refused, the safe names they get, and how names are written to the log. */
class InboxGuardTest {

    @Test
    void namesThatWouldJamTheInboxOrForgeLogLinesAreRefused() {
        assertThat(InboxGuard.nameProblem("app.log")).isNull();
        assertThat(InboxGuard.nameProblem("zugriff café 2026-11-29.log")).isNull();
        assertThat(InboxGuard.nameProblem("x".repeat(196) + ".log")).isNull();
        assertThat(InboxGuard.nameProblem("x".repeat(197) + ".log")).contains("too long (201 bytes");
        assertThat(InboxGuard.nameProblem("é".repeat(101))).contains("too long (202 bytes"); // bytes, not characters
        assertThat(InboxGuard.nameProblem("a\nb.log")).contains("U+000A");
        assertThat(InboxGuard.nameProblem("a\u001b[31mb.log")).contains("U+001B");
        assertThat(InboxGuard.nameProblem("a\u202eb.log")).contains("U+202E"); // right-to-left override
        assertThat(InboxGuard.nameProblem("dir\\file.log")).contains("backslash");
    }

    @Test
    void safeNamesArePlainShortAndUnique(@org.junit.jupiter.api.io.TempDir Path folder) throws Exception {
        String safe = InboxGuard.safeName("evil\nname\\x.log", folder);
        assertThat(safe).isEqualTo("rejected-evil_name_x.log");
        Files.createFile(folder.resolve(safe));
        assertThat(InboxGuard.safeName("evil\nname\\x.log", folder)).isEqualTo("rejected-2-evil_name_x.log");
        String longOne = InboxGuard.safeName("a".repeat(240) + ".log", folder);
        assertThat(longOne).hasSizeLessThan(100).endsWith(".log").matches("[A-Za-z0-9._-]+");
        assertThat(InboxGuard.safeName("..hidden", folder)).doesNotStartWith("rejected-.");
    }

    @Test
    void namesAreLoggedEscapedOnOneLine() {
        assertThat(LogText.escape("forged\n2026-01-01 ERROR x")).isEqualTo("forged\\n2026-01-01 ERROR x");
        assertThat(LogText.escape("a\\b\r\t\u001b")).isEqualTo("a\\\\b\\r\\t\\u001b");
        assertThat(LogText.escape("x".repeat(400))).hasSizeLessThan(330).contains("(400 chars)");
    }
}
