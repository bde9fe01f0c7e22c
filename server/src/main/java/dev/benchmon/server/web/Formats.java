package dev.benchmon.server.web;

import dev.benchmon.detect.MetricJudge;
import dev.benchmon.detect.MetricJudgement;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the dashboard writes numbers and times (the same text goes to the page and to CSV). */
final class Formats {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** Up to 6 significant digits, no trailing zeros, no exponent: 0.8912, 410.3, 0.0042; empty for missing. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /**
     * A value with its standard error when the result carried one: "0.491 ± 0.014", else the value alone
     * ({@link #number}). The error to two significant digits, as uncertainties are usually written: its third digit
     * says nothing the first two do not.
     */
    static String withStderr(double value, Double stderr) {
        String v = number(value);
        if (v.isEmpty() || stderr == null || !Double.isFinite(stderr) || stderr < 0) {
            return v;
        }
        String se = stderr == 0 ? "0"
                : new BigDecimal(stderr).round(new MathContext(2)).stripTrailingZeros().toPlainString();
        return v + " \u00b1 " + se;
    }

    /**
     * A difference or an end of its interval, as every comparison prints them (four significant digits, as the
     * toolkit's tables and {@code benchmon compare}; a true minus sign): "+0.043", "[+0.01476, +0.07124]" rather than
     * an interval to six digits beside a difference to three.
     */
    static String difference(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        return dev.benchmon.notebook.ReadableNumber.signed(v).replace('-', '\u2212');
    }

    /** A relative change as a signed percentage with one decimal: "+4.2%", "−9.1%" (two significant digits under 0.05%: "−0.042%"). */
    static String percent(Double relative) {
        if (relative == null || relative.isNaN()) {
            return "";
        }
        String s = dev.benchmon.notebook.ReadableNumber.signedPercent(relative);
        return s.replace('-', '\u2212');
    }

    /**
     * The change judgement {@code j} found, in the unit its explanation states it in, by the engine's rule
     * ({@link MetricJudge#inPoints}): in percentage points for a proportion ({@code proportion}, the verdict's
     * {@link dev.benchmon.detect.DetectionSettings#proportion}) within [0, 1], "−20.0 points", as
     * {@link MetricJudge#formatDelta} words it; else relative to the baseline, "−9.1%" ({@link #percent}); empty for
     * missing.
     */
    static String change(MetricJudgement j, boolean proportion) {
        if (MetricJudge.inPoints(j.delta(), j.baseline(), proportion)) {
            return MetricJudge.formatDelta(j.delta(), j.baseline(), proportion).replace('-', '\u2212');
        }
        return percent(j.relativeChange());
    }

    /** "2025-01-05 14:03" (UTC). */
    static String minutes(Instant t) {
        return t == null ? "" : MINUTES.format(t);
    }

    /** "2025-01-05 14:03:22" (UTC). */
    static String seconds(Instant t) {
        return t == null ? "" : SECONDS.format(t);
    }

    /** "just now", "5 min ago", "3 h ago", "2 days ago". */
    static String ago(Instant t, Instant now) {
        if (t == null) {
            return "never";
        }
        Duration d = Duration.between(t, now);
        if (d.isNegative() || d.toMinutes() < 1) {
            return "just now";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min ago";
        }
        if (d.toDays() < 2) {
            return d.toHours() + " h ago";
        }
        return d.toDays() + " days ago";
    }

    /** A commit SHA as shown for reading ({@link dev.benchmon.detect.CommitRange#shortRef}); "" for null. */
    static String shortSha(String sha) {
        return sha == null ? "" : dev.benchmon.detect.CommitRange.shortRef(sha);
    }
}
