package io.logwarden.detect;

import io.logwarden.event.LogEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the judges' findings into anomalies an on-call engineer reads: a headline with what was seen against what
 * is usual ("480 errors in 20 s, usually 0–1 per 5 s"), who and what drove it, one example line per template, and
 * the statistics in the small print.
 */
final class Findings {

    private final String source;
    private final Scoring scoring;
    private final Influencers influencers;
    private final int maxEvidence;

    Findings(String source, Scoring scoring, Influencers influencers, int maxEvidence) {
        this.source = source;
        this.scoring = scoring;
        this.influencers = influencers;
        this.maxEvidence = maxEvidence;
    }

    Anomaly of(CountJudge.Draft d) {
        long w = d.windowMillis();
        Instant start = Instant.ofEpochMilli(d.firstWindow * w);
        Instant end = Instant.ofEpochMilli((d.lastWindow + 1) * w);
        String span = Explain.duration((d.lastWindow - d.firstWindow + 1) * w);
        String per = " " + Explain.per(w);
        RobustBaseline b = d.peakBaseline;
        String usual = Explain.usual(b) + per;
        List<Anomaly.Influencer> who = influencers.of(d.windows, d.badEvents,
                d.detector == Detector.ERROR_BURST || d.detector == Detector.HTTP_5XX_RATIO);
        String whoText = who.isEmpty() ? "" : "; " + who.get(0).field() + " " + who.get(0).value() + " in "
                + Explain.percent((double) who.get(0).count() / who.get(0).of());
        double share = d.requests == 0 ? 0 : (double) d.serverErrors / d.requests;
        String http = d.requests == 0 ? "" : " " + d.serverErrors + " of " + d.requests + " requests ("
                + Explain.percent(share) + ") answered 5xx.";
        List<Map.Entry<String, Long>> parts = d.contributors.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList();
        List<Anomaly.Contributor> contributors = parts.stream().limit(5)
                .map(e -> new Anomaly.Contributor(e.getKey(), pattern(d, e.getKey()), e.getValue())).toList();
        String peakText = d.windowCount() > 1 ? " (peak " + d.peak + per + ")" : "";
        double score = Scoring.countScore(d.peak, b.median());
        String title;
        String explanation;
        switch (d.detector) {
            case ERROR_BURST -> {
                if (d.requests >= CountJudge.MIN_REQUESTS) score = Math.max(score, shareScore(share, d.serverErrors));
                title = d.total + " errors in " + span + ", " + usual + whoText;
                explanation = d.total + " error events in " + span + " from " + start + peakText + ", where "
                        + usual + "." + http + " Mostly: " + describe(contributors) + "." + exceptions(d);
            }
            case HTTP_5XX_RATIO -> {
                score = shareScore(share, d.serverErrors);
                title = Explain.percent(share) + " of requests failed in " + span + " (" + d.serverErrors + " of "
                        + d.requests + "), usually about " + Explain.number(b.median()) + whoText;
                explanation = d.serverErrors + " of " + d.requests + " requests (" + Explain.percent(share)
                        + ") were answered 5xx in " + span + " from " + start + "; usually about "
                        + Explain.number(b.median()) + " would fail. Mostly: " + describe(contributors) + "." + exceptions(d);
            }
            case WARNING_BURST -> {
                score = Scoring.clamp(score * CountJudge.WARNING_WEIGHT);
                title = d.total + " warnings in " + span + ", " + usual + whoText;
                explanation = d.total + " warnings in " + span + " from " + start + peakText + ", where " + usual
                        + "." + http + " Mostly: " + describe(contributors) + ".";
            }
            case AUTH_FAILURE_BURST -> {
                title = d.total + " authentication failures in " + span + ", " + usual + whoText;
                explanation = d.total + " authentication failures in " + span + " from " + start + peakText
                        + ", where " + usual + ". Mostly: " + describe(contributors) + ".";
            }
            case ACTOR_SPIKE -> {
                Map.Entry<String, Long> actor = d.actors.entrySet().stream()
                        .max(Map.Entry.comparingByValue()).orElseThrow();
                String who1 = d.field + " " + actor.getKey();
                who = namedFirst(who, d, actor.getKey());
                title = who1 + ": " + d.peak + " events" + per + ", the busiest " + d.field + " "
                        + Explain.usual(b) + (d.windowCount() > 1 ? ", for " + span : "");
                explanation = who1 + " was far busier than any " + d.field + " usually is: " + d.peak + " events" + per
                        + " at " + Instant.ofEpochMilli(d.peakWindow * w) + ", where the busiest " + d.field + " of a "
                        + "window has " + Explain.usual(b) + (d.windowCount() > 1 ? "; " + d.total + " events of the "
                        + "busiest " + d.field + " in " + span : "") + "." + (contributors.isEmpty() ? ""
                        : " Rising with it: " + describe(contributors) + ".");
            }
            case STATUS_SPIKE -> {
                String status = d.actors.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                who = namedFirst(who, d, status);
                title = "status " + status + ": " + d.peak + " answers" + per + ", " + Explain.usual(b)
                        + (d.windowCount() > 1 ? ", for " + span : "")
                        + (contributors.isEmpty() ? "" : "; " + Explain.shorten(pattern(d, contributors.get(0).templateId()), 50));
                explanation = "Requests answered " + status + " came " + d.peak + " times" + per + " at "
                        + Instant.ofEpochMilli(d.peakWindow * w) + ", where " + Explain.usual(b)
                        + (d.windowCount() > 1 ? "; " + d.total + " in " + span : "") + "." + (contributors.isEmpty() ? ""
                        : " Answered " + status + ": " + describe(contributors) + ".");
            }
            default -> {
                List<Anomaly.Contributor> with = contributors.stream() // the lead is not always the most frequent
                        .filter(c -> !c.templateId().equals(d.template)).toList();
                int others = with.size();
                title = "\"" + Explain.shorten(pattern(d, d.template), 70) + "\" " + d.peak + " times" + per + ", "
                        + Explain.usual(b) + (others > 0 ? " (+" + others + " more)" : "") + whoText;
                explanation = "The message \"" + Explain.shorten(pattern(d, d.template), 120) + "\" came " + d.peak
                        + " times" + per + " at " + Instant.ofEpochMilli(d.peakWindow * w) + ", where " + Explain.usual(b)
                        + (d.windowCount() > 1 ? ", for " + span : "") + "."
                        + (others > 0 ? " Rising with it: " + describe(with) + "." : "");
            }
        }
        String details = "Window " + Explain.duration(w) + "; peak " + d.peak + " at "
                + Instant.ofEpochMilli(d.peakWindow * w) + "; baseline median " + Explain.number(b.median())
                + ", 90th percentile " + Explain.number(b.p90()) + ", robust spread " + Explain.number(b.spread())
                + ", z " + Explain.number(Math.round(b.z(d.peak) * 10) / 10.0) + ".";
        score = Scoring.clamp(score);
        return new Anomaly(source, d.detector, score, scoring.severity(score), start, end,
                d.template, d.template == null ? null : pattern(d, d.template), title, explanation, b.median(), d.peak,
                contributors, evidence(d.examples), null, who, List.of(), details);
    }

