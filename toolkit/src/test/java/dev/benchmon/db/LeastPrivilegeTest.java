package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.MetricDirection;
import dev.benchmon.support.TempDirs;
import dev.benchmon.support.TestDatabases;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.benchmon.support.Results.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The login the server and the toolkit run as cannot rewrite history: every bypass of issue 12 is
 * tried as that login, on a database set up with an owner and an app login (the hosted way) and on
 * the embedded database, and each must be refused by PostgreSQL while recording still works.
 */
class LeastPrivilegeTest {
    private static Path home;
    private static Benchmon embedded;
    private static Benchmon hosted;

    @BeforeAll
    static void open() throws Exception {
        home = Files.createTempDirectory("benchmon-privilege");
        embedded = Benchmon.open(Map.of("BENCHMON_HOME", home.toString()));
        hosted = TestDatabases.freshLeastPrivilege();
        for (Benchmon bm : List.of(embedded, hosted)) {
            bm.record(result("m", "d", 1, 0.9, 100));
        }
    }

    @AfterAll
    static void close() {
        hosted.close();
        embedded.close();
        TempDirs.deleteQuietly(home);
    }

    static Stream<Arguments> bypasses() {
        List<String> sql = List.of(
                "ALTER TABLE benchmark_log DISABLE TRIGGER USER",
                "ALTER TABLE benchmark_log DISABLE TRIGGER ALL",
                "CREATE OR REPLACE FUNCTION benchmon_reject_change() RETURNS trigger "
                        + "LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$",
                "DROP TRIGGER benchmark_log_no_update_delete ON benchmark_log",
                "SET session_replication_role = replica",
                "UPDATE benchmark_log SET notes = 'forged'",
                "DELETE FROM benchmark_log",
                "TRUNCATE benchmark_log CASCADE",
                "INSERT INTO benchmark_log (series_id, run_at, idempotency_key, metrics) "
                        + "SELECT id, now(), gen_random_uuid(), '{\"f1\": 1}' FROM series LIMIT 1",
                "INSERT INTO benchmark_result_keys VALUES (gen_random_uuid(), 1)",
                "DELETE FROM benchmark_result_keys",
                "UPDATE benchmark_transactions SET notes = 'forged'",
                "DELETE FROM benchmark_transactions",
                "TRUNCATE benchmark_transactions CASCADE",
                "INSERT INTO benchmark_transactions (idempotency_key, model_version, dataset_version, metrics) "
                        + "VALUES ('forged', 'm', 'd', '{\"f1\": 1}')",
                "SELECT benchmon_ensure_log_partitions(ARRAY['1990-01-01T00:00:00Z'::timestamptz])",
                "UPDATE benchmark_snapshots SET metrics = '{\"f1\": 1}'",
                "INSERT INTO benchmark_snapshots SELECT * FROM benchmark_snapshots",
                "DELETE FROM benchmark_snapshots",
                "UPDATE metric_definitions SET direction = 'lower_is_better' WHERE name = 'f1'",
                "INSERT INTO metric_definitions (name, direction) VALUES ('forged', 'none')",
                "DELETE FROM metric_definitions",
                "UPDATE series SET model_version = 'forged'",
                "UPDATE metric_definition_changes SET changed_by = 'someone else'",
                "UPDATE benchmon_schema_history SET checksum = 0",
                "DELETE FROM benchmon_schema_history",
                "INSERT INTO benchmon_schema_history SELECT * FROM benchmon_schema_history LIMIT 1",
                "ALTER FUNCTION upsert_benchmark_results(jsonb) SECURITY INVOKER",
                "ALTER FUNCTION upsert_benchmark_results(jsonb) RESET search_path",
                "CREATE TABLE public.planted (id int)",
                // Owner's maintenance: each locks the whole log against writes and rewrites a derived table.
                "SELECT rebuild_benchmark_rollups()",
                "SELECT rebuild_benchmark_latest_attempts()");
        return Stream.of("embedded", "hosted").flatMap(db -> sql.stream().map(s -> Arguments.of(db, s)));
    }

