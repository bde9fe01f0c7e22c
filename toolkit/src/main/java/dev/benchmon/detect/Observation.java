package dev.benchmon.detect;

import java.time.Instant;

/**
 * One value of one metric of one series, as the detector reads it from the log.
 *
 * @param transactionId the run's id in the log ({@code benchmark_transactions.id}); 0 for values not stored
 * @param runAt         when the run happened (orders the history)
 * @param value         the metric's value
 * @param stderr        its standard error as reported with the result, or {@code NaN}
 * @param n             the number of examples (or rounds) it was computed on, or 0 when not reported
 * @param commitSha     the commit the run tested, or {@code null}
 */
public record Observation(long transactionId, Instant runAt, double value, double stderr, long n, String commitSha) {

    /** A bare value at position {@code index} (for files and tests): no time, stderr, n or commit. */
    public static Observation of(long index, double value) {
        return new Observation(index, Instant.EPOCH.plusSeconds(index), value, Double.NaN, 0, null);
    }

    /**
     * The standard error to use for this value: the reported one; else, when the metric is a proportion
     * ({@code proportion}: {@link MetricSemantics#isProportion}, as {@link DetectionSettings#proportion} carries it)
     * and the value is in [0, 1] with a sample size, the binomial standard error sqrt(p(1-p)/n); else {@code NaN}.
     * The {@code n} of any other metric (the rounds of a timing, the examples behind a loss) is a sample size but gives
     * no standard error by itself: its noise is the series' run-to-run noise.
     */
    public double effectiveStderr(boolean proportion) {
        if (Double.isFinite(stderr) && stderr >= 0) {
            return stderr;
        }
        if (proportion && n > 0 && value >= 0 && value <= 1) {
            return Math.sqrt(Math.max(value * (1 - value), 0.25 / n) / n);
        }
        return Double.NaN;
    }

    /**
     * The commit (its full SHA: commit ranges are data, read by tools and compare links; prose shortens them),
     * or the transaction id as {@code #id}.
     */
    public String ref() {
        return CommitRange.ref(commitSha, transactionId);
    }
}
