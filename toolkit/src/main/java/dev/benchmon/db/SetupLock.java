package dev.benchmon.db;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A PostgreSQL session advisory lock held while one process sets up what every process shares: the schema (Flyway's
 * migrations and its afterMigrate grants) and the embedded server's app login.
 *
 * <p>Why not Flyway's own lock: Flyway holds it per migration, not across its afterMigrate callback, so a second
 * process opening a new database ran its migrations or its grants while the first granted, and PostgreSQL refused one
 * {@code GRANT}/{@code REVOKE} of the same catalogue row with "tuple concurrently updated" (GRANT takes no lock on the
 * table it changes). Two {@code ALTER ROLE} of one login fail the same way. The lock takes two int4 keys, a key space
 * apart from Flyway's single int8 key, and is released on {@link #close()} (or by PostgreSQL when the session ends,
 * should the process die holding it).
 */
final class SetupLock implements AutoCloseable {
    /** The first key of every benchmon setup lock ("benc" in ASCII). */
    private static final int BENCHMON = 0x62656e63;

    /** What a lock serialises; its number is the second key. */
    enum Scope {
        SCHEMA(1, "applying the benchmon schema"),
        APP_LOGIN(2, "setting up the app login");

        private final int key;
        private final String doing;

        Scope(int key, String doing) {
            this.key = key;
            this.doing = doing;
        }
    }

    private final Connection connection;
    private final boolean ownConnection;
    private final Scope scope;
    /** Keeps a lock taken on a connection of its own from looking idle ({@link #take}); null otherwise. */
    private java.util.concurrent.ScheduledExecutorService heartbeat;
    private boolean closed;

    private SetupLock(Connection connection, boolean ownConnection, Scope scope) {
        this.connection = connection;
        this.ownConnection = ownConnection;
        this.scope = scope;
    }

    /**
     * A lock {@link #take}n on a connection of its own is held by a session that runs nothing while the setup works on
     * other connections (Flyway's), so a waiter would read it as idle and give up on a healthy migration. A
     * {@code SELECT 1} on it every {@code every} (a fraction of the idle limit) keeps its {@code state_change} fresh
     * for as long as this process runs; a process stopped (SIGSTOP, a debugger) stops beating too, so a stuck holder
     * still looks idle.
     */
    private void beatEvery(Duration every) {
        heartbeat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "benchmon-setup-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long millis = every.toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, millis, millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private synchronized void beat() {
        if (closed) {
            return;
        }
        try (java.sql.Statement st = connection.createStatement()) {
            st.execute("SELECT 1");
        } catch (SQLException e) {
            org.slf4j.LoggerFactory.getLogger(SetupLock.class).debug("heartbeat of the lock for {}: {}", scope.doing, e.toString());
        }
    }

    /**
     * How long the holder of a setup lock may sit idle (no statement running, in or out of a transaction) before a
     * waiter gives up: setting up runs statement after statement, so a holder idle this long is stuck (a process stopped
     * with SIGSTOP or held in a debugger), and the waiter says which session it is rather than wait for ever. A holder
     * running a long statement (a migration rewriting a big table) is waited for as long as it runs.
     */
    static final Duration IDLE_HOLDER_LIMIT = Duration.ofMinutes(2);
    /** How often a waiter says it still waits, and for whom. */
    private static final Duration REMIND_EVERY = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 100;

    /** Takes the lock on a connection of its own from {@code dataSource}, waiting (and saying so) while another holds it. */
    static SetupLock take(DataSource dataSource, Scope scope) {
        return take(dataSource, scope, IDLE_HOLDER_LIMIT);
    }

