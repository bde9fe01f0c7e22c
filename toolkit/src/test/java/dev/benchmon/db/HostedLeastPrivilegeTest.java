package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import static dev.benchmon.support.Results.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * docs/SETUP.md's two-login set-up for hosted PostgreSQL, run as written (with unique names) on the
 * test server: the machine's PostgreSQL when BENCHMON_TEST_DB_URL names it, else the embedded one.
 */
class HostedLeastPrivilegeTest {
    private static final String MARKER = "<!-- hosted-least-privilege -->";

    @Test
    void the_documented_two_login_setup_migrates_as_the_owner_and_runs_as_the_app_login() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "SETUP.md"));
        int start = doc.indexOf("```sql", doc.indexOf(MARKER)) + "```sql".length();
        String sql = doc.substring(start, doc.indexOf("```", start));
        String suffix = ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
        String owner = "bm_owner_" + suffix;
        String app = "bm_app_" + suffix;
        String database = "bm_hosted_" + suffix;
        sql = sql.replace("benchmon_owner", owner).replace("benchmon_app", app).replaceAll("\\bbenchmon\\b", database);

        String admin = TestDatabases.adminUrl();
        try (Connection c = DriverManager.getConnection(admin, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            for (String statement : sql.split(";")) {
                if (!statement.isBlank()) {
                    st.execute(statement);
                }
            }
        }
        String url = TestDatabases.withDatabase(admin, database);
        try {
            if (!TestDatabases.external()) { // a test server may trust every login (BENCHMON_TEST_DB_URL's, say)
                Map<String, String> wrongOwner = Map.of(
                        "BENCHMON_DB_URL", url, "BENCHMON_DB_USER", app, "BENCHMON_DB_PASSWORD", "app-password",
                        "BENCHMON_DB_OWNER_USER", owner, "BENCHMON_DB_OWNER_PASSWORD", "wrong-owner-password");
                assertThatThrownBy(() -> Benchmon.open(wrongOwner).close())
                        .hasMessageContaining("cannot log in as the owner login")
                        .hasMessageContaining("BENCHMON_DB_OWNER_USER and BENCHMON_DB_OWNER_PASSWORD")
                        .hasMessageNotContaining("wrong-owner-password");
            }
            Map<String, String> env = Map.of(
                    "BENCHMON_DB_URL", url, "BENCHMON_DB_USER", app, "BENCHMON_DB_PASSWORD", "app-password",
                    "BENCHMON_DB_OWNER_USER", owner, "BENCHMON_DB_OWNER_PASSWORD", "owner-password");
            try (Benchmon bm = Benchmon.open(env)) {
                bm.record(result("hosted", "d", 1, 0.9, 100));
                assertThat(bm.models()).containsExactly("hosted");
                assertThat(bm.database().loginCanRewriteHistory()).isFalse();
                assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("UPDATE benchmark_snapshots SET run_count = 0")))
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("ALTER TABLE benchmark_log DISABLE TRIGGER USER")))
                        .hasMessageContaining("must be owner");
            }
            // Without the owner login, the app login starts on a current schema and runs as itself.
            Map<String, String> appOnly = Map.of("BENCHMON_DB_URL", url, "BENCHMON_DB_USER", app,
                    "BENCHMON_DB_PASSWORD", "app-password");
            try (Benchmon bm = Benchmon.open(appOnly)) {
                assertThat(bm.models()).containsExactly("hosted");
                assertThat(bm.database().loginCanRewriteHistory()).isFalse();
            }
        } finally {
            try (Connection c = DriverManager.getConnection(admin, TestDatabases.user(), TestDatabases.password());
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                st.execute("DROP ROLE IF EXISTS " + app);
                st.execute("DROP ROLE IF EXISTS " + owner);
            }
        }
    }
}
