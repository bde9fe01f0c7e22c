package dev.benchmon.detect;

/** The judgement of one metric of one run, with the semantics and settings it was judged under. */
public record MetricVerdict(String metric, MetricSemantics semantics, DetectionSettings settings, MetricJudgement judgement) {
    /** Whether this verdict fails CI: a regression (or, with {@code failOnMissing}, a missing metric). */
    public boolean failsCi(boolean failOnMissing) {
        return judgement.outcome() == Outcome.REGRESSION || (failOnMissing && judgement.outcome() == Outcome.MISSING);
    }

    /** The explanation, with the command that declares the metric when its direction is unknown. */
    public String text() {
        if (judgement.outcome() == Outcome.CHANGED_DIRECTION_UNKNOWN) {
            return "changed (direction unknown): " + judgement.text() + "; declare it: " + MetricSemantics.declareCommand(metric);
        }
        return judgement.text();
    }
}
