package io.logwarden.bench;

import io.logwarden.detect.SessionDetector;
import io.logwarden.detect.SessionVerdict;
import io.logwarden.detect.Template;
import io.logwarden.detect.TemplateMiner;
import io.logwarden.event.Level;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory used by session detection, stated per 100,000 sessions (issue 15).
 *
 * <p>Sessions are made from a labelled HDFS log of bench-data (the seed) copied over and over, every block id of a copy
 * replaced by a fresh random one (fixed seed), so each copy adds the seed's number of new sessions with the seed's
 * events, interleaving and evidence lines. Seeds: {@code 20k} = {@code HDFS_20k_head.log} (1,782 blocks, about 11
 * lines each: the head of HDFS_v1, many blocks cut short; default) and {@code 5k} = {@code HDFS_5k_sessions.log}
 * (110 whole blocks, about 41 lines each). Whole copies are written, so N is rounded up to a whole number of copies;
 * the figures are per session observed.
 *
 * <ul>
 *   <li>{@code measure N [SEED]}: in process. Each seed line is mined once with a default {@link TemplateMiner}; then
 *       every line of every copy goes to a default {@link SessionDetector} ({@code blk_-?\d+}) as the
 *       {@code analyze --sessions} command feeds it (keys from the message, the line as evidence). The heap in use
 *       after a full GC is read before and after (the detector's retained size), then after {@code judge()} with the
 *       verdicts held. Run it with a heap large enough for N (the script gives 2 GB).</li>
 *   <li>{@code write N FILE [SEED]}: writes the same lines to FILE, for
 *       {@code java -Xmx512m -jar target/logwarden.jar analyze --sessions --session-key 'blk_-?\d+' FILE}.</li>
 * </ul>
 */
public final class SessionMemoryBenchmark {

    private static final Pattern BLOCK = Pattern.compile("blk_-?\\d+");

    private SessionMemoryBenchmark() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 2 || !(args[0].equals("measure") || args[0].equals("write"))) {
            System.err.println("usage: SessionMemoryBenchmark measure N [20k|5k] | write N FILE [20k|5k]");
            System.exit(2);
        }
        long n = Long.parseLong(args[1]);
        boolean write = args[0].equals("write");
        String seedName = args.length > (write ? 3 : 2) ? args[write ? 3 : 2] : "20k";
        Path seedFile = BenchData.root().resolve("hdfs_labelled")
                .resolve(switch (seedName) {
                    case "20k" -> "HDFS_20k_head.log";
                    case "5k" -> "HDFS_5k_sessions.log";
                    default -> throw new IllegalArgumentException("seed is 20k or 5k, not " + seedName);
                });
        Seed seed = new Seed(BenchData.hdfsLines(seedFile));
        long copies = (n + seed.blocks - 1) / seed.blocks;
        if (write) {
            write(seed, copies, Path.of(args[2]));
            System.out.printf(Locale.ROOT, "%,d lines, %,d sessions (%s: %,d blocks × %,d copies) written to %s%n",
                    copies * seed.lines.size(), copies * seed.blocks, seedFile.getFileName(), seed.blocks, copies, args[2]);
        } else {
            measure(seed, copies, seedFile.getFileName().toString());
        }
    }

    /** The seed's lines, their mined templates and block ids. */
    private static final class Seed {
        final List<BenchData.HdfsLine> lines;
        final Template[] templates;
        final Level[] levels;
        final int blocks;

        Seed(List<BenchData.HdfsLine> lines) {
            this.lines = lines;
            this.templates = new Template[lines.size()];
            this.levels = new Level[lines.size()];
            TemplateMiner miner = TemplateMiner.builder().build();
            LinkedHashSet<String> ids = new LinkedHashSet<>();
            for (int i = 0; i < lines.size(); i++) {
                templates[i] = miner.add(lines.get(i).content());
                levels[i] = Level.parse(lines.get(i).level());
                Matcher m = BLOCK.matcher(lines.get(i).content());
                while (m.find()) ids.add(m.group());
            }
            this.blocks = ids.size();
        }
    }

    /** Calls {@code sink} with (raw line, content, seed index) for every line of every copy. */
    private static void copies(Seed seed, long copies, LineSink sink) throws IOException {
        SplittableRandom rng = new SplittableRandom(20261129L);
        StringBuilder sb = new StringBuilder(256);
        for (long copy = 0; copy < copies; copy++) {
            Map<String, String> fresh = new HashMap<>(seed.blocks * 2);
            for (int i = 0; i < seed.lines.size(); i++) {
                BenchData.HdfsLine line = seed.lines.get(i);
                String raw = line.raw();
                String content = line.content();
                int header = raw.length() - content.length();
                sb.setLength(0);
                sb.append(raw, 0, header);
                Matcher m = BLOCK.matcher(content);
                int at = 0;
                while (m.find()) {
                    sb.append(content, at, m.start());
                    sb.append(fresh.computeIfAbsent(m.group(),
                            k -> "blk_" + (rng.nextBoolean() ? "-" : "") + (rng.nextLong(1_000_000_000_000_000_000L) + 100_000_000_000_000_000L)));
                    at = m.end();
                }
                sb.append(content, at, content.length());
                String newRaw = sb.toString();
                sink.line(newRaw, newRaw.substring(header), i);
            }
        }
    }

    @FunctionalInterface
    private interface LineSink {
        void line(String raw, String content, int seedIndex) throws IOException;
    }

    private static void write(Seed seed, long copies, Path file) throws IOException {
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
                StandardCharsets.UTF_8), 1 << 16)) {
            copies(seed, copies, (raw, content, i) -> {
                out.write(raw);
                out.write('\n');
            });
        }
    }

    private static void measure(Seed seed, long copies, String seedName) throws IOException, InterruptedException {
        long base = usedAfterGc();
        SessionDetector detector = SessionDetector.builder().sessionKey(BLOCK).build();
        long[] events = {0};
        long t0 = System.nanoTime();
        copies(seed, copies, (raw, content, i) -> {
            for (String key : detector.sessionKeys(content)) {
                detector.observe(key, seed.templates[i], seed.levels[i], raw);
                events[0]++;
            }
        });
        long observeMs = (System.nanoTime() - t0) / 1_000_000;
        long observed = usedAfterGc();
        int sessions = detector.sessionCount();
        t0 = System.nanoTime();
        List<SessionVerdict> verdicts = detector.judge();
        long judgeMs = (System.nanoTime() - t0) / 1_000_000;
        long judged = usedAfterGc();
        long anomalous = verdicts.stream().filter(SessionVerdict::anomalous).count();
        double retained = observed - base;
        System.out.printf(Locale.ROOT,
                "| %s | %,d | %,d | %.1f | %.1f MB | **%.1f MB** | %.1f MB | %,d ms | %,d ms | %,d |%n",
                seedName, sessions, copies * seed.lines.size(), events[0] / (double) sessions, retained / 1e6,
                retained / sessions * 100_000 / 1e6, (judged - base) / 1e6, observeMs, judgeMs, anomalous);
        Reference.reachabilityFence(detector);
        Reference.reachabilityFence(verdicts);
        Reference.reachabilityFence(seed);
    }

    /** Heap in use after full collections (System.gc() is a full, stop-the-world collection with G1 and Serial). */
    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
