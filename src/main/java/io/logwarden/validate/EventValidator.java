package io.logwarden.validate;

import io.logwarden.config.ValidationProperties;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.event.LogEvent;
import io.logwarden.store.JobRepository;
import io.logwarden.store.QuarantineRepository;
import java.nio.charset.StandardCharsets;
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

    private final ValidationProperties props;
    private final QuarantineRepository quarantine;
    private final JobRepository jobs;
    private final Clock clock;

    public EventValidator(ValidationProperties props, QuarantineRepository quarantine, JobRepository jobs, Clock clock) {
        this.props = props;
        this.quarantine = quarantine;
        this.jobs = jobs;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<LogEvent> events = exchange.getIn().getMandatoryBody(List.class);
        long jobId = exchange.getIn().getHeader(ExchangeHeaders.JOB_ID, Long.class);
        Instant now = clock.instant();
        List<LogEvent> valid = new ArrayList<>(events.size());
        List<QuarantineRepository.Entry> rejected = new ArrayList<>();
        for (LogEvent event : events) {
            String reason = check(event, now);
            if (reason == null) {
                valid.add(event);
            } else {
                rejected.add(new QuarantineRepository.Entry(event.source(),
                        event.ref() == null ? null : event.ref().origin(),
                        event.ref() == null ? -1 : event.ref().line(), reason, event.raw() == null ? "" : event.raw()));
            }
        }
        quarantine.saveAll(jobId, rejected);
        Long bytesRead = exchange.getIn().getHeader(ExchangeHeaders.BYTES_READ, Long.class);
        jobs.progress(jobId, null, 0, valid.size(), rejected.size(), bytesRead == null ? 0 : bytesRead);
        exchange.getIn().setBody(valid);
    }

    /** Why the event is invalid, or null when it is valid. */
    public String check(LogEvent event, Instant now) {
        String parseError = event.attributes().get("parse.error");
        if (parseError != null) {
            return parseError;
        }
        String sizeError = event.attributes().get("size.error");
        if (sizeError != null) {
            return sizeError;
        }
        for (String field : props.requiredFields()) {
            String missing = missing(event, field);
            if (missing != null) {
                return missing;
            }
        }
        String message = event.message();
        if (message != null && message.length() * 3L > props.maxMessageBytes()
                && message.getBytes(StandardCharsets.UTF_8).length > props.maxMessageBytes()) {
            return "message is " + message.getBytes(StandardCharsets.UTF_8).length + " bytes, over the "
                    + props.maxMessageBytes() + "-byte limit";
        }
        Instant ts = event.timestamp();
        if (ts != null) {
            if (ts.isAfter(now.plus(props.maxFutureSkew()))) {
                return "timestamp " + ts + " is more than " + props.maxFutureSkew() + " in the future";
            }
            if (!props.oldest().isZero() && ts.isBefore(now.minus(props.oldest()))) {
                return "timestamp " + ts + " is older than " + props.oldest();
            }
        }
        return null;
    }

    private static String missing(LogEvent event, String field) {
        switch (field) {
            case "timestamp":
                if (event.timestamp() == null) {
                    String raw = event.attributes().get("timestamp.raw");
                    return raw == null ? "no timestamp" : "unreadable timestamp '" + raw + "'";
                }
                return null;
            case "message":
                return event.message() == null || event.message().isBlank() ? "empty message" : null;
            case "level":
                return event.level() == io.logwarden.event.Level.UNKNOWN ? "no level" : null;
            case "service":
                return blank(event.service()) ? "no service" : null;
            case "host":
                return blank(event.host()) ? "no host" : null;
            default:
                return blank(event.attributes().get(field)) ? "no " + field : null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
