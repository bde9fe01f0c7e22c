package dev.benchmon.query;

import java.time.Instant;

/**
 * Headline numbers for a filter, as the dashboard shows them.
 *
 * @param series      series tracked (snapshot rows matching the filter, ignoring the time window)
 * @param runs        results recorded in the window
 * @param models      distinct models among the series whose latest run is in the window (the series the snapshot
 *                    table lists for the filter)
 * @param lastIngest  when the newest result was recorded, or {@code null} when there is none
 */
public record Summary(long series, long runs, long models, Instant lastIngest) {
}
