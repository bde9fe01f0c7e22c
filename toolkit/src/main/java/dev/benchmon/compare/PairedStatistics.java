package dev.benchmon.compare;

import org.apache.commons.statistics.descriptive.Quantile;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.inference.TTest;

import java.util.SplittableRandom;

/**
 * Statistics on paired scores: {@code a[i]} and {@code b[i]} are the scores of the same item under two
 * results. Differences are always B - A.
 *
 * <ul>
 *   <li>Interval: the paired bootstrap percentile interval of the mean difference (Efron and Tibshirani,
 *       <i>An Introduction to the Bootstrap</i>, 1993, ch. 13): resample items with replacement
 *       {@code resamples} times with {@link SplittableRandom} seeded by {@code seed}, take the mean
 *       difference of each resample, and the {@code (1-c)/2} and {@code (1+c)/2} quantiles of those means
 *       (Commons Statistics {@link Quantile}, its default estimation method HF8).</li>
 *   <li>Test for 0/1 scores: McNemar's exact test, the two-sided binomial test of the discordant pairs:
 *       with {@code b} items right under A only and {@code c} under B only,
 *       {@code p = min(1, 2 * P(X <= min(b, c)))} for {@code X ~ Binomial(b + c, 1/2)}
 *       (Fagerland, Lydersen and Laake, BMC Med Res Methodol 13:91, 2013). The tail comes from
 *       Commons Statistics' {@link BinomialDistribution}.</li>
 *   <li>Test for other scores: the paired t-test (a one-sample t-test of the differences, Commons
 *       Statistics {@link TTest}).</li>
 * </ul>
 */
public final class PairedStatistics {
    private PairedStatistics() {
    }

    /**
     * The paired comparison of B with A on the same items.
     *
     * @param a scores under A, one per item
     * @param b scores under B, same items in the same order
     * @return the mean difference B - A, its bootstrap interval, and McNemar's exact p-value when every score
     *         is 0 or 1 (else the paired t-test's)
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public static Estimate compare(double[] a, double[] b, double confidence, int resamples, long seed) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired scores need the same items: " + a.length + " vs " + b.length);
        }
        int n = a.length;
        if (n == 0) {
            return new Estimate(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Method.NONE, 0);
        }
        double[] d = new double[n];
        double sum = 0;
        boolean binary = true;
        int aOnly = 0;
        int bOnly = 0;
        for (int i = 0; i < n; i++) {
            d[i] = b[i] - a[i];
            sum += d[i];
            binary &= (a[i] == 0 || a[i] == 1) && (b[i] == 0 || b[i] == 1);
            if (a[i] > b[i]) aOnly++;
            if (b[i] > a[i]) bOnly++;
        }
        double[] ci = bootstrapInterval(d, confidence, resamples, seed);
        double p = binary ? mcnemarExact(aOnly, bOnly) : pairedT(d);
        return new Estimate(sum / n, ci[0], ci[1], p, binary ? Method.PAIRED_MCNEMAR : Method.PAIRED_T, n);
    }

    /**
     * The bootstrap percentile interval {@code [low, high]} of the mean of {@code d}.
     *
     * @param confidence e.g. 0.95
     * @param resamples  number of bootstrap resamples
     * @param seed       the random seed: the same inputs and seed give the same interval
     */
    public static double[] bootstrapInterval(double[] d, double confidence, int resamples, long seed) {
        double[] means = bootstrapMeans(d, resamples, seed);
        double alpha = 1 - confidence;
        return Quantile.withDefaults().withCopy(false).evaluate(means, alpha / 2, 1 - alpha / 2);
    }

    /** The means of {@code resamples} resamples of {@code d} drawn with replacement, in drawing order. */
    public static double[] bootstrapMeans(double[] d, int resamples, long seed) {
        int n = d.length;
        if (n == 0) {
            throw new IllegalArgumentException("cannot resample no values");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += d[random.nextInt(n)];
            }
            means[r] = s / n;
        }
        return means;
    }

    /**
     * McNemar's exact two-sided p-value for {@code b} and {@code c} discordant pairs (items right under only
     * one of the two): {@code min(1, 2 * P(X <= min(b, c)))}, {@code X ~ Binomial(b + c, 1/2)}; 1 when there are none.
     */
    public static double mcnemarExact(int b, int c) {
        if (b < 0 || c < 0) {
            throw new IllegalArgumentException("discordant counts must be >= 0, got " + b + " and " + c);
        }
        int n = b + c;
        if (n == 0) {
            return 1.0;
        }
        double tail = BinomialDistribution.of(n, 0.5).cumulativeProbability(Math.min(b, c));
        return Math.min(1.0, 2 * tail);
    }

    /** Two-sided p-value of the paired t-test on the differences {@code d} (mean 0 under the null). */
    static double pairedT(double[] d) {
        if (d.length < 2) {
            return Double.NaN;
        }
        boolean constant = true;
        for (double v : d) {
            constant &= v == d[0];
        }
        if (constant) {
            // No spread: identical scores are no evidence of a difference; a constant shift is certain.
            return d[0] == 0 ? 1.0 : 0.0;
        }
        return TTest.withDefaults().test(d).getPValue();
    }
}
