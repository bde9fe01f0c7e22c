package dev.benchmon.detect;

import java.time.Instant;

/**
 * The check of one metric of one series' latest run against its baseline.
 *
 * @param relativeChange (current - baseline) / |baseline|, or {@code null} when the baseline is 0
 * @param regression     whether it worsened past the thresholds, in the metric's direction
 * @param severity       none, minor, major or critical
 * @param baselineRuns   how many runs the baseline was computed from
 */
public record Verdict(String modelVersion, String datasetVersion, String promptVersion, String environment,
                      String metric, String direction, double baseline, double current, double delta,
                      Double relativeChange, boolean regression, String severity, int baselineRuns,
                      long transactionId, Instant runAt, String commitSha, String branch, String runId) {

    /** {@code model / dataset / prompt @environment} */
    public String series() {
        return modelVersion + " / " + datasetVersion + (promptVersion.isEmpty() ? "" : " / " + promptVersion)
                + " @" + environment;
    }

    @Override
    public String toString() {
        return series() + " " + metric + ": " + baseline + " -> " + current
                + (relativeChange == null ? "" : String.format(" (%+.1f%%)", relativeChange * 100))
                + (regression ? " REGRESSION " + severity : " ok");
    }
}
