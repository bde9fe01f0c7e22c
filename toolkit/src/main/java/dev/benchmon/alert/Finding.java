package dev.benchmon.alert;

import java.util.List;
import java.util.Locale;

/**
 * What the detector found about one metric of one series at one run: the input of
 * {@link Alerts#onFindings(org.jdbi.v3.core.Handle, java.util.List)}.
 *
 * @param seriesId      {@code series.id}
 * @param metric        the metric's name, exactly as stored
 * @param kind          regression, change point, or within noise (judged and fine: resolves earlier alerts)
 * @param transactionId the run ({@code benchmark_transactions.id}) the finding is about
 * @param baseline      the level the run was compared with, in the metric's unit ({@code NaN} if none)
 * @param current       the run's value
 * @param magnitude     relative change (current - baseline) / |baseline|, or {@code null} when undefined
 * @param severity      minor, major, critical (or the detector's own grading); may be {@code null}
 * @param text          the verdict in words, e.g. {@code f1 0.91 -> 0.84 (-7.7%), major}
 * @param commitFrom    the last commit before the change (the baseline side), or {@code null}
 * @param commitTo      the commit of the change's first run ({@code shiftTx}, else the run), the end of the alert's
 *                      commit range; or {@code null}
 * @param shiftTx       the first run of the shift the finding is about ({@code benchmark_transactions.id}): the
 *                      per-run test's first run out of band, or a change point's first run of the new segment;
 *                      {@code null} = {@code transactionId}. Findings whose shifts start within
 *                      {@link dev.benchmon.detect.ChangePointDetector#MIN_SEGMENT} runs of each other are one shift.
 * @param seenIn        the newest run when the finding was made (the alert follows it), or {@code null} =
 *                      {@code transactionId}; for a change point, the run whose arrival confirmed it
 * @param confidence    a change point's confidence (1 - p-value, 0..1), or {@code null}
 * @param txBefore      the last run before the shift ({@code benchmark_transactions.id}), whose commit is
 *                      {@code commitFrom}: the detector's last run of the baseline, which the alert keeps as the start
 *                      of its commit range; {@code null} when the caller does not know it (then the newest counted run
 *                      of the metric before {@code shiftTx} is looked up when the alert opens)
 * @param proportion    whether the metric is a proportion ({@link dev.benchmon.detect.MetricSemantics#isProportion}),
 *                      as the detector judged it: the escalation events word its change in percentage points then, as
 *                      the alert does; {@code null} when the caller does not know it (then
 *                      {@link Alerts#onFindings} reads the metric's definition)
 * @param changePointsByRun for a regression or within-noise finding about the newest run of a push of several runs:
 *                      each run of the push (oldest first) after which the series' change points of the metric are
 *                      not those after the run before it ({@link EngineFindings#changePointsByRun}), so a change point
 *                      the push withdrew is said withdrawn in the run that withdrew it; empty (or null) when the
 *                      caller does not know them: then in the finding's run
 */
public record Finding(int seriesId, String metric, Kind kind, long transactionId, double baseline, double current,
                      Double magnitude, String severity, String text, String commitFrom, String commitTo,
                      Long shiftTx, Long seenIn, Double confidence, Long txBefore, Boolean proportion,
                      List<ChangePointsWith> changePointsByRun) {

    /**
     * The series' change points of a finding's metric once run {@code transactionId} is in it.
     *
     * @param transactionId   a run of the push ({@code benchmark_transactions.id})
     * @param value           the run's value of the metric
     * @param regression      whether the run was judged a regression (else back within noise, or not judged)
     * @param changePointRuns the first run of each change point of the metric the series has with the run in it
     */
    public record ChangePointsWith(long transactionId, double value, boolean regression, List<Long> changePointRuns) {
        public ChangePointsWith {
            changePointRuns = List.copyOf(changePointRuns);
        }
    }

    /** A finding that does not say where a push's runs changed the change points ({@code changePointsByRun} empty). */
    public Finding(int seriesId, String metric, Kind kind, long transactionId, double baseline, double current,
                   Double magnitude, String severity, String text, String commitFrom, String commitTo,
                   Long shiftTx, Long seenIn, Double confidence, Long txBefore, Boolean proportion) {
        this(seriesId, metric, kind, transactionId, baseline, current, magnitude, severity, text, commitFrom, commitTo,
                shiftTx, seenIn, confidence, txBefore, proportion, List.of());
    }

    /** A finding whose shift starts at its own run, seen in that run, without a change point's confidence. */
    public Finding(int seriesId, String metric, Kind kind, long transactionId, double baseline, double current,
                   Double magnitude, String severity, String text, String commitFrom, String commitTo) {
        this(seriesId, metric, kind, transactionId, baseline, current, magnitude, severity, text, commitFrom, commitTo,
                null, null, null, null);
    }

    /** A finding that does not say the run before its shift ({@code txBefore} {@code null}). */
    public Finding(int seriesId, String metric, Kind kind, long transactionId, double baseline, double current,
                   Double magnitude, String severity, String text, String commitFrom, String commitTo,
                   Long shiftTx, Long seenIn, Double confidence) {
        this(seriesId, metric, kind, transactionId, baseline, current, magnitude, severity, text, commitFrom, commitTo,
                shiftTx, seenIn, confidence, null);
    }

    /** A finding that does not say whether its metric is a proportion ({@code proportion} {@code null}). */
    public Finding(int seriesId, String metric, Kind kind, long transactionId, double baseline, double current,
                   Double magnitude, String severity, String text, String commitFrom, String commitTo,
                   Long shiftTx, Long seenIn, Double confidence, Long txBefore) {
        this(seriesId, metric, kind, transactionId, baseline, current, magnitude, severity, text, commitFrom, commitTo,
                shiftTx, seenIn, confidence, txBefore, null);
    }

    /** What sort of finding. */
    public enum Kind {
        REGRESSION, CHANGE_POINT, WITHIN_NOISE;

        /** {@code regression}, {@code change_point}, {@code within_noise}. */
        public String sqlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Finding {
        changePointsByRun = changePointsByRun == null ? List.of() : List.copyOf(changePointsByRun);
        if (metric == null || metric.isEmpty()) {
            throw new IllegalArgumentException("a finding needs a metric");
        }
        if (kind == null) {
            throw new IllegalArgumentException("a finding needs a kind");
        }
    }
}
