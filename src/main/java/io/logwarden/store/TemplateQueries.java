package io.logwarden.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Mined templates per source, for the API and the dashboard. */
@Repository
public class TemplateQueries {

    public static final int MAX_LIMIT = 1000;

    /**
     * One template.
     *
     * @param example a line of it: from an anomaly's evidence when one showed it, else the first line of it a job saw
     */
    public record TemplateView(String source, String id, String pattern, long count, Instant firstSeen, Instant lastSeen,
                               String example) {
    }

    /** A source's templates in a few figures. */
    public record SourceTemplates(String source, long templates, long events, Instant lastSeen) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    public TemplateQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Sources that have templates, by name. */
    public List<SourceTemplates> sources() {
        return jdbc.query("""
                select source, count(*), coalesce(sum(count), 0), max(last_seen) from templates
                 group by source order by source""", Map.of(),
                (rs, i) -> new SourceTemplates(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        AnomalyQueries.instant(rs, "max")));
    }

    /**
     * A source's templates, most frequent first (then by id), from {@code offset}; null source: all sources.
     *
     * @throws InvalidParameterException naming {@code limit} or {@code offset}
     */
    public List<TemplateView> forSource(String source, int offset, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidParameterException("limit", "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (offset < 0) {
            throw new InvalidParameterException("offset", "offset must not be negative");
        }
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("limit", limit).addValue("offset", offset);
        String where = "";
        if (source != null && !source.isBlank()) {
            where = " where t.source = :source";
            params.addValue("source", source);
        }
        return jdbc.query("""
                select t.source, t.id, t.pattern, t.count, t.first_seen, t.last_seen,
                       coalesce((select e ->> 'text' from anomalies a, jsonb_array_elements(a.evidence) e
                                  where a.source = t.source and e ->> 'templateId' = t.id limit 1), t.example) as example
                  from templates t""" + where + " order by t.count desc, t.source, t.id limit :limit offset :offset",
                params, (rs, i) -> new TemplateView(rs.getString("source"), rs.getString("id"), rs.getString("pattern"),
                        rs.getLong("count"), AnomalyQueries.instant(rs, "first_seen"),
                        AnomalyQueries.instant(rs, "last_seen"), rs.getString("example")));
    }

    /** How many templates a source has (all sources for null). */
    public long count(String source) {
        if (source == null || source.isBlank()) {
            Long n = jdbc.queryForObject("select count(*) from templates", Map.of(), Long.class);
            return n == null ? 0 : n;
        }
        Long n = jdbc.queryForObject("select count(*) from templates where source = :source", Map.of("source", source),
                Long.class);
        return n == null ? 0 : n;
    }
}
