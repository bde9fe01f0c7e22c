package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.compare.RunComparison;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A comparison row states the two values its difference is between, and what they are: a user's lm-eval-like
 * results (2 models x 3 tasks, acc with acc_stderr, 3 dates each) plus a 4th, lower hellaswag run of pythia-1b. The
 * newest results are judged by their stderr, so the row shows those (0.524 - 0.442), not the run means (0.522 and
 * 0.466) beside it; a metric without stderr compares the run means.
 */
class ComparedValuesTest {
    private static final Instant NOW = Instant.now();
    private static Benchmon bm;
    private static long newestA;
    private static long newestB;

    @BeforeAll
    static void seed() {
        bm = TestDatabases.fresh();
        List<BenchmarkResult> results = new ArrayList<>();
        double[] small = {0.470, 0.476, 0.476};
        double[] large = {0.520, 0.522, 0.524};
        for (String task : List.of("hellaswag", "arc_easy", "piqa")) {
            for (int day = 0; day < 3; day++) {
                results.add(result("pythia-1b", task, small[day], 3 - day));
                results.add(result("pythia-1.4b", task, large[day], 3 - day));
            }
        }
        results.add(result("pythia-1b", "hellaswag", 0.442, 0)); // the extra, lower run: A's mean is now 0.466
        List<dev.benchmon.RecordOutcome> stored = bm.importAll(results, n -> { });
        newestA = stored.get(stored.size() - 1).transactionId();
        newestB = stored.get(5).transactionId(); // pythia-1.4b's hellaswag run of the last day
    }

    @AfterAll
    static void close() {
        bm.close();
    }

    private static BenchmarkResult result(String model, String task, double acc, int daysAgo) {
        return BenchmarkResult.builder(model, task).environment("local")
                .runAt(NOW.minus(Duration.ofDays(daysAgo)).minus(Duration.ofHours(1)))
                .metric("acc", acc).stderr("acc", 0.003)
                .metric("acc_norm", acc + 0.05) // no stderr: judged on the runs
                .build();
    }

    private static Table hellaswag() {
        return bm.compareModels(Filter.models(List.of("pythia-1b", "pythia-1.4b")).withDatasets("hellaswag")
                .withLast(Duration.ofDays(30)), CompareOptions.defaults());
    }

    private static Row row(Table t, String model, String metric) {
        for (Row r : t) {
            if (r.getString("model_version").equals(model) && r.getString("metric").equals(metric)) {
                return r;
            }
        }
        throw new AssertionError(model + " " + metric + " not in " + t);
    }

    @Test
    void a_row_judged_by_the_newest_results_stderr_compares_and_shows_those_results_not_the_run_means() {
        Table t = hellaswag();
        Row b = row(t, "pythia-1.4b", "acc");
        Row a = row(t, "pythia-1b", "acc");

        assertThat(b.getString("method")).isEqualTo("welch_stderr");
        assertThat(b.getString("compared")).isEqualTo("latest_results");
        assertThat(b.getDouble("value_ref")).isCloseTo(0.442, within(1e-12)).isEqualTo(a.getDouble("last"));
        assertThat(b.getDouble("value")).isCloseTo(0.524, within(1e-12)).isEqualTo(b.getDouble("last"));
        assertThat(b.getDouble("diff")).isCloseTo(b.getDouble("value") - b.getDouble("value_ref"), within(1e-12));
        assertThat(b.getDouble("ci_low")).isLessThan(0.082).isGreaterThan(0.07);
        // The window's means stay what they are, and diff_to_first is theirs.
        assertThat(a.getDouble("mean")).isCloseTo(0.466, within(1e-12));
        assertThat(b.getDouble("mean")).isCloseTo(0.522, within(1e-12));
        assertThat(b.getDouble("diff_to_first")).isCloseTo(0.056, within(1e-12));
    }

    @Test
    void a_row_without_stderr_compares_the_run_means_its_mean_columns_show() {
        Row b = row(hellaswag(), "pythia-1.4b", "acc_norm");

        assertThat(b.getString("method")).isEqualTo("run_to_run_welch");
        assertThat(b.getString("compared")).isEqualTo("run_means");
        assertThat(b.getDouble("value_ref")).isCloseTo(0.516, within(1e-12));
        assertThat(b.getDouble("value")).isCloseTo(b.getDouble("mean"), within(1e-12));
        assertThat(b.getDouble("diff")).isCloseTo(b.getDouble("diff_to_first"), within(1e-12));
    }

    @Test
    void the_references_own_rows_compare_nothing() {
        Row a = row(hellaswag(), "pythia-1b", "acc");

        assertThat(a.getString("method")).isEqualTo("reference");
        assertThat(a.getString("compared")).isEmpty();
        assertThat(a.isMissing("value_ref")).isTrue();
        assertThat(a.isMissing("value")).isTrue();
    }

    @Test
    void the_table_prints_a_tiny_p_value_as_the_cli_does() {
        String printed = hellaswag().selectColumns("model_version", "metric", "diff", "p_value").toString();

        assertThat(printed).contains("<0.0001").doesNotContainPattern("0\\.0000\\d");
    }

    @Test
    void two_results_compared_by_their_stderr_alone_are_not_titled_paired() {
        RunComparison c = bm.comparison(newestA, newestB, CompareOptions.defaults());

        assertThat(c.summary().name()).isEqualTo("comparison " + newestA + " vs " + newestB);
        assertThat(c.summary().stringColumn("method").asList()).doesNotContain("paired_bootstrap+mcnemar_exact",
                "paired_bootstrap+paired_t");
    }

    @Test
    void comparing_two_model_versions_says_a_and_b_are_the_latest_results_and_gives_the_run_means() {
        RunComparison c = bm.comparison("pythia-1b", "pythia-1.4b", "hellaswag", null, CompareOptions.defaults());

        Row acc = row(c.summary(), "acc");
        assertThat(acc.getDouble("value_a")).isCloseTo(0.442, within(1e-12));
        assertThat(acc.getDouble("value_b")).isCloseTo(0.524, within(1e-12));
        assertThat(c.notes()).anySatisfy(n -> assertThat(n).startsWith("A and B are the latest results (#" + newestA
                        + ", #" + newestB + "), judged by their reported stderr or n, as the unpaired comparison judges them")
                .contains("acc (run means: A 0.466 over 4 runs, B 0.522 over 3)"));
    }

    private static Row row(Table summary, String metric) {
        for (Row r : summary) {
            if (r.getString("metric").equals(metric)) {
                return r;
            }
        }
        throw new AssertionError(metric + " not in " + summary);
    }
}
