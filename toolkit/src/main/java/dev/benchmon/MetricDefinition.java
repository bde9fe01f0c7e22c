package dev.benchmon;

/**
 * What a metric means: which way is better, its unit, and the smallest change that matters.
 * Declared with {@code benchmon metrics define}, {@code PUT /api/v1/metrics/{name}}, the Java API,
 * or a {@code metric_definitions} object beside the results in a pushed file; adapters fill it in
 * where a tool states it.
 *
 * @param name        the metric name, exactly as results carry it
 * @param direction   higher or lower is better, or {@link MetricDirection#NONE} (tracked, never judged)
 * @param unit        the unit ({@code ms}, {@code ratio}, {@code USD}, ...), or {@code null}
 * @param minEffect   the smallest change that matters in practice, in the metric's unit (absolute),
 *                    or {@code null} for the default of its kind
 * @param description free text, or {@code null}
 */
public record MetricDefinition(String name, MetricDirection direction, String unit, Double minEffect,
                               String description) {
    public MetricDefinition {
        if (name == null || name.isEmpty()) {
            throw new ValidationException(ValidationException.Problem.of("name", "is required"));
        }
        if (direction == null) {
            throw new ValidationException(ValidationException.Problem.of("direction",
                    "is required (higher_is_better, lower_is_better or none)"));
        }
        if (direction == MetricDirection.UNKNOWN) {
            // UNKNOWN is what benchmon answers for an undeclared metric; declaring it would store no meaning.
            throw new ValidationException(ValidationException.Problem.of("direction",
                    "unknown is not a direction to declare (allowed: higher_is_better, lower_is_better, none)"));
        }
        if (minEffect != null && !(minEffect > 0 && Double.isFinite(minEffect))) {
            throw new ValidationException(ValidationException.Problem.of("min_effect",
                    "must be a finite number > 0, got " + minEffect));
        }
    }

    /** A definition with a direction only. */
    public static MetricDefinition of(String name, MetricDirection direction) {
        return new MetricDefinition(name, direction, null, null, null);
    }
}
