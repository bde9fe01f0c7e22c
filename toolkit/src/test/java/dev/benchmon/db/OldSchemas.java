package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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

    /**
     * {@link #databaseAt} upgraded to the current schema ({@link #upgrade}); returns its URL. For a migration that runs
     * once; {@link #upgradedFrom} also checks that it may run twice.
     */
    static String upgraded(int through, Setup setup) throws IOException, SQLException {
        String url = databaseAt(through, setup);
        upgrade(url);
        return url;
    }

    /** Opens the database at {@code url} with the test login, which upgrades it to the current schema. */
    static Benchmon open(String url) {
        return Benchmon.connect(url, TestDatabases.user(), TestDatabases.password());
    }

    /** Opens and closes the database at {@code url} once, so it is upgraded before the tests read it. */
    static void upgrade(String url) {
        try (Benchmon bm = open(url)) {
            assertThat(bm.models()).isNotNull(); // opening the database migrates it
        }
    }

    /**
     * A database at schema version {@code version} with {@code setup}'s rows, upgraded to the current schema, and then
     * given version {@code version + 1} once more, as the psql script may apply a migration to a database that has it
     * already (it must change nothing); returns its URL.
     */
    static String upgradedFrom(int version, Setup setup) throws IOException, SQLException {
        String url = upgraded(version, setup);
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            applyVersion(st, version + 1);
        }
        return url;
    }

    /** The series the old-schema fixtures hold their rows in: id 1, {@code m1 / d @ci}, no prompt. */
    static void seriesM1(Statement st) throws SQLException {
        st.execute("INSERT INTO series (model_version, dataset_version, prompt_version, environment) VALUES ('m1', 'd', '', 'ci')");
    }

    /** {@link #seriesM1} and the log's partition for March 2026, where the fixtures' runs are. */
    static void seriesM1InMarch2026(Statement st) throws SQLException {
        seriesM1(st);
        st.execute("SELECT benchmon_ensure_log_partitions(ARRAY['2026-03-01T00:00:00Z'::timestamptz])");
    }

    /**
     * The snapshot of series m1 ({@link #seriesM1}) as an old writer left it: its latest run {@code transactionId} of
     * 2026-03-02 08:00 UTC with f1 0.9, {@code runCount} runs counted, first seen 2026-03-01 08:00 UTC.
     */
    static void snapshotM1(Statement st, long transactionId, int runCount) throws SQLException {
        try (PreparedStatement ps = st.getConnection().prepareStatement("""
                INSERT INTO benchmark_snapshots (model_version, dataset_version, prompt_version, environment, metrics,
                                                 transaction_id, run_at, run_count, first_seen, last_seen)
                VALUES ('m1', 'd', '', 'ci', '{"f1": 0.9}', ?, '2026-03-02T08:00:00Z', ?, '2026-03-01T08:00:00Z',
                        '2026-03-02T08:00:00Z')""")) {
            ps.setLong(1, transactionId);
            ps.setInt(2, runCount);
            ps.executeUpdate();
        }
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

    /** Applies the one file {@code V<version>__...} on {@code st}'s connection, as Flyway would apply it. */
    static void applyVersion(Statement st, int version) throws IOException, SQLException {
        try (var files = Files.list(SQL)) {
            Path file = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql") && version(f) == version)
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no migration V" + version));
            st.execute(Files.readString(file));
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
