package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What ships: the service binds to loopback unless told otherwise; compose publishes no database port; every way the
 * project starts the service gives its JVM the same options.
 */
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
    void theServicesJvmOptionsAreTheSameWhereverTheProjectStartsIt() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher plugin = Pattern.compile("<jvmArguments>([^<]*)</jvmArguments>").matcher(pom);
        assertThat(plugin.find()).as("pom.xml: the spring-boot plugin's jvmArguments").isTrue();
        String options = plugin.group(1).trim();
        assertThat(options).contains("-XX:+UseParallelGC", "-XX:NewRatio=1");
        // without it the plugin adds -XX:TieredStopAtLevel=1, and the JIT's optimising compiler never runs
        assertThat(pom).contains("<optimizedLaunch>false</optimizedLaunch>");
        assertThat(Files.readString(Path.of("README.md"))).contains("java " + options + " -jar target/logwarden.jar");
        String entryPoint = Files.readAllLines(Path.of("docker/Dockerfile")).stream()
                .filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
        for (String option : options.split("\\s+")) {
            assertThat(entryPoint).contains("\"" + option + "\"");
        }
        for (String script : List.of("bench/run-pipeline.sh", "bench/run-kafka.sh")) {
            assertThat(Files.readString(Path.of(script))).as(script).contains("SERVICE_JVM=${SERVICE_JVM-" + options + "}");
        }
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
