package io.logwarden.detect;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * New and rare templates. For a source with a history (it has seen {@code history-events} events), a template it
 * never saw is new on sight. For an input that is its own baseline, a template is reported when it is rare in the
 * input (it starts well into it, comes in one short stretch, or only once or twice) and either is an error (or
 * carries an exception) or appears while another anomaly is under way. Early errors are not hidden: there is no
 * learning period.
 *
 * <p>Not thread-safe.
 */
final class Novelty {

    /** Occurrences whose influencer values are counted per candidate template. */
    static final int INFLUENCER_SAMPLE = 200;
    /** Messages with fewer events than this name every value they carry rather than values that stand out. */
    static final int CARRIED_BELOW = 3;
    /** A new template's score when it is an error; below it, a message or a warning. */
    static final double ERROR_SCORE = 80;
    /**
     * Distinct rare messages that, together in one window well inside the input, are a change of state (a restart,
     * a failover, a deployment) even though none is an error: each alone is routine, all at once is not.
     */
    static final int CLUSTER = 4;
    /** A cluster of rare messages scores this (Medium: worth a look), and more for a worse level. */
    static final double CLUSTER_SCORE = 55;
    /**
     * Clusters are looked for only this far (a share of the input's events and of its time span) from its start and
     * its end, where a server's start-up and shutdown lines belong.
     */
    static final double CLUSTER_MARGIN = 0.05;
    /** A message saying the process started that comes more often than this is a job's, not a restart. */
    static final int RESTARTS = 10;
    /** A routine rare message that comes at least this many times in one short stretch is a burst. */
    static final int BURST = 20;
    /**
     * A rare warning is a burst from this many times: a source that warns about something new again and again (a
     * server's failing background save, a client closed for overrunning its buffer, a streaming source dropped four
     * times in a minute for a socket timeout) says more than routine lines do.
     */
    static final int WARNING_BURST = 4;
    /**
     * A routine message that says in its own words that something failed (Dovecot's "save failed to INBOX: Quota
     * exceeded", Postfix's and many servers' failures at level info, a failed login) is a burst from {@link
     * #WARNING_BURST} times, as a warning is: the level is the writer's habit, the words are what happened.
     */
    static final Pattern FAILURE = Pattern.compile("(?i)\\b(fail(s|ed|ure|ing)?|refused|denied|rejected|exceeded"
            + "|unable|cannot|could ?n[o']t|timed out|unreachable|deadlock(s|ed)?)\\b");
    /** A burst's stretch is at most this share of the input's time span. */
    static final double BURST_SHARE = 0.2;
    /** Rare messages further apart than this are not one cluster. */
    static final long CLUSTER_GAP_MILLIS = 30_000;
    /**
     * A process stopping, in its own words. A rare message of these followed in the same cluster by a rare message of
     * {@link #STARTING} is a restart, though only two lines say it (sshd's "Received signal 15; terminating." and
     * "Server listening on … port 22."): fewer than {@link #CLUSTER}, but not a chance pair.
     */
    static final Pattern STOPPING = Pattern.compile(
            "(?i)\\b(terminat(ing|ed)|shut(ting)? ?down|stopp(ing|ed)|exiting|received signal|sigterm|sigint)\\b");
    /** A process starting, in its own words (see {@link #STOPPING}). */
    static final Pattern STARTING = Pattern.compile(
            "(?i)\\b(start(ing|ed)|listening|ready to accept|initiali[sz]ed|up and running|booting)\\b");

    private final String source;
    private final Set<String> known;
    private final boolean hasHistory;
    private final DetectionSettings settings;
    private final Scoring scoring;
    private final Influencers influencers;
    private final Map<String, Candidate> candidates = new LinkedHashMap<>();
    private int rareNotReported;

    Novelty(String source, Set<String> known, boolean hasHistory, DetectionSettings settings, Scoring scoring,
            Influencers influencers) {
        this.influencers = influencers;
        this.source = source;
        this.known = known;
        this.hasHistory = hasHistory;
        this.settings = settings;
        this.scoring = scoring;
    }

    boolean hasHistory() {
        return hasHistory;
    }

    int rareNotReported() {
        return rareNotReported;
    }