    /**
     * The influencers with the value a draft is about ({@code d.field} = {@code value}: an actor spike's client, a
     * status spike's status) first, named whatever its share, unless they already name it.
     */
    private List<Anomaly.Influencer> namedFirst(List<Anomaly.Influencer> who, CountJudge.Draft d, String value) {
        if (who.stream().anyMatch(i -> i.field().equals(d.field) && i.value().equals(value))) return who;
        long events = d.windows.stream().mapToLong(x -> x.events).sum();
        List<Anomaly.Influencer> named = new ArrayList<>();
        named.add(influencers.named(d.field, value, d.total, events));
        named.addAll(who);
        return named.size() > Influencers.MAX_REPORTED ? named.subList(0, Influencers.MAX_REPORTED) : named;
    }

    /** Scored by share and size: 80 failing of 380 (21 %) scores 88 (High), 5 of 50 (10 %) 64 (Medium). */
    static double shareScore(double share, long count) {
        return Scoring.clamp(45 + 40 * Math.min(1, share / 0.25) + 5 * Math.log10(Math.max(count, 1)));
    }

    /** One example per template, never the same stack trace twice. */
    List<Evidence> evidence(Map<String, LogEvent> examples) {
        List<Evidence> lines = new ArrayList<>();
        Set<String> traces = new HashSet<>();
        for (Map.Entry<String, LogEvent> example : examples.entrySet()) {
            if (lines.size() >= maxEvidence) break;
            LogEvent event = example.getValue();
            String text = event.raw() == null ? event.message() : event.raw();
            int nl = text.indexOf('\n');
            if (nl > 0 && !traces.add(text.substring(nl))) {
                continue;
            }
            lines.add(Evidence.of(event, example.getKey()));
        }
        return lines;
    }

    private static String pattern(CountJudge.Draft d, String id) {
        Template t = id == null ? null : d.templateOf(id);
        return t == null ? id : t.pattern();
    }

    private static String exceptions(CountJudge.Draft d) {
        if (d.exceptions.isEmpty()) return "";
        StringBuilder sb = new StringBuilder(" Exceptions: ");
        d.exceptions.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .forEach(e -> sb.append(e.getKey()).append(" ×").append(e.getValue()).append(", "));
        sb.setLength(sb.length() - 2);
        return sb.append('.').toString();
    }

    static String describe(List<Anomaly.Contributor> top) {
        if (top.isEmpty()) return "none";
        StringBuilder sb = new StringBuilder();
        for (Anomaly.Contributor c : top.stream().sorted(Comparator.comparingLong(c -> -c.count())).toList()) {
            if (!sb.isEmpty()) sb.append("; ");
            sb.append('"').append(Explain.shorten(c.template(), 80)).append("\" ×").append(c.count());
        }
        return sb.toString();
    }
}
