package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped samples read cleanly, and the anomalies samples/README.md describes are where it says. */
class SamplesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
    private static final Path SAMPLES = Path.of("samples");

    private final IngestSettings settings = IngestSettings.defaults();
    private final LogFileReader reader = new LogFileReader(settings, new FormatRegistry(settings, CLOCK), CLOCK);

    @Test
    void appLogHasAConnectionPoolBurstWithStackTraces() throws IOException {
        List<LogEvent> events = read("app.log", "app");
        List<LogEvent> errors = events.stream().filter(e -> e.level().isError()).toList();
        assertThat(errors).hasSizeGreaterThan(100);
        assertThat(errors).allSatisfy(e -> assertThat(e.timestamp())
                .isBetween(Instant.parse("2026-11-16T09:30:00Z"), Instant.parse("2026-11-16T09:32:30Z")));
        assertThat(errors).filteredOn(e -> e.message().contains("\nCaused by: java.sql.SQLTransientConnectionException"))
                .hasSize(6);
        assertThat(events).filteredOn(e -> e.message().contains("Connection is not available")
                && e.timestamp().isBefore(Instant.parse("2026-11-16T09:30:00Z"))).isEmpty();
    }

    @Test
    void nginxAccessLogHasA5xxSpikeAt0920() throws IOException {
        List<LogEvent> events = read("nginx-access.log", "nginx-access");
        Instant from = Instant.parse("2026-11-16T09:20:00Z");
        Instant to = Instant.parse("2026-11-16T09:21:00Z");
        long inMinute = events.stream().filter(e -> !e.timestamp().isBefore(from) && e.timestamp().isBefore(to)).count();
        long errorsInMinute = events.stream().filter(e -> !e.timestamp().isBefore(from) && e.timestamp().isBefore(to)
                && e.level() == Level.ERROR).count();
        long errorsElsewhere = events.stream().filter(e -> e.level() == Level.ERROR).count() - errorsInMinute;
        assertThat((double) errorsInMinute / inMinute).isGreaterThan(0.4);
        assertThat(errorsElsewhere).isLessThan(10);
    }

    @Test
    void syslogHasAnSshBruteForceFromOneAddress() throws IOException {
        List<LogEvent> events = read("syslog.log", "syslog");
        List<LogEvent> failed = events.stream().filter(e -> e.message().startsWith("Failed password for invalid user")).toList();
        assertThat(failed).hasSizeGreaterThan(100);
        assertThat(failed).allSatisfy(e -> {
            assertThat(e.message()).contains("from 203.0.113.45 ");
            assertThat(e.service()).isEqualTo("sshd");
            assertThat(e.timestamp()).isBetween(Instant.parse("2026-11-16T09:15:00Z"), Instant.parse("2026-11-16T09:19:32Z"));
        });
    }

    private List<LogEvent> read(String file, String expectedFormat) throws IOException {
        List<LogEvent> all = new ArrayList<>();
        try (EventBatches batches = reader.open(SAMPLES.resolve(file), file)) {
            while (batches.hasNext()) all.addAll(batches.next());
            ReadSummary summary = batches.summary();
            assertThat(summary.format()).isEqualTo(expectedFormat);
            assertThat(summary.unparsedLines()).isZero();
            assertThat(summary.warnings()).isEmpty();
        }
        assertThat(all).allSatisfy(e -> assertThat(e.timestamp()).isNotNull());
        return all;
    }
}
