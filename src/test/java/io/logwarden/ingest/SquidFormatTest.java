package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SquidFormatTest {

    private final LogFormat squid = new SquidFormat(new TimestampParser(ZoneOffset.UTC,
            Clock.fixed(Instant.parse("2026-12-20T00:00:00Z"), ZoneOffset.UTC)));
    private final SourceRef ref = SourceRef.fileLine("access.log", 7);

    /** Squid 5.7's native access log (logformat squid), as its daemon logging module writes it. */
    private static final String MISS = "1796205553.377      0 127.0.0.20 TCP_MISS/503 3516 GET http://shop.example:19529/api/products/1162"
            + " - HIER_DIRECT/127.0.0.1 text/html";

    @Test
    void readsARequestAsAnAccessLogLineWithTheCacheResultAsAField() {
        LogEvent e = squid.parse(MISS, "proxy", ref);
        assertThat(e.timestamp()).isEqualTo(Instant.ofEpochSecond(1796205553, 377_000_000));
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.service()).isEqualTo("squid");
        assertThat(e.host()).isEqualTo("127.0.0.20");
        assertThat(e.message()).isEqualTo("GET /api/products/1162 503");
        assertThat(e.attributes()).containsEntry("client", "127.0.0.20").containsEntry("status", "503")
                .containsEntry("bytes", "3516").containsEntry("method", "GET").containsEntry("path", "/api/products/1162")
                .containsEntry("site", "shop.example:19529").containsEntry("upstream", "shop.example:19529")
                .containsEntry("peer", "127.0.0.1").containsEntry("result", "TCP_MISS").containsEntry("hierarchy", "HIER_DIRECT")
                .containsEntry("duration_ms", "0").containsEntry("content_type", "text/html").doesNotContainKey("user");
        assertThat(e.raw()).isEqualTo(MISS);
        assertThat(e.ref()).isEqualTo(ref);
    }

    @Test
    void aHitOrADenialNamesNoUpstreamAndAHitAndAMissAreOneMessage() {
        LogEvent hit = squid.parse("1796205553.388      1 127.0.0.35 TCP_MEM_HIT/200 98522 GET"
                + " http://static.shop.example:19529/fonts/inter-var.woff2 - HIER_NONE/- font/woff2", "proxy", ref);
        assertThat(hit.level()).isEqualTo(Level.INFO);
        assertThat(hit.message()).isEqualTo("GET /fonts/inter-var.woff2 200");
        assertThat(hit.attributes()).containsEntry("result", "TCP_MEM_HIT").containsEntry("site", "static.shop.example:19529")
                .doesNotContainKey("upstream").doesNotContainKey("peer");
        LogEvent denied = squid.parse("1796204901.505      0 127.0.0.88 TCP_DENIED/403 3520 GET"
                + " http://shop.example:19529/api/stock/1097 alice HIER_NONE/- text/html", "proxy", ref);
        assertThat(denied.level()).isEqualTo(Level.WARN);
        assertThat(denied.attributes()).containsEntry("status", "403").containsEntry("user", "alice").doesNotContainKey("upstream");
    }

    @Test
    void tunnelsAbortsAndOtherLinesOrNone() {
        LogEvent connect = squid.parse("1796205600.001  60012 10.1.2.3 TCP_TUNNEL/200 5120 CONNECT www.example.com:443 -"
                + " HIER_DIRECT/93.184.216.34 -", "proxy", ref);
        assertThat(connect.message()).isEqualTo("CONNECT www.example.com:443 200");
        assertThat(connect.attributes()).containsEntry("upstream", "www.example.com:443").containsEntry("duration_ms", "60012")
                .doesNotContainKey("content_type");
        LogEvent aborted = squid.parse("1796205600.002   1999 10.1.2.3 TCP_MISS_ABORTED/000 0 GET http://a.example/x - HIER_DIRECT/10.0.0.9 -",
                "proxy", ref);
        assertThat(aborted.level()).isEqualTo(Level.WARN); // no reply, as nginx's 499
        assertThat(aborted.message()).isEqualTo("GET /x 000");
        assertThat(squid.parse("1796205600.002 0 10.1.2.3 TCP_MISS/200 0 GET http://a.example/x - HIER_DIRECT/10.0.0.9", "p", ref))
                .as("nine fields").isNull();
        assertThat(squid.parse("1796205600 0 10.1.2.3 TCP_MISS/200 0 GET http://a.example/x - HIER_DIRECT/10.0.0.9 -", "p", ref))
                .as("no milliseconds").isNull();
        assertThat(squid.parse("1796205600.002 0 10.1.2.3 tcp_miss/200 0 GET http://a.example/x - HIER_DIRECT/10.0.0.9 -", "p", ref))
                .isNull();
        assertThat(squid.parse("Dec  1 11:09:05 vm squid[1]: hello", "p", ref)).isNull();
        String line = MISS;
        for (int cut = 0; cut <= line.length(); cut++) squid.parse(line.substring(0, cut), "p", ref); // never throws
    }
}
