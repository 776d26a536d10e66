package io.logwarden.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the mixed Loghub log of the pipeline benchmark: the ten Loghub 2k raw logs of bench-data WITH their
 * original headers, one section per set (in {@link BenchData#LOGHUB_2K} order, LINES/10 lines each), so the
 * header layout changes nine times in one file.
 *
 * <p>Each section repeats its set's 2,000 lines. A raw line is split into its header (the line minus the
 * {@code Content} column of {@code <Set>_2k.log_structured.csv}) and its message part; every digit of the message
 * part is re-drawn at random (same length, fixed seed, as {@code ../shared/tools/mixed-lines.py} does), so that
 * lines do not repeat exactly; the header is left as it is except its timestamp, which is shifted by
 * {@code copy × span} (span = latest − earliest stamp of the set + 1 s) so each copy follows the previous one.
 * A set's stamps are kept as they are (the section steps back in time at each copy) when shifting cannot be done
 * simply: when they carry no year (syslog {@code MMM dd HH:mm:ss}) and the copies would leave the seed's year (Linux:
 * 43 days × 50 copies), or when the last copy would pass 2026-01-01 (HPC: its 2k lines span 2.7 years, and are not
 * in time order anyway). The sets' own disorder (HPC; a few stamps going back in Apache and Zookeeper) is kept.
 * Lines are written with LF endings (the seed files have CRLF).
 *
 * <p>Usage: {@code MixedLoghubLog LINES OUTPUT.log [MESSAGES.txt]}; MESSAGES gets the re-drawn {@code Content} of
 * every line, one per line, for the reference miner. Reads {@code $BENCH_DATA/loghub2k} in place.
 */
public final class MixedLoghubLog {

    private static final long SEED = 20261129L;
    /** No shifted stamp goes past this: logs are not from the future (the service quarantines future events). */
    private static final LocalDateTime PRESENT = LocalDateTime.of(2026, 1, 1, 0, 0);

