package dev.benchmon.detect;

import dev.benchmon.MetricDirection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The noise-aware test of one run of one metric against its series' own history. Pure: no
 * database, no clock; the same function serves ingest, the API, the dashboard, backtests and the
 * corpus benchmark.
 *
 * <p>Method (defaults in {@link DetectionSettings}):
 * <ol>
 *   <li>History: the runs before this one by {@code run_at} (a late arrival is judged against the runs
 *       before it, never against newer ones), at most the last {@code 4 * window}.</li>
 *   <li>Change points over that history ({@link ChangePointDetector}); the baseline is the segment since the
 *       last one, at most {@code window} runs: after a shift the new level is the baseline (a short excursion that
 *       returned is no change point, so the runs back are judged against the level before it). The change points the
 *       judgement reports (stored, charted, alerted) are those of that history with the run in it.</li>
 *   <li>Noise: the robust sd of consecutive differences over the last {@code 2 * window} runs (level shifts and
 *       single outliers barely move it; with fewer than {@code window} runs the plain one within the segments of the
 *       history's change points, {@link RobustStats#noiseSd}); when the results carry a standard error (or {@code n} for a
 *       proportion, {@link DetectionSettings#proportion}), the larger of the two is used on each side.</li>
 *   <li>Test: z = (value - median of baseline) / sqrt(sd_run^2 + sd_base^2 * pi / (2m)) (the variance of a
 *       median of m normal values is pi/2 sd^2/m). Significant when |z| is at least the sensitivity (with fewer than {@code 2 * window} runs of
 *       history, raised for a noise sd from few differences: {@code sensitivity * (1 + 3 (1/k - 1/(2 window)))} with
 *       k differences, 5.5 sd with 8 runs);
 *       meaningful when |value - baseline| is at least the minimum effect. Both, in the bad direction:
 *       regression; in the good direction: improvement; direction unknown: "changed".</li>
 *   <li>One alert per shift: when the runs just before this one were already significant in the same
 *       direction, the shift started at the first of them; it alerts only if that start is not the one
 *       already alerted ({@link AlertState}). A change point that the per-run test missed (a shift smaller
 *       than the sensitivity per run but clear over several runs) alerts once when it is first confirmed.</li>
 *   <li>With fewer previous runs than {@code minHistory}: the relative rule against the median of the
 *       previous (up to) 5 runs (a change over the fallback threshold and at least the minimum effect, absolute
 *       or a percentage of that median), flagged as {@value MetricJudgement#FALLBACK}.</li>
 * </ol>
 */
public final class MetricJudge {
    private static final int FALLBACK_RUNS = 5;
    /** Change points are searched over at most this many windows of history (120 runs at the default window). */
    public static final int HISTORY_WINDOWS = 4;
    /** Two runs in a row beyond this share of the sensitivity (2.4 sd at 4) are significant together. */
    static final double CONFIRM_2 = 0.6;
    /** Short-history correction: the bar is sensitivity * (1 + this * (1/k - 1/(2 window))) with k differences. */
    static final double SMALL_SAMPLE = 3;
    /** Three runs in a row beyond this share of the sensitivity (1.8 sd at 4) are significant together. */
    static final double CONFIRM_3 = 0.45;

    /** How the explanation of a change beyond the noise yet smaller than the minimum effect starts (outcome ok). */
    private static final String WITHIN_MIN_EFFECT = "within the minimum effect: ";

    private MetricJudge() {
    }

    /**
     * Judges {@code run} against {@code history}, every run of which was stored before {@code run} arrived (a
     * replay in arrival order): the run is late when one of them is newer.
     *
     * @param history   earlier (and possibly later) runs of the series reporting this metric, in any order;
     *                  excluded runs already removed
     * @param direction the metric's direction, or {@code null} when it is unknown
     * @param state     the alert memory from the previous judgement ({@link AlertState#NONE} for none)
     */
    public static MetricJudgement judge(List<Observation> history, Observation run, MetricDirection direction,
                                        DetectionSettings settings, AlertState state) {
        return judge(history, run, direction, settings, state, tx -> true);
    }

    /**
     * Judges {@code run} against the runs of {@code history} before it (by {@code run_at}, then transaction id).
     * It is {@linkplain MetricJudgement#late() late} when a newer run of {@code history} had already been stored
     * when it arrived; judged against a history that holds newer runs it neither announces a change point nor
     * moves the alert memory, late or not.
     *
     * @param history      earlier (and possibly later) runs of the series reporting this metric, in any order;
     *                     excluded runs already removed
     * @param direction    the metric's direction, or {@code null} when it is unknown
     * @param state        the alert memory from the previous judgement ({@link AlertState#NONE} for none)
     * @param storedBefore whether the run of {@code history} with this transaction id was already stored when
     *                     {@code run} arrived: {@code false} for the runs that came with it in the same push, and
     *                     for every run when {@code run} is not a new arrival (a re-sent result)
     */
    public static MetricJudgement judge(List<Observation> history, Observation run, MetricDirection direction,
                                        DetectionSettings settings, AlertState state, LongPredicate storedBefore) {
        Comparator<Observation> order = Comparator.comparing(Observation::runAt).thenComparingLong(Observation::transactionId);
        List<Observation> before = new ArrayList<>();
        // A run with newer ones beside it is not the series' state (whether it arrived late or came with them in one
        // push): it announces no change point and keeps the alert memory it was given.
        boolean older = false;
        boolean late = false;
        for (Observation o : history) {
            if (o.transactionId() == run.transactionId() && run.transactionId() != 0) {
                continue;
            }
            if (order.compare(o, run) < 0) {
                before.add(o);
            } else {
                older = true;
                late |= storedBefore.test(o.transactionId());
            }
        }
        before.sort(order);
        int cap = HISTORY_WINDOWS * settings.window();
        if (before.size() > cap) {
            before = new ArrayList<>(before.subList(before.size() - cap, before.size()));
        }
        if (before.isEmpty()) {
            return new MetricJudgement(Outcome.NO_BASELINE, MetricJudgement.NOISE_AWARE, Double.NaN, run.value(), Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, 0, false, late, null, null, List.of(), state,
                    "first run of this metric in the series: nothing to compare with", false);
        }
        MetricJudgement j = before.size() < settings.minHistory()
                ? fallback(before, run, direction, settings, state, late, older)
                : noiseAware(before, run, direction, settings, state, late, older);
        return j;
    }

    private static MetricJudgement noiseAware(List<Observation> before, Observation run, MetricDirection direction,
                                              DetectionSettings s, AlertState state, boolean late, boolean older) {
        int n = before.size();
        double[] x = values(before);
        ChangePointDetector detector = new ChangePointDetector(s);
        List<ChangePoint> cps = detector.detect(x, before);
        // The baseline comes from the history alone (cps). The change points this run reports are stored as the series'
        // (charts, change-point alerts), so they are those of the series with this run in it, as `benchmon changepoints`
        // finds them on the same values: those of the history alone lagged a run (a shift's change point was stored
        // only when the run after its third arrived). Only the newest run's are stored and reported; a run with newer ones
        // beside it reports the history's. The search with the run in it still decides its baseline (whether it withdrew
        // the last change), whatever came after it: a run of a push of several is judged as if sent alone (the first run
        // back after a four-run dip, judged against the dip, was an "improvement" in a push with the next run back).
        List<ChangePoint> withRunCps = detector.detect(withRun(x, run), withRun(before, run));
        List<ChangePoint> seriesCps = older ? cps : withRunCps;
        int segStart = baselineStart(cps, withRunCps);
        int baseFrom = Math.max(segStart, n - s.window());
        int m = n - baseFrom;
        double level = RobustStats.median(x, baseFrom, n);
        int noiseFrom = Math.max(0, n - 2 * s.window());
        List<Integer> breaks = cps.stream().map(ChangePoint::index).toList();
        // A noise sd estimated from few runs is itself uncertain: raise the bar while the history is short.
        int diffs = n - noiseFrom - 1;
        double bar = s.sensitivity() * (1 + SMALL_SAMPLE * Math.max(0, 1.0 / diffs - 1.0 / (2 * s.window())));
        double minEffect = s.minEffectAt(level);
        breaks = withTrailingShift(x, noiseFrom, n, s.window(), breaks, level, bar, minEffect);
        double sd = RobustStats.noiseSd(x, noiseFrom, n, s.window(), breaks);
        if (!(sd >= 0)) {
            sd = 0;
        }
        double seRun = run.effectiveStderr(s.proportion());
        double seBase = medianStderr(before, baseFrom, n, s.proportion());
        double sdRun = Double.isNaN(seRun) ? sd : Math.max(sd, seRun);
        double sdBase = Double.isNaN(seBase) ? sd : Math.max(sd, seBase);
        double scale = noiseScale(sdRun, sdBase, m);

        double delta = run.value() - level;
        double z = zOf(delta, scale);
        int sign = (int) Math.signum(delta);
        boolean meaningful = Math.abs(delta) >= minEffect && delta != 0;
        boolean significant = Math.abs(z) >= bar
                || confirmed(x, n, baseFrom, level, scale, sign, z, 2, CONFIRM_2 * bar, run.value(), bar)
                || confirmed(x, n, baseFrom, level, scale, sign, z, 3, CONFIRM_3 * bar, run.value(), bar);

        if (significant && meaningful) {
            // The shift started at the first of the contiguous runs just before this one that were already out of band the same way.
            int start = n;
            while (start - 1 >= baseFrom) {
                double d = x[start - 1] - level;
                if ((int) Math.signum(d) == sign && Math.abs(zOf(d, scale)) >= CONFIRM_3 * bar && Math.abs(d) >= minEffect) {
                    start--;
                } else {
                    break;
                }
            }
            start = heldStart(x, before, state, start, baseFrom, level, scale, sign, CONFIRM_3 * bar);
            Observation first = start == n ? run : before.get(start);
            Observation lastBefore = start == 0 ? null : before.get(start - 1);
            boolean alert = !alreadyAlerted(before, state, start, sign, first)
                    && !againstItsOwnShift(cps, segStart, baseFrom, before, state, sign);
            if (!alert && escalated(x, before, state, run.value(), sdRun, sd, bar, minEffect, sign, level, scale)) {
                // Worse again: this run is significantly beyond the level of the shift already alerted
                // (a small shift alerted just before a large one), so it is a new shift starting here.
                alert = true;
                first = run;
                lastBefore = before.get(n - 1);
            }
            AlertState next = alert && !older ? new AlertState(first.transactionId(), sign) : state;
            Outcome outcome = classify(direction, sign);
            return new MetricJudgement(outcome, MetricJudgement.NOISE_AWARE, level, run.value(), delta, sd, z, minEffect, m,
                    alert && outcome != Outcome.OK && outcome != Outcome.NOT_JUDGED, late, lastBefore, first, seriesCps,
                    outcome == Outcome.NOT_JUDGED ? state : next,
                    explain(delta, level, s.proportion(), z, lastBefore, first, false), false, cps);
        }
        // Not out of band now: a change point confirmed just now that was never alerted still reports its shift once.
        // (The series' change points, this run included: the alert names the same commit range as the stored change point.)
        if (!seriesCps.isEmpty() && !older) {
            ChangePoint cp = seriesCps.get(seriesCps.size() - 1);
            int cpSign = (int) Math.signum(cp.magnitude());
            boolean recent = n - cp.index() <= ChangePointDetector.MIN_SEGMENT + 2;
            if (recent && !sameShift(before, state, cp.index(), cpSign, cp.firstAfter())) {
                Outcome outcome = classify(direction, cpSign);
                if (outcome != Outcome.NOT_JUDGED) {
                    int prev = seriesCps.size() > 1 ? seriesCps.get(seriesCps.size() - 2).index() : 0;
                    double cpZ = zOf(cp.magnitude(), cp.sd() * Math.sqrt(Math.PI / 2 * (1.0 / Math.max(1, cp.index() - prev) + 1.0 / (n + 1 - cp.index()))));
                    return new MetricJudgement(outcome, MetricJudgement.NOISE_AWARE, cp.before(), run.value(),
                            run.value() - cp.before(), sd, cpZ, minEffect, m, true, false, cp.lastBefore(), cp.firstAfter(), seriesCps,
                            new AlertState(cp.firstAfter().transactionId(), cpSign),
                            explain(cp.magnitude(), cp.before(), s.proportion(), cp.sds(), cp.lastBefore(), cp.firstAfter(), true),
                            false, cps);
                }
            }
        }
        Outcome outcome = direction == MetricDirection.NONE ? Outcome.NOT_JUDGED : Outcome.OK;
        return new MetricJudgement(outcome, MetricJudgement.NOISE_AWARE, level, run.value(), delta, sd, z, minEffect, m,
                false, late, null, null, seriesCps, state,
                (significant ? WITHIN_MIN_EFFECT : "within noise: ") + okChange(delta, level, s.proportion(), z)
                        + (!significant && Math.abs(z) >= s.sensitivity() && Double.isFinite(z)
                        // Past the sensitivity yet not significant: say why, or the text contradicts the setting.
                        ? String.format(java.util.Locale.ROOT, "; with %d runs of history the bar is %.1f sd, not %.1f "
                                + "(a noise estimate from few runs is uncertain)", n, bar, s.sensitivity()) : ""),
                significant && outcome == Outcome.OK, cps);
    }

    /**
     * Where the baseline segment starts: at the last change point of the history ({@code cps}), unless every change of
     * the series with this run in it ({@code seriesCps}) lies more than {@value ChangePointDetector#MIN_SEGMENT} runs
     * before it: then this run withdrew it (a dip of three or four runs, this run back at the level before: a pulse,
     * see {@link ChangePointDetector}), and the baseline starts at the change before it that the series still has. A
     * change the run moved later (a weak step whose change point the run places more than
     * {@value ChangePointDetector#MIN_SEGMENT} runs on) was not withdrawn: the baseline stays at the history's change,
     * or it would reach back over the level before it. The run only ever widens its baseline so, and only over a change
     * it withdrew: a run that starts a shift is never judged against a segment it made.
     */
    private static int baselineStart(List<ChangePoint> cps, List<ChangePoint> seriesCps) {
        if (cps.isEmpty()) {
            return 0;
        }
        int last = cps.get(cps.size() - 1).index();
        int earlier = 0;
        for (ChangePoint c : seriesCps) {
            if (c.index() >= last - ChangePointDetector.MIN_SEGMENT) {
                return last;
            }
            earlier = c.index();
        }
        return earlier;
    }

    /**
     * Whether this run and the {@code k - 1} runs just before it are all beyond {@code threshold} noise sd
     * on the same side, at one level: a sustained shift confirmed over several runs, each too small to stand out alone
     * (false-alarm rate per run about P(Z > threshold)^k). At one level: this run ({@code value}) is not {@code bar}
     * noise sd or more back from the median of the runs before it; a run just past the threshold after a dip far out of
     * band is on its way back (the dip was alerted on its own), not the third run of a small shift.
     */
    private static boolean confirmed(double[] x, int n, int baseFrom, double level, double scale, int sign, double z,
                                     int k, double threshold, double value, double bar) {
        if (Math.abs(z) < threshold || n - (k - 1) < baseFrom + 3) {
            return false;
        }
        for (int i = n - (k - 1); i < n; i++) {
            double d = x[i] - level;
            if ((int) Math.signum(d) != sign || Math.abs(zOf(d, scale)) < threshold) {
                return false;
            }
        }
        return Math.abs(zOf(value - RobustStats.median(x, n - (k - 1), n), scale)) < bar;
    }

    /**
     * Whether {@code value} is significantly beyond the level of the shift already alerted (the median of
     * the runs since its first run), in the same direction: the test of the engine applied with that
     * shift's runs as the baseline. When a run of the shift was significant on its own (z against the baseline
     * {@code level} at least {@code bar}), the shift's level starts at the first such run: the runs before it joined
     * the shift only as out of band (a noise run 2 sd low just before a 6 sd step), and with them in its median the
     * step's level was taken as half-way, so the step's next run "escalated" the step it belongs to.
     */
    private static boolean escalated(double[] x, List<Observation> before, AlertState state, double value, double sdRun,
                                     double sd, double bar, double minEffect, int sign, double level, double runScale) {
        int from = -1;
        for (int i = before.size() - 1; i >= 0; i--) {
            if (before.get(i).transactionId() == state.shiftStartTx()) {
                from = i;
                break;
            }
        }
        if (from < 0) {
            return false;
        }
        for (int i = from; i < x.length; i++) {
            if ((int) Math.signum(x[i] - level) == sign && Math.abs(zOf(x[i] - level, runScale)) >= bar) {
                from = i;
                break;
            }
        }
        int len = x.length - from;
        double d = value - RobustStats.median(x, from, x.length);
        double scale = noiseScale(sdRun, sd, len);
        return (int) Math.signum(d) == sign && Math.abs(zOf(d, scale)) >= bar && Math.abs(d) >= minEffect && d != 0;
    }

    /**
     * Where a shift that continues the one already alerted starts: {@code start} (the first of the runs just before this
     * one out of band the same way), or the alerted shift's first run when it lies at most
     * {@value ChangePointDetector#MIN_SEGMENT} runs before {@code start} and every run from it to {@code start} is
     * still half as far out the same way ({@code band} / 2). A run that was just out of band when the shift was alerted
     * (a noise run 2 sd low just before a step) falls just inside the band once the step's runs raise the noise estimate:
     * the shift then seemed to start a run later, at a run the alert memory does not hold, and the step's next run
     * alerted a second time. Hysteresis: a run counted in the alerted shift stays in it while it is half as far out.
     */
    private static int heldStart(double[] x, List<Observation> before, AlertState state, int start, int baseFrom,
                                 double level, double scale, int sign, double band) {
        if (state.shiftStartTx() == 0 || state.shiftSign() != sign) {
            return start;
        }
        for (int i = start - 1; i >= Math.max(baseFrom, start - ChangePointDetector.MIN_SEGMENT); i--) {
            double d = x[i] - level;
            if ((int) Math.signum(d) != sign || Math.abs(zOf(d, scale)) < band / 2) {
                return start;
            }
            if (before.get(i).transactionId() == state.shiftStartTx()) {
                return i;
            }
        }
        return start;
    }

    /**
     * Whether the baseline is the segment of the shift already alerted: it starts at a change point of the history
     * ({@code segStart}, the baseline not cut by the window) in the shift's direction, within
     * {@value ChangePointDetector#MIN_SEGMENT} runs of the alerted shift's start, while that segment is young (at most
     * twice {@value ChangePointDetector#MIN_SEGMENT} runs: a settled shift's later runs are judged as any run is). A run
     * out of band against it is then
     * further out than that shift, which alerts again only when {@link #escalated} says so. Without it a step whose
     * change point the low runs just before it had placed two runs early (a four-run segment of two low noise runs and
     * two of the step, its median half-way) was judged against that half-way level, and its third run alerted the step
     * a second time.
     */
    private static boolean againstItsOwnShift(List<ChangePoint> cps, int segStart, int baseFrom, List<Observation> before,
                                              AlertState state, int sign) {
        if (segStart == 0 || baseFrom != segStart || state.shiftStartTx() == 0 || state.shiftSign() != sign
                || before.size() - segStart > 2 * ChangePointDetector.MIN_SEGMENT) {
            return false;
        }
        for (ChangePoint c : cps) {
            if (c.index() == segStart && (int) Math.signum(c.magnitude()) == sign) {
                return sameShift(before, state, segStart, sign, before.get(segStart));
            }
        }
        return false;
    }

    /** Whether one of the runs of this shift (from {@code start} to this run) is the one already alerted. */
    private static boolean alreadyAlerted(List<Observation> before, AlertState state, int start, int sign, Observation first) {
        if (state.shiftStartTx() == 0 || state.shiftSign() != sign) {
            return false;
        }
        if (first.transactionId() == state.shiftStartTx()) {
            return true;
        }
        for (int i = start; i < before.size(); i++) {
            if (before.get(i).transactionId() == state.shiftStartTx()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the shift starting at index {@code start} (or at {@code first}) is the one already alerted. */
    private static boolean sameShift(List<Observation> before, AlertState state, int start, int sign, Observation first) {
        if (state.shiftStartTx() == 0 || state.shiftSign() != sign) {
            return false;
        }
        if (first != null && first.transactionId() == state.shiftStartTx()) {
            return true;
        }
        // A change point's estimated start may sit a run or two away from where the per-run test first alerted.
        for (int i = Math.max(0, start - ChangePointDetector.MIN_SEGMENT); i < Math.min(before.size(), start + ChangePointDetector.MIN_SEGMENT + 1); i++) {
            if (before.get(i).transactionId() == state.shiftStartTx()) {
                return true;
            }
        }
        return false;
    }

    private static MetricJudgement fallback(List<Observation> before, Observation run, MetricDirection direction,
                                            DetectionSettings s, AlertState state, boolean late, boolean older) {
        int n = before.size();
        double[] x = values(before);
        int from = Math.max(0, n - FALLBACK_RUNS);
        double level = RobustStats.median(x, from, n);
        double delta = run.value() - level;
        double minEffect = s.minEffectAt(level);
        boolean changed = beyondRelativeRule(delta, level, s);
        int sign = (int) Math.signum(delta);
        // One run before it has no median to speak of ("the median of the previous 1 runs").
        String against = n - from == 1 ? "the previous run" : "the median of the previous " + (n - from) + " runs";
        String why = String.format(java.util.Locale.ROOT, "%s vs %s; relative rule (%.0f%%) while the series has fewer "
                + "than %d runs", formatDelta(delta, level, s.proportion()), against, 100 * s.fallbackThreshold(), s.minHistory());
        if (!changed) {
            return new MetricJudgement(direction == MetricDirection.NONE ? Outcome.NOT_JUDGED : Outcome.OK, MetricJudgement.FALLBACK,
                    level, run.value(), delta, Double.NaN, Double.NaN, minEffect, n - from, false, late, null, null, List.of(),
                    state, why, false);
        }
        Outcome outcome = classify(direction, sign);
        Observation last = before.get(n - 1);
        boolean continuing = state.shiftSign() == sign && state.shiftStartTx() != 0
                && (state.shiftStartTx() == last.transactionId() || isOutOfBand(x[n - 1], level, s, sign));
        boolean alert = outcome != Outcome.NOT_JUDGED && outcome != Outcome.OK && !continuing;
        AlertState next = alert && !older ? new AlertState(run.transactionId(), sign) : state;
        return new MetricJudgement(outcome, MetricJudgement.FALLBACK, level, run.value(), delta, Double.NaN, Double.NaN,
                minEffect, n - from, alert, late, last, run, List.of(), next, why, false);
    }

    /**
     * The fallback's relative rule: the change is over {@code fallbackThreshold} of the level (any change from a level
     * of 0) and at least the minimum effect, absolute or relative to the level ({@code min_effect: "2%"}), as the
     * noise-aware rule takes it.
     */
    private static boolean beyondRelativeRule(double delta, double level, DetectionSettings s) {
        double rel = level != 0 ? Math.abs(delta) / Math.abs(level) : (delta == 0 ? 0 : Double.POSITIVE_INFINITY);
        return rel > s.fallbackThreshold() && Math.abs(delta) >= s.minEffectAt(level);
    }

    /**
     * {@code breaks} and, in a history shorter than the window (the plain noise estimate, {@link RobustStats#noiseSd}),
     * the index where its last runs start when they alone are out of band: the last one or two (fewer than a segment
     * of the change-point search, {@link ChangePointDetector#MIN_SEGMENT}), each on the same side and at least
     * {@code bar} noise sd (estimated without the jump into them) and {@code minEffect} off {@code level}; two such runs
     * are looked for first. Why: the change-point search cannot place a shift whose first run is among the history's
     * last two, so the jump into it counted as noise, and the next runs of the same shift were judged against a noise
     * sd it had inflated: ten runs of accuracy about 0.80, then 0.60 (critical, 13.1 sd), then 0.61, graded minor at
     * 3.8 sd while its alert, graded by the opening's noise, said critical (and 0.62 after it, 3.9 sd). Those runs stay
     * in the baseline's median; the last run is never a flaky run ({@link RobustStats#spikes}), and one out and back
     * is not a block here; the robust estimate of a full window is left as it is, as one difference barely moves it.
     */
    static List<Integer> withTrailingShift(double[] x, int from, int n, int window, List<Integer> breaks, double level,
                                           double bar, double minEffect) {
        if (n - from >= window) {
            return breaks;
        }
        for (int k = ChangePointDetector.MIN_SEGMENT - 1; k >= 1; k--) {
            int first = n - k;
            if (first <= from || breaks.stream().anyMatch(b -> b >= first)) {
                continue;
            }
            List<Integer> with = new ArrayList<>(breaks);
            with.add(first);
            double without = RobustStats.noiseSd(x, from, n, window, with);
            if (outOfBand(x, first, n, level, bar * without, minEffect)) {
                return with;
            }
        }
        return breaks;
    }

    /** Whether every value of {@code x[first, n)} lies on the same side of {@code level}, at least both bounds off it. */
    private static boolean outOfBand(double[] x, int first, int n, double level, double band, double minEffect) {
        if (!(band > 0)) {
            return false;
        }
        double sign = Math.signum(x[first] - level);
        for (int i = first; i < n; i++) {
            double d = x[i] - level;
            if (Math.signum(d) != sign || Math.abs(d) < band || Math.abs(d) < minEffect) {
                return false;
            }
        }
        return true;
    }

    /**
     * The standard error of a run's difference from the median of {@code m} baseline runs: the run's own noise
     * {@code sdRun} and the median's, whose variance is {@code pi / (2 m)} times the runs' (asymptotic efficiency of
     * the median against the mean for normal noise).
     */
    private static double noiseScale(double sdRun, double sdBase, int m) {
        return Math.sqrt(sdRun * sdRun + sdBase * sdBase * Math.PI / (2.0 * m));
    }

    /**
     * Whether {@code j}'s run is still a regression from {@code level} (an open alert's baseline) under {@code s}: a
     * regression outcome, or a change from {@code level} in the metric's bad direction that this judge's own rules call
     * real: the relative rule when the run was judged by the fallback (or no noise was measured), else at least the
     * sensitivity in the noise measured for the run ({@link #noiseScale} of its sd against its baseline runs, without
     * the runs' own standard errors) and at least the minimum effect at that level. The outcome alone cannot tell: once
     * a shift persists, the judge's baseline is the new level and it judges the shifted run within noise.
     *
     * @param direction the metric's direction, or {@code null} when it is unknown (never a regression then)
     */
    public static boolean regressedFrom(MetricJudgement j, double level, MetricDirection direction, DetectionSettings s) {
        if (j.outcome() == Outcome.REGRESSION) {
            return true;
        }
        double d = j.current() - level;
        boolean bad = switch (direction == null ? MetricDirection.NONE : direction) {
            case HIGHER_IS_BETTER -> d < 0;
            case LOWER_IS_BETTER -> d > 0;
            case NONE, UNKNOWN -> false;
        };
        if (!bad || !Double.isFinite(level)) {
            return false;
        }
        if (MetricJudgement.FALLBACK.equals(j.method()) || !(j.sd() >= 0)) {
            return beyondRelativeRule(d, level, s);
        }
        double scale = noiseScale(j.sd(), j.sd(), Math.max(1, j.baselineRuns()));
        return Math.abs(zOf(d, scale)) >= s.sensitivity() && Math.abs(d) >= s.minEffectAt(level);
    }

    /**
     * Whether a run is still outside the relative band around {@code level} in the shift's direction: whether a shift
     * the alert memory holds goes on. Unlike {@link #beyondRelativeRule}, a level of 0 has no band, so nothing
     * continues from it (each run of the fallback is judged afresh).
     */
    private static boolean isOutOfBand(double value, double level, DetectionSettings s, int sign) {
        double d = value - level;
        return (int) Math.signum(d) == sign && level != 0 && Math.abs(d) / Math.abs(level) > s.fallbackThreshold();
    }

    private static Outcome classify(MetricDirection direction, int sign) {
        if (direction == null) {
            return Outcome.CHANGED_DIRECTION_UNKNOWN;
        }
        return switch (direction) {
            case UNKNOWN -> Outcome.CHANGED_DIRECTION_UNKNOWN;
            case NONE -> Outcome.NOT_JUDGED;
            case HIGHER_IS_BETTER -> sign < 0 ? Outcome.REGRESSION : Outcome.IMPROVEMENT;
            case LOWER_IS_BETTER -> sign > 0 ? Outcome.REGRESSION : Outcome.IMPROVEMENT;
        };
    }

    /** delta / scale, signed (the direction of the change), +-infinite for a change without noise, 0 for none. */
    private static double zOf(double delta, double scale) {
        if (scale > 0) {
            return delta / scale;
        }
        return delta == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, delta);
    }

    private static double medianStderr(List<Observation> obs, int from, int to, boolean proportion) {
        double[] se = new double[to - from];
        int k = 0;
        for (int i = from; i < to; i++) {
            double v = obs.get(i).effectiveStderr(proportion);
            if (!Double.isNaN(v)) {
                se[k++] = v;
            }
        }
        return k == 0 ? Double.NaN : RobustStats.median(se, 0, k);
    }

    private static double[] withRun(double[] x, Observation run) {
        double[] out = java.util.Arrays.copyOf(x, x.length + 1);
        out[x.length] = run.value();
        return out;
    }

    private static List<Observation> withRun(List<Observation> before, Observation run) {
        List<Observation> out = new ArrayList<>(before.size() + 1);
        out.addAll(before);
        out.add(run);
        return out;
    }

    private static double[] values(List<Observation> obs) {
        double[] x = new double[obs.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = obs.get(i).value();
        }
        return x;
    }

    /**
     * The change an {@code ok} noise-aware judgement reports after its prefix ({@code within noise: },
     * {@code within the minimum effect: }): {@code -3.4 points (7.7 sd)}. For a judgement {@code j}, the same as
     * {@link #okChange(MetricJudgement, boolean)}.
     */
    private static String okChange(double delta, double level, boolean proportion, double z) {
        return explain(delta, level, proportion, z, null, null, false);
    }

    /**
     * The change {@code j} reports, an {@code ok} noise-aware judgement judged with {@code proportion}
     * ({@link DetectionSettings#proportion}), without the prefix that says why it is ok: {@code -3.4 points (7.7 sd)}.
     */
    static String okChange(MetricJudgement j, boolean proportion) {
        return okChange(j.delta(), j.baseline(), proportion, j.z());
    }

    /** {@code -2.6 points (4.8 sd), since commit abc1234..def5678} (the start worded by {@link ChangeSince}). */
    static String explain(double delta, double level, boolean proportion, double z, Observation lastBefore,
                          Observation first, boolean changePoint) {
        StringBuilder b = new StringBuilder(formatDelta(delta, level, proportion));
        if (Double.isFinite(z)) {
            b.append(String.format(java.util.Locale.ROOT, " (%.1f sd)", Math.abs(z)));
        } else if (delta != 0) {
            b.append(" (noise-free series)");
        }
        if (lastBefore != null && first != null) {
            b.append(", ").append(ChangeSince.of(lastBefore, first));
        }
        if (changePoint) {
            b.append(" (change point)");
        }
        return b.toString();
    }

    /**
     * A change as people read it: percentage points for a proportion ({@code proportion}:
     * {@link MetricSemantics#isProportion}) at a level in [0, 1] ({@code -2.6 points}), otherwise the value with 3
     * significant digits and the relative change ({@code +0.011 (+100.0%)} for seconds, {@code +41.2 (+10.3%)}); from
     * 1000 up in whole digits, grouped ({@code -1,300 (-52.0%)}, where {@code %.3g} wrote {@code -1.30e+03}).
     */
    public static String formatDelta(double delta, double level, boolean proportion) {
        if (Double.isNaN(delta)) {
            return "n/a";
        }
        if (inPoints(delta, level, proportion)) {
            return dev.benchmon.notebook.ReadableNumber.signedOneDecimal(100 * delta) + " points";
        }
        String abs = signedThreeDigits(delta);
        return level != 0 ? abs + " (" + dev.benchmon.notebook.ReadableNumber.signedOneDecimal(100 * delta / Math.abs(level)) + "%)" : abs;
    }

    /**
     * {@code v} signed, to 3 significant digits ({@code %+.3g}: {@code +0.0110}, {@code -41.2}), but never in
     * exponent notation from 1000 up, where {@code %g} switches to it: {@code -1,300}, {@code +2,460,000}; nor down to
     * {@link #PLAIN_FROM} ({@code +0.0000673}, not {@code +6.73e-05}: a pytest-benchmark mean's change, in seconds,
     * beside values written {@code 0.0001119}). Only a change smaller still keeps it ({@code +1.20e-08}), where plain
     * digits would be a row of zeros.
     */
    static String signedThreeDigits(double v) {
        String whole = groupedWhole(v, 3, 1000, true);
        if (whole != null) {
            return whole;
        }
        if (Double.isFinite(v) && v != 0 && Math.abs(v) < 1e-4 && Math.abs(v) >= PLAIN_FROM) {
            java.math.BigDecimal rounded = new java.math.BigDecimal(v).round(new java.math.MathContext(3,
                    java.math.RoundingMode.HALF_UP)); // as %.3g rounds
            if (rounded.abs().compareTo(java.math.BigDecimal.valueOf(1e-4)) < 0) { // else %.3g writes it plainly
                return (v > 0 ? "+" : "") + rounded.toPlainString();
            }
        }
        return String.format(java.util.Locale.ROOT, "%+.3g", v);
    }

    /** The smallest change {@link #signedThreeDigits} writes in plain digits (as {@code 0.00000123}), not as 1.23e-06. */
    static final double PLAIN_FROM = 1e-6;

    /**
     * A metric's value as people read it beside its change: 4 significant digits ({@code %.4g}: 0.9000, 2500), but from
     * 10,000 up in grouped digits ({@code 25,000}, {@code 123,500}) where {@code %.4g} switches to exponent notation
     * ({@code 2.500e+04}), as the change beside it is worded ({@link #formatDelta}). The push summary's baselines and
     * values and the alerts' history texts word values so; SQL's {@code benchmon_format_value}
     * ({@code R__alert_functions.sql}) words the events the database writes and must agree (FormatValueParityTest).
     */
    public static String formatValue(double v) {
        String whole = groupedWhole(v, 4, 10_000, false);
        return whole != null ? whole : String.format(java.util.Locale.ROOT, "%.4g", v);
    }

    /**
     * {@code v} rounded (half up) to {@code digits} significant digits, as a whole number in grouped digits
     * ({@code -1,300}, {@code 25,000}; {@code signed}: {@code +2,460,000}), where {@code %g} of that precision would
     * switch to exponent notation; {@code null} when the rounded value is under {@code from} in magnitude, or {@code v}
     * is not finite (the caller's {@code %g} words it then).
     */
    public static String groupedWhole(double v, int digits, double from, boolean signed) {
        if (!Double.isFinite(v)) {
            return null;
        }
        // Rounding to 2 or more significant digits moves a value by at most 5%, so one under 0.9 of the bar stays
        // under it: the common case (every judged change is worded) skips the exact decimal expansion below.
        if (digits >= 2 && Math.abs(v) < 0.9 * from) {
            return null;
        }
        java.math.BigDecimal rounded = new java.math.BigDecimal(v).round(new java.math.MathContext(digits,
                java.math.RoundingMode.HALF_UP));
        return rounded.abs().compareTo(java.math.BigDecimal.valueOf(from)) < 0 ? null
                : String.format(java.util.Locale.ROOT, signed ? "%+,d" : "%,d", rounded.toBigInteger());
    }

    /**
     * THE points-or-percent rule: whether a change of {@code delta} (in the metric's unit) from {@code level} is worded
     * in percentage points. So for a proportion ({@code proportion}: {@link MetricSemantics#isProportion}) at a level
     * in [0, 1] whose change stays within 1 (100 points); otherwise it is worded relative to the level. Used by
     * {@link #formatDelta} and by {@link dev.benchmon.alert.Alert#change()}; SQL's {@code alert_change_text}
     * ({@code R__alert_functions.sql}) states it for the severity-escalation event and must agree
     * (AlertChangeTextTest checks the same cases on both).
     */
    public static boolean inPoints(double delta, double level, boolean proportion) {
        return proportion && level >= 0 && level <= 1 && Math.abs(delta) <= 1;
    }
}
