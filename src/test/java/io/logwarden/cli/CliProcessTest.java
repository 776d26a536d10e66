package io.logwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze} as a user runs it, in a process of its own (the application's main class, as {@code java -jar}
 * starts it): stdout holds JSON lines only, and stderr only the command's own {@code logwarden:} lines, nothing that
 * logging libraries print while they start.
 */
class CliProcessTest {

    @TempDir
    Path dir;

    @Test
    void analyzePrintsJsonLinesAndOnlyItsOwnDiagnostics() throws Exception {
        Path out = dir.resolve("out.jsonl");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(ChildJvm.command(List.of("-Xmx256m"),
                "io.logwarden.LogwardenApplication", "analyze", "samples/app.log"))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        List<String> diagnostics = lines(err);
        assertThat(diagnostics).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("logwarden: "));
        assertThat(diagnostics.get(diagnostics.size() - 1)).matches("logwarden: \\d+ anomal(y|ies) in \\d+ events of 1 file");
        ObjectMapper json = new ObjectMapper();
        List<String> results = lines(out);
        assertThat(results).isNotEmpty();
        for (String line : results) {
            assertThat(json.readTree(line).isObject()).as(line).isTrue();
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }
}
