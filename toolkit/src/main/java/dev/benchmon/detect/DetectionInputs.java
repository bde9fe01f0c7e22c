package dev.benchmon.detect;

import java.util.Set;

/**
 * Annotations the detector honours without touching the log: runs excluded from every history
 * (a broken CI runner, a known-bad build) and series or metrics that are muted (judged and stored,
 * but never reported as findings). The alerts layer provides them; {@link #NONE} has none.
 */
public interface DetectionInputs {
    DetectionInputs NONE = new DetectionInputs() {
    };

    /** Transaction ids to leave out of the series' history (and never judge). */
    default Set<Long> excludedTransactions(int seriesId) {
        return Set.of();
    }

    /** Whether findings for this series and metric are muted ({@code metric} null = the whole series). */
    default boolean muted(int seriesId, String metric) {
        return false;
    }
}
