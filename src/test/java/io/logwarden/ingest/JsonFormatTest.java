package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFormatTest {

    private final TimestampParser timestamps = new TimestampParser(ZoneOffset.UTC, Clock.systemUTC());
    private final LogFormat json = new JsonFormat(new ObjectMapper(), timestamps, IngestSettings.JsonFields.defaults());

    @Test
    void mapsTheUsualFieldNamesAndKeepsOtherScalarsAsAttributes() {
        LogEvent e = json.parse("{\"@timestamp\":\"2026-01-15T10:00:00.5Z\",\"level\":\"warn\",\"message\":\"slow query\","
                + "\"service\":\"orders\",\"hostname\":\"db-1\",\"latency_ms\":812,\"ok\":false,\"tags\":[\"a\"],\"user\":null}", "svc", null);
        assertThat(e.timestamp()).isEqualTo("2026-01-15T10:00:00.500Z");
        assertThat(e.level()).isEqualTo(Level.WARN);
        assertThat(e.message()).isEqualTo("slow query");
        assertThat(e.service()).isEqualTo("orders");
        assertThat(e.host()).isEqualTo("db-1");
        assertThat(e.attributes()).containsOnlyKeys("latency_ms", "ok").containsEntry("latency_ms", "812").containsEntry("ok", "false");
    }

    @Test
    void readsEpochNumbersNumericLevelsAndNestedFields() {
        LogEvent pino = json.parse("{\"time\":1768471200123,\"level\":50,\"msg\":\"db down\",\"name\":\"api\"}", "svc", null);
        assertThat(pino.timestamp()).isEqualTo("2026-01-15T10:00:00.123Z");
        assertThat(pino.level()).isEqualTo(Level.ERROR);
        assertThat(pino.service()).isEqualTo("api");
        LogEvent ecs = json.parse("{\"@timestamp\":\"2026-01-15T10:00:00Z\",\"log\":{\"level\":\"error\",\"logger\":\"x\"},"
                + "\"message\":\"m\",\"service\":{\"name\":\"pay\"},\"http\":{\"response\":{\"status_code\":502}}}", "svc", null);
        assertThat(ecs.level()).isEqualTo(Level.ERROR);
        assertThat(ecs.service()).isEqualTo("pay");
        assertThat(ecs.attributes()).containsEntry("log.logger", "x").containsEntry("http.response.status_code", "502");
    }

    @Test
    void readsMongoDbStructuredLogs() {
        // mongod 4.4+: {"t":{"$date":…},"s":"W","c":"NETWORK","id":…,"ctx":…,"msg":…,"attr":{…}}
        LogEvent e = json.parse("{\"t\":{\"$date\":\"2026-12-02T03:44:44.123+00:00\"},\"s\":\"W\",\"c\":\"NETWORK\","
                + "\"id\":22943,\"ctx\":\"listener\",\"msg\":\"Connection accepted\",\"attr\":{\"remote\":\"127.0.0.1:50001\"}}",
                "mongod.log", null);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-12-02T03:44:44.123Z"));
        assertThat(e.level()).isEqualTo(Level.WARN);
        assertThat(e.message()).isEqualTo("Connection accepted");
        assertThat(e.attributes()).containsEntry("attr.remote", "127.0.0.1:50001").containsEntry("c", "NETWORK");
    }

    @Test
    void readsAnAccessRecordAsAnAccessLogLineIs() {
        // Caddy 2's access log: the request nested, any status from 400 written at level "error"
        LogEvent caddy = json.parse("{\"level\":\"error\",\"ts\":1796283723.83,\"logger\":\"http.log.access.log0\","
                + "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"127.0.0.66\",\"remote_port\":\"41234\","
                + "\"proto\":\"HTTP/1.1\",\"method\":\"POST\",\"host\":\"shop.example\",\"uri\":\"/api/v1/auth/login?x=1\","
                + "\"headers\":{\"User-Agent\":[\"curl\"]}},\"user_id\":\"\",\"duration\":0.0058,\"size\":30,"
                + "\"status\":429,\"resp_headers\":{\"Retry-After\":[\"60\"]}}", "caddy", null);
        assertThat(caddy.message()).isEqualTo("POST /api/v1/auth/login?x=1 HTTP/1.1 429");
        assertThat(caddy.level()).isEqualTo(Level.WARN);
        assertThat(caddy.service()).isEqualTo("http.log.access.log0");
        assertThat(caddy.attributes()).containsEntry("client", "127.0.0.66").containsEntry("method", "POST")
                .containsEntry("path", "/api/v1/auth/login?x=1").containsEntry("status", "429")
                .containsEntry("bytes", "30").containsEntry("request_time", "0.0058")
                .containsEntry("request.host", "shop.example").doesNotContainKey("user");
        // Caddy's error log names the request too: its message says what failed, and stays with its level
        LogEvent error = json.parse("{\"level\":\"error\",\"ts\":1796283723.83,\"logger\":\"http.log.error.log0\","
                + "\"msg\":\"dial tcp 127.0.0.1:20004: connect: connection refused\",\"request\":{\"remote_ip\":\"127.0.0.40\","
                + "\"method\":\"GET\",\"uri\":\"/products/a\"},\"duration\":0.0004,\"status\":502}", "caddy", null);
        assertThat(error.message()).isEqualTo("dial tcp 127.0.0.1:20004: connect: connection refused");
        assertThat(error.level()).isEqualTo(Level.ERROR);
        assertThat(error.attributes()).containsEntry("client", "127.0.0.40").containsEntry("path", "/products/a");
        // ECS: http.* and url.*, no protocol
        LogEvent ecs = json.parse("{\"@timestamp\":\"2026-01-15T10:00:00Z\",\"message\":\"request\",\"source\":{\"ip\":\"10.0.0.9\"},"
                + "\"http\":{\"request\":{\"method\":\"GET\"},\"response\":{\"status_code\":503}},\"url\":{\"path\":\"/x\"}}", "s", null);
        assertThat(ecs.message()).isEqualTo("GET /x 503");
        assertThat(ecs.level()).isEqualTo(Level.ERROR);
        assertThat(ecs.attributes()).containsEntry("client", "10.0.0.9").containsEntry("status", "503");
        // a record with a method and a status that is no HTTP request keeps its message and fields
        LogEvent app = json.parse("{\"level\":\"info\",\"msg\":\"done\",\"method\":\"computeTotals\",\"path\":\"/tmp/a\","
                + "\"status\":200}", "s", null);
        assertThat(app.message()).isEqualTo("done");
        assertThat(app.attributes()).containsEntry("method", "computeTotals").containsEntry("path", "/tmp/a");
    }

    @Test
    void honoursAConfiguredMapping() {
        LogFormat custom = new JsonFormat(new ObjectMapper(), timestamps,
                new IngestSettings.JsonFields(List.of("when"), List.of("sev"), List.of("text"), List.of(), List.of()));
        LogEvent e = custom.parse("{\"when\":\"2026-01-15 10:00:00\",\"sev\":\"E\",\"text\":\"boom\",\"message\":\"other\"}", "svc", null);
        assertThat(e.timestamp()).isEqualTo("2026-01-15T10:00:00Z");
        assertThat(e.level()).isEqualTo(Level.ERROR);
        assertThat(e.message()).isEqualTo("boom");
        assertThat(e.attributes()).containsEntry("message", "other");
    }

    @Test
    void keepsAnUnreadableTimestampForTheValidator() {
        LogEvent e = json.parse("{\"ts\":\"last tuesday\",\"msg\":\"x\"}", "svc", null);
        assertThat(e.timestamp()).isNull();
        assertThat(e.attributes()).containsEntry("timestamp.raw", "last tuesday");
        LogEvent noMessage = json.parse("{\"ts\":\"2026-01-15T10:00:00Z\",\"event\":\"login\"}", "svc", null);
        assertThat(noMessage.message()).isEqualTo("{\"ts\":\"2026-01-15T10:00:00Z\",\"event\":\"login\"}");
    }

    @Test
    void rejectsLinesThatAreNotOneJsonObject() {
        assertThat(json.parse("{\"a\":1", "svc", null)).isNull();
        assertThat(json.parse("[1,2]", "svc", null)).isNull();
        assertThat(json.parse("{\"a\":1} trailing", "svc", null)).isNull();
        assertThat(json.parse("plain text", "svc", null)).isNull();
        assertThat(json.parse("", "svc", null)).isNull();
    }
}
