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
 * A short excursion that returned is not a new level, a sustained step is. The series of a user trial: lm-eval
 * {@code acc,none} at 0.711 (noise sd 0.004) for 40 runs, then 0.654 for two runs (a dip, alerted as a regression),
 * then back at 0.711. The runs back at the old level are judged against it: ok, with no change point, where they were
 * reported as an improvement of +5.5 points against a three-run baseline made of the dip and a run after it. The same
 * drop kept for good is confirmed by a change point and becomes the baseline.
 */
class ShortExcursionTest {
    private static final String METRIC = "acc,none";
    private static final double LEVEL = 0.711;
    private static final double DIP = 0.654;
    private static final double SD = 0.004;
    private static final int BEFORE = 40;
    private static final MetricSemantics SEMANTICS = MetricSemantics.of(METRIC, Map.of());
    private static final DetectionSettings SETTINGS = SEMANTICS.settings(DetectionOverrides.NONE);

    /** 40 runs at the old level, then {@code then} (levels, one a run), each with seeded noise of sd 0.004. */
    private static List<Observation> series(long seed, double... then) {
        Random noise = new Random(seed);
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < BEFORE + then.length; i++) {
            double level = i < BEFORE ? LEVEL : then[i - BEFORE];
            out.add(new Observation(i + 1, t0.plusSeconds(3600L * i), level + SD * noise.nextGaussian(), Double.NaN, 0,
                    String.format("%07x", i)));
        }
        return out;
    }

    private static List<MetricJudgement> replay(List<Observation> runs) {
        return Replay.run(runs, SEMANTICS.direction(), SETTINGS);
    }

    @Test
    void runs_back_at_the_old_level_after_a_two_run_dip_are_ok_against_the_old_level() {
        runsBackAreOk(2);
    }

    /** A dip of three or four runs is a change point once it has three, withdrawn by the first run back. */
    @Test
    void runs_back_at_the_old_level_after_a_three_or_four_run_dip_are_ok_against_the_old_level() {
        runsBackAreOk(3);
        runsBackAreOk(4);
    }

    private static void runsBackAreOk(int dipRuns) {
        double[] then = new double[dipRuns + 5];
        java.util.Arrays.fill(then, LEVEL);
        java.util.Arrays.fill(then, 0, dipRuns, DIP);
        for (long seed = 0; seed < 50; seed++) {
            List<MetricJudgement> js = replay(series(seed, then));

            assertThat(js.get(BEFORE).outcome()).as("seed %d: the dip's first run", seed).isEqualTo(Outcome.REGRESSION);
            assertThat(js.get(BEFORE).alert()).as("seed %d: the dip alerts", seed).isTrue();
            for (int k = BEFORE + dipRuns; k < js.size(); k++) {
                MetricJudgement j = js.get(k);
                assertThat(j.outcome()).as("seed %d, run %d back at the old level: %s", seed, k - BEFORE - dipRuns + 1, j.text())
                        .isEqualTo(Outcome.OK);
                assertThat(j.baseline()).as("seed %d, run %d: judged against the old level", seed, k - BEFORE - dipRuns + 1)
                        .isCloseTo(LEVEL, within(2 * SD));
                assertThat(j.text()).as("seed %d, run %d", seed, k - BEFORE - dipRuns + 1).startsWith("within noise: ")
                        .doesNotContain("change point");
            }
            for (int k = BEFORE + dipRuns; k < js.size(); k++) {
                assertThat(js.get(k).changePoints()).as("seed %d, run %d: no change of level", seed, k - BEFORE - dipRuns + 1)
                        .isEmpty();
            }
        }
    }

    /**
     * A push of several runs judges each against the runs before it, as if sent alone: the first run back after a
     * four-run dip, judged with the next run back of the same push beside it, is ok against the old level. It was
     * judged against the dip (an improvement): a run with newer ones beside it skipped the search of the series with
     * it in it, which is where the dip's change point is withdrawn.
     */
    @Test
    void a_run_back_judged_with_a_newer_run_of_its_push_beside_it_gets_its_verdict_alone() {
        for (long seed = 0; seed < 50; seed++) {
            List<Observation> runs = series(seed, DIP, DIP, DIP, DIP, LEVEL, LEVEL);
            List<Observation> history = runs.subList(0, BEFORE + 4);
            Observation firstBack = runs.get(BEFORE + 4);
            Observation secondBack = runs.get(BEFORE + 5);
            List<Observation> withNewer = new ArrayList<>(history);
            withNewer.add(secondBack);

            MetricJudgement alone = MetricJudge.judge(history, firstBack, SEMANTICS.direction(), SETTINGS, AlertState.NONE);
            MetricJudgement inPush = MetricJudge.judge(withNewer, firstBack, SEMANTICS.direction(), SETTINGS, AlertState.NONE);

            assertThat(alone.outcome()).as("seed %d alone: %s", seed, alone.text()).isEqualTo(Outcome.OK);
            assertThat(inPush.outcome()).as("seed %d in a push: %s", seed, inPush.text()).isEqualTo(Outcome.OK);
            assertThat(inPush.baseline()).as("seed %d", seed).isEqualTo(alone.baseline());
        }
    }

    @Test
    void a_two_run_dip_followed_by_one_or_two_runs_back_is_no_change_point() {
        ChangePointDetector detector = new ChangePointDetector(SETTINGS);
        for (long seed = 0; seed < 50; seed++) {
            for (int back = 1; back <= 4; back++) {
                double[] then = new double[2 + back];
                java.util.Arrays.fill(then, LEVEL);
                then[0] = DIP;
                then[1] = DIP;
                double[] x = series(seed, then).stream().mapToDouble(Observation::value).toArray();
                assertThat(detector.detect(x)).as("seed %d, %d runs back", seed, back).isEmpty();
            }
        }
    }

    @Test
    void the_same_drop_kept_is_confirmed_by_a_change_point_and_becomes_the_baseline() {
        for (long seed = 0; seed < 50; seed++) {
            List<MetricJudgement> js = replay(series(seed, DIP, DIP, DIP, DIP, DIP, DIP, DIP));

            assertThat(js.get(BEFORE).outcome()).as("seed %d: the step's first run", seed).isEqualTo(Outcome.REGRESSION);
            assertThat(js.get(BEFORE).alert()).isTrue();
            MetricJudgement third = js.get(BEFORE + 2);
            assertThat(third.changePoints()).as("seed %d: confirmed once it has three runs", seed)
                    .singleElement().satisfies(cp -> {
                        assertThat(cp.index()).isEqualTo(BEFORE);
                        assertThat(cp.after()).isCloseTo(DIP, within(2 * SD));
                    });
            MetricJudgement last = js.get(js.size() - 1);
            assertThat(last.outcome()).as("seed %d: the new level is the baseline", seed).isEqualTo(Outcome.OK);
            assertThat(last.baseline()).isCloseTo(DIP, within(2 * SD));
            assertThat(last.changePoints()).extracting(ChangePoint::index).containsExactly(BEFORE);
            assertThat(js.subList(BEFORE + 1, js.size())).as("seed %d: one shift, one alert", seed)
                    .noneMatch(MetricJudgement::alert);
        }
    }
}
