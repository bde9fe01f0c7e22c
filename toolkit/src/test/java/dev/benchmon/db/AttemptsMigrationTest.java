package dev.benchmon.db;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** V4 (attempts) carries a version 3 database with data forward: old rows stay visible, each its own run. */
class AttemptsMigrationTest {
    @Test
    void a_version_3_database_with_data_is_upgraded_and_its_rows_stay_attempt_one_and_visible() throws SQLException, IOException {
        String url = OldSchemas.databaseAt(3, st -> {
            // Two rows of one CI run (a re-run before attempts existed) and one without a run id.
            st.execute("""
                    INSERT INTO benchmark_transactions (idempotency_key, model_version, dataset_version, metrics, run_at, run_id)
                    VALUES ('k1', 'old', 'd', '{"f1": 0.5}', '2026-01-01T00:00:00Z', 'gh-1'),
                           ('k2', 'old', 'd', '{"f1": 0.9}', '2026-01-01T01:00:00Z', 'gh-1'),
                           ('k3', 'old', 'd', '{"f1": 0.7}', '2026-01-02T00:00:00Z', NULL)""");
            st.execute("""
                    INSERT INTO benchmark_snapshots (model_version, dataset_version, prompt_version, environment,
                        metrics, transaction_id, run_at, run_count, first_seen, last_seen)
                    SELECT model_version, dataset_version, prompt_version, environment, metrics, id, run_at, 3,
                           '2026-01-01T00:00:00Z', run_at FROM benchmark_transactions WHERE idempotency_key = 'k3'""");
        });
        try (Benchmon bm = OldSchemas.open(url)) {
            List<String> rows = bm.jdbi().withHandle(h -> h.createQuery(
                    """
                    SELECT k || ':' || attempt || ':' || coalesce(run_key::text, '-')
                    FROM benchmark_transactions t, unnest(ARRAY['k1', 'k2', 'k3']) k
                    WHERE t.idempotency_key = benchmark_key_uuid(k)::text ORDER BY id""")
                    .mapTo(String.class).list());
            assertThat(rows).containsExactly("k1:1:-", "k2:1:-", "k3:1:-");
            assertThat(bm.history(Filter.model("old")).rowCount()).isEqualTo(3);
            // A new result of the same run id is the run's first attempt under the new scheme.
            bm.record(BenchmarkResult.builder("old", "d").runId("gh-1").metric("f1", 0.95).build());
            assertThat(bm.history(Filter.model("old")).rowCount()).isEqualTo(4);
        }
    }
}
