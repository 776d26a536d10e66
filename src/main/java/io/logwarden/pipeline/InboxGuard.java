package io.logwarden.pipeline;

import io.logwarden.config.IngestProperties;
import io.logwarden.event.LogText;
import io.logwarden.store.DatabaseHealth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The inbox's gatekeeper, called by the file consumer for every entry it lists, before any lock or read: only
 * regular files with names the rest of the chain can handle go through. Anything else goes straight to the failed
 * folder, under a safe name, with a {@code .reason} naming the original (escaped):
 * <ul>
 *   <li>symbolic links (never followed: a link to someone else's file must not end up in reports), FIFOs,
 *       sockets and devices;</li>
 *   <li>names with control characters (a newline would forge a log line), backslashes, or too long to carry the
 *       lock and archive suffixes (they used to jam the inbox, retried every poll).</li>
 * </ul>
 * Once a second it also returns files parked in {@code .retry/} (changed while they were read) to the inbox. A warning about the
 * same entry is logged at most once every ten minutes.
 */
@Component("inboxGuard")
public class InboxGuard implements GenericFileFilter<Object> {

    /** Longest accepted name in UTF-8 bytes: 255 (the usual limit) less room for ".camelLock" and a job id. */
    static final int MAX_NAME_BYTES = 200;
    static final String RETRY_DIR = ".retry";
    private static final Pattern EXCLUDED = Pattern.compile("^\\..*|.*\\.(reason|tmp|part|swp|camelLock)$");
    private static final Duration WARN_EVERY = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(InboxGuard.class);

    private final IngestProperties props;
    private final Clock clock;
    private final DatabaseHealth database;
    private final Map<String, Long> notBefore = new ConcurrentHashMap<>();
    private final Map<String, Long> warned = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    public InboxGuard(IngestProperties props, Clock clock, DatabaseHealth database) {
        this.props = props;
        this.clock = clock;
        this.database = database;
    }

    /**
     * Where to park a file that is to be read again, in {@code <inbox>/.retry/}; it returns to the inbox after
     * {@code delay}, once the database answers and no file of its name is in the inbox.
     */
    public Path park(String name, Duration delay) {
        notBefore.put(name, clock.millis() + delay.toMillis());
        return props.inbox().resolve(RETRY_DIR).resolve(name);
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        // The real entry: Camel's own name and path treat a backslash as a folder separator.
        Path path = file.getFile() instanceof java.io.File f ? f.toPath() : Path.of(file.getAbsoluteFilePath());
        String name = path.getFileName() == null ? file.getFileNameOnly() : path.getFileName().toString();
        if (name == null || EXCLUDED.matcher(name).matches()) {
            return false;
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return false; // gone since the listing
        }
        if (attrs.isDirectory()) {
            warnOnce(name, "Inbox: {} is a folder; folders are not read (drop files, not folders)", LogText.escape(name));
            return false;
        }
        String problem = problem(name, attrs);
        if (problem == null) {
            return true;
        }
        reject(path, name, problem);
        return false;
    }

    /** What is wrong with an inbox entry, or null when it can be read. */
    static String problem(String name, BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            return "a symbolic link, not a regular file: links in the inbox are never followed; copy the file itself";
        }
        if (!attrs.isRegularFile()) {
            return "not a regular file (a FIFO, socket or device): only regular files are read";
        }
        return nameProblem(name);
    }

    static String nameProblem(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "file name too long (" + name.getBytes(StandardCharsets.UTF_8).length + " bytes, at most "
                    + MAX_NAME_BYTES + "): rename it and move it back into the inbox";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                return "file name contains a control character (U+" + String.format("%04X", (int) c)
                        + "): rename it and move it back into the inbox";
            }
            if (c == '\\') {
                return "file name contains a backslash: rename it and move it back into the inbox";
            }
        }
        return null;
    }

    /** A name safe everywhere: letters, digits, dot, dash and underscore, cut short, made unique in the folder. */
    static String safeName(String name, Path folder) {
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "_");
        if (cleaned.length() > 80) {
            cleaned = cleaned.substring(0, 60) + "_" + cleaned.substring(cleaned.length() - 19); // keeps the extension
        }
        String candidate = "rejected-" + cleaned;
        for (int n = 2; Files.exists(folder.resolve(candidate), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(folder.resolve(candidate + ".reason"), LinkOption.NOFOLLOW_LINKS); n++) {
            candidate = "rejected-" + n + "-" + cleaned;
        }
        return candidate;
    }

    private void reject(Path path, String name, String problem) {
        try {
            Path failed = props.failed();
            Files.createDirectories(failed);
            String safe = safeName(name, failed);
            Files.move(path, failed.resolve(safe), LinkOption.NOFOLLOW_LINKS);
            String text = "file: " + LogText.escape(name) + "\nmoved to: " + safe + "\nrejected at: " + clock.instant()
                    + "\nreason: " + problem + "\n\nNothing of it was read.\n";
            Files.writeString(failed.resolve(safe + ".reason"), text, StandardCharsets.UTF_8);
            log.warn("Inbox: {} rejected: {}; moved to {}", LogText.escape(name), problem, failed.resolve(safe));
        } catch (IOException | RuntimeException e) {
            warnOnce(name, "Inbox: {} cannot be read ({}) and could not be moved to the failed folder: {}",
                    LogText.escape(name), problem, String.valueOf(e.getMessage()));
        }
    }

    @PostConstruct
    void startReturningRetries() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inbox-retries");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::returnRetries, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stopReturningRetries() {
        timer.shutdownNow();
    }

    /** Files parked in {@code .retry/} go back to the inbox once no file of their name is there. */
    void returnRetries() {
        Path retry = props.inbox().resolve(RETRY_DIR);
        if (!Files.isDirectory(retry, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> parked = Files.newDirectoryStream(retry)) {
            Boolean databaseUp = null;
            for (Path p : parked) {
                String name = p.getFileName().toString();
                Path back = props.inbox().resolve(name);
                if (clock.millis() < notBefore.getOrDefault(name, 0L) || Files.exists(back, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (databaseUp == null) {
                    databaseUp = database.isUp(); // no use reading it again while the database is away
                }
                if (databaseUp) {
                    notBefore.remove(name);
                    Files.move(p, back, StandardCopyOption.ATOMIC_MOVE);
                    log.info("Inbox: {} is back in the inbox, to be analysed again", LogText.escape(p.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            warnOnce(RETRY_DIR, "Inbox: could not return files from {}: {}", retry, String.valueOf(e.getMessage()));
        }
    }

    private void warnOnce(String key, String format, Object... args) {
        long now = clock.millis();
        Long last = warned.get(key);
        if (last == null || now - last >= WARN_EVERY.toMillis()) {
            warned.put(key, now);
            if (warned.size() > 10_000) {
                warned.clear();
            }
            log.warn(format, args);
        }
    }
}
