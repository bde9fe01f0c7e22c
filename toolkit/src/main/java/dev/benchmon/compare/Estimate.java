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

    /**
     * For reading, as the tables print numbers ({@link dev.benchmon.notebook.ReadableNumber}):
     * {@code +0.05 [0.003, 0.097], p 0.0386 (paired bootstrap, n 200)}; the fields keep the exact values.
     */
    @Override
    public String toString() {
        String d = dev.benchmon.notebook.ReadableNumber.of(diff);
        StringBuilder b = new StringBuilder(diff > 0 ? "+" + d : d);
        if (!Double.isNaN(ciLow)) {
            b.append(" [").append(dev.benchmon.notebook.ReadableNumber.of(ciLow)).append(", ")
                    .append(dev.benchmon.notebook.ReadableNumber.of(ciHigh)).append(']');
        }
        if (!Double.isNaN(pValue)) {
            b.append(", p ").append(dev.benchmon.notebook.ReadableNumber.pValue(pValue));
        }
        return b.append(" (").append(method.words()).append(", n ").append(n).append(')').toString();
    }

    /** {@code true} when the interval excludes zero (and there is one). */
    public boolean excludesZero() {
        return !Double.isNaN(ciLow) && (ciLow > 0 || ciHigh < 0);
    }
}