    private MixedLoghubLog() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: MixedLoghubLog LINES OUTPUT.log [MESSAGES.txt]");
            System.exit(2);
        }
        long wanted = Long.parseLong(args[0]);
        Random rng = new Random(SEED);
        int sets = BenchData.LOGHUB_2K.size();
        try (BufferedWriter out = new BufferedWriter(new java.io.OutputStreamWriter(Files.newOutputStream(Path.of(args[1])), StandardCharsets.UTF_8), 1 << 16);
             BufferedWriter messages = args.length == 3
                     ? new BufferedWriter(new java.io.OutputStreamWriter(Files.newOutputStream(Path.of(args[2])), StandardCharsets.UTF_8), 1 << 16) : null) {
            for (int s = 0; s < sets; s++) {
                String set = BenchData.LOGHUB_2K.get(s);
                long lines = wanted * (s + 1) / sets - wanted * s / sets;
                section(set, lines, rng, out, messages);
            }
        }
        System.out.println(wanted + " lines written to " + args[1]);
    }

    private static void section(String set, long lines, Random rng, Writer out, Writer messages) throws IOException {
        Path dir = BenchData.root().resolve("loghub2k").resolve(set);
        List<String> raw = rawLines(dir.resolve(set + "_2k.log"));
        List<String> content = BenchData.column(BenchData.readCsv(dir.resolve(set + "_2k.log_structured.csv")), "Content");
        if (raw.size() != content.size()) {
            throw new IllegalStateException(set + ": " + raw.size() + " raw lines but " + content.size() + " CSV rows");
        }
        int n = raw.size();
        int[] headerEnd = new int[n];
        for (int i = 0; i < n; i++) {
            String line = raw.get(i).stripTrailing();
            String c = content.get(i).strip();
            if (!line.endsWith(c)) {
                throw new IllegalStateException(set + " line " + (i + 1) + " does not end with its Content column");
            }
            headerEnd[i] = line.length() - c.length();
        }
        Stamp stamp = Stamp.of(set);
        LocalDateTime[] at = new LocalDateTime[n];
        LocalDateTime min = null;
        LocalDateTime max = null;
        for (int i = 0; i < n; i++) {
            at[i] = stamp.parse(raw.get(i));
            if (at[i] == null) {
                throw new IllegalStateException(set + " line " + (i + 1) + ": no timestamp where expected: " + raw.get(i));
            }
            if (min == null || at[i].isBefore(min)) min = at[i];
            if (max == null || at[i].isAfter(max)) max = at[i];
        }
        Duration span = Duration.between(min, max).plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        long copies = (lines + n - 1) / n;
        LocalDateTime last = max.plus(span.multipliedBy(copies - 1));
        String kept = stamp.yearless() && last.getYear() != min.getYear()
                ? "no year in the stamp; " + copies + " copies would leave the year"
                : last.isAfter(PRESENT) ? copies + " copies would reach " + last.getYear() + ", past " + PRESENT.getYear() : null;
        boolean shift = kept == null;
        System.out.println(set + ": " + lines + " lines, " + copies + " copies, span " + span
                + (shift ? ", stamps shifted per copy" : ", stamps KEPT (" + kept + ")"));

        StringBuilder sb = new StringBuilder(512);
        long written = 0;
        for (long copy = 0; written < lines; copy++) {
            Duration by = span.multipliedBy(copy);
            for (int i = 0; i < n && written < lines; i++) {
                String line = raw.get(i);
                sb.setLength(0);
                if (shift && copy > 0) {
                    stamp.write(line, headerEnd[i], at[i].plus(by), sb);
                } else {
                    sb.append(line, 0, headerEnd[i]);
                }
                int messageStart = sb.length();
                for (int k = headerEnd[i]; k < line.length(); k++) {
                    char ch = line.charAt(k);
                    sb.append(ch >= '0' && ch <= '9' ? (char) ('0' + rng.nextInt(10)) : ch);
                }
                if (messages != null) {
                    messages.append(sb, messageStart, sb.length() - (line.length() - line.stripTrailing().length()));
                    messages.write('\n');
                }
                sb.append('\n');
                out.append(sb);
                written++;
            }
        }
    }

    private static List<String> rawLines(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(2048);
        for (String line : s.split("\n", -1)) {
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            lines.add(line);
        }
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        return lines;
    }

    /** Where a set's header holds its timestamp(s), how to read them and how to write them shifted. */
    private abstract static class Stamp {
        final Pattern pattern;

        Stamp(String regex) {
            this.pattern = Pattern.compile(regex);
        }

        /** The stamp of a raw line, or null. */
        LocalDateTime parse(String line) {
            Matcher m = pattern.matcher(line);
            return m.lookingAt() ? read(m) : null;
        }

        /** Writes the header (line up to headerEnd) with its stamp replaced by {@code to}. */
        void write(String line, int headerEnd, LocalDateTime to, StringBuilder sb) {
            Matcher m = pattern.matcher(line);
            if (!m.lookingAt() || m.end() > headerEnd) throw new IllegalStateException("stamp not in header: " + line);
            int at = 0;
            for (int g = 1; g <= m.groupCount(); g++) {
                sb.append(line, at, m.start(g));
                sb.append(render(g, to));
                at = m.end(g);
            }
            sb.append(line, at, headerEnd);
        }

        boolean yearless() {
            return false;
        }

        abstract LocalDateTime read(Matcher m);

        /** The new text of group g for the shifted stamp. */
        abstract String render(int group, LocalDateTime to);

        static Stamp of(String set) {
            return switch (set) {
                case "Apache" -> new Pattern1("^\\[(\\w{3} \\w{3} \\d{2} \\d{2}:\\d{2}:\\d{2} \\d{4})\\]", "EEE MMM dd HH:mm:ss yyyy");
                case "HDFS" -> new Pattern1("^(\\d{6} \\d{6}) ", "yyMMdd HHmmss");
                case "HPC" -> new Epoch("^\\S+ \\S+ \\S+ \\S+ (\\d+) ");
                case "Hadoop", "Zookeeper" -> new Pattern1("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}) ", "yyyy-MM-dd HH:mm:ss,SSS");
                case "Linux", "OpenSSH" -> new Syslog();
                case "OpenStack" -> new Pattern1("^\\S+ (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) ", "yyyy-MM-dd HH:mm:ss.SSS");
                case "Spark" -> new Pattern1("^(\\d{2}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}) ", "yy/MM/dd HH:mm:ss");
                case "Thunderbird" -> new Thunderbird();
                default -> throw new IllegalArgumentException("no timestamp rule for " + set);
            };
        }
    }

    /** One stamp in group 1 with a DateTimeFormatter pattern. */
    private static final class Pattern1 extends Stamp {
        private final DateTimeFormatter format;

        Pattern1(String regex, String format) {
            super(regex);
            this.format = DateTimeFormatter.ofPattern(format, Locale.ROOT);
        }

        @Override
        LocalDateTime read(Matcher m) {
            return LocalDateTime.parse(m.group(1), format);
        }

        @Override
        String render(int group, LocalDateTime to) {
            return format.format(to);
        }
    }

    /** Epoch seconds in group 1 (HPC), read as UTC. */
    private static final class Epoch extends Stamp {
        Epoch(String regex) {
            super(regex);
        }

        @Override
        LocalDateTime read(Matcher m) {
            return LocalDateTime.ofEpochSecond(Long.parseLong(m.group(1)), 0, ZoneOffset.UTC);
        }

        @Override
        String render(int group, LocalDateTime to) {
            return Long.toString(to.toEpochSecond(ZoneOffset.UTC));
        }
    }

    /** {@code Jun 14 15:16:01} / {@code Jun  4 15:16:01}: no year; read in a leap year so Feb 29 parses. */
    private static final class Syslog extends Stamp {
        private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM", Locale.ROOT);
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

        Syslog() {
            super("^(\\w{3} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}) ");
        }

        @Override
        boolean yearless() {
            return true;
        }

        @Override
        LocalDateTime read(Matcher m) {
            return syslog(m.group(1), 2004);
        }

        @Override
        String render(int group, LocalDateTime to) {
            return String.format(Locale.ROOT, "%s %2d %s", MONTH.format(to), to.getDayOfMonth(), TIME.format(to));
        }
    }

    /**
     * {@code - 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/...}: epoch seconds (UTC), the local date and the
     * local syslog time (single-space day). The stamp is the local date and time; the epoch is moved by the same
     * amount.
     */
    private static final class Thunderbird extends Stamp {
        private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy.MM.dd", Locale.ROOT);
        private static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ROOT);

        Thunderbird() {
            super("^\\S+ (\\d+) (\\d{4}\\.\\d{2}\\.\\d{2}) \\S+ (\\w{3} {1,2}\\d{1,2} \\d{2}:\\d{2}:\\d{2}) ");
        }

        private LocalDateTime local;
        private long epoch;

        @Override
        LocalDateTime read(Matcher m) {
            LocalDate date = LocalDate.parse(m.group(2), DATE);
            return syslog(m.group(3), date.getYear());
        }

        @Override
        void write(String line, int headerEnd, LocalDateTime to, StringBuilder sb) {
            Matcher m = pattern.matcher(line);
            if (!m.lookingAt()) throw new IllegalStateException("no stamp: " + line);
            LocalDateTime from = read(m);
            epoch = Long.parseLong(m.group(1)) + Duration.between(from, to).getSeconds();
            local = to;
            super.write(line, headerEnd, to, sb);
        }

        @Override
        String render(int group, LocalDateTime to) {
            return switch (group) {
                case 1 -> Long.toString(epoch);
                case 2 -> DATE.format(local);
                default -> SYSLOG.format(local);
            };
        }
    }

    static LocalDateTime syslog(String text, int year) {
        String[] p = text.trim().split(" +");
        int month = DateTimeFormatter.ofPattern("MMM", Locale.ROOT).parse(p[0]).get(java.time.temporal.ChronoField.MONTH_OF_YEAR);
        return LocalDateTime.of(LocalDate.of(year, month, Integer.parseInt(p[1])), LocalTime.parse(p[2]));
    }
}
