package io.logwarden.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Adds to the report document what only the HTML needs: the timeline chart's geometry (inline SVG, so the file is
 * self-contained). The JSON report stays free of drawing details.
 */
@Component("reportView")
public class ReportView {

    /** The HTML report's template, as the report-html route names it. */
    public static final String TEMPLATE = "templates/report.ftlh";

    static final int WIDTH = 960;
    static final int HEIGHT = 160;

    @SuppressWarnings("unchecked")
    public Map<String, Object> forHtml(Map<String, Object> document) {
        // Log text reaches the page with its control characters shown, never raw (NUL, terminal escapes).
        Map<String, Object> doc = (Map<String, Object>) ControlCharacters.visibleDeep(document);
        Map<String, Object> view = new LinkedHashMap<>(doc);
        Map<String, Object> timeline = (Map<String, Object>) doc.get("timeline");
        List<Map<String, Object>> points = (List<Map<String, Object>>) timeline.get("points");
        long bucketSeconds = ((Number) timeline.get("bucketSeconds")).longValue();
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("width", WIDTH);
        chart.put("height", HEIGHT);
        List<Map<String, Object>> bars = new ArrayList<>();
        List<Map<String, Object>> markers = new ArrayList<>();
        if (!points.isEmpty()) {
            long max = 1;
            for (Map<String, Object> p : points) {
                max = Math.max(max, ((Number) p.get("events")).longValue());
            }
            double barWidth = (double) WIDTH / points.size();
            for (int i = 0; i < points.size(); i++) {
                Map<String, Object> p = points.get(i);
                long events = ((Number) p.get("events")).longValue();
                long errors = ((Number) p.get("errors")).longValue();
                Map<String, Object> bar = new LinkedHashMap<>();
                bar.put("x", round(i * barWidth));
                bar.put("w", round(Math.max(barWidth - 1, 1)));
                double h = (double) events / max * (HEIGHT - 20);
                double eh = (double) errors / max * (HEIGHT - 20);
                bar.put("y", round(HEIGHT - h));
                bar.put("h", round(h));
                bar.put("ey", round(HEIGHT - eh));
                bar.put("eh", round(eh));
                bar.put("label", p.get("start") + ": " + events + " events, " + errors + " errors");
                bars.add(bar);
            }
            long first = Instant.parse((String) points.get(0).get("start")).getEpochSecond();
            for (Map<String, Object> a : (List<Map<String, Object>>) doc.get("anomalies")) {
                String start = (String) a.get("windowStart");
                if (start == null) {
                    continue;
                }
                long index = (Instant.parse(start).getEpochSecond() - first) / bucketSeconds;
                Map<String, Object> marker = new LinkedHashMap<>();
                marker.put("x", round(Math.min(index, points.size() - 1) * barWidth + barWidth / 2));
                marker.put("severity", a.get("severity"));
                marker.put("title", a.get("title"));
                markers.add(marker);
            }
            chart.put("maxEvents", max);
            chart.put("from", points.get(0).get("start"));
            chart.put("to", points.get(points.size() - 1).get("start"));
        }
        chart.put("bars", bars);
        chart.put("markers", markers);
        view.put("chart", chart);
        return view;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