    /**
     * @param influencerValues the event's {@link Influencers#valuesOf values}, by field
     * @param ordinal          the event's position in the input (1 for the first)
     */
    void observe(LogEvent event, String templateId, Instant ts, String[] influencerValues, long ordinal) {
        if (known.contains(templateId)) {
            return;
        }
        Candidate c = candidates.get(templateId);
        if (c == null) {
            c = new Candidate(templateId, ts);
            candidates.put(templateId, c);
        }
        c.add(event, ts, ordinal, influencers.names(), influencerValues, settings.maxEvidence());
    }

    /**
     * @param templates the miner, to drop candidates merged into older templates since
     * @param events    the input's events
     * @param others    the anomalies the other detectors found
     */
    List<Anomaly> finish(JobContext templates, Instant inputStart, Instant inputEnd, long events, List<Anomaly> others) {
        long w = templates.windowMillis();
        long span = inputStart == null ? 0 : inputEnd.toEpochMilli() - inputStart.toEpochMilli();
        Map<Long, List<Candidate>> byWindow = new TreeMap<>();
        List<Candidate> quiet = new ArrayList<>();
        List<Instant> restarts = hasHistory ? List.of() : restarts(templates);
        for (Candidate c : candidates.values()) {
            if (templates.template(c.id) == null) {
                continue; // merged into another template since: not new after all
            }
            boolean report;
            if (hasHistory) {
                report = true;
            } else {
                boolean rare = c.occurrences <= 2
                        || c.first.toEpochMilli() - inputStart.toEpochMilli() >= 0.1 * span
                        || c.last.toEpochMilli() - c.first.toEpochMilli() <= 0.2 * span;
                boolean alongside = during(c, others, w) != null;
                report = rare && (errorLike(c) || alongside || newAtRestart(c, restarts, w, templates));
                if (rare && !report) quiet.add(c);
            }
            if (report) {
                // A message that also comes during another anomaly is part of that incident and is told there; one
                // early stray occurrence (a single 502 an hour before the outage) is no incident of its own.
                Instant at = during(c, others, w);
                if (at != null && !hasHistory && burstBefore(c, at, BURST_SHARE * span) >= burstSize(templates, c)) {
                    at = null; // it came as a burst of its own before that anomaly (a pool timing out, then a crash)
                }
                long window = Math.floorDiv((at == null ? c.first : at).toEpochMilli(), w);
                byWindow.computeIfAbsent(window, k -> new ArrayList<>()).add(c);
            }
        }
        List<Anomaly> found = new ArrayList<>();
        byWindow.forEach((window, group) -> found.add(anomaly(templates, window, window, group, null, null, false)));
        if (!quiet.isEmpty()) {
            Inside inside = Inside.of(inputStart, inputEnd, events);
            found.addAll(bursts(templates, inside, quiet));
            found.addAll(clusters(templates, inside, quiet, byWindow));
        }
        rareNotReported = quiet.size();
        return found;
    }

    /**
     * Rare messages not reported one by one (routine words, no error, no other anomaly) that come {@value #CLUSTER} or
     * more together (two, when they are a {@link #restart restart}), none more than {@value #CLUSTER_GAP_MILLIS} ms
     * after the one before, away from the input's first
     * and last {@value #CLUSTER_MARGIN} (of its events and of its time): a database that shut down and started again,
     * a node that failed over, a deployment. Lines next to a rare message reported on its own (the details and
     * statement a database logs with an error) are told with it, not again. The candidates reported this way leave
     * {@code quiet}.
     *
     * @param reported the rare messages reported on their own
     */
    private List<Anomaly> clusters(JobContext templates, Inside inside, List<Candidate> quiet,
                                   Map<Long, List<Candidate>> reported) {
        if (quiet.size() < 2) return List.of(); // a restart takes two
        long w = templates.windowMillis();
        List<long[]> told = new ArrayList<>();
        // An error is told over its whole stretch; a routine message reported only because it came during another
        // anomaly is told in that anomaly's window (the aborted connections of a killed pool, which come again when
        // the server restarts a minute later, do not hide the restart).
        reported.forEach((window, group) -> group.forEach(c -> told.add(errorLike(c)
                ? new long[] {c.first.toEpochMilli() - w, c.last.toEpochMilli() + w}
                : new long[] {(window - 1) * w, (window + 2) * w})));
        List<Occurrence> occurrences = new ArrayList<>();
        for (Candidate c : quiet) {
            for (int i = 0; i < c.times.size(); i++) {
                long at = c.times.get(i).toEpochMilli();
                boolean beside = told.stream().anyMatch(span -> at >= span[0] && at <= span[1]);
                if (inside.time(at) && inside.event(c.ordinals.get(i)) && !beside) {
                    occurrences.add(new Occurrence(at, c));
                }
            }
        }
        occurrences.sort(Comparator.comparingLong(Occurrence::at));
        List<Anomaly> found = new ArrayList<>();
        Map<Candidate, Long> group = new LinkedHashMap<>(); // each message's first time in the cluster
        long first = 0;
        long last = 0;
        for (Occurrence o : occurrences) {
            if (group.isEmpty() || o.at() - last > CLUSTER_GAP_MILLIS) {
                addIfChange(found, templates, inside, first, last, group);
                group = new LinkedHashMap<>();
                first = o.at();
            }
            last = o.at();
            group.putIfAbsent(o.candidate(), o.at());
        }
        addIfChange(found, templates, inside, first, last, group);
        for (Anomaly a : found) {
            for (Anomaly.Contributor c : a.contributors()) quiet.removeIf(q -> q.id.equals(c.templateId()));
        }
        return found;
    }

