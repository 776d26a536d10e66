package io.logwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.alert.RecordingServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The feedback command's requests, as a local HTTP server receives them, and its usage errors. */
class FeedbackCommandTest {

    @Test
    void suppressSendsTheStatusChangeWithTheRuleToTheService() throws Exception {
        try (RecordingServer api = RecordingServer.start(0)) {
            Path password = Files.createTempFile("logwarden-pw", "");
            Files.writeString(password, "s3cret\n");
            CliRun r = run("feedback", "42", "--suppress", "--for", "P7D", "--influencer", "client=10.0.0.7",
                    "--note", "known \"flaky\" gateway", "--url", api.url("/"), "--password-file", password.toString());
            assertThat(r.code()).as(r.err()).isZero();
            RecordingServer.Request request = api.requests.get(0);
            assertThat(request.path()).isEqualTo("/api/v1/anomalies/42/status");
            assertThat(request.header("Authorization")).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8)));
            assertThat(request.header("X-Logwarden-Client")).isEqualTo("logwarden-cli");
            JsonNode body = new ObjectMapper().readTree(request.body());
            assertThat(body.path("status").asText()).isEqualTo("false_positive");
            assertThat(body.path("feedback").asText()).isEqualTo("suppress");
            assertThat(body.path("for").asText()).isEqualTo("P7D");
            assertThat(body.path("influencer").asText()).isEqualTo("client=10.0.0.7");
            assertThat(body.path("note").asText()).isEqualTo("known \"flaky\" gateway");

            assertThat(run("feedback", "43", "--expected", "--url", api.url(""), "--password-file", password.toString()).code())
                    .isZero();
            assertThat(new ObjectMapper().readTree(api.requests.get(1).body()).path("feedback").asText()).isEqualTo("expected");
            assertThat(run("feedback", "rules", "--url", api.url(""), "--password-file", password.toString()).code()).isZero();
            assertThat(api.requests.get(2).path()).isEqualTo("/api/v1/suppressions");
            assertThat(run("feedback", "delete-rule", "7", "--url", api.url(""), "--password-file", password.toString()).code())
                    .isZero();
            assertThat(api.requests.get(3).path()).isEqualTo("/api/v1/suppressions/7");
        }
    }

    @Test
    void wrongUseIsAUsageError() {
        assertThat(run("feedback").code()).isEqualTo(CliError.USAGE);
        assertThat(run("feedback", "x1", "--suppress").err()).contains("not an anomaly id");
        assertThat(run("feedback", "42").err()).contains("--status");
        assertThat(run("feedback", "42", "--suppress", "--expected").err()).contains("not both");
        assertThat(run("feedback", "42", "--suppress", "--influencer", "client").err()).contains("field=value");
        assertThat(run("feedback", "42", "--status", "open", "--for", "P1D").err()).contains("--suppress or --expected");
    }

    @Test
    void aServiceThatDoesNotAnswerIsAnInputError() {
        CliRun r = run("feedback", "42", "--suppress", "--url", "http://127.0.0.1:9", "--password-file", "/nonexistent");
        assertThat(r.code()).isEqualTo(CliError.INPUT);
        assertThat(r.err()).contains("no password");
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }
}
