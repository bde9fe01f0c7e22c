package dev.benchmon.server.replica;

import dev.benchmon.Benchmon;
import dev.benchmon.server.BenchmonServer;
import dev.benchmon.server.RowSecurityCheck;
import dev.benchmon.server.ServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code BENCHMON_DB_READ_URL}: a server whose database is a primary built here from the machine's PostgreSQL
 * binaries, reading from a streaming replica of it (pg_basebackup -R, on loopback). Pushes land on the primary;
 * the dashboard and the query API show what the replica has replayed, and nothing more.
 *
 * <p>Needs PostgreSQL's server binaries ({@code pg_config --bindir}); skipped without them, unless
 * {@code BENCHMON_REPLICA_TEST=required} (as {@code .ci/run} sets), when their absence fails the test.
 */
class ReadReplicaTest {
    private static Path root;
    private static LocalCluster primary;
    private static LocalCluster replica;
    private static Benchmon benchmon;
    private static BenchmonServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path bin = LocalCluster.binaries();
        if (bin == null && "required".equals(System.getenv("BENCHMON_REPLICA_TEST"))) {
            throw new IllegalStateException("BENCHMON_REPLICA_TEST=required but no PostgreSQL server binaries "
                    + "(pg_config --bindir with pg_basebackup): install postgresql");
        }
        Assumptions.assumeTrue(bin != null, "no PostgreSQL server binaries (pg_config --bindir): replica test skipped");
        root = Files.createTempDirectory("benchmon-replica");
        primary = LocalCluster.primary(bin, root);
        // The schema first, on the primary alone; the replica starts from a copy that has it.
        Benchmon.connect(primary.jdbcUrl("postgres"), "postgres", null).close();
        replica = LocalCluster.replicaOf(primary, root);
        benchmon = Benchmon.open(Map.of("BENCHMON_DB_URL", primary.jdbcUrl("postgres"), "BENCHMON_DB_USER", "postgres",
                "BENCHMON_DB_READ_URL", replica.jdbcUrl("postgres")));
        server = BenchmonServer.create(benchmon, ServerSettings.defaults().withHost("127.0.0.1").withPort(0)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (benchmon != null) benchmon.close();
        if (replica != null) replica.close();
        if (primary != null) primary.close();
        if (root != null) LocalCluster.deleteTree(root);
    }

    @Test
    void the_dashboard_and_api_read_the_replica_and_show_a_push_only_after_replay() throws Exception {
        assertThat(sql(replica, "SELECT pg_is_in_recovery()")).isEqualTo("t");
        assertThat(post("{\"model_version\": \"replayed-model\", \"dataset_version\": \"d\", \"metrics\": {\"f1\": 0.9}}"))
                .isEqualTo(201);
        waitFor(() -> get("/").contains("replayed-model"), "the first push to reach the replica");

        sql(replica, "SELECT pg_wal_replay_pause()");
        try {
            assertThat(post("{\"model_version\": \"paused-model\", \"dataset_version\": \"d\", \"metrics\": {\"f1\": 0.7}}"))
                    .isEqualTo(201);
            assertThat(sql(primary, "SELECT count(*) FROM benchmark_snapshots WHERE model_version = 'paused-model'"))
                    .isEqualTo("1");
            // Written on the primary, not replayed: neither the dashboard nor the API sees it.
            assertThat(get("/")).contains("replayed-model").doesNotContain("paused-model");
            assertThat(get("/api/v1/snapshots")).contains("replayed-model").doesNotContain("paused-model");
            assertThat(get("/api/v1/names?kind=model")).doesNotContain("paused-model");
            // The reads came over the read pool's connections to the replica.
            assertThat(sql(replica, "SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name = 'benchmon-read'"))
                    .isEqualTo("t");
        } finally {
            sql(replica, "SELECT pg_wal_replay_resume()");
        }
        waitFor(() -> get("/").contains("paused-model"), "the second push to show after replay resumed");
        assertThat(get("/api/v1/history?model=paused-model")).contains("\"row_count\":1");
    }

