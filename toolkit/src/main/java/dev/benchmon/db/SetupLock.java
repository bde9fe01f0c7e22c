package dev.benchmon.db;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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

    private SetupLock(Connection connection, boolean ownConnection, Scope scope) {
        this.connection = connection;
        this.ownConnection = ownConnection;
        this.scope = scope;
    }

    /** Takes the lock on a connection of its own from {@code dataSource}, waiting (and saying so) while another holds it. */
    static SetupLock take(DataSource dataSource, Scope scope) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw new dev.benchmon.DatabaseException("could not connect to take the lock for " + scope.doing + ": "
                    + e.getMessage(), e);
        }
        try {
            return on(c, true, scope);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** Takes the lock on {@code connection}, which the caller keeps using and closes after this lock. */
    static SetupLock on(Connection connection, Scope scope) {
        return on(connection, false, scope);
    }

    private static SetupLock on(Connection c, boolean own, Scope scope) {
        try {
            if (!call(c, "SELECT pg_try_advisory_lock(?, ?)", scope)) {
                Progress.step("waiting for another process that is {}", scope.doing);
                call(c, "SELECT pg_advisory_lock(?, ?) IS NULL", scope);
            }
            return new SetupLock(c, own, scope);
        } catch (SQLException e) {
            throw new dev.benchmon.DatabaseException("could not take the lock for " + scope.doing + " (pg_advisory_lock("
                    + BENCHMON + ", " + scope.key + ")): " + e.getMessage(), e);
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
    public void close() {
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
