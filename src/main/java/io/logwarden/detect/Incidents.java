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
        // Findings of their own (bursts, spikes, errors) group among themselves; drops and quiet rare messages then
        // join the one incident they came with, so that they never bridge two incidents.
        List<Anomaly> primary = new ArrayList<>();
        List<Anomaly> attached = new ArrayList<>();
        for (Anomaly a : anomalies) {
            (a.detector() == Detector.DROP || quietNovelty(a) ? attached : primary).add(a);
        }
        int n = primary.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (related(primary.get(i), primary.get(j))) {
                    parent[find(parent, i)] = find(parent, j);
                }
            }
        }
        Map<Integer, List<Anomaly>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(primary.get(i));
        }
        List<List<Anomaly>> all = new ArrayList<>(groups.values());
        for (Anomaly a : attached) {
            List<Anomaly> best = null;
            long bestOverlap = -1;
            for (List<Anomaly> group : all) {
                for (Anomaly member : group) {
                    if (member.detector() == Detector.DROP || quietNovelty(member)) continue;
                    long overlap = overlapMillis(a, member);
                    if (overlap > bestOverlap && joins(a, member)) {
                        bestOverlap = overlap;
                        best = group;
                    }
                }
            }
            if (best != null) {
                best.add(a);
            } else {
                List<Anomaly> alone = new ArrayList<>();
                alone.add(a);
                all.add(alone);
            }
        }
        List<Anomaly> incidents = new ArrayList<>();
        for (List<Anomaly> group : all) {
            incidents.add(ConnectionFailures.explain(group.size() == 1 ? group.get(0) : merge(group)));
        }
        return incidents;
    }

    /** Whether a drop or a quiet rare message belongs with an anomaly: they came at the same time. */
    private boolean joins(Anomaly attached, Anomaly anomaly) {
        return anomaly.windowStart() != null && attached.windowStart() != null
                && anomaly.detector() != Detector.SESSION && touches(attached, anomaly);
    }

    private boolean touches(Anomaly a, Anomaly b) {
        return !a.windowStart().isAfter(b.windowEnd().plusMillis(slackMillis))
                && !b.windowStart().isAfter(a.windowEnd().plusMillis(slackMillis));
    }

    private static long overlapMillis(Anomaly a, Anomaly b) {
        long start = Math.max(a.windowStart().toEpochMilli(), b.windowStart().toEpochMilli());
        long end = Math.min(a.windowEnd().toEpochMilli(), b.windowEnd().toEpochMilli());
        return end - start;
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
                || b.detector() == Detector.SESSION || !touches(a, b)) {
            return false;
        }
        if (a.detector() == Detector.NEW_TEMPLATE && b.detector() == Detector.NEW_TEMPLATE) {
            return sharesInfluencer(a, b);
        }
        // Findings that share a template or an influencer value, or that cover mostly the same time, are one incident.
        long shorter = Math.min(a.windowEnd().toEpochMilli() - a.windowStart().toEpochMilli(),
                b.windowEnd().toEpochMilli() - b.windowStart().toEpochMilli());
        return sharesTemplate(a, b) || sharesInfluencer(a, b) || (shorter > 0 && overlapMillis(a, b) * 2 >= shorter);
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
        // At equal scores (strong findings all reach the top score) a finding of its own leads before a drop or a quiet
        // rare message, and the first to begin before the others: a cause comes before its effects on other counts.
        group.sort(Comparator.comparingDouble(Anomaly::score).reversed()
                .thenComparing(a -> a.detector() == Detector.DROP || quietNovelty(a))
                .thenComparing(Anomaly::windowStart));
        Anomaly lead = group.get(0);
        Instant start = group.stream().map(Anomaly::windowStart).min(Instant::compareTo).orElseThrow();
        Instant end = group.stream().map(Anomaly::windowEnd).max(Instant::compareTo).orElseThrow();
        List<Anomaly.Part> parts = new ArrayList<>();
        Map<String, Anomaly.Contributor> contributors = new LinkedHashMap<>();
        Map<String, Anomaly.Influencer> influencers = new LinkedHashMap<>();
        List<Evidence> evidence = new ArrayList<>();
        Set<String> seenTexts = new HashSet<>();
        StringBuilder explanation = new StringBuilder(lead.explanation());
        // New and rare messages of one incident are one part, however many windows they first came in.
        List<Anomaly> novel = group.stream().filter(a -> a != lead && a.detector() == Detector.NEW_TEMPLATE).toList();
        if (!novel.isEmpty()) {
            long messages = novel.stream().mapToLong(a -> Math.max(a.contributors().size(), 1)).sum();
            Anomaly first = novel.stream().min(Comparator.comparing(Anomaly::windowStart)).orElseThrow();
            String title = novel.size() == 1 ? first.title() : messages + " rare or new messages, first: "
                    + Explain.shorten(first.template(), 80);
            parts.add(new Anomaly.Part(Detector.NEW_TEMPLATE, title, novel.stream().mapToDouble(Anomaly::score).max().orElse(0),
                    first.windowStart(), novel.stream().map(Anomaly::windowEnd).max(Instant::compareTo).orElseThrow()));
        }
        for (Anomaly a : group) {
            if (a != lead && a.detector() != Detector.NEW_TEMPLATE) {
                parts.add(new Anomaly.Part(a.detector(), a.title(), a.score(), a.windowStart(), a.windowEnd()));
            }
            a.contributors().forEach(c -> contributors.putIfAbsent(c.templateId(), c));
            // values only one or two events of another finding carried (a rare message's) would crowd the lead's out
            a.influencers().stream().filter(i -> a == lead || i.of() >= Novelty.CARRIED_BELOW)
                    .forEach(i -> influencers.putIfAbsent(i.field() + "=" + i.value(), i));
            for (Evidence e : a.evidence()) {
                // one line per template, and never the same stack trace twice
                String text = e.text() == null ? "" : e.text();
                int nl = text.indexOf('\n');
                boolean newTemplate = e.templateId() == null || seenTexts.add("template " + e.templateId());
                boolean newTrace = nl < 0 || seenTexts.add(text.substring(nl));
                if (evidence.size() < maxEvidence && newTemplate && newTrace && seenTexts.add(text)) evidence.add(e);
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
