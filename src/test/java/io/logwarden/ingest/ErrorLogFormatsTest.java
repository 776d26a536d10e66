package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ErrorLogFormatsTest {

    private final TimestampParser timestamps = new TimestampParser(ZoneOffset.UTC, Clock.systemUTC());
    private final LogFormat apache = new ApacheErrorFormat(timestamps);
    private final LogFormat nginx = new NginxErrorFormat(timestamps);

    @Test
    void readsApache24ErrorLines() {
        LogEvent e = apache.parse("[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 1234:tid 5678] "
                + "[client 1.2.3.4:5678] AH00037: Symbolic link not allowed or link target not accessible: /srv/x", "web", null);
        assertThat(e.timestamp()).isEqualTo("2000-10-11T14:32:52.123456Z");
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.service()).isEqualTo("core");
        assertThat(e.host()).isEqualTo("1.2.3.4");
        assertThat(e.message()).isEqualTo("AH00037: Symbolic link not allowed or link target not accessible: /srv/x");
        assertThat(e.attributes()).containsEntry("pid", "1234").containsEntry("tid", "5678")
                .containsEntry("client", "1.2.3.4:5678").containsEntry("code", "AH00037").containsEntry("module", "core");
    }

    @Test
    void apacheProxyErrorsNameTheBackendAndTheirCodeAfterTheSystemError() {
        LogEvent refused = apache.parse("[Wed Dec 02 02:01:36.509674 2026] [proxy:error] [pid 3591:tid 3596] (111)Connection"
                + " refused: AH00957: http: attempt to connect to 127.0.0.1:8081 (127.0.0.1:8081) failed", "web", null);
        assertThat(refused.attributes()).containsEntry("upstream", "127.0.0.1:8081").containsEntry("code", "AH00957")
                .containsEntry("module", "proxy");
        LogEvent timeout = apache.parse("[Wed Dec 02 02:04:37.463454 2026] [proxy_http:error] [pid 4337:tid 4373] (70007)The"
                + " timeout specified has expired: [client 127.0.0.28:53199] AH01102: error reading status line from remote"
                + " server backend.internal:8081, referer: https://shop.example/", "web", null);
        assertThat(timeout.attributes()).containsEntry("upstream", "backend.internal:8081");
        // "remote server returned by /x" names no backend; a core message is never read for one
        LogEvent noBackend = apache.parse("[Wed Dec 02 02:04:37.463550 2026] [proxy:error] [pid 4337:tid 4373] [client"
                + " 127.0.0.28:53199] AH00898: Error reading from remote server returned by /api/items/9718", "web", null);
        assertThat(noBackend.attributes()).doesNotContainKey("upstream").containsEntry("code", "AH00898");
        LogEvent core = apache.parse("[Wed Dec 02 02:04:37 2026] [core:error] [pid 1] AH00037: attempt to connect to"
                + " 10.0.0.1:80 is a made-up core line", "web", null);
        assertThat(core.attributes()).doesNotContainKey("upstream");
    }

    @Test
    void readsApache22ErrorLinesAndTraceLevels() {
        LogEvent e = apache.parse("[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server configuration: /export/home/live/ap/htdocs/test", "web", null);
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.service()).isNull();
        assertThat(e.host()).isEqualTo("127.0.0.1");
        assertThat(e.message()).startsWith("client denied");
        LogEvent notice = apache.parse("[Sun Mar 15 10:00:00.000001 2026] [mpm_event:notice] [pid 1:tid 2] AH00489: Apache/2.4.58 configured", "web", null);
        assertThat(notice.level()).isEqualTo(Level.INFO);
        assertThat(notice.host()).isNull();
        LogEvent trace = apache.parse("[Sun Mar 15 10:00:00 2026] [ssl:trace3] [pid 1] ssl handshake", "web", null);
        assertThat(trace.level()).isEqualTo(Level.TRACE);
        assertThat(apache.parse("[Sun Mar 15 10:00:00 2026] [bogus] message", "web", null)).isNull();
        assertThat(apache.parse("[2026-03-15 10:00:00] [error] message", "web", null)).isNull();
    }

    @Test
    void readsNginxErrorLinesAndMovesContextIntoAttributes() {
        LogEvent e = nginx.parse("2026/01/15 10:00:00 [error] 1234#0: *5 connect() failed (111: Connection refused) "
                + "while connecting to upstream, client: 1.2.3.4, server: shop.example.com, request: \"GET /api HTTP/1.1\", "
                + "upstream: \"http://127.0.0.1:8080/api\", host: \"shop.example.com\"", "web", null);
        assertThat(e.timestamp()).isEqualTo("2026-01-15T10:00:00Z");
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.host()).isEqualTo("1.2.3.4");
        assertThat(e.message()).isEqualTo("connect() failed (111: Connection refused) while connecting to upstream");
        assertThat(e.attributes()).containsEntry("pid", "1234").containsEntry("tid", "0").containsEntry("connection", "5")
                .containsEntry("client", "1.2.3.4").containsEntry("server", "shop.example.com")
                .containsEntry("request", "GET /api HTTP/1.1").containsEntry("upstream", "http://127.0.0.1:8080/api")
                .containsEntry("http_host", "shop.example.com").containsEntry("method", "GET").containsEntry("path", "/api");
        LogEvent missing = nginx.parse("2026/01/15 10:00:01 [error] 1234#0: *6 open() \"/srv/www/static/app.9e77aa.js\" "
                + "failed (2: No such file or directory), client: 1.2.3.5, server: shop.example.com, request: \"GET "
                + "/static/app.9e77aa.js?v=2 HTTP/2.0\", host: \"shop.example.com\"", "web", null);
        assertThat(missing.attributes()).containsEntry("path", "/static/app.9e77aa.js?v=2").containsEntry("method", "GET");
        LogEvent odd = nginx.parse("2026/01/15 10:00:02 [info] 1234#0: *7 client sent invalid request while reading "
                + "client request line, client: 1.2.3.6, server: shop.example.com, request: \"\\x16\\x03\\x01\"", "web", null);
        assertThat(odd.attributes()).containsKey("request").doesNotContainKeys("path", "method");
        LogEvent plain = nginx.parse("2026/01/15 10:00:00 [warn] 1#1: conflicting server name \"a\" on 0.0.0.0:80, ignored", "web", null);
        assertThat(plain.level()).isEqualTo(Level.WARN);
        assertThat(plain.message()).isEqualTo("conflicting server name \"a\" on 0.0.0.0:80, ignored");
        assertThat(nginx.parse("2026/01/15 10:00:00 [error] no pid here", "web", null)).isNull();
        assertThat(nginx.parse("2026-01-15 10:00:00 [error] 1#0: x", "web", null)).isNull();
    }
}
