package dev.benchmon.alert;

import dev.benchmon.BenchmonException;

/**
 * A triage request that is well formed but that the alert's or run's state refuses: acknowledging or muting an alert
 * that is resolved, unmuting one that is not muted, opening, acknowledging or muting a resolved or expected alert while
 * a newer alert of its series and metric is active, including a run that is not excluded or excluding one excluded
 * already. Not a {@link dev.benchmon.ValidationException}: nothing given was invalid. Sending it again fails the
 * same way until the alert's state changes, so the message says what to do instead (reopen it first, mute the series
 * metric, triage the newer alert, include the run first). The server answers 409 Conflict (RFC 9110, section 15.5.10)
 * with a JSON body naming {@code alert}, {@code alert_id} or {@code run}; the command line exits with 2.
 */
public class StateConflictException extends BenchmonException {
    public StateConflictException(String message) {
        super(message);
    }
}
