package io.logwarden.bench;

import io.logwarden.detect.TemplateMiner;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Single-threaded mining throughput of {@link TemplateMiner}: 1,000,000 lines made by repeating
 * the {@code Content} column of HDFS_2k (the message after the Loghub header fields: date, time,
 * pid, level, component), built in memory as distinct String objects so that repeats do not share
 * cached state. Only {@code add()} is timed; a fresh miner per run, after warm-up runs.
 *
 * <p>Run with {@code taskset -c 0} (bench/run-miner.sh does) to keep it on one core.
 */
public final class MinerThroughputBenchmark {

    private static final int LINES = 1_000_000;

    public static void main(String[] args) throws IOException {
        int runs = Integer.getInteger("runs", 5);
        List<String> content = BenchData.column(
                BenchData.readCsv(BenchData.structured("HDFS", false)), "Content");
        String[] lines = new String[LINES];
        long chars = 0;
        for (int i = 0; i < LINES; i++) {
            lines[i] = new String(content.get(i % content.size()).toCharArray());
            chars += lines[i].length();
        }
        System.out.printf(Locale.ROOT, "input: %,d lines (HDFS_2k Content x %d), avg %.1f chars%n",
                LINES, LINES / content.size(), (double) chars / LINES);
        measure("default (signature cache on)", TemplateMiner.builder(), lines, runs);
        measure("cacheSize(0) (tree + similarity on every line)",
                TemplateMiner.builder().cacheSize(0), lines, runs);
    }

    private static void measure(String label, TemplateMiner.Builder config, String[] lines, int runs) {
        for (int w = 0; w < 3; w++) {
            mine(config.build(), lines);
        }
        double[] rates = new double[runs];
        int templates = 0;
        for (int r = 0; r < runs; r++) {
            TemplateMiner miner = config.build();
            long t0 = System.nanoTime();
            mine(miner, lines);
            long ns = System.nanoTime() - t0;
            rates[r] = lines.length / (ns / 1e9);
            templates = miner.templates().size();
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-48s median %,.0f lines/s, best %,.0f, worst %,.0f (%d runs, %d templates)%n",
                label, sorted[runs / 2], sorted[runs - 1], sorted[0], runs, templates);
    }

    private static long sink;

    private static void mine(TemplateMiner miner, String[] lines) {
        long c = 0;
        for (String line : lines) {
            c += miner.add(line).count();
        }
        sink += c;
    }
}
