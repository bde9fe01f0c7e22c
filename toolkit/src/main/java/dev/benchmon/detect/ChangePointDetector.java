package dev.benchmon.detect;

import org.apache.commons.statistics.distribution.NormalDistribution;

import java.util.ArrayList;
import java.util.List;

/**
 * Offline change points of one series: the segmentation that minimises the squared error around
 * each segment's mean plus a penalty per segment, found exactly with PELT (Killick, Fearnhead and
 * Eckley 2012, "Optimal detection of changepoints with a linear computational cost", JASA 107),
 * followed by a significance test of every change found.
 *
 * <p>Choices (measured with the labelled corpus, see {@code DetectionCorpusBenchmark}):
 * <ul>
 *   <li>Noise scale: the sd of consecutive differences ({@link RobustStats#noiseSd}: robust from a full window
 *       of runs, plain below it), which level shifts barely move; the cost is in units of that variance and the penalty is
 *       {@code penalty * ln(n)} (a BIC-like penalty, scaled by the series' own noise).</li>
 *   <li>Minimum segment length {@value #MIN_SEGMENT} runs, so that one outlier run cannot form a segment.</li>
 *   <li>Each change must then pass a test on the segments' medians (so a burst of outliers that the mean
 *       follows does not count): |median after - median before| / (sd * sqrt(pi/2 * (1/n1 + 1/n2)))
 *       at least the sensitivity, and at least the minimum effect. The weakest failing change is merged
 *       away and the test repeated until every remaining change passes.</li>
 *   <li>A pulse (a change and its reversal around at most {@value #MAX_PULSE} runs, the levels on either
 *       side not significantly different) is an excursion, not a change of level: both are merged away.
 *       With 200 seeded series, an 8 sd outlier next to noisy runs otherwise formed such a pulse in 1%.</li>
 *   <li>So is a pulse at the end of the series whose return is too short for a segment of its own ({@link #returned}):
 *       a two-run dip and one or two runs back form one segment, whose median is the dip's; kept, it made the dip the
 *       baseline of the runs back (judged an improvement) until the third run back formed the pulse above.</li>
 * </ul>
 */
public final class ChangePointDetector {
    /** Shortest segment PELT may form. */
    public static final int MIN_SEGMENT = 3;
    /** Longest segment between two opposite changes that is merged back as an excursion when the levels around it agree. */
    static final int MAX_PULSE = MIN_SEGMENT + 1;

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private final DetectionSettings settings;

    public ChangePointDetector(DetectionSettings settings) {
        this.settings = settings;
    }

    /** Change points of {@code values} (no NaN), oldest first; observations may be null. */
    public List<ChangePoint> detect(double[] values, List<Observation> observations) {
        int n = values.length;
        if (n < 2 * MIN_SEGMENT) {
            return List.of();
        }
        double sd = RobustStats.noiseSd(values, 0, n, settings.window());
        double scale = sd > 0 ? sd : 1e-12 * Math.max(1, Math.abs(RobustStats.median(values)));
        double beta = settings.penalty() * Math.log(n);
        List<Integer> starts = pelt(values, scale * scale, beta, MIN_SEGMENT);
        // Below the window the segmentation does not see the flaky runs the noise sd leaves out (RobustStats.spikes):
        // its squared error would pay for a 20 sd run with a segment starting there, 3 runs before a real step, in 90% of
        // short series with both. They are found within the segments of a first search (a level shift's jump, in the sd
        // they are tested against, hid a flaky run 5 runs before it), then the search runs again on the values with each
        // at its neighbours' midpoint. The tests on the medians below read the values as they are.
        if (n < settings.window()) {
            double[] segmented = withoutFlakyRuns(values, starts);
            if (segmented != values) {
                double cleanSd = RobustStats.noiseSd(segmented, 0, n, settings.window(), starts);
                double cleanScale = cleanSd > 0 ? cleanSd : scale;
                starts = pelt(segmented, cleanScale * cleanScale, beta, MIN_SEGMENT);
            }
        }
        // Below the window the tests on the medians take the noise within the segments found (the shifts' own differences
        // left out); from the window on, the robust estimate, as before 2026-12-04.
        sd = RobustStats.noiseSd(values, 0, n, settings.window(), starts);
        if (!(sd >= 0)) {
            sd = 0;
        }
        return significant(values, observations, starts, sd);
    }

    /**
     * {@code values} with each flaky run ({@link RobustStats#spikes}, tested within the segments {@code starts} bound) at
     * the midpoint of the runs either side of it; {@code values} itself when there is none.
     */
    private static double[] withoutFlakyRuns(double[] values, List<Integer> starts) {
        boolean[] flaky = RobustStats.spikes(values, 0, values.length, starts);
        double[] out = values;
        for (int p = 0; p < values.length; p++) {
            if (flaky[p]) {
                int before = p - 1;
                while (flaky[before]) {
                    before--;
                }
                int after = p + 1;
                while (flaky[after]) {
                    after++;
                }
                out = out == values ? values.clone() : out;
                out[p] = (values[before] + values[after]) / 2;
            }
        }
        return out;
    }

