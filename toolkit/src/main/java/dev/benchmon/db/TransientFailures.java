package dev.benchmon.db;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * The one place that decides whether a database failure is transient: the database is out of reach
 * for now (refused or lost connection, shutting down or restarting, out of connections or memory,
 * not accepting connections, the pool timed out waiting for one), so the same request can succeed
 * later. Everything else (permission denied, a constraint, a syntax error, a bug) fails the same way
 * on every retry.
 *
 * <p>By SQLSTATE (PostgreSQL appendix A): class {@code 08} connection exception, class {@code 53}
 * insufficient resources (too many connections, out of memory or disk), {@code 55000}
 * object_not_in_prerequisite_state (what a database with {@code allow_connections false} answers; not benchmon's own
 * refusals by an alert's or run's state, which name a column),
 * {@code 57P01} admin_shutdown, {@code 57P02} crash_shutdown, {@code 57P03} cannot_connect_now
 * (starting up, in recovery). Without a SQLSTATE: a refused or reset socket, an EOF from the
 * server, or the JDBC transient/recoverable connection exceptions (HikariCP's pool timeout is a
 * {@link SQLTransientConnectionException}) anywhere in the cause chain.
 */
public final class TransientFailures {
    private static final Set<String> STATES = Set.of("55000", "57P01", "57P02", "57P03");

    private TransientFailures() {
    }

    /**
     * Whether {@code failure}, or anything in its cause chain, says the database is unavailable for now; never a
     * refusal of the request's input ({@link InputRefusals}: a month detached from the log answers 55000 too).
     */
    public static boolean isTransient(Throwable failure) {
        return failing(failure, TransientFailures::isTransientState) && InputRefusals.of(failure).isEmpty()
                && !refusedByState(failure);
    }

    /**
     * Whether {@code failure} is benchmon's own refusal of a request by an alert's or run's state: 55000 raised by its
     * SQL functions naming the argument refused (RAISE ... COLUMN: alert, run), which no retry mends. The 55000 of a
     * database that takes no connections names no column.
     */
    private static boolean refusedByState(Throwable failure) {
        return anyCause(failure, t -> t instanceof org.postgresql.util.PSQLException p && "55000".equals(p.getSQLState())
                && p.getServerErrorMessage() != null && p.getServerErrorMessage().getColumn() != null);
    }

    /** Whether {@code failure} or anything in its cause chain (at most 32 deep, cycles cut) passes {@code test}. */
    private static boolean anyCause(Throwable failure, java.util.function.Predicate<Throwable> test) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code failure} says the database cannot be reached at all (no connection, lost or refused, the pool
     * timed out, shutting down or starting up): the part of {@link #isTransient} in which every statement fails alike,
     * whatever it writes. Not {@code 53} or {@code 55000}, which PostgreSQL also answers about one statement's objects
     * (a month detached from the log raises 55000 for the rows sent into it only).
     */
    public static boolean isUnreachable(Throwable failure) {
        return failing(failure, state -> state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }

    private static boolean failing(Throwable failure, java.util.function.Predicate<String> state) {
        return anyCause(failure, t -> t instanceof SQLException s && s.getSQLState() != null && state.test(s.getSQLState())
                || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException || t instanceof ConnectException
                || t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof EOFException
                || t instanceof org.jdbi.v3.core.ConnectionException);
    }

    /**
     * Whether a connection's SQLSTATE says the server answered and refused it for its configuration, which no retry
     * mends: the database does not exist (3D000 invalid_catalog_name), the password is wrong (28P01) or the login is
     * unknown or not let in by pg_hba.conf (28000 invalid_authorization_specification).
     */
    public static boolean isRefusedConnectionState(String sqlState) {
        return sqlState != null && REFUSED_CONNECTION.contains(sqlState);
    }

    private static final Set<String> REFUSED_CONNECTION = Set.of("3D000", "28P01", "28000");

    /** Whether a SQLSTATE names a transient condition (see the class comment for the list). */
    public static boolean isTransientState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("53") || STATES.contains(sqlState));
    }
}
