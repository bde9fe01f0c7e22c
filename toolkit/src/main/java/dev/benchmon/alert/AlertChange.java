package dev.benchmon.alert;

/**
 * What {@link Alerts#onFindings} changed: an alert that opened (in state open, or muted under a
 * mute) or resolved.
 *
 * @param change {@value #OPENED} or {@value #RESOLVED}
 */
public record AlertChange(long alertId, String change, AlertState state) {
    public static final String OPENED = "opened";
    public static final String RESOLVED = "resolved";

    /** An alert opened in state open: one that notifications announce. */
    public boolean openedOpen() {
        return OPENED.equals(change) && state == AlertState.OPEN;
    }
}
