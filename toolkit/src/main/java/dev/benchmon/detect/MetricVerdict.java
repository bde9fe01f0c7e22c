package dev.benchmon.detect;

import dev.benchmon.MetricDirection;

/** The judgement of one metric of one run, with the semantics and settings it was judged under. */
public record MetricVerdict(String metric, MetricSemantics semantics, DetectionSettings settings, MetricJudgement judgement) {
    /** Whether this verdict fails CI: a regression (or, with {@code failOnMissing}, a missing metric). */
    public boolean failsCi(boolean failOnMissing) {
        return judgement.outcome() == Outcome.REGRESSION || (failOnMissing && judgement.outcome() == Outcome.MISSING);
    }

    /**
     * Whether this run's value is a regression from {@code level} (an open alert's baseline) under this
     * verdict's settings: the change from it is in the metric's bad direction, at least the minimum effect,
     * and at least the sensitivity in the noise the engine measured for this run (its scale against a
     * baseline of {@code baselineRuns} runs, without the runs' own standard errors); with too short a history
     * for a noise estimate, the relative rule the engine falls back to. The outcome alone cannot tell: once a
     * shift persists, the engine's baseline is the new level and it judges the shifted run within noise.
     */
    public boolean regressionFrom(double level) {
        MetricJudgement j = judgement;
        if (j.outcome() == Outcome.REGRESSION) {
            return true;
        }
        double d = j.current() - level;
        boolean bad = switch (semantics.direction() == null ? MetricDirection.NONE : semantics.direction()) {
            case HIGHER_IS_BETTER -> d < 0;
            case LOWER_IS_BETTER -> d > 0;
            case NONE -> false;
        };
        if (!bad || !Double.isFinite(level)) {
            return false;
        }
        if (MetricJudgement.FALLBACK.equals(j.method()) || !(j.sd() >= 0)) {
            double minEffect = Double.isNaN(settings.minEffect()) ? 0 : settings.minEffect();
            return level != 0 && Math.abs(d) / Math.abs(level) > settings.fallbackThreshold() && Math.abs(d) >= minEffect;
        }
        double scale = j.sd() * Math.sqrt(1 + Math.PI / (2.0 * Math.max(1, j.baselineRuns())));
        boolean significant = scale > 0 ? Math.abs(d) / scale >= settings.sensitivity() : d != 0;
        return significant && Math.abs(d) >= settings.minEffectAt(level);
    }

    /** The explanation, with the command that declares the metric when its direction is unknown. */
    public String text() {
        if (judgement.outcome() == Outcome.CHANGED_DIRECTION_UNKNOWN) {
            return "changed (direction unknown): " + judgement.text() + "; declare it: " + MetricSemantics.declareCommand(metric);
        }
        return judgement.text();
    }
}
