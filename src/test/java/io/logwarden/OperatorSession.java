package io.logwarden;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A browser-like HTTP client: keeps cookies, signs in with the form, sends the CSRF token as Hawtio does. */
final class OperatorSession {

    final String base;
    final CookieManager cookies = new CookieManager();
    final HttpClient http;

    OperatorSession(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts the sign-in form (with the CSRF token the sign-in page's cookie holds). */
    HttpResponse<String> signIn(String user, String password) throws IOException, InterruptedException {
        get("/login");
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + csrfToken();
        return http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A Jolokia POST from Logwarden's own pages: same Origin, CSRF header. */
    HttpResponse<String> jolokia(String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/jolokia"))
                .header("Content-Type", "application/json").header("Origin", base).header("X-XSRF-TOKEN", csrfToken())
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String csrfToken() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue).reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("no XSRF-TOKEN cookie"));
    }
}
