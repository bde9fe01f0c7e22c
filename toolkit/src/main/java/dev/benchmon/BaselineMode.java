package dev.benchmon;

/** What the latest run of a series is compared with when looking for regressions. */
public enum BaselineMode {
    /** The mean of the previous N runs (N = {@link RegressionOptions#window()}). */
    MEAN("mean"),
    /** The run just before the latest. */
    PREVIOUS("previous"),
    /** One chosen transaction, e.g. a release candidate's run. */
    PINNED("pinned");

    private final String sqlName;

    BaselineMode(String sqlName) {
        this.sqlName = sqlName;
    }

    /** The name the SQL function {@code detect_regressions} takes. */
    public String sqlName() {
        return sqlName;
    }

    /** Parses {@code mean}, {@code previous} or {@code pinned}, in any case. */
    public static BaselineMode parse(String text) {
        for (BaselineMode m : values()) {
            if (m.sqlName.equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new InvalidArgumentException(ValidationException.Problem.of("baseline",
                "unknown baseline mode '" + dev.benchmon.ingest.TextRules.quoted(text) + "' (allowed: mean, previous, pinned)"));
    }
}
