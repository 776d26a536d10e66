package io.logwarden.dashboard;

import java.util.List;
import org.springframework.stereotype.Component;

/** The anomalies the pages show, from the store's read model. */
@Component
class AnomalyViews {

    private final org.springframework.jdbc.core.simple.JdbcClient jdbc;

    AnomalyViews(org.springframework.jdbc.core.simple.JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The open anomalies that matter most: highest severity and score first. */
    List<DashboardQueries.AnomalyRow> openIncidents(int limit) {
        return jdbc.sql("""
                select id, severity, detector, score, title, status, window_start from anomalies where status = 'open'
                 order by score desc, id desc limit :limit""")
                .param("limit", limit)
                .query((rs, i) -> new DashboardQueries.AnomalyRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getDouble(4), rs.getString(5), rs.getString(6),
                        rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant()))
                .list();
    }
}
