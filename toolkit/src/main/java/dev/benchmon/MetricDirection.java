package dev.benchmon;

/**
 * Which way is better for a metric. {@link #NONE} marks a metric that is tracked and charted but
 * never judged (epochs, sample counts, standard errors). {@link #UNKNOWN} is what benchmon reports for a
 * metric that is neither declared nor recognised by the built-in dictionary ({@code MetricDictionary}): a
 * change of it is never a regression until its direction is declared. It is an answer, not a direction
 * to declare: {@link #parse} and {@link MetricDefinition} refuse it.
 */
public enum MetricDirection {
    HIGHER_IS_BETTER("higher_is_better"), LOWER_IS_BETTER("lower_is_better"), NONE("none"), UNKNOWN("unknown");

    private final String sqlName;

    MetricDirection(String sqlName) {
        this.sqlName = sqlName;
    }

    /** The value stored in {@code metric_definitions.direction} ({@code unknown} for {@link #UNKNOWN}, never stored). */
    public String sqlName() {
        return sqlName;
    }

    /** Parses {@code higher_is_better}/{@code lower_is_better}/{@code none} (also {@code higher}/{@code lower}). */
    public static MetricDirection parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("higher") || t.equals(HIGHER_IS_BETTER.sqlName)) {
            return HIGHER_IS_BETTER;
        }
        if (t.equals("lower") || t.equals(LOWER_IS_BETTER.sqlName)) {
            return LOWER_IS_BETTER;
        }
        if (t.equals(NONE.sqlName)) {
            return NONE;
        }
        if (t.equals(UNKNOWN.sqlName)) {
            // What benchmon says of a metric nobody declared, so it cannot be declared: say what to declare instead.
            throw new ValidationException(ValidationException.Problem.of("direction",
                    "'unknown' is what benchmon reports for a metric nobody declared and cannot be declared:"
                            + " declare higher_is_better, lower_is_better, or none (tracked, never judged)"));
        }
        throw new ValidationException(ValidationException.Problem.of("direction",
                "unknown direction '" + dev.benchmon.ingest.TextRules.quoted(text) + "' (allowed: higher_is_better, lower_is_better, none)"));
    }
}
