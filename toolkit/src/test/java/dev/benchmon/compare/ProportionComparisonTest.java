package dev.benchmon.compare;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.detect.DetectionOverrides;
import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.adapters.Adapters;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Two results without shared items: a two-proportion z-test from their {@code n} only for proportions. */
class ProportionComparisonTest {
    private static final Instant AT = Instant.now().minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    private long push(ParsedResults parsed) {
        return bm.recordJudged(parsed.results(), parsed.definitions(), DetectionOverrides.NONE).outcomes().get(0)
                .transactionId();
    }

    private static String pytestReport(String project, double f) {
        return String.format(Locale.ROOT, """
                {"machine_info": {"node": "ci"}, "commit_info": {"project": "%s"},
                 "benchmarks": [{"name": "test_load", "fullname": "tests/test_perf.py::test_load",
                   "stats": {"min": %s, "max": %s, "mean": %s, "stddev": 0.0015, "rounds": 80, "median": %s,
                             "q1": %s, "q3": %s, "iqr_outliers": 1, "ops": %s, "total": %s}}],
                 "datetime": "%s"}""", project, 0.0101 * f, 0.021 * f, 0.0112 * f, 0.011 * f, 0.0106 * f, 0.0115 * f,
                1 / (0.0112 * f), 0.896 * f, AT.toString().replace("Z", ""));
    }

    private static String method(Table summary, String metric) {
        return summary.where(summary.stringColumn("metric").isEqualTo(metric)).stringColumn("method").get(0);
    }

    @Test
    void timings_in_seconds_are_never_tested_as_proportions() {
        long a = push(Adapters.parse("pytest-benchmark", pytestReport("prop-cmp-a", 1.0), ResultOverrides.NONE));
        long b = push(Adapters.parse("pytest-benchmark", pytestReport("prop-cmp-b", 1.02), ResultOverrides.NONE));

        Table summary = bm.comparePaired(a, b);

        assertThat(summary.stringColumn("method").asList()).doesNotContain(Method.TWO_PROPORTION.label());
        assertThat(method(summary, "mean")).isEqualTo(Method.WELCH_STDERR.label());
        assertThat(method(summary, "median")).isEqualTo(Method.NONE.label());
    }

    @Test
    void a_loss_with_n_but_no_stderr_has_no_interval_and_the_note_says_why_while_an_accuracy_is_tested() {
        long a = push(new ParsedResults(List.of(BenchmarkResult.builder("prop-bert", "mrpc").environment("ci").runAt(AT)
                .metric("eval_loss", 0.41).metric("eval_accuracy", 0.80).sampleSize(408).build()), java.util.Map.of(), List.of()));
        long b = push(new ParsedResults(List.of(BenchmarkResult.builder("prop-roberta", "mrpc").environment("ci").runAt(AT)
                .metric("eval_loss", 0.43).metric("eval_accuracy", 0.85).sampleSize(408).build()), java.util.Map.of(), List.of()));

        RunComparison c = bm.comparison(a, b, CompareOptions.defaults());

        assertThat(method(c.summary(), "eval_accuracy")).isEqualTo(Method.TWO_PROPORTION.label());
        assertThat(method(c.summary(), "eval_loss")).isEqualTo(Method.NONE.label());
        assertThat(c.notes()).singleElement().asString().startsWith("no interval for eval_loss: the two results carry n but "
                + "no stderr for them, and n alone gives a standard error only for a proportion");
    }
}
