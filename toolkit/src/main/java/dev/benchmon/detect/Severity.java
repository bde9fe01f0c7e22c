package dev.benchmon.detect;

/**
 * The grade of a regression by its size: how far it lies from the baseline in noise sd, over the metric's sensitivity
 * (or, without noise, its relative change over 5%). The one place the grades' bounds are written: the detectors grade
 * with {@link #of}, and {@code alert_record_findings} receives {@link #MAJOR} and {@link #CRITICAL} as parameters
 * ({@link dev.benchmon.alert.Alerts#onFindings}) to grade an alert's change again (alert_severity_now in SQL).
 */
public final class Severity {
    /** The size from which a regression is major (below: minor). */
    public static final double MAJOR = 1.5;
    /** The size from which a regression is critical. */
    public static final double CRITICAL = 3;

    private Severity() {
    }

    /** {@code minor} under {@link #MAJOR}, {@code major} under {@link #CRITICAL}, else (or NaN) {@code critical}. */
    public static String of(double size) {
        if (!(size < CRITICAL)) {
            return "critical";
        }
        return size >= MAJOR ? "major" : "minor";
    }
}
