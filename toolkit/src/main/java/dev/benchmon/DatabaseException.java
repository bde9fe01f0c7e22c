package dev.benchmon;

/** The database could not be reached, or refused a statement. The message names the statement. */
public class DatabaseException extends BenchmonException {
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }

    public DatabaseException(String message) {
        super(message);
    }
}
