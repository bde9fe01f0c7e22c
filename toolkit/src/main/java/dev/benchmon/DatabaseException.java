package dev.benchmon;

import java.sql.SQLException;
import java.util.Optional;

/**
 * The database could not be reached, or refused a statement. The message names the statement;
 * {@link #sqlState()} tells which (PostgreSQL's SQLSTATE, e.g. {@code 08006} connection lost,
 * {@code 42501} permission denied), so that callers can tell "try again later" from "will never work".
 */
public class DatabaseException extends BenchmonException {
    private final String sqlState;

    /** With the SQLSTATE of the first {@link SQLException} in {@code cause}'s chain that has one, if any. */
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlStateOf(cause);
    }

    public DatabaseException(String message) {
        super(message);
        this.sqlState = null;
    }

    /**
     * {@code true} when the database is out of reach for now and the same request can succeed later
     * (see {@link dev.benchmon.db.TransientFailures}): callers answer 503 with Retry-After and retry.
     */
    public boolean isTransient() {
        return dev.benchmon.db.TransientFailures.isTransient(this);
    }

    /** PostgreSQL's five-character SQLSTATE of the failure, when the database (or driver) gave one. */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }

    /** The SQLSTATE of the first {@link SQLException} in the chain that has one, else {@code null}. */
    public static String sqlStateOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }
}
