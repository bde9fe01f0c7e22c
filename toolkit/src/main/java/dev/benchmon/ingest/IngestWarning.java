package dev.benchmon.ingest;

/**
 * Something in the input that was not stored as sent but did not refuse the result: a NaN metric
 * dropped, a date-time without a zone read as UTC. Shown in the push response, {@code push}
 * output and the import summary.
 *
 * @param index   0-based index of the result in the input, or -1 for the input as a whole
 * @param field   the field at issue, e.g. {@code metrics.loss} or {@code run_at}
 * @param message what was done and why, e.g. {@code NaN is not a number: metric dropped}
 */
public record IngestWarning(int index, String field, String message) {
    @Override
    public String toString() {
        return (index < 0 ? "" : "results[" + index + "].") + field + ": " + message;
    }
}
