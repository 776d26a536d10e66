package io.logwarden.pipeline;

import io.logwarden.validate.EventChecks;

import io.logwarden.config.ValidationProperties;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.detect.PreparedBatch;
import io.logwarden.event.LogEvent;
import io.logwarden.ingest.IngestException;
import io.logwarden.pipeline.JobProgress;
import io.logwarden.store.QuarantineRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Checks each event of a batch: parse errors found by the reader, required fields, readable and plausible
 * timestamps, size limits. Invalid events go to quarantine with their reason and origin; the body becomes the
 * valid events, and the job's counts move on.
 */
@Component("eventValidator")
public class EventValidator implements Processor {

    private final EventChecks checks;
    private final QuarantineRepository quarantine;
    private final JobProgress progress;
    private final Clock clock;

    public EventValidator(ValidationProperties props, QuarantineRepository quarantine, JobProgress progress, Clock clock) {
        this.checks = new EventChecks(props.rules());
        this.quarantine = quarantine;
        this.progress = progress;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<LogEvent> events = exchange.getIn().getMandatoryBody(List.class);
        long jobId = jobOf(exchange);
        Instant now = clock.instant();
        List<LogEvent> valid;
        List<QuarantineRepository.Entry> rejected = new ArrayList<>();
        EventChecks.At at = checks.at(now);
        if (events instanceof PreparedBatch prepared) {
            // checked on the reading thread already (FileIngestion)
            for (int i = 0, n = prepared.size(); i < n; i++) {
                String reason = prepared.rejection(i);
                if (reason != null) rejected.add(entry(prepared.get(i), reason));
            }
            valid = prepared.valid();
        } else {
            valid = new ArrayList<>(events.size());
            for (LogEvent event : events) {
                String reason = at.check(event);
                if (reason == null) {
                    valid.add(event);
                } else {
                    rejected.add(entry(event, reason));
                }
            }
        }
        quarantine.saveAll(jobId, rejected);
        Long bytesRead = exchange.getIn().getHeader(ExchangeHeaders.BYTES_READ, Long.class);
        progress.add(jobId, valid.size(), rejected.size(), bytesRead == null ? 0 : bytesRead);
        exchange.getIn().setBody(valid);
    }

    /** The checks as of {@code now}, for a batch. */
    public EventChecks.At checksAt(Instant now) {
        return checks.at(now);
    }

    private static QuarantineRepository.Entry entry(LogEvent event, String reason) {
        return new QuarantineRepository.Entry(event.source(), event.ref() == null ? null : event.ref().origin(),
                event.ref() == null ? -1 : event.ref().line(), reason, event.raw() == null ? "" : event.raw());
    }

    /** The batch's job; a route that forgot to open one is told how, instead of failing on a missing header. */
    static long jobOf(Exchange exchange) {
        Long job = exchange.getIn().getHeader(ExchangeHeaders.JOB_ID, Long.class);
        if (job == null) {
            throw new IngestException("route " + exchange.getFromRouteId() + " sent a batch to direct:analyze without a"
                    + " job: open one first with - bean: {ref: jobs, method: \"start('<source name>', *)\"} (it sets the"
                    + " header " + ExchangeHeaders.JOB_ID + "), and end with - to: direct:finish-job");
        }
        return job;
    }

}
