package io.logwarden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Prepares the tests' temporary folder when a test run starts. The build points {@code java.io.tmpdir} at
 * {@code target/test-tmp} (pom.xml, surefire); this creates it and empties it of the previous run's folders, so runs do
 * not pile up service folders and embedded databases. The extracted PostgreSQL binaries ({@code embedded-pg}) are kept:
 * they are the same for every run. Outside the build (an IDE's own tmpdir) nothing is deleted.
 */
public final class TestTempFolder implements LauncherSessionListener {

    static final String FOLDER = "test-tmp";
    static final String KEEP = "embedded-pg";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        if (!tmp.getFileName().toString().equals(FOLDER)) {
            return;
        }
        try {
            Files.createDirectories(tmp);
            try (Stream<Path> entries = Files.list(tmp)) {
                entries.filter(entry -> !entry.getFileName().toString().equals(KEEP)).forEach(TestTempFolder::delete);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the tests' temporary folder " + tmp, e);
        }
    }

    private static void delete(Path tree) {
        try (Stream<Path> paths = Files.walk(tree)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a folder another process still writes in is left for the next run or `mvn clean`
        }
    }
}
