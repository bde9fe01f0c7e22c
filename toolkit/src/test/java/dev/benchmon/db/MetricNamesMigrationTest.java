package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * V16 (metric names interned in the daily rollups) carries a version 15 database's rollup cells forward: each
 * cell keeps its series, day and statistics under its metric's id, the trends read from them answer as before,
 * and cells written after the upgrade register their new names.
 */
class MetricNamesMigrationTest {
    private static final String CELLS = """
            SELECT s.model_version, mn.name, r.day, r.n, r.sum, r.min, r.max, r.last_value
            FROM benchmark_rollups_daily r JOIN series s ON s.id = r.series_id JOIN metric_names mn ON mn.id = r.metric_id
            WHERE s.model_version = 'm1' ORDER BY 1, 2, 3""";

    private static String url;

    @BeforeAll
    static void aVersion15DatabaseWithRollupsIsUpgraded() throws IOException, SQLException {
        url = OldSchemas.upgraded(15, st -> {
            OldSchemas.seriesM1(st);
            // Two days of f1 and one of latency_ms, named by text as version 15 kept them.
            st.execute("""
                    INSERT INTO benchmark_rollups_daily (series_id, metric, day, n, sum, sum_sq_dev, min, max, last_run_at,
                                                         last_transaction_id, last_value)
                    VALUES (1, 'f1', '2026-03-01', 2, 1.6, 0.005, 0.75, 0.85, '2026-03-01T20:00:00Z', 11, 0.85),
                           (1, 'f1', '2026-03-02', 1, 0.9, 0, 0.9, 0.9, '2026-03-02T08:00:00Z', 12, 0.9),
                           (1, 'latency_ms', '2026-03-01', 2, 250, 50, 120, 130, '2026-03-01T20:00:00Z', 11, 130)""");
            // The series' latest result, which makes its names known to queries.
            OldSchemas.snapshotM1(st, 12, 5);
        });
    }

    private static List<String> rows(String sql) throws SQLException {
        return OldSchemas.rows(url, sql);
    }

    @Test
    void every_cell_keeps_its_series_day_and_statistics_under_its_metrics_id() throws SQLException {
        assertThat(rows(CELLS)).containsExactly(
                "m1 | f1 | 2026-03-01 | 2 | 1.6 | 0.75 | 0.85 | 0.85",
                "m1 | f1 | 2026-03-02 | 1 | 0.9 | 0.9 | 0.9 | 0.9",
                "m1 | latency_ms | 2026-03-01 | 2 | 250 | 120 | 130 | 130");
        assertThat(rows("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = 'benchmark_rollups_daily'::regclass AND attname = 'metric_id'")).containsExactly("integer");
    }

    @Test
    void the_trends_view_and_the_daily_trend_read_the_carried_cells() throws SQLException {
        assertThat(rows("SELECT metric, mean_value, runs FROM v_performance_trends WHERE model_version = 'm1' ORDER BY metric, bucket"))
                .containsExactly("f1 | 0.8 | 2", "f1 | 0.9 | 1", "latency_ms | 125 | 2");
        try (Benchmon bm = OldSchemas.open(url)) {
            Table trend = bm.timeSeries(Filter.model("m1").withSince(Instant.parse("2026-03-01T00:00:00Z"))
                    .withUntil(Instant.parse("2026-03-03T00:00:00Z")), "f1", Bucket.DAY);
            assertThat(trend.rowCount()).isEqualTo(2);
            assertThat(trend.doubleColumn("mean").get(0)).isCloseTo(0.8, within(1e-12));
            assertThat(trend.doubleColumn("mean").get(1)).isCloseTo(0.9, within(1e-12));
        }
    }

    @Test
    void a_result_with_a_new_metric_after_the_upgrade_registers_its_name() throws SQLException {
        try (Benchmon bm = OldSchemas.open(url)) {
            for (double wer : new double[] {0.12, 0.14}) {
                bm.record(BenchmarkResult.builder("m2", "d").runAt(Instant.parse("2026-03-05T10:00:00Z").plusSeconds((long) (wer * 1000)))
                        .metric("wer", wer).metric("f1", 0.7).build());
            }
        }
        assertThat(rows("SELECT name FROM metric_names ORDER BY name")).containsExactly("f1", "latency_ms", "wer");
        assertThat(rows("SELECT mn.name, r.n, r.sum FROM benchmark_rollups_daily r JOIN series s ON s.id = r.series_id "
                + "JOIN metric_names mn ON mn.id = r.metric_id WHERE s.model_version = 'm2' ORDER BY 1"))
                .containsExactly("f1 | 2 | 1.4", "wer | 2 | 0.26");
    }
}
