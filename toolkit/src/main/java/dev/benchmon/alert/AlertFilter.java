package dev.benchmon.alert;

import java.util.List;

/**
 * Which alerts to list. Empty lists and {@code null}s mean "any". Open alerts come first, then
 * newest first.
 *
 * @param states   states to include
 * @param seriesId one series ({@code series.id}), or {@code null}
 * @param metric   one metric, or {@code null}
 * @param limit    at most this many (1 to 10,000; default 500)
 */
public record AlertFilter(List<AlertState> states, Integer seriesId, String metric, int limit) {
    public static final int DEFAULT_LIMIT = 500;

    public AlertFilter {
        states = states == null ? List.of() : List.copyOf(states);
        if (limit < 1 || limit > 10_000) {
            throw new dev.benchmon.InvalidArgumentException(dev.benchmon.ValidationException.Problem.of("limit",
                    "must be from 1 to 10000, got " + limit));
        }
    }

    /** Every alert (up to the default limit). */
    public static AlertFilter all() {
        return new AlertFilter(List.of(), null, null, DEFAULT_LIMIT);
    }

    /** Alerts in these states. */
    public static AlertFilter states(AlertState... states) {
        return all().withStates(List.of(states));
    }

    public AlertFilter withStates(List<AlertState> value) {
        return new AlertFilter(value, seriesId, metric, limit);
    }

    public AlertFilter withSeries(Integer value) {
        return new AlertFilter(states, value, metric, limit);
    }

    public AlertFilter withMetric(String value) {
        return new AlertFilter(states, seriesId, value == null || value.isEmpty() ? null : value, limit);
    }

    public AlertFilter withLimit(int value) {
        return new AlertFilter(states, seriesId, metric, value);
    }
}
