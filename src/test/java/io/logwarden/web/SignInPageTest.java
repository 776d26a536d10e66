package io.logwarden.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.config.SecurityProperties;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class SignInPageTest {

    private static SecurityProperties props(String password) {
        return new SecurityProperties("ops", password, Path.of("data/admin-password"),
                new SecurityProperties.SignIn(5, 20, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofHours(1)));
    }

    @Test
    void withoutAPasswordThePageSaysWhereTheGeneratedOneIs() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        new SignInPage(props(null)).show(new MockHttpServletRequest("GET", "/login"), response);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).contains("<h1>Logwarden</h1>", "value=\"ops\"",
                Path.of("data/admin-password").toAbsolutePath().toString(), "generated");
    }

    @Test
    void theStyleElementCarriesTheContentSecurityPolicyNonce() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/login");
        request.setAttribute("cspNonce", "n0nce+/=");
        MockHttpServletResponse response = new MockHttpServletResponse();
        new SignInPage(props(null)).show(request, response);
        assertThat(response.getContentAsString()).contains("<style nonce=\"n0nce+/=\">").doesNotContain(" style=");
    }

    @Test
    void wrongPasswordAndThrottlingAreExplained() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/login");
        request.setParameter("error", "");
        MockHttpServletResponse response = new MockHttpServletResponse();
        SignInPage page = new SignInPage(props("set"));
        page.show(request, response);
        assertThat(response.getContentAsString()).contains("Wrong user name or password.", "LOGWARDEN_SECURITY_ADMIN_PASSWORD")
                .doesNotContain("generated");

        MockHttpServletResponse throttled = new MockHttpServletResponse();
        page.renderThrottled(new MockHttpServletRequest("POST", "/login"), throttled, Duration.ofSeconds(8));
        assertThat(throttled.getStatus()).isEqualTo(429);
        assertThat(throttled.getContentAsString()).contains("Try again in 8 s.");
        // Written by a filter, outside the interceptor: it sets its own policy, and its style element has the nonce.
        String policy = throttled.getHeader("Content-Security-Policy");
        assertThat(policy).contains("script-src 'self'", "style-src 'self' 'nonce-");
        String nonce = policy.replaceAll(".*'nonce-([^']+)'.*", "$1");
        assertThat(throttled.getContentAsString()).contains("nonce=\"" + nonce + "\"");
    }
}
