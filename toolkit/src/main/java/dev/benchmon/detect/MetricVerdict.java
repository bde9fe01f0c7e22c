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
            return UNKNOWN + judgement.text() + declare(metric);
        }
        return judgement.text();
    }

    /** What {@link #text()} puts before a direction-unknown judgement's own text. */
    private static final String UNKNOWN = "changed (direction unknown): ";

    /** What {@link #text()} puts after a direction-unknown judgement's own text. */
    private static String declare(String metric) {
        return DECLARE_PREFIX + MetricSemantics.declareCommand(metric).substring(DECLARE_COMMAND.length());
    }

    /** How the advice {@link #text()} adds begins, whatever metric it names. */
    private static final String DECLARE_COMMAND = "benchmon metrics define ";
    private static final String DECLARE_PREFIX = "; declare it: " + DECLARE_COMMAND;

    /**
     * The judgement's own text of {@code explanation}, a {@link #text()} of metric {@code metric} with outcome
     * {@code outcome} (as a verdict is stored): without the words {@link #text()} adds, so that a stored verdict read
     * back says them once. Its {@code text()} said them twice ("changed (direction unknown): changed (direction
     * unknown): +3.00 ...; declare it: ...; declare it: ..." on the run page). Any other explanation as it is.
     */
    public static String judgementText(String metric, Outcome outcome, String explanation) {
        if (outcome == Outcome.CHANGED_DIRECTION_UNKNOWN && explanation != null && explanation.startsWith(UNKNOWN)) {
            // Cut at the last advice, whatever command it gives: verdicts stored before the metric's name was quoted
            // in it (lm-eval's "acc,none") end in another form of the command.
            int advice = explanation.lastIndexOf(DECLARE_PREFIX);
            if (advice >= UNKNOWN.length()) {
                return explanation.substring(UNKNOWN.length(), advice);
            }
        }
        return explanation;
    }
}
