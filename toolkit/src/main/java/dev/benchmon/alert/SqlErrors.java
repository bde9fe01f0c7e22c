package dev.benchmon.alert;

import dev.benchmon.BenchmonException;
import dev.benchmon.DatabaseException;
import dev.benchmon.InvalidArgumentException;
import dev.benchmon.ValidationException;
import org.jdbi.v3.core.JdbiException;
import org.postgresql.util.PSQLException;

import java.sql.SQLException;

/**
 * Turns the alert functions' errors into benchmon's exceptions: 22023 a refused argument, named by the column the
 * function raised it with (kind, text, actor, state, reason, until) — triage takes arguments, not benchmark input,
 * so it is an {@link InvalidArgumentException}; P0002 not found, of the kind the function raised it with as its column
 * when one function can miss two things (unmute_series: the series, or a mute in force); 55000
 * (object_not_in_prerequisite_state) a request the alert's or run's state refuses, a {@link StateConflictException}.
 */
final class SqlErrors {
    private SqlErrors() {
    }

    /** @param field names the argument when the function's error does not */
    static BenchmonException translate(JdbiException e, String field, String what) {
        String state = DatabaseException.sqlStateOf(e);
        String message = message(e);
        if ("22023".equals(state)) {
            String column = column(e);
            // "kind must be ..." reads "kind: must be ..." once the field is named apart.
            return column == null ? new InvalidArgumentException(ValidationException.Problem.of(field, message))
                    : new InvalidArgumentException(ValidationException.Problem.of(column,
                            message.startsWith(column + " ") ? message.substring(column.length() + 1) : message));
        }
        if ("55000".equals(state)) {
            return new StateConflictException(message);
        }
        if ("P0002".equals(state)) {
            // what is missing, when the function names it (RAISE ... COLUMN: series, mute), else the caller's kind
            String column = column(e);
            return new NotFoundException(column == null ? field : column, message);
        }
        return new DatabaseException(what + " failed: " + message, e);
    }

    private static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s.getMessage().replaceFirst("^ERROR: ", "").replaceAll("\\s+(Hint|Where|Position):[\\s\\S]*", "");
            }
        }
        return e.getMessage();
    }

    /** The column the server's error names (RAISE ... COLUMN), or {@code null}. */
    private static String column(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
                return p.getServerErrorMessage().getColumn();
            }
        }
        return null;
    }
}
