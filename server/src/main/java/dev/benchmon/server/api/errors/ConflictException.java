package dev.benchmon.server.api.errors;

import java.util.List;
import java.util.Map;

/**
 * 409: a valid request that the stored state refuses (results for a month detached from the log, a triage the alert's
 * state refuses, an unmute of an alert that is not muted, an inclusion or exclusion the run's state refuses).
 */
public final class ConflictException extends ApiException {
    public ConflictException(String message, List<ErrorDetail> problems) {
        super(409, message, problems, Map.of());
    }

    /** One refusal of {@code field} whose message says it whole: shown once, not again as the field's problem. */
    public static ConflictException of(String field, String message) {
        return new ConflictException(message, ErrorDetail.of(field, message));
    }

    private ConflictException(String message, ErrorDetail problem) {
        super(409, message, List.of(problem), Map.of(), true);
    }
}
