package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.store.Job;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Log lines with NUL bytes and terminal escape sequences reach the HTML report visibly, never as raw bytes. */
class ReportControlCharactersTest extends ServiceTestSupport {

    @Test
    void controlCharactersAreShownNotPassedThrough() throws Exception {
        StringBuilder log = steadyAppLog(Instant.parse("2026-06-02T08:00:00Z"), 30);
        Instant late = Instant.parse("2026-06-02T08:28:00Z");
        for (int i = 0; i < 8; i++) {
            // After the first 8 KiB, so the file is not taken for a binary one.
            log.append(APP_TS.format(late.plusSeconds(i))).append(" ERROR [main] com.acme.Term - \u001b[31mdisk failure\u001b[0m on ")
                    .append("sda\u0000").append(i).append(" \u202egnp.exe\n");
        }
        drop("control.log", inTimeOrder(log).getBytes(StandardCharsets.UTF_8));
        Job job = awaitJob("control.log");
        assertThat(job.status()).as(job.error()).isEqualTo(Job.SUCCEEDED);

        String html = Files.readString(reportPath(job, "html"), StandardCharsets.UTF_8);
        assertThat(html).contains("\\x1b[31mdisk failure\\x1b[0m", "sda\u2400", "\\u202egnp.exe");
        assertThat(html.chars().filter(c -> c == 0 || c == 0x1b || c == 0x202e)).as("raw control characters").isEmpty();
    }
}
