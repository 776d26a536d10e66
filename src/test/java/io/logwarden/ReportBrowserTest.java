package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.logwarden.store.Job;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Renders a real report in headless Chromium (Debian package {@code chromium}; .ci/run installs it): the page
 * loads with its timeline and anomalies, and log lines carrying markup stay text in the live DOM.
 */
class ReportBrowserTest extends ServiceTestSupport {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void reportRendersInABrowserWithLogMarkupKeptAsText() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "headless Chromium is needed: apt-get install chromium (.ci/run does)");
        StringBuilder log = steadyAppLog(Instant.parse("2026-06-01T08:00:00Z"), 30);
        Instant late = Instant.parse("2026-06-01T08:20:00Z");
        for (int i = 0; i < 8; i++) {
            log.append(APP_TS.format(late.plusSeconds(i))).append(" ERROR [main] com.acme.Web - upload refused for "
                    + "<img src=x onerror=\"document.title='owned'\"><script>document.title='owned'</script> file ")
                    .append(i).append('\n');
        }
        drop("browser.log", inTimeOrder(log).getBytes(StandardCharsets.UTF_8));
        Job job = awaitJob("browser.log");
        assertThat(job.status()).isEqualTo(Job.SUCCEEDED);

        String dom = dumpDom(reportPath(job, "html"));
        assertThat(dom).contains("<title>Logwarden — browser.log", "<svg", "<rect", "error-burst", "8 errors in",
                "Top templates", "Checks");
        // The payload is present as text, never as elements: no injected img or script, title untouched.
        assertThat(dom).contains("&lt;img src=x onerror=").doesNotContain("<img").doesNotContain("<script")
                .doesNotContain("owned</title>");
    }

    private static String dumpDom(Path page) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--dump-dom", page.toUri().toString()));
        Process process = ChildJvm.sharingTmp(new ProcessBuilder(command)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return dom;
    }
}
