package dev.benchmon;

import dev.benchmon.chart.Charts;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tech.tablesaw.api.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.benchmon.support.Results.result;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A refused argument of a query or option says so ("invalid argument: field: problem"), not that benchmark input was
 * refused and nothing stored; a refused result keeps the ingest wording. Two results of model "m" on datasets "d1"
 * and "d2".
 */
class ArgumentErrorsTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;
    private static long onD1;
    private static long onD2;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        onD1 = bm.record(result("m", "d1", 0, 0.9, 100)).transactionId();
        onD2 = bm.record(result("m", "d2", 1, 0.8, 110)).transactionId();
    }

    @Test
    void a_negative_threshold_is_an_invalid_argument() {
        assertThatThrownBy(() -> bm.detectRegressions("m", -0.1)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid argument: threshold: must be a finite number >= 0");
    }

    @Test
    void a_negative_window_is_an_invalid_argument() {
        assertThatThrownBy(() -> bm.timeSeries("m", "f1", Duration.ofDays(-3)))
                .hasMessage("invalid argument: last: must be a positive window like Duration.ofDays(7) or "
                        + "Duration.ofHours(24), got -3 days");
    }

    @Test
    void a_zero_window_is_named_in_words_not_as_an_iso_duration() {
        assertThatThrownBy(() -> Filter.last(Duration.ZERO)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageEndingWith("got 0 seconds");
        assertThatThrownBy(() -> Filter.last(Duration.ofHours(-24))).hasMessageEndingWith("got -1 day");
    }

    @Test
    void a_limit_of_zero_is_an_invalid_argument() {
        assertThatThrownBy(() -> bm.history(Filter.all().withLimit(0)))
                .hasMessage("invalid argument: limit: must be at least 1, got 0");
    }

    /** Filter.model("") was every model: bm.detectRegressions("") answered for all of them. */
    @Test
    void a_blank_name_in_a_filter_is_an_invalid_argument_not_every_name() {
        assertThatThrownBy(() -> Filter.model("")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid argument: model: is empty: give a name, or leave the model filter out");
        assertThatThrownBy(() -> Filter.environments(java.util.List.of("ci", " "))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("environment: is empty");
        assertThatThrownBy(() -> bm.detectRegressions("")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void a_filter_whose_until_is_not_after_its_since_names_both_as_the_api_does() {
        Filter since = Filter.all().withSince(Instant.parse("2026-12-05T00:00:00Z"));
        assertThatThrownBy(() -> since.withUntil(Instant.parse("2026-11-30T00:00:00Z")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid argument: until: until 2026-11-30T00:00:00Z must be after since 2026-12-05T00:00:00Z");
    }

    @Test
    void a_confidence_given_as_a_percentage_is_an_invalid_argument() {
        assertThatThrownBy(() -> CompareOptions.defaults().withConfidence(95))
                .hasMessageStartingWith("invalid argument: confidence: must be between 0.5 and 1");
    }

    @Test
    void a_minimum_effect_that_is_not_a_number_is_an_invalid_argument() {
        assertThatThrownBy(() -> RegressionOptions.defaults().withMinEffect("abc"))
                .hasMessageStartingWith("invalid argument: min_effect: ");
    }

    @Test
    void a_paired_comparison_across_dataset_versions_is_an_invalid_argument() {
        assertThatThrownBy(() -> bm.comparePaired(onD1, onD2))
                .hasMessageStartingWith("invalid argument: b: a paired comparison needs one dataset version");
    }

    @Test
    void an_empty_model_list_to_compare_is_refused_not_read_as_every_model() {
        assertThatThrownBy(() -> bm.compareModels(List.of(), Duration.ofDays(7))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid argument: models: is empty; name the model versions to compare");
    }

    @Test
    void a_result_compared_with_itself_is_refused() {
        assertThatThrownBy(() -> bm.comparePaired(onD1, onD1)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid argument: b: is the same result as a (#" + onD1 + ")");
    }

    @Test
    void a_comparison_chart_of_a_metric_the_table_lacks_names_the_metrics_it_has() {
        Table cmp = bm.compareModels(Filter.model("m"));
        assertThatThrownBy(() -> Charts.comparison(cmp, "nosuch")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid argument: metric: unknown metric 'nosuch' (known in this table: f1, latency_ms)");
    }

    @Test
    void a_cost_quality_chart_of_a_metric_the_table_lacks_names_the_argument() {
        Table cmp = bm.compareModels(Filter.model("m"));
        assertThatThrownBy(() -> Charts.costQuality(cmp, "f1", "nosuch")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid argument: costMetric: unknown metric 'nosuch'");
    }

    @Test
    void a_trend_table_is_refused_as_a_comparison() {
        Table trend = bm.timeSeries("m", "f1", Duration.ofDays(36_000));
        assertThatThrownBy(() -> Charts.comparison(trend, "f1")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid argument: comparison: needs a table from bm.compareModels(models, window)");
    }

    @Test
    void a_refused_result_keeps_the_ingest_wording() {
        assertThatThrownBy(() -> bm.record(BenchmarkResult.builder("m", "d1").metric("f1", Double.NaN).build()))
                .isInstanceOf(ValidationException.class).isNotInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid benchmark input (1 problem; nothing was stored): metrics.f1");
    }
}
