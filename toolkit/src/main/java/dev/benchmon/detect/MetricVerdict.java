package dev.benchmon.detect;

/** The judgement of one metric of one run, with the semantics and settings it was judged under. */
public record MetricVerdict(String metric, MetricSemantics semantics, DetectionSettings settings, MetricJudgement judgement) {
    /** Whether this verdict fails CI: a regression (or, with {@code failOnMissing}, a missing metric). */
    public boolean failsCi(boolean failOnMissing) {
        return judgement.outcome() == Outcome.REGRESSION || (failOnMissing && judgement.outcome() == Outcome.MISSING);
    }

    /**
     * Whether this run's value is a regression from {@code level} (an open alert's baseline) under this verdict's
     * settings: {@link MetricJudge#regressedFrom}.
     */
    public boolean regressionFrom(double level) {
        return MetricJudge.regressedFrom(judgement, level, semantics.direction(), settings);
    }

    /** The explanation, with the command that declares the metric when its direction is unknown. */
    public String text() {
        if (judgement.outcome() == Outcome.CHANGED_DIRECTION_UNKNOWN) {
            return "changed (direction unknown): " + judgement.text() + "; declare it: " + MetricSemantics.declareCommand(metric);
        }
        return judgement.text();
    }
}
