package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker and CRI container logs, logfmt, and the JSON of common logging libraries, read with no configuration. */
class ContainerAndStructuredFormatsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final IngestSettings settings = IngestSettings.defaults();
    private final LogFileReader reader = new LogFileReader(settings, new FormatRegistry(settings, CLOCK), CLOCK);

    @Test
    void springBootLinesInsideDockerRecordsKeepTheirLevelsTimesAndStackTraces() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(docker(String.format("2026-01-15T10:00:%02d.123Z  INFO 1 --- [orders] [main] c.a.OrderApi : order %d accepted%n", i, i),
                    "stdout", "2026-01-15T10:00:0" + i + ".200000000Z"));
        }
        lines.add(docker("2026-01-15T10:00:07.000Z ERROR 1 --- [orders] [main] c.a.OrderApi : payment failed\n", "stderr", "2026-01-15T10:00:07.1Z"));
        lines.add(docker("java.lang.IllegalStateException: card declined\n", "stderr", "2026-01-15T10:00:07.1Z"));
        lines.add(docker("\tat com.acme.Pay.charge(Pay.java:42)\n", "stderr", "2026-01-15T10:00:07.1Z"));
        lines.add(docker("\tat com.acme.OrderApi.place(OrderApi.java:7)\n", "stderr", "2026-01-15T10:00:07.1Z"));
        lines.add(docker("Listening on port 8080\n", "stdout", "2026-01-15T10:00:08Z"));
        Read r = read("orders-json.log", lines);
        assertThat(r.summary.format()).isEqualTo("docker-json > app");
        assertThat(r.events).hasSize(8);
        LogEvent error = r.events.get(6);
        assertThat(error.level()).isEqualTo(Level.ERROR);
        assertThat(error.timestamp()).isEqualTo(Instant.parse("2026-01-15T10:00:07Z"));
        assertThat(error.message()).isEqualTo("payment failed\njava.lang.IllegalStateException: card declined"
                + "\n\tat com.acme.Pay.charge(Pay.java:42)\n\tat com.acme.OrderApi.place(OrderApi.java:7)");
        assertThat(error.attributes()).containsEntry("stream", "stderr").containsEntry("thread", "main");
        assertThat(r.events.get(0).level()).isEqualTo(Level.INFO);
        LogEvent plain = r.events.get(7);
        assertThat(plain.message()).isEqualTo("Listening on port 8080");
        assertThat(plain.timestamp()).isEqualTo(Instant.parse("2026-01-15T10:00:08Z"));
        assertThat(r.summary.warnings()).isEmpty();
    }

    @Test
    void dockerJoinsLinesSplitByTheRuntimeAndSaysWhenALogFieldIsNotAString() throws IOException {
        Read r = read("split.log", List.of(
                docker("2026-01-15 10:00:00,001 WARN [main] a.B - first half ", "stdout", "2026-01-15T10:00:00Z"),
                docker("second half\n", "stdout", "2026-01-15T10:00:00Z"),
                "{\"log\":{\"event\":\"odd\"},\"stream\":\"stdout\",\"time\":\"2026-01-15T10:00:01Z\"}",
                docker("2026-01-15 10:00:02,001 INFO [main] a.B - fine\n", "stdout", "2026-01-15T10:00:02Z")));
        assertThat(r.events).extracting(LogEvent::message).containsExactly("first half second half", "{\"event\":\"odd\"}", "fine");
        assertThat(r.events.get(0).level()).isEqualTo(Level.WARN);
        assertThat(r.events.get(1).timestamp()).isEqualTo(Instant.parse("2026-01-15T10:00:01Z"));
        assertThat(r.summary.warnings()).contains("1 record's \"log\" field is not a string; its JSON text was read as the line (first: line 3)");
    }

    @Test
    void criJoinsPartialLinesPerStreamAndReportsOneNeverCompleted() throws IOException {
        Read r = read("pod_0.log", List.of(
                "2026-01-15T10:00:00.000000001Z stdout F 2026-01-15 10:00:00.000 ERROR [main] c.a.Api - boom",
                "2026-01-15T10:00:00.000000002Z stderr F java.lang.RuntimeException: boom",
                "2026-01-15T10:00:00.000000003Z stderr F \tat c.a.Api.run(Api.java:1)",
                "2026-01-15T10:00:01.000000000Z stdout P 2026-01-15 10:00:01.000 INFO [main] c.a.Api - a long ",
                "2026-01-15T10:00:01.000000001Z stderr F 2026-01-15 10:00:01.100 WARN [gc] c.a.Gc - slow",
                "2026-01-15T10:00:01.000000002Z stdout F line, joined",
                "2026-01-15T10:00:02.000000000Z stdout P 2026-01-15 10:00:02.000 INFO [main] c.a.Api - cut off"));
        assertThat(r.summary.format()).isEqualTo("cri > app");
        assertThat(r.events).extracting(LogEvent::level).containsExactly(Level.ERROR, Level.WARN, Level.INFO, Level.INFO);
        assertThat(r.events.get(0).message()).isEqualTo("boom\njava.lang.RuntimeException: boom\n\tat c.a.Api.run(Api.java:1)");
        assertThat(r.events.get(2).message()).isEqualTo("a long line, joined");
        assertThat(r.events.get(2).ref().line()).isEqualTo(4);
        assertThat(r.events.get(3).message()).isEqualTo("cut off");
        assertThat(r.summary.warnings()).contains("1 partial line was never completed; read as far as written (first: line 7)");
    }

    @Test
    void criWithPlainTextInsideUsesTheRuntimeTimeAndLevelWords() throws IOException {
        Read r = read("nginx-pod.log", List.of(
                "2026-01-15T10:00:00.5Z stdout F starting worker processes",
                "2026-01-15T10:00:01.5Z stderr F ERROR: could not bind to 0.0.0.0:80",
                "2026-01-15T10:00:02.5Z stdout F "));
        assertThat(r.summary.format()).isEqualTo("cri > text");
        assertThat(r.events.get(1).level()).isEqualTo(Level.ERROR);
        assertThat(r.events.get(1).timestamp()).isEqualTo(Instant.parse("2026-01-15T10:00:01.5Z"));
        assertThat(r.events.get(1).attributes()).containsEntry("stream", "stderr");
    }

    @Test
    void jsonAndLogfmtInsideContainerRecordsAreReadToo() throws IOException {
        Read pino = read("web.log", List.of(
                docker("{\"level\":30,\"time\":1768471200000,\"msg\":\"listening\"}\n", "stdout", "2026-01-15T10:00:00.5Z"),
                docker("{\"level\":50,\"time\":1768471201000,\"msg\":\"db down\"}\n", "stdout", "2026-01-15T10:00:01.5Z")));
        assertThat(pino.summary.format()).isEqualTo("docker-json > json");
        assertThat(pino.events).extracting(LogEvent::level).containsExactly(Level.INFO, Level.ERROR);
        assertThat(pino.events.get(1).timestamp()).isEqualTo(Instant.ofEpochMilli(1768471201000L));
        Read go = read("go_0.log", List.of(
                "2026-01-15T10:00:00.1Z stderr F ts=2026-01-15T10:00:00Z level=warn msg=\"retrying\"",
                "2026-01-15T10:00:01.1Z stderr F ts=2026-01-15T10:00:01Z level=error msg=\"gave up\""));
        assertThat(go.summary.format()).isEqualTo("cri > logfmt");
        assertThat(go.events).extracting(LogEvent::message).containsExactly("retrying", "gave up");
        assertThat(go.events.get(1).level()).isEqualTo(Level.ERROR);
    }

    @Test
    void logfmt() throws IOException {
        Read r = read("api.log", List.of(
                "ts=2026-01-15T10:00:00.120Z level=info caller=main.go:12 msg=\"server started\" port=8080",
                "time=\"2026-01-15T10:00:01Z\" level=error logger=db msg=\"query failed: \\\"timeout\\\"\" retry",
                "ts=2026-01-15T10:00:02Z lvl=warn msg=slow took=2.1s"));
        assertThat(r.summary.format()).isEqualTo("logfmt");
        assertThat(r.events).extracting(LogEvent::level).containsExactly(Level.INFO, Level.ERROR, Level.WARN);
        assertThat(r.events.get(1).message()).isEqualTo("query failed: \"timeout\"");
        assertThat(r.events.get(1).service()).isEqualTo("db");
        assertThat(r.events.get(1).attributes()).containsEntry("retry", "true");
        assertThat(r.events.get(0).attributes()).containsEntry("port", "8080").containsEntry("caller", "main.go:12");
        assertThat(r.events.get(0).timestamp()).isEqualTo(Instant.parse("2026-01-15T10:00:00.120Z"));
    }

    @Test
    void logfmtLineWithoutMessageKeyHasItsOtherPairsForMessage() throws IOException {
        // Prometheus's start-up lines: no msg, the facts in pairs of their own
        Read r = read("prometheus.log", List.of(
                "ts=2026-12-03T09:37:16.222Z caller=main.go:551 level=info msg=\"Starting Prometheus Server\" mode=server",
                "ts=2026-12-03T09:37:16.222Z caller=main.go:557 level=info host_details=\"(Linux 6.1.0 x86_64 (none))\"",
                "ts=2026-12-03T09:37:16.222Z caller=main.go:558 level=info fd_limits=\"(soft=20000, hard=20000)\" other=x\\\"y",
                "ts=2026-12-03T09:37:16.225Z caller=web.go:503 level=info component=web"));
        assertThat(r.summary.format()).isEqualTo("logfmt");
        assertThat(r.events).extracting(LogEvent::message).containsExactly("Starting Prometheus Server",
                "host_details=\"(Linux 6.1.0 x86_64 (none))\"", "fd_limits=\"(soft=20000, hard=20000)\" other=x\\\"y", "");
        assertThat(r.events.get(1).attributes()).containsEntry("host_details", "(Linux 6.1.0 x86_64 (none))");
    }

    @Test
    void jsonOfCommonLoggingLibraries() throws IOException {
        LogEvent logstash = one("{\"@timestamp\":\"2026-01-15T10:00:00.123+01:00\",\"@version\":\"1\",\"message\":\"pool exhausted\","
                + "\"logger_name\":\"com.acme.Pool\",\"thread_name\":\"main\",\"level\":\"ERROR\",\"level_value\":40000,"
                + "\"stack_trace\":\"java.lang.IllegalStateException: pool\\n\\tat com.acme.Pool.get(Pool.java:3)\"}");
        assertThat(logstash.level()).isEqualTo(Level.ERROR);
        assertThat(logstash.service()).isEqualTo("com.acme.Pool");
        assertThat(logstash.timestamp()).isEqualTo(Instant.parse("2026-01-15T09:00:00.123Z"));
        assertThat(logstash.message()).isEqualTo("pool exhausted\njava.lang.IllegalStateException: pool\n\tat com.acme.Pool.get(Pool.java:3)");

        LogEvent ecs = one("{\"@timestamp\":\"2026-01-15T10:00:00.000Z\",\"log.level\":\"warn\",\"message\":\"disk 91% full\","
                + "\"ecs.version\":\"1.6.0\",\"service\":{\"name\":\"store\"},\"host\":{\"hostname\":\"db-1\"}}");
        assertThat(ecs.level()).isEqualTo(Level.WARN);
        assertThat(ecs.service()).isEqualTo("store");
        assertThat(ecs.host()).isEqualTo("db-1");

        LogEvent bunyan = one("{\"name\":\"cart\",\"hostname\":\"web-2\",\"pid\":31,\"level\":50,\"msg\":\"checkout failed\","
                + "\"time\":\"2026-01-15T10:00:00.000Z\",\"v\":0}");
        assertThat(bunyan.level()).isEqualTo(Level.ERROR);
        assertThat(bunyan.service()).isEqualTo("cart");

        LogEvent pino = one("{\"level\":40,\"time\":1768471200123,\"pid\":7,\"hostname\":\"web-3\",\"msg\":\"slow request\"}");
        assertThat(pino.level()).isEqualTo(Level.WARN);
        assertThat(pino.timestamp()).isEqualTo(Instant.ofEpochMilli(1768471200123L));

        LogEvent zap = one("{\"level\":\"error\",\"ts\":1.7684712001234567E9,\"logger\":\"gateway\",\"caller\":\"main.go:40\","
                + "\"msg\":\"upstream reset\",\"stacktrace\":\"main.main\\n\\t/app/main.go:40\"}");
        assertThat(zap.level()).isEqualTo(Level.ERROR);
        assertThat(zap.timestamp()).isBetween(Instant.parse("2026-01-15T10:00:00.123Z"), Instant.parse("2026-01-15T10:00:00.124Z"));
        assertThat(zap.message()).startsWith("upstream reset\nmain.main");

        LogEvent gelf = one("{\"version\":\"1.1\",\"host\":\"mail-1\",\"short_message\":\"queue stuck\","
                + "\"full_message\":\"queue stuck\\nafter 3 retries\",\"timestamp\":1768471200.5,\"level\":3,\"_queue\":\"out\"}");
        assertThat(gelf.level()).isEqualTo(Level.ERROR);
        assertThat(gelf.host()).isEqualTo("mail-1");
        assertThat(gelf.message()).isEqualTo("queue stuck\nafter 3 retries");
        assertThat(gelf.timestamp()).isEqualTo(Instant.parse("2026-01-15T10:00:00.5Z"));
        assertThat(gelf.attributes()).containsEntry("_queue", "out");
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private record Read(List<LogEvent> events, ReadSummary summary) {
    }

    private static String docker(String text, String stream, String time) throws IOException {
        return JSON.writeValueAsString(Map.of("log", text, "stream", stream, "time", time));
    }

    private LogEvent one(String jsonLine) throws IOException {
        Read r = read("lib.json", List.of(jsonLine, jsonLine));
        assertThat(r.summary.format()).isEqualTo("json");
        return r.events.get(0);
    }

    private Read read(String name, List<String> lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        try (EventBatches batches = reader.open(file, name)) {
            List<LogEvent> events = new ArrayList<>();
            batches.forEachRemaining(events::addAll);
            return new Read(events, batches.summary());
        }
    }
}
