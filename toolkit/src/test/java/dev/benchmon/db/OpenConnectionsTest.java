package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.DatabaseException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Opening a database: the connections it costs the server, and the setting its refusals name. Counted by the server
 * itself: {@code pg_stat_database.sessions} (PostgreSQL 14+) counts every client session ever established to a
 * database, and a session's count is flushed when it ends, before it leaves {@code pg_stat_activity}; each test
 * database is new and only the open under test connects to it (the counting runs in the maintenance database).
 */
class OpenConnectionsTest {
    @Test
    void a_successful_open_makes_no_connection_besides_the_ones_its_pool_keeps() throws Exception {
        String url = TestDatabases.freshDatabaseUrl();
        String database = url.substring(url.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
        long before = sessions(database);

        long kept;
        try (Database db = Database.connect(ConnectionSettings.of(url, TestDatabases.user(), TestDatabases.password()))) {
            // HikariCP's housekeeper tops the pool up 100 ms after it starts: let a connection it opens arrive
            Thread.sleep(1_000);
            kept = clientBackends(database);
        }
        awaitNoClientBackends(database);

        assertThat(kept).as("the pool keeps its connections").isPositive();
        assertThat(sessions(database) - before)
                .as("sessions established to the database by the open: the pool's and no login probe besides")
                .isEqualTo(kept);
    }

    @Test
    void a_refusal_names_the_setting_the_launcher_took_the_url_from() {
        String missing = TestDatabases.withDatabase(TestDatabases.adminUrl(), "bm_no_such_db_" + ProcessHandle.current().pid());
        Map<String, String> env = new HashMap<>(Map.of("BENCHMON_DB_URL", missing, "BENCHMON_DB_USER", TestDatabases.user()));
        if (TestDatabases.password() != null) {
            env.put("BENCHMON_DB_PASSWORD", TestDatabases.password());
        }

        assertThatThrownBy(() -> Benchmon.open(env, SchemaCreation.CREATE_IF_MISSING, "--db").close())
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("fix the database name in --db")
                .hasMessageNotContaining("BENCHMON_DB_URL");
    }

    /** Client sessions ever established to {@code database}, as the server's statistics count them. */
    private static long sessions(String database) throws SQLException {
        return count("SELECT sessions FROM pg_stat_database WHERE datname = ?", database);
    }

    /** Client sessions connected to {@code database} now (autovacuum's workers are not counted). */
    private static long clientBackends(String database) throws SQLException {
        return count("SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND backend_type = 'client backend'",
                database);
    }

    /** Waits until every session of the closed pool has ended on the server (and so flushed its statistics). */
    private static void awaitNoClientBackends(String database) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (clientBackends(database) > 0) {
            assertThat(System.nanoTime() - deadline).as("the closed pool's sessions end").isNegative();
            Thread.sleep(50);
        }
    }

    private static long count(String sql, String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabases.adminUrl(), TestDatabases.user(),
                TestDatabases.password()); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, database);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
