package io.logwarden.store;

import com.zaxxer.hikari.HikariDataSource;
import io.logwarden.config.StorageProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Starts a real PostgreSQL in-process when no {@code spring.datasource.url} is configured, so the first run
 * needs no installation. Its data lives under {@code logwarden.storage.embedded-dir} and survives restarts.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDatasourceUrl.class)
class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(StorageProperties storage) {
        try {
            Files.createDirectories(storage.embeddedDir());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(storage.embeddedDir().toAbsolutePath())
                    .setCleanDataDirectory(false);
            if (storage.embeddedPort() > 0) {
                builder.setPort(storage.embeddedPort());
            }
            EmbeddedPostgres postgres = builder.start();
            log.info("Embedded PostgreSQL on 127.0.0.1:{}, data in {} (set spring.datasource.url to use your own server)",
                    postgres.getPort(), storage.embeddedDir().toAbsolutePath());
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + storage.embeddedDir()
                    + ": " + e.getMessage(), e);
        }
    }

    @Bean
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("logwarden-embedded");
        dataSource.setMaximumPoolSize(8);
        return dataSource;
    }

    static class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
