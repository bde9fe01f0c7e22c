package dev.benchmon.detect;

import java.time.Instant;

/**
 * The check of one metric of one series' latest run, as the detection engine stored it (or, from
 * {@code Benchmon.simpleRuleRegressions}, as the simple SQL rule computed it).
 *
 * @param direction      higher_is_better, lower_is_better, none, or {@code unknown}
 * @param baseline       the baseline level (engine: median of the runs since the last change point); NaN without one
 * @param current        the run's value; NaN for a metric the run lacks (outcome {@code missing})
 * @param relativeChange (current - baseline) / |baseline|, or {@code null} when the baseline is 0
 * @param regression     whether it is a regression (fails CI)
 * @param severity       none, minor, major or critical
 * @param baselineRuns   how many runs the baseline was computed from
 * @param outcome        regression, improvement, ok, changed_direction_unknown, not_judged, no_baseline, missing
 * @param z              the change in noise sd (signed), or {@code null} (fallback rule, simple rule)
 * @param sd             the series' noise sd, or {@code null}
 * @param explanation    why: {@code -2.6 points (4.8 sd), since commit abc1234..def5678}
 * @param commitRange    {@code before..after}: the full commit SHAs (else {@code id transaction}) of the last run
 *                       before the shift and the first run of it, or empty
 * @param method         {@code noise}, {@code fallback} (too little history: relative rule) or {@code simple_rule}
 */
public record Verdict(String modelVersion, String datasetVersion, String promptVersion, String environment,
                      String metric, String direction, double baseline, double current, double delta,
                      Double relativeChange, boolean regression, String severity, int baselineRuns,
                      long transactionId, Instant runAt, String commitSha, String branch, String runId,
                      String outcome, Double z, Double sd, String explanation, String commitRange, String method) {

    /** A verdict of the simple rule (no noise figures). */
    public Verdict(String modelVersion, String datasetVersion, String promptVersion, String environment,
                   String metric, String direction, double baseline, double current, double delta,
                   Double relativeChange, boolean regression, String severity, int baselineRuns,
                   long transactionId, Instant runAt, String commitSha, String branch, String runId) {
        this(modelVersion, datasetVersion, promptVersion, environment, metric, direction, baseline, current, delta,
                relativeChange, regression, severity, baselineRuns, transactionId, runAt, commitSha, branch, runId,
                regression ? "regression" : "ok", null, null, "", "", "simple_rule");
    }

    /** {@code model / dataset / prompt @environment} */
    public String series() {
        return dev.benchmon.SeriesLabel.of(modelVersion, datasetVersion, promptVersion, environment);
    }

    /** Whether the outcome is an improvement. */
    public boolean improvement() {
        return "improvement".equals(outcome);
    }

    /** Whether a metric of unknown direction changed (never a regression; declare its direction). */
    public boolean directionUnknownChange() {
        return "changed_direction_unknown".equals(outcome);
    }

    @Override
    public String toString() {
        // for reading, as the tables print numbers (the fields keep the exact values); a regression on a very quiet
        // metric keeps the digits that tell its two values apart (0.92281 -> 0.92276, not 0.9228 -> 0.9228)
        String[] values = dev.benchmon.notebook.ReadableNumber.apart(baseline, current);
        values[0] = Double.isNaN(baseline) ? "-" : values[0]; // no baseline (first run)
        values[1] = Double.isNaN(current) ? "-" : values[1]; // a missing metric
        return series() + " " + metric + ": " + values[0] + " -> " + values[1]
                + (relativeChange == null ? "" : " (" + dev.benchmon.notebook.ReadableNumber.signedPercent(relativeChange) + ")")
                + (regression ? " REGRESSION " + severity : " " + outcome)
                + (explanation == null || explanation.isEmpty() ? "" : " [" + explanation + "]");
    }
}
