package dev.benchmon.alert;

import java.time.Instant;

/**
 * One appended state change of an alert.
 *
 * @param actor  who: a person's name, or {@code benchmon} for the detector
 * @param source where: detector, api, dashboard, cli, toolkit, annotation, mute
 */
public record AlertEvent(long id, long alertId, AlertState state, String actor, String comment, String source,
                         Instant at) {
}
