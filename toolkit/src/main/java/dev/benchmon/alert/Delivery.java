package dev.benchmon.alert;

import java.time.Instant;
import java.util.List;

/**
 * One attempt to deliver a notification.
 *
 * @param channel    {@code webhook} or {@code slack}
 * @param target     scheme, host and port of the receiver (never its path: it can hold a secret)
 * @param statusCode the receiver's HTTP status, or {@code null} when none came (connection failure)
 * @param error      what went wrong, or {@code null}
 */
public record Delivery(long id, String channel, String target, List<Long> alertIds, int attempt, Integer statusCode,
                       boolean delivered, String error, Instant at) {
}
