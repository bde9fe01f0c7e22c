package dev.benchmon.detect;

import dev.benchmon.MetricDirection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verdict's text never contradicts the sensitivity: with a short history the engine raises its bar (the noise
 * estimate from few runs is uncertain), and a run past the sensitivity but under that bar says so. History: nine
 * runs of latency alternating 100.5 / 99.5 ms.
 */
class ShortHistoryBarTextTest {
    private static MetricJudgement judge(double value) {
        List<Observation> history = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            history.add(Observation.of(i + 1, 100 + (i % 2 == 0 ? 0.5 : -0.5)));
        }
        return MetricJudge.judge(history, Observation.of(10, value), MetricDirection.LOWER_IS_BETTER,
                DetectionSettings.defaults(), AlertState.NONE);
    }

    @Test
    void a_run_past_the_sensitivity_but_under_the_short_history_bar_names_the_bar() {
        MetricJudgement j = judge(104.5); // 5.2 sd

        assertThat(j.outcome()).isEqualTo(Outcome.OK);
        assertThat(j.text()).startsWith("within noise: +4.00 (+4.0%) (5.2 sd)")
                .contains("with 9 runs of history the bar is 5.3 sd, not 4.0");
    }

    @Test
    void a_run_under_the_sensitivity_says_within_noise_alone() {
        assertThat(judge(102.0).text()).isEqualTo("within noise: +1.50 (+1.5%) (2.0 sd)");
    }
}
