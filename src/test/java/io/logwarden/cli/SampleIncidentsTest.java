package io.logwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The first files of issue 8, as a new user would analyze them with the default settings: real nginx logs with
 * incidents injected, and a heartbeat that stops. Each incident is found once, names who or what caused it, and
 * little else is reported.
 */
class SampleIncidentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private List<JsonNode> analyze(String sample) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LogwardenCli.run(new String[] {"analyze", "samples/" + sample},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<JsonNode> anomalies = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) anomalies.add(JSON.readTree(line));
        }
        return anomalies;
    }

    private static Predicate<JsonNode> names(String field, String value) {
        return a -> {
            for (JsonNode i : a.get("influencers")) {
                if (i.get("field").asText().equals(field) && i.get("value").asText().equals(value)) return true;
            }
            return false;
        };
    }

    private static Predicate<JsonNode> during(String from, String to) {
        return a -> a.get("windowStart").asText().compareTo(to) < 0 && a.get("windowEnd").asText().compareTo(from) > 0;
    }

    @Test
    void fourIncidentsInAFourMinuteNginxLogEachNamingItsClientOrUpstream() throws IOException {
        List<JsonNode> found = analyze("nginx-incidents.log.gz");
        assertThat(found).filteredOn(during("2026-11-29T17:17:54Z", "2026-11-29T17:18:20Z")).singleElement().satisfies(a -> {
            assertThat(a.get("detector").asText()).isEqualTo("auth-failure-burst");
            assertThat(names("client", "127.0.0.200").and(names("path", "/admin/login")).test(a)).as(a.toString()).isTrue();
        });
        assertThat(found).filteredOn(during("2026-11-29T17:18:49Z", "2026-11-29T17:19:00Z")).singleElement()
                .satisfies(a -> assertThat(names("client", "127.0.0.150").test(a)).as(a.toString()).isTrue());
        assertThat(found).filteredOn(during("2026-11-29T17:19:29Z", "2026-11-29T17:19:51Z")).singleElement().satisfies(a -> {
            assertThat(a.get("detector").asText()).isEqualTo("error-burst");
            assertThat(names("status", "502").and(names("upstream", "127.0.0.1:18181")).test(a)).as(a.toString()).isTrue();
            assertThat(a.get("severity").asText()).isEqualTo("CRITICAL");
        });
        assertThat(found).filteredOn(during("2026-11-29T17:20:29Z", "2026-11-29T17:20:31Z")).singleElement()
                .satisfies(a -> assertThat(names("client", "127.0.0.201").test(a)).as(a.toString()).isTrue());
        assertThat(found).hasSizeLessThanOrEqualTo(4 + 3);
        // plain words first, statistics in the small print
        assertThat(found).allSatisfy(a -> {
            assertThat(a.get("title").asText()).doesNotContain("z ", "Isolation Forest");
            assertThat(a.get("details").asText()).isNotBlank();
        });
    }

    @Test
    void aOneSecondBurstOf500sAfterThreeHundredRequestsIsAtLeastHigh() throws IOException {
        List<JsonNode> found = analyze("nginx-500-burst.log");
        assertThat(found).anySatisfy(a -> {
            assertThat(a.get("severity").asText()).isIn("HIGH", "CRITICAL");
            assertThat(names("status", "500").and(names("path", "/api/checkout")).test(a)).as(a.toString()).isTrue();
            assertThat(a.get("title").asText()).startsWith("80 errors in 1 s");
        });
    }

    @Test
    void aHeartbeatThatStopsForFourMinutesIsReportedAndNothingElse() throws IOException {
        List<JsonNode> found = analyze("app-heartbeat-stop.log.gz");
        assertThat(found).singleElement().satisfies(a -> {
            assertThat(a.get("detector").asText()).isEqualTo("drop");
            assertThat(a.get("windowStart").asText()).isEqualTo("2026-11-29T16:08:00Z");
            assertThat(a.get("windowEnd").asText()).isEqualTo("2026-11-29T16:12:00Z");
            assertThat(a.get("title").asText()).isEqualTo(
                    "No \"heartbeat ok, queue depth <*>, consumer lag <*> ms\" for 4 min, usually 6 a minute");
        });
    }
}
