package dev.benchmon.server.ingest;

import java.util.List;

/**
 * What happened to one result of a batch.
 *
 * @param index       its position in the batch
 * @param id          its transaction id in the log
 * @param created     {@code true} if stored now, {@code false} if its idempotency key was already present
 * @param series      {@code model / dataset / prompt @environment}
 * @param verdict     {@value #REGRESSION}, {@value #OK}, {@value #NO_BASELINE} (first runs of a series) or
 *                    {@value #SUPERSEDED} (a newer run of the series exists, so this one is not judged)
 * @param regressions the metrics that regressed (empty unless the verdict is {@value #REGRESSION})
 */
public record ResultReport(int index, long id, boolean created, String series, String verdict,
                           List<MetricChange> regressions) {
    public static final String REGRESSION = "regression";
    public static final String OK = "ok";
    public static final String NO_BASELINE = "no_baseline";
    public static final String SUPERSEDED = "superseded";

    public ResultReport {
        regressions = regressions == null ? List.of() : List.copyOf(regressions);
    }

    /** {@code true} when the verdict is a regression. */
    public boolean regressed() {
        return REGRESSION.equals(verdict);
    }
}