    private record Occurrence(long at, Candidate candidate) {
    }

    /**
     * Where routine rare messages may be a change: away from the input's first and last {@value #CLUSTER_MARGIN} of its
     * time ({@code from}–{@code to}; {@code span} is the whole input's) and of its events ({@code fromEvent}–{@code
     * toEvent}, positions).
     */
    private record Inside(long span, long from, long to, long fromEvent, long toEvent) {
        static Inside of(Instant inputStart, Instant inputEnd, long events) {
            long span = inputEnd.toEpochMilli() - inputStart.toEpochMilli();
            long margin = (long) (CLUSTER_MARGIN * span);
            long fromEvent = (long) (CLUSTER_MARGIN * events);
            return new Inside(span, inputStart.toEpochMilli() + margin, inputEnd.toEpochMilli() - margin, fromEvent,
                    events - fromEvent);
        }

        boolean time(long at) {
            return at >= from && at <= to;
        }

        boolean event(long ordinal) {
            return ordinal > fromEvent && ordinal <= toEvent;
        }
    }

    /**
     * Routine rare messages that came at volume and went: at least {@value #BURST} times ({@value #WARNING_BURST} for
     * a warning), all within one stretch of
     * at most {@value #BURST_SHARE} of the input's time, starting and ending away from its first and last
     * {@value #CLUSTER_MARGIN} (of events and of time). A message the source never wrote before, written a hundred
     * times in a minute and then never again, is a change of behaviour though each line is routine (a job retrying,
     * a feature flag flapping). Over two windows or more the frequency spike reports such a message ("usually 0") and
     * this one joins it as a rare message alongside; within one window there is no count to compare, and this is what
     * tells it. Those reported leave {@code quiet}.
     */
    private List<Anomaly> bursts(JobContext templates, Inside inside, List<Candidate> quiet) {
        long w = templates.windowMillis();
        List<Candidate> bursts = new ArrayList<>();
        for (java.util.Iterator<Candidate> it = quiet.iterator(); it.hasNext(); ) {
            Candidate c = it.next();
            long first = c.first.toEpochMilli();
            long last = c.last.toEpochMilli();
            if (c.occurrences < burstSize(templates, c) || last - first > BURST_SHARE * inside.span() || !inside.time(first)
                    || !inside.time(last) || !inside.event(c.ordinals.get(0)) || !inside.event(c.lastOrdinal)) {
                continue;
            }
            bursts.add(c);
            it.remove();
        }
        // Bursts whose stretches meet are one anomaly, led by the message that came first (a failing save's cause,
        // then its "Background saving error").
        bursts.sort(Comparator.comparing((Candidate c) -> c.first));
        List<Anomaly> found = new ArrayList<>();
        List<Candidate> group = new ArrayList<>();
        long groupLast = 0;
        for (Candidate c : bursts) {
            if (!group.isEmpty() && c.first.toEpochMilli() > groupLast + w) {
                found.add(burst(templates, group, groupLast));
                group = new ArrayList<>();
            }
            groupLast = group.isEmpty() ? c.last.toEpochMilli() : Math.max(groupLast, c.last.toEpochMilli());
            group.add(c);
        }
        if (!group.isEmpty()) found.add(burst(templates, group, groupLast));
        return found;
    }

