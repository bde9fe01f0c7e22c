package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.support.Results;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaMigrationsTest {
    private static final Path SQL = Path.of("..", "sql", "migrations");

    @Test
    void opening_an_empty_database_creates_every_table_function_and_view() {
        try (Benchmon bm = TestDatabases.fresh()) {
            List<String> objects = bm.jdbi().withHandle(h -> h.createQuery("""
                    SELECT name FROM (
                      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'
                      UNION SELECT routine_name FROM information_schema.routines WHERE routine_schema = 'public'
                    ) o ORDER BY 1""").mapTo(String.class).list());
            assertThat(objects).contains("benchmark_transactions", "benchmark_snapshots", "metric_definitions",
                    "upsert_benchmark_result", "upsert_benchmark_results", "detect_regression", "detect_regressions",
                    "metric_direction", "v_latest_benchmarks", "v_performance_trends", "benchmon_schema_history");
        }
    }

    @Test
    void reopening_an_existing_database_applies_nothing_again_and_keeps_the_data() {
        String url = TestDatabases.freshDatabaseUrl();
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
            bm.record(Results.result("m", "d", 1, 0.9, 100));
        }
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
            assertThat(SchemaMigrations.apply(bm.database().dataSource())).isZero();
            assertThat(bm.history(dev.benchmon.Filter.all()).rowCount()).isEqualTo(1);
            int applied = bm.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM benchmon_schema_history WHERE success").mapTo(Integer.class).one());
            assertThat(applied).isEqualTo(6); // V1, V2, V3, V7 and the two repeatable files, once each
        }
    }

    @Test
    void a_schema_applied_by_hand_from_the_sql_files_is_adopted_without_reapplying_version_1()
            throws IOException, SQLException {
        String url = TestDatabases.freshDatabaseUrl();
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            // every file the psql script includes, in its order
            for (String line : Files.readAllLines(SQL.resolveSibling("schema_benchmark_monitoring.sql"))) {
                if (line.startsWith("\\ir migrations/")) {
                    st.execute(Files.readString(SQL.resolve(line.substring("\\ir migrations/".length()).trim())));
                }
            }
            st.execute("SELECT * FROM upsert_benchmark_result(p_model_version => 'by-hand', p_dataset_version => 'd', "
                    + "p_metrics => '{\"f1\": 0.5}')");
        }
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
            assertThat(bm.models()).containsExactly("by-hand");
        }
    }

    @Test
    void a_version_1_database_with_data_is_upgraded_in_place_and_its_series_get_ids() throws SQLException {
        String url = TestDatabases.freshDatabaseUrl();
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            st.execute(Files.readString(SQL.resolve("V1__benchmark_tables.sql")));
            st.execute("""
                    INSERT INTO benchmark_transactions (idempotency_key, model_version, dataset_version, metrics, run_at)
                    VALUES ('k1', 'old-model', 'd', '{"f1": 0.8}', '2026-01-01T00:00:00Z')""");
            st.execute("""
                    INSERT INTO benchmark_snapshots (model_version, dataset_version, prompt_version, environment,
                        metrics, transaction_id, run_at, run_count, first_seen, last_seen)
                    SELECT model_version, dataset_version, prompt_version, environment, metrics, id, run_at, 1,
                           run_at, run_at FROM benchmark_transactions""");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
            assertThat(bm.history(dev.benchmon.Filter.all()).rowCount()).isEqualTo(1);
            bm.record(Results.result("new-model", "d", 1, 0.9, 100));
            List<String> series = bm.jdbi().withHandle(h -> h.createQuery(
                    "SELECT model_version FROM series ORDER BY id").mapTo(String.class).list());
            assertThat(series).containsExactly("old-model", "new-model");
        }
    }

    @Test
    void a_database_holding_other_tables_gets_the_full_schema() throws SQLException {
        String url = TestDatabases.freshDatabaseUrl();
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE someone_elses_table (id int)");
        }
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
            bm.record(Results.result("m", "d", 1, 0.9, 100));
            assertThat(bm.models()).containsExactly("m");
        }
    }
}
