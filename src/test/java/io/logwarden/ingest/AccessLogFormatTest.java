package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {

    private final TimestampParser timestamps = new TimestampParser(ZoneOffset.UTC, Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC));
    private final LogFormat apache = AccessLogFormat.apache(timestamps);
    private final LogFormat nginx = AccessLogFormat.nginx(timestamps);
    private final SourceRef ref = SourceRef.fileLine("access.log", 7);

    @Test
    void readsTheCommonFormat() {
        String line = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326";
        LogEvent e = apache.parse(line, "web", ref);
        assertThat(e.timestamp()).isEqualTo("2000-10-10T20:55:36Z");
        assertThat(e.level()).isEqualTo(Level.INFO);
        assertThat(e.host()).isEqualTo("127.0.0.1");
        assertThat(e.message()).isEqualTo("GET /apache_pb.gif HTTP/1.0 200");
        assertThat(e.attributes()).containsEntry("status", "200").containsEntry("bytes", "2326")
                .containsEntry("method", "GET").containsEntry("path", "/apache_pb.gif")
                .containsEntry("client", "127.0.0.1").containsEntry("user", "frank")
                .doesNotContainKeys("referer", "agent");
        assertThat(e.raw()).isEqualTo(line);
        assertThat(e.ref()).isEqualTo(ref);
        assertThat(e.source()).isEqualTo("web");
        assertThat(nginx.parse(line, "web", ref)).as("nginx needs the combined format").isNull();
    }

    @Test
    void readsTheCombinedFormatWithServerErrorsAndDashBytes() {
        String line = "10.0.0.5 - - [15/Mar/2026:10:00:01 +0000] \"POST /api/orders?id=7 HTTP/1.1\" 503 - "
                + "\"https://shop.example.com/cart\" \"Mozilla/5.0 (X11; Linux x86_64) \\\"quoted\\\"\"";
        for (LogFormat format : new LogFormat[] {apache, nginx}) {
            LogEvent e = format.parse(line, "web", ref);
            assertThat(e).as(format.name()).isNotNull();
            assertThat(e.level()).isEqualTo(Level.ERROR);
            assertThat(e.message()).isEqualTo("POST /api/orders?id=7 HTTP/1.1 503");
            assertThat(e.attributes()).containsEntry("status", "503").containsEntry("bytes", "0")
                    .containsEntry("referer", "https://shop.example.com/cart")
                    .containsEntry("agent", "Mozilla/5.0 (X11; Linux x86_64) \\\"quoted\\\"")
                    .doesNotContainKey("user");
        }
    }

    @Test
    void nginxAcceptsTrailingTimingFieldsButApacheDoesNot() {
        String line = "10.0.0.5 - - [15/Mar/2026:10:00:01 +0000] \"GET /health HTTP/1.1\" 404 153 \"-\" \"curl/8.0\" "
                + "\"203.0.113.9\" 0.012 0.010";
        LogEvent e = nginx.parse(line, "web", ref);
        assertThat(e.level()).isEqualTo(Level.WARN);
        assertThat(e.attributes()).containsEntry("request_time", "0.012").containsEntry("upstream_response_time", "0.010")
                .containsEntry("forwarded_for", "203.0.113.9").doesNotContainKey("referer");
        assertThat(apache.parse(line, "web", ref)).isNull();
    }

    @Test
    void keepsTrailingValuesWithoutANameInOrder() {
        String head = "10.0.0.5 - - [15/Mar/2026:10:00:01 +0000] \"GET /static/a.js HTTP/1.1\" 200 153 \"-\" \"curl/8.0\" ";
        // a static file: no upstream answered, so its time and address are "-"
        LogEvent none = nginx.parse(head + "0.000 - -", "web", ref);
        assertThat(none.attributes()).containsEntry("request_time", "0.000").containsEntry("upstream_response_time", "-")
                .containsEntry("trailing", "-").doesNotContainKey("upstream");
        LogEvent more = nginx.parse(head + "0.004 0.003 10.0.0.9:8080 \"a b\" \"c\" tail1 tail2", "web", ref);
        assertThat(more.attributes()).containsEntry("upstream", "10.0.0.9:8080").containsEntry("forwarded_for", "a b")
                .containsEntry("trailing", "c tail1 tail2");
        assertThat(nginx.parse(head + "0.004 0.003 10.0.0.9:8080", "web", ref).attributes()).doesNotContainKey("trailing");
        assertThat(nginx.parse(head + "0.004 0.003 unix:/run/app.sock", "web", ref).attributes())
                .containsEntry("upstream", "unix:/run/app.sock");
        // an address is told by the port after its own last colon, not by the colons earlier in the line
        assertThat(nginx.parse(head + "0.004 0.003 app: 8080", "web", ref).attributes())
                .doesNotContainKey("upstream").containsEntry("trailing", "app: 8080");
    }

    @Test
    void keepsMalformedRequestLinesAsMessages() {
        String line = "198.51.100.7 - - [15/Mar/2026:10:00:01 +0000] \"\\x16\\x03\\x01\" 400 157 \"-\" \"-\"";
        LogEvent e = nginx.parse(line, "web", ref);
        assertThat(e.message()).isEqualTo("\\x16\\x03\\x01 400");
        assertThat(e.attributes()).doesNotContainKey("method");
        LogEvent empty = nginx.parse("198.51.100.7 - - [15/Mar/2026:10:00:01 +0000] \"-\" 400 0 \"-\" \"-\"", "web", ref);
        assertThat(empty.message()).isEqualTo("- 400");
    }

    @Test
    void rejectsOtherLines() {
        assertThat(apache.parse("Oct 11 22:14:15 host su: hello", "web", ref)).isNull();
        assertThat(apache.parse("127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" abc 12", "web", ref)).isNull();
        assertThat(apache.parse("127.0.0.1 - - [not a date] \"GET / HTTP/1.0\" 200 12", "web", ref)).isNull();
        assertThat(apache.parse("127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0", "web", ref)).isNull();
        assertThat(apache.parse("", "web", ref)).isNull();
    }
}
