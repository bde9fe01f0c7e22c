package dev.benchmon.notebook;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * A number as benchmon's tables print it for reading (notebook HTML, JShell's text tables, {@code benchmon compare}):
 * four significant digits below 1000 (0.004213, 0.8953, 412.3, 0.00004), one decimal above (1234.6), no exponent and no
 * trailing zeros. Exact values belong to the JSON and CSV outputs.
 */
public final class ReadableNumber {
    private ReadableNumber() {
    }

    /** {@code v} for reading; NaN and the infinities as Java writes them. */
    public static String of(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** A difference, with a '+' before a positive one: +0.15, -0.0078, 0. */
    public static String signed(double v) {
        return v > 0 ? "+" + of(v) : of(v);
    }
}
