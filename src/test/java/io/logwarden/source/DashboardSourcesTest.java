package io.logwarden.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logwarden.store.Job;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's sources page with database, REST and Kafka sources configured (this package's shared service):
 * each listed with its schedule and health, "Run now" on a SQL source starts a real run whose job then shows with
 * its watermark, and a Kafka source offers no run.
 */
class DashboardSourcesTest extends SourcesTestSupport {

    @Test
    void runNowFromTheSourcesPageRunsTheSource() throws Exception {
        jdbc.sql("create table if not exists payments (id bigint primary key, ts timestamptz not null, level text, host text, msg text)").update();
        jdbc.sql("insert into payments values (900, now() - interval '2 hours', 'INFO', 'h', 'dashboard row') on conflict do nothing").update();
        String base = "http://127.0.0.1:" + port;
        CookieManager cookies = new CookieManager();
        HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
        http.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(form(http, cookies, base + "/login", "username=admin&password=" + PASSWORD).statusCode()).isEqualTo(302);

        String page = http.send(HttpRequest.newBuilder(URI.create(base + "/sources")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("nightly", "cron 0 30 3 * * *", "app-events", "kafka", "failing", "action=\"/sources/nightly/run\"")
                .doesNotContain("action=\"/sources/app-events/run\"");

        long before = jdbc.sql("select count(*) from jobs where source = 'nightly'").query(Long.class).single();
        assertThat(form(http, cookies, base + "/sources/nightly/run", "").statusCode()).isEqualTo(302);
        Job run = await().atMost(Duration.ofSeconds(60)).until(() -> latest("nightly"),
                j -> j.isPresent() && !j.get().status().equals(Job.RUNNING)
                        && jdbc.sql("select count(*) from jobs where source = 'nightly'").query(Long.class).single() > before)
                .orElseThrow();
        assertThat(run.trigger()).isEqualTo("manual");
        assertThat(run.status()).as(run.error()).isIn(Job.SUCCEEDED, Job.EMPTY);
        String after = http.send(HttpRequest.newBuilder(URI.create(base + "/sources")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(after).contains("href=\"/jobs/" + run.id() + "\"");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
    }

    private Optional<Job> latest(String source) {
        return jobs.recent(500).stream().filter(j -> source.equals(j.source())).findFirst();
    }

    private static HttpResponse<String> form(HttpClient http, CookieManager cookies, String url, String body) throws Exception {
        String token = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue).reduce((a, b) -> b).orElseThrow();
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body + (body.isEmpty() ? "" : "&") + "_csrf=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
