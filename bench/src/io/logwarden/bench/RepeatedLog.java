package io.logwarden.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes a large HDFS log for the pipeline benchmark by repeating bench-data's HDFS log, shifting each copy's
 * timestamps past the previous copy so the output stays in time order (the pipeline judges windows as they close).
 *
 * <p>Usage: {@code RepeatedLog SOURCE.log LINES OUTPUT.log [MESSAGES.txt [STAMP-PATTERN]]}; MESSAGES gets every line's
 * message (the text after the first {@code ": "}, which is Loghub's {@code Content} column of the HDFS format
 * {@code <Date> <Time> <Pid> <Level> <Component>: <Content>}), one per line, for the reference miner. STAMP-PATTERN
 * (default {@code yyMMdd HHmmss}, HDFS's) is the {@link DateTimeFormatter} pattern of the stamp each line starts with;
 * a line that does not start with one (a continuation line) is copied as it is, and is no message of its own.
 */
public final class RepeatedLog {

    private static final String HDFS = "yyMMdd HHmmss";

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length > 5) {
            System.err.println("usage: RepeatedLog SOURCE.log LINES OUTPUT.log [MESSAGES.txt [STAMP-PATTERN]]");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        long wanted = Long.parseLong(args[1]);
        String pattern = args.length == 5 ? args[4] : HDFS;
        DateTimeFormatter stamps = DateTimeFormatter.ofPattern(pattern);
        int n = pattern.replace("'", "").length(); // the stamp's characters
        LocalDateTime first = LocalDateTime.parse(lines.get(0).substring(0, n), stamps);
        LocalDateTime last = LocalDateTime.parse(lines.get(lines.size() - 1).substring(0, n), stamps);
        Duration span = Duration.between(first, last).plusSeconds(1);
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8);
             BufferedWriter messages = args.length >= 4 ? Files.newBufferedWriter(Path.of(args[3]), StandardCharsets.UTF_8) : null) {
            for (long copy = 0; written < wanted; copy++) {
                Duration shift = span.multipliedBy(copy);
                for (String line : lines) {
                    if (written == wanted) break;
                    String line0 = pattern.equals(HDFS) ? line.strip() : line;
                    if (line0.isBlank() || pattern.equals(HDFS) && line0.length() < n + 1) continue;
                    LocalDateTime ts = stamped(line0, n, stamps);
                    if (ts == null) { // a continuation line
                        out.write(line0);
                        out.write('\n');
                        written++;
                        continue;
                    }
                    out.write(stamps.format(ts.plus(shift)));
                    out.write(line0, n, line0.length() - n);
                    out.write('\n');
                    if (messages != null) {
                        int colon = line0.indexOf(": ");
                        if (colon < 0) throw new IllegalStateException("no ': ' in " + line0);
                        messages.write(line0, colon + 2, line0.length() - colon - 2);
                        messages.write('\n');
                    }
                    written++;
                }
            }
        }
        System.out.println(written + " lines written to " + args[2]);
    }

    private static LocalDateTime stamped(String line, int n, DateTimeFormatter stamps) {
        if (line.length() < n) return null;
        try {
            return LocalDateTime.parse(line.substring(0, n), stamps);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
