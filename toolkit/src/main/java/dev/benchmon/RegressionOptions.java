package dev.benchmon;

/**
 * How regressions are judged. Immutable; start from {@link #defaults()} and change what you need:
 * {@code RegressionOptions.defaults().withThreshold(0.10).withBaseline(BaselineMode.PREVIOUS)}.
 *
 * @param threshold           a metric regresses when it worsens by more than this fraction of |baseline| (0.05 = 5%),
 *                            from 0 to 1 ({@link Arguments#fraction}: an {@code InvalidArgumentException} naming
 *                            {@code threshold} otherwise)
 * @param absoluteThreshold   ... and by at least this much in the metric's own unit (0 = no minimum)
 * @param baseline            what the latest run is compared with
 * @param window              for {@link BaselineMode#MEAN}: how many previous runs are averaged
 * @param pinnedTransaction   for {@link BaselineMode#PINNED}: the transaction id to compare with
 * @param onlyRegressions     return only the flagged rows instead of every metric checked
 * @param sensitivity         detection engine: noise sd a change must exceed (NaN = each metric's default, 4)
 * @param minEffect           detection engine: smallest change that matters in the metric's unit (NaN = each
 *                            metric's own: declared, else its kind's relative default)
 * @param relativeMinEffect   detection engine: smallest change that matters as a fraction of the baseline
 *                            (0.02 = 2%) for every metric; NaN = none. At most one of the two minimum effects is set.
 *
 * <p>The engine judges each series against its own recent segment; it refuses {@link BaselineMode#PINNED}
 * (a {@code ValidationException} naming {@code baseline}): comparing with one fixed run is the simple rule's
 * job, and with noise, the paired comparison's ({@code /api/v1/compare}).
 *
 * <p>{@code threshold}, {@code absoluteThreshold}, {@code baseline} and {@code window} configure the simple rule
 * ({@code Benchmon.simpleRuleRegressions}, SQL {@code detect_regressions}); the engine ({@code detectRegressions},
 * {@code regressions}) applies {@code onlyRegressions}, {@code sensitivity} and the minimum effects, and ignores them.
 */
