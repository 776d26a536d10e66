package io.logwarden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A private folder tree per test context: inbox, processed, failed, reports and the embedded database. */
public final class TestDirs {

    private TestDirs() {
    }

    public static Path create(String name) {
        try {
            Path dir = Files.createTempDirectory("logwarden-" + name + "-");
            for (String sub : new String[] {"inbox", "processed", "failed", "reports"}) {
                Files.createDirectories(dir.resolve(sub));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void register(DynamicPropertyRegistry registry, Path dir) {
        registry.add("logwarden.ingest.inbox", () -> dir.resolve("inbox").toString());
        registry.add("logwarden.ingest.processed", () -> dir.resolve("processed").toString());
        registry.add("logwarden.ingest.failed", () -> dir.resolve("failed").toString());
        registry.add("logwarden.ingest.poll-interval", () -> "200ms");
        registry.add("logwarden.ingest.copy-samples", () -> "false");
        // the start-up warm-up competes for the cores with a test's first steps; ServiceTestSupport's context runs it
        registry.add("logwarden.ingest.warm-up", () -> "false");
        registry.add("logwarden.report.dir", () -> dir.resolve("reports").toString());
        registry.add("logwarden.storage.embedded-dir", () -> dir.resolve("postgres").toString());
    }
}
