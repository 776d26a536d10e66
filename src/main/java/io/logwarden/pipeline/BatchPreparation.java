package io.logwarden.pipeline;

import io.logwarden.event.LogEvent;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Component;

/**
 * The step a file's batches go through on the reading side (see {@code PrefetchedBatches}): validation and the part of
 * detection that needs no job state. One definition for the file source and the start-up warm-up, so that both run the
 * very same code, which the warm-up compiles for the first file.
 */
@Component
public class BatchPreparation {

    private final DetectionEngine detection;
    private final EventValidator validator;
    private final Clock clock;

    public BatchPreparation(DetectionEngine detection, EventValidator validator, Clock clock) {
        this.detection = detection;
        this.validator = validator;
        this.clock = clock;
    }

    /** Validates a batch as of now and prepares its valid events; the result is a {@code PreparedBatch}. */
    public UnaryOperator<List<LogEvent>> step() {
        return batch -> detection.prepare(batch, validator.checksAt(clock.instant())::check);
    }

    /** Starts the next file as a service's first job starts, with no prepared-token buffers kept (the warm-up's). */
    void startAsFirstJob() {
        detection.forgetPreparationBuffers();
    }
}
