package dev.benchmon.alert;

/**
 * What happened to an alert: {@link Alerts#onFindings} opens (in state open, or muted under a mute), confirms (by a
 * change point of the same shift) or resolves alerts; {@link Alerts#onReplacedAttempts} resolves those an attempt a CI
 * re-run replaced raised alone; annotating a run ({@link Annotations#annotate}) resolves, keeps,
 * reopens or grades again the alerts its exclusion or inclusion judged again.
 *
 * @param alertId  the alert's id
 * @param seriesId the id of the alert's series: whose change it is, so a report of several series' runs (a group
 *                 commit's) tells each series' changes apart without reading the alerts
 * @param change {@value #OPENED}, {@value #CONFIRMED}, {@value #RESOLVED}, {@value #KEPT} (stays in its state, naming
 *               the first run of its change that counts), {@value #REOPENED} (back in the state it had before an
 *               exclusion resolved it, or before the detector resolved it on a run that is excluded now), {@value #REGRADED} (its grade now, {@link Alert#nowSeverity()}, graded again
 *               from the runs that count after an exclusion or inclusion: triage, not announced) or {@value #UNMUTED}
 *               (opened by a person's unmute along with its series' mutes: triage, not announced)
 * @param state  the alert's state after the change
 */
public record AlertChange(long alertId, int seriesId, String change, AlertState state) {
    public static final String OPENED = "opened";
    public static final String CONFIRMED = "confirmed";
    public static final String RESOLVED = "resolved";
    public static final String KEPT = "kept";
    public static final String REOPENED = "reopened";
    public static final String REGRADED = "regraded";
    public static final String UNMUTED = "unmuted";

    /** An alert opened, or opened again, in state open: one that notifications announce. */
    public boolean openedOpen() {
        return (OPENED.equals(change) || REOPENED.equals(change)) && state == AlertState.OPEN;
    }
}
