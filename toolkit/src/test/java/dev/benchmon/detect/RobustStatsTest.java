package dev.benchmon.detect;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The robust noise scale the engine's verdicts and change points are measured in. The expected values are those the
 * implementation before 2026-11-30 printed for the same inputs (it computed the differences' median twice), so any
 * change of a bit here changes verdicts.
 */
class RobustStatsTest {
    /** 120 runs around 0.91, then 0.87 from run 80, uniform noise of width 0.01, and one outlier run at 40. */
    private static double[] shiftedSeries() {
        SplittableRandom r = new SplittableRandom(7);
        double[] x = new double[120];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i < 80 ? 0.91 : 0.87) + 0.01 * (r.nextDouble() - 0.5);
        }
        x[40] = 0.5;
        return x;
    }

    @Test
    void the_noise_of_a_shifted_series_with_an_outlier_is_its_run_to_run_scatter() {
        assertThat(RobustStats.diffSd(shiftedSeries(), 0, 120)).isEqualTo(0.002837447031726614);
    }

    @Test
    void a_window_of_the_series_is_judged_on_its_own_runs() {
        assertThat(RobustStats.diffSd(shiftedSeries(), 10, 70)).isEqualTo(0.0027609512563441263);
    }

    @Test
    void a_short_series_uses_its_few_differences() {
        assertThat(RobustStats.diffSd(new double[] {1, 2, 4, 7, 11}, 0, 5)).isEqualTo(0.9252859738120606);
    }

    @Test
    void a_metric_of_few_distinct_values_falls_back_to_the_mean_absolute_difference() {
        assertThat(RobustStats.diffSd(new double[] {3, 3, 3, 3, 4, 4, 4, 3, 3, 3}, 0, 10)).isEqualTo(0.19693931676727952);
    }

    /**
     * The median by selection is the sorted array's middle (or the mean of its two middles) to the bit, on odd and even
     * lengths, ties, constant runs, sorted and reversed input, signed zeros and NaN (ordered as Arrays.sort orders them).
     */
    @Test
    void the_median_is_the_middle_of_the_sorted_values_to_the_bit() {
        SplittableRandom r = new SplittableRandom(11);
        double[] specials = {0.0, -0.0, Double.NaN, 1.0, -1.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int trial = 0; trial < 20_000; trial++) {
            int n = 1 + r.nextInt(trial < 10_000 ? 40 : 300);
            double[] v = new double[n];
            int kind = r.nextInt(5);
            for (int i = 0; i < n; i++) {
                v[i] = switch (kind) {
                    case 0 -> r.nextDouble();
                    case 1 -> r.nextInt(4); // many ties
                    case 2 -> i; // sorted
                    case 3 -> n - i; // reversed
                    default -> specials[r.nextInt(specials.length)];
                };
            }
            double[] before = v.clone();
            int from = r.nextInt(n);
            int to = from + 1 + r.nextInt(n - from);

            double[] sorted = java.util.Arrays.copyOfRange(v, from, to);
            java.util.Arrays.sort(sorted);
            int m = sorted.length;
            double expected = m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;

            assertThat(Double.doubleToRawLongBits(RobustStats.median(v, from, to))).as("median of %s [%d, %d)",
                    java.util.Arrays.toString(v), from, to).isEqualTo(Double.doubleToRawLongBits(expected));
            assertThat(v).as("the input is left as it was").isEqualTo(before);
        }
    }

    /** sqrt((1 + 4 + 9 + 16) / (2 * 4)): the mean square successive difference, halved (computed by hand). */
    @Test
    void a_short_history_uses_the_plain_successive_difference_sd() {
        double[] v = {1, 2, 4, 7, 11};
        assertThat(RobustStats.successiveDifferenceSd(v, 0, 5)).isCloseTo(Math.sqrt(30.0 / 8), within(1e-15));
        assertThat(RobustStats.noiseSd(v, 0, 5, 30)).as("fewer values than the window").isEqualTo(RobustStats.successiveDifferenceSd(v, 0, 5));
        assertThat(RobustStats.noiseSd(shiftedSeries(), 0, 120, 30)).as("a full window").isEqualTo(RobustStats.diffSd(shiftedSeries(), 0, 120));
    }
}
