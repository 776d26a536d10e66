package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.pipeline.PipelineWarmUp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The start-up warm-up runs the reading and detection code on generated logs in the background, ends (done, or stopped
 * by the first job: the other tests of this context drop files meanwhile), and leaves no file behind.
 */
class PipelineWarmUpTest extends ServiceTestSupport {

    @Autowired PipelineWarmUp warmUp;

    @Test
    void runsInTheBackgroundEndsAndLeavesNothingBehind() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (warmUp.state() == PipelineWarmUp.State.RUNNING && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(warmUp.state()).isIn(PipelineWarmUp.State.DONE, PipelineWarmUp.State.STOPPED);
        assertThat(warmUp.lines()).isPositive();
        try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("logwarden-warm-up"))
                    .filter(PipelineWarmUpTest::recent)).isEmpty();
        }
    }

    private static boolean recent(Path dir) {
        try {
            return Files.getLastModifiedTime(dir).toInstant().isAfter(Instant.now().minus(Duration.ofMinutes(5)));
        } catch (IOException e) {
            return false;
        }
    }
}
