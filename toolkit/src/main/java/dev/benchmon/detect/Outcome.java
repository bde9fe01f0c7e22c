package dev.benchmon.detect;

/** What the detector concluded about one metric of one run. */
public enum Outcome {
    /** Worse than the baseline, significant and larger than the minimum effect, in the metric's bad direction. Fails CI. */
    REGRESSION("regression"),
    /** Better than the baseline by a significant, meaningful amount. Reported, never fails CI. */
    IMPROVEMENT("improvement"),
    /** Within the series' noise, or smaller than the metric's own minimum effect. */
    OK("ok"),
    /**
     * Beyond the series' noise but smaller than a minimum effect the caller gave for this query
     * ({@code bm.detectRegressions(model, threshold)}, {@code RegressionOptions.withMinEffect}, {@code ?min_effect=}):
     * not a regression under that minimum effect, yet not {@code ok} either (at the metric's own settings, as push judged
     * it, it may be one). Only in a re-judgement for one query; never stored, never from push or ingest.
     */
    BELOW_MIN_EFFECT("below_min_effect"),
    /** A significant, meaningful change of a metric whose direction is neither declared nor known. Never fails CI. */
    CHANGED_DIRECTION_UNKNOWN("changed_direction_unknown"),
    /** A metric declared {@code none}: tracked and charted, never judged. */
    NOT_JUDGED("not_judged"),
    /** No earlier run of the series reports this metric. */
    NO_BASELINE("no_baseline"),
    /** The previous run reported this metric and this run does not (fails CI with {@code --fail-on-missing}). */
    MISSING("missing");

    private final String jsonName;

    Outcome(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name in JSON, SQL and tables: {@code regression}, {@code changed_direction_unknown}, ... */
    public String jsonName() {
        return jsonName;
    }

    public static Outcome parse(String text) {
        for (Outcome o : values()) {
            if (o.jsonName.equals(text)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown outcome " + text);
    }
}
