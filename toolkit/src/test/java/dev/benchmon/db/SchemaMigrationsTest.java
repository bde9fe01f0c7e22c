package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.support.Results;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaMigrationsTest {
    private static final Path SQL = Path.of("..", "sql", "migrations");

    @Test
    void opening_an_empty_database_creates_every_table_function_and_view() {
        try (Benchmon bm = Benchmon.connect(TestDatabases.freshDatabaseUrl(), TestDatabases.user(), TestDatabases.password())) {
            List<String> objects = bm.jdbi().withHandle(h -> h.createQuery("""
                    SELECT name FROM (
                      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'
                      UNION SELECT routine_name FROM information_schema.routines WHERE routine_schema = 'public'
                    ) o ORDER BY 1""").mapTo(String.class).list());
            assertThat(objects).contains("benchmark_transactions", "benchmark_snapshots", "metric_definitions",
                    "upsert_benchmark_result", "upsert_benchmark_results", "detect_regression", "detect_regressions",
                    "metric_direction", "v_latest_benchmarks", "v_performance_trends", "benchmon_schema_history");
        }
    }

    @Test
    void several_processes_opening_one_new_database_at_once_all_open_it_with_the_schema_applied_once() throws Exception {
        String url = TestDatabases.freshDatabaseUrl();
        int openers = 4;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(openers);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(openers);
        try {
            List<java.util.concurrent.Future<Long>> opened = new java.util.ArrayList<>();
            for (int i = 0; i < openers; i++) {
                opened.add(pool.submit(() -> {
                    start.await();
                    try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
                        return bm.jdbi().withHandle(h -> h.createQuery(
                                "SELECT count(*) FROM benchmon_schema_history WHERE success").mapTo(Long.class).one());
                    }
                }));
            }
            for (java.util.concurrent.Future<Long> f : opened) {
                assertThat(f.get()).isEqualTo((long) migrationFiles());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_migration_cut_off_by_the_database_going_away_says_so_and_the_next_open_finishes_it() throws Exception {
        String url = TestDatabases.freshDatabaseUrl();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(TestDatabases.user());
        ds.setPassword(TestDatabases.password());
        ds.setApplicationName("migration-cut-off");
        java.util.concurrent.CompletableFuture<Integer> applying =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> SchemaMigrations.apply(ds));
        // As Ctrl-C or SIGTERM stopping the embedded server part way: the migrating session ends (57P01).
        try (Connection admin = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password())) {
            // Every migrating session, as long as the migration runs: a stopped server leaves none.
            int cut = 0;
            for (int i = 0; i < 4000 && !applying.isDone(); i++) {
                try (ResultSet rs = admin.createStatement().executeQuery("""
                        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                        WHERE application_name = 'migration-cut-off' AND state = 'active'
                          AND query NOT LIKE '%advisory%'""")) {
                    rs.next();
                    cut += rs.getInt(1);
                }
                Thread.sleep(5);
            }
            assertThat(cut).as("migrating sessions found and ended").isPositive();
        }

        assertThatThrownBy(applying::join).hasRootCauseInstanceOf(SQLException.class).cause()
                .hasMessageContaining("the database went away while the benchmon schema was being applied")
                .hasMessageContaining("open it again").hasMessageNotContaining("BENCHMON_DB_OWNER_USER")
                .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n"));
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
            assertThat(bm.models()).isEmpty();
            int applied = bm.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM benchmon_schema_history WHERE success").mapTo(Integer.class).one());
            assertThat(applied).isEqualTo(migrationFiles());
        }
    }

    @Test
    void reopening_an_existing_database_applies_nothing_again_and_keeps_the_data() throws IOException {
        String url = TestDatabases.freshDatabaseUrl();
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
            bm.record(Results.result("m", "d", 1, 0.9, 100));
        }
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
            assertThat(SchemaMigrations.apply(bm.database().dataSource())).isZero();
            assertThat(bm.history(dev.benchmon.Filter.all()).rowCount()).isEqualTo(1);
            int applied = bm.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM benchmon_schema_history WHERE success").mapTo(Integer.class).one());
            // every versioned and repeatable file under sql/migrations, once each
            assertThat(applied).isEqualTo(migrationFiles());
        }
    }

    @Test
    void a_database_migrated_with_these_files_is_not_migrated_again_and_any_difference_goes_through_flyway()
            throws SQLException {
        String url = TestDatabases.freshDatabaseUrl();
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
            javax.sql.DataSource ds = bm.database().dataSource();
            assertThat(SchemaMigrations.currentStamp(ds))
                    .isEqualTo(SchemaMigrations.stamp(SchemaMigrations.DEFAULT_APP_ROLE,
                            SchemaMigrations.roleOid(ds, SchemaMigrations.DEFAULT_APP_ROLE)))
                    .matches("benchmon schema [0-9a-f]{64} granted to benchmon_app \\((oid [0-9]+|no such role yet)\\)");
        }
        // Forget one repeatable file in Flyway's history behind the stamp's back: an open trusts the
        // stamp (Flyway does not run, so the file is not applied again) ...
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            st.execute("DELETE FROM benchmon_schema_history WHERE script = 'R__ingest_functions.sql'");
        }
        PGSimpleDataSource owner = new PGSimpleDataSource();
        owner.setURL(url);
        owner.setUser(TestDatabases.user());
        owner.setPassword(TestDatabases.password());
        assertThat(SchemaMigrations.apply(owner)).isZero();
        assertThat(historyRows(url, "R__ingest_functions.sql")).isZero();
        // ... while a stamp of other files (an upgrade) or of another role runs Flyway, which applies
        // what its history lacks, and stamps again.
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            st.execute("COMMENT ON TABLE benchmon_schema_history IS 'benchmon schema 0000 granted to benchmon_app'");
        }
        assertThat(SchemaMigrations.apply(owner)).isEqualTo(1);
        assertThat(historyRows(url, "R__ingest_functions.sql")).isEqualTo(1);
        Long appOid = SchemaMigrations.roleOid(owner, SchemaMigrations.DEFAULT_APP_ROLE);
        assertThat(SchemaMigrations.currentStamp(owner)).isEqualTo(SchemaMigrations.stamp(SchemaMigrations.DEFAULT_APP_ROLE, appOid));
        assertThat(SchemaMigrations.stamp("another_role", appOid)).isNotEqualTo(SchemaMigrations.currentStamp(owner));
    }

    @Test
    void a_role_created_after_the_last_migrate_is_granted_at_the_next_open() throws SQLException {
        String url = TestDatabases.freshDatabaseUrl();
        String role = "benchmon_later_" + Long.toHexString(System.nanoTime());
        PGSimpleDataSource owner = new PGSimpleDataSource();
        owner.setURL(url);
        owner.setUser(TestDatabases.user());
        owner.setPassword(TestDatabases.password());
        SchemaMigrations.apply(owner, role); // the role does not exist yet: nothing to grant to
        assertThat(SchemaMigrations.currentStamp(owner)).endsWith("granted to " + role + " (no such role yet)");
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role);
            try {
                SchemaMigrations.apply(owner, role); // the stamp no longer matches: Flyway runs and grants
                try (ResultSet rs = st.executeQuery("SELECT has_table_privilege('" + role + "', 'benchmark_transactions', 'SELECT')")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).isTrue();
                }
                assertThat(SchemaMigrations.currentStamp(owner)).endsWith("granted to " + role + " (oid "
                        + SchemaMigrations.roleOid(owner, role) + ")");
            } finally {
                st.execute("DROP OWNED BY " + role);
                st.execute("DROP ROLE " + role);
            }
        }
    }

    @Test
    void the_files_fingerprint_covers_every_migration_file_by_name_and_content() throws IOException {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // Computed independently from sql/migrations, the files the jar is built from.
        try (var files = Files.list(SQL)) {
            for (Path f : files.sorted().toList()) {
                byte[] bytes = Files.readAllBytes(f);
                sha.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Long.toString(bytes.length).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(bytes);
            }
        }
        assertThat(SchemaMigrations.filesFingerprint()).isEqualTo(java.util.HexFormat.of().formatHex(sha.digest()));
    }

    private static int historyRows(String url, String script) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM benchmon_schema_history WHERE script = '" + script + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void the_psql_script_includes_every_migration_file_versions_in_order() throws IOException {
        // A psql user's schema (README: psql -f sql/schema_benchmark_monitoring.sql) must be the one Flyway builds:
        // a version left out there breaks the repeatable files that use it only when their functions first run.
        List<String> included = Files.readAllLines(SQL.resolveSibling("schema_benchmark_monitoring.sql")).stream()
                .filter(line -> line.startsWith("\\ir migrations/"))
                .map(line -> line.substring("\\ir migrations/".length()).trim()).toList();
        List<String> files;
        try (var listing = Files.list(SQL)) {
            files = listing.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".sql")).toList();
        }
        assertThat(included).containsExactlyInAnyOrderElementsOf(files);
        List<Integer> versions = included.stream().filter(n -> n.matches("V\\d+__.*"))
                .map(n -> Integer.parseInt(n.replaceAll("^V(\\d+)__.*", "$1"))).toList();
        assertThat(versions).isSorted();
        // its mark, which an app login checks on a schema applied by hand, names the last version it applies
        assertThat(Files.readString(SQL.resolveSibling("schema_benchmark_monitoring.sql")))
                .contains("COMMENT ON TABLE benchmark_log IS 'benchmon schema applied by hand through V"
                        + versions.get(versions.size() - 1) + "';");
    }

    /** Runs sql/schema_benchmark_monitoring.sql as psql would: its included files and its own statements, in order. */
    private static void applyByHand(Statement st) throws IOException, SQLException {
        for (String line : Files.readAllLines(SQL.resolveSibling("schema_benchmark_monitoring.sql"))) {
            if (line.startsWith("\\ir migrations/")) {
                st.execute(Files.readString(SQL.resolve(line.substring("\\ir migrations/".length()).trim())));
            } else if (!line.isBlank() && !line.startsWith("--")) {
                st.execute(line);
            }
        }
    }

    @Test
    void an_app_login_runs_on_a_schema_applied_by_hand_and_says_what_is_missing_when_it_cannot() throws Exception {
        withAppRole("bm_byhand_", (url, app, st) -> {
            // as docs/SETUP.md: PGOPTIONS='-c benchmon.app_role=APP' psql "$OWNER_URL" -f sql/schema_benchmark_monitoring.sql
            st.execute("SELECT set_config('benchmon.app_role', '" + app + "', false)");
            applyByHand(st);
            try (Benchmon bm = Benchmon.connect(url, app, "app-password")) {
                bm.record(Results.result("by-hand-app", "d", 1, 0.9, 100));
                assertThat(bm.models()).containsExactly("by-hand-app");
                assertThat(bm.database().loginCanRewriteHistory()).isFalse();
            }
            assertThat(historyTableExists(url)).as("the app login created no Flyway history").isFalse();

            st.execute("COMMENT ON TABLE benchmark_log IS 'benchmon schema applied by hand through V1'");
            assertThatThrownBy(() -> Benchmon.connect(url, app, "app-password"))
                    .hasMessageContaining("applied by hand").hasMessageContaining("at version 1, older")
                    .hasMessageContaining("BENCHMON_DB_OWNER_USER");
            st.execute("COMMENT ON TABLE benchmark_log IS NULL"); // a script from before the mark
            assertThatThrownBy(() -> Benchmon.connect(url, app, "app-password"))
                    .hasMessageContaining("applied by hand").hasMessageContaining("BENCHMON_DB_OWNER_USER");
        });
    }

    @Test
    void an_app_login_opened_while_the_owner_sets_the_schema_up_waits_for_it_and_then_opens() throws Exception {
        withAppRole("bm_waits_", (url, app, st) -> {
            // The owner's setup, as SchemaMigrations.apply holds it: the setup lock, then the schema (here by hand).
            st.execute("SELECT pg_advisory_lock(" + 0x62656e63 + ", 1)");
            java.util.concurrent.CompletableFuture<Benchmon> opening = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> Benchmon.connect(url, app, "app-password"));
            Thread.sleep(1_500);
            assertThat(opening).as("the app login waits for the setup instead of refusing a database without "
                    + "a schema").isNotDone();

            st.execute("SELECT set_config('benchmon.app_role', '" + app + "', false)");
            applyByHand(st);
            st.execute("SELECT pg_advisory_unlock(" + 0x62656e63 + ", 1)");

            try (Benchmon bm = opening.get(60, java.util.concurrent.TimeUnit.SECONDS)) {
                bm.record(Results.result("opened-after-setup", "d", 1, 0.9, 100));
                assertThat(bm.models()).containsExactly("opened-after-setup");
            }
        });
    }

    /** What a test does with its own database ({@code url}), login role ({@code app}) and the owner's statement. */
    private interface OnAppRole {
        void run(String url, String app, Statement owner) throws Exception;
    }

    /**
     * Runs {@code body} on a fresh database with a login role of its own named {@code prefix} and a unique suffix
     * (password {@code app-password}), then drops the role and what it owns once its sessions have ended.
     */
    private static void withAppRole(String prefix, OnAppRole body) throws Exception {
        String url = TestDatabases.freshDatabaseUrl();
        String app = prefix + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + app + " LOGIN PASSWORD 'app-password'");
            try {
                body.run(url, app, st);
            } finally {
                awaitNoSessionsOf(st, app);
                st.execute("DROP OWNED BY " + app);
                st.execute("DROP ROLE " + app);
            }
        }
    }

    /**
     * Waits until the sessions of {@code role} have ended: a closed pool's backends exit after close returns, each
     * dropping its session's staging table, and a DROP OWNED BY meanwhile failed with "cache lookup failed for
     * relation" (PostgreSQL 15, the external-database run).
     */
    private static void awaitNoSessionsOf(Statement st, String role) throws SQLException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + role + "'")) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    return;
                }
            }
            Thread.sleep(50);
        }
    }

    @Test
    void a_schema_a_newer_benchmon_migrated_is_refused_and_left_as_it_is() throws SQLException {
        String url = TestDatabases.freshDatabaseUrl();
        TestDatabases.freshLeastPrivilege(url).close();
        String app;
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            // what a newer benchmon leaves: a version these files lack, and its own files' stamp
            st.execute("""
                    INSERT INTO benchmon_schema_history (installed_rank, version, description, type, script, checksum,
                                                         installed_by, execution_time, success)
                    SELECT max(installed_rank) + 1, '999', 'from a newer benchmon', 'SQL', 'V999__newer.sql', 0,
                           current_user, 0, true FROM benchmon_schema_history""");
            st.execute("COMMENT ON TABLE benchmon_schema_history IS 'benchmon schema "
                    + "1111111111111111111111111111111111111111111111111111111111111111 granted to benchmon_app'");
            try (ResultSet rs = st.executeQuery("SELECT grantee FROM information_schema.role_table_grants "
                    + "WHERE table_name = 'benchmark_snapshots' AND grantee LIKE 'bm_app_%'")) {
                rs.next();
                app = rs.getString(1);
            }
        }
        int before = historyCount(url);
        // the owner (here the test's superuser) would migrate: it is refused before Flyway applies anything
        assertThatThrownBy(() -> Benchmon.connect(url, TestDatabases.user(), TestDatabases.password()))
                .hasMessageContaining("at version 999, newer than this benchmon's").hasMessageContaining("Upgrade benchmon");
        assertThat(historyCount(url)).isEqualTo(before);
        // an app login, which only checks, is refused the same way
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            st.execute("ALTER ROLE " + app + " PASSWORD 'app-password'");
        }
        assertThatThrownBy(() -> Benchmon.connect(url, app, "app-password"))
                .hasMessageContaining("at version 999, newer than this benchmon's");
    }

    private static boolean historyTableExists(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement(); var rs = st.executeQuery("SELECT to_regclass('benchmon_schema_history') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static int historyCount(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM benchmon_schema_history")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void a_schema_applied_by_hand_from_the_sql_files_is_adopted_without_reapplying_version_1()
            throws IOException, SQLException {
        String url = TestDatabases.freshDatabaseUrl();
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            applyByHand(st);
            st.execute("SELECT * FROM upsert_benchmark_result(p_model_version => 'by-hand', p_dataset_version => 'd', "
                    + "p_metrics => '{\"f1\": 0.5}')");
        }
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
            assertThat(bm.models()).containsExactly("by-hand");
        }
    }

    @Test
    void a_fresh_install_an_upgrade_from_v31_and_the_psql_script_all_end_with_the_log_partition_function_of_its_repeatable_file()
            throws IOException, SQLException {
        // V13 defined it and V30 copied it whole to change it; the repeatable file replaces both, wherever a database starts.
        String file = Files.readString(SQL.resolve("R__log_partitions.sql"));
        String body = file.substring(file.indexOf("$$") + 2, file.lastIndexOf("$$"));
        String definition = "SELECT prosrc FROM pg_proc WHERE oid = 'benchmon_ensure_log_partitions(timestamptz[], integer)'::regprocedure";

        String fresh = TestDatabases.freshDatabaseUrl();
        OldSchemas.upgrade(fresh);
        String upgraded = OldSchemas.upgraded(31, st -> { });
        String byHand = TestDatabases.freshDatabaseUrl();
        try (Connection c = DriverManager.getConnection(byHand, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            applyByHand(st);
        }

        // The bodies of V30 and of the file are the same text, so the body alone cannot tell which ran last: the
        // file's COMMENT (which no V file sets) and, where Flyway migrated, its entry in the history must be there too.
        String mark = "SELECT coalesce(obj_description('benchmon_ensure_log_partitions(timestamptz[], integer)'::regprocedure,"
                + " 'pg_proc'), 'no comment')";
        String applied = "SELECT count(*)::text FROM " + SchemaMigrations.HISTORY_TABLE
                + " WHERE script = 'R__log_partitions.sql' AND success";
        for (String url : List.of(fresh, upgraded, byHand)) {
            assertThat(OldSchemas.rows(url, definition)).containsExactly(body);
            assertThat(OldSchemas.rows(url, mark)).as(url).containsExactly("benchmon: defined by R__log_partitions.sql");
        }
        assertThat(OldSchemas.rows(fresh, applied)).containsExactly("1");
        assertThat(OldSchemas.rows(upgraded, applied)).containsExactly("1");
    }

    @Test
    void running_the_alert_functions_file_again_replaces_its_functions_in_place_instead_of_dropping_them()
            throws IOException, SQLException {
        // Only an old form of a function is dropped; the current one is replaced, keeping its identity (and grants).
        String url = TestDatabases.freshDatabaseUrl();
        OldSchemas.upgrade(url);
        String oids = "SELECT 'alert_newest_run_after(integer, bigint, timestamptz, text)'::regprocedure::oid || ' '"
                + " || (SELECT string_agg(oid::text, ' ' ORDER BY oid) FROM pg_proc"
                + " WHERE proname IN ('mute_series', 'unmute_series', 'alert_unmute', 'alert_set_state',"
                + " 'alert_record_findings', 'alert_resolve_replaced_attempts'))";
        List<String> before = OldSchemas.rows(url, oids);

        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            st.execute(Files.readString(SQL.resolve("R__alert_functions.sql")));
        }

        assertThat(OldSchemas.rows(url, oids)).isEqualTo(before);
    }

    @Test
    void a_version_1_database_with_data_is_upgraded_in_place_and_its_series_get_ids() throws SQLException {
        String url = TestDatabases.freshDatabaseUrl();
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            st.execute(Files.readString(SQL.resolve("V1__benchmark_tables.sql")));
            st.execute("""
                    INSERT INTO benchmark_transactions (idempotency_key, model_version, dataset_version, metrics, run_at)
                    VALUES ('k1', 'old-model', 'd', '{"f1": 0.8}', '2026-01-01T00:00:00Z')""");
            st.execute("""
                    INSERT INTO benchmark_snapshots (model_version, dataset_version, prompt_version, environment,
                        metrics, transaction_id, run_at, run_count, first_seen, last_seen)
                    SELECT model_version, dataset_version, prompt_version, environment, metrics, id, run_at, 1,
                           run_at, run_at FROM benchmark_transactions""");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
            assertThat(bm.history(dev.benchmon.Filter.all()).rowCount()).isEqualTo(1);
            bm.record(Results.result("new-model", "d", 1, 0.9, 100));
            List<String> series = bm.jdbi().withHandle(h -> h.createQuery(
                    "SELECT model_version FROM series ORDER BY id").mapTo(String.class).list());
            assertThat(series).containsExactly("old-model", "new-model");
        }
    }

    @Test
    void a_database_holding_other_tables_gets_the_full_schema() throws SQLException {
        String url = TestDatabases.freshDatabaseUrl();
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE someone_elses_table (id int)");
        }
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
            bm.record(Results.result("m", "d", 1, 0.9, 100));
            assertThat(bm.models()).containsExactly("m");
        }
    }

    private static int migrationFiles() {
        try (var files = Files.list(SQL)) {
            return (int) files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("(V\\d+|R)__.*\\.sql")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
