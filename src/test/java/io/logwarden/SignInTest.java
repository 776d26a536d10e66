package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The sign-in page, where a sign-in lands, the session cookie, throttling of wrong passwords, and health for strangers. */
@ExtendWith(OutputCaptureExtension.class)
class SignInTest extends ServiceTestSupport {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anonymousBrowserGetsTheProductsSignInPage() throws Exception {
        OperatorSession browser = new OperatorSession(port);
        HttpResponse<String> hawtio = browser.http.send(HttpRequest.newBuilder(URI.create(browser.base + "/actuator/hawtio/"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hawtio.statusCode()).isEqualTo(302);
        assertThat(hawtio.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));

        HttpResponse<String> page = browser.get("/login");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Sign in — Logwarden</title>", "value=\"admin\"",
                "LOGWARDEN_SECURITY_ADMIN_PASSWORD", "name=\"_csrf\"").doesNotContain("Please sign in");
    }

    @Test
    void directSignInLandsOnTheDashboardWithAProtectedSessionCookie() throws Exception {
        OperatorSession browser = new OperatorSession(port);
        HttpResponse<String> signIn = browser.signIn("admin", ADMIN_PASSWORD);
        assertThat(signIn.statusCode()).isEqualTo(302);
        String landing = signIn.headers().firstValue("Location").orElseThrow();
        assertThat(landing).isEqualTo(browser.base + "/");
        HttpResponse<String> overview = browser.get("/");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("Logwarden");
        HttpResponse<String> hawtio = browser.get("/actuator/hawtio/");
        assertThat(hawtio.statusCode()).isEqualTo(200);
        assertThat(hawtio.body()).containsIgnoringCase("hawtio");

        List<String> cookies = signIn.headers().allValues("Set-Cookie");
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("JSESSIONID=").contains("HttpOnly", "SameSite=Lax")
                .doesNotContain("Secure")); // plain HTTP here; over TLS Tomcat adds Secure
    }

    @Test
    void wrongPasswordsAreLoggedAndThenAnswered429(CapturedOutput output) throws Exception {
        String secret = "Tr0ub4dor-guess-";
        for (int i = 0; i < 5; i++) {
            assertThat(get("/actuator/info", "mallory", secret + i).statusCode()).as("attempt " + (i + 1)).isEqualTo(401);
        }
        HttpResponse<String> throttled = get("/actuator/info", "mallory", secret + "6");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isPositive());
        // The right password does not help while the user must wait.
        assertThat(get("/actuator/info", "Mallory", "anything").statusCode()).isEqualTo(429);

        // The form is refused the same way, with a page that says why.
        OperatorSession browser = new OperatorSession(port);
        HttpResponse<String> form = browser.signIn("mallory", secret + "7");
        assertThat(form.statusCode()).isEqualTo(429);
        assertThat(form.body()).contains("Too many failed sign-ins");

        String log = output.getAll();
        assertThat(log.lines().filter(l -> l.contains("Sign-in failed for user 'mallory' from 127.0.0.1"))).hasSize(5);
        assertThat(log).contains("Sign-in refused for user 'mallory' from 127.0.0.1").doesNotContain(secret);

        // Others are unaffected: the operator signs in, which also clears this address's count.
        assertThat(get("/actuator/info", "admin", ADMIN_PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void healthSaysOnlyUpOrDownToStrangersAndInfoNeedsSignIn() throws Exception {
        HttpResponse<String> anonymous = get("/actuator/health", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        // UP or DOWN, and the names of the probe groups (liveness, readiness) — no components, no details
        assertThat(anonymous.body()).isIn("{\"status\":\"UP\"}", "{\"status\":\"UP\",\"groups\":[\"liveness\",\"readiness\"]}");

        HttpResponse<String> operator = get("/actuator/health", "admin", ADMIN_PASSWORD);
        assertThat(operator.body()).contains("\"status\":\"UP\"", "\"db\"", "\"components\"");

        assertThat(get("/actuator/info", null, null).statusCode()).isIn(401, 302);
        assertThat(get("/actuator/info", "admin", ADMIN_PASSWORD).statusCode()).isEqualTo(200);
    }

}
