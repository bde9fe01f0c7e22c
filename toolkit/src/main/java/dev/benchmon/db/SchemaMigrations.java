package dev.benchmon.db;

import dev.benchmon.DatabaseException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Applies the schema in {@code sql/migrations} (packaged into the jar) with Flyway: versioned files
 * once each, the repeatable file whenever it changes. Safe to run from several processes at once:
 * Flyway serialises them with a PostgreSQL advisory lock.
 */
public final class SchemaMigrations {
    /** Where the migration files sit on the class path. */
    public static final String LOCATION = "classpath:dev/benchmon/db/migrations";
    /** Flyway's bookkeeping table; not the default name, so it cannot clash with an application's own Flyway. */
    public static final String HISTORY_TABLE = "benchmon_schema_history";

    private SchemaMigrations() {
    }

    /** Brings the database's schema up to date; returns how many migrations ran. */
    public static int apply(DataSource dataSource) {
        try {
            Flyway flyway = Flyway.configure(SchemaMigrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(LOCATION)
                    .table(HISTORY_TABLE)
                    .placeholderReplacement(false)
                    // A schema that holds other tables (Supabase's public schema, say) is fine. If the
                    // benchmon tables were created by hand with psql, version 1 counts as applied.
                    .baselineOnMigrate(true)
                    .baselineVersion(tablesExist(dataSource) ? "1" : "0")
                    .load();
            boolean fresh = !exists(dataSource, HISTORY_TABLE);
            if (fresh) {
                Progress.step("creating the benchmon schema (first start)");
            }
            MigrateResult result = flyway.migrate();
            if (result.migrationsExecuted > 0) {
                Progress.step("applied {} schema migration(s)", result.migrationsExecuted);
            }
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new DatabaseException("could not apply the benchmon schema (" + LOCATION + "): " + e.getMessage()
                    + "; check that the user may create tables and functions in the database", e);
        }
    }

    private static boolean tablesExist(DataSource dataSource) {
        return exists(dataSource, "benchmark_transactions");
    }

    private static boolean exists(DataSource dataSource, String table) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new DatabaseException("could not inspect the database before migrating: " + e.getMessage(), e);
        }
    }
}
