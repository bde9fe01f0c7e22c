package dev.benchmon.alert;

import java.time.Instant;

/**
 * A series (or one metric of it, when {@code metric} is not {@code null}) muted from {@code startsAt}
 * until {@code expiresAt}: findings then open as muted alerts, which notify nobody and never fail CI.
 * A mute ended early ({@link Annotations#unmute}) keeps the expiry it was given ({@code expiresAt}), ends at
 * {@code endedAt} (else {@code null}) and names who ended it ({@code endedBy}, else {@code null}) and why
 * ({@code endReason}, when given). {@code endsAt} is when it stops being in force: {@code endedAt} when it was ended
 * early, else {@code expiresAt}, as the database computes it ({@code series_mutes.ends_at}, never computed here).
 */
public record Mute(long id, int seriesId, String metric, String reason, String actor, Instant startsAt,
                   Instant expiresAt, Instant endedAt, String endedBy, String endReason, Instant endsAt) {

    /**
     * Whether the mute is in force at {@code at}: from {@code startsAt} (inclusive) until {@code endsAt} (exclusive),
     * as the database's {@code mute_in_force} decides it.
     */
    public boolean inForceAt(Instant at) {
        return !at.isBefore(startsAt) && at.isBefore(endsAt);
    }
}
