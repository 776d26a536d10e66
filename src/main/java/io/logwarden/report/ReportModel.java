package io.logwarden.report;

import io.logwarden.detect.Anomaly;
import io.logwarden.detect.DetectionResult;
import io.logwarden.detect.Enrichment;
import io.logwarden.event.ExchangeHeaders;
import io.logwarden.event.Severity;
import io.logwarden.store.Job;
import io.logwarden.store.JobRepository;
import io.logwarden.store.QuarantineRepository;
import io.logwarden.config.ReportProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Builds the report document, version {@value #SCHEMA_VERSION}: the JSON report is this document as is (its
 * schema is {@code report-schema.json}), and the HTML report renders it. Field names are stable; new fields may
 * be added, none renamed or removed without a new schema version.
 */
@Component("reportModel")
public class ReportModel {

    public static final int SCHEMA_VERSION = 1;
    /** The timeline never has more points than this: long inputs are bucketed so reports stay small. */
    static final int MAX_TIMELINE_POINTS = 240;
    private static final int QUARANTINE_SAMPLES = 20;

    private final JobRepository jobs;
    private final QuarantineRepository quarantine;
    private final ReportProperties props;
    private final Clock clock;

    public ReportModel(JobRepository jobs, QuarantineRepository quarantine, ReportProperties props, Clock clock) {
        this.jobs = jobs;
        this.quarantine = quarantine;
        this.props = props;
        this.clock = clock;
    }

    public Map<String, Object> build(DetectionResult result, @Header(ExchangeHeaders.JOB_ID) long jobId) {
        Job job = jobs.find(jobId).orElseThrow(() -> new IllegalStateException("job " + jobId + " does not exist"));
        return document(result, job, quarantine.firstForJob(jobId, QUARANTINE_SAMPLES));
    }

