package io.logwarden.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Locates the shared bench data and reads the Loghub structured CSV files (RFC 4180 quoting). */
final class BenchData {

    static final List<String> LOGHUB_2K = List.of("Apache", "HDFS", "HPC", "Hadoop", "Linux",
            "OpenSSH", "OpenStack", "Spark", "Thunderbird", "Zookeeper");

    private BenchData() {
    }

    /** BENCH_DATA if set, else ../shared/bench-data relative to the working directory (the repo). */
    static Path root() {
        String env = System.getenv("BENCH_DATA");
        Path p = env != null && !env.isBlank() ? Path.of(env) : Path.of("..", "shared", "bench-data");
        if (!Files.isDirectory(p.resolve("loghub2k"))) {
            throw new IllegalStateException("bench data not found at " + p.toAbsolutePath()
                    + " (set BENCH_DATA to the folder that holds loghub2k/)");
        }
        return p;
    }

    static Path structured(String dataset, boolean corrected) {
        return root().resolve("loghub2k").resolve(dataset)
                .resolve(dataset + "_2k.log_structured" + (corrected ? "_corrected" : "") + ".csv");
    }

    /** Rows of a CSV file, header included. */
    static List<List<String>> readCsv(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        int n = s.length();
        if (n > 0 && s.charAt(0) == '\uFEFF') {
            i = 1;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && s.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

    /** The values of one column, header removed. */
    static List<String> column(List<List<String>> rows, String name) {
        int idx = rows.get(0).indexOf(name);
        if (idx < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + rows.get(0));
        }
        List<String> out = new ArrayList<>(rows.size() - 1);
        for (int r = 1; r < rows.size(); r++) {
            out.add(rows.get(r).get(idx));
        }
        return out;
    }

    /** The HDFS_v1 line header: date, time, pid, level, component, then the message (Loghub's Content column). */
    private static final java.util.regex.Pattern HDFS_HEADER =
            java.util.regex.Pattern.compile("^(\\d+) (\\d+) (\\d+) (\\w+) ([^ ]+?): (.*)$");

    /** One line of an HDFS_v1 log: the line as read (without CR), its Content and its level word. */
    record HdfsLine(String raw, String content, String level) {
    }

    /** The non-blank lines of an HDFS_v1 log, split into header and Content; fails on a line of another shape. */
    static List<HdfsLine> hdfsLines(Path log) throws IOException {
        List<HdfsLine> out = new java.util.ArrayList<>();
        for (String raw : java.nio.file.Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty()) {
                continue;
            }
            var m = HDFS_HEADER.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException(log.getFileName() + ": unparsed line " + line);
            }
            out.add(new HdfsLine(line, m.group(6), m.group(4)));
        }
        return out;
    }

    /** Block id → anomalous, from a loglizer-style {@code BlockId,Label} file. */
    static java.util.Map<String, Boolean> blockLabels(Path labelFile) throws IOException {
        List<List<String>> labels = readCsv(labelFile);
        List<String> blocks = column(labels, "BlockId");
        List<String> flags = column(labels, "Label");
        java.util.Map<String, Boolean> truth = new java.util.HashMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            truth.put(blocks.get(i), flags.get(i).equals("Anomaly"));
        }
        return truth;
    }
}
