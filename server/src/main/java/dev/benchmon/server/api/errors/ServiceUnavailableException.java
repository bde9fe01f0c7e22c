package dev.benchmon.server.api.errors;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** 503: the database is unavailable; the client should retry after the given delay. */
public final class ServiceUnavailableException extends ApiException {
    /** What clients are told to wait when the database is down. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    public ServiceUnavailableException(String message, Duration retryAfter) {
        super(503, message, List.of(), Map.of("Retry-After", retryAfterSeconds(retryAfter)));
    }

    /** The Retry-After header value for a delay: whole seconds, at least 1. */
    public static String retryAfterSeconds(Duration retryAfter) {
        return String.valueOf(Math.max(1, retryAfter.toSeconds()));
    }
}
