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

    /**
     * {@code a} and {@code b} for reading side by side, as a baseline and a value ({@code 0.92281 -> 0.92276}): as
     * {@link #of} writes them, with one more significant digit at a time (up to 17, a double's exact text) while two
     * different numbers would print the same. Equal numbers print as {@link #of} writes them, and so do numbers that
     * differ only by a double's rounding (relatively by 1e-9 or less: a mean of equal values, 0.9200000000000002
     * beside 0.92).
     *
     * @return two texts: {@code a}'s, then {@code b}'s
     */
    public static String[] apart(double a, double b) {
        String x = of(a);
        String y = of(b);
        boolean rounding = Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
        for (int digits = 5; x.equals(y) && !rounding && digits <= 17; digits++) {
            x = withDigits(a, digits);
            y = withDigits(b, digits);
        }
        return new String[] {x, y};
    }

    /** {@code v} to {@code digits} significant digits, in plain digits (no exponent, no trailing zeros). */
    private static String withDigits(double v, int digits) {
        if (!Double.isFinite(v) || v == 0) {
            return of(v);
        }
        return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    /**
     * A p-value for reading: four decimals, and {@code <0.0001} below that (0.00000000001004 read as a precision the
     * test does not have); NaN as Java writes it. The toolkit's tables, {@code benchmon compare} and the dashboard
     * print p-values so.
     */
    public static String pValue(double p) {
        if (Double.isNaN(p)) {
            return String.valueOf(p);
        }
        return p < 1e-4 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }

    /** Whether a column of this name holds p-values ({@code p_value}, {@code p_holm}): printed by {@link #pValue}. */
    public static boolean isPValueColumn(String name) {
        return name.equals("p_value") || name.equals("p_holm");
    }

    /**
     * A change for reading beside its unit ({@code %}, {@code points}): signed, with one decimal ({@code +4.2},
     * {@code -28.0}), as {@code String.format("%+.1f")} writes it; but a change that one decimal would read as
     * {@code +0.0} or {@code -0.0} gets two significant digits instead ({@code -0.042}, {@code +0.0013}), so that a small
     * regression of a very quiet metric does not read as no change. Below {@value #SMALLEST_SHOWN} it stays {@code +0.0} or
     * {@code -0.0}: a double's rounding ({@code 0.9200000000000002} against {@code 0.92}) is no change to report. Rounding
     * is half up on the shortest decimal text of {@code v}, as SQL's {@code signed_one_decimal} rounds
     * (AlertChangeTextTest compares the two). NaN and the infinities as {@code %+.1f} writes them.
     */
    public static String signedOneDecimal(double v) {
        String oneDecimal = String.format(Locale.ROOT, "%+.1f", v);
        if (!Double.isFinite(v) || Math.abs(v) < SMALLEST_SHOWN || !oneDecimal.substring(1).equals("0.0")) {
            return oneDecimal;
        }
        return (v > 0 ? "+" : "-") + new BigDecimal(Double.toString(Math.abs(v)))
                .round(new MathContext(2, java.math.RoundingMode.HALF_UP)).stripTrailingZeros().toPlainString();
    }

    /** A relative change ({@code 0.042}) as a signed percentage by {@link #signedOneDecimal}: {@code +4.2%}, {@code -0.0054%}. */
    public static String signedPercent(double relative) {
        return signedOneDecimal(relative * 100) + "%";
    }

    /** The smallest change (in its unit: percent, points) {@link #signedOneDecimal} gives digits to. */
    public static final double SMALLEST_SHOWN = 1e-4;

    /** A difference, with a '+' before a positive one: +0.15, -0.0078, 0. */
    public static String signed(double v) {
        return v > 0 ? "+" + of(v) : of(v);
    }
}
