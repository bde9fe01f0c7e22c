package dev.benchmon.detect;

import dev.benchmon.MetricDirection;

/**
 * The family a metric belongs to, which sets its default direction and default minimum effect.
 * Scores and rates are usually bounded in [0, 1] (or [0, 100]); times, costs and sizes are positive
 * and noisy in relative terms, so their minimum effect is relative.
 */
public enum MetricKind {
    /** accuracy, f1, bleu, rouge, exact_match, auc, ...: higher is better. */
    SCORE(MetricDirection.HIGHER_IS_BETTER, 0.005),
    /** wer, cer, error_rate, ...: lower is better. */
    ERROR_RATE(MetricDirection.LOWER_IS_BETTER, 0.005),
    /** loss, perplexity, mse, mae, rmse, rmsd, ...: lower is better. */
    LOSS(MetricDirection.LOWER_IS_BETTER, 0.01),
    /** latency, duration, runtime, *_ms, *_seconds: lower is better. */
    TIME(MetricDirection.LOWER_IS_BETTER, 0.02),
    /** throughput, *_per_second, bandwidth, qps: higher is better. */
    THROUGHPUT(MetricDirection.HIGHER_IS_BETTER, 0.02),
    /** cost, price, tokens spent: lower is better. */
    COST(MetricDirection.LOWER_IS_BETTER, 0.02),
    /** memory, size in bytes: lower is better. */
    MEMORY(MetricDirection.LOWER_IS_BETTER, 0.02),
    /** counts of items (samples, examples), standard errors: tracked, never judged. */
    COUNT(MetricDirection.NONE, 0.01),
    /**
     * hyperparameters, chosen rather than measured (learning_rate, lr, weight_decay, warmup_steps, batch_size): tracked,
     * never judged.
     */
    SETTING(MetricDirection.NONE, 0.01),
    /** how far training has gone (epoch, step, global_step, iterations): tracked, never judged. */
    PROGRESS(MetricDirection.NONE, 0.01),
    /** Not recognised: the direction is unknown until declared. */
    UNKNOWN(null, 0.01);

    private final MetricDirection direction;
    private final double relativeMinEffect;

    MetricKind(MetricDirection direction, double relativeMinEffect) {
        this.direction = direction;
        this.relativeMinEffect = relativeMinEffect;
    }

    /** The default direction of the kind, or {@code null} when unknown. */
    public MetricDirection direction() {
        return direction;
    }

    /** Default smallest change that matters, as a fraction of the baseline level (0.02 = 2%). */
    public double relativeMinEffect() {
        return relativeMinEffect;
    }

    /** The name used in JSON and tables: {@code score}, {@code time}, ... */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
