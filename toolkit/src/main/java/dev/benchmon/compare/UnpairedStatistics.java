package dev.benchmon.compare;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.TTest;

/**
 * The fallbacks when two results share no items. Differences are B - A; intervals are two-sided at
 * the given confidence.
 */
public final class UnpairedStatistics {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private UnpairedStatistics() {
    }

    /**
     * Two proportions {@code pA} of {@code nA} and {@code pB} of {@code nB} examples: the Wald interval of
     * {@code pB - pA} (unpooled standard error) and the two-sided pooled two-proportion z-test (Agresti,
     * <i>Categorical Data Analysis</i>, 3rd ed., 2013, sec. 3.1 and 3.2).
     */
    public static Estimate twoProportion(double pA, long nA, double pB, long nB, double confidence) {
        double diff = pB - pA;
        double se = Math.sqrt(pA * (1 - pA) / nA + pB * (1 - pB) / nB);
        double z = STANDARD_NORMAL.inverseSurvivalProbability((1 - confidence) / 2);
        double pooled = (pA * nA + pB * nB) / (nA + nB);
        double se0 = Math.sqrt(pooled * (1 - pooled) * (1.0 / nA + 1.0 / nB));
        double p = se0 == 0 ? (diff == 0 ? 1.0 : 0.0) : 2 * STANDARD_NORMAL.survivalProbability(Math.abs(diff) / se0);
        return new Estimate(diff, diff - z * se, diff + z * se, p, Method.TWO_PROPORTION, nA + nB);
    }

    /**
     * Two means with standard errors {@code seA}, {@code seB}: Welch's t-test with the Welch-Satterthwaite
     * degrees of freedom when both sample sizes are known (at least 2), else a z-test; interval
     * {@code diff ± q * sqrt(seA² + seB²)}.
     *
     * @param nA sample size behind A's mean, or 0 when unknown
     */
    public static Estimate welchFromStderr(double mA, double seA, long nA, double mB, double seB, long nB,
                                           double confidence) {
        double diff = mB - mA;
        double se = Math.sqrt(seA * seA + seB * seB);
        if (se == 0) {
            return new Estimate(diff, diff, diff, diff == 0 ? 1.0 : 0.0, Method.WELCH_STDERR, nA + nB);
        }
        double q;
        double p;
        if (nA >= 2 && nB >= 2) {
            // Commons Statistics takes the samples' variances: var = se² * n.
            TTest.Result r = TTest.withDefaults().with(DataDispersion.HETEROSCEDASTIC)
                    .test(mB, seB * seB * nB, nB, mA, seA * seA * nA, nA);
            p = r.getPValue();
            q = TDistribution.of(r.getDegreesOfFreedom()).inverseSurvivalProbability((1 - confidence) / 2);
        } else {
            p = 2 * STANDARD_NORMAL.survivalProbability(Math.abs(diff) / se);
            q = STANDARD_NORMAL.inverseSurvivalProbability((1 - confidence) / 2);
        }
        return new Estimate(diff, diff - q * se, diff + q * se, p, Method.WELCH_STDERR, nA + nB);
    }

    /**
     * Run-to-run variation: the values of one metric over A's runs and over B's runs (at least 2 each),
     * compared with Welch's t-test; interval {@code diff ± t * sqrt(vA/nA + vB/nB)}.
     */
    public static Estimate runToRun(double[] a, double[] b, double confidence) {
        if (a.length < 2 || b.length < 2) {
            throw new IllegalArgumentException("run-to-run variation needs at least 2 runs on each side");
        }
        double mA = mean(a);
        double mB = mean(b);
        return runToRun(mA, variance(a, mA), a.length, mB, variance(b, mB), b.length, confidence);
    }

    /**
     * {@link #runToRun(double[], double[], double)} from the runs' summaries (mean, sample variance and count of
     * each side, at least 2 runs each), e.g. merged from daily rollups: the same test without the values.
     */
    public static Estimate runToRun(double mA, double vA, long nA, double mB, double vB, long nB, double confidence) {
        if (nA < 2 || nB < 2) {
            throw new IllegalArgumentException("run-to-run variation needs at least 2 runs on each side");
        }
        double diff = mB - mA;
        double se = Math.sqrt(vA / nA + vB / nB);
        long n = nA + nB;
        if (se == 0) {
            return new Estimate(diff, diff, diff, diff == 0 ? 1.0 : 0.0, Method.RUN_TO_RUN, n);
        }
        TTest.Result r = TTest.withDefaults().with(DataDispersion.HETEROSCEDASTIC).test(mB, vB, nB, mA, vA, nA);
        double q = TDistribution.of(r.getDegreesOfFreedom()).inverseSurvivalProbability((1 - confidence) / 2);
        return new Estimate(diff, diff - q * se, diff + q * se, r.getPValue(), Method.RUN_TO_RUN, n);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double variance(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / (v.length - 1);
    }
}