    private Anomaly burst(JobContext templates, List<Candidate> group, long last) {
        long w = templates.windowMillis();
        return anomaly(templates, Math.floorDiv(group.get(0).first.toEpochMilli(), w), Math.floorDiv(last, w), group,
                null, null, true);
    }

    /**
     * Adds the anomaly of rare messages that came together when they are a change of state: {@value #CLUSTER} or
     * more, or a restart, within at most {@value #BURST_SHARE} of the input's time (in a few seconds of a busy
     * source every routine message is rare, and all of them together are no change).
     */
    private void addIfChange(List<Anomaly> found, JobContext templates, Inside inside, long first, long last,
                             Map<Candidate, Long> group) {
        if (group.isEmpty() || last - first > BURST_SHARE * inside.span()) return;
        Candidate[] restart = restart(group, templates);
        if (group.size() >= CLUSTER || restart != null) found.add(cluster(templates, first, last, group, restart));
    }

    /**
     * The stop and the start of a restart among rare messages that came together (a {@link #STOPPING} message and a
     * different, {@link #STARTING} one that came after it), or null.
     */
    private static Candidate[] restart(Map<Candidate, Long> group, JobContext templates) {
        if (group.size() < 2) return null;
        for (Map.Entry<Candidate, Long> stop : group.entrySet()) {
            if (!STOPPING.matcher(templates.template(stop.getKey().id).pattern()).find()) continue;
            for (Map.Entry<Candidate, Long> start : group.entrySet()) {
                if (start.getKey() != stop.getKey() && start.getValue() >= stop.getValue()
                        && STARTING.matcher(templates.template(start.getKey().id).pattern()).find()
                        && !STOPPING.matcher(templates.template(start.getKey().id).pattern()).find()) {
                    return new Candidate[] {stop.getKey(), start.getKey()};
                }
            }
        }
        return null;
    }

    /**
     * A cluster's anomaly, led by its worst and then its rarest message, the earliest of those (a shutdown request
     * before the shutdown's other lines); the others follow in the order they came.
     */
    private Anomaly cluster(JobContext templates, long first, long last, Map<Candidate, Long> firstAt,
                            Candidate[] restart) {
        long w = templates.windowMillis();
        List<Candidate> group = new ArrayList<>(firstAt.keySet());
        group.sort(Comparator.comparingInt((Candidate c) -> -severityRank(c.worst))
                .thenComparingLong(c -> c.occurrences)); // stable: ties keep the order they came in
        return anomaly(templates, Math.floorDiv(first, w), Math.floorDiv(last, w), group, firstAt, restart, false);
    }

    /** How many times in one stretch make the candidate a burst: {@value #WARNING_BURST} for a warning or a failure. */
    private static int burstSize(JobContext templates, Candidate c) {
        return severityRank(c.worst) >= severityRank(Level.WARN) || saysFailure(templates, c) ? WARNING_BURST : BURST;
    }

    /**
     * The candidate's occurrences (of those kept) before {@code at} when they all came within {@code stretch} ms of its
     * first (a burst of its own), else 0.
     */
    private static long burstBefore(Candidate c, Instant at, double stretch) {
        long n = 0;
        for (Instant t : c.times) {
            if (!t.isBefore(at)) break;
            if (t.toEpochMilli() - c.first.toEpochMilli() > stretch) return 0;
            n++;
        }
        return n;
    }

    /**
     * When the input's process started again: the times a message saying it started came, but the first (the input's
     * own start-up, or the process's first start in it); a message that says so more than {@value #RESTARTS} times
     * is a job's ("Background saving started"), not the process's.
     */
    private List<Instant> restarts(JobContext templates) {
        List<Instant> at = new ArrayList<>();
        for (Candidate c : candidates.values()) {
            if (c.occurrences < 2 || c.occurrences > RESTARTS || c.times.size() < 2) continue;
            Template template = templates.template(c.id);
            if (template != null && STARTING.matcher(template.pattern()).find()) {
                at.addAll(c.times.subList(1, c.times.size()));
            }
        }
        return at;
    }

    /**
     * A warning that came once, as the process started again (at most a window after): the restart brought it, where
     * the starts before did not (lighttpd's "WARNING: unknown config-key: proxy.server (ignored)" after a reload that
     * lost mod_proxy). Start-up warnings that come at every start come more than once.
     */
    private static boolean newAtRestart(Candidate c, List<Instant> restarts, long w, JobContext templates) {
        if (c.occurrences != 1 || c.worst != Level.WARN || restarts.isEmpty()) return false;
        String pattern = templates.template(c.id).pattern();
        if (STOPPING.matcher(pattern).find() || STARTING.matcher(pattern).find()) return false; // the restart's own
        long at = c.first.toEpochMilli();
        for (Instant r : restarts) {
            long since = at - r.toEpochMilli();
            if (since >= 0 && since <= w) return true;
        }
        return false;
    }

