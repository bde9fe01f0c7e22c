package dev.benchmon.alert;

import dev.benchmon.BenchmonException;
import dev.benchmon.DatabaseException;
import dev.benchmon.ValidationException;
import org.jdbi.v3.core.JdbiException;

import java.sql.SQLException;

/** Turns the alert functions' errors into benchmon's exceptions: 22023 invalid input, P0002 not found. */
final class SqlErrors {
    private SqlErrors() {
    }

    static BenchmonException translate(JdbiException e, String field, String what) {
        String state = DatabaseException.sqlStateOf(e);
        String message = message(e);
        if ("22023".equals(state)) {
            return new ValidationException(ValidationException.Problem.of(field, message));
        }
        if ("P0002".equals(state)) {
            return new NotFoundException(field, message);
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
}
