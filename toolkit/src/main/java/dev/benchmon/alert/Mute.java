package dev.benchmon.alert;

import java.time.Instant;

/**
 * A series (or one metric of it, when {@code metric} is not {@code null}) muted from {@code startsAt}
 * until {@code expiresAt}: findings then open as muted alerts, which notify nobody and never fail CI.
 * A mute ended early ({@link Annotations#unmute}) expires when it was ended and names who ended it
 * ({@code endedBy}, else {@code null}) and why ({@code endReason}, when given).
 */
public record Mute(long id, int seriesId, String metric, String reason, String actor, Instant startsAt,
                   Instant expiresAt, String endedBy, String endReason) {

    /** Whether the mute covers {@code at} (start inclusive, expiry exclusive). */
    public boolean covers(Instant at) {
        return !at.isBefore(startsAt) && at.isBefore(expiresAt);
    }
}
