package dev.benchmon.db;

import dev.benchmon.support.TestDatabases;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared fixture of the migration tests: a database at an older schema version (the versioned migration files
 * applied by hand, as an old release left it, without the repeatable files), and rows read back as text.
 */
final class OldSchemas {
    private static final Path SQL = Path.of("..", "sql", "migrations");

    private OldSchemas() {
    }

    /** Work on a database at an old version, before it is upgraded. */
    interface Setup {
        void run(Statement st) throws SQLException;
    }

    /**
     * A fresh database at schema version {@code through} ({@link #applyVersions}), then {@code setup} run on the same
     * connection (rows as the old release wrote them); returns its URL, for a test to open (and so upgrade) it.
     */
    static String databaseAt(int through, Setup setup) throws IOException, SQLException {
        String url = TestDatabases.freshDatabaseUrl();
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            applyVersions(st, through);
            setup.run(st);
        }
        return url;
    }

    /** Applies {@code V1__...} to {@code V<through>__...} in version order on {@code st}'s connection. */
    static void applyVersions(Statement st, int through) throws IOException, SQLException {
        try (var files = Files.list(SQL)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .filter(f -> version(f) <= through)
                    .sorted((a, b) -> Integer.compare(version(a), version(b))).toList()) {
                st.execute(Files.readString(f));
            }
        }
    }

    private static int version(Path f) {
        return Integer.parseInt(f.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"));
    }

    /** Each row of {@code sql} as its columns' text joined by {@code " | "}. */
    static List<String> rows(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? " | " : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    /** {@link #rows(Statement, String)} on a new connection to {@code url}. */
    static List<String> rows(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            return rows(st, sql);
        }
    }
}
