package dev.benchmon.detect;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.adapters.Adapters;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result's {@code n} gives a binomial noise floor only to proportions ({@link MetricSemantics#isProportion}): the
 * trial's reproductions (pytest-benchmark timings under 1 s, an hf-trainer loss) and an accuracy that keeps it.
 */
class ProportionNoiseTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void open() {
        bm = TestDatabases.fresh();
    }

    private static Instant day(int i) {
        return Instant.parse("2026-11-01T00:00:00Z").plusSeconds(86_400L * i);
    }

    /** Pushes {@code results} with the definitions their file states and returns the first result's verdicts. */
    private static Map<String, MetricVerdict> push(ParsedResults parsed) {
        Benchmon.Recorded rec = bm.recordJudged(parsed.results(), parsed.definitions(), DetectionOverrides.NONE);
        Map<String, MetricVerdict> out = new java.util.HashMap<>();
        rec.verdicts().get(0).metrics().forEach(v -> out.put(v.metric(), v));
        return out;
    }

    private static Map<String, MetricVerdict> push(BenchmarkResult r) {
        return push(new ParsedResults(List.of(r), Map.of(), List.of()));
    }

    /** A pytest --benchmark-json report of one benchmark: a 11 ms test, 80 rounds, every time statistic times {@code f}. */
    private static String pytestReport(String project, Instant at, double f) {
        return String.format(Locale.ROOT, """
                {"machine_info": {"node": "ci"}, "commit_info": {"id": "%s", "project": "%s", "branch": "main"},
                 "benchmarks": [{"name": "test_load", "fullname": "tests/test_perf.py::test_load",
                   "stats": {"min": %s, "max": %s, "mean": %s, "stddev": %s, "rounds": 80, "median": %s, "iqr": %s,
                             "q1": %s, "q3": %s, "iqr_outliers": 1, "stddev_outliers": 2, "outliers": "2;1",
                             "ld15iqr": %s, "hd15iqr": %s, "ops": %s, "total": %s, "iterations": 1}}],
                 "datetime": "%s", "version": "4.0.0"}""",
                String.format("%040x", at.getEpochSecond()), project, 0.0101 * f, 0.021 * f, 0.0112 * f, 0.0015 * f,
                0.011 * f, 0.0009 * f, 0.0106 * f, 0.0115 * f, 0.0101 * f, 0.0118 * f, 1 / (0.0112 * f), 0.896 * f,
                at.toString().replace("Z", ""));
    }

    /** 11 daily pytest-benchmark reports with 1% noise (seeded), then one with every time doubled: its verdicts. */
    private static Map<String, MetricVerdict> pytestSlowdown(String project, long seed) {
        Random noise = new Random(seed);
        for (int i = 0; i < 11; i++) {
            push(Adapters.parse("pytest-benchmark", pytestReport(project, day(i), 1 + 0.01 * noise.nextGaussian()),
                    ResultOverrides.NONE));
        }
        return push(Adapters.parse("pytest-benchmark", pytestReport(project, day(11), 2.0), ResultOverrides.NONE));
    }

    /**
     * 11 daily results of {@code metric} around {@code level} with run-to-run sd {@code sd} (seeded), each with n
     * {@code n} and no stderr, then one at {@code last}: its verdict.
     */
    private static MetricVerdict ownFormatSeries(String model, String metric, long n, double level, double sd, long seed,
                                                 double last) {
        Random noise = new Random(seed);
        for (int i = 0; i < 11; i++) {
            push(withN(model, metric, n, day(i), level + sd * noise.nextGaussian()));
        }
        return push(withN(model, metric, n, day(11), last)).get(metric);
    }

    private static BenchmarkResult withN(String model, String metric, long n, Instant at, double value) {
        return BenchmarkResult.builder(model, "d").environment("ci").runAt(at).metric(metric, value).sampleSize(metric, n)
                .build();
    }

    @Test
    void a_pytest_benchmark_mean_under_a_second_that_doubled_is_a_regression_and_the_other_timings_are_tracked() {
        Map<String, MetricVerdict> v = pytestSlowdown("prop-pb", 3);

        assertThat(v.get("mean").judgement().outcome()).as("mean: " + v.get("mean").text()).isEqualTo(Outcome.REGRESSION);
        // The file states them none (one judged statistic per benchmark, PytestBenchmarkAdapter): never binomial noise
        // to hide a slowdown, nor an alert of their own.
        for (String stat : List.of("median", "min", "max", "q1", "q3", "total", "ops")) {
            assertThat(v.get(stat).judgement().outcome()).as(stat + ": " + v.get(stat).text()).isEqualTo(Outcome.NOT_JUDGED);
        }
    }

    @Test
    void a_timing_in_seconds_changes_by_percent_not_points() {
        Map<String, MetricVerdict> v = pytestSlowdown("prop-words", 4);

        assertThat(v.get("median").text()).doesNotContain("points").containsPattern("^\\+0\\.01\\d* \\(\\+\\d+\\.\\d%\\)");
    }

    @Test
    void a_loss_12_percent_up_is_a_regression_though_it_carries_the_number_of_eval_samples() {
        MetricVerdict v = ownFormatSeries("prop-hf", "eval_loss", 408, 0.41, 0.002, 5, 0.46);

        assertThat(v.judgement().outcome()).as(v.text()).isEqualTo(Outcome.REGRESSION);
    }

    @Test
    void an_accuracy_drop_within_its_binomial_noise_is_ok_and_worded_in_points() {
        MetricVerdict v = ownFormatSeries("prop-acc", "accuracy", 100, 0.80, 0.001, 6, 0.79);

        // sqrt(0.8 * 0.2 / 100) = 0.04: one point is a quarter of the noise of 100 items, however steady the runs were.
        assertThat(v.judgement().outcome()).as(v.text()).isEqualTo(Outcome.OK);
        assertThat(v.text()).startsWith("within noise: ").containsPattern("-[01]\\.\\d points");
    }
}