    // A failed login is a failure in other words ("attempted to login with invalid or missing password").
    private static boolean saysFailure(JobContext templates, Candidate c) {
        String pattern = templates.template(c.id).pattern();
        return FAILURE.matcher(pattern).find() || AuthFailures.isAuthFailureText(pattern);
    }

    // A message reported on its own in a first input: an error, or one that carries an exception.
    private static boolean errorLike(Candidate c) {
        return severityRank(c.worst) >= severityRank(Level.ERROR) || c.exception;
    }

    /** The first occurrence of the candidate within another anomaly (a drop aside), or null. */
    private static Instant during(Candidate c, List<Anomaly> others, long w) {
        for (Instant t : c.times) {
            for (Anomaly a : others) {
                if (a.detector() != Detector.DROP && a.windowStart() != null
                        && !t.isBefore(a.windowStart().minusMillis(w)) && t.isBefore(a.windowEnd().plusMillis(w))) {
                    return t;
                }
            }
        }
        return null;
    }

    /**
     * @param clusterAt for a {@link #clusters cluster} of routine rare messages, each one's first time in it; null for
     *                  rare or new messages reported on their own
     * @param restart   a cluster's stop and start message when it holds a {@link #restart restart}, or null
     * @param burst     routine rare messages that came at volume and went ({@link #bursts}), the first to come first
     */
    private Anomaly anomaly(JobContext templates, long window, long lastWindow, List<Candidate> group,
                            Map<Candidate, Long> clusterAt, Candidate[] restart, boolean burst) {
        boolean cluster = clusterAt != null || burst;
        if (!cluster) {
            // led by its worst message (HAProxy's "no server available!" before the 503s it causes), then its score,
            // then, as a cluster is, its rarest
            group.sort(Comparator.comparingInt((Candidate c) -> -severityRank(c.worst))
                    .thenComparing(Comparator.comparingDouble((Candidate c) -> c.score(settings.minCount())).reversed())
                    .thenComparingLong(c -> c.occurrences));
        }
        Candidate lead = group.get(0);
        Template template = templates.template(lead.id);
        long w = templates.windowMillis();
        List<Anomaly.Contributor> contributors = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        for (Candidate t : group) {
            contributors.add(new Anomaly.Contributor(t.id, templates.template(t.id).pattern(), t.occurrences));
            if (evidence.size() < settings.maxEvidence()) evidence.add(t.example);
        }
        // The anomaly is where the new messages appeared, not everywhere they recur: one window (a cluster: its run).
        Instant end = Instant.ofEpochMilli((lastWindow + 1) * w);
        String what = hasHistory ? "never seen for this source" : "rare in this input";
        String title;
        String came;
        String why;
        if (burst) {
            title = "Burst of a rare message: \"" + Explain.shorten(template.pattern(), 70) + "\" "
                    + Explain.plural(lead.occurrences, "time") + " in "
                    + Explain.duration(Math.max(1000, lead.last.toEpochMilli() - lead.first.toEpochMilli() + 1000))
                    + (group.size() > 1 ? " (+" + (group.size() - 1) + " more)" : "");
            came = " came " + Explain.plural(lead.occurrences, "time") + " from " + lead.first + " to " + lead.last
                    + ", and not before or after";
            why = severityRank(lead.worst) < severityRank(Level.WARN) && saysFailure(templates, lead)
                    ? "None is logged as an error, but each says something failed, and a failure that comes again and"
                    + " again and then stops is an incident's trace (a full disk or mailbox, a refused dependency). "
                    : "None is an error, but a message that comes at volume and goes is a change of behaviour (a"
                    + " redirect loop, a job retrying, a feature switched on and off). ";
        } else if (restart != null) {
            title = "A restart: \"" + Explain.shorten(templates.template(restart[0].id).pattern(), 60) + "\" then \""
                    + Explain.shorten(templates.template(restart[1].id).pattern(), 60) + "\""
                    + (group.size() > 2 ? " (" + group.size() + " rare messages at once)" : "");
            came = " came together from " + Instant.ofEpochMilli(window * w);
            why = "None is an error, but a process that stops and starts again in the middle of the input restarted (by"
                    + " hand, a deployment, or a crash it came back from). ";
        } else if (cluster) {
            title = group.size() + " rare messages at once, first: " + Explain.shorten(template.pattern(), 80);
            came = " came together from " + Instant.ofEpochMilli(window * w);
            why = "None is an error, but so many rare messages at once are a change of state (a restart, a failover, a"
                    + " deployment). ";
        } else {
            // one occurrence is called by what it said (which server is down), more by their template
            String shown = lead.occurrences == 1 && lead.firstText != null && !lead.firstText.isBlank()
                    ? lead.firstText.strip() : template.pattern();
            title = (group.size() == 1 ? (hasHistory ? "New message: " : "Rare message: ")
                    : group.size() + (hasHistory ? " new messages, first: " : " rare messages, first: "))
                    + Explain.shorten(shown, 80);
            came = " appeared from " + Instant.ofEpochMilli(window * w);
            why = "";
        }
        StringBuilder explanation = new StringBuilder();
        explanation.append(group.size() == 1 ? "A message " : group.size() + " messages ").append(what).append(came)
                .append(". ").append(why)
                .append(clusterAt != null ? inCluster(lead, clusterAt, templates) : describe(lead, templates));
        for (Candidate t : group.subList(1, Math.min(group.size(), 6))) {
            explanation.append(" ").append(clusterAt != null ? inCluster(t, clusterAt, templates) : describe(t, templates));
        }
        if (group.size() > 6) {
            explanation.append(" And ").append(group.size() - 6).append(" more.");
        }
        long total = group.stream().mapToLong(c -> Math.min(c.occurrences, INFLUENCER_SAMPLE)).sum();
        Map<String, Map<String, Long>> merged = new HashMap<>();
        for (Candidate c : group) {
            c.values.forEach((f, v) -> v.top(4).forEach(e -> merged.computeIfAbsent(f, k -> new HashMap<>())
                    .merge(e.getKey(), e.getValue(), Long::sum)));
        }
        List<Anomaly.Influencer> who = total < CARRIED_BELOW ? influencers.carried(merged, total) : influencers.of(merged, total);
        double score = cluster ? Scoring.clamp(Math.max(CLUSTER_SCORE, lead.score(settings.minCount()) + 10))
                : group.stream().mapToDouble(c -> c.score(settings.minCount())).max().orElseThrow();
        String details = "Scored " + Explain.number(score) + (cluster ? ": " + Explain.number(CLUSTER_SCORE) + " for "
                + (burst ? "a routine rare message " + BURST + " or more times (" + WARNING_BURST
                + " for a warning or a failure) in one stretch"
                : (restart != null ? "a stop and a start among rare messages" : CLUSTER + " or more rare messages")
                + " at once") + " (their lead's own score + 10 if higher)."
                : ": 45 for a message, 65 a warning, 80 an error; +10 with an exception; +5 when it came at least "
                + settings.minCount() + " times.")
                + (hasHistory ? "" : " The input is its own baseline: the source has no history yet.");
        return new Anomaly(source, Detector.NEW_TEMPLATE, score, scoring.severity(score), Instant.ofEpochMilli(window * w),
                end.plusMillis(1), lead.id, template.pattern(), title, explanation.toString(), 0, lead.occurrences,
                contributors, evidence, null, who, List.of(), details);
    }

