package dev.benchmon.detect;

import dev.benchmon.MetricDirection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A young series is judged by the relative rule against the median of its previous (up to 5) runs, and its verdict
 * says against what: one run before it is "the previous run", not "the median of the previous 1 runs".
 */
class FallbackRuleTextTest {
    private static MetricJudgement judgeAfter(int runs, double value) {
        List<Observation> history = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            history.add(Observation.of(i + 1, 100));
        }
        return MetricJudge.judge(history, Observation.of(runs + 1, value), MetricDirection.LOWER_IS_BETTER,
                DetectionSettings.defaults(), AlertState.NONE);
    }

    @Test
    void a_second_run_is_said_against_the_previous_run() {
        MetricJudgement j = judgeAfter(1, 150);

        assertThat(j.outcome()).isEqualTo(Outcome.REGRESSION);
        assertThat(j.text()).contains("vs the previous run; relative rule").doesNotContain("previous 1 runs");
    }

    @Test
    void a_later_run_is_said_against_the_median_of_the_previous_runs() {
        assertThat(judgeAfter(3, 150).text()).contains("vs the median of the previous 3 runs; relative rule");
    }
}
