package dev.benchmon;

/**
 * How every message names a result of an input: its position counted from 1, as {@code benchmon push} and the
 * warnings count ({@code result 3}), beside its JSON path counted from 0 ({@code results[2]}). One wording for a
 * refusal's problem ({@link ValidationException.Problem}) and an input warning ({@code IngestWarning}), so that a user
 * who reads "result 3" in one and "results[2]" in the other finds the same result.
 */
public final class ResultPlace {
    private ResultPlace() {
    }

    /** {@code result 3}: the result at 0-based {@code index} 2, counted from 1. */
    public static String label(long index) {
        return "result " + (index + 1);
    }

    /**
     * {@code results[2].metrics.acc}: the JSON path of {@code field} (empty for the result as a whole) of the result at
     * 0-based {@code index}; the results of a top-level array, of JSON Lines or of CSV rows are counted the same way.
     */
    public static String path(long index, String field) {
        return "results[" + index + "]" + (field == null || field.isEmpty() ? "" : "." + field);
    }

    /** {@code result 3 (results[2])}: the result at 0-based {@code index} as a whole, {@link #label} and {@link #path}. */
    public static String named(long index) {
        return label(index) + " (" + path(index, "") + ")";
    }

    /**
     * {@code result 3, results[2].metrics.acc}: {@link #label} and {@link #path}, so that {@code field: message}
     * follows as a warning's does ({@code results[2].metrics.acc: value NaN dropped ...}); {@code field} alone without
     * an index.
     */
    public static String named(Integer index, String field) {
        return index == null ? field : label(index) + ", " + path(index, field);
    }

    /**
     * {@code metrics.acc}: the field of {@code name} in the object {@code object} ({@code metrics}, {@code stderr},
     * {@code n}, {@code tags}, {@code metric_definitions}), as a message names it. A name beyond the longest a name may
     * be ({@value dev.benchmon.ingest.TextRules#MAX_NAME_LENGTH} characters, refused for that) is cut as a long value
     * is cut in a message ({@link dev.benchmon.ingest.TextRules#quoted}: {@code metrics.xxxxxx...}), so that a
     * 5,000-character name is not echoed whole into a message, a log or an HTTP answer; the empty name is
     * {@code metrics[""]} (not {@code metrics.}, which reads as a field cut off).
     */
    public static String key(String object, String name) {
        if (name == null || name.isEmpty()) {
            return object + "[\"\"]";
        }
        return object + "." + name(name);
    }

    /**
     * A name as a message quotes it: whole when it is no longer than a name may be, else cut
     * ({@link dev.benchmon.ingest.TextRules#quoted}, 40 characters at most).
     */
    public static String name(String name) {
        return name.codePointCount(0, name.length()) > dev.benchmon.ingest.TextRules.MAX_NAME_LENGTH ? dev.benchmon.ingest.TextRules.quoted(name)
                : name;
    }
}
