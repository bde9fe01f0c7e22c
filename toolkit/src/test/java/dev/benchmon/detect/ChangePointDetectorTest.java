package dev.benchmon.detect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ChangePointDetectorTest {
    /** Optimal partitioning by exhaustive dynamic programming (Jackson et al. 2005), no pruning: the reference PELT must equal. */
    private static List<Integer> optimalPartitioning(double[] x, double variance, double beta, int minSeg) {
        int n = x.length;
        double[] f = new double[n + 1];
        int[] last = new int[n + 1];
        f[0] = -beta;
        for (int t = 1; t <= n; t++) {
            f[t] = Double.POSITIVE_INFINITY;
            for (int tau = 0; tau <= t - minSeg; tau++) {
                if (tau != 0 && tau < minSeg) {
                    continue;
                }
                double mean = 0;
                for (int i = tau; i < t; i++) {
                    mean += x[i];
                }
                mean /= t - tau;
                double c = 0;
                for (int i = tau; i < t; i++) {
                    c += (x[i] - mean) * (x[i] - mean);
                }
                double v = f[tau] + c / variance + beta;
                if (v < f[t]) {
                    f[t] = v;
                    last[t] = tau;
                }
            }
        }
        List<Integer> starts = new ArrayList<>();
        for (int t = last[n]; t > 0; t = last[t]) {
            starts.add(0, t);
        }
        return starts;
    }

    @Test
    void pelt_finds_the_same_segmentation_as_exhaustive_optimal_partitioning() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 30; trial++) {
            double[] x = new double[60 + rnd.nextInt(60)];
            double level = 0;
            for (int i = 0; i < x.length; i++) {
                if (rnd.nextDouble() < 0.04) {
                    level += (rnd.nextBoolean() ? 1 : -1) * (2 + 4 * rnd.nextDouble());
                }
                x[i] = level + rnd.nextGaussian();
            }
            double beta = 4 * Math.log(x.length);
            assertThat(ChangePointDetector.pelt(x, 1.0, beta, 3)).isEqualTo(optimalPartitioning(x, 1.0, beta, 3));
        }
    }

    /** The penalty is in units of the noise variance: the same series at another scale, with its variance, segments alike. */
    @Test
    void pelt_finds_the_exhaustive_optimum_at_every_noise_scale_and_level() {
        Random rnd = new Random(11);
        for (double variance : new double[] {1e-6, 0.01, 0.37, 6.25, 1e4}) {
            for (int trial = 0; trial < 10; trial++) {
                double sd = Math.sqrt(variance);
                double base = 300 + 1e3 * rnd.nextDouble(); // a high level: the sums must not lose the noise's digits
                double[] x = new double[60 + rnd.nextInt(60)];
                double level = 0;
                for (int i = 0; i < x.length; i++) {
                    if (rnd.nextDouble() < 0.04) {
                        level += (rnd.nextBoolean() ? 1 : -1) * (2 + 4 * rnd.nextDouble());
                    }
                    x[i] = base + sd * (level + rnd.nextGaussian());
                }
                double beta = 4 * Math.log(x.length);
                assertThat(ChangePointDetector.pelt(x, variance, beta, 3)).as("variance %s, trial %d", variance, trial)
                        .isEqualTo(optimalPartitioning(x, variance, beta, 3));
            }
        }
    }

    /** A series of one value has nothing to segment, whatever the value and however small the variance it is given. */
    @Test
    void pelt_finds_no_change_in_a_constant_series_at_any_level() {
        for (double value : new double[] {0.3, 0.1, 1.0 / 3, 123.456, 1e9 + 0.1}) {
            double[] x = new double[50];
            java.util.Arrays.fill(x, value);
            // the detector's variance for a series without noise: (1e-12 of its level)^2
            assertThat(ChangePointDetector.pelt(x, Math.pow(1e-12 * value, 2), 4 * Math.log(50), 3)).as("%s", value).isEmpty();
        }
    }

    @Test
    void a_clear_step_is_found_where_it_starts() {
        double[] x = {10, 10.1, 9.9, 10, 10.2, 9.8, 10, 10.1, 9.9, 10, 12, 12.1, 11.9, 12, 12.2, 11.8, 12, 12.1, 11.9, 12};
        List<ChangePoint> cps = new ChangePointDetector(DetectionSettings.defaults()).detect(x);
        assertThat(cps).extracting(ChangePoint::index).containsExactly(10);
        assertThat(cps.get(0).magnitude()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void a_single_outlier_is_not_a_change_point() {
        Random rnd = new Random(3);
        double[] x = new double[80];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.85 + 0.01 * rnd.nextGaussian();
        }
        x[40] = 0.70;
        assertThat(new ChangePointDetector(DetectionSettings.defaults()).detect(x)).isEmpty();
    }

    /**
     * A segment needs {@code MIN_SEGMENT} runs of its own level: two shifted runs at the end of a series (or two old runs
     * at its start) formed one with a run of the other level, and that change was reported a run off.
     */
    @Test
    void a_shift_is_located_once_it_has_three_runs_not_a_run_early() {
        ChangePointDetector detector = new ChangePointDetector(DetectionSettings.defaults());
        double[] x = {10, 10.1, 9.9, 10, 10.2, 9.8, 10, 10.1, 9.9, 10, 12, 12.1, 11.9};
        assertThat(detector.detect(java.util.Arrays.copyOf(x, 12))).as("two shifted runs").isEmpty();
        assertThat(detector.detect(x)).extracting(ChangePoint::index).containsExactly(10);

        double[] late = {10, 10.1, 12, 11.9, 12.1, 12, 12.2, 11.8, 12, 12.1};
        assertThat(detector.detect(late)).as("two runs before the step").isEmpty();
    }

    @Test
    void with_noise_a_shift_of_three_or_more_runs_is_located_at_its_first_run_for_every_seed() {
        // The three-run rule above on noisy series: 20 runs of N(100, 1), then k of N(110, 1), 500 seeds each.
        // Measured 2026-11-30 over 1,000 seeds: at run 20 every time for k = 3..8, never a run early or late; noise
        // formed another change elsewhere in 0.2-0.5% of the series.
        ChangePointDetector detector = new ChangePointDetector(DetectionSettings.defaults());
        for (int k = 3; k <= 8; k++) {
            int others = 0;
            for (int seed = 0; seed < 500; seed++) {
                Random rnd = new Random(seed);
                double[] x = new double[20 + k];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (i < 20 ? 100 : 110) + rnd.nextGaussian();
                }
                List<Integer> found = detector.detect(x).stream().map(ChangePoint::index).toList();
                assertThat(found).as("k=%d seed=%d", k, seed).contains(20).doesNotContain(19, 21);
                others += found.size() > 1 ? 1 : 0;
            }
            assertThat(others).as("series with another change, k=%d, of 500", k).isLessThanOrEqualTo(10);
        }
        for (int seed = 0; seed < 500; seed++) { // two shifted runs: no change yet, and never one at the last old run
            Random rnd = new Random(seed);
            double[] x = new double[22];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i < 20 ? 100 : 110) + rnd.nextGaussian();
            }
            assertThat(detector.detect(x)).as("k=2 seed=%d", seed).extracting(ChangePoint::index).doesNotContain(19, 20);
        }
    }

    @Test
    void with_noise_a_three_run_step_between_two_others_keeps_both_of_its_changes() {
        // The rule applies to every segment: a real three-run level in the middle (100, 110, 120) must survive it.
        ChangePointDetector detector = new ChangePointDetector(DetectionSettings.defaults());
        int others = 0;
        for (int seed = 0; seed < 500; seed++) {
            Random rnd = new Random(seed);
            double[] x = new double[43];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i < 20 ? 100 : i < 23 ? 110 : 120) + rnd.nextGaussian();
            }
            List<Integer> found = detector.detect(x).stream().map(ChangePoint::index).toList();
            assertThat(found).as("seed=%d", seed).contains(20, 23);
            others += found.size() > 2 ? 1 : 0;
        }
        assertThat(others).as("series with another change, of 500").isLessThanOrEqualTo(10);
    }

    /** Change points of 500 seeded short series, at run 18 and elsewhere: 18 runs of N(100, 1), then 4 of N(105, 1). */
    private static int[] stepAfter(Double flakyRun) {
        ChangePointDetector detector = new ChangePointDetector(DetectionSettings.defaults());
        int[] atStepAndElsewhere = new int[2];
        for (int seed = 0; seed < 500; seed++) {
            Random rnd = new Random(seed);
            double[] x = new double[22];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i >= 18 ? 105 : 100) + rnd.nextGaussian();
            }
            if (flakyRun != null) {
                x[15] = flakyRun;
            }
            for (ChangePoint cp : detector.detect(x)) {
                atStepAndElsewhere[cp.index() == 18 ? 0 : 1]++;
            }
        }
        return atStepAndElsewhere;
    }

    @Test
    void a_step_three_runs_after_a_flaky_run_of_a_short_series_is_located_at_the_step() {
        // A flaky run at 120 (20 sd) at run 15. Before 2026-12-05 the segmentation paid for it with a segment starting
        // there, whose jump back then tripled the noise its test used: the step was found in under 1% of series.
        int[] withFlakyRun = stepAfter(120.0);
        int[] without = stepAfter(null);

        assertThat(withFlakyRun[0]).as("series whose change point is the step's first run").isGreaterThanOrEqualTo(450);
        assertThat(withFlakyRun[1]).as("change points elsewhere (the flaky run, a run early), against the same series "
                + "without it").isLessThanOrEqualTo(without[1] + 3);
    }
}
