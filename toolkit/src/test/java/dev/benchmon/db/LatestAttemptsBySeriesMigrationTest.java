package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import dev.benchmon.support.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V21 gives each re-run's latest attempt the series of its run: a version 20 database's re-runs get theirs from the
 * log, a latest attempt whose rows are gone is dropped, and the upgraded history still leaves the superseded attempt
 * out. Each test upgrades a database of its own.
 */
class LatestAttemptsBySeriesMigrationTest {
    private static final String RUN_KEY = "6f1c0d3e-95a8-4f5e-9d7c-2b1a0e4c8f11";
    /** A latest attempt with no rows in the log (its month detached, say). */
    private static final String ORPHAN_KEY = "0b9d4c2e-1f3a-4e6b-8c7d-5a2f1e0d9c33";
    private static final String LATEST_ATTEMPTS = "SELECT run_key, attempt, series_id FROM benchmark_latest_attempts";

    /**
     * A version 20 database: series m1 / d @ci with run RUN_KEY tried twice (0.5, then 0.9), its snapshot, and the
     * latest attempts of RUN_KEY and ORPHAN_KEY, as that release left them.
     */
    private static String version20Database() throws IOException, SQLException {
        return OldSchemas.databaseAt(20, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, metrics, run_key, attempt)
                    VALUES (11, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '{"f1": 0.5}', '%1$s', 1),
                           (12, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '{"f1": 0.9}', '%1$s', 2)""".formatted(RUN_KEY));
            st.execute("INSERT INTO benchmark_latest_attempts (run_key, attempt) VALUES ('" + RUN_KEY + "', 2), ('"
                    + ORPHAN_KEY + "', 3)");
            st.execute("""
                    INSERT INTO benchmark_snapshots (model_version, dataset_version, prompt_version, environment, metrics,
                                                     transaction_id, run_at, run_count, first_seen, last_seen)
                    VALUES ('m1', 'd', '', 'ci', '{"f1": 0.9}', 12, '2026-03-01T08:00:00Z', 1, '2026-03-01T08:00:00Z',
                            '2026-03-01T08:00:00Z')""");
        });
    }

    @Test
    void v21_gives_each_rerun_the_series_of_its_run_drops_one_without_rows_and_can_run_twice() throws IOException, SQLException {
        String url = version20Database();
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            OldSchemas.applyVersion(st, 21); // alone: the upgrade's later rebuild of the table would hide a wrong backfill
            assertThat(OldSchemas.rows(st, LATEST_ATTEMPTS)).containsExactly(RUN_KEY + " | 2 | 1");
            OldSchemas.applyVersion(st, 21);
            assertThat(OldSchemas.rows(st, LATEST_ATTEMPTS)).containsExactly(RUN_KEY + " | 2 | 1");
        }
    }

    @Test
    void the_upgraded_history_still_leaves_the_superseded_attempt_out() throws IOException, SQLException {
        String url = version20Database();
        OldSchemas.upgrade(url);
        try (Benchmon bm = OldSchemas.open(url)) {
            Filter series = Filter.model("m1").withDatasets("d").withPrompts("").withEnvironments("ci");
            assertThat(bm.history(series).doubleColumn("f1").asList()).containsExactly(0.9);
            assertThat(bm.history(Filter.model("m1")).doubleColumn("f1").asList()).containsExactly(0.9);
        }
        assertThat(OldSchemas.rows(url, LATEST_ATTEMPTS)).containsExactly(RUN_KEY + " | 2 | 1");
    }
}
