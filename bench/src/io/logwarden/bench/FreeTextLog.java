package io.logwarden.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/**
 * Writes the free-text log of the pipeline benchmark: Spring Boot lines whose messages are 3 to 12 words drawn at
 * random from 50,000 made-up lowercase words (fixed seed), so that messages hardly ever repeat and share no
 * template: the worst case of a template miner, whose every message would become a template of its own. Twenty
 * lines a second from 2025-01-06 on.
 *
 * <p>Usage: {@code FreeTextLog LINES OUTPUT.log [MESSAGES.txt]}; MESSAGES gets every message, one per line, for the
 * reference miner.
 */
public final class FreeTextLog {

    private static final long SEED = 20261130L;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private FreeTextLog() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: FreeTextLog LINES OUTPUT.log [MESSAGES.txt]");
            System.exit(2);
        }
        long wanted = Long.parseLong(args[0]);
        Random rng = new Random(SEED);
        String[] words = new String[50_000];
        for (int i = 0; i < words.length; i++) {
            char[] w = new char[4 + rng.nextInt(6)];
            for (int k = 0; k < w.length; k++) w[k] = (char) ('a' + rng.nextInt(26));
            words[i] = new String(w);
        }
        LocalDateTime start = LocalDateTime.of(2025, 1, 6, 0, 0);
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(Path.of(args[1])),
                StandardCharsets.UTF_8), 1 << 16);
             BufferedWriter messages = args.length == 3 ? new BufferedWriter(new OutputStreamWriter(
                     Files.newOutputStream(Path.of(args[2])), StandardCharsets.UTF_8), 1 << 16) : null) {
            StringBuilder message = new StringBuilder();
            for (long i = 0; i < wanted; i++) {
                message.setLength(0);
                for (int k = 0, n = 3 + rng.nextInt(10); k < n; k++) {
                    message.append(k == 0 ? "" : " ").append(words[rng.nextInt(words.length)]);
                }
                out.write(STAMP.format(start.plusNanos(i * 50_000_000L)));
                out.write("  INFO 4711 --- [           main] c.a.shop.FreeText                        : ");
                out.append(message).write('\n');
                if (messages != null) messages.append(message).write('\n');
            }
        }
        System.out.println("wrote " + wanted + " free-text lines to " + args[1]);
    }
}
