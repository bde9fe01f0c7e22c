package dev.benchmon.server.cli;

import dev.benchmon.Benchmon;
import dev.benchmon.DatabaseException;
import dev.benchmon.db.NoSchemaException;
import dev.benchmon.db.SchemaCreation;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --db} and {@code --home}: which database a command opens (the toolkit's {@code Benchmon.open()} rules). A
 * command that may go to a server without {@code --server} (alerts, when a server variable is set or the default home
 * holds no database) declares the two options itself, with its own default,
 * and builds these with {@link #of}: the help of every other command says what its database is without --db.
 */
final class DatabaseOptions {
    /** {@code --db}'s help, true wherever it applies. */
    static final String DB_HELP = "PostgreSQL to use, e.g. jdbc:postgresql://host:5432/benchmon (user and password from "
            + "BENCHMON_DB_USER / BENCHMON_DB_PASSWORD or the URL).";
    /** {@code --home}'s help, true wherever it applies. */
    static final String HOME_HELP = "Folder of the embedded database (default: $BENCHMON_HOME, else ~/.benchmon).";

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = DB_HELP + " Default: $BENCHMON_DB_URL, else the embedded database in the home folder.")
    String db;

    @Option(names = "--home", paramLabel = "DIR", description = HOME_HELP)
    Path home;

    /** The options a command declared itself ({@code null} when not given). */
    static DatabaseOptions of(String db, Path home) {
        DatabaseOptions options = new DatabaseOptions();
        options.db = db;
        options.home = home;
        return options;
    }

    /** Whether --db or --home was given (for a command that may go to a server without --server). */
    boolean given() {
        return db != null || home != null;
    }

    /**
     * Refuses {@code --server} (when given) with {@code --db} / {@code --home}, and {@code --db} with {@code --home}:
     * the command would use one and ignore the other.
     */
    void refuseWithServer(String server) {
        if (server != null && given()) {
            throw new CliException(ExitCodes.INVALID_INPUT, "give either --server or --db / --home, not both");
        }
        refuseDbWithHome();
    }

    /**
     * Refuses {@code --db} with {@code --home}: {@code --db} was used and {@code --home} silently ignored (an import
     * went to the URL only). Checked on every open too, so that a command that takes no {@code --server} (import,
     * backtest, serve) refuses it as well.
     */
    void refuseDbWithHome() {
        if (db != null && home != null) {
            throw new CliException(ExitCodes.INVALID_INPUT, "give either --db or --home, not both: --db is the "
                    + "PostgreSQL at its URL, --home the embedded database in its folder");
        }
    }

    /** Opens the database these options and the environment name, creating benchmon's schema in a new one (writes). */
    Benchmon open(Map<String, String> env) {
        return open(env, SchemaCreation.CREATE_IF_MISSING);
    }

    /**
     * Opens the database for a command that only reads (export, compare, alerts list, metrics list, backtest), or
     * changes only what is there already (alerts' triage: ack, mute, ... of an existing alert): an
     * external database without benchmon's schema is refused (exit 2) and left as it was, since a URL that reaches the
     * wrong database (one without a database name reaches the user's own) must not get 30-odd tables installed by a
     * read. An existing older schema is still migrated when the login may, as on any open. Likewise a home folder
     * that holds no embedded database (a mistyped --home or BENCHMON_HOME) is refused (exit 2) and nothing is created
     * there: the read would otherwise run initdb, leave ~50 MB behind and answer with an empty export.
     */
    Benchmon openForReading(Map<String, String> env) {
        refuseDbWithHome();
        requireEmbeddedDatabase(env);
        return open(env, SchemaCreation.REQUIRE_EXISTING);
    }

    /**
     * Refuses a read of the embedded database (no --db, no BENCHMON_DB_URL) when the home folder holds none: without
     * the data directory's {@code PG_VERSION} no initdb ever finished there ({@link dev.benchmon.db.EmbeddedHome}).
     */
    private void requireEmbeddedDatabase(Map<String, String> env) {
        if (db != null || (home == null && !Benchmon.opensEmbedded(env))) {
            return; // an external database (the toolkit refuses a read URL without BENCHMON_DB_URL, saying why)
        }
        Path folder = home != null ? home.toAbsolutePath() : Benchmon.home(env).toAbsolutePath();
        if (dev.benchmon.db.EmbeddedHome.holdsDatabase(folder) || awaitCreation(folder)) {
            return;
        }
        String source = home != null ? "--home " + home
                : notBlank(env.get("BENCHMON_HOME")) ? "BENCHMON_HOME (" + env.get("BENCHMON_HOME") + ")"
                : "the default home folder " + folder;
        Path data = dev.benchmon.db.EmbeddedHome.dataDirectory(folder);
        throw new CliException(ExitCodes.INVALID_INPUT, source + " holds no benchmon database ("
                + (java.nio.file.Files.isDirectory(data) ? data + " holds no PG_VERSION" : "no " + data) + "), and a read creates none: check the path (results on a server are read with --server URL, on another "
                + "PostgreSQL with --db URL); `benchmon import FILE --home DIR` or `benchmon serve --home DIR` creates one");
    }

    /** How long a read waits for another process creating the home's database (initdb takes seconds). */
    private static final java.time.Duration CREATION_WAIT = java.time.Duration.ofMinutes(2);

    /**
     * Waits while another process creates the database in {@code folder} ({@link dev.benchmon.db.EmbeddedHome#beingCreated}:
     * a first {@code serve} or {@code import} running initdb there), at most {@link #CREATION_WAIT}; true when the
     * folder then holds one. A read started in those seconds said the folder held no database.
     */
    private static boolean awaitCreation(Path folder) {
        if (!dev.benchmon.db.EmbeddedHome.beingCreated(folder)) {
            return false;
        }
        dev.benchmon.db.Progress.step("waiting for another process that is creating the embedded database in {}", folder);
        long until = System.nanoTime() + CREATION_WAIT.toNanos();
        while (dev.benchmon.db.EmbeddedHome.beingCreated(folder) && System.nanoTime() - until < 0) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return dev.benchmon.db.EmbeddedHome.holdsDatabase(folder);
    }

    /**
     * The toolkit's refusal of a home folder ({@code message}) as the user gave the folder, with {@code --home}: its
     * advice names {@code BENCHMON_HOME} ("set BENCHMON_HOME to a writable folder"), which the command line set from
     * the option; {@code null} when it names no such advice.
     */
    static String asGiven(String message) {
        if (message == null) {
            return null;
        }
        String given = message.replace("set BENCHMON_HOME to a writable folder", "give --home a folder you can write to")
                .replace("check that BENCHMON_HOME is a folder you own", "check that --home names a folder you own");
        return given.equals(message) ? null : given;
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private Benchmon open(Map<String, String> env, SchemaCreation creation) {
        refuseDbWithHome();
        if (db != null) {
            return connect(db, env, creation);
        }
        Map<String, String> effective = new HashMap<>(env);
        if (home != null) {
            effective.put("BENCHMON_HOME", home.toAbsolutePath().toString());
            effective.remove("BENCHMON_DB_URL"); // an explicit home means the embedded database
        }
        try {
            return Benchmon.open(effective, creation);
        } catch (NoSchemaException e) {
            throw noSchema("BENCHMON_DB_URL", e);
        }
    }

    /** An option that only a server takes, refused where the command works on a database ({@link #refuseServerOption}). */
    enum ServerOption {
        TOKEN("--token", "no token applies (its login comes from the URL or BENCHMON_DB_USER / BENCHMON_DB_PASSWORD)"),
        /** {@link #TOKEN} where the command writes to the embedded database of {@code --home}: no URL, no login to give. */
        TOKEN_HOME("--token", "no token applies (benchmon logs in to its embedded database itself)"),
        TIMEOUT("--timeout", "no server's answer is waited for");

        final String option;
        /** Why the option means nothing on a database, after "where". */
        final String instead;

        ServerOption(String option, String instead) {
            this.option = option;
            this.instead = instead;
        }
    }

    /**
     * Refuses a server's option (when given) on a command that works on a database, in the one wording of every such
     * refusal: {@code --token is for a server, but WHERE, where no token applies (...); FIX}. Ignoring it would hide
     * that the command did not go to the server its user meant.
     *
     * @param given whether the option was given
     * @param where what the command does instead, e.g. {@code --db writes straight to the database}
     * @param fix   what to do instead, e.g. {@code drop --token, or give --server URL instead of --db}
     */
    static void refuseServerOption(ServerOption option, boolean given, String where, String fix) {
        if (given) {
            throw new CliException(ExitCodes.INVALID_INPUT, option.option + " is for a server, but " + where + ", where "
                    + option.instead + "; " + fix);
        }
    }

    /**
     * Connects to {@code url} with the user and password (and owner login) the environment gives.
     *
     * @throws CliException (exit 2) when {@code url} is empty or blank: {@code --db "$DATABASE_URL"} with the variable
     *                      unset in CI gives {@code --db ''}, which the toolkit reads as "no URL" and would answer with
     *                      the embedded database, so the results went somewhere nobody looks. An empty
     *                      {@code BENCHMON_DB_URL} stays "unset" (as shells and most tools read an empty variable);
     *                      an option given explicitly with nothing in it is a mistake.
     */
    private static Benchmon connect(String url, Map<String, String> env, SchemaCreation creation) {
        if (url.isBlank()) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--db is empty: give the database URL, e.g. "
                    + "--db jdbc:postgresql://host:5432/benchmon (in CI, check that the variable passed to --db is set), "
                    + "or leave --db out to use $BENCHMON_DB_URL or the embedded database");
        }
        Map<String, String> effective = new HashMap<>(env); // BENCHMON_DB_OWNER_USER applies to --db too
        effective.put("BENCHMON_DB_URL", url);
        try {
            // The toolkit's messages name --db as the setting to fix; Main.report tells a refused login or missing
            // database (exit 2) from a server that does not answer (exit 3) by the failure itself.
            return Benchmon.open(effective, creation, "--db");
        } catch (NoSchemaException e) {
            throw noSchema("--db", e);
        }
    }

    /** A read's refusal of a database without benchmon's schema, naming {@code source} (--db or the variable) to fix. */
    private static CliException noSchema(String source, NoSchemaException e) {
        return new CliException(ExitCodes.INVALID_INPUT, source + " (" + e.settings() + ") is not a benchmon database "
                + "(no benchmon schema): point " + source + " at the database benchmon writes to, or run benchmon "
                + "push/import/serve to create it", e);
    }

    /**
     * Whether the server answered but refused the connection for its configuration: the database does not exist
     * (SQLSTATE 3D000) or the login was refused (28P01 wrong password, 28000 unknown user or no pg_hba.conf entry).
     * The URL or login is wrong, not the network: invalid input (exit 2), which no retry mends, not unreachable (3).
     */
    static boolean refusedConnection(Throwable e) {
        return dev.benchmon.db.TransientFailures.isRefusedConnectionState(DatabaseException.sqlStateOf(e));
    }
}
