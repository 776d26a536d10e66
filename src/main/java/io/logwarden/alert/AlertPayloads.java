package io.logwarden.alert;

import io.logwarden.config.AlertProperties;
import io.logwarden.config.LlmProperties;
import io.logwarden.detect.Anomaly;
import io.logwarden.detect.Evidence;
import io.logwarden.enrich.Redactor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Builds what an alert says about an incident: the same JSON document for every channel (the webhook and Kafka
 * channels send it as is; Slack, Teams and e-mail render it). Evidence lines are redacted as for the LLM.
 */
@Component
public class AlertPayloads {

    private final AlertProperties props;
    private final Redactor redactor;

    public AlertPayloads(AlertProperties props, LlmProperties llm) {
        this.props = props;
        this.redactor = new Redactor(llm.redaction());
    }

    /**
     * An incident's identity: source, lead detector, and its template, else the template that contributed most (a
     * burst of a whole level has none of its own), else its leading influencer.
     */
    public record Incident(String fingerprint, String source, String detector, String key) {
    }

    public static Incident incidentOf(Anomaly a) {
        String key;
        if (a.templateId() != null) {
            key = "template:" + a.templateId();
        } else if (!a.contributors().isEmpty() && a.contributors().get(0).templateId() != null) {
            key = "template:" + a.contributors().get(0).templateId();
        } else if (!a.influencers().isEmpty()) {
            Anomaly.Influencer lead = a.influencers().get(0);
            key = "influencer:" + lead.field() + "=" + lead.value();
        } else {
            key = "-";
        }
        String detector = a.detector().id();
        return new Incident(fingerprint(a.source(), detector, key), a.source(), detector, key);
    }

    static String fingerprint(String source, String detector, String key) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((source + "\n" + detector + "\n" + key).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One job's anomalies of one incident, as one alert. The highest-scoring anomaly leads; the window spans them
     * all; the others are listed by title.
     */
    public Map<String, Object> build(Incident incident, List<Anomaly> anomalies, long jobId, Instant openedAt) {
        List<Anomaly> byScore = anomalies.stream().sorted(Comparator.comparingDouble(Anomaly::score).reversed()).toList();
        Anomaly lead = byScore.get(0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "open");
        m.put("fingerprint", incident.fingerprint());
        m.put("title", lead.title());
        m.put("severity", lead.severity().name());
        m.put("score", lead.score());
        m.put("source", lead.source());
        m.put("detector", lead.detector().id());
        m.put("incidentKey", incident.key());
        Instant start = anomalies.stream().map(Anomaly::windowStart).filter(java.util.Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(null);
        Instant end = anomalies.stream().map(Anomaly::windowEnd).filter(java.util.Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("start", start == null ? null : start.toString());
        window.put("end", end == null ? null : end.toString());
        m.put("window", window);
        m.put("explanation", lead.explanation());
        Set<String> influencers = new LinkedHashSet<>();
        byScore.forEach(a -> a.influencers().forEach(i -> influencers.add(i.text())));
        m.put("influencers", List.copyOf(influencers));
        List<String> evidence = new ArrayList<>();
        for (Anomaly a : byScore) {
            for (Evidence e : a.evidence()) {
                if (evidence.size() < props.evidenceLines()) {
                    String text = e.text().length() > 1000 ? e.text().substring(0, 1000) + "…" : e.text();
                    evidence.add(redactor.redact(text));
                }
            }
        }
        m.put("evidence", evidence);
        m.put("llmSummary", lead.enrichment() != null && lead.enrichment().summary() != null
                ? lead.enrichment().summary() : null);
        m.put("anomalies", anomalies.size());
        m.put("others", byScore.subList(1, byScore.size()).stream().map(Anomaly::title).limit(10).toList());
        m.put("jobId", jobId);
        m.put("openedAt", openedAt.toString());
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("report", link(props.reportLink(), jobId, lead.source(), incident.fingerprint()));
        links.put("dashboard", link(props.dashboardLink(), jobId, lead.source(), incident.fingerprint()));
        m.put("links", links);
        return m;
    }

    /** The same alert with another kind (update, resolved). */
    static Map<String, Object> as(Map<String, Object> payload, String kind) {
        Map<String, Object> m = new LinkedHashMap<>(payload);
        m.put("kind", kind);
        return m;
    }

    private String link(String pattern, long jobId, String source, String fingerprint) {
        String base = props.baseUrl().endsWith("/") ? props.baseUrl().substring(0, props.baseUrl().length() - 1)
                : props.baseUrl();
        return pattern.replace("{base}", base).replace("{job}", Long.toString(jobId))
                .replace("{source}", URLEncoder.encode(source, StandardCharsets.UTF_8))
                .replace("{fingerprint}", fingerprint);
    }
}
