package dev.benchmon.server.cli;

import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;

/**
 * {@code --server}, {@code --token} and {@code --timeout}: read from a running server instead of a database. Shared by
 * the read-only commands ({@code compare}, {@code export}, {@code metrics list}; {@code metrics define}, a write,
 * declares the options itself and uses the static forms) so the option names, the token's fallback
 * ({@link ClientTokens}, as a read), the wait for a silent server and the retry policy stay one rule.
 */
final class ServerReadOptions {
    @Option(names = "--server", paramLabel = "URL", description = "Read from this server instead of a database (refused with --db or --home).")
    String server;

    @Option(names = "--token", paramLabel = "T",
            description = "Read token for --server (" + ClientTokens.READ_DEFAULT + "); refused without --server, where no "
                    + "token applies.")
    String token;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = {"With --server: how long the server may send "
            + "nothing, before its answer begins or midway through it (default: " + PushClient.DEFAULT_TIMEOUT_SECONDS
            + "). A silent start is retried; a stall midway ends the command with exit 3 (an export's earlier -o FILE "
            + "left as it was). A long answer is fine while it keeps coming."})
    Integer timeoutSeconds;

    /** Whether {@code --server} was given. */
    boolean present() {
        return server != null;
    }

    /**
     * Refuses {@code --server} with {@code --db} / {@code --home} (one would be used and the other silently ignored),
     * and {@code --token} or {@code --timeout} without {@code --server}: the command then reads a database, where
     * neither applies; and a {@code --timeout} below 1 second.
     */
    void check(String command, DatabaseOptions database) {
        check(command, "reads", database, server, token, timeoutSeconds);
    }

    /**
     * {@link #check} for a command that declares {@code --server}, {@code --token} and {@code --timeout} itself, since
     * it writes ({@code metrics define}): the same refusals, saying what the command does ({@code reads},
     * {@code writes to}) without {@code --server}.
     */
    static void check(String command, String does, DatabaseOptions database, String server, String token,
                      Integer timeoutSeconds) {
        database.refuseWithServer(server);
        if (server == null) {
            String where = "without --server " + command + " " + does + " the database (--db / --home / $BENCHMON_DB_URL)";
            DatabaseOptions.refuseServerOption(DatabaseOptions.ServerOption.TOKEN, token != null, where,
                    "give the server with --server URL, or drop --token");
            DatabaseOptions.refuseServerOption(DatabaseOptions.ServerOption.TIMEOUT, timeoutSeconds != null, where,
                    "give the server with --server URL, or drop --timeout");
        }
        checkTimeout(timeoutSeconds);
    }

    /** {@code --timeout}'s rule in every command that takes it (push's too): at least 1 second when given. */
    static void checkTimeout(Integer seconds) {
        if (seconds != null && seconds < 1) {
            throw new CliException(ExitCodes.INVALID_INPUT, CliException.invalidOption("--timeout",
                    "must be at least 1 (seconds), got " + seconds));
        }
    }

    /** The wait {@code --timeout} gives a {@link PushClient}: {@link PushClient#DEFAULT_TIMEOUT} when not given. */
    static Duration timeout(Integer seconds) {
        return seconds == null ? PushClient.DEFAULT_TIMEOUT : Duration.ofSeconds(seconds);
    }

    /**
     * A client for {@code --server}: 3 attempts 500 ms apart, since reading is safe to repeat, each waiting
     * {@code --timeout} for the server ({@link PushClient#waiting}).
     *
     * @param env       the process environment (its token variables when {@code --token} is absent: {@link ClientTokens})
     * @param err       where retries are reported
     * @param retryNote the sentence printed with a retry (why trying again is safe)
     */
    PushClient client(Map<String, String> env, PrintWriter err, String retryNote) {
        return client(server, token, ClientTokens.Role.READ, timeoutSeconds, env, err, retryNote);
    }

    /**
     * {@link #client} for a command that declares the options itself, sending the token of {@code role}: for requests
     * that are safe to repeat (reads, and a PUT that replaces what it names).
     */
    static PushClient client(String server, String token, ClientTokens.Role role, Integer timeoutSeconds,
                             Map<String, String> env, PrintWriter err, String retryNote) {
        return new PushClient(PushCommand.baseUri(server), ClientTokens.of(token, env, role), 3, Duration.ofMillis(500),
                err, retryNote).waiting(timeout(timeoutSeconds));
    }
}
