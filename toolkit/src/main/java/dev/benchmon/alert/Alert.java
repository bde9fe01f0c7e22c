package dev.benchmon.alert;

import dev.benchmon.detect.CommitRange;
import dev.benchmon.detect.MetricJudge;

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
 * @param runId             the CI run id of the run it names ({@code transactionId}), or {@code null}
 * @param commitFrom        the commit of the last run before the change ({@code fromTransactionId}), or {@code null}
 * @param commitTo          the commit of the change's first run ({@code shiftTx}), or {@code null}; the run the alert
 *                          follows later never moves it
 * @param magnitude         relative change, or {@code null}
 * @param verdict           the detector's verdict in words, as it opened; while the run it opened on is excluded and
 *                          it names a later run of its change, its start is the one {@link #commitRange()} names and
 *                          its figures are labelled the opening run's ({@code f1 regression since commit c9..c11;
 *                          opened on run 11 at -10.0 points (26.2 sd), excluded since: the change persists from run 12})
 * @param shiftTx           the first run of the shift the alert is about (one alert per shift)
 * @param changePointTx     the first run of the stored change point that confirmed the shift, or {@code null}
 * @param changePointConfidence that change point's confidence (1 - p-value, 0..1), or {@code null}
 * @param nowTransactionId  while the alert is active, the run that shows its change now: the newest run of its metric
 *                          that counts (not excluded), else the run it follows; {@code null} once it is not active
 * @param nowValue          that run's value, or {@code null}
 * @param nowSeverity       while the alert is active, the highest severity its change has reached (stored
 *                          {@code alerts.severity_now}: the opening's grade, raised by each escalation its history
 *                          records; never lowered, so a change moving back and forth is announced once), else
 *                          {@code null}
 * @param fromTransactionId the last run before the change, as known when the alert was raised (the detector's last
 *                          run of the baseline; stored, {@code alerts.before_transaction_id}), or {@code null} when
 *                          none was known
 * @param proportion        whether the metric is a proportion ({@link dev.benchmon.detect.MetricSemantics#isProportion}
 *                          of its name and its definition's unit, as the detector decides it now): its changes are
 *                          worded in percentage points, as its verdict words them
 * @param changePointRange  the commit range of that change point ({@link CommitRange}: the run before its first run,
 *                          as the detector stored it, to {@code changePointTx}), e.g. {@code abc..def}; the alert's own
 *                          {@link #commitRange()} when the change point starts at the alert's shift; {@code null} when
 *                          there is no change point or its stored row is gone
 * @param unit              the unit written after the metric's values and changes, from its definition
 *                          ({@link dev.benchmon.chart.MetricUnits#valueUnit}: {@code ms}, {@code USD}); {@code null} for
 *                          a metric without one and for a proportion, whose values read as they are
 * <p>{@code baseline}, {@code magnitude}, {@code severity} and {@code verdict} stay those of the opening (its history);
 * {@code current} is the value of the newest run a regression finding followed (an exclusion of that run moves it, with
 * {@code lastTransactionId}, to the newest run left; including the run again moves both back).
 */
public record Alert(long id, int seriesId, String modelVersion, String datasetVersion, String promptVersion,
                    String environment, String metric, String kind, long transactionId, long lastTransactionId,
                    String runId, String commitFrom, String commitTo, Double baseline, Double current, Double magnitude,
                    String severity, String verdict, AlertState state, Instant openedAt, Instant stateChangedAt,
                    long shiftTx, Long changePointTx, Double changePointConfidence, Long nowTransactionId,
                    Double nowValue, String nowSeverity, Long fromTransactionId, boolean proportion,
                    String changePointRange, String unit) {

    /** {@code model / dataset / prompt @environment}, as everywhere else in benchmon. */
    public String series() {
        return dev.benchmon.SeriesLabel.of(modelVersion, datasetVersion, promptVersion, environment);
    }

    /**
     * {@link #verdict} with the unit after the change its explanation starts with, as the dashboard words it:
     * {@code latency_ms regression: +9.00 ms (+2.9%) (6.4 sd), since commit c6..c7}
     * ({@link dev.benchmon.chart.MetricUnits#inAlertVerdict(String, String, String)}); the stored words stay unitless.
     */
    public String verdictWithUnit() {
        return dev.benchmon.chart.MetricUnits.inAlertVerdict(verdict, metric, unit);
    }

    /**
     * The change at the opening as text, in the words of its verdict: of a proportion (an accuracy, f1) in percentage
     * points, e.g. {@code -10.1 points} (0.90 to 0.80), else relative to the baseline, e.g. {@code -7.7%}; the verdict
     * itself when there is no change. (The relative change is {@code magnitude} either way.)
     */
    public String change() {
        return magnitude == null ? verdict : change(magnitude);
    }

    /** {@code (nowValue - baseline) / |baseline|}: the change now, relative to the opening's baseline; or {@code null}. */
    public Double nowRelativeChange() {
        return nowValue == null || baseline == null || baseline == 0 ? null : (nowValue - baseline) / Math.abs(baseline);
    }

    /** {@link #nowRelativeChange()} as text, as {@link #change()} words it (e.g. {@code -31.8%}), or {@code null}. */
    public String nowChange() {
        Double now = nowRelativeChange();
        return now == null ? null : change(now);
    }

    /**
     * A change relative to the baseline as text: in percentage points for a proportion within [0, 1] (as
     * {@link MetricJudge#formatDelta} words a verdict's change, by its rule {@link MetricJudge#inPoints}: the same
     * baseline, so the same number), else in percent of the baseline.
     */
    private String change(double relative) {
        return changeText(relative, baseline, proportion);
    }

    /**
     * {@link #change()}'s wording of a change {@code relative} to {@code baseline} (null: in percent); SQL's
     * {@code alert_change_text} words the severity-escalation event alike (AlertChangeTextTest compares the two).
     * A push's report words its metrics' changes so too ({@code MetricChange#change}), so that the job summary's
     * regressions and its alerts give the same change in the same unit.
     *
     * @param relative   (current - baseline) / |baseline|
     * @param proportion whether the metric's unit is a proportion ({@code MetricSemantics#proportion})
     * @return e.g. {@code -10.0 points} or {@code -11.2%}
     */
    public static String changeText(double relative, Double baseline, boolean proportion) {
        double delta = baseline == null ? Double.NaN : relative * Math.abs(baseline);
        return baseline != null && MetricJudge.inPoints(delta, baseline, proportion)
                ? MetricJudge.formatDelta(delta, baseline, true) : percent(relative);
    }

    /**
     * What the change is now when it is not what it was at the opening, e.g. {@code -31.8% critical}; {@code null}
     * when the alert is not active or its change and severity are as they opened.
     */
    public String nowDiffers() {
        String change = nowChange();
        boolean moved = change != null && !change.equals(change()) || nowSeverity != null && !nowSeverity.equals(severity);
        return !moved ? null : ((change == null ? "" : change + " ") + (nowSeverity == null ? "" : nowSeverity)).trim();
    }

    private static String percent(double relative) {
        return dev.benchmon.notebook.ReadableNumber.signedPercent(relative);
    }

    /**
     * {@code from..to} as {@code /api/v1/regressions} writes it ({@link CommitRange}): the commit before the change
     * ({@code commitFrom}, else {@code id fromTransactionId}) and the commit of the change's first run ({@code commitTo},
     * else {@code id shiftTx}), e.g. {@code abc..def} or {@code id 11..id 12}; empty when the run before is unknown.
     */
    public String commitRange() {
        return CommitRange.of(commitFrom, fromTransactionId, commitTo, shiftTx);
    }

    /**
     * The change point behind the alert in words, as the alert page and the Alerts tab say it: {@code change point
     * (confidence 0.998)} for a change-point alert ({@code change point, now placed at a00043..a00044 (confidence
     * 0.998)} when later runs moved its change point from the run it was raised on); {@code confirmed by a change point (confidence 1.000)} when the
     * change point starts where the alert's change does, else where it is, which is where to bisect, e.g.
     * {@code confirmed by a change point at a00039..a00040 (confidence 1.000)} ({@code at run 12, no longer a change point of
     * the series} when its stored row is gone: an expected alert's baseline restarted, or it aged out of the
     * detector's history); empty when no change point confirmed it.
     */
    public String changePointText() {
        if (changePointTx == null) {
            return "";
        }
        String what;
        if (kind.equals("change_point")) {
            // moved on by later runs (its run and commit range stay those it was raised on): where it is now
            what = changePointTx == shiftTx || changePointRange == null ? "change point"
                    : "change point, now placed at " + changePointRange;
        } else if (changePointRange == null) {
            // its row is gone (an expected alert's baseline restarted at its run, or the change point aged out of the
            // detector's history): its range is no longer known, and a bare run id would read as a place still held
            what = changePointTx == shiftTx ? "confirmed by a change point" : "confirmed by a change point at run "
                    + changePointTx + ", no longer a change point of the series";
        } else {
            what = "confirmed by a change point" + (changePointRange.equals(commitRange()) ? "" : " at " + changePointRange);
        }
        return what + (changePointConfidence == null ? ""
                : String.format(java.util.Locale.ROOT, " (confidence %.3f)", changePointConfidence));
    }

    /**
     * The link to the code host's compare view of {@link #commitRange()}: between the same two runs' commits
     * ({@link Links#compare}, a commit link when the run before has no commit), or {@code null}.
     */
    public String compareUrl(Links links) {
        return links.compare(commitFrom, commitTo);
    }
}
