package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.benchmon.support.Results.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hosted-PostgreSQL template: a reader that only reads, a writer that only appends, and the app login of
 * docs/SETUP.md's two-login setup still reading everything.
 */
class RowLevelSecurityTemplateTest {
    private static Benchmon bm;

    @BeforeAll
    static void applyTemplate() throws IOException, java.sql.SQLException {
        bm = TestDatabases.fresh();
        bm.record(result("m", "d", 1, 0.9, 100));
        // A single login that owns the tables (a superuser here) names itself as the app role.
        try (var c = bm.database().dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("SET benchmon.app_role = '" + TestDatabases.user() + "'");
            st.execute(template());
        }
    }

    private static String template() throws IOException {
        // As psql -f would: the whole file in one go (the simple query protocol runs several statements).
        return Files.readString(Path.of("..", "sql", "hosted", "row_level_security_template.sql"));
    }

    @AfterAll
    static void close() {
        bm.close();
    }

    private static <T> T as(String role, org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        return bm.jdbi().inTransaction(h -> {
            h.execute("SET LOCAL ROLE " + role);
            return work.withHandle(h);
        });
    }

    @Test
    void the_reader_role_reads_snapshots() {
        long n = as("benchmon_reader", h -> h.createQuery("SELECT count(*) FROM v_latest_benchmarks").mapTo(Long.class).one());
        assertThat(n).isEqualTo(1);
    }

    @Test
    void the_reader_role_cannot_record() {
        assertThatThrownBy(() -> as("benchmon_reader", h -> h.createQuery(
                "SELECT transaction_id FROM upsert_benchmark_result(p_model_version => 'x', p_dataset_version => 'd', "
                        + "p_metrics => '{\"f1\": 1}')").mapTo(Long.class).one()))
                .hasMessageContaining("permission denied");
    }

