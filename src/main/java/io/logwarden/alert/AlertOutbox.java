package io.logwarden.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.config.AlertProperties;
import io.logwarden.detect.Anomaly;
import io.logwarden.detect.DetectionResult;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.event.Severity;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns a job's stored anomalies into alerts, one per incident, and writes them to the outbox: the publish route calls
 * {@link #enqueue} right after the anomalies are stored, in the same transaction for database, REST and Kafka jobs,
 * so an alert exists exactly when its anomalies do. Nothing is sent here (the {@link AlertDispatcher} does that).
 *
 * <p>De-duplication: the first anomaly of a fingerprint sends {@code open}; later ones while the incident is open
 * send an {@code update} at most every {@code update-interval} (what came between is counted in the next update, or
 * in the resolution); once nothing came for {@code dedup-window}, {@code resolved} is sent ({@link #sweep}) and a
 * later anomaly opens a new incident.
 */
@Component("alertOutbox")
public class AlertOutbox {

    private static final Logger log = LoggerFactory.getLogger(AlertOutbox.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final AlertRepository repository;
    private final AlertPayloads payloads;
    private final AlertProperties props;
    private final ObjectMapper json;
    private final Clock clock;

    public AlertOutbox(AlertRepository repository, AlertPayloads payloads, AlertProperties props, ObjectMapper json,
                       Clock clock) {
        this.repository = repository;
        this.payloads = payloads;
        this.props = props;
        this.json = json;
        this.clock = clock;
    }

    /** Writes the job's alerts to the outbox. Suppressed anomalies are never alerted. */
    public void enqueue(@Header(ExchangeHeaders.JOB_ID) long jobId, DetectionResult result) {
        if (props.enabledChannels().isEmpty()) {
            return;
        }
        Map<AlertPayloads.Incident, List<Anomaly>> incidents = new LinkedHashMap<>();
        for (Anomaly a : result.anomalies()) {
            if (!a.isSuppressed()) {
                incidents.computeIfAbsent(AlertPayloads.incidentOf(a), k -> new ArrayList<>()).add(a);
            }
        }
        Instant now = clock.instant();
        for (Map.Entry<AlertPayloads.Incident, List<Anomaly>> e : incidents.entrySet()) {
            AlertPayloads.Incident incident = e.getKey();
            Optional<AlertRepository.IncidentRow> known = repository.lockIncident(incident.fingerprint());
            boolean open = known.isPresent() && "open".equals(known.get().status())
                    && !repository.openedByFailedJob(incident.fingerprint());
            if (open && known.get().lastSeenAt().isBefore(now.minus(props.dedupWindow()))) {
                // Quiet for the whole window but not swept yet: it ends before the new one starts.
                resolve(known.get(), now);
                open = false;
            }
            Instant openedAt = open ? known.get().openedAt() : now;
            Map<String, Object> payload = payloads.build(incident, e.getValue(), jobId, openedAt);
            Severity severity = Severity.valueOf((String) payload.get("severity"));
            if (!open) {
                String text = write(payload);
                repository.openIncident(incident, now, jobId, severity.name(), text);
                deliver(jobId, incident.source(), incident.detector(), severity, incident.fingerprint(), "open", payload);
                continue;
            }
            Severity highest = max(severity, known.get().severity());
            payload.put("severity", highest.name());
            Map<String, Object> update = AlertPayloads.as(payload, "update");
            if (known.get().pendingPayload() != null) {
                // What the interval held back since the last update is counted in this one.
                Object held = read(known.get().pendingPayload()).get("anomalies");
                update.put("anomalies", e.getValue().size() + (held instanceof Number n ? n.intValue() : 0));
            }
            Instant lastSent = known.get().lastSentAt();
            boolean due = lastSent == null || !lastSent.isAfter(now.minus(props.updateInterval()));
            repository.seen(incident.fingerprint(), now, jobId, highest.name(), write(update), due);
            if (due) {
                deliver(jobId, incident.source(), incident.detector(), highest, incident.fingerprint(), "update", update);
            }
        }
    }

    /**
     * Resolves the incidents nothing was seen of for the dedup window ("resolved" carries what the update interval
     * held back since the last alert). Called regularly by the dispatcher, inside a transaction.
     */
    void sweep() {
        Instant now = clock.instant();
        for (AlertRepository.IncidentRow row : repository.lockQuiet(now.minus(props.dedupWindow()))) {
            resolve(row, now);
        }
    }

    private void resolve(AlertRepository.IncidentRow row, Instant now) {
        Map<String, Object> resolved = AlertPayloads.as(read(row.pendingPayload() != null ? row.pendingPayload()
                : row.lastPayload()), "resolved");
        resolved.put("severity", row.severity());
        resolved.put("lastSeenAt", row.lastSeenAt().toString());
        resolved.put("title", "Resolved: " + resolved.get("title"));
        repository.resolve(row.fingerprint(), now);
        deliver(null, row.source(), row.detector(), Severity.valueOf(row.severity()), row.fingerprint(), "resolved",
                resolved);
        log.info("Incident {} ({} / {}) resolved: nothing since {}", row.fingerprint(), row.source(), row.detector(),
                row.lastSeenAt());
    }

    /** One delivery per enabled channel that takes this incident. */
    private void deliver(Long jobId, String source, String detector, Severity severity, String fingerprint, String kind,
                         Map<String, Object> payload) {
        String text = write(payload);
        Instant now = clock.instant();
        for (AlertProperties.Channel channel : props.enabledChannels()) {
            if (channel.accepts(source, detector, severity)) {
                repository.enqueue(jobId, channel.name(), kind, fingerprint, severity.name(),
                        String.valueOf(payload.get("title")), text, "pending", now);
            }
        }
    }

    private static Severity max(Severity a, String b) {
        Severity other = b == null ? a : Severity.valueOf(b);
        return a.compareTo(other) >= 0 ? a : other;
    }

    private String write(Map<String, Object> payload) {
        try {
            return json.writeValueAsString(payload).replace("\\u0000", "\\ufffd");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write an alert", e);
        }
    }

    private Map<String, Object> read(String text) {
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an incident's stored alert is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
