package dev.benchmon.server.cli;

import dev.benchmon.ValidationException;

import java.util.stream.Collectors;

/** A failure the CLI reports with a message (what happened and what to do next) and an exit code. */
public final class CliException extends RuntimeException {
    private final int exitCode;
    /** The HTTP status of a server's refusal this reports, or 0. */
    private final int httpStatus;

    public CliException(int exitCode, String message) {
        this(exitCode, message, 0);
    }

    /** A server's refusal of a request: {@code httpStatus} is its answer's status (4xx). */
    CliException(int exitCode, String message, int httpStatus) {
        super(message);
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.httpStatus = 0;
    }

    /**
     * A refused value of one option, worded as the command line words every such refusal ({@link #invalidOption}): the option the user typed,
     * then the problem ({@code invalid --direction: unknown direction 'bad' (allowed: ...)}); exit code
     * {@link ExitCodes#INVALID_INPUT}.
     * The toolkit's own wording ("invalid benchmark input ... nothing was stored", or the field's name instead of the
     * option's) is about a result or an argument, not about what was typed.
     */
    static CliException badOption(String option, ValidationException refusal) {
        return new CliException(ExitCodes.INVALID_INPUT, invalidOption(option, refusal.problems().stream()
                .map(ValidationException.Problem::message).collect(Collectors.joining("; "))));
    }

    /**
     * The one wording of a refused option, {@code invalid --option: why}: {@link #badOption} and
     * {@link OptionNames#refusal} (a server's or the toolkit's refusal reworded) say it alike.
     */
    static String invalidOption(String option, String why) {
        return "invalid " + option + ": " + why;
    }

    /** See {@link ExitCodes}. */
    public int exitCode() {
        return exitCode;
    }

    /** The HTTP status of the server's refusal this reports (a 404: a route the server does not have), or 0. */
    int httpStatus() {
        return httpStatus;
    }
}