    @Test
    void the_writer_role_cannot_write_the_tables_directly() {
        assertThatThrownBy(() -> as("benchmon_writer", h -> h.execute("UPDATE benchmark_snapshots SET run_count = 0")))
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> as("benchmon_writer", h -> h.execute(
                "INSERT INTO benchmark_log (series_id, run_at, idempotency_key, metrics) "
                        + "SELECT id, now(), gen_random_uuid(), '{\"f1\": 1}' FROM series LIMIT 1")))
                .hasMessageContaining("permission denied");
    }

    @Test
    void the_writer_role_records_through_the_function_but_cannot_delete() {
        long id = as("benchmon_writer", h -> h.createQuery(
                "SELECT transaction_id FROM upsert_benchmark_result(p_model_version => 'w', p_dataset_version => 'd', "
                        + "p_metrics => '{\"f1\": 1}')").mapTo(Long.class).one());
        assertThat(id).isPositive();
        assertThatThrownBy(() -> as("benchmon_writer", h -> h.execute("DELETE FROM benchmark_log")))
                .hasMessageContaining("permission denied");
    }

    private static long count(Benchmon on, String sql) {
        return on.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    /** The SQL block after {@code marker} in docs/SETUP.md, split into statements. */
    private static List<String> documentedSql(String marker) throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "SETUP.md"));
        int start = doc.indexOf("```sql", doc.indexOf(marker)) + "```sql".length();
        return Arrays.stream(doc.substring(start, doc.indexOf("```", start)).split(";")).filter(s -> !s.isBlank()).toList();
    }

    @Test
    void applied_by_the_owner_as_documented_it_keeps_the_app_login_reading_and_lets_a_reader_login_in() throws Exception {
        String suffix = ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
        Map<String, String> names = new LinkedHashMap<>();
        for (String role : List.of("benchmon_owner", "benchmon_app", "benchmon_reader", "benchmon_writer", "bi_reader")) {
            names.put(role, "bm_" + role.replace("benchmon_", "") + "_" + suffix);
        }
        String database = "bm_rls_" + suffix;
        // Whole names only: benchmon_app is not benchmon_apply_privileges, benchmon not benchmon.app_role.
        java.util.function.UnaryOperator<String> roles = text -> {
            for (var e : names.entrySet()) {
                text = text.replaceAll("\\b" + e.getKey() + "\\b", e.getValue());
            }
            return text;
        };
        java.util.function.UnaryOperator<String> unique = text -> roles.apply(text).replaceAll("\\bbenchmon\\b(?![.:])", database);
        String admin = TestDatabases.adminUrl();
        String url = TestDatabases.withDatabase(admin, database);
        try {
            try (Connection c = DriverManager.getConnection(admin, TestDatabases.user(), TestDatabases.password());
                 Statement st = c.createStatement()) {
                for (String statement : documentedSql("<!-- hosted-least-privilege -->")) {
                    st.execute(unique.apply(statement));
                }
                for (String statement : documentedSql("<!-- hosted-rls-roles -->")) {
                    st.execute(unique.apply(statement));
                }
            }
            Map<String, String> app = Map.of("BENCHMON_DB_URL", url, "BENCHMON_DB_USER", names.get("benchmon_app"),
                    "BENCHMON_DB_PASSWORD", "app-password");
            Map<String, String> server = new HashMap<>(app);
            server.put("BENCHMON_DB_OWNER_USER", names.get("benchmon_owner"));
            server.put("BENCHMON_DB_OWNER_PASSWORD", "owner-password");
            try (Benchmon first = Benchmon.open(server)) {
                first.record(result("rls", "d", 1, 0.9, 100));
            }

            // As the owner, naming the app login (PGOPTIONS='-c benchmon.app_role=...' in psql).
            Properties owner = new Properties();
            owner.setProperty("user", names.get("benchmon_owner"));
            owner.setProperty("password", "owner-password");
            owner.setProperty("options", "-c benchmon.app_role=" + names.get("benchmon_app"));
            try (Connection c = DriverManager.getConnection(url, owner); Statement st = c.createStatement()) {
                st.execute(roles.apply(template()));
            }

            try (Benchmon bm = Benchmon.open(app)) {
                assertThat(bm.models()).containsExactly("rls");
                assertThat(bm.latestSnapshots().rowCount()).isEqualTo(1);
                assertThat(count(bm, "SELECT count(*) FROM benchmark_transactions")).isEqualTo(1);
                bm.record(result("rls", "d", 2, 0.8, 100));
                assertThat(bm.history(Filter.model("rls")).rowCount()).isEqualTo(2);
                assertThat(count(bm, "SELECT count(*) FROM pg_class c WHERE c.relname = "
                        + "'benchmark_log' AND c.relrowsecurity")).isEqualTo(1);
            }
            // A reader's login connects (CONNECT was revoked from PUBLIC), reads what export reads, and cannot record.
            Map<String, String> reader = Map.of("BENCHMON_DB_URL", url, "BENCHMON_DB_USER", names.get("bi_reader"),
                    "BENCHMON_DB_PASSWORD", "reader-password");
            try (Benchmon bm = Benchmon.open(reader)) {
                assertThat(bm.history(Filter.model("rls")).rowCount()).isEqualTo(2);
                assertThat(count(bm, "SELECT count(*) FROM benchmark_latest_attempts")).isZero();
                assertThatThrownBy(() -> bm.record(result("rls", "d", 3, 0.7, 100))).hasMessageContaining("permission denied");
            }
            // Run as the app login it says who must run it.
            try (Connection c = DriverManager.getConnection(url, names.get("benchmon_app"), "app-password");
                 Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute(roles.apply(template())))
                        .hasMessageContaining("run this file as the owner of the benchmon schema");
            }
        } finally {
            try (Connection c = DriverManager.getConnection(admin, TestDatabases.user(), TestDatabases.password());
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                for (String role : List.of("bi_reader", "benchmon_reader", "benchmon_writer", "benchmon_app", "benchmon_owner")) {
                    st.execute("DROP ROLE IF EXISTS " + names.get(role));
                }
            }
        }
    }
}