    /** A cluster's message: when it came in the cluster, and how often in the whole input. */
    private static String inCluster(Candidate t, Map<Candidate, Long> clusterAt, JobContext templates) {
        return "\"" + Explain.shorten(templates.template(t.id).pattern(), 80) + "\" at "
                + Instant.ofEpochMilli(clusterAt.get(t)) + " (" + Explain.plural(t.occurrences, "time") + " in the input).";
    }

    private static String describe(Candidate t, JobContext templates) {
        return "\"" + Explain.shorten(templates.template(t.id).pattern(), 80) + "\": first at " + t.first
                + (t.firstRef == null ? "" : " (" + t.firstRef + ")") + ", " + Explain.plural(t.occurrences, "time")
                + (t.worst == Level.UNKNOWN ? "" : " at level " + t.worst)
                + (t.exception ? ", with an exception" : "") + ".";
    }

    /** {@link #severityRank} by ordinal: a table, so code compiled before a level first shows up keeps working. */
    private static final int[] SEVERITY_RANK = new int[Level.values().length];

    static {
        for (Level level : Level.values()) {
            SEVERITY_RANK[level.ordinal()] = switch (level) {
                case FATAL -> 5;
                case ERROR -> 4;
                case WARN -> 3;
                case INFO -> 2;
                case DEBUG, TRACE -> 1;
                case UNKNOWN -> 0;
            };
        }
    }

