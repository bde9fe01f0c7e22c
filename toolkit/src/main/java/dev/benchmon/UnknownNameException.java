package dev.benchmon;

import java.util.Collection;

/**
 * A query named a model, metric or other thing that the database does not hold. The message lists
 * what is known, e.g. {@code unknown metric 'f-1' (known: f1, precision, recall)}.
 */
public class UnknownNameException extends BenchmonException {
    /** Known names listed in the message at most. */
    public static final int MAX_LISTED = 50;
    private final String kind;
    private final String name;
    private final String detail;

    public UnknownNameException(String kind, String name, Collection<String> known) {
        this(kind, name, "known: " + (known.isEmpty() ? "none yet; record a result first" : list(known)));
    }

    /**
     * For a name known only among some names, e.g. {@code unknown metric 'nope' (metrics of series 5: f1, loss)}:
     * {@code among} says whose they are; at most {@link #MAX_LISTED} are listed.
     */
    public UnknownNameException(String kind, String name, String among, Collection<String> known) {
        this(kind, name, among + ": " + (known.isEmpty() ? "none" : list(known)));
    }

    /**
     * For a name whose known values are too many to list, or not names at all (a result id): {@code detail}
     * says what was looked for, e.g. {@code unknown result '99999' (no result id 99999 is stored)}.
     */
    public UnknownNameException(String kind, String name, String detail) {
        super("unknown " + kind + " '" + dev.benchmon.ingest.TextRules.visible(name) + "' (" + detail + ")");
        this.kind = kind;
        this.name = name;
        this.detail = detail;
    }

    // A database can know thousands of models: name the first 50 and count the rest.
    private static String list(Collection<String> known) {
        return listed(known);
    }

    /**
     * Names for a message, at most {@link #MAX_LISTED} of them: {@code a, b, c}, or {@code a, b, ..., ... and 4,950 more}
     * past that (a database can know thousands of models, and a message that names each is unreadable).
     */
    public static String listed(Collection<String> names) {
        // The empty name (no prompt version) as "", not as nothing before a comma: "known: , analysis-v4".
        java.util.List<String> shown = names.stream().limit(MAX_LISTED).map(n -> n.isEmpty() ? "\"\"" : n).toList();
        if (names.size() <= MAX_LISTED) {
            return String.join(", ", shown);
        }
        return String.join(", ", shown) + ", ... and "
                + String.format(java.util.Locale.ROOT, "%,d", names.size() - MAX_LISTED) + " more";
    }

    /**
     * What the message says of a metric a definition names but no stored result holds (declared before its first
     * result, or one of the schema's default definitions): {@code defined, but no stored result holds it yet; metrics
     * with results: f1, loss}, with {@code withResults} the metrics that have results. One wording for the API, the
     * toolkit and the dashboard.
     */
    public static String definedWithoutResults(Collection<String> withResults) {
        return "defined, but no stored result holds it yet; metrics with results: "
                + (withResults.isEmpty() ? "none yet; record a result first" : listed(withResults));
    }

    /** What sort of name it was: {@code model}, {@code metric}, ... */
    public String kind() {
        return kind;
    }

    /**
     * What the message says in parentheses after the name: the names known ({@code known: f1, loss}), or what was looked
     * for ({@code no stored result has transaction id 99999}); for a caller that words the message itself.
     */
    public String detail() {
        return detail;
    }

    /** The name that was not found. */
    public String name() {
        return name;
    }

    /**
     * The refusal as the parameter or argument {@code field} gave the name: {@code b: no model or result is named 'x'
     * (known: m1, m2); } then {@code advice} (what to give instead, where the surface lists the names). The value is
     * quoted with control characters escaped and cut to 40 characters ({@link dev.benchmon.ingest.TextRules#quoted}).
     * One wording for every surface (API, CLI), each with advice that fits it.
     */
    public String refusal(String field, String advice) {
        return field + ": no " + kind + " is named '" + dev.benchmon.ingest.TextRules.quoted(name) + "' (" + detail + "); "
                + advice;
    }
}
