package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.store.Job;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's pages over HTTP, signed in: every page answers with the Content-Security-Policy (no inline script,
 * no style attribute), and log text carrying markup is escaped wherever it shows (evidence, templates, quarantine).
 */
class DashboardPagesTest extends ServiceTestSupport {

    static final String PAYLOAD = "<img src=x onerror=\"alert(1)\"><script>alert('lw')</script>";
    static final List<String> PAGES = List.of("/", "/anomalies", "/jobs", "/sources", "/templates", "/api-keys");

    private OperatorSession session;

    @BeforeEach
    void signIn() throws Exception {
        session = new OperatorSession(port);
        assertThat(session.signIn("admin", ADMIN_PASSWORD).statusCode()).isEqualTo(302);
    }

    @Test
    void everyPageSendsAStrictContentSecurityPolicy() throws Exception {
        for (String page : PAGES) {
            HttpResponse<String> response = session.get(page);
            assertThat(response.statusCode()).as(page).isEqualTo(200);
            String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).as(page).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval");
            String body = response.body();
            // No inline script and no style attribute: what the policy would block is never needed.
            assertThat(body).as(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>").doesNotContain(" style=")
                    .doesNotContain("<style").contains("<title>");
        }
        HttpResponse<String> login = new OperatorSession(port).get("/login");
        assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("style-src 'self' 'nonce-");
        assertThat(login.body()).contains("<h1>Logwarden</h1>", "<style nonce=\"");
    }

    @Test
    void logTextWithMarkupIsEscapedOnEveryPage() throws Exception {
        StringBuilder log = steadyAppLog(Instant.parse("2026-07-01T08:00:00Z"), 30);
        Instant late = Instant.parse("2026-07-01T08:20:00Z");
        for (int i = 0; i < 8; i++) {
            log.append(APP_TS.format(late.plusSeconds(i))).append(" ERROR [main] com.acme.Web - upload refused for ")
                    .append(PAYLOAD).append(" file ").append(i).append('\n');
        }
        // A line past the length limit is quarantined with its text kept.
        log.append(APP_TS.format(late.plusSeconds(30))).append(" INFO [main] com.acme.Dump - ").append(PAYLOAD)
                .append("y".repeat(70_000)).append('\n');
        drop("escape.log", inTimeOrder(log).getBytes(StandardCharsets.UTF_8));
        Job job = awaitJob("escape.log");
        assertThat(job.status()).as(job.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(job.eventsQuarantined()).isEqualTo(1);
        long anomaly = jdbc.sql("select id from anomalies where job_id = :job and detector = 'error-burst'")
                .param("job", job.id()).query(Long.class).single();

        for (String page : List.of("/", "/jobs/" + job.id(), "/anomalies/" + anomaly, "/anomalies?q=upload",
                "/templates?source=" + job.source())) {
            String body = session.get(page).body();
            assertThat(body).as(page).doesNotContain("<img src=x", "<script>alert").doesNotContain("onerror=\"alert");
        }
        assertThat(session.get("/jobs/" + job.id()).body()).contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
        assertThat(session.get("/anomalies/" + anomaly).body()).contains("&lt;script&gt;alert(&#39;lw&#39;)&lt;/script&gt;");
    }
}
