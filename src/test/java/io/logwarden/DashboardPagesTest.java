package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.store.Job;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import static org.awaitility.Awaitility.await;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's pages over HTTP, signed in: every page answers with the Content-Security-Policy (no inline script,
 * no style attribute), and log text carrying markup is escaped wherever it shows (evidence, templates, quarantine).
 * Also the forms that change things: API keys (shown once, then usable on the API, then revoked), retrying a failed
 * file job, report files served sandboxed.
 */
class DashboardPagesTest extends ServiceTestSupport {

    static final String PAYLOAD = "<img src=x onerror=\"alert(1)\"><script>alert('lw')</script>";
    static final List<String> PAGES = List.of("/", "/?range=7d", "/anomalies", "/jobs", "/sources", "/templates", "/api-keys");

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
        HttpResponse<String> missing = session.get("/anomalies/999999999");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no anomaly 999999999", "Back to the overview");
        assertThat(missing.headers().firstValue("Content-Security-Policy")).isPresent();
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

    @Test
    void anApiKeyIsShownOnceWorksOnTheApiAndIsRevoked() throws Exception {
        HttpResponse<String> created = post("/api-keys", "name=dashboard-ci&scope=read");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        Matcher m = Pattern.compile("<code id=\"created-key\">(lwk_[A-Za-z0-9_-]+)</code>").matcher(created.body());
        assertThat(m.find()).as("the new key is on the page").isTrue();
        String key = m.group(1);
        String list = session.get("/api-keys").body();
        assertThat(list).contains("dashboard-ci").doesNotContain(key);

        HttpClient plain = HttpClient.newHttpClient();
        HttpRequest withKey = HttpRequest.newBuilder(URI.create(session.base + "/api/v1/anomalies"))
                .header("Authorization", "Bearer " + key).build();
        assertThat(plain.send(withKey, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        long id = jdbc.sql("select id from api_keys where name = 'dashboard-ci'").query(Long.class).single();
        assertThat(post("/api-keys/" + id + "/revoke", "").statusCode()).isEqualTo(302);
        assertThat(session.get("/api-keys").body()).contains("is revoked", "revoked");
        assertThat(plain.send(withKey, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

        assertThat(post("/api-keys", "name=&scope=read").statusCode()).isEqualTo(400);
    }

    @Test
    void aFailedFileJobIsRetriedFromItsPage() throws Exception {
        drop("retry-me.log", new byte[0]);
        Job failed = awaitJob("retry-me.log");
        assertThat(failed.status()).isEqualTo(Job.FAILED);
        Path kept = DIR.resolve("failed").resolve("retry-me.log");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(kept));
        String page = session.get("/jobs/" + failed.id()).body();
        assertThat(page).contains("id=\"job-error\"", "id=\"retry\"");

        // The operator fixes the cause (here: the file gets its content), then retries from the job's page.
        Files.writeString(kept, inTimeOrder(steadyAppLog(Instant.parse("2026-09-01T08:00:00Z"), 12)));
        assertThat(post("/jobs/" + failed.id() + "/retry", "").statusCode()).isEqualTo(302);
        assertThat(session.get("/jobs/" + failed.id()).body()).contains("goes back to the inbox").doesNotContain("id=\"retry\"");
        Job again = await().atMost(Duration.ofSeconds(60)).until(() -> latestJob("retry-me.log").orElseThrow(),
                j -> j.id() != failed.id() && !j.status().equals(Job.RUNNING));
        assertThat(again.status()).as(again.error()).isEqualTo(Job.SUCCEEDED);
        assertThat(Files.exists(DIR.resolve("failed").resolve("retry-me.log.reason"))).isFalse();

        // Its reports: HTML sandboxed under the report's own policy, JSON as a download, CSV from the API.
        long html = jdbc.sql("select id from reports where job_id = :job and format = 'html'").param("job", again.id())
                .query(Long.class).single();
        HttpResponse<String> report = session.get("/jobs/" + again.id() + "/reports/" + html);
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("sandbox", "default-src 'none'");
        assertThat(session.get("/jobs/" + failed.id() + "/reports/" + html).statusCode()).isEqualTo(404);
        assertThat(session.get("/api/v1/anomalies.csv?job=" + again.id()).statusCode()).isEqualTo(200);
    }

    @Test
    void aFalsePositiveIsKeptWithItsNoteWhoAndWhenAndCanBeReopened() throws Exception {
        StringBuilder log = steadyAppLog(Instant.parse("2026-10-01T08:00:00Z"), 30);
        Instant late = Instant.parse("2026-10-01T08:20:00Z");
        for (int i = 0; i < 8; i++) {
            log.append(APP_TS.format(late.plusSeconds(i))).append(" ERROR [main] com.acme.Batch - nightly export failed ")
                    .append(i).append('\n');
        }
        drop("feedback.log", inTimeOrder(log).getBytes(StandardCharsets.UTF_8));
        Job job = awaitJob("feedback.log");
        long id = jdbc.sql("select id from anomalies where job_id = :job and detector = 'error-burst'")
                .param("job", job.id()).query(Long.class).single();

        String note = "the <b>export</b> is rerun every night";
        assertThat(post("/anomalies/" + id + "/status", "status=false_positive&feedback=expected&note="
                + URLEncoder.encode(note, StandardCharsets.UTF_8)).statusCode()).isEqualTo(302);
        String page = session.get("/anomalies/" + id).body();
        assertThat(page).contains("Marked false positive by admin.", "open → false positive (expected)",
                "the &lt;b&gt;export&lt;/b&gt; is rerun every night").doesNotContain("<b>export</b>");
        assertThat(jdbc.sql("select changed_by || ' ' || to_status || ' ' || feedback from anomaly_status_history"
                + " where anomaly_id = :id").param("id", id).query(String.class).list())
                .containsExactly("admin false_positive expected");

        assertThat(post("/anomalies/" + id + "/status", "status=open").statusCode()).isEqualTo(302);
        assertThat(session.get("/anomalies/" + id).body()).contains("false positive → open", "id=\"acknowledge\"");
        // Suppressing from the page: for a time, narrowed to one influencer value offered by the form.
        assertThat(session.get("/anomalies/" + id).body()).contains("name=\"for\"", "value=\"service=com.acme.Batch\"");
        assertThat(post("/anomalies/" + id + "/status", "status=false_positive&feedback=suppress&for=30d"
                + "&influencer=service%3Dcom.acme.Batch&note=known").statusCode()).isEqualTo(302);
        assertThat(jdbc.sql("select influencer_field || '=' || influencer_value || ' '"
                + " || round(extract(epoch from expires_at - created_at) / 86400) from suppression_rules"
                + " where source = :source and kind = 'suppress'").param("source", job.source()).query(String.class).list())
                .containsExactly("service=com.acme.Batch 30");
        assertThat(session.get("/anomalies/" + id).body()).contains("Marked false positive by admin.");
        assertThat(post("/anomalies/" + id + "/status", "status=open").statusCode()).isEqualTo(302);
        assertThat(session.get("/anomalies/" + id).body()).contains("Marked open by admin.");
        assertThat(post("/anomalies/" + id + "/status", "status=false_positive&feedback=suppress&for=soon&note=x")
                .statusCode()).isEqualTo(302);
        assertThat(session.get("/anomalies/" + id).body()).contains("Not changed: for: a duration such as P7D");
        assertThat(post("/anomalies/" + id + "/status", "status=deleted").statusCode()).isEqualTo(302);
        assertThat(session.get("/anomalies/" + id).body()).contains("Not changed: status must be one of");
        assertThat(session.get("/anomalies?status=open&source=" + job.source()).body()).contains("/anomalies/" + id);
        assertThat(session.get("/anomalies?from=yesterday").body()).contains("from: not a date and time");
    }

    @Test
    void runNowIsOfferedOnlyWhereItApplies() throws Exception {
        assertThat(post("/sources/no-such-source/run", "").statusCode()).isEqualTo(404);
        HttpResponse<String> inbox = post("/sources/inbox/run", "");
        assertThat(inbox.statusCode()).isEqualTo(302);
        assertThat(session.get("/sources").body()).contains("cannot be run on demand");
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        String body = form + (form.isEmpty() ? "" : "&") + "_csrf=" + URLEncoder.encode(session.csrfToken(), StandardCharsets.UTF_8);
        return session.http.send(HttpRequest.newBuilder(URI.create(session.base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
