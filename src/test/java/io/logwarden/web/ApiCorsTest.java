package io.logwarden.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.config.ApiProperties;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;

/** The API's CORS rules with an origin configured (the service tests cover the default: no other origin). */
class ApiCorsTest {

    private final DefaultCorsProcessor processor = new DefaultCorsProcessor();

    private MockHttpServletResponse preflight(List<String> allowed, String origin, String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("OPTIONS", path);
        request.setServerName("127.0.0.1");
        request.setServerPort(8080);
        request.addHeader("Origin", origin);
        request.addHeader("Access-Control-Request-Method", "POST");
        request.addHeader("Access-Control-Request-Headers", "x-api-key, content-type");
        MockHttpServletResponse response = new MockHttpServletResponse();
        CorsConfiguration config = SecurityConfiguration.corsSource(new ApiProperties.Cors(allowed)).getCorsConfiguration(request);
        if (config == null) {
            return null;
        }
        processor.processRequest(config, request, response);
        return response;
    }

    @Test
    void aConfiguredOriginMayCallWithAKeyAndNoCookies() throws Exception {
        MockHttpServletResponse ok = preflight(List.of("https://ops.example.com"), "https://ops.example.com", "/api/v1/anomalies");
        assertThat(ok.getStatus()).isEqualTo(200);
        assertThat(ok.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://ops.example.com");
        assertThat(ok.getHeader("Access-Control-Allow-Headers")).containsIgnoringCase("x-api-key");
        assertThat(ok.getHeader("Access-Control-Allow-Credentials")).isNull();
    }

    @Test
    void anyOtherOriginIsRefused() throws Exception {
        MockHttpServletResponse refused = preflight(List.of("https://ops.example.com"), "https://evil.example.net", "/api/v1/anomalies");
        assertThat(refused.getStatus()).isEqualTo(403);
        assertThat(refused.getHeader("Access-Control-Allow-Origin")).isNull();
        MockHttpServletResponse none = preflight(List.of(), "https://ops.example.com", "/api/v1/anomalies");
        assertThat(none.getStatus()).isEqualTo(403);
    }

    @Test
    void onlyTheApiHasACorsPolicy() throws Exception {
        assertThat(preflight(List.of("https://ops.example.com"), "https://ops.example.com", "/actuator/jolokia")).isNull();
    }
}
