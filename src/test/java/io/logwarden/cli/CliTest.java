package io.logwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: real files in a temporary folder, the shipped samples, and every user error. */
class CliTest {


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

    private Path write(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ templates

    @Test
    void templatesRawPrintsOneLinePerMessageInOrderWithStableIds() throws IOException {
        Path file = write("messages.txt",
                "order 1 accepted in 20 ms",
                "login of user bob from 10.0.0.1",
                "order 2 accepted in 35 ms",
                "",
                "login of user alice from 10.0.0.2",
                "disk /var is 93% full — über limit");

        assertThat(run("templates", "--format", "raw", file.toString())).isZero();

        List<JsonNode> out = lines();
        assertThat(out).extracting(n -> n.get("line").asLong()).containsExactly(1L, 2L, 3L, 5L, 6L);
        assertThat(out.get(0).get("templateId").asText()).isEqualTo(out.get(2).get("templateId").asText());
        assertThat(out.get(1).get("templateId").asText()).isEqualTo(out.get(3).get("templateId").asText())
                .isNotEqualTo(out.get(0).get("templateId").asText());
        assertThat(out.get(0).get("template").asText()).isEqualTo("order <*> accepted in <*> ms");
        assertThat(out.get(3).get("template").asText()).isEqualTo("login of user <*> from <*>");
        assertThat(out.get(4).get("template").asText()).contains("über limit"); // UTF-8 through
        assertThat(out.get(0).fieldNames()).toIterable().containsExactly("line", "templateId", "template");
        assertThat(stderr).isEmpty();
    }

    @Test
    void templatesAutoFoldsMultiLineEventsAndNumbersEventsByTheirFirstLine() throws IOException {
        Path file = write("shop.log",
                "2026-11-16 09:00:00,000 INFO [main] com.acme.Shop - order 1 accepted in 20 ms",
                "2026-11-16 09:00:01,000 ERROR [main] com.acme.Shop - order 2 failed",
                "java.lang.IllegalStateException: pool exhausted",
                "\tat com.acme.Shop.create(Shop.java:10)",
                "\tat com.acme.Shop.main(Shop.java:5)",
                "2026-11-16 09:00:02,000 INFO [main] com.acme.Shop - order 3 accepted in 25 ms");

        assertThat(run("templates", file.toString())).isZero();

        List<JsonNode> out = lines();
        assertThat(out).extracting(n -> n.get("line").asLong()).containsExactly(1L, 2L, 6L);
        assertThat(out.get(0).get("templateId").asText()).isEqualTo(out.get(2).get("templateId").asText());
        assertThat(out.get(1).get("template").asText()).startsWith("order <*> failed");
    }

    @Test
    void configAddsUserFormatsAndMasks() throws IOException {
        Path config = write("application.yml",
                "logwarden:",
                "  ingest:",
                "    formats:",
                "      - name: legacy-billing",
                "        regex: '^(?<timestamp>\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}:\\d{2}) \\| (?<level>\\w+) \\| (?<message>.*)$'",
                "        timestamp-pattern: dd.MM.yyyy HH:mm:ss",
                "  detect:",
                "    masks:",
                "      invoice: 'INV-[A-Z]+'");
        Path file = write("billing.log",
                "16.11.2026 09:00:00 | INFO | invoice INV-ABC sent",
                "16.11.2026 09:00:01 | INFO | invoice INV-XYZ sent");

        assertThat(run("templates", "--config", config.toString(), "--format", "legacy-billing", file.toString())).isZero();
        assertThat(lines()).extracting(n -> n.get("template").asText())
                .containsExactly("invoice <*> sent", "invoice <*> sent");

        assertThat(run("templates", "--config", config.toString(), file.toString())).isZero(); // detected too
        assertThat(lines()).hasSize(2);
    }

    @Test
    void aLayoutPinnedInConfigReadsTheFileAndAnInferredOneIsShown() throws IOException {
        Path config = write("pinned.yml",
                "logwarden:",
                "  ingest:",
                "    formats:",
                "      - name: datanode",
                "        layout: '<timestamp:yyMMdd HHmmss> <pid> <level> <component>: <message>'");
        Path file = write("dn.log",
                "261116 090000 12 INFO store.Writer: flushed segment 1",
                "261116 090001 12 WARN store.Writer: flushed segment 2 slowly");
        assertThat(run("templates", "--config", config.toString(), "--format", "datanode", file.toString())).isZero();
        assertThat(lines()).extracting(n -> n.get("template").asText()).containsExactly("flushed segment <*>",
                "flushed segment <*> slowly");

        assertThat(run("analyze", file.toString())).isZero();
        assertThat(stderr).contains("dn.log: format inferred: <timestamp:yyMMdd HHmmss> <pid> <level> <component>: <message>");
    }

    @Test
    void defaultsAreThoseOfThePropertiesRecords() throws CliError {
        Settings settings = Settings.defaults();
        // the defaults are not bound (Spring's binder is slow to start); binding nothing must give the same
        assertThat(settings).isEqualTo(Settings.boundDefaults());
        assertThat(settings.detect().window()).isNull(); // chosen per source from its data
        assertThat(settings.detect().targetWindows()).isEqualTo(40);
        assertThat(settings.detect().miner().similarity()).isEqualTo(0.75);
        assertThat(settings.detect().masks()).isEmpty();
        assertThat(settings.validation().requiredFields()).containsExactly("timestamp", "message");
        assertThat(settings.validation().maxMessageBytes()).isEqualTo(65536);
        assertThat(settings.ingest().sampleLines()).isEqualTo(200);
        assertThat(settings.ingest().minFormatShare()).isEqualTo(0.6);
    }

    // ------------------------------------------------------------------ analyze

    @Test
    void analyzeFindsTheErrorBurstInTheAppSample() throws IOException {
        // a rotated name: the source is still app.log, as the service names it
        Path file = Files.copy(Path.of("samples/app.log"), dir.resolve("app.log.1"));

        assertThat(run("analyze", file.toString())).isZero();

        List<JsonNode> out = lines();
        assertThat(out).extracting(n -> n.get("detector").asText()).contains("error-burst");
        JsonNode burst = out.stream().filter(n -> n.get("detector").asText().equals("error-burst")).findFirst().orElseThrow();
        // one incident: the new error messages and the requests that stopped meanwhile are its parts
        assertThat(burst.get("parts")).extracting(p -> p.get("detector").asText()).contains("new-template", "drop");
        assertThat(burst.get("source").asText()).isEqualTo("app.log");
        assertThat(burst.get("windowStart").asText()).startsWith("2026-11-16T09:3");
        assertThat(burst.get("score").asDouble()).isGreaterThanOrEqualTo(75);
        assertThat(burst.get("severity").asText()).isIn("HIGH", "CRITICAL");
        assertThat(burst.get("evidence").get(0).get("ref").asText()).startsWith("app.log.1:"); // evidence names the file
        // the report's field names, in the report's order
        assertThat(burst.fieldNames()).toIterable().containsExactly("source", "detector", "score", "severity",
                "windowStart", "windowEnd", "templateId", "template", "title", "explanation", "expected", "observed",
                "contributors", "influencers", "parts", "details", "evidence");
        assertThat(out).extracting(n -> n.get("score").asDouble()).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(stderr).contains("logwarden: " + out.size() + " anomal");
    }

    @Test
    void analyzeSkipsInvalidEventsAndSaysWhyOnStderr() throws IOException {
        Path file = write("app.log",
                "2026-11-16 09:00:00,000 INFO [main] com.acme.Shop - order 1 accepted in 20 ms",
                "this line is no app log line at all",
                "2026-11-16 09:00:02,000 INFO [main] com.acme.Shop - order 3 accepted in 25 ms",
                "2026-11-16 09:00:03,000 INFO [main] com.acme.Shop - order 4 accepted in 25 ms");

        assertThat(run("analyze", file.toString())).isZero();

        assertThat(stdout).isEmpty();
        assertThat(stderr).contains("1 of 4 events skipped as invalid").contains("line 2: line does not match format app");
    }

    @Test
    void sessionsFlagTheSessionWithAnExceptionInFirstSeenOrder() throws IOException {
        List<String> lines = new ArrayList<>();
        List<String> expectedOrder = new ArrayList<>();
        for (int b = 1; b <= 40; b++) {
            String blk = "blk_" + (b == 20 ? "-" : "") + (1000 + b);
            expectedOrder.add(blk);
            lines.add("BLOCK* NameSystem.allocateBlock: /user/job_" + b + "/part-0 " + blk);
            for (int r = 1; r <= 3; r++) {
                lines.add("Receiving block " + blk + " src: /10.0.0." + r + ":5000 dest: /10.0.0." + r + ":50010");
            }
            if (b == 20) {
                lines.add("Exception in receiveBlock for block " + blk + " java.io.IOException: Connection reset by peer");
            }
            for (int r = 1; r <= 3; r++) {
                lines.add("Received block " + blk + " of size 67108864 from /10.0.0." + r);
            }
            lines.add("Verification succeeded for " + blk);
        }
        lines.add("a line without any block id");
        Path file = write("hdfs.log", lines.toArray(String[]::new));

        assertThat(run("analyze", "--format", "raw", "--sessions", "--session-key", "blk_-?\\d+", file.toString())).isZero();

        List<JsonNode> out = lines();
        assertThat(out).extracting(n -> n.get("session").asText()).containsExactlyElementsOf(expectedOrder);
        assertThat(out).filteredOn(n -> n.get("anomalous").asBoolean()).extracting(n -> n.get("session").asText())
                .containsExactly("blk_-1020");
        JsonNode odd = out.get(19);
        assertThat(odd.get("score").asDouble()).isGreaterThanOrEqualTo(50);
        assertThat(StreamSupport.stream(odd.get("reasons").spliterator(), false).map(JsonNode::asText).toList())
                .anySatisfy(reason -> assertThat(reason).contains("Exception in receiveBlock"));
        assertThat(odd.fieldNames()).toIterable().containsExactly("session", "anomalous", "score", "reasons");
        assertThat(stderr).contains("1 of 40 sessions anomalous");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void missingFileIsAnInputError() throws IOException {
        Path present = write("present.log", "x 1");
        assertThat(run("analyze", present.toString(), "x.log")).isEqualTo(1);
        assertThat(stderr).isEqualTo("logwarden: no such file: x.log\n");
        assertThat(stdout).isEmpty();

        assertThat(run("templates", "--format", "raw", "x.log")).isEqualTo(1);
        assertThat(stderr).startsWith("logwarden: no such file: x.log");
    }

    @Test
    void unknownFormatListsTheKnownOnes() throws IOException {
        Path file = write("a.log", "x 1");
        assertThat(run("templates", "--format", "yaml", file.toString())).isEqualTo(2);
        assertThat(stderr).startsWith("logwarden: unknown format 'yaml'; known formats: auto, docker-json, cri, json, logfmt, apache-access,")
                .contains("syslog", "raw");
    }

    @Test
    void badRegexShowsItsDescription() throws IOException {
        Path file = write("a.log", "x 1");
        assertThat(run("analyze", "--sessions", "--session-key", "blk_(", file.toString())).isEqualTo(2);
        assertThat(stderr).startsWith("logwarden: invalid --session-key regex 'blk_(': Unclosed group");
    }

    @Test
    void unknownOptionNoFileAndMissingSessionKeyAreUsageErrors() throws IOException {
        Path file = write("a.log", "x 1");
        assertThat(run("analyze", "--frobnicate", file.toString())).isEqualTo(2);
        assertThat(stderr).startsWith("logwarden: unknown option --frobnicate for analyze");

        assertThat(run("templates", "--sessions", file.toString())).isEqualTo(2);
        assertThat(stderr).startsWith("logwarden: unknown option --sessions for templates");

        assertThat(run("analyze")).isEqualTo(2);
        assertThat(stderr).startsWith("logwarden: no file to analyze");

        assertThat(run("templates", "--format")).isEqualTo(2);
        assertThat(stderr).startsWith("logwarden: --format needs a value");

        assertThat(run("analyze", "--sessions", file.toString())).isEqualTo(2);
        assertThat(stderr).startsWith("logwarden: --sessions needs --session-key");

        assertThat(run("frobnicate", file.toString())).isEqualTo(2);
        assertThat(stderr).startsWith("logwarden: unknown command 'frobnicate'");
        assertThat(stderr).contains("help").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void unreadableInputsAreInputErrorsWithoutStackTraces() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.log"));
        assertThat(run("templates", empty.toString())).isEqualTo(1);
        assertThat(stderr).startsWith("logwarden: " + empty + ": empty file");

        Path prose = write("notes.txt", "Dear diary,", "today nothing happened.", "Nothing at all.");
        assertThat(run("analyze", prose.toString())).isZero(); // read as plain lines, which have no time for windows
        assertThat(stderr).contains("No timestamp and no known format in the first 3 lines")
                .contains("3 of 3 events skipped as invalid").contains("--sessions does not");

        Path config = write("bad.yml", "logwarden:", "  detect:", "    min-count: 0");
        assertThat(run("analyze", "--config", config.toString(), prose.toString())).isEqualTo(1);
        assertThat(stderr).contains("logwarden.detect.min-count").contains("(was 0)");

        assertThat(run("analyze", "--config", dir.resolve("none.yml").toString(), prose.toString())).isEqualTo(1);
        assertThat(stderr).startsWith("logwarden: no such file: ");
        assertThat(stderr).doesNotContain("\tat ");
    }

    @Test
    void helpPrintsUsage() {
        assertThat(run("help")).isZero();
        assertThat(stdout).startsWith("Usage: java -jar logwarden.jar COMMAND").contains("templates", "analyze",
                "--session-key", "Exit status");
        assertThat(run("analyze", "--help")).isZero();
        assertThat(stdout).startsWith("Usage:");
        assertThat(LogwardenCli.isCommand(new String[] {"--logwarden.detect.window=5m"})).isFalse();
        assertThat(LogwardenCli.isCommand(new String[0])).isFalse();
    }
}
