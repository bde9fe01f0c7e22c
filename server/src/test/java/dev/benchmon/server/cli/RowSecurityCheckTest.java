package dev.benchmon.server.cli;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.db.EmbeddedPostgresServer;
import dev.benchmon.server.RowSecurityCheck;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Row Level Security turned on (as sql/hosted/row_level_security_template.sql does) without a policy naming the
 * server's login: the login sees no rows and no error, so the server warns at start instead of showing an empty
 * dashboard without a word ({@link RowSecurityCheck}).
 */
class RowSecurityCheckTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @Test
    void warns_naming_the_login_when_row_level_security_hides_every_series_from_it() throws SQLException {
        String url = databaseWithSeries(2);
        String login = loginUnderRowSecurity(url);

        try (Benchmon server = Benchmon.connect(url, login, "rls-password")) {
            assertThat(RowSecurityCheck.warnings(server)).singleElement().satisfies(w -> assertThat(w)
                    .contains("database login " + login, "holds about 2", "app_role=" + login, RowSecurityCheck.DOC));

            // Once a policy names the login it sees the series, and there is nothing to warn about.
            admin(url, "CREATE POLICY reads ON benchmark_snapshots FOR SELECT TO " + login + " USING (true)");
            assertThat(RowSecurityCheck.warnings(server)).isEmpty();
        }
    }

    @Test
    void serve_logs_the_warning_at_start() throws Exception {
        String url = databaseWithSeries(1);
        String login = loginUnderRowSecurity(url);

        String log = ServeProcessTest.logUntilRunning(ServeProcessTest.serve("--port", "0", "--db",
                url + "?user=" + login + "&password=rls-password"));

        assertThat(log).contains("running at", "WARN", "hides every row from the database login " + login,
                RowSecurityCheck.DOC);
    }

    @Test
    void an_empty_table_under_row_level_security_is_no_reason_to_warn() throws SQLException {
        String url = databaseWithSeries(0);
        String login = loginUnderRowSecurity(url);

        try (Benchmon server = Benchmon.connect(url, login, "rls-password")) {
            assertThat(RowSecurityCheck.warnings(server)).isEmpty();
        }
    }

    /** A new benchmon database holding {@code series} series, written as the owner (which RLS does not restrict). */
    private static String databaseWithSeries(int series) {
        String url = TestServer.freshDatabaseUrl();
        try (Benchmon owner = Benchmon.connect(url, EmbeddedPostgresServer.USER, TestServer.embeddedPassword())) {
            for (int i = 0; i < series; i++) {
                owner.record(BenchmarkResult.builder("rls-model-" + i, "rls-set").metric("f1", 0.5).build());
            }
        }
        return url;
    }

    /** A login that may read benchmon's tables, with RLS turned on and no policy at all; statistics up to date. */
    private static String loginUnderRowSecurity(String url) throws SQLException {
        String login = "bm_rls_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        admin(url, "CREATE ROLE " + login + " LOGIN PASSWORD 'rls-password'",
                "GRANT USAGE ON SCHEMA public TO " + login,
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + login,
                "ALTER TABLE benchmark_snapshots ENABLE ROW LEVEL SECURITY",
                "ANALYZE benchmark_snapshots");
        return login;
    }

    private static void admin(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, TestServer.embeddedPassword());
             Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }
}
