package io.logwarden.detect;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What detection found in one job, with the statistics a report shows beside it.
 *
 * @param lateEvents   events that arrived after their window had been judged (input out of time order by more than
 *                     the lateness allowance): counted, but not judged
 * @param levels       events per level name
 * @param windowSeconds the counting window's length
 * @param windowChoice how the window was chosen: configured, kept for the source, or from this input's data
 * @param timeline     events and errors per window, in time order
 * @param topTemplates the job's most frequent templates
 * @param templates    distinct templates seen in the job
 * @param newTemplates templates the source had not seen before this job
 * @param checks       each detector, whether it ran on this input, and why not
 */
public record DetectionResult(
        String source,
        long events,
        long lateEvents,
        Map<String, Long> levels,
        Instant firstEvent,
        Instant lastEvent,
        long windowSeconds,
        String windowChoice,
        List<TimelinePoint> timeline,
        List<TemplateStat> topTemplates,
        int templates,
        int newTemplates,
        List<Anomaly> anomalies,
        List<Check> checks) {

    /** The same result with its anomalies replaced (enriched), in the same order. */
    public DetectionResult withAnomalies(List<Anomaly> replaced) {
        return new DetectionResult(source, events, lateEvents, levels, firstEvent, lastEvent, windowSeconds,
                windowChoice, timeline, topTemplates, templates, newTemplates, List.copyOf(replaced), checks);
    }

    public record TimelinePoint(Instant start, long events, long errors) {
    }

    public record TemplateStat(String id, String pattern, long count, boolean isNew) {
    }

    /**
     * One detector's part in a job: it ran (with what it had), or was skipped and why ("needs 30 windows, this
     * input has 12").
     */
    public record Check(String detector, boolean ran, String note) {
    }
}
