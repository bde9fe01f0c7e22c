package dev.benchmon.alert;

import java.time.Instant;

/**
 * One alert: a finding of the detector and its current state. Its history is {@link Alerts#history(long)}.
 *
 * @param id                stable id
 * @param seriesId          {@code series.id}
 * @param kind              {@code regression} or {@code change_point}
 * @param transactionId     the run it names: the run that raised it or, when that run is excluded and the later runs
 *                          still show the change, the first later run of the change that is not excluded
 * @param lastTransactionId the newest run that still showed the change (the alert follows it while active)
 * @param runId             the CI run id of that run, or {@code null}
 * @param commitFrom        last commit before the change (baseline side), or {@code null}
 * @param commitTo          the raising run's commit (or the newest run's), or {@code null}
 * @param magnitude         relative change, or {@code null}
 * @param verdict           the detector's verdict in words
 * @param shiftTx           the first run of the shift the alert is about (one alert per shift)
 * @param changePointTx     the first run of the stored change point that confirmed the shift, or {@code null}
 * @param changePointConfidence that change point's confidence (1 - p-value, 0..1), or {@code null}
 */
public record Alert(long id, int seriesId, String modelVersion, String datasetVersion, String promptVersion,
                    String environment, String metric, String kind, long transactionId, long lastTransactionId,
                    String runId, String commitFrom, String commitTo, Double baseline, Double current, Double magnitude,
                    String severity, String verdict, AlertState state, Instant openedAt, Instant stateChangedAt,
                    long shiftTx, Long changePointTx, Double changePointConfidence) {

    /** {@code model / dataset / prompt @environment}, as everywhere else in benchmon. */
    public String series() {
        return modelVersion + " / " + datasetVersion + (promptVersion.isEmpty() ? "" : " / " + promptVersion)
                + " @" + environment;
    }

    /** The relative change as text, e.g. {@code -7.7%}, or the verdict when there is none. */
    public String change() {
        return magnitude == null ? verdict : String.format(java.util.Locale.ROOT, "%+.1f%%", magnitude * 100);
    }

    /** {@code from..to}, {@code to}, or empty. */
    public String commitRange() {
        if (commitTo == null) {
            return commitFrom == null ? "" : commitFrom;
        }
        return commitFrom == null || commitFrom.equals(commitTo) ? commitTo : commitFrom + ".." + commitTo;
    }
}
