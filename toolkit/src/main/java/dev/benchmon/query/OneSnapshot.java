package dev.benchmon.query;

import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * A read of several statements that must see one snapshot of the database: a history's newest-first bound and its
 * rows ({@link FilterSql#boundToNewest}), a streamed answer's metric names and its rows, a JSON Lines history's
 * definitions line and its rows. Run in one REPEATABLE READ transaction: a result committed between two of the
 * statements is in neither, so the names, the bound and the rows agree (READ COMMITTED gives each statement its own
 * snapshot).
 */
final class OneSnapshot {
    private OneSnapshot() {
    }

    /**
     * Runs {@code read} in a REPEATABLE READ transaction of its own. Not within another callback of the same
     * {@code jdbi} on this thread that has already run a statement: Jdbi would lend that callback's handle, whose
     * transaction has begun, and PostgreSQL refuses to change the isolation of a transaction after its first query.
     */
    static <R> R read(Jdbi jdbi, HandleCallback<R, RuntimeException> read) {
        return jdbi.inTransaction(h -> {
            // As the transaction's first statement (sent with its BEGIN) rather than Jdbi's isolation argument, which
            // sets and resets the session's level: two more round trips per request.
            h.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            return read.withHandle(h);
        });
    }
}
