package io.logwarden.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private final Batches batches = new Batches();

    @Test
    void aBatchIsEmptyWhenItHasNoElement() {
        assertThat(batches.notEmpty(null)).isFalse();
        assertThat(batches.notEmpty(List.of())).isFalse();
        assertThat(batches.notEmpty(Map.of())).isFalse();
        assertThat(batches.notEmpty(new String[0])).isFalse();
        assertThat(batches.notEmpty(List.of("a"))).isTrue();
        assertThat(batches.notEmpty(Map.of("k", "v"))).isTrue();
        assertThat(batches.notEmpty(new int[] {1})).isTrue();
        assertThat(batches.notEmpty("a body")).isTrue();
    }

    /**
     * A method called on the body in a simple expression ({@code ${body.size()}}) makes Camel hash the whole body for
     * its bean cache on every exchange: a batch of 20,000 events hashed event by event, twice a Kafka poll. The shipped
     * routes use {@code batches} instead; this keeps it so.
     */
    @Test
    void noShippedRouteCallsAMethodOnTheBody() throws IOException {
        Pattern call = Pattern.compile("\\$\\{body\\??\\.\\w+\\s*\\(");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = call.matcher(lines.get(i));
                    if (m.find() && !lines.get(i).trim().startsWith("#")) {
                        found.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(found).as("simple expressions calling a method on the body").isEmpty();
    }
}
