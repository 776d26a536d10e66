package io.logwarden.detect;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What detection found in one job, with the statistics a report shows beside it.
 *
 * @param lateEvents   events that arrived after their window had been judged (input out of time order by more than
 *                     one window): counted and shown on the timeline, but not judged
 * @param levels       events per level name
 * @param timeline     events and errors per window, in time order
 * @param topTemplates the job's most frequent templates
 * @param templates    distinct templates seen in the job
 * @param newTemplates templates first seen in this job after the source's learning period
 */
public record DetectionResult(
        String source,
        long events,
        long lateEvents,
        Map<String, Long> levels,
        Instant firstEvent,
        Instant lastEvent,
        long windowSeconds,
        List<TimelinePoint> timeline,
        List<TemplateStat> topTemplates,
        int templates,
        int newTemplates,
        List<Anomaly> anomalies) {

    /** The same result with its anomalies replaced (enriched), in the same order. */
    public DetectionResult withAnomalies(List<Anomaly> replaced) {
        return new DetectionResult(source, events, lateEvents, levels, firstEvent, lastEvent, windowSeconds, timeline,
                topTemplates, templates, newTemplates, List.copyOf(replaced));
    }

    public record TimelinePoint(Instant start, long events, long errors) {
    }

    public record TemplateStat(String id, String pattern, long count, boolean isNew) {
    }
}
