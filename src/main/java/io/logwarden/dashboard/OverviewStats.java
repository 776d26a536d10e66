package io.logwarden.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The overview's two figures the read model (store.*Queries) has no query for: events read per minute and calls to
 * the LLM provider against its hourly budget. One query each.
 */
@Component
class OverviewStats {

    private final JdbcClient jdbc;

    OverviewStats(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Events read per minute over the last {@code minutes} minutes (jobs counted at the minute they last moved). */
    List<Long> eventsPerMinute(int minutes) {
        long[] perMinute = new long[minutes];
        jdbc.sql("""
                select floor(extract(epoch from (now() - coalesce(finished_at, now()))) / 60)::int as ago, sum(lines_read)
                  from jobs where coalesce(finished_at, now()) > now() - make_interval(mins => :minutes)
                 group by 1""")
                .param("minutes", minutes)
                .query(rs -> {
                    int ago = rs.getInt(1);
                    if (ago >= 0 && ago < minutes) {
                        perMinute[minutes - 1 - ago] = rs.getLong(2);
                    }
                });
        List<Long> result = new ArrayList<>();
        for (long n : perMinute) {
            result.add(n);
        }
        return result;
    }

    public record LlmCalls(int lastHour, Map<String, Integer> byOutcome, int lastDay) {
    }

    /** Calls to the LLM provider in the rolling hour the budget counts, by outcome; and in the last day. */
    LlmCalls llmCalls() {
        Map<String, Integer> byOutcome = new LinkedHashMap<>();
        for (String outcome : List.of("answered", "invalid", "failed")) {
            byOutcome.put(outcome, 0);
        }
        int[] day = new int[1];
        jdbc.sql("""
                select outcome, count(*) filter (where called_at > now() - interval '1 hour'), count(*)
                  from llm_calls where called_at > now() - interval '1 day' group by outcome""")
                .query(rs -> {
                    byOutcome.put(rs.getString(1), rs.getInt(2));
                    day[0] += rs.getInt(3);
                });
        return new LlmCalls(byOutcome.values().stream().mapToInt(Integer::intValue).sum(), byOutcome, day[0]);
    }
}
