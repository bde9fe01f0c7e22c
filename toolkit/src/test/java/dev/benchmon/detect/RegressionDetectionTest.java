package dev.benchmon.detect;

import dev.benchmon.BaselineMode;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.RecordOutcome;
import dev.benchmon.RegressionOptions;
import dev.benchmon.ValidationException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;

import static dev.benchmon.support.Results.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Series "drop": f1 0.90, 0.92, 0.88, 0.90 then 0.80; latency 100, 100, 100, 100 then 130.
 * Series "rise": f1 0.80 x4 then 0.90; latency 100 x4 then 90.
 */
class RegressionDetectionTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;
    private static long firstDropRun;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        double[] f1 = {0.90, 0.92, 0.88, 0.90, 0.80};
        double[] latency = {100, 100, 100, 100, 130};
        for (int i = 0; i < 5; i++) {
            RecordOutcome o = bm.record(result("drop", "d", i, f1[i], latency[i]));
            if (i == 0) firstDropRun = o.transactionId();
            bm.record(result("rise", "d", i, i < 4 ? 0.80 : 0.90, i < 4 ? 100 : 90));
        }
    }

    private static Verdict verdict(List<Verdict> vs, String model, String metric) {
        return vs.stream().filter(v -> v.modelVersion().equals(model) && v.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void an_f1_drop_is_a_regression_against_the_mean_of_previous_runs() {
        Verdict v = verdict(bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults()), "drop", "f1");
        assertThat(v.baseline()).isCloseTo(0.90, within(1e-9));
        assertThat(v.current()).isEqualTo(0.80);
        assertThat(v.delta()).isCloseTo(-0.10, within(1e-9));
        assertThat(v.relativeChange()).isCloseTo(-0.10 / 0.90, within(1e-9));
        assertThat(v.regression()).isTrue();
        assertThat(v.severity()).isEqualTo("major"); // 11% worse: over 2x but within 4x the 5% threshold
        assertThat(v.baselineRuns()).isEqualTo(4);
    }

    @Test
    void a_latency_rise_is_a_regression_because_lower_is_better() {
        Verdict v = verdict(bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults()), "drop", "latency_ms");
        assertThat(v.direction()).isEqualTo("lower_is_better");
        assertThat(v.regression()).isTrue();
        assertThat(v.severity()).isEqualTo("critical"); // 30% worse
    }

    @Test
    void an_f1_rise_and_a_latency_fall_are_not_regressions() {
        List<Verdict> vs = bm.simpleRuleRegressions(Filter.model("rise"), RegressionOptions.defaults());
        assertThat(vs).hasSize(2).noneMatch(Verdict::regression);
        assertThat(vs).extracting(Verdict::severity).containsOnly("none");
    }

    @Test
    void a_higher_threshold_lets_the_f1_drop_pass() {
        Verdict v = verdict(bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults().withThreshold(0.2)), "drop", "f1");
        assertThat(v.regression()).isFalse();
    }

    @Test
    void an_absolute_threshold_ignores_small_moves() {
        Verdict v = verdict(bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults().withAbsoluteThreshold(0.15)), "drop", "f1");
        assertThat(v.regression()).isFalse();
    }

    @Test
    void the_previous_run_baseline_compares_with_the_run_before_the_latest() {
        Verdict v = verdict(bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults().withBaseline(BaselineMode.PREVIOUS)), "drop", "f1");
        assertThat(v.baseline()).isEqualTo(0.90);
        assertThat(v.baselineRuns()).isEqualTo(1);
    }

    @Test
    void a_window_of_two_averages_the_two_previous_runs() {
        Verdict v = verdict(bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults().withWindow(2)), "drop", "f1");
        assertThat(v.baseline()).isCloseTo(0.89, within(1e-9));
    }

    @Test
    void a_pinned_baseline_compares_with_the_chosen_transaction() {
        Verdict v = verdict(bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults().pinnedTo(firstDropRun)), "drop", "f1");
        assertThat(v.baseline()).isEqualTo(0.90);
    }

    @Test
    void a_pinned_baseline_that_does_not_exist_is_reported() {
        assertThatThrownBy(() -> bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults().pinnedTo(999_999)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("baseline transaction 999999 not found");
    }

    @Test
    void the_users_call_returns_every_check_with_regressions_first() {
        Table t = bm.detectRegressions("drop", 0.05);
        assertThat(t.rowCount()).isEqualTo(2);
        assertThat(t.booleanColumn("is_regression").asList()).containsExactly(true, true);
        assertThat(t.columnNames()).contains("metric", "baseline", "current", "delta", "relative_change", "is_regression", "severity");
    }

    @Test
    void the_table_of_checks_is_named_for_what_it_holds_not_regressions_alone() {
        Table t = bm.detectRegressions("rise", 0.05);

        assertThat(t.booleanColumn("is_regression").asList()).containsOnly(false);
        assertThat(t.name()).isEqualTo("regression checks"); // printed as its title: "regressions" over ok rows misled
    }

    @Test
    void a_first_runs_verdict_has_no_delta() {
        bm.record(result("first", "d", 0, 0.9, 100));
        Table t = bm.detectRegressions("first", 0.05);
        assertThat(t.stringColumn("outcome").asList()).containsOnly("no_baseline");
        assertThat(t.doubleColumn("delta").isMissing().size()).isEqualTo(t.rowCount());
    }

    @Test
    void only_regressions_can_be_asked_for() {
        Table t = bm.detectRegressions(Filter.all(), RegressionOptions.defaults().withOnlyRegressions(true));
        assertThat(t.stringColumn("model_version").unique().asList()).containsExactly("drop");
    }

    @Test
    void the_sql_function_for_one_series_gives_the_same_verdicts_as_java() {
        List<String> sql = bm.jdbi().withHandle(h -> h.createQuery(
                "SELECT metric || ':' || round(baseline::numeric, 6) || ':' || is_regression || ':' || severity "
                        + "FROM detect_regression('drop', 'd', '', 'ci') ORDER BY metric").mapTo(String.class).list());
        List<String> fromJava = bm.simpleRuleRegressions(Filter.model("drop"), RegressionOptions.defaults()).stream()
                .sorted(java.util.Comparator.comparing(Verdict::metric))
                .map(v -> v.metric() + ":" + new java.math.BigDecimal(v.baseline()).setScale(6, java.math.RoundingMode.HALF_UP)
                        + ":" + v.regression() + ":" + v.severity()).toList();
        assertThat(sql).isEqualTo(fromJava);
    }
}
