package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Odd input is read without failing the file, and the summary says what was odd, how often, and where first.
 * (Partial CRI lines never completed and Docker {@code log} fields that are not strings are in
 * {@link ContainerAndStructuredFormatsTest}.)
 */
class BadInputTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final IngestSettings settings = IngestSettings.defaults();
    private final LogFileReader reader = new LogFileReader(settings, new FormatRegistry(settings, CLOCK), CLOCK);

    @Test
    void twoServicesLogsConcatenatedAreEachReadWithTheirOwnHeader() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lines.add(String.format("260110 09%02d%02d %d INFO store.Writer: flushed segment %d", i / 60, i % 60, 30 + i % 4, i));
        }
        for (int i = 0; i < 300; i++) {
            lines.add(String.format("2026-01-10 10:%02d:%02d,%03d %s [worker-%d] com.acme.Billing - invoice %d sent",
                    i / 60, i % 60, i, i % 50 == 7 ? "ERROR" : "INFO", i % 3, i));
        }
        Read r = read("both.log", lines);
        assertThat(r.events).hasSize(600);
        assertThat(r.events).allSatisfy(e -> assertThat(e.timestamp()).isNotNull());
        assertThat(r.events.get(300).level()).isEqualTo(Level.INFO);
        assertThat(r.events.get(307).level()).isEqualTo(Level.ERROR);
        assertThat(r.events.get(307).message()).isEqualTo("invoice 7 sent");
        assertThat(r.events.get(299).message()).isEqualTo("flushed segment 299");
        assertThat(r.summary.warnings()).contains("The header changed at line 301: read from there as app"
                + " (before: inferred: <timestamp:yyMMdd HHmmss> <pid> <level> <component>: <message>)");
        assertThat(r.summary.format()).isEqualTo("app");
    }

    @Test
    void aHeaderChangeWithinTheFirstLinesIsFoundToo() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 70; i++) lines.add(String.format("Mar  3 10:%02d:%02d gw-1 relay[77]: forwarded %d", i / 60, i % 60, i));
        for (int i = 0; i < 70; i++) lines.add(String.format("[03.03 11:%02d:%02d] agent.exe - tunnel %d open", i / 60, i % 60, i));
        Read r = read("gateway.log", lines);
        assertThat(r.events).hasSize(140).allSatisfy(e -> assertThat(e.timestamp()).isNotNull());
        assertThat(r.events.get(0).service()).isEqualTo("relay");
        assertThat(r.summary.warnings()).contains("The header changed at line 71: read from there as inferred: [<timestamp:MM.dd HH:mm:ss>]");
    }

    @Test
    void linesWithoutTimestampsBetweenTimedOnesAreCountedWithTheFirstLine() throws IOException {
        Read r = read("app.log", List.of(
                "2026-01-15 10:00:00,001 INFO [main] com.shop.Api - started",
                "PANIC: something printed straight to stdout",
                "2026-01-15 10:00:00,002 INFO [main] com.shop.Api - ok",
                "another stray line",
                "2026-01-15 10:00:00,003 INFO [main] com.shop.Api - ok"));
        assertThat(r.events).hasSize(5);
        assertThat(r.summary.warnings()).contains("2 lines did not match format app (first: line 2)");
    }

    @Test
    void timestampsGoingBackwardsAreCounted() throws IOException {
        Read r = read("clock.log", List.of(
                "2026-01-15 10:00:00,000 INFO [main] a.B - one",
                "2026-01-15 10:00:05,000 INFO [main] a.B - two",
                "2026-01-15 09:59:00,000 INFO [main] a.B - clock stepped back",
                "2026-01-15 09:59:01,000 INFO [main] a.B - three",
                "2026-01-15 09:58:59,500 INFO [main] a.B - four"));
        assertThat(r.events).hasSize(5);
        assertThat(r.summary.warnings()).contains("2 events have a timestamp earlier than the event before (first: line 3; up to 1m5s back)");
    }

    @Test
    void aWellFormedFileHasNoWarnings() throws IOException {
        Read r = read("fine.log", List.of(
                "2026-01-15 10:00:00,000 INFO [main] a.B - one",
                "2026-01-15 10:00:01,000 INFO [main] a.B - two"));
        assertThat(r.summary.warnings()).isEmpty();
    }

    private record Read(List<LogEvent> events, ReadSummary summary) {
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
