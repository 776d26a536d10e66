package io.logwarden.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded PostgreSQL used when no {@code spring.datasource.url} is set.
 *
 * @param embeddedDir          its data folder; kept between runs
 * @param embeddedPort         its port on 127.0.0.1; 0 picks a free one at each start
 * @param embeddedPasswordFile the generated password of its user {@code postgres} (owner-only); empty:
 *                             {@code <embedded-dir>-password}, e.g. {@code data/postgres-password}
 * @param synchronousCommit    wait for each commit to reach the disk; off, a power loss can lose the last
 *                             fraction of a second of commits (never corrupt the database: fsync stays on)
 * @param watchdogInterval     how often the embedded server is checked, and started again if its process died
 * @param outageWait           how long a file whose job failed because the database was unavailable waits for it
 *                             (retried with a backoff from 2 s doubling to 30 s) before it goes to the failed folder
 */
@ConfigurationProperties("logwarden.storage")
@Validated
public record StorageProperties(
        @NotNull @DefaultValue("data/postgres") Path embeddedDir,
        @DefaultValue("0") int embeddedPort,
        @DefaultValue("") String embeddedPasswordFile,
        @DefaultValue("false") boolean synchronousCommit,
        @NotNull @DefaultValue("1s") Duration watchdogInterval,
        @NotNull @DefaultValue("5m") Duration outageWait) {

    public Path passwordFile() {
        return embeddedPasswordFile.isBlank()
                ? embeddedDir.toAbsolutePath().resolveSibling(embeddedDir.getFileName() + "-password")
                : Path.of(embeddedPasswordFile);
    }
}
