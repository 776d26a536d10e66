package io.logwarden.detect;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts of one window of one source: per template, per level, HTTP requests and 5xx answers, exception
 * classes, and the most frequent values of each influencer field, over every event and over the "bad" ones
 * (errors, warnings, authentication failures). Windows merge, so counts taken at a fine resolution can be summed
 * into the window length chosen later. One example event per template is kept while the window may still be
 * reported.
 *
 * <p>Not thread-safe.
 */
final class WindowStats {

    /** Distinct values kept per influencer field and window (exact below that, heavy hitters above). */
    static final int VALUES_PER_FIELD = 24;

    long index;
    long events;
    long errors;
    long warnings;
    long auth;
    /** Events that are errors, warnings or authentication failures (one count an event, whichever it is). */
    long badEvents;
    long requests;
    long serverErrors;
    final long[] levels = new long[Level.values().length];
    final Map<String, TemplateCount> templates = new HashMap<>();
    final Map<String, Long> exceptions = new LinkedHashMap<>(4);
    final Map<String, TopValues> allValues = new HashMap<>(8);
    final Map<String, TopValues> badValues = new HashMap<>(8);
    /**
     * The values of the error events alone: an error burst's influencers are weighed among its errors, not among
     * the 404s that came with them (badValues holds both).
     */
    final Map<String, TopValues> errorValues = new HashMap<>(4);
    /**
     * For each HTTP status the {@link CountJudge#judgedStatus status spike} judges (1xx, 3xx, 2xx but 200: rare
     * answers), the templates that carried it, with the first such event of each: what a redirect loop redirected.
     * Null until the window has one. Not stored with held windows: their spikes then name no templates.
     */
    Map<String, Map<String, TemplateCount>> statusTemplates;
    private boolean examples = true;
    /**
     * {@code allValues} and {@code badValues} of field {@code fields[i]} at {@code i}, for the {@code fields} array
     * {@link #add} was last given (the job's influencer names, one array): no look-up by name per event. The maps stay
     * what is read, merged and stored.
     */
    private String[] fieldsAt;
    private TopValues[] allAt;
    private TopValues[] badAt;
    private TopValues[] errorAt;

    WindowStats(long index) {
        this.index = index;
    }

    /** One template's counts in the window, with its first event as an example. */
    static final class TemplateCount {
        long count;
        long errors;
        long warnings;
        long auth;
        LogEvent example;
        /** The first error, warning or authentication failure of the template in the window. */
        LogEvent badExample;
        /**
         * Per {@link Measures} field, over the template's events that were no error, warning or authentication
         * failure (null until one had a value): how many had a value, their sum, and the event with the largest (kept
         * while examples are).
         */
        long[] valueCounts;
        double[] valueSums;
        double[] valueMax;
        LogEvent[] valueMaxExample;

        void addValues(double[] measured, LogEvent event, boolean keepExample) {
            for (int f = 0; f < measured.length; f++) {
                double v = measured[f];
                if (Double.isNaN(v)) continue;
                if (valueCounts == null) allocateValues(measured.length);
                valueCounts[f]++;
                valueSums[f] += v;
                if (valueCounts[f] == 1 || v > valueMax[f]) {
                    valueMax[f] = v;
                    if (keepExample) valueMaxExample[f] = event;
                }
            }
        }

        private void allocateValues(int fields) {
            valueCounts = new long[fields];
            valueSums = new double[fields];
            valueMax = new double[fields];
            valueMaxExample = new LogEvent[fields];
        }

        /** The mean of field {@code f} in the window, or NaN with fewer than {@code min} values. */
        double mean(int f, long min) {
            return valueCounts == null || valueCounts[f] < Math.max(min, 1) ? Double.NaN : valueSums[f] / valueCounts[f];
        }

        void mergeValues(TemplateCount o) {
            if (o.valueCounts == null) return;
            int k = o.valueCounts.length;
            if (valueCounts == null) allocateValues(k);
            for (int f = 0; f < k; f++) {
                if (o.valueCounts[f] == 0) continue;
                if (valueCounts[f] == 0 || o.valueMax[f] > valueMax[f]) {
                    valueMax[f] = o.valueMax[f];
                    valueMaxExample[f] = o.valueMaxExample[f];
                }
                valueCounts[f] += o.valueCounts[f];
                valueSums[f] += o.valueSums[f];
            }
        }

