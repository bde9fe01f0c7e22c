package dev.benchmon.detect;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A run that moves the history's last change point later is judged against the history's segment since that change,
 * not against a baseline reaching back before it. A weak step (2 noise sd) at run 41 is the history's last change
 * point; with the new run in the series the detector places the change more than
 * {@value ChangePointDetector#MIN_SEGMENT} runs later. That is not a withdrawn change (a pulse the run ended), so the
 * baseline must not go back to the change before it: a baseline from the start of the window spans both levels, its
 * median between them.
 */
class MovedChangeBaselineTest {
    private static final String METRIC = "latency_ms";
    private static final double LEVEL = 100;
    private static final double SD = 1;
    private static final double STEP = 2;
    private static final int BEFORE = 40;
    private static final MetricSemantics SEMANTICS = MetricSemantics.of(METRIC, Map.of());
    private static final DetectionSettings SETTINGS = SEMANTICS.settings(DetectionOverrides.NONE);

    /** 40 runs at the level, then {@code after} runs of the step, then the run judged (also of the step), seeded noise. */
    private static List<Observation> series(long seed, int after) {
        Random noise = new Random(seed);
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i <= BEFORE + after; i++) {
            double level = i < BEFORE ? LEVEL : LEVEL + STEP;
            out.add(new Observation(i + 1, t0.plusSeconds(3600L * i), level + SD * noise.nextGaussian(), Double.NaN, 0,
                    String.format("%07x", i)));
        }
        return out;
    }

    /**
     * Seed 180, 15 runs of the step: the run is judged by the per-run test against the step's runs. The code that went
     * back to the change before judged it against the last 30 runs, 15 of them at the old level (median 101.2).
     */
    @Test
    void a_run_that_moves_the_last_change_later_is_judged_against_the_level_since_that_change() {
        MetricJudgement j = judgedMovingTheChange(180, 15);

        assertThat(j.text()).startsWith("within noise: ");
        assertThat(j.baselineRuns()).as("the step's runs only: %s", j.text()).isEqualTo(15);
        assertThat(j.baseline()).isCloseTo(LEVEL + STEP, within(SD));
    }

    /**
     * Seed 31, 9 runs of the step: the run reports the moved change point; its baseline is still the 9 runs since the
     * history's change, not the last 30 runs (21 of them at the old level).
     */
    @Test
    void a_run_that_moves_the_last_change_later_reports_it_with_the_baseline_since_the_history_change() {
        MetricJudgement j = judgedMovingTheChange(31, 9);

        assertThat(j.baselineRuns()).as("the step's runs only: %s", j.text()).isEqualTo(9);
    }

    /**
     * Replays the series (seed, {@code after} runs of the step, then the run) and returns the last run's judgement,
     * after checking the case: the history's last change point is the step, and with the run in it every change point
     * lies more than {@value ChangePointDetector#MIN_SEGMENT} runs later (found by searching seeds).
     */
    private static MetricJudgement judgedMovingTheChange(long seed, int after) {
        List<Observation> runs = series(seed, after);
        ChangePointDetector detector = new ChangePointDetector(SETTINGS);
        double[] withRun = runs.stream().mapToDouble(Observation::value).toArray();
        double[] history = java.util.Arrays.copyOf(withRun, withRun.length - 1);
        assertThat(detector.detect(history)).as("seed %d: the history's change points", seed)
                .extracting(ChangePoint::index).containsExactly(BEFORE);
        assertThat(detector.detect(withRun)).as("seed %d: the change points with the run", seed)
                .extracting(ChangePoint::index).isNotEmpty()
                .allMatch(i -> i > BEFORE + ChangePointDetector.MIN_SEGMENT);
        List<MetricJudgement> js = Replay.run(runs, SEMANTICS.direction(), SETTINGS);
        return js.get(js.size() - 1);
    }
}
