package dev.benchmon.detect;

import dev.benchmon.ValidationException;
import dev.benchmon.ingest.TextRules;

/**
 * How the noise-aware detector judges one metric. Immutable; start from {@link #defaults()} (or
 * {@link #forKind(MetricKind)}) and change what you need.
 *
 * @param sensitivity       how many noise standard deviations a change must exceed to be significant
 *                          (a z threshold; lower = more sensitive). Default {@value #DEFAULT_SENSITIVITY},
 *                          chosen with the labelled corpus benchmark ({@code DetectionCorpusBenchmark})
 * @param minEffect         the smallest change that matters in the metric's own unit (absolute), or
 *                          {@code NaN} to use {@code relativeMinEffect}
 * @param relativeMinEffect the smallest change that matters as a fraction of the baseline level (0.01 = 1%),
 *                          used when {@code minEffect} is NaN; the default depends on the metric's kind
 * @param window            at most this many runs since the last change point form the baseline (and the
 *                          noise estimate)
 * @param minHistory        with fewer previous runs than this, the relative rule is used instead
 *                          ({@link #fallbackThreshold}) and the verdict says so
 * @param fallbackThreshold the relative rule's threshold: worse by more than this fraction of the median
 *                          of the previous (up to 5) runs
 * @param penalty           change-point penalty factor: a new segment must lower the squared error by
 *                          {@code penalty * log(n)} noise variances (PELT, Killick et al. 2012)
 * @param proportion        whether the metric is a proportion ({@link MetricSemantics#isProportion}): then a
 *                          value's {@code n} without a {@code stderr} gives its binomial noise floor, and changes
 *                          are worded in percentage points; {@code false} in {@link #forKind} (set by
 *                          {@link MetricSemantics#settings})
 */
public record DetectionSettings(double sensitivity, double minEffect, double relativeMinEffect, int window,
                                int minHistory, double fallbackThreshold, double penalty, boolean proportion) {
    public static final double DEFAULT_SENSITIVITY = 4.0;
    public static final int DEFAULT_WINDOW = 30;
    public static final int DEFAULT_MIN_HISTORY = 8;
    public static final double DEFAULT_PENALTY = 4.0;

    public DetectionSettings {
        if (!(sensitivity > 0) || !Double.isFinite(sensitivity)) {
            throw problem("sensitivity", "must be a number of noise sd > 0 (default " + DEFAULT_SENSITIVITY + "), got " + sensitivity);
        }
        if (!Double.isNaN(minEffect) && !(minEffect >= 0 && Double.isFinite(minEffect))) {
            throw problem("min_effect", "must be a finite number >= 0 in the metric's unit, got " + minEffect);
        }
        if (!(relativeMinEffect >= 0) || !Double.isFinite(relativeMinEffect)) {
            throw problem("min_effect", "relative minimum effect must be a finite fraction >= 0, got " + relativeMinEffect);
        }
        if (window < 3 || window > 10_000) {
            throw problem("window", "must be between 3 and 10000 runs, got " + window);
        }
        if (minHistory < 1 || minHistory > 1000) {
            throw problem("min_history", "must be between 1 and 1000 runs, got " + minHistory);
        }
        if (!(fallbackThreshold >= 0) || !Double.isFinite(fallbackThreshold)) {
            throw problem("threshold", "must be a finite fraction >= 0, got " + fallbackThreshold);
        }
        if (!(penalty > 0) || !Double.isFinite(penalty)) {
            throw problem("penalty", "must be a finite number > 0, got " + penalty);
        }
    }

    private static ValidationException problem(String field, String message) {
        return new dev.benchmon.InvalidArgumentException(ValidationException.Problem.of(field, message));
    }

    /** Defaults for a metric of unknown kind. */
    public static DetectionSettings defaults() {
        return forKind(MetricKind.UNKNOWN);
    }

    /** Defaults for a metric kind: its relative minimum effect, and a 25% fallback threshold for kinds whose run-to-run noise is often 10% (times, rates, costs, memory). */
    public static DetectionSettings forKind(MetricKind kind) {
        boolean noisy = kind == MetricKind.TIME || kind == MetricKind.THROUGHPUT || kind == MetricKind.COST
                || kind == MetricKind.MEMORY;
        return new DetectionSettings(DEFAULT_SENSITIVITY, Double.NaN, kind.relativeMinEffect(), DEFAULT_WINDOW,
                DEFAULT_MIN_HISTORY, noisy ? 0.25 : 0.05, DEFAULT_PENALTY, false);
    }

    /**
     * Parses a sensitivity: a number of noise sd ({@code 3.5}), or {@code low} (5 sd), {@code medium}
     * (the default) or {@code high} (3 sd).
     */
    public static double parseSensitivity(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "low": return 5.0;
            case "medium": case "default": return DEFAULT_SENSITIVITY;
            case "high": return 3.0;
            default:
                try {
                    double v = Double.parseDouble(t);
                    if (v > 0 && Double.isFinite(v)) {
                        return v;
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
                throw problem("sensitivity", "must be low, medium, high or a number of noise sd > 0, got '" + TextRules.quoted(text) + "'");
        }
    }

    public DetectionSettings withSensitivity(double value) {
        return new DetectionSettings(value, minEffect, relativeMinEffect, window, minHistory, fallbackThreshold, penalty, proportion);
    }

    /** An absolute minimum effect in the metric's unit (NaN = use the relative one). */
    public DetectionSettings withMinEffect(double value) {
        return new DetectionSettings(sensitivity, value, relativeMinEffect, window, minHistory, fallbackThreshold, penalty, proportion);
    }

    public DetectionSettings withRelativeMinEffect(double value) {
        return new DetectionSettings(sensitivity, Double.NaN, value, window, minHistory, fallbackThreshold, penalty, proportion);
    }

    public DetectionSettings withWindow(int value) {
        return new DetectionSettings(sensitivity, minEffect, relativeMinEffect, value, minHistory, fallbackThreshold, penalty, proportion);
    }

    public DetectionSettings withMinHistory(int value) {
        return new DetectionSettings(sensitivity, minEffect, relativeMinEffect, window, value, fallbackThreshold, penalty, proportion);
    }

    public DetectionSettings withFallbackThreshold(double value) {
        return new DetectionSettings(sensitivity, minEffect, relativeMinEffect, window, minHistory, value, penalty, proportion);
    }

    public DetectionSettings withPenalty(double value) {
        return new DetectionSettings(sensitivity, minEffect, relativeMinEffect, window, minHistory, fallbackThreshold, value, proportion);
    }

    /** These settings for a metric that is ({@code true}) or is not a proportion. */
    public DetectionSettings withProportion(boolean value) {
        return new DetectionSettings(sensitivity, minEffect, relativeMinEffect, window, minHistory, fallbackThreshold,
                penalty, value);
    }

    /** The minimum effect in the metric's unit at baseline level {@code level}. */
    public double minEffectAt(double level) {
        return Double.isNaN(minEffect) ? relativeMinEffect * Math.abs(level) : minEffect;
    }
}