public record RegressionOptions(
        double threshold,
        double absoluteThreshold,
        BaselineMode baseline,
        int window,
        Long pinnedTransaction,
        boolean onlyRegressions,
        double sensitivity,
        double minEffect,
        double relativeMinEffect) {

    public RegressionOptions(double threshold, double absoluteThreshold, BaselineMode baseline, int window,
                             Long pinnedTransaction, boolean onlyRegressions) {
        this(threshold, absoluteThreshold, baseline, window, pinnedTransaction, onlyRegressions, Double.NaN, Double.NaN);
    }

    public RegressionOptions(double threshold, double absoluteThreshold, BaselineMode baseline, int window,
                             Long pinnedTransaction, boolean onlyRegressions, double sensitivity, double minEffect) {
        this(threshold, absoluteThreshold, baseline, window, pinnedTransaction, onlyRegressions, sensitivity, minEffect,
                Double.NaN);
    }

    public RegressionOptions {
        // The one check of a relative threshold (the API's ?threshold=, detectRegressions): 5 would be 500%.
        Arguments.fraction(threshold, "threshold");
        if (!(absoluteThreshold >= 0) || Double.isInfinite(absoluteThreshold)) {
            throw new InvalidArgumentException(ValidationException.Problem.of("absolute_threshold",
                    ABSOLUTE_THRESHOLD + ", got " + absoluteThreshold));
        }
        if (window < 1 || window > 1000) {
            throw new InvalidArgumentException(ValidationException.Problem.of("window",
                    "must be between 1 and 1000 runs, got " + window));
        }
        baseline = baseline == null ? BaselineMode.MEAN : baseline;
        if (pinnedTransaction != null && pinnedTransaction < 1) {
            throw new InvalidArgumentException(ValidationException.Problem.of("baseline_transaction",
                    "must be the id of a recorded result (>= 1), got " + pinnedTransaction));
        }
        if (!Double.isNaN(sensitivity) && !(sensitivity > 0 && Double.isFinite(sensitivity))) {
            throw new InvalidArgumentException(ValidationException.Problem.of("sensitivity",
                    "must be a number of noise sd > 0, got " + sensitivity));
        }
        // 0 here is the Java API's "no floor: the noise model alone decides" (detectRegressions(model, 0), documented
        // there); a minimum effect stated in a definition, push --min-effect or ?min_effect= is above 0 (MinEffect).
        if (!Double.isNaN(minEffect) && !(minEffect >= 0 && Double.isFinite(minEffect))) {
            throw new InvalidArgumentException(ValidationException.Problem.of("min_effect",
                    "must be a finite number >= 0 in the metric's unit (0: no floor), got " + minEffect));
        }
        if (!Double.isNaN(relativeMinEffect) && !(relativeMinEffect >= 0 && Double.isFinite(relativeMinEffect))) {
            throw new InvalidArgumentException(ValidationException.Problem.of("min_effect",
                    "must be a finite percentage >= 0 (0: no floor), got " + 100 * relativeMinEffect + "%"));
        }
        if (!Double.isNaN(minEffect) && !Double.isNaN(relativeMinEffect)) {
            throw new InvalidArgumentException(ValidationException.Problem.of("min_effect",
                    "give either an absolute minimum effect or a percentage, not both"));
        }
        if (baseline == BaselineMode.PINNED && pinnedTransaction == null) {
            throw new InvalidArgumentException(ValidationException.Problem.of("baseline_transaction",
                    "is required with the pinned baseline: pass the transaction id to compare with"));
        }
    }

    /**
     * The rule of {@code absoluteThreshold}, as its refusal states it (followed by {@code , got ...}): in the metric's
     * own unit, not a fraction of the baseline as {@code threshold} is.
     */
    public static final String ABSOLUTE_THRESHOLD = "must be a finite number >= 0 in the metric's own unit (0 = no minimum; "
            + "not a fraction of the baseline)";

    /** 5% relative threshold, no absolute minimum, mean of the previous 5 runs, every metric returned. */
    public static RegressionOptions defaults() {
        return new RegressionOptions(0.05, 0, BaselineMode.MEAN, 5, null, false);
    }

    public RegressionOptions withThreshold(double value) {
        return new RegressionOptions(value, absoluteThreshold, baseline, window, pinnedTransaction, onlyRegressions, sensitivity, minEffect, relativeMinEffect);
    }

    public RegressionOptions withAbsoluteThreshold(double value) {
        return new RegressionOptions(threshold, value, baseline, window, pinnedTransaction, onlyRegressions, sensitivity, minEffect, relativeMinEffect);
    }

    public RegressionOptions withBaseline(BaselineMode value) {
        return new RegressionOptions(threshold, absoluteThreshold, value, window, pinnedTransaction, onlyRegressions, sensitivity, minEffect, relativeMinEffect);
    }

    public RegressionOptions withWindow(int runs) {
        return new RegressionOptions(threshold, absoluteThreshold, baseline, runs, pinnedTransaction, onlyRegressions, sensitivity, minEffect, relativeMinEffect);
    }

    /** Compares every series with one transaction's metrics. */
    public RegressionOptions pinnedTo(long transactionId) {
        return new RegressionOptions(threshold, absoluteThreshold, BaselineMode.PINNED, window, transactionId, onlyRegressions, sensitivity, minEffect, relativeMinEffect);
    }

    public RegressionOptions withOnlyRegressions(boolean value) {
        return new RegressionOptions(threshold, absoluteThreshold, baseline, window, pinnedTransaction, value,
                sensitivity, minEffect, relativeMinEffect);
    }

    /** Detection engine: noise sd a change must exceed ({@code DetectionSettings.parseSensitivity} reads low/medium/high). */
    public RegressionOptions withSensitivity(double value) {
        return new RegressionOptions(threshold, absoluteThreshold, baseline, window, pinnedTransaction, onlyRegressions,
                value, minEffect, relativeMinEffect);
    }

    /** Detection engine: smallest change that matters, in the metric's unit, for every metric. */
    public RegressionOptions withMinEffect(double value) {
        return new RegressionOptions(threshold, absoluteThreshold, baseline, window, pinnedTransaction, onlyRegressions,
                sensitivity, value, Double.NaN);
    }

    /** Detection engine: smallest change that matters as a fraction of each metric's baseline (0.02 = 2%). */
    public RegressionOptions withRelativeMinEffect(double fraction) {
        return new RegressionOptions(threshold, absoluteThreshold, baseline, window, pinnedTransaction, onlyRegressions,
                sensitivity, Double.NaN, fraction);
    }

    /**
     * Detection engine: a minimum effect as people write it: {@code 2%} is relative to each metric's
     * baseline, a plain number ({@code 0.01}) is absolute, in the metric's unit; {@code 0} (or {@code 0%}) is no floor,
     * the noise model alone deciding, as {@link #withMinEffect(double) withMinEffect(0)} takes it. (A minimum effect a
     * definition, {@code push --min-effect} or {@code ?min_effect=} states is above 0: {@link MinEffect}.)
     *
     * @throws ValidationException naming {@code min_effect} for anything else (negative, not a number, a bare %):
     *                             {@code must be a number >= 0 in the metric's unit (0: no floor), or a percentage
     *                             such as 2%, got 'abc'}
     */
    public RegressionOptions withMinEffect(String text) {
        MinEffect m;
        try {
            m = isZero(text) ? null : MinEffect.parse("min_effect", text);
        } catch (ValidationException e) {
            throw new InvalidArgumentException(ValidationException.Problem.of("min_effect", "must be a number >= 0 in "
                    + "the metric's unit (0: no floor), or a percentage such as 2%, got '"
                    + dev.benchmon.ingest.TextRules.quoted(text) + "'"));
        }
        return m == null ? withMinEffect(0.0) : m.relative() ? withRelativeMinEffect(m.value()) : withMinEffect(m.value());
    }

    /** Whether {@code text} is a minimum effect of 0 ({@code 0}, {@code 0.0}, {@code 0%}), read as {@link MinEffect#parse} reads it. */
    private static boolean isZero(String text) {
        String t = text.trim();
        try {
            return Double.parseDouble(t.endsWith("%") ? t.substring(0, t.length() - 1).trim() : t) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Detection engine: the given overrides' settings that are set (not NaN), on top of these options; a minimum
     * effect set replaces this one's, absolute or relative.
     */
    public RegressionOptions withOverrides(dev.benchmon.detect.DetectionOverrides o) {
        RegressionOptions r = Double.isNaN(o.sensitivity()) ? this : withSensitivity(o.sensitivity());
        if (!Double.isNaN(o.minEffect())) {
            r = r.withMinEffect(o.minEffect());
        } else if (!Double.isNaN(o.relativeMinEffect())) {
            r = r.withRelativeMinEffect(o.relativeMinEffect());
        }
        return r;
    }

    /** The engine's overrides for this request (NaN fields keep each metric's own settings). */
    public dev.benchmon.detect.DetectionOverrides overrides() {
        return new dev.benchmon.detect.DetectionOverrides(sensitivity, minEffect, relativeMinEffect);
    }
}
