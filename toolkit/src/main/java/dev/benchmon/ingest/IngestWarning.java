package dev.benchmon.ingest;

/**
 * Something in the input that was not stored as sent but did not refuse the result: a NaN metric
 * dropped, a date-time without a zone read as UTC. Shown in the push response, {@code push}
 * output and the import summary.
 *
 * @param index   0-based index of the result in the input, or -1 for the input as a whole
 * @param field   the field at issue, e.g. {@code metrics.loss} or {@code run_at}
 * @param message what was done and why, e.g. {@code NaN is not a number: metric dropped}; a warning of one result's
 *                value ends with the result's label and series, {@code ... [result 7, m / d @ci]} ({@link #ofResult})
 * @param kind    what the warning is of, for code that acts on it ({@code push}'s summary of results already present
 *                without the values dropped, its once-per-metric proportion warning), so that none reads it from the
 *                message's words; sent in the API's responses as {@code code} ({@link Kind#code})
 */
public record IngestWarning(int index, String field, String message, Kind kind) {
    /** What a warning is of. */
    public enum Kind {
        /** A metric's value left out of its result (NaN, Infinity, text, a W&B object): the result is stored without it. */
        METRIC_VALUE_DROPPED,
        /** A proportion's value outside [0, 1], stored as sent ({@code ProportionRange}): said once per metric. */
        PROPORTION_OUT_OF_RANGE,
        /** Anything else: a value read otherwise than sent (a date-time as UTC), a note on the input as a whole. */
        OTHER;

        /** The kind as the API's {@code code} names it: {@code metric_value_dropped}, {@code proportion_out_of_range}, {@code other}. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The kind of an API {@code code}; {@link #OTHER} for one this version does not know (a newer server's). */
        public static Kind ofCode(String code) {
            for (Kind k : values()) {
                if (k.code().equals(code)) {
                    return k;
                }
            }
            return OTHER;
        }
    }

    /** A warning of kind {@link Kind#OTHER}. */
    public IngestWarning(int index, String field, String message) {
        this(index, field, message, Kind.OTHER);
    }

    /** Whether this warning says a metric's value was left out of its result. */
    public boolean droppedMetricValue() {
        return kind == Kind.METRIC_VALUE_DROPPED;
    }
    /**
     * {@code result 7}: the result at 0-based {@code index} 6 (a warning's path says {@code results[6]}), counted from
     * 1 as {@code benchmon push} names the results of its files. Worded apart from the id a result is stored under
     * ({@code id 2198}, {@code result id 2198}).
     */
    public static String resultLabel(long index) {
        return dev.benchmon.ResultPlace.label(index);
    }

    /** A warning of the result at {@code index} that ends naming it and its series: {@code message [result 7, series]}. */
    public static IngestWarning ofResult(int index, String field, String message, String series) {
        return ofResult(index, field, message, series, Kind.OTHER);
    }

    /** {@link #ofResult(int, String, String, String)} of the given kind. */
    public static IngestWarning ofResult(int index, String field, String message, String series, Kind kind) {
        return new IngestWarning(index, field, message + tag(index) + series + "]", kind);
    }

    /**
     * This warning placed at {@code index} (the result's place in a larger input: all files' results, a push's whole
     * input rather than one request) with {@code suffix} appended to its message; the label {@link #ofResult} ended it
     * with is renumbered too, so that the message and the path name one result. A warning of the input as a whole
     * (index -1) stays so.
     */
    public IngestWarning movedTo(int index, String suffix) {
        if (this.index < 0) {
            return new IngestWarning(this.index, field, message + suffix, kind);
        }
        String old = tag(this.index);
        int at = message.lastIndexOf(old);
        String moved = at < 0 ? message : message.substring(0, at) + tag(index) + message.substring(at + old.length());
        return new IngestWarning(index, field, moved + suffix, kind);
    }

    /** Where {@link #ofResult}'s label starts: {@code " [result 7, "}. */
    private static String tag(int index) {
        return " [" + resultLabel(index) + ", ";
    }

    @Override
    public String toString() {
        return (index < 0 ? field : dev.benchmon.ResultPlace.path(index, field)) + ": " + message;
    }
}
