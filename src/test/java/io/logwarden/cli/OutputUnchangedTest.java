package io.logwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Speed work must not change what users get: for every shipped sample, and for a generated log read through an
 * inferred header layout (the path no sample takes), the anomalies {@code analyze} prints and the template
 * {@code templates} gives every event are exactly those recorded in {@code src/test/resources/golden/} before the
 * pipeline was made faster (issue 15).
 *
 * <p>A deliberate change of detection or mining re-records them: {@code ./mvnw test -Dtest=OutputUnchangedTest
 * -Dgolden.update=true}, then the diff of the golden files is reviewed and committed with the change.
 */
class OutputUnchangedTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TempDir
    static Path generated;

    @ParameterizedTest
    @ValueSource(strings = {"app.log", "nginx-500-burst.log", "nginx-access.log", "syslog.log",
            "app-heartbeat-stop.log.gz", "nginx-incidents.log.gz", "generated-layout.log"})
    void analyzeAndTemplatesPrintWhatTheyPrintedBefore(String sample) throws IOException {
        String file = sample.startsWith("generated") ? generatedLayoutLog().toString() : "samples/" + sample;
        CliRun analyze = CliRun.of("analyze", file);
        assertThat(analyze.code()).as(analyze.err()).isZero();
        CliRun templates = CliRun.of("templates", file);
        assertThat(templates.code()).as(templates.err()).isZero();
        assertThat(templates.out()).isNotBlank();

        check(sample + ".analyze.jsonl", analyze.out());
        check(sample + ".templates.jsonl.gz", templates.out());
    }

    private static void check(String name, String actual) throws IOException {
        Path golden = GOLDEN.resolve(name);
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            try (OutputStream out = Files.newOutputStream(golden)) {
                OutputStream target = name.endsWith(".gz") ? new GZIPOutputStream(out) : out;
                target.write(actual.getBytes(StandardCharsets.UTF_8));
                target.close();
            }
        }
        assertThat(golden).as("golden file " + golden + " (record it with -Dgolden.update=true)").exists();
        String expected;
        try (InputStream in = name.endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(golden)) : Files.newInputStream(golden)) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> want = expected.lines().toList();
        List<String> got = actual.lines().toList();
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            assertThat(got.get(i)).as(name + ", output line " + (i + 1)).isEqualTo(want.get(i));
        }
        assertThat(got).as(name + ": number of output lines").hasSameSizeAs(want);
    }

    /**
     * A 30,000-line log in a header layout no built-in format reads ({@code yyMMdd HHmmss pid LEVEL component:
     * message}), one event a few milliseconds apart with a burst of errors and a new message in the middle; the
     * same bytes every run (fixed seed).
     */
    private static Path generatedLayoutLog() throws IOException {
        Path file = generated.resolve("generated-layout.log");
        if (Files.exists(file)) return file;
        Random random = new Random(15);
        String[] components = {"dfs.DataNode$DataXceiver", "dfs.FSNamesystem", "dfs.DataNode$PacketResponder", "dfs.DataNode"};
        long second = 0;
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 30_000; i++) {
                if (random.nextInt(40) == 0) second++;
                long s = second + 20 * 3600 + 35 * 60;
                String stamp = String.format("081109 %02d%02d%02d", s / 3600 % 24, s / 60 % 60, s % 60);
                String block = "blk_" + (random.nextBoolean() ? "-" : "") + Math.abs(random.nextLong() % 10_000_000_000L);
                String ip = "10.250." + random.nextInt(20) + "." + random.nextInt(255);
                boolean incident = i >= 18_000 && i < 18_600;
                String line = switch (incident ? 4 + random.nextInt(2) : random.nextInt(4)) {
                    case 0 -> "INFO " + components[0] + ": Receiving block " + block + " src: /" + ip + ":" + (40000 + random.nextInt(20000))
                            + " dest: /" + ip + ":50010";
                    case 1 -> "INFO " + components[1] + ": BLOCK* NameSystem.addStoredBlock: blockMap updated: " + ip
                            + ":50010 is added to " + block + " size " + random.nextInt(67_108_864);
                    case 2 -> "INFO " + components[2] + ": PacketResponder " + random.nextInt(3) + " for block " + block + " terminating";
                    case 3 -> "INFO " + components[3] + ": Received block " + block + " of size " + random.nextInt(67_108_864)
                            + " from /" + ip;
                    case 4 -> "ERROR " + components[3] + ": " + ip + ":50010:DataXceiver: java.io.IOException: Connection reset by peer";
                    default -> "WARN " + components[1] + ": Replication of " + block + " failed: no live nodes in rack /default";
                };
                out.write(stamp + " " + (100 + random.nextInt(60)) + " " + line + "\n");
            }
        }
        return file;
    }
}
