package dev.benchmon.compare;

import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;

/**
 * How comparisons are computed. Immutable; start from {@link #defaults()}.
 *
 * @param reference    the model the others are compared with, or {@code null} for the first model the filter names
 *                     (else the first alphabetically)
 * @param confidence   confidence level of the intervals, in (0.5, 1): 0.95 by default
 * @param resamples    bootstrap resamples, 100 to 100,000: 2,000 by default (enough for a stable 95% percentile
 *                     interval; Efron and Tibshirani recommend at least 1,000 for percentile intervals)
 * @param seed         the bootstrap's random seed: the same inputs and seed give the same interval
 * @param pooled       {@code true} pools each model's runs over dataset versions and environments (one row per
 *                     model, no paired statistics); {@code false} (default) gives one row per model, dataset version
 *                     and environment, and compares like with like
 * @param minSliceSize slices with fewer shared items than this are flagged {@code small}: 30 by default
 */
public record CompareOptions(String reference, double confidence, int resamples, long seed, boolean pooled,
                             int minSliceSize) {
    /** The seed used unless another is given. */
    public static final long DEFAULT_SEED = 20261129L;

    private static final CompareOptions DEFAULTS = new CompareOptions(null, 0.95, 2000, DEFAULT_SEED, false, 30);

    public CompareOptions {
        if (!(confidence > 0.5 && confidence < 1)) {
            throw new dev.benchmon.InvalidArgumentException(Problem.of("confidence", "must be between 0.5 and 1 (0.95 means 95%), got "
                    + confidence));
        }
        if (resamples < 100 || resamples > 100_000) {
            throw new dev.benchmon.InvalidArgumentException(Problem.of("resamples", "must be from 100 to 100000, got " + resamples));
        }
        if (minSliceSize < 1) {
            throw new dev.benchmon.InvalidArgumentException(Problem.of("min_slice_size", "must be at least 1, got " + minSliceSize));
        }
        reference = reference == null || reference.isBlank() ? null : reference.trim();
    }

    /** 95% intervals, 2,000 resamples, the fixed default seed, no pooling, slices under 30 items flagged. */
    public static CompareOptions defaults() {
        return DEFAULTS;
    }

    public CompareOptions withReference(String value) {
        return new CompareOptions(value, confidence, resamples, seed, pooled, minSliceSize);
    }

    public CompareOptions withConfidence(double value) {
        return new CompareOptions(reference, value, resamples, seed, pooled, minSliceSize);
    }

    public CompareOptions withResamples(int value) {
        return new CompareOptions(reference, confidence, value, seed, pooled, minSliceSize);
    }

    public CompareOptions withSeed(long value) {
        return new CompareOptions(reference, confidence, resamples, value, pooled, minSliceSize);
    }

    public CompareOptions withPooled(boolean value) {
        return new CompareOptions(reference, confidence, resamples, seed, value, minSliceSize);
    }

    public CompareOptions withMinSliceSize(int value) {
        return new CompareOptions(reference, confidence, resamples, seed, pooled, value);
    }
}
