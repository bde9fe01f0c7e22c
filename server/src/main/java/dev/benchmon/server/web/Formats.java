package dev.benchmon.server.web;

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

    /** A difference with its sign: "+0.0123", "−4.5" (a true minus sign, like {@link #percent}). */
    static String signed(double v) {
        String n = number(Math.abs(v));
        return n.isEmpty() ? "" : (v > 0 ? "+" : v < 0 ? "\u2212" : "") + n;
    }

    /** A relative change as a signed percentage with one decimal: "+4.2%", "−9.1%". */
    static String percent(Double relative) {
        if (relative == null || relative.isNaN()) {
            return "";
        }
        String s = String.format(Locale.ROOT, "%+.1f%%", relative * 100);
        return s.replace('-', '\u2212');
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

    /** The first 8 characters of a commit SHA. */
    static String shortSha(String sha) {
        return sha == null ? "" : sha.substring(0, Math.min(8, sha.length()));
    }
}
