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
 * The Kafka source: each batch the consumer polls (up to max-poll-records) is one job. The job's results and the
 * batch's offsets (per partition, in the source's watermark) are stored in one transaction; only then are the
 * offsets committed to Kafka. A crash between the two makes Kafka deliver the batch again, and the records at or
 * before the stored offsets are skipped, so none is stored twice.
 */
@Component("kafkaSource")
public class KafkaSource {

    private final Map<String, SourcesProperties.Kafka> sources = new LinkedHashMap<>();
    private final SourceRunner runner;
    private final FormatRegistry formats;
    private final ObjectMapper json;
    private final TimestampParser timestamps;

    public KafkaSource(SourcesProperties props, IngestProperties ingest, SourceRunner runner, FormatRegistry formats,
                       ObjectMapper json, Clock clock) {
        props.kafka().forEach(s -> sources.put(s.name(), s));
        // An unknown format stops start-up with the known ones listed, instead of failing every batch.
        props.kafka().stream().filter(s -> !s.format().equals("mapped")).forEach(s -> formats.get(s.format()));
        this.runner = runner;
        this.formats = formats;
        this.json = json;
        this.timestamps = new TimestampParser(ingest.defaultZone(), clock);
    }

    /** Stores one polled batch as a job, then commits its offsets. */
    public void run(Exchange exchange) {
        SourcesProperties.Kafka source = sources.get(exchange.getIn().getHeader(SourceRunner.SOURCE_NAME, String.class));
        @SuppressWarnings("unchecked")
        List<Exchange> records = exchange.getIn().getBody(List.class);
        if (records == null || records.isEmpty()) {
            return;
        }
        LogFormat format = source.format().equals("mapped") ? null : formats.get(source.format());
        RecordMapper mapper = new RecordMapper(source.mapping().toRecordMapping(), timestamps);
        runner.run(exchange, source.name(), "kafka", new Watermark(Instant.EPOCH, ""), (from, batches) -> {
            Map<String, Long> stored = offsets(from.key());
            Map<String, Long> next = new TreeMap<>(stored);
            Instant latest = from.timestamp();
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
                LogEvent event = event(source, format, mapper, record.getMessage().getBody(String.class), tp, offset, recordTime);
                if (recordTime != null && recordTime.isAfter(latest)) latest = recordTime;
                batch.add(event);
            }
            if (!batch.isEmpty()) {
                batches.accept(batch);
            }
            return new Watermark(latest, next.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                    .collect(Collectors.joining(",")));
        });
        commit(records);
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
    private static void commit(List<Exchange> records) {
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
