package io.logwarden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The service in a child JVM, as an operator runs it: the built classes and their dependencies, the project root as
 * working directory (routes/, config/), a private data tree. Killed with SIGKILL or stopped with SIGTERM by tests.
 */
final class ServiceProcess implements AutoCloseable {

    final Path dir;
    final Path log;
    private final Process process;

    private ServiceProcess(Path dir, Path log, Process process) {
        this.dir = dir;
        this.log = log;
        this.process = process;
    }

    static ServiceProcess start(Path dir, String name, String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(ChildJvm.command(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"),
                "io.logwarden.LogwardenApplication",
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--logwarden.security.admin-password=child-test-password",
                "--logwarden.ingest.inbox=" + dir.resolve("inbox"),
                "--logwarden.ingest.processed=" + dir.resolve("processed"),
                "--logwarden.ingest.failed=" + dir.resolve("failed"),
                "--logwarden.ingest.poll-interval=200ms",
                "--logwarden.ingest.copy-samples=false",
                "--logwarden.report.dir=" + dir.resolve("reports"),
                "--logwarden.storage.embedded-dir=" + dir.resolve("postgres")));
        command.addAll(List.of(extraArgs));
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).directory(Path.of(System.getProperty("user.dir")).toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ServiceProcess(dir, log, process);
    }

    /** A connection to the child's embedded database (password and port from its data folder). */
    static Connection connect(Path dir) throws SQLException, IOException {
        String password = Files.readString(dir.resolve("postgres-password")).strip();
        String port = Files.readAllLines(dir.resolve("postgres").resolve("postmaster.pid")).get(3).strip();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the JVM to exit; returns its exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The id of the running job of this input once it has quarantined a record (it is well under way), else 0. */
    static long runningJobWithQuarantine(Path dir, String input) {
        try (Connection c = connect(dir)) {
            List<String> ids = rows(c, "select j.id from jobs j where j.status = 'running' and j.input = '" + input + "'"
                    + " and exists (select 1 from quarantine q where q.job_id = j.id)");
            return ids.isEmpty() ? 0 : Long.parseLong(ids.get(0));
        } catch (Exception notYet) {
            return 0;
        }
    }

    /** The files the service archived under processed/. */
    static List<Path> processed(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("processed"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** The first column of a query's rows, as text. */
    static List<String> rows(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
