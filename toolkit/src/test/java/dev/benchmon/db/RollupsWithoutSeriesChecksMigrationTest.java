package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V18 drops the daily rollups' foreign keys to the series (derived rows, written only from log rows whose own
 * foreign key checked the series): a version 17 database keeps its rollups, and the writer still folds new
 * results into them.
 */
class RollupsWithoutSeriesChecksMigrationTest {
    private static final String CELL = """
            SELECT r.day, r.n, r.sum, r.min, r.max, r.last_value FROM benchmark_rollups_daily r
            JOIN metric_names m ON m.id = r.metric_id WHERE r.series_id = 1 AND m.name = 'f1'""";

    private static String url;

    @BeforeAll
    static void aVersion17DatabaseWithRollupsIsUpgraded() throws IOException, SQLException {
        url = OldSchemas.upgraded(17, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            // One result of 2026-03-01 as a version 17 writer left it: its log row, rollup cell and runs count.
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, metrics)
                    VALUES (11, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '{"f1": 0.8}')""");
            st.execute("INSERT INTO metric_names (name) VALUES ('f1')");
            st.execute("""
                    INSERT INTO benchmark_rollups_daily (series_id, metric_id, day, n, sum, sum_sq_dev, min, max,
                                                         last_run_at, last_transaction_id, last_value)
                    SELECT 1, id, '2026-03-01', 1, 0.8, 0, 0.8, 0.8, '2026-03-01T08:00:00Z', 11, 0.8
                    FROM metric_names WHERE name = 'f1'""");
            st.execute("INSERT INTO benchmark_runs_daily (series_id, day, runs) VALUES (1, '2026-03-01', 1)");
        });
    }

    @Test
    void the_rollups_hold_no_foreign_key_to_the_series_after_the_upgrade() throws SQLException {
        assertThat(OldSchemas.rows(url, """
                SELECT conname FROM pg_constraint WHERE contype = 'f'
                AND conrelid IN ('benchmark_rollups_daily'::regclass, 'benchmark_runs_daily'::regclass)""")).isEmpty();
        assertThat(OldSchemas.rows(url, """
                SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = 'benchmark_log'::regclass"""))
                .as("the log still checks its series").hasSize(1);
    }

    @Test
    void the_old_cells_are_kept_and_a_new_result_of_the_same_day_merges_into_them() throws SQLException {
        try (Benchmon bm = OldSchemas.open(url)) {
            bm.record(BenchmarkResult.builder("m1", "d").environment("ci").runAt(Instant.parse("2026-03-01T20:00:00Z"))
                    .metric("f1", 0.9).build());
        }
        assertThat(OldSchemas.rows(url, CELL)).containsExactly("2026-03-01 | 2 | 1.7000000000000002 | 0.8 | 0.9 | 0.9");
        assertThat(OldSchemas.rows(url, "SELECT runs FROM benchmark_runs_daily WHERE series_id = 1 AND day = '2026-03-01'"))
                .containsExactly("2");
    }
}
