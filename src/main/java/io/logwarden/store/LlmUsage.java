package io.logwarden.store;

import io.logwarden.config.LlmProperties;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** LLM calls made and the hourly budget they count against, for the overview. */
@Repository
public class LlmUsage {

    /**
     * @param lastHour       calls in the last rolling hour (what the budget counts)
     * @param budgetPerHour  {@code logwarden.llm.max-calls-per-hour}
     * @param byOutcome      calls since the asked time, by outcome ({@code answered}, {@code invalid}, {@code failed})
     */
    public record Usage(long lastHour, int budgetPerHour, Map<String, Long> byOutcome) {

        /** Share of the hourly budget used, 0 to 1 (0 when there is no budget). */
        public double budgetUsed() {
            return budgetPerHour <= 0 ? 0 : Math.min(1.0, (double) lastHour / budgetPerHour);
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final LlmProperties llm;

    public LlmUsage(NamedParameterJdbcTemplate jdbc, LlmProperties llm) {
        this.jdbc = jdbc;
        this.llm = llm;
    }

    public Usage since(Instant since) {
        Map<String, Long> byOutcome = new LinkedHashMap<>();
        for (String outcome : List.of("answered", "invalid", "failed")) {
            byOutcome.put(outcome, 0L);
        }
        jdbc.query("select outcome, count(*) from llm_calls where called_at >= :since group by outcome",
                Map.of("since", java.sql.Timestamp.from(since)),
                (RowCallbackHandler) rs -> byOutcome.put(rs.getString(1), rs.getLong(2)));
        Long hour = jdbc.queryForObject("select count(*) from llm_calls where called_at > now() - interval '1 hour'",
                Map.of(), Long.class);
        return new Usage(hour == null ? 0 : hour, llm.maxCallsPerHour(), byOutcome);
    }
}
