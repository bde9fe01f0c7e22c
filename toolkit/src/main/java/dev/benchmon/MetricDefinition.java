package dev.benchmon;

import dev.benchmon.ingest.ResultValidator;
import dev.benchmon.ingest.TextRules;

import java.util.ArrayList;
import java.util.List;

/**
 * What a metric means: which way is better, its unit, and the smallest change that matters.
 * Declared with {@code benchmon metrics define}, {@code PUT /api/v1/metrics/{name}}, the Java API,
 * or a {@code metric_definitions} object beside the results in a pushed file; adapters fill it in
 * where a tool states it.
 *
 * @param name              the metric name, exactly as results carry it
 * @param direction         higher or lower is better, or {@link MetricDirection#NONE} (tracked, never judged)
 * @param unit              the unit ({@code ms}, {@code ratio}, {@code USD}, ...), or {@code null}; a unit of time, rate,
 *                          size or cost sets the metric's kind and so its detection defaults
 *                          ({@link dev.benchmon.detect.MetricSemantics#kind}), a proportion unit makes it a proportion
 * @param minEffect         the smallest change that matters in practice, in the metric's unit (absolute),
 *                          or {@code null}
 * @param description       free text, or {@code null}
 * @param relativeMinEffect the smallest change that matters as a fraction of the baseline (0.02 for 2%), or
 *                          {@code null}; at most one of the two minimum effects is stated, and with neither the
 *                          default of the metric's kind applies
 */
public record MetricDefinition(String name, MetricDirection direction, String unit, Double minEffect,
                               String description, Double relativeMinEffect) {
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
        if (relativeMinEffect != null && !(relativeMinEffect > 0 && Double.isFinite(relativeMinEffect))) {
            throw new ValidationException(ValidationException.Problem.of("min_effect",
                    "must be a finite percentage > 0, got " + 100 * relativeMinEffect + "%"));
        }
        if (minEffect != null && relativeMinEffect != null) {
            throw new ValidationException(ValidationException.Problem.of("min_effect",
                    "give it in the metric's unit or as a percentage of the baseline, not both"));
        }
    }

    /** A definition whose minimum effect, if any, is in the metric's unit. */
    public MetricDefinition(String name, MetricDirection direction, String unit, Double minEffect, String description) {
        this(name, direction, unit, minEffect, description, null);
    }

    /** Longest unit, in characters: as {@code metric_definitions} and {@code PUT /api/v1/metrics/{name}} take it. */
    public static final int MAX_UNIT_LENGTH = 64;

    /**
     * Problems with the unit and description as text the database and every reader can hold (the rules of
     * {@code metric_definitions} and {@code PUT /api/v1/metrics/{name}}: a unit of at most {@value #MAX_UNIT_LENGTH}
     * characters on one line, a description of at most {@link ResultValidator#MAX_NOTES_LENGTH}): empty when both are
     * fine. {@code unitField} and {@code descriptionField} name them in the problems.
     */
    public static List<ValidationException.Problem> textProblems(String unit, String unitField, String description,
                                                                 String descriptionField) {
        List<ValidationException.Problem> problems = new ArrayList<>(
                TextRules.textProblems(unitField, unit, MAX_UNIT_LENGTH, false));
        problems.addAll(TextRules.textProblems(descriptionField, description, ResultValidator.MAX_NOTES_LENGTH, true));
        return problems;
    }

    /** A definition with a direction only. */
    public static MetricDefinition of(String name, MetricDirection direction) {
        return new MetricDefinition(name, direction, null, null, null);
    }

    /**
     * {@code text} read as a definition's minimum effect: as {@link MinEffect#parse} reads it ({@code 0.5} in the
     * metric's unit, or {@code 2%} of the baseline), above 0 as every minimum effect is.
     *
     * @param field what the text was given as, named in the problem ({@code --min-effect})
     * @throws InvalidArgumentException naming {@code field} for anything else (0, negative, not a number)
     * @deprecated the same as {@link MinEffect#parse(String, String)}, which every caller uses; kept for code that
     *             called it
     */
    @Deprecated
    public static MinEffect parseMinEffect(String field, String text) {
        return MinEffect.parse(field, text);
    }

    /** This definition with {@code effect} as its minimum effect ({@code null}: none stated). */
    public MetricDefinition withMinEffect(MinEffect effect) {
        return new MetricDefinition(name, direction, unit, effect == null || effect.relative() ? null : effect.value(),
                description, effect != null && effect.relative() ? effect.value() : null);
    }

    /** The minimum effect as stated ({@code 0.5} or {@code 2%}), or {@code null} when neither is. */
    public MinEffect statedMinEffect() {
        return minEffect != null ? new MinEffect(minEffect, false)
                : relativeMinEffect != null ? new MinEffect(relativeMinEffect, true) : null;
    }
}
