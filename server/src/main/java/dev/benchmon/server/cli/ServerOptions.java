package dev.benchmon.server.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;

/**
 * {@code --server}, {@code --token} and {@code --timeout}: use a running server instead of a database. One rule for
 * every command that takes them as a mixin, reading ({@link #reading()}: {@code compare}, {@code export},
 * {@code metrics list}) or writing ({@link #writing()}: {@code metrics define}): the option names and help, the
 * refusals ({@link #check}), the token's fallback ({@link ClientTokens}, by the role), the wait for a silent server and
 * the retry policy ({@link #client}). The roles differ only in {@code --token}'s help (which token and which variables:
 * {@link ClientTokens.Role#defaults()}) and in what the command is said to do with the database without
 * {@code --server}.
 *
 * <p>Why {@code --token}'s help is set in {@link #wordTokenHelp}: picocli takes an option's description from its
 * annotation, a constant shared by every command that mixes this class in; a description key only selects a text from a
 * resource bundle, which is the command's, and picocli resets an option's bundle as it builds the command (an option's
 * own {@code messages} do not last). So the command is given the option again, with the text of this instance's role,
 * through the mixee's model ({@code @Spec(MIXEE)}, picocli's API for a mixin to change its command); the help lists it
 * where the annotation does, as picocli adds the mixin's options and then injects the spec.
 */
final class ServerOptions {
    @Option(names = "--server", paramLabel = "URL",
            description = "Use this server instead of a database (refused with --db or --home).")
    String server;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = {"With --server: how long the server may send "
            + "nothing, before its answer begins or midway through it (default: " + PushClient.DEFAULT_TIMEOUT_SECONDS
            + "). A silent start is retried; a stall midway ends the command with exit 3. A long answer is fine while it "
            + "keeps coming."})
    Integer timeoutSeconds;

    /** Its help is the role's ({@link #wordTokenHelp}); the annotation's stands only until then. */
    @Option(names = "--token", paramLabel = "T", description = "Token for --server; refused without --server.")
    String token;

    /** Whose token {@code --token}'s absence falls back to ({@link ClientTokens#of}). */
    private final ClientTokens.Role role;

    /** Which token, as {@code --token}'s help begins: {@code Read}, {@code Write}. */
    private final String which;

    /** What the command does with the database without {@code --server}: {@code reads}, {@code writes to}. */
    private final String does;

    private ServerOptions(ClientTokens.Role role, String which, String does) {
        this.role = role;
        this.which = which;
        this.does = does;
    }

    /** The options of a command that reads ({@code compare}, {@code export}, {@code metrics list}): a read token. */
    static ServerOptions reading() {
        return new ServerOptions(ClientTokens.Role.READ, "Read", "reads");
    }

    /** The options of a command that writes ({@code metrics define}): a write token. */
    static ServerOptions writing() {
        return new ServerOptions(ClientTokens.Role.WRITE, "Write", "writes to");
    }

    /** {@code --token}'s help for this role: {@code Read token for --server (default: $BENCHMON_TOKEN, else ...); ...}. */
    String tokenHelp() {
        return which + " token for --server (" + role.defaults() + "); refused without --server, where no token applies.";
    }

    /** Gives the command ({@code mixee}) {@code --token} again with the help of this instance's role (see above). */
    @Spec(Spec.Target.MIXEE)
    void wordTokenHelp(CommandSpec mixee) {
        OptionSpec option = mixee.findOption("--token");
        mixee.remove(option);
        mixee.addOption(option.toBuilder().description(tokenHelp()).build());
    }

    /** Whether {@code --server} was given. */
    boolean present() {
        return server != null;
    }

    /**
     * Refuses {@code --server} with {@code --db} / {@code --home} (one would be used and the other silently ignored),
     * and {@code --token} or {@code --timeout} without {@code --server}: the command then uses a database, where
     * neither applies; and a {@code --timeout} below 1 second.
     *
     * @param command the command as typed ({@code metrics define}), for the refusal
     * @throws CliException (invalid input) naming the option
     */
    void check(String command, DatabaseOptions database) {
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

    /** Where {@code push} and {@code alerts} go without {@code --server} and without either variable. */
    static final String DEFAULT_SERVER = "http://127.0.0.1:7070";

    /**
     * The server a command that always may use one ({@code push}, {@code alerts}) goes to: {@code --server}, else
     * {@link #serverVariable}, else {@link #DEFAULT_SERVER}. A blank variable counts as unset, as in every other
     * variable the commands read, so the URL used is the one their notes name.
     */
    static String serverUrl(String server, Map<String, String> env) {
        return server(server, env).url();
    }

    /**
     * {@link #serverUrl}'s server, and whether it is {@link #DEFAULT_SERVER} because nothing named one (no
     * {@code --server}, no {@link #serverVariable}): what {@code push} tells a user who may not know it goes to a
     * server by default.
     */
    static Server server(String server, Map<String, String> env) {
        if (server != null) {
            return new Server(server, false);
        }
        String variable = serverVariable(env);
        return variable != null ? new Server(variable, false) : new Server(DEFAULT_SERVER, true);
    }

    /**
     * The server a command goes to.
     *
     * @param url       its URL
     * @param byDefault nothing named a server: {@code url} is {@link #DEFAULT_SERVER}
     */
    record Server(String url, boolean byDefault) {
    }

    /**
     * {@code $BENCHMON_SERVER}, else {@code $BENCHMON_URL} (the name the GitHub secret and the docs use for the same
     * thing), or null when neither is set to a non-blank value.
     */
    static String serverVariable(Map<String, String> env) {
        return firstSet(env, "BENCHMON_SERVER", "BENCHMON_URL");
    }

    /** The value of the first of {@code keys} set in {@code env} to a non-blank value, or null (blank counts as unset). */
    static String firstSet(Map<String, String> env, String... keys) {
        for (String k : keys) {
            String v = env.get(k);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
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
     * A client for {@code --server} sending the token of the variant's role: 3 attempts 500 ms apart, since every
     * request these commands send is safe to repeat (reads, and a PUT that replaces what it names), each waiting
     * {@code --timeout} for the server ({@link PushClient#waiting}).
     *
     * @param env       the process environment (its token variables when {@code --token} is absent: {@link ClientTokens})
     * @param err       where retries are reported
     * @param retryNote the sentence printed with a retry (why trying again is safe)
     */
    PushClient client(Map<String, String> env, PrintWriter err, String retryNote) {
        return new PushClient(PushCommand.baseUri(server), ClientTokens.of(token, env, role), 3,
                Duration.ofMillis(500), err, retryNote).waiting(timeout(timeoutSeconds));
    }
}
