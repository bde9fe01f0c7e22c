package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's queries must never scan the whole log. 200,000 results over 2,000 series (the
 * shape of a busy year) are inserted with SQL, then the plans of the queries the toolkit runs are
 * checked with EXPLAIN.
 */
class IndexUsageTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        bm.jdbi().useHandle(h -> {
            // As the writer does (ingest_staged_results): series first, the months, then keys and rows.
            h.execute("""
                    INSERT INTO series (model_version, dataset_version, prompt_version, environment)
                    SELECT DISTINCT 'model-' || (g % 40), 'dataset-' || (g % 5), 'p' || (g % 2), 'env-' || (g % 5)
                    FROM generate_series(1, 200000) g""");
            h.execute("""
                    SELECT benchmon_ensure_log_partitions(ARRAY(
                        SELECT now() - (g || ' days')::interval FROM generate_series(0, 140) g))""");
            h.execute("""
                    INSERT INTO benchmark_log (series_id, idempotency_key, metrics, run_at)
                    SELECT s.id, benchmark_key_uuid('k' || g),
                           jsonb_build_object('f1', random(), 'latency_ms', 100 + random() * 50, 'precision', random(),
                                              'recall', random(), 'cost', random()),
                           now() - (g || ' minutes')::interval
                    FROM generate_series(1, 200000) g
                    JOIN series s ON s.model_version = 'model-' || (g % 40) AND s.dataset_version = 'dataset-' || (g % 5)
                                 AND s.prompt_version = 'p' || (g % 2) AND s.environment = 'env-' || (g % 5)""");
            h.execute(TestDatabases.SNAPSHOTS_FROM_LOG);
            h.execute("ANALYZE benchmark_log");
            h.execute("ANALYZE benchmark_snapshots");
        });
    }

    /**
     * No month of the log is read whole. A month of a few rows may be: in the first hours of a month its partition holds
     * the minutes since midnight of the 1st, and a sequential scan of one page is the right plan for it (estimated rows
     * at most {@value #SMALL_MONTH}).
     */
    private static void scansNoMonthWhole(String plan) {
        java.util.regex.Matcher scan = java.util.regex.Pattern.compile("Seq Scan on benchmark_log\\S*\\s+\\(cost=\\S+ rows=(\\d+)")
                .matcher(plan);
        while (scan.find()) {
            assertThat(Long.parseLong(scan.group(1))).as(plan).isLessThanOrEqualTo(SMALL_MONTH);
        }
    }

    private static final long SMALL_MONTH = 1_000;

    private static String plan(String sql) {
        List<String> lines = bm.jdbi().withHandle(h -> h.createQuery("EXPLAIN " + sql).mapTo(String.class).list());
        return String.join("\n", lines);
    }

    @Test
    void one_series_over_a_time_range_reads_the_series_index() {
        String p = plan("""
                SELECT * FROM benchmark_transactions
                WHERE model_version = 'model-7' AND dataset_version = 'dataset-2' AND prompt_version = 'p1'
                  AND environment = 'env-2' AND run_at >= now() - interval '30 days'
                ORDER BY run_at DESC LIMIT 100""");
        assertThat(p).contains("_series_id_run_at_id_idx").satisfies(IndexUsageTest::scansNoMonthWhole);
    }

    @Test
    void a_model_trend_over_thirty_days_reads_an_index_not_the_whole_log() {
        String p = plan("""
                SELECT date_trunc('day', t.run_at), avg((t.metrics ->> 'f1')::float8)
                FROM benchmark_transactions t
                WHERE (t.metrics -> 'f1') IS NOT NULL AND t.model_version = 'model-7' AND t.run_at >= now() - interval '30 days'
                GROUP BY 1""");
        assertThat(p).contains("Index").satisfies(IndexUsageTest::scansNoMonthWhole);
    }

    @Test
    void the_current_results_view_looks_up_later_attempts_as_an_anti_join_not_a_subplan() {
        // Reads of the log over several series leave superseded attempts out as this view does (FilterSql.ofCurrentLog);
        // a per-row subplan that scanned the attempts table
        // cost 2-3 ms per 1,000 rows. The planner makes NOT EXISTS an anti join whatever the statistics; under an OR it cannot.
        String p = plan("""
                SELECT * FROM benchmark_results_current t
                WHERE t.series_id = (SELECT id FROM series WHERE model_version = 'model-7' AND dataset_version = 'dataset-2'
                                       AND prompt_version = 'p1' AND environment = 'env-2')
                ORDER BY t.run_at DESC, t.id DESC LIMIT 1000""");
        assertThat(p).contains("Anti Join").doesNotContain("SubPlan").satisfies(IndexUsageTest::scansNoMonthWhole);
    }

    @Test
    void the_trends_view_filtered_by_model_reads_an_index() {
        String p = plan("SELECT * FROM v_performance_trends WHERE model_version = 'model-7' AND metric = 'f1'");
        assertThat(p).contains("Index").satisfies(IndexUsageTest::scansNoMonthWhole);
    }

    @Test
    void latest_snapshots_never_touch_the_log_beyond_one_row_per_series() {
        String p = plan("SELECT * FROM v_latest_benchmarks WHERE environment = 'env-1'");
        assertThat(p).satisfies(IndexUsageTest::scansNoMonthWhole);
    }

    @Test
    void regression_detection_reaches_history_through_the_series_index() {
        // The lookup detect_regressions runs per series and metric (inside its plpgsql body).
        String lookup = plan("""
                SELECT h.metrics FROM benchmark_transactions h
                WHERE h.model_version = 'model-7' AND h.dataset_version = 'dataset-2' AND h.prompt_version = 'p1'
                  AND h.environment = 'env-2' AND (h.run_at, h.id) < (now(), 1000000) AND (h.metrics -> 'f1') IS NOT NULL
                ORDER BY h.run_at DESC, h.id DESC LIMIT 5""");
        assertThat(lookup).contains("_series_id_run_at_id_idx").doesNotContain("Seq Scan on series")
                .satisfies(IndexUsageTest::scansNoMonthWhole);
        long ms = bm.jdbi().withHandle(h -> {
            long t0 = System.nanoTime();
            h.createQuery("SELECT count(*) FROM detect_regressions()").mapTo(Long.class).one();
            return (System.nanoTime() - t0) / 1_000_000;
        });
        System.out.printf("detect_regressions over 2,000 series / 200,000 results: %d ms%n", ms);
    }

    /** Ten mutes a series, most of them over, once for the class (the mute tests share them). */
    private static synchronized void tenMutesASeries() {
        bm.jdbi().useHandle(h -> {
            h.execute("""
                    INSERT INTO series_mutes (series_id, metric, reason, actor, starts_at, expires_at, ended_at, ended_by)
                    SELECT s.id, CASE WHEN g % 2 = 0 THEN 'f1' END, 'load', 'ana', now() - (g * 7 || ' days')::interval,
                           now() - ((g * 7 - 5) || ' days')::interval + interval '1 hour',
                           CASE WHEN g % 3 = 0 THEN now() - ((g * 7 - 1) || ' days')::interval END,
                           CASE WHEN g % 3 = 0 THEN 'bo' END
                    FROM series s CROSS JOIN generate_series(1, 10) g
                    WHERE NOT EXISTS (SELECT 1 FROM series_mutes)""");
            h.execute("ANALYZE series_mutes");
        });
    }

    @Test
    void whether_a_mute_is_in_force_probes_the_series_mutes_index_by_its_end() {
        // Ten mutes a series, most of them over: the lookup alert_record_findings makes per finding (inlined
        // mute_in_force) must bound ends_at in the index, not filter every mute of the table or the series.
        tenMutesASeries();
        String p = plan("""
                SELECT m.id FROM series_mutes m
                WHERE m.series_id = 7 AND (m.metric IS NULL OR m.metric = 'f1') AND mute_in_force(m, now())
                ORDER BY m.ends_at DESC LIMIT 1""");
        assertThat(p).contains("series_mutes_series_ends_idx").contains("ends_at > now()")
                .doesNotContain("Seq Scan on series_mutes");
    }

    @Test
    void whether_a_mute_covers_a_metric_probes_the_series_mutes_index_by_its_end() {
        // mute_covers (unmute_series, annotate_run, Annotations.isMuted) inlines with the mute_in_force it calls.
        tenMutesASeries();
        String p = plan("""
                SELECT EXISTS (SELECT 1 FROM series_mutes m WHERE m.series_id = 7 AND mute_covers(m, 'f1', now()))""");
        assertThat(p).contains("series_mutes_series_ends_idx").contains("ends_at > now()")
                .doesNotContain("Seq Scan on series_mutes");
    }

    @Test
    void the_distance_between_two_runs_of_a_series_range_scans_the_series_index() {
        // The counting query inside series_run_distance (R__alert_functions.sql), with two runs of a series as bounds.
        List<Map<String, Object>> runs = bm.jdbi().withHandle(h -> h.createQuery("""
                SELECT series_id, id, run_at::text AS run_at FROM benchmark_transactions WHERE model_version = 'model-7'
                  AND dataset_version = 'dataset-2' AND prompt_version = 'p1' AND environment = 'env-2'
                ORDER BY run_at, id LIMIT 2 OFFSET 10""").mapToMap().list());
        String p = plan("""
                SELECT count(*) FROM (
                    SELECT 1 FROM benchmark_log t
                    WHERE t.series_id = %s AND t.run_at >= '%s' AND t.run_at <= '%s'
                      AND (t.run_at, t.id) > ('%s'::timestamptz, %s) AND (t.run_at, t.id) <= ('%s'::timestamptz, %s)
                    LIMIT 31) x""".formatted(runs.get(0).get("series_id"), runs.get(0).get("run_at"), runs.get(1).get("run_at"),
                runs.get(0).get("run_at"), runs.get(0).get("id"), runs.get(1).get("run_at"), runs.get(1).get("id")));
        assertThat(p).contains("_series_id_run_at_id_idx").satisfies(IndexUsageTest::scansNoMonthWhole);
    }

    @Test
    void the_distance_between_two_runs_keeps_one_generic_plan_that_prunes_the_months_when_it_starts() {
        // series_run_distance declares plan_cache_mode = force_generic_plan (custom plans of a partitioned table were
        // planned again at every call); the generic plan must still read only the months between the two runs.
        String config = bm.jdbi().withHandle(h -> h.createQuery("""
                SELECT array_to_string(p.proconfig, ',') FROM pg_proc p
                WHERE p.proname = 'series_run_distance' AND p.pronargs = 6""").mapTo(String.class).one());
        assertThat(config).isEqualTo("plan_cache_mode=force_generic_plan");
        List<Map<String, Object>> runs = bm.jdbi().withHandle(h -> h.createQuery("""
                SELECT series_id, id, run_at::text AS run_at FROM benchmark_log WHERE series_id = 7
                ORDER BY run_at, id LIMIT 2 OFFSET 10""").mapToMap().list());
        String p = bm.jdbi().withHandle(h -> {
            h.execute("SET plan_cache_mode = force_generic_plan");
            try {
                h.execute("""
                        PREPARE distance(integer, timestamptz, bigint, timestamptz, bigint) AS
                        SELECT count(*) FROM (SELECT 1 FROM benchmark_log t
                            WHERE t.series_id = $1 AND t.run_at >= $2 AND t.run_at <= $4
                              AND (t.run_at, t.id) > ($2, $3) AND (t.run_at, t.id) <= ($4, $5) LIMIT 31) x""");
                return String.join("\n", h.createQuery("EXPLAIN (ANALYZE) EXECUTE distance(%s, '%s', %s, '%s', %s)".formatted(
                        runs.get(0).get("series_id"), runs.get(0).get("run_at"), runs.get(0).get("id"),
                        runs.get(1).get("run_at"), runs.get(1).get("id"))).mapTo(String.class).list());
            } finally {
                h.execute("DEALLOCATE ALL");
                h.execute("RESET plan_cache_mode");
            }
        });
        assertThat(p).contains("Subplans Removed").contains("_series_id_run_at_id_idx");
    }

    @Test
    void the_newest_noted_runs_for_chart_marks_read_the_partial_index() {
        String p = plan("""
                SELECT t.run_at, t.notes FROM benchmark_transactions t
                WHERE t.notes IS NOT NULL AND btrim(t.notes) <> '' AND t.run_at >= now() - interval '30 days'
                ORDER BY t.run_at DESC LIMIT 500""");
        assertThat(p).contains("_run_at_idx").satisfies(IndexUsageTest::scansNoMonthWhole);
    }
}
