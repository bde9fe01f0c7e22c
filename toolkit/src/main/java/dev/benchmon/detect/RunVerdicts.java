package dev.benchmon.detect;

import java.util.List;

/**
 * Every metric verdict of one run.
 *
 * @param late   {@code true} when the run arrived after a newer run of its series (by {@code run_at}, then
 *               transaction id) was already stored, not with it in the same push: a late arrival, judged against
 *               the runs before it. A re-sent result (its idempotency key already present) is never late.
 * @param newest {@code true} for the series' newest run: its verdicts are the series' state (stored, and what
 *               alerts follow); an older run judged with a push (late, or an earlier run of the same push) is reported
 *               with the push only
 */
public record RunVerdicts(long transactionId, int seriesId, boolean late, boolean newest, List<MetricVerdict> metrics) {
    public RunVerdicts {
        metrics = List.copyOf(metrics);
    }

    /**
     * The rule of which verdicts the alerting acts on: only the series' newest run stands for the series (its verdicts
     * are the series' state, which alerts open, follow and resolve on). A late run, or an earlier run of a push of
     * several runs of the series (a back-fill), is judged against the runs before it, as if sent alone, and reported
     * with the push, but its regressions open no alert and fail no push: a shift it starts is alerted through the newest
     * run's verdict or the change point the series' history then holds. {@link dev.benchmon.alert.EngineFindings} and
     * the push's report ({@code ResultReport}, its {@code --fail-on-regression}) both ask this, so they cannot disagree.
     */
    public boolean standsForSeries() {
        return newest && !late;
    }

    public boolean failsCi(boolean failOnMissing) {
        return metrics.stream().anyMatch(m -> m.failsCi(failOnMissing));
    }

    public List<MetricVerdict> with(Outcome outcome) {
        return metrics.stream().filter(m -> m.judgement().outcome() == outcome).toList();
    }

    /** Whether every metric had nothing to compare with. */
    public boolean noBaseline() {
        return !metrics.isEmpty() && metrics.stream().allMatch(m -> m.judgement().outcome() == Outcome.NO_BASELINE);
    }
}
