package dev.benchmon.detect;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second and third runs of a drop in a young series are graded as its first. A new user's trial: ten runs of accuracy about
 * 0.80, then 0.60 (a critical regression, 13.1 sd), then 0.61. The jump into 0.60 counted as noise when 0.61 was judged,
 * as the change-point search cannot yet place a shift whose first run is the last of the history, so 0.61 was "minor,
 * 3.8 sd" in push and {@code /regressions} while its alert, graded by the opening's noise, said critical.
 */
class ShiftSecondRunTest {
    private static final MetricSemantics SEMANTICS = MetricSemantics.of("accuracy", Map.of());
    private static final DetectionSettings SETTINGS = SEMANTICS.settings(DetectionOverrides.NONE);

    /** Ten runs at 0.80 with seeded noise of sd 0.01, then {@code then}, one run each. */
    private static List<Observation> series(long seed, double... then) {
        Random noise = new Random(seed);
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < 10 + then.length; i++) {
            double value = i < 10 ? 0.80 + 0.01 * noise.nextGaussian() : then[i - 10];
            out.add(new Observation(i + 1, t0.plusSeconds(3600L * i), value, Double.NaN, 0, String.format("%07x", i)));
        }
        return out;
    }

    @Test
    void the_second_run_of_a_drop_in_a_young_series_is_graded_as_the_first() {
        for (long seed = 0; seed < 50; seed++) {
            List<MetricJudgement> js = Replay.run(series(seed, 0.60, 0.61), SEMANTICS.direction(), SETTINGS);
            MetricJudgement first = js.get(10);
            MetricJudgement second = js.get(11);

            assertThat(first.outcome()).as("seed %d: %s", seed, first.text()).isEqualTo(Outcome.REGRESSION);
            assertThat(second.outcome()).as("seed %d: %s", seed, second.text()).isEqualTo(Outcome.REGRESSION);
            // Judged with the noise of the ten runs before the drop (sd 0.01), not with the drop's jump counted as noise
            // (0.045 and more).
            assertThat(second.sd()).as("seed %d: %s", seed, second.text()).isLessThan(0.025);
            assertThat(second.severity(SETTINGS.sensitivity())).as("seed %d: %s", seed, second.text())
                    .isEqualTo(first.severity(SETTINGS.sensitivity())).isNotEqualTo("minor");
        }
    }

    /** Nor can it place one whose first run is the last but one: the third run is graded as the first too. */
    @Test
    void the_third_run_of_a_drop_in_a_young_series_is_graded_as_the_first() {
        for (long seed = 0; seed < 50; seed++) {
            List<MetricJudgement> js = Replay.run(series(seed, 0.60, 0.61, 0.62), SEMANTICS.direction(), SETTINGS);
            MetricJudgement first = js.get(10);
            MetricJudgement third = js.get(12);

            assertThat(third.outcome()).as("seed %d: %s", seed, third.text()).isEqualTo(Outcome.REGRESSION);
            assertThat(third.sd()).as("seed %d: %s", seed, third.text()).isLessThan(0.025);
            assertThat(third.severity(SETTINGS.sensitivity())).as("seed %d: %s", seed, third.text())
                    .isEqualTo(first.severity(SETTINGS.sensitivity()));
        }
    }

    @Test
    void a_run_back_at_the_level_after_one_run_out_is_within_noise() {
        for (long seed = 0; seed < 50; seed++) {
            List<MetricJudgement> js = Replay.run(series(seed, 0.60, 0.80), SEMANTICS.direction(), SETTINGS);

            assertThat(js.get(11).outcome()).as("seed %d: %s", seed, js.get(11).text()).isEqualTo(Outcome.OK);
        }
    }
}
