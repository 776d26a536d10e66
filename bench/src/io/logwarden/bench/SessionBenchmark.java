package io.logwarden.bench;

import io.logwarden.detect.SessionDetector;
import io.logwarden.detect.SessionVerdict;
import io.logwarden.detect.Template;
import io.logwarden.detect.TemplateMiner;
import io.logwarden.event.Level;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Per-block precision, recall and F1 of the unsupervised {@link SessionDetector} on the two labelled
 * HDFS files, beside loglizer's published numbers. Labels are read only to score the verdicts.
 *
 * <p>Each line {@code 081109 203518 143 INFO dfs.DataNode$PacketResponder: msg} is split like Loghub's
 * HDFS log format ({@code <Date> <Time> <Pid> <Level> <Component>: <Content>}); the Content goes to a
 * default {@link TemplateMiner}, the level to the detector, and the line to every block id it names.
 * The Content is checked against the structured CSV's Content column. One default detector
 * configuration for both files. {@code -Dsessions.show=true} lists false positives and negatives with
 * their reasons; {@code -Dsessions.rareShare=}, {@code -Dsessions.veryRareShare=},
 * {@code -Dsessions.invariantHold=}, {@code -Dsessions.forestCutMads=} and {@code -Dsessions.seed=} are
 * for sensitivity runs only.
 */
public final class SessionBenchmark {


    private SessionBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = BenchData.root().resolve("hdfs_labelled");
        Map<String, Double> pub = published();
        System.out.println("| file | blocks | anomalies | flagged | TP | FP | FN | precision | recall | F1 | judge ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        StringBuilder details = new StringBuilder();
        for (String name : List.of("HDFS_5k_sessions", "HDFS_20k_head")) {
            run(dir, name, details);
        }
        System.out.println();
        System.out.println("loglizer published (full HDFS_v1, 575,061 blocks, 50/50 split, trained on half):");
        System.out.println("| method | precision | recall | F1 |");
        System.out.println("|---|---|---|---|");
        for (String m : List.of("Isolation Forest (loglizer)", "PCA (loglizer)", "Invariants Mining (loglizer)")) {
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", m, pub.get(m + "|precision"),
                    pub.get(m + "|recall"), pub.get(m + "|F1"));
        }
        if (details.length() > 0) {
            System.out.println();
            System.out.print(details);
        }
    }

    private static void run(Path dir, String name, StringBuilder details) throws IOException {
        Map<String, Boolean> truth = BenchData.blockLabels(dir.resolve(name + "_anomaly_label.csv"));
        List<String> expectedContent = BenchData.column(
                BenchData.readCsv(dir.resolve(name + ".log_structured.csv")), "Content");

        SessionDetector detector = builder().build();
        TemplateMiner miner = TemplateMiner.builder().build();
        int mismatched = 0;
        int lineNo = 0;
        for (BenchData.HdfsLine line : BenchData.hdfsLines(dir.resolve(name + ".log"))) {
            if (!line.content().equals(expectedContent.get(lineNo))) {
                mismatched++;
            }
            lineNo++;
            Template t = miner.add(line.content());
            Level level = Level.parse(line.level());
            for (String key : detector.sessionKeys(line.content())) {
                detector.observe(key, t, level, line.raw());
            }
        }
        if (mismatched > 0 || lineNo != expectedContent.size()) {
            throw new IllegalStateException(name + ": Content differs from the structured CSV on " + mismatched
                    + " lines (" + lineNo + " vs " + expectedContent.size() + " lines)");
        }
        long t0 = System.nanoTime();
        List<SessionVerdict> verdicts = detector.judge();
        long ms = (System.nanoTime() - t0) / 1_000_000;

        int tp = 0, fp = 0, fn = 0, flagged = 0, anomalies = 0;
        boolean show = Boolean.getBoolean("sessions.show");
        StringBuilder fps = new StringBuilder();
        StringBuilder fns = new StringBuilder();
        for (SessionVerdict v : verdicts) {
            Boolean label = truth.get(v.session());
            if (label == null) {
                throw new IllegalStateException(name + ": block without label " + v.session());
            }
            if (label) anomalies++;
            if (v.anomalous()) flagged++;
            if (v.anomalous() && label) tp++;
            if (v.anomalous() && !label) {
                fp++;
                fps.append(describe(v));
            }
            if (!v.anomalous() && label) {
                fn++;
                fns.append(describe(v));
            }
        }
        if (verdicts.size() != truth.size()) {
            throw new IllegalStateException(name + ": " + verdicts.size() + " sessions vs " + truth.size() + " labels");
        }
        double p = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
        double r = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %.3f | %.3f | **%.3f** | %d |%n",
                name, verdicts.size(), anomalies, flagged, tp, fp, fn, p, r, f1, ms);
        if (show) {
            details.append("### ").append(name).append(": ").append(miner.templates().size()).append(" templates mined\n");
            details.append("#### false positives\n").append(fps).append("#### false negatives\n").append(fns);
            verdicts.stream().filter(v -> v.anomalous() && truth.get(v.session())).limit(4)
                    .forEach(v -> details.append("#### true positive\n").append(describe(v)));
        }
    }

    private static SessionDetector.Builder builder() {
        SessionDetector.Builder b = SessionDetector.builder().sessionKey(Pattern.compile("blk_-?\\d+"));
        String v;
        if ((v = System.getProperty("sessions.rareShare")) != null) b.rareShare(Double.parseDouble(v));
        if ((v = System.getProperty("sessions.veryRareShare")) != null) b.veryRareShare(Double.parseDouble(v));
        if ((v = System.getProperty("sessions.invariantHold")) != null) b.invariantHold(Double.parseDouble(v));
        if ((v = System.getProperty("sessions.forestCutMads")) != null) b.forestCutMads(Double.parseDouble(v));
        if ((v = System.getProperty("sessions.seed")) != null) b.seed(Long.parseLong(v));
        return b;
    }

    private static String describe(SessionVerdict v) {
        StringBuilder sb = new StringBuilder();
        sb.append("- ").append(v.session()).append(" score ").append(v.score()).append(", ").append(v.events())
                .append(" events ").append(v.templates()).append('\n');
        for (String r : v.reasons()) {
            sb.append("  - ").append(r).append('\n');
        }
        return sb.toString();
    }

    private static Map<String, Double> published() throws IOException {
        List<List<String>> rows = BenchData.readCsv(BenchData.root().resolve("reference_numbers.csv"));
        Map<String, Double> out = new HashMap<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() >= 6 && row.get(0).startsWith("logpai/loglizer") && row.get(3).equals("HDFS")) {
                out.put(row.get(1) + "|" + row.get(4), Double.parseDouble(row.get(5)));
            }
        }
        return out;
    }
}
