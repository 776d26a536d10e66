package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** uWSGI 2.0's log (request lines and its own lines with log-date), lines made up in the forms it writes. */
class UwsgiFormatTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-20T00:00:00Z"), ZoneOffset.UTC);
    private final LogFormat uwsgi = new UwsgiFormat(new TimestampParser(ZoneOffset.UTC, CLOCK));
    private final SourceRef ref = SourceRef.fileLine("uwsgi.log", 3);

    @TempDir
    Path dir;

    @Test
    void aRequestLineReadsAsAnAccessLogLine() {
        LogEvent e = uwsgi.parse("[pid: 31542|app: 0|req: 3/2389] 127.0.0.12 () {28 vars in 390 bytes} [Thu Dec  3 13:24:18"
                + " 2026] GET /api/v2/parts/HND-07352?x=1 => generated 0 bytes in 1059 msecs (HTTP/1.1 500) 0 headers in 0 bytes"
                + " (0 switches on core 0)", "f", ref);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-12-03T13:24:18Z"));
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.message()).isEqualTo("GET /api/v2/parts/HND-07352?x=1 500");
        assertThat(e.attributes()).containsEntry("client", "127.0.0.12").containsEntry("method", "GET")
                .containsEntry("path", "/api/v2/parts/HND-07352?x=1").containsEntry("protocol", "HTTP/1.1")
                .containsEntry("status", "500").containsEntry("bytes", "0").containsEntry("request_time", "1.059")
                .containsEntry("pid", "31542").doesNotContainKey("user");
        LogEvent user = uwsgi.parse("[pid: 1|app: 0|req: 1/1] 10.0.0.5 (anna) {30 vars in 500 bytes} [Thu Dec  3 13:24:18 2026]"
                + " POST /login => generated 12 bytes in 7 msecs (HTTP/2.0 302) 3 headers in 90 bytes (1 switches on core 0)",
                "f", ref);
        assertThat(user.attributes()).containsEntry("user", "anna").containsEntry("request_time", "0.007");
        assertThat(user.level()).isEqualTo(Level.INFO);
    }

    @Test
    void uwsgisOwnLinesAreReadAfterTheirStamp() {
        LogEvent e = uwsgi.parse("Thu Dec  3 13:20:13 2026 - *** uWSGI listen queue of socket \"127.0.0.1:20151\" (fd: 3) full !!!"
                + " (101/100) ***", "f", ref);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-12-03T13:20:13Z"));
        assertThat(e.message()).startsWith("*** uWSGI listen queue");
        LogEvent warning = uwsgi.parse("Thu Dec  3 13:18:08 2026 -  *** WARNING: you have enabled harakiri without post buffering."
                + " Slow upload could be rejected on post-unbuffered webservers *** ", "f", ref);
        assertThat(warning.level()).isEqualTo(Level.WARN);
        assertThat(uwsgi.parse("Thu Dec  3 13:18:08 2026 [error] something else here", "f", ref)).isNull();
        assertThat(uwsgi.parse("[pid: x|app: 0] not a request line at all, really", "f", ref)).isNull();
        assertThat(uwsgi.parse("[pid: 1|app: 0|req: 1/1] 10.0.0.5 () {30 vars in 500 bytes} [Thu Dec  3 13:24:18 2026]"
                + " GET / => generated 12 bytes in 99999999999999999999999 msecs (HTTP/1.1 200) 3 headers", "f", ref)).isNull();
    }

    @Test
    void aLogIsDetectedAndTracebacksFoldIntoTheLineBefore() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add("[pid: 100|app: 0|req: " + i + "/" + i + "] 127.0.0." + (10 + i % 3) + " () {28 vars in 394 bytes} [Thu Dec  3"
                    + " 13:18:" + (10 + i) + " 2026] GET /api/items => generated 339 bytes in 5 msecs (HTTP/1.1 200) 2 headers"
                    + " in 72 bytes (1 switches on core 0)");
            if (i % 10 == 9) {
                lines.add("Thu Dec  3 13:18:" + (10 + i) + " 2026 - *** HARAKIRI ON WORKER 4 (pid: 28633, try: 1) ***");
                lines.add("Traceback (most recent call last):");
                lines.add("  File \"/srv/app.py\", line 73, in price");
                lines.add("TypeError: the JSON object must be str, bytes or bytearray, not NoneType");
            }
        }
        Path file = dir.resolve("uwsgi.log");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        IngestSettings settings = IngestSettings.defaults();
        LogFileReader reader = new LogFileReader(settings, new FormatRegistry(settings, CLOCK), CLOCK);
        List<LogEvent> events = new ArrayList<>();
        try (EventBatches batches = reader.open(file, "uwsgi")) {
            batches.forEachRemaining(events::addAll);
            assertThat(batches.summary().format()).isEqualTo("uwsgi");
        }
        assertThat(events).hasSize(33);
        assertThat(events.get(10).message()).startsWith("*** HARAKIRI ON WORKER 4").endsWith("not NoneType");
    }
}
