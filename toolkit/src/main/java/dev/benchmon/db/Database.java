package dev.benchmon.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.benchmon.DatabaseException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

import java.nio.file.Path;

/**
 * An open benchmon database: a HikariCP pool, Jdbi on top of it, the schema applied, and (for the
 * embedded database) the server it runs on. Closing it closes the pool and, if this process
 * started the embedded server, stops it.
 */
public final class Database implements AutoCloseable {
    private final ConnectionSettings settings;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final EmbeddedPostgresServer embedded; // null for an external database

    private Database(ConnectionSettings settings, HikariDataSource dataSource, EmbeddedPostgresServer embedded) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }

    /** Connects to an external PostgreSQL and applies the schema. */
    public static Database connect(ConnectionSettings settings) {
        return open(settings, null);
    }

    /** Starts (or attaches to) the embedded PostgreSQL in {@code dataDirectory} and applies the schema. */
    public static Database embedded(Path dataDirectory) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.startOrAttach(dataDirectory);
        try {
            return open(server.settings(), server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static Database open(ConnectionSettings settings, EmbeddedPostgresServer embedded) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        if (settings.user() != null) config.setUsername(settings.user());
        if (settings.password() != null) config.setPassword(settings.password());
        config.setPoolName("benchmon");
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(10_000);
        // Trend buckets and dates are UTC whatever the server's or the JVM's zone. No JIT: it turned on
        // for dashboard aggregates (jsonb_each is costed at 100 rows) and compiled for 968 ms of a 2.7 s query.
        config.setConnectionInitSql("SET TIME ZONE 'UTC'; SET jit = off");
        config.addDataSourceProperty("ApplicationName", "benchmon");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new DatabaseException("cannot connect to PostgreSQL at " + settings + ": " + cause.getMessage()
                    + "; check BENCHMON_DB_URL, the user and password, and that the server accepts connections", e);
        }
        try {
            SchemaMigrations.apply(ds);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(settings, ds, embedded);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /** The embedded server, or {@code null} for an external database. */
    public EmbeddedPostgresServer embeddedServer() {
        return embedded;
    }

    /** {@code true} when the database answers a trivial query within two seconds. */
    public boolean isHealthy() {
        try (var c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
        if (embedded != null) {
            embedded.close();
        }
    }

    @Override
    public String toString() {
        return settings + (embedded == null ? "" : " (" + embedded + ")");
    }
}
