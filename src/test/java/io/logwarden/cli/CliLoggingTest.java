package io.logwarden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class CliLoggingTest {

    @Test
    void warningsAndErrorsGoToStderrAsLogwardenLinesAndNothingBelow() {
        PrintStream savedErr = System.err;
        PrintStream savedOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CliLogging logging = new CliLogging();
            logging.initialize();
            Logger log = logging.getLoggerFactory().getLogger("io.logwarden.detect.SomeDetector");
            log.debug("debug line");
            log.info("info line");
            log.warn("model for {} is stale", "app.log");
            log.error("could not read {}", "x.log", new IllegalStateException("disk gone"));
            assertThat(logging.getMDCAdapter()).isNotNull();
            assertThat(logging.getMarkerFactory().getMarker("m")).isNotNull();
        } finally {
            System.setErr(savedErr);
            System.setOut(savedOut);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("logwarden: WARN i.l.d.SomeDetector: model for app.log is stale\n"
                + "logwarden: ERROR i.l.d.SomeDetector: could not read x.log\n"
                + "java.lang.IllegalStateException: disk gone\n");
        assertThat(text).doesNotContain("debug line", "info line");
        // stdout is for the JSON lines: nothing of these loggers there (other tests' threads in this JVM may print to it
        // while it is swapped, so it is not checked for being empty)
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("SomeDetector", "stale", "could not read",
                "debug line", "info line");
    }
}
