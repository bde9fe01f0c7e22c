package dev.benchmon.detect;

import java.util.Locale;

/**
 * A stored change point in words, as alerts and chart hover text show it:
 * {@code -10.0 points (20.1 sd), level 0.9 -> 0.8, since commit abc1234..def5678, confidence 0.999} (the start worded
 * by {@link ChangeSince}: by the run's time when a side has no commit).
 */
public final class ChangePointText {
    private ChangePointText() {
    }

    /**
     * @param before     level of the segment before, in the metric's unit
     * @param after      level of the new segment
     * @param proportion whether the metric is a proportion ({@link MetricSemantics#isProportion}): the change in
     *                   percentage points, else in the unit and percent
     * @param sd         the noise sd the change was measured against (NaN or 0 when unknown: no "sd" part)
     * @param confidence 1 - p-value (0..1)
     * @param from       last commit before the change, or {@code null}
     * @param to         first commit after it, or {@code null}
     * @param firstRunAt when the first run after it ran, or {@code null}
     */
    public static String of(double before, double after, boolean proportion, double sd, double confidence, String from,
                            String to, java.time.Instant firstRunAt) {
        return of(before, after, proportion, sd, confidence, from, to, firstRunAt, false);
    }

    /**
     * {@link #of} with the commits' SHAs whole ({@code since commit <40 hex>..<40 hex>}): the words of a chart's
     * hover text, where a short SHA could not be looked at in full as a page's tooltip or a CSV cell can.
     */
    public static String withWholeCommits(double before, double after, boolean proportion, double sd, double confidence,
                                          String from, String to, java.time.Instant firstRunAt) {
        return of(before, after, proportion, sd, confidence, from, to, firstRunAt, true);
    }

    private static String of(double before, double after, boolean proportion, double sd, double confidence, String from,
                             String to, java.time.Instant firstRunAt, boolean wholeCommits) {
        double magnitude = after - before;
        StringBuilder b = new StringBuilder(MetricJudge.formatDelta(magnitude, before, proportion));
        if (sd > 0) {
            b.append(String.format(Locale.ROOT, " (%.1f sd)", Math.abs(magnitude / sd)));
        }
        b.append(String.format(Locale.ROOT, ", level %.4g -> %.4g", before, after));
        String since = ChangeSince.of(from, to, firstRunAt, wholeCommits);
        if (!since.isEmpty()) {
            b.append(", ").append(since);
        }
        return b.append(String.format(Locale.ROOT, ", confidence %.3f", confidence)).toString();
    }
}
