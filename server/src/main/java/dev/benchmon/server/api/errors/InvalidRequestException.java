package dev.benchmon.server.api.errors;

import java.util.List;
import java.util.Map;

/** 400: the request is malformed or its content invalid; the details name every problem. */
public final class InvalidRequestException extends ApiException {
    public InvalidRequestException(String message, List<ErrorDetail> problems) {
        super(400, message, problems, Map.of());
    }

    private InvalidRequestException(String message, ErrorDetail problem) {
        super(400, message, List.of(problem), Map.of(), true);
    }

    /** A single problem with one field or parameter, said whole by the message ({@code invalid FIELD: MESSAGE}). */
    public static InvalidRequestException of(String field, String message) {
        return single("invalid " + field + ": " + message, ErrorDetail.of(field, message));
    }

    /**
     * A single problem, which {@code message} says whole in its own words (e.g. {@code invalid query parameter
     * 'limit': ...}): {@link #problemInMessage()}.
     */
    public static InvalidRequestException single(String message, ErrorDetail problem) {
        return new InvalidRequestException(message, problem);
    }
}
