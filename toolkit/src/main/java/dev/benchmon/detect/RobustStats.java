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
        double m = median(v, from, to);
        double[] d = new double[to - from];
        for (int i = from; i < to; i++) {
            d[i - from] = Math.abs(v[i] - m);
        }
        return median(d);
    }

    /**
     * Robust sd of the noise around a level that may shift: from the differences of consecutive
     * values, which a level shift changes only once, MAD of the differences * 1.4826 / sqrt(2).
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
        double mad = mad(d, 0, d.length);
        if (mad > 0) {
            return MAD_TO_SD * mad / Math.sqrt(2);
        }
        double sum = 0;
        for (double x : d) {
            sum += Math.abs(x);
        }
        return sum / d.length * Math.sqrt(Math.PI) / 2;
    }
}
