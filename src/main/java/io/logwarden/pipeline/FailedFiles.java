package io.logwarden.pipeline;

import io.logwarden.config.IngestProperties;
import io.logwarden.store.Job;
import io.logwarden.store.JobView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A failed file job can be retried: FileIngestion moved its file to the failed folder with a {@code <file>.reason}
 * beside it that names the job ({@code job: 17}). Retrying parks the file under its original name in the inbox's
 * {@code .retry/} folder, from where the inbox guard returns it to the inbox (once no file of that name is there and
 * the database answers) and a new job reads it; the reason file is removed with it.
 */
@Component
public class FailedFiles {

    private static final Logger log = LoggerFactory.getLogger(FailedFiles.class);

    private final IngestProperties props;
    private final InboxGuard guard;

    FailedFiles(IngestProperties props, InboxGuard guard) {
        this.props = props;
        this.guard = guard;
    }

    /** The failed file a job left, if it is still in the failed folder. */
    public Optional<Path> fileOf(JobView job) {
        if (!"file".equals(job.trigger()) || !Job.FAILED.equals(job.status())) {
            return Optional.empty();
        }
        Path folder = props.failed();
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        String line = "job: " + job.id();
        try (DirectoryStream<Path> reasons = Files.newDirectoryStream(folder, "*.reason")) {
            for (Path reason : reasons) {
                if (Files.readAllLines(reason, StandardCharsets.UTF_8).stream().anyMatch(line::equals)) {
                    String name = reason.getFileName().toString();
                    Path file = reason.resolveSibling(name.substring(0, name.length() - ".reason".length()));
                    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                        return Optional.of(file);
                    }
                }
            }
        } catch (IOException e) {
            log.warn("Could not look for job {}'s failed file in {}: {}", job.id(), folder, e.getMessage());
        }
        return Optional.empty();
    }

    /** Sends the job's failed file back to be read again; answers what happened, for the operator. */
    public String retry(JobView job) throws IOException {
        Path file = fileOf(job).orElseThrow(() -> new IllegalStateException("job " + job.id()
                + " has no failed file left in " + props.failed() + " (retried already, or moved by hand)"));
        String name = job.input();
        if (name == null || Path.of(name).getFileName() == null || !Path.of(name).getFileName().toString().equals(name)) {
            throw new IllegalStateException("job " + job.id() + " has no plain file name to retry under");
        }
        Path parked = guard.park(name, Duration.ZERO);
        Files.createDirectories(parked.getParent());
        if (Files.exists(parked, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException(name + " is already waiting in " + parked.getParent() + " to be read again");
        }
        Files.move(file, parked, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".reason"));
        log.info("Job {}: its failed file {} goes back to the inbox to be read again (retried from the dashboard)",
                job.id(), io.logwarden.event.LogText.escape(name));
        return name + " goes back to the inbox; a new job reads it in a few seconds.";
    }
}