        boolean bad() {
            return errors + warnings + auth > 0;
        }
    }

    /**
     * @param fields   the influencer fields, {@code values} the event's values of them (null: none)
     * @param measured the event's {@link Measures} values (NaN: none)
     */
    void add(String templateId, LogEvent event, boolean error, boolean authFailure, String[] fields, String[] values,
             double[] measured) {
        events++;
        levels[event.level().ordinal()]++;
        TemplateCount c = templates.get(templateId);
        if (c == null) {
            c = new TemplateCount();
            templates.put(templateId, c);
        }
        c.count++;
        if (c.example == null && examples) {
            c.example = event;
        }
        boolean warning = event.level() == Level.WARN;
        // Values of successful events only: an error page's size or a timeout's time is the failure's to tell.
        if (measured.length > 0 && !error && !warning && !authFailure) c.addValues(measured, event, examples);
        if (error) {
            errors++;
            c.errors++;
        }
        if (warning) {
            warnings++;
            c.warnings++;
        }
        if (authFailure) {
            auth++;
            c.auth++;
        }
        String status = event.attributes().get("status");
        if (status != null && status.length() == 3) {
            requests++;
            if (status.charAt(0) == '5') serverErrors++;
            else if (status.charAt(0) != '4' && CountJudge.judgedStatus(status)) addStatus(status, templateId, event);
        }
        boolean bad = error || warning || authFailure;
        if (bad) badEvents++;
        if (bad && c.badExample == null && examples) {
            c.badExample = event;
        }
        if (values.length == 0) return;
        if (fields != fieldsAt) {
            fieldsAt = fields;
            allAt = new TopValues[fields.length];
            badAt = new TopValues[fields.length];
            errorAt = new TopValues[fields.length];
        }
        for (int i = 0; i < values.length; i++) {
            String value = values[i];
            if (value == null) continue;
            TopValues all = allAt[i];
            if (all == null) {
                all = allValues.computeIfAbsent(fields[i], k -> new TopValues(VALUES_PER_FIELD));
                allAt[i] = all;
            }
            all.add(value);
            if (bad) {
                TopValues b = badAt[i];
                if (b == null) {
                    b = badValues.computeIfAbsent(fields[i], k -> new TopValues(VALUES_PER_FIELD));
                    badAt[i] = b;
                }
                b.add(value);
            }
            if (error) {
                TopValues e = errorAt[i];
                if (e == null) {
                    e = errorValues.computeIfAbsent(fields[i], k -> new TopValues(VALUES_PER_FIELD));
                    errorAt[i] = e;
                }
                e.add(value);
            }
        }
    }

    private void addStatus(String status, String templateId, LogEvent event) {
        TemplateCount c = statusCount(status, templateId);
        c.count++;
        if (c.example == null && examples) c.example = event;
    }

    /** A template's count of answers with a status in {@link #statusTemplates}, made when missing. */
    private TemplateCount statusCount(String status, String templateId) {
        if (statusTemplates == null) statusTemplates = new HashMap<>(4);
        return statusTemplates.computeIfAbsent(status, k -> new HashMap<>(4))
                .computeIfAbsent(templateId, k -> new TemplateCount());
    }

    /** The templates that carried a status in the window, most first, at most eight (empty when none was seen). */
    Map<String, Long> statusParts(String status) {
        Map<String, Long> parts = new LinkedHashMap<>();
        Map<String, TemplateCount> byTemplate = statusTemplates == null ? null : statusTemplates.get(status);
        if (byTemplate == null) return parts;
        byTemplate.entrySet().stream().sorted(Map.Entry.comparingByValue(
                        java.util.Comparator.comparingLong((TemplateCount c) -> c.count).reversed()))
                .limit(8).forEach(e -> parts.put(e.getKey(), e.getValue().count));
        return parts;
    }

