package dev.benchmon.db;

import dev.benchmon.DatabaseException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

    /** The app role the grants go to when none is named: what the embedded database and docs/SETUP.md use. */
    public static final String DEFAULT_APP_ROLE = "benchmon_app";

    /** Brings the database's schema up to date, granting to {@value #DEFAULT_APP_ROLE}; returns how many migrations ran. */
    public static int apply(DataSource dataSource) {
        return apply(dataSource, null);
    }

    /**
     * Brings the database's schema up to date as the owner {@code ownerDataSource} logs in as, then
     * (Flyway's afterMigrate callback, every time) grants the app role only what it needs: see
     * {@code benchmon_apply_privileges} in {@code R__privilege_functions.sql}. Returns how many
     * migrations ran.
     *
     * @param appRole the role the server and toolkit queries run as; {@code null} for {@value #DEFAULT_APP_ROLE}
     */
    public static int apply(DataSource ownerDataSource, String appRole) {
        String role = appRole == null || appRole.isBlank() ? DEFAULT_APP_ROLE : appRole;
        try {
            Flyway flyway = configure(ownerDataSource)
                    // Every connection Flyway opens tells the callback whom to grant to (a literal:
                    // initSql takes no parameters, so the name is quoted here).
                    .initSql("SELECT set_config('benchmon.app_role', '" + role.replace("'", "''") + "', false)")
                    .baselineVersion(tablesExist(ownerDataSource) ? "1" : "0")
                    .load();
            boolean fresh = !exists(ownerDataSource, HISTORY_TABLE);
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
                    + "; check that the user may create tables and functions in the database (the owner login: "
                    + "BENCHMON_DB_OWNER_USER, see docs/SETUP.md)", e);
        }
    }

    /**
     * For a login that may not migrate (the app role): fails unless the schema is current, naming
     * what is pending and how to apply it.
     */
    public static void requireCurrent(DataSource dataSource) {
        MigrationInfo[] pending;
        try {
            pending = configure(dataSource).baselineVersion("1").load().info().pending();
        } catch (FlywayException e) {
            throw new DatabaseException("could not check the benchmon schema version: " + e.getMessage(), e);
        }
        if (pending.length > 0) {
            throw new DatabaseException("the benchmon schema needs " + pending.length + " migration(s) ("
                    + pending[0].getScript() + (pending.length > 1 ? ", ..." : "") + ") and this login may not apply "
                    + "them: start once with the owner login (BENCHMON_DB_OWNER_USER / BENCHMON_DB_OWNER_PASSWORD, "
                    + "see docs/SETUP.md)");
        }
    }

    /**
     * Whether the login of {@code dataSource} may migrate: the schema is new, or the login is a
     * superuser or a member of the role that owns Flyway's history table.
     */
    public static boolean canMigrate(DataSource dataSource) {
        return ask(dataSource, """
                SELECT to_regclass('%s') IS NULL
                    OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                    OR pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = to_regclass('%s')), 'MEMBER')
                """.formatted(HISTORY_TABLE, HISTORY_TABLE));
    }

    /**
     * Whether the login of {@code dataSource} could rewrite history: a superuser (session_replication_role,
     * anything) or a member of the log's owner (ALTER TABLE ... DISABLE TRIGGER, replacing the trigger
     * function). A server should not run as such a login; see docs/SETUP.md.
     */
    public static boolean canRewriteHistory(DataSource dataSource) {
        return ask(dataSource, """
                SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                    OR coalesce(pg_has_role(current_user,
                           (SELECT relowner FROM pg_class WHERE oid = to_regclass('benchmark_transactions')), 'MEMBER'), false)
                """);
    }

    private static boolean ask(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new DatabaseException("could not inspect the database's roles: " + e.getMessage(), e);
        }
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration configure(DataSource dataSource) {
        return Flyway.configure(SchemaMigrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(LOCATION)
                    .callbackLocations(LOCATION)
                    .table(HISTORY_TABLE)
                    .placeholderReplacement(false)
                    // A schema that holds other tables (Supabase's public schema, say) is fine. If the
                    // benchmon tables were created by hand with psql, version 1 counts as applied.
                    .baselineOnMigrate(true);
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
