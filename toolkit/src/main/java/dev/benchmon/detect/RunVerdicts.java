package dev.benchmon.detect;

import java.util.List;

/**
 * Every metric verdict of one run.
 *
 * @param late {@code true} when a newer run of the series existed: judged against the runs before it
 */
public record RunVerdicts(long transactionId, int seriesId, boolean late, List<MetricVerdict> metrics) {
    public RunVerdicts {
        metrics = List.copyOf(metrics);
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
