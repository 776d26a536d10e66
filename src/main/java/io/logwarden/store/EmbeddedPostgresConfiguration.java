package io.logwarden.store;

import com.zaxxer.hikari.HikariDataSource;
import io.logwarden.config.StorageProperties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Starts a real PostgreSQL when no {@code spring.datasource.url} is configured, so the first run needs no
 * installation. Its data lives under {@code logwarden.storage.embedded-dir} and survives restarts; see
 * {@link EmbeddedPostgresServer} for how it is kept durable, closed to other users and recovered after a crash.
 * Spring stops it last: after Camel's routes (lifecycle stop) and after the connection pool (which depends on it).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDatasourceUrl.class)
class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgres(StorageProperties storage) {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(storage.embeddedDir(), storage.passwordFile(),
                storage.embeddedPort(), storage.synchronousCommit());
        log.info("Embedded PostgreSQL on 127.0.0.1:{}, data in {}, user postgres, password in {} (psql: see README, Database)",
                postgres.port(), postgres.dataDir(), storage.passwordFile());
        return postgres;
    }

    @Bean
    DataSource dataSource(EmbeddedPostgresServer postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.jdbcUrl());
        dataSource.setUsername(postgres.user());
        dataSource.setPassword(postgres.password());
        dataSource.setPoolName("logwarden-embedded");
        dataSource.setMaximumPoolSize(8);
        return dataSource;
    }

    /** Starts the embedded server again when its process died; runs while the application runs. */
    @Bean
    SmartLifecycle embeddedPostgresWatchdog(EmbeddedPostgresServer postgres, StorageProperties storage) {
        return new SmartLifecycle() {
            private ScheduledExecutorService timer;

            @Override
            public void start() {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "embedded-postgres-watchdog");
                    t.setDaemon(true);
                    return t;
                });
                long every = Math.max(100, storage.watchdogInterval().toMillis());
                timer.scheduleWithFixedDelay(postgres::restartIfDead, every, every, TimeUnit.MILLISECONDS);
            }

            @Override
            public void stop() {
                if (timer != null) {
                    timer.shutdownNow();
                    timer = null;
                }
            }

            @Override
            public boolean isRunning() {
                return timer != null;
            }

            @Override
            public int getPhase() {
                return Integer.MAX_VALUE; // stopped first on shutdown: nothing restarts the server while it stops
            }
        };
    }

    static class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
