package dev.benchmon.detect;

import java.util.Arrays;

/**
 * Location and scale estimates that a single outlier run cannot move: the median and the median
 * absolute deviation (MAD) scaled to estimate a normal standard deviation (factor 1.4826, Rousseeuw
 * and Croux 1993). Arrays are never modified.
 */
public final class RobustStats {
    /** MAD * this = sd for normal data. */
    public static final double MAD_TO_SD = 1.4826;
    /** 1 / sqrt(E[Z^2 | |Z| <= 3]) for a standard normal Z: undoes the shrinkage of cutting at 3 sd. */
    static final double TRUNCATION_3SD = 1.0136;

    private RobustStats() {
    }

    /** Median of {@code v[from, to)}; NaN when empty. */
    public static double median(double[] v, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return Double.NaN;
        }
        double[] c = Arrays.copyOfRange(v, from, to);
        Arrays.sort(c);
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

    public static double median(double[] v) {
        return median(v, 0, v.length);
    }

    /** Median absolute deviation from the median of {@code v[from, to)}, unscaled. */
    public static double mad(double[] v, int from, int to) {
        return madAround(v, from, to, median(v, from, to));
    }

    /** Median absolute deviation of {@code v[from, to)} from {@code m}, its median (computed once by callers that need both). */
    private static double madAround(double[] v, int from, int to, double m) {
        double[] d = new double[to - from];
        for (int i = from; i < to; i++) {
            d[i - from] = Math.abs(v[i] - m);
        }
        return median(d);
    }

    /**
     * Robust sd of the noise around a level that may shift: from the differences of consecutive
     * values, which a level shift changes only once: the MAD of the differences * 1.4826 / sqrt(2) as a
     * start, then the sd of the differences within 3 of those sd (one reweighting step, Rousseeuw and
     * Leroy 1987), divided by sqrt(2).
     * When more than half the differences are 0 (a metric with few distinct values), the mean
     * absolute difference * sqrt(pi)/2 is used instead (the normal-theory ratio for |X1 - X2|).
     */
    public static double diffSd(double[] v, int from, int to) {
        int n = to - from;
        if (n < 3) {
            return Double.NaN;
        }
        double[] d = new double[n - 1];
        for (int i = from + 1; i < to; i++) {
            d[i - from - 1] = v[i] - v[i - 1];
        }
        double center = median(d, 0, d.length);
        double mad = madAround(d, 0, d.length, center);
        if (mad > 0) {
            // One reweighting step: the plain sd of the differences within 3 robust sd of their median
            // (corrected for the truncation), nearly as efficient as the sample sd on normal noise and
            // as robust as the MAD to outliers and level shifts.
            double cut = 3 * MAD_TO_SD * mad;
            double sum = 0;
            int k = 0;
            for (double x : d) {
                if (Math.abs(x - center) <= cut) {
                    sum += (x - center) * (x - center);
                    k++;
                }
            }
            return Math.sqrt(sum / Math.max(1, k - 1)) * TRUNCATION_3SD / Math.sqrt(2);
        }
        double sum = 0;
        for (double x : d) {
            sum += Math.abs(x);
        }
        return sum / d.length * Math.sqrt(Math.PI) / 2;
    }
}
