package io.logwarden.bench;

import io.logwarden.detect.Template;
import io.logwarden.detect.TemplateMiner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Grouping accuracy (GA) of {@link TemplateMiner} with its default configuration on the ten
 * Loghub-2k datasets, against the original and the corrected (Loghub-2.0) ground truth.
 *
 * <p>GA as in logparser's evaluator.py: a line is correct iff the set of lines in its predicted
 * group equals the set of lines in its ground-truth group (grouped by EventId; in these files
 * EventId and EventTemplate are 1:1, so Loghub-2.0's grouping by template text gives the same
 * groups). Input is the {@code Content} column, one miner per dataset, lines in file order; a
 * line's predicted group is the final template it belongs to (following merges).
 *
 * <p>System properties for exploration only (the reported table uses none): {@code
 * miner.similarity}, {@code miner.depth}, {@code miner.maxChildren}, {@code miner.maxLeafTemplates}, {@code miner.cacheSize},
 * {@code ga.show=<Dataset>} prints the wrongly grouped templates of one dataset.
 */
public final class GroupingAccuracyBenchmark {

    /**
     * The two halves for leave-half-out tuning: a setting is chosen on one half and checked on the other, then
     * the other way round (bench/README.md). Fixed before any tuning; each half holds easy and hard sets.
     */
    static final List<String> HALF_A = List.of("Apache", "HDFS", "Hadoop", "OpenSSH", "Thunderbird");
    static final List<String> HALF_B = List.of("HPC", "Linux", "OpenStack", "Spark", "Zookeeper");

    public static void main(String[] args) throws IOException {
        Map<String, Double> drain = publishedDrain();
        TemplateMiner.Builder config = configFromProperties();
        String show = System.getProperty("ga.show");
        System.out.printf(Locale.ROOT, "%-12s %8s %9s %6s %9s %14s%n",
                "dataset", "GA orig", "GA corr", "tmpls", "truth", "Drain (pub.)");
        Map<String, double[]> byDataset = new HashMap<>();
        double sumO = 0;
        double sumC = 0;
        double sumD = 0;
        int nD = 0;
        for (String d : BenchData.LOGHUB_2K) {
            double[] ga = new double[2];
            int predicted = 0;
            int truth = 0;
            for (int c = 0; c < 2; c++) {
                List<List<String>> rows = BenchData.readCsv(BenchData.structured(d, c == 1));
                List<String> content = BenchData.column(rows, "Content");
                List<String> events = BenchData.column(rows, "EventId");
                List<String> patterns = BenchData.column(rows, "EventTemplate");
                List<String> pred = mine(config.build(), content);
                ga[c] = groupingAccuracy(pred, events);
                predicted = new HashSet<>(pred).size();
                truth = new HashSet<>(events).size();
                if (d.equals(show)) {
                    explain(d + (c == 1 ? " corrected" : " original"), content, pred, events, patterns);
                }
            }
            Double pub = drain.get(d);
            byDataset.put(d, ga);
            System.out.printf(Locale.ROOT, "%-12s %8.4f %9.4f %6d %9d %14s%n", d, ga[0], ga[1],
                    predicted, truth, pub == null ? "-" : String.format(Locale.ROOT, "%.4f", pub));
            sumO += ga[0];
            sumC += ga[1];
            if (pub != null) {
                sumD += pub;
                nD++;
            }
        }
        int n = BenchData.LOGHUB_2K.size();
        System.out.printf(Locale.ROOT, "%-12s %8.4f %9.4f %6s %9s %14s%n", "average", sumO / n, sumC / n,
                "", "", nD == 0 ? "-" : String.format(Locale.ROOT, "%.4f", sumD / nD));
        for (int h = 0; h < 2; h++) {
            List<String> half = h == 0 ? HALF_A : HALF_B;
            double o = 0;
            double c = 0;
            for (String d : half) {
                o += byDataset.get(d)[0];
                c += byDataset.get(d)[1];
            }
            System.out.printf(Locale.ROOT, "%-12s %8.4f %9.4f   %s%n", "half " + (h == 0 ? "A" : "B"),
                    o / half.size(), c / half.size(), String.join(", ", half));
        }
    }