    /** As {@link #detect(double[], List)} without observations. */
    public List<ChangePoint> detect(double[] values) {
        return detect(values, null);
    }

    /**
     * The optimal segmentation under a squared-error cost with a penalty per change, as the start indexes of every
     * segment but the first. Exact (equals optimal partitioning, Jackson et al. 2005), linear on average thanks to
     * PELT's pruning (quadratic on a series without a change, which it cannot prune).
     *
     * @param variance the noise variance; {@code beta} is in units of it: each segment costs {@code beta * variance} of
     *                 squared error (the same optimum as the squared error divided by the variance plus {@code beta})
     * @param beta     the penalty per segment, in units of the variance
     */
    public static List<Integer> pelt(double[] x, double variance, double beta, int minSegment) {
        int n = x.length;
        double[] s1 = new double[n + 1];
        double[] s2 = new double[n + 1];
        // Sums of the values less the first: a segment of one level then costs exactly 0 at any level, and a high
        // level with little noise (latencies of 300 ms varying by 0.01) loses no digits to cancellation. (The raw sums cut
        // a constant 0.3 into segments that significant() had to merge away again.)
        double shift = n == 0 ? 0 : x[0];
        for (int i = 0; i < n; i++) {
            double d = x[i] - shift;
            s1[i + 1] = s1[i] + d;
            s2[i + 1] = s2[i] + d * d;
        }
        // In units of squared error: the penalty times the variance, not every cost divided by it: one division fewer
        // in the inner loop, which visits every candidate at every run of a series without a change. It was the push
        // path's hottest loop (JFR, 2026-12-07: 39% of the server's samples under single POSTs).
        double penalty = beta * variance;
        double[] f = new double[n + 1];
        int[] last = new int[n + 1];
        f[0] = -penalty;
        int[] candidates = new int[n + 1];
        int count = 0;
        candidates[count++] = 0;
        double[] costs = new double[n + 1];
        for (int t = minSegment; t <= n; t++) {
            // Every candidate is at least minSegment runs before t: each is admitted (below) once it is.
            double s1t = s1[t];
            double s2t = s2[t];
            double best = Double.POSITIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < count; c++) {
                int tau = candidates[c];
                double sum = s1t - s1[tau];
                // squared deviations from the mean (divided by the count, not multiplied by its inverse: one rounding)
                double cost = (s2t - s2[tau]) - sum * sum / (t - tau);
                double v = f[tau] + Math.max(cost, 0) + penalty;
                costs[c] = v;
                if (v < best) {
                    best = v;
                    arg = tau;
                }
            }
            f[t] = best;
            last[t] = arg;
            // Prune: a candidate whose cost already exceeds the optimum (without the penalty) can never win again.
            int kept = 0;
            for (int c = 0; c < count; c++) {
                if (costs[c] - penalty <= best) {
                    candidates[kept++] = candidates[c];
                }
            }
            count = kept;
            int next = t - minSegment + 1;
            if (next >= minSegment && next <= n - minSegment) {
                candidates[count++] = next;
            }
        }
        List<Integer> starts = new ArrayList<>();
        for (int t = last[n]; t > 0; t = last[t]) {
            starts.add(0, t);
        }
        return starts;
    }

    /**
     * The first change of a pulse, or -1: two opposite changes around a segment of at most
     * {@value #MAX_PULSE} runs with the levels on either side not significantly different. That is an
     * excursion (one outlier run with noisy neighbours, a flaky runner for a run or two), not a shift of
     * level; the per-run test still judges each of its runs.
     */
    private int pulse(double[] x, List<Integer> starts, double sd) {
        for (int k = 0; k + 1 < starts.size(); k++) {
            int from = k == 0 ? 0 : starts.get(k - 1);
            int at = starts.get(k);
            int back = starts.get(k + 1);
            int to = k + 2 < starts.size() ? starts.get(k + 2) : x.length;
            if (back - at > MAX_PULSE) {
                continue;
            }
            double before = RobustStats.median(x, from, at);
            double mid = RobustStats.median(x, at, back);
            double after = RobustStats.median(x, back, to);
            if (Math.signum(mid - before) == Math.signum(mid - after) && sameLevel(before, at - from, after, to - back, sd)) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Whether the last change is a pulse whose return PELT cannot segment yet: its segment (to the series' end) starts
     * with at most {@value #MAX_PULSE} runs at the new level and ends with runs back at the level before, fewer than
     * {@value #MIN_SEGMENT} of them or not (a segment needs {@value #MIN_SEGMENT} runs, so a two-run dip followed by one
     * or two runs back forms one segment with them, whose median is still the dip's). Back means both tests on the
     * medians, with the noise sd and the sensitivity of the change test: the runs after the excursion differ
     * significantly (and by the minimum effect) from its runs, and not significantly from the level before. Then
     * the change is merged away as {@link #pulse} merges a pulse with a whole segment after it: the excursion is not a
     * baseline boundary, and the per-run test still judges each of its runs. A sustained shift keeps its change: its
     * later runs do not differ significantly from its first ones.
     */
    private boolean returned(double[] x, List<Integer> starts, double sd) {
        if (starts.isEmpty()) {
            return false;
        }
        int k = starts.size() - 1;
        int from = k == 0 ? 0 : starts.get(k - 1);
        int at = starts.get(k);
        int n = x.length;
        double before = RobustStats.median(x, from, at);
        for (int h = 1; h <= MAX_PULSE && at + h < n; h++) {
            int back = at + h;
            double mid = RobustStats.median(x, at, back);
            double after = RobustStats.median(x, back, n);
            if (Math.signum(mid - before) != Math.signum(mid - after)) {
                continue;
            }
            // Unlike pulse, leaving the excursion must also be a meaningful change (the minimum effect).
            boolean left = absZ(after - mid, medianDiffSe(sd, h, n - back)) >= settings.sensitivity()
                    && Math.abs(after - mid) >= settings.minEffectAt(mid);
            if (left && sameLevel(before, at - from, after, n - back, sd)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The excursion test of {@link #pulse} and {@link #returned}: whether the levels on either side of it, the medians
     * {@code before} of {@code runsBefore} runs and {@code after} of {@code runsAfter} runs, are not significantly
     * different at the sensitivity, with noise sd {@code sd}.
     */
    private boolean sameLevel(double before, int runsBefore, double after, int runsAfter, double sd) {
        return absZ(after - before, medianDiffSe(sd, runsBefore, runsAfter)) < settings.sensitivity();
    }

    /**
     * The standard error of the difference of the medians of {@code m1} and {@code m2} runs with noise sd {@code sd}
     * (the variance of a median of m normal values is pi/2 sd^2/m).
     */
    private static double medianDiffSe(double sd, int m1, int m2) {
        return sd * Math.sqrt(Math.PI / 2 * (1.0 / m1 + 1.0 / m2));
    }

    /** |delta| / se (unsigned), infinite for a change without noise, 0 for none. */
    private static double absZ(double delta, double se) {
        return se > 0 ? Math.abs(delta) / se : (delta == 0 ? 0 : Double.POSITIVE_INFINITY);
    }

    /**
     * Whether the change at {@code at} sits where only the minimum segment length put it: a segment of exactly
     * {@value #MIN_SEGMENT} runs whose run at the boundary is nearer the level on the other side. Two shifted runs at
     * the end of a series can only form a segment with the last run of the old level, and the median of those three
     * is the new level, so the change passed the test one run early (at the old run); it is located once the shift
     * has {@value #MIN_SEGMENT} runs of its own.
     */
    private static boolean forced(double[] x, int from, int at, int to, double before, double after) {
        return to - at == MIN_SEGMENT && Math.abs(x[at] - before) < Math.abs(x[at] - after)
                || at - from == MIN_SEGMENT && Math.abs(x[at - 1] - after) < Math.abs(x[at - 1] - before);
    }

    private List<ChangePoint> significant(double[] x, List<Observation> obs, List<Integer> startsIn, double sd) {
        List<Integer> starts = new ArrayList<>(startsIn);
        while (true) {
            List<ChangePoint> out = new ArrayList<>();
            int weakest = -1;
            double weakestZ = Double.POSITIVE_INFINITY;
            for (int k = 0; k < starts.size(); k++) {
                int from = k == 0 ? 0 : starts.get(k - 1);
                int at = starts.get(k);
                int to = k + 1 < starts.size() ? starts.get(k + 1) : x.length;
                double before = RobustStats.median(x, from, at);
                double after = RobustStats.median(x, at, to);
                double delta = after - before;
                double se = sd * Math.sqrt(Math.PI / 2 * (1.0 / (at - from) + 1.0 / (to - at)));
                double z = se > 0 ? Math.abs(delta) / se : (delta == 0 ? 0 : Double.POSITIVE_INFINITY);
                boolean ok = z >= settings.sensitivity() && Math.abs(delta) >= settings.minEffectAt(before) && delta != 0
                        && !forced(x, from, at, to, before, after);
                if (!ok && (weakest < 0 || z < weakestZ)) { // (a failing change of infinite z is merged away too)
                    weakestZ = z;
                    weakest = k;
                }
                double confidence = Double.isInfinite(z) ? 1.0 : 1 - 2 * STANDARD_NORMAL.survivalProbability(z);
                out.add(new ChangePoint(at, before, after, delta, sd, confidence,
                        obs == null ? null : obs.get(at - 1), obs == null ? null : obs.get(at)));
            }
            if (weakest < 0) {
                int pulse = pulse(x, starts, sd);
                if (pulse >= 0) {
                    starts.remove(pulse + 1);
                    starts.remove(pulse);
                    continue;
                }
                if (returned(x, starts, sd)) {
                    starts.remove(starts.size() - 1);
                    continue;
                }
                return out;
            }
            starts.remove(weakest);
        }
    }
}
