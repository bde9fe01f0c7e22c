package dev.benchmon.compare;

import dev.benchmon.UnknownNameException;

/**
 * How a comparison refuses an A or B that names no model version or result, for every surface: {@code GET
 * /api/v1/compare} (which {@code benchmon compare --server} prints) and {@code benchmon compare --db}. The words are
 * one; only where the names are listed differs: an HTTP client is pointed to {@link #LISTED_BY_API}, a database user
 * (who may have no server) to the names the refusal itself lists ({@link #LISTED_ABOVE}), the CLI having no
 * command that lists model versions.
 */
public final class UnknownSide {
    /** Where the API's and {@code --server}'s refusal says the model versions are listed. */
    public static final String LISTED_BY_API = "GET /api/v1/meta lists them";
    /** Where {@code compare --db}'s refusal says they are: its own "known:" part (the CLI has no command listing them). */
    public static final String LISTED_ABOVE = "one of those known";

    private UnknownSide() {
    }

    /**
     * The parameter that named the thing {@code e} did not find, comparing {@code a} with {@code b}: {@code fieldA} when
     * it is {@code a}, {@code fieldB} when it is {@code b} (compared trimmed, as they are looked up), else {@code e}'s
     * kind. The toolkit's lookup names only the kind ("model or result"); the refusal names the parameter.
     */
    public static String field(UnknownNameException e, String a, String fieldA, String b, String fieldB) {
        String name = e.name().trim();
        return name.equals(a.trim()) ? fieldA : name.equals(b.trim()) ? fieldB : e.kind();
    }

    /**
     * The refusal over HTTP ({@code GET /api/v1/compare}, printed by {@code compare --server}), e.g. {@code a: no model
     * or result is named 'gpt-5' (known: m1, m2); give a model version (GET /api/v1/meta lists them), a result id as
     * #123 or a CI run id as run:555}.
     */
    public static String apiRefusal(String field, UnknownNameException e) {
        return refusal(field, e, " (" + LISTED_BY_API + ")");
    }

    /**
     * The refusal of {@code compare --db}: as {@link #apiRefusal}'s, but pointing to the names its "known:" part lists
     * ({@code give a model version (one of those known), ...}); with no such part (a result id not stored),
     * to nothing.
     */
    public static String databaseRefusal(String field, UnknownNameException e) {
        return refusal(field, e, e.detail().startsWith("known:") ? " (" + LISTED_ABOVE + ")" : "");
    }

    private static String refusal(String field, UnknownNameException e, String listed) {
        return e.refusal(field, "give a model version" + listed + ", a result id as #123 or a CI run id as run:555");
    }
}
