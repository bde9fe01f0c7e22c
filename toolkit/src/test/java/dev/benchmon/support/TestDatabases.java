package dev.benchmon.support;

import dev.benchmon.Benchmon;
import dev.benchmon.db.EmbeddedPostgresServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared database fixture for the tests: one PostgreSQL server per test JVM and a fresh database per
 * caller (the log is append-only, so tests never clean up by deleting).
 *
 * <p>{@link #fresh()} copies a template database migrated once per JVM ({@code CREATE DATABASE ... TEMPLATE}, a
 * file copy) instead of applying the ~38 migrations again: about 0.3 s instead of about 0.9 s a database, and the
 * suite makes hundreds. Tests of migrating itself take an empty database from {@link #freshDatabaseUrl()}.
 *
 * <p>The server is the embedded PostgreSQL by default; when {@code BENCHMON_TEST_DB_URL} is set
 * (e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}) the same tests run on
 * that server instead.
 */
public final class TestDatabases {
    /**
     * SQL that gives every series of a log loaded by hand (fixtures that write the log with SQL, not
     * through the writer) its snapshot: the newest row by run_at, with a run count of 1. It names only the columns
     * every schema version has (fixtures of old versions use it too), so the run's provider and V17's commit,
     * branch and run id stay empty unless a migration fills them.
     */
    public static final String SNAPSHOTS_FROM_LOG = """
            INSERT INTO benchmark_snapshots (model_version, dataset_version, prompt_version, environment, metrics,
                                             transaction_id, run_at, run_count, first_seen, last_seen)
            SELECT DISTINCT ON (model_version, dataset_version, prompt_version, environment)
                   model_version, dataset_version, prompt_version, environment, metrics, id, run_at, 1, run_at, run_at
            FROM benchmark_transactions
            ORDER BY model_version, dataset_version, prompt_version, environment, run_at DESC, id DESC""";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgresServer embedded;
    private static Path embeddedDir;
    /** The database {@link #freshMigratedDatabaseUrl()} copies, migrated on first use; nobody stays connected to it. */
    private static String template;

    private TestDatabases() {
    }

    /** A Benchmon on a new database holding the current schema and no data (see {@link #freshMigratedDatabaseUrl()}). */
    public static Benchmon fresh() {
        return Benchmon.connect(freshMigratedDatabaseUrl(), user(), password());
    }

    /** The JDBC URL of a new, empty database (schema not yet applied). */
    public static synchronized String freshDatabaseUrl() {
        return withDatabase(adminUrl(), createDatabase(""));
    }

    /**
     * The JDBC URL of a new database holding the current schema and no data: a copy of a template this JVM migrated
     * once with {@link Benchmon#connect} (granting to the default app role), so opening it skips Flyway as reopening
     * any current database does. A role created later (e.g. by {@link #freshLeastPrivilege()}) changes the stamp's
     * role and the next open runs Flyway's grants, as on any database.
     */
    public static synchronized String freshMigratedDatabaseUrl() {
        if (template == null) {
            String name = createDatabase("");
            // closing ends the pool's sessions: CREATE DATABASE ... TEMPLATE refuses a template anyone is connected to
            Benchmon.connect(withDatabase(adminUrl(), name), user(), password()).close();
            template = name;
        }
        return withDatabase(adminUrl(), createDatabase(" TEMPLATE " + template));
    }

    /**
     * A Benchmon on a new database created with {@code clause} (e.g. {@code TEMPLATE template0 LC_COLLATE 'C'
     * LC_CTYPE 'C'} for a database of another locale), migrated by opening it.
     */
    public static Benchmon freshCreatedWith(String clause) {
        return Benchmon.connect(withDatabase(adminUrl(), createDatabase(" " + clause)), user(), password());
    }

