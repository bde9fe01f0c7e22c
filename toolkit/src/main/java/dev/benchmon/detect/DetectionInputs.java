package dev.benchmon.detect;

/**
 * Per-call inputs the detector honours without touching the log: series or metrics that are muted
 * (judged and stored, but never reported as findings); {@link #NONE} has none.
 *
 * <p>Triage annotations stored in the database (runs in {@code excluded_runs}, the
 * {@code baseline_resets} rows of a series, one per metric) are read by {@link DetectionService} together with the
 * series' history, in the same query, and always honoured.
 */
public interface DetectionInputs {
    DetectionInputs NONE = new DetectionInputs() {
    };

    /** Whether findings for this series and metric are muted ({@code metric} null = the whole series). */
    default boolean muted(int seriesId, String metric) {
        return false;
    }
}
