package dev.benchmon.detect;

import dev.benchmon.MetricDirection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replays the detector over a stored history as if its runs had arrived one by one (in the order
 * given: by {@code recorded_at} for real histories, so late arrivals are replayed as they happened),
 * carrying the alert memory from run to run. Used by {@code benchmon backtest} and the corpus tests.
 */
public final class Replay {
    private Replay() {
    }

    /**
     * One judgement per run, in arrival order; the first run of the series gets {@link Outcome#NO_BASELINE}. A run that
     * arrived after a newer one (by run_at) is judged {@link MetricJudgement#late() late}, as its push was: it opens no
     * alert, and keeps the alert state as it was.
     */
    public static List<MetricJudgement> run(List<Observation> arrivals, MetricDirection direction, DetectionSettings settings) {
        List<MetricJudgement> out = new ArrayList<>(arrivals.size());
        List<Observation> seen = new ArrayList<>(arrivals.size());
        AlertState state = AlertState.NONE;
        int cap = MetricJudge.HISTORY_WINDOWS * settings.window();
        Comparator<Observation> order = Comparator.comparing(Observation::runAt).thenComparingLong(Observation::transactionId);
        boolean sorted = true;
        for (Observation o : arrivals) {
            // Judge against at most the last cap runs before it (the judge bounds it the same way).
            List<Observation> history = seen.size() > cap && sorted ? seen.subList(seen.size() - cap, seen.size()) : seen;
            MetricJudgement j = MetricJudge.judge(history, o, direction, settings, state);
            out.add(j);
            state = j.state();
            if (!seen.isEmpty() && order.compare(seen.get(seen.size() - 1), o) > 0) {
                sorted = false;
            }
            seen.add(o);
        }
        return out;
    }

    /** Alerts that would fail CI (regression alerts) in a replay; a late run's opens none. */
    public static long regressionAlerts(List<MetricJudgement> judgements) {
        return judgements.stream().filter(j -> j.alert() && !j.late() && j.outcome() == Outcome.REGRESSION).count();
    }
}
