package io.logwarden.dashboard;

import io.logwarden.store.AnomalyQueries;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Server-rendered SVG charts: the geometry is computed here, the template only draws rectangles (classes give the
 * colours), so the charts need no script and no style attribute.
 */
final class Charts {

    static final int WIDTH = 800;
    static final int HEIGHT = 200;
    static final int LEFT = 40;
    static final int BOTTOM = 24;

    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private Charts() {
    }

    /** One rectangle, its CSS class and its tooltip. */
    public record Bar(int x, int y, int width, int height, String css, String title) {
    }

    public record Label(int x, int y, String text, String anchor) {
    }

    public record Chart(int width, int height, List<Bar> bars, List<Label> labels, int max) {
    }

    /** Stacked bars per time bucket of {@code width}, Critical at the bottom. */
    static Chart anomalies(List<AnomalyQueries.SeverityBucket> buckets, Duration width) {
        long max = Math.max(1, buckets.stream().mapToLong(Charts::total).max().orElse(1));
        int plot = HEIGHT - BOTTOM - 8;
        double slot = (WIDTH - LEFT) / (double) Math.max(1, buckets.size());
        List<Bar> bars = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            AnomalyQueries.SeverityBucket b = buckets.get(i);
            int x = LEFT + (int) Math.round(i * slot) + 1;
            int w = Math.max(1, (int) Math.floor(slot) - 2);
            int bottom = HEIGHT - BOTTOM;
            for (Map.Entry<String, Long> e : b.counts().entrySet()) {
                if (e.getValue() == 0) {
                    continue;
                }
                int h = Math.max(1, (int) Math.round(e.getValue() * plot / (double) max));
                bottom -= h;
                bars.add(new Bar(x, bottom, w, h, e.getKey().toLowerCase(), e.getValue() + " " + e.getKey().toLowerCase()
                        + " from " + LABEL.format(b.start()) + " to " + LABEL.format(b.start().plus(width)) + " UTC"));
            }
            if (i == 0 || i == buckets.size() - 1 || i == buckets.size() / 2) {
                labels.add(new Label(x + w / 2, HEIGHT - 6, LABEL.format(b.start()),
                        i == 0 ? "start" : i == buckets.size() - 1 ? "end" : "middle"));
            }
        }
        labels.add(new Label(LEFT - 4, 14, String.valueOf(max), "end"));
        labels.add(new Label(LEFT - 4, HEIGHT - BOTTOM, "0", "end"));
        return new Chart(WIDTH, HEIGHT, bars, labels, (int) Math.min(Integer.MAX_VALUE, max));
    }

    private static long total(AnomalyQueries.SeverityBucket b) {
        return b.counts().values().stream().mapToLong(Long::longValue).sum();
    }

    /** A bar per minute, the latest on the right. */
    static Chart perMinute(List<Long> values) {
        long max = Math.max(1, values.stream().mapToLong(Long::longValue).max().orElse(1));
        int width = 320;
        int left = 36;
        int height = 90;
        int plot = height - 20;
        double slot = (width - left) / (double) Math.max(1, values.size());
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            long v = values.get(i);
            if (v == 0) {
                continue;
            }
            int h = Math.max(1, (int) Math.round(v * plot / (double) max));
            int ago = values.size() - 1 - i;
            bars.add(new Bar(left + (int) Math.round(i * slot), height - 14 - h, Math.max(1, (int) Math.floor(slot) - 1), h,
                    "events", v + " events read " + (ago == 0 ? "this minute" : ago + " min ago")));
        }
        List<Label> labels = List.of(new Label(left - 4, 12, String.valueOf(max), "end"),
                new Label(left, height - 2, values.size() + " min ago", "start"), new Label(width, height - 2, "now", "end"));
        return new Chart(width, height, bars, labels, (int) Math.min(Integer.MAX_VALUE, max));
    }

    /** A dot per anomaly on a line from {@code at - span} to {@code at + span}; this one is marked. */
    public record Dot(int x, int y, String css, long id, String title) {
    }

    public record Timeline(int width, int height, List<Dot> dots, List<Label> labels) {
    }

    static Timeline timeline(List<io.logwarden.store.AnomalySummary> around, long current, java.time.Instant at, Duration span) {
        int width = 600;
        int height = 50;
        java.time.Instant from = at.minus(span);
        double scale = (width - 20) / (double) span.multipliedBy(2).toMillis();
        List<Dot> dots = new ArrayList<>();
        for (io.logwarden.store.AnomalySummary a : around) {
            int x = 10 + (int) Math.round(Duration.between(from, a.occurredAt()).toMillis() * scale);
            x = Math.max(10, Math.min(width - 10, x));
            dots.add(new Dot(x, 20, a.id() == current ? "here" : a.severity().toLowerCase(), a.id(),
                    a.severity().toLowerCase() + " · " + LABEL.format(a.occurredAt()) + " · " + a.title()));
        }
        List<Label> labels = List.of(new Label(10, height - 4, "−" + span.toMinutes() + " min", "start"),
                new Label(width / 2, height - 4, LABEL.format(at) + " UTC", "middle"),
                new Label(width - 10, height - 4, "+" + span.toMinutes() + " min", "end"));
        return new Timeline(width, height, dots, labels);
    }
}
