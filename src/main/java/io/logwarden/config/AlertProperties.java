package io.logwarden.config;

import io.logwarden.event.Severity;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Alert channels, de-duplication, rate limits and delivery ({@code logwarden.alerts}). No channel by default.
 *
 * @param baseUrl        where people reach this service: the report and dashboard links in alerts start with it
 * @param reportLink     the report link (default: the dashboard's job page, with its reports); {job} and {source}
 *                       are replaced
 * @param dashboardLink  the dashboard link (default: the source's anomalies); {job}, {source} and {fingerprint} are
 *                       replaced
 * @param dedupWindow    an incident stays open while its anomalies keep coming; after this long without one it is
 *                       resolved, and a later anomaly opens a new incident
 * @param updateInterval an open incident's updates go out at most this often (what came between is in the next one)
 * @param evidenceLines  evidence lines per alert, redacted as for the LLM
 * @param pollInterval   how often each channel's sender looks for due deliveries
 * @param maxAttempts    attempts per delivery before it is marked failed
 * @param backoff        the first retry's wait, doubled each attempt up to maxBackoff
 * @param channels       the channels; see config/application.yml
 */
@ConfigurationProperties("logwarden.alerts")
@Validated
public record AlertProperties(
        @NotBlank @DefaultValue("http://127.0.0.1:8080") String baseUrl,
        @NotBlank @DefaultValue("{base}/jobs/{job}") String reportLink,
        @NotBlank @DefaultValue("{base}/anomalies?source={source}") String dashboardLink,
        @NotNull @DefaultValue("30m") Duration dedupWindow,
        @NotNull @DefaultValue("5m") Duration updateInterval,
        @Min(0) @DefaultValue("3") int evidenceLines,
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @Min(1) @DefaultValue("10") int maxAttempts,
        @NotNull @DefaultValue("2s") Duration backoff,
        @NotNull @DefaultValue("5m") Duration maxBackoff,
        @NotNull @DefaultValue("10s") Duration timeout,
        @Valid @DefaultValue List<Channel> channels) {

    /** The channel kinds; each has its route in routes/alerts/ ({@code direct:alert-<kind>}). */
    public enum Type {
        WEBHOOK, SLACK, EMAIL, KAFKA, TEAMS;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One channel.
     *
     * @param name        its name in deliveries and logs
     * @param url         webhook, Slack or Teams: the URL to POST to
     * @param secret      webhook: the HMAC-SHA256 key for X-Logwarden-Signature (from the environment)
     * @param brokers     Kafka: bootstrap servers
     * @param topic       Kafka: the topic (default logwarden.alerts)
     * @param smtp        e-mail: the SMTP server and addresses
     * @param minSeverity only incidents at or above this severity
     * @param sources     only these sources (empty: all)
     * @param detectors   only these detectors (empty: all)
     * @param rateLimit   alerts per ratePeriod; what is held back goes out as one digest once the period allows
     */
    public record Channel(
            @NotBlank String name,
            @NotNull Type type,
            String url,
            String secret,
            String brokers,
            @DefaultValue("logwarden.alerts") String topic,
            @Valid Smtp smtp,
            @DefaultValue("MEDIUM") Severity minSeverity,
            @DefaultValue Set<String> sources,
            @DefaultValue Set<String> detectors,
            @DefaultValue("false") boolean enabled,
            @Min(1) @DefaultValue("20") int rateLimit,
            @NotNull @DefaultValue("1h") Duration ratePeriod) {

        /** Whether an incident of this source, detector and severity goes to this channel. */
        public boolean accepts(String source, String detector, Severity severity) {
            return severity.compareTo(minSeverity) >= 0
                    && (sources.isEmpty() || sources.contains(source))
                    && (detectors.isEmpty() || detectors.contains(detector));
        }

        /** What is missing for the channel's kind, or null. */
        public String problem() {
            return switch (type) {
                case WEBHOOK, SLACK, TEAMS -> url == null || url.isBlank() ? "url is required" : null;
                case KAFKA -> brokers == null || brokers.isBlank() ? "brokers is required" : null;
                case EMAIL -> smtp == null || smtp.host() == null || smtp.to() == null || smtp.to().isEmpty()
                        ? "smtp.host and smtp.to are required" : null;
            };
        }
    }

    /**
     * @param password from the environment
     * @param tls      STARTTLS: false for a local relay
     */
    public record Smtp(String host, @DefaultValue("25") int port, String username, String password,
                       @DefaultValue("logwarden@localhost") String from, List<String> to,
                       @DefaultValue("false") boolean tls) {
    }

    /** The enabled channels. */
    public List<Channel> enabledChannels() {
        return channels.stream().filter(Channel::enabled).toList();
    }
}