    private static Benchmon db(String name) {
        return name.equals("embedded") ? embedded : hosted;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("bypasses")
    void the_app_login_is_refused_every_way_around_the_write_functions(String database, String sql) {
        Benchmon bm = db(database);
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute(sql)))
                // The view the queries read refuses writes before privileges are even checked.
                .hasMessageMatching("(?s).*(permission denied|must be owner|must be superuser|append-only"
                        + "|cannot (update|delete from|insert into) view|is not a table).*");
        assertThat(bm.history(Filter.all()).rowCount()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void an_embedded_home_from_before_least_privilege_is_upgraded_on_open() throws Exception {
        Path oldHome = Files.createTempDirectory("benchmon-old-home");
        try {
            // A home as the previous version left it: the schema of V1-V3 with a result, owned by
            // the superuser, no app login, no owner file.
            Path sql = Path.of("..", "sql", "migrations");
            try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startOrAttach(oldHome.resolve("pgdata"));
                 var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(EmbeddedPostgresServer.DATABASE),
                         EmbeddedPostgresServer.USER, pg.password());
                 var st = c.createStatement()) {
                for (String file : List.of("V1__benchmark_tables.sql", "V2__result_uncertainty_and_metric_semantics.sql",
                        "V3__series.sql")) {
                    st.execute(Files.readString(sql.resolve(file)));
                }
                st.execute("INSERT INTO benchmark_transactions (idempotency_key, model_version, dataset_version, metrics) "
                        + "VALUES ('old', 'old-model', 'd', '{\"f1\": 0.7}')");
            }
            try (Benchmon bm = Benchmon.open(Map.of("BENCHMON_HOME", oldHome.toString()))) {
                assertThat(bm.database().settings().user()).isEqualTo(EmbeddedPostgresServer.APP_USER);
                assertThat(bm.database().loginCanRewriteHistory()).isFalse();
                assertThat(bm.history(Filter.all()).rowCount()).isEqualTo(1);
                bm.record(result("new-model", "d", 1, 0.9, 100));
                assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("DELETE FROM benchmark_log")))
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute(
                        "ALTER TABLE benchmark_log DISABLE TRIGGER USER"))).hasMessageContaining("must be owner");
            }
        } finally {
            TempDirs.deleteQuietly(oldHome);
        }
    }

    @Test
    void a_schema_every_login_may_create_in_as_before_postgresql_15_is_closed_to_the_app_login() throws Exception {
        String url = TestDatabases.freshDatabaseUrl();
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            st.execute("GRANT CREATE ON SCHEMA public TO PUBLIC"); // the default of PostgreSQL 14 and older
        }
        try (Benchmon bm = TestDatabases.freshLeastPrivilege(url)) {
            // A function planted where a SECURITY DEFINER function's pinned search_path finds it would run as the owner.
            assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute(
                    "CREATE FUNCTION public.planted(bigint) RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint'")))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void granting_itself_more_changes_nothing() {
        for (Benchmon bm : List.of(embedded, hosted)) {
            bm.jdbi().useHandle(h -> {
                h.execute("GRANT INSERT, UPDATE ON benchmark_transactions, benchmark_snapshots TO PUBLIC"); // a warning, no grant
                h.execute("SELECT benchmon_apply_privileges(session_user)"); // touches only what the caller owns: nothing
            });
            assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("UPDATE benchmark_snapshots SET run_count = 0")))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void the_app_login_is_neither_superuser_nor_owner() {
        for (Benchmon bm : List.of(embedded, hosted)) {
            assertThat(bm.database().loginCanRewriteHistory()).as(bm.toString()).isFalse();
            String login = bm.jdbi().withHandle(h -> h.createQuery("SELECT session_user").mapTo(String.class).one());
            assertThat(login).isNotEqualTo(TestDatabases.user()).isNotEqualTo("postgres");
        }
        assertThat(embedded.database().settings().user()).isEqualTo(EmbeddedPostgresServer.APP_USER);
    }

    @Test
    void a_staging_table_planted_by_the_app_login_is_refused_before_the_owner_touches_it() {
        for (Benchmon bm : List.of(embedded, hosted)) {
            bm.jdbi().useHandle(h -> {
                // The app may create TEMP tables; one named like the writer's staging table, with a trigger,
                // would run as the owner when the owner's functions fill or empty it. (DISCARD TEMP first: the
                // pooled session may already hold the real one, and any login may drop its session's TEMP tables.)
                h.execute("DISCARD TEMP");
                h.execute("""
                        CREATE TEMP TABLE benchmark_ingest_staging (ord int, idempotency_key text, model_version text,
                            dataset_version text, prompt_version text, model_provider text, environment text, metrics jsonb,
                            stderr jsonb, sample_sizes jsonb, run_at timestamptz, commit_sha text, branch text, run_id text,
                            triggered_by text, tags jsonb, notes text, metadata jsonb)""");
                h.execute("CREATE FUNCTION pg_temp.planted() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN CREATE TABLE public.planted_by_trigger (id int); RETURN NULL; END $$");
                h.execute("CREATE TRIGGER planted AFTER INSERT OR DELETE ON pg_temp.benchmark_ingest_staging "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.planted()");
                try {
                    assertThatThrownBy(() -> h.createQuery("SELECT count(*) FROM upsert_benchmark_results("
                            + "'[{\"model_version\": \"planted\", \"dataset_version\": \"d\", \"metrics\": {\"f1\": 1}}]')")
                            .mapTo(Long.class).one())
                            .hasMessageContaining("was not created by benchmon_open_staging");
                    assertThatThrownBy(() -> h.createQuery("SELECT count(*) FROM ingest_staged_results()").mapTo(Long.class).one())
                            .hasMessageContaining("was not created by benchmon_open_staging");
                } finally {
                    h.execute("DROP TABLE pg_temp.benchmark_ingest_staging");
                }
                assertThat(h.createQuery("SELECT to_regclass('public.planted_by_trigger') IS NULL").mapTo(Boolean.class).one())
                        .isTrue();
            });
            assertThat(bm.models()).doesNotContain("planted");
        }
    }

    @Test
    void recording_through_the_write_function_still_works_and_writes_the_real_tables() {
        for (Benchmon bm : List.of(embedded, hosted)) {
            bm.jdbi().useHandle(h -> {
                // A temporary table of the same name must not capture the write: the function's
                // search_path is pinned to benchmon's schema, then pg_temp.
                h.execute("CREATE TEMP TABLE benchmark_snapshots (LIKE public.benchmark_snapshots)");
                h.createQuery("SELECT count(*) FROM upsert_benchmark_result(p_model_version => 'via-function', "
                        + "p_dataset_version => 'd', p_metrics => '{\"f1\": 0.5}')").mapTo(Long.class).one();
                h.execute("DROP TABLE pg_temp.benchmark_snapshots");
            });
            assertThat(bm.models()).contains("via-function");
            assertThat(bm.latestSnapshots(Filter.model("via-function")).rowCount()).isEqualTo(1);
        }
    }

    @Test
    void a_definition_changes_only_through_define_metric_which_records_who_changed_what() {
        for (Benchmon bm : List.of(embedded, hosted)) {
            bm.defineMetric("toxicity", MetricDirection.LOWER_IS_BETTER, "ratio", "share of toxic answers");
            bm.defineMetric("toxicity", MetricDirection.NONE, "ratio", "tracked only");
            assertThat(bm.direction("toxicity")).isEqualTo(MetricDirection.NONE);
            List<Map<String, Object>> changes = bm.jdbi().withHandle((Handle h) -> h.createQuery("""
                    SELECT changed_by, database_user, old_definition ->> 'direction' AS old_direction,
                           new_definition ->> 'direction' AS new_direction
                    FROM metric_definition_changes WHERE name = 'toxicity' ORDER BY id""").mapToMap().list());
            assertThat(changes).hasSize(2);
            assertThat(changes.get(0).get("changed_by")).isEqualTo(System.getProperty("user.name"));
            assertThat(changes.get(0).get("database_user")).isEqualTo(bm.database().settings().user());
            assertThat(changes.get(0).get("old_direction")).isNull();
            assertThat(changes.get(1).get("old_direction")).isEqualTo("lower_is_better");
            assertThat(changes.get(1).get("new_direction")).isEqualTo("none");
        }
    }
}
