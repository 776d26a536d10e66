package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.logwarden.config.RouteFileFailureAnalyzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A route file that does not load stops start-up with a message naming the file and the problem. */
class BrokenRouteStartupTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad YAML     | '- route:\\n    id: broken\\n    from: [unclosed'                                              | broken.camel.yaml | expected ',' or ']'",
            "unknown key  | '- route:\\n    id: broken\\n    frmo:\\n      uri: timer:x\\n      steps:\\n        - log: x' | broken.camel.yaml | Unsupported field: frmo",
    })
    void brokenRouteFileStopsStartUpNamingTheFile(String name, String yaml, String fileName, String problem)
            throws IOException {
        Path dir = TestDirs.create("broken-route");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve(fileName), yaml.replace("\\n", "\n"));

        Throwable failure = startUp(dir, routes + "/*.camel.yaml");

        assertThat(failure).isNotNull();
        FailureAnalysis analysis = new RouteFileFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains(routes.resolve(fileName).toString(), problem, "line ");
        assertThat(analysis.getAction()).contains("Fix the route file");
    }

    @Test
    void aMissingRoutesFolderSaysWhereTheServiceLooked() {
        Path dir = TestDirs.create("no-routes");
        Path missing = dir.resolve("elsewhere").resolve("routes");
        Throwable failure = startUp(dir, missing + "/sources/*.camel.yaml");

        assertThat(failure).isNotNull();
        FailureAnalysis analysis = new RouteFileFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("The routes folder " + missing.resolve("sources"), "does not exist");
        assertThat(analysis.getAction()).contains("Start it from the project root");
        // another missing file is not a missing routes folder
        assertThat(new RouteFileFailureAnalyzer().analyze(new IllegalStateException(
                new java.nio.file.NoSuchFileException("/etc/logwarden/keystore.p12")))).isNull();
    }

    /** Starts the service on the given route files; what stopped it. Arguments override application.yml, as a user's would. */
    private static Throwable startUp(Path dir, String routeFiles) {
        return catchThrowable(() -> new SpringApplicationBuilder(LogwardenApplication.class).run(
                "--camel.main.routes-include-pattern=file:" + routeFiles,
                "--server.port=0",
                "--logwarden.ingest.inbox=" + dir.resolve("inbox"),
                "--logwarden.ingest.copy-samples=false",
                "--logwarden.storage.embedded-dir=" + dir.resolve("postgres"),
                "--logwarden.security.password-file=" + dir.resolve("admin-password")).close());
    }
}
