package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V21 gives each re-run's latest attempt the series of its run: a version 20 database's re-runs get theirs from the
 * log, and its history still leaves the superseded attempt out.
 */
class LatestAttemptsBySeriesMigrationTest {
    private static final String RUN_KEY = "6f1c0d3e-95a8-4f5e-9d7c-2b1a0e4c8f11";
    private static String url;

    /** A version 20 database: series m1 / d @ci with run RUN_KEY tried twice (0.5, then 0.9) and its snapshot, as that release left them. */
    @BeforeAll
    static void upgradedVersion20Database() throws IOException, SQLException {
        url = OldSchemas.databaseAt(20, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, metrics, run_key, attempt)
                    VALUES (11, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '{"f1": 0.5}', '%1$s', 1),
                           (12, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '{"f1": 0.9}', '%1$s', 2)""".formatted(RUN_KEY));
            st.execute("INSERT INTO benchmark_latest_attempts (run_key, attempt) VALUES ('" + RUN_KEY + "', 2)");
            st.execute("""
                    INSERT INTO benchmark_snapshots (model_version, dataset_version, prompt_version, environment, metrics,
                                                     transaction_id, run_at, run_count, first_seen, last_seen)
                    VALUES ('m1', 'd', '', 'ci', '{"f1": 0.9}', 12, '2026-03-01T08:00:00Z', 1, '2026-03-01T08:00:00Z',
                            '2026-03-01T08:00:00Z')""");
        });
        OldSchemas.upgrade(url);
    }

    @Test
    void each_old_rerun_gets_the_series_of_its_run() throws SQLException {
        assertThat(OldSchemas.rows(url, "SELECT run_key, attempt, series_id FROM benchmark_latest_attempts"))
                .containsExactly(RUN_KEY + " | 2 | 1");
    }

    @Test
    void the_history_of_the_series_still_leaves_the_superseded_attempt_out() {
        try (Benchmon bm = OldSchemas.open(url)) {
            Filter series = Filter.model("m1").withDatasets("d").withPrompts("").withEnvironments("ci");
            assertThat(bm.history(series).doubleColumn("f1").asList()).containsExactly(0.9);
            assertThat(bm.history(Filter.model("m1")).doubleColumn("f1").asList()).containsExactly(0.9);
        }
    }
}
