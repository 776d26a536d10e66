package io.logwarden.ingest;

import java.util.regex.Pattern;

/**
 * The source a file belongs to: its name without rotation suffixes and dates, so that {@code app.log},
 * {@code app.log.1} and {@code app-2026-11-24.log.gz} share one detection state and one set of templates.
 */
public final class SourceNames {

    private static final Pattern COMPRESSION = Pattern.compile("\\.(gz|gzip)$");
    private static final Pattern ROTATION = Pattern.compile("\\.\\d{1,3}$");
    private static final Pattern DATE = Pattern.compile("[-_.]?\\d{4}-?\\d{2}-?\\d{2}(?:[-_T]?\\d{2,6})?(?=\\.|$)");

    private SourceNames() {
    }

    public static String forFile(String fileName) {
        String name = COMPRESSION.matcher(fileName).replaceFirst("");
        name = ROTATION.matcher(name).replaceFirst("");
        String dated = DATE.matcher(name).replaceAll("");
        return dated.isEmpty() || dated.startsWith(".") ? name : dated;
    }
}
