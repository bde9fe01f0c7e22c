package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL functions the write path calls per row or per finding: PostgreSQL inlines the per-row ones (V19), and the
 * two forms of {@code series_run_distance} (V20) count the same runs.
 */
class RowFunctionsTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;
    private static final List<Map<String, Object>> RUNS = new ArrayList<>();

    @BeforeAll
    static void open() {
        bm = TestDatabases.fresh();
        List<BenchmarkResult> results = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // one series over two months, and a run of another series between its runs
            results.add(BenchmarkResult.builder("dist", "d").environment("ci")
                    .runAt(Instant.parse("2026-01-25T00:00:00.000123Z").plusSeconds(86_400L * i)).metric("f1", 0.5).build());
            results.add(BenchmarkResult.builder("other", "d").environment("ci")
                    .runAt(Instant.parse("2026-01-25T00:00:00.000123Z").plusSeconds(86_400L * i + 60)).metric("f1", 0.5).build());
        }
        bm.recordAll(results);
        RUNS.addAll(bm.jdbi().withHandle(h -> h.createQuery("""
                SELECT series_id, id, run_at::text AS run_at FROM benchmark_transactions WHERE model_version = 'dist' ORDER BY run_at, id""")
                .mapToMap().list()));
    }

    /** EXPLAIN VERBOSE of one expression over a table of two rows (one would be folded into constants). */
    private static String plan(String expression, String values) {
        List<String> lines = bm.jdbi().withHandle(h -> h.createQuery(
                "EXPLAIN VERBOSE SELECT " + expression + " FROM (VALUES " + values + ", " + values + ") v(a, b, c, d, e, f)")
                .mapTo(String.class).list());
        return String.join("\n", lines);
    }

    @Test
    void the_per_row_functions_of_the_writer_are_inlined_into_its_statements() {
        String row = "('m', 'd', '', 'ci', 'run-1', now())";
        assertThat(plan("coalesce(benchmark_key_uuid(nullif(v.a, '')), gen_random_uuid())", row))
                .contains("sha256").doesNotContain("benchmark_key_uuid");
        assertThat(plan("benchmark_run_key(v.a, v.b, v.c, v.d, v.e, v.f)", row))
                .contains("md5").doesNotContain("benchmark_run_key");
        assertThat(plan("benchmark_metrics_are_numbers(CAST(v.a AS jsonb))", "('{\"f1\": 1}', 0, 0, 0, 0, 0)"))
                .contains("jsonb_path_exists").doesNotContain("benchmark_metrics_are_numbers");
    }

    /** The distance by ids alone from the {@code a}-th run of the series to the run of id {@code b}. */
    private static int distanceById(int a, Object b, int cap) {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT series_run_distance(:s, :a, :b, :cap)")
                .bind("s", RUNS.get(a).get("series_id")).bind("a", RUNS.get(a).get("id")).bind("b", b).bind("cap", cap)
                .mapTo(Integer.class).one());
    }

    private static int distanceAt(int a, int b, boolean withRunAt) {
        return bm.jdbi().withHandle(h -> h.createQuery(
                        "SELECT series_run_distance(:s, :a, CAST(:a_at AS timestamptz), :b, CAST(:b_at AS timestamptz), 30)")
                .bind("s", RUNS.get(a).get("series_id")).bind("a", RUNS.get(a).get("id")).bind("b", RUNS.get(b).get("id"))
                .bind("a_at", withRunAt ? (String) RUNS.get(a).get("run_at") : null)
                .bind("b_at", withRunAt ? (String) RUNS.get(b).get("run_at") : null)
                .mapTo(Integer.class).one());
    }

    @Test
    void the_distance_between_two_runs_counts_the_same_runs_given_their_run_at_or_not() {
        assertThat(RUNS).hasSize(12);
        for (int[] pair : new int[][] {{2, 9}, {9, 2}, {0, 11}, {5, 5}, {3, 4}}) {
            int expected = Math.abs(pair[1] - pair[0]);
            assertThat(distanceById(pair[0], RUNS.get(pair[1]).get("id"), 30)).as("by id %d-%d", pair[0], pair[1]).isEqualTo(expected);
            assertThat(distanceAt(pair[0], pair[1], true)).as("by run_at %d-%d", pair[0], pair[1]).isEqualTo(expected);
            assertThat(distanceAt(pair[0], pair[1], false)).as("NULL run_at %d-%d", pair[0], pair[1]).isEqualTo(expected);
        }
    }

    @Test
    void the_distance_counts_at_most_one_past_its_cap_and_a_run_not_in_the_log_is_zero_away() {
        int capped = distanceById(0, RUNS.get(11).get("id"), 3);
        assertThat(capped).isEqualTo(4);
        int missing = distanceById(0, -1L, 30);
        assertThat(missing).isZero();
    }
}
