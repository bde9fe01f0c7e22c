package dev.benchmon.server.cli;

/** A failure the CLI reports with a message (what happened and what to do next) and an exit code. */
public final class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** See {@link ExitCodes}. */
    public int exitCode() {
        return exitCode;
    }
}
