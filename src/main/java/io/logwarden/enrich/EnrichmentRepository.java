package io.logwarden.enrich;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The LLM answer cache and the call log that the hourly budget counts. */
@Repository
class EnrichmentRepository {

    private final JdbcTemplate jdbc;

    private io.logwarden.store.LogwardenMetrics metrics;

    EnrichmentRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Counts LLM calls for Prometheus (logwarden_llm_calls_total{outcome}). */
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    void setMetrics(io.logwarden.store.LogwardenMetrics metrics) {
        this.metrics = metrics;
    }

    /** The cached answer (JSON) for this template and detector, if younger than {@code ttl}. */
    Optional<String> cached(String source, String detector, String templateKey, String model, Duration ttl) {
        List<String> rows = jdbc.queryForList("""
                select answer::text from llm_cache
                where source = ? and detector = ? and template_key = ? and model = ?
                  and created_at > now() - make_interval(secs => ?)""",
                String.class, source, detector, templateKey, model, (double) ttl.toSeconds());
        return rows.stream().findFirst();
    }

    void cache(String source, String detector, String templateKey, String model, String answerJson) {
        jdbc.update("""
                insert into llm_cache (source, detector, template_key, model, answer) values (?, ?, ?, ?, ?::jsonb)
                on conflict (source, detector, template_key, model)
                do update set answer = excluded.answer, created_at = now()""",
                source, detector, templateKey, model, answerJson.replace("\\u0000", "\\ufffd"));
    }

    void recordCall(long jobId, String purpose, String outcome, int promptChars) {
        jdbc.update("insert into llm_calls (job_id, purpose, outcome, prompt_chars) values (?, ?, ?, ?)",
                jobId, purpose, outcome, promptChars);
        if (metrics != null) {
            metrics.llmCall(outcome);
        }
    }

    int callsInLastHour() {
        Integer n = jdbc.queryForObject("select count(*) from llm_calls where called_at > now() - interval '1 hour'",
                Integer.class);
        return n == null ? 0 : n;
    }
}
