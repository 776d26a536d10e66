package io.logwarden.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supervisor 4's supervisord.log lines, made up in the form it writes them. */
class SupervisorFormatTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-20T00:00:00Z"), ZoneOffset.UTC);
    private final LogFormat supervisor = new SupervisorFormat(new TimestampParser(ZoneOffset.UTC, CLOCK));
    private final SourceRef ref = SourceRef.fileLine("supervisord.log", 4);

    private LogEvent parse(String line) {
        return supervisor.parse(line, "supervisord.log", ref);
    }

    @Test
    void theProgramAStateChangeNamesIsTheServiceAndAGiveUpIsAnError() {
        LogEvent exited = parse("2026-12-03 16:05:38,964 WARN exited: worker_00 (exit status 1; not expected)");
        assertThat(exited.timestamp()).isEqualTo(Instant.parse("2026-12-03T16:05:38.964Z"));
        assertThat(exited.level()).isEqualTo(Level.WARN);
        assertThat(exited.service()).isEqualTo("worker_00");
        assertThat(exited.message()).isEqualTo("exited: worker_00 (exit status 1; not expected)");
        assertThat(exited.ref()).isEqualTo(ref);
        LogEvent gaveUp = parse("2026-12-03 16:05:46,618 INFO gave up: worker_00 entered FATAL state, too many start retries too quickly");
        assertThat(gaveUp.level()).isEqualTo(Level.ERROR);
        assertThat(gaveUp.service()).isEqualTo("worker_00");
        assertThat(parse("2026-12-03 16:04:46,841 INFO spawned: 'webapp' with pid 4242").service()).isEqualTo("webapp");
        assertThat(parse("2026-12-03 16:04:46,841 INFO waiting for webapp to stop").service()).isEqualTo("webapp");
        assertThat(parse("2026-12-03 16:04:47,002 INFO success: webapp entered RUNNING state, process has stayed up for"
                + " > than 5 seconds (startsecs)").level()).isEqualTo(Level.INFO);
        LogEvent spawnerr = parse("2026-12-03 16:10:11,441 INFO spawnerr: can't find command '/srv/app/venv/bin/python'");
        assertThat(spawnerr.level()).isEqualTo(Level.ERROR);
        assertThat(spawnerr.service()).isNull();
        assertThat(parse("2026-12-03 16:04:00,101 CRIT Supervisor is running as root.").level()).isEqualTo(Level.ERROR);
        assertThat(parse("2026-12-03 16:04:00,101 DEBG fd 8 closed, stopped monitoring").level()).isEqualTo(Level.DEBUG);
        assertThat(parse("2026-12-03 16:04:00,101 BLAT read event caused by <POutputDispatcher>").level()).isEqualTo(Level.TRACE);
    }

    @Test
    void rejectsOtherLines() {
        assertThat(parse("2026-12-03 16:05:38,964 ERROR app.worker: job failed")).isNull(); // Python's own level names
        assertThat(parse("2026-12-03 16:04:08,145 [worker_00] INFO job 17 done in 0.89s")).isNull();
        assertThat(parse("2026-12-03 16:05:38.964 WARN exited: worker_00 (exit status 1; not expected)")).isNull();
        assertThat(parse("2026-12-03 16:05:38,964 WARN")).isNull();
        assertThat(parse("short")).isNull();
    }

    @TempDir
    Path dir;

    private static String formatOf(LogFileReader reader, Path file) throws IOException {
        try (EventBatches batches = reader.open(file, file.getFileName().toString())) {
            batches.forEachRemaining(batch -> { });
            return batches.summary().format();
        }
    }

    @Test
    void aSupervisordLogIsReadAsSuchByItsNameAndAPythonLogOfTheSameFormAsApp() throws IOException {
        IngestSettings settings = IngestSettings.defaults();
        LogFileReader reader = new LogFileReader(settings, new FormatRegistry(settings, CLOCK), CLOCK);
        List<String> lines = List.of(
                "2026-12-03 16:04:00,101 INFO supervisord started with pid 4100",
                "2026-12-03 16:04:01,102 INFO spawned: 'webapp' with pid 4101",
                "2026-12-03 16:04:06,103 INFO success: webapp entered RUNNING state, process has stayed up for > than 5 seconds (startsecs)",
                "2026-12-03 16:05:38,964 WARN exited: webapp (exit status 1; not expected)",
                "2026-12-03 16:05:46,618 INFO gave up: webapp entered FATAL state, too many start retries too quickly");
        Path supervisord = Files.write(dir.resolve("supervisord.log"), lines);
        Path other = Files.write(dir.resolve("app.log"), lines);
        assertThat(formatOf(reader, supervisord)).isEqualTo("supervisor");
        assertThat(formatOf(reader, other)).isEqualTo("app");
        // a level only supervisord writes: read as its log whatever the name
        List<String> debug = new java.util.ArrayList<>(lines);
        debug.add(1, "2026-12-03 16:04:01,200 DEBG fd 8 closed, stopped monitoring <POutputDispatcher at 1 for webapp>");
        assertThat(formatOf(reader, Files.write(dir.resolve("other.log"), debug))).isEqualTo("supervisor");
    }
}