    /** Mines the lines and returns, per line, the id of the final template of its group. */
    static List<String> mine(TemplateMiner miner, List<String> lines) {
        List<String> joined = new ArrayList<>(lines.size());
        for (String line : lines) {
            joined.add(miner.add(line).id());
        }
        // a template absorbed by a merge lives on in the survivor's previousIds
        Map<String, String> finalId = new HashMap<>();
        for (Template t : miner.templates()) {
            finalId.put(t.id(), t.id());
            for (String prev : t.previousIds()) {
                finalId.put(prev, t.id());
            }
        }
        List<String> out = new ArrayList<>(joined.size());
        for (String id : joined) {
            out.add(finalId.get(id));
        }
        return out;
    }

    /** logparser's GA: all lines of a predicted group are correct iff it equals one truth group. */
    static double groupingAccuracy(List<String> predicted, List<String> truth) {
        Map<String, List<Integer>> byPred = new HashMap<>();
        Map<String, Integer> truthSize = new HashMap<>();
        for (int i = 0; i < predicted.size(); i++) {
            byPred.computeIfAbsent(predicted.get(i), k -> new ArrayList<>()).add(i);
            truthSize.merge(truth.get(i), 1, Integer::sum);
        }
        long correct = 0;
        for (List<Integer> group : byPred.values()) {
            Set<String> t = new HashSet<>();
            for (int i : group) {
                t.add(truth.get(i));
            }
            if (t.size() == 1 && truthSize.get(t.iterator().next()) == group.size()) {
                correct += group.size();
            }
        }
        return (double) correct / predicted.size();
    }

    /** Prints each truth group that is not parsed exactly, with how it was split or merged. */
    private static void explain(String title, List<String> content, List<String> pred,
            List<String> events, List<String> patterns) {
        System.out.println("=== " + title);
        Map<String, Set<String>> truthToPred = new HashMap<>();
        Map<String, Set<String>> predToTruth = new HashMap<>();
        Map<String, String> example = new HashMap<>();
        Map<String, String> truthPattern = new HashMap<>();
        Map<String, Integer> size = new HashMap<>();
        for (int i = 0; i < pred.size(); i++) {
            truthToPred.computeIfAbsent(events.get(i), k -> new HashSet<>()).add(pred.get(i));
            predToTruth.computeIfAbsent(pred.get(i), k -> new HashSet<>()).add(events.get(i));
            example.putIfAbsent(events.get(i) + "|" + pred.get(i), content.get(i));
            truthPattern.put(events.get(i), patterns.get(i));
            size.merge(events.get(i), 1, Integer::sum);
        }
        for (var e : truthToPred.entrySet()) {
            String ev = e.getKey();
            boolean ok = e.getValue().size() == 1
                    && predToTruth.get(e.getValue().iterator().next()).size() == 1;
            if (ok) {
                continue;
            }
            System.out.println(ev + " (" + size.get(ev) + ") " + truthPattern.get(ev));
            for (String p : e.getValue()) {
                System.out.println("   pred " + p + " also " + predToTruth.get(p) + " e.g. "
                        + example.get(ev + "|" + p));
            }
        }
    }

    private static TemplateMiner.Builder configFromProperties() {
        TemplateMiner.Builder b = TemplateMiner.builder();
        String v;
        if ((v = System.getProperty("miner.similarity")) != null) {
            b.similarity(Double.parseDouble(v));
        }
        if ((v = System.getProperty("miner.depth")) != null) {
            b.depth(Integer.parseInt(v));
        }
        if ((v = System.getProperty("miner.cacheSize")) != null) {
            b.cacheSize(Integer.parseInt(v));
        }
        if ((v = System.getProperty("miner.maxChildren")) != null) {
            b.maxChildren(Integer.parseInt(v));
        }
        if ((v = System.getProperty("miner.maxLeafTemplates")) != null) {
            b.maxLeafTemplates(Integer.parseInt(v));
        }
        return b;
    }

    /** Published Drain GA (logparser, tuned per dataset, original ground truth). */
    static Map<String, Double> publishedDrain() throws IOException {
        Map<String, Double> out = new HashMap<>();
        Path ref = BenchData.root().resolve("reference_numbers.csv");
        if (!Files.exists(ref)) {
            return out;
        }
        for (List<String> r : BenchData.readCsv(ref)) {
            if (r.size() >= 6 && r.get(1).startsWith("Drain (logparser") && r.get(2).equals("loghub_2k original GT")
                    && r.get(4).equals("GA")) {
                out.put(r.get(3), Double.parseDouble(r.get(5)));
            }
        }
        return out;
    }
}