    static int severityRank(Level level) {
        return SEVERITY_RANK[level.ordinal()];
    }

    /**
     * Whether a message holds a stack trace or an exception: {@code "\n\tat "}, {@code "\n    at "}, {@code "Traceback
     * (most recent call last)"}, {@code "Exception: "} or {@code "Exception\n"}. Run on every event of a template new
     * to the source until one says yes, so it looks for {@code "Exception"} and a line break once each and for the
     * rest only after them: three scans of a message instead of five (72 → 52 ns on HDFS messages).
     */
    static boolean looksLikeException(String message) {
        int exception = message.indexOf("Exception");
        if (exception >= 0 && (message.indexOf("Exception: ", exception) >= 0
                || message.indexOf("Exception\n", exception) >= 0)) {
            return true;
        }
        int lineBreak = message.indexOf('\n');
        if (lineBreak >= 0 && (message.indexOf("\n\tat ", lineBreak) >= 0
                || message.indexOf("\n    at ", lineBreak) >= 0)) {
            return true;
        }
        return message.contains("Traceback (most recent call last)");
    }

    /**
     * A template the source did not know, followed through the input by its worst occurrences: a request template
     * that answered 200 all along and 500 at the end is a rare error from its first 500.
     */
    private static final class Candidate {
        final String id;
        Instant first;
        Instant last;
        long occurrences;
        Level worst;
        boolean exception;
        String firstRef;
        Evidence example;
        /** The first line of the first worst occurrence's message: what a message that came once is called by. */
        String firstText;
        Map<String, TopValues> values = new HashMap<>(4);
        /** The first worst occurrences' times (at most {@value #TIMES}), to tell which incident they belong to. */
        List<Instant> times = new ArrayList<>();
        /** The input positions of those occurrences, one for each of {@code times}. */
        List<Long> ordinals = new ArrayList<>();
        /** The input position of the last occurrence at the worst level. */
        long lastOrdinal;
        static final int TIMES = 256;

        Candidate(String id, Instant first) {
            this.id = id;
            this.first = first;
            this.last = first;
        }

        void add(LogEvent event, Instant ts, long ordinal, String[] fields, String[] influencerValues, int maxEvidence) {
            int rank = severityRank(event.level());
            if (worst == null || rank > severityRank(worst)) {
                worst = event.level(); // a worse level starts the count again
                first = ts;
                last = ts;
                occurrences = 0;
                firstRef = null;
                example = null;
                firstText = null;
                values = new HashMap<>(4);
                times = new ArrayList<>();
                ordinals = new ArrayList<>();
                lastOrdinal = 0;
            } else if (rank < severityRank(worst)) {
                return;
            }
            occurrences++;
            lastOrdinal = Math.max(lastOrdinal, ordinal);
            if (times.size() < TIMES) {
                times.add(ts);
                ordinals.add(ordinal);
            }
            if (ts.isBefore(first)) first = ts;
            if (ts.isAfter(last)) last = ts;
            if (!exception && looksLikeException(event.message())) exception = true;
            if (firstRef == null && event.ref() != null) firstRef = event.ref().toString();
            if (example == null) example = Evidence.of(event, id);
            if (firstText == null && event.message() != null) {
                int lineBreak = event.message().indexOf('\n');
                firstText = lineBreak < 0 ? event.message() : event.message().substring(0, lineBreak);
            }
            if (occurrences <= INFLUENCER_SAMPLE) {
                for (int i = 0; i < influencerValues.length; i++) {
                    if (influencerValues[i] != null) {
                        values.computeIfAbsent(fields[i], k -> new TopValues(8)).add(influencerValues[i]);
                    }
                }
            }
        }

        double score(int minCount) {
            double score = switch (worst) {
                case FATAL, ERROR -> ERROR_SCORE;
                case WARN -> 65;
                default -> 45;
            };
            if (exception) score += 10;
            if (occurrences >= minCount) score += 5;
            return Scoring.clamp(score);
        }

    }
}
