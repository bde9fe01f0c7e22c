package dev.benchmon.detect;

import java.util.Arrays;
import java.util.List;

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

    /**
     * Median of {@code v[from, to)}; NaN when empty. The middle value, or the mean of the two middle values, of
     * {@code v[from, to)} in {@link Arrays#sort(double[])}'s order ({@link Double#compare}: -0.0 before 0.0, NaN last),
     * found by selection (Hoare's FIND, "Algorithm 65", CACM 4(7), 1961) instead of a sort: the same value to the bit,
     * in expected linear time. The engine takes a dozen medians of up to 120 values for each metric of each run it
     * judges; sorting them was a quarter of a batch push's CPU at a million results (JFR, 2026-12-04).
     */
    public static double median(double[] v, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return Double.NaN;
        }
        double[] c = Arrays.copyOfRange(v, from, to);
        int k = (n - 1) / 2;
        double lower = select(c, k);
        if (n % 2 == 1) {
            return lower;
        }
        // select leaves every value after index k at least c[k]: the next order statistic is their least.
        double upper = c[k + 1];
        for (int i = k + 2; i < n; i++) {
            if (Double.compare(c[i], upper) < 0) {
                upper = c[i];
            }
        }
        return (lower + upper) / 2;
    }

    /** Ranges this short are sorted by insertion rather than partitioned further. */
    private static final int INSERTION_SORT_BELOW = 16;

    /**
     * The {@code k}-th smallest value of {@code a} (0-based, {@link Double#compare}'s order), rearranging {@code a} so
     * that it is at index {@code k}, no value before it is greater and no value after it is less.
     */
    private static double select(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (hi - lo >= INSERTION_SORT_BELOW) {
            // The median of the first, middle and last values as the pivot: sorted or constant runs stay linear.
            int mid = (lo + hi) >>> 1;
            if (Double.compare(a[mid], a[lo]) < 0) {
                swap(a, lo, mid);
            }
            if (Double.compare(a[hi], a[mid]) < 0) {
                swap(a, mid, hi);
                if (Double.compare(a[mid], a[lo]) < 0) {
                    swap(a, lo, mid);
                }
            }
            double pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (Double.compare(a[i], pivot) < 0) {
                    i++;
                }
                while (Double.compare(pivot, a[j]) < 0) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i++, j--);
                }
            }
            // Now a[lo..j] <= pivot <= a[i..hi], and every value strictly between j and i equals the pivot.
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            double x = a[i];
            int j = i - 1;
            while (j >= lo && Double.compare(x, a[j]) < 0) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
        return a[k];
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
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
     * The noise sd of {@code v[from, to)} as the detector estimates it: {@link #diffSd} (robust) once there are at
     * least {@code window} values, else {@link #successiveDifferenceSd} (plain). Why: the robust estimate starts from
     * the MAD of the differences, which has 37% of the efficiency of the sd (Rousseeuw and Croux 1993); from a handful
     * of differences it is often a fraction of the true sd (with 7 differences of normal noise, under 0.3 sd in 5% of
     * samples and under 0.11 sd in 1%; the plain estimate: 0.50 and 0.37), and the reweighting step then keeps only
     * the differences near that small value. A run judged with it was 4 "sd" out in 1.9% of runs with 8 runs of
     * history, against 0.02% with 60. A flaky run of a short history is left out of the plain estimate ({@link
     * #spikes}); a smaller outlier widens it, which errs toward no alert. The
     * per-run test's bar for a short history is unchanged ({@code MetricJudge}: 5.5 sd with 8 runs); a Student t bar
     * for this estimate's degrees of freedom (9.3 sd with 8 runs) was measured and not taken: it cut the young
     * series' detection of a 5 sd step within 3 runs from 80-89% to 48-60% (docs/ARCHITECTURE.md, 2026-12-04).
     *
     * @param window the detector's window ({@link DetectionSettings#window()}): a series with a full baseline window
     *               has differences enough for the robust estimate
     * @return the sd in the values' unit; NaN with fewer than 3 values
     */
    public static double noiseSd(double[] v, int from, int to, int window) {
        return noiseSd(v, from, to, window, List.of());
    }

    /**
     * {@link #noiseSd(double[], int, int, int)} of a series with level shifts starting at the indices {@code breaks}
     * (change points): below the window, the plain estimate over the differences within the segments they bound, as a
     * pooled within-group variance is taken for a two-sample test (a shift of 16 sd between 10 runs and 3 otherwise
     * tripled the noise of 12 differences).
     */
    public static double noiseSd(double[] v, int from, int to, int window, List<Integer> breaks) {
        return to - from >= window ? diffSd(v, from, to) : successiveDifferenceSd(v, from, to, breaks);
    }

    /** The number of differences {@link #noiseSd(double[], int, int, int, List)} uses below the window. */
    static int withinDifferences(int from, int to, List<Integer> breaks) {
        int k = to - from - 1;
        for (int b : breaks) {
            k -= b > from && b < to ? 1 : 0;
        }
        return k;
    }

    /**
     * The plain noise sd from the differences of consecutive values: sqrt(sum (v[i+1] - v[i])^2 / (2 (n - 1))), the
     * mean square successive difference halved (von Neumann, Kent, Bellinson and Hart 1941, "The mean square successive
     * difference", Ann. Math. Statist. 12); a level shift adds one difference only. Flaky runs ({@link #spikes}) are
     * left out as in {@link #successiveDifferenceSd(double[], int, int, List)}. NaN with fewer than 3 values.
     */
    public static double successiveDifferenceSd(double[] v, int from, int to) {
        return successiveDifferenceSd(v, from, to, List.of());
    }

    /**
     * {@link #successiveDifferenceSd(double[], int, int)} without the differences across {@code breaks} (a run's index
     * where a segment starts), and without the flaky runs {@link #spikes} finds: a flaky run's two differences give way
     * to the one from the run before it to the run after it (left out too where a break lies between them), as if it
     * had not run. Why: one flaky run of a short history (a timeout, a broken runner) adds its jump twice to a handful of
     * differences, and multiplied the noise sd fourfold (20 runs of latency at CV 5%, one run at twice the level: a later
     * +66% shift was judged within noise, 2.8 sd, and a --fail-on-regression CI job passed). The flaky run itself is
     * still judged and alerts. Without a flaky run the answer is the plain formula's, to the bit.
     */
    static double successiveDifferenceSd(double[] v, int from, int to, List<Integer> breaks) {
        int k = withinDifferences(from, to, breaks);
        if (to - from < 3 || k < 2) {
            return Double.NaN;
        }
        int[] segment = segments(from, to, breaks);
        boolean[] out = spikes(v, from, to, segment);
        double[] sumAndCount = withinSum(v, from, to, segment, out, -1);
        return Math.sqrt(sumAndCount[0] / (2.0 * sumAndCount[1]));
    }

    /**
     * The flaky runs of {@code v[from, to)}, flagged by their offset from {@code from}: runs out and back, each both
     * ways more than {@link #spikeBar} (at least {@value #SPIKE_SDS}) sd of a difference of two runs (sqrt(2) noise sd:
     * at least 8.5 noise sd) off the runs just before and after it, in the plain sd of the differences without it
     * (those within the segments {@code breaks} bound). The runs either
     * side are its neighbours in time, whatever segment they are in, so a flaky run the change points took for a
     * segment's first run is found too. The test is the generalized extreme Studentized deviate procedure (Rosner
     * 1983, "Percentage points for a generalized ESD many-outlier procedure", Technometrics 25) on the statistic
     * min(|a|, |b|) / (sqrt(2) sd), a and b the run's differences to its neighbours (of opposite signs): up to one run
     * in {@value #SPIKE_SHARE} is taken out, the most extreme first (the larger its smaller jump), each tested against the sd without the runs taken
     * before it, and every run up to the last that passes its bar is flagged, so two flaky runs do not hide each other
     * (each inflates the sd the other is tested against). The first and last runs have one neighbour and are never
     * flagged: a run out with no run after it may be a shift's first run. Under normal noise about one short series in
     * a thousand loses a run (docs/ARCHITECTURE.md, Flaky runs).
     */
    static boolean[] spikes(double[] v, int from, int to, List<Integer> breaks) {
        return spikes(v, from, to, segments(from, to, breaks));
    }

    /** {@link #spikes(double[], int, int, List)} with the breaks as {@link #segments}. */
    private static boolean[] spikes(double[] v, int from, int to, int[] segment) {
        int n = to - from;
        boolean[] out = new boolean[n];
        int steps = n / SPIKE_SHARE;
        if (steps == 0) {
            return out;
        }
        int[] taken = new int[steps];
        double[] z = new double[steps];
        int[] df = new int[steps];
        int done = 0;
        for (; done < steps; done++) {
            // The most extreme candidate among the runs left: the larger its smaller jump, the more it is out and back.
            int best = -1;
            double bestJump = 0;
            int before = -1;
            for (int p = 0; p < n; p++) {
                if (out[p]) {
                    continue;
                }
                if (before >= 0) {
                    int after = p + 1;
                    while (after < n && out[after]) {
                        after++;
                    }
                    if (after < n) {
                        double a = v[from + p] - v[from + before];
                        double b = v[from + after] - v[from + p];
                        double jump = Math.min(Math.abs(a), Math.abs(b));
                        if (a * b < 0 && jump > bestJump) {
                            best = p;
                            bestJump = jump;
                        }
                    }
                }
                before = p;
            }
            if (best < 0) {
                break;
            }
            // Its statistic against the sd without it and the runs taken before it, summed afresh (no cancellation:
            // a jump 1e8 times the noise, taken off a running sum, would leave nothing of the noise's digits).
            double[] without = withinSum(v, from, to, segment, out, best);
            if (without[1] < 2 || !(without[0] > 0)) {
                break;
            }
            taken[done] = best;
            z[done] = bestJump / (Math.sqrt(2) * Math.sqrt(without[0] / (2.0 * without[1])));
            df[done] = (int) without[1];
            out[best] = true;
        }
        java.util.Arrays.fill(out, false);
        int flagged = 0;
        for (int i = done; i > 0; i--) {
            if (passesSpikeBar(z[i - 1], df[i - 1], n - 2)) {
                flagged = i;
                break;
            }
        }
        for (int i = 0; i < flagged; i++) {
            out[taken[i]] = true;
        }
        // Each removal makes the runs either side neighbours, so a later statistic can outgrow an earlier one (two runs
        // out together: neither is out and back alone, both are once the first is taken): the prefix then also holds
        // runs of plain noise taken before them. Every flagged run is tested again, against the sd without the flagged
        // runs and its neighbours among the runs left, and kept only if it still passes; until nothing changes.
        for (boolean changed = flagged > 0; changed; ) {
            changed = false;
            double[] rest = withinSum(v, from, to, segment, out, -1);
            double sd = Math.sqrt(rest[0] / (2.0 * rest[1]));
            for (int p = 0; p < n; p++) {
                if (out[p] && !standsOut(v, from, n, out, p, sd, (int) rest[1])) {
                    out[p] = false;
                    changed = true;
                }
            }
        }
        return out;
    }

    /**
     * Whether flagged run {@code p} is out and back from its nearest unflagged runs either side past {@link #spikeBar},
     * in noise {@code sd} estimated from {@code df} differences.
     */
    private static boolean standsOut(double[] v, int from, int n, boolean[] out, int p, double sd, int df) {
        int before = p - 1;
        while (before >= 0 && out[before]) {
            before--;
        }
        int after = p + 1;
        while (after < n && out[after]) {
            after++;
        }
        if (before < 0 || after >= n || !(sd > 0)) {
            return false;
        }
        double a = v[from + p] - v[from + before];
        double b = v[from + after] - v[from + p];
        double z = Math.min(Math.abs(a), Math.abs(b)) / (Math.sqrt(2) * sd);
        return a * b < 0 && passesSpikeBar(z, df, n - 2);
    }

    /**
     * The sum of squares and the count of the differences between consecutive runs of {@code v[from, to)} not flagged
     * in {@code out} (nor the run at offset {@code also}, -1 for none) with no break between them ({@code segment}: see
     * {@link #segments}).
     */
    private static double[] withinSum(double[] v, int from, int to, int[] segment, boolean[] out, int also) {
        double sum = 0;
        int k = 0;
        int before = -1;
        for (int p = 0; p < to - from; p++) {
            if (out[p] || p == also) {
                continue;
            }
            if (before >= 0 && segment[p] == segment[before]) {
                double d = v[from + p] - v[from + before];
                sum += d * d;
                k++;
            }
            before = p;
        }
        return new double[] {sum, k};
    }

    /**
     * For each offset {@code p} of {@code [from, to)}, how many of {@code breaks} (a run's index where a segment starts)
     * lie after {@code from} and at or before {@code from + p}: a segment starts after run {@code i} and at or before run
     * {@code j} exactly when their counts differ. Why an array: {@link #spikes} asks this of every pair of neighbours once
     * per run it takes out (a history of 120 runs: 24 times), and walking the list each time was a third of a batch
     * push's detection time (2026-12-06 profile).
     */
    private static int[] segments(int from, int to, List<Integer> breaks) {
        int[] segment = new int[Math.max(0, to - from)];
        for (int b : breaks) {
            if (b > from && b < to) {
                segment[b - from]++;
            }
        }
        for (int p = 1; p < segment.length; p++) {
            segment[p] += segment[p - 1];
        }
        return segment;
    }

    /**
     * How far out and back (in sd of a difference of two runs, sqrt(2) noise sd) a run of a short history is at least to
     * be flagged as flaky: a cheap first
     * test, before {@link #spikeBar}.
     */
    static final double SPIKE_SDS = 6;
    /** The chance that pure normal noise holds a run past {@link #spikeBar} among a history's runs. */
    static final double SPIKE_ALPHA = 0.001;
    /** At most one flaky run is taken out per this many runs. */
    static final int SPIKE_SHARE = 5;

    /** Whether statistic {@code z} passes {@link #spikeBar} (the floor first: the t quantile only past it). */
    private static boolean passesSpikeBar(double z, int df, int candidates) {
        return z > SPIKE_SDS && z > spikeBar(df, candidates);
    }

    /**
     * The bar a flaky run passes: {@value #SPIKE_SDS}, or the Student t quantile of {@code df} degrees of freedom (the sd
     * is estimated from that many differences) at {@value #SPIKE_ALPHA} shared among the {@code candidates} runs
     * (Bonferroni, two-sided) where that is higher: 8.3 with 8 runs of history, 6.9 with 10, 6 from 13 on. A short
     * history's sd is itself noisy: with a fixed bar of 6 sd pure noise lost a run in enough young series to raise
     * their false alerts by up to a fifth.
     */
    static double spikeBar(int df, int candidates) {
        double t = org.apache.commons.statistics.distribution.TDistribution.of(df)
                .inverseSurvivalProbability(SPIKE_ALPHA / (2.0 * Math.max(1, candidates)));
        return Math.max(SPIKE_SDS, t);
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
