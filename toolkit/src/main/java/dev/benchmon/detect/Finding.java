package dev.benchmon.detect;

/**
 * One alert-worthy thing the detector found, as stored in {@code detection_findings}: made once
 * per shift (not once per run), for the alerts layer to turn into alert rows.
 *
 * @param kind          {@code regression}, {@code improvement}, {@code change_point},
 *                      {@code changed_direction_unknown} or {@code missing}
 * @param transactionId the run that made it
 * @param txBefore      the last run before the change (left end of the commit range), or null
 * @param txAfter       the first run of the change, or null
 * @param magnitude     the change in the metric's unit (NaN for missing)
 * @param sd            the change in noise sd (NaN when unknown)
 * @param text          the explanation shown to people
 */
public record Finding(int seriesId, String metric, long transactionId, String kind, Long txBefore, Long txAfter,
                      String commitBefore, String commitAfter, double magnitude, double sd, String text) {
}
