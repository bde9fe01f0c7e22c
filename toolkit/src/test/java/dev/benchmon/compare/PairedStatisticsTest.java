package dev.benchmon.compare;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Paired statistics against values computed independently: McNemar p-values as exact fractions of binomial
 * coefficients (BigInteger, no library), bootstrap quantiles against the exact bootstrap distribution found
 * by enumerating every resample of a small sample.
 */
class PairedStatisticsTest {

    /** 2 * sum_{k <= min} C(n, k) / 2^n, capped at 1: the exact two-sided McNemar p-value, as a double. */
    private static double exactMcNemar(int b, int c) {
        int n = b + c;
        BigInteger sum = BigInteger.ZERO;
        BigInteger coefficient = BigInteger.ONE;
        for (int k = 0; k <= Math.min(b, c); k++) {
            sum = sum.add(coefficient);
            coefficient = coefficient.multiply(BigInteger.valueOf(n - k)).divide(BigInteger.valueOf(k + 1));
        }
        double p = 2 * new java.math.BigDecimal(sum).divide(new java.math.BigDecimal(BigInteger.TWO.pow(n)),
                java.math.MathContext.DECIMAL128).doubleValue();
        return Math.min(1, p);
    }

    @Test
    void mcnemar_exact_p_values_match_the_binomial_coefficients() {
        // b = 10, c = 2: 2 * (1 + 12 + 66) / 4096 = 158 / 4096
        assertThat(PairedStatistics.mcnemarExact(10, 2)).isCloseTo(158.0 / 4096, within(1e-15));
        assertThat(PairedStatistics.mcnemarExact(2, 10)).isCloseTo(158.0 / 4096, within(1e-15));
        // b = 0, c = 5: 2 / 32
        assertThat(PairedStatistics.mcnemarExact(0, 5)).isCloseTo(0.0625, within(1e-15));
        for (int[] bc : new int[][]{{3, 9}, {17, 30}, {1, 1}, {40, 61}, {0, 1}, {120, 90}}) {
            assertThat(PairedStatistics.mcnemarExact(bc[0], bc[1])).as("b=%d c=%d", bc[0], bc[1])
                    .isCloseTo(exactMcNemar(bc[0], bc[1]), within(1e-12));
        }
    }

    @Test
    void mcnemar_is_one_without_discordant_pairs_or_when_they_balance() {
        assertThat(PairedStatistics.mcnemarExact(0, 0)).isEqualTo(1.0);
        assertThat(PairedStatistics.mcnemarExact(7, 7)).isEqualTo(1.0);
    }

    @Test
    void the_paired_comparison_of_0_1_scores_uses_mcnemar_on_the_discordant_items() {
        // 12 items: 10 right under A only, 2 right under B only, the rest agree
        double[] a = new double[20];
        double[] b = new double[20];
        for (int i = 0; i < 10; i++) a[i] = 1;          // A right, B wrong
        for (int i = 10; i < 12; i++) b[i] = 1;         // B right, A wrong
        for (int i = 12; i < 20; i++) { a[i] = 1; b[i] = 1; }
        Estimate e = PairedStatistics.compare(a, b, 0.95, 2000, 1);
        assertThat(e.method()).isEqualTo(Method.PAIRED_MCNEMAR);
        assertThat(e.diff()).isCloseTo(-8.0 / 20, within(1e-12));
        assertThat(e.pValue()).isCloseTo(158.0 / 4096, within(1e-15));
        assertThat(e.n()).isEqualTo(20);
        assertThat(e.ciLow()).isLessThan(e.diff());
        assertThat(e.ciHigh()).isGreaterThan(e.diff()).isLessThan(0);
    }

    @Test
    void other_scores_use_the_paired_t_test() {
        double[] a = {0.50, 0.62, 0.71, 0.40, 0.55, 0.66};
        double[] b = {0.55, 0.60, 0.80, 0.49, 0.61, 0.70};
        Estimate e = PairedStatistics.compare(a, b, 0.95, 2000, 1);
        assertThat(e.method()).isEqualTo(Method.PAIRED_T);
        // SciPy 1.17 stats.ttest_rel(b, a): mean difference 0.0516667, t = 3.1093421, p = 0.0265705748
        assertThat(e.diff()).isCloseTo(0.0516666667, within(1e-9));
        assertThat(e.pValue()).isCloseTo(0.0265705748, within(1e-9));
    }

    @Test
    void the_same_seed_gives_the_same_interval_and_another_seed_another() {
        double[] d = {1, 0, 0, -1, 1, 1, 0, 1, 0, 0, 1, -1, 0, 1};
        double[] first = PairedStatistics.bootstrapInterval(d, 0.95, 2000, 7);
        double[] again = PairedStatistics.bootstrapInterval(d, 0.95, 2000, 7);
        assertThat(again).containsExactly(first);
        double[] means7 = PairedStatistics.bootstrapMeans(d, 50, 7);
        double[] means8 = PairedStatistics.bootstrapMeans(d, 50, 8);
        assertThat(means7).isNotEqualTo(means8);
    }

    @Test
    void identical_differences_give_a_point_interval() {
        double[] d = {0.25, 0.25, 0.25, 0.25};
        assertThat(PairedStatistics.bootstrapInterval(d, 0.95, 500, 3)).containsExactly(0.25, 0.25);
    }

    /**
     * The exact bootstrap distribution of the mean of {-1, 0, 0, 1, 1}: all 5^5 = 3125 equally likely
     * resamples, enumerated. Its 2.5% and 97.5% quantiles are the smallest means whose cumulative
     * probability reaches 0.025 and 0.975; with 40,000 seeded resamples the percentile interval must land on
     * exactly those values (the exact CDF is not within 0.005 of either level, so sampling error cannot move it).
     */
    @Test
    void the_bootstrap_interval_lands_on_the_quantiles_of_the_exact_bootstrap_distribution() {
        double[] d = {-1, 0, 0, 1, 1};
        Map<Integer, Integer> countBySum = new TreeMap<>();
        int n = d.length;
        int total = (int) Math.pow(n, n);
        for (int code = 0; code < total; code++) {
            int c = code;
            int sum = 0;
            for (int i = 0; i < n; i++) {
                sum += (int) d[c % n];
                c /= n;
            }
            countBySum.merge(sum, 1, Integer::sum);
        }
        double low = Double.NaN;
        double high = Double.NaN;
        double cumulative = 0;
        List<Double> cdf = new ArrayList<>();
        for (Map.Entry<Integer, Integer> e : countBySum.entrySet()) {
            cumulative += e.getValue() / (double) total;
            cdf.add(cumulative);
            if (Double.isNaN(low) && cumulative >= 0.025) low = e.getKey() / (double) n;
            if (Double.isNaN(high) && cumulative >= 0.975) high = e.getKey() / (double) n;
        }
        assertThat(cdf).allSatisfy(p -> {
            assertThat(Math.abs(p - 0.025)).isGreaterThan(0.005);
            assertThat(Math.abs(p - 0.975)).isGreaterThan(0.005);
        });
        assertThat(low).isEqualTo(-0.4);
        assertThat(high).isEqualTo(0.8);
        assertThat(PairedStatistics.bootstrapInterval(d, 0.95, 40_000, 2026)).containsExactly(low, high);
    }

    @Test
    void holm_adjusts_step_down_and_keeps_input_order() {
        // by hand: sorted 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, max(0.04*1, 0.06) = 0.06
        assertThat(RunComparison.holm(new double[]{0.01, 0.04, 0.03, 0.005}))
                .containsExactly(new double[]{0.03, 0.06, 0.06, 0.02}, within(1e-12));
    }
}
