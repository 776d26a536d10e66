package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;

/** Hawtio, Jolokia (what Hawtio's Camel tab reads), health and metrics, with and without sign-in; the listening address. */
class OperationsTest extends ServiceTestSupport {

    @Autowired ServletWebServerApplicationContext web;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> get(String path, boolean signedIn) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (signedIn) {
            String credentials = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + credentials);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsOpenAndUpWithDetailsForOperators() throws Exception {
        HttpResponse<String> health = get("/actuator/health", false);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isIn("{\"status\":\"UP\"}", "{\"status\":\"UP\",\"groups\":[\"liveness\",\"readiness\"]}");
        assertThat(get("/actuator/health", true).body()).contains("\"status\":\"UP\"", "\"db\"");
    }

    @Test
    void hawtioJolokiaAndMetricsNeedSignIn() throws Exception {
        for (String path : new String[] {"/actuator/hawtio/", "/actuator/jolokia/version", "/actuator/prometheus"}) {
            assertThat(get(path, false).statusCode()).as(path).isIn(401, 302);
        }
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/hawtio/"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void hawtioServesItsConsoleAndJolokiaShowsTheCamelRoutes() throws Exception {
        HttpResponse<String> console = get("/actuator/hawtio/", true);
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).containsIgnoringCase("hawtio");

        HttpResponse<String> routes = get("/actuator/jolokia/search/org.apache.camel:type=routes,*", true);
        assertThat(routes.statusCode()).isEqualTo(200);
        assertThat(routes.body()).contains("\"status\":200", "source-files", "analyze", "finish-job", "publish",
                "report-html", "report-json");

        HttpResponse<String> stats = get("/actuator/jolokia/read/org.apache.camel:context=logwarden,type=routes,"
                + "name=%22analyze%22/ExchangesTotal", true);
        assertThat(stats.body()).contains("\"status\":200", "\"value\":");

        // Hawtio's route diagrams show each step's counts: the processors are managed, with their statistics.
        HttpResponse<String> steps = get("/actuator/jolokia/search/org.apache.camel:context=logwarden,type=processors,*",
                true);
        assertThat(steps.body()).contains("\"status\":200", "type=processors");
        HttpResponse<String> level = get("/actuator/jolokia/read/org.apache.camel:context=logwarden,type=context,"
                + "name=%22logwarden%22/ManagementStatisticsLevel", true);
        assertThat(level.body()).contains("\"status\":200", "\"value\":\"Default\"");
    }

    @Test
    void listensOnLoopbackOnly() {
        Object address = ((TomcatWebServer) web.getWebServer())
                .getTomcat().getConnector().getProperty("address");
        assertThat(address).hasToString("/127.0.0.1");
    }

    @Test
    void prometheusExposesCamelAndJvmMetrics() throws Exception {
        HttpResponse<String> metrics = get("/actuator/prometheus", true);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "hikaricp_connections");
    }
}
