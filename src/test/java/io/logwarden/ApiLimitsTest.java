package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.store.ApiKeyService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Rate limits (per client address and per API key, 429 with Retry-After) and CORS (no other origin by default) on the
 * shared service, with the default limit of 600 a minute. Requests come from their own loopback addresses
 * (127.0.0.x) over raw HTTP/1.1, so the other tests' use of 127.0.0.1 does not count.
 */
class ApiLimitsTest extends ServiceTestSupport {

    static final int LIMIT = 600;

    @Autowired ApiKeyService keys;

    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** One HTTP/1.1 request from the given loopback address. */
    Answer request(String from, String method, String path, Map<String, String> headers) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int status = Integer.parseInt(in.readLine().split(" ")[1]);
            Map<String, String> h = new LinkedHashMap<>();
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                h.put(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).strip());
            }
            StringBuilder body = new StringBuilder();
            while ((line = in.readLine()) != null) {
                body.append(line).append('\n');
            }
            return new Answer(status, h, body.toString());
        }
    }

    @Test
    void eachClientAddressGetsItsOwnAllowanceThen429WithRetryAfter() throws Exception {
        // Anonymous requests are cheap (401) but count against their address like any other. The bucket refills
        // steadily (10 a second at 600 a minute), so the refusal comes a few requests after the 600th.
        Answer limited = null;
        int sent = 0;
        while (limited == null && sent < 2 * LIMIT) {
            Answer a = request("127.0.0.21", "GET", "/api/v1/jobs", Map.of());
            sent++;
            if (a.status() == 429) {
                limited = a;
            } else {
                assertThat(a.status()).as("request " + sent).isEqualTo(401);
            }
        }
        assertThat(limited).as("429 within " + 2 * LIMIT + " requests").isNotNull();
        assertThat(sent).isGreaterThan(LIMIT);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
        assertThat(json.readTree(limited.body()).path("detail").asText()).contains("from this address");
        // Another address is not held back by the first one's use; pages outside the API are not limited.
        assertThat(request("127.0.0.22", "GET", "/api/v1/jobs", Map.of()).status()).isEqualTo(401);
        assertThat(request("127.0.0.21", "GET", "/actuator/health", Map.of()).status()).isIn(200, 503);
    }

    @Test
    void aKeyIsLimitedWhereverItIsUsedFrom() throws Exception {
        String key = keys.create("limited", "read", "test").key();
        Map<String, String> withKey = Map.of("X-API-Key", key);
        Answer limited = null;
        int sent = 0;
        while (limited == null && sent < 2 * LIMIT) {
            // Spread over four addresses, none of which reaches its own limit.
            Answer a = request("127.0.0." + (31 + sent % 4), "GET", "/api/v1/sources", withKey);
            sent++;
            if (a.status() == 429) {
                limited = a;
            } else {
                assertThat(a.status()).as("request " + sent).isEqualTo(200);
            }
        }
        assertThat(limited).as("429 within " + 2 * LIMIT + " requests").isNotNull();
        assertThat(sent).isGreaterThan(LIMIT);
        assertThat(limited.header("Retry-After")).isNotNull();
        assertThat(json.readTree(limited.body()).path("detail").asText()).contains("with this API key");
        // The same address with another key goes on.
        String other = keys.create("unlimited", "read", "test").key();
        assertThat(request("127.0.0.36", "GET", "/api/v1/sources", Map.of("X-API-Key", other)).status()).isEqualTo(200);
    }

    @Test
    void noOtherOriginMayCallByDefault() throws Exception {
        String key = keys.create("browser", "read", "test").key();
        Answer refused = request("127.0.0.41", "OPTIONS", "/api/v1/anomalies", Map.of("Origin", "https://evil.example.net",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "x-api-key"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
        Answer foreignCall = request("127.0.0.41", "GET", "/api/v1/anomalies",
                Map.of("Origin", "https://evil.example.net", "X-API-Key", key));
        assertThat(foreignCall.status()).isEqualTo(403);
        assertThat(foreignCall.header("Access-Control-Allow-Origin")).isNull();
        // The service's own origin is no cross-origin call.
        Answer same = request("127.0.0.41", "GET", "/api/v1/anomalies",
                Map.of("Origin", "http://127.0.0.1:" + port, "X-API-Key", key));
        assertThat(same.status()).isEqualTo(200);
    }
}
