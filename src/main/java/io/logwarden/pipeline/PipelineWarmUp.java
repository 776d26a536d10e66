package io.logwarden.pipeline;

import io.logwarden.config.DetectProperties;
import io.logwarden.config.IngestProperties;
import io.logwarden.detect.OfflineDetection;
import io.logwarden.detect.PreparedBatch;
import io.logwarden.ingest.EventBatches;
import io.logwarden.ingest.FormatDetector;
import io.logwarden.ingest.FormatRegistry;
import io.logwarden.ingest.IngestSettings;
import io.logwarden.ingest.LogFileReader;
import io.logwarden.ingest.PrefetchedBatches;
import io.logwarden.ingest.UnknownFormatException;
import com.fasterxml.jackson.databind.ObjectMapper;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import io.logwarden.detect.DetectionResult;
import io.logwarden.report.ReportModel;
import io.logwarden.report.ReportView;
import io.logwarden.store.Job;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.freemarker.FreemarkerEndpoint;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs the reading and detection code on generated logs of the common kinds right after start-up, on a thread of its
 * own, while the service waits for its first input. A fresh JVM interprets code until its just-in-time compiler has
 * seen it run; without this, the first file a service reads runs at a fraction of the speed of the next ones while the
 * compiler takes the cores it needs. The generated files are read exactly as inbox files are (the reader, the formats,
 * validation, the per-event preparation on two threads, mining, counting, judging), in memory, and the last one's
 * report is rendered as a job's reports are, into nothing: nothing is stored, no job is made, and the files are
 * deleted.
 *
 * <p>It never delays work: start-up does not wait for it, and the first job (a file, a database, REST or Kafka run)
 * stops it at once ({@link #stop}). It says in the log when it is done. {@code logwarden.ingest.warm-up: false} turns it
 * off.
 */
@Component("pipelineWarmUp")
public class PipelineWarmUp {

    private static final Logger log = LoggerFactory.getLogger(PipelineWarmUp.class);

    /** Lines per generated file, per round: enough calls for the compiler to compile the per-line code. */
    static final int LINES = 40_000;
    /** Where the application log's incident starts and how many of its lines it spans (a minute, every other line). */
    static final int BURST_FROM = LINES / 2;
    static final int BURST_LINES = 2_400;
    /** Lines of the generated log whose messages mix every token shape (slow to mine: nearly each is a template). */
    static final int VARIED_LINES = 4_000;
    /** Rounds at most; it stops earlier once a round is no faster than the one before (the code is compiled). */
    static final int MAX_ROUNDS = 4;
    /** Format detections run on samples of the generated logs, and the lines of each sample. */
    static final int DETECTIONS = 600;
    static final int DETECTION_SAMPLE = 200;
    /** How long the compiler may go on compiling what the rounds queued, at most. */
    static final long SETTLE_MILLIS = 3_000;

    /**
     * Events per batch while warming up. Code that runs once a batch (the reader's batch loop, the preparation, the
     * detection's batch loop) is only compiled fully after some thousand calls: small batches give it those calls.
     */
    static final int BATCH = 16;

    private final IngestProperties ingest;
    private final DetectProperties detect;
    private final LogFileReader reader;
    private final FormatDetector detector;
    private final BatchPreparation preparation;
    private final ReportModel reportModel;
    private final ReportView reportView;
    private final CamelContext camel;
    private final ObjectMapper json;
    private final Clock clock;

    public PipelineWarmUp(IngestProperties ingest, DetectProperties detect, IngestSettings settings,
                          FormatRegistry formats, BatchPreparation preparation, Clock clock, ReportModel reportModel,
                          ReportView reportView, CamelContext camel, ObjectMapper json) {
        this.ingest = ingest;
        this.detect = detect;
        this.reader = new LogFileReader(settings.withBatchSize(BATCH), formats, clock);
        this.detector = new FormatDetector(formats, Map.of(), settings.minFormatShare());
        this.preparation = preparation;
        this.reportModel = reportModel;
        this.reportView = reportView;
        this.camel = camel;
        this.json = json;
        this.clock = clock;
    }

    /** What became of the warm-up. */
    public enum State { OFF, RUNNING, DONE, STOPPED, FAILED }

    private volatile State state = State.OFF;
    private volatile boolean stopping;
    private volatile long lines;
    private volatile Path folder;
    private volatile boolean reportRendered;

    /** Starts the warm-up once the service is up (unless it is turned off). */
    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        if (!ingest.warmUp() || state != State.OFF) {
            return;
        }
        state = State.RUNNING;
        Thread thread = new Thread(this::warmUp, "logwarden-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the warm-up, if it runs, so that real work has the cores: called when a job starts. */
    public void stop() {
        stopping = true;
    }

    public State state() {
        return state;
    }

    /** Generated lines read so far. */
    public long lines() {
        return lines;
    }

    /** The temporary folder the generated logs were written to (deleted once the warm-up ends), or null. */
    public Path folder() {
        return folder;
    }

    private void warmUp() {
        long start = System.nanoTime();
        Path dir = null;
        State outcome = State.FAILED;
        try {
            dir = Files.createTempDirectory("logwarden-warm-up");
            folder = dir;
            List<Path> files = write(dir);
            detectFormats(files);
            long previous = Long.MAX_VALUE;
            int rounds = 0;
            DetectionResult last = null; // the last generated file's, for the report
            while (rounds < MAX_ROUNDS && !stopping) {
                long roundStart = System.nanoTime();
                OfflineDetection detection = new OfflineDetection(detect.settings());
                for (Path file : files) {
                    if (!stopping) last = run(file, detection);
                }
                rounds++;
                long took = System.nanoTime() - roundStart;
                if (took > previous * 0.9) break;
                previous = took;
            }
            if (!stopping && last != null) {
                reports(last);
            }
            long settled = stopping ? 0 : settle();
            long millis = (System.nanoTime() - start) / 1_000_000 - settled;
            if (stopping) {
                outcome = State.STOPPED;
                log.info("Warm-up stopped after {} generated lines in {} ms: a job started", lines, millis);
            } else {
                outcome = State.DONE;
                log.info("Warm-up done: the reading and detection code ran on {} generated lines ({} rounds) and a"
                        + " report was rendered in {} ms, and the compiler settled in {} ms more; files are now read at"
                        + " full speed from the first"
                        + " (logwarden.ingest.warm-up: false skips this)", lines, rounds, millis, settled);
            }
        } catch (IOException | RuntimeException | Error e) {
            // never a reason to fail: the first file is only slower
            log.warn("Warm-up given up: {}", e.toString());
        } finally {
            delete(dir);
            state = outcome; // once its files are gone
        }
    }

    /**
     * Runs format detection on samples of the generated logs, each alone and two by two, a line of one after a line of
     * the other, as a file's start and each change of its header layout run it: every format tried on every kind of
     * line, the layout inference on lines it must refuse too. A file runs it a few times only, too few for the
     * compiler, which then compiled it again at each new kind of line; run here {@value #DETECTIONS} times.
     */
    private void detectFormats(List<Path> files) throws IOException {
        List<List<String>> heads = new ArrayList<>();
        for (Path file : files) {
            try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
                heads.add(lines.limit(DETECTION_SAMPLE).toList());
            }
        }
        List<List<String>> samples = new ArrayList<>(); // each log's head, then each pair's, every other line the second's
        for (int a = 0; a < heads.size(); a++) {
            for (int b = a; b < heads.size(); b++) {
                List<String> sample = new ArrayList<>(heads.get(a));
                List<String> other = heads.get(b);
                for (int i = 0; b != a && i < sample.size(); i += 2) sample.set(i, other.get(i % other.size()));
                samples.add(sample);
            }
        }
        for (int round = 0; round < DETECTIONS && !stopping; round++) {
            try {
                detector.detect("warm-up.log", samples.get(round % samples.size()));
            } catch (UnknownFormatException e) {
                // a mixture no format reads: refused, as such a file would be
            }
        }
    }

    /**
     * Waits until the just-in-time compiler has finished what the rounds gave it (its total compilation time stops
     * growing), at most {@link #SETTLE_MILLIS}; returns the milliseconds waited.
     */
    private static long settle() {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) return 0;
        long start = System.nanoTime();
        long last = compiler.getTotalCompilationTime();
        try {
            while ((System.nanoTime() - start) / 1_000_000 < SETTLE_MILLIS) {
                Thread.sleep(100);
                long now = compiler.getTotalCompilationTime();
                if (now == last) break;
                last = now;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Reads a generated file as a job would; its detection result, or null when stopped. */
    private DetectionResult run(Path file, OfflineDetection detection) throws IOException {
        OfflineDetection.Job job = detection.start(file.getFileName().toString());
        preparation.startAsFirstJob();
        try (EventBatches batches = reader.open(file, file.getFileName().toString());
             PrefetchedBatches prefetched = new PrefetchedBatches(batches, preparation.step())) {
            while (!stopping && prefetched.hasNext()) {
                PreparedBatch batch = (PreparedBatch) prefetched.next();
                lines += batch.size();
                job.observe(batch);
            }
        }
        return stopping ? null : job.finish(10);
    }

    /**
     * Renders the report of a generated file as a job's reports are rendered (the document, the HTML view through the
     * route's FreeMarker templates, the JSON through the application's mapper), into nothing: the first report then
     * finds its templates parsed and its code compiled (a fresh service spent about 0.3 s on them). Nothing is written
     * or stored.
     */
    private void reports(DetectionResult result) throws IOException {
        Instant now = clock.instant();
        Job job = new Job(0, "warm-up", "file", "warm-up.log", Job.RUNNING, "warm-up", result.events(),
                result.events(), 0, result.anomalies().size(), null, 0, 1, null, null, now, now, null);
        Map<String, Object> document = reportModel.document(result, job, List.of());
        Map<String, Object> view = reportView.forHtml(document);
        for (Endpoint endpoint : camel.getEndpoints()) {
            if (endpoint instanceof FreemarkerEndpoint html && html.getConfiguration() != null
                    && ReportView.TEMPLATE.equals(html.getResourceUri())) {
                Template template = html.getConfiguration().getTemplate(html.getResourceUri());
                try {
                    template.process(Map.of("body", view), Writer.nullWriter());
                } catch (TemplateException e) {
                    throw new IllegalStateException(html.getResourceUri() + " did not render a generated report: "
                            + e.getMessage(), e);
                }
            }
        }
        json.writerWithDefaultPrettyPrinter().writeValue(OutputStream.nullOutputStream(), document);
        reportRendered = true;
    }

    /** Whether a generated report was rendered (once the warm-up is done). */
    public boolean reportRendered() {
        return reportRendered;
    }

    /**
     * Logs of the kinds most files are: a header layout to infer (changing seven times in the file), an nginx access log,
     * syslog, an application log (it and three others with stack traces), an Apache error log, a log4j layout with threads in brackets, and a
     * shorter one of ISO-stamped lines around a leap day whose long messages mix every token shape (non-ASCII text,
     * address-like numbers, IPv6, Windows paths, tabs) at every level word. Their messages hold the token shapes real
     * logs have (numbers, addresses with ports, paths with and without ids and queries, key=value pairs, brackets,
     * quotes, qualified names, hex and UUID ids, durations, lists), at every level: code the compiler has seen take only
     * some branches is compiled again when a file takes another, which is what made a first file slow.
     */
    static List<Path> write(Path dir) throws IOException {
        Random random = new Random(15);
        LocalDateTime t0 = LocalDateTime.ofInstant(Instant.now().minusSeconds(86_400), ZoneOffset.UTC);
        Path layout = dir.resolve("layout.log");
        Path access = dir.resolve("access.log");
        Path syslog = dir.resolve("syslog.log");
        Path app = dir.resolve("app.log");
        Path apacheError = dir.resolve("apache-error.log");
        Path log4j = dir.resolve("log4j.log");
        Path varied = dir.resolve("varied.log");
        DateTimeFormatter compact = DateTimeFormatter.ofPattern("yyMMdd HHmmss", Locale.ROOT);
        DateTimeFormatter nginx = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss", Locale.ROOT);
        DateTimeFormatter rfc3164 = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT); // "Jun  4", as syslog pads
        DateTimeFormatter iso = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
        DateTimeFormatter isoComma = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS", Locale.ROOT);
        DateTimeFormatter apache = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", Locale.ROOT);
        DateTimeFormatter isoZulu = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT);
        // a leap day from the hour before it: days past the 28th, February, a leap year
        LocalDateTime leap = LocalDateTime.of(2024, 2, 28, 23, 30);
        String[] variedLevels = {"INFO", "INFO", "INFO", "WARN", "ERROR", "DEBUG", "TRACE", "FATAL", "WARNING", "info",
                "error", "Notice", "CRITICAL"};
        DateTimeFormatter slashed = DateTimeFormatter.ofPattern("yy/MM/dd HH:mm:ss", Locale.ROOT);
        DateTimeFormatter monthDay = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss.SSS", Locale.ROOT);
        DateTimeFormatter dotted = DateTimeFormatter.ofPattern("yyyy.MM.dd HH:mm:ss", Locale.ROOT);
        DateTimeFormatter dayFirst = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss", Locale.ROOT);
        DateTimeFormatter numeric = DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss:SSS", Locale.ROOT);
        String[] apacheLevels = {"notice", "notice", "error", "warn", "info"};
        String[] levels = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
        String[] paths = {"/", "/api/v2/items/", "/api/orders/", "/static/app.3f9c1e.js", "/admin/login", "/healthz",
                "/search?q=", "/mnt/data/part-", "/search?q=shoes&page=next"};
        String[] statuses = {"200", "200", "200", "200", "304", "301", "401", "403", "404", "500", "502", "503"};
        String[] agents = {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                "curl/8.5.0", "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", "-"};
        try (Writer l = Files.newBufferedWriter(layout, StandardCharsets.UTF_8);
             Writer a = Files.newBufferedWriter(access, StandardCharsets.UTF_8);
             Writer s = Files.newBufferedWriter(syslog, StandardCharsets.UTF_8);
             Writer p = Files.newBufferedWriter(app, StandardCharsets.UTF_8);
             Writer e = Files.newBufferedWriter(apacheError, StandardCharsets.UTF_8);
             Writer j = Files.newBufferedWriter(log4j, StandardCharsets.UTF_8);
             Writer v = Files.newBufferedWriter(varied, StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                LocalDateTime t = t0.plusNanos(i * 25_000_000L);
                // each kind in another month (month lengths, day counts and year guesses take their other branches)
                LocalDateTime t2 = t.minusMonths(2);
                LocalDateTime t5 = t.minusMonths(5);
                LocalDateTime t7 = t.minusMonths(7);
                LocalDateTime t10 = t.minusMonths(10);
                String level = levels[random.nextInt(levels.length)];
                // the header layout changes seven times (concatenated or rotated logs): each section is inferred
                // anew, and the layout code meets eight timestamp shapes, as a file of mixed origins makes it
                l.write(switch (8 * i / LINES) {
                    case 0 -> compact.format(t) + " " + (100 + random.nextInt(60)) + " " + level + " dfs.Component$Part"
                            + random.nextInt(6);
                    case 1 -> slashed.format(t) + " " + level + " executor.Executor" + random.nextInt(4);
                    case 2 -> monthDay.format(t) + "  " + (1000 + random.nextInt(900)) + "  " + (2000 + random.nextInt(900))
                            + " " + level.charAt(0) + " Manager" + random.nextInt(5);
                    case 3 -> isoComma.format(t) + " - " + level + "  [Worker-" + random.nextInt(9) + ":Quorum@"
                            + (700 + random.nextInt(99)) + "]";
                    case 4 -> dotted.format(t) + " R0" + random.nextInt(8) + "-M1 RAS KERNEL " + level;
                    case 5 -> dayFirst.format(t) + " " + level + " [job-" + random.nextInt(9) + "] Scheduler";
                    case 6 -> numeric.format(t) + " " + level + " Step" + random.nextInt(4);
                    // no level column: the level is looked for in the message
                    default -> t.toEpochSecond(ZoneOffset.UTC) + " node-" + random.nextInt(16)
                            + (random.nextInt(3) == 0 ? ": " + LEVEL_WORDS[random.nextInt(LEVEL_WORDS.length)] : "");
                } + ": " + message(random) + "\n");
                String status = statuses[random.nextInt(statuses.length)];
                String path = paths[random.nextInt(paths.length)];
                a.write(address(random) + " - " + (random.nextInt(8) == 0 ? "admin" : "-") + " [" + nginx.format(t2)
                        + " +0000] \"" + (random.nextInt(5) == 0 ? "POST " : "GET ") + path
                        + (path.endsWith("/") || path.endsWith("=") || path.endsWith("-") ? random.nextInt(100_000) : "")
                        + " HTTP/1.1\" " + status + " " + random.nextInt(50_000) + " \""
                        + (random.nextBoolean() ? "-" : "https://shop.example" + path) + "\" \"" + agents[random.nextInt(agents.length)]
                        + "\" 0." + random.nextInt(999) + (random.nextInt(6) == 0 ? " - -" : " 0." + random.nextInt(999)
                        + " 127.0.0.1:" + (8080 + random.nextInt(3))) + "\n");
                String user = "u" + random.nextInt(50);
                // days with one digit, then two
                s.write(rfc3164.format(t5.withDayOfMonth(2 * i < LINES ? 4 : 14)) + " host" + random.nextInt(3) + " " + switch (random.nextInt(5)) {
                    case 0 -> "sshd[" + (1000 + random.nextInt(9000)) + "]: Failed password for invalid user " + user
                            + " from " + address(random) + " port " + random.nextInt(60000) + " ssh2";
                    case 1 -> "sshd[" + (1000 + random.nextInt(9000)) + "]: Accepted publickey for " + user + " from "
                            + address(random) + " port " + random.nextInt(60000) + " ssh2: RSA SHA256:" + Long.toHexString(random.nextLong());
                    case 2 -> "CRON[" + random.nextInt(9000) + "]: (root) CMD (/usr/lib/sa/sa1 1 1)";
                    case 3 -> "app[" + (1000 + random.nextInt(9000)) + "]: " + LEVEL_WORDS[random.nextInt(LEVEL_WORDS.length)]
                            + " " + message(random);
                    default -> "kernel: [" + random.nextInt(99_999) + "." + random.nextInt(999_999) + "] " + message(random);
                } + "\n");
                p.write(iso.format(t) + " " + level + " [worker-" + random.nextInt(8) + "] com.example.orders.Service"
                        + random.nextInt(4) + " - " + message(random) + "\n");
                if (i >= BURST_FROM && i < BURST_FROM + BURST_LINES && i % 2 == 0) {
                    // an incident over several windows: the judges follow a finding from one window to the next
                    p.write(iso.format(t) + " ERROR [worker-1] com.example.orders.Payments - payment gateway timed out"
                            + " after 30000 ms (order " + random.nextInt(99_999) + ")\n");
                }
                e.write("[" + apache.format(t7) + "] [" + apacheLevels[random.nextInt(apacheLevels.length)] + "] "
                        + (random.nextBoolean() ? "[client " + address(random) + "] " : "") + message(random) + "\n");
                j.write(isoComma.format(t10) + " " + level + " [" + (random.nextBoolean() ? "main" : "IPC Server handler "
                        + random.nextInt(10) + " on " + (8000 + random.nextInt(100))) + "] org.example.store.Node"
                        + random.nextInt(5) + ": " + message(random) + "\n");
                if (i < VARIED_LINES) {
                    // now and then a line stamped before the one above it, as a log of several threads has (the
                    // second one before the first, a repeated message before its first time)
                    boolean late = i == 1 || i % 50 == 49;
                    v.write(isoZulu.format(leap.plusNanos(i * 150_000_000L - (late ? 10_000_000_000L : 0))) + " "
                            + variedLevels[random.nextInt(variedLevels.length)] + " [" + (random.nextBoolean() ? "main"
                            : "pool-" + random.nextInt(4) + "-thread-" + random.nextInt(9)) + "] io.example.Varied"
                            + random.nextInt(3) + " - " + (i % 50 >= 48 ? "late heartbeat from worker-" + random.nextInt(9)
                            : varied(random)) + "\n");
                }
                if ("ERROR".equals(level) && random.nextInt(4) == 0) {
                    String trace = "java.sql.SQLTransientConnectionException: pool-" + random.nextInt(3) + " - Connection"
                            + " is not available, request timed out after " + random.nextInt(30_000) + "ms.\n"
                            + "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n"
                            + "\tat com.example.orders.Service.create(Service.java:" + random.nextInt(400) + ")\n"
                            + "Caused by: java.net.ConnectException: Connection refused\n\t... 12 more\n";
                    // continuation lines under the line just written, in logs of four formats (each folds them)
                    p.write(trace);
                    l.write(trace);
                    j.write(trace);
                    e.write(trace);
                    if (i < VARIED_LINES) v.write(trace);
                }
            }
        }
        // the varied one first: the branches it takes are then in the profile the compiler first compiles with
        return List.of(varied, layout, access, syslog, app, apacheError, log4j);
    }

    private static String address(Random random) {
        return random.nextInt(10) == 0 ? "2001:db8::" + Integer.toHexString(random.nextInt(65_536))
                : "10." + random.nextInt(250) + "." + random.nextInt(250) + "." + random.nextInt(250);
    }

    /** One message of a varied shape, its values drawn anew each time. */
    private static String message(Random random) {
        long id = random.nextLong() & 0xffffffffffL;
        String ip = address(random);
        return switch (random.nextInt(13)) {
            case 0 -> "Receiving block blk_-" + id + " src: /" + ip + ":" + random.nextInt(65_536) + " dest: /" + ip + ":50010";
            case 1 -> "BLOCK* NameSystem.addStoredBlock: blockMap updated: " + ip + ":50010 is added to blk_" + id
                    + " size " + random.nextInt(67_108_864);
            case 2 -> "order " + id + " accepted in " + random.nextInt(900) + "ms (user=" + (random.nextBoolean() ? "root" : "guest")
                    + ", items=[" + random.nextInt(9) + ", " + random.nextInt(9) + "], total=" + random.nextInt(999) + ".99)";
            case 3 -> "Deleting /mnt/hadoop/mapred/system/job_2008110920" + random.nextInt(99) + "_" + random.nextInt(9999)
                    + "/job.jar. blk_" + id;
            case 4 -> "Request " + new java.util.UUID(id, ~id) + " to http://" + ip + ":8080/api/v1/items/" + random.nextInt(999)
                    + "?page=" + random.nextInt(9) + " failed: 503 Service Unavailable";
            case 5 -> "Connection reset by peer; retrying in " + random.nextInt(30) + "s (attempt " + random.nextInt(5) + "/5)";
            case 6 -> "org.apache.hadoop.mapreduce.v2.app.job.event.TaskAttemptEvent: state changed from RUNNING to "
                    + (random.nextBoolean() ? "SUCCEEDED" : "FAILED") + " for attempt_" + id + "_m_" + random.nextInt(99);
            case 7 -> "session 0x" + Long.toHexString(id) + " closed by client " + ip + " after \"" + random.nextInt(99) + " KB\"";
            case 8 -> "GC pause (G1 Evacuation Pause) " + random.nextInt(300) + "M->" + random.nextInt(200) + "M("
                    + random.nextInt(512) + "M), " + random.nextInt(99) + "." + random.nextInt(999) + " ms";
            case 9 -> "Heartbeat from worker-" + random.nextInt(20) + " at " + ip + " (load " + random.nextInt(4) + "."
                    + random.nextInt(99) + ", mem " + random.nextInt(100) + "%)";
            case 10 -> random.nextBoolean() ? "Configuration key 'spark.executor.memory' = '" + random.nextInt(16) + "g' <default>"
                    : "{\"user\": \"u" + random.nextInt(99) + "\", \"roles\": [\"admin\"]} -> (" + random.nextInt(9) + ";"
                    + random.nextInt(9) + ") <" + ip + ">, 'quoted " + random.nextInt(99) + "', [a, b]: done";
            // a long message (more tokens than a batch's first guess holds) with a path whose query has no digit
            case 11 -> "Slow request GET /search?q=shoes&sort=price from " + ip + " took " + random.nextInt(9000)
                    + " ms: parse 1 ms, auth 2 ms, cache miss on products, query plan seq scan on orders, rows "
                    + random.nextInt(99_999) + ", sort on disk, render " + random.nextInt(99) + " ms, gzip on, status 200,"
                    + " bytes " + random.nextInt(999_999) + ", upstream " + ip + ":8080, retries 0, trace " + Long.toHexString(id);
            default -> "Task " + random.nextInt(1000) + " finished: " + random.nextInt(10) + " of " + random.nextInt(10)
                    + " stages done, " + random.nextInt(1000) + " records written to s3://bucket/out/part-" + random.nextInt(99);
        };
    }

    /** Level words as messages write them, marked or not. */
    private static final String[] LEVEL_WORDS = {"ERROR:", "warning:", "[error]", "<crit>", "level=info", "FATAL", "Notice:",
            "[WARN]", "DEBUG", "Überlauf:", "échec"};

    /** Token shapes real messages hold, rarer kinds included. */
    private static final String[] SHAPES = {"7", "1234", "123456789012", "12.5", "1234.5678", "10.1.2.3", "10.1.2.3:8080",
            "1234.1.1.1", "1.2.3", "1.2.3.4.5", "v2.10.1234", "0x1f3a", "deadbeef", "/var/lib/x/1234", "/a",
            "http://h.example:8080/p/1?q=2&r=x", "k=12", "user=bob", "'x'", "\"y 2\"", "[12]", "(a)", "{b}", "<c>",
            "error", "Exception:", "java.lang.IllegalStateException", "café", "naïve", "日本語", "Ünïcödé", "-", "--",
            "...", "#", "@", "%", "&", "bob@example.com", "12:34:56", "2026-11-30", "150ms", "2.5s", "a_b-c.d",
            "CamelCase42", "ÄÖÜ-1", "tab\there", "x;y", "a,b", "n=1,m=2", "::1", "fe80::1%eth0", "[::1]:443", "50%",
            "$HOME", "~/x", "C:\\tmp\\x", "#42", "@user", "+1", "-3", "1e-9", "NaN", "null", "true", "GET", "/api/v1/x?id=7",
            "<*>", "(/10.0.0.1:50010)", "org.example.a.b.C$D", "[main]", "\"/p/1\"", "'/etc/x.conf',", "=5)", "(", ")", "[",
            "]", "<", ">", "\"", "'", "{", "}", "=WARN", "<error>", "level=ERROR", "[Error]", "CRITICAL:", "Warning>",
            "10.0.0.", "1.2.3.4a", "a1.2.3.4", "999.1.1.1:1", "v2", "V1.2", "v3.", "v.9", "v12x", "vv1",
            // paths whose segments look like versions, or nearly ("/v2/<id>/servers", "/vm-12/", "/v1.2/", "/v3./")
            "/v2/64fadb57/servers/detail", "/vm-12/disk", "/v1.2/items/7", "/V3/x/9", "/v3./a/1", "/v.9/b/2", "/v12x/c/3"};

    /** A message of many tokens of mixed shapes: branches one kind of log never takes, taken. */
    private static String varied(Random random) {
        StringBuilder m = new StringBuilder();
        int tokens = random.nextInt(8) == 0 ? 1 : 3 + random.nextInt(60);
        if (random.nextInt(4) == 0) { // a request line first: a method (or a word like one), then a path
            m.append(new String[] {"GET", "DELETE", "FETCH"}[random.nextInt(3)]).append(' ')
                    .append(random.nextBoolean() ? "/api/v1/x?id=7" : "/a/b");
        }
        for (int t = 0; t < tokens; t++) {
            if (m.length() > 0) m.append(random.nextInt(12) == 0 ? ", " : " ");
            String shape = SHAPES[random.nextInt(SHAPES.length)];
            m.append(random.nextInt(4) == 0 ? shape.replace('1', (char) ('0' + random.nextInt(10))) : shape);
        }
        return m.toString();
    }

    private static void delete(Path dir) {
        if (dir == null) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.debug("could not delete the warm-up files in {}", dir, e);
        }
    }
}
