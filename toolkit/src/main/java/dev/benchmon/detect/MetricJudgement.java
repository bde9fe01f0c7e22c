package dev.benchmon.detect;

import java.util.List;

/**
 * The detector's judgement of one metric of one run against its series' history.
 *
 * @param outcome       the conclusion
 * @param method        {@value #NOISE_AWARE} (median and robust noise of the runs since the last change point)
 *                      or {@value #FALLBACK} (fewer previous runs than the minimum history: the relative rule)
 * @param baseline      the baseline level (median of the baseline runs), NaN when there is none
 * @param current       this run's value
 * @param delta         {@code current - baseline}
 * @param sd            the noise standard deviation (robust, from the runs' differences), NaN in fallback
 * @param z             {@code delta} in units of the test's standard error (signed), NaN in fallback
 * @param minEffect     the smallest change that counted, in the metric's unit
 * @param baselineRuns  how many runs formed the baseline
 * @param alert         {@code true} when this is the first run of a shift that was not reported yet:
 *                      one shift gives one alert, the following runs of the same shift repeat the outcome
 *                      with {@code alert = false}
 * @param late          the run arrived after a newer run of the series was already stored (not one of the same
 *                      push): a late arrival, judged against the runs before it
 * @param lastBefore    the last baseline run before the shift (the left end of the commit range), or null
 * @param firstAfter    the first run of the shift (the right end), or null
 * @param changePoints  change points of the series with this run in it (what is stored and charted), oldest first;
 *                      for a run with newer ones beside it, those of the history it was judged against
 * @param state         the alert memory to keep for the next run
 * @param text          a one-line explanation: {@code -2.6 points (4.8 sd), since commit abc1234..def5678}
 * @param beyondNoiseBelowMinEffect {@code true} when the run is {@code ok} only because its change, beyond the series'
 *                      noise, is smaller than the minimum effect (the noise-aware test was significant and not
 *                      meaningful); {@code false} otherwise, and for a verdict read back from storage (which does not
 *                      keep it)
 * @param historyChangePoints change points of the history this run was judged against (the runs before it), oldest
 *                      first: the series' before this run came; {@code changePoints} for a run with newer ones beside
 *                      it, which are those already; null: {@code changePoints}. The alerts layer tells by them which
 *                      run of a push withdrew a change point ({@code dev.benchmon.alert.EngineFindings})
 */
public record MetricJudgement(Outcome outcome, String method, double baseline, double current, double delta,
                              double sd, double z, double minEffect, int baselineRuns, boolean alert, boolean late,
                              Observation lastBefore, Observation firstAfter, List<ChangePoint> changePoints,
                              AlertState state, String text, boolean beyondNoiseBelowMinEffect,
                              List<ChangePoint> historyChangePoints) {
    public static final String NOISE_AWARE = "noise";
    public static final String FALLBACK = "fallback";

    public MetricJudgement {
        changePoints = changePoints == null ? List.of() : List.copyOf(changePoints);
        historyChangePoints = historyChangePoints == null ? changePoints : List.copyOf(historyChangePoints);
    }

    /** A judgement whose history's change points are its {@code changePoints} (the form before {@code historyChangePoints}). */
    public MetricJudgement(Outcome outcome, String method, double baseline, double current, double delta,
                           double sd, double z, double minEffect, int baselineRuns, boolean alert, boolean late,
                           Observation lastBefore, Observation firstAfter, List<ChangePoint> changePoints,
                           AlertState state, String text, boolean beyondNoiseBelowMinEffect) {
        this(outcome, method, baseline, current, delta, sd, z, minEffect, baselineRuns, alert, late, lastBefore,
                firstAfter, changePoints, state, text, beyondNoiseBelowMinEffect, null);
    }

    /** This judgement with another explanation. */
    public MetricJudgement withText(String other) {
        return new MetricJudgement(outcome, method, baseline, current, delta, sd, z, minEffect, baselineRuns, alert, late,
                lastBefore, firstAfter, changePoints, state, other, beyondNoiseBelowMinEffect, historyChangePoints);
    }

    /** {@code before..after} with full commit SHAs ({@link Observation#ref}), or empty when the shift has no known start. */
    public String commitRange() {
        return CommitRange.of(lastBefore, firstAfter);
    }

    /** {@code (current - baseline) / |baseline|}, or NaN when the baseline is 0 or missing. */
    public double relativeChange() {
        return baseline != 0 && Double.isFinite(baseline) ? delta / Math.abs(baseline) : Double.NaN;
    }

    /** {@link Severity#of} its size in noise sd over the sensitivity; {@code none} unless a regression. */
    public String severity(double sensitivity) {
        if (outcome != Outcome.REGRESSION) {
            return "none";
        }
        double size = Double.isFinite(z) ? Math.abs(z) / sensitivity : Math.abs(relativeChange()) / 0.05;
        return Severity.of(size); // (no noise and no baseline: NaN, critical)
    }
}
