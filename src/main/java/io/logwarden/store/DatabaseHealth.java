package io.logwarden.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The database's health (replaces Spring's {@code db} indicator, part of the readiness group): a fresh connection
 * with a two-second connect and socket timeout, outside the pool. The pool's own check waited up to its connection
 * timeout (30 s) before saying DOWN, and a stuck check delayed saying UP again.
 */
@Component("dbHealthIndicator")
public class DatabaseHealth implements HealthIndicator {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final DataSource dataSource;

    public DatabaseHealth(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Health health() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.setQueryTimeout((int) TIMEOUT.toSeconds());
            s.execute("select 1");
            return Health.up().withDetail("database", "PostgreSQL").build();
        } catch (SQLException | RuntimeException e) {
            return Health.down().withDetail("error", String.valueOf(e.getMessage()).lines().findFirst().orElse("")).build();
        }
    }

    /** True when the database answers within the timeout. */
    public boolean isUp() {
        return "UP".equals(health().getStatus().getCode());
    }

    private Connection connect() throws SQLException {
        if (dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null
                && hikari.getJdbcUrl().startsWith("jdbc:postgresql:")) {
            Properties props = new Properties();
            if (hikari.getUsername() != null) props.setProperty("user", hikari.getUsername());
            if (hikari.getPassword() != null) props.setProperty("password", hikari.getPassword());
            props.setProperty("connectTimeout", String.valueOf(TIMEOUT.toSeconds()));
            props.setProperty("socketTimeout", String.valueOf(TIMEOUT.toSeconds()));
            props.setProperty("loginTimeout", String.valueOf(TIMEOUT.toSeconds()));
            props.setProperty("ApplicationName", "logwarden-health");
            return DriverManager.getConnection(hikari.getJdbcUrl(), props);
        }
        return dataSource.getConnection();
    }
}
