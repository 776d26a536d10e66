package io.logwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.logwarden.detect.DetectionSettings;
import io.logwarden.detect.TemplateMiner;
import io.logwarden.ingest.IngestSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code templates} through its lean path (no --config): raw lines, output encoding, odd input. */
class TemplatesCommandTest {


    @TempDir
    Path dir;

    private String stdout;
    private String stderr;

    private int run(String... args) {
        CliRun run = CliRun.of(args);
        stdout = run.out();
        stderr = run.err();
        return run.code();
    }

    private List<JsonNode> lines() throws IOException {
        return CliRun.jsonLines(stdout);
    }

    @Test
    void theLeanPathUsesTheServiceDefaults() throws CliError {
        Settings bound = Settings.boundDefaults();
        assertThat(bound.ingest()).isEqualTo(IngestSettings.defaults());
        DetectionSettings.Miner miner = bound.detect().miner();
        assertThat(miner.depth()).isEqualTo(TemplateMiner.DEFAULT_DEPTH);
        assertThat(miner.similarity()).isEqualTo(TemplateMiner.DEFAULT_SIMILARITY);
        assertThat(miner.maxChildren()).isEqualTo(TemplateMiner.DEFAULT_MAX_CHILDREN);
        assertThat(miner.maxLeafTemplates()).isEqualTo(TemplateMiner.DEFAULT_MAX_LEAF_TEMPLATES);
        assertThat(bound.detect().masks()).isEmpty();
    }

    @Test
    void rawLinesAreNumberedInTheFileWithCrLfAndBlankLinesHandled() throws IOException {
        Path file = dir.resolve("crlf.log");
        Files.writeString(file, "\uFEFFjob 1 done\r\n\r\n   \r\njob 2 done\r\nqueue \"main\" \\ full\r\nlast line without end");
        assertThat(run("templates", "--format", "raw", file.toString())).isZero();

        List<JsonNode> out = lines();
        assertThat(out).extracting(n -> n.get("line").asLong()).containsExactly(1L, 4L, 5L, 6L);
        assertThat(out.get(0).get("templateId").asText()).isEqualTo(out.get(1).get("templateId").asText());
        assertThat(out.get(1).get("template").asText()).isEqualTo("job <*> done");
        assertThat(out.get(2).get("template").asText()).isEqualTo("queue \"main\" \\ full");
        assertThat(out.get(3).get("template").asText()).isEqualTo("last line without end");
        assertThat(stderr).isEmpty();
    }

    @Test
    void rawOutputIsValidJsonForAnyText() throws IOException {
        Path file = dir.resolve("odd.log");
        Files.writeString(file, "caf\u00e9 \u00fcber \u2603 tab\there\u0001ctl\n", StandardCharsets.UTF_8);
        assertThat(run("templates", "--format", "raw", file.toString())).isZero();
        // tabs and control characters separate tokens like spaces do
        assertThat(lines().get(0).get("template").asText()).isEqualTo("caf\u00e9 \u00fcber \u2603 tab here ctl");
    }

    @Test
    void gzipInputIsReadAndInvalidUtf8IsReported() throws IOException {
        Path file = dir.resolve("app.log.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
            gz.write("user 1 in\nuser 2 in\nbad \u00e9 ok\n".getBytes(StandardCharsets.UTF_8));
            gz.write(new byte[] {'x', ' ', (byte) 0xC3, '(', '\n'});
        }
        assertThat(run("templates", "--format", "raw", file.toString())).isZero();
        assertThat(lines()).hasSize(4);
        assertThat(stderr).contains("1 line with invalid UTF-8", "first: line 4");
    }

    @Test
    void longLinesAreCutAndReported() throws IOException {
        Path file = dir.resolve("long.log");
        Files.writeString(file, "start\n" + "x".repeat(IngestSettings.DEFAULT_MAX_LINE_BYTES + 10) + "\nend\n");
        assertThat(run("templates", "--format", "raw", file.toString())).isZero();
        List<JsonNode> out = lines();
        assertThat(out).extracting(n -> n.get("line").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(out.get(1).get("template").asText()).hasSize(IngestSettings.DEFAULT_MAX_LINE_BYTES);
        assertThat(stderr).contains("1 line was over the length limit and cut");
    }

    @Test
    void manyLinesKeepTheirOrderAcrossReadAheadBatches() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            text.append(i % 2 == 0 ? "request " + i + " served\n" : "GET /api/items/" + i + " HTTP/1.1 200\n");
        }
        Path file = Files.writeString(dir.resolve("many.log"), text);
        assertThat(run("templates", "--format", "raw", file.toString())).isZero();
        List<JsonNode> out = lines();
        assertThat(out).hasSize(20_000);
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i).get("line").asLong()).isEqualTo(i + 1L);
        }
        assertThat(out.get(0).get("template").asText()).isEqualTo("GET /api/items/<*> <*>");
        assertThat(out.get(19_999).get("template").asText()).isEqualTo("request <*> served");
    }

    @Test
    void aTruncatedGzipFailsNamingTheFileAfterTheLinesItCouldRead() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            text.append("worker ").append(i).append(" finished job ").append(i * 7).append('\n');
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = bytes.toByteArray();
        Path file = Files.write(dir.resolve("cut.log.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThat(run("templates", "--format", "raw", file.toString())).isEqualTo(1);
        assertThat(stderr).startsWith("logwarden: " + file + ": truncated gzip: unexpected end of compressed data after line");
        assertThat(lines()).isNotEmpty().allSatisfy(n -> assertThat(n.get("template").asText()).isEqualTo("worker <*> finished job <*>"));
    }

    @Test
    void emptyAndBinaryFilesAreRefusedNamingTheFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.log"));
        assertThat(run("templates", "--format", "raw", empty.toString())).isEqualTo(1);
        assertThat(stderr).startsWith("logwarden: " + empty + ": empty file");

        Path binary = Files.write(dir.resolve("core.bin"), new byte[] {'E', 'L', 'F', 0, 1, 2});
        assertThat(run("templates", "--format", "raw", binary.toString())).isEqualTo(1);
        assertThat(stderr).startsWith("logwarden: " + binary + ": binary file: NUL byte at offset 3");
        assertThat(stdout).isEmpty();
    }
    @Test
    void theLeanRawPathGivesWhatTheServicesReaderGives() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 3_000; i++) {
            text.append(switch (i % 5) {
                case 0 -> "GET /api/users/" + i + "/orders?page=" + i % 7 + " HTTP/1.1 " + (200 + i % 3) + "\n";
                case 1 -> "Receiving block blk_" + i + " src: /10.0.0." + i % 250 + ":50010 dest: /10.0.1.1:50010\r\n";
                case 2 -> "user " + (i % 2 == 0 ? "alice" : "bob") + " logged in from caf\u00e9 " + i + "\n";
                case 3 -> "  \n";
                default -> "session " + i + " closed after " + i * 3 + " ms\n";
            });
        }
        Path file = Files.writeString(dir.resolve("mixed.log"), text, StandardCharsets.UTF_8);
        Path config = Files.writeString(dir.resolve("application.yml"), "logwarden:\n  detect:\n    window: 60s\n");
        assertThat(run("templates", "--format", "raw", file.toString())).isZero();
        String lean = stdout;
        assertThat(run("templates", "--config", config.toString(), "--format", "raw", file.toString())).isZero();
        assertThat(lean).isEqualTo(stdout).contains("\"template\":\"GET /api/users/<*>/orders?<*> <*>\"");
    }
}
