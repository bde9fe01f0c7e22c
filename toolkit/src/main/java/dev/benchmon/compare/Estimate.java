package dev.benchmon.compare;

/**
 * A difference B - A with its interval and test.
 *
 * @param diff    the estimated difference, in the metric's unit (B minus A: positive means B scored higher)
 * @param ciLow   lower end of the confidence interval, or NaN when {@link #method()} gives none
 * @param ciHigh  upper end, or NaN
 * @param pValue  two-sided p-value of "no difference", or NaN
 * @param method  how it was computed
 * @param n       the number of observations behind it: shared items (paired), or runs/examples otherwise
 */
public record Estimate(double diff, double ciLow, double ciHigh, double pValue, Method method, long n) {
    /** A difference with nothing to judge it by. */
    public static Estimate unjudged(double diff, long n) {
        return new Estimate(diff, Double.NaN, Double.NaN, Double.NaN, Method.NONE, n);
    }

    /** {@code true} when the interval excludes zero (and there is one). */
    public boolean excludesZero() {
        return !Double.isNaN(ciLow) && (ciLow > 0 || ciHigh < 0);
    }
}
