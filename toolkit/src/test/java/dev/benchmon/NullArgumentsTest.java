package dev.benchmon;

import dev.benchmon.alert.AlertFilter;
import dev.benchmon.chart.Charts;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.detect.DetectionOverrides;
import dev.benchmon.support.TestDatabases;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.benchmon.support.Results.result;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code null} argument to a public entry point of {@link Benchmon}, {@link Filter} or {@link Charts} is an
 * {@link InvalidArgumentException} naming the argument (the one unchecked {@link BenchmonException} family the README
 * promises), not a bare {@code NullPointerException} from deep inside. One result of model "m" on dataset "d".
 */
class NullArgumentsTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        bm.record(result("m", "d", 0, 0.9, 100));
    }

    /** A call with one argument {@code null}, and the name the refusal must give it. */
    record NullCall(String call, String argument, ThrowingCallable run) {
        @Override
        public String toString() {
            return call;
        }
    }

    static Stream<NullCall> calls() {
        Filter all = Filter.all();
        Duration week = Duration.ofDays(7);
        return Stream.of(
                new NullCall("Filter.environment(null)", "environment", () -> Filter.environment(null)),
                new NullCall("Filter.model(null)", "model", () -> Filter.model(null)),
                new NullCall("Filter.dataset(null)", "dataset", () -> Filter.dataset(null)),
                new NullCall("Filter.models(null)", "models", () -> Filter.models(null)),
                new NullCall("Filter.last(null)", "window", () -> Filter.last(null)),
                new NullCall("withEnvironments((String[]) null)", "environment", () -> all.withEnvironments((String[]) null)),
                new NullCall("withMetrics(List with null)", "metric", () -> all.withMetrics(Arrays.asList("f1", null))),
                new NullCall("record(null)", "result", () -> bm.record(null)),
                new NullCall("recordAll(null)", "results", () -> bm.recordAll(null)),
                new NullCall("recordFile(null)", "file", () -> bm.recordFile(null)),
                new NullCall("recordFile(null, format)", "file", () -> bm.recordFile(null, "lm-eval")),
                new NullCall("recordFile(path, null)", "format", () -> bm.recordFile(
                        dev.benchmon.support.RepositoryFiles.resolve("samples/sample_benchmark_results.json"), null)),
                new NullCall("latestSnapshots(null)", "filter", () -> bm.latestSnapshots(null)),
                new NullCall("latestResults(null)", "filter", () -> bm.latestResults(null)),
                new NullCall("history(null)", "filter", () -> bm.history(null)),
                new NullCall("summary(null)", "filter", () -> bm.summary(null)),
                new NullCall("timeSeries(null model)", "model", () -> bm.timeSeries((String) null, "f1", week)),
                new NullCall("timeSeries(null metric)", "metric", () -> bm.timeSeries("m", null, week)),
                new NullCall("timeSeries(null window)", "window", () -> bm.timeSeries("m", "f1", null)),
                new NullCall("timeSeries(null filter)", "filter", () -> bm.timeSeries((Filter) null, "f1", Bucket.DAY)),
                new NullCall("timeSeries(null bucket)", "bucket", () -> bm.timeSeries(Filter.model("m"), "f1", null)),
                new NullCall("timeSeries(null metrics)", "metrics", () -> bm.timeSeries(all, (List<String>) null, Bucket.DAY)),
                new NullCall("chartMarks(null metric)", "metric", () -> bm.chartMarks(all, (String) null)),
                new NullCall("compareModels(null models)", "models", () -> bm.compareModels((List<String>) null, week)),
                new NullCall("compareModels(null window)", "window", () -> bm.compareModels(List.of("m"), null)),
                new NullCall("compareModels(null filter)", "filter", () -> bm.compareModels((Filter) null)),
                new NullCall("compareModels(null options)", "options", () -> bm.compareModels(all, null)),
                new NullCall("comparison(null a)", "a", () -> bm.comparison(null, "m", null, null, CompareOptions.defaults())),
                new NullCall("resolveResult(null)", "reference", () -> bm.resolveResult(null, null)),
                new NullCall("detectRegressions(null model)", "model", () -> bm.detectRegressions((String) null, 0.05)),
                new NullCall("detectRegressions(null options)", "options", () -> bm.detectRegressions(all, null)),
                new NullCall("regressions(null filter)", "filter", () -> bm.regressions(null, RegressionOptions.defaults())),
                new NullCall("simpleRuleRegressions(null options)", "options", () -> bm.simpleRuleRegressions(all, null)),
                new NullCall("backtest(null overrides)", "overrides", () -> bm.backtest(Filter.model("m"), null)),
                new NullCall("backtest(null filter)", "filter", () -> bm.backtest(null, DetectionOverrides.NONE)),
                new NullCall("recordJudged(null overrides)", "overrides", () -> bm.recordJudged(List.of(), Map.of(), null)),
                new NullCall("alerts(null)", "filter", () -> bm.alerts((AlertFilter) null)),
                new NullCall("knownNames(null)", "kind", () -> bm.knownNames(null)),
                new NullCall("direction(null)", "metric", () -> bm.direction(null)),
                new NullCall("defineMetric(null direction)", "direction", () -> bm.defineMetric("x", null, null, null)),
                new NullCall("Charts.trend(null)", "trend", () -> Charts.trend(null)),
                new NullCall("Charts.trend(null title)", "title", () -> Charts.trend(trend(), null)),
                new NullCall("Charts.comparison(null)", "comparison", () -> Charts.comparison(null, "f1")),
                new NullCall("Charts.comparison(null metric)", "metric", () -> Charts.comparison(comparison(), null)),
                new NullCall("Charts.costQuality(null cost)", "costMetric", () -> Charts.costQuality(comparison(), "f1", null)),
                new NullCall("Charts.regression(null history)", "history", () -> Charts.regression(null, "f1", 0.9, 1)));
    }

    private static Table trend() {
        return bm.timeSeries("m", "f1", Duration.ofDays(36_000));
    }

    private static Table comparison() {
        return bm.compareModels(Filter.model("m"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void a_null_argument_is_an_invalid_argument_naming_it(NullCall call) {
        assertThatThrownBy(call.run()).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid argument: " + call.argument() + ": must not be null");
    }

    @Test
    void recording_a_missing_file_says_there_is_no_such_file(@TempDir Path dir) {
        Path missing = dir.resolve("nonexist.json");
        assertThatThrownBy(() -> bm.recordFile(missing)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid argument: file: no such file: " + missing);
    }

    @Test
    void recording_a_directory_says_it_is_a_directory(@TempDir Path dir) {
        assertThatThrownBy(() -> bm.recordFile(dir)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid argument: file: " + dir + " is a directory, not a file");
    }
}
