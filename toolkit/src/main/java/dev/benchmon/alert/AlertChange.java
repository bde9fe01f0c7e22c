package dev.benchmon.alert;

/**
 * What {@link Alerts#onFindings} changed: an alert that opened (in state open, or muted under a
 * mute), was confirmed by a change point of the same shift, or resolved.
 *
 * @param change {@value #OPENED}, {@value #CONFIRMED} or {@value #RESOLVED}
 */
public record AlertChange(long alertId, String change, AlertState state) {
    public static final String OPENED = "opened";
    public static final String CONFIRMED = "confirmed";
    public static final String RESOLVED = "resolved";

    /** An alert opened in state open: one that notifications announce. */
    public boolean openedOpen() {
        return OPENED.equals(change) && state == AlertState.OPEN;
    }
}
