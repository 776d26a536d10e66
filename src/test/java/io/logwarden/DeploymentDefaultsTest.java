package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** What ships: the service binds to loopback unless told otherwise; compose publishes no database port. */
class DeploymentDefaultsTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String file) throws IOException {
        return new Yaml().load(Files.readString(Path.of(file)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void serviceListensOnLoopbackByDefault() throws IOException {
        Map<String, Object> server = (Map<String, Object>) yaml("config/application.yml").get("server");
        assertThat(server.get("address")).isEqualTo("127.0.0.1");
        // The image listens on all interfaces inside its container; compose decides what reaches it.
        assertThat(Files.readString(Path.of("docker/Dockerfile"))).contains("ENV SERVER_ADDRESS=0.0.0.0");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeExposesNoDatabaseAndLogwardenOnLoopbackOnly() throws IOException {
        Map<String, Object> services = (Map<String, Object>) yaml("docker/compose.yaml").get("services");
        Map<String, Object> postgres = (Map<String, Object>) services.get("postgres");
        assertThat(postgres).doesNotContainKey("ports");
        assertThat(((Map<String, Object>) postgres.get("environment")).get("POSTGRES_PASSWORD").toString())
                .as("no well-known default password").doesNotContain(":-");
        List<String> ports = (List<String>) ((Map<String, Object>) services.get("logwarden")).get("ports");
        assertThat(ports).isNotEmpty().allMatch(p -> p.startsWith("127.0.0.1:"));
    }
}
