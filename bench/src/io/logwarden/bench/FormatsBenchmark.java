package io.logwarden.bench;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.ingest.EventBatches;
import io.logwarden.ingest.FormatRegistry;
import io.logwarden.ingest.IngestSettings;
import io.logwarden.ingest.LogFileReader;
import io.logwarden.ingest.LogFormat;
import io.logwarden.ingest.ReadSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every {@code *_2k.log} under bench-data/loghub2k (and the HDFS session file) with the default settings,
 * exactly as the service's file reader does (no configuration, format detected or inferred), and prints per file
 * the format or layout, events, the share with a timestamp and the share with a level, and the reading warnings.
 * Then, per file, the parse speed of its format alone: the file's lines parsed in memory, repeated to 1M lines
 * (median of 5 passes after 2 warm-ups), as the in-process per-line cost; not a whole-process figure. Last, whole
 * files through the reader: the 20k-line HDFS head repeated to 1M lines in a temporary file.
 */
public final class FormatsBenchmark {

    private static final int SPEED_LINES = 1_000_000;

    public static void main(String[] args) throws Exception {
        Path root = BenchData.root();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root.resolve("loghub2k"))) {
            for (Path d : dirs) {
                try (DirectoryStream<Path> logs = Files.newDirectoryStream(d, "*_2k.log")) {
                    logs.forEach(files::add);
                }
            }
        }
        files.sort(null);
        Path sessions = root.resolve("hdfs_labelled").resolve("HDFS_5k_sessions.log");
        if (Files.exists(sessions)) files.add(sessions);

        IngestSettings settings = IngestSettings.defaults();
        Clock clock = Clock.systemUTC();
        LogFileReader reader = new LogFileReader(settings, new FormatRegistry(settings, clock), clock);
        boolean speed = !"false".equals(System.getProperty("formats.speed"));
        System.out.printf("%-26s %7s %7s %7s %9s  %s%n", "file", "events", "time%", "level%", "Mlines/s", "format");
        for (Path file : files) {
            long events = 0;
            long timed = 0;
            long levelled = 0;
            LogFormat format;
            ReadSummary summary;
            try (EventBatches batches = reader.open(file, "bench")) {
                format = batches.format();
                while (batches.hasNext()) {
                    for (LogEvent e : batches.next()) {
                        events++;
                        if (e.timestamp() != null) timed++;
                        if (e.level() != Level.UNKNOWN) levelled++;
                    }
                }
                summary = batches.summary();
            }
            String rate = speed ? String.format("%9.2f", parseRate(format, file)) : "        -";
            System.out.printf("%-26s %7d %6.1f%% %6.1f%% %s  %s%n", file.getFileName(), events,
                    100.0 * timed / Math.max(1, events), 100.0 * levelled / Math.max(1, events), rate, summary.format());
            if (!summary.warnings().isEmpty()) {
                System.out.println("    warnings: " + summary.warnings());
            }
        }
        if (speed) readerRate(reader, root);
    }

    // Whole-file reading through LogFileReader (line splitting, detection, parsing, folding, batches) of the
    // 20k-line HDFS head repeated to 1M lines in a temporary file outside the project, deleted afterwards.
    private static void readerRate(LogFileReader reader, Path root) throws Exception {
        Path head = root.resolve("hdfs_labelled").resolve("HDFS_20k_head.log");
        if (!Files.exists(head)) return;
        byte[] bytes = Files.readAllBytes(head);
        Path tmp = Files.createTempFile("logwarden-formats-", ".log");
        try {
            try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                for (int i = 0; i < 50; i++) out.write(bytes);
            }
            long[] nanos = new long[5];
            long events = 0;
            for (int pass = 0; pass < nanos.length; pass++) {
                long t0 = System.nanoTime();
                events = 0;
                try (EventBatches batches = reader.open(tmp, "bench")) {
                    while (batches.hasNext()) events += batches.next().size();
                }
                nanos[pass] = System.nanoTime() - t0;
            }
            long[] timed = java.util.Arrays.copyOfRange(nanos, 1, nanos.length);
            java.util.Arrays.sort(timed);
            System.out.printf("reader: HDFS_20k_head.log x50 (%d events, %d MB) through LogFileReader: %.2f M lines/s"
                    + " (median of 4 passes after 1 warm-up, one thread)%n", events, Files.size(tmp) >> 20,
                    events / (timed[timed.length / 2] / 1e9) / 1e6);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // Millions of lines per second through format.parse alone, over the file's lines repeated to 1M.
    private static double parseRate(LogFormat format, Path file) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        String[] input = new String[SPEED_LINES];
        for (int i = 0; i < SPEED_LINES; i++) input[i] = new String(lines.get(i % lines.size()));
        long[] nanos = new long[7];
        long sink = 0;
        for (int pass = 0; pass < nanos.length; pass++) {
            long t0 = System.nanoTime();
            for (String line : input) {
                LogEvent e = format.parse(line, "bench", null);
                if (e != null) sink += e.message().length();
            }
            nanos[pass] = System.nanoTime() - t0;
        }
        if (sink == 42) System.out.print("");
        long[] timed = java.util.Arrays.copyOfRange(nanos, 2, nanos.length);
        java.util.Arrays.sort(timed);
        return SPEED_LINES / (timed[timed.length / 2] / 1e9) / 1e6;
    }
}
