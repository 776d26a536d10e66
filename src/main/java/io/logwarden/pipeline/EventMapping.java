package io.logwarden.pipeline;

import io.logwarden.detect.PreparedBatch;

import io.logwarden.config.IngestProperties;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import io.logwarden.ingest.IngestException;
import io.logwarden.ingest.RecordMapper;
import io.logwarden.ingest.RecordMapping;
import io.logwarden.ingest.TimestampParser;
import io.logwarden.store.JobRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The first step of {@code direct:analyze}: a batch may be events, or plain maps (what {@code unmarshal: csv}, or
 * JSON unmarshalled to a list, gives a YAML route) read with the mapping in the {@value ExchangeHeaders#MAPPING}
 * header. Afterwards the body is a {@code List<LogEvent>} either way.
 */
@Component("eventMapping")
public class EventMapping {

    private final TimestampParser timestamps;
    private final JobRepository jobs;
    private final Map<String, RecordMapper> mappers = new ConcurrentHashMap<>();
    /**
     * Records mapped so far per job, for each record's number in its input. Kept here, not on the exchange: a route
     * that splits its input into batches hands each batch a copy of the exchange. The last jobs only (a job's
     * batches arrive while it runs).
     */
    private final Map<Long, long[]> mapped = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
                    return size() > 1000;
                }
            });

    public EventMapping(IngestProperties ingest, Clock clock, JobRepository jobs) {
        this.jobs = jobs;
        this.timestamps = new TimestampParser(ingest.defaultZone(), clock);
    }

    public void toEvents(Exchange exchange) {
        long jobId = EventValidator.jobOf(exchange);
        Object body = exchange.getIn().getBody();
        if (body instanceof Map<?, ?> single) {
            body = List.of(single); // one record, e.g. a JSON object
        }
        if (!(body instanceof List<?> items)) {
            throw new IngestException("route " + exchange.getFromRouteId() + " sent "
                    + (body == null ? "no body" : "a " + body.getClass().getSimpleName()) + " to direct:analyze; it takes"
                    + " a list of events, or of maps with the header " + ExchangeHeaders.MAPPING);
        }
        if (items instanceof PreparedBatch || items.isEmpty() || items.stream().allMatch(LogEvent.class::isInstance)) {
            return;
        }
        String spec = exchange.getIn().getHeader(ExchangeHeaders.MAPPING, String.class);
        if (spec == null) {
            throw new IngestException("route " + exchange.getFromRouteId() + " sent records (maps) to direct:analyze"
                    + " without the header " + ExchangeHeaders.MAPPING + " that says which field is which, e.g."
                    + " 'timestamp=time, message=text, level=severity'");
        }
        RecordMapper mapper = mappers.computeIfAbsent(spec, s -> new RecordMapper(RecordMapping.parse(s), timestamps));
        String source = exchange.getIn().getHeader(ExchangeHeaders.SOURCE, String.class);
        String input = exchange.getIn().getHeader(ExchangeHeaders.INPUT, source, String.class);
        long n;
        synchronized (mapped) {
            long[] count = mapped.computeIfAbsent(jobId, id -> new long[1]);
            n = count[0];
            count[0] += items.size();
        }
        List<LogEvent> events = new ArrayList<>(items.size());
        for (Object item : items) {
            n++;
            if (!(item instanceof Map<?, ?> record)) {
                throw new IngestException("record " + n + " of " + input + " is a "
                        + (item == null ? "null" : item.getClass().getSimpleName()) + ", not a map or an event");
            }
            RecordMapper.Mapped one = mapper.map(record::get, source, input, record.toString());
            LogEvent e = one.event();
            SourceRef ref = new SourceRef(input, n, one.key());
            events.add(new LogEvent(e.source(), e.timestamp(), e.level(), e.service(), e.host(), e.message(),
                    e.attributes(), e.raw(), ref));
        }
        jobs.progress(jobId, "records", items.size(), 0, 0, 0); // records read, as lines are for a file
        exchange.getIn().setBody(events);
    }
}