    /**
     * The report document of a job and its first quarantined records, from nothing stored: the start-up warm-up makes
     * one for a job of generated lines, so that the first real report does not wait for its code to be compiled.
     */
    public Map<String, Object> document(DetectionResult result, Job job, List<QuarantineRepository.Entry> quarantined) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", SCHEMA_VERSION);
        doc.put("generatedAt", clock.instant().toString());
        doc.put("job", job(job));
        doc.put("summary", summary(result.anomalies()));
        doc.put("statistics", statistics(result));
        doc.put("timeline", timeline(result));
        doc.put("anomalies", anomalies(result.anomalies()));
        doc.put("checks", checks(result));
        doc.put("enrichment", enrichment(result.anomalies()));
        doc.put("quarantine", quarantine(job.eventsQuarantined(), quarantined));
        return doc;
    }

    private static Map<String, Object> job(Job job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", job.id());
        m.put("source", job.source());
        m.put("input", job.input());
        m.put("trigger", job.trigger());
        m.put("format", job.format());
        m.put("startedAt", iso(job.startedAt()));
        m.put("linesRead", job.linesRead());
        m.put("eventsParsed", job.eventsParsed());
        m.put("eventsQuarantined", job.eventsQuarantined());
        m.put("warnings", job.warnings());
        return m;
    }

    private static Map<String, Object> summary(List<Anomaly> anomalies) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, 0);
        }
        Severity highest = null;
        for (Anomaly a : anomalies) {
            counts.merge(a.severity(), 1, Integer::sum);
            if (highest == null || a.severity().compareTo(highest) > 0) {
                highest = a.severity();
            }
        }
        Map<String, Object> bySeverity = new LinkedHashMap<>();
        for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)) {
            bySeverity.put(s.name(), counts.get(s));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("anomalies", anomalies.size());
        m.put("bySeverity", bySeverity);
        m.put("highestSeverity", highest == null ? null : highest.name());
        m.put("suppressed", anomalies.stream().filter(Anomaly::isSuppressed).count());
        return m;
    }

    private static Map<String, Object> statistics(DetectionResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", r.events());
        m.put("lateEvents", r.lateEvents());
        m.put("firstEvent", iso(r.firstEvent()));
        m.put("lastEvent", iso(r.lastEvent()));
        long seconds = r.firstEvent() == null ? 0 : Duration.between(r.firstEvent(), r.lastEvent()).toSeconds();
        m.put("durationSeconds", seconds);
        double minutes = Math.max(seconds / 60.0, r.windowSeconds() / 60.0);
        m.put("eventsPerMinute", round(r.events() / Math.max(minutes, 1.0 / 60)));
        long peak = r.timeline().stream().mapToLong(DetectionResult.TimelinePoint::events).max().orElse(0);
        m.put("peakEventsPerWindow", peak);
        m.put("windowSeconds", r.windowSeconds());
        m.put("window", r.windowChoice());
        m.put("levels", r.levels());
        m.put("templates", r.templates());
        m.put("newTemplates", r.newTemplates());
        List<Map<String, Object>> top = new ArrayList<>();
        for (DetectionResult.TemplateStat t : r.topTemplates()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("id", t.id());
            tm.put("pattern", t.pattern());
            tm.put("count", t.count());
            tm.put("share", r.events() == 0 ? 0 : round(100.0 * t.count() / r.events()));
            tm.put("new", t.isNew());
            top.add(tm);
        }
        m.put("topTemplates", top);
        return m;
    }

    /** Events and errors over time, merged into at most {@link #MAX_TIMELINE_POINTS} equal buckets. */
    static Map<String, Object> timeline(DetectionResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> points = new ArrayList<>();
        long bucketSeconds = r.windowSeconds();
        if (!r.timeline().isEmpty()) {
            long first = r.timeline().get(0).start().getEpochSecond();
            long last = r.timeline().get(r.timeline().size() - 1).start().getEpochSecond();
            long windows = (last - first) / r.windowSeconds() + 1;
            long factor = Math.max(1, (windows + MAX_TIMELINE_POINTS - 1) / MAX_TIMELINE_POINTS);
            bucketSeconds = r.windowSeconds() * factor;
            long[][] buckets = new long[(int) ((windows + factor - 1) / factor)][2];
            for (DetectionResult.TimelinePoint p : r.timeline()) {
                int i = (int) ((p.start().getEpochSecond() - first) / bucketSeconds);
                buckets[i][0] += p.events();
                buckets[i][1] += p.errors();
            }
            for (int i = 0; i < buckets.length; i++) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("start", Instant.ofEpochSecond(first + i * bucketSeconds).toString());
                point.put("events", buckets[i][0]);
                point.put("errors", buckets[i][1]);
                points.add(point);
            }
        }
        m.put("bucketSeconds", bucketSeconds);
        m.put("points", points);
        return m;
    }

    /** Each detector: ran, or skipped and why. */
    static List<Map<String, Object>> checks(DetectionResult r) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (DetectionResult.Check c : r.checks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("detector", c.detector());
            m.put("ran", c.ran());
            m.put("note", c.note());
            list.add(m);
        }
        return list;
    }

    private List<Map<String, Object>> anomalies(List<Anomaly> anomalies) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Anomaly a : anomalies.subList(0, Math.min(anomalies.size(), props.maxAnomalies()))) {
            list.add(anomaly(a));
        }
        return list;
    }

    /** One anomaly as the reports (and the command line) write it; field names are part of the schema. */
    public static Map<String, Object> anomaly(Anomaly a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", a.source());
        m.put("detector", a.detector().id());
        m.put("score", a.score());
        m.put("severity", a.severity().name());
        m.put("windowStart", iso(a.windowStart()));
        m.put("windowEnd", iso(a.windowEnd()));
        m.put("templateId", a.templateId());
        m.put("template", a.template());
        m.put("title", a.title());
        m.put("explanation", a.explanation());
        m.put("expected", a.expected());
        m.put("observed", a.observed());
        List<Map<String, Object>> contributors = new ArrayList<>();
        for (Anomaly.Contributor c : a.contributors()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("templateId", c.templateId());
            cm.put("template", c.template());
            cm.put("count", c.count());
            contributors.add(cm);
        }
        m.put("contributors", contributors);
        List<Map<String, Object>> influencers = new ArrayList<>();
        for (Anomaly.Influencer i : a.influencers()) {
            Map<String, Object> im = new LinkedHashMap<>();
            im.put("field", i.field());
            im.put("value", i.value());
            im.put("count", i.count());
            im.put("of", i.of());
            im.put("baselineShare", round(100 * i.baselineShare()) / 100.0);
            im.put("text", i.text());
            influencers.add(im);
        }
        m.put("influencers", influencers);
        List<Map<String, Object>> parts = new ArrayList<>();
        for (Anomaly.Part p : a.parts()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("detector", p.detector().id());
            pm.put("title", p.title());
            pm.put("score", p.score());
            pm.put("windowStart", iso(p.windowStart()));
            pm.put("windowEnd", iso(p.windowEnd()));
            parts.add(pm);
        }
        m.put("parts", parts);
        m.put("details", a.details());
        // Suppressed: an operator's rule matched it; it is kept and shown, but not alerted. Absent otherwise.
        if (a.isSuppressed()) {
            m.put("status", "suppressed");
            m.put("suppressionRule", a.suppressedBy());
        }
        List<Map<String, Object>> evidence = new ArrayList<>();
        a.evidence().forEach(e -> {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("ref", e.ref());
            em.put("timestamp", iso(e.timestamp()));
            em.put("level", e.level());
            em.put("text", e.text());
            evidence.add(em);
        });
        m.put("evidence", evidence);
        if (a.enrichment() != null) {
            m.put("enrichment", enrichment(a.enrichment()));
        }
        return m;
    }

    private static Map<String, Object> enrichment(Enrichment e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", e.status());
        m.put("reason", e.reason());
        m.put("summary", e.summary());
        m.put("probableCause", e.probableCause());
        m.put("recommendedActions", e.recommendedActions());
        m.put("severityAdjustment", e.severityAdjustment());
        m.put("model", e.model());
        m.put("cached", e.cached());
        return m;
    }

    /** The job-level view: how many anomalies were enriched, skipped or failed, and why. */
    static Map<String, Object> enrichment(List<Anomaly> anomalies) {
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        for (String status : List.of(Enrichment.ENRICHED, Enrichment.SKIPPED, Enrichment.FAILED)) {
            byStatus.put(status, 0);
        }
        Map<String, Map<String, Object>> reasons = new LinkedHashMap<>();
        java.util.Set<String> models = new java.util.TreeSet<>();
        int cached = 0;
        for (Anomaly a : anomalies) {
            Enrichment e = a.enrichment();
            if (e == null) {
                continue;
            }
            byStatus.merge(e.status(), 1, Integer::sum);
            if (e.model() != null) {
                models.add(e.model());
            }
            if (e.cached()) {
                cached++;
            }
            if (e.reason() != null) {
                Map<String, Object> r = reasons.computeIfAbsent(e.status() + "\n" + e.reason(), k -> {
                    Map<String, Object> rm = new LinkedHashMap<>();
                    rm.put("status", e.status());
                    rm.put("reason", e.reason());
                    rm.put("anomalies", 0);
                    return rm;
                });
                r.merge("anomalies", 1, (x, y) -> (Integer) x + (Integer) y);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>(byStatus);
        m.put("cached", cached);
        m.put("models", List.copyOf(models));
        m.put("reasons", List.copyOf(reasons.values()));
        return m;
    }

    /** The quarantine section of a job: its count and the first quarantined records. */
    private static Map<String, Object> quarantine(long count, List<QuarantineRepository.Entry> first) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        List<Map<String, Object>> samples = new ArrayList<>();
        for (QuarantineRepository.Entry e : first) {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("ref", e.line() > 0 ? e.origin() + ":" + e.line() : e.origin());
            em.put("reason", e.reason());
            String raw = e.raw();
            em.put("raw", raw.length() > 500 ? raw.substring(0, 500) + " …" : raw);
            samples.add(em);
        }
        m.put("samples", samples);
        return m;
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
