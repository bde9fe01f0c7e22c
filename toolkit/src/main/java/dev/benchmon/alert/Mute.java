package dev.benchmon.alert;

import java.time.Instant;

/**
 * A series (or one metric of it, when {@code metric} is not {@code null}) muted from {@code startsAt}
 * until {@code expiresAt}: findings then open as muted alerts, which notify nobody and never fail CI.
 * A mute ended early ({@link Annotations#unmute}) keeps the expiry it was given ({@code expiresAt}), ends at
 * {@code endedAt} (else {@code null}) and names who ended it ({@code endedBy}, else {@code null}) and why
 * ({@code endReason}, when given). {@code endsAt} is when it stops being in force: {@code endedAt} when it was ended
 * early, else {@code expiresAt}, as the database computes it ({@code series_mutes.ends_at}, never computed here).
 * {@code alertId} is the alert whose mute created it ({@code alerts mute ID --for 7d}, {@code series_mutes.alert_id}):
 * the mute ends when a person takes that alert out of its mute (unmutes, opens, acknowledges, marks expected or resolves it);
 * {@code null} for a mute of the series made on its own.
 */
public record Mute(long id, int seriesId, String metric, String reason, String actor, Instant startsAt,
                   Instant expiresAt, Instant endedAt, String endedBy, String endReason, Instant endsAt, Long alertId) {

    /**
     * Whether the mute is in force at {@code at}: from {@code startsAt} (inclusive) until {@code endsAt} (exclusive),
     * as the database's {@code mute_in_force} decides it.
     */
    public boolean inForceAt(Instant at) {
        return !at.isBefore(startsAt) && at.isBefore(endsAt);
    }

    /**
     * Whether the mute covers {@code metric} (a metric's name) of its series at {@code at}: it mutes the whole series
     * or that metric, and is in force then ({@link #inForceAt}). The one statement of the rule in Java; the database's
     * is {@code mute_covers} (R__alert_functions.sql), and the two must agree (MuteCoversTest checks the same cases
     * on both).
     */
    public boolean covers(String metric, Instant at) {
        return (this.metric == null || this.metric.equals(metric)) && inForceAt(at);
    }
}
