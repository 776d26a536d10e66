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
