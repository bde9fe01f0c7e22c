package dev.benchmon.server.ingest;

import java.util.List;

/**
 * What happened to one result of a batch.
 *
 * @param index       its position in the batch
 * @param id          its transaction id in the log
 * @param created     {@code true} if stored now, {@code false} if its idempotency key was already present
 * @param series      {@code model / dataset / prompt @environment}
 * @param verdict     {@value #REGRESSION}, {@value #OK}, {@value #NO_BASELINE} (first run of a series) or
 *                    {@value #MISSING} (a metric of the previous run is absent); every result is judged against
 *                    the runs before it by {@code run_at}
 * @param regressions the metrics that regressed (empty unless the verdict is {@value #REGRESSION})
 * @param changes     every metric reported on that is not a regression: improvements, changes of metrics
 *                    whose direction is unknown (with the command that declares them), missing metrics
 * @param late        a late arrival: a newer run of the series was already stored when this one arrived (not one
 *                    of the same batch); never for a result whose idempotency key was already present
 * @param earlierInPush an earlier run of this push: a newer run of its series came with it (not {@code late}). Judged
 *                    against the runs before it, as if sent alone, but the series' newest run stands for the series
 *                    ({@link dev.benchmon.detect.RunVerdicts#standsForSeries}): its regressions open no alert and fail
 *                    no push, as a late run's; a shift it starts is alerted through the newest run's verdict or the
 *                    change point the series' history then holds
 * @param attempt     which attempt of its CI run (same run_id, series and run_at) the stored result is: 1 for a run's
 *                    first (and for a result without run_id); N above 1 for a re-run, which replaces attempt N-1 in
 *                    histories, verdicts and alerts
 * @param judged      every judged metric (not those declared {@code none}) of a result stored now that stands for its
 *                    series ({@link #standsForSeries()}) against its baseline, ok ones too (outcome {@code ok}: within
 *                    noise): what a push prints of a clean run; empty for the other results (an earlier run of a
 *                    push, a late one, a result already present, a series' first run), and in a request's answer for
 *                    all of them when more than {@link IngestReport#JUDGED_AT_MOST} have them
 *                    ({@link IngestReport#judgedOnlyForAFew})
 */
public record ResultReport(int index, long id, boolean created, String series, String verdict,
                           List<MetricChange> regressions, List<MetricChange> changes, boolean late,
                           boolean earlierInPush, int attempt, List<MetricChange> judged) {
    public static final String REGRESSION = "regression";
    public static final String OK = "ok";
    public static final String NO_BASELINE = "no_baseline";
    public static final String MISSING = "missing";

    public ResultReport {
        regressions = regressions == null ? List.of() : List.copyOf(regressions);
        changes = changes == null ? List.of() : List.copyOf(changes);
        judged = judged == null ? List.of() : List.copyOf(judged);
    }

    public ResultReport(int index, long id, boolean created, String series, String verdict, List<MetricChange> regressions) {
        this(index, id, created, series, verdict, regressions, List.of(), false, false, 1, List.of());
    }

    /** This report of a result that was number {@code index} of what was sent. */
    public ResultReport at(int index) {
        return new ResultReport(index, id, created, series, verdict, regressions, changes, late, earlierInPush, attempt,
                judged);
    }

    /** This report with {@code judged} as its judged metrics. */
    public ResultReport withJudged(List<MetricChange> judged) {
        return new ResultReport(index, id, created, series, verdict, regressions, changes, late, earlierInPush, attempt,
                judged);
    }

    /** This report of a result stored as attempt {@code attempt} of its run. */
    public ResultReport withAttempt(int attempt) {
        return new ResultReport(index, id, created, series, verdict, regressions, changes, late, earlierInPush, attempt,
                judged);
    }

    /** {@code true} when stored now as a CI re-run: a later attempt of its run, replacing the one before. */
    public boolean rerun() {
        return created && attempt > 1;
    }

    /**
     * Whether this result stands for its series: neither late nor an earlier run of its push. Only such a result's
     * regressions open (or follow) an alert, so only they can fail {@code --fail-on-regression}.
     */
    public boolean standsForSeries() {
        return !late && !earlierInPush;
    }

    /** {@code true} when the verdict is a regression. */
    public boolean regressed() {
        return REGRESSION.equals(verdict);
    }

    /** {@code true} when a metric of the previous run is absent from this one. */
    public boolean missing() {
        return changes.stream().anyMatch(c -> MISSING.equals(c.outcome()));
    }
}
