package dev.benchmon.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.benchmon.DatabaseException;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleCallbackDecorator;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Cleanable;
import org.jdbi.v3.postgres.PostgresPlugin;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open benchmon database: a HikariCP pool, Jdbi on top of it, the schema applied, and (for the
 * embedded database) the server it runs on. Closing it closes the pool and, if this process
 * started the embedded server, stops it.
 *
 * <p>Least privilege: migrations run as the owner login; the pool runs as the app login, which
 * reads and writes only through benchmon's SECURITY DEFINER functions. The embedded database is
 * always set up so (superuser {@code postgres} migrates, {@code benchmon_app} runs). An external
 * database is when it is given an owner login besides the app login
 * ({@link #connect(ConnectionSettings, ConnectionSettings)}, {@code BENCHMON_DB_OWNER_USER}); with
 * one login, that login migrates (when it may) and runs, and {@link #loginCanRewriteHistory()} says
 * whether it is privileged enough to rewrite history, so that a server can warn.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private final ConnectionSettings settings;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final EmbeddedPostgresServer embedded; // null for an external database
    private final boolean privilegedLogin;
    /** The login as the database names it: the settings may leave it to the URL's {@code user=} or the driver's default. */
    private final String login;
    /** The setting that gave the URL ({@code BENCHMON_DB_URL}, or a launcher's option), as messages name it. */
    private final String urlSetting;

    private Database(ConnectionSettings settings, String urlSetting, HikariDataSource dataSource,
                     EmbeddedPostgresServer embedded, boolean privilegedLogin, String login) {
        this.settings = settings;
        this.urlSetting = urlSetting;
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.privilegedLogin = privilegedLogin;
        this.login = login;
        String pool = dataSource.getPoolName();
        this.jdbi = Jdbi.create(new PoolConnections(dataSource, pool)).installPlugin(new PostgresPlugin())
                .setHandleCallbackDecorator(new HandleCallbackDecorator() {
                    @Override
                    public <R, X extends Exception> HandleCallback<R, X> decorate(HandleCallback<R, X> callback) {
                        return handle -> {
                            try {
                                return callback.withHandle(handle);
                            } catch (Exception failure) {
                                if (fromDatabase(failure)) { // a refusal of input (400, 404) is not the database's
                                    mark(failure, pool);
                                }
                                throw failure;
                            }
                        };
                    }
                });
    }

    /**
     * The name of the pool {@code failure} came out of: {@link #READ_POOL} for the read replica's, {@link #PRIMARY_POOL}
     * for the database's; {@code null} when nothing in the cause chain says. Every failure out of a database's
     * {@link #jdbi()} carries its pool's mark ({@link PoolMark}), whichever way it failed (see {@link #mark}).
     */
    public static String poolOf(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            for (Throwable s : t.getSuppressed()) {
                if (s instanceof PoolMark mark) {
                    return mark.pool;
                }
            }
        }
        return null;
    }

    /** Attached (suppressed) to a failure out of a pool's {@link #jdbi()} ({@link #mark}), so that it tells which database failed. */
    static final class PoolMark extends RuntimeException {
        private final String pool;

        PoolMark(String pool) {
            super("through the pool " + pool, null, false, false);
            this.pool = pool;
        }
    }

    /** Whether {@code failure} came out of the database or its driver (Jdbi's or JDBC's exception in its cause chain). */
    private static boolean fromDatabase(Throwable failure) {
        return causedBy(failure, org.jdbi.v3.core.JdbiException.class) || causedBy(failure, SQLException.class);
    }

    /**
     * Marks {@code failure} as one of {@code pool} unless something in its cause chain already names a pool (a failure
     * of another database's Jdbi called inside this one's callback keeps that database's name). The mark goes by which
     * Jdbi the work went through, not by the connection that threw: a failure may never pass HikariCP's connection
     * proxy, whose SQLExceptionOverride saw only what its proxies threw. Jdbi's PostgresPlugin opens each handle by
     * asking the unwrapped driver connection for its large-object API, which on a connection's first handle runs a
     * query there (LargeObjectManager); on a connection a stopped replica had broken, the read failed with that
     * query's I/O error, wrapped as Jdbi's LargeObjectException, unmarked ("the database" instead of the replica).
     */
    static void mark(Throwable failure, String pool) {
        if (poolOf(failure) == null) {
            failure.addSuppressed(new PoolMark(pool));
        }
    }

    /**
     * Jdbi's connections from {@code pool}, every failure marked ({@link #mark}): the pool's refusal (its timeout while
     * the database is down, or {@link #CLOSED}), a failure of Jdbi opening the handle after it got the connection
     * (its plugins, which use the driver's connection itself), and the connection's close when the handle closes.
     * Failures of a handle's callbacks are marked by the Jdbi's HandleCallbackDecorator.
     */
    private record PoolConnections(HikariDataSource dataSource, String pool) implements ConnectionFactory {
        @Override
        public java.sql.Connection openConnection() throws SQLException {
            try {
                return connection(dataSource);
            } catch (SQLException | RuntimeException e) {
                mark(e, pool);
                throw e;
            }
        }

        @Override
        public Cleanable getCleanableFor(java.sql.Connection connection) {
            return new Cleanable() {
                @Override
                public void close() throws SQLException {
                    try {
                        connection.close();
                    } catch (SQLException e) {
                        mark(e, pool);
                        throw e;
                    }
                }

                @Override
                public void closeAndSuppress(Throwable failure) {
                    // Jdbi's open failed after the connection came from the pool: the failure is thrown on as it is.
                    mark(failure, pool);
                    Cleanable.super.closeAndSuppress(failure);
                }
            };
        }
    }

    /** What every statement through {@link #jdbi()} fails with once the database is closed. */
    public static final String CLOSED = "this Benchmon is closed; open a new one with Benchmon.open()";

    /**
     * A connection from the pool for Jdbi. Every query of the toolkit opens its handle here, so this is the one
     * place that tells use after {@link #close()} from a database out of reach: the pool's own refusal is an
     * SQLException that Jdbi wraps as a ConnectionException saying only "HikariDataSource has been closed".
     *
     * @throws DatabaseException ({@link #CLOSED}, SQLSTATE {@code 08003}) when the pool is closed
     */
    private static java.sql.Connection connection(HikariDataSource pool) throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            if (pool.isClosed()) {
                // 08003 connection_does_not_exist, what the PostgreSQL driver answers on a closed connection. It keeps
                // a server that closed its Benchmon (stopping) answering 503 "unavailable" (TransientFailures), as it
                // did when Jdbi's ConnectionException surfaced; the message tells a notebook user what to do.
                throw new DatabaseException(CLOSED, new java.sql.SQLNonTransientConnectionException(
                        "the connection pool is closed: " + e.getMessage(), "08003", e));
            }
            throw e;
        }
    }

    /**
     * Connects to an external PostgreSQL with one login: it applies the schema when it may (it owns
     * it, or the schema is new), otherwise the schema must be current; the pool runs as it.
     */
    public static Database connect(ConnectionSettings settings) {
        return connect(settings, null, SchemaCreation.CREATE_IF_MISSING);
    }

    /**
     * Connects with two logins: {@code owner} applies the schema and grants the login of
     * {@code app} only what it needs; the pool runs as {@code app}. {@code owner} may be {@code null}
     * (then as {@link #connect(ConnectionSettings)}).
     */
    public static Database connect(ConnectionSettings app, ConnectionSettings owner) {
        return connect(app, owner, SchemaCreation.CREATE_IF_MISSING);
    }

    /**
     * {@link #connect(ConnectionSettings, ConnectionSettings)} that, with {@link SchemaCreation#REQUIRE_EXISTING},
     * refuses a database holding no benchmon schema instead of creating it there.
     *
     * @throws NoSchemaException with {@code REQUIRE_EXISTING}, when the database holds no benchmon schema (nothing
     *                           is created; the message names BENCHMON_DB_URL as the setting to fix)
     */
    public static Database connect(ConnectionSettings app, ConnectionSettings owner, SchemaCreation creation) {
        return connect(app, owner, creation, ConnectionSettings.URL_VARIABLE);
    }

    /**
     * {@link #connect(ConnectionSettings, ConnectionSettings, SchemaCreation)} whose messages name {@code urlSetting}
     * as the setting that gave the URL (e.g. a launcher's {@code --db} option) where they say what to fix.
     */
    public static Database connect(ConnectionSettings app, ConnectionSettings owner, SchemaCreation creation,
                                   String urlSetting) {
        return open(app, owner, null, creation, urlSetting);
    }

    /** Name of the read replica's pool ({@link #poolOf}; HikariCP's pool name and the connections' ApplicationName). */
    public static final String READ_POOL = "benchmon-read";
    /** Name of the database's own pool. */
    public static final String PRIMARY_POOL = "benchmon";

    /**
     * A pool for reads only, on a read-only copy of a benchmon database (a streaming replica): no migrations
     * (a replica cannot run them; it replays the primary's), connections read-only, JIT off and UTC as on the
     * primary's pool. Pool name {@code benchmon-read}, {@code ApplicationName} {@code benchmon-read}.
     *
     * @param primary the database the copy replicates: the copy must be in recovery (a replica, not a writable
     *                database of its own) and have the primary's system identifier and database oid, or results
     *                written to the primary would never show
     * @throws DatabaseException when it cannot connect, the database holds no benchmon schema, or it is not a
     *                           replica of {@code primary}
     */
    public static Database connectReadOnly(ConnectionSettings settings, Database primary) {
        HikariConfig config = poolConfig(settings, READ_POOL);
        config.setReadOnly(true);
        String readSetting = "BENCHMON_DB_READ_URL";
        HikariDataSource ds = pool(config, settings, readSetting);
        // Flyway's version check is not used here: a replica replays the primary's migrations moments after the
        // primary (which this process migrated first) applied them, and reports "pending" until then.
        try (var c = ds.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT to_regclass('benchmark_snapshots') IS NOT NULL, session_user, pg_is_in_recovery()")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                // A DatabaseException (exit 3), not a configuration to fix: on a first start this may be the replica still
                // replaying the primary's migrations.
                throw new DatabaseException("the read database at " + settings + " holds no benchmon schema: "
                        + "BENCHMON_DB_READ_URL must name a replica of the database " + primary.urlSetting + " names");
            }
            if (!rs.getBoolean(3)) {
                throw new dev.benchmon.ConfigurationException("the read database at " + settings + " is not a replica (it is not in "
                        + "recovery, so it takes writes of its own and never shows what is pushed to " + primary.urlSetting + "): "
                        + "BENCHMON_DB_READ_URL must name a streaming replica of the database " + primary.urlSetting + " names, "
                        + "or be unset to read from the primary");
            }
            String copy = replicationIdentity(ds);
            String original = replicationIdentity(primary.dataSource);
            if (copy == null || original == null) {
                log.warn("cannot check that the read database at {} replicates {}: the login may not call "
                        + "pg_control_system(); make sure BENCHMON_DB_READ_URL names its replica", settings, primary.settings);
            } else if (!copy.equals(original)) {
                throw new dev.benchmon.ConfigurationException("the read database at " + settings + " is not a replica of the database "
                        + primary.urlSetting + " names (system identifier / database oid " + copy + ", the primary's "
                        + original + "): results pushed to the primary would never show; point BENCHMON_DB_READ_URL "
                        + "at the primary's replica and the same database name");
            }
            return new Database(settings, readSetting, ds, null, false, rs.getString(2));
        } catch (SQLException e) {
            ds.close();
            throw new DatabaseException("cannot read from " + settings + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /**
     * The cluster's system identifier and the database's oid, {@code "id/oid"}: the same on a physical replica as on its
     * primary, different for any other database. {@code null} when the login may not call pg_control_system().
     */
    private static String replicationIdentity(javax.sql.DataSource ds) throws SQLException {
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT system_identifier || '/' || (SELECT oid FROM pg_database WHERE datname = current_database()) "
                        + "FROM pg_control_system()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) { // insufficient_privilege: a hosted provider may revoke it
                return null;
            }
            throw e;
        }
    }

    /** Starts (or attaches to) the embedded PostgreSQL in {@code dataDirectory} and applies the schema. */
    public static Database embedded(Path dataDirectory) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.startOrAttach(dataDirectory);
        try {
            server.ensureAppRole();
            return open(server.appSettings(), server.settings(), server, SchemaCreation.CREATE_IF_MISSING,
                    ConnectionSettings.URL_VARIABLE);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static Database open(ConnectionSettings settings, ConnectionSettings owner, EmbeddedPostgresServer embedded,
                                 SchemaCreation creation, String urlSetting) {
        HikariDataSource ds = pool(poolConfig(settings, PRIMARY_POOL), settings, urlSetting);
        boolean privileged;
        String login;
        try {
            login = loginOf(ds);
            if (creation == SchemaCreation.REQUIRE_EXISTING && !SchemaMigrations.present(ds)) {
                throw new NoSchemaException(settings, urlSetting);
            }
            if (owner != null) {
                SchemaMigrations.apply(ownerDataSource(owner), login);
            } else if (SchemaMigrations.canMigrate(ds)) {
                SchemaMigrations.apply(ds);
            } else if (!SchemaMigrations.awaitSetup(ds)) { // not stamped current: an owner may be migrating right now
                if (!SchemaMigrations.present(ds)) {
                    throw noSchemaForLogin(settings, urlSetting, login);
                }
                SchemaMigrations.requireCurrent(ds);
            }
            privileged = SchemaMigrations.canRewriteHistory(ds);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(settings, urlSetting, ds, embedded, privileged, login);
    }

    /**
     * A database with no benchmon schema at all, opened by a login that may not create one. Most often the URL names
     * another database than benchmon's ({@code /postgres} for {@code /benchmon}): said first, naming the database, since
     * "start with the owner login" alone sent the user to create 30-odd tables where none belong. A setting to fix,
     * not a server out of reach.
     */
    private static dev.benchmon.ConfigurationException noSchemaForLogin(ConnectionSettings settings, String urlSetting,
                                                                       String login) {
        String database = settings.urlProperty("PGDBNAME");
        return new dev.benchmon.ConfigurationException("the database " + (database == null ? "" : "'" + database + "' ")
                + "at " + settings + " holds no benchmon schema, and this login (" + login + ") may not create it: "
                + "if benchmon's database has another name, fix the database name in " + urlSetting + "; to create the "
                + "schema in this one, start once with the owner login (BENCHMON_DB_OWNER_USER / "
                + "BENCHMON_DB_OWNER_PASSWORD, see docs/SETUP.md)");
    }

    /** How long an open tries again a database that does not answer (a server still starting, restarting). */
    static final Duration UNANSWERED_FOR = Duration.ofSeconds(10);

    /** Raises the session's {@code work_mem} to 16 MB unless the server's setting is already higher. */
    static final String WORK_MEM_AT_LEAST = "SELECT set_config('work_mem', '16MB', false) "
            + "WHERE pg_size_bytes(current_setting('work_mem')) < 16 * 1024 * 1024";

    private static HikariConfig poolConfig(ConnectionSettings settings, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        if (settings.user() != null) config.setUsername(settings.user());
        if (settings.password() != null) config.setPassword(settings.password());
        config.setPoolName(name);
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(1);
        // A request waits this long for a connection before it answers 503: long enough to ride out
        // an embedded PostgreSQL restart (under a second), short enough for a client to retry.
        config.setConnectionTimeout(5_000);
        // One attempt at the first connection, which the pool keeps; a failure comes out of the constructor after
        // HikariCP's one-second pause (any positive value: it retries until this many ms have passed, and sleeps a
        // second after each failed attempt), for pool() to tell a refused login from a server that is not up yet.
        // 0 would start the pool without a connection when that attempt fails, and say nothing; a negative value
        // would not even try.
        config.setInitializationFailTimeout(1);
        // Trend buckets and dates are UTC whatever the server's or the JVM's zone. No JIT: it turned on
        // for dashboard aggregates (jsonb_each is costed at 100 rows) and compiled for 968 ms of a 2.7 s query.
        // work_mem at least 16 MB (a server set higher keeps its own): with PostgreSQL's default 4 MB the comparison of
        // five models over 90 days sorted its 33,000 rollup cells on disk (2.8 MB spilled; 90 ms, 76 ms in memory).
        // It is per sort node of a running query (a hash node gets hash_mem_multiplier times as much, and each parallel
        // worker its own), so ten pooled connections may use several hundred MB at worst; a server set lower than
        // 16 MB is raised all the same (docs/SETUP.md says so).
        config.setConnectionInitSql("SET TIME ZONE 'UTC'; SET jit = off; " + WORK_MEM_AT_LEAST);
        config.addDataSourceProperty("ApplicationName", name);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        // Seconds for a login to finish: a server that accepts and never answers (a stuck proxy or tunnel) held a
        // connection attempt, and so the command, for ever (the pool's timeouts do not reach a login in progress).
        config.addDataSourceProperty("loginTimeout", String.valueOf(config.getConnectionTimeout() / 1000));
        return config;
    }

    /**
     * The pool, its first connection made by HikariCP's own first attempt (the pool keeps it: an open that works makes
     * no connection but the pool's). A failed attempt is classified here: a server that answered "no such database" or
     * "login refused" answers the same on every retry, so that is reported at once with what to fix; a server that
     * does not answer (yet: one still starting) is tried again, with a line that says so, for up to
     * {@link #UNANSWERED_FOR}; any other failure is reported at once.
     */
    private static HikariDataSource pool(HikariConfig config, ConnectionSettings settings, String urlSetting) {
        long deadline = System.nanoTime() + UNANSWERED_FOR.toNanos();
        boolean retrying = false;
        while (true) {
            try {
                return new HikariDataSource(config);
            } catch (HikariPool.PoolInitializationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                String sqlState = DatabaseException.sqlStateOf(e);
                if (noPasswordGiven(sqlState, settings)) {
                    throw cannotConnect(settings, cause, NO_PASSWORD_STATE, urlSetting,
                            new SQLException(cause.getMessage(), NO_PASSWORD_STATE, e));
                }
                String ssl = TransientFailures.isRefusedConnectionState(sqlState) ? null : sslFailure(e);
                if (ssl != null) {
                    // The server answered, and its SSL answer (or the URL's sslmode) is what failed: the same on every
                    // retry, and nothing to start at that address; the configuration is to fix (exit 2, not 3).
                    throw new dev.benchmon.ConfigurationException("cannot connect to PostgreSQL at " + settings + ": "
                            + ssl + "; fix sslmode in " + urlSetting + " (disable, allow, prefer, require, verify-ca or "
                            + "verify-full; a server without SSL takes disable or prefer), or the server's SSL setup", e);
                }
                // refused (3D000, 28P01, 28000) or any other lasting failure: no retry mends it
                boolean unanswered = !TransientFailures.isRefusedConnectionState(sqlState) && TransientFailures.isTransient(e);
                if (!unanswered || System.nanoTime() - deadline >= 0) {
                    throw cannotConnect(settings, cause, sqlState, urlSetting, e);
                }
                if (!retrying) { // else a command sits silent for 10 s before it reports a server that is not there
                    Progress.step("connecting to {} ... (retrying for up to {} s)", location(settings),
                            UNANSWERED_FOR.toSeconds());
                    retrying = true;
                }
            }
        }
    }

    /**
     * The SQLSTATE a connection refused for a missing password is reported with: 28000
     * invalid_authorization_specification, PostgreSQL's own for a login it does not let in, so that callers tell it
     * from a server that does not answer ({@link TransientFailures#isRefusedConnectionState}: exit 2 in the CLI, no
     * retry), as they tell a wrong password (28P01).
     */
    private static final String NO_PASSWORD_STATE = "28000";

    /**
     * Whether the driver refused to log in because the server asks for a password and none was given (neither
     * {@code settings}' password nor a {@code password=} in the URL). pgjdbc says so with SQLSTATE 08004
     * (connection_rejected: "The server requested SCRAM-based authentication, but no password was provided.", or
     * "...but the password is an empty string"), a state it shares with nothing that a retry mends; that state alone
     * read as "nothing answers" and was retried for 10 s, though the server had answered. The message is not matched:
     * the driver translates it.
     */
    private static boolean noPasswordGiven(String sqlState, ConnectionSettings settings) {
        if (!"08004".equals(sqlState) || (settings.password() != null && !settings.password().isEmpty())) {
            return false;
        }
        String inUrl = settings.urlProperty("password");
        return inUrl == null || inUrl.isEmpty();
    }

    /** {@code postgresql://host:port/database} of {@code settings}: where it connects, without login or parameters. */
    private static String location(ConnectionSettings settings) {
        String url = settings.jdbcUrl().substring("jdbc:".length());
        int query = url.indexOf('?');
        return ConnectionSettings.maskUrl(query < 0 ? url : url.substring(0, query));
    }

    /**
     * {@code host:port} the driver tries for {@code settings} (several, comma-separated, for a multi-host URL), as
     * {@link ConnectionSettings#urlProperty} reads the URL; {@link #location} for a URL the driver cannot read (its
     * parse names a host for every URL it reads, {@code localhost} by default).
     */
    private static String hostAndPort(ConnectionSettings settings) {
        String host = settings.urlProperty("PGHOST");
        if (host == null) {
            return location(settings);
        }
        String[] hosts = host.split(",");
        String[] ports = java.util.Objects.requireNonNullElse(settings.urlProperty("PGPORT"), "5432").split(",");
        StringBuilder both = new StringBuilder();
        for (int i = 0; i < hosts.length; i++) {
            both.append(i == 0 ? "" : ", ").append(hosts[i]).append(':').append(ports[Math.min(i, ports.length - 1)]);
        }
        return both.toString();
    }

    /**
     * The driver's words when the URL's SSL setting is what failed, the same on every try: a server without SSL asked
     * for it ({@code The server does not support SSL.}), or an sslmode the driver does not know ({@code Invalid sslmode
     * value: ...}); else {@code null}. pgjdbc gives these SQLSTATE 08xxx, which read as a server that is not there. Not
     * other SSL errors: a handshake cut short ({@code SSL error: Connection reset}) may be a server restarting, and a
     * refused login's message names the connection's SSL too ({@code no pg_hba.conf entry ..., SSL encryption}).
     */
    private static String sslFailure(Throwable failure) {
        Throwable ssl = firstCause(failure, t -> !(t instanceof HikariPool.PoolInitializationException)
                && t.getMessage() != null && (t.getMessage().contains("does not support SSL")
                || t.getMessage().contains("Invalid sslmode")));
        return ssl == null ? null : ConnectionSettings.maskUrl(ssl.getMessage().strip());
    }

    private static DatabaseException cannotConnect(ConnectionSettings settings, Throwable cause, String sqlState,
                                                   String urlSetting, Throwable failure) {
        return new DatabaseException("cannot connect to PostgreSQL at " + settings + ": " + cause.getMessage()
                + "; " + nextStep(sqlState, urlSetting, settings, failure), failure);
    }

    /**
     * Whether {@code failure} is a connection nobody answered: refused (no server listening on that port), or a host
     * that cannot be reached. SQLSTATE 08001 (sqlclient_unable_to_establish_sqlconnection) and 08004 (the server
     * rejected the connection before a login, e.g. too many clients) are what pgjdbc says; a ConnectException in the
     * cause chain is the socket's own refusal.
     */
    private static boolean unreachable(String sqlState, Throwable failure) {
        return "08001".equals(sqlState) || "08004".equals(sqlState) || causedBy(failure, java.net.ConnectException.class);
    }

    /** Whether {@code failure} or a cause of it is a {@code type}. */
    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        return firstCause(failure, type::isInstance) != null;
    }

    /** {@code failure} or the first of its causes that {@code test} accepts, else {@code null}. */
    private static Throwable firstCause(Throwable failure, java.util.function.Predicate<Throwable> test) {
        int depth = 0; // a cause chain may loop further than to itself
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (test.test(t)) {
                return t;
            }
        }
        return null;
    }

    /**
     * What to do about a connection the server refused ({@code sqlState} of the refusal, or {@code null}): the server
     * answered, so for a missing database or a refused login a retry fails the same way and "check that the server
     * accepts connections" would send the user the wrong way.
     */
    private static String nextStep(String sqlState, String urlSetting, ConnectionSettings settings, Throwable failure) {
        if ("3D000".equals(sqlState)) { // invalid_catalog_name: the server has no database of that name
            return "create that database (createdb, or CREATE DATABASE as a login that may; benchmon applies its "
                    + "schema on its first push, import or serve), or fix the database name in " + urlSetting;
        }
        if (NO_PASSWORD_STATE.equals(sqlState) && "08004".equals(DatabaseException.sqlStateOf(failure.getCause()))) {
            return "the server asks for a password and none was given: give it in " + urlSetting
                    + " (password=...) or BENCHMON_DB_PASSWORD, with the user (BENCHMON_DB_USER or user=...)";
        }
        if ("28P01".equals(sqlState) || "28000".equals(sqlState)) { // wrong password; login unknown or not let in
            return "fix the login: the user and password in " + urlSetting + " or BENCHMON_DB_USER / BENCHMON_DB_PASSWORD, "
                    + "and that the server's pg_hba.conf lets that user connect from this host";
        }
        if (causedBy(failure, java.net.UnknownHostException.class)) { // a host name DNS does not know
            return "the host of " + hostAndPort(settings) + " is not known here (DNS): fix the host in " + urlSetting;
        }
        if (unreachable(sqlState, failure)) { // no login was tried: the user and password are beside the point
            return "nothing answers at " + hostAndPort(settings) + ": start PostgreSQL there or fix the host/port in "
                    + urlSetting;
        }
        return "check " + urlSetting + ", the user and password, and that the server accepts connections";
    }

    /** A plain, unpooled data source for the owner's few migration connections. */
    private static javax.sql.DataSource ownerDataSource(ConnectionSettings owner) {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(owner.jdbcUrl());
        if (owner.user() != null) ds.setUser(owner.user());
        if (owner.password() != null) ds.setPassword(owner.password());
        ds.setApplicationName("benchmon-migrate");
        // Log in once here, so that a wrong owner password is reported as that, not as a failed look-up of the app role.
        try (var c = ds.getConnection()) {
            return ds;
        } catch (SQLException e) {
            throw new DatabaseException("cannot log in as the owner login " + owner + ": " + e.getMessage()
                    + "; check BENCHMON_DB_OWNER_USER and BENCHMON_DB_OWNER_PASSWORD", e);
        }
    }

    /** The role the pool logs in as (the URL may carry it rather than the settings). */
    private static String loginOf(javax.sql.DataSource ds) {
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery("SELECT session_user")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new DatabaseException("could not ask the database who this login is: " + e.getMessage(), e);
        }
    }

    /**
     * {@code true} when the pool's login is a superuser or owns the log, so that it could disable
     * the append-only triggers and rewrite history: run servers with a least-privilege login instead
     * (docs/SETUP.md). Always {@code false} for the embedded database.
     */
    public boolean loginCanRewriteHistory() {
        return privilegedLogin;
    }

    /**
     * The login the pool connects as, as the database names it ({@code session_user}): also when the settings
     * leave it to the URL's {@code user=} or to the driver's default, where {@code settings().user()} is {@code null}.
     */
    public String login() {
        return login;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /** The embedded server, or {@code null} for an external database. */
    public EmbeddedPostgresServer embeddedServer() {
        return embedded;
    }

    /** {@code true} when the database answers a trivial query within two seconds ({@link #isHealthy(Duration)}). */
    public boolean isHealthy() {
        return isHealthy(Duration.ofSeconds(2));
    }

    /**
     * {@code true} when a connection comes from the pool and answers a trivial query within about {@code within}
     * (at least one second: the driver's check counts whole seconds). A request waits up to the pool's 5 s
     * connection timeout for a database that is down; a health probe must not, so it borrows with a timeout of its
     * own: half the time for a connection, the rest (at least a second) for the check.
     */
    public boolean isHealthy(Duration within) {
        long borrow = Math.max(250, within.toMillis() / 2);
        int check = (int) Math.max(1, (within.toMillis() - borrow) / 1000);
        try (var c = borrow(borrow)) {
            return c.isValid(check);
        } catch (Exception e) {
            return false;
        }
    }

    /** A connection from the pool within {@code millis}; HikariCP's pool takes a wait of the caller's. */
    private java.sql.Connection borrow(long millis) throws SQLException {
        if (dataSource.getHikariPoolMXBean() instanceof HikariPool pool) {
            return pool.getConnection(millis);
        }
        return connection(dataSource); // not started or closed: it says which
    }

    /** Closes the pool (stopping the embedded server if this process started it); later statements fail with {@link #CLOSED}. */
    @Override
    public void close() {
        dataSource.close();
        if (embedded != null) {
            embedded.close();
        }
    }

    @Override
    public String toString() {
        return settings + (embedded == null ? "" : " (" + embedded + ")");
    }
}
