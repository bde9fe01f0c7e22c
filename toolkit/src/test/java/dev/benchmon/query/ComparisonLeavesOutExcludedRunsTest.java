package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.compare.RunComparison;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.data.Offset.offset;

/**
 * A model comparison reads only the results that count: runs excluded through triage ({@code excluded_runs}) are
 * left out of its counts and means, although the daily rollups it reads otherwise still count them. A paired
 * comparison naming an excluded result explicitly still compares it, and warns.
 */
class ComparisonLeavesOutExcludedRunsTest {
    private static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");

    /** 65 runs of a (accuracy 0.80) and of b (0.85), b's runs 10 and 20 broken (0.10); returns b's run ids. */
    private static List<Long> twoModels(Benchmon bm) {
        List<Long> b = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            bm.record(BenchmarkResult.builder("a", "d1").runAt(T0.plusSeconds(3_600L * i))
                    .metric("accuracy", 0.80).build());
            double v = i == 10 || i == 20 ? 0.10 : 0.85;
            b.add(bm.record(BenchmarkResult.builder("b", "d1").runAt(T0.plusSeconds(3_600L * i + 60))
                    .metric("accuracy", v).build()).transactionId());
        }
        return b;
    }

    @Test
    void comparing_models_leaves_excluded_runs_out_of_counts_and_means() {
        try (Benchmon bm = TestDatabases.fresh()) {
            List<Long> b = twoModels(bm);
            bm.annotations().exclude(b.get(10), "runner lost its GPU", "ana");
            bm.annotations().exclude(b.get(20), "runner lost its GPU", "ana");

            Table t = bm.compareModels(Filter.models(List.of("a", "b")).withMetrics("accuracy"), CompareOptions.defaults());

            assertThat(t.stringColumn("model_version").asList()).containsExactly("a", "b");
            assertThat(t.intColumn("n").asList()).containsExactly(65, 63);
            assertThat(t.doubleColumn("mean").getDouble(1)).isCloseTo(0.85, offset(1e-12));
            assertThat(t.doubleColumn("min").getDouble(1)).isCloseTo(0.85, offset(1e-12));
        }
    }

    @Test
    void runs_per_model_leaves_excluded_runs_out() {
        try (Benchmon bm = TestDatabases.fresh()) {
            List<Long> b = twoModels(bm);
            bm.annotations().exclude(b.get(10), "runner lost its GPU", "ana");

            Map<String, Long> runs = bm.runsPerModel(Filter.models(List.of("a", "b")), "accuracy");

            assertThat(runs).containsExactly(entry("a", 65L), entry("b", 64L));
        }
    }

    @Test
    void comparing_an_excluded_result_explicitly_compares_it_and_warns() {
        try (Benchmon bm = TestDatabases.fresh()) {
            List<Long> b = twoModels(bm);
            bm.annotations().exclude(b.get(10), "runner lost its GPU", "ana");

            RunComparison c = bm.comparison(b.get(9), b.get(10), CompareOptions.defaults());

            assertThat(c.summary().doubleColumn("diff").getDouble(0)).isCloseTo(0.10 - 0.85, offset(1e-12));
            assertThat(c.warnings()).singleElement().asString()
                    .contains("B (result id " + b.get(10) + ") is excluded (reason: runner lost its GPU)");
        }
    }
}
