package dev.benchmon.detect;

/**
 * Settings a request overrides for every metric it judges ({@code ?sensitivity=}, {@code --min-effect},
 * {@code RegressionOptions}); NaN / null = keep the metric's own.
 *
 * @param sensitivity       z threshold in noise sd, or NaN
 * @param minEffect         absolute minimum effect in the metric's unit, or NaN
 * @param relativeMinEffect minimum effect as a fraction of the baseline, or NaN
 */
public record DetectionOverrides(double sensitivity, double minEffect, double relativeMinEffect) {
    public static final DetectionOverrides NONE = new DetectionOverrides(Double.NaN, Double.NaN, Double.NaN);

    public DetectionSettings apply(DetectionSettings s) {
        if (!Double.isNaN(sensitivity)) {
            s = s.withSensitivity(sensitivity);
        }
        if (!Double.isNaN(relativeMinEffect)) {
            s = s.withRelativeMinEffect(relativeMinEffect);
        }
        if (!Double.isNaN(minEffect)) {
            s = s.withMinEffect(minEffect);
        }
        return s;
    }

    public boolean isNone() {
        return Double.isNaN(sensitivity) && Double.isNaN(minEffect) && Double.isNaN(relativeMinEffect);
    }

    public DetectionOverrides withSensitivity(double value) {
        return new DetectionOverrides(value, minEffect, relativeMinEffect);
    }

    /**
     * Parses a minimum effect: {@code 2%} (relative to the baseline) or a number in the metric's unit
     * ({@link dev.benchmon.MinEffect#parse}).
     */
    public DetectionOverrides withMinEffect(String text) {
        dev.benchmon.MinEffect m = dev.benchmon.MinEffect.parse("min_effect", text);
        return m.relative() ? new DetectionOverrides(sensitivity, Double.NaN, m.value())
                : new DetectionOverrides(sensitivity, m.value(), Double.NaN);
    }
}
