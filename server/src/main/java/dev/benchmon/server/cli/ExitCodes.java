package dev.benchmon.server.cli;

/** What {@code benchmon} exits with, so that CI steps can act on it. */
public final class ExitCodes {
    /** Everything worked. */
    public static final int OK = 0;
    /** {@code push --fail-on-regression}: a pushed result regressed against its baseline. */
    public static final int REGRESSION = 1;
    /**
     * Invalid input: bad options, unreadable or invalid results, a request the server refused (4xx), a database URL
     * or login the database refused (no such database, wrong password): the same command fails until they change.
     */
    public static final int INVALID_INPUT = 2;
    /** The server (or database) could not be reached, or kept failing, after all retries. */
    public static final int UNREACHABLE = 3;
    /** Anything else went wrong (a bug or an environment problem; the message says which). */
    public static final int FAILURE = 4;

    private ExitCodes() {
    }
}
