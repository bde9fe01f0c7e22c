package dev.benchmon.db;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.alert.AlertFilter;
import dev.benchmon.ingest.IdempotencyKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V13 (the log keyed by series id, partitioned by month, with hashed keys) carries a version 12
 * database with data forward: the same rows under the same ids answer the same SQL, old keys are
 * still recognised, and the log's months are partitions.
 */
class LogV2MigrationTest {
    /** The columns of the log as every version showed them, in the order a report reads them. */
    private static final String ROWS = """
            SELECT id, model_version, dataset_version, prompt_version, environment, metrics::text, run_at,
                   commit_sha, run_id, notes, attempt, coalesce(run_key::text, '-')
            FROM benchmark_transactions WHERE model_version IN ('m1', 'm2') ORDER BY id""";
    private static final String CURRENT = "SELECT id FROM benchmark_results_current WHERE model_version IN ('m1', 'm2') ORDER BY id";
    private static final String LATEST = """
            SELECT model_version, dataset_version, transaction_id, run_count, metrics::text, commit_sha
            FROM v_latest_benchmarks WHERE model_version IN ('m1', 'm2') ORDER BY 1, 2""";

    private static final Instant NOW = Instant.now();

    private static String url;
    private static List<String> rowsBefore;
    private static List<String> currentBefore;
    private static List<String> latestBefore;

    @BeforeAll
    static void aVersion12DatabaseWithDataIsUpgraded() throws IOException, SQLException {
        url = OldSchemas.databaseAt(12, st -> {
            // Three months of two series, a CI re-run (two attempts of one run), a note, a UUID key.
            st.execute("""
                    INSERT INTO benchmark_transactions (idempotency_key, model_version, dataset_version, environment,
                                                        metrics, run_at, commit_sha, run_id, notes, run_key, attempt)
                    VALUES ('sha256:aa', 'm1', 'd', 'ci', '{"f1": 0.81, "latency_ms": 120}', '2026-08-30T10:00:00Z', 'c1', NULL, NULL, NULL, 1),
                           ('sha256:bb', 'm1', 'd', 'ci', '{"f1": 0.82, "latency_ms": 118}', '2026-09-02T10:00:00Z', 'c2', 'gh-7', NULL, '00000000-0000-0000-0000-000000000007', 1),
                           ('sha256:cc', 'm1', 'd', 'ci', '{"f1": 0.84, "latency_ms": 117}', '2026-09-02T11:00:00Z', 'c2', 'gh-7', NULL, '00000000-0000-0000-0000-000000000007', 2),
                           ('4B9D5C1E-2F3A-4B5C-8D6E-7F8091A2B3C4', 'm2', 'd', 'ci', '{"f1": 0.70}', '2026-10-15T09:00:00Z', 'c3', NULL, 'new tokenizer', NULL, 1),
                           ('content:sha256:dd', 'm2', 'd', 'ci', '{"f1": 0.72}', '2026-10-16T09:00:00Z', 'c4', NULL, NULL, NULL, 1)""");
            st.execute("""
                    INSERT INTO benchmark_snapshots (model_version, dataset_version, prompt_version, environment, metrics,
                                                     transaction_id, run_at, run_count, first_seen, last_seen)
                    SELECT DISTINCT ON (model_version, dataset_version) model_version, dataset_version, prompt_version,
                           environment, metrics, id, run_at,
                           count(*) OVER (PARTITION BY model_version, dataset_version), run_at, run_at
                    FROM benchmark_transactions ORDER BY model_version, dataset_version, run_at DESC""");
            st.execute("INSERT INTO series (model_version, dataset_version, prompt_version, environment) "
                    + "SELECT DISTINCT model_version, dataset_version, prompt_version, environment FROM benchmark_transactions "
                    + "ON CONFLICT DO NOTHING");
            st.execute("""
                    INSERT INTO alerts (series_id, metric, kind, transaction_id, last_transaction_id, verdict, state)
                    SELECT s.id, 'f1', 'regression', t.id, t.id, 'f1 0.72 below baseline', 'open'
                    FROM series s JOIN benchmark_transactions t ON t.model_version = s.model_version
                    WHERE t.idempotency_key = 'content:sha256:dd'""");
            st.execute("CREATE OR REPLACE VIEW benchmark_results_current AS SELECT t.* FROM benchmark_transactions t "
                    + "WHERE t.run_key IS NULL OR NOT EXISTS (SELECT 1 FROM benchmark_transactions n "
                    + "WHERE n.run_key = t.run_key AND n.attempt > t.attempt)");
            st.execute("CREATE OR REPLACE VIEW v_latest_benchmarks AS SELECT s.model_version, s.dataset_version, "
                    + "s.transaction_id, s.run_count, s.metrics, t.commit_sha FROM benchmark_snapshots s "
                    + "JOIN benchmark_transactions t ON t.id = s.transaction_id");
            rowsBefore = OldSchemas.rows(st, ROWS);
            currentBefore = OldSchemas.rows(st, CURRENT);
            latestBefore = OldSchemas.rows(st, LATEST);
        });
        try (Benchmon bm = OldSchemas.open(url)) {
            assertThat(bm.models()).containsExactly("m1", "m2");
        }
    }

