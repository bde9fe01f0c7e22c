package dev.benchmon.ingest;

import java.time.Instant;
import java.util.Objects;

/**
 * One bound of a time range as it was given, so that a refusal can name it in the words it was given in: what it is
 * called where it was given ({@code since}, {@code --until}, {@code to}), its text, and the instant it was read as. The
 * one rule for an empty range ({@link #emptyRange}) is decided and worded here for the API's and the CLI's
 * {@code since}/{@code until}, the dashboard's custom {@code from}/{@code to} and {@link dev.benchmon.Filter}.
 *
 * @param name    what the bound is called where it was given
 * @param text    the bound as given: the typed text, or an instant's ISO-8601 form ({@link #of})
 * @param instant the instant it was read as: a start by {@link Timestamps#parse}, an end by {@link Timestamps#rangeEnd}
 *                (so an end given as a date alone is the next day's midnight)
 */
public record RangeBound(String name, String text, Instant instant) {
    public RangeBound {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(instant, "instant");
    }

    /** A bound a program gave as an instant, named by its ISO-8601 form ({@code 2026-11-30T00:00:00Z}). */
    public static RangeBound of(String name, Instant instant) {
        return new RangeBound(name, instant.toString(), instant);
    }

    /**
     * Why the range from {@code since} (inclusive) to {@code until} (exclusive) holds no instant, or {@code null} when
     * it holds some ({@code since} is before {@code until}). Both are named as given; an end given as a date alone is
     * named as typed, not as the next day's midnight it was read as:
     * {@code until 2026-11-30 (through the end of that day, UTC) must be after since 2026-12-05}.
     */
    public static String emptyRange(RangeBound since, RangeBound until) {
        if (since.instant.isBefore(until.instant)) {
            return null;
        }
        // A typed text matched one of the Timestamps forms, an instant's is ISO-8601: neither holds a control or
        // markup character to quote.
        return until.name + " " + until.text + (Timestamps.isDateAlone(until.text) ? " (through the end of that day, UTC)" : "")
                + " must be after " + since.name + " " + since.text;
    }
}
