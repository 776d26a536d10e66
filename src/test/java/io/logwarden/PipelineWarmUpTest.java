package io.logwarden;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.pipeline.PipelineWarmUp;
import io.logwarden.store.JobRepository;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The start-up warm-up runs the reading and detection code on generated logs in the background and renders a report of
 * them into nothing, ends (done, or stopped by the first job: the other tests of this context drop files meanwhile),
 * and leaves no file and no job behind.
 */
class PipelineWarmUpTest extends ServiceTestSupport {

    @Autowired PipelineWarmUp warmUp;
    @Autowired JobRepository jobs;

    @Test
    void runsInTheBackgroundEndsAndLeavesNothingBehind() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (warmUp.state() == PipelineWarmUp.State.RUNNING && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(warmUp.state()).isIn(PipelineWarmUp.State.DONE, PipelineWarmUp.State.STOPPED);
        assertThat(warmUp.folder()).as("the warm-up's folder of generated logs").isNotNull();
        assertThat(warmUp.folder()).doesNotExist();
        if (warmUp.state() == PipelineWarmUp.State.STOPPED) {
            // a job of another test in this context stopped it, maybe before it had read anything
            assertThat(jobs.recent(1)).as("the job that stopped the warm-up").isNotEmpty();
        } else {
            assertThat(warmUp.lines()).isPositive();
            assertThat(warmUp.reportRendered()).as("a generated report rendered, into nothing").isTrue();
        }
        assertThat(jobs.find(0)).as("no job stored for the warm-up").isEmpty();
    }
}
