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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared database fixture for the tests: one PostgreSQL server per test JVM and a fresh, empty
 * database per caller (the log is append-only, so tests never clean up by deleting).
 *
 * <p>The server is the embedded PostgreSQL by default; when {@code BENCHMON_TEST_DB_URL} is set
 * (e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}) the same tests run on
 * that server instead.
 */
public final class TestDatabases {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgresServer embedded;
    private static Path embeddedDir;

    private TestDatabases() {
    }

    /** A Benchmon on a new, empty database. */
    public static Benchmon fresh() {
        return Benchmon.connect(freshDatabaseUrl(), user(), password());
    }

    /** The JDBC URL of a new, empty database (schema not yet applied). */
    public static synchronized String freshDatabaseUrl() {
        String name = "bm_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        String admin = adminUrl();
        try (Connection c = DriverManager.getConnection(admin, user(), password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
            if (external()) {
                dropAtExit(admin, name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " via " + admin, e);
        }
        return withDatabase(admin, name);
    }

    private static void dropAtExit(String admin, String name) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = DriverManager.getConnection(admin, user(), password());
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException ignored) {
                // best effort: a leftover test database on a shared server is harmless
            }
        }, "drop-" + name));
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

    private static String adminUrl() {
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

    static String withDatabase(String url, String database) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? "" : url.substring(q);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        return (slash < 0 ? base : base.substring(0, slash)) + "/" + database + query;
    }
}