    /** The first event of a template answered with a status in the window, or null. */
    LogEvent statusExample(String status, String templateId) {
        Map<String, TemplateCount> byTemplate = statusTemplates == null ? null : statusTemplates.get(status);
        TemplateCount c = byTemplate == null ? null : byTemplate.get(templateId);
        return c == null ? null : c.example;
    }

    void addException(String name) {
        if (exceptions.size() < 20 || exceptions.containsKey(name)) {
            exceptions.merge(name, 1L, Long::sum);
        }
    }

    /** Adds the counts of another window (a neighbouring bucket) into this one. */
    void merge(WindowStats other) {
        events += other.events;
        errors += other.errors;
        warnings += other.warnings;
        auth += other.auth;
        badEvents += other.badEvents;
        requests += other.requests;
        serverErrors += other.serverErrors;
        for (int i = 0; i < levels.length; i++) levels[i] += other.levels[i];
        other.templates.forEach((id, o) -> {
            TemplateCount c = templates.computeIfAbsent(id, k -> new TemplateCount());
            c.count += o.count;
            c.errors += o.errors;
            c.warnings += o.warnings;
            c.auth += o.auth;
            if (c.example == null) c.example = o.example;
            if (c.badExample == null) c.badExample = o.badExample;
            c.mergeValues(o);
        });
        if (other.statusTemplates != null) {
            other.statusTemplates.forEach((status, byTemplate) -> byTemplate.forEach((id, o) -> {
                TemplateCount c = statusCount(status, id);
                c.count += o.count;
                if (c.example == null) c.example = o.example;
            }));
        }
        other.exceptions.forEach((k, v) -> exceptions.merge(k, v, Long::sum));
        other.allValues.forEach((f, v) -> allValues.computeIfAbsent(f, k -> new TopValues(VALUES_PER_FIELD)).merge(v));
        other.badValues.forEach((f, v) -> badValues.computeIfAbsent(f, k -> new TopValues(VALUES_PER_FIELD)).merge(v));
        other.errorValues.forEach((f, v) -> errorValues.computeIfAbsent(f, k -> new TopValues(VALUES_PER_FIELD)).merge(v));
    }

    /** {@link #busiest}'s answers, by field, while the window holds {@link #busiestEvents} events. */
    private Map<String, Long> busiest;
    private long busiestEvents = -1;

    /**
     * How many events the busiest value of an influencer field surely had in the window (0: none), kept until the
     * window's count changes: a window is judged against hundreds of others, each asked this.
     */
    long busiest(String field) {
        if (busiest == null || busiestEvents != events) {
            busiest = new HashMap<>(4);
            busiestEvents = events;
        }
        Long count = busiest.get(field);
        if (count == null) {
            TopValues values = allValues.get(field);
            count = values == null ? 0 : values.busiestCount();
            busiest.put(field, count);
        }
        return count;
    }

    long count(String templateId) {
        TemplateCount c = templates.get(templateId);
        return c == null ? 0 : c.count;
    }

    long level(Level level) {
        return levels[level.ordinal()];
    }

    /** Examples are dropped once the window can no longer be reported: memory stays bounded. */
    void dropExamples() {
        examples = false;
        for (TemplateCount c : templates.values()) {
            c.example = null;
            c.badExample = null;
            if (c.valueMaxExample != null) java.util.Arrays.fill(c.valueMaxExample, null);
        }
        if (statusTemplates != null) statusTemplates.values().forEach(m -> m.values().forEach(c -> c.example = null));
    }

    /** The window's counts as the Isolation Forest sees them. */
    WindowIsolationDetector.WindowCounts vector() {
        Map<String, Long> counts = new HashMap<>();
        templates.forEach((id, c) -> counts.put(id, c.count));
        Map<Level, Long> byLevel = new EnumMap<>(Level.class);
        for (Level level : Level.values()) {
            if (levels[level.ordinal()] > 0) byLevel.put(level, levels[level.ordinal()]);
        }
        return new WindowIsolationDetector.WindowCounts(counts, byLevel);
    }
}