    /** Creates a database named for this JVM ({@code clause} follows its name); returns the name. */
    private static String createDatabase(String clause) {
        String name = "bm_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        String admin = adminUrl();
        try (Connection c = DriverManager.getConnection(admin, user(), password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + clause);
            if (external()) {
                atExit(DATABASES_TO_DROP, name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + clause + " via " + admin, e);
        }
        return name;
    }

    /** What this JVM created on an external server, dropped when it exits: the databases, then the roles. */
    private static final List<String> DATABASES_TO_DROP = new ArrayList<>();
    private static final List<String> ROLES_TO_DROP = new ArrayList<>();
    private static boolean dropsRegistered;

    private static synchronized void atExit(List<String> list, String name) {
        list.add(name);
        if (!dropsRegistered) {
            dropsRegistered = true;
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropAll, "benchmon-test-drops"));
        }
    }

    /**
     * Drops what this JVM created, one statement at a time on one connection (best effort: a leftover on a shared
     * server is harmless). A hook per database opened about 110 connections at once, past the server's
     * max_connections (100), and each refused one left its database behind.
     */
    private static void dropAll() {
        List<String> databases;
        List<String> roles;
        synchronized (TestDatabases.class) {
            databases = List.copyOf(DATABASES_TO_DROP);
            roles = List.copyOf(ROLES_TO_DROP);
        }
        try (Connection c = DriverManager.getConnection(adminUrl(), user(), password()); Statement st = c.createStatement()) {
            for (String name : databases) {
                dropQuietly(st, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
            for (String role : roles) { // after the databases that grant to them
                dropQuietly(st, "DROP ROLE IF EXISTS " + role);
            }
        } catch (SQLException ignored) {
            // the server is gone: nothing to drop
        }
    }

    private static void dropQuietly(Statement st, String sql) {
        try {
            st.execute(sql);
        } catch (SQLException ignored) {
            // best effort, the next one still tried
        }
    }

    /**
     * A Benchmon on a new, empty database set up with least privilege: the test user (a superuser)
     * migrates as the owner, and every query runs as a new login role with no privileges of its own.
     */
    public static Benchmon freshLeastPrivilege() {
        return freshLeastPrivilege(freshDatabaseUrl());
    }

    /** As {@link #freshLeastPrivilege()}, on a database of {@link #freshDatabaseUrl()} the caller prepared first. */
    public static Benchmon freshLeastPrivilege(String url) {
        String role = "bm_app_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        String rolePassword = "app-" + java.util.UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(url, user(), password()); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + rolePassword + "'");
            if (external()) {
                atExit(ROLES_TO_DROP, role);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create role " + role, e);
        }
        dev.benchmon.db.ConnectionSettings owner = dev.benchmon.db.ConnectionSettings.of(url, user(), password());
        return Benchmon.connect(owner.as(role, rolePassword), owner);
    }

    /** {@code true} when the tests run on an external server rather than the embedded one. */
    public static boolean external() {
        String url = System.getenv("BENCHMON_TEST_DB_URL");
        return url != null && !url.isBlank();
    }

    public static String user() {
        return external() ? System.getenv().getOrDefault("BENCHMON_TEST_DB_USER", "postgres") : EmbeddedPostgresServer.USER;
    }

    public static String password() {
        return external() ? System.getenv("BENCHMON_TEST_DB_PASSWORD") : embeddedServer().password();
    }

    /** JDBC URL of the test server's maintenance database (for CREATE DATABASE and roles). */
    public static String adminUrl() {
        if (external()) {
            return System.getenv("BENCHMON_TEST_DB_URL");
        }
        return embeddedServer().jdbcUrl("postgres");
    }

    /** The shared embedded server (started on first use, stopped when the JVM exits). */
    public static synchronized EmbeddedPostgresServer embeddedServer() {
        if (embedded == null) {
            try {
                embeddedDir = Files.createTempDirectory("benchmon-test-pg");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            embedded = EmbeddedPostgresServer.startOrAttach(embeddedDir.resolve("pgdata"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                embedded.close();
                TempDirs.deleteQuietly(embeddedDir);
            }, "benchmon-test-pg-stop"));
        }
        return embedded;
    }

    public static String withDatabase(String url, String database) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? "" : url.substring(q);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + database + query;
    }
}
