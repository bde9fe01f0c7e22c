package dev.benchmon.query;

import java.time.Instant;
import java.util.Map;

/**
 * The latest result of one series with its metrics as a map (only the metrics it reports): for callers that
 * sort, page or pick columns themselves, where a table with one column per metric of every series would be
 * mostly empty (a project with 5,000 series and 1,000 metric names).
 *
 * @param runAt         when the latest run ran (UTC)
 * @param runCount      runs of the series: its results, a CI re-run counted once (its latest attempt)
 * @param transactionId the latest result's id in the log
 * @param commitSha     the latest result's commit, or {@code null}
 * @param runId         the latest result's CI run id, or {@code null}
 * @param metrics       metric name to value, sorted by name
 */
public record SnapshotRow(String modelVersion, String datasetVersion, String promptVersion, String environment,
                          Instant runAt, long runCount, long transactionId, String commitSha, String runId,
                          Map<String, Double> metrics) {
}
