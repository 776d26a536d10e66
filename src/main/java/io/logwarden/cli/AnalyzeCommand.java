package io.logwarden.cli;

import io.logwarden.detect.Anomaly;
import io.logwarden.detect.DetectionResult;
import io.logwarden.detect.OfflineDetection;
import io.logwarden.detect.SessionDetector;
import io.logwarden.detect.SessionVerdict;
import io.logwarden.detect.Template;
import io.logwarden.detect.TemplateMiner;
import io.logwarden.event.LogEvent;
import io.logwarden.detect.PreparedBatch;
import io.logwarden.ingest.EventBatches;
import io.logwarden.ingest.PrefetchedBatches;
import io.logwarden.report.ReportModel;
import io.logwarden.validate.EventChecks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * {@code analyze FILE...}: detection as the service runs it, one job per file in the order given, each file's
 * source named as the service names it, so {@code app.log.1 app.log} are judged like two files of source
 * {@code app.log} arriving one after the other. Invalid events are skipped as the service quarantines them.
 * Prints each job's anomalies (highest score first) with the report's field names.
 *
 * <p>With {@code --sessions}: every valid event is mined (one miner for all files, as a session may span them) and
 * observed under each session key its message names; then every session is judged and printed, first seen first.
 * Sessions need no timestamps, so the {@code timestamp} requirement is dropped for them.
 */
final class AnalyzeCommand {

    private static final int REASONS_SHOWN = 3;

    private final Settings settings;
    private final LogInput input;
    private final JsonLines out;
    private final PrintStream err;
    private final Instant now;
    private boolean failed;
    private long events;

    AnalyzeCommand(Settings settings, LogInput input, JsonLines out, PrintStream err, Instant now) {
        this.settings = settings;
        this.input = input;
        this.out = out;
        this.err = err;
        this.now = now;
    }

    /** Anomalies per time window; returns the exit code (1 when a file could not be read, the others still are). */
    int windows(List<Path> files) {
        OfflineDetection detection = new OfflineDetection(settings.detect());
        EventChecks checks = new EventChecks(settings.validation());
        int anomalies = 0;
        for (Path file : files) {
            OfflineDetection.Job job = detection.start(LogInput.sourceOf(file));
            if (!read(file, checks, detection, job, null, true)) {
                continue;
            }
            DetectionResult result = job.finish(Settings.TOP_TEMPLATES);
            for (Anomaly anomaly : result.anomalies()) {
                out.write(ReportModel.anomaly(anomaly));
                anomalies++;
            }
        }
        err.println("logwarden: " + anomalies + (anomalies == 1 ? " anomaly" : " anomalies") + " in " + events
                + (events == 1 ? " event" : " events") + " of " + files.size() + (files.size() == 1 ? " file" : " files"));
        return failed ? CliError.INPUT : 0;
    }

    /** One verdict per session; returns the exit code. */
    int sessions(List<Path> files, Pattern sessionKey) {
        TemplateMiner miner = OfflineDetection.minerConfig(settings.detect()).build();
        SessionDetector detector = SessionDetector.builder().sessionKey(sessionKey).build();
        EventChecks.Rules v = settings.validation();
        List<String> required = new ArrayList<>(v.requiredFields());
        required.remove("timestamp");
        EventChecks checks = new EventChecks(new EventChecks.Rules(required, v.maxMessageBytes(), v.maxFutureSkew(), v.oldest()));
        for (Path file : files) {
            read(file, checks, null, null, event -> {
                // Every event is mined, keyed or not, so template ids in the reasons match the templates command's.
                String message = event.message() == null ? "" : event.message();
                Template template = miner.add(message);
                for (String key : detector.sessionKeys(message)) {
                    detector.observe(key, template, event.level(), event.raw());
                }
            }, false);
        }
        List<SessionVerdict> verdicts = detector.judge();
        int anomalous = 0;
        for (SessionVerdict verdict : verdicts) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("session", verdict.session());
            line.put("anomalous", verdict.anomalous());
            line.put("score", verdict.score());
            line.put("reasons", verdict.reasons());
            out.write(line);
            if (verdict.anomalous()) anomalous++;
        }
        if (verdicts.isEmpty() && events > 0) {
            err.println("logwarden: no message matched --session-key " + sessionKey.pattern());
        }
        err.println("logwarden: " + anomalous + " of " + verdicts.size() + " sessions anomalous, in " + events
                + (events == 1 ? " event" : " events") + " of " + files.size() + (files.size() == 1 ? " file" : " files"));
        return failed ? CliError.INPUT : 0;
    }

    /**
     * Feeds the file's valid events to {@code job} (with its {@code detection}) or to {@code sink}, and tells stderr
     * what was skipped. False (after saying why) when the file could not be read to its end; its events so far have
     * been fed. With a job, batches are read, parsed, validated and prepared on a reading thread while the job observes
     * the previous one, as the service does; with a sink, events are fed one by one on this thread.
     */
    private boolean read(Path file, EventChecks checks, OfflineDetection detection, OfflineDetection.Job job,
                         Consumer<LogEvent> sink, boolean needsTime) {
        long valid = 0;
        long invalid = 0;
        List<String> reasons = new ArrayList<>(REASONS_SHOWN);
        String format = null;
        try (EventBatches opened = input.open(file);
             PrefetchedBatches batches = new PrefetchedBatches(opened, job == null ? UnaryOperator.identity()
                     : batch -> detection.preparer().prepare(batch, checks.at(now)::check))) {
            format = opened.format().name();
            String layout = opened.format().description();
            if (!layout.equals(format)) {
                err.println("logwarden: " + file + ": format " + layout);
            }
            try {
                while (batches.hasNext()) {
                    List<LogEvent> batch = batches.next();
                    for (int i = 0, n = batch.size(); i < n; i++) {
                        LogEvent event = batch.get(i);
                        String reason = job != null ? ((PreparedBatch) batch).rejection(i) : checks.check(event, now);
                        if (reason == null) {
                            if (sink != null) sink.accept(event);
                            valid++;
                        } else {
                            invalid++;
                            if (reasons.size() < REASONS_SHOWN) {
                                reasons.add((event.ref() == null ? "" : "line " + event.ref().line() + ": ") + reason);
                            }
                        }
                    }
                    if (job != null) job.observe((PreparedBatch) batch);
                }
            } catch (RuntimeException e) {
                throw LogInput.readError(file, e);
            }
            String warnings = opened.summary().warnings();
            if (!warnings.isEmpty()) {
                err.println("logwarden: " + file + ": " + warnings);
            }
        } catch (CliError e) {
            err.println("logwarden: " + e.getMessage());
            failed = true;
            return false;
        } catch (IOException e) {
            err.println("logwarden: " + LogInput.readError(file, e).getMessage());
            failed = true;
            return false;
        } finally {
            events += valid;
            if (invalid > 0) {
                err.println("logwarden: " + file + ": " + invalid + " of " + (valid + invalid)
                        + " events skipped as invalid (the service quarantines them); first: " + String.join("; ", reasons)
                        + (needsTime && valid == 0 && ("raw".equals(format) || "plain".equals(format))
                        ? ". The " + format + " format has no timestamps, which windows need; --sessions does not" : ""));
            }
        }
        return true;
    }
}
