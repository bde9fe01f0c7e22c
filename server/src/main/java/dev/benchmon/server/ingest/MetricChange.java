package dev.benchmon.server.ingest;

/**
 * One metric that regressed.
 *
 * @param relativeChange (current - baseline) / |baseline|, or {@code null} when the baseline is 0
 * @param severity       minor, major or critical
 */
public record MetricChange(String metric, double baseline, double current, Double relativeChange, String severity) {
}
