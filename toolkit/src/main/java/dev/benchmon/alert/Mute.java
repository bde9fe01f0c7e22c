package dev.benchmon.alert;

import java.time.Instant;

/**
 * A series (or one metric of it, when {@code metric} is not {@code null}) muted from {@code startsAt}
 * until {@code expiresAt}: findings then open as muted alerts, which notify nobody and never fail CI.
 */
public record Mute(long id, int seriesId, String metric, String reason, String actor, Instant startsAt,
                   Instant expiresAt) {

    /** Whether the mute covers {@code at} (start inclusive, expiry exclusive). */
    public boolean covers(Instant at) {
        return !at.isBefore(startsAt) && at.isBefore(expiresAt);
    }
}
