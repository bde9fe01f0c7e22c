package dev.benchmon.db;

import dev.benchmon.DatabaseException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The setup lock's wait: for a holder at work as long as it works, not for a stuck one. */
class SetupLockTest {
    private static PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(TestDatabases.user());
        ds.setPassword(TestDatabases.password());
        return ds;
    }

    @Test
    void a_waiter_gives_up_on_a_holder_that_runs_no_statement_and_names_its_session() throws Exception {
        String url = TestDatabases.freshDatabaseUrl();
        try (Connection stuck = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = stuck.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + 0x62656e63 + ", 1)"); // then sits idle, as a stopped process would
            int pid;
            try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }

            assertThatThrownBy(() -> SetupLock.take(dataSource(url), SetupLock.Scope.SCHEMA, Duration.ofSeconds(1)))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("gave up waiting for another process that is applying the benchmon schema")
                    .hasMessageContaining("PostgreSQL backend pid " + pid)
                    .hasMessageContaining("pg_terminate_backend(" + pid + ")").hasMessageContaining("open again");
        }
    }

    @Test
    void a_waiter_waits_for_a_holder_whose_setup_works_on_other_connections_longer_than_the_idle_limit() throws Exception {
        String url = TestDatabases.freshDatabaseUrl();
        // As SchemaMigrations.applyOnce: the lock on a connection of its own, Flyway's statements on others.
        SetupLock holder = SetupLock.take(dataSource(url), SetupLock.Scope.SCHEMA, Duration.ofSeconds(2));
        java.util.concurrent.CompletableFuture<Void> working = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (Connection other = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
                 Statement st = other.createStatement()) {
                st.execute("SELECT pg_sleep(6)");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            } finally {
                holder.close();
            }
        });

        try (SetupLock waited = SetupLock.take(dataSource(url), SetupLock.Scope.SCHEMA, Duration.ofSeconds(2))) {
            assertThat(working).as("taken once the holder finished, not given up on").isDone();
        }
        working.join();
    }

    @Test
    void a_waiter_takes_the_lock_once_its_holder_releases_it() throws Exception {
        String url = TestDatabases.freshDatabaseUrl();
        try (Connection holder = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + 0x62656e63 + ", 1)");
            java.util.concurrent.CompletableFuture<SetupLock> waiting = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> SetupLock.take(dataSource(url), SetupLock.Scope.SCHEMA, Duration.ofMinutes(1)));
            Thread.sleep(500);
            assertThat(waiting).isNotDone();

            st.execute("SELECT pg_advisory_unlock(" + 0x62656e63 + ", 1)");

            try (SetupLock taken = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS)) {
                try (ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + 0x62656e63 + ", 1)")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as("held by the waiter now").isFalse();
                }
            }
        }
    }
}
