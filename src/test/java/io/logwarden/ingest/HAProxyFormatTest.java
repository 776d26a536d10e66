package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HAProxyFormatTest {

    private final TimestampParser timestamps = new TimestampParser(ZoneOffset.UTC,
            Clock.fixed(Instant.parse("2026-12-20T00:00:00Z"), ZoneOffset.UTC));
    private final LogFormat haproxy = new HAProxyFormat(timestamps);
    private final SourceRef ref = SourceRef.fileLine("haproxy.log", 3);

    /** Lines as Debian's rsyslog writes HAProxy 2.6's log to /var/log/haproxy.log (from bench/real-logs). */
    private static final String REQUEST = "Dec  1 11:09:05 vm haproxy[9805]: 127.0.0.2:48987 [01/Dec/2026:11:09:05.896]"
            + " shop app/s1 0/0/0/5/5 200 264 - - ---- 3/3/2/1/0 0/0 \"GET /static/css/app.3f9c1e.css HTTP/1.1\"";

    @Test
    void readsARequestAsAnAccessLogLine() {
        LogEvent e = haproxy.parse(REQUEST, "lb", ref);
        assertThat(e.timestamp()).isEqualTo("2026-12-01T11:09:05Z");
        assertThat(e.level()).isEqualTo(Level.INFO);
        assertThat(e.service()).isEqualTo("haproxy");
        assertThat(e.host()).isEqualTo("vm");
        assertThat(e.message()).isEqualTo("GET /static/css/app.3f9c1e.css HTTP/1.1 200");
        assertThat(e.attributes()).containsEntry("client", "127.0.0.2").containsEntry("frontend", "shop")
                .containsEntry("backend", "app").containsEntry("server", "s1").containsEntry("upstream", "app/s1")
                .containsEntry("status", "200").containsEntry("bytes", "264").containsEntry("duration_ms", "5")
                .containsEntry("method", "GET").containsEntry("path", "/static/css/app.3f9c1e.css")
                .containsEntry("protocol", "HTTP/1.1").containsEntry("termination", "----")
                .containsEntry("pid", "9805").doesNotContainKey("retries");
        assertThat(e.raw()).isEqualTo(REQUEST);
        assertThat(e.ref()).isEqualTo(ref);
    }

    @Test
    void failuresTakeTheirLevelFromTheStatusAndKeepHowTheyEnded() {
        LogEvent timeout = haproxy.parse("Dec  1 11:20:14 vm haproxy[17380]: 127.0.0.9:40312 [01/Dec/2026:11:20:13.052]"
                + " shop app/s2 0/0/0/-1/1001 504 198 - - sH-- 9/9/7/3/0 0/0 \"GET /api/items?page=3 HTTP/1.1\"", "lb", ref);
        assertThat(timeout.level()).isEqualTo(Level.ERROR);
        assertThat(timeout.message()).isEqualTo("GET /api/items?page=3 HTTP/1.1 504");
        assertThat(timeout.attributes()).containsEntry("termination", "sH--").containsEntry("duration_ms", "1001")
                .containsEntry("path", "/api/items?page=3");
        LogEvent noServer = haproxy.parse("Dec  1 11:21:36 vm haproxy[17380]: 127.0.0.4:51234 [01/Dec/2026:11:21:36.310]"
                + " shop app/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 2/2/0/0/0 0/0 \"GET /api/cart HTTP/1.1\"", "lb", ref);
        assertThat(noServer.level()).isEqualTo(Level.ERROR);
        assertThat(noServer.attributes()).containsEntry("server", "<NOSRV>").containsEntry("upstream", "app/<NOSRV>");
        LogEvent retried = haproxy.parse("Dec  1 11:18:44 vm haproxy[17380]: 127.0.0.7:40000 [01/Dec/2026:11:18:44.100]"
                + " shop app/s2 0/0/+1001/12/+1013 200 164 - - ---- 4/4/3/1/+1 0/0 \"GET /api/items/4711 HTTP/1.1\"", "lb", ref);
        assertThat(retried.attributes()).containsEntry("retries", "1").containsEntry("duration_ms", "1013");
        LogEvent aborted = haproxy.parse("127.0.0.8:40100 [01/Dec/2026:11:18:44.100] shop app/s1 0/0/0/-1/800 -1 0 - - CD--"
                + " 4/4/3/1/0 0/0 \"GET /search?q=mug HTTP/1.1\"", "lb", ref);
        assertThat(aborted.level()).as("no response: the client gave up").isEqualTo(Level.WARN);
    }

    @Test
    void readsWhatLogStdoutWritesInAContainerWithCaptures() {
        String line = "10.0.3.7:5555 [20/Dec/2026:08:00:01.250] fe~ be/web-1 10/0/1/40/51 302 412 - - --VN 1/1/0/0/0 0/0"
                + " {shop.example|curl/8.5.0} {} \"POST /login HTTP/2.0\"";
        LogEvent e = haproxy.parse(line, "lb", ref);
        assertThat(e.timestamp()).isEqualTo("2026-12-20T08:00:01.250Z");
        assertThat(e.host()).isEqualTo("10.0.3.7");
        assertThat(e.message()).isEqualTo("POST /login HTTP/2.0 302");
        assertThat(e.attributes()).containsEntry("frontend", "fe~").containsEntry("upstream", "be/web-1")
                .containsEntry("duration_ms", "51");
        LogEvent tcp = haproxy.parse("10.0.3.8:6000 [20/Dec/2026:08:00:02.000] pg-in pg/db1 0/1/25000 8712 -- 3/3/2/2/0 0/0",
                "lb", ref);
        assertThat(tcp.message()).isEqualTo("TCP pg-in pg/db1 --");
        assertThat(tcp.level()).isEqualTo(Level.INFO);
        assertThat(tcp.attributes()).containsEntry("bytes", "8712").containsEntry("duration_ms", "25000")
                .doesNotContainKey("status");
    }

    @Test
    void itsOwnMessagesGetTheSeverityHAProxySendsThemWith() {
        LogEvent down = haproxy.parse("Dec  1 11:18:45 vm haproxy[17380]: Server app/s1 is DOWN, reason: Layer4"
                + " connection problem, info: \"Connection refused\", check duration: 0ms. 1 active and 0 backup servers"
                + " left. 0 sessions active, 0 requeued, 0 remaining in queue.", "lb", ref);
        assertThat(down.level()).as("LOG_ALERT").isEqualTo(Level.FATAL);
        assertThat(down.message()).startsWith("Server app/s1 is DOWN, reason:");
        assertThat(down.attributes()).containsEntry("upstream", "app/s1").containsEntry("backend", "app")
                .containsEntry("server", "s1");
        LogEvent none = haproxy.parse("Dec  1 11:21:35 vm haproxy[17380]: backend app has no server available!", "lb", ref);
        assertThat(none.level()).as("LOG_EMERG").isEqualTo(Level.FATAL);
        assertThat(none.attributes()).containsEntry("backend", "app");
        LogEvent up = haproxy.parse("Dec  1 11:19:25 vm haproxy[17380]: Server app/s1 is UP, reason: Layer7 check passed,"
                + " code: 200, check duration: 8ms. 2 active and 0 backup servers online.", "lb", ref);
        assertThat(up.level()).isEqualTo(Level.INFO);
        LogEvent withPri = haproxy.parse("<133>Dec  1 11:18:45 vm haproxy[17380]: Server app/s1 is DOWN for maintenance.",
                "lb", ref);
        assertThat(withPri.level()).as("the PRI's own severity, notice").isEqualTo(Level.INFO);
        LogEvent started = haproxy.parse("Dec  1 11:00:00 vm haproxy[17380]: Proxy shop started.", "lb", ref);
        assertThat(started.level()).isEqualTo(Level.INFO);
        assertThat(started.attributes()).containsOnlyKeys("pid");
    }

    @Test
    void otherProgramsAndOtherLinesAreNotHAProxy() {
        assertThat(haproxy.parse("Dec  1 11:09:05 vm sshd[12]: Accepted publickey for bob from 10.0.0.1 port 2", "x", ref))
                .isNull();
        assertThat(haproxy.parse("127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326", "x", ref)).isNull();
        assertThat(haproxy.parse("127.0.0.2:48987 [01/Dec/2026:11:09:05.896] shop app/s1 0/0/0/5 200 264", "x", ref))
                .as("four timers").isNull();
        assertThat(haproxy.parse("127.0.0.2:48987 [01/Dec/2026:11:09:05.896] shop app 0/0/0/5/5 200 264 - - ---- 1/1/1/1/0"
                + " 0/0 \"GET / HTTP/1.1\"", "x", ref)).as("no backend/server").isNull();
        assertThat(haproxy.parse("", "x", ref)).isNull();
    }

    @Test
    void aHAProxyLogIsDetectedAsOneAndAMixedSyslogStaysSyslog() {
        FormatRegistry registry = new FormatRegistry(IngestSettings.defaults(), Clock.systemUTC());
        FormatDetector detector = new FormatDetector(registry, Map.of(), 0.6);
        String down = "Dec  1 11:18:45 vm haproxy[17380]: Server app/s1 is DOWN, reason: Layer4 connection problem.";
        assertThat(detector.detect("messages", List.of(REQUEST, down, REQUEST)).name()).isEqualTo("haproxy");
        assertThat(detector.detect("messages", List.of(REQUEST, "Dec  1 11:09:06 vm cron[77]: (root) CMD (true)"))
                .name()).isEqualTo("syslog");
    }
}
