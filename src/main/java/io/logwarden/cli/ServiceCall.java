package io.logwarden.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * One request of a command that calls the running service ({@code run-source}, {@code feedback}): as the operator,
 * with HTTP Basic (the password from {@code LOGWARDEN_SECURITY_ADMIN_PASSWORD} or the password file) and the API
 * client header that spares the CSRF token.
 */
final class ServiceCall {

    private ServiceCall() {
    }

    /**
     * @param body    JSON, or null for none
     * @param timeout how long to wait for the answer; null: as long as it takes (a source run waits for its job)
     */
    static HttpResponse<String> send(String url, String user, Path passwordFile, String method, String path,
                                     String body, Duration timeout) throws CliError {
        String auth = Base64.getEncoder().encodeToString(
                (user + ":" + password(passwordFile)).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .header("Authorization", "Basic " + auth)
                .header(io.logwarden.web.SecurityConfiguration.API_CLIENT_HEADER, "logwarden-cli");
        if (timeout != null) {
            request.timeout(timeout);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw CliError.input("the service at " + url + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliError.input("interrupted");
        }
    }

    private static String password(Path passwordFile) throws CliError {
        String password = System.getenv("LOGWARDEN_SECURITY_ADMIN_PASSWORD");
        if (password != null && !password.isBlank()) {
            return password;
        }
        try {
            return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw CliError.input("no password: set LOGWARDEN_SECURITY_ADMIN_PASSWORD or give --password-file ("
                    + passwordFile + " is not readable)");
        }
    }
}
