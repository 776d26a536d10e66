package io.logwarden.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logwarden.detect.Anomaly;
import io.logwarden.detect.Evidence;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The anomaly read model shared by the REST API and the dashboard: filtered lists with keyset (cursor) paging,
 * one anomaly with everything about it, counts for charts. Method names stay stable; new ones are added.
 */
@Repository
public class AnomalyQueries {

    /** The most a page holds, whatever is asked. */
    public static final int MAX_LIMIT = 500;

    public static final Set<String> SEVERITIES = Set.of("LOW", "MEDIUM", "HIGH", "CRITICAL");
    public static final Set<String> STATUSES = Set.of("open", "acknowledged", "false_positive");

    private static final TypeReference<List<Evidence>> EVIDENCE = new TypeReference<>() { };
    private static final TypeReference<List<Anomaly.Contributor>> CONTRIBUTORS = new TypeReference<>() { };
    private static final TypeReference<List<Anomaly.Influencer>> INFLUENCERS = new TypeReference<>() { };
    private static final TypeReference<List<Anomaly.Part>> PARTS = new TypeReference<>() { };

    private static final String SUMMARY_COLUMNS = """
            id, job_id, source, detector, score, severity, occurred_at, window_start, window_end, template_id, template,
            title, explanation, status, llm_summary, llm_model, created_at""";

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    public AnomalyQueries(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * One page of the anomalies matching {@code filter}, in {@code sort} order, after {@code cursor} (null: the first
     * page). A cursor is only valid with the sort it was made for.
     *
     * @throws InvalidParameterException naming {@code cursor}, {@code limit} or a filter parameter
     */
    public AnomalyPage search(AnomalyFilter filter, AnomalySort sort, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidParameterException("limit", "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        AnomalySort order = sort == null ? AnomalySort.NEWEST : sort;
        MapSqlParameterSource params = new MapSqlParameterSource();
        StringBuilder where = where(filter, params);
        if (cursor != null && !cursor.isBlank()) {
            Cursor after = Cursor.decode(cursor, order);
            params.addValue("kid", after.id());
            switch (order) {
                case NEWEST -> {
                    where.append(" and (occurred_at, id) < (:kt, :kid)");
                    params.addValue("kt", Timestamp.from(after.time()));
                }
                case OLDEST -> {
                    where.append(" and (occurred_at, id) > (:kt, :kid)");
                    params.addValue("kt", Timestamp.from(after.time()));
                }
                case SCORE -> {
                    where.append(" and (score, id) < (:ks, :kid)");
                    params.addValue("ks", after.score());
                }
            }
        }
        params.addValue("limit", limit + 1);
        List<AnomalySummary> rows = jdbc.query("select " + SUMMARY_COLUMNS + " from anomalies" + where + orderBy(order)
                + " limit :limit", params, AnomalyQueries::summary);
        String next = null;
        if (rows.size() > limit) {
            rows = new ArrayList<>(rows.subList(0, limit));
            next = Cursor.after(rows.get(rows.size() - 1), order);
        }
        return new AnomalyPage(List.copyOf(rows), next, order.id());
    }

    /** How many anomalies match. */
    public long count(AnomalyFilter filter) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        Long n = jdbc.queryForObject("select count(*) from anomalies" + where(filter, params), params, Long.class);
        return n == null ? 0 : n;
    }

    /** Every anomaly matching, in order, at most {@code max} (for CSV exports); rows are handed over one at a time. */
    public void forEach(AnomalyFilter filter, AnomalySort sort, int max, Consumer<AnomalySummary> each) {
        AnomalySort order = sort == null ? AnomalySort.NEWEST : sort;
        MapSqlParameterSource params = new MapSqlParameterSource();
        StringBuilder where = where(filter, params);
        params.addValue("limit", max);
        int[] row = {0};
        jdbc.query("select " + SUMMARY_COLUMNS + " from anomalies" + where + orderBy(order) + " limit :limit", params,
                (RowCallbackHandler) rs -> each.accept(summary(rs, row[0]++)));
    }

    /** One anomaly with its evidence, influencers, LLM answer and status history. */
    public Optional<AnomalyDetail> find(long id) {
        List<AnomalyDetail> found = jdbc.query("select * from anomalies where id = :id", Map.of("id", id),
                (rs, i) -> detail(rs));
        return found.stream().findFirst().map(d -> withHistory(d, history(id)));
    }

    /** Status changes of one anomaly, oldest first. */
    public List<StatusChange> history(long anomalyId) {
        return jdbc.query("""
                select from_status, to_status, note, changed_by, changed_at, feedback,
                       extract(epoch from suppress_for)::bigint as suppress_seconds, influencer
                  from anomaly_status_history where anomaly_id = :id order by id""", Map.of("id", anomalyId),
                (rs, i) -> {
                    long seconds = rs.getLong("suppress_seconds");
                    Duration suppressFor = rs.wasNull() ? null : Duration.ofSeconds(seconds);
                    return new StatusChange(rs.getString("from_status"), rs.getString("to_status"), rs.getString("note"),
                            rs.getString("changed_by"), instant(rs, "changed_at"), rs.getString("feedback"), suppressFor,
                            rs.getString("influencer"));
                });
    }

    /**
     * The anomalies of the same source within {@code span} either side of this one's time, in time order (this one
     * included): the timeline around it. Empty for an unknown id.
     */
    public List<AnomalySummary> around(long id, Duration span, int max) {
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("id", id)
                .addValue("span", span.toSeconds()).addValue("max", Math.max(1, Math.min(max, MAX_LIMIT)));
        return jdbc.query("""
                select a.id, a.job_id, a.source, a.detector, a.score, a.severity, a.occurred_at, a.window_start,
                       a.window_end, a.template_id, a.template, a.title, a.explanation, a.status, a.llm_summary,
                       a.llm_model, a.created_at
                  from anomalies self
                  join anomalies a on a.source = self.source
                   and a.occurred_at between self.occurred_at - make_interval(secs => :span)
                                         and self.occurred_at + make_interval(secs => :span)
                 where self.id = :id
                 order by abs(extract(epoch from a.occurred_at - self.occurred_at)), a.id
                 limit :max""", params, AnomalyQueries::summary)
                .stream().sorted(java.util.Comparator.comparing(AnomalySummary::occurredAt)
                        .thenComparingLong(AnomalySummary::id)).toList();
    }

    /** Anomalies per severity (Critical first, zeros included) among those matching. */
    public Map<String, Long> countBySeverity(AnomalyFilter filter) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String s : List.of("CRITICAL", "HIGH", "MEDIUM", "LOW")) {
            counts.put(s, 0L);
        }
        MapSqlParameterSource params = new MapSqlParameterSource();
        jdbc.query("select severity, count(*) from anomalies" + where(filter, params) + " group by severity", params,
                (RowCallbackHandler) rs -> counts.put(rs.getString(1), rs.getLong(2)));
        return counts;
    }

    /** A point of a chart: in the bucket starting at {@code start}, how many anomalies of each severity. */
    public record SeverityBucket(Instant start, Map<String, Long> counts) {
    }

    /**
     * Anomalies over time by severity: buckets of {@code bucket} from {@code from} (inclusive) to {@code to}
     * (exclusive), empty buckets included, by the time the anomalies occurred.
     */
    public List<SeverityBucket> severityOverTime(Instant from, Instant to, Duration bucket) {
        if (bucket.isZero() || bucket.isNegative()) {
            throw new InvalidParameterException("bucket", "bucket must be positive");
        }
        if (!to.isAfter(from)) {
            throw new InvalidParameterException("to", "to must be after from");
        }
        long seconds = bucket.toSeconds();
        long n = Math.min(1000, (Duration.between(from, to).toSeconds() + seconds - 1) / seconds);
        Map<Long, Map<String, Long>> buckets = new LinkedHashMap<>();
        for (long i = 0; i < n; i++) {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String s : List.of("CRITICAL", "HIGH", "MEDIUM", "LOW")) {
                counts.put(s, 0L);
            }
            buckets.put(i, counts);
        }
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("from", Timestamp.from(from))
                .addValue("to", Timestamp.from(to)).addValue("seconds", seconds);
        jdbc.query("""
                select floor(extract(epoch from occurred_at - :from) / :seconds)::bigint as b, severity, count(*)
                  from anomalies where occurred_at >= :from and occurred_at < :to group by 1, 2""", params,
                (RowCallbackHandler) rs -> {
                    Map<String, Long> counts = buckets.get(rs.getLong(1));
                    if (counts != null) {
                        counts.put(rs.getString(2), rs.getLong(3));
                    }
                });
        List<SeverityBucket> out = new ArrayList<>();
        buckets.forEach((i, counts) -> out.add(new SeverityBucket(from.plusSeconds(i * seconds), counts)));
        return out;
    }

    /** Distinct values seen, for filter choices: sources and detectors that have anomalies. */
    public List<String> sources() {
        return jdbc.queryForList("select distinct source from anomalies order by source", Map.of(), String.class);
    }

    public List<String> detectors() {
        return jdbc.queryForList("select distinct detector from anomalies order by detector", Map.of(), String.class);
    }

    private static StringBuilder where(AnomalyFilter f, MapSqlParameterSource params) {
        AnomalyFilter filter = f == null ? AnomalyFilter.all() : f;
        StringBuilder where = new StringBuilder(" where true");
        if (!filter.severities().isEmpty()) {
            for (String s : filter.severities()) {
                if (!SEVERITIES.contains(s)) {
                    throw new InvalidParameterException("severity", "unknown severity '" + s + "': one of low, medium, high, critical");
                }
            }
            where.append(" and severity in (:severities)");
            params.addValue("severities", filter.severities());
        }
        if (!filter.statuses().isEmpty()) {
            for (String s : filter.statuses()) {
                if (!STATUSES.contains(s) && !s.equals("suppressed")) { // suppressed: set by detection's rules (issue 13)
                    throw new InvalidParameterException("status", "unknown status '" + s + "': one of open, acknowledged, false_positive, suppressed");
                }
            }
            where.append(" and status in (:statuses)");
            params.addValue("statuses", filter.statuses());
        }
        if (!filter.sources().isEmpty()) {
            where.append(" and source in (:sources)");
            params.addValue("sources", filter.sources());
        }
        if (!filter.detectors().isEmpty()) {
            where.append(" and detector in (:detectors)");
            params.addValue("detectors", filter.detectors());
        }
        if (filter.from() != null && filter.to() != null && !filter.to().isAfter(filter.from())) {
            throw new InvalidParameterException("to", "to (" + filter.to() + ") must be after from (" + filter.from() + ")");
        }
        if (filter.from() != null) {
            where.append(" and occurred_at >= :from");
            params.addValue("from", Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            where.append(" and occurred_at < :to");
            params.addValue("to", Timestamp.from(filter.to()));
        }
        if (filter.q() != null) {
            where.append(" and (title ilike :q or explanation ilike :q or coalesce(template, '') ilike :q"
                    + " or coalesce(llm_summary, '') ilike :q or coalesce(template_id, '') ilike :q)");
            params.addValue("q", "%" + filter.q().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (filter.jobId() != null) {
            where.append(" and job_id = :jobId");
            params.addValue("jobId", filter.jobId());
        }
        return where;
    }

    private static String orderBy(AnomalySort sort) {
        return switch (sort) {
            case NEWEST -> " order by occurred_at desc, id desc";
            case OLDEST -> " order by occurred_at asc, id asc";
            case SCORE -> " order by score desc, id desc";
        };
    }

    static AnomalySummary summary(ResultSet rs, int row) throws SQLException {
        return new AnomalySummary(rs.getLong("id"), rs.getLong("job_id"), rs.getString("source"), rs.getString("detector"),
                rs.getDouble("score"), rs.getString("severity"), instant(rs, "occurred_at"), instant(rs, "window_start"),
                instant(rs, "window_end"), rs.getString("template_id"), rs.getString("template"), rs.getString("title"),
                rs.getString("explanation"), rs.getString("status"), rs.getString("llm_summary"),
                rs.getString("llm_model"), instant(rs, "created_at"));
    }

    private AnomalyDetail detail(ResultSet rs) throws SQLException {
        try {
            return new AnomalyDetail(rs.getLong("id"), rs.getLong("job_id"), rs.getString("source"),
                    rs.getString("detector"), rs.getDouble("score"), rs.getString("severity"), instant(rs, "occurred_at"),
                    instant(rs, "window_start"), instant(rs, "window_end"), rs.getString("template_id"),
                    rs.getString("template"), rs.getString("title"), rs.getString("explanation"), rs.getString("details"),
                    rs.getDouble("expected"), rs.getDouble("observed"),
                    json.readValue(rs.getString("evidence"), EVIDENCE),
                    json.readValue(rs.getString("contributors"), CONTRIBUTORS),
                    json.readValue(rs.getString("influencers"), INFLUENCERS),
                    json.readValue(rs.getString("parts"), PARTS),
                    AnomalyRepository.enrichment(rs, json), rs.getString("status"), rs.getString("status_note"),
                    rs.getString("status_by"),
                    instant(rs, "status_at"), instant(rs, "created_at"), List.of());
        } catch (JsonProcessingException e) {
            throw new SQLException("anomaly " + rs.getLong("id") + " has unreadable JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static AnomalyDetail withHistory(AnomalyDetail d, List<StatusChange> history) {
        return new AnomalyDetail(d.id(), d.jobId(), d.source(), d.detector(), d.score(), d.severity(), d.occurredAt(),
                d.windowStart(), d.windowEnd(), d.templateId(), d.template(), d.title(), d.explanation(), d.details(),
                d.expected(), d.observed(), d.evidence(), d.contributors(), d.influencers(), d.parts(), d.llm(),
                d.status(), d.statusNote(), d.statusBy(), d.statusAt(), d.createdAt(), List.copyOf(history));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    /** Where a page ended: the sort key of its last row and its id, opaque to clients (base64url). */
    record Cursor(AnomalySort sort, Instant time, double score, long id) {

        static String after(AnomalySummary last, AnomalySort sort) {
            String key = sort == AnomalySort.SCORE ? Double.toString(last.score())
                    : Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, last.occurredAt()));
            String raw = "1:" + sort.id() + ":" + key + ":" + last.id();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor, AnomalySort expected) {
            String[] parts;
            try {
                parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            } catch (IllegalArgumentException e) {
                throw new InvalidParameterException("cursor", "cursor is not one this API gave out");
            }
            if (parts.length != 4 || !parts[0].equals("1")) {
                throw new InvalidParameterException("cursor", "cursor is not one this API gave out");
            }
            AnomalySort sort = AnomalySort.of(parts[1]).orElseThrow(
                    () -> new InvalidParameterException("cursor", "cursor is not one this API gave out"));
            if (sort != expected) {
                throw new InvalidParameterException("cursor", "cursor was made for sort=" + sort.id()
                        + ", not sort=" + expected.id() + ": start again without a cursor");
            }
            try {
                long id = Long.parseLong(parts[3]);
                if (sort == AnomalySort.SCORE) {
                    return new Cursor(sort, null, Double.parseDouble(parts[2]), id);
                }
                return new Cursor(sort, Instant.EPOCH.plus(Long.parseLong(parts[2]), ChronoUnit.MICROS), 0, id);
            } catch (NumberFormatException e) {
                throw new InvalidParameterException("cursor", "cursor is not one this API gave out");
            }
        }
    }
}
