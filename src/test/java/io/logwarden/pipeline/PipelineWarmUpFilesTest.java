package io.logwarden.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.detect.Anomaly;
import io.logwarden.detect.DetectionResult;
import io.logwarden.detect.DetectionSettings;
import io.logwarden.detect.OfflineDetection;
import io.logwarden.event.LogEvent;
import io.logwarden.ingest.EventBatches;
import io.logwarden.ingest.FormatRegistry;
import io.logwarden.ingest.IngestSettings;
import io.logwarden.ingest.LogFileReader;
import io.logwarden.ingest.ReadSummary;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up's generated logs read as the files they stand for: each in its format, every line an event with a
 * timestamp, and the header layout that changes in the file read from each change on. A warm-up whose lines were
 * refused would warm up the quarantine, not the reading and detection code.
 */
class PipelineWarmUpFilesTest {

    @TempDir Path dir;

    @Test
    void everyGeneratedLogReadsCleanlyInItsFormat() throws Exception {
        Clock clock = Clock.systemUTC();
        IngestSettings settings = IngestSettings.defaults();
        LogFileReader reader = new LogFileReader(settings, new FormatRegistry(settings, clock), clock);
        List<Path> files = PipelineWarmUp.write(dir);
        assertThat(files).hasSize(7);
        for (Path file : files) {
            String name = file.getFileName().toString();
            long events = 0;
            long untimed = 0;
            try (EventBatches batches = reader.open(file, name)) {
                while (batches.hasNext()) {
                    for (LogEvent e : batches.next()) {
                        events++;
                        if (e.timestamp() == null) untimed++;
                    }
                }
                ReadSummary summary = batches.summary();
                assertThat(summary.unparsedLines()).as(name).isZero();
                assertThat(untimed).as(name).isZero();
                assertThat(events).as(name).isGreaterThanOrEqualTo(name.equals("varied.log")
                        ? PipelineWarmUp.VARIED_LINES : PipelineWarmUp.LINES);
                if (name.equals("layout.log")) {
                    assertThat(summary.toString()).as("eight sections, seven header changes")
                            .containsSubsequence("header changed", "header changed", "header changed", "header changed",
                                    "header changed", "header changed", "header changed");
                }
            }
        }
    }

    /**
     * The application log holds an incident over several windows, so that the warm-up runs the judges' code that
     * follows a finding from one window to the next: compiled without it, that code was thrown away and compiled
     * again (a fifth of a second of the compiler) in the first file with such an incident.
     */
    @Test
    void theApplicationLogHasAnIncidentOverSeveralWindows() throws Exception {
        Clock clock = Clock.systemUTC();
        IngestSettings settings = IngestSettings.defaults();
        LogFileReader reader = new LogFileReader(settings, new FormatRegistry(settings, clock), clock);
        Path app = PipelineWarmUp.write(dir).stream().filter(f -> f.getFileName().toString().equals("app.log"))
                .findFirst().orElseThrow();
        OfflineDetection.Job job = new OfflineDetection(DetectionSettings.defaults()).start("app.log");
        try (EventBatches batches = reader.open(app, "app.log")) {
            while (batches.hasNext()) {
                for (LogEvent e : batches.next()) job.observe(e);
            }
        }
        DetectionResult result = job.finish(10);
        Duration window = Duration.ofSeconds(result.windowSeconds());
        assertThat(result.anomalies()).as("anomalies over more than one %s window", window)
                .anyMatch(a -> (a.title().contains("Payments") || a.title().contains("payment gateway timed out"))
                        && Duration.between(a.windowStart(), a.windowEnd()).compareTo(window) > 0);
    }
}
