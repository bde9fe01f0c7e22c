package dev.benchmon.detect;

/**
 * A point where a series' level changed: a new segment starts at {@code index}.
 *
 * @param index       0-based position of the first value of the new segment
 * @param before      robust level (median) of the segment before
 * @param after       robust level (median) of the segment from {@code index}
 * @param magnitude   {@code after - before}, in the metric's unit
 * @param sd          the noise standard deviation the change was measured against
 * @param confidence  1 - the two-sided p-value of the difference of the segments' medians (0..1)
 * @param lastBefore  the last run before the change (null when judging bare values)
 * @param firstAfter  the first run after the change (null when judging bare values)
 */
public record ChangePoint(int index, double before, double after, double magnitude, double sd, double confidence,
                          Observation lastBefore, Observation firstAfter) {

    /** The change in noise sd (signed); NaN when the noise is 0. */
    public double sds() {
        return sd > 0 ? magnitude / sd : Double.NaN;
    }

    /** {@code magnitude / |before|}, or NaN when the level before is 0. */
    public double relative() {
        return before != 0 ? magnitude / Math.abs(before) : Double.NaN;
    }

    /** {@code before..after}: full commit SHAs, or {@code #id} when a run has none; empty for bare values. */
    public String commitRange() {
        return CommitRange.of(lastBefore, firstAfter);
    }
}
