package dev.benchmon.compare;

/**
 * How a difference was judged, from strongest evidence to none. Shown in the {@code method} column.
 */
public enum Method {
    /** Items both results share, 0/1 scores: paired bootstrap interval, McNemar's exact test. */
    PAIRED_MCNEMAR("paired_bootstrap+mcnemar_exact", "paired bootstrap, McNemar's exact test"),
    /** Items both results share, other scores: paired bootstrap interval, paired t-test. */
    PAIRED_T("paired_bootstrap+paired_t", "paired bootstrap, paired t-test"),
    /**
     * No shared items; both results give {@code n} for a proportion
     * ({@link dev.benchmon.detect.MetricSemantics#isProportion}) in [0, 1]: two-proportion z-test.
     */
    TWO_PROPORTION("two_proportion_z", "two-proportion z-test"),
    /** No shared items; both results give a {@code stderr}: Welch's t-test (z when {@code n} is unknown). */
    WELCH_STDERR("welch_stderr", "Welch's t-test on the stderr given"),
    /** Neither: Welch's t-test over the runs in the window (run-to-run variation; at least 2 runs each). */
    RUN_TO_RUN("run_to_run_welch", "Welch's t-test on run-to-run variation"),
    /** Nothing to judge with (a single run without stderr, or n of a proportion): the difference only. */
    NONE("none", "none: the difference only"),
    /**
     * Nothing compared: the reference model has no result of the metric on the row's dataset version and environment
     * (a model comparison's row, {@code diff} empty). Such rows said {@link #NONE}, "the difference only", beside an
     * empty difference.
     */
    NO_REFERENCE("no_reference", "nothing to compare: no reference result here");

    private final String label;
    private final String words;

    Method(String label, String words) {
        this.label = label;
        this.words = words;
    }

    /** How a person reads it (the dashboard's pages), e.g. {@code Welch's t-test on run-to-run variation}. */
    public String words() {
        return words;
    }

    /** The {@link #words} of the method named {@code label} ({@link #label}); any other text as it is. */
    public static String wordsOf(String label) {
        for (Method m : values()) {
            if (m.label.equals(label)) {
                return m.words;
            }
        }
        return label;
    }

    /** The name in the JSON API and the command line's tables, e.g. {@code paired_bootstrap+mcnemar_exact}. */
    public String label() {
        return label;
    }

    /** {@code true} when the estimate pairs items. */
    public boolean paired() {
        return this == PAIRED_MCNEMAR || this == PAIRED_T;
    }

    @Override
    public String toString() {
        return label;
    }
}
