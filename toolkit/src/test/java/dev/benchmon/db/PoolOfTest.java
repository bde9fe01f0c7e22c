package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link Database#poolOf}: a failure out of a database's Jdbi names that database's pool however it failed, also when
 * it never passed HikariCP's connection proxy (the server answers "the read database ... is unavailable" or "the
 * database ..." by it). Jdbi's PostgresPlugin opens a handle by querying on the driver's own connection (its
 * large-object API); a replica that stopped failed reads there, unnamed, in about one read in five.
 */
class PoolOfTest {
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    @Test
    void a_failure_on_the_drivers_own_connection_inside_a_handle_names_the_pool() {
        Throwable failure = catchThrowable(() -> bm.database().jdbi().useHandle(h -> driverQuery(h, "SELECT 1/0")));

        assertThat(failure).isInstanceOf(SQLException.class).hasMessage("ERROR: division by zero");
        assertThat(Database.poolOf(failure)).isEqualTo(Database.PRIMARY_POOL);
    }

    @Test
    void a_failure_of_jdbi_opening_a_handle_after_the_pool_gave_the_connection_names_the_pool() {
        // As PostgresPlugin's large-object API does on a connection's first handle: a query on the driver's connection.
        bm.database().jdbi().installPlugin(new JdbiPlugin() {
            @Override
            public Handle customizeHandle(Handle handle) throws SQLException {
                driverQuery(handle, "SELECT 1/0");
                return handle;
            }
        });

        Throwable failure = catchThrowable(() -> bm.models());

        assertThat(failure).hasRootCauseMessage("ERROR: division by zero");
        assertThat(Database.poolOf(failure)).isEqualTo(Database.PRIMARY_POOL);
    }

    @Test
    void a_connection_the_pool_refuses_names_the_pool() {
        bm.close();

        Throwable failure = catchThrowable(() -> bm.models());

        assertThat(failure).hasMessage(Database.CLOSED);
        assertThat(Database.poolOf(failure)).isEqualTo(Database.PRIMARY_POOL);
    }

    @Test
    void a_failure_that_is_not_the_databases_carries_no_pool_mark() {
        Throwable failure = catchThrowable(() -> bm.database().jdbi().useHandle(h -> {
            throw new IllegalArgumentException("a refused input, as a 400 is");
        }));

        assertThat(failure).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure.getSuppressed()).isEmpty();
    }

    /** Runs {@code sql} on the PostgreSQL driver's connection under the pool's proxy, which then never sees a failure. */
    private static void driverQuery(Handle h, String sql) throws SQLException {
        Connection driver = h.getConnection().unwrap(Connection.class);
        try (Statement st = driver.createStatement()) {
            st.execute(sql);
        }
    }
}
