package dev.benchmon;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The smallest change that matters, as a person states it: a number in the metric's unit ({@code 0.5}, for 0.5 ms) or
 * a percentage of the baseline ({@code 2%}). The one reading of that text for every place that takes it: a metric's
 * definition ({@code metrics define --min-effect}, {@code PUT /api/v1/metrics/{name}}, a file's
 * {@code metric_definitions}) and a request's override ({@code push --min-effect}, {@code ?min_effect=},
 * {@code RegressionOptions}).
 *
 * @param value    in the metric's unit, or with {@code relative} a fraction of the baseline (0.02 for 2%)
 * @param relative whether {@code value} is a fraction of the baseline
 */
public record MinEffect(double value, boolean relative) {
    public MinEffect {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new InvalidArgumentException(ValidationException.Problem.of("min_effect",
                    "must be a finite number >= 0, got " + value));
        }
    }

    /**
     * {@code text} read as a minimum effect: {@code 2%} (relative to the baseline) or a number in the metric's unit,
     * either {@code >= 0}.
     *
     * @param field what the text was given as, named in the problem ({@code min_effect}, {@code --min-effect})
     * @throws InvalidArgumentException naming {@code field} for anything else (negative, not a number, a bare %)
     */
    public static MinEffect parse(String field, String text) {
        String t = text.trim();
        boolean percent = t.endsWith("%");
        try {
            double v = Double.parseDouble(percent ? t.substring(0, t.length() - 1).trim() : t);
            if (v >= 0 && Double.isFinite(v)) {
                return new MinEffect(percent ? v / 100 : v, percent);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidArgumentException(ValidationException.Problem.of(field,
                "must be a number >= 0 in the metric's unit, or a percentage like 2%, got '" + dev.benchmon.ingest.TextRules.quoted(text) + "'"));
    }

    /** As {@link #parse} reads it back: {@code 2%} or {@code 0.5}. */
    @Override
    public String toString() {
        return relative ? plain(value * 100) + "%" : plain(value);
    }

    // 0.02 * 100 is 2.0000000000000004 in binary: twelve significant digits give the percentage that was typed.
    private static String plain(double v) {
        return v == 0 ? "0" : new BigDecimal(v).round(new MathContext(12)).stripTrailingZeros().toPlainString();
    }
}
