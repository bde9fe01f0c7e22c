package dev.benchmon.compare;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fallbacks against values worked by hand from their textbook formulas. */
class UnpairedStatisticsTest {

    @Test
    void two_proportions_use_the_wald_interval_and_the_pooled_z_test() {
        // 0.80 of 500 against 0.85 of 500: diff 0.05; unpooled se = sqrt(.8*.2/500 + .85*.15/500) = 0.023979;
        // pooled p = 0.825, se0 = sqrt(.825*.175*(2/500)) = 0.024031, z = 2.0806;
        // SciPy 1.17: 2 * norm.sf(2.0806259) = 0.0374681571, norm.isf(0.025) = 1.9599639845
        Estimate e = UnpairedStatistics.twoProportion(0.80, 500, 0.85, 500, 0.95);
        assertThat(e.method()).isEqualTo(Method.TWO_PROPORTION);
        assertThat(e.diff()).isCloseTo(0.05, within(1e-12));
        assertThat(e.ciLow()).isCloseTo(0.05 - 1.9599639845 * 0.0239791576, within(1e-9));
        assertThat(e.ciHigh()).isCloseTo(0.05 + 1.9599639845 * 0.0239791576, within(1e-9));
        assertThat(e.pValue()).isCloseTo(0.0374681571, within(1e-9));
    }

    @Test
    void standard_errors_without_sample_sizes_give_a_z_interval() {
        Estimate e = UnpairedStatistics.welchFromStderr(0.70, 0.03, 0, 0.76, 0.04, 0, 0.95);
        // se = sqrt(0.03² + 0.04²) = 0.05, z = 1.2; SciPy 1.17: 2 * norm.sf(1.2) = 0.2301393404
        assertThat(e.method()).isEqualTo(Method.WELCH_STDERR);
        assertThat(e.ciLow()).isCloseTo(0.06 - 1.9599639845 * 0.05, within(1e-9));
        assertThat(e.pValue()).isCloseTo(0.2301393404, within(1e-9));
    }

    @Test
    void run_to_run_variation_uses_welchs_t_test() {
        double[] a = {0.80, 0.82, 0.81, 0.79};
        double[] b = {0.84, 0.86, 0.83, 0.85, 0.87};
        // SciPy 1.17 stats.ttest_ind(b, a, equal_var=False): t = 4.700097, df = 6.980769, p = 0.0022246033,
        // 95% interval 0.0223477972 to 0.0676522028
        Estimate e = UnpairedStatistics.runToRun(a, b, 0.95);
        assertThat(e.method()).isEqualTo(Method.RUN_TO_RUN);
        assertThat(e.diff()).isCloseTo(0.045, within(1e-12));
        assertThat(e.pValue()).isCloseTo(0.0022246033, within(1e-9));
        assertThat(e.ciLow()).isCloseTo(0.0223477972, within(1e-9));
        assertThat(e.ciHigh()).isCloseTo(0.0676522028, within(1e-9));
    }
}
