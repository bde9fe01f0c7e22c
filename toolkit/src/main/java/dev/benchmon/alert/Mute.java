package dev.benchmon.alert;

import java.time.Instant;

/**
 * A series (or one metric of it, when {@code metric} is not {@code null}) muted from {@code startsAt}
 * until {@code expiresAt}: findings then open as muted alerts, which notify nobody and never fail CI.
 * A mute ended early ({@link Annotations#unmute}) keeps the expiry it was given ({@code expiresAt}), ends at
 * {@code endedAt} (else {@code null}) and names who ended it ({@code endedBy}, else {@code null}) and why
 * ({@code endReason}, when given).
 */
public record Mute(long id, int seriesId, String metric, String reason, String actor, Instant startsAt,
                   Instant expiresAt, Instant endedAt, String endedBy, String endReason) {

    /** When the mute stops covering findings: when it was ended early, else its expiry. */
    public Instant end() {
        return endedAt == null ? expiresAt : endedAt;
    }

    /** Whether the mute covers {@code at} (start inclusive, end exclusive: {@link #end()}). */
    public boolean covers(Instant at) {
        return !at.isBefore(startsAt) && at.isBefore(end());
    }
}
