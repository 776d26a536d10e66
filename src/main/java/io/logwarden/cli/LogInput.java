package io.logwarden.cli;

import io.logwarden.ingest.EventBatches;
import io.logwarden.ingest.FormatRegistry;
import io.logwarden.ingest.IngestException;
import io.logwarden.ingest.IngestSettings;
import io.logwarden.ingest.LogFileReader;
import io.logwarden.ingest.SourceNames;
import io.logwarden.ingest.UnknownFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Opens log files the way the service's file source does, with the format detected or forced. */
final class LogInput {

    private final LogFileReader reader;

    /**
     * @param format {@code auto} or a format name, which must be known to the registry (built-ins and the
     *               {@code --config} file's user formats)
     */
    LogInput(Settings settings, String format, Clock clock) throws CliError {
        this(settings.ingest(), format, clock);
    }

    /**
     * @param ingest the {@code logwarden.ingest} settings, before any format is forced
     * @param format {@code auto} or a format name, which must be known to the registry
     */
    LogInput(IngestSettings ingest, String format, Clock clock) throws CliError {
        String forced = Arguments.AUTO.equals(format) ? null : format;
        FormatRegistry registry;
        try {
            registry = new FormatRegistry(ingest, clock);
        } catch (IllegalArgumentException e) {
            throw CliError.input("bad ingest settings: " + e.getMessage()); // a user format's regex, a duplicate name
        }
        if (forced != null && !registry.names().contains(forced)) {
            throw CliError.usage("unknown format '" + forced + "'; known formats: auto, " + String.join(", ", registry.names()));
        }
        try {
            IngestSettings read = forced == null ? ingest : ingest.withFileFormatOverrides(Map.of("*", forced));
            this.reader = new LogFileReader(read, registry, clock);
        } catch (IllegalArgumentException e) {
            throw CliError.input("bad logwarden.ingest.file-formats: " + e.getMessage());
        }
    }

    /** Fails on the first missing or unreadable file, before any output. */
    static void checkExist(List<Path> files) throws CliError {
        for (Path file : files) {
            if (!Files.exists(file)) {
                throw CliError.input("no such file: " + file);
            }
            if (!Files.isRegularFile(file)) {
                throw CliError.input("not a file: " + file);
            }
            if (!Files.isReadable(file)) {
                throw CliError.input("permission denied: " + file);
            }
        }
    }

    /** The source a file belongs to, as the service names it: {@code app.log.1} → {@code app.log}. */
    static String sourceOf(Path file) {
        return SourceNames.forFile(file.getFileName() == null ? file.toString() : file.getFileName().toString());
    }

    EventBatches open(Path file) throws CliError {
        try {
            return reader.open(file, sourceOf(file));
        } catch (IOException | RuntimeException e) {
            throw readError(file, e);
        }
    }

    /** A reading failure as one line naming the file; programming errors are not hidden. */
    static CliError readError(Path file, Exception e) {
        if (e instanceof UnknownFormatException u) {
            return CliError.input(u.getMessage() + "; or force one with --format");
        }
        if (e instanceof IngestException) {
            return CliError.input(file + ": " + e.getMessage());
        }
        Throwable io = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (io instanceof NoSuchFileException) {
            return CliError.input("no such file: " + file);
        }
        if (io instanceof AccessDeniedException) {
            return CliError.input("permission denied: " + file);
        }
        if (io instanceof IOException) {
            return CliError.input(file + ": " + (e.getMessage() == null ? io.toString() : e.getMessage())
                    + (io != e && io.getMessage() != null ? ": " + io.getMessage() : ""));
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        return CliError.input(file + ": " + e);
    }
}
