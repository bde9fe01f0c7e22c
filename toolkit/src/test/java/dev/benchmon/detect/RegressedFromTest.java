package dev.benchmon.detect;

import dev.benchmon.MetricDirection;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether a run is still a regression from an open alert's baseline ({@link MetricJudge#regressedFrom}, what decides
 * whether the alert fails a push): the judge's own rules, measured from the alert's level instead of today's baseline.
 */
class RegressedFromTest {
    private static final DetectionSettings SETTINGS = DetectionSettings.defaults();

    /** The judgement of the last of {@code values} against the ones before it. */
    private static MetricJudgement judged(MetricDirection direction, double... values) {
        List<Observation> history = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            history.add(new Observation(i + 1, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(3600L * i), values[i],
                    Double.NaN, 0, null));
        }
        return MetricJudge.judge(history, history.get(values.length - 1), direction, SETTINGS, AlertState.NONE);
    }

    @Test
    void a_shift_that_became_the_baseline_is_still_a_regression_from_the_level_before_it() {
        MetricJudgement j = judged(MetricDirection.HIGHER_IS_BETTER, 0.90, 0.91, 0.89, 0.90, 0.91, 0.89, 0.90, 0.91,
                0.80, 0.81, 0.79, 0.80, 0.81, 0.79, 0.80, 0.81, 0.80);
        assertThat(j.outcome()).isNotEqualTo(Outcome.REGRESSION);

        assertThat(MetricJudge.regressedFrom(j, 0.90, MetricDirection.HIGHER_IS_BETTER, SETTINGS)).isTrue();
        assertThat(MetricJudge.regressedFrom(j, 0.80, MetricDirection.HIGHER_IS_BETTER, SETTINGS)).isFalse();
    }

    @Test
    void a_better_value_is_never_a_regression_from_the_alerts_level() {
        MetricJudgement j = judged(MetricDirection.LOWER_IS_BETTER, 100, 101, 99, 100, 101, 99, 100, 101, 100);

        assertThat(MetricJudge.regressedFrom(j, 150, MetricDirection.LOWER_IS_BETTER, SETTINGS)).isFalse();
        assertThat(MetricJudge.regressedFrom(j, 150, null, SETTINGS)).isFalse();
    }

    @Test
    void with_a_short_history_errors_still_above_an_alerts_level_of_zero_regress_as_the_relative_rule_says() {
        MetricJudgement j = judged(MetricDirection.LOWER_IS_BETTER, 3, 3, 3, 3); // too few runs: the relative rule
        assertThat(j.method()).isEqualTo(MetricJudgement.FALLBACK);
        assertThat(j.outcome()).isEqualTo(Outcome.OK);

        // The judge calls any change from a level of 0 beyond the relative rule; so does the alert's check.
        assertThat(MetricJudge.regressedFrom(j, 0, MetricDirection.LOWER_IS_BETTER, SETTINGS)).isTrue();
        assertThat(judged(MetricDirection.LOWER_IS_BETTER, 0, 0, 0, 3).outcome()).isEqualTo(Outcome.REGRESSION);
    }
}
