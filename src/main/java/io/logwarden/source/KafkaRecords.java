package io.logwarden.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.config.IngestProperties;
import io.logwarden.config.SourcesProperties;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import io.logwarden.ingest.FormatRegistry;
import io.logwarden.ingest.LogFormat;
import io.logwarden.ingest.RecordMapper;
import io.logwarden.ingest.TimestampParser;
import io.logwarden.ingest.IngestException;
import io.logwarden.pipeline.SourceRun;
import io.logwarden.store.WatermarkRepository.Watermark;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.springframework.stereotype.Component;

/**
 * The records of a Kafka source route ({@code kafkaRecords}): each batch the consumer polls (up to max-poll-records)
 * is one job. {@code toEvents} reads the batch's messages into events, skipping those at or before the offsets
 * stored in the source's watermark, and moves the run's watermark to the batch's last offset per partition; the
 * route stores the job and the watermark in one transaction, and only then {@code commit}s the offsets to Kafka. A
 * crash between the two makes Kafka deliver the batch again, and its records are skipped, so none is stored twice.
 */
@Component("kafkaRecords")
public class KafkaRecords {

    private final Map<String, SourcesProperties.Kafka> sources = new LinkedHashMap<>();
    private final FormatRegistry formats;
    private final ObjectMapper json;
    private final TimestampParser timestamps;

    public KafkaRecords(SourcesProperties props, IngestProperties ingest, FormatRegistry formats, ObjectMapper json,
                        Clock clock) {
        props.kafka().forEach(s -> sources.put(s.name(), s));
        // An unknown format stops start-up with the known ones listed, instead of failing every batch.
        props.kafka().stream().filter(s -> !s.format().equals("mapped")).forEach(s -> formats.get(s.format()));
        this.formats = formats;
        this.json = json;
        this.timestamps = new TimestampParser(ingest.defaultZone(), clock);
    }

    /** The batch's messages not stored yet, as events; the run's watermark moves to the batch's last offsets. */
    public List<LogEvent> toEvents(List<Exchange> records, String name, SourceRun run) {
        SourcesProperties.Kafka source = sources.get(name);
        if (source == null) {
            throw new IngestException("no Kafka source named " + name + " in logwarden.sources.kafka");
        }
        LogFormat format = source.format().equals("mapped") ? null : formats.get(source.format());
        RecordMapper mapper = new RecordMapper(source.mapping().toRecordMapping(), timestamps);
        Map<String, Long> stored = offsets(run.from().key());
        Map<String, Long> next = new TreeMap<>(stored);
        Instant latest = run.from().timestamp();
        List<LogEvent> batch = new ArrayList<>(records.size());
        for (Exchange record : records) {
            String topic = record.getMessage().getHeader(KafkaConstants.TOPIC, String.class);
            int partition = record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
            long offset = record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
            String tp = topic + "-" + partition;
            if (offset <= stored.getOrDefault(tp, -1L)) {
                continue; // stored by an earlier job whose commit to Kafka did not happen
            }
            next.merge(tp, offset, Math::max);
            Long kafkaTs = record.getMessage().getHeader(KafkaConstants.TIMESTAMP, Long.class);
            Instant recordTime = kafkaTs == null ? null : Instant.ofEpochMilli(kafkaTs);
            batch.add(event(source, format, mapper, record.getMessage().getBody(String.class), tp, offset, recordTime));
            if (recordTime != null && recordTime.isAfter(latest)) latest = recordTime;
        }
        run.reach(new Watermark(latest, next.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(","))));
        run.counted(batch.size());
        return batch;
    }

    private LogEvent event(SourcesProperties.Kafka source, LogFormat format, RecordMapper mapper, String value,
                           String tp, long offset, Instant recordTime) {
        String text = value == null ? "" : value.strip();
        SourceRef ref = new SourceRef("kafka:" + tp, -1, tp + "@" + offset);
        LogEvent event;
        if (format == null) {
            try {
                JsonNode node = json.readTree(text);
                RecordMapper.Mapped mapped = mapper.map(path -> RecordMapper.at(node, path), source.name(), "kafka:" + tp, text);
                event = mapped.event();
                event = new LogEvent(event.source(), event.timestamp(), event.level(), event.service(), event.host(),
                        event.message(), event.attributes(), event.raw(), ref);
            } catch (JsonProcessingException | RuntimeException e) {
                // Not JSON, or no key: the validator quarantines it with the raw text, nothing is lost.
                event = new LogEvent(source.name(), null, null, null, null, null,
                        Map.of("parse.error", "not a JSON record: " + e.getMessage()), text, ref);
            }
        } else {
            event = format.parse(text, source.name(), ref);
            if (event == null) {
                event = new LogEvent(source.name(), recordTime, null, null, null, text, Map.of(), text, ref);
            }
        }
        if (event.timestamp() == null && recordTime != null && !event.attributes().containsKey("parse.error")) {
            Map<String, String> attributes = new HashMap<>(event.attributes());
            event = new LogEvent(event.source(), recordTime, event.level(), event.service(), event.host(), event.message(),
                    attributes, event.raw(), event.ref());
        }
        return event;
    }

    private static Map<String, Long> offsets(String key) {
        Map<String, Long> offsets = new HashMap<>();
        if (key != null && !key.isBlank()) {
            for (String part : key.split(",")) {
                int colon = part.lastIndexOf(':');
                offsets.put(part.substring(0, colon), Long.parseLong(part.substring(colon + 1)));
            }
        }
        return offsets;
    }

    /** Commits, per partition, the offset after the batch's last record in it. */
    public void commit(List<Exchange> records) {
        Map<String, KafkaManualCommit> last = new LinkedHashMap<>();
        for (Exchange record : records) {
            KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit != null) {
                last.put(record.getMessage().getHeader(KafkaConstants.TOPIC, String.class) + "-"
                        + record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class), commit);
            }
        }
        last.values().forEach(KafkaManualCommit::commit);
    }
}