    private static List<String> rowsNow(String sql) throws SQLException {
        return OldSchemas.rows(url, sql);
    }

    @Test
    void every_row_keeps_its_id_series_metrics_and_context() throws SQLException {
        assertThat(rowsNow(ROWS)).containsExactlyElementsOf(rowsBefore);
    }

    @Test
    void superseded_attempts_and_latest_results_read_as_before() throws SQLException {
        assertThat(rowsNow(CURRENT)).containsExactlyElementsOf(currentBefore);
        // The old writer counted every result; V22 counts runs, so m1's re-run (two attempts of gh-7) counts once.
        assertThat(latestBefore).first().asString().startsWith("m1 | d | 3 | 3 |");
        assertThat(rowsNow(LATEST)).containsExactlyElementsOf(latestBefore.stream()
                .map(r -> r.replace("m1 | d | 3 | 3 |", "m1 | d | 3 | 2 |")).toList());
    }

    @Test
    void each_month_of_the_log_is_a_partition() throws SQLException {
        assertThat(rowsNow("""
                SELECT c.relname || ' ' || count(l.id) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                LEFT JOIN benchmark_log l ON l.tableoid = c.oid
                WHERE i.inhparent = 'benchmark_log'::regclass GROUP BY c.relname ORDER BY 1""")).containsExactly(
                "benchmark_log_y2026m08 1", "benchmark_log_y2026m09 2", "benchmark_log_y2026m10 2");
    }

    @Test
    void keys_are_stored_as_uuids_and_a_uuid_key_stays_itself() throws SQLException {
        assertThat(rowsNow("SELECT idempotency_key FROM benchmark_transactions WHERE model_version = 'm2' ORDER BY id"))
                .containsExactly("4b9d5c1e-2f3a-4b5c-8d6e-7f8091a2b3c4", IdempotencyKeys.storedForm("content:sha256:dd"));
        assertThat(rowsNow("SELECT pg_typeof(idempotency_key)::text FROM benchmark_log LIMIT 1")).containsExactly("uuid");
    }

    @Test
    void the_toolkit_and_the_database_store_a_key_the_same_way() throws SQLException {
        for (String key : List.of("sha256:aa", "content:sha256:dd", "gh-123/attempt-2", "ключ ✓",
                "4B9D5C1E-2F3A-4B5C-8D6E-7F8091A2B3C4", "4b9d5c1e-2f3a-4b5c-8d6e-7f8091a2b3c")) {
            assertThat(rowsNow("SELECT benchmark_key_uuid('" + key + "')::text")).as(key)
                    .containsExactly(IdempotencyKeys.storedForm(key));
        }
    }

    @Test
    void a_result_sent_again_after_the_upgrade_is_recognised_as_already_stored() throws SQLException {
        try (Benchmon bm = OldSchemas.open(url)) {
            var outcome = bm.recordAll(List.of(BenchmarkResult.builder("m1", "d").environment("ci").idempotencyKey("sha256:aa")
                    .runAt(Instant.parse("2026-08-30T10:00:00Z")).metric("f1", 0.81).metric("latency_ms", 120).build()));
            assertThat(outcome.get(0).created()).isFalse();
            assertThat(outcome.get(0).transactionId()).isEqualTo(Long.parseLong(rowsBefore.get(0).split(" \\| ")[0]));
            // Three rows of m1, one of them an attempt its re-run superseded.
            assertThat(bm.history(Filter.model("m1")).rowCount()).isEqualTo(2);
        }
    }

    @Test
    void an_alert_still_leads_to_its_run() throws SQLException {
        try (Benchmon bm = OldSchemas.open(url)) {
            long run = Long.parseLong(rowsBefore.get(4).split(" \\| ")[0]);
            assertThat(bm.alertBook().list(AlertFilter.all())).singleElement()
                    .satisfies(a -> assertThat(a.transactionId()).isEqualTo(run))
                    .satisfies(a -> assertThat(a.modelVersion()).isEqualTo("m2"));
        }
    }

    @Test
    void new_results_get_ids_after_the_carried_ones_and_land_in_their_month() throws SQLException {
        String month = java.time.format.DateTimeFormatter.ofPattern("'benchmark_log_y'yyyy'm'MM")
                .withZone(java.time.ZoneOffset.UTC).format(NOW);
        long before = Long.parseLong(rowsNow("SELECT count(*) FROM benchmark_log WHERE tableoid = to_regclass('" + month + "')").get(0));
        try (Benchmon bm = OldSchemas.open(url)) {
            var outcome = bm.recordAll(List.of(BenchmarkResult.builder("m3", "d").runAt(NOW).metric("f1", 0.9).build()));
            assertThat(outcome.get(0).created()).isTrue();
            assertThat(outcome.get(0).transactionId()).isGreaterThan(5);
        }
        assertThat(rowsNow("SELECT count(*) FROM " + month)).containsExactly(String.valueOf(before + 1));
    }
}
