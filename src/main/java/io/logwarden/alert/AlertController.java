package io.logwarden.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.config.AlertProperties;
import io.logwarden.store.InvalidParameterException;
import io.logwarden.store.NotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Alert deliveries and their status (sent, retrying, failed with the reason, held, ...), and the incidents. */
@RestController
@RequestMapping("/api/v1/alerts")
class AlertController {

    private static final Set<String> STATUSES = Set.of("pending", "retrying", "sent", "failed", "held", "digested",
            "cancelled");

    private final AlertRepository repository;
    private final AlertProperties props;
    private final ObjectMapper json;

    AlertController(AlertRepository repository, AlertProperties props, ObjectMapper json) {
        this.repository = repository;
        this.props = props;
        this.json = json;
    }

    /** Deliveries, newest first; filter by status and channel. */
    @GetMapping
    Map<String, Object> list(@RequestParam(required = false) String status, @RequestParam(required = false) String channel,
                             @RequestParam(defaultValue = "100") int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw new InvalidParameterException("status", "status must be one of " + STATUSES + ", was '" + status + "'");
        }
        List<Map<String, Object>> deliveries = repository.deliveries(status, channel, Math.max(1, Math.min(limit, 1000)))
                .stream().map(d -> view(d, false)).toList();
        return Map.of("deliveries", deliveries,
                "channels", props.channels().stream().map(c -> Map.of("name", c.name(), "type", c.type().id(),
                        "enabled", c.enabled(), "minSeverity", c.minSeverity().name())).toList());
    }

    /** One delivery with the alert it carries. */
    @GetMapping("/{id}")
    Map<String, Object> get(@PathVariable long id) {
        return view(repository.delivery(id).orElseThrow(() -> new NotFoundException("alert delivery", id)), true);
    }

    /** Incidents, most recently seen first: open or resolved, with what was last said. */
    @GetMapping("/incidents")
    Map<String, Object> incidents(@RequestParam(defaultValue = "100") int limit) {
        return Map.of("incidents", repository.incidents(Math.max(1, Math.min(limit, 1000))).stream().map(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fingerprint", i.fingerprint());
            m.put("source", i.source());
            m.put("detector", i.detector());
            m.put("key", i.key());
            m.put("status", i.status());
            m.put("severity", i.severity());
            m.put("openedAt", i.openedAt());
            m.put("lastSeenAt", i.lastSeenAt());
            m.put("lastSentAt", i.lastSentAt());
            m.put("updatePending", i.pendingPayload() != null);
            return m;
        }).toList());
    }

    private Map<String, Object> view(AlertRepository.Delivery d, boolean withPayload) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("channel", d.channel());
        m.put("kind", d.kind());
        m.put("status", d.status());
        m.put("severity", d.severity());
        m.put("title", d.title());
        m.put("fingerprint", d.fingerprint());
        m.put("jobId", d.jobId());
        m.put("attempts", d.attempts());
        m.put("lastError", d.lastError());
        m.put("nextAttemptAt", "pending".equals(d.status()) || "retrying".equals(d.status()) ? d.nextAttemptAt() : null);
        m.put("createdAt", d.createdAt());
        m.put("sentAt", d.sentAt());
        m.put("digestId", d.digestId());
        if (withPayload) {
            try {
                JsonNode payload = json.readTree(d.payload());
                m.put("payload", payload);
            } catch (JsonProcessingException e) {
                m.put("payload", d.payload());
            }
        }
        return m;
    }
}
