package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.logwarden.store.Job;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in headless Chromium, as an operator uses it: sign in at {@code /}, read the overview, filter the
 * anomalies (htmx), open one, acknowledge it, and watch a job's progress move over server-sent events; on a phone's
 * width too. No page breaks its Content-Security-Policy (violations are recorded in the page and must stay none), and
 * log text with markup stays text. Screenshots go to {@code target/dashboard-screenshots/} as build artefacts.
 */
class DashboardBrowserTest extends ServiceTestSupport {

    static final Duration UI = Duration.ofSeconds(30);
    static final Path SHOTS = Path.of("target", "dashboard-screenshots");
    static final String PAYLOAD = "<img src=x onerror=\"document.title='owned'\">";
    /** Injected before any page script: records every Content-Security-Policy violation. */
    static final String CSP_RECORDER = "window.__csp = []; document.addEventListener('securitypolicyviolation',"
            + " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));";

    @Test
    void operatorReadsFiltersOpensAcknowledgesAndWatchesAJob() throws Exception {
        assumeTrue(Files.isExecutable(HeadlessChromium.CHROMIUM), "headless Chromium is needed: apt-get install chromium (.ci/run does)");
        StringBuilder log = steadyAppLog(Instant.parse("2026-08-01T08:00:00Z"), 30);
        Instant late = Instant.parse("2026-08-01T08:20:00Z");
        for (int i = 0; i < 8; i++) {
            log.append(APP_TS.format(late.plusSeconds(i))).append(" ERROR [main] com.acme.Web - upload refused for ")
                    .append(PAYLOAD).append(" file ").append(i).append('\n');
        }
        drop("dashboard.log", inTimeOrder(log).getBytes(StandardCharsets.UTF_8));
        Job analysed = awaitJob("dashboard.log");
        assertThat(analysed.status()).as(analysed.error()).isEqualTo(Job.SUCCEEDED);
        Files.createDirectories(SHOTS);
        String base = "http://127.0.0.1:" + port;

        try (HeadlessChromium browser = new HeadlessChromium()) {
            browser.send("Page.enable", Map.of());
            browser.send("Page.addScriptToEvaluateOnNewDocument", Map.of("source", CSP_RECORDER));

            // Sign in at / and land back on the overview.
            browser.navigate(base + "/");
            assertThat(browser.eval("location.pathname")).isEqualTo("/login");
            assertThat(browser.eval("document.body.innerText")).contains("Logwarden", "LOGWARDEN_SECURITY_ADMIN_PASSWORD");
            browser.eval("document.getElementById('password').value = '" + ADMIN_PASSWORD + "';"
                    + "document.querySelector('form button[type=submit]').click(); true");
            assertThat(browser.waitFor("location.pathname === '/' && document.title === 'Overview — Logwarden'", UI)).isTrue();
            assertThat(browser.eval("document.querySelectorAll('#anomaly-chart rect').length")).isNotEqualTo("0");
            // The open incidents (this test's own among them) and the sources are on the page once it has rendered.
            assertThat(browser.waitFor("document.querySelector('#incidents') !== null"
                    + " && document.querySelector('#source-table') !== null", UI))
                    .as("overview with open incidents: %s", browser.eval("document.body.innerText")).isTrue();
            assertThat(browser.eval("document.querySelector('#incidents').innerText")).isNotBlank();
            assertThat(browser.eval("document.querySelector('#source-table').innerText")).contains(analysed.source());
            noViolations(browser, "overview");
            screenshot(browser, "overview");

            // Filter the anomalies: htmx swaps the results and keeps the filter in the address.
            browser.navigate(base + "/anomalies");
            browser.eval("const d = document.querySelector('select[name=detector]'); d.value = 'error-burst';"
                    + " d.dispatchEvent(new Event('change', {bubbles: true})); true");
            assertThat(browser.waitFor("location.search.includes('detector=error-burst')"
                    + " && [...document.querySelectorAll('#anomaly-table tbody tr[data-id]')].length > 0"
                    + " && [...document.querySelectorAll('#anomaly-table tbody tr[data-id] td:nth-child(4)')]"
                    + ".every(td => td.textContent.trim() === 'error-burst')", UI)).as("filtered by detector").isTrue();
            browser.eval("const s = document.querySelector('input[name=q]'); s.value = 'upload refused';"
                    + " s.dispatchEvent(new Event('change', {bubbles: true})); true");
            assertThat(browser.waitFor("location.search.includes('q=upload')", UI)).isTrue();
            assertThat(browser.eval("document.querySelector('#match-count').textContent")).isNotEqualTo("0");
            noViolations(browser, "anomalies");
            screenshot(browser, "anomalies-filtered");

            // Open one: the explanation, the evidence (markup shown as text), the timeline.
            browser.eval("document.querySelector('#anomaly-table tbody tr[data-id] a').click(); true");
            assertThat(browser.waitFor("/^\\/anomalies\\/\\d+$/.test(location.pathname) && document.querySelector('#explanation')", UI))
                    .isTrue();
            long id = Long.parseLong(browser.eval("location.pathname.split('/')[2]"));
            assertThat(browser.eval("document.body.innerText")).contains("upload refused for <img src=x", "dashboard.log:");
            assertThat(browser.eval("document.querySelectorAll('main img').length")).isEqualTo("0");
            assertThat(browser.eval("document.title")).isEqualTo("Anomaly " + id + " — Logwarden");
            assertThat(browser.eval("document.querySelector('#timeline .current').textContent")).contains("this one");

            // Acknowledge it: kept with who and when.
            browser.eval("document.getElementById('acknowledge').click(); true");
            assertThat(browser.waitFor("document.querySelector('#status-by')?.textContent.includes('admin')", UI)).isTrue();
            assertThat(browser.eval("document.querySelector('#status-h').textContent")).contains("acknowledged");
            assertThat(jdbc.sql("select status || ' ' || status_by from anomalies where id = :id").param("id", id)
                    .query(String.class).single()).isEqualTo("acknowledged admin");
            noViolations(browser, "anomaly");
            screenshot(browser, "anomaly-acknowledged");

            // Watch a job's progress: the page updates itself from the job's row as the pipeline writes it.
            long job = jobs.start("progress-demo", "file", "progress-demo.log", 1000L);
            browser.navigate(base + "/jobs/" + job);
            assertThat(browser.eval("document.querySelector('#job-state').dataset.status")).isEqualTo("running");
            jobs.progress(job, "plain", 400, 400, 0, 400);
            assertThat(browser.waitFor("document.querySelector('#job-state progress').value === 40", UI))
                    .as("progress pushed over server-sent events").isTrue();
            screenshot(browser, "job-running");
            jobs.progress(job, null, 500, 500, 0, 900);
            assertThat(browser.waitFor("document.querySelector('#job-state progress').value === 90", UI)).isTrue();
            jobs.succeed(job, 0, null);
            assertThat(browser.waitFor("document.querySelector('#job-state').dataset.status === 'succeeded'", UI)).isTrue();
            assertThat(browser.eval("document.querySelector('#job-state progress').value")).isEqualTo("100");
            noViolations(browser, "job");
            screenshot(browser, "job-succeeded");

            // The jobs page lists running jobs live too.
            long other = jobs.start("progress-demo", "file", "second.log", 100L);
            browser.navigate(base + "/jobs");
            assertThat(browser.waitFor("document.querySelector('#running tr[data-job=\"" + other + "\"]')", UI)).isTrue();
            jobs.succeed(other, 0, null);
            assertThat(browser.waitFor("!document.querySelector('#running tr[data-job=\"" + other + "\"]')", UI))
                    .as("a finished job leaves the running list without a reload").isTrue();

            // Keyboard: "/" focuses the search box.
            browser.navigate(base + "/anomalies");
            browser.send("Input.dispatchKeyEvent", Map.of("type", "keyDown", "key", "/", "text", "/"));
            assertThat(browser.waitFor("document.activeElement && document.activeElement.name === 'q'", UI)).isTrue();

            // A phone's width: nothing wider than the screen.
            browser.send("Emulation.setDeviceMetricsOverride", Map.of("width", 390, "height", 844, "deviceScaleFactor", 2,
                    "mobile", true));
            for (String page : new String[] {"/", "/anomalies/" + id, "/jobs", "/sources"}) {
                browser.navigate(base + page);
                assertThat(browser.eval("document.documentElement.scrollWidth <= window.innerWidth + 1")).as(page).isEqualTo("true");
            }
            browser.navigate(base + "/");
            screenshot(browser, "overview-phone");
        }
    }

    private static void noViolations(HeadlessChromium browser, String page) {
        assertThat(browser.eval("JSON.stringify(window.__csp)")).as("CSP violations on " + page).isEqualTo("[]");
    }

    /**
     * Saves a screenshot. Chromium now and then answers "Cannot take screenshot with 0 width" while a layout is still
     * pending (after a navigation or a viewport change): asked again a moment later, it takes it.
     */
    private static void screenshot(HeadlessChromium browser, String name) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                JsonNode shot = browser.send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
                Files.write(SHOTS.resolve(name + ".png"), Base64.getDecoder().decode(shot.path("data").asText()));
                return;
            } catch (IllegalStateException e) {
                // the reason is in the cause: send() wraps Chromium's error in "DevTools … failed"
                String reason = e.getMessage() + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
                if (attempt == 5 || !reason.contains("0 width")) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
