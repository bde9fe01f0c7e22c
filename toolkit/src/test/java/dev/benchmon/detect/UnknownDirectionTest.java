package dev.benchmon.detect;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.Filter;
import dev.benchmon.MetricDirection;
import dev.benchmon.RegressionOptions;
import dev.benchmon.ValidationException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.util.List;

import static dev.benchmon.support.Results.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A metric neither declared nor recognised by the dictionary ("widgets": 100, 101, ... 110, then 60) has one
 * direction everywhere: unknown. Model "w2" records it once so that models can be compared.
 */
class UnknownDirectionTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;
    private static long first;
    private static long last;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        for (int i = 0; i < 12; i++) {
            long id = bm.record(widgets("w", i, i < 11 ? 100 + i : 60)).transactionId();
            if (i == 0) first = id;
            last = id;
        }
        bm.record(widgets("w2", 0, 90));
    }

    private static BenchmarkResult widgets(String model, int hours, double value) {
        return BenchmarkResult.builder(model, "d").environment("ci").runAt(T0.plusSeconds(hours * 3600L))
                .metric("widgets", value).metric("accuracy", 0.9).idempotencyKey(model + "|" + hours).build();
    }

    private static String directionIn(Table t, String metric) {
        return t.where(t.stringColumn(t.columnNames().contains("metric") ? "metric" : "name").isEqualTo(metric))
                .stringColumn("direction").get(0);
    }

    @Test
    void direction_of_an_undeclared_unrecognised_metric_is_unknown() {
        assertThat(bm.direction("widgets")).isEqualTo(MetricDirection.UNKNOWN);
    }

    @Test
    void direction_of_a_name_the_dictionary_knows_is_the_dictionarys() {
        assertThat(bm.direction("accuracy")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(bm.direction("eval_wer")).isEqualTo(MetricDirection.LOWER_IS_BETTER); // the old SQL default said higher
    }

    @Test
    void metric_definitions_say_unknown() {
        assertThat(directionIn(bm.metricDefinitions(), "widgets")).isEqualTo("unknown");
    }

    @Test
    void compare_models_says_unknown() {
        Table t = bm.compareModels(Filter.models(List.of("w", "w2")));
        assertThat(directionIn(t, "widgets")).isEqualTo("unknown");
    }

    @Test
    void a_paired_comparison_says_unknown() {
        assertThat(directionIn(bm.comparePaired(first, last), "widgets")).isEqualTo("unknown");
    }

    @Test
    void the_engine_says_unknown_too() {
        Table t = bm.detectRegressions("w", 0.05);
        assertThat(directionIn(t, "widgets")).isEqualTo("unknown");
    }

    @Test
    void the_simple_rule_reports_a_change_of_unknown_direction_not_a_regression() {
        Verdict v = bm.simpleRuleRegressions(Filter.model("w").withMetrics("widgets"), RegressionOptions.defaults()).get(0);
        assertThat(v.direction()).isEqualTo("unknown");
        assertThat(v.regression()).isFalse();
        assertThat(v.severity()).isEqualTo("none");
        assertThat(v.outcome()).isEqualTo("changed_direction_unknown");
        assertThat(v.toString()).contains("changed_direction_unknown", "benchmon metrics define widgets")
                .doesNotContain("REGRESSION");
    }

    @Test
    void the_simple_rule_without_a_metric_filter_uses_the_same_directions() {
        List<Verdict> vs = bm.simpleRuleRegressions(Filter.model("w"), RegressionOptions.defaults());
        assertThat(vs).filteredOn(v -> v.metric().equals("widgets")).extracting(Verdict::direction).containsExactly("unknown");
        assertThat(vs).filteredOn(v -> v.metric().equals("accuracy")).extracting(Verdict::direction)
                .containsExactly("higher_is_better");
    }

    @Test
    void a_pareto_front_takes_a_quality_of_unknown_direction_as_higher_is_better() {
        // w: widgets about 100, w2: 90, the same accuracy (the "cost" axis here): w is better on quality alone.
        Table front = dev.benchmon.query.ParetoFront.of(bm.compareModels(Filter.models(List.of("w", "w2")),
                dev.benchmon.compare.CompareOptions.defaults().withPooled(true)), "widgets", "accuracy");
        assertThat(front.stringColumn("model_version").asList()).containsExactly("w", "w2");
        assertThat(front.booleanColumn("pareto").asList()).containsExactly(true, false);
    }

    @Test
    void unknown_is_not_a_direction_to_declare() {
        assertThatThrownBy(() -> bm.defineMetric("widgets", MetricDirection.UNKNOWN, null, null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("direction: unknown is not a direction");
    }
}
