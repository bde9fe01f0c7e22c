package dev.benchmon.detect;

import dev.benchmon.MetricDirection;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A noise run a little out of band just before a real step: the step's first run alerts with the shift starting at
 * that low run, and the step's next runs are the same shift. With the step in the noise estimate the low run fell just
 * inside the band again, the shift seemed to start a run later, at a run the alert memory did not hold, and the next
 * run raised a second alert for the same step (in 1% to 4% of the labelled corpus' step series at 500 seeds).
 */
class LowRunBeforeStepTest {
    private static final String METRIC = "accuracy";
    private static final double LEVEL = 0.85;
    private static final double SD = 0.01;
    private static final MetricSemantics SEMANTICS = MetricSemantics.of(METRIC, Map.of());
    private static final DetectionSettings SETTINGS = SEMANTICS.settings(DetectionOverrides.NONE);

    /** 59 runs at the level, one run {@code lowSds} noise sd low, then 10 runs of a step {@code stepSds} sd down. */
    private static List<Observation> series(long seed, double lowSds, double stepSds) {
        Random noise = new Random(seed);
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            double v = i < 59 ? LEVEL + SD * noise.nextGaussian()
                    : i == 59 ? LEVEL - lowSds * SD
                    : LEVEL - stepSds * SD + SD * noise.nextGaussian();
            out.add(new Observation(i + 1, t0.plusSeconds(3600L * i), v, Double.NaN, 0, String.format("%07x", i)));
        }
        return out;
    }

    @Test
    void a_low_run_just_before_a_step_and_the_step_give_one_alert() {
        assertThat(SEMANTICS.direction()).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        List<String> twice = new ArrayList<>();
        for (long seed = 0; seed < 300; seed++) {
            List<MetricJudgement> js = Replay.run(series(seed, 2.0, 6), SEMANTICS.direction(), SETTINGS);
            List<Integer> alerted = new ArrayList<>();
            for (int k = 59; k < js.size(); k++) {
                if (js.get(k).alert() && js.get(k).outcome() == Outcome.REGRESSION) {
                    alerted.add(k + 1);
                }
            }
            assertThat(alerted).as("seed %d: the step alerts", seed).isNotEmpty();
            if (alerted.size() > 1) {
                twice.add("seed " + seed + ": runs " + alerted);
            }
        }
        assertThat(twice).as("one step, one alert").isEmpty();
    }
}