    @Test
    void with_the_replica_down_health_reports_the_read_database_and_reads_say_it_is_the_replica() throws Exception {
        assertThat(get("/health")).startsWith("200 ").contains("\"database\":\"up\"", "\"read_database\":\"up\"");
        replica.close();
        try {
            assertThat(get("/health")).startsWith("503 ").contains("\"status\":\"unavailable\"",
                    "\"database\":\"up\"", "\"read_database\":\"down\"", "BENCHMON_DB_READ_URL");
            // The very first read after the stop names the replica, whichever way it fails: the pool's timeout, an I/O
            // error of a pooled connection the stop broke, or (on a connection's first Jdbi handle) the query that
            // Jdbi's PostgresPlugin runs on the driver's own connection, which HikariCP's proxy never sees.
            assertThat(get("/api/v1/snapshots")).startsWith("503 ")
                    .contains("the read database (the replica BENCHMON_DB_READ_URL names) is unavailable");
        } finally {
            replica.start();
        }
        waitFor(() -> get("/health").startsWith("200 "), "the replica to answer again");
    }

    @Test
    void a_read_that_meets_a_pooled_connection_the_replica_lost_names_the_replica() throws Exception {
        assertThat(get("/api/v1/snapshots")).startsWith("200 ");
        // The read pool's connections end (as on a replica restart) while the replica stays up. The connection just
        // used was checked under HikariCP's 500 ms ago, so the next read gets it unchecked and fails with an error
        // of the connection (SQLSTATE 57P01) that names no pool.
        sql(replica, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'benchmon-read'");
        String read = get("/api/v1/snapshots");

        assertThat(read).startsWith("503 ")
                .contains("the read database (the replica BENCHMON_DB_READ_URL names) is unavailable");
        waitFor(() -> get("/api/v1/snapshots").startsWith("200 "), "reads to succeed again");
    }

    @Test
    void with_both_databases_down_health_answers_503_naming_both_without_waiting_out_the_pools_connection_timeouts() throws Exception {
        assertThat(get("/health")).startsWith("200 ");
        replica.close();
        primary.close();
        try {
            // The first probe meets the pooled connections the stops broke and fails at once; the next ones wait
            // for a new connection, each up to the pool's 5 s connection timeout (10 s in all, one after the other).
            assertThat(get("/health")).startsWith("503 ");
            long t0 = System.nanoTime();
            String health = get("/health");
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(health).startsWith("503 ").contains("\"status\":\"unavailable\"", "\"database\":\"down\"",
                    "\"read_database\":\"down\"", "neither the database nor the read database");
            // It answers within HealthEndpoint's 2.5 s; the bound leaves a loaded machine room and still tells it from
            // the 10 s of waiting for both pools' connection timeouts it replaced.
            assertThat(took).isLessThan(Duration.ofMillis(5_000));
        } finally {
            primary.start();
            replica.start();
        }
        waitFor(() -> get("/health").startsWith("200 "), "both databases to answer again");
    }

    @Test
    void a_read_url_without_a_benchmon_schema_is_refused_with_the_variable_named() throws Exception {
        sql(primary, "CREATE DATABASE empty_copy");
        waitFor(() -> sql(replica, "SELECT count(*) FROM pg_database WHERE datname = 'empty_copy'").equals("1"),
                "the new database to reach the replica");
        var env = Map.of("BENCHMON_DB_URL", primary.jdbcUrl("postgres"), "BENCHMON_DB_USER", "postgres",
                "BENCHMON_DB_READ_URL", replica.jdbcUrl("empty_copy"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Benchmon.open(env).close())
                .hasMessageContaining("BENCHMON_DB_READ_URL").hasMessageContaining("no benchmon schema");
    }

    @Test
    void a_read_url_that_is_no_replica_of_the_primary_is_refused() throws Exception {
        // The primary itself: writable, not in recovery.
        var primaryAsReplica = Map.of("BENCHMON_DB_URL", primary.jdbcUrl("postgres"), "BENCHMON_DB_USER", "postgres",
                "BENCHMON_DB_READ_URL", primary.jdbcUrl("postgres"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Benchmon.open(primaryAsReplica).close())
                .as("a configuration to fix (exit 2), not a database out of reach (3)")
                .isInstanceOf(dev.benchmon.ConfigurationException.class)
                .hasMessageContaining("BENCHMON_DB_READ_URL").hasMessageContaining("is not a replica");
        // Another benchmon database of the same cluster, replayed by the replica: a replica, but not of this database.
        sql(primary, "CREATE DATABASE other_benchmon");
        Benchmon.connect(primary.jdbcUrl("other_benchmon"), "postgres", null).close();
        waitFor(() -> sqlIn(replica, "other_benchmon", "SELECT count(*) FROM benchmark_snapshots") != null,
                "the other database's schema to reach the replica");
        var otherDatabase = Map.of("BENCHMON_DB_URL", primary.jdbcUrl("postgres"), "BENCHMON_DB_USER", "postgres",
                "BENCHMON_DB_READ_URL", replica.jdbcUrl("other_benchmon"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Benchmon.open(otherDatabase).close())
                .as("a configuration to fix (exit 2), not a database out of reach (3)")
                .isInstanceOf(dev.benchmon.ConfigurationException.class)
                .hasMessageContaining("BENCHMON_DB_READ_URL").hasMessageContaining("is not a replica of the database");
    }

    @Test
    void row_level_security_hiding_every_series_from_the_read_login_is_a_warning_naming_it() throws Exception {
        // A database of its own: Row Level Security on its snapshots, which no policy opens to the read login.
        sql(primary, "CREATE DATABASE rls_benchmon");
        try (Benchmon owner = Benchmon.connect(primary.jdbcUrl("rls_benchmon"), "postgres", null)) {
            owner.record(dev.benchmon.BenchmarkResult.builder("rls-model", "d").metric("f1", 0.5).build());
        }
        try (Connection c = DriverManager.getConnection(primary.jdbcUrl("rls_benchmon"), "postgres", null);
             Statement st = c.createStatement()) {
            for (String q : List.of("CREATE ROLE bm_rls_reader LOGIN", "GRANT USAGE ON SCHEMA public TO bm_rls_reader",
                    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO bm_rls_reader",
                    "ALTER TABLE benchmark_snapshots ENABLE ROW LEVEL SECURITY", "ANALYZE benchmark_snapshots")) {
                st.execute(q);
            }
        }
        waitFor(() -> "1".equals(sqlIn(replica, "rls_benchmon",
                "SELECT reltuples::bigint FROM pg_class WHERE relname = 'benchmark_snapshots' AND relrowsecurity")),
                "the analyzed table to reach the replica");

        try (Benchmon read = Benchmon.open(Map.of("BENCHMON_DB_URL", primary.jdbcUrl("rls_benchmon"),
                "BENCHMON_DB_USER", "postgres", "BENCHMON_DB_READ_URL", replica.jdbcUrl("rls_benchmon"),
                "BENCHMON_DB_READ_USER", "bm_rls_reader"))) {
            assertThat(RowSecurityCheck.warnings(read)).singleElement().satisfies(w -> assertThat(w)
                    .contains("database login bm_rls_reader on the read database (BENCHMON_DB_READ_URL)",
                            "holds about 1", "app_role=bm_rls_reader"));
        }
    }

    /** The first column of the first row of {@code query} in {@code database}, or {@code null} when it fails. */
    private static String sqlIn(LocalCluster cluster, String database, String query) {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(database), "postgres", null);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            return null;
        }
    }

    private static int post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "api/v1/results"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sql(LocalCluster cluster, String query) {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("postgres"), "postgres", null);
             Statement st = c.createStatement()) {
            if (!st.execute(query)) {
                return null; // a command (CREATE DATABASE) answers no rows
            }
            try (ResultSet rs = st.getResultSet()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 30 s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
