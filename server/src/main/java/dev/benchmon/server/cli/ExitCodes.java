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
    /**
     * {@code export}: standard output was closed before the export ended ({@code benchmon export | head -1}); it stopped
     * reading there and said nothing. 141 (128 + SIGPIPE) is what a shell reports for {@code seq 1000000 | head -1}'s
     * writer too.
     */
    public static final int STDOUT_CLOSED = 141;

    /*
     * The help's exit-code lines ("code:meaning", picocli's exitCodeList), one wording per code: each command lists
     * those it can return, and a command group's list holds for its commands (Main gives it to them).
     */
    /** Help line for {@link #OK}. */
    static final String OK_HELP = OK + ":ok.";
    /** Help line for {@link #REGRESSION}. */
    static final String REGRESSION_HELP = REGRESSION + ":a regression: a pushed result regressed (push "
            + "--fail-on-regression) or lost a metric of its series' previous run (push --fail-on-missing).";
    /** Help line for {@link #INVALID_INPUT}. */
    static final String INVALID_INPUT_HELP = INVALID_INPUT + ":invalid input: a bad option or value, an unreadable or "
            + "invalid file, a request the server refused, a database that does not exist, a refused database login, or a read "
            + "pointed at a database without the benchmon schema (or a write there by a login that may not create it).";
    /** Help line for {@link #INVALID_INPUT} of a command that reads only its file (no server, no database). */
    static final String INVALID_FILE_HELP = INVALID_INPUT + ":invalid input: a bad option or value, an unreadable file "
            + "or a column that is not there.";
    /** Help line for {@link #INVALID_INPUT} of a command that reads only its options. */
    static final String INVALID_OPTION_HELP = INVALID_INPUT + ":invalid input: a bad option or value.";
    /** The wording of {@link #UNREACHABLE} every command's help line begins with. */
    private static final String UNREACHABLE_WORDING = UNREACHABLE + ":the server or database could not be reached, or "
            + "kept failing, after retries";
    /** Help line for {@link #UNREACHABLE}. */
    static final String UNREACHABLE_HELP = UNREACHABLE_WORDING + ".";
    /** Help line for {@link #UNREACHABLE} of a command that reads a server's answer with --timeout ({@code export}, {@code compare}). */
    static final String UNREACHABLE_STREAMED_HELP = UNREACHABLE_WORDING + "; or the server's answer broke off, or "
            + "stalled for --timeout, midway.";
    /** Help line for {@link #FAILURE}. */
    static final String FAILURE_HELP = FAILURE + ":any other failure (the message says which).";
    /** The heading of the exit-code list in every command's help. */
    static final String HEADING = "%nExit codes:%n";

    private ExitCodes() {
    }
}
