package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model comparisons read the daily rollups when no result in the window has per-example outcomes; every cell of
 * the answer (counts, means, spreads, last values, differences, intervals, p-values and the method chosen) equals
 * the comparison computed from every run in the log, per dataset and environment and pooled, with and without a
 * time window cutting days in half.
 */
class ComparisonFromRollupsTest {
    private static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");

    @Test
    void the_comparison_from_rollups_equals_the_one_from_every_run() {
        try (Benchmon bm = TestDatabases.fresh()) {
            Random rnd = new Random(7);
            List<BenchmarkResult> results = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                String model = "m" + (i % 3);
                BenchmarkResult.Builder b = BenchmarkResult.builder(model, i % 2 == 0 ? "d1" : "d2")
                        .environment(i % 5 == 0 ? "gpu" : "ci").runAt(T0.plusSeconds(3_571L * i))
                        .metric("accuracy", 0.8 + 0.01 * (i % 3) + rnd.nextGaussian() * 0.01)
                        .metric("latency_ms", 400 + 10 * (i % 3) + rnd.nextGaussian() * 5)
                        // A large mean with a small spread: merging cells must not cancel the spread's digits.
                        .metric("tokens", 1e7 + 100 * (i % 3) + rnd.nextGaussian() * 3);
                if (model.equals("m2")) {
                    b.stderr("accuracy", 0.004).sampleSize("accuracy", 500); // stderr-based estimate for m2 vs m0
                }
                if (i % 97 == 0) {
                    b.metric("rare_metric", i); // one run per group or fewer: no run-to-run test
                }
                results.add(b.build());
            }
            bm.importAll(results, n -> { });
            ComparisonQuery q = new ComparisonQuery(bm.jdbi());
            for (Filter f : List.of(Filter.models(List.of("m0", "m1", "m2")),
                    Filter.models(List.of("m1", "m0")).withSince(Instant.parse("2026-02-05T07:30:00Z"))
                            .withUntil(Instant.parse("2026-02-20T15:10:00Z")),
                    Filter.models(List.of("m0", "m2")).withMetrics("accuracy"))) {
                for (CompareOptions o : List.of(CompareOptions.defaults(), CompareOptions.defaults().withPooled(true))) {
                    assertSameTable(q.compare(f, o), q.fromLog(f, o), f + " " + o);
                }
            }
            Table t = q.compare(Filter.models(List.of("m0", "m2")).withMetrics("accuracy"), CompareOptions.defaults());
            assertThat(t.stringColumn("method").asList()).contains("reference").anyMatch(m -> !m.equals("reference") && !m.equals("none"));
        }
    }

    @Test
    void runs_per_model_count_whole_days_from_rollups_and_the_cut_days_from_the_log_only_where_the_metric_was_reported() {
        try (Benchmon bm = TestDatabases.fresh()) {
            Instant day = Instant.parse("2026-03-10T00:00:00Z");
            bm.importAll(List.of(
                    run("a", day.plusSeconds(6 * 3600), "f1"),        // before the window
                    run("a", day.plusSeconds(13 * 3600), "f1"),       // the first, cut day: read from the log
                    run("a", day.plusSeconds(14 * 3600), "recall"),   // the same day, without f1
                    run("b", day.plusSeconds(15 * 3600), "recall"),
                    run("a", day.plusSeconds(34 * 3600), "f1"),       // whole days: the rollups
                    run("a", day.plusSeconds(58 * 3600), "f1", "recall"),
                    run("b", day.plusSeconds(59 * 3600), "f1"),
                    run("a", day.plusSeconds(107 * 3600), "f1"),      // the last, cut day
                    run("a", day.plusSeconds(109 * 3600), "f1"),      // after the window
                    run("a", day.plusSeconds(16 * 3600), "f1").toBuilder().runId("ci-7").build()), n -> { });
            // The CI run ci-7 again (a re-run: the same run_id and run_at, new numbers): the second attempt replaces the
            // first, and the run counts once.
            bm.importAll(List.of(run("a", day.plusSeconds(16 * 3600), "f1").toBuilder().runId("ci-7").metric("f1", 0.6)
                    .build()), n -> { });
            Filter window = Filter.all().withSince(day.plusSeconds(12 * 3600)).withUntil(day.plusSeconds(108 * 3600));
            ComparisonQuery q = new ComparisonQuery(bm.jdbi());

            assertThat(q.runsPerModel(window, "f1")).containsExactly(java.util.Map.entry("a", 5L), java.util.Map.entry("b", 1L))
                    .isEqualTo(runsInLog(q, window, "f1"));
            assertThat(q.runsPerModel(window, "recall")).containsExactly(java.util.Map.entry("a", 2L), java.util.Map.entry("b", 1L))
                    .isEqualTo(runsInLog(q, window, "recall"));
            assertThat(q.runsPerModel(window.withModels("b"), "f1")).containsExactly(java.util.Map.entry("b", 1L));
        }
    }

    private static BenchmarkResult run(String model, Instant at, String... metrics) {
        BenchmarkResult.Builder b = BenchmarkResult.builder(model, "d").runAt(at);
        for (String m : metrics) {
            b.metric(m, 0.5);
        }
        return b.build();
    }

    /** Runs of {@code metric} per model as the comparison read from every run in the log counts them ({@code n}). */
    private static java.util.Map<String, Long> runsInLog(ComparisonQuery q, Filter f, String metric) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (var r : q.fromLog(f, CompareOptions.defaults())) {
            if (r.getString("metric").equals(metric)) {
                out.merge(r.getString("model_version"), (long) r.getInt("n"), Long::sum);
            }
        }
        return out;
    }

    private static void assertSameTable(Table actual, Table expected, String what) {
        assertThat(actual.columnNames()).as(what).isEqualTo(expected.columnNames());
        assertThat(actual.rowCount()).as(what).isEqualTo(expected.rowCount()).isPositive();
        for (Column<?> c : expected.columns()) {
            Column<?> a = actual.column(c.name());
            for (int i = 0; i < expected.rowCount(); i++) {
                String where = what + ", row " + i + ", column " + c.name();
                if (c instanceof tech.tablesaw.api.DoubleColumn d) {
                    double x = d.getDouble(i);
                    double y = ((tech.tablesaw.api.DoubleColumn) a).getDouble(i);
                    if (Double.isNaN(x)) {
                        assertThat(y).as(where).isNaN();
                    } else {
                        assertThat(y).as(where).isCloseTo(x, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(x))));
                    }
                } else {
                    assertThat(a.getString(i)).as(where).isEqualTo(c.getString(i));
                }
            }
        }
    }
}
