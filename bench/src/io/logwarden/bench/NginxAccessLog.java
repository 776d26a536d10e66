package io.logwarden.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Writes the nginx access log of the pipeline benchmark by repeating a real nginx access log (the seed,
 * {@code bench/real-logs/logs/nginx-10min.access.log.gz}: combined layout plus request time, upstream response time
 * and upstream address) copy after copy:
 * <ul>
 *   <li>copy k of c is shifted by {@code (k − (c − 1)) × span} (span = latest − earliest stamp + 1 s), written in
 *       nginx's own {@code [29/Nov/2026:17:17:14 +0000]} layout: the file is in time order (as much as the seed, whose
 *       stamps are the request start while lines are written at its end) and ends at the seed's own time, so no line
 *       is in the future, whatever the size (the service quarantines events more than a day ahead);</li>
 *   <li>from the second copy on, every client address of the seed is mapped, per copy, to a new loopback address
 *       {@code 127.a.b.c} (fixed seed; one client keeps one address within a copy, so per-client traffic stays as
 *       the seed has it; never 127.0.0.1, which is the upstream);</li>
 *   <li>from the second copy on, numeric ids in the request path are re-drawn (a path segment of digits only, as in
 *       {@code /api/items/6955}, and a query value of digits only, as in {@code ?page=16}; same number of digits).
 *       Asset names with digits ({@code /static/img/p11.jpg}, hashed bundles) are real files and stay.</li>
 * </ul>
 * The seed's incidents (its 80 × 500 burst on {@code /api/checkout}) are kept in every copy.
 *
 * <p>Usage: {@code NginxAccessLog SEED.log[.gz] LINES OUTPUT.log [MESSAGES.txt]}; MESSAGES gets, per line, the text the
 * service's {@code nginx-access} format mines ({@code METHOD path protocol status}), for the reference miner.
 */
public final class NginxAccessLog {

    private static final long SEED = 20261129L;
    private static final DateTimeFormatter NGINX = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final Pattern LINE = Pattern.compile(
            "^(\\S+)( \\S+ \\S+ \\[)([^\\]]+)(\\] \")((?:[^\"\\\\]|\\\\.)*)(\" )(\\d{3})( .*)$");
    private static final Pattern ID = Pattern.compile("(?<=[/=])\\d+(?=$|[/?&; ])");

    private NginxAccessLog() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: NginxAccessLog SEED.log[.gz] LINES OUTPUT.log [MESSAGES.txt]");
            System.exit(2);
        }
        List<Matcher> seed = read(Path.of(args[0]));
        long wanted = Long.parseLong(args[1]);
        OffsetDateTime[] at = new OffsetDateTime[seed.size()];
        OffsetDateTime min = null;
        OffsetDateTime max = null;
        List<String> clients = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < at.length; i++) {
            at[i] = OffsetDateTime.parse(seed.get(i).group(3), NGINX);
            if (min == null || at[i].isBefore(min)) min = at[i];
            if (max == null || at[i].isAfter(max)) max = at[i];
            if (seen.add(seed.get(i).group(1))) clients.add(seed.get(i).group(1));
        }
        Duration span = Duration.between(min, max).plusSeconds(1);
        Random rng = new Random(SEED);
        long copies = (wanted + at.length - 1) / at.length;
        long written = 0;
        StringBuilder sb = new StringBuilder(512);
        try (BufferedWriter out = writer(Path.of(args[2]));
             BufferedWriter messages = args.length == 4 ? writer(Path.of(args[3])) : null) {
            for (long copy = 0; written < wanted; copy++) {
                Map<String, String> addresses = copy == 0 ? null : addresses(clients, rng);
                Duration shift = span.multipliedBy(copy - (copies - 1));
                for (int i = 0; i < at.length && written < wanted; i++) {
                    Matcher m = seed.get(i);
                    String request = copy == 0 ? m.group(5) : redraw(m.group(5), rng);
                    sb.setLength(0);
                    sb.append(copy == 0 ? m.group(1) : addresses.get(m.group(1))).append(m.group(2));
                    sb.append(shift.isZero() ? m.group(3) : NGINX.format(at[i].plus(shift)));
                    sb.append(m.group(4)).append(request).append(m.group(6)).append(m.group(7)).append(m.group(8));
                    sb.append('\n');
                    out.append(sb);
                    if (messages != null) {
                        messages.append(request.isEmpty() || request.equals("-") ? "-" : request)
                                .append(' ').append(m.group(7)).append('\n');
                    }
                    written++;
                }
            }
        }
        System.out.println(written + " lines written to " + args[2] + " (" + at.length + "-line seed, " + clients.size()
                + " clients, span " + span + " per copy)");
    }

    private static List<Matcher> read(Path file) throws IOException {
        List<Matcher> lines = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                Matcher m = LINE.matcher(line);
                if (!m.matches()) {
                    throw new IllegalStateException(file + " line " + no + ": not an nginx access line: " + line);
                }
                lines.add(m);
            }
        }
        if (lines.isEmpty()) throw new IllegalStateException(file + " is empty");
        return lines;
    }

    /** A new loopback address for every seed client, distinct within the copy, never 127.0.0.1. */
    private static Map<String, String> addresses(List<String> clients, Random rng) {
        Map<String, String> map = new HashMap<>();
        Set<String> used = new HashSet<>();
        used.add("127.0.0.1");
        for (String c : clients) {
            String a;
            do {
                a = "127." + rng.nextInt(256) + "." + rng.nextInt(256) + "." + (1 + rng.nextInt(254));
            } while (!used.add(a));
            map.put(c, a);
        }
        return map;
    }

    /** The request line with every all-digit path segment and query value re-drawn (same number of digits). */
    private static String redraw(String request, Random rng) {
        Matcher m = ID.matcher(request);
        if (!m.find()) return request;
        StringBuilder sb = new StringBuilder(request.length());
        int at = 0;
        do {
            sb.append(request, at, m.start());
            int len = m.end() - m.start();
            sb.append((char) ('1' + rng.nextInt(9)));
            for (int k = 1; k < len; k++) sb.append((char) ('0' + rng.nextInt(10)));
            at = m.end();
        } while (m.find());
        return sb.append(request, at, request.length()).toString();
    }

    private static BufferedWriter writer(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
    }
}
