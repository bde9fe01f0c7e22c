package dev.benchmon.chart;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The time axis of a chart whose points all fall at one instant: Plotly's autorange gives it two milliseconds
 * (23:59:59.999 to 00:00:00.001), which reads as nonsense, so such a chart spans {@link #SINGLE_POINT_PAD} either
 * side of the instant instead, or one bucket either side in a chart of buckets (an hour of hourly buckets). A chart with
 * points at two or more instants keeps Plotly's own range.
 */
public final class TimeAxis {
    /** How far a single instant's axis reaches either side of it: a day, the widest bucket but a week's. */
    public static final Duration SINGLE_POINT_PAD = Duration.ofDays(1);

    private TimeAxis() {
    }

    /**
     * The axis range for points at {@code instants} (nulls ignored): {@code [t - 1 day, t + 1 day]} when they all
     * fall at one instant {@code t}, else an empty list (Plotly's autorange).
     */
    public static List<Instant> singlePointRange(Collection<Instant> instants) {
        return singlePointRange(instants, SINGLE_POINT_PAD);
    }

    /** {@link #singlePointRange(Collection)} reaching {@code pad} either side (a bucket's width) instead of a day. */
    public static List<Instant> singlePointRange(Collection<Instant> instants, Duration pad) {
        List<Instant> distinct = instants.stream().filter(Objects::nonNull).distinct().limit(2).toList();
        if (distinct.size() != 1) {
            return List.of();
        }
        Instant t = distinct.get(0);
        return List.of(t.minus(pad), t.plus(pad));
    }

    /** Axis properties after a title ({@link Labels#nameWithExtras}): {@code range: [...]}, or {@code ""}. */
    static String rangeExtra(Collection<Instant> instants, Duration pad) {
        List<Instant> r = singlePointRange(instants, pad);
        return r.isEmpty() ? "" : "range: [" + Labels.js(r.get(0).toString()) + ", " + Labels.js(r.get(1).toString()) + "]";
    }

    /** A time axis title token, with the single-point range ({@code pad} either side) when {@code instants} need one. */
    static String title(Labels labels, String title, Collection<Instant> instants, Duration pad) {
        String extra = rangeExtra(instants, pad);
        return extra.isEmpty() ? labels.text(title) : labels.nameWithExtras(title, extra);
    }
}
