package io.logwarden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logwarden.ChildJvm;
import io.logwarden.TestDirs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The embedded PostgreSQL as an operator meets it: after a kill -9, after its own death, and as another local user. */
class EmbeddedPostgresServerTest {

    @Test
    void aServerLeftByAKilledProcessIsStoppedSoTheFirstRestartWorks() throws Exception {
        Path dir = TestDirs.create("pg-leftover");
        Path data = dir.resolve("postgres");
        Path password = dir.resolve("postgres-password");
        Process child = new ProcessBuilder(ChildJvm.command(List.of(), Child.class.getName(),
                data.toString(), password.toString()))
                .redirectErrorStream(true).start();
        String ready;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            do {
                ready = out.readLine();
            } while (ready != null && !ready.startsWith("READY "));
            assertThat(ready).as("the child started its server").isNotNull();
            child.destroyForcibly(); // SIGKILL: no shutdown hook, the server outlives the JVM
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        long leftoverPid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
        assertThat(ProcessHandle.of(leftoverPid).map(ProcessHandle::isAlive)).contains(true);

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, password, 0, false)) {
            assertThat(ProcessHandle.of(leftoverPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(query(server, "select count(*) from pg_stat_activity")).isNotBlank();
        }
    }

    @Test
    void passwordOnlyOnLoopbackAndDurable() throws Exception {
        Path dir = TestDirs.create("pg-secure");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("postgres"),
                dir.resolve("postgres-password"), 0, false)) {
            Path passwordFile = dir.resolve("postgres-password");
            assertThat(Files.readString(passwordFile).strip()).isEqualTo(server.password()).hasSizeGreaterThanOrEqualTo(32);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");

            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), "postgres", "").close())
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), "postgres", "wrong").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");

            assertThat(query(server, "show listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(query(server, "show unix_socket_directories")).isEmpty();
            assertThat(query(server, "show fsync")).isEqualTo("on");
            assertThat(query(server, "show full_page_writes")).isEqualTo("on");
            assertThat(query(server, "show synchronous_commit")).isEqualTo("off");
            assertThat(Files.readString(server.dataDir().resolve("pg_hba.conf")))
                    .doesNotContainPattern("(?m)^[^#].*\\btrust\\s*$");
        }
    }

    @Test
    void aServerWhoseProcessDiedIsStartedAgainWithItsData() throws Exception {
        Path dir = TestDirs.create("pg-dies");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("postgres"),
                dir.resolve("postgres-password"), 0, true)) {
            execute(server, "create table kept (v text); insert into kept values ('before the crash')");
            assertThat(server.restartIfDead()).isFalse();
            long pid = Long.parseLong(Files.readAllLines(server.dataDir().resolve("postmaster.pid")).get(0).strip());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            postmaster.destroyForcibly();
            postmaster.onExit().get(10, TimeUnit.SECONDS);
            assertThat(server.isRunning()).isFalse();

            assertThat(server.restartIfDead()).isTrue();
            assertThat(query(server, "select v from kept")).isEqualTo("before the crash");
        }
    }

    @Test
    void aDataFolderFromTheEarlierTrustingSetUpGetsThePassword() throws Exception {
        Path dir = TestDirs.create("pg-upgrade");
        Path data = dir.resolve("postgres");
        // As the earlier version made it: zonky's initdb with trust for every local connection.
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres old = io.zonky.test.db.postgres.embedded.EmbeddedPostgres
                .builder().setDataDirectory(data).setCleanDataDirectory(false).start()) {
            try (Connection c = DriverManager.getConnection(old.getJdbcUrl("postgres", "postgres"))) {
                c.createStatement().execute("create table kept (v text); insert into kept values ('old data')");
            }
        }
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, dir.resolve("postgres-password"), 0, false)) {
            assertThat(query(server, "select v from kept")).isEqualTo("old data");
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), "postgres", "").close())
                    .isInstanceOf(SQLException.class);
            assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContainPattern("(?m)^[^#].*\\btrust\\s*$");
        }
    }

    private static String query(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password())) {
            c.createStatement().execute(sql);
        }
    }

    /** A process that starts the server and waits to be killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), Path.of(args[1]), 0, false);
            System.out.println("READY " + server.port());
            System.out.flush();
            Thread.sleep(List.of(60_000L).get(0));
        }
    }
}
