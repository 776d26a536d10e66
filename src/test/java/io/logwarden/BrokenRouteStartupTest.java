package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.logwarden.config.RouteFileFailureAnalyzer;
import io.logwarden.source.SourceRouteFailureAnalyzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A route file that does not load, or a source route that cannot be made, stops start-up with a message naming it. */
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

    /**
     * A source's route template that Camel refuses (here: a bean that does not exist) used to leave the service running
     * without that source, and without the sources configured after it, with only a warning in the log.
     */
    @Test
    void aSourceWhoseRouteCannotBeMadeStopsStartUpNamingIt() throws IOException {
        Path dir = TestDirs.create("broken-source");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("kafka.camel.yaml"), """
                - routeTemplate:
                    id: source-kafka
                    parameters:
                      - {name: name}
                      - {name: topics}
                      - {name: brokers}
                      - {name: groupId}
                      - {name: offsetReset}
                      - {name: maxPollRecords}
                      - {name: pollTimeoutMs}
                    route:
                      from:
                        uri: "timer:{{name}}?repeatCount=1"
                        steps:
                          - bean:
                              ref: noSuchBean
                """);

        Throwable failure = startUp(dir, routes + "/*.camel.yaml",
                "--logwarden.sources.kafka[0].name=orders", "--logwarden.sources.kafka[0].brokers=127.0.0.1:9",
                "--logwarden.sources.kafka[0].topics=orders", "--logwarden.sources.kafka[0].group-id=logwarden",
                "--logwarden.sources.kafka[0].format=raw",
                "--logwarden.sources.kafka[1].name=payments", "--logwarden.sources.kafka[1].brokers=127.0.0.1:9",
                "--logwarden.sources.kafka[1].topics=payments", "--logwarden.sources.kafka[1].group-id=logwarden",
                "--logwarden.sources.kafka[1].format=raw");

        assertThat(failure).isNotNull();
        FailureAnalysis analysis = new SourceRouteFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription())
                .contains("Kafka source 'orders': route template source-kafka did not make route source-kafka-orders")
                .contains("Kafka source 'payments'")
                .contains("noSuchBean");
        assertThat(analysis.getAction()).contains("routes/sources/");
    }

    /** Starts the service on the given route files; what stopped it. Arguments override application.yml, as a user's would. */
    private static Throwable startUp(Path dir, String routeFiles, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--camel.main.routes-include-pattern=file:" + routeFiles,
                "--server.port=0",
                "--logwarden.ingest.inbox=" + dir.resolve("inbox"),
                "--logwarden.ingest.copy-samples=false",
                "--logwarden.storage.embedded-dir=" + dir.resolve("postgres"),
                "--logwarden.security.password-file=" + dir.resolve("admin-password")));
        args.addAll(List.of(more));
        return catchThrowable(() -> new SpringApplicationBuilder(LogwardenApplication.class)
                .run(args.toArray(String[]::new)).close());
    }
}
