package dev.benchmon;

/**
 * Root of every exception benchmon throws. Unchecked, like Jdbi's {@code JdbiException}: catch it
 * once at the edge of a program, or catch a specific subclass where you can act on it.
 *
 * <p>Messages say what failed, name the things involved and suggest the next step.
 */
public class BenchmonException extends RuntimeException {
    public BenchmonException(String message) {
        super(message);
    }

    public BenchmonException(String message, Throwable cause) {
        super(message, cause);
    }
}
