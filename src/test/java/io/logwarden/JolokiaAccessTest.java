package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * What Jolokia lets a signed-in operator's browser do: read, list, search and Hawtio's Camel operations, by POST with
 * the CSRF token from Logwarden's own origin; nothing on the JVM's MBeans, no agent loading, no heap dump, no
 * sending to endpoints, no writes, no JSONP, no foreign origins.
 */
class JolokiaAccessTest extends ServiceTestSupport {

    private static final String ROUTE_MBEAN = "org.apache.camel:context=logwarden,type=routes,name=\\\"source-files\\\"";
    private static final String CONTEXT_MBEAN = "org.apache.camel:context=logwarden,type=context,name=\\\"logwarden\\\"";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> basicGet(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private OperatorSession signedIn() throws Exception {
        OperatorSession session = new OperatorSession(port);
        assertThat(session.signIn("admin", ADMIN_PASSWORD).statusCode()).isEqualTo(302);
        return session;
    }

    private int status(HttpResponse<String> response) throws Exception {
        return json.readTree(response.body()).path("status").asInt();
    }

    @Test
    void hawtiosCamelOperationsRunByPostWithTheCsrfToken() throws Exception {
        OperatorSession session = signedIn();
        HttpResponse<String> stats = session.jolokia("{\"type\":\"exec\",\"mbean\":\"" + ROUTE_MBEAN
                + "\",\"operation\":\"dumpRouteStatsAsXml(boolean,boolean)\",\"arguments\":[false,false]}");
        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(status(stats)).as(stats.body()).isEqualTo(200);
        assertThat(stats.body()).contains("routeStat");
        HttpResponse<String> routes = session.jolokia("{\"type\":\"exec\",\"mbean\":\"" + CONTEXT_MBEAN
                + "\",\"operation\":\"dumpRoutesAsXml()\"}");
        assertThat(status(routes)).as(routes.body()).isEqualTo(200);
        // Same origin: Jolokia names only Logwarden's own origin, if any.
        assertThat(stats.headers().allValues("Access-Control-Allow-Origin")).allMatch(session.base::equals);
    }

    @Test
    void operationsAreRefusedOverGetAndWithoutTheCsrfToken() throws Exception {
        HttpResponse<String> get = basicGet("/actuator/jolokia/exec/org.apache.camel:context=logwarden,type=routes,"
                + "name=%22source-files%22/stop()");
        assertThat(status(get)).as(get.body()).isEqualTo(403);
        assertThat(camel.getRouteController().getRouteStatus("source-files").isStarted()).isTrue();

        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/jolokia"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"exec\",\"mbean\":\"" + ROUTE_MBEAN
                        + "\",\"operation\":\"stop()\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(camel.getRouteController().getRouteStatus("source-files").isStarted()).isTrue();
    }

    @Test
    void dangerousCallsAreRefusedEvenToTheSignedInOperator() throws Exception {
        OperatorSession session = signedIn();
        Path dir = Files.createTempDirectory("jolokia-refused");
        Path heap = dir.resolve("heap.hprof");
        Path written = dir.resolve("written.txt");
        String[] requests = {
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\",\"operation\":\"dumpHeap\","
                        + "\"arguments\":[\"" + heap + "\",true]}",
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\",\"operation\":\"jvmtiAgentLoad\","
                        + "\"arguments\":[[\"" + dir.resolve("agent.so") + "\"]]}",
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\",\"operation\":\"gcHeapDump\","
                        + "\"arguments\":[[\"" + heap + "\"]]}",
                "{\"type\":\"exec\",\"mbean\":\"" + CONTEXT_MBEAN + "\",\"operation\":\"sendStringBody(java.lang.String,java.lang.String)\","
                        + "\"arguments\":[\"file:" + dir + "?fileName=written.txt\",\"owned\"]}",
                "{\"type\":\"exec\",\"mbean\":\"" + CONTEXT_MBEAN + "\",\"operation\":\"createEndpoint\",\"arguments\":[\"file:" + dir + "\"]}",
                "{\"type\":\"exec\",\"mbean\":\"" + ROUTE_MBEAN + "\",\"operation\":\"remove()\"}",
                "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc()\"}",
                "{\"type\":\"exec\",\"mbean\":\"jdk.management.jfr:type=FlightRecorder\",\"operation\":\"newRecording()\"}",
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"SystemProperties\"}",
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"InputArguments\"}",
                "{\"type\":\"write\",\"mbean\":\"" + ROUTE_MBEAN + "\",\"attribute\":\"Tracing\",\"value\":true}",
        };
        for (String request : requests) {
            HttpResponse<String> response = session.jolokia(request);
            assertThat(status(response)).as(request + " → " + response.body()).isEqualTo(403);
        }
        assertThat(heap).doesNotExist();
        assertThat(written).doesNotExist();
        assertThat(camel.getRoute("source-files")).isNotNull();
    }

    @Test
    void readListAndSearchStillWork() throws Exception {
        HttpResponse<String> search = basicGet("/actuator/jolokia/search/org.apache.camel:type=routes,*");
        assertThat(status(search)).isEqualTo(200);
        HttpResponse<String> list = basicGet("/actuator/jolokia/list/org.apache.camel");
        assertThat(status(list)).isEqualTo(200);
        HttpResponse<String> read = basicGet("/actuator/jolokia/read/org.apache.camel:context=logwarden,type=routes,"
                + "name=%22analyze%22/State");
        assertThat(read.body()).contains("\"status\":200", "Started");
    }

    @Test
    void otherOriginsAndJsonpAreRefused() throws Exception {
        String read = "/actuator/jolokia/read/org.apache.camel:context=logwarden,type=routes,name=%22analyze%22/State";
        for (String[] header : new String[][] {{"Origin", "http://evil.example"}, {"Origin", "http://127.0.0.1:1"},
                {"Origin", "null"}, {"Referer", "http://evil.example/page.html"}}) {
            HttpResponse<String> response = basicGet(read, header);
            assertThat(status(response)).as(header[0] + ": " + header[1]).isEqualTo(403);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as(header[1]).isEmpty();
        }
        HttpResponse<String> same = basicGet(read, "Origin", "http://127.0.0.1:" + port);
        assertThat(status(same)).isEqualTo(200);

        HttpResponse<String> jsonp = basicGet(read + "?callback=steal");
        assertThat(jsonp.statusCode()).isEqualTo(403);
        assertThat(jsonp.body()).doesNotContain("steal(");
    }

}
