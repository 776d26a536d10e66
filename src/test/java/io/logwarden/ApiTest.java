package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.logwarden.detect.Anomaly;
import io.logwarden.detect.Detector;
import io.logwarden.detect.Enrichment;
import io.logwarden.detect.Evidence;
import io.logwarden.event.AnomalyStatusChanged;
import io.logwarden.event.Severity;
import io.logwarden.store.QuarantineRepository;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The REST API over real HTTP on the whole service (embedded PostgreSQL): API keys and scopes, CSRF, 400/404 as
 * problem+json, cursor paging, CSV, reports, sources, templates, quarantine and the OpenAPI description.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiTest extends ServiceTestSupport {

    /** The status-change events the API published (a listener added to the shared context, not a new context). */
    static final List<AnomalyStatusChanged> SEEN = new CopyOnWriteArrayList<>();
    @Autowired ConfigurableApplicationContext context;

    static final Instant T0 = Instant.parse("2026-02-01T08:00:00Z");
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    // Made once for the class (the context, and so the database, is shared); not in a per-class lifecycle, which
    // would keep Camel from starting when this class is the first of the shared context.
    static long jobId;
    static String readKey;
    static String writeKey;

    @BeforeEach
    void data() throws Exception {
        if (readKey != null) {
            return;
        }
        context.addApplicationListener((ApplicationListener<ApplicationEvent>) e -> {
            if (e instanceof PayloadApplicationEvent<?> p && p.getPayload() instanceof AnomalyStatusChanged c) {
                SEEN.add(c);
            }
        });
        jobId = jobs.start("api-shop", "file", "api-shop.log", 100L);
        List<Anomaly> list = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Instant at = T0.plusSeconds(600L * i);
            list.add(new Anomaly("api-shop", i % 3 == 0 ? Detector.ERROR_BURST : Detector.FREQUENCY_SPIKE, 40 + i * 5,
                    i % 3 == 0 ? Severity.CRITICAL : Severity.MEDIUM, at, at.plusSeconds(60), "T" + i, "checkout <*> failed",
                    i == 5 ? "=HYPERLINK(\"http://127.0.0.1/x\",\"click\")" : "checkout failures, batch " + i,
                    "explanation " + i, 2, 20, List.of(), List.of(new Evidence("api-shop.log:" + (100 + i), at, "ERROR",
                    "checkout 42 failed", "T" + i)), i == 0 ? new Enrichment("enriched", null, "Checkout is failing",
                    "The payment provider times out", List.of("Page the payments team"), 0, "gpt-4o-mini", false) : null,
                    List.of(new Anomaly.Influencer("client", "10.1.2.3", 8, 10, 0.05)), List.of(), ""));
        }
        anomalies.saveAll(jobId, list);
        quarantine.saveAll(jobId, List.of(new QuarantineRepository.Entry("api-shop", "api-shop.log", 7, "no timestamp",
                "<script>garbage</script>")));
        Path html = Files.writeString(DIR.resolve("reports").resolve("api-shop-report.html"), "<h1>api-shop</h1>");
        reports.record(jobId, "html", html.toString());
        Path outside = Files.writeString(DIR.resolve("outside.json"), "{\"secret\":1}");
        reports.record(jobId, "json", outside.toString());
        jobs.succeed(jobId, 12, null);

        readKey = createKey("ci-read", "read").path("key").asText();
        writeKey = createKey("ci-write", "write").path("key").asText();
    }

    JsonNode createKey(String name, String scope) throws Exception {
        HttpResponse<String> created = operator("POST", "/api/v1/api-keys", "{\"name\":\"" + name + "\",\"scope\":\"" + scope + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json.readTree(created.body());
    }

    HttpResponse<String> operator(String method, String path, String body) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + auth)
                .header("X-Logwarden-Client", "test"), method, body);
    }

    HttpResponse<String> withKey(String key, String method, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key), method, body);
    }

    HttpResponse<String> send(HttpRequest.Builder request, String method, String body) throws Exception {
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode p = json.readTree(response.body());
        assertThat(p.path("status").asInt()).isEqualTo(status);
        return p;
    }

    @Test
    void aReadKeyReadsAndPagesAnomaliesWithFiltersAndACursor() throws Exception {
        Set<Long> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            String path = "/api/v1/anomalies?source=api-shop&limit=5" + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> page = withKey(readKey, "GET", path, null);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = json.readTree(page.body());
            body.path("items").forEach(a -> assertThat(seen.add(a.path("id").asLong())).isTrue());
            cursor = body.path("nextCursor").isNull() ? null : body.path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(12);

        HttpResponse<String> filtered = send(HttpRequest.newBuilder(uri("/api/v1/anomalies?source=api-shop&severity=critical"
                + "&detector=error-burst&status=open&from=2026-02-01T08:00:00Z&to=2026-02-01T09:00:00Z&q=BATCH"))
                .header("X-API-Key", readKey), "GET", null);
        assertThat(filtered.statusCode()).isEqualTo(200);
        assertThat(json.readTree(filtered.body()).path("items")).extracting(n -> n.path("templateId").asText())
                .containsExactly("T3", "T0");

        long first = seen.stream().min(Long::compare).orElseThrow();
        HttpResponse<String> one = withKey(readKey, "GET", "/api/v1/anomalies/" + first, null);
        JsonNode anomaly = json.readTree(one.body());
        assertThat(anomaly.path("llm").path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(anomaly.path("evidence").get(0).path("ref").asText()).isEqualTo("api-shop.log:100");
        assertThat(anomaly.path("influencers").get(0).path("value").asText()).isEqualTo("10.1.2.3");
    }

    @Test
    void scopesDecideWhatAKeyMayDo(CapturedOutput output) throws Exception {
        long id = json.readTree(withKey(readKey, "GET", "/api/v1/anomalies?source=api-shop&sort=score&limit=1", null).body())
                .path("items").get(0).path("id").asLong();
        String change = "{\"status\":\"false_positive\",\"note\":\"load test\",\"feedback\":\"suppress\",\"for\":\"P7D\","
                + "\"influencer\":\"client=10.1.2.3\"}";
        JsonNode refused = problem(withKey(readKey, "POST", "/api/v1/anomalies/" + id + "/status", change), 403);
        assertThat(refused.path("detail").asText()).contains("write key");

        SEEN.clear();
        HttpResponse<String> changed = withKey(writeKey, "POST", "/api/v1/anomalies/" + id + "/status", change);
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        JsonNode after = json.readTree(changed.body());
        assertThat(after.path("status").asText()).isEqualTo("false_positive");
        assertThat(after.path("statusBy").asText()).isEqualTo("api-key:ci-write");
        JsonNode last = after.path("history").get(after.path("history").size() - 1);
        assertThat(last.path("suppressFor").asText()).as(after.toString()).isEqualTo("PT168H");
        assertThat(last.path("feedback").asText()).isEqualTo("suppress");
        assertThat(SEEN).singleElement().satisfies(e -> {
            assertThat(e.anomalyId()).isEqualTo(id);
            assertThat(e.feedback()).isEqualTo(AnomalyStatusChanged.Feedback.SUPPRESS);
            assertThat(e.suppressFor()).isEqualTo(Duration.ofDays(7));
            assertThat(e.influencer()).isEqualTo("client=10.1.2.3");
            assertThat(e.by()).isEqualTo("api-key:ci-write");
        });

        // No key manages keys, not even a write key.
        problem(withKey(writeKey, "POST", "/api/v1/api-keys", "{\"name\":\"x\",\"scope\":\"write\"}"), 403);
        problem(withKey(writeKey, "GET", "/api/v1/api-keys", null), 403);

        // A revoked key is refused at once; an unknown one too.
        JsonNode temp = createKey("temporary", "read");
        assertThat(withKey(temp.path("key").asText(), "GET", "/api/v1/jobs", null).statusCode()).isEqualTo(200);
        assertThat(operator("DELETE", "/api/v1/api-keys/" + temp.path("id").asLong(), null).statusCode()).isEqualTo(204);
        problem(withKey(temp.path("key").asText(), "GET", "/api/v1/jobs", null), 401);
        problem(withKey("lwk_not-a-key", "GET", "/api/v1/jobs", null), 401);
        problem(operator("DELETE", "/api/v1/api-keys/999999", null), 404);
        problem(send(HttpRequest.newBuilder(uri("/api/v1/jobs")), "GET", null), 401);

        JsonNode keys = json.readTree(operator("GET", "/api/v1/api-keys", null).body());
        assertThat(keys.findValuesAsText("name")).contains("ci-read", "ci-write", "temporary");
        assertThat(keys.toString()).doesNotContain(readKey).doesNotContain("hash");
        JsonNode ciRead = null;
        for (JsonNode k : keys) {
            if (k.path("name").asText().equals("ci-read")) ciRead = k;
        }
        assertThat(ciRead.path("lastUsedAt").isNull()).isFalse();
        assertThat(ciRead.path("lastUsedFrom").asText()).isEqualTo("127.0.0.1");

        assertThat(output.getAll()).doesNotContain(readKey).doesNotContain(writeKey).doesNotContain(temp.path("key").asText());
    }

    @Test
    void aSignedInBrowserWithoutItsCsrfTokenIsToldSoNeverA401() throws Exception {
        OperatorSession browser = new OperatorSession(port);
        assertThat(browser.signIn("admin", ADMIN_PASSWORD).statusCode()).isEqualTo(302);
        long id = json.readTree(withKey(readKey, "GET", "/api/v1/anomalies?source=api-shop&limit=1", null).body())
                .path("items").get(0).path("id").asLong();
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(browser.base + "/api/v1/anomalies/" + id + "/status"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"acknowledged\",\"note\":\"seen\"}"));
        HttpResponse<String> refused = browser.http.send(post.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode p = problem(refused, 403);
        assertThat(p.path("detail").asText()).contains("CSRF");

        HttpResponse<String> ok = browser.http.send(HttpRequest.newBuilder(URI.create(browser.base + "/api/v1/anomalies/" + id + "/status"))
                .header("Content-Type", "application/json").header("X-XSRF-TOKEN", browser.csrfToken())
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"acknowledged\",\"note\":\"seen\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json.readTree(ok.body()).path("statusBy").asText()).isEqualTo("admin");
    }

    @Test
    void badParametersAre400NamingThemAndUnknownIds404() throws Exception {
        record Case(String path, String parameter) { }
        for (Case c : List.of(new Case("/api/v1/anomalies?severity=severe", "severity"),
                new Case("/api/v1/anomalies?limit=abc", "limit"),
                new Case("/api/v1/anomalies?limit=0", "limit"),
                new Case("/api/v1/anomalies?from=yesterday", "from"),
                new Case("/api/v1/anomalies?from=2026-02-02&to=2026-02-01", "to"),
                new Case("/api/v1/anomalies?cursor=bm9wZQ", "cursor"),
                new Case("/api/v1/anomalies?sort=random", "sort"),
                new Case("/api/v1/anomalies.csv?status=closed", "status"),
                new Case("/api/v1/jobs?status=done", "status"),
                new Case("/api/v1/quarantine", "job"),
                new Case("/api/v1/quarantine?job=x", "job"),
                new Case("/api/v1/templates?limit=100000", "limit"))) {
            JsonNode p = problem(withKey(readKey, "GET", c.path(), null), 400);
            assertThat(p.path("parameter").asText()).as(c.path()).isEqualTo(c.parameter());
            assertThat(p.path("detail").asText()).as(c.path()).contains(c.parameter());
        }
        long id = json.readTree(withKey(readKey, "GET", "/api/v1/anomalies?source=api-shop&limit=1", null).body())
                .path("items").get(0).path("id").asLong();
        assertThat(problem(withKey(writeKey, "POST", "/api/v1/anomalies/" + id + "/status", "{\"status\":\"closed\"}"), 400)
                .path("parameter").asText()).isEqualTo("status");
        assertThat(problem(withKey(writeKey, "POST", "/api/v1/anomalies/" + id + "/status",
                "{\"status\":\"acknowledged\",\"feedback\":\"suppress\",\"for\":\"soon\"}"), 400).path("parameter").asText()).isEqualTo("for");
        assertThat(problem(withKey(writeKey, "POST", "/api/v1/anomalies/" + id + "/status",
                "{\"status\":\"acknowledged\",\"feedback\":\"forget\"}"), 400).path("parameter").asText()).isEqualTo("feedback");
        problem(withKey(writeKey, "POST", "/api/v1/anomalies/" + id + "/status", "not json"), 400);

        assertThat(problem(withKey(readKey, "GET", "/api/v1/anomalies/987654321", null), 404).path("detail").asText())
                .contains("987654321");
        problem(withKey(writeKey, "POST", "/api/v1/anomalies/987654321/status", "{\"status\":\"open\"}"), 404);
        problem(withKey(readKey, "GET", "/api/v1/jobs/987654321", null), 404);
        problem(withKey(readKey, "GET", "/api/v1/reports/987654321", null), 404);
        problem(withKey(readKey, "GET", "/api/v1/quarantine?job=987654321", null), 404);
        problem(withKey(writeKey, "POST", "/api/v1/sources/no-such-source/run", null), 404);
        problem(withKey(readKey, "POST", "/api/v1/sources/no-such-source/run", null), 403);
        problem(withKey(readKey, "GET", "/api/v1/no-such-thing", null), 404);
    }

    @Test
    void csvHasTheSameFiltersAndDefusesFormulas() throws Exception {
        HttpResponse<String> csv = withKey(readKey, "GET", "/api/v1/anomalies.csv?source=api-shop&detector=frequency-spike&sort=oldest", null);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).startsWith("id,occurred_at,severity,score,source,detector,status,title");
        assertThat(lines).hasSize(1 + 8);
        assertThat(lines.get(1)).contains("checkout failures, batch 1").contains("2026-02-01T08:10:00Z");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"'=HYPERLINK(\"\"http://127.0.0.1/x\"\",\"\"click\"\")\""));
    }

    @Test
    void jobsReportsSourcesTemplatesAndQuarantine() throws Exception {
        JsonNode job = json.readTree(withKey(readKey, "GET", "/api/v1/jobs/" + jobId, null).body());
        assertThat(job.path("job").path("anomalies").asInt()).isEqualTo(12);
        assertThat(job.path("job").path("durationMillis").isNumber()).isTrue();
        assertThat(job.path("anomaliesBySeverity").path("CRITICAL").asInt()).isEqualTo(4);
        JsonNode reportsOfJob = job.path("reports");
        assertThat(reportsOfJob).hasSize(2);
        for (JsonNode r : reportsOfJob) {
            HttpResponse<String> file = withKey(readKey, "GET", "/api/v1/reports/" + r.path("id").asLong(), null);
            if (r.path("format").asText().equals("html")) {
                assertThat(file.statusCode()).isEqualTo(200);
                assertThat(file.body()).isEqualTo("<h1>api-shop</h1>");
                assertThat(file.headers().firstValue("Content-Security-Policy")).isPresent();
            } else {
                problem(file, 404); // recorded outside the reports folder: never served
            }
        }
        JsonNode list = json.readTree(withKey(readKey, "GET", "/api/v1/jobs?source=api-shop", null).body());
        assertThat(list.path("items")).extracting(n -> n.path("id").asLong()).containsExactly(jobId);

        JsonNode sources = json.readTree(withKey(readKey, "GET", "/api/v1/sources", null).body());
        assertThat(sources.get(0).path("kind").asText()).isEqualTo("inbox");
        assertThat(sources.findValuesAsText("name")).contains("api-shop");

        JsonNode q = json.readTree(withKey(readKey, "GET", "/api/v1/quarantine?job=" + jobId, null).body());
        assertThat(q.path("records").get(0).path("raw").asText()).isEqualTo("<script>garbage</script>");
        assertThat(q.path("reasons").get(0).path("reason").asText()).isEqualTo("no timestamp");

        HttpResponse<String> templates = withKey(readKey, "GET", "/api/v1/templates?source=" + URLEncoder.encode("api-shop", StandardCharsets.UTF_8), null);
        assertThat(templates.statusCode()).isEqualTo(200);
        assertThat(json.readTree(templates.body()).path("source").asText()).isEqualTo("api-shop");
    }

    @Test
    void prometheusHasThePipelinesMetricsAndCamelsPerRouteMetrics() throws Exception {
        drop("api-metrics.log", inTimeOrder(steadyAppLog(Instant.parse("2026-02-02T00:00:00Z"), 30))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(awaitJob("api-metrics.log").status()).isEqualTo("succeeded");
        // Prometheus scrapes with a read key; the metrics need a sign-in of some kind.
        assertThat(send(HttpRequest.newBuilder(uri("/actuator/prometheus")), "GET", null).statusCode()).isIn(401, 302);
        HttpResponse<String> scrape = withKey(readKey, "GET", "/actuator/prometheus", null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        String metrics = scrape.body();
        assertThat(metrics).contains("logwarden_anomalies_total{detector=\"error-burst\",severity=\"CRITICAL\",source=\"api-shop\"} 4.0");
        assertThat(metrics).containsPattern("logwarden_events_read_total [1-9]");
        assertThat(metrics).contains("logwarden_events_quarantined_total");
        assertThat(metrics).containsPattern("logwarden_jobs_total\\{status=\"succeeded\"} [1-9]");
        assertThat(metrics).containsPattern("logwarden_job_duration_seconds_count\\{status=\"succeeded\"} [1-9]");
        assertThat(metrics).contains("logwarden_llm_calls_total{outcome=\"answered\"}");
        assertThat(metrics).containsPattern("camel_exchanges_total\\{.*routeId=\"source-files\"} [1-9]");
        assertThat(metrics).containsPattern("camel_route_policy_seconds_count\\{.*routeId=\"analyze\"");
        assertThat(metrics).containsPattern("camel_exchanges_failed_total\\{.*routeId=\"analyze\"");
        assertThat(metrics).containsPattern("(?m)^logwarden_jobs_running [0-9.]+$"); // its count: ReadModelTest

        // Every series the Grafana dashboard shipped in docker/ plots is one the service exports.
        JsonNode dashboard = json.readTree(Path.of("docker/grafana/dashboards/logwarden.json").toFile());
        Set<String> plotted = new HashSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("\\b(?:logwarden|camel|jvm|http|hikaricp)_\\w+")
                    .matcher(expr.asText());
            while (name.find()) plotted.add(name.group());
        }
        assertThat(plotted).contains("logwarden_jobs_running", "camel_exchanges_total").hasSizeGreaterThan(10);
        for (String series : plotted) {
            assertThat(metrics).as("the dashboard plots " + series).containsPattern("(?m)^" + series + "[{ ]");
        }
    }

    @Test
    void theOpenApiDescriptionListsEveryEndpointAndSwaggerUiIsServed() throws Exception {
        HttpResponse<String> docs = withKey(readKey, "GET", "/v3/api-docs", null);
        assertThat(docs.statusCode()).as(docs.body()).isEqualTo(200);
        JsonNode paths = json.readTree(docs.body()).path("paths");
        assertThat(paths.path("/api/v1/jobs").has("get")).isTrue();
        assertThat(paths.path("/api/v1/jobs/{id}").has("get")).isTrue();
        assertThat(paths.path("/api/v1/anomalies").has("get")).isTrue();
        assertThat(paths.path("/api/v1/anomalies/{id}").has("get")).isTrue();
        assertThat(paths.path("/api/v1/anomalies/{id}/status").has("post")).isTrue();
        assertThat(paths.path("/api/v1/anomalies.csv").has("get")).isTrue();
        assertThat(paths.path("/api/v1/reports/{id}").has("get")).isTrue();
        assertThat(paths.path("/api/v1/sources").has("get")).isTrue();
        assertThat(paths.path("/api/v1/sources/{name}/run").has("post")).isTrue();
        assertThat(paths.path("/api/v1/templates").has("get")).isTrue();
        assertThat(paths.path("/api/v1/quarantine").has("get")).isTrue();
        assertThat(paths.path("/api/v1/api-keys").has("post")).isTrue();
        assertThat(paths.path("/api/v1/api-keys/{id}").has("delete")).isTrue();
        assertThat(paths.has("/api/v1/**")).isFalse();
        assertThat(paths.path("/api/v1/anomalies").path("get").path("responses").path("400").path("content")
                .has("application/problem+json")).isTrue();
        assertThat(paths.path("/api/v1/anomalies").path("get").path("responses").has("429")).isTrue();

        OperatorSession browser = new OperatorSession(port);
        browser.signIn("admin", ADMIN_PASSWORD);
        HttpResponse<String> ui = browser.get("/swagger-ui.html");
        assertThat(ui.statusCode()).isIn(200, 302);
        HttpResponse<String> index = browser.get("/swagger-ui/index.html");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).containsIgnoringCase("swagger");
    }
}