    /** {@link #take(DataSource, Scope)} giving up on a holder idle longer than {@code idleLimit}. */
    static SetupLock take(DataSource dataSource, Scope scope, Duration idleLimit) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw new dev.benchmon.DatabaseException("could not connect to take the lock for " + scope.doing + ": "
                    + e.getMessage(), e);
        }
        try {
            SetupLock held = on(c, true, scope, idleLimit);
            // a quarter of the idle limit, at most 10 s: a waiter sees the holder idle for less than its limit
            held.beatEvery(Duration.ofMillis(Math.max(100, Math.min(10_000, idleLimit.toMillis() / 4))));
            return held;
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** Takes the lock on {@code connection}, which the caller keeps using and closes after this lock. */
    static SetupLock on(Connection connection, Scope scope) {
        return on(connection, false, scope, IDLE_HOLDER_LIMIT);
    }

    /**
     * Polls {@code pg_try_advisory_lock} rather than blocking in {@code pg_advisory_lock}, so that the wait can say whom
     * it waits for, remind every {@link #REMIND_EVERY}, and end when the holder is stuck.
     */
    private static SetupLock on(Connection c, boolean own, Scope scope, Duration idleLimit) {
        try {
            if (!call(c, "SELECT pg_try_advisory_lock(?, ?)", scope)) {
                Holder holder = holder(c, scope);
                Progress.step("waiting for another process that is {}{}", scope.doing, holder == null ? "" : " (" + holder + ")");
                long remindAt = System.nanoTime() + REMIND_EVERY.toNanos();
                while (!call(c, "SELECT pg_try_advisory_lock(?, ?)", scope)) {
                    holder = holder(c, scope);
                    if (holder != null && holder.idleFor() != null && holder.idleFor().compareTo(idleLimit) > 0) {
                        throw new dev.benchmon.DatabaseException("gave up waiting for another process that is " + scope.doing
                                + ": its session (" + holder + ") holds the lock but has run no statement for "
                                + holder.idleFor().toSeconds() + " s, so it looks stuck; stop that process (or end the "
                                + "session: SELECT pg_terminate_backend(" + holder.pid() + ")) and open again");
                    }
                    if (System.nanoTime() - remindAt > 0) {
                        Progress.step("still waiting for another process that is {}{}", scope.doing,
                                holder == null ? "" : " (" + holder + ")");
                        remindAt = System.nanoTime() + REMIND_EVERY.toNanos();
                    }
                    Thread.sleep(POLL_MILLIS);
                }
            }
            return new SetupLock(c, own, scope);
        } catch (SQLException e) {
            throw new dev.benchmon.DatabaseException("could not take the lock for " + scope.doing + " (pg_advisory_lock("
                    + BENCHMON + ", " + scope.key + ")): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.benchmon.DatabaseException("interrupted while waiting for another process that is " + scope.doing, e);
        }
    }

    /**
     * The session holding a setup lock, as {@code pg_stat_activity} shows it to this login.
     *
     * @param application its {@code application_name} ("" when none or hidden)
     * @param idleFor     how long it has run no statement; {@code null} while it runs one, or when this login may not
     *                    see another role's session state (without {@code pg_read_all_stats}): then the wait goes on
     */
    record Holder(int pid, String application, Duration idleFor) {
        @Override
        public String toString() {
            return "PostgreSQL backend pid " + pid + (application.isEmpty() ? "" : ", application '" + application + "'");
        }
    }

    /** The holder of {@code scope}'s lock in this database, or {@code null} when it was released meanwhile. */
    private static Holder holder(Connection c, Scope scope) throws SQLException {
        // Two int4 keys: classid and objid hold them, objsubid is 2 (PostgreSQL's pg_locks documentation).
        try (PreparedStatement st = c.prepareStatement("""
                SELECT l.pid, coalesce(a.application_name, ''),
                       CASE WHEN a.state IN ('idle', 'idle in transaction', 'idle in transaction (aborted)')
                            THEN extract(epoch FROM clock_timestamp() - a.state_change) END
                FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ?
                  AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                LIMIT 1""")) {
            st.setLong(1, BENCHMON);
            st.setLong(2, scope.key);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                double idle = rs.getDouble(3);
                return new Holder(rs.getInt(1), rs.getString(2), rs.wasNull() ? null : Duration.ofMillis((long) (idle * 1000)));
            }
        }
    }

    private static boolean call(Connection c, String sql, Scope scope) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setInt(1, BENCHMON);
            st.setInt(2, scope.key);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Releases the lock; closes the connection when it took its own. An explicit unlock, because a pooled connection's
     * close keeps its session (and a session lock) open.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (heartbeat != null) {
            heartbeat.shutdownNow(); // a beat in progress holds this monitor: none runs once closed is seen
        }
        try {
            call(connection, "SELECT pg_advisory_unlock(?, ?)", scope);
        } catch (SQLException e) {
            // The session is gone or broken, and its locks with it; a pool discards a broken connection.
            org.slf4j.LoggerFactory.getLogger(SetupLock.class).debug("releasing the lock for {}: {}", scope.doing, e.toString());
        } finally {
            if (ownConnection) {
                closeQuietly(connection);
            }
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to release that the end of the session does not
        }
    }
}
