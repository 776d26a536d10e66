package io.logwarden.dashboard;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The overview's one figure the read model (store.*Queries) has no query for: events read per minute. */
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
}
