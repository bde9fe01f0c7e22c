package dev.benchmon;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The smallest change that matters, as a person states it: a number in the metric's unit ({@code 0.5}, for 0.5 ms) or
 * a percentage of the baseline ({@code 2%}). The one reading of that text for every place that takes it: a metric's
 * definition ({@code metrics define --min-effect}, {@code PUT /api/v1/metrics/{name}}, a file's
 * {@code metric_definitions}) and a request's override ({@code push --min-effect}, {@code ?min_effect=},
 * {@code RegressionOptions}).
 * <p>It is above 0 wherever it is stated: a change smaller than it does not matter, so 0 would say every change
 * matters, however small, and a metric without any noise (a count, a size) would then be flagged for each change. A
 * definition could never hold 0 (the table refuses it) while a request's override took it, so {@code push
 * --min-effect 0} was read and {@code PUT /api/v1/metrics/NAME} with 0 refused; both refuse it now, in one sentence.
 *
 * @param value    in the metric's unit, or with {@code relative} a fraction of the baseline (0.02 for 2%)
 * @param relative whether {@code value} is a fraction of the baseline
 */
public record MinEffect(double value, boolean relative) {
    public MinEffect {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new InvalidArgumentException(ValidationException.Problem.of("min_effect", RULE + ", got " + value));
        }
    }

    /** The rule every refusal states. */
    public static final String RULE = "must be a number > 0 in the metric's unit, or a percentage above 0 such as 2%";

    /**
     * {@code text} read as a minimum effect: {@code 2%} (relative to the baseline) or a number in the metric's unit,
     * either above 0.
     *
     * @param field what the text was given as, named in the problem ({@code min_effect}, {@code --min-effect})
     * @throws InvalidArgumentException naming {@code field} for anything else (0, negative, not a number, a bare %)
     */
    public static MinEffect parse(String field, String text) {
        String t = text.trim();
        boolean percent = t.endsWith("%");
        try {
            double v = Double.parseDouble(percent ? t.substring(0, t.length() - 1).trim() : t);
            if (v > 0 && Double.isFinite(v)) {
                return new MinEffect(percent ? v / 100 : v, percent);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidArgumentException(ValidationException.Problem.of(field,
                RULE + ", got '" + dev.benchmon.ingest.TextRules.quoted(text) + "'"));
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
