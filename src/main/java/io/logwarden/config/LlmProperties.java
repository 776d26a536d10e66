package io.logwarden.config;

import io.logwarden.event.Severity;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * LLM enrichment. The API key is deliberately not a property: it is read from the environment
 * ({@code LOGWARDEN_LLM_API_KEY}, else the provider's usual variable) so it never sits in a file or a log line.
 *
 * @param provider           who answers; {@code none} turns enrichment (and the semantic detector) off
 * @param baseUrl            the provider's endpoint; empty: the provider's public one (required for openai-compatible)
 * @param model              model name; empty: a small, cheap default per provider
 * @param timeout            one HTTP call's limit
 * @param maxRetries         retries of a failed call (rate limit, server error, timeout), with exponential backoff
 * @param minSeverity        anomalies below this severity are never sent
 * @param maxCallsPerJob     LLM calls one job may make (retries of invalid answers included)
 * @param maxCallsPerHour    LLM calls all jobs together may make in any rolling hour
 * @param cacheTtl           how long an answer is reused for the same template and detector
 * @param evidenceLines      evidence lines sent per anomaly
 * @param maxTokens          answer length limit, in tokens
 * @param applySeverityAdjustment apply the LLM's suggested score change (-20..+20) instead of only showing it
 * @param redaction          what is removed from the text before it leaves the machine
 * @param semantic           the LLM-based detector that judges a job's rarest new templates
 */
@ConfigurationProperties("logwarden.llm")
@Validated
public record LlmProperties(
        @NotNull @DefaultValue("none") Provider provider,
        @DefaultValue("") String baseUrl,
        @DefaultValue("") String model,
        @NotNull @DefaultValue("30s") Duration timeout,
        @Min(0) @Max(5) @DefaultValue("2") int maxRetries,
        @NotNull @DefaultValue("HIGH") Severity minSeverity,
        @Min(0) @DefaultValue("20") int maxCallsPerJob,
        @Min(0) @DefaultValue("200") int maxCallsPerHour,
        @NotNull @DefaultValue("7d") Duration cacheTtl,
        @Min(0) @Max(20) @DefaultValue("3") int evidenceLines,
        @Min(64) @DefaultValue("600") int maxTokens,
        @DefaultValue("false") boolean applySeverityAdjustment,
        @DefaultValue Redaction redaction,
        @DefaultValue Semantic semantic) {

    public enum Provider {
        NONE, OPENAI, ANTHROPIC, OLLAMA, OPENAI_COMPATIBLE;

        /** As written in the configuration: {@code openai-compatible}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public boolean enabled() {
        return provider != Provider.NONE;
    }

    /**
     * @param ips      also replace IPv4 and IPv6 addresses (off by default: they often are the point of an anomaly)
     * @param patterns extra patterns, name → Java regex; every match becomes {@code [REDACTED:name]}
     */
    public record Redaction(
            @DefaultValue("false") boolean ips,
            @DefaultValue Map<String, String> patterns) {
    }

    /**
     * @param enabled      classify the job's rarest new templates as benign or suspicious (only when a provider is set)
     * @param maxTemplates templates sent in that one call per job
     */
    public record Semantic(
            @DefaultValue("true") boolean enabled,
            @Min(1) @Max(20) @DefaultValue("5") int maxTemplates) {
    }
}
