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

    @Test
    void pytest_benchmark_timings_under_a_second_that_doubled_are_regressions() {
        Random noise = new Random(3);
        for (int i = 0; i < 11; i++) {
            push(Adapters.parse("pytest-benchmark", pytestReport("prop-pb", day(i), 1 + 0.01 * noise.nextGaussian()),
                    ResultOverrides.NONE));
        }
        Map<String, MetricVerdict> v = push(Adapters.parse("pytest-benchmark", pytestReport("prop-pb", day(11), 2.0),
                ResultOverrides.NONE));

        for (String stat : List.of("median", "min", "max", "q1", "q3", "mean")) {
            assertThat(v.get(stat).judgement().outcome()).as(stat + ": " + v.get(stat).text()).isEqualTo(Outcome.REGRESSION);
        }
    }

    @Test
    void a_timing_in_seconds_changes_by_percent_not_points() {
        Random noise = new Random(4);
        for (int i = 0; i < 11; i++) {
            push(Adapters.parse("pytest-benchmark", pytestReport("prop-words", day(i), 1 + 0.01 * noise.nextGaussian()),
                    ResultOverrides.NONE));
        }
        Map<String, MetricVerdict> v = push(Adapters.parse("pytest-benchmark", pytestReport("prop-words", day(11), 2.0),
                ResultOverrides.NONE));

        assertThat(v.get("median").text()).doesNotContain("points").containsPattern("^\\+0\\.01\\d* \\(\\+\\d+\\.\\d%\\)");
    }

    @Test
    void a_loss_12_percent_up_is_a_regression_though_it_carries_the_number_of_eval_samples() {
        Random noise = new Random(5);
        for (int i = 0; i < 11; i++) {
            push(BenchmarkResult.builder("prop-hf", "mrpc").environment("ci").runAt(day(i))
                    .metric("eval_loss", 0.41 + 0.002 * noise.nextGaussian()).sampleSize("eval_loss", 408).build());
        }
        MetricVerdict v = push(BenchmarkResult.builder("prop-hf", "mrpc").environment("ci").runAt(day(11))
                .metric("eval_loss", 0.46).sampleSize("eval_loss", 408).build()).get("eval_loss");

        assertThat(v.judgement().outcome()).as(v.text()).isEqualTo(Outcome.REGRESSION);
    }

    @Test
    void an_accuracy_drop_within_its_binomial_noise_is_ok_and_worded_in_points() {
        Random noise = new Random(6);
        for (int i = 0; i < 11; i++) {
            push(BenchmarkResult.builder("prop-acc", "qa").environment("ci").runAt(day(i))
                    .metric("accuracy", 0.80 + 0.001 * noise.nextGaussian()).sampleSize("accuracy", 100).build());
        }
        MetricVerdict v = push(BenchmarkResult.builder("prop-acc", "qa").environment("ci").runAt(day(11))
                .metric("accuracy", 0.79).sampleSize("accuracy", 100).build()).get("accuracy");

        // sqrt(0.8 * 0.2 / 100) = 0.04: one point is a quarter of the noise of 100 items, however steady the runs were.
        assertThat(v.judgement().outcome()).as(v.text()).isEqualTo(Outcome.OK);
        assertThat(v.text()).startsWith("within noise: ").containsPattern("-[01]\\.\\d points");
    }
}
