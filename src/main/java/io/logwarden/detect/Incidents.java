package io.logwarden.detect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One incident, one anomaly: anomalies of different detectors that overlap in time and share a template or an
 * influencer value become one, led by the highest score and listing the others as its parts. Drops and rare
 * templates that come while another anomaly is under way belong to it (successful requests vanish while 502s
 * appear; a new error message opens an error burst).
 */
final class Incidents {

    private final long slackMillis;
    private final int maxEvidence;
    private final Scoring scoring;

    Incidents(long slackMillis, int maxEvidence, Scoring scoring) {
        this.slackMillis = slackMillis;
        this.maxEvidence = maxEvidence;
        this.scoring = scoring;
    }

    List<Anomaly> group(List<Anomaly> anomalies) {
        int n = anomalies.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (related(anomalies.get(i), anomalies.get(j))) {
                    parent[find(parent, i)] = find(parent, j);
                }
            }
        }
        Map<Integer, List<Anomaly>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(anomalies.get(i));
        }
        List<Anomaly> incidents = new ArrayList<>();
        for (List<Anomaly> group : groups.values()) {
            incidents.add(group.size() == 1 ? group.get(0) : merge(group));
        }
        return incidents;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private boolean related(Anomaly a, Anomaly b) {
        if (a.windowStart() == null || b.windowStart() == null || a.detector() == Detector.SESSION
                || b.detector() == Detector.SESSION) {
            return false;
        }
        boolean overlap = !a.windowStart().isAfter(b.windowEnd().plusMillis(slackMillis))
                && !b.windowStart().isAfter(a.windowEnd().plusMillis(slackMillis));
        if (!overlap) return false;
        if (a.detector() == Detector.DROP || b.detector() == Detector.DROP) {
            // a drop during a burst is the same incident seen from the other side; two drops only when they share
            return a.detector() != b.detector() || sharesTemplate(a, b);
        }
        if (a.detector() == Detector.NEW_TEMPLATE && b.detector() == Detector.NEW_TEMPLATE) {
            return sharesInfluencer(a, b);
        }
        if (quietNovelty(a) || quietNovelty(b)) {
            return true; // a rare message that is no error, reported because it came during this anomaly
        }
        return sharesTemplate(a, b) || sharesInfluencer(a, b);
    }

    private static boolean quietNovelty(Anomaly a) {
        return a.detector() == Detector.NEW_TEMPLATE && a.score() < Novelty.ERROR_SCORE;
    }

    private static boolean sharesTemplate(Anomaly a, Anomaly b) {
        Set<String> ids = new HashSet<>();
        if (a.templateId() != null) ids.add(a.templateId());
        a.contributors().forEach(c -> ids.add(c.templateId()));
        if (b.templateId() != null && ids.contains(b.templateId())) return true;
        return b.contributors().stream().anyMatch(c -> ids.contains(c.templateId()));
    }

    private static boolean sharesInfluencer(Anomaly a, Anomaly b) {
        Set<String> values = new HashSet<>();
        a.influencers().forEach(i -> values.add(i.field() + "=" + i.value()));
        return b.influencers().stream().anyMatch(i -> values.contains(i.field() + "=" + i.value()));
    }

    private Anomaly merge(List<Anomaly> group) {
        group.sort(Comparator.comparingDouble(Anomaly::score).reversed());
        Anomaly lead = group.get(0);
        Instant start = group.stream().map(Anomaly::windowStart).min(Instant::compareTo).orElseThrow();
        Instant end = group.stream().map(Anomaly::windowEnd).max(Instant::compareTo).orElseThrow();
        List<Anomaly.Part> parts = new ArrayList<>();
        Map<String, Anomaly.Contributor> contributors = new LinkedHashMap<>();
        Map<String, Anomaly.Influencer> influencers = new LinkedHashMap<>();
        List<Evidence> evidence = new ArrayList<>();
        Set<String> seenTexts = new HashSet<>();
        StringBuilder explanation = new StringBuilder(lead.explanation());
        for (Anomaly a : group) {
            if (a != lead) {
                parts.add(new Anomaly.Part(a.detector(), a.title(), a.score(), a.windowStart(), a.windowEnd()));
            }
            a.contributors().forEach(c -> contributors.putIfAbsent(c.templateId(), c));
            a.influencers().forEach(i -> influencers.putIfAbsent(i.field() + "=" + i.value(), i));
            for (Evidence e : a.evidence()) {
                String text = e.text() == null ? "" : e.text();
                int nl = text.indexOf('\n');
                String key = nl > 0 ? text.substring(nl) : text;
                if (evidence.size() < maxEvidence && seenTexts.add(key)) evidence.add(e);
            }
        }
        explanation.append(" With it: ").append(Explain.plural(parts.size(), "more finding")).append(" of the same incident.");
        double score = Scoring.clamp(Math.min(99, lead.score() + 2 * Math.min(parts.size(), 3)));
        return new Anomaly(lead.source(), lead.detector(), score, scoring.severity(score), start, end, lead.templateId(),
                lead.template(), lead.title(), explanation.toString(), lead.expected(), lead.observed(),
                contributors.values().stream().limit(8).toList(), evidence, lead.enrichment(),
                influencers.values().stream().limit(Influencers.MAX_REPORTED + 1).toList(), parts, lead.details());
    }
}
